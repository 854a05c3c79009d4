"""Downloads for a memo: scores and weights as CSV, the view as YAML, their file names.

Every function returns text, so the interface only offers it as a download and the
tests can read it back. Nothing here imports streamlit or ``ui/``. The HTML report
lives in :mod:`afweging.report`; it is re-exported here (with its keys, colours and
print width), so ``export.html_report`` keeps working for every caller.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

from afweging.analysis import Matrix, Ranking
from afweging.model import Lang
from afweging.ranked_view import best_first, global_weights, local_from_ranking, what_if_changes
from afweging.report import (
    CSS,
    DIVERGING,
    KEYS,
    PRINT_WIDTH_PX,
    TEMPLATE,
    Changes,
    Translate,
    html_report,
)
from afweging.weights import local_weights as normalised_local_weights

__all__ = [
    "CSS",
    "DIVERGING",
    "KEYS",
    "PRINT_WIDTH_PX",
    "TEMPLATE",
    "Changes",
    "MemoLike",
    "Translate",
    "csv_safe",
    "current_view",
    "download_name",
    "global_weights",
    "html_report",
    "local_from_ranking",
    "report_filename",
    "scores_csv",
    "view_yaml",
    "weights_csv",
    "what_if_changes",
]

# Cells a spreadsheet would run as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class MemoLike(Protocol):
    """What download names need from ``ui.style.MemoContext``."""

    lang: Lang

    def file_stem(self, what: str) -> str: ...


# --- CSV ---------------------------------------------------------------------------------


def csv_safe(cell: object) -> object:
    """A text cell that cannot start a spreadsheet formula; numbers pass unchanged."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_safe(c) for c in row] for row in rows)
    return out.getvalue()


def scores_csv(matrix: Matrix, ranking: Ranking, lang: Lang) -> str:
    """Options best first, with every raw score, range, basis, weight and contribution.

    Headers are stable ascii ids (``legitimiteit_value``) so scripts can rely on them;
    only the option labels follow the language.
    """
    ids = list(ranking.criterion_ids)
    header = ["rank", "id", "label", "score"]
    for cid in ids:
        header += [
            f"{cid}_{k}" for k in ("value", "low", "high", "basis", "weight", "contribution")
        ]
    rows: list[list[object]] = []
    for r in best_first(ranking):
        option_id = ranking.option_ids[r]
        i = matrix.option_ids.index(option_id)
        option = matrix.options[i]
        row: list[object] = [
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
    return _csv(header, rows)


def _parents(matrix: Matrix) -> dict[str, str]:
    return {k.id: c.id for c in matrix.criteria_set.walk() for k in c.criteria or []}


def weights_csv(
    matrix: Matrix, ranking: Ranking, local_weights: Mapping[str, float], lang: Lang
) -> str:
    """Every criterion with its parent, local weight (within its group) and global weight.

    ``local_weights`` may be partial or unnormalised (as typed): it is normalised per
    sibling group as the ranking did. The global weights are the ones ranked with.
    """
    local = normalised_local_weights(matrix.criteria_set, local_weights)
    glob = global_weights(matrix, ranking)
    parents = _parents(matrix)
    rows = [
        [c.id, c.label.get(lang), parents.get(c.id, ""), c.is_leaf, local[c.id], glob[c.id]]
        for c in matrix.criteria_set.walk()
    ]
    return _csv(["id", "label", "parent", "leaf", "local_weight", "global_weight"], rows)


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
            for r in best_first(ranking)
        ],
    }


def _plain(value: Any) -> Any:
    """Only what yaml.safe_dump writes and every reader reads back the same."""
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
        return value.item()
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def view_yaml(view: Mapping[str, Any]) -> str:
    """The view as YAML, so someone can reproduce it; dates become ISO strings."""
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
