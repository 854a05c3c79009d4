"""What kind a document is: by its name's extension and, separately, by its bytes.

The two must agree; a file that is not what its name says is refused naming
both, because the parser chosen by one would read the other.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

from afweging.documents.model import DocumentKind

#: The extensions accepted, and the kind each promises.
EXTENSIONS: dict[str, DocumentKind] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
}
#: Word's macro-enabled formats: refused by name before anything is read.
MACRO_EXTENSIONS = (".docm", ".dotm")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary Office files (.doc, .xls)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def extension(filename: str) -> str:
    """The lower-case extension of the file's own name (any folder part ignored)."""
    name = PureWindowsPath(PurePosixPath(filename).name).name
    return PurePosixPath(name).suffix.lower()


def sniff(data: bytes) -> str:
    """The format the bytes are in: 'PDF', 'DOCX', 'ZIP', 'DOC', 'HTML' or 'TXT'.

    Only magic numbers and the zip's directory are read; 'TXT' means "none of the
    others" and is checked for UTF-8 by the text reader.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "PDF"
    if head.startswith(_ZIP):
        return "DOCX" if _zip_has_word_body(data) else "ZIP"
    if head.startswith(_OLE2):
        return "DOC"
    if looks_like_html(head):
        return "HTML"
    return "TXT"


def looks_like_html(head: bytes) -> bool:
    """Whether text starts as an HTML page does (after a BOM, blanks and comments)."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<?xml"):
        return b"<html" in text
    while text.startswith(b"<!--") and b"-->" in text:
        text = text.split(b"-->", 1)[1].lstrip()
    return text.startswith((b"<!doctype html", b"<html"))


def _zip_has_word_body(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def agrees(found: str, kind: DocumentKind) -> bool:
    """Whether bytes of format ``found`` may be read as ``kind``.

    An .html file without markup is plain text, which the HTML reader reads as such;
    every other pairing must match exactly.
    """
    if kind == "html":
        return found in ("HTML", "TXT")
    return found == kind.upper()
