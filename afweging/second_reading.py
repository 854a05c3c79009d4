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
from typing import Any

import yaml

from afweging.content import CHECKOUT
from afweging.loading import Bundle

RECORD = CHECKOUT / "docs" / "second-reading.md"
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


# --- building the record from the readers' files -------------------------------------------

RAW = CHECKOUT / "docs" / "second-reading-raw"


@dataclass(frozen=True)
class RawReading:
    """What a second reader wrote for one cell (``docs/second-reading-raw/<case>-*.yaml``)."""

    value: float
    low: float
    high: float
    lines: str
    note: str


def _raw_file(path: Path) -> list[dict[str, Any]]:
    """The entries of one reader's file as YAML gives them: each one is checked by
    :func:`load_raw` (a missing key or a value that is no number is a RecordProblem)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise RecordProblem(f"{path.name}: expected a list of readings")
    return data


def load_raw(folder: Path = RAW) -> dict[tuple[str, str, str], RawReading]:
    """Every reader's cells, by (case, option, criterion); the case is the file name's prefix."""
    out: dict[tuple[str, str, str], RawReading] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.stem.endswith("-decisions"):
            continue
        case = path.stem.split("-")[0]
        for i, item in enumerate(_raw_file(path)):
            try:
                value = float(item["value"])
                low, high = item.get("range") or (value, value)
                cell = (case, str(item["option"]), str(item["criterion"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise RecordProblem(f"{path.name}: entry {i}: {exc}") from None
            if cell in out:
                raise RecordProblem(f"{path.name}: entry {i}: {'/'.join(cell)} read twice")
            out[cell] = RawReading(
                value,
                float(low),
                float(high),
                str(item.get("lines", "")),
                str(item.get("note", "")),
            )
    return out


def load_decisions(folder: Path = RAW) -> dict[tuple[str, str, str], tuple[str, str]]:
    """What we did where a reader differed: (outcome, reason) by cell, from ``*-decisions.yaml``."""
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    for path in sorted(folder.glob("*-decisions.yaml")):
        case = path.stem.split("-")[0]
        for i, item in enumerate(_raw_file(path)):
            outcome = str(item.get("outcome", ""))
            if outcome not in ("changed", "kept"):
                raise RecordProblem(f"{path.name}: entry {i}: outcome must be changed or kept")
            cell = (case, str(item.get("option")), str(item.get("criterion")))
            out[cell] = (outcome, " ".join(str(item.get("reason", "")).split()))
    return out


def _shown(value: float, low: float, high: float) -> str:
    text = f"{value:g}"
    return text + (f" [{low:g}–{high:g}]" if (low, high) != (value, value) else "")


def render_record(
    bundle: Bundle,
    raw: dict[tuple[str, str, str], RawReading],
    decisions: dict[tuple[str, str, str], tuple[str, str]],
) -> str:
    """The Markdown record: every cell with ours, theirs and the outcome (ValueError when a
    cell was not read, or differs without a decision)."""
    rows, missing, undecided = [], [], []
    gaps: Counter[str] = Counter()
    for cell in sorted(cells(bundle)):
        reading = raw.get(cell)
        if reading is None:
            missing.append("/".join(cell))
            continue
        score = bundle.case(cell[0]).option(cell[1]).scores[cell[2]]
        low, high = score.range or (score.value, score.value)
        gap = abs(score.value - reading.value)
        gaps["0" if gap == 0 else "0.5" if gap <= 0.5 else "1" if gap <= 1 else "more"] += 1
        if cell in decisions:
            outcome, reason = decisions[cell]
        elif low <= reading.value <= high:
            outcome, reason = "agree", ""
        else:
            undecided.append("/".join(cell))
            continue
        reason = reason.replace("|", "/")
        theirs = _shown(reading.value, reading.low, reading.high)
        rows.append(
            f"| {cell[0]} | {cell[1]} | {cell[2]} | {_shown(score.value, low, high)} | "
            f"{theirs} | {reading.lines.replace('|', '/')} | {outcome} | {reason} |"
        )
    if missing or undecided:
        raise ValueError(
            f"not read: {', '.join(missing) or 'none'}; differing without a decision: "
            f"{', '.join(undecided) or 'none'}"
        )
    outcomes = Counter(row.split(" | ")[6] for row in rows)
    head = "| " + " | ".join(HEADER) + " |\n|" + "---|" * len(HEADER)
    return "\n".join(
        [
            "# Second reading",
            "",
            "Every score was read again by a reader who did not write it and did not see it: with",
            "only the two source documents, the criterion with its level descriptors and the",
            "option's summary, they gave a value, a range and the lines it rests on",
            "(`docs/second-reading-raw/`). Where their value lies within ours (value or range) the",
            "outcome is **agree**; otherwise we either **changed** our cell or **kept** it, with",
            "the reason. *Ours* is the cell as it stands now. The tests hold this record",
            "complete and current (`afweging/second_reading.py`).",
            "",
            f"Tally: {len(rows)} cells; {outcomes['agree']} agree, {outcomes['changed']} changed, "
            f"{outcomes['kept']} kept. Their value equals ours in {gaps['0']} cells, differs by "
            f"half a point in {gaps['0.5']}, by one point in {gaps['1']} and by more in "
            f"{gaps['more']} (our values as they stand now).",
            "",
            head,
            *rows,
            "",
        ]
    )


__all__ = [
    "OUTCOMES",
    "RAW",
    "RECORD",
    "RawReading",
    "Reading",
    "RecordProblem",
    "by_cell",
    "cells",
    "load_decisions",
    "load_raw",
    "parse_value",
    "read_record",
    "record_problems",
    "render_record",
    "tally",
]
