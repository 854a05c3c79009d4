"""The source documents in ``seeds/`` (see :mod:`afweging.content`) and finding quotes in them.

The documents are OCR'd and break lines mid-sentence, so a quote is compared
after collapsing every run of whitespace to one space, in both the quote and
the document. Nothing else is forgiven: a quote must be verbatim.

A library can also be built from texts held in memory (:meth:`SourceLibrary.from_texts`):
the case library checks a case's quotes against its own stored documents exactly as
the content's against ``seeds/``. A part may list the lines where its pages start, so a
quote from a paged document is cited by page and line on that page.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from afweging.content import seeds_dir
from afweging.errors import InvalidData
from afweging.yamlfile import parse, read_limited

_SPACE = re.compile(r"\s+")
#: A second reader's reference to lines of a seed file: its three-digit prefix, a line or a
#: range ("000:77-85", "004:404").
_LINE_REF = re.compile(r"\b(\d{3}):(\d+)(?:[-–](\d+))?")
PARTS_FILE = "parts.yaml"
#: The parts file is ours and small; anything larger is not it.
MAX_PARTS_BYTES = 100_000
#: A source document larger than this is not read (the bundled ones are about 60 kB).
MAX_SOURCE_BYTES = 50_000_000


@dataclass(frozen=True)
class Part:
    """One document inside a seed file: its lines and its title, as a reader cites it."""

    first: int
    last: int
    title_nl: str
    title_en: str
    #: Lines (of the seed file, ascending) where the part's pages start; () when unpaged.
    pages: tuple[int, ...] = ()

    def title(self, lang: str) -> str:
        """The title in Dutch ("nl") or English."""
        return self.title_nl if lang == "nl" else self.title_en

    def page_of(self, line: int) -> tuple[int, int] | None:
        """(page, line on that page), both from 1, of a line of the seed file; None when
        the part has no pages or the line comes before its first page."""
        page = bisect_right(self.pages, line)
        if page == 0:
            return None
        return page, line - self.pages[page - 1] + 1


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space."""
    return _SPACE.sub(" ", text)


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote stands in its document, with its surroundings for display."""

    source: str
    line: int
    before: str
    quote: str
    after: str


@dataclass(frozen=True)
class SourceDocument:
    """One source document, read once."""

    path: Path
    #: The text itself, for a document that is not a file (see SourceLibrary.from_texts).
    stored: str | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    @cached_property
    def text(self) -> str:
        """The document's text: a regular file of at most MAX_SOURCE_BYTES, read once.

        A byte that is not UTF-8 becomes U+FFFD, so a stray byte in a scanned document
        costs the quotes around it, not the whole check (which would stop with a traceback).
        """
        if self.stored is not None:
            return self.stored
        try:
            raw = read_limited(self.path, self.name, MAX_SOURCE_BYTES)
        except InvalidData:  # no longer a readable regular file: nothing can be quoted from it
            return ""
        return raw.decode("utf-8", errors="replace")

    @cached_property
    def _collapsed(self) -> tuple[str, list[int]]:
        """The collapsed text and, per collapsed character, its offset in the original."""
        chars: list[str] = []
        offsets: list[int] = []
        for match in re.finditer(r"\s+|\S+", self.text):
            if match.group().isspace():
                chars.append(" ")
                offsets.append(match.start())
            else:
                chars.extend(match.group())
                offsets.extend(range(match.start(), match.end()))
        return "".join(chars), offsets

    def contains(self, quote: str) -> bool:
        """True when the quote occurs verbatim, whitespace collapsed."""
        return collapse(quote).strip() in self._collapsed[0]

    def locate(self, quote: str, context: int = 300) -> QuoteMatch | None:
        """The first occurrence of ``quote`` with ``context`` characters either side."""
        collapsed, offsets = self._collapsed
        needle = collapse(quote).strip()
        at = collapsed.find(needle) if needle else -1
        if at < 0:
            return None
        start = offsets[at]
        end = offsets[at + len(needle) - 1] + 1
        return QuoteMatch(
            source=self.name,
            line=self.text.count("\n", 0, start) + 1,
            before=collapse(self.text[max(0, start - context) : start]),
            quote=collapse(self.text[start:end]),
            after=collapse(self.text[end : end + context]),
        )


class SourceLibrary:
    """The documents in one folder, looked up by file name only."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or seeds_dir()
        self._documents: dict[str, SourceDocument] = {}
        self._texts: Mapping[str, str] | None = None
        self._given_parts: Mapping[str, tuple[Part, ...]] | None = None

    @classmethod
    def from_texts(
        cls, texts: Mapping[str, str], parts: Mapping[str, tuple[Part, ...]] | None = None
    ) -> SourceLibrary:
        """A library of texts held in memory, by name, instead of a folder's files; its
        parts (titles, pages) are ``parts`` instead of a ``parts.yaml``."""
        library = cls(Path("."))
        library._texts = dict(texts)
        library._given_parts = dict(parts or {})
        return library

    def names(self) -> list[str]:
        """File names of the documents present."""
        if self._texts is not None:
            return sorted(self._texts)
        return sorted(p.name for p in self.folder.glob("*.txt"))

    def document(self, name: str) -> SourceDocument | None:
        """The document called ``name``, or None when there is no such file in the folder.

        Only a bare file name resolves: paths such as ``../x`` or ``/etc/passwd``
        never leave the folder.
        """
        if name in self._documents:
            return self._documents[name]
        if self._texts is not None:
            if name not in self._texts:
                return None
            self._documents[name] = SourceDocument(Path(name), stored=self._texts[name])
            return self._documents[name]
        if not name or name != Path(name).name or "\\" in name or name.startswith("."):
            return None
        path = self.folder / name
        if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
            return None
        self._documents[name] = SourceDocument(path)
        return self._documents[name]

    @cached_property
    def _parts(self) -> dict[str, tuple[Part, ...]]:
        """The documents inside each seed file (``parts.yaml``); empty when absent."""
        if self._given_parts is not None:
            return dict(self._given_parts)
        try:
            data = parse(read_limited(self.folder / PARTS_FILE, PARTS_FILE, MAX_PARTS_BYTES), "")
            return {
                str(name): tuple(
                    Part(
                        int(p["lines"][0]),
                        int(p["lines"][1]),
                        p["title"]["nl"],
                        p["title"]["en"],
                        tuple(sorted(int(n) for n in p.get("pages") or ())),
                    )
                    for p in parts
                )
                for name, parts in data.data.items()
            }
        except (InvalidData, KeyError, IndexError, TypeError, ValueError):
            # Missing or malformed: documents are then cited by file name, never a traceback.
            return {}

    def parts(self, name: str) -> tuple[Part, ...]:
        """The documents inside seed file ``name``, in order."""
        return self._parts.get(name, ())

    def part_at(self, name: str, line: int | None) -> Part | None:
        """The part of seed file ``name`` that holds ``line``, if any."""
        for part in self.parts(name):
            if line is not None and part.first <= line <= part.last:
                return part
        return None

    def title(self, name: str, line: int | None, lang: str) -> str:
        """The title of the document at ``line`` of seed file ``name`` (the file name when
        no part covers it), so every quote is cited by its document."""
        part = self.part_at(name, line)
        return name if part is None else part.title(lang)

    def cite(self, name: str, quote: str, lang: str) -> str:
        """'<document title>, regel 232' for a quote ('line' in English); for a paged
        document '<title>, p. 3, regel 12', the line counted on that page."""
        document = self.document(name)
        found = document.locate(quote) if document else None
        if found is None:
            return self.title(name, None, lang)
        word = "regel" if lang == "nl" else "line"
        part = self.part_at(name, found.line)
        on_page = part.page_of(found.line) if part else None
        if on_page is not None:
            return f"{self.title(name, found.line, lang)}, p. {on_page[0]}, {word} {on_page[1]}"
        return f"{self.title(name, found.line, lang)}, {word} {found.line}"

    def cite_lines(self, refs: str, lang: str) -> str:
        """A second reader's line references ('000:77-85; 004:404') by document title:
        '<title>, regels 77–85; <title>, regel 404'. A reference to no known file (or in
        another form) is kept as written."""

        def by_title(match: re.Match[str]) -> str:
            prefix, first, last = match.group(1), int(match.group(2)), match.group(3)
            name = next((n for n in self.names() if n.startswith(f"{prefix}_")), None)
            if name is None:
                return match.group(0)
            if last is None or int(last) == first:
                word = "regel" if lang == "nl" else "line"
                return f"{self.title(name, first, lang)}, {word} {first}"
            word = "regels" if lang == "nl" else "lines"
            return f"{self.title(name, first, lang)}, {word} {first}–{last}"

        return _LINE_REF.sub(by_title, refs)

    def check(self, name: str, quote: str) -> str | None:
        """A message when the quote cannot be traced, else None."""
        document = self.document(name)
        if document is None:
            choices = ", ".join(self.names()) or "none"
            return f"source {name!r} is not a document in seeds/ (present: {choices})"
        if not document.contains(quote):
            shown = quote if len(quote) <= 80 else quote[:77] + "..."
            return f"quote not found in {name}: {shown!r}"
        return None
