"""Tests for afweging.workshop.group: group weights, rankings and Kendall's W."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from afweging.workshop.group import (
    compare_rounds,
    first_place_counts,
    interpret_w,
    iqr,
    kendalls_w,
    mean_weights,
    median_weights,
    participant_ranks,
    spread,
    summarise,
    weight_matrix,
)

CRITERIA = ("a", "b")
OPTIONS = ("x", "y", "z")
# option x is best on a, y best on b, z in between
VALUES = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]])


def test_weight_matrix_normalises_rows_in_criteria_order():
    w = weight_matrix([{"b": 1, "a": 3}, {"a": 0, "b": 2}], CRITERIA)
    np.testing.assert_allclose(w, [[0.75, 0.25], [0.0, 1.0]])


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([], "at least one"),
        ([{"a": 1}], r"weights\.0: expected weights for exactly"),
        ([{"a": 1, "b": 1, "c": 1}], r"weights\.0: expected weights for exactly"),
        ([{"a": 0, "b": 0}], "above zero"),
        ([{"a": -1, "b": 2}], "negative"),
    ],
)
def test_weight_matrix_refuses_bad_input(weights, match):
    with pytest.raises(ValueError, match=match):
        weight_matrix(weights, CRITERIA)


def test_mean_and_median_weights():
    w = weight_matrix([{"a": 1, "b": 1}, {"a": 3, "b": 1}, {"a": 0, "b": 2}], CRITERIA)
    np.testing.assert_allclose(mean_weights(w), [1.25 / 3, 1.75 / 3], atol=1e-12)
    # medians per criterion are 0.5 and 0.5: already summing to 1
    np.testing.assert_allclose(median_weights(w), [0.5, 0.5], atol=1e-12)


def test_median_weights_are_rescaled_to_sum_to_one():
    w = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0], [0.2, 0.2, 0.6]])
    med = median_weights(w)
    assert med.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(med, np.array([0.35, 0.35, 0.0]) / 0.7)


def test_median_weights_without_a_direction_is_nan():
    w = np.eye(3)  # everyone puts all weight on a different criterion
    assert np.isnan(median_weights(w)).all()


def test_participant_ranks_and_first_counts():
    w = weight_matrix([{"a": 1, "b": 0}, {"a": 0, "b": 1}, {"a": 1, "b": 1}], CRITERIA)
    ranks = participant_ranks(VALUES, w)
    np.testing.assert_array_equal(ranks, [[1, 3, 2], [3, 1, 2], [2, 2, 1]])
    np.testing.assert_array_equal(first_place_counts(ranks), [1, 1, 1])


def test_first_counts_count_every_tied_winner():
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    ranks = participant_ranks(values, [[1.0, 1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(ranks, [[1, 1, 3], [1, 3, 2]])
    counts = first_place_counts(ranks)
    np.testing.assert_array_equal(counts, [2, 1, 0])
    assert counts.sum() == 3 > ranks.shape[0]  # documented: ties count for each option


def test_kendalls_w_proofwiki_arbitrary_example_1():
    """ProofWiki "Kendall's Coefficient of Concordance/Examples/Arbitrary Example 1": W = 1/16."""
    # rows: judges A, B, C, D; columns: competitors X, Y, Z
    ranks = [[1, 3, 2], [1, 2, 3], [2, 3, 1], [3, 1, 2]]
    assert kendalls_w(ranks) == pytest.approx(1 / 16, abs=1e-12)


def test_kendalls_w_tie_correction_hand_worked():
    """3 raters, 4 items, one tie (rater B ties items 2 and 3), worked by hand.

    Average ranks: A 1 2 3 4, B 1 2.5 2.5 4, C 2 1 3 4. Rank sums 4, 5.5, 8.5, 12
    around a mean of 7.5, so S = 12.25 + 4 + 1 + 20.25 = 37.5. One tie of size 2
    gives T = 2^3 - 2 = 6. W = 12 * 37.5 / (3^2 * (4^3 - 4) - 3 * 6) = 450/522 = 25/29.
    """
    competition = [[1, 2, 3, 4], [1, 2, 2, 4], [2, 1, 3, 4]]
    assert kendalls_w(competition) == pytest.approx(25 / 29, abs=1e-12)
    # average ranks in, same answer out
    midranks = [[1, 2, 3, 4], [1, 2.5, 2.5, 4], [2, 1, 3, 4]]
    assert kendalls_w(midranks) == pytest.approx(25 / 29, abs=1e-12)


def test_kendalls_w_perfect_agreement_is_one():
    ranks = np.tile([2, 1, 4, 3], (7, 1))
    assert kendalls_w(ranks) == pytest.approx(1.0)


def test_kendalls_w_perfect_agreement_with_shared_ties_is_one():
    ranks = np.tile([1, 1, 3, 4], (5, 1))
    assert kendalls_w(ranks) == pytest.approx(1.0)


def test_kendalls_w_complete_disagreement_is_zero():
    # every item gets the same rank sum
    ranks = [[1, 2, 3], [2, 3, 1], [3, 1, 2]]
    assert kendalls_w(ranks) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("ranks", [[[1, 2, 3]], [[1], [1]], [[1, 1], [1, 1]]])
def test_kendalls_w_undefined_is_nan(ranks):
    assert math.isnan(kendalls_w(ranks))


def test_kendalls_w_refuses_one_dimensional_input():
    with pytest.raises(ValueError, match="ranks: expected a 2-d array"):
        kendalls_w([1, 2, 3])


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(2, 8), st.integers(3, 6)),
        elements=st.integers(0, 3),  # small range: plenty of ties
    )
)
def test_kendalls_w_matches_scipy_friedman(scores):
    """W = chi2 / (m (n - 1)) with scipy's tie-corrected Friedman statistic."""
    stats = pytest.importorskip("scipy.stats")
    m, n = scores.shape
    if all(len(set(row)) == 1 for row in scores):
        assert math.isnan(kendalls_w(scores))
        return
    chi2 = stats.friedmanchisquare(*scores.T).statistic
    assert kendalls_w(scores) == pytest.approx(chi2 / (m * (n - 1)), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(2, 8), st.integers(2, 6)), elements=st.integers(0, 4))
)
def test_kendalls_w_is_between_zero_and_one_and_ignores_rater_order(scores):
    w = kendalls_w(scores)
    if math.isnan(w):
        return
    assert -1e-12 <= w <= 1 + 1e-12
    assert kendalls_w(scores[::-1]) == pytest.approx(w)


