"""Reading one document's bytes into text: the work the child process does.

Checks that the bytes are what the name's extension promises, picks the reader
for that kind and refuses a document without text. Runs in-process only in the
sandboxed child (afweging.documents.worker); the app calls
afweging.documents.extract.
"""

from __future__ import annotations

from typing import Any

from afweging.documents.html_text import read_html
from afweging.documents.kinds import EXTENSIONS, agrees, sniff
from afweging.documents.limits import Limits
from afweging.documents.model import DocumentKind
from afweging.documents.pdf_text import read_pdf
from afweging.documents.refusal import Refused
from afweging.documents.text import TextBudget, first_line, normalise
from afweging.documents.word_text import read_docx


def parse(data: bytes, extension: str, limits: Limits) -> dict[str, Any]:
    """The document's kind, title, date, text and page starts, or Refused saying why not."""
    kind = EXTENSIONS[extension]
    found = sniff(data)
    if not agrees(found, kind):
        if found == "TXT" and kind in ("pdf", "docx") and not _is_utf8(data):
            raise Refused("document_malformed", format=kind.upper())
        raise Refused("document_kind_mismatch", kind=found.lower(), extension=extension)
    result = _read(data, kind, limits)
    if not result["text"].strip():
        raise Refused("document_no_text", kind="scanned" if kind == "pdf" else "empty")
    result["title"] = result["title"] or first_line(result["text"])
    result["kind"] = kind
    return result


def _read(data: bytes, kind: DocumentKind, limits: Limits) -> dict[str, Any]:
    if kind == "pdf":
        return read_pdf(data, limits)
    if kind == "docx":
        return read_docx(data, limits)
    text = decode(data)
    if kind == "html":
        return read_html(text, limits)
    text = normalise(text)
    TextBudget(limits.text_bytes).spend(text)
    return {"title": "", "date": None, "text": text, "pages": [1]}


def decode(data: bytes) -> str:
    """UTF-8 text, a byte-order mark allowed; Refused(not_utf8) naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused("not_utf8", byte=exc.start) from None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
