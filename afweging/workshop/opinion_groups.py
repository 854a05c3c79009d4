"""Opinion groups in the room: who weighs the criteria alike, and which option bridges them.

After the reveal the projector can show that the room is not one crowd but, say, two
camps, each with its own weights and ranking, and which option every camp can live
with. Splitting a room that is really one crowd would invent a conflict, so the rule
is deliberately strict and stated here so anyone can check it:

1. Each participant's weights are normalised to sum to 1.
2. The vectors are clustered hierarchically with Ward linkage on Euclidean distance
   (``scipy.cluster.hierarchy.linkage(w, method="ward")``), and the tree is cut into
   ``k`` clusters for each ``k`` from 2 to ``max_groups`` (``fcluster``, ``maxclust``).
3. A cut is *admissible* only if it gives exactly ``k`` clusters, every cluster has at
   least ``max(2, ceil(0.05 m))`` of the ``m`` participants (one person is not a
   group), and every two clusters' mean weights differ by at least ``min_difference``
   (default 0.10, ten percentage points) on some criterion (a difference nobody would
   notice is not a difference of opinion).
4. Among admissible cuts the one with the highest mean silhouette wins; on a tie the
   one with fewer groups.
5. The room is split only if that silhouette is at least ``min_silhouette`` (default
   0.55). Kaufman and Rousseeuw read a silhouette above 0.5 as "a reasonable structure
   has been found" (L. Kaufman and P. J. Rousseeuw (1990), *Finding Groups in Data: An
   Introduction to Cluster Analysis*, Wiley); the small margin above it is measured:
   at 0.5, 9 of 300 rooms of 100 people with uniformly random weights over three
   criteria were split, at 0.55 none were, while 100 of 100 rooms of two noisy camps
   (60 and 40 people, Dirichlet with concentration 20) were still found. Otherwise,
   with fewer than 4 participants, or when all vectors are identical, everyone is one
   group.

Groups are numbered by size, largest first, ties by the lowest participant index, so
the result does not depend on the order in which scipy numbers its clusters. This
module returns data only; the sentences for people live in the UI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.cluster.hierarchy import fcluster, linkage

from afweging.scoring import (
    TIE_DECIMALS,
    FloatArray,
    IntArray,
    competition_ranks,
    normalise_weights,
    overall_scores,
)

#: Below this many participants the room is never split.
MIN_PARTICIPANTS = 4
#: A group needs at least this share of the room (and never fewer than 2 people).
MIN_GROUP_SHARE = 0.05


def silhouette(points: ArrayLike, labels: ArrayLike) -> float:
    """Mean silhouette coefficient (Euclidean), defined as ``sklearn.metrics.silhouette_score``.

    For each point ``a`` is its mean distance to the rest of its own cluster and ``b``
    its mean distance to the nearest other cluster; its silhouette is
    ``(b - a) / max(a, b)``, and 0 in a cluster of one (or when ``a = b = 0``).
    Reimplemented so the core needs no scikit-learn.
    """
    x = np.asarray(points, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"points: expected a 2-d array (samples, features), got {x.ndim}-d")
    m = x.shape[0]
    lab = np.asarray(labels)
    if lab.shape != (m,):
        raise ValueError(f"labels: expected one label per point, shape ({m},), got {lab.shape}")
    _, inverse = np.unique(lab, return_inverse=True)
    n_labels = int(inverse.max()) + 1 if m else 0
    if not 2 <= n_labels <= m - 1:
        raise ValueError(
            f"labels: expected between 2 and {m - 1} (points - 1) distinct labels, got {n_labels}"
        )
    dist = np.sqrt(((x[:, np.newaxis, :] - x[np.newaxis, :, :]) ** 2).sum(axis=-1))
    member = np.eye(n_labels)[inverse]  # (m, c) one-hot
    counts = member.sum(axis=0)
    mean_to = (dist @ member) / counts  # (m, c): mean distance to each cluster
    rows = np.arange(m)
    own = counts[inverse]
    a = mean_to[rows, inverse] * own / np.maximum(own - 1, 1)  # excluding the point itself
    mean_to[rows, inverse] = np.inf
    b = mean_to.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (b - a) / np.maximum(a, b)
    s = np.where((own > 1) & np.isfinite(s), s, 0.0)
    return float(s.mean())


def _letters(n: int) -> tuple[str, ...]:
    """Spreadsheet-style names: A..Z, then AA, AB, ..."""
    names = []
    for i in range(n):
        name, j = "", i + 1
        while j:
            j, r = divmod(j - 1, 26)
            name = chr(ord("A") + r) + name
        names.append(name)
    return tuple(names)


@dataclass(frozen=True, eq=False)
class OpinionGroups:
    """The room's opinion groups; arrays are read-only."""

    labels: IntArray  # (m,) group 0..n_groups-1 of each participant, 0 = largest
    n_groups: int
    sizes: IntArray  # (n_groups,)
    mean_weights: FloatArray  # (n_groups, k), rows sum to 1
    silhouette: float  # of the chosen split; NaN for one group
    candidates: dict[int, float]  # silhouette of every admissible k tried

    def __post_init__(self) -> None:
        for name, dtype in (("labels", np.int64), ("sizes", np.int64), ("mean_weights", float)):
            array = np.array(getattr(self, name), dtype=dtype)  # a copy the caller cannot change
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        object.__setattr__(self, "candidates", dict(self.candidates))

    @property
    def letters(self) -> tuple[str, ...]:
        """Group names for display: "A" for the largest group, then "B", ..."""
        return _letters(self.n_groups)


