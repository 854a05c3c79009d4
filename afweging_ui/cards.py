"""Tables that a phone shows as cards: one block per row, each column on a line of its own.

A data grid wider than a phone scrolls sideways inside the page, with most of its
columns out of sight. :func:`table_or_cards` draws the grid for wide screens and the
same rows as cards for narrow ones; CSS (:data:`afweging_ui.style.PAGE_CSS`) shows one of the
two by the screen's width: containers keyed ``desk_...`` on wide screens only,
``phone_...`` on narrow ones only. All text is data or translations, escaped for
Markdown (:func:`afweging.markdown.plain`), never HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from afweging.markdown import plain


def cards(table: Mapping[str, Sequence[object]], key: str, caption: str | None = None) -> None:
    """The rows of ``table`` (column -> values; the first column names the row) as cards,
    shown on narrow screens only: the row's name in bold, then 'column → value' lines."""
    columns = list(table)
    first, rest = columns[0], columns[1:]
    with st.container(key=f"phone_{key}"):
        if caption:
            st.caption(caption)
        for k, name in enumerate(table[first]):
            lines = [f"{plain(c)} → **{plain(table[c][k])}**" for c in rest]
            with st.container(border=True, key=f"phone_{key}_{k}"):
                st.markdown(f"**{plain(name)}**  \n" + "  \n".join(lines))


def table_or_cards(
    table: Mapping[str, Sequence[object]], key: str, grid: Callable[[], object]
) -> object:
    """``grid()`` (a data grid of ``table``) on wide screens, :func:`cards` on narrow ones.

    Returns what ``grid()`` returns (e.g. a selection event).
    """
    with st.container(key=f"desk_{key}"):
        shown = grid()
    cards(table, key)
    return shown
