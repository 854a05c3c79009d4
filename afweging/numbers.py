"""Numbers, percentages and dates as readers expect them, in Dutch or English.

The one place for the rule, so a table, a chart label, a sentence and a
spreadsheet never disagree on how 0,667 is written:

- Dutch: a decimal comma and a point between thousands (``0,667``,
  ``1.062.060``), dates as ``30-11-2026`` or ``30 november 2026``;
- English: a decimal point and a comma between thousands (``0.667``,
  ``1,062,060``), dates as ``2026-11-30`` or ``30 November 2026``.

Every function returns text for people. A missing number (NaN) is written
``–``. Nothing shows float dust: a value is rounded to the places asked for, or
(:func:`number`) to at most that many with trailing zeros left off, and a
rounded zero never keeps a minus sign (``-0,000``). :func:`significant` rounds
a float (not text) for files that keep full precision, such as the view's
YAML; :func:`to_float` reads a number sent from outside (JSON, a URL).

Plotly charts get the same separators from ``separators`` in the house style
(``afweging_ui.style.memo_layout``); Streamlit's sliders are formatted by sprintf-js in
the browser, which knows no decimal comma, so they use ``%g`` (no false
precision) and show the weights' percentages beside them through this module.
"""

from __future__ import annotations

import math
from datetime import date as _date
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Literal, SupportsFloat, SupportsIndex

from afweging.model import Lang

#: What a missing number (NaN) is written as.
MISSING: Final = "–"
#: The decimal sign and the thousands separator per language.
DECIMAL_SIGN: Final[dict[Lang, str]] = {"nl": ",", "en": "."}
THOUSANDS_SEP: Final[dict[Lang, str]] = {"nl": ".", "en": ","}

MONTHS: Final[dict[Lang, tuple[str, ...]]] = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_SUPERSCRIPT: Final = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _localise(text: str, lang: Lang) -> str:
    """Python's ``1,234.5`` (comma grouping, dot decimal) in the reader's convention."""
    if lang == "en":
        return text
    table: dict[str, str | int | None] = {",": THOUSANDS_SEP[lang], ".": DECIMAL_SIGN[lang]}
    return text.translate(str.maketrans(table))


def _unsigned_zero(text: str) -> str:
    """``-0.000`` -> ``0.000``: a value that rounds to zero has no sign."""
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        return text[1:]
    return text


def decimal(
    x: float, lang: Lang, places: int = 3, *, trim: bool = False, grouping: bool = False
) -> str:
    """``x`` with ``places`` decimals: ``0,667`` in Dutch, ``0.667`` in English; '–' if NaN.

    ``trim`` leaves trailing zeros (and a bare decimal sign) off: ``50`` for
    ``50,0``, ``33,3`` stays. ``grouping`` separates thousands (``1.062,5``).

    Halves are rounded up, as people round, after the float dust is gone
    (:func:`significant`): a score of exactly 0,625 reads ``0,63`` whether one weight
    method left it at 0.62499999999999 or another at 0.62500000000001 (Python's own
    formatting rounds the binary value, half to even, and gave ``0,62`` and ``0,63``).
    """
    x = float(x)
    if math.isnan(x):
        return MISSING
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    step = Decimal(1).scaleb(-max(places, 0))
    rounded = Decimal(repr(significant(x))).quantize(step, rounding=ROUND_HALF_UP)
    text = f"{rounded:{',' if grouping else ''}.{max(places, 0)}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return _localise(_unsigned_zero(text), lang)


def number(x: float, lang: Lang, places: int = 6) -> str:
    """A value as short as it is: at most ``places`` decimals, no trailing zeros.

    ``3``, ``3,5``, ``0,0005`` (like Python's ``:g``, but never in exponent form
    for ordinary values). A value too small to show in ``places`` decimals, but
    not zero, is written in powers of ten (:func:`scientific`), so it never reads
    as 0.
    """
    x = float(x)
    if math.isfinite(x) and x != 0 and abs(x) < 0.5 * 10.0**-places:
        return scientific(x, lang, 1, trim=True)
    return decimal(x, lang, places, trim=True)


def percent(share: float, lang: Lang, places: int = 0, *, trim: bool = False) -> str:
    """A share of 1 as a percentage: ``33%`` (or ``33,3%`` with one place); '–' if NaN.

    With ``trim``, ``50%`` rather than ``50,0%`` where one place is asked for.
    """
    share = float(share)
    if math.isnan(share):
        return MISSING
    return decimal(100 * share, lang, places, trim=trim) + "%"


def integer(n: float, lang: Lang) -> str:
    """A whole number with thousands separated: ``1.062.060`` in Dutch, ``1,062,060`` in English.

    A float is rounded to the nearest whole number; '–' if NaN.
    """
    return decimal(n, lang, 0, grouping=True)


def scientific(x: float, lang: Lang, places: int = 1, *, trim: bool = False) -> str:
    """A very small or very large value in powers of ten: ``1,2 × 10⁻¹⁶`` ('–' if NaN).

    ``trim`` leaves trailing zeros off the mantissa (``1 × 10⁻¹²``).
    """
    x = float(x)
    if math.isnan(x):
        return MISSING
    if x == 0 or math.isinf(x):
        return decimal(x, lang, places, trim=trim)
    mantissa, _, exponent = f"{x:.{max(places, 0)}e}".partition("e")
    if trim and "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    power = str(int(exponent)).translate(_SUPERSCRIPT)
    return f"{_localise(mantissa, lang)} × 10{power}"


def date(day: _date | datetime, lang: Lang, style: Literal["numeric", "long"] = "numeric") -> str:
    """A day as readers write it.

    ``numeric``: ``30-11-2026`` in Dutch, ``2026-11-30`` (ISO) in English;
    ``long``: ``30 november 2026`` in Dutch, ``30 November 2026`` in English.
    A datetime is written as its day.
    """
    if isinstance(day, datetime):
        day = day.date()
    if style == "long":
        return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"
    if style != "numeric":
        raise ValueError(f"style: expected 'numeric' or 'long', got {style!r}")
    return day.strftime("%d-%m-%Y") if lang == "nl" else day.isoformat()


def significant(x: float, digits: int = 12) -> float:
    """``x`` rounded to ``digits`` significant digits, as a float.

    Arithmetic leaves dust on short decimals (``0.1 + 0.6 == 0.7000000000000001``);
    at 12 digits it is gone while any weight or score keeps far more precision
    than it needs to reproduce a ranking. NaN and infinities pass unchanged.
    """
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.{digits}g}")


def to_float(value: object) -> float:
    """``float(value)`` for a value of any type, such as one parsed from JSON or a URL.

    A TypeError for what is no number and no text (None, a list), a ValueError for text
    that is no number; a bool is read as 0 or 1, as by :func:`float`.
    """
    if not isinstance(value, str | SupportsFloat | SupportsIndex):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


__all__ = [
    "DECIMAL_SIGN",
    "MISSING",
    "MONTHS",
    "THOUSANDS_SEP",
    "date",
    "decimal",
    "integer",
    "number",
    "percent",
    "scientific",
    "significant",
    "to_float",
]