def _ordered(raw: np.ndarray) -> IntArray:
    """Renumber cluster labels by size (largest first), ties by lowest participant index."""
    _, inverse = np.unique(raw, return_inverse=True)
    sizes = np.bincount(inverse)
    first = np.array([np.flatnonzero(inverse == g)[0] for g in range(sizes.size)])
    order = np.lexsort((first, -sizes))
    new = np.empty_like(order)
    new[order] = np.arange(order.size)
    return new[inverse].astype(np.int64)


def _group_means(w: FloatArray, labels: IntArray, n_groups: int) -> FloatArray:
    """Mean weight vector of each group, renormalised against rounding."""
    return normalise_weights(np.array([w[labels == g].mean(axis=0) for g in range(n_groups)]))


def _admissible(means: FloatArray, sizes: IntArray, k: int, min_size: int, min_diff: float) -> bool:
    """Whether a cut has exactly k clusters, none too small, all pairwise different enough."""
    if sizes.size != k or sizes.min() < min_size:
        return False
    gaps = np.abs(means[:, np.newaxis, :] - means[np.newaxis, :, :]).max(axis=-1)
    off_diagonal = gaps[~np.eye(k, dtype=bool)]
    return bool(np.all(np.round(off_diagonal, TIE_DECIMALS) >= min_diff))


def _one_group(w: FloatArray, candidates: dict[int, float]) -> OpinionGroups:
    """Everyone in one group: the answer whenever the room is not clearly split."""
    m = w.shape[0]
    everyone = np.zeros(m, dtype=np.int64)
    return OpinionGroups(
        everyone, 1, np.array([m]), _group_means(w, everyone, 1), math.nan, candidates
    )


