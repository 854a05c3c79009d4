"""Where each option wins: exact winning regions over three criteria's weights.

Three chosen criteria ``(a, b, c)`` share the mass ``s = w_a + w_b + w_c`` of
the current weights; every other criterion keeps its current weight. A point
of the map is barycentric, ``p = (p_a, p_b, p_c)`` with ``p >= 0`` and
``sum(p) == 1``, and stands for the weights ``w_a = s p_a`` (and so on). Each
option's overall score is then linear in ``p``:

    score_i(p) = k_i + s * (p_a v_ia + p_b v_ib + p_c v_ic),
    k_i = sum over the fixed criteria j of w_j v_ij,

so option ``i`` wins where ``score_i(p) >= score_k(p)`` for every ``k``: the
triangle cut by straight lines, a convex polygon. The polygons are solved by
clipping the triangle with those half-planes (Sutherland–Hodgman), exactly up
to float rounding; nothing is sampled. With three criteria in all (a flat kern
set, or a tree's top level with values aggregated by :func:`aggregate_groups`)
nothing is fixed and ``s == 1``.

Geometry is done on the barycentric points themselves, as vectors in 3-D on
the plane ``sum(p) == 1``. Distances are Euclidean there: the triangle's sides
have length ``sqrt(2)``, and moving ``x`` percentage points of weight from one
chosen criterion to another is a distance of ``sqrt(2) * x / (100 s)``.

Ties and degenerate cases:

- Options whose scores coincide on the whole map (identical value rows, or
  scores within the tie tolerance of :mod:`afweging.scoring` everywhere) tie
  everywhere; they are merged into one region that lists all their ids.
- Only regions with positive area are returned. An option that is first only on
  a line or at a point (or nowhere) has no region; it is listed in
  :attr:`WinMap.without_region`.
- The winners at the current weights come from :func:`afweging.scoring.winners`
  on the full weight vector, so they may be several (a tie). On a border the
  distance to a different outcome is 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from afweging.scoring import (
    TIE_DECIMALS,
    FloatArray,
    normalise_weights,
    overall_scores,
    winners,
)

Point = tuple[float, float, float]

#: Regions smaller than this share of the triangle are float dust from clipping
#: along a line where an option only touches first place.
MIN_AREA = 1e-12
#: A vertex whose score difference is this close to 0 lies on that border line.
ON_LINE_TOL = 1e-10
#: Scores within this of each other on the whole map count as identical options.
SAME_TOL = 10.0**-TIE_DECIMALS
#: The triangle's area in the plane ``sum(p) == 1`` (an equilateral triangle of side sqrt(2)).
TRIANGLE_AREA = math.sqrt(3) / 2

_NORMAL = np.ones(3) / math.sqrt(3)
_CORNERS = np.eye(3)


@dataclass(frozen=True)
class Region:
    """Where one option (or a group of identical options) is first: a convex polygon.

    ``vertices`` are barycentric points ``(p_a, p_b, p_c)`` in order around the
    polygon (counter-clockwise seen from the a-b-c corners), not repeated at the
    end. ``area`` is the share of the whole triangle, so the areas add up to 1.
    """

    options: tuple[int, ...]
    ids: tuple[str, ...]
    vertices: tuple[Point, ...]
    area: float


@dataclass(frozen=True)
class Border:
    """A stretch of line where two regions meet, from ``start`` to ``end``."""

    options: tuple[int, ...]
    other: tuple[int, ...]
    start: Point
    end: Point


@dataclass(frozen=True)
class Nearest:
    """The nearest point of the map where another option wins.

    ``distance`` is Euclidean between barycentric points; ``distance_pp`` is the
    same move in weight, in percentage points (``100 * s * distance``);
    ``shift`` is the change of the three weights (fractions, summing to 0), and
    ``moved_pp`` the weight that changes hands, in percentage points (half the
    sum of the absolute changes).
    """

    options: tuple[int, ...]
    ids: tuple[str, ...]
    point: Point
    distance: float
    distance_pp: float
    shift: Point
    moved_pp: float


@dataclass(frozen=True)
class WinMap:
    """The winning regions over three criteria, with the current weights placed on them."""

    axes: tuple[int, int, int]
    mass: float  # s: the weight the three criteria share; the others keep 1 - s
    option_ids: tuple[str, ...]
    offsets: tuple[float, ...]  # k_i: each option's score from the fixed criteria
    axis_values: tuple[Point, ...]  # each option's values on the three axes
    regions: tuple[Region, ...]
    borders: tuple[Border, ...]
    current: Point
    current_winners: tuple[int, ...]
    nearest: Nearest | None  # None when the current winners win everywhere
    without_region: tuple[int, ...]

    def scores_at(self, points: ArrayLike) -> FloatArray:
        """Every option's overall score at barycentric point(s): ``(n,)`` or ``(k, n)``."""
        p = np.asarray(points, dtype=float)
        u = np.asarray(self.axis_values)
        return np.asarray(self.offsets) + self.mass * (p @ u.T)

    def weights_at(self, point: ArrayLike, weights: ArrayLike) -> FloatArray:
        """The full weight vector a barycentric point stands for, the others as in ``weights``."""
        w = normalise_weights(weights).copy()
        w[list(self.axes)] = self.mass * np.asarray(point, dtype=float)
        return w

    def region_of(self, option: int) -> Region | None:
        """The region where this option is first, or None."""
        return next((r for r in self.regions if option in r.options), None)


