"""Winning regions on the weight triangle: hand-worked maps, properties, a brute-force check."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from afweging import scoring
from afweging.regions import WinMap, aggregate_groups, winning_regions

THIRD = 1 / 3


def verts(region) -> np.ndarray:
    return np.array(region.vertices)


def same_cycle(got: np.ndarray, want: list[tuple[float, float, float]]) -> bool:
    """Equal polygons up to the starting vertex (the order around must match)."""
    want_a = np.array(want, dtype=float)
    if got.shape != want_a.shape:
        return False
    return any(
        np.allclose(np.roll(got, shift, axis=0), want_a, atol=1e-12) for shift in range(len(got))
    )


def signed_edge_distances(poly: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Distance of ``point`` inside each edge line (positive inside), in (p_a, p_b) coordinates.

    An independent containment check: a 2-D parametrisation, not the module's 3-D geometry.
    """
    xy, pt = poly[:, :2], point[:2]
    nxt = np.roll(xy, -1, axis=0)
    area2 = float(np.sum(xy[:, 0] * nxt[:, 1] - nxt[:, 0] * xy[:, 1]))
    edge = nxt - xy
    cross = edge[:, 0] * (pt[1] - xy[:, 1]) - edge[:, 1] * (pt[0] - xy[:, 0])
    return np.sign(area2) * cross / np.linalg.norm(edge, axis=1)


def contains(poly: np.ndarray, point: np.ndarray, tol: float = 1e-9) -> bool:
    return bool(np.all(signed_edge_distances(poly, point) >= -tol))


def dirichlet(rng: np.random.Generator, k: int | None = None) -> np.ndarray:
    return rng.dirichlet(np.ones(3), size=k)


# --- hand-worked maps --------------------------------------------------------------------


def test_each_option_best_on_one_criterion_meets_at_centroid() -> None:
    # score_i = p_i: option i wins where p_i is largest, three kites meeting at (1/3, 1/3, 1/3).
    m = winning_regions(np.eye(3), [0.5, 0.3, 0.2], option_ids=["A", "B", "C"])
    assert [r.ids for r in m.regions] == [("A",), ("B",), ("C",)]
    c = (THIRD, THIRD, THIRD)
    assert same_cycle(verts(m.regions[0]), [(1, 0, 0), (0.5, 0.5, 0), c, (0.5, 0, 0.5)])
    assert same_cycle(verts(m.regions[1]), [(0.5, 0.5, 0), (0, 1, 0), (0, 0.5, 0.5), c])
    assert same_cycle(verts(m.regions[2]), [(0, 0.5, 0.5), (0, 0, 1), (0.5, 0, 0.5), c])
    assert [r.area for r in m.regions] == pytest.approx([THIRD] * 3, abs=1e-12)
    ends = {
        (b.options, b.other): sorted([b.start, b.end]) for b in m.borders
    }  # each border runs from the centroid to a side's midpoint
    assert set(ends) == {((0,), (1,)), ((0,), (2,)), ((1,), (2,))}
    for (a, b), seg in ends.items():
        mid = np.full(3, 0.5)
        mid[[x for x in range(3) if x not in (a[0], b[0])]] = 0
        assert np.allclose(sorted([tuple(mid), c]), seg, atol=1e-12)
    assert m.without_region == ()


def test_weaker_third_option_shifts_the_triple_point() -> None:
    # A = p_a, B = p_b, C = p_c / 2. A and C meet where p_a = p_c / 2; all three at
    # p_a = p_b = t, p_c = 2t, so t = 1/4. A's region: (1,0,0), (1/2,1/2,0),
    # (1/4,1/4,1/2), (1/3,0,2/3); shoelace in (p_a, p_b): 5/24 of the half-unit
    # triangle, a share of 5/12. B mirrors A; C gets the remaining 1/6.
    m = winning_regions([[1, 0, 0], [0, 1, 0], [0, 0, 0.5]], [0.6, 0.2, 0.2])
    a, b, c = m.regions
    assert same_cycle(
        verts(a), [(1, 0, 0), (0.5, 0.5, 0), (0.25, 0.25, 0.5), (THIRD, 0, 2 * THIRD)]
    )
    assert same_cycle(verts(c), [(0, THIRD, 2 * THIRD), (0, 0, 1), (THIRD, 0, 2 * THIRD),
                                 (0.25, 0.25, 0.5)])  # fmt: skip
    assert [a.area, b.area, c.area] == pytest.approx([5 / 12, 5 / 12, 1 / 6], abs=1e-12)
    assert m.current_winners == (0,)