def find_groups(
    weights: ArrayLike,
    *,
    max_groups: int = 4,
    min_silhouette: float = 0.55,
    min_difference: float = 0.10,
) -> OpinionGroups:
    """Split the room into opinion groups by the rule in the module docstring."""
    is_int = isinstance(max_groups, int | np.integer) and not isinstance(max_groups, bool)
    if not is_int or max_groups < 1:
        raise ValueError(f"max_groups: expected an integer of at least 1, got {max_groups!r}")
    if not 0 <= min_silhouette <= 1:
        raise ValueError(f"min_silhouette: expected a number from 0 to 1, got {min_silhouette}")
    if not min_difference >= 0:
        raise ValueError(f"min_difference: expected a number of at least 0, got {min_difference}")
    raw = np.asarray(weights, dtype=float)
    if raw.ndim != 2 or raw.shape[0] == 0 or raw.shape[1] == 0:
        raise ValueError(
            f"weights: expected a 2-d array (participants, criteria), at least 1 x 1, "
            f"got shape {raw.shape}"
        )
    w = normalise_weights(raw)
    m = w.shape[0]
    candidates: dict[int, float] = {}
    rounded = np.round(w, TIE_DECIMALS)
    if m < MIN_PARTICIPANTS or max_groups == 1 or np.all(rounded == rounded[0]):
        return _one_group(w, candidates)
    tree = linkage(w, method="ward")
    min_size = max(2, math.ceil(MIN_GROUP_SHARE * m))
    best: tuple[float, IntArray] | None = None
    for k in range(2, max_groups + 1):
        labels = _ordered(fcluster(tree, k, criterion="maxclust"))
        sizes = np.bincount(labels)
        if not _admissible(_group_means(w, labels, sizes.size), sizes, k, min_size, min_difference):
            continue
        candidates[k] = silhouette(w, labels)
        if best is None or round(candidates[k], TIE_DECIMALS) > round(best[0], TIE_DECIMALS):
            best = (candidates[k], labels)
    if best is None or round(best[0], TIE_DECIMALS) < min_silhouette:
        return _one_group(w, candidates)
    score, labels = best
    sizes = np.bincount(labels)
    return OpinionGroups(
        labels, sizes.size, sizes, _group_means(w, labels, sizes.size), score, candidates
    )


def group_rankings(values: ArrayLike, groups: OpinionGroups) -> tuple[FloatArray, IntArray]:
    """Scores and competition ranks ``(n_groups, n_options)`` under each group's mean weights."""
    v = np.asarray(values, dtype=float)
    k = groups.mean_weights.shape[1]
    if v.ndim != 2 or v.shape[1] != k:
        raise ValueError(f"values: expected shape (options, {k}), got {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(v < 0) or np.any(v > 1):
        raise ValueError("values: expected numbers from 0 to 1")
    scores = overall_scores(v, groups.mean_weights)
    return scores, competition_ranks(scores)


@dataclass(frozen=True)
class Bridge:
    """The option(s) every group can live with best: the best worst rank over the groups."""

    options: tuple[int, ...]  # indices; several only when tied on worst rank and worst score
    worst_rank: int
    worst_score: float


def bridging_option(values: ArrayLike, groups: OpinionGroups) -> Bridge:
    """The option whose worst rank over the groups is best; ties by the best worst score.

    Maximin on ranks says which option no group puts far down; the worst score breaks
    ties because it says how much the least pleased group still gets. Options that tie
    on both (scores rounded to ``TIE_DECIMALS``) are all returned, never one silently.
    With one group this is simply that group's first-placed option(s).
    """
    scores, ranks = group_rankings(values, groups)
    if scores.shape[1] == 0:
        raise ValueError("values: expected at least one option, got none")
    worst_rank = ranks.max(axis=0)
    worst_score = scores.min(axis=0)
    best_rank = worst_rank.min()
    rounded = np.round(worst_score, TIE_DECIMALS)
    best_score = rounded[worst_rank == best_rank].max()
    chosen = np.flatnonzero((worst_rank == best_rank) & (rounded == best_score))
    return Bridge(
        options=tuple(int(i) for i in chosen),
        worst_rank=int(best_rank),
        worst_score=float(worst_score[chosen[0]]),
    )


__all__ = [
    "Bridge",
    "OpinionGroups",
    "bridging_option",
    "find_groups",
    "group_rankings",
    "silhouette",
]
