"""Numbers as readers expect them: a decimal comma in Dutch, a dot in English.

One place for the rule, so a table, a chart label and a sentence never disagree
on how 0,667 is written.
"""

from __future__ import annotations

import math

from afweging.model import Lang


def decimal(x: float, lang: Lang, places: int = 3) -> str:
    """``x`` with ``places`` decimals: ``0,667`` in Dutch, ``0.667`` in English; '–' if NaN."""
    if math.isnan(x):
        return "–"
    text = f"{x:.{places}f}"
    return text.replace(".", ",") if lang == "nl" else text


def percent(share: float, lang: Lang, places: int = 0) -> str:
    """A share of 1 as a percentage: ``33%`` (or ``33,3%`` with one place); '–' if NaN."""
    if math.isnan(share):
        return "–"
    return decimal(100 * share, lang, places) + "%"


__all__ = ["decimal", "percent"]
