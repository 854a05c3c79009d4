"""Tests for afweging.workshop.opinion_groups: silhouette, the grouping rule, bridging option."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.metrics import silhouette_score

from afweging.workshop.opinion_groups import (
    Bridge,
    OpinionGroups,
    bridging_option,
    find_groups,
    group_rankings,
    silhouette,
)

LEFT = np.array([0.7, 0.2, 0.1])
RIGHT = np.array([0.1, 0.2, 0.7])
MIDDLE = np.array([0.2, 0.7, 0.1])


def camp(rng: np.random.Generator, centre: np.ndarray, n: int) -> np.ndarray:
    """``n`` weight vectors scattered around ``centre`` (Dirichlet, a few points either way)."""
    return rng.dirichlet(centre * 100, size=n)


def groups_with(mean_weights: list[list[float]]) -> OpinionGroups:
    """Opinion groups with given mean weights (two participants per group)."""
    n = len(mean_weights)
    return OpinionGroups(
        labels=np.repeat(np.arange(n), 2),
        n_groups=n,
        sizes=np.full(n, 2),
        mean_weights=np.array(mean_weights),
        silhouette=math.nan if n == 1 else 0.9,
        candidates={},
    )


# --- silhouette -------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_silhouette_equals_sklearn(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(5, 40))
    points = rng.normal(size=(m, int(rng.integers(1, 5))))
    labels = rng.integers(0, int(rng.integers(2, 5)), size=m)
    labels[0], labels[1] = 7, 8  # make sure there are at least two labels
    if seed % 2:
        labels[-1] = 99  # a singleton cluster
    assert silhouette(points, labels) == pytest.approx(silhouette_score(points, labels), abs=1e-12)


def test_silhouette_equals_sklearn_with_singletons_and_duplicates():
    points = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
    # duplicates in different clusters give a = b = 0; cluster "c" is a singleton
    labels = np.array(["a", "b", "a", "b", "b", "c"])
    assert silhouette(points, labels) == pytest.approx(silhouette_score(points, labels), abs=1e-12)


def test_silhouette_of_two_far_apart_pairs_is_near_one():
    points = [[0.0], [0.001], [10.0], [10.001]]
    assert silhouette(points, [0, 0, 1, 1]) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("labels", [[0, 0, 0, 0], [0, 1, 2, 3]])
def test_silhouette_refuses_too_few_or_too_many_labels(labels):
    with pytest.raises(ValueError, match="labels: expected between 2 and 3"):
        silhouette(np.eye(4), labels)


# --- find_groups: constructed rooms ------------------------------------------


def test_two_clear_camps_are_found():
    rng = np.random.default_rng(1)
    left, right = camp(rng, LEFT, 30), camp(rng, RIGHT, 20)
    g = find_groups(np.vstack([left, right]))
    assert g.n_groups == 2
    assert g.letters == ("A", "B")
    np.testing.assert_array_equal(g.labels, [0] * 30 + [1] * 20)
    np.testing.assert_array_equal(g.sizes, [30, 20])
    np.testing.assert_allclose(g.mean_weights, [left.mean(axis=0), right.mean(axis=0)], atol=1e-12)
    np.testing.assert_allclose(g.mean_weights, [LEFT, RIGHT], atol=0.03)
    np.testing.assert_allclose(g.mean_weights.sum(axis=1), 1.0)
    assert g.silhouette == g.candidates[2] > 0.8


def test_smaller_camp_first_in_the_input_is_still_group_b():
    rng = np.random.default_rng(2)
    w = np.vstack([camp(rng, RIGHT, 12), camp(rng, LEFT, 25)])
    g = find_groups(w)
    np.testing.assert_array_equal(g.labels, [1] * 12 + [0] * 25)
    np.testing.assert_array_equal(g.sizes, [25, 12])


def test_three_camps_are_found():
    rng = np.random.default_rng(3)
    w = np.vstack([camp(rng, MIDDLE, 10), camp(rng, LEFT, 20), camp(rng, RIGHT, 15)])
    g = find_groups(w)
    assert g.n_groups == 3
    np.testing.assert_array_equal(g.labels, [2] * 10 + [0] * 20 + [1] * 15)
    np.testing.assert_array_equal(g.sizes, [20, 15, 10])
    np.testing.assert_allclose(g.mean_weights, [LEFT, RIGHT, MIDDLE], atol=0.03)
    assert g.candidates[3] > g.candidates[2]


def test_consensus_is_one_group():
    rng = np.random.default_rng(4)
    g = find_groups(camp(rng, np.array([0.4, 0.35, 0.25]), 60))
    assert g.n_groups == 1
    np.testing.assert_array_equal(g.labels, np.zeros(60))
    np.testing.assert_array_equal(g.sizes, [60])
    assert math.isnan(g.silhouette)


@pytest.mark.parametrize("seed", range(5))
def test_uniform_noise_is_one_group(seed):
    # Note: this is not guaranteed for every seed; silhouettes of uniform noise on the
    # simplex are mostly 0.33 to 0.50, and a few percent of rooms of 100 do reach 0.5.
    rng = np.random.default_rng(seed)
    g = find_groups(rng.dirichlet([1, 1, 1], size=100))
    assert g.n_groups == 1
    assert g.candidates  # cuts were admissible, just not structured enough
    assert max(g.candidates.values()) < 0.5


def test_fewer_than_four_participants_are_one_group():
    g = find_groups([LEFT, LEFT, RIGHT])
    assert g.n_groups == 1
    assert g.candidates == {}
    np.testing.assert_allclose(g.mean_weights, [(2 * LEFT + RIGHT) / 3])


def test_identical_vectors_are_one_group():
    g = find_groups(np.tile([2.0, 1.0, 1.0], (10, 1)))  # rows are normalised first
    assert g.n_groups == 1
    np.testing.assert_allclose(g.mean_weights, [[0.5, 0.25, 0.25]])


def test_a_single_outlier_is_not_a_group():
    rng = np.random.default_rng(5)
    w = np.vstack([camp(rng, np.array([0.4, 0.3, 0.3]), 40), [[0.0, 0.0, 1.0]]])
    g = find_groups(w)
    assert g.n_groups == 1
    assert 2 not in g.candidates  # the outlier-versus-the-rest cut is not admissible


def test_a_too_small_group_is_not_a_group():
    # 3 of 80 people is under 5% of the room, even though they clearly think differently
    rng = np.random.default_rng(6)
    w = np.vstack([camp(rng, LEFT, 77), camp(rng, RIGHT, 3)])
    assert find_groups(w).n_groups == 1
    w = np.vstack([camp(rng, LEFT, 76), camp(rng, RIGHT, 4)])
    assert find_groups(w).n_groups == 2


def test_permuting_participants_permutes_labels():
    rng = np.random.default_rng(7)
    w = np.vstack([camp(rng, LEFT, 18), camp(rng, RIGHT, 11), camp(rng, MIDDLE, 7)])
    g = find_groups(w)
    assert g.n_groups == 3
    for _ in range(5):
        perm = rng.permutation(len(w))
        shuffled = find_groups(w[perm])
        np.testing.assert_array_equal(shuffled.labels, g.labels[perm])
        np.testing.assert_array_equal(shuffled.sizes, g.sizes)
        np.testing.assert_allclose(shuffled.mean_weights, g.mean_weights, atol=1e-12)


def test_equal_sized_groups_are_numbered_by_first_participant():
    rng = np.random.default_rng(8)
    w = np.vstack([camp(rng, RIGHT, 15), camp(rng, LEFT, 15)])
    np.testing.assert_array_equal(find_groups(w).labels, [0] * 15 + [1] * 15)
    np.testing.assert_array_equal(find_groups(w[::-1]).labels, [0] * 15 + [1] * 15)


def test_camps_five_points_apart_are_not_split():
    rng = np.random.default_rng(9)
    c1, c2 = np.array([0.30, 0.30, 0.20, 0.20]), np.array([0.25, 0.25, 0.25, 0.25])
    noise = rng.normal(0.0, 0.005, size=(40, 4))
    w = np.clip(np.vstack([np.tile(c1, (20, 1)), np.tile(c2, (20, 1))]) + noise, 1e-6, None)
    assert find_groups(w).n_groups == 1
    # the structure itself is clear: only the minimum difference keeps them together
    loose = find_groups(w, min_difference=0.0)
    assert loose.n_groups == 2
    assert loose.silhouette > 0.8


def test_min_silhouette_and_max_groups_are_honoured():
    rng = np.random.default_rng(10)
    w = np.vstack([camp(rng, LEFT, 20), camp(rng, RIGHT, 15), camp(rng, MIDDLE, 10)])
    strict = find_groups(w, min_silhouette=0.99)
    assert strict.n_groups == 1
    assert strict.candidates[3] > 0.8  # still reported, for transparency
    assert find_groups(w, max_groups=2).n_groups == 2
    assert find_groups(w, max_groups=1).n_groups == 1


def test_arrays_are_read_only():
    rng = np.random.default_rng(11)
    g = find_groups(np.vstack([camp(rng, LEFT, 10), camp(rng, RIGHT, 10)]))
    for array in (g.labels, g.sizes, g.mean_weights):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


# --- rankings and bridging option ---------------------------------------------


def test_group_rankings_by_hand():
    groups = groups_with([[0.75, 0.25], [0.25, 0.75]])
    values = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.6, 0.2]]
    scores, ranks = group_rankings(values, groups)
    # group A: 0.75, 0.25, 0.5, 0.45 + 0.05 = 0.5  -> ranks 1, 4, 2, 2 (tie)
    # group B: 0.25, 0.75, 0.5, 0.15 + 0.15 = 0.3  -> ranks 4, 1, 2, 3
    np.testing.assert_allclose(scores, [[0.75, 0.25, 0.5, 0.5], [0.25, 0.75, 0.5, 0.3]])
    np.testing.assert_array_equal(ranks, [[1, 4, 2, 2], [4, 1, 2, 3]])


def test_bridging_option_is_second_for_both():
    groups = groups_with([[0.8, 0.2], [0.2, 0.8]])
    # X = 0.8 / 0.2, Y = 0.2 / 0.8, Z = 0.6 / 0.6, W = 0.46 / 0.34 (group A / group B)
    values = [[1.0, 0.0], [0.0, 1.0], [0.6, 0.6], [0.5, 0.3]]
    _, ranks = group_rankings(values, groups)
    np.testing.assert_array_equal(ranks, [[1, 4, 2, 3], [4, 1, 2, 3]])
    assert bridging_option(values, groups) == Bridge(options=(2,), worst_rank=2, worst_score=0.6)


def test_bridging_option_tie_on_rank_is_broken_by_worst_score():
    groups = groups_with([[0.8, 0.2], [0.2, 0.8]])
    # X = 0.82 / 0.28, Y = 0.2 / 0.8: both second somewhere, X's worst score is higher
    bridge = bridging_option([[1.0, 0.1], [0.0, 1.0]], groups)
    assert bridge.options == (0,)
    assert bridge.worst_rank == 2
    assert bridge.worst_score == pytest.approx(0.28)


def test_bridging_option_returns_all_exact_ties():
    groups = groups_with([[0.8, 0.2], [0.2, 0.8]])
    # P = 0.66 / 0.54, Q = 0.54 / 0.66: each third once, worst score 0.54 both
    values = [[1.0, 0.0], [0.0, 1.0], [0.7, 0.5], [0.5, 0.7]]
    bridge = bridging_option(values, groups)
    assert bridge.options == (2, 3)
    assert bridge.worst_rank == 3
    assert bridge.worst_score == pytest.approx(0.54)


def test_bridging_option_with_one_group_is_the_winner():
    groups = groups_with([[0.5, 0.5]])
    assert bridging_option([[0.2, 0.4], [0.9, 0.1], [0.5, 0.6]], groups).options == (2,)
    tied = bridging_option([[0.2, 0.4], [0.9, 0.1], [0.1, 0.9]], groups)
    assert tied == Bridge(options=(1, 2), worst_rank=1, worst_score=pytest.approx(0.5))


def test_bridging_option_on_a_found_room():
    rng = np.random.default_rng(12)
    groups = find_groups(np.vstack([camp(rng, LEFT, 30), camp(rng, RIGHT, 20)]))
    values = [[1.0, 0.5, 0.0], [0.0, 0.5, 1.0], [0.6, 0.5, 0.6], [0.1, 0.1, 0.1]]
    assert bridging_option(values, groups).options == (2,)


# --- argument validation --------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_groups": 0}, "max_groups: expected an integer of at least 1, got 0"),
        ({"max_groups": 2.5}, "max_groups: expected an integer of at least 1, got 2.5"),
        ({"max_groups": True}, "max_groups: expected an integer"),
        ({"min_silhouette": -0.1}, r"min_silhouette: expected a number from 0 to 1, got -0\.1"),
        ({"min_silhouette": 1.5}, "min_silhouette: expected a number from 0 to 1, got 1.5"),
        ({"min_silhouette": math.nan}, "min_silhouette: expected"),
        ({"min_difference": -0.01}, "min_difference: expected a number of at least 0, got"),
        ({"min_difference": math.nan}, "min_difference: expected"),
    ],
)
def test_find_groups_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_groups(np.eye(5), **kwargs)


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([0.5, 0.5], "weights: expected a 2-d array"),
        (np.empty((0, 3)), "weights: expected a 2-d array"),
        ([[1, 0], [0, 0]], "above zero"),
        ([[1, -1], [0, 1]], "negative"),
    ],
)
def test_find_groups_refuses_bad_weights(weights, match):
    with pytest.raises(ValueError, match=match):
        find_groups(weights)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([[0.5, 0.5, 0.5]], r"values: expected shape \(options, 2\)"),
        ([[1.5, 0.5]], "values: expected numbers from 0 to 1"),
        (np.empty((0, 2)), "values: expected at least one option"),
    ],
)
def test_rankings_refuse_bad_values(values, match):
    with pytest.raises(ValueError, match=match):
        bridging_option(values, groups_with([[0.5, 0.5]]))


def test_the_cut_is_scipys_ward_cut():
    # with no silhouette threshold even noise is split, which pins down the clustering itself
    rng = np.random.default_rng(13)
    w = rng.dirichlet([1, 1, 1], size=60)
    g = find_groups(w, min_silhouette=0.0)
    k = max(g.candidates, key=lambda c: g.candidates[c])
    assert g.n_groups == k
    assert g.silhouette == pytest.approx(silhouette(w, g.labels), abs=1e-12)
    ward = fcluster(linkage(w, method="ward"), k, criterion="maxclust")
    # the same partition: each scipy cluster maps to exactly one group and back
    pairs = set(zip(ward.tolist(), g.labels.tolist(), strict=True))
    assert len(pairs) == k == len(set(ward.tolist()))
