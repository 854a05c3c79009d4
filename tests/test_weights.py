"""Weight input forms against worked examples, and weighting through a value tree."""

from __future__ import annotations

import pytest

from afweging import weights
from afweging.errors import InvalidWeights
from afweging.loading import load


def test_direct_weights_scale_to_one() -> None:
    assert weights.direct([2, 1, 1]) == pytest.approx([0.5, 0.25, 0.25])
    assert weights.direct([0, 3]) == pytest.approx([0.0, 1.0])


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([1, -1], "negative"),
        ([0, 0], "above zero"),
        ([1, float("nan")], "finite"),
        ([], "one number"),
    ],
)
def test_direct_weights_refuse(given, message) -> None:
    with pytest.raises(InvalidWeights, match=message):
        weights.direct(given)


def test_points_allocation() -> None:
    assert weights.points([50, 30, 20]) == pytest.approx([0.5, 0.3, 0.2])
    with pytest.raises(InvalidWeights, match="add up to 100, they add up to 95"):
        weights.points([50, 30, 15])


def test_rank_order_centroid_barron_barrett_1996() -> None:
    # Published ROC weights (Barron & Barrett 1996, Table 1): n=3 .6111 .2778 .1111;
    # n=4 .5208 .2708 .1458 .0625.
    assert weights.rank_order_centroid([1, 2, 3]) == pytest.approx(
        [0.6111, 0.2778, 0.1111], abs=5e-5
    )
    assert weights.rank_order_centroid([2, 1, 4, 3]) == pytest.approx(
        [0.2708, 0.5208, 0.0625, 0.1458], abs=5e-5
    )


def test_rank_order_centroid_ties_share_their_positions() -> None:
    # Tied first two of three share positions 1 and 2: (0.6111 + 0.2778) / 2 = 0.4444.
    tied = weights.rank_order_centroid([1, 1, 3])
    assert tied == pytest.approx([4 / 9, 4 / 9, 1 / 9])
    assert weights.rank_order_centroid([1, 1, 2]) == pytest.approx(tied)
    assert weights.rank_order_centroid([1, 1, 1]) == pytest.approx([1 / 3] * 3)
    with pytest.raises(InvalidWeights, match="rank of 1 or more"):
        weights.rank_order_centroid([0, 1])


def test_swing_weights_worked_example() -> None:
    # Swings judged 100, 60 and 40 -> 100/200, 60/200, 40/200.
    assert weights.swing([100, 60, 40]) == pytest.approx([0.5, 0.3, 0.2])
    with pytest.raises(InvalidWeights, match="most valued swing gets 100"):
        weights.swing([80, 60, 40])
    with pytest.raises(InvalidWeights, match="most valued"):
        weights.swing([100, 120])


def test_parse_assignments() -> None:
    assert weights.parse_assignments("legitimiteit=2, efficientie=0.5") == {
        "legitimiteit": 2.0,
        "efficientie": 0.5,
    }
    for text, message in [
        ("legitimiteit", "write criterion=weight"),
        ("legitimiteit=veel", "not a number"),
        ("legitimiteit=-1", "must not be negative"),
        ("legitimiteit=nan", "finite"),
        ("a=1,a=2", "given twice"),
    ]:
        with pytest.raises(InvalidWeights, match=message):
            weights.parse_assignments(text)


def test_local_weights_name_unknown_and_zero_groups(tree_paths) -> None:
    bundle, _ = load(list(tree_paths))
    cset = bundle.criteria_sets[0]
    with pytest.raises(InvalidWeights, match=r"unknown criterion 'kwaliteit'.*choose from"):
        weights.leaf_weights(cset, {"kwaliteit": 1})
    with pytest.raises(InvalidWeights, match=r"criteria under 'legitimiteit_top'.*above zero"):
        weights.leaf_weights(cset, {"controle": 0, "betrokkenheid": 0})
    assert sum(weights.leaf_weights(cset, {"legitimiteit_top": 0})) == pytest.approx(1)
