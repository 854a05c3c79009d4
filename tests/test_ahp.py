"""Tests for afweging.ahp: building, validating and weighing pairwise comparison matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afweging.ahp import (
    CR_THRESHOLD,
    RANDOM_INDEX,
    SAATY_SCALE,
    ahp_weights,
    on_saaty_scale,
    random_index,
    reciprocal_matrix,
    validate_reciprocal,
)


def consistent_matrix(weights):
    """a_ij = w_i / w_j: perfectly consistent by construction."""
    w = np.asarray(weights, dtype=float)
    return w[:, None] / w[None, :]


def test_saaty_scale_has_17_values():
    assert len(SAATY_SCALE) == 17
    assert SAATY_SCALE[0] == pytest.approx(1 / 9)
    assert SAATY_SCALE[-1] == 9.0
    assert on_saaty_scale(1 / 3) and on_saaty_scale(7)
    assert not on_saaty_scale(10) and not on_saaty_scale(0.3) and not on_saaty_scale(2.5)


def test_random_index_table():
    assert [RANDOM_INDEX[n] for n in (3, 4, 5, 10, 12, 15)] == [0.58, 0.90, 1.12, 1.49, 1.48, 1.59]
    assert random_index(1) == random_index(2) == 0.0
    with pytest.raises(ValueError, match=r"covers n = 1\.\.15, got n = 16"):
        random_index(16)


def test_reciprocal_matrix_from_upper_triangle():
    a = reciprocal_matrix([3, 5, "1/2"])
    np.testing.assert_allclose(a, [[1, 3, 5], [1 / 3, 1, 0.5], [1 / 5, 2, 1]])
    assert reciprocal_matrix([]).shape == (1, 1)


def test_reciprocal_matrix_refuses_bad_judgements():
    with pytest.raises(ValueError, match="4 judgements do not fill an upper triangle"):
        reciprocal_matrix([1, 2, 3, 4])
    with pytest.raises(ValueError, match=r"judgement \(0, 2\) = 10 is not on Saaty's scale"):
        reciprocal_matrix([3, 10, 2])
    with pytest.raises(ValueError, match=r"judgement \(0, 1\) must be a positive number"):
        reciprocal_matrix([0, 1, 1])
    with pytest.raises(ValueError, match="'x' is not a number or fraction"):
        reciprocal_matrix(["x"])
    # Off-scale values are allowed when asked for (e.g. derived from data).
    assert reciprocal_matrix([2.5], strict_scale=False)[1, 0] == pytest.approx(0.4)


def test_validate_reciprocal_names_the_bad_cell():
    with pytest.raises(ValueError, match=r"must be square, got shape \(2, 3\)"):
        validate_reciprocal(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"diagonal entry \(1, 1\) must be 1"):
        validate_reciprocal([[1, 2], [0.5, 2]])
    with pytest.raises(
        ValueError, match=r"entries \(0, 1\) = 2 and \(1, 0\) = 0.4 are not reciprocal"
    ):
        validate_reciprocal([[1, 2], [0.4, 1]])
    with pytest.raises(ValueError, match=r"entry \(0, 1\) must be a positive number"):
        validate_reciprocal([[1, -2], [-0.5, 1]])
    with pytest.raises(ValueError, match=r"entry \(0, 1\) = 2.5 is not on Saaty's scale"):
        validate_reciprocal([[1, 2.5], [0.4, 1]], strict_scale=True)


def test_consistent_matrix_gives_its_generating_vector_and_cr_zero():
    w = np.array([8, 4, 2, 1]) / 15
    res = ahp_weights(consistent_matrix(w), strict_scale=True)
    np.testing.assert_allclose(res.weights, w, atol=1e-12)
    assert res.lambda_max == pytest.approx(4.0)
    assert res.consistency_index == pytest.approx(0.0, abs=1e-12)
    assert res.consistency_ratio == pytest.approx(0.0, abs=1e-12)
    assert not res.inconsistent


def test_one_and_two_criteria_are_always_consistent():
    one = ahp_weights([[1.0]])
    np.testing.assert_allclose(one.weights, [1.0])
    assert one.consistency_ratio == 0.0
    two = ahp_weights(reciprocal_matrix([3]))
    np.testing.assert_allclose(two.weights, [0.75, 0.25])
    assert (two.consistency_index, two.consistency_ratio, two.inconsistent) == (0.0, 0.0, False)


def test_intransitive_judgements_are_flagged():
    # A > B, B > C, yet C > A strongly: a cycle.
    res = ahp_weights(reciprocal_matrix([5, "1/5", 5]))
    assert res.consistency_ratio > CR_THRESHOLD
    assert res.inconsistent
    assert res.consistency_ratio == pytest.approx(res.consistency_index / 0.58)


@settings(max_examples=100, deadline=None)
@given(
    w=st.lists(st.floats(0.05, 1.0), min_size=3, max_size=9),
    data=st.data(),
)
def test_eigenvector_properties(w, data):
    """Property: consistent matrices recover w; perturbed ones keep lambda_max >= n."""
    w = np.array(w)
    res = ahp_weights(consistent_matrix(w))
    np.testing.assert_allclose(res.weights, w / w.sum(), rtol=1e-9)
    assert res.consistency_ratio == pytest.approx(0.0, abs=1e-9)

    n = w.size
    judgements = data.draw(
        st.lists(st.sampled_from(SAATY_SCALE), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)
    )
    a = reciprocal_matrix(judgements)
    res = ahp_weights(a)
    assert res.lambda_max >= n - 1e-9
    assert np.all(res.weights > 0)
    assert res.weights.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(a @ res.weights, res.lambda_max * res.weights, rtol=1e-8)
    assert res.inconsistent == (res.consistency_ratio > CR_THRESHOLD)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(3, 8).flatmap(
        lambda n: st.lists(
            st.sampled_from(SAATY_SCALE), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2
        )
    )
)
def test_agrees_with_pymcdm_ahp_on_random_judgements(judgements):
    """An established implementation (pymcdm's AHP) gives the same weights and lambda_max.

    pymcdm divides CI by another random index table (Tummala and Ling 1998), so its CR is
    compared after converting back to CI.
    """
    from pymcdm.weights.subjective import AHP

    matrix = reciprocal_matrix(judgements)
    ours = ahp_weights(matrix)
    theirs = AHP(matrix=matrix)
    np.testing.assert_allclose(ours.weights, theirs(), atol=1e-9)
    n = matrix.shape[0]
    their_ci = theirs.get_cr() * AHP.RI_M[n - 1]
    assert ours.consistency_index == pytest.approx(their_ci, abs=1e-9)
