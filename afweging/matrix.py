"""A case scored on a criteria set, as arrays, and its ranking for given weights.

This is the bridge between the model (YAML-shaped objects) and the pure array
functions in :mod:`afweging.scoring`, :mod:`afweging.sensitivity` and
:mod:`afweging.smaa`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np

from afweging import scoring
from afweging.model import Case, CriteriaSet, Criterion, Lang, Option
from afweging.regions import aggregate_groups
from afweging.scoring import FloatArray, IntArray
from afweging.weights import leaf_weights, local_weights


@dataclass(frozen=True, eq=False)
class Matrix:
    """Options by leaf criteria: raw scores, their ranges, and values in [0, 1]."""

    case: Case
    criteria_set: CriteriaSet
    options: tuple[Option, ...]
    leaves: tuple[Criterion, ...]
    raw: FloatArray
    raw_lo: FloatArray
    raw_hi: FloatArray
    scale_min: FloatArray
    scale_max: FloatArray
    higher_is_better: np.ndarray

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.leaves]

    @property
    def directions(self) -> FloatArray:
        """+1 for a benefit criterion, -1 for a cost criterion (TOPSIS, PROMETHEE)."""
        return np.where(self.higher_is_better, 1.0, -1.0)

    def _norm(self, raw: FloatArray) -> FloatArray:
        return scoring.normalise(raw, self.scale_min, self.scale_max, self.higher_is_better)

    @property
    def values(self) -> FloatArray:
        """Scores mapped to [0, 1] over each declared scale, 1 best."""
        return self._norm(self.raw)

    @property
    def value_bounds(self) -> tuple[FloatArray, FloatArray]:
        """The uncertainty ranges in value space, low and high (direction taken into account)."""
        a, b = self._norm(self.raw_lo), self._norm(self.raw_hi)
        return np.minimum(a, b), np.maximum(a, b)

    def with_scores(self, changes: Mapping[tuple[str, str], float]) -> Matrix:
        """A copy with some raw scores replaced (what-if), ranges widened to hold them."""
        raw, lo, hi = self.raw.copy(), self.raw_lo.copy(), self.raw_hi.copy()
        for (option_id, criterion_id), value in changes.items():
            i, j = self.option_ids.index(option_id), self.criterion_ids.index(criterion_id)
            raw[i, j] = value
            lo[i, j], hi[i, j] = min(lo[i, j], value), max(hi[i, j], value)
        return Matrix(
            self.case, self.criteria_set, self.options, self.leaves, raw, lo, hi,
            self.scale_min, self.scale_max, self.higher_is_better,
        )  # fmt: skip


def scored_sets(case: Case, sets: Sequence[CriteriaSet]) -> list[CriteriaSet]:
    """The criteria sets on whose every leaf every option of the case is scored."""
    return [
        s for s in sets if all(leaf.id in o.scores for o in case.options for leaf in s.leaves())
    ]


def build_matrix(
    case: Case, criteria_set: CriteriaSet, option_ids: Sequence[str] | None = None
) -> Matrix:
    """Arrange a validated case on a criteria set's leaves, optionally a subset of options."""
    options = tuple(case.options if option_ids is None else [case.option(i) for i in option_ids])
    leaves = tuple(criteria_set.leaves())
    raw = np.array([[o.scores[c.id].value for c in leaves] for o in options], dtype=float)

    def bound(side: int) -> FloatArray:
        return np.array(
            [
                [s.range[side] if (s := o.scores[c.id]).range else s.value for c in leaves]
                for o in options
            ],
            dtype=float,
        ).reshape(raw.shape)

    scales = [c.scale for c in leaves]
    return Matrix(
        case=case,
        criteria_set=criteria_set,
        options=options,
        leaves=leaves,
        raw=raw.reshape(len(options), len(leaves)),
        raw_lo=bound(0),
        raw_hi=bound(1),
        scale_min=np.array([s.min for s in scales if s], dtype=float),
        scale_max=np.array([s.max for s in scales if s], dtype=float),
        higher_is_better=np.array([c.higher_is_better for c in leaves], dtype=bool),
    )


class RankingRow(TypedDict):
    """One option's line of a ranking: a plain dict, so it goes to JSON and CSV as it is."""

    id: str
    label: str
    score: float
    rank: int
    #: Each leaf criterion's share of the score, by criterion id.
    contributions: dict[str, float]


@dataclass(frozen=True, eq=False)
class Ranking:
    """The result for one weight vector: best first."""

    option_ids: tuple[str, ...]
    scores: FloatArray
    ranks: IntArray
    contributions: FloatArray
    weights: FloatArray
    criterion_ids: tuple[str, ...]

    def best_first(self, labels: Sequence[str] | None = None) -> list[int]:
        """Option indices, best first; options that share a rank in the order of their labels
        (or ids), so the order of equals never hangs on float dust or the weight method."""
        keys = list(labels) if labels is not None else list(self.option_ids)
        return sorted(
            range(len(self.scores)), key=lambda i: (int(self.ranks[i]), keys[i].casefold())
        )

    def rows(self, matrix: Matrix, lang: Lang = "nl") -> list[RankingRow]:
        """One row per option, best first (equals by label), for tables, JSON and CSV."""
        labels = {o.id: o.label.get(lang) for o in matrix.options}
        order = self.best_first([labels[o] for o in self.option_ids])
        return [
            {
                "id": self.option_ids[i],
                "label": labels[self.option_ids[i]],
                "score": float(self.scores[i]),
                "rank": int(self.ranks[i]),
                "contributions": dict(
                    zip(self.criterion_ids, map(float, self.contributions[i]), strict=True)
                ),
            }
            for i in order
        ]


def rank(matrix: Matrix, weights: FloatArray) -> Ranking:
    """Score and rank the options for one normalised leaf-weight vector."""
    values = matrix.values
    scores = scoring.overall_scores(values, weights)
    return Ranking(
        option_ids=tuple(matrix.option_ids),
        scores=scores,
        ranks=scoring.competition_ranks(scores),
        contributions=scoring.contributions(values, weights),
        weights=np.asarray(weights, dtype=float),
        criterion_ids=tuple(matrix.criterion_ids),
    )


def rank_with(matrix: Matrix, given: Mapping[str, float] | None = None) -> Ranking:
    """Rank with local weights by criterion id (defaults for the rest)."""
    return rank(matrix, leaf_weights(matrix.criteria_set, given))


def top_level_values(matrix: Matrix, local: Mapping[str, float] | None = None) -> FloatArray:
    """``(options, top-level criteria)``: each main criterion's value, from its leaves.

    A branch's value is the weighted sum of its leaves' values with the local weights
    inside the branch (the set's defaults, or ``local``), so ranking on these values
    with the top-level weights gives exactly the ranking on the leaves. Pictures over
    a handful of main criteria (the weight triangle, the workshop) stay exact. A flat
    set returns its values unchanged.
    """
    cset = matrix.criteria_set
    tops = cset.criteria
    if all(c.is_leaf for c in tops):
        return matrix.values
    weights = local_weights(cset, local)
    within: dict[str, tuple[float, int]] = {}

    def walk(node: Criterion, above: float, group: int) -> None:
        if node.is_leaf:
            within[node.id] = (above, group)
            return
        for child in node.criteria or []:
            walk(child, above * weights[child.id], group)

    for group, top in enumerate(tops):
        walk(top, 1.0, group)
    order = [c.id for c in matrix.leaves]
    return aggregate_groups(
        matrix.values, [within[i][0] for i in order], [within[i][1] for i in order]
    )
