"""One escaper for Markdown: data text (labels, quotes, names) shown as written, never as markup.

Streamlit reads Markdown in ``st.markdown``, captions, expander labels and ``st.table``
cells, with extras of its own: ``$`` starts LaTeX and ``:name:`` an icon or emoji. A label
such as "1. Verplicht" would become a list and "<b>" markup, so every character that can
start or end markup gets a backslash. The interface escapes with this one function only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

#: CommonMark's punctuation that can make markup, and Streamlit's ``$`` (LaTeX) and ``:``
#: (icons and emoji shortcodes).
SPECIAL: Final = frozenset("\\`*_{}[]<>()#+-.!|~$:")


def plain(text: object) -> str:
    """``text`` for a Markdown element: every markup character escaped, so it shows as written."""
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in str(text))


def table(header: Sequence[object], rows: Iterable[Sequence[object]], align: str) -> str:
    """A Markdown (GFM) table, every cell :func:`plain`; ``align`` has one letter per
    column: ``l``, ``r`` or ``c``. Line breaks in a cell become spaces (a row is a line)."""
    if len(align) != len(header) or set(align) - set("lrc"):
        raise ValueError(f"align needs one of l, r, c per column, got {align!r}")
    rules = {"l": ":---", "r": "---:", "c": ":---:"}

    def line(cells: Sequence[object]) -> str:
        return "| " + " | ".join(plain(" ".join(str(c).split())) for c in cells) + " |"

    out = [line(header), "| " + " | ".join(rules[a] for a in align) + " |"]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row has {len(row)} cells, the header {len(header)}")
        out.append(line(row))
    return "\n".join(out)


__all__ = ["SPECIAL", "plain", "table"]
