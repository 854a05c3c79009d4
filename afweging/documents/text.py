"""Minimal normalisation of extracted text, and the title and date helpers.

Quotes are later checked against this text with only whitespace collapsed, so
nothing here changes a word: Unicode NFC, one kind of line break, no trailing
spaces.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from afweging.documents.limits import limit_megabytes
from afweging.documents.refusal import Refused

#: Characters of a title taken from the text or the metadata.
MAX_TITLE_CHARS = 300

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UNSTORABLE = re.compile("[\0\ud800-\udfff]")


def normalise(text: str) -> str:
    """NFC, every line break as "\\n", no whitespace at the end of a line or of the text.

    Also what no database can store: NUL characters go, and a lone surrogate (a broken
    character from a PDF's font table) becomes U+FFFD.
    """
    text = _UNSTORABLE.sub(lambda m: "" if m.group() == "\0" else "\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).rstrip("\n")


def first_line(text: str) -> str:
    """The first non-empty line, cut to a title's length; "" for an empty text."""
    for line in text.split("\n"):
        if line.strip():
            return clip_title(line)
    return ""


def clip_title(title: str) -> str:
    """A title on one line, at most MAX_TITLE_CHARS long."""
    return " ".join(title.split())[:MAX_TITLE_CHARS]


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD from a datetime, a date or a text starting with an ISO date; else None."""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        found = _ISO_DATE.match(value.strip())
        if found:
            try:
                return date(*(int(part) for part in found.groups())).isoformat()
            except ValueError:
                return None
    return None


class TextBudget:
    """Counts the UTF-8 bytes of text extracted so far and refuses past the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, text: str) -> None:
        """Count ``text``; refuse (document_too_much_text) past the limit."""
        self.used += len(text.encode("utf-8", "surrogatepass")) + 1
        if self.used > self.limit:
            raise Refused("document_too_much_text", limit=limit_megabytes(self.limit))
