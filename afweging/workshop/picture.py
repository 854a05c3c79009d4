"""The workshop's group picture, computed from stored weights with the core.

Participants weigh the *top-level* criteria of the session's criteria set: for a
flat set these are all criteria, for a value tree its main branches, with the
weights inside each branch kept at the set's defaults. Twelve sliders on a phone
in a busy room are too many, and the projector's pictures (the weight triangle,
the box plots) read best over a handful of main criteria. Each top-level
criterion's value is then the default-weighted sum of its leaves
(:func:`afweging.matrix.top_level_values`), so ranking on those values with
the top-level weights gives exactly the core's ranking with
:func:`afweging.weights.leaf_weights`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from afweging.matrix import Matrix, Ranking, rank, top_level_values
from afweging.model import CriteriaSet, Criterion
from afweging.scoring import FloatArray, IntArray, competition_ranks
from afweging.smaa import WeightSet, smaa
from afweging.weights import leaf_weights, rank_order_centroid
from afweging.workshop.group import GroupSummary, RoundComparison, compare_rounds, summarise
from afweging.workshop.opinion_groups import (
    Bridge,
    OpinionGroups,
    bridging_option,
    find_groups,
    group_rankings,
)

#: Slider range on the phone: whole steps from 0 (does not count) to 10.
SLIDER_MAX = 10
SLIDER_DEFAULT = 5


def weighable_criteria(cset: CriteriaSet) -> list[Criterion]:
    """The criteria participants weigh: the top level of the set (all of a flat set)."""
    return list(cset.criteria)


def leaf_weights_for(cset: CriteriaSet, top: Mapping[str, float]) -> FloatArray:
    """Global leaf weights from top-level weights, the weights below kept at their defaults."""
    return leaf_weights(cset, dict(top))


def weighable_values(matrix: Matrix) -> FloatArray:
    """``(options, top-level criteria)`` values: each branch's default-weighted leaf values."""
    return top_level_values(matrix)


def rank_weights(ranks: Mapping[str, int]) -> dict[str, float]:
    """Rank-order-centroid weights (1 = most important; ties share) by criterion id."""
    ids = list(ranks)
    return dict(zip(ids, map(float, rank_order_centroid([ranks[i] for i in ids])), strict=True))


def ranks_from_weights(weights: Mapping[str, float]) -> dict[str, int]:
    """Back from stored weights to the ranks that gave them (a phone that reloads)."""
    ids = list(weights)
    ranks = competition_ranks(np.array([weights[i] for i in ids], dtype=float))
    return {i: int(r) for i, r in zip(ids, ranks, strict=True)}


@dataclass(frozen=True, eq=False)
class GroupPicture:
    """Everything the projector shows for one round of submitted weights."""

    matrix: Matrix
    criteria: tuple[str, ...]  # the weighable (top-level) criterion ids
    values: FloatArray  # (options, criteria) on the weighable criteria
    summary: GroupSummary
    mean_ranking: Ranking
    median_ranking: Ranking | None  # None when every median weight is 0
    acceptability: FloatArray  # (options, ranks): share of participants per rank
    groups: OpinionGroups  # the room's opinion groups (one group when it agrees)
    group_scores: FloatArray  # (groups, options) under each group's mean weights
    group_ranks: IntArray  # (groups, options), 1 = best
    bridge: Bridge  # the option whose worst rank over the groups is best

    @property
    def n(self) -> int:
        """How many submissions the picture rests on."""
        return self.summary.n_participants

    def mean_top(self) -> dict[str, float]:
        """The mean weights by weighable criterion id."""
        return dict(zip(self.criteria, map(float, self.summary.mean_weights), strict=True))

    def group_of(self, index: int) -> int:
        """The opinion group of the submission at ``index`` (in the order given)."""
        return int(self.groups.labels[index])


