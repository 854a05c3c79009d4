"""Downloads for a memo: scores and weights as CSV, the view as YAML, their file names.

Scores and weights come in two CSV files each:

- **for people** (:func:`scores_csv`, :func:`weights_csv`): the file a Dutch Excel
  opens with a double click (:mod:`afweging.spreadsheet`: ``;`` and decimal commas in
  Dutch, ``,`` and dots in English, a UTF-8 byte order mark, every field quoted, no
  cell a formula), with headers in the reader's language and numbers rounded to what
  the dashboard shows: scores and contributions to :data:`SCORE_PLACES` decimals,
  weights as percentages with :data:`PERCENT_PLACES` decimal;
- **for software** (:func:`scores_csv_machine`, :func:`weights_csv_machine`): ``,``,
  decimal dots, full precision, no byte order mark, stable ascii headers.

Every function returns the file's content (bytes for the spreadsheet files, text
otherwise), so the interface only offers it as a download and the tests can read it
back. Nothing here imports streamlit or ``ui/``. The HTML report lives in
:mod:`afweging.report`; it is re-exported here (with its options, keys, colours and
print width), so ``export.html_report`` keeps working for every caller.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
import yaml

from afweging import spreadsheet
from afweging.matrix import Matrix, Ranking
from afweging.model import Lang
from afweging.numbers import significant
from afweging.ranked_view import global_weights, local_from_ranking, what_if_changes
from afweging.report import (
    DIVERGING,
    KEYS,
    PRINT_WIDTH_PX,
    TEMPLATE,
    Changes,
    ReportOptions,
    Translate,
    html_report,
)
from afweging.weights import local_weights as normalised_local_weights

__all__ = [
    "DIVERGING",
    "KEYS",
    "PERCENT_PLACES",
    "PRINT_WIDTH_PX",
    "SCORE_PLACES",
    "TEMPLATE",
    "YAML_DIGITS",
    "Changes",
    "MemoLike",
    "ReportOptions",
    "Translate",
    "csv_safe",
    "current_view",
    "download_name",
    "global_weights",
    "html_report",
    "local_from_ranking",
    "report_filename",
    "scores_csv",
    "scores_csv_machine",
    "view_yaml",
    "weights_csv",
    "weights_csv_machine",
    "what_if_changes",
]

#: Decimals of scores, values and contributions in the CSV for people.
SCORE_PLACES: Final = 4
#: Decimals of weights (as percentages) in the CSV for people: 33.3.
PERCENT_PLACES: Final = 1
#: Significant digits of the floats in the view's YAML (see :func:`view_yaml`).
YAML_DIGITS: Final = 12


class MemoLike(Protocol):
    """What download names need from ``afweging_ui.style.MemoContext`` (frozen: read only)."""

    @property
    def lang(self) -> Lang: ...

    def file_stem(self, what: str) -> str: ...


# --- CSV ---------------------------------------------------------------------------------


def csv_safe(cell: object) -> object:
    """A text cell no spreadsheet runs as a formula (:func:`afweging.spreadsheet.defuse`,
    the one defuser); numbers pass unchanged, at full precision."""
    return spreadsheet.defuse(cell) if isinstance(cell, str) else cell


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_safe(c) for c in row] for row in rows)
    return out.getvalue()


def _score_rows(matrix: Matrix, ranking: Ranking, lang: Lang) -> list[list[Any]]:
    """Options best first: rank, id, label, score, then per leaf value, low, high, basis,
    weight and contribution, at full precision."""
    ids = list(ranking.criterion_ids)
    rows: list[list[Any]] = []
    for r in ranking.best_first():
        option_id = ranking.option_ids[r]
        i = matrix.option_ids.index(option_id)
        option = matrix.options[i]
        row: list[Any] = [
            int(ranking.ranks[r]),
            option_id,
            option.label.get(lang),
            float(ranking.scores[r]),
        ]
        for k, cid in enumerate(ids):
            j = matrix.criterion_ids.index(cid)
            row += [
                float(matrix.raw[i, j]),
                float(matrix.raw_lo[i, j]),
                float(matrix.raw_hi[i, j]),
                option.scores[cid].basis,
                float(ranking.weights[k]),
                float(ranking.contributions[r, k]),
            ]
        rows.append(row)
    return rows


_SCORE_PARTS = ("value", "low", "high", "basis", "weight", "contribution")


def scores_csv_machine(matrix: Matrix, ranking: Ranking, lang: Lang) -> str:
    """For software: options best first, every raw score, range, basis, weight and
    contribution at full precision (``,``, decimal dots, no byte order mark).

    Headers are stable ascii ids (``legitimiteit_value``) so scripts can rely on them;
    only the option labels follow the language.
    """
    header = ["rank", "id", "label", "score"]
    for cid in ranking.criterion_ids:
        header += [f"{cid}_{k}" for k in _SCORE_PARTS]
    return _csv(header, _score_rows(matrix, ranking, lang))


def _round(x: float, places: int) -> float:
    """``x`` to ``places`` decimals, as a float without a minus sign on zero."""
    return round(x, places) + 0.0


def scores_csv(matrix: Matrix, ranking: Ranking, lang: Lang, t: Translate) -> bytes:
    """For people: the same table as a spreadsheet file a Dutch Excel opens as it is.

    Headers and the basis are in ``lang`` (``t`` translates the interface's keys);
    scores, values and contributions are rounded to :data:`SCORE_PLACES` decimals and
    weights written as percentages with :data:`PERCENT_PLACES` decimal, as the dashboard
    shows them. The option ids are left out (the file for software has them).
    """
    names = {c.id: c.label.get(lang) for c in matrix.leaves}
    header = [t("rank"), t("option"), t("score")]
    for cid in ranking.criterion_ids:
        header += [f"{names[cid]} – {t(f'csv_{k}')}" for k in _SCORE_PARTS]
    rows = []
    n = len(_SCORE_PARTS)
    for rank, _, label, score, *cells in _score_rows(matrix, ranking, lang):
        row: list[object] = [rank, label, _round(score, SCORE_PLACES)]
        for k in range(0, len(cells), n):
            value, low, high, basis, weight, contribution = cells[k : k + n]
            row += [
                _round(value, SCORE_PLACES),
                _round(low, SCORE_PLACES),
                _round(high, SCORE_PLACES),
                t(f"csv_basis_{basis}"),
                _round(100 * weight, PERCENT_PLACES),
                _round(contribution, SCORE_PLACES),
            ]
        rows.append(row)
    return spreadsheet.write(header, rows, lang)


def _parents(matrix: Matrix) -> dict[str, str]:
    return {k.id: c.id for c in matrix.criteria_set.walk() for k in c.criteria or []}


def _weight_rows(
    matrix: Matrix, ranking: Ranking, local_weights: Mapping[str, float]
) -> list[tuple[str, str, bool, float, float]]:
    """(id, parent id, leaf, local weight, global weight) of every criterion, tree order."""
    local = normalised_local_weights(matrix.criteria_set, local_weights)
    glob = global_weights(matrix, ranking)
    parents = _parents(matrix)
    return [
        (c.id, parents.get(c.id, ""), c.is_leaf, local[c.id], glob[c.id])
        for c in matrix.criteria_set.walk()
    ]


def weights_csv_machine(
    matrix: Matrix, ranking: Ranking, local_weights: Mapping[str, float], lang: Lang
) -> str:
    """For software: every criterion with its parent, local weight (within its group) and
    global weight, as fractions at full precision (``,``, decimal dots, no byte order mark).

    ``local_weights`` may be partial or unnormalised (as typed): it is normalised per
    sibling group as the ranking did. The global weights are the ones ranked with.
    """
    labels = {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    rows = [
        [cid, labels[cid], parent, leaf, local, glob]
        for cid, parent, leaf, local, glob in _weight_rows(matrix, ranking, local_weights)
    ]
    return _csv(["id", "label", "parent", "leaf", "local_weight", "global_weight"], rows)


def weights_csv(
    matrix: Matrix,
    ranking: Ranking,
    local_weights: Mapping[str, float],
    lang: Lang,
    t: Translate,
) -> bytes:
    """For people: every criterion, the criterion it is part of, and its weight within its
    group and in the whole, as percentages with :data:`PERCENT_PLACES` decimal, in a file
    a Dutch Excel opens as it is. Headers in ``lang``; normalised as
    :func:`weights_csv_machine`.
    """
    labels = {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    header = [t("criterion"), t("csv_parent"), t("csv_local_weight"), t("csv_global_weight")]
    rows = [
        [
            labels[cid],
            labels.get(parent, ""),
            _round(100 * local, PERCENT_PLACES),
            _round(100 * glob, PERCENT_PLACES),
        ]
        for cid, parent, _, local, glob in _weight_rows(matrix, ranking, local_weights)
    ]
    return spreadsheet.write(header, rows, lang)


# --- YAML --------------------------------------------------------------------------------


def current_view(
    matrix: Matrix,
    ranking: Ranking,
    *,
    lang: Lang,
    version: str,
    day: date,
    method: str = "",
    local: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The settings that reproduce this view, for :func:`view_yaml`.

    What-if changes are read off the matrix (scores that differ from the sources).
    """
    sourced = {(o.id, c): s.value for o in matrix.options for c, s in o.scores.items()}
    weights = (
        normalised_local_weights(matrix.criteria_set, local)
        if local is not None
        else local_from_ranking(matrix, ranking)
    )
    return {
        "case": matrix.case.id,
        "criteria_set": matrix.criteria_set.id,
        "options": matrix.option_ids,
        "method": method,
        "local_weights": weights,
        "language": lang,
        "data_version": version,
        "date": day,
        "what_if": [
            {"option": o, "criterion": c, "value": v, "sourced_value": sourced[o, c]}
            for (o, c), v in what_if_changes(matrix).items()
        ],
        "ranking": [
            {
                "rank": int(ranking.ranks[r]),
                "option": ranking.option_ids[r],
                "score": float(ranking.scores[r]),
            }
            for r in ranking.best_first()
        ],
    }


def _plain(value: Any) -> Any:
    """Only what yaml.safe_dump writes and every reader reads back the same; floats at
    :data:`YAML_DIGITS` significant digits (no float dust)."""
    if isinstance(value, Mapping):
        return {
            "/".join(map(str, k)) if isinstance(k, tuple) else str(k): _plain(v)
            for k, v in value.items()
        }
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float):
        return significant(value, YAML_DIGITS)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def view_yaml(view: Mapping[str, Any]) -> str:
    """The view as YAML, so someone can reproduce it; dates become ISO strings.

    Every float (weights, scores, what-if values) is rounded to :data:`YAML_DIGITS` (12)
    significant digits before it is written: arithmetic leaves dust on short decimals
    (a weight of 0.7 comes out of normalising as ``0.7000000000000001``), and 12 digits
    remove it while keeping far more precision than reproducing the ranking needs.
    """
    return yaml.safe_dump(_plain(view), sort_keys=False, allow_unicode=True)


# --- file names --------------------------------------------------------------------------


def download_name(memo: MemoLike, what: str, ext: str, matrix: Matrix | None = None) -> str:
    """A meaningful file name such as ``afweging-demo-flat-scores-2026-11-26.csv``."""
    if matrix is not None:
        what = f"{matrix.case.id}-{matrix.criteria_set.id}-{what}"
    return f"{memo.file_stem(what)}.{ext}"


def report_filename(memo: MemoLike, matrix: Matrix | None = None) -> str:
    """The report's file name, with 'rapport' or 'report' as the memo's language has it."""
    return download_name(memo, "rapport" if memo.lang == "nl" else "report", "html", matrix)
