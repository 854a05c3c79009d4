"""The additive value model: hand-worked examples, a library cross-check, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm.methods import WSM
from pymcdm.normalizations import minmax_normalization

from afweging import scoring
from afweging.loading import load
from afweging.matrix import build_matrix, rank_with


def test_normalise_maps_scale_not_options() -> None:
    # 1..5 scale: 1 -> 0, 3 -> 0.5, 5 -> 1; reversed for lower_is_better.
    got = scoring.normalise([[1, 3], [5, 4]], [1, 1], [5, 5], [True, False])
    assert got == pytest.approx(np.array([[0.0, 0.5], [1.0, 0.25]]))


def test_competition_ranks_share_better_rank() -> None:
    assert scoring.competition_ranks([0.9, 0.9, 0.5]).tolist() == [1, 1, 3]
    assert scoring.competition_ranks([0.1 + 0.2, 0.3, 0.31]).tolist() == [2, 2, 1]
    assert scoring.competition_ranks([[1, 2, 3], [3, 3, 3]]).tolist() == [[3, 2, 1], [1, 1, 1]]


def test_normalise_weights_refuses_meaningless_vectors() -> None:
    assert scoring.normalise_weights([2, 1, 1]) == pytest.approx([0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="negative"):
        scoring.normalise_weights([1, -1])
    with pytest.raises(ValueError, match="above zero"):
        scoring.normalise_weights([0, 0])
    with pytest.raises(ValueError, match="finite"):
        scoring.normalise_weights([1, np.nan])


def test_flat_case_hand_worked(flat_paths) -> None:
    # Weights 2:1:1 -> 0.5, 0.25, 0.25. Option A: legitimiteit 5 on 1..5 -> 1.0;
    # bestuurlijke_drukte 4 on 1..5, lower is better -> 1 - 3/4 = 0.25;
    # efficientie 5 on 0..10 -> 0.5. Score = 0.5 + 0.0625 + 0.125 = 0.6875.
    # B: 0.5*0.25 + 0.25*1 + 0.25*1 = 0.625. C: 0.5*0.5 + 0.25*0.5 + 0 = 0.375.
    bundle, problems = load(list(flat_paths))
    assert problems == []
    result = rank_with(build_matrix(bundle.cases[0], bundle.criteria_sets[0]))
    assert result.scores == pytest.approx([0.6875, 0.625, 0.375])
    assert result.ranks.tolist() == [1, 2, 3]
    assert result.contributions[0] == pytest.approx([0.5, 0.0625, 0.125])


def test_tree_weights_multiply_down(tree_paths) -> None:
    # Top: legitimiteit_top 1, kosten 1 -> 0.5 each; under it controle 3 : betrokkenheid 1.
    # Leaf weights: controle 0.375, betrokkenheid 0.125, kosten 0.5.
    # A: 0.375*0.75 + 0.125*0.25 + 0.5*0.5 = 0.5625; B: 0.375*0.25 + 0.125*1 + 0.5*1 = 0.71875;
    # C: 0.375 + 0.125 + 0 = 0.5.
    bundle, problems = load(list(tree_paths))
    assert problems == []
    result = rank_with(build_matrix(bundle.cases[0], bundle.criteria_sets[0]))
    assert result.weights == pytest.approx([0.375, 0.125, 0.5])
    assert result.scores == pytest.approx([0.5625, 0.71875, 0.5])
    assert result.ranks.tolist() == [2, 1, 3]
    doubled = rank_with(build_matrix(bundle.cases[0], bundle.criteria_sets[0]), {"kosten": 3})
    assert doubled.weights == pytest.approx([0.1875, 0.0625, 0.75])


matrices = st.integers(2, 7).flatmap(
    lambda n: st.integers(1, 6).flatmap(
        lambda m: st.tuples(
            arrays(np.float64, (n, m), elements=st.integers(1, 5).map(float)),
            arrays(np.float64, (m,), elements=st.floats(0.01, 10)),
            arrays(np.bool_, (m,)),
        )
    )
)


@pytest.mark.filterwarnings("ignore:Alternatives with indices")
@settings(max_examples=150, deadline=None)
@given(matrices)
def test_agrees_with_pymcdm_weighted_sum(case) -> None:
    raw, weights, benefit = case
    w = scoring.normalise_weights(weights)
    ours = scoring.overall_scores(scoring.normalise(raw, 1, 5, benefit), w)
    # pymcdm's min-max normalisation uses the column's min and max: add two rows at the
    # ends of the declared scale so that it normalises over the scale, as we do.
    padded = np.vstack([raw, np.ones(raw.shape[1]), 5 * np.ones(raw.shape[1])])
    theirs = WSM(minmax_normalization)(padded, w, np.where(benefit, 1, -1))[:-2]
    assert ours == pytest.approx(theirs, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(matrices, st.data())
def test_adding_an_option_keeps_the_others_order(case, data) -> None:
    raw, weights, benefit = case
    w = scoring.normalise_weights(weights)
    before = scoring.overall_scores(scoring.normalise(raw, 1, 5, benefit), w)
    extra = data.draw(arrays(np.float64, (1, raw.shape[1]), elements=st.integers(1, 5).map(float)))
    after = scoring.overall_scores(scoring.normalise(np.vstack([raw, extra]), 1, 5, benefit), w)
    assert after[:-1] == pytest.approx(before)
    assert np.array_equal(scoring.competition_ranks(after[:-1]), scoring.competition_ranks(before))


@settings(max_examples=150, deadline=None)
@given(matrices, st.floats(0.001, 1000))
def test_scaling_all_weights_changes_nothing(case, factor) -> None:
    raw, weights, benefit = case
    values = scoring.normalise(raw, 1, 5, benefit)
    a = scoring.overall_scores(values, scoring.normalise_weights(weights))
    b = scoring.overall_scores(values, scoring.normalise_weights(weights * factor))
    assert a == pytest.approx(b)


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_dominated_option_never_outranks_its_dominator(case) -> None:
    raw, weights, benefit = case
    values = scoring.normalise(raw, 1, 5, benefit)
    # Make option 1 dominated by option 0: no better anywhere (in value terms).
    values[1] = np.minimum(values[0], values[1])
    ranks = scoring.competition_ranks(
        scoring.overall_scores(values, scoring.normalise_weights(weights))
    )
    assert ranks[0] <= ranks[1]


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_contributions_sum_to_the_score(case) -> None:
    raw, weights, benefit = case
    values, w = scoring.normalise(raw, 1, 5, benefit), scoring.normalise_weights(weights)
    assert scoring.contributions(values, w).sum(axis=1) == pytest.approx(
        scoring.overall_scores(values, w)
    )


def test_many_weight_vectors_in_one_call() -> None:
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    got = scoring.overall_scores(values, weights)
    assert got.shape == (3, 3)
    assert got == pytest.approx(np.array([[1, 0, 0.5], [0, 1, 0.5], [0.5, 0.5, 0.5]]))
    for k in range(3):
        assert got[k] == pytest.approx(scoring.overall_scores(values, weights[k]))


def test_highest_first_orders_by_value_and_keeps_equals_in_their_given_order() -> None:
    rng = np.random.default_rng(7)
    for _ in range(50):
        values = rng.integers(0, 4, size=int(rng.integers(1, 12)))  # many equals
        expected = sorted(range(len(values)), key=lambda i: (-values[i], i))
        assert scoring.highest_first(values) == expected
    assert scoring.highest_first([0.25, 0.5, 0.25]) == [1, 0, 2]
