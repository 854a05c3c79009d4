"""One-way weight sensitivity and exact stability intervals.

Moving one criterion's weight ``w_j`` to ``t`` while the other weights keep
their mutual ratios gives the weight path

    w_i(t) = w_i * (1 - t) / (1 - w_j)   for i != j,   w_j(t) = t,

so every option's overall score is a straight line in ``t``:

    s_a(t) = r_a + t * (v_aj - r_a),   r_a = sum_{i != j} v_ai * w_i / (1 - w_j).

Because the lines are straight, the weights at which two options swap places
are solved exactly (no search), which is what the stability intervals use.

When ``w_j == 1`` the other weights are all zero and have no ratio to keep; the
path then spreads the remainder ``1 - t`` equally over the other criteria. This
is a choice, documented here and in :func:`weights_along`.

Ties follow :func:`afweging.scoring.competition_ranks` (scores equal after
rounding to ``TIE_DECIMALS`` share a rank). An option "stays first" while it is
strictly or jointly first; the same reading applies to the whole ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from afweging.scoring import (
    TIE_DECIMALS,
    FloatArray,
    competition_ranks,
    normalise_weights,
    overall_scores,
)

#: Slopes closer than this count as parallel: over t in [0, 1] such lines never
#: drift more than 1e-10 apart, which is below the tie tolerance.
PARALLEL_TOL = 1e-10

#: A current weight this close to 1 counts as "all weight on one criterion".
FULL_WEIGHT_TOL = 1e-12


@dataclass(frozen=True)
class OneWaySweep:
    """Every option's score along one criterion's weight path."""

    criterion: int
    current_weight: float
    grid: FloatArray  # (p,) values of w_j from 0 to 1
    scores: FloatArray  # (n_options, p)


@dataclass(frozen=True)
class Crossing:
    """Option ``a`` overtakes option ``b`` as the weight rises past ``t``."""

    t: float
    a: int
    b: int


@dataclass(frozen=True)
class StabilityInterval:
    """How far one criterion's weight can move before the result changes.

    ``winner_lo..winner_hi``: every option that is first now stays (strictly
    or jointly) first. ``ranking_lo..ranking_hi``: the closure of the weights
    where the competition ranks equal the current ones, so at an end point two
    options may touch (tie) but none has overtaken another. Both intervals
    contain ``current_weight`` and lie within [0, 1]; they shrink to a single
    point when a tie at the current weights breaks as soon as the weight moves.
    """

    criterion: int
    current_weight: float
    winner_lo: float
    winner_hi: float
    ranking_lo: float
    ranking_hi: float
    tied_at_current: bool  # some options share a rank at the current weights
    crossings: tuple[Crossing, ...]  # every crossing in [0, 1], sorted by t

    @property
    def winner_width(self) -> float:
        """Length of the winner interval, for sorting criteria by fragility."""
        return self.winner_hi - self.winner_lo


def _check(values: ArrayLike, weights: ArrayLike, criterion: int) -> tuple[FloatArray, FloatArray]:
    """Validate shapes and the criterion index; return float arrays."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"values must be a 2-D (options x criteria) array, got shape {v.shape}")
    w = normalise_weights(weights)
    if w.shape != (v.shape[1],):
        raise ValueError(f"weights must have shape ({v.shape[1]},) to match values, got {w.shape}")
    if v.shape[1] < 2:
        raise ValueError("sensitivity needs at least two criteria: one weight cannot move alone")
    if not 0 <= criterion < v.shape[1]:
        raise IndexError(f"criterion must be in 0..{v.shape[1] - 1}, got {criterion}")
    return v, w


def _others(weights: FloatArray, criterion: int) -> FloatArray:
    """The other criteria's weights rescaled to sum to 1 (criterion's entry 0)."""
    w_j = weights[criterion]
    rest = weights.copy()
    rest[criterion] = 0.0
    if 1.0 - w_j <= FULL_WEIGHT_TOL:
        rest[:] = 1.0 / (weights.size - 1)
        rest[criterion] = 0.0
        return rest
    return rest / (1.0 - w_j)


def weights_along(weights: ArrayLike, criterion: int, t: ArrayLike) -> FloatArray:
    """Weight vectors ``(len(t), m)`` with criterion's weight ``t``, others in ratio.

    If the criterion currently has all the weight, the others share ``1 - t``
    equally (they have no ratio to keep).
    """
    w = normalise_weights(weights)
    if w.ndim != 1 or w.size < 2:
        raise ValueError("weights must be one vector over at least two criteria")
    if not 0 <= criterion < w.size:
        raise IndexError(f"criterion must be in 0..{w.size - 1}, got {criterion}")
    t_a = np.atleast_1d(np.asarray(t, dtype=float))
    if np.any((t_a < 0) | (t_a > 1)):
        raise ValueError("t must lie in [0, 1]")
    path = np.outer(1.0 - t_a, _others(w, criterion))
    path[:, criterion] = t_a
    return path


