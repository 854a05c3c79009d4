"""Tests for afweging.sensitivity: the weight path, sweeps and exact intervals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afweging.scoring import competition_ranks, overall_scores
from afweging.sensitivity import (
    Crossing,
    one_way,
    score_lines,
    stability_interval,
    stability_intervals,
    weights_along,
)

# Two options, two criteria: A is better on criterion 0, B on criterion 1.
# s_A(t) = t * 1.0 + (1 - t) * 0.2, s_B(t) = t * 0.4 + (1 - t) * 0.8 for criterion 0;
# they cross where 0.2 + 0.8 t = 0.8 - 0.4 t, i.e. t = 0.5.
TWO = np.array([[1.0, 0.2], [0.4, 0.8]])


def test_weights_along_keeps_ratios_and_sums_to_one():
    w = np.array([0.2, 0.3, 0.5])
    path = weights_along(w, 0, [0.0, 0.2, 0.6, 1.0])
    np.testing.assert_allclose(path.sum(axis=1), 1.0)
    np.testing.assert_allclose(path[:, 0], [0.0, 0.2, 0.6, 1.0])
    np.testing.assert_allclose(path[:3, 1] / path[:3, 2], 0.3 / 0.5)  # ratio kept
    np.testing.assert_allclose(path[3], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(path[1], w)  # t = current weight gives today's weights


def test_weights_along_full_weight_spreads_the_rest_equally():
    path = weights_along([0.0, 1.0, 0.0, 0.0], 1, [0.4])
    np.testing.assert_allclose(path[0], [0.2, 0.4, 0.2, 0.2])


def test_weights_along_rejects_bad_input():
    with pytest.raises(ValueError, match=r"t must lie in \[0, 1\]"):
        weights_along([0.5, 0.5], 0, [1.5])
    with pytest.raises(IndexError, match=r"criterion must be in 0\.\.1, got 2"):
        weights_along([0.5, 0.5], 2, [0.5])
    with pytest.raises(ValueError, match="at least two criteria"):
        weights_along([1.0], 0, [0.5])


def test_one_way_grid_scores_and_current_weight():
    sweep = one_way(TWO, [0.5, 0.5], 0, points=5)
    np.testing.assert_allclose(sweep.grid, [0, 0.25, 0.5, 0.75, 1])
    assert sweep.scores.shape == (2, 5)
    np.testing.assert_allclose(sweep.scores[0], 0.2 + 0.8 * sweep.grid)
    np.testing.assert_allclose(sweep.scores[1], 0.8 - 0.4 * sweep.grid)
    assert sweep.current_weight == 0.5


def test_one_way_rejects_bad_shapes():
    with pytest.raises(ValueError, match=r"weights must have shape \(2,\)"):
        one_way(TWO, [0.2, 0.3, 0.5], 0)
    with pytest.raises(ValueError, match="2-D"):
        one_way([0.1, 0.2], [0.5, 0.5], 0)
    with pytest.raises(ValueError, match="points must be at least 2"):
        one_way(TWO, [0.5, 0.5], 0, points=1)
    with pytest.raises(ValueError, match="at least two criteria"):
        one_way([[0.1], [0.2]], [1.0], 0)


def test_score_lines_match_the_sweep():
    rng = np.random.default_rng(3)
    v = rng.random((4, 3))
    w = np.array([0.1, 0.6, 0.3])
    r, d = score_lines(v, w, 2)
    sweep = one_way(v, w, 2, points=11)
    np.testing.assert_allclose(sweep.scores, r[:, None] + d[:, None] * sweep.grid)


def test_two_options_cross_at_one_half():
    # Today w0 = 0.7: A leads (0.76 vs 0.52); B takes over below t = 0.5.
    si = stability_interval(TWO, [0.7, 0.3], 0)
    assert si.winner_lo == pytest.approx(0.5)
    assert si.winner_hi == 1.0
    assert (si.ranking_lo, si.ranking_hi) == (si.winner_lo, si.winner_hi)
    assert si.crossings == (Crossing(pytest.approx(0.5), 0, 1),)
    assert not si.tied_at_current


def test_parallel_lines_never_cross():
    # B is A minus 0.1 on both criteria: parallel lines, A always first.
    v = np.array([[0.9, 0.5], [0.8, 0.4]])
    si = stability_interval(v, [0.3, 0.7], 1)
    assert (si.winner_lo, si.winner_hi) == (0.0, 1.0)
    assert (si.ranking_lo, si.ranking_hi) == (0.0, 1.0)
    assert si.crossings == ()


def test_identical_options_stay_tied_over_the_whole_range():
    v = np.array([[0.9, 0.5], [0.9, 0.5], [0.1, 0.1]])
    si = stability_interval(v, [0.3, 0.7], 0)
    assert si.tied_at_current
    assert (si.winner_lo, si.winner_hi) == (0.0, 1.0)
    assert si.crossings == ()


def test_tie_that_breaks_at_once_gives_a_point_interval():
    # At w = (0.5, 0.5) both score 0.6 but their lines cross there.
    si = stability_interval(TWO, [0.5, 0.5], 0)
    assert si.tied_at_current
    assert (si.winner_lo, si.winner_hi) == (0.5, 0.5)
    assert (si.ranking_lo, si.ranking_hi) == (0.5, 0.5)


def test_lower_ranks_can_change_while_the_winner_holds():
    # C and D swap at t = 0.5 far below A, so the ranking interval is narrower.
    v = np.array([[1.0, 1.0], [0.5, 0.1], [0.1, 0.5]])
    si = stability_interval(v, [0.8, 0.2], 0)
    assert (si.winner_lo, si.winner_hi) == (0.0, 1.0)
    assert si.ranking_lo == pytest.approx(0.5)
    assert si.ranking_hi == 1.0


def test_full_weight_on_one_criterion():
    v = np.array([[1.0, 0.0, 0.0], [0.6, 1.0, 1.0]])
    si = stability_interval(v, [1.0, 0.0, 0.0], 0)
    # Others spread equally: s_A = t, s_B = 0.6 t + (1 - t) -> cross at t = 5/7.
    assert si.current_weight == 1.0
    assert si.winner_lo == pytest.approx(5 / 7)
    assert si.winner_hi == 1.0


def test_stability_intervals_covers_every_criterion():
    out = stability_intervals(TWO, [0.7, 0.3])
    assert [si.criterion for si in out] == [0, 1]
    assert out[1].current_weight == pytest.approx(0.3)


def _brute_force(v, w, j, grid):
    """Which grid points keep the winners first, and keep all ranks, by direct scoring."""
    t0 = w[j] / w.sum()
    ranks0 = competition_ranks(overall_scores(v, weights_along(w, j, [t0])[0]))
    ranks = competition_ranks(overall_scores(v, weights_along(w, j, grid)))
    winners_hold = np.all(ranks[:, ranks0 == 1] == 1, axis=1)
    ranking_holds = np.all(ranks == ranks0, axis=1)
    return winners_hold, ranking_holds


def _agrees(lo, hi, holds, grid, crossings, margin=1e-6):
    """Away from crossing points, 'inside [lo, hi]' must equal 'holds by sweep'."""
    near = np.zeros(grid.shape, dtype=bool)
    for t in [lo, hi, *(c.t for c in crossings)]:
        near |= np.abs(grid - t) < margin
    inside = (grid >= lo) & (grid <= hi)
    return np.array_equal(inside[~near], holds[~near])


grid_values = st.sampled_from([i / 10 for i in range(11)])


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(2, 6),
    m=st.integers(2, 4),
    data=st.data(),
)
def test_exact_intervals_agree_with_a_fine_sweep(n, m, data):
    """Property: the analytic intervals match direct scoring on 20,001 points.

    Values on a 0.1 grid and integer weights make exact ties and parallel lines
    common, so the degenerate branches are exercised too.
    """
    v = np.array(data.draw(st.lists(grid_values, min_size=n * m, max_size=n * m))).reshape(n, m)
    w = np.array(data.draw(st.lists(st.integers(0, 5), min_size=m, max_size=m)), dtype=float)
    if w.sum() == 0:
        w[0] = 1.0
    j = data.draw(st.integers(0, m - 1))
    grid = np.linspace(0.0, 1.0, 20_001)
    si = stability_interval(v, w, j)
    winners_hold, ranking_holds = _brute_force(v, w, j, grid)
    assert si.winner_lo <= si.current_weight <= si.winner_hi
    assert si.winner_lo <= si.ranking_lo <= si.ranking_hi <= si.winner_hi
    assert _agrees(si.winner_lo, si.winner_hi, winners_hold, grid, si.crossings)
    assert _agrees(si.ranking_lo, si.ranking_hi, ranking_holds, grid, si.crossings)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_exact_intervals_agree_with_sweep_on_random_floats(seed):
    """Property on continuous random values, where ties almost never occur."""
    rng = np.random.default_rng(seed)
    n, m = rng.integers(2, 8), rng.integers(2, 6)
    v = rng.random((n, m))
    w = rng.random(m)
    j = int(rng.integers(m))
    grid = np.linspace(0.0, 1.0, 20_001)
    si = stability_interval(v, w, j)
    winners_hold, ranking_holds = _brute_force(v, w, j, grid)
    assert _agrees(si.winner_lo, si.winner_hi, winners_hold, grid, si.crossings)
    assert _agrees(si.ranking_lo, si.ranking_hi, ranking_holds, grid, si.crossings)
    # Every reported crossing really is a crossing of the two lines.
    r, d = score_lines(v, w, j)
    for c in si.crossings:
        assert r[c.a] + d[c.a] * c.t == pytest.approx(r[c.b] + d[c.b] * c.t, abs=1e-9)
        assert d[c.a] > d[c.b]
