"""The robustness report: shape, agreement with the core analyses, and the one-sentence answer."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from afweging.analysis import build_matrix
from afweging.loading import load, load_bundled
from afweging.methods import cross_check
from afweging.robustness import pct, robustness_report, summary_sentence
from afweging.scoring import competition_ranks, overall_scores
from afweging.sensitivity import stability_interval
from afweging.smaa import UniformWeights, WeightsAround, smaa
from afweging.weights import leaf_weights
from ui.i18n import t

from .conftest import GOOD

BUNDLE = load_bundled()
PAIRS = [(c.id, s.id) for c in BUNDLE.cases for s in BUNDLE.criteria_sets]


def matrix_of(kind: str):
    bundle, problems = load([GOOD / kind / "criteria.yaml", GOOD / kind / "scenario.yaml"])
    assert not problems
    return build_matrix(bundle.cases[0], bundle.criteria_sets[0])


@pytest.fixture(scope="module")
def flat():
    return matrix_of("flat")


def labels_of(matrix, lang):
    out = {o.id: o.label.get(lang) for o in matrix.options}
    return out | {c.id: c.label.get(lang) for c in matrix.leaves}


def test_json_shape_is_exactly_the_documented_one(flat) -> None:
    w = leaf_weights(flat.criteria_set)
    doc = robustness_report(flat, w, samples=500, seed=3).to_json_dict()
    assert set(doc) == {
        "case",
        "criteria_set",
        "weights",
        "samples",
        "seed",
        "stability",
        "acceptability",
        "central_weights",
        "methods",
    }
    assert (doc["case"], doc["criteria_set"], doc["samples"], doc["seed"]) == (
        "demo",
        "flat",
        500,
        3,
    )
    assert list(doc["stability"]) == flat.criterion_ids
    for entry in doc["stability"].values():
        assert set(entry) == {"winner", "ranking"}
        for lo, hi in entry.values():
            assert 0.0 <= lo <= hi <= 1.0
    assert list(doc["acceptability"]) == flat.option_ids
    assert all(len(row) == len(flat.option_ids) for row in doc["acceptability"].values())
    assert list(doc["central_weights"]) == flat.option_ids
    for cw in doc["central_weights"].values():
        assert cw is None or list(cw) == flat.criterion_ids
    assert set(doc["methods"]) == {"weighted_sum", "topsis", "promethee_ii"}
    for ranks in doc["methods"].values():
        assert list(ranks) == flat.option_ids
        assert all(isinstance(r, int) and 1 <= r <= 3 for r in ranks.values())
    assert doc["weights"] == pytest.approx(
        {"legitimiteit": 0.5, "bestuurlijke_drukte": 0.25, "efficientie": 0.25}
    )
    assert json.loads(json.dumps(doc)) == doc  # plain JSON types only


@pytest.mark.parametrize(("case", "cset"), PAIRS)
def test_report_equals_the_core_analyses(case: str, cset: str) -> None:
    matrix = build_matrix(BUNDLE.case(case), BUNDLE.criteria_set(cset))
    w = leaf_weights(matrix.criteria_set)
    report = robustness_report(matrix, w, samples=2_000, seed=11)
    values = matrix.values
    # Stability: exactly the sensitivity module's intervals, one per leaf.
    assert len(report.stability) == len(matrix.leaves)
    for j, s in enumerate(report.stability):
        expected = stability_interval(values, w, j)
        assert (s.winner_lo, s.winner_hi, s.ranking_lo, s.ranking_hi) == (
            expected.winner_lo,
            expected.winner_hi,
            expected.ranking_lo,
            expected.ranking_hi,
        )
        assert s.winner_lo <= w[j] <= s.winner_hi
        assert s.ranking_lo <= w[j] <= s.ranking_hi
    # Acceptability: SMAA-2 with uniform weights and the value ranges, same seed.
    lo, hi = matrix.value_bounds
    direct = smaa(values, UniformWeights(), lo=lo, hi=hi, n_samples=2_000, seed=11)
    np.testing.assert_array_equal(report.smaa.acceptability, direct.acceptability)
    # Methods: the cross-check on raw scores.
    check = cross_check(matrix.raw, matrix.directions, w, values)
    for name, ranks in check.ranks.items():
        np.testing.assert_array_equal(report.methods.ranks[name], ranks)
    assert report.ranks == tuple(competition_ranks(overall_scores(values, w)))


def test_acceptabilities_per_option_and_per_rank_sum_to_one(flat) -> None:
    report = robustness_report(flat, leaf_weights(flat.criteria_set), samples=3_000, seed=1)
    a = np.array(list(report.to_json_dict()["acceptability"].values()))
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.sum(axis=0), 1.0)


@pytest.mark.parametrize("spread", [None, 0.3])
def test_a_dominating_option_is_always_first(flat, spread) -> None:
    raw = flat.raw.copy()
    # Option b: the best end of every scale (drukte: lower is better, so 1).
    raw[1] = [5.0, 1.0, 10.0]
    raw[0] = [4.0, 2.0, 9.0]  # a is second-best everywhere, fixed
    dominated = dataclasses.replace(flat, raw=raw, raw_lo=raw.copy(), raw_hi=raw.copy())
    w = leaf_weights(flat.criteria_set)
    report = robustness_report(dominated, w, samples=2_000, seed=5, spread=spread)
    doc = report.to_json_dict()
    assert doc["acceptability"]["b"][0] == 1.0
    assert doc["acceptability"]["a"][0] == 0.0
    assert doc["central_weights"]["a"] is None
    assert report.smaa.confidence[1] == 1.0
    assert all(s.winner_lo == 0.0 and s.winner_hi == 1.0 for s in report.stability)


def test_spread_draws_around_the_current_weights(flat) -> None:
    w = leaf_weights(flat.criteria_set)
    report = robustness_report(flat, w, samples=1_000, seed=2, spread=0.2)
    lo, hi = flat.value_bounds
    direct = smaa(flat.values, WeightsAround(w, 0.2), lo=lo, hi=hi, n_samples=1_000, seed=2)
    np.testing.assert_array_equal(report.smaa.acceptability, direct.acceptability)
    assert (
        report.to_json_dict()
        == robustness_report(flat, w, samples=1_000, seed=2, spread=0.2).to_json_dict()
    )
    other = robustness_report(flat, w, samples=1_000, seed=3, spread=0.2).to_json_dict()
    assert other["acceptability"] != report.to_json_dict()["acceptability"]


def test_summary_names_the_winner_and_the_narrowest_interval(flat) -> None:
    # By hand: values a (1, .25, .5), b (.25, 1, 1), c (.5, .5, 0); weights .5, .25, .25 give
    # a .6875, b .625, c .375, so a wins. Moving drukte's weight t with legitimiteit:efficientie
    # at 2:1: s_a = (1 - t) * 2.5/3 + .25 t, s_b = (1 - t) * 1.5/3 + t; equal at t = 1/3.25 = 4/13.
    w = leaf_weights(flat.criteria_set)
    report = robustness_report(flat, w, samples=4_000, seed=0)
    assert report.winners == (0,)
    drukte = report.stability[1]
    assert drukte.winner_hi == pytest.approx(4 / 13)
    first_a = report.smaa.acceptability[0, 0]
    nl = summary_sentence(report, labels_of(flat, "nl"), "nl", t)
    assert nl.startswith("Optie A staat bovenaan;")
    assert "zolang het gewicht van bestuurlijke drukte niet boven 31% komt" in nl
    assert "(de andere gewichten in dezelfde verhouding)" in nl
    assert f"komt Optie A in {first_a:.0%} van de gevallen bovenaan" in nl
    en = summary_sentence(report, labels_of(flat, "en"), "en", t)
    assert en.startswith("Option A comes first;")
    assert "as long as administrative burden weighs at most 31%" in en
    assert f"Option A comes first in {first_a:.0%} of cases" in en


def test_summary_with_a_two_sided_interval(flat) -> None:
    # Other weights: the phrase is chosen by the ends of the narrowest interval from the core.
    w = leaf_weights(
        flat.criteria_set, {"legitimiteit": 1, "bestuurlijke_drukte": 1, "efficientie": 2}
    )
    report = robustness_report(flat, w, samples=1_000, seed=0)
    weak = min(report.stability, key=lambda s: (s.winner_hi - s.winner_lo, s.criterion))
    lo, hi = weak.winner_lo, weak.winner_hi
    winner = flat.options[report.winners[0]].label.get("nl")
    crit = flat.leaves[weak.criterion].label.get("nl").lower()
    sentence = summary_sentence(report, labels_of(flat, "nl"), "nl", t)
    assert sentence.startswith(f"{winner} staat bovenaan")
    if lo > 0 and hi < 1:
        assert f"zolang het gewicht van {crit} tussen {lo:.0%} en {hi:.0%} ligt" in sentence
    elif lo > 0:
        assert f"zolang het gewicht van {crit} ten minste {lo:.0%} is" in sentence
    else:
        assert f"zolang het gewicht van {crit} niet boven {hi:.0%} komt" in sentence


def test_summary_on_a_tie_names_both() -> None:
    matrix = build_matrix(BUNDLE.case("sra"), BUNDLE.criteria_set("uitgebreid"))
    w = leaf_weights(matrix.criteria_set)
    report = robustness_report(matrix, w, samples=1_000, seed=0)
    tied = [matrix.options[i].label.get("en") for i in report.winners]
    if len(tied) < 2:
        pytest.skip("the bundled data no longer ties at default weights")
    sentence = summary_sentence(report, labels_of(matrix, "en"), "en", t)
    assert sentence.startswith(" and ".join(tied) + " share first place")


def test_pct_never_rounds_to_the_extremes() -> None:
    assert pct(0.004, "nl") == "<1%"
    assert pct(0.996, "en") == ">99%"
    assert pct(1.0, "nl") == "100%"
    assert pct(0.0, "nl") == "0%"
    assert pct(0.125, "en") == "12%"