@pytest.mark.parametrize(
    ("w", "nl", "en"),
    [
        (0.1, "Weinig overeenstemming (W = 0,10)", "Weak agreement (W = 0.10)"),
        (0.3, "Matige overeenstemming (W = 0,30)", "Moderate agreement (W = 0.30)"),
        (0.6, "Matige overeenstemming", "Moderate agreement"),
        (0.61, "Sterke overeenstemming", "Strong agreement"),
        (math.nan, "te weinig deelnemers", "too few participants"),
    ],
)
def test_interpret_w_bands(w, nl, en):
    assert nl in interpret_w(w, "nl")
    assert en in interpret_w(w, "en")


def test_interpret_w_refuses_unknown_language():
    with pytest.raises(ValueError, match="language: expected 'nl' or 'en', got 'de'"):
        interpret_w(0.5, "de")


def test_summarise_one_round():
    weights = [{"a": 3, "b": 1}, {"a": 2, "b": 1}, {"a": 1, "b": 1}]
    summary = summarise(weights, VALUES, CRITERIA, OPTIONS)
    assert summary.n_participants == 3
    assert summary.mean_weights.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(summary.group_ranks, [1, 3, 2])
    np.testing.assert_array_equal(summary.first_counts, [2, 0, 1])
    assert 0 <= summary.kendall_w <= 1
    with pytest.raises(ValueError, match="read-only"):
        summary.weights[0, 0] = 9


def test_summarise_refuses_mismatched_values():
    with pytest.raises(ValueError, match=r"values: expected shape .* = \(3, 2\), got \(2, 2\)"):
        summarise([{"a": 1, "b": 1}], VALUES[:2], CRITERIA, OPTIONS)


def test_compare_rounds_reports_spread_w_and_ranking_change():
    round1 = summarise(
        [{"a": 9, "b": 1}, {"a": 1, "b": 9}, {"a": 8, "b": 2}, {"a": 1, "b": 4}],
        VALUES,
        CRITERIA,
        OPTIONS,
    )
    round2 = summarise(
        [{"a": 1, "b": 3}, {"a": 1, "b": 4}, {"a": 1, "b": 3}, {"a": 1, "b": 4}],
        VALUES,
        CRITERIA,
        OPTIONS,
    )
    cmp = compare_rounds(round1, round2)
    assert (cmp.iqr_after < cmp.iqr_before).all()
    assert (cmp.sd_after < cmp.sd_before).all()
    np.testing.assert_allclose(cmp.sd_before, spread(round1.weights))
    np.testing.assert_allclose(cmp.iqr_after, iqr(round2.weights))
    assert cmp.w_after == pytest.approx(1.0)
    assert cmp.w_change == pytest.approx(cmp.w_after - cmp.w_before)
    assert cmp.w_change > 0
    assert cmp.ranking_changed
    assert not compare_rounds(round2, round2).ranking_changed


def test_compare_rounds_refuses_different_options():
    one = summarise([{"a": 1, "b": 1}], VALUES, CRITERIA, OPTIONS)
    other = summarise([{"a": 1, "b": 1}], VALUES, CRITERIA, ("p", "q", "r"))
    with pytest.raises(ValueError, match="after: expected the same criteria and options"):
        compare_rounds(one, other)
