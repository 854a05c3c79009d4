"""Tests for afweging.smaa: weight models, rank acceptability, central weights, confidence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afweging.scoring import competition_ranks, overall_scores, winners
from afweging.smaa import (
    CHUNK_ELEMENTS,
    DEFAULT_CHUNK,
    UniformWeights,
    WeightsAround,
    WeightSet,
    _ranks,
    chunk_size_for,
    smaa,
)


@pytest.fixture
def random_problem():
    """A seeded factory of (values, lo, hi) with score ranges around the values."""

    def make(seed: int, n: int = 5, m: int = 4, width: float = 0.1):
        rng = np.random.default_rng(seed)
        values = rng.random((n, m))
        return values, np.clip(values - width, 0, 1), np.clip(values + width, 0, 1)

    return make


# -- weight models -------------------------------------------------------------


def test_uniform_weights_lie_on_the_simplex_with_mean_one_over_m():
    w = UniformWeights().sample(np.random.default_rng(0), 50_000, 4)
    assert w.shape == (50_000, 4)
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w.mean(axis=0), 0.25, atol=0.005)
    # Dirichlet(1,1,1,1): each marginal is Beta(1, 3), variance 3 / 80.
    np.testing.assert_allclose(w.var(axis=0), 3 / 80, rtol=0.05)


def test_weights_around_has_the_documented_mean_and_spread():
    target = np.array([0.5, 0.25, 0.25, 0.0])
    w = WeightsAround(target, spread=0.1).sample(np.random.default_rng(1), 50_000, 4)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w.mean(axis=0), target, atol=0.002)
    expected_sd = 0.1 * np.sqrt(target * (1 - target))
    np.testing.assert_allclose(w.std(axis=0), expected_sd, rtol=0.05, atol=1e-12)
    assert np.all(w[:, 3] == 0.0)  # a zero weight stays zero


def test_weights_around_zero_spread_is_the_vector_itself():
    w = WeightsAround([2, 1, 1], spread=0.0).sample(np.random.default_rng(1), 3, 3)
    np.testing.assert_allclose(w, [[0.5, 0.25, 0.25]] * 3)


def test_weights_around_rejects_bad_spread_and_size():
    with pytest.raises(ValueError, match=r"spread must be in \[0, 1\), got 1.0"):
        WeightsAround([0.5, 0.5], spread=1.0)
    with pytest.raises(ValueError, match="weights have 2 criteria, the values have 3"):
        WeightsAround([0.5, 0.5], spread=0.1).sample(np.random.default_rng(0), 5, 3)


def test_weight_set_uses_each_vector_in_turn():
    ws = WeightSet([[1, 0], [1, 3], [0, 2]])
    w = ws.sample(np.random.default_rng(0), 7, 2)
    np.testing.assert_allclose(w[:3], [[1, 0], [0.25, 0.75], [0, 1]])
    np.testing.assert_allclose(w[3:6], w[:3])
    with pytest.raises(ValueError, match="vectors have 2 criteria, the values have 3"):
        ws.sample(np.random.default_rng(0), 7, 3)
    with pytest.raises(ValueError, match="non-empty"):
        WeightSet(np.zeros((0, 2)))


# -- acceptability -------------------------------------------------------------


def test_dominating_option_is_always_first():
    rng = np.random.default_rng(2)
    values = rng.random((6, 5)) * 0.9
    lo, hi = np.clip(values - 0.05, 0, 0.95), np.clip(values + 0.05, 0, 0.95)
    # Option 3's whole range lies above every other option's range.
    values[3], lo[3], hi[3] = 0.99, 0.97, 1.0
    res = smaa(values, lo=lo, hi=hi, n_samples=5_000, seed=4)
    assert res.acceptability[3, 0] == 1.0
    assert res.confidence[3] == 1.0
    assert all(res.central_weights[i] is None for i in range(6) if i != 3)
    assert all(res.confidence[i] is None for i in range(6) if i != 3)


def test_rows_and_columns_sum_to_one(random_problem):
    values, lo, hi = random_problem(5, n=7, m=3)
    res = smaa(values, lo=lo, hi=hi, n_samples=3_000, seed=0)
    np.testing.assert_allclose(res.acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0)


def test_ties_are_split_fractionally_so_columns_still_sum_to_one():
    # Options 0 and 1 are identical: always tied. Option 2 is always last.
    values = np.array([[0.9, 0.8], [0.9, 0.8], [0.1, 0.1]])
    res = smaa(values, n_samples=1_000, seed=0)
    np.testing.assert_allclose(res.acceptability, [[0.5, 0.5, 0], [0.5, 0.5, 0], [0, 0, 1]])
    assert res.confidence[0] == 0.5  # a shared first place counts as half
    np.testing.assert_allclose(res.central_weights[0], res.central_weights[1])


def test_three_way_tie_for_second_place():
    values = np.array([[1.0, 1.0], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])
    res = smaa(values, n_samples=100, seed=0)
    np.testing.assert_allclose(res.acceptability[0], [1, 0, 0, 0])
    np.testing.assert_allclose(res.acceptability[1:], [[0, 1 / 3, 1 / 3, 1 / 3]] * 3)
    np.testing.assert_allclose(res.acceptability.sum(axis=0), 1.0)


def test_fixed_scores_and_fixed_weights_reproduce_the_plain_ranking():
    rng = np.random.default_rng(8)
    values = rng.random((5, 3))
    w = np.array([0.2, 0.5, 0.3])
    res = smaa(values, WeightsAround(w, 0.0), n_samples=10, seed=1)
    best = np.flatnonzero(winners(overall_scores(values, w)))
    assert res.acceptability[best[0], 0] == 1.0
    np.testing.assert_allclose(res.central_weights[best[0]], w)
    assert not res.scores_vary
    assert res.confidence[best[0]] == 1.0


def test_central_weights_point_towards_an_options_strength():
    # A is best on criterion 0, B on criterion 1: their central weights lean that way.
    values = np.array([[1.0, 0.0], [0.0, 1.0]])
    res = smaa(values, n_samples=20_000, seed=3)
    np.testing.assert_allclose(res.first_rank, [0.5, 0.5], atol=0.02)
    np.testing.assert_allclose(res.central_weights[0], [0.75, 0.25], atol=0.01)
    np.testing.assert_allclose(res.central_weights[1], [0.25, 0.75], atol=0.01)


def test_weight_set_gives_each_participants_winner():
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    res = smaa(values, WeightSet([[1, 0], [0.9, 0.1], [0.2, 0.8], [0.5, 0.5]]), n_samples=400)
    # Participants 1-2 pick A, participant 3 picks B, participant 4 sees A and B tied.
    np.testing.assert_allclose(res.first_rank, [0.625, 0.375, 0.0])


def test_confidence_is_lower_for_wide_score_ranges():
    values = np.random.default_rng(11).random((4, 3)) * 0.5 + 0.25
    narrow = smaa(values, lo=values - 0.01, hi=values + 0.01, n_samples=4_000, seed=2)
    wide = smaa(values, lo=values * 0.5, hi=np.minimum(values * 1.5, 1.0), n_samples=4_000, seed=2)
    best = int(np.argmax(narrow.first_rank))
    assert wide.confidence[best] < narrow.confidence[best]


# -- reproducibility -----------------------------------------------------------


def test_same_seed_same_numbers_and_different_seed_differs(random_problem):
    values, lo, hi = random_problem(6)
    a = smaa(values, lo=lo, hi=hi, n_samples=2_000, seed=42)
    b = smaa(values, lo=lo, hi=hi, n_samples=2_000, seed=42)
    c = smaa(values, lo=lo, hi=hi, n_samples=2_000, seed=43)
    np.testing.assert_array_equal(a.acceptability, b.acceptability)
    assert a.confidence == b.confidence
    assert not np.array_equal(a.acceptability, c.acceptability)


def test_results_do_not_depend_on_chunk_size(random_problem, monkeypatch):
    values, lo, hi = random_problem(7)
    a = smaa(values, lo=lo, hi=hi, n_samples=3_001, seed=9, chunk_size=3_001)
    b = smaa(values, lo=lo, hi=hi, n_samples=3_001, seed=9, chunk_size=500)
    np.testing.assert_allclose(a.acceptability, b.acceptability, atol=1e-12)
    # Redrawing instead of keeping the draws gives the same confidence factors.
    monkeypatch.setattr("afweging.smaa.CACHE_BYTES", 0)
    c = smaa(values, lo=lo, hi=hi, n_samples=3_001, seed=9, chunk_size=500)
    assert c.confidence == pytest.approx(b.confidence, abs=1e-12)


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096, None])
def test_chunk_size_leaves_acceptabilities_identical(random_problem, chunk):
    """Same seed, same random stream: every chunk size gives the same counts, exactly."""
    values, lo, hi = random_problem(11, n=9, m=3)
    ref = smaa(values, lo=lo, hi=hi, n_samples=1_001, seed=5, chunk_size=1_001)
    got = smaa(values, lo=lo, hi=hi, n_samples=1_001, seed=5, chunk_size=chunk)
    np.testing.assert_array_equal(got.acceptability, ref.acceptability)
    assert got.confidence == pytest.approx(ref.confidence, abs=1e-12)
    for a, b in zip(got.central_weights, ref.central_weights, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("chunk", [1, 5, 333])
def test_chunk_size_leaves_tied_acceptabilities_equal(chunk):
    """Fixed coarse scores (ties, an equal pair of options) under a weight model."""
    values = np.array([[1, 0, 0.5], [0, 1, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0, 0, 1]])
    model = WeightsAround(np.array([1.0, 1.0, 0.0]), 0.3)
    ref = smaa(values, model, n_samples=2_000, seed=3, chunk_size=2_000)
    got = smaa(values, model, n_samples=2_000, seed=3, chunk_size=chunk)
    np.testing.assert_allclose(got.acceptability, ref.acceptability, rtol=0, atol=1e-12)
    assert got.confidence == pytest.approx(ref.confidence, abs=1e-12)


def test_default_chunk_keeps_within_the_memory_budget(random_problem, monkeypatch):
    """The default chunk bounds chunk x options x max(options, criteria); a smaller budget
    (so smaller chunks) gives the same acceptabilities."""
    for n, m in [(7, 12), (200, 50), (1000, 100), (5000, 3)]:
        assert 1 <= chunk_size_for(n, m) <= DEFAULT_CHUNK
        assert chunk_size_for(n, m) * n * max(n, m) <= max(CHUNK_ELEMENTS, n * max(n, m))
    values, lo, hi = random_problem(12, n=30, m=4)
    ref = smaa(values, lo=lo, hi=hi, n_samples=2_000, seed=1)
    monkeypatch.setattr("afweging.smaa.CHUNK_ELEMENTS", 30 * 30 * 3)
    assert chunk_size_for(30, 4) == 3
    got = smaa(values, lo=lo, hi=hi, n_samples=2_000, seed=1)
    np.testing.assert_array_equal(got.acceptability, ref.acceptability)


@pytest.mark.parametrize("seed", range(20))
def test_sorted_ranks_equal_competition_ranks(seed):
    """Ranks by sorting each row match the pairwise definition, ties included."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (50, int(rng.integers(1, 20)))) / 3  # both ways: pairs, sorting
    scores[::7, 0] += 1e-12  # below the rounding: still equal to the others at that level
    ranks, has_tie = _ranks(scores)
    expected = competition_ranks(scores) - 1
    np.testing.assert_array_equal(ranks, expected)
    np.testing.assert_array_equal(has_tie, [len(set(r)) < r.size for r in expected])


