"""AHP pairwise comparisons: reciprocal matrices, eigenvector weights, consistency.

In the Analytic Hierarchy Process (Saaty 1977, 1980) a participant compares
criteria two at a time on Saaty's 1..9 scale ("criterion i is 3 times as
important as j"); the matrix holds ``a_ij`` and ``a_ji = 1 / a_ij``. The
weights are the principal right eigenvector, scaled to sum to 1. How far the
principal eigenvalue ``lambda_max`` exceeds ``n`` measures inconsistency:
``CI = (lambda_max - n) / (n - 1)``, and the consistency ratio ``CR = CI / RI``
compares it with the mean CI of random matrices of the same size. Saaty's rule
of thumb: a CR above 0.10 calls for revisiting the judgements.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

from afweging.scoring import FloatArray

#: Saaty's fundamental scale: 1..9 and their reciprocals.
SAATY_SCALE: tuple[float, ...] = tuple(
    sorted({float(k) for k in range(1, 10)} | {1 / k for k in range(2, 10)})
)

#: Saaty's average random consistency index RI by matrix size n, from
#: Saaty, T. L. (1980), The Analytic Hierarchy Process, McGraw-Hill: the mean CI
#: of random reciprocal matrices on the 1..9 scale. The dip at n = 12 (1.48) is
#: in the published table. n = 1 and 2 are always consistent (RI 0).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}

#: Saaty's threshold: above this consistency ratio the judgements need review.
CR_THRESHOLD = 0.10

#: Relative tolerance for "on the scale" and "reciprocal" checks (floats like 1/3).
_RTOL = 1e-6


@dataclass(frozen=True)
class AhpResult:
    """Eigenvector weights of a pairwise comparison matrix and its consistency."""

    weights: FloatArray  # principal eigenvector, sums to 1
    lambda_max: float  # principal eigenvalue, >= n
    consistency_index: float  # CI = (lambda_max - n) / (n - 1); 0 for n <= 2
    random_index: float  # Saaty's RI for this n
    consistency_ratio: float  # CR = CI / RI; 0 for n <= 2
    inconsistent: bool  # CR > 0.10: ask the participant to revisit judgements


def _as_number(value: float | str) -> float:
    """Accept numbers and fractions written as text ("1/3"), as YAML files hold them."""
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError) as err:
            raise ValueError(f"judgement {value!r} is not a number or fraction like '1/3'") from err
    return float(value)


def on_saaty_scale(value: float) -> bool:
    """Whether ``value`` is one of 1/9 .. 1/2, 1, 2 .. 9 (up to float rounding)."""
    return bool(np.any(np.isclose(value, SAATY_SCALE, rtol=_RTOL, atol=0.0)))


def random_index(n: int) -> float:
    """Saaty's RI for an ``n x n`` matrix; refuses sizes the table does not cover."""
    if n not in RANDOM_INDEX:
        raise ValueError(f"Saaty's random index covers n = 1..15, got n = {n}")
    return RANDOM_INDEX[n]


def reciprocal_matrix(
    judgements: Sequence[float | str], *, strict_scale: bool = True
) -> FloatArray:
    """Build the full matrix from the upper-triangle judgements, row by row.

    ``judgements`` lists ``a_01, a_02, .., a_0(n-1), a_12, .., a_(n-2)(n-1)``:
    ``n (n - 1) / 2`` values, each how many times more important the row
    criterion is than the column one. With ``strict_scale`` every value must be
    on Saaty's scale.
    """
    vals = [_as_number(j) for j in judgements]
    k = len(vals)
    n = (1 + math.isqrt(1 + 8 * k)) // 2
    if n * (n - 1) // 2 != k:
        raise ValueError(
            f"{k} judgements do not fill an upper triangle; expected n(n-1)/2 = 1, 3, 6, 10, ..."
        )
    a = np.eye(n)
    rows, cols = np.triu_indices(n, 1)
    for idx, (i, j) in enumerate(zip(rows, cols, strict=True)):
        v = vals[idx]
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"judgement ({i}, {j}) must be a positive number, got {v}")
        if strict_scale and not on_saaty_scale(v):
            raise ValueError(
                f"judgement ({i}, {j}) = {v:g} is not on Saaty's scale; "
                "choose from 1..9 or 1/2..1/9"
            )
        a[i, j] = v
        a[j, i] = 1.0 / v
    return a


def validate_reciprocal(matrix: ArrayLike, *, strict_scale: bool = False) -> FloatArray:
    """Check a pairwise comparison matrix: square, positive, unit diagonal, reciprocal.

    Returns the matrix as floats; raises ValueError naming the first bad cell.
    """
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"a pairwise comparison matrix must be square, got shape {a.shape}")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        i, j = np.argwhere(~np.isfinite(a) | (a <= 0))[0]
        raise ValueError(f"entry ({i}, {j}) must be a positive number, got {a[i, j]}")
    if not np.allclose(np.diag(a), 1.0, rtol=_RTOL, atol=0.0):
        i = int(np.flatnonzero(~np.isclose(np.diag(a), 1.0, rtol=_RTOL, atol=0.0))[0])
        raise ValueError(f"diagonal entry ({i}, {i}) must be 1, got {a[i, i]}")
    product = a * a.T
    if not np.allclose(product, 1.0, rtol=_RTOL, atol=0.0):
        i, j = np.argwhere(~np.isclose(product, 1.0, rtol=_RTOL, atol=0.0))[0]
        raise ValueError(
            f"entries ({i}, {j}) = {a[i, j]:g} and ({j}, {i}) = {a[j, i]:g} are not reciprocal"
        )
    if strict_scale:
        for i, j in zip(*np.triu_indices(a.shape[0], 1), strict=True):
            if not on_saaty_scale(a[i, j]):
                raise ValueError(
                    f"entry ({i}, {j}) = {a[i, j]:g} is not on Saaty's scale; "
                    "choose from 1..9 or 1/2..1/9"
                )
    return a


def ahp_weights(matrix: ArrayLike, *, strict_scale: bool = False) -> AhpResult:
    """Principal-eigenvector weights, lambda_max, CI, RI, CR and the CR > 0.10 flag.

    The principal eigenvalue of a positive matrix is real and largest
    (Perron-Frobenius); its eigenvector has one sign, so scaling it to sum 1
    gives positive weights.
    """
    a = validate_reciprocal(matrix, strict_scale=strict_scale)
    n = a.shape[0]
    ri = random_index(n)
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lam = float(eigenvalues[k].real)
    vec = eigenvectors[:, k].real
    weights = vec / vec.sum()
    if n <= 2:
        # Every 1x1 and 2x2 reciprocal matrix is consistent; avoid 0/0 in CI and CR.
        return AhpResult(weights, float(n), 0.0, ri, 0.0, False)
    ci = max((lam - n) / (n - 1), 0.0)  # lambda_max >= n; clip float noise
    cr = ci / ri
    return AhpResult(weights, lam, ci, ri, cr, cr > CR_THRESHOLD)
