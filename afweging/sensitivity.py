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

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from afweging.scoring import (
    TIE_DECIMALS,
    FloatArray,
    normalise_weights,
    overall_scores,
)

BoolArray = NDArray[np.bool_]
Indices = NDArray[np.integer]

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
    crossings: Crossings  # every crossing in [0, 1], sorted by t (a sequence of Crossing)

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


@functools.lru_cache(maxsize=4)
def _pairs(n: int) -> tuple[Indices, Indices]:
    """Indices ``(a, b)`` of every pair of options ``a < b``; cached, as all criteria share them."""
    a, b = np.triu_indices(n, 1)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def _crossing_arrays(
    intercept: FloatArray, slope: FloatArray
) -> tuple[FloatArray, Indices, Indices]:
    """Every pairwise crossing in [0, 1] as arrays ``(t, a, b)``, sorted by ``(t, a, b)``.

    One vectorised pass over the pairs ``a < b`` with the same floating-point
    operations as solving each pair on its own, so the crossing points are
    exactly those of a per-pair loop; ``a`` is the option whose line rises
    relative to the other's, ``b`` the one it overtakes.
    """
    a, b = _pairs(intercept.size)
    k = slope[a] - slope[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (intercept[b] - intercept[a]) / k
    # Parallel lines never cross once; the rest count where they cross inside [0, 1].
    keep = np.flatnonzero((np.abs(k) > PARALLEL_TOL) & (t >= 0.0) & (t <= 1.0))
    a, b, k, t = a[keep], b[keep], k[keep], t[keep]
    rises = k > 0
    index = np.int32 if intercept.size < 2**31 else np.int64  # halves millions of indices
    up: Indices = np.where(rises, a, b).astype(index)
    down: Indices = np.where(rises, b, a).astype(index)
    order = np.argsort(t)
    if t.size > 1 and np.any(np.diff(t[order]) == 0):  # equal t: order those by (a, b)
        order = np.lexsort((down, up, t))
    return t[order], up[order], down[order]


class Crossings(Sequence[Crossing]):
    """The crossings of one criterion's score lines in [0, 1], sorted by ``(t, a, b)``.

    A read-only sequence of :class:`Crossing` that equals the tuple of the same
    crossings. Why not a tuple: n options give up to n(n-1)/2 crossings per
    criterion (about 25 million over 1000 options x 100 criteria), too many to
    build as objects when a view reads those of one criterion at most. So they
    are solved from the score lines when first read, kept as arrays, and left
    out of pickles (a cached report stays small).
    """

    def __init__(self, intercept: FloatArray, slope: FloatArray) -> None:
        self._lines = (np.array(intercept, dtype=float), np.array(slope, dtype=float))
        self._arrays: tuple[FloatArray, Indices, Indices] | None = None

    def arrays(self) -> tuple[FloatArray, Indices, Indices]:
        """``(t, a, b)`` as arrays (solved once, on first use)."""
        if self._arrays is None:
            self._arrays = _crossing_arrays(*self._lines)
            for x in self._arrays:
                x.flags.writeable = False
        return self._arrays

    def __len__(self) -> int:
        return int(self.arrays()[0].size)

    @overload
    def __getitem__(self, i: int) -> Crossing: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[Crossing, ...]: ...
    def __getitem__(self, i: int | slice) -> Crossing | tuple[Crossing, ...]:
        t, a, b = self.arrays()
        if isinstance(i, slice):
            return tuple(map(Crossing, t[i].tolist(), a[i].tolist(), b[i].tolist()))
        return Crossing(float(t[i]), int(a[i]), int(b[i]))

    def __iter__(self) -> Iterator[Crossing]:
        t, a, b = self.arrays()
        return map(Crossing, t.tolist(), a.tolist(), b.tolist())

    def near(self, t: float, tol: float) -> tuple[Crossing, ...]:
        """The crossings at most ``tol`` from ``t``, nearest first (equal distances in order)."""
        ts, a, b = self.arrays()
        distance = np.abs(ts - t)
        found = np.flatnonzero(distance <= tol)
        found = found[np.argsort(distance[found], kind="stable")]
        return tuple(map(Crossing, ts[found].tolist(), a[found].tolist(), b[found].tolist()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Crossings):
            pairs = zip(self.arrays(), other.arrays(), strict=True)
            return all(np.array_equal(x, y) for x, y in pairs)
        if isinstance(other, tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))  # equal to the hash of the equal tuple

    def __repr__(self) -> str:
        return f"Crossings({tuple(self)!r})" if len(self) <= 6 else f"Crossings(<{len(self)}>)"

    def __getstate__(self) -> tuple[FloatArray, FloatArray]:
        return self._lines

    def __setstate__(self, lines: tuple[FloatArray, FloatArray]) -> None:
        self._lines, self._arrays = lines, None


def stability_interval(values: ArrayLike, weights: ArrayLike, criterion: int) -> StabilityInterval:
    """Exact weight range for one criterion in which the winner, and the ranking, hold.

    Each pair of options gives one linear condition in ``t``:

    - ranked apart now (a above b): a must not drop below b, so ``t`` stays on
      the current side of their crossing; parallel lines give no condition;
    - tied now: they must stay tied, which only parallel (or identical) lines
      do; otherwise the interval shrinks to the current weight.

    The winner interval applies these conditions to the pairs (current winner,
    any option); the ranking interval applies them to all pairs. Each pair is
    solved once, in one vectorised pass over all pairs ``a < b``.
    """
    v, w = _check(values, weights, criterion)
    t0 = float(w[criterion])
    intercept, slope = score_lines(v, w, criterion)
    now = overall_scores(v, weights_along(w, criterion, t0)[0])
    rounded = np.round(now, TIE_DECIMALS)
    first = rounded == rounded.max()  # competition rank 1: nobody strictly higher

    a, b = _pairs(now.size)
    k = slope[a] - slope[b]  # slope of s_a - s_b
    single = np.abs(k) > PARALLEL_TOL  # not parallel: the lines cross exactly once
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = t0 - (now[a] - now[b]) / k  # the same t from (b, a): both signs flip
    tied = rounded[a] == rounded[b]
    apart = single & ~tied
    # The option ranked higher now gains on the other as t rises: it may not go below
    # their crossing (a lower bound); else it may not go above it (an upper bound).
    gains = (rounded[a] > rounded[b]) == (k > 0)
    rises, falls = apart & gains, apart & ~gains
    breaks = single & tied  # tied now but not parallel: the tie breaks at once
    with_winner = first[a] | first[b]
    w_lo, w_hi = _bounds(cross, rises & with_winner, falls & with_winner, breaks & with_winner, t0)
    r_lo, r_hi = _bounds(cross, rises, falls, breaks, t0)
    return StabilityInterval(
        criterion=criterion,
        current_weight=t0,
        winner_lo=w_lo,
        winner_hi=w_hi,
        ranking_lo=r_lo,
        ranking_hi=r_hi,
        tied_at_current=bool(tied.any()),
        crossings=Crossings(intercept, slope),
    )


def _bounds(
    cross: FloatArray, lower: BoolArray, upper: BoolArray, breaks: BoolArray, t0: float
) -> tuple[float, float]:
    """The interval around ``t0`` left by the pairs' conditions, within [0, 1].

    ``lower`` pairs need ``t >= cross``, ``upper`` pairs ``t <= cross``; a
    breaking tie pins both ends to ``t0``.
    """
    if breaks.any():
        return t0, t0
    low = float(np.clip(cross[lower].max(initial=0.0), 0.0, t0))
    high = float(np.clip(cross[upper].min(initial=1.0), t0, 1.0))
    return low, high


def stability_intervals(values: ArrayLike, weights: ArrayLike) -> tuple[StabilityInterval, ...]:
    """:func:`stability_interval` for every criterion, in criterion order."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError(f"values must be a 2-D (options x criteria) array, got shape {v.shape}")
    return tuple(stability_interval(v, weights, j) for j in range(v.shape[1]))