def aggregate_groups(values: ArrayLike, within: ArrayLike, groups: ArrayLike) -> FloatArray:
    """Values of parent criteria: each the weighted sum of its leaves' values.

    ``within[j]`` is leaf ``j``'s weight inside its top-level group (the product
    of the local weights below the top, so each group's sum is 1) and
    ``groups[j]`` the index of that group. Returns ``(n_options, n_groups)``.
    Local weights are asked for, not global ones, because a top-level weight of
    0 would leave the split inside the group undefined.
    """
    v = np.asarray(values, dtype=float)
    wi = np.asarray(within, dtype=float)
    g = np.asarray(groups, dtype=np.int64)
    if v.ndim != 2 or wi.shape != (v.shape[1],) or g.shape != (v.shape[1],):
        raise ValueError(
            f"give one within-group weight and one group index per leaf: values {v.shape}, "
            f"within {wi.shape}, groups {g.shape}"
        )
    n_groups = int(g.max()) + 1 if g.size else 0
    onehot = np.zeros((v.shape[1], n_groups))
    onehot[np.arange(v.shape[1]), g] = wi
    sums = onehot.sum(axis=0)
    if np.any(np.abs(sums - 1.0) > 1e-9):
        raise ValueError(f"within-group weights must sum to 1 in each group, got {sums.tolist()}")
    return v @ onehot