def test_distance_to_a_different_outcome_hand_worked() -> None:
    # At (0.5, 0.3, 0.2) A leads B by 0.2; the nearest tie is (0.4, 0.4, 0.2): 10 points of
    # weight moved from A to B, a Euclidean distance of sqrt(2) * 0.1. C is further: its
    # nearest point (0.35, 0.3, 0.35) is sqrt(2) * 0.15 away.
    m = winning_regions(np.eye(3), [0.5, 0.3, 0.2], option_ids=["A", "B", "C"])
    n = m.nearest
    assert n is not None and n.ids == ("B",)
    assert n.point == pytest.approx((0.4, 0.4, 0.2), abs=1e-12)
    assert n.distance == pytest.approx(math.sqrt(2) * 0.1)
    assert n.distance_pp == pytest.approx(100 * math.sqrt(2) * 0.1)
    assert n.moved_pp == pytest.approx(10.0)
    assert n.shift == pytest.approx((-0.1, 0.1, 0.0), abs=1e-12)


def test_fixed_criteria_keep_their_weight_and_shrink_the_mass() -> None:
    # Five criteria; the map over (3, 0, 1) with criteria 2 and 4 fixed at 0.2 and 0.3.
    values = np.array([[1, 0, 0.5, 0, 1], [0, 1, 0.5, 1, 0]], dtype=float)
    w = [0.1, 0.2, 0.2, 0.2, 0.3]
    m = winning_regions(values, w, axes=(3, 0, 1))
    assert m.mass == pytest.approx(0.5)
    assert m.offsets == pytest.approx((0.1 + 0.3, 0.1))
    assert m.current == pytest.approx((0.4, 0.2, 0.4))
    assert m.weights_at((1, 0, 0), w) == pytest.approx([0, 0, 0.2, 0.5, 0.3])
    # A - B = 0.3 + 0.5 * (-p_3 + p_0 - p_1): A wins unless p_3 + p_1 - p_0 > 0.6.
    assert m.scores_at(m.current) == pytest.approx(scoring.overall_scores(values, w))
    assert sum(r.area for r in m.regions) == pytest.approx(1.0)


def test_identical_options_are_merged_into_one_region() -> None:
    m = winning_regions(
        [[1, 0, 0], [0, 1, 0], [1, 0, 0]], [0.5, 0.25, 0.25], option_ids=["A", "B", "A2"]
    )
    assert [r.ids for r in m.regions] == [("A", "A2"), ("B",)]
    assert m.current_winners == (0, 2)
    # A tie between identical options is no different outcome: the nearest is B's region.
    assert m.nearest is not None and m.nearest.ids == ("B",) and m.nearest.distance > 0
    assert m.region_of(2) is m.regions[0]


