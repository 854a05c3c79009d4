"""The second reading: every score read again by someone who did not write it.

A fresh reader gets only the source documents, the criterion with its level
descriptors and the option's summary (never our value or rationale) and gives
a value, a range and the lines it rests on. ``docs/second-reading.md`` records,
per cell, our value, theirs, and the outcome:

- ``agree``: their value lies within our value's range (or equals it);
- ``changed``: their reading made us change the cell (the record shows the
  value after the change, and the reason);
- ``kept``: we keep a different value, for the reason given.

The record is a Markdown table so people can read and review it; this module
parses it, and the tests hold it complete and current against the data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from afweging.loading import Bundle
from afweging.sources import PROJECT_ROOT

RECORD = PROJECT_ROOT / "docs" / "second-reading.md"
OUTCOMES = ("agree", "changed", "kept")
_VALUE = re.compile(
    r"^\s*(-?\d+(?:[.,]\d+)?)\s*(?:\[\s*(-?\d+(?:[.,]\d+)?)\s*[–-]\s*(-?\d+(?:[.,]\d+)?)\s*\])?\s*$"
)
HEADER = ("case", "option", "criterion", "ours", "second reader", "lines", "outcome", "reason")


@dataclass(frozen=True)
class Reading:
    """One cell's second reading and what came of it."""

    line: int  # in the record, for messages
    case: str
    option: str
    criterion: str
    ours: tuple[float, float, float]  # value, low, high (low = high = value without a range)
    theirs: tuple[float, float, float]
    lines: str
    outcome: str
    reason: str

    @property
    def cell(self) -> tuple[str, str, str]:
        return (self.case, self.option, self.criterion)


class RecordProblem(ValueError):
    """The record cannot be read; the message names the file and the line."""


def parse_value(text: str) -> tuple[float, float, float]:
    """'3' or '3 [2–4]' (decimal comma or dot) as (value, low, high)."""
    match = _VALUE.match(text)
    if match is None:
        raise ValueError(f"expected a value like '3' or '3 [2–4]', got {text!r}")
    value = float(match.group(1).replace(",", "."))
    if match.group(2) is None:
        return value, value, value
    return value, float(match.group(2).replace(",", ".")), float(match.group(3).replace(",", "."))


def read_record(path: Path = RECORD) -> list[Reading]:
    """Every row of the record's table; RecordProblem naming the line of a malformed row."""
    readings = []
    in_table = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if tuple(c.lower() for c in cells) == HEADER:
            in_table = True
            continue
        if not in_table or set("".join(cells)) <= set("-: "):
            continue
        where = f"{path.name}:{number}"
        if len(cells) != len(HEADER):
            raise RecordProblem(f"{where}: expected {len(HEADER)} columns, got {len(cells)}")
        case, option, criterion, ours, theirs, lines, outcome, reason = cells
        if outcome not in OUTCOMES:
            raise RecordProblem(f"{where}: outcome must be one of {OUTCOMES}, got {outcome!r}")
        try:
            readings.append(
                Reading(
                    number, case, option, criterion, parse_value(ours), parse_value(theirs),
                    lines, outcome, reason,
                )
            )  # fmt: skip
        except ValueError as exc:
            raise RecordProblem(f"{where}: {exc}") from None
    return readings


def cells(bundle: Bundle) -> set[tuple[str, str, str]]:
    """Every scored cell of the data: (case, option, leaf criterion) for every set."""
    leaves = {leaf.id for s in bundle.criteria_sets for leaf in s.leaves()}
    return {
        (case.id, option.id, cid)
        for case in bundle.cases
        for option in case.options
        for cid in option.scores
        if cid in leaves
    }


def record_problems(readings: list[Reading], bundle: Bundle, name: str = RECORD.name) -> list[str]:
    """What makes the record incomplete, duplicated, stale or inconsistent (empty when fine)."""
    problems = []
    wanted = cells(bundle)
    counts = Counter(r.cell for r in readings)
    for r in readings:
        where = f"{name}:{r.line}: {'/'.join(r.cell)}"
        if r.cell not in wanted:
            problems.append(f"{where}: no such cell in the data")
            continue
        if counts[r.cell] > 1:
            problems.append(f"{where}: recorded {counts[r.cell]} times")
        score = bundle.case(r.case).option(r.option).scores[r.criterion]
        low, high = score.range or (score.value, score.value)
        if r.ours != (score.value, low, high):
            problems.append(
                f"{where}: records ours as {r.ours}, the data holds {(score.value, low, high)}"
            )
        if r.outcome == "agree" and not low <= r.theirs[0] <= high:
            problems.append(f"{where}: 'agree' but their value {r.theirs[0]:g} is outside ours")
        if r.outcome != "agree" and not r.reason:
            problems.append(f"{where}: '{r.outcome}' needs a reason")
    for cell in sorted(wanted - set(counts)):
        problems.append(f"{name}: {'/'.join(cell)}: missing")
    return problems


def tally(readings: list[Reading]) -> dict[str, int]:
    """How many cells agreed, changed and kept."""
    counts = Counter(r.outcome for r in readings)
    return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}


def by_cell(readings: list[Reading]) -> dict[tuple[str, str, str], Reading]:
    """The readings by (case, option, criterion)."""
    return {r.cell: r for r in readings}


__all__ = [
    "OUTCOMES",
    "RECORD",
    "Reading",
    "RecordProblem",
    "by_cell",
    "cells",
    "parse_value",
    "read_record",
    "record_problems",
    "tally",
]
