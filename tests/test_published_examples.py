"""Our figures against published worked examples (afweging/published_examples.py)."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from afweging.ahp import ahp_weights, reciprocal_matrix
from afweging.published_examples import EXAMPLES, PublishedExample, by_name, ours

#: A decimal point between digits, except in version numbers such as "pymcdm 1.4.0".
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.]*\.\d)")


def assert_matches(example: PublishedExample) -> None:
    got = ours(example)
    assert set(got) == set(example.published)
    for key, published in example.published.items():
        np.testing.assert_allclose(
            got[key], published, rtol=0, atol=example.tolerance, err_msg=f"{example.name}: {key}"
        )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_published_figures(example):
    assert_matches(example)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_examples_are_complete(example):
    for lang in ("nl", "en"):
        assert example.source.get(lang).strip()
        assert example.note is None or example.note.get(lang).strip()
    assert example.tolerance > 0
    for key, figures in example.published.items():
        assert len(figures) == len(example.labels) or len(figures) == 1, key


def test_ahp_wikipedia_leader_example_overall_priorities():
    assert_matches(by_name("ahp_wikipedia_leader_example"))


def test_ahp_wikipedia_leader_example_criteria_weights_round_as_documented():
    # The page's .547/.127/.270/.056 versus our eigenvector, as the note says.
    ex = by_name("ahp_wikipedia_leader_example")
    w = ahp_weights(reciprocal_matrix(ex.inputs["criteria"])).weights
    np.testing.assert_allclose(w, [0.547, 0.127, 0.270, 0.056], atol=0.001)
    assert round(w[0], 3) == 0.548


def test_ahp_saaty_1977_consistent_matrix_cr_zero():
    assert_matches(by_name("ahp_consistent_matrix_derived"))


def test_topsis_tzeng_huang_2011_closeness():
    assert_matches(by_name("topsis_tzeng_huang_2011"))


def test_promethee_ii_pymcdm_doc_example_net_flows():
    assert_matches(by_name("promethee_ii_pymcdm_doc_example"))


def test_a_wrong_figure_is_caught():
    ex = by_name("topsis_tzeng_huang_2011")
    wrong = dataclasses.replace(ex, published={"closeness": (0.5037, 0.6581, 0.7483, 0.3340)})
    with pytest.raises(AssertionError, match="topsis_tzeng_huang_2011: closeness"):
        assert_matches(wrong)


def test_examples_are_immutable_and_findable():
    ex = EXAMPLES[0]
    with pytest.raises(TypeError):
        ex.published["x"] = (1.0,)  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.name = "other"  # type: ignore[misc]
    with pytest.raises(KeyError, match="no published example 'nope'; choose from"):
        by_name("nope")
    assert len({e.name for e in EXAMPLES}) == len(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_dutch_texts_write_decimal_commas(example):
    texts = [example.source.get("nl")] + ([example.note.get("nl")] if example.note else [])
    for text in texts:
        assert DECIMAL_POINT.search(text) is None, text
        assert not re.search(r"(?<![\d\w])\.\d", text), text  # ".358" is English


def test_the_dutch_and_english_texts_name_the_same_figures():
    by_hand = by_name("promethee_ii_pymcdm_doc_example").source
    assert "0,5 + 0,3 = 0,8" in by_hand.get("nl") and "0.5 + 0.3 = 0.8" in by_hand.get("en")
    leader = by_name("ahp_wikipedia_leader_example")
    assert "Tom 0,358" in leader.source.get("nl") and "Tom .358" in leader.source.get("en")
