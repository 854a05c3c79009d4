"""CSV that a Dutch Excel opens safely with a double click.

A double-clicked ``.csv`` is split by Excel on the list separator of the
computer's region: ``;`` in the Netherlands (where the decimal sign is ``,``),
``,`` in English regions. A file written with commas and dot decimals turns
into one garbled column in a Dutch Excel, and a field that holds the *other*
separator is split in two, so that its second half can start a formula
(``Assen;=cmd|' /C calc'!A0``: the OWASP "CSV injection").

So every file written here:

- starts with a UTF-8 byte order mark (Excel then reads accents correctly);
- uses ``;`` and decimal commas in Dutch, ``,`` and decimal dots in English;
- quotes every field, numbers included;
- defuses text: a ``'`` goes before a formula character (``= + - @``, tab,
  carriage return) at the start of a cell *and* right after any ``;``, ``,``
  or tab inside it, so no part of the cell can become a formula, whichever
  separator the reader splits on.

Numbers are passed as numbers and formatted here; only text is defused, so a
negative number stays a number.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import Final

from afweging.model import Lang

BOM: Final = "\ufeff"
DELIMITER: Final[dict[Lang, str]] = {"nl": ";", "en": ","}
DECIMAL: Final[dict[Lang, str]] = {"nl": ",", "en": "."}

# A formula character at the start, or after a separator inside the field.
_DANGER: Final = re.compile(r"(^|[;,\t])([=+\-@\t\r])")


def defuse(text: str) -> str:
    """Text that no spreadsheet runs as a formula, however it splits the cell."""
    return _DANGER.sub(lambda m: m.group(1) + "'" + m.group(2), text)


def number(value: float | None, lang: Lang, decimals: int | None = None) -> str:
    """A number as the reader's Excel expects it (decimal comma in Dutch); '' if missing.

    Without ``decimals`` the shortest text that reads back to the same float is
    used (``repr``), so exports lose no precision; floats that are whole numbers
    keep no ``.0``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        raise TypeError("number: expected a number, got a bool")
    if isinstance(value, int):
        return str(value)
    x = float(value)
    if not math.isfinite(x):
        return ""
    text = f"{x:.{decimals}f}" if decimals is not None else repr(x)
    if decimals is None and text.endswith(".0"):
        text = text[:-2]
    if "e" in text or "E" in text:  # Excel reads 1e-05 as text in some regions
        text = f"{x:.12f}".rstrip("0").rstrip(".")
    return text.replace(".", DECIMAL[lang])


def cell(value: object, lang: Lang) -> str:
    """One field: numbers formatted for ``lang``, text defused, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return defuse(str(value))
    if isinstance(value, int | float):
        return number(value, lang)
    return defuse(str(value))


def write(header: Sequence[str], rows: Iterable[Sequence[object]], lang: Lang) -> bytes:
    """The whole file as bytes (BOM, ``lang``'s separator, every field quoted)."""
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=DELIMITER[lang], quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerow([cell(h, lang) for h in header])
    for row in rows:
        writer.writerow([cell(v, lang) for v in row])
    return (BOM + out.getvalue()).encode("utf-8")


def read(data: bytes, lang: Lang) -> list[list[str]]:
    """Read such a file back (tests, and a round trip for users' own checks)."""
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER[lang]))


def parse_number(text: str, lang: Lang) -> float:
    """A number cell back to a float."""
    return float(text.replace(DECIMAL[lang], "."))


__all__ = [
    "BOM",
    "DECIMAL",
    "DELIMITER",
    "cell",
    "defuse",
    "number",
    "parse_number",
    "read",
    "write",
]