def test_result_arrays_are_read_only(random_problem):
    values, lo, hi = random_problem(1)
    res = smaa(values, lo=lo, hi=hi, n_samples=100, seed=0)
    with pytest.raises(ValueError, match="read-only"):
        res.acceptability[0, 0] = 1.0


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6), m=st.integers(1, 4))
def test_acceptability_is_doubly_stochastic(seed, n, m):
    """Property: with or without ties, every rank and every option sums to 1."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 3, (n, m)) / 2  # coarse values make ties common
    res = smaa(values, n_samples=300, seed=seed)
    np.testing.assert_allclose(res.acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0)
    for cw in res.central_weights:
        if cw is not None:
            assert cw.sum() == pytest.approx(1.0)


# -- validation ----------------------------------------------------------------


def test_bad_ranges_are_refused():
    values = np.array([[0.5, 0.5], [0.2, 0.8]])
    with pytest.raises(ValueError, match="lo must not exceed hi; first at option 0, criterion 1"):
        smaa(values, lo=[[0.4, 0.6], [0.2, 0.8]], hi=[[0.6, 0.55], [0.2, 0.8]])
    with pytest.raises(ValueError, match="values must lie within"):
        smaa(values, lo=[[0.6, 0.5], [0.2, 0.8]], hi=[[0.7, 0.5], [0.2, 0.8]])
    with pytest.raises(ValueError, match=r"lo must have the shape of values \(2, 2\)"):
        smaa(values, lo=[0.1, 0.2], hi=values)
    with pytest.raises(ValueError, match="n_samples must be at least 1"):
        smaa(values, n_samples=0)


def test_nan_bounds_mean_fixed_scores():
    values = np.array([[0.5, 0.5], [0.2, 0.8]])
    lo = np.array([[np.nan, 0.4], [np.nan, np.nan]])
    hi = np.array([[np.nan, 0.6], [np.nan, np.nan]])
    res = smaa(values, lo=lo, hi=hi, n_samples=500, seed=0)
    assert res.scores_vary
    np.testing.assert_allclose(res.acceptability.sum(axis=1), 1.0)