def winning_regions(
    values: ArrayLike,
    weights: ArrayLike,
    axes: Sequence[int] = (0, 1, 2),
    *,
    option_ids: Sequence[str] | None = None,
) -> WinMap:
    """Exact winning regions over criteria ``axes``, the other criteria fixed at ``weights``.

    ``values`` is ``(n_options, n_criteria)``, ``weights`` ``(n_criteria,)``
    (scaled to sum to 1). Raises ValueError when the three criteria have no
    weight between them: there is then no mass to share and no map to draw.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[0] < 1 or v.shape[1] < 3:
        raise ValueError(
            f"values must be (options x criteria) with at least 3 criteria, got shape {v.shape}"
        )
    if not np.all(np.isfinite(v)):
        raise ValueError("values must be finite numbers")
    w = normalise_weights(weights)
    if w.shape != (v.shape[1],):
        raise ValueError(f"weights must have shape ({v.shape[1]},) to match values, got {w.shape}")
    ax = tuple(int(a) for a in axes)
    if len(ax) != 3 or len(set(ax)) != 3 or not all(0 <= a < v.shape[1] for a in ax):
        raise ValueError(f"axes must be 3 different criteria in 0..{v.shape[1] - 1}, got {axes}")
    ids = tuple(option_ids) if option_ids is not None else tuple(str(i) for i in range(len(v)))
    if len(ids) != len(v):
        raise ValueError(f"give one option id per row of values: {len(ids)} ids, {len(v)} rows")
    s = float(w[list(ax)].sum())
    if s <= 0:
        raise ValueError(
            f"criteria {ax} have weight 0 together: give at least one of them some weight "
            "to map how the outcome changes as it is shared between them"
        )

    fixed = np.ones(v.shape[1], dtype=bool)
    fixed[list(ax)] = False
    k = v[:, fixed] @ w[fixed]
    u = v[:, list(ax)]
    current = w[list(ax)] / s

    groups = _merge_identical(k[:, np.newaxis] + s * u)  # scores at the three corners
    gk = np.array([k[g[0]] for g in groups])
    gu = np.array([u[g[0]] for g in groups])

    polygons = [_region_polygon(i, gk, gu, s) for i in range(len(groups))]
    areas = [_area(poly) / TRIANGLE_AREA for poly in polygons]
    kept = [i for i in range(len(groups)) if areas[i] > MIN_AREA]
    regions = tuple(
        Region(
            options=groups[i],
            ids=tuple(ids[o] for o in groups[i]),
            vertices=tuple(_point(p) for p in polygons[i]),
            area=areas[i],
        )
        for i in kept
    )
    borders = tuple(
        border
        for x, i in enumerate(kept)
        for j in kept[x + 1 :]
        if (border := _border(polygons[i], polygons[j], gk, gu, s, i, j, groups)) is not None
    )

    first = np.flatnonzero(winners(overall_scores(v, w)))
    first_groups = {g for g, members in enumerate(groups) if set(members) & set(first.tolist())}
    nearest = _nearest(current, first_groups, kept, polygons, groups, ids, s)
    return WinMap(
        axes=(ax[0], ax[1], ax[2]),
        mass=s,
        option_ids=ids,
        offsets=tuple(map(float, k)),
        axis_values=tuple(_point(row) for row in u),
        regions=regions,
        borders=borders,
        current=_point(current),
        current_winners=tuple(map(int, first)),
        nearest=nearest,
        without_region=tuple(o for g, m in enumerate(groups) if g not in kept for o in m),
    )


# --- geometry ----------------------------------------------------------------------------


def _point(p: ArrayLike) -> Point:
    a = np.asarray(p, dtype=float)
    return (float(a[0]), float(a[1]), float(a[2]))


def _merge_identical(corner_scores: FloatArray) -> list[tuple[int, ...]]:
    """Group options whose scores agree at all three corners, hence on the whole map."""
    groups: list[list[int]] = []
    for i, row in enumerate(corner_scores):
        for g in groups:
            if np.max(np.abs(corner_scores[g[0]] - row)) <= SAME_TOL:
                g.append(i)
                break
        else:
            groups.append([i])
    return [tuple(g) for g in groups]


def _clip(poly: list[FloatArray], coef: FloatArray, const: float) -> list[FloatArray]:
    """The part of a convex polygon where ``const + coef @ p >= 0`` (a Sutherland–Hodgman step)."""
    f = [const + float(coef @ p) for p in poly]
    out: list[FloatArray] = []
    for j, p in enumerate(poly):
        q, fp, fq = poly[(j + 1) % len(poly)], f[j], f[(j + 1) % len(poly)]
        if fp >= 0:
            out.append(p)
        if (fp > 0 > fq) or (fp < 0 < fq):
            out.append(p + (q - p) * (fp / (fp - fq)))
    return _dedupe(out)


def _dedupe(poly: list[FloatArray], tol: float = 1e-14) -> list[FloatArray]:
    """Drop vertices that repeat the one before (clipping through a vertex yields twins)."""
    out: list[FloatArray] = []
    for p in poly:
        if not out or np.max(np.abs(p - out[-1])) > tol:
            out.append(p)
    while len(out) > 1 and np.max(np.abs(out[0] - out[-1])) <= tol:
        out.pop()
    return out


def _region_polygon(i: int, k: FloatArray, u: FloatArray, s: float) -> list[FloatArray]:
    """Clip the triangle by ``score_i >= score_j`` for every other group ``j``."""
    poly = [c.copy() for c in _CORNERS]
    for j in range(len(k)):
        if j != i and poly:
            poly = _clip(poly, s * (u[i] - u[j]), float(k[i] - k[j]))
    return poly


def _area(poly: list[FloatArray]) -> float:
    """Area of a planar polygon in 3-D (the plane's normal is (1, 1, 1))."""
    if len(poly) < 3:
        return 0.0
    total = np.zeros(3)
    for j, p in enumerate(poly):
        total += np.cross(p, poly[(j + 1) % len(poly)])
    return abs(float(total @ _NORMAL)) / 2


def _border(
    pi: list[FloatArray],
    pj: list[FloatArray],
    k: FloatArray,
    u: FloatArray,
    s: float,
    i: int,
    j: int,
    groups: list[tuple[int, ...]],
) -> Border | None:
    """The shared stretch of two regions on their line ``score_i == score_j``, if any."""
    coef, const = s * (u[i] - u[j]), float(k[i] - k[j])
    direction = np.cross(coef, _NORMAL)
    if np.linalg.norm(direction) == 0:
        return None  # parallel scores: tied everywhere (merged) or never
    on_i = [p for p in pi if abs(const + coef @ p) <= ON_LINE_TOL]
    on_j = [p for p in pj if abs(const + coef @ p) <= ON_LINE_TOL]
    if len(on_i) < 2 or len(on_j) < 2:
        return None

    def span(points: list[FloatArray]) -> tuple[tuple[float, FloatArray], tuple[float, FloatArray]]:
        ts = [float(direction @ p) for p in points]
        return (min(ts), points[int(np.argmin(ts))]), (max(ts), points[int(np.argmax(ts))])

    (lo_i, hi_i), (lo_j, hi_j) = span(on_i), span(on_j)
    lo = max(lo_i, lo_j, key=lambda x: x[0])
    hi = min(hi_i, hi_j, key=lambda x: x[0])
    if np.linalg.norm(hi[1] - lo[1]) <= 1e-12 or hi[0] <= lo[0]:
        return None  # the regions touch at a point only
    return Border(options=groups[i], other=groups[j], start=_point(lo[1]), end=_point(hi[1]))


def _closest_on_polygon(x: FloatArray, poly: list[FloatArray]) -> FloatArray:
    """The point of a convex polygon (in the plane) nearest to ``x``."""
    if len(poly) >= 3:
        crosses = [
            float(np.cross(poly[(j + 1) % len(poly)] - p, x - p) @ _NORMAL)
            for j, p in enumerate(poly)
        ]
        if all(c >= 0 for c in crosses) or all(c <= 0 for c in crosses):
            return x
    best, best_d = poly[0], math.inf
    for j, p in enumerate(poly):
        q = poly[(j + 1) % len(poly)]
        edge = q - p
        t = float(np.clip((x - p) @ edge / (edge @ edge), 0.0, 1.0)) if edge @ edge > 0 else 0.0
        c = p + t * edge
        if (d := float(np.linalg.norm(x - c))) < best_d:
            best, best_d = c, d
    return best


def _nearest(
    current: FloatArray,
    first_groups: set[int],
    kept: list[int],
    polygons: list[list[FloatArray]],
    groups: list[tuple[int, ...]],
    ids: tuple[str, ...],
    s: float,
) -> Nearest | None:
    """The nearest region of an option not first now; a tie at the current point is distance 0."""
    if len(first_groups) > 1:
        other = sorted(first_groups)[1]
        point, dist = current, 0.0
    else:
        found = [
            (float(np.linalg.norm(c - current)), g, c)
            for g in kept
            if g not in first_groups
            for c in [_closest_on_polygon(current, polygons[g])]
        ]
        if not found:
            return None
        dist, other, point = min(found, key=lambda f: (f[0], f[1]))
    shift = s * (point - current)
    return Nearest(
        options=groups[other],
        ids=tuple(ids[o] for o in groups[other]),
        point=_point(point),
        distance=dist,
        distance_pp=100 * s * dist,
        shift=_point(shift),
        moved_pp=50 * float(np.abs(shift).sum()),
    )
