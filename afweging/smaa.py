"""Rank acceptability analysis (SMAA-2) for the additive value model.

SMAA asks, for weights and scores that are only known roughly: how often does
each option end up at each rank? It draws many weight vectors (and, where a
score is given as a range, many scores), ranks the options for every draw with
:func:`afweging.scoring.competition_ranks`, and counts. Following Lahdelma and
Salminen (2001, "SMAA-2: Stochastic multicriteria acceptability analysis for
group decision making", Operations Research 49(3)) it reports:

- the rank acceptability matrix ``b[i, r]``: the share of draws that put option
  ``i`` at rank ``r + 1``;
- each option's central weight vector: the mean weights of the draws in which
  it ranks first (``None`` when it never does);
- each option's confidence factor: how often it ranks first when the scores
  are drawn but the weights are fixed at its central weight vector.

Ties are split fractionally: options tied at competition rank ``r`` in a
group of ``g`` each get ``1/g`` of a count at ranks ``r .. r + g - 1``. Every
row and every column of the acceptability matrix then sums to exactly 1, and a
tie for first counts as ``1/g`` of a first place in the central weights and the
confidence factor too. With continuous score ranges ties almost never occur;
they matter for fixed scores (identical options, or a criterion weighted 0).

Everything is vectorised and processed in chunks of samples, so 100,000 draws
for 10 options and 8 criteria take well under a second. The chunk size follows
from a memory budget (:data:`CHUNK_ELEMENTS`) and ranks come from sorting each
sample's scores, so no array holds samples x options x options: besides the
weight draws (samples x criteria) memory stays within a few chunk budgets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from afweging.scoring import (
    TIE_DECIMALS,
    FloatArray,
    IntArray,
    competition_ranks,
    normalise_weights,
)

#: The most samples processed at once (small problems use this many).
DEFAULT_CHUNK = 4096

#: Elements (8 bytes each) a chunk's largest array may hold, about 32 MB: a
#: chunk holds ``chunk * n * max(n, m)`` (the drawn scores, and in the
#: confidence pass every option's score under every central weight vector).
CHUNK_ELEMENTS = 2**22

#: Up to this many options, ranks come from comparing every pair (faster than sorting).
PAIRWISE_MAX = 8

#: Keep the score draws for the confidence pass up to this size, else redraw.
CACHE_BYTES = 64 * 2**20

Seed = int | np.random.Generator | None
BoolArray = NDArray[np.bool_]


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


# -- weight models ------------------------------------------------------------


@dataclass(frozen=True)
class UniformWeights:
    """No weight information: every weight vector on the simplex equally likely.

    Drawn as normalised standard exponentials, which is Dirichlet(1, ..., 1),
    the uniform distribution on the simplex.
    """

    def sample(self, rng: np.random.Generator, n_samples: int, n_criteria: int) -> FloatArray:
        """``(n_samples, n_criteria)`` weight vectors, each summing to 1."""
        e = rng.standard_exponential((n_samples, n_criteria))
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class WeightsAround:
    """Weights scattered around a given vector, from a Dirichlet distribution.

    The mean is ``weights``. ``spread`` in [0, 1) sets the concentration
    ``c = 1 / spread**2 - 1`` and the Dirichlet parameters ``c * weights``, so
    the standard deviation of weight i is ``spread * sqrt(w_i * (1 - w_i))``:
    ``spread`` is the fraction of the largest spread a weight with that mean
    could have. 0 gives exactly ``weights``; 0.1 gives a weight of 0.25 a
    standard deviation of about 0.043. A weight of 0 stays 0.
    """

    weights: FloatArray
    spread: float

    def __post_init__(self) -> None:
        w = normalise_weights(self.weights)
        if w.ndim != 1:
            raise ValueError(f"weights must be one vector, got shape {w.shape}")
        if not 0.0 <= self.spread < 1.0:
            raise ValueError(f"spread must be in [0, 1), got {self.spread}")
        object.__setattr__(self, "weights", _readonly(w))

    def sample(self, rng: np.random.Generator, n_samples: int, n_criteria: int) -> FloatArray:
        """``(n_samples, n_criteria)`` Dirichlet draws with mean ``weights``."""
        if self.weights.size != n_criteria:
            raise ValueError(
                f"weights have {self.weights.size} criteria, the values have {n_criteria}"
            )
        if self.spread == 0.0:
            return np.tile(self.weights, (n_samples, 1))
        alpha = (1.0 / self.spread**2 - 1.0) * self.weights
        g = rng.standard_gamma(np.broadcast_to(alpha, (n_samples, n_criteria)))
        total = g.sum(axis=1, keepdims=True)
        # Very small concentrations can underflow a whole row to 0; redraw those.
        while np.any(empty := total[:, 0] == 0):
            g[empty] = rng.standard_gamma(np.broadcast_to(alpha, (int(empty.sum()), n_criteria)))
            total = g.sum(axis=1, keepdims=True)
        return g / total


@dataclass(frozen=True)
class WeightSet:
    """A fixed set of weight vectors, such as one per workshop participant.

    The vectors are used in turn (sample i gets vector ``i % k``), so each one
    gets an equal share of the samples, up to one sample.
    """

    vectors: FloatArray

    def __post_init__(self) -> None:
        v = np.asarray(self.vectors, dtype=float)
        if v.ndim != 2 or v.shape[0] == 0:
            raise ValueError(f"vectors must be a non-empty (k, criteria) array, got {v.shape}")
        object.__setattr__(self, "vectors", _readonly(normalise_weights(v)))

    def sample(self, rng: np.random.Generator, n_samples: int, n_criteria: int) -> FloatArray:
        """``(n_samples, n_criteria)``: the vectors repeated in order."""
        if self.vectors.shape[1] != n_criteria:
            raise ValueError(
                f"vectors have {self.vectors.shape[1]} criteria, the values have {n_criteria}"
            )
        return self.vectors[np.arange(n_samples) % self.vectors.shape[0]]


WeightModel = UniformWeights | WeightsAround | WeightSet


# -- result -------------------------------------------------------------------


@dataclass(frozen=True)
class SmaaResult:
    """Rank acceptabilities, central weights and confidence factors."""

    acceptability: FloatArray  # (n_options, n_ranks): share of samples per rank
    central_weights: tuple[FloatArray | None, ...]  # per option; None if never first
    confidence: tuple[float | None, ...]  # per option; None if never first
    n_samples: int
    scores_vary: bool  # False when every lo == hi: confidence is then 0, 1 or 1/g

    @property
    def first_rank(self) -> FloatArray:
        """Share of samples in which each option ranks first (column 0)."""
        return self.acceptability[:, 0]


# -- the computation -----------------------------------------------------------


def _score_ranges(
    values: ArrayLike, lo: ArrayLike | None, hi: ArrayLike | None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Validated ``values``, ``lo`` and ``span = hi - lo``; missing (NaN) bounds mean fixed."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[0] == 0 or v.shape[1] == 0:
        raise ValueError(f"values must be a non-empty (options x criteria) array, got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("values must be finite numbers")
    lo_a = v.copy() if lo is None else np.asarray(lo, dtype=float).copy()
    hi_a = v.copy() if hi is None else np.asarray(hi, dtype=float).copy()
    for name, a in (("lo", lo_a), ("hi", hi_a)):
        if a.shape != v.shape:
            raise ValueError(f"{name} must have the shape of values {v.shape}, got {a.shape}")
    lo_a = np.where(np.isnan(lo_a), v, lo_a)
    hi_a = np.where(np.isnan(hi_a), v, hi_a)
    if np.any(lo_a > hi_a):
        bad = np.argwhere(lo_a > hi_a)[0]
        raise ValueError(
            f"lo must not exceed hi; first at option {bad[0]}, criterion {bad[1]}: "
            f"lo={lo_a[tuple(bad)]}, hi={hi_a[tuple(bad)]}"
        )
    outside = (v < lo_a) | (v > hi_a)
    if np.any(outside):
        bad = np.argwhere(outside)[0]
        raise ValueError(
            f"values must lie within [lo, hi]; first at option {bad[0]}, criterion {bad[1]}: "
            f"value={v[tuple(bad)]}, range=[{lo_a[tuple(bad)]}, {hi_a[tuple(bad)]}]"
        )
    return v, lo_a, hi_a - lo_a


class _ValueDraws:
    """Sampled score chunks that can be replayed exactly for the second pass.

    Every entry takes one uniform draw (fixed entries multiply it by a span of
    0, which leaves ``lo`` exact), from one stream, so the values do not depend
    on the chunk size. The chunks are kept for the replay when they fit in
    ``CACHE_BYTES``, and drawn again from the same seed otherwise.
    """

    def __init__(self, lo: FloatArray, span: FloatArray, seed: int, n_samples: int, chunk: int):
        self.lo, self.span, self.seed = lo, span, seed
        self.n_samples, self.chunk = n_samples, chunk
        self.keep = n_samples * lo.size * 8 <= CACHE_BYTES
        self.kept: list[tuple[int, FloatArray]] = []

    def __iter__(self) -> Iterator[tuple[int, FloatArray]]:
        """Yield ``(start, values)`` with values of shape ``(size, n, m)``."""
        if self.kept:
            yield from self.kept
            return
        rng = np.random.default_rng(self.seed)
        for start in range(0, self.n_samples, self.chunk):
            size = min(self.chunk, self.n_samples - start)
            block = rng.random((size, *self.lo.shape))
            block *= self.span
            block += self.lo
            if self.keep:
                self.kept.append((start, block))
            yield start, block


def chunk_size_for(n_options: int, n_criteria: int) -> int:
    """Samples per chunk so that one chunk's arrays stay within ``CHUNK_ELEMENTS``."""
    per_sample = n_options * max(n_options, n_criteria)
    return max(1, min(DEFAULT_CHUNK, CHUNK_ELEMENTS // per_sample))


def _ranks(scores: FloatArray) -> tuple[IntArray, BoolArray]:
    """0-based competition ranks ``(k, n)`` and which rows hold a tie, by sorting each row.

    The ranks of :func:`afweging.scoring.competition_ranks` (after rounding, one
    plus the number of options strictly higher), without its ``(k, n, n)``
    comparison array: in each row sorted from high to low, every option takes
    the position where its group of equal scores starts. Up to
    ``PAIRWISE_MAX`` options comparing every pair is faster, and small.
    """
    k, n = scores.shape
    if n <= PAIRWISE_MAX:
        ranks = competition_ranks(scores) - 1
        has_tie: BoolArray = ranks.sum(axis=1) < n * (n - 1) // 2  # a tie leaves a rank out
        return ranks, has_tie
    s = np.round(scores, TIE_DECIMALS)
    order = np.argsort(-s, axis=1)
    high_to_low = np.take_along_axis(s, order, axis=1)
    starts = np.ones((k, n), dtype=bool)
    np.not_equal(high_to_low[:, 1:], high_to_low[:, :-1], out=starts[:, 1:])
    group_start = np.where(starts, np.arange(n), 0)
    np.maximum.accumulate(group_start, axis=1, out=group_start)
    ranks = np.empty((k, n), dtype=np.int64)
    np.put_along_axis(ranks, order, group_start, axis=1)
    tie: BoolArray = np.logical_not(starts.all(axis=1))  # some option does not start a group
    return ranks, tie


def _rank_shares(scores: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Fractional rank counts ``(n, n)`` and first-place shares ``(k, n)`` for a chunk.

    A tie group of size g at competition rank r spreads 1/g over ranks r..r+g-1.
    """
    k, n = scores.shape
    ranks, has_tie = _ranks(scores)
    option = np.broadcast_to(np.arange(n), (k, n))
    counts = np.bincount((option[~has_tie] * n + ranks[~has_tie]).ravel(), minlength=n * n).astype(
        float
    )
    first = (ranks == 0).astype(float)
    if has_tie.any():
        r = ranks[has_tie]
        t = r.shape[0]
        rows = np.repeat(np.arange(t), n)
        per_rank = np.bincount(rows * n + r.ravel(), minlength=t * n).reshape(t, n)
        g = np.take_along_axis(per_rank, r, axis=1)  # size of each option's tie group
        opt = option[has_tie]
        # Difference array over ranks: +1/g at r, -1/g at r + g, then cumulate.
        diff = np.bincount(
            np.concatenate([(opt * (n + 1) + r).ravel(), (opt * (n + 1) + r + g).ravel()]),
            weights=np.concatenate([(1.0 / g).ravel(), (-1.0 / g).ravel()]),
            minlength=n * (n + 1),
        ).reshape(n, n + 1)
        counts += np.cumsum(diff, axis=1)[:, :n].ravel()
        first[has_tie] = (r == 0) / g
    return counts.reshape(n, n), first


def _first_share_at(values: FloatArray, central: FloatArray) -> FloatArray:
    """Share ``(k, c)`` of a first place for option c under central vector c.

    ``values`` is ``(k, n, m)``, ``central`` is ``(c, m)`` for options ``0..c-1``
    in order; a tie for first among g options gives each 1/g. Rounding as in
    :func:`competition_ranks` is monotone, so it is applied after taking maxima.
    """
    k, n, m = values.shape
    c = central.shape[0]
    s = (values.reshape(k * n, m) @ central.T).reshape(k, n, c)
    own = s[:, np.arange(c), np.arange(c)].copy()  # (k, c)
    s[:, np.arange(c), np.arange(c)] = -np.inf
    own_r = np.round(own, TIE_DECIMALS)
    if k < 32:  # few samples of many options: one reduction is faster
        rival = s.max(axis=1)
    else:  # a loop of n maxima beats a reduction over the middle axis
        rival = s[:, 0, :].copy()
        for i in range(1, n):
            np.maximum(rival, s[:, i, :], out=rival)
    rival_r = np.round(rival, TIE_DECIMALS)
    share = (own_r > rival_r).astype(float)
    tie_rows, tie_cols = np.nonzero(own_r == rival_r)
    if tie_rows.size:  # rare with drawn scores: count the group sharing first place
        tied = np.round(s[tie_rows, :, tie_cols], TIE_DECIMALS) == own_r[tie_rows, tie_cols, None]
        share[tie_rows, tie_cols] = 1.0 / (1 + tied.sum(axis=1))
    return share


def smaa(
    values: ArrayLike,
    weights: WeightModel | None = None,
    *,
    lo: ArrayLike | None = None,
    hi: ArrayLike | None = None,
    n_samples: int = 10_000,
    seed: Seed = None,
    chunk_size: int | None = None,
) -> SmaaResult:
    """Rank acceptabilities, central weights and confidence factors (SMAA-2).

    ``weights`` is a weight model (default: :class:`UniformWeights`). ``lo`` and
    ``hi`` give each score's range in value space (same shape as ``values``);
    scores are drawn uniformly within it, and where ``lo == hi`` (or a bound is
    missing or NaN) the score is fixed. The same ``seed`` gives the same result,
    whatever ``chunk_size`` (samples per chunk; default :func:`chunk_size_for`,
    which bounds the memory).
    """
    v, lo_a, span = _score_ranges(values, lo, hi)
    n, m = v.shape
    if chunk_size is None:
        chunk_size = chunk_size_for(n, m)
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    model = UniformWeights() if weights is None else weights
    rng = np.random.default_rng(seed)
    w = model.sample(rng, n_samples, m)
    values_seed = int(rng.integers(2**63))
    scores_vary = bool(np.any(span > 0))

    counts = np.zeros((n, n))
    first_total = np.zeros(n)
    central_sum = np.zeros((n, m))
    if scores_vary:
        draws = _ValueDraws(lo_a, span, values_seed, n_samples, chunk_size)
        for start, block in draws:
            wc = w[start : start + block.shape[0]]
            c, first = _rank_shares(np.einsum("knm,km->kn", block, wc))
            counts += c
            first_total += first.sum(axis=0)
            central_sum += first.T @ wc
    else:
        for start in range(0, n_samples, chunk_size):
            wc = w[start : start + chunk_size]
            c, first = _rank_shares(wc @ v.T)
            counts += c
            first_total += first.sum(axis=0)
            central_sum += first.T @ wc

    ever_first = first_total > 0
    central = np.zeros((n, m))
    central[ever_first] = central_sum[ever_first] / first_total[ever_first, None]

    # Confidence factors: one draw of the scores, all central vectors at once.
    confidence = np.zeros(n)
    if scores_vary:
        for _, block in draws:
            confidence += _first_share_at(block, central).sum(axis=0)
        confidence /= n_samples
    else:
        confidence = _first_share_at(v[None], central)[0]

    return SmaaResult(
        acceptability=_readonly(counts / n_samples),
        central_weights=tuple(
            _readonly(central[i].copy()) if ever_first[i] else None for i in range(n)
        ),
        confidence=tuple(float(confidence[i]) if ever_first[i] else None for i in range(n)),
        n_samples=n_samples,
        scores_vary=scores_vary,
    )
