"""What a ranking implies beyond its scores, for the downloads and the report.

The options best first, each criterion's share of the overall score (global weight)
and its weight within its group (local weight), and the scores a what-if changed
from their sourced values. Shared by :mod:`afweging.export` (CSV, YAML) and
:mod:`afweging.report` (HTML), so neither has to import the other's internals.
"""

from __future__ import annotations

from collections.abc import Sequence

from afweging.matrix import Matrix, Ranking
from afweging.model import Criterion
from afweging.weights import local_weights as normalised_local_weights


def global_weights(matrix: Matrix, ranking: Ranking) -> dict[str, float]:
    """Each criterion's share of the overall score: a leaf's weight, a parent's sum of leaves."""
    leaf = dict(zip(ranking.criterion_ids, map(float, ranking.weights), strict=True))

    def total(c: Criterion) -> float:
        return leaf.get(c.id, 0.0) if c.is_leaf else sum(total(k) for k in c.criteria or [])

    return {c.id: total(c) for c in matrix.criteria_set.walk()}


def local_from_ranking(matrix: Matrix, ranking: Ranking) -> dict[str, float]:
    """The local weights implied by a ranking's leaf weights (a weight over its parent's).

    Under a parent with no weight at all the split is undetermined; the defaults show.
    """
    glob = global_weights(matrix, ranking)
    defaults = normalised_local_weights(matrix.criteria_set)
    out: dict[str, float] = {}

    def walk(criteria: Sequence[Criterion], above: float) -> None:
        for c in criteria:
            out[c.id] = glob[c.id] / above if above > 0 else defaults[c.id]
            walk(c.criteria or [], glob[c.id])

    walk(matrix.criteria_set.criteria, sum(glob[c.id] for c in matrix.criteria_set.criteria))
    return out


def what_if_changes(matrix: Matrix) -> dict[tuple[str, str], float]:
    """The scores in ``matrix`` that differ from their sourced values, by (option, criterion)."""
    return {
        (o.id, c.id): float(matrix.raw[i, j])
        for i, o in enumerate(matrix.options)
        for j, c in enumerate(matrix.leaves)
        if float(matrix.raw[i, j]) != o.scores[c.id].value
    }