def group_picture(matrix: Matrix, weights: Sequence[Mapping[str, float]]) -> GroupPicture:
    """The group picture of one round; ``weights`` are the stored dicts (at least one)."""
    cset = matrix.criteria_set
    ids = tuple(c.id for c in weighable_criteria(cset))
    values = weighable_values(matrix)
    summary = summarise(weights, values, ids, matrix.option_ids)
    mean_ranking = rank(
        matrix, leaf_weights_for(cset, dict(zip(ids, summary.mean_weights, strict=True)))
    )
    median = summary.median_weights
    median_ranking = (
        None
        if not np.all(np.isfinite(median))
        else rank(matrix, leaf_weights_for(cset, dict(zip(ids, median, strict=True))))
    )
    # Every participant's vector exactly once, fixed scores: the share of the room
    # that puts each option at each rank (ties split fractionally).
    result = smaa(values, WeightSet(summary.weights), n_samples=summary.n_participants, seed=0)
    groups = find_groups(summary.weights)
    group_scores, group_ranks = group_rankings(values, groups)
    return GroupPicture(
        matrix=matrix,
        criteria=ids,
        values=values,
        summary=summary,
        mean_ranking=mean_ranking,
        median_ranking=median_ranking,
        acceptability=result.acceptability,
        groups=groups,
        group_scores=group_scores,
        group_ranks=group_ranks,
        bridge=bridging_option(values, groups),
    )


def comparison(before: GroupPicture, after: GroupPicture) -> RoundComparison:
    """How the room moved between two rounds."""
    return compare_rounds(before.summary, after.summary)


@dataclass(frozen=True)
class BreakdownRow:
    """One municipality's (or role's) share of the room."""

    group: str | None  # None: not given
    n: int
    mean_weights: dict[str, float]
    first: tuple[str, ...]  # option ids first under this group's mean weights


def breakdown(picture: GroupPicture, groups: Sequence[str | None]) -> list[BreakdownRow]:
    """Mean weights and the winning option per group; ``groups`` runs along the submissions."""
    if len(groups) != picture.n:
        raise ValueError(f"groups: expected one per submission ({picture.n}), got {len(groups)}")
    given = sorted({g for g in groups if g is not None}, key=str.casefold)
    names: list[str | None] = [*given]
    if any(g is None for g in groups):
        names.append(None)
    out = []
    for name in names:
        rows = [i for i, g in enumerate(groups) if g == name]
        mean = picture.summary.weights[rows].mean(axis=0)
        mean = mean / mean.sum()
        ranks = competition_ranks(picture.values @ mean)
        first = tuple(o for o, r in zip(picture.matrix.option_ids, ranks, strict=True) if r == 1)
        out.append(
            BreakdownRow(
                group=name,
                n=len(rows),
                mean_weights=dict(zip(picture.criteria, map(float, mean), strict=True)),
                first=first,
            )
        )
    return out


def participant_points(
    picture: GroupPicture, axes: Sequence[int]
) -> list[tuple[float, float, float]]:
    """Each participant as a point on the weight triangle over ``axes`` (skipped if all 0)."""
    return [point for point, _ in participant_points_by_group(picture, axes)]


def participant_points_by_group(
    picture: GroupPicture, axes: Sequence[int]
) -> list[tuple[tuple[float, float, float], int]]:
    """Each participant's point on the triangle with their opinion group (skipped if all 0)."""
    out = []
    for row, group in zip(picture.summary.weights, picture.groups.labels, strict=True):
        part = row[list(axes)]
        total = float(part.sum())
        if total > 0:
            a, b, c = (float(x) / total for x in part)
            out.append(((a, b, c), int(group)))
    return out


__all__ = [
    "SLIDER_DEFAULT",
    "SLIDER_MAX",
    "BreakdownRow",
    "GroupPicture",
    "breakdown",
    "comparison",
    "group_picture",
    "leaf_weights_for",
    "participant_points",
    "participant_points_by_group",
    "rank_weights",
    "ranks_from_weights",
    "weighable_criteria",
    "weighable_values",
]
