"""The score card: options by criteria with the scale's labels, coloured by goodness."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from afweging.matrix import Matrix
from afweging.model import Lang
from afweging.numbers import number
from afweging.palette import DIVERGING

CHANGED_MARK = " ✎"


def goodness_colour(value: float) -> str:
    """A colour-blind-safe diverging colour for a value in [0, 1] (1 best)."""
    index = min(len(DIVERGING) - 1, max(0, round(value * (len(DIVERGING) - 1))))
    return DIVERGING[index]


def text_colour(background: str) -> str:
    """Black or white text, whichever reads better on the background."""
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def scorecard_frame(
    matrix: Matrix, lang: Lang, changed: Mapping[tuple[str, str], float]
) -> pd.DataFrame:
    """Display texts: value and scale label per cell, marked where a what-if changed it."""
    columns = [leaf.label.get(lang) for leaf in matrix.leaves]
    rows = []
    for i, option in enumerate(matrix.options):
        row = []
        for j, leaf in enumerate(matrix.leaves):
            value = matrix.raw[i, j]
            label = leaf.scale.label(value) if leaf.scale else ""
            shown = number(value, lang)
            text = f"{shown} ({label})" if label else shown
            if (option.id, leaf.id) in changed:
                text += CHANGED_MARK
            row.append(text)
        rows.append(row)
    index = [option.label.get(lang) for option in matrix.options]
    return pd.DataFrame(rows, index=pd.Index(index, name=""), columns=columns)


def scorecard_styler(frame: pd.DataFrame, matrix: Matrix) -> Styler:
    """Cell backgrounds by goodness (direction taken into account), readable text colour."""
    values = matrix.values

    def paint(_: pd.DataFrame) -> pd.DataFrame:
        styles = []
        for i in range(values.shape[0]):
            row = []
            for j in range(values.shape[1]):
                bg = goodness_colour(float(values[i, j]))
                row.append(f"background-color: {bg}; color: {text_colour(bg)}")
            styles.append(row)
        return pd.DataFrame(styles, index=frame.index, columns=frame.columns)

    return frame.style.apply(paint, axis=None)
