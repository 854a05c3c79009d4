"""Text of a PDF, page by page, with pypdf (run inside the sandboxed child process)."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PasswordType, PdfReader, get_configuration, overwrite_configuration
from pypdf.errors import LimitReachedError

from afweging.documents.limits import Limits, limit_megabytes
from afweging.documents.refusal import Refused
from afweging.documents.text import TextBudget, clip_title, iso_date, normalise

#: pypdf's limits on the unpacked size of one stream (0 switches each off).
_STREAM_SETTINGS = (
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "zlib_maximum_output_length",
    "brotli_maximum_output_length",
)


def read_pdf(data: bytes, limits: Limits) -> dict[str, Any]:
    """Title, date, text and page starts of a PDF; Refused for what cannot be read."""
    settings: dict[str, int] = {name: limits.stream_bytes for name in _STREAM_SETTINGS}
    if not limits.stream_bytes:  # only the child's own memory and time limits are left
        settings["stream_decoding_work_maximum_length"] = 1 << 62
    overwrite_configuration(get_configuration().with_overwrites(**settings))
    try:
        return _read(data, limits)
    except (Refused, MemoryError):
        raise
    except LimitReachedError:
        raise Refused("document_bomb", limit=limit_megabytes(limits.stream_bytes)) from None
    except Exception:  # pypdf raises many kinds on broken input: all mean "malformed"
        raise Refused("document_malformed", format="PDF") from None


def _read(data: bytes, limits: Limits) -> dict[str, Any]:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not _opens_without_password(reader):
        raise Refused("document_encrypted")
    count = len(reader.pages)
    if count > limits.pages:
        raise Refused("document_too_many_pages", limit=limits.pages)
    budget = TextBudget(limits.text_bytes)
    chunks: list[str] = []
    pages: list[int] = []
    line = 1
    for page in reader.pages:
        text = normalise(page.extract_text())
        budget.spend(text)
        pages.append(line)
        chunks.append(text)
        line += text.count("\n") + 1
    title, date = _metadata(reader)
    return {"title": title, "date": date, "text": "\n".join(chunks), "pages": pages or [1]}


def _metadata(reader: PdfReader) -> tuple[str, str | None]:
    """The document information's title and creation date, where readable."""
    try:
        info = reader.metadata
    except Exception:  # a broken information dictionary loses only the metadata
        return "", None
    if info is None:
        return "", None
    title = clip_title(str(info.title or ""))
    try:
        date = iso_date(info.creation_date)
    except Exception:  # an unreadable date string
        date = None
    return title, date


def _opens_without_password(reader: PdfReader) -> bool:
    """Whether an encrypted PDF opens with the empty password: a 'secured' PDF that only
    restricts printing or copying, as public bodies often publish, reads like any other."""
    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:  # an encryption pypdf cannot undo here (e.g. AES without a backend)
        return False
