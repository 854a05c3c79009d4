"""One escaper for Markdown: data text (labels, quotes, names) shown as written, never as markup.

Streamlit reads Markdown in ``st.markdown``, captions, expander labels and ``st.table``
cells, with extras of its own: ``$`` starts LaTeX and ``:name:`` an icon or emoji. A label
such as "1. Verplicht" would become a list and "<b>" markup, so every character that can
start or end markup gets a backslash. The interface escapes with this one function only.
"""

from __future__ import annotations

from typing import Final

#: CommonMark's punctuation that can make markup, and Streamlit's ``$`` (LaTeX) and ``:``
#: (icons and emoji shortcodes).
SPECIAL: Final = frozenset("\\`*_{}[]<>()#+-.!|~$:")


def plain(text: object) -> str:
    """``text`` for a Markdown element: every markup character escaped, so it shows as written."""
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in str(text))


__all__ = ["SPECIAL", "plain"]
