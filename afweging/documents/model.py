"""What an uploaded source document becomes once its text is extracted.

Kept separate from the extraction code so the case library store can import
it without pulling in the document parsers.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

DocumentKind = Literal["pdf", "docx", "html", "txt"]


@dataclass(frozen=True)
class ExtractedDocument:
    """One uploaded document: its identity, metadata and plain text with page starts."""

    sha256: str  # hex digest of the uploaded bytes (identity: stored once)
    filename: str  # as uploaded (display only; never used as a path)
    kind: DocumentKind
    size: int  # bytes uploaded
    title: str  # from metadata or the first non-empty line; the user may edit it later
    date: str | None  # ISO date (YYYY-MM-DD) from metadata, if any
    text: str  # plain text, lines separated by "\n", no trailing spaces per line
    pages: tuple[int, ...]  # 1-based line at which each page starts; (1,) without pages

    @property
    def line_count(self) -> int:
        """Number of lines in `text` (an empty text still has one line)."""
        return self.text.count("\n") + 1

    def page_of(self, line: int) -> int:
        """The 1-based page on which the 1-based `line` stands.

        Raises ValueError for a line outside the text, so a bad locator is
        never silently cited as page 1.
        """
        if not 1 <= line <= self.line_count:
            raise ValueError(f"line {line} outside 1..{self.line_count}")
        return max(1, bisect_right(self.pages, line))
