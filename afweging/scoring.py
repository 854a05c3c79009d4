"""The additive value model, on plain arrays.

Everything here is pure numpy with no I/O, so the dashboard, the robustness
analysis and the workshop can score thousands of weight vectors in one call.

Conventions used throughout the package:

- ``values``: shape ``(n_options, n_criteria)``, each entry a value in [0, 1]
  where 1 is best (see :func:`normalise`).
- ``weights``: shape ``(n_criteria,)`` or ``(k, n_criteria)`` for ``k`` weight
  vectors at once; each vector sums to 1 (see :func:`normalise_weights`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Scores closer than this are treated as tied, so that 0.1 + 0.2 and 0.3 share a rank.
TIE_DECIMALS = 9


def normalise(
    raw: ArrayLike, lo: ArrayLike, hi: ArrayLike, higher_is_better: ArrayLike
) -> FloatArray:
    """Map raw scores to [0, 1] over each criterion's declared scale.

    The scale, not the options present, fixes the mapping, so adding or removing
    an option never changes another option's values (no rank reversal).
    """
    raw_a = np.asarray(raw, dtype=float)
    lo_a = np.asarray(lo, dtype=float)
    hi_a = np.asarray(hi, dtype=float)
    up = (raw_a - lo_a) / (hi_a - lo_a)
    return np.where(np.asarray(higher_is_better, dtype=bool), up, 1.0 - up)


def normalise_weights(weights: ArrayLike) -> FloatArray:
    """Scale each weight vector (last axis) to sum to 1.

    Raises ValueError on negative, non-finite or all-zero weights: such a vector
    has no meaning, and silently fixing it would show users wrong numbers.
    """
    w = np.asarray(weights, dtype=float)
    if not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite numbers")
    if np.any(w < 0):
        raise ValueError("weights must not be negative")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("at least one weight must be above zero")
    return w / total


def overall_scores(values: ArrayLike, weights: ArrayLike) -> FloatArray:
    """Weighted sum per option: ``(n,)`` for one weight vector, ``(k, n)`` for ``k``."""
    return np.asarray(weights, dtype=float) @ np.asarray(values, dtype=float).T


def contributions(values: ArrayLike, weights: ArrayLike) -> FloatArray:
    """Each criterion's share of each option's score; rows sum to the overall score."""
    return np.asarray(values, dtype=float) * np.asarray(weights, dtype=float)


def competition_ranks(scores: ArrayLike, decimals: int = TIE_DECIMALS) -> IntArray:
    """Rank along the last axis, best (highest) first, ties sharing the better rank.

    ``[0.9, 0.9, 0.5]`` gives ``[1, 1, 3]`` ("1224" or standard competition ranking).
    Works on ``(n,)`` or ``(k, n)`` arrays.
    """
    s = np.round(np.asarray(scores, dtype=float), decimals)
    # rank = 1 + number of options with a strictly higher score
    higher = s[..., np.newaxis, :] > s[..., :, np.newaxis]
    return 1 + higher.sum(axis=-1).astype(np.int64)


def highest_first(values: ArrayLike) -> list[int]:
    """Indices of ``values`` (a shares or counts vector), highest first, equals in their
    given order: one stable order for every table and chart that lists by a number
    (a :class:`~afweging.matrix.Ranking` lists by its ranks, equals by label)."""
    return [int(i) for i in np.argsort(-np.asarray(values, dtype=float), kind="stable")]


def winners(scores: ArrayLike, decimals: int = TIE_DECIMALS) -> NDArray[np.bool_]:
    """Boolean mask of the options ranked first (several when tied)."""
    return competition_ranks(scores, decimals) == 1