def test_option_first_only_on_a_line_has_no_region() -> None:
    # C = (p_a + p_b) / 2 equals A and B only where p_a = p_b and p_c = 0... and never beats
    # both; D is dominated everywhere.
    values = [[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [0.1, 0.1, 0.1], [0, 0, 1]]
    m = winning_regions(values, [0.4, 0.4, 0.2])
    assert [r.options for r in m.regions] == [(0,), (1,), (4,)]
    assert m.without_region == (2, 3)
    assert m.current_winners == (0, 1, 2)  # a three-way tie right on a border
    assert m.nearest is not None and m.nearest.distance == 0.0
    assert sum(r.area for r in m.regions) == pytest.approx(1.0)


def test_one_option_wins_everywhere() -> None:
    m = winning_regions([[0.5, 0.5, 0.5], [0.1, 0.2, 0.3]], [0.2, 0.3, 0.5])
    assert len(m.regions) == 1 and m.regions[0].area == pytest.approx(1.0)
    assert m.borders == () and m.nearest is None and m.without_region == (1,)


def test_no_weight_on_the_axes_is_refused() -> None:
    with pytest.raises(ValueError, match="weight 0 together"):
        winning_regions(np.eye(4), [0, 0, 0, 1])


@pytest.mark.parametrize(
    ("values", "weights", "axes", "match"),
    [
        (np.eye(3), [1, 1, 1], (0, 1, 1), "3 different criteria"),
        (np.eye(3), [1, 1, 1], (0, 1, 3), "3 different criteria"),
        (np.eye(2), [1, 1], (0, 1, 2), "at least 3 criteria"),
        (np.eye(3), [1, 1], (0, 1, 2), "shape"),
        (np.eye(3), [1, -1, 1], (0, 1, 2), "negative"),
        ([[0, 1, np.nan]], [1, 1, 1], (0, 1, 2), "finite"),
    ],
)
def test_invalid_input_is_refused(values, weights, axes, match) -> None:
    with pytest.raises(ValueError, match=match):
        winning_regions(values, weights, axes)


def test_aggregate_groups_is_the_weighted_sum_of_leaves() -> None:
    values = np.array([[1.0, 0.0, 0.5, 0.2, 0.4], [0.0, 1.0, 0.25, 1.0, 0.0]])
    got = aggregate_groups(values, [0.75, 0.25, 1.0, 0.5, 0.5], [0, 0, 1, 2, 2])
    assert got == pytest.approx(np.array([[0.75, 0.5, 0.3], [0.25, 0.25, 0.5]]))
    with pytest.raises(ValueError, match="sum to 1"):
        aggregate_groups(values, [0.5, 0.25, 1.0, 0.5, 0.5], [0, 0, 1, 2, 2])


# --- properties --------------------------------------------------------------------------

values_3 = st.integers(1, 6).flatmap(
    lambda n: arrays(np.float64, (n, 3), elements=st.floats(0, 1, allow_subnormal=False))
)


def check_map_against_scoring(
    m: WinMap, values: np.ndarray, weights: np.ndarray, points: np.ndarray
) -> int:
    """Each point lies in the region of the option scoring ranks first; returns points checked."""
    checked = 0
    for p in points:
        scores = scoring.overall_scores(values, m.weights_at(p, weights))
        best = int(np.argmax(scores))
        region = m.region_of(best)
        rivals = [i for i in range(len(values)) if region is None or i not in region.options]
        if any(scores[i] > scores[best] - 1e-9 for i in rivals):
            continue  # within 1e-9 of a border (or a tie)
        assert region is not None
        assert contains(verts(region), p)
        for other in m.regions:
            if other is not region:
                assert not contains(verts(other), p, tol=-1e-12)
        checked += 1
    return checked


@settings(max_examples=100, deadline=None)
@given(values=values_3, seed=st.integers(0, 2**32 - 1))
def test_regions_hold_the_scoring_winner_and_tile_the_triangle(values, seed) -> None:
    rng = np.random.default_rng(seed)
    w = dirichlet(rng)
    m = winning_regions(values, w)
    assert sum(r.area for r in m.regions) == pytest.approx(1.0, abs=1e-9)
    for r in m.regions:
        v = verts(r)
        assert np.all(v >= -1e-12) and np.allclose(v.sum(axis=1), 1.0)
    check_map_against_scoring(m, values, w, dirichlet(rng, 50))
    assert m.current_winners == tuple(np.flatnonzero(scoring.winners(values @ w)))


@settings(max_examples=100, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 5), st.integers(4, 6)),
    seed=st.integers(0, 2**32 - 1),
)
def test_general_case_agrees_with_scoring_the_full_weight_vector(shape, seed) -> None:
    rng = np.random.default_rng(seed)
    n, k = shape
    values = rng.choice([0.0, 0.25, 0.5, 1.0], size=(n, k)) if seed % 3 == 0 else rng.random((n, k))
    w = rng.dirichlet(np.ones(k))
    axes = tuple(rng.choice(k, size=3, replace=False).tolist())
    m = winning_regions(values, w, axes)
    assert m.mass == pytest.approx(w[list(axes)].sum())
    assert m.current_winners == tuple(np.flatnonzero(scoring.winners(values @ w)))
    points = dirichlet(rng, 50)
    full = np.array([m.weights_at(p, w) for p in points])
    assert np.allclose(full.sum(axis=1), 1.0)
    assert m.scores_at(points) == pytest.approx(scoring.overall_scores(values, full))
    check_map_against_scoring(m, values, w, points)
    assert sum(r.area for r in m.regions) == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(values=values_3, seed=st.integers(0, 2**32 - 1))
