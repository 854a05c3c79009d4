"""afweging.numbers: one way to write numbers, percentages and dates, in Dutch and English."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from afweging import numbers
from afweging.numbers import decimal, integer, number, percent, scientific, significant

NAN = float("nan")


@pytest.mark.parametrize(
    ("x", "places", "nl", "en"),
    [
        (2 / 3, 3, "0,667", "0.667"),
        (0.75, 2, "0,75", "0.75"),
        (0.7000000000000001, 3, "0,700", "0.700"),
        (3, 1, "3,0", "3.0"),
        (-0.25, 2, "-0,25", "-0.25"),
        (-0.0001, 3, "0,000", "0.000"),  # a rounded zero has no sign
        (1234.5, 1, "1234,5", "1234.5"),  # no grouping unless asked
        (0.5, 0, "1", "1"),  # halves up, as people round (Python's own: half to even)
        (0.625, 2, "0,63", "0.63"),  # exactly half, in binary too
        (0.6249999999999999, 2, "0,63", "0.63"),  # float dust below 0,625 is dust
        (0.6250000000000001, 2, "0,63", "0.63"),
        (2.675, 2, "2,68", "2.68"),  # 2.67499999999999982236431605997495353221893310546875
        (-0.125, 2, "-0,13", "-0.13"),
    ],
)
def test_decimal(x: float, places: int, nl: str, en: str) -> None:
    assert decimal(x, "nl", places) == nl
    assert decimal(x, "en", places) == en


def test_decimal_trims_and_groups_on_request() -> None:
    assert decimal(50.0, "nl", 1, trim=True) == "50"
    assert decimal(33.333, "nl", 1, trim=True) == "33,3"
    assert decimal(10.0, "nl", 0, trim=True) == "10"  # whole numbers keep their zeros
    assert decimal(1062060.25, "nl", 2, grouping=True) == "1.062.060,25"
    assert decimal(1062060.25, "en", 2, grouping=True) == "1,062,060.25"


def test_missing_and_infinite_values() -> None:
    for f in (
        lambda: decimal(NAN, "nl"),
        lambda: percent(NAN, "en"),
        lambda: integer(NAN, "nl"),
        lambda: number(NAN, "nl"),
        lambda: scientific(NAN, "nl"),
    ):
        assert f() == numbers.MISSING == "–"
    assert decimal(math.inf, "nl") == "∞" and decimal(-math.inf, "en") == "-∞"


@pytest.mark.parametrize(
    ("x", "nl", "en"),
    [
        (3.0, "3", "3"),
        (3.5, "3,5", "3.5"),
        (0.0005, "0,0005", "0.0005"),
        (0.1 * 7, "0,7", "0.7"),  # no float dust
        (-2.0, "-2", "-2"),
        (0.0, "0", "0"),
        (1e-12, "1 × 10⁻¹²", "1 × 10⁻¹²"),  # too small for six places, but not zero
        (-2.5e-10, "-2,5 × 10⁻¹⁰", "-2.5 × 10⁻¹⁰"),
    ],
)
def test_number_is_as_short_as_the_value(x: float, nl: str, en: str) -> None:
    assert number(x, "nl") == nl
    assert number(x, "en") == en


def test_percent() -> None:
    assert percent(1 / 3, "nl") == "33%"
    assert percent(1 / 3, "nl", 1) == "33,3%"
    assert percent(1 / 3, "en", 1) == "33.3%"
    assert percent(0.5, "nl", 1) == "50,0%"
    assert percent(0.5, "nl", 1, trim=True) == "50%"
    assert percent(1 / 15, "nl", 1) == "6,7%"


def test_integer_separates_thousands() -> None:
    assert integer(1062060, "nl") == "1.062.060"
    assert integer(1062060, "en") == "1,062,060"
    assert integer(999, "nl") == "999"
    assert integer(10_000.4, "nl") == "10.000"
    assert integer(-1234, "en") == "-1,234"


def test_scientific() -> None:
    assert scientific(1.23e-16, "nl") == "1,2 × 10⁻¹⁶"
    assert scientific(1.23e-16, "en") == "1.2 × 10⁻¹⁶"
    assert scientific(-5.55e-17, "nl") == "-5,6 × 10⁻¹⁷"
    assert scientific(1e-12, "nl", trim=True) == "1 × 10⁻¹²"
    assert scientific(2.5e6, "en", 2) == "2.50 × 10⁶"
    assert scientific(0.0, "nl") == "0,0"


def test_date() -> None:
    day = date(2026, 11, 30)
    assert numbers.date(day, "nl") == "30-11-2026"
    assert numbers.date(day, "en") == "2026-11-30"
    assert numbers.date(day, "nl", "long") == "30 november 2026"
    assert numbers.date(day, "en", "long") == "30 November 2026"
    assert numbers.date(date(2026, 3, 1), "nl", "long") == "1 maart 2026"
    assert numbers.date(datetime(2026, 11, 30, 23, 59), "nl") == "30-11-2026"
    with pytest.raises(ValueError, match="style"):
        numbers.date(day, "nl", "short")  # type: ignore[arg-type]


def test_significant_removes_float_dust_and_keeps_precision() -> None:
    assert significant(0.1 * 7) == 0.7
    assert significant(0.1 * 3) == 0.3
    assert significant(1 / 3) == pytest.approx(1 / 3, rel=1e-12)
    assert significant(1 / 3) == 0.333333333333
    assert significant(123456.7890123456) == 123456.789012
    assert math.isnan(significant(NAN)) and significant(math.inf) == math.inf
    assert significant(0.0) == 0.0


def test_dutch_numbers_never_hold_a_decimal_point() -> None:
    for x in (0.0, 1 / 3, 2 / 3, 0.75, 3.5, 1e-9, 12.25, -0.125):
        for text in (decimal(x, "nl"), number(x, "nl"), percent(x, "nl", 1), scientific(x, "nl")):
            assert "." not in text, text
