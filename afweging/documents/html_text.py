"""Text of an HTML page, never rendered: the stdlib parser keeps only the words.

Scripts, styles, templates and the like are dropped with their contents, block
elements become line breaks, table cells tabs, entities are decoded. Nothing
of the page is executed or fetched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from afweging.documents.limits import Limits
from afweging.documents.text import TextBudget, clip_title, first_line, iso_date, normalise

#: Elements whose contents are never text for a reader.
DROPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "math"})
#: Elements that start and end a line.
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "body", "html",
    }
)  # fmt: skip
CELLS = frozenset({"td", "th"})
#: <meta name=...> whose content is the document's date.
DATE_META = frozenset({"date", "dcterms.date", "dc.date", "dcterms.issued", "dcterms.created"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"})

_SPACE = re.compile(r"[ \t\n\f\r]+")


class _TextParser(HTMLParser):
    """Collects visible text; counts it against the budget as it goes."""

    def __init__(self, budget: TextBudget) -> None:
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.parts: list[str] = []
        self.dropped: list[str] = []  # open dropped elements, innermost last
        self.pre = 0
        self.in_title = False
        self.title: list[str] = []
        self.date: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self._meta(dict(attrs))
        self.in_title = tag == "title" and not self.dropped  # any other tag ends a title
        if tag in VOID:
            if tag in ("br", "hr") and not self.dropped:
                self.parts.append("\n")
            return
        if tag in DROPPED:
            self.dropped.append(tag)
        elif not self.dropped:
            if tag in BLOCKS:
                self.parts.append("\n")
            elif tag in CELLS:
                self.parts.append("\t")
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in VOID:
            return
        if tag in DROPPED and tag in self.dropped:
            while self.dropped and self.dropped.pop() != tag:
                pass
        elif not self.dropped:
            if tag in BLOCKS:
                self.parts.append("\n")
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:  # the page's name, not part of its text
            self.title.append(data)
            return
        if self.dropped:
            return
        text = data if self.pre else _SPACE.sub(" ", data)
        self.budget.spend(text)
        self.parts.append(text)

    def _meta(self, attrs: dict[str, str | None]) -> None:
        name = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        if self.date is None and (name in DATE_META or name == "article:published_time"):
            self.date = iso_date(attrs.get("content") or "")


def read_html(text: str, limits: Limits) -> dict[str, Any]:
    """Title, date and visible text of an HTML page (already decoded)."""
    parser = _TextParser(TextBudget(limits.text_bytes))
    parser.feed(text)
    parser.close()
    body = _tidy("".join(parser.parts))
    title = clip_title("".join(parser.title)) or first_line(body)
    return {"title": title, "date": parser.date, "text": body, "pages": [1]}


def _tidy(text: str) -> str:
    """Lines without edge spaces and without blank lines (the markup's breaks, not text)."""
    lines = (line.strip(" \t") for line in normalise(text).split("\n"))
    return "\n".join(line for line in lines if line)
