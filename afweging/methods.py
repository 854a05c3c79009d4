"""Other MCDA methods, to check the additive model's ranking against.

The dashboard ranks options with the weighted sum of values (see
:mod:`afweging.scoring`). Two well-known methods that aggregate differently
give a second and third opinion on the same raw data:

- TOPSIS (Hwang and Yoon 1981): distance to an ideal and an anti-ideal option
  after vector normalisation; compensatory, but not linear.
- PROMETHEE II with the usual criterion (Brans and Vincke 1985): pairwise
  outranking, where only "better or not" counts per criterion, so size of
  differences plays no role; the net flow ranks the options.

When the three rankings disagree, the result depends on the method as much as
on the data, which users should know.

All functions take a RAW decision matrix ``(n_options, n_criteria)`` in the
criteria's own units, ``directions`` (+1 benefit: more is better, -1 cost: less
is better) and weights (scaled to sum to 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from afweging.scoring import (
    FloatArray,
    IntArray,
    competition_ranks,
    normalise_weights,
    overall_scores,
)

METHOD_NAMES = ("weighted_sum", "topsis", "promethee_ii")


def _check(
    raw: ArrayLike, directions: ArrayLike, weights: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Validate a decision problem; return float arrays."""
    x = np.asarray(raw, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"raw must be a non-empty (options x criteria) array, got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("raw scores must be finite numbers")
    d = np.asarray(directions, dtype=float)
    if d.shape != (x.shape[1],):
        raise ValueError(f"directions must have shape ({x.shape[1]},), got {d.shape}")
    if not np.all(np.isin(d, (-1.0, 1.0))):
        raise ValueError(f"directions must be +1 (benefit) or -1 (cost), got {d.tolist()}")
    w = normalise_weights(weights)
    if w.shape != (x.shape[1],):
        raise ValueError(f"weights must have shape ({x.shape[1]},), got {w.shape}")
    return x, d, w


@dataclass(frozen=True)
class TopsisResult:
    """TOPSIS closeness coefficients and the distances they come from."""

    closeness: FloatArray  # C_i = S-_i / (S+_i + S-_i), higher is better
    distance_ideal: FloatArray  # S+_i
    distance_anti_ideal: FloatArray  # S-_i


def topsis(raw: ArrayLike, directions: ArrayLike, weights: ArrayLike) -> TopsisResult:
    """TOPSIS as Hwang and Yoon (1981) define it.

    1. vector-normalise each column: r_ij = x_ij / sqrt(sum_i x_ij^2);
    2. weight: v_ij = w_j r_ij;
    3. ideal A+ takes the best v_ij per column (max for benefit, min for cost),
       anti-ideal A- the worst;
    4. Euclidean distances S+_i to A+ and S-_i to A-;
    5. closeness C_i = S-_i / (S+_i + S-_i).

    A column of zeros cannot be vector-normalised and is refused. When all
    options coincide on every weighted criterion, S+ = S- = 0 and every
    closeness is set to 0.5: they are equally close to both ends.
    """
    x, d, w = _check(raw, directions, weights)
    norms = np.sqrt((x**2).sum(axis=0))
    if np.any(norms == 0):
        cols = np.flatnonzero(norms == 0).tolist()
        raise ValueError(f"criteria {cols} are all zero and cannot be vector-normalised")
    v = w * (x / norms)
    best = np.where(d > 0, v.max(axis=0), v.min(axis=0))
    worst = np.where(d > 0, v.min(axis=0), v.max(axis=0))
    s_plus = np.sqrt(((v - best) ** 2).sum(axis=1))
    s_minus = np.sqrt(((v - worst) ** 2).sum(axis=1))
    total = s_plus + s_minus
    with np.errstate(invalid="ignore"):
        closeness = np.where(total > 0, s_minus / total, 0.5)
    return TopsisResult(closeness, s_plus, s_minus)


@dataclass(frozen=True)
class PrometheeFlows:
    """PROMETHEE outranking flows; ``net`` ranks the options (PROMETHEE II)."""

    positive: FloatArray  # phi+: how strongly an option outranks the others
    negative: FloatArray  # phi-: how strongly the others outrank it
    net: FloatArray  # phi = phi+ - phi-, sums to 0 over the options
    preference: FloatArray  # pi(a, b): weighted share of criteria where a beats b


def promethee_ii(raw: ArrayLike, directions: ArrayLike, weights: ArrayLike) -> PrometheeFlows:
    """PROMETHEE II flows with the usual criterion (type 1) on every criterion.

    P_j(a, b) = 1 if a is strictly better than b on criterion j, else 0;
    pi(a, b) = sum_j w_j P_j(a, b); phi+(a) = sum_b pi(a, b) / (n - 1);
    phi-(a) = sum_b pi(b, a) / (n - 1); net flow phi = phi+ - phi-.
    With a single option all flows are 0.
    """
    x, d, w = _check(raw, directions, weights)
    n = x.shape[0]
    signed = x * d  # larger is better on every column
    better = signed[:, None, :] > signed[None, :, :]  # (a, b, criterion)
    pi = better.astype(float) @ w
    if n == 1:
        zero = np.zeros(1)
        return PrometheeFlows(zero, zero.copy(), zero.copy(), pi)
    positive = pi.sum(axis=1) / (n - 1)
    negative = pi.sum(axis=0) / (n - 1)
    return PrometheeFlows(positive, negative, positive - negative, pi)


@dataclass(frozen=True)
class CrossCheck:
    """Each method's scores and competition ranks, and whether they disagree."""

    scores: dict[str, FloatArray]  # per method, higher is better
    ranks: dict[str, IntArray]  # per method, 1 is best, ties share the better rank
    disagree: bool  # some option has a different rank under some method
    winners_disagree: bool  # the set of first-ranked options differs


def cross_check(
    raw: ArrayLike, directions: ArrayLike, weights: ArrayLike, values: ArrayLike
) -> CrossCheck:
    """Rank the options by weighted sum, TOPSIS and PROMETHEE II and compare.

    The weighted sum uses the normalised ``values`` (the dashboard's model);
    TOPSIS and PROMETHEE II use ``raw`` with ``directions``. All three rankings
    use :func:`afweging.scoring.competition_ranks`.
    """
    x, d, w = _check(raw, directions, weights)
    v = np.asarray(values, dtype=float)
    if v.shape != x.shape:
        raise ValueError(f"values must have the shape of raw {x.shape}, got {v.shape}")
    scores = {
        "weighted_sum": overall_scores(v, w),
        "topsis": topsis(x, d, w).closeness,
        "promethee_ii": promethee_ii(x, d, w).net,
    }
    ranks = {name: competition_ranks(s) for name, s in scores.items()}
    first = [r == 1 for r in ranks.values()]
    base = ranks["weighted_sum"]
    return CrossCheck(
        scores=scores,
        ranks=ranks,
        disagree=any(not np.array_equal(base, r) for r in ranks.values()),
        winners_disagree=any(not np.array_equal(first[0], f) for f in first[1:]),
    )
