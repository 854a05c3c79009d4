"""Tests for afweging.methods: TOPSIS, PROMETHEE II and the cross-check, against pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM
from pymcdm.normalizations import minmax_normalization, vector_normalization

from afweging.methods import cross_check, promethee_ii, topsis
from afweging.scoring import normalise, overall_scores


def random_problem(seed: int, integer: bool = False):
    """Raw matrix, directions and weights; integer data gives ties in PROMETHEE."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 9)), int(rng.integers(1, 6))
    raw = rng.integers(1, 6, (n, m)).astype(float) if integer else rng.uniform(0.5, 100, (n, m))
    directions = rng.choice([-1, 1], m)
    weights = rng.dirichlet(np.ones(m))
    return raw, directions, weights


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), integer=st.booleans())
def test_topsis_agrees_with_pymcdm(seed, integer):
    raw, directions, weights = random_problem(seed, integer)
    ours = topsis(raw, directions, weights).closeness
    with np.errstate(invalid="ignore"):  # pymcdm divides 0 / 0 when all options coincide
        theirs = TOPSIS(vector_normalization)(raw, weights, directions, validation=False)
    # pymcdm gives NaN there; we give 0.5 (documented).
    np.testing.assert_allclose(ours, np.nan_to_num(theirs, nan=0.5), rtol=1e-9, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), integer=st.booleans())
def test_promethee_ii_agrees_with_pymcdm(seed, integer):
    raw, directions, weights = random_problem(seed, integer)
    ours = promethee_ii(raw, directions, weights)
    theirs = PROMETHEE_II("usual")(raw, weights, directions, validation=False)
    np.testing.assert_allclose(ours.net, theirs, atol=1e-12)
    np.testing.assert_allclose(ours.net.sum(), 0.0, atol=1e-12)
    np.testing.assert_allclose(ours.net, ours.positive - ours.negative)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_weighted_sum_agrees_with_pymcdm_wsm_under_min_max_scaling(seed):
    """pymcdm's WSM with min-max normalisation is our model with the observed range as scale."""
    raw, directions, weights = random_problem(seed)
    values = normalise(raw, raw.min(axis=0), raw.max(axis=0), directions > 0)
    ours = overall_scores(values, weights)
    theirs = WSM(minmax_normalization)(raw, weights, directions, validation=False)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)
    np.testing.assert_allclose(ours, (values * weights).sum(axis=1), atol=1e-12)


def test_topsis_by_hand_on_two_options():
    # Benefit criterion: 3 and 4 normalise to 0.6 and 0.8; option 1 is ideal.
    res = topsis([[3.0], [4.0]], [1], [1.0])
    np.testing.assert_allclose(res.closeness, [0.0, 1.0])
    np.testing.assert_allclose(res.distance_ideal, [0.2, 0.0])
    # As a cost criterion the roles swap.
    np.testing.assert_allclose(topsis([[3.0], [4.0]], [-1], [1.0]).closeness, [1.0, 0.0])


def test_topsis_identical_options_get_one_half():
    np.testing.assert_allclose(topsis([[2.0, 5.0], [2.0, 5.0]], [1, -1], [0.5, 0.5]).closeness, 0.5)


def test_topsis_refuses_an_all_zero_column():
    with pytest.raises(ValueError, match=r"criteria \[1\] are all zero"):
        topsis([[1.0, 0.0], [2.0, 0.0]], [1, 1], [0.5, 0.5])


def test_promethee_usual_criterion_by_hand():
    # A beats B on criterion 0 (w 0.7), B beats A on criterion 1 (w 0.3).
    flows = promethee_ii([[2.0, 1.0], [1.0, 5.0]], [1, 1], [0.7, 0.3])
    np.testing.assert_allclose(flows.preference, [[0.0, 0.7], [0.3, 0.0]])
    np.testing.assert_allclose(flows.net, [0.4, -0.4])
    # Size of a difference does not matter under the usual criterion.
    bigger = promethee_ii([[200.0, 1.0], [1.0, 5.0]], [1, 1], [0.7, 0.3])
    np.testing.assert_allclose(bigger.net, flows.net)


def test_promethee_single_option_has_zero_flows():
    flows = promethee_ii([[1.0, 2.0]], [1, -1], [0.5, 0.5])
    np.testing.assert_array_equal(flows.net, [0.0])


@pytest.mark.parametrize(
    ("raw", "directions", "weights", "message"),
    [
        ([1.0, 2.0], [1], [1.0], "raw must be a non-empty"),
        ([[1.0, 2.0]], [1], [0.5, 0.5], r"directions must have shape \(2,\)"),
        ([[1.0, 2.0]], [1, 0], [0.5, 0.5], r"directions must be \+1 \(benefit\) or -1"),
        ([[1.0, 2.0]], [1, 1], [0.5, 0.2, 0.3], r"weights must have shape \(2,\)"),
        ([[1.0, np.nan]], [1, 1], [0.5, 0.5], "raw scores must be finite"),
        ([[1.0, 2.0]], [1, 1], [-1.0, 2.0], "weights must not be negative"),
    ],
)
def test_invalid_problems_are_refused(raw, directions, weights, message):
    with pytest.raises(ValueError, match=message):
        topsis(raw, directions, weights)
    with pytest.raises(ValueError, match=message):
        promethee_ii(raw, directions, weights)


def test_cross_check_agreement_and_disagreement():
    # A dominates: every method puts it first and the order is the same.
    raw = np.array([[9.0, 1.0], [5.0, 5.0], [1.0, 9.0]])
    directions = np.array([1, -1])
    values = normalise(raw, [0, 0], [10, 10], directions > 0)
    agree = cross_check(raw, directions, [0.5, 0.5], values)
    assert not agree.disagree and not agree.winners_disagree
    assert agree.ranks["topsis"].tolist() == [1, 2, 3]
    assert set(agree.scores) == {"weighted_sum", "topsis", "promethee_ii"}

    # B wins by a large margin on one criterion and loses narrowly on two:
    # the weighted sum prefers B, PROMETHEE (which counts wins) prefers A.
    raw = np.array([[5.0, 5.0, 1.0], [4.9, 4.9, 9.0]])
    directions = np.array([1, 1, 1])
    values = normalise(raw, [0, 0, 0], [10, 10, 10], directions > 0)
    split = cross_check(raw, directions, [1 / 3, 1 / 3, 1 / 3], values)
    assert split.ranks["weighted_sum"].tolist() == [2, 1]
    assert split.ranks["promethee_ii"].tolist() == [1, 2]
    assert split.disagree and split.winners_disagree


def test_cross_check_refuses_mismatched_values():
    with pytest.raises(ValueError, match=r"values must have the shape of raw \(2, 1\)"):
        cross_check([[1.0], [2.0]], [1], [1.0], [[0.1, 0.2]])