def test_distance_is_zero_exactly_on_a_border(values, seed) -> None:
    m = winning_regions(values, [THIRD] * 3)
    assume(m.borders)
    rng = np.random.default_rng(seed)
    b = m.borders[rng.integers(len(m.borders))]
    t = rng.uniform(0.1, 0.9)
    on = t * np.array(b.start) + (1 - t) * np.array(b.end)
    at = winning_regions(values, on)
    assert at.nearest is not None
    assert at.nearest.distance == pytest.approx(0.0, abs=1e-12)
    assert set(at.current_winners) & set(b.options + b.other)


def test_tree_top_level_map_agrees_with_leaf_scoring() -> None:
    # Three top-level criteria over five leaves; the map over the aggregated values must
    # rank as the leaf weights top_weight * within_weight do.
    rng = np.random.default_rng(7)
    groups = np.array([0, 0, 1, 2, 2])
    within = np.array([0.75, 0.25, 1.0, 0.4, 0.6])
    for _ in range(20):
        leaves = rng.random((4, 5))
        top = rng.dirichlet(np.ones(3))
        m = winning_regions(aggregate_groups(leaves, within, groups), top)
        assert m.current_winners == tuple(
            np.flatnonzero(scoring.winners(leaves @ (top[groups] * within)))
        )
        for p in dirichlet(rng, 30):
            leaf_scores = leaves @ (p[groups] * within)
            assert m.scores_at(p) == pytest.approx(leaf_scores)
        assert sum(r.area for r in m.regions) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(25))
def test_distance_agrees_with_a_dense_grid_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.random((rng.integers(2, 6), 3))
    current = dirichlet(rng)
    m = winning_regions(values, current)
    steps = 240
    i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
    keep = i + j <= steps
    grid = np.stack([i[keep], j[keep], steps - i[keep] - j[keep]], axis=1) / steps
    first = scoring.winners(scoring.overall_scores(values, grid))
    mine = np.zeros(len(values), dtype=bool)
    mine[[o for o in range(len(values)) if (r := m.region_of(o)) is not None
          and set(r.options) & set(m.current_winners)]] = True  # fmt: skip
    elsewhere = (first & ~mine).any(axis=1)
    if m.nearest is None:
        assert not elsewhere.any()
        return
    brute = float(np.min(np.linalg.norm(grid[elsewhere] - current, axis=1)))
    spacing = math.sqrt(2) / steps  # between neighbouring grid points
    assert m.nearest.distance <= brute + 1e-9
    assert brute <= m.nearest.distance + 2 * spacing
    # the nearest point is where the named option is (jointly) first
    at = scoring.overall_scores(values, m.nearest.point)
    assert at[m.nearest.options[0]] == pytest.approx(at.max(), abs=1e-9)