def one_way(
    values: ArrayLike, weights: ArrayLike, criterion: int, points: int = 101
) -> OneWaySweep:
    """Scores of all options as one weight sweeps 0..1 on an even grid."""
    v, w = _check(values, weights, criterion)
    if points < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    grid = np.linspace(0.0, 1.0, points)
    scores = overall_scores(v, weights_along(w, criterion, grid)).T
    return OneWaySweep(criterion, float(w[criterion]), grid, scores)


def score_lines(
    values: ArrayLike, weights: ArrayLike, criterion: int
) -> tuple[FloatArray, FloatArray]:
    """Intercepts ``r`` and slopes ``d`` with ``s(t) = r + d * t`` for every option."""
    v, w = _check(values, weights, criterion)
    intercept = v @ _others(w, criterion)
    return intercept, v[:, criterion] - intercept


def _crossings(intercept: FloatArray, slope: FloatArray) -> tuple[Crossing, ...]:
    """All pairwise crossings of the score lines inside [0, 1]."""
    found: list[Crossing] = []
    n = intercept.size
    for a in range(n):
        for b in range(a + 1, n):
            k = slope[a] - slope[b]
            if abs(k) <= PARALLEL_TOL:
                continue  # parallel or identical: no single crossing point
            t = (intercept[b] - intercept[a]) / k
            if 0.0 <= t <= 1.0:
                up, down = (a, b) if k > 0 else (b, a)
                found.append(Crossing(float(t), up, down))
    return tuple(sorted(found, key=lambda c: (c.t, c.a, c.b)))


def stability_interval(values: ArrayLike, weights: ArrayLike, criterion: int) -> StabilityInterval:
    """Exact weight range for one criterion in which the winner, and the ranking, hold.

    Each pair of options gives one linear condition in ``t``:

    - ranked apart now (a above b): a must not drop below b, so ``t`` stays on
      the current side of their crossing; parallel lines give no condition;
    - tied now: they must stay tied, which only parallel (or identical) lines
      do; otherwise the interval shrinks to the current weight.

    The winner interval applies these conditions to the pairs (current winner,
    any option); the ranking interval applies them to all pairs.
    """
    v, w = _check(values, weights, criterion)
    t0 = float(w[criterion])
    intercept, slope = score_lines(v, w, criterion)
    now = overall_scores(v, weights_along(w, criterion, t0)[0])
    rounded = np.round(now, TIE_DECIMALS)
    first = competition_ranks(now) == 1
    n = now.size

    # For every ordered pair (a, b): the range of t where "a not below b" and
    # ties stay ties, as bounds lo[a, b], hi[a, b].
    lo = np.zeros((n, n))
    hi = np.ones((n, n))
    k = slope[:, None] - slope[None, :]  # slope of s_a - s_b
    gap = now[:, None] - now[None, :]  # s_a - s_b at t0
    parallel = np.abs(k) <= PARALLEL_TOL
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = t0 - gap / k
    above = rounded[:, None] > rounded[None, :]
    tied = rounded[:, None] == rounded[None, :]
    np.fill_diagonal(tied, False)

    # a above b, a's line falls relative to b's (k < 0): t <= crossing.
    falls = above & ~parallel & (k < 0)
    hi = np.where(falls, np.minimum(hi, cross), hi)
    # a above b, a's line rises relative to b's (k > 0): t >= crossing.
    rises = above & ~parallel & (k > 0)
    lo = np.where(rises, np.maximum(lo, cross), lo)
    # tied now but not parallel: the tie breaks at once.
    breaks = tied & ~parallel
    lo = np.where(breaks, t0, lo)
    hi = np.where(breaks, t0, hi)

    def bounds(mask: np.ndarray) -> tuple[float, float]:
        if not mask.any():
            return 0.0, 1.0
        low = float(np.clip(lo[mask].max(), 0.0, t0))
        high = float(np.clip(hi[mask].min(), t0, 1.0))
        return low, high

    winner_rows = np.zeros((n, n), dtype=bool)
    winner_rows[first, :] = True
    np.fill_diagonal(winner_rows, False)
    all_pairs = ~np.eye(n, dtype=bool)
    w_lo, w_hi = bounds(winner_rows)
    r_lo, r_hi = bounds(all_pairs)
    return StabilityInterval(
        criterion=criterion,
        current_weight=t0,
        winner_lo=w_lo,
        winner_hi=w_hi,
        ranking_lo=r_lo,
        ranking_hi=r_hi,
        tied_at_current=bool(tied.any()),
        crossings=_crossings(intercept, slope),
    )


def stability_intervals(values: ArrayLike, weights: ArrayLike) -> tuple[StabilityInterval, ...]:
    """:func:`stability_interval` for every criterion, in criterion order."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"values must be a 2-D (options x criteria) array, got shape {v.shape}")
    return tuple(stability_interval(v, weights, j) for j in range(v.shape[1]))
