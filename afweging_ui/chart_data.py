"""A chart's data as a table: its text alternative for whoever cannot see the chart, and
the exact figures behind the bars for whoever wants them (WCAG 1.1.1).

Read from the figure itself, so the table shows what the chart draws: one row per
category (an option, a criterion), one column per series (a criterion's share, an
option's line). Only bar and line charts with a readable number of categories get one;
the others (the weight triangle, a sweep of 101 weights) say what they show in words
beside them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from numbers import Real

import plotly.graph_objects as go

from afweging.model import Lang
from afweging.numbers import number

#: More categories than this and a table no longer helps a reader.
MAX_ROWS = 40
_TAG = re.compile(r"<[^>]*>")


def clean(text: object) -> str:
    """A chart text as plain words: line breaks as spaces, plotly's markup left out."""
    return " ".join(_TAG.sub(" ", str(text).replace("<br>", " ")).split())


def _value(x: object, lang: Lang) -> str:
    if isinstance(x, bool) or not isinstance(x, Real):
        return "–" if x is None else clean(x)
    return number(float(x), lang, 3)


def categories(fig: go.Figure) -> list[str] | None:
    """The names a chart writes above its bars itself (its bars then stand at numbered
    heights): ``layout.meta["categories"]``, in the order of the traces' points."""
    meta = fig.layout.meta
    found = meta.get("categories") if isinstance(meta, dict) else None
    return [clean(c) for c in found] if isinstance(found, list | tuple) else None


def figure_rows(
    fig: go.Figure, lang: Lang, category: str, value: str
) -> tuple[list[str], list[list[str]]] | None:
    """(header, rows) of ``fig``'s data, or None when it is no bar or line chart or has
    too many categories. ``category`` and ``value`` head the first column and a lone
    unnamed series."""
    series: list[tuple[str, list[str], list[object]]] = []
    named = categories(fig)
    # Horizontal bars put their categories on the y axis, and so do the texts and marks
    # drawn beside them.
    across = any(tr.type == "bar" and tr.orientation == "h" for tr in fig.data)
    for trace in fig.data:
        if trace.type not in ("bar", "scatter"):
            return None
        cats, vals = (trace.y, trace.x) if across else (trace.x, trace.y)
        if cats is None or vals is None:
            continue
        if len(cats) > MAX_ROWS:
            return None
        shown = named if named is not None and len(named) == len(cats) else cats
        series.append((clean(trace.name or ""), [clean(c) for c in shown], list(vals)))
    if not series:
        return None
    order: dict[str, None] = {}
    for _name, cats, _vals in series:
        order.update(dict.fromkeys(cats))
    header = [category] + [name or value for name, _c, _v in series]
    cells = [dict(zip(cats, vals, strict=False)) for _n, cats, vals in series]
    rows = [[c] + [_value(col.get(c), lang) for col in cells] for c in order]
    return header, rows


def alignment(header: Sequence[str]) -> str:
    """Text left, figures right."""
    return "l" + "r" * (len(header) - 1)


__all__ = ["MAX_ROWS", "alignment", "categories", "clean", "figure_rows"]
