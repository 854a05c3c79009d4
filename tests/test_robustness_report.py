"""The robustness report: shape, agreement with the core analyses, and the one-sentence answer."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from afweging.loading import load, load_bundled
from afweging.matrix import build_matrix
from afweging.methods import cross_check
from afweging.robustness import (
    GRADE_THRESHOLDS,
    GRADES,
    RobustnessReport,
    grade,
    grade_of,
    grade_reason,
    grade_rules,
    pct,
    points,
    robustness_report,
    share_pct,
    summary_sentence,
)
from afweging.scoring import competition_ranks, normalise_weights, overall_scores
from afweging.sensitivity import stability_interval, stability_intervals
from afweging.smaa import SmaaResult, UniformWeights, WeightsAround, smaa
from afweging.weights import leaf_weights
from afweging_ui.i18n import t

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
        "grade",
    }
    assert set(doc["grade"]) == {
        "grade",
        "reasons",
        "nearest_change",
        "first_share",
        "rival",
        "rival_share",
        "thresholds",
    }
    assert doc["grade"]["grade"] in GRADES
    assert doc["grade"]["thresholds"] == dataclasses.asdict(GRADE_THRESHOLDS)
    near = doc["grade"]["nearest_change"]
    assert near is None or set(near) == {
        "criterion",
        "weight_now",
        "weight_then",
        "shift",
        "takeover",
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


# -- the plain verdict: stevig / redelijk zeker / wankel ------------------------------------

#: Two criteria, three options: A leads on kosten, B on draagvlak, C is never near.
TWO = [[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]]
#: Four options, for shares of exactly 25% without another option ahead.
FOUR = [[1.0, 0.0], [0.0, 1.0], [0.2, 0.2], [0.1, 0.1]]
#: A dominates: no single weight can change the winner.
DOMINANT = [[1.0, 1.0], [0.0, 0.5], [0.5, 0.0]]
#: A and B identical and first; C catches up when kosten drops to 1/3 or draagvlak rises to 2/3.
PAIR = [[1.0, 0.5], [1.0, 0.5], [0.0, 1.0]]
#: A and B identical and first whatever the weights.
SAME = [[1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]

LABELS = {
    "nl": {"a": "Optie A", "b": "Optie B", "c": "Optie C", "d": "Optie D"}
    | {"kosten": "Kosten", "draagvlak": "Draagvlak"},
    "en": {"a": "Option A", "b": "Option B", "c": "Option C", "d": "Option D"}
    | {"kosten": "Costs", "draagvlak": "Support"},
}


def constructed(
    values,
    weights,
    first,
    *,
    central: dict[int, tuple[float, float]] | None = None,
    spread: float | None = None,
    scores_vary: bool = False,
) -> RobustnessReport:
    """A report with the exact stability intervals of ``values`` and chosen SMAA-2 first places.

    The simulation's shares are set by hand (``first``: share at rank 1 per option;
    ``central``: central weights by option, else the current weights) so that each
    threshold can be met exactly; everything else is the core's own computation.
    """
    v = np.asarray(values, dtype=float)
    w = normalise_weights(np.asarray(weights, dtype=float))
    n = v.shape[0]
    shares = np.asarray(first, dtype=float)
    acceptability = np.zeros((n, n))
    acceptability[:, 0] = shares
    central = central or {}
    central_weights = tuple(
        np.asarray(central[i], dtype=float) if i in central else (w.copy() if f > 0 else None)
        for i, f in enumerate(shares)
    )
    result = SmaaResult(
        acceptability=acceptability,
        central_weights=central_weights,
        confidence=tuple(1.0 if f > 0 else None for f in shares),
        n_samples=10_000,
        scores_vary=scores_vary,
    )
    return RobustnessReport(
        case_id="test",
        criteria_set_id="test",
        option_ids=("a", "b", "c", "d")[:n],
        criterion_ids=("kosten", "draagvlak"),
        weights=w,
        ranks=tuple(int(r) for r in competition_ranks(overall_scores(v, w))),
        stability=stability_intervals(v, w),
        smaa=result,
        methods=None,
        samples=10_000,
        seed=0,
        spread=spread,
    )


def test_the_thresholds_are_the_documented_ones() -> None:
    th = GRADE_THRESHOLDS
    assert (th.firm_shift, th.firm_share, th.shaky_shift, th.shaky_share, th.noise) == (
        0.10,
        0.50,
        0.05,
        0.25,
        0.01,
    )
    assert GRADES == ("stevig", "redelijk_zeker", "wankel")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = {
        "stevig": "shift at least 10 percentage points **and** share more than 50%",
        "wankel": "shift under 5 percentage points, **or** share under 25%, **or** another "
        "option comes first more often by at least 1 percentage point",
        "redelijk zeker": "everything in between",
    }
    for name, rule in table.items():
        assert re.search(rf"\| \*\*{name}\*\* \([a-z ]+\) \| {re.escape(rule)} \|", readme), name
    assert "GRADE_THRESHOLDS" in readme


INF = math.inf


@pytest.mark.parametrize(
    ("shift", "share", "rival", "expected"),
    [
        (INF, 1.0, 0.0, "stevig"),
        (0.10, 0.51, 0.30, "stevig"),  # exactly 10 points: enough
        (0.10 - 1e-12, 0.51, 0.30, "stevig"),  # the same, solved with float dust
        (0.0999, 0.51, 0.30, "redelijk_zeker"),  # a hair under 10 points
        (0.20, 0.50, 0.30, "redelijk_zeker"),  # exactly half is not more than half
        (0.20, 0.5001, 0.30, "stevig"),
        (0.05, 0.40, 0.30, "redelijk_zeker"),  # exactly 5 points is not under 5
        (0.05 - 1e-12, 0.40, 0.30, "redelijk_zeker"),
        (0.0499, 0.40, 0.30, "wankel"),
        (0.0, 0.90, 0.05, "wankel"),  # a tie that breaks at once, however often first
        (0.20, 0.25, 0.20, "redelijk_zeker"),  # exactly a quarter is not under it
        (0.20, 0.2499, 0.20, "wankel"),
        (INF, 0.30, 0.31, "wankel"),  # another option one point ahead
        (INF, 0.30, 0.3099, "redelijk_zeker"),  # less than a point: noise
        (INF, 0.30, 0.30, "redelijk_zeker"),  # equal shares
        (INF, 0.49, 0.51, "wankel"),
        (0.0499, 0.99, 0.01, "wankel"),  # one condition is enough for shaky
        (INF, 0.2499, 0.0, "wankel"),
    ],
)
def test_grade_at_and_around_each_threshold(shift, share, rival, expected) -> None:
    assert grade_of(shift, share, rival) == expected


@pytest.mark.parametrize(
    ("d", "first", "expected"),
    [
        (0.10, (0.6, 0.3, 0.1), "stevig"),  # 0.6 - 0.5 is 0.0999999... in floats
        (0.0999, (0.6, 0.3, 0.1), "redelijk_zeker"),
        (0.10, (0.5, 0.4, 0.1), "redelijk_zeker"),
        (0.05, (0.6, 0.3, 0.1), "redelijk_zeker"),
        (0.0499, (0.6, 0.3, 0.1), "wankel"),
        (1e-7, (0.6, 0.3, 0.1), "wankel"),  # a near-tie
        (0.0, (0.45, 0.45, 0.1), "wankel"),  # a tie: any shift decides it
        (0.20, (0.40, 0.41, 0.19), "wankel"),  # B a point ahead in the draws
        (0.20, (0.40, 0.4099, 0.1901), "redelijk_zeker"),  # B ahead within the noise
        (0.20, (0.40, 0.40, 0.20), "redelijk_zeker"),  # equal shares
    ],
)
def test_grade_of_constructed_cases_from_the_exact_intervals(d, first, expected) -> None:
    # A wins on kosten at 0.5 + d; on either weight's path B catches up at 0.5, so the
    # nearest change is exactly d away, on kosten (the first criterion on equal distances).
    report = constructed(TWO, (0.5 + d, 0.5 - d), first)
    g = grade(report)
    assert g.grade == expected
    assert g.shift == pytest.approx(d, abs=1e-12)
    assert g.nearest is not None and g.nearest.criterion == 0
    if d > 0:
        assert report.winners == (0,)
        assert g.nearest.weight_then == pytest.approx(0.5)
        assert g.nearest.takeover == 1
    else:
        assert report.winners == (0, 1)
        assert g.tie_breaks and g.nearest.takeover is None
        assert g.share == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ((0.25, 0.25, 0.25, 0.25), "redelijk_zeker"),  # exactly a quarter, nobody ahead
        ((0.2499, 0.25, 0.25, 0.2501), "wankel"),  # under a quarter, nobody clearly ahead
    ],
)
def test_a_quarter_of_the_draws_is_the_shaky_limit(first, expected) -> None:
    g = grade(constructed(FOUR, (0.7, 0.3), first))
    assert g.lead == "level"
    assert g.grade == expected


def test_a_tie_of_identical_options_counts_as_one_winner() -> None:
    g = grade(constructed(PAIR, (0.5, 0.5), (0.4, 0.4, 0.2)))
    assert g.tie and not g.tie_breaks
    assert g.share == pytest.approx(0.8)
    assert g.shift == pytest.approx(1 / 6)
    assert g.nearest is not None and g.nearest.takeover == 2
    assert g.grade == "stevig"
    never = grade(constructed(SAME, (0.5, 0.5), (0.5, 0.5, 0.0)))
    assert never.nearest is None and never.rival is None and never.grade == "stevig"


def test_the_hand_worked_flat_case(flat) -> None:
    # Values a (1, .25, .5), b (.25, 1, 1), c (.5, .5, 0); weights .5, .25, .25: a wins.
    # Moving legitimiteit's weight t (the others 1:1): s_a = .375 + .625 t and
    # s_b = 1 - .75 t meet at t = 5/11, 1/22 below the current .5. Drukte (up to 4/13,
    # 0.058 away) and efficientie (up to 1/3, 0.083 away) are farther.
    report = robustness_report(flat, leaf_weights(flat.criteria_set), samples=4_000, seed=0)
    g = grade(report)
    assert g.nearest is not None
    assert (g.nearest.criterion, g.nearest.takeover) == (0, 1)
    assert g.nearest.weight_then == pytest.approx(5 / 11)
    assert g.shift == pytest.approx(1 / 22)
    assert g.grade == "wankel"  # 4.5 points
    nl = summary_sentence(report, labels_of(flat, "nl"), "nl", t)
    assert nl.startswith(
        "Bij uw gewichten wint Optie A, en dat blijft zo zolang u geen gewicht meer dan "
        "4,5 procentpunt verschuift (gaat het gewicht van democratische legitimiteit van 50% "
        "naar 45,5%, dan haalt Optie B de winnaar in); "
    )
    en = summary_sentence(report, labels_of(flat, "en"), "en", t)
    assert en.startswith(
        "At your weights Option A wins, and that holds as long as you move no weight by more "
        "than 4.5 percentage points (if the weight of democratic legitimacy goes from 50% "
        "to 45.5%, Option B catches up); "
    )
    reason = grade_reason(g, report, labels_of(flat, "nl"), "nl", t)
    assert reason.startswith(
        "Waarom wankel: een verschuiving van 4,5 procentpunt verandert de winnaar "
        "(wankel bij minder dan 5 procentpunt)"
    )


SENTENCES = {
    "shift, mostly": (
        lambda: constructed(TWO, (0.7, 0.3), (0.6, 0.3, 0.1)),
        "stevig",
        "Bij uw gewichten wint Optie A, en dat blijft zo zolang u geen gewicht meer dan 20 "
        "procentpunt verschuift (gaat het gewicht van kosten van 70% naar 50%, dan haalt Optie B "
        "de winnaar in); ook bij willekeurige gewichten wint deze optie meestal, in 60% van de "
        "trekkingen.",
        "At your weights Option A wins, and that holds as long as you move no weight by more "
        "than 20 percentage points (if the weight of costs goes from 70% to 50%, Option B "
        "catches up); with random weights, too, this option wins most of the time, in 60% of "
        "the draws.",
    ),
    "any shift, most often": (
        lambda: constructed(DOMINANT, (0.5, 0.5), (0.45, 0.35, 0.2), scores_vary=True),
        "redelijk_zeker",
        "Bij uw gewichten wint Optie A, en dat blijft zo hoe ver u één gewicht ook verschuift; "
        "ook bij willekeurige gewichten en onzekere scores wint deze optie het vaakst, in 45% "
        "van de trekkingen (daarna komt Optie B met 35%).",
        "At your weights Option A wins, and that holds however far you move any one weight; "
        "with random weights and uncertain scores, too, this option wins most often, in 45% of "
        "the draws (next comes Option B with 35%).",
    ),
    # The case: firm against one weight, yet another option wins more often.
    "any shift, another wins more often": (
        lambda: constructed(
            DOMINANT, (0.5, 0.5), (0.3, 0.4, 0.3), central={1: (0.8, 0.2)}, scores_vary=True
        ),
        "wankel",
        "Bij uw gewichten wint Optie A, en dat blijft zo hoe ver u één gewicht ook verschuift; "
        "maar bij willekeurige gewichten en onzekere scores wint vaker Optie B (40% tegen 30%). "
        "Uw winnaar wint dus bij gewichten zoals de uwe, maar bij de meeste andere verdelingen "
        "van de gewichten niet (waar Optie B wint, weegt kosten gemiddeld 80%; bij u 50%).",
        "At your weights Option A wins, and that holds however far you move any one weight; "
        "but with random weights and uncertain scores, Option B wins more often (40% against "
        "30%). So your winner wins at weights like yours, but not under most other divisions of "
        "the weight (where Option B wins, costs weighs 80% on average; yours: 50%).",
    ),
    "shift, about as often, around your weights": (
        lambda: constructed(
            TWO, (0.7, 0.3), (0.352, 0.347, 0.301), central={1: (0.45, 0.55)}, spread=0.1
        ),
        "redelijk_zeker",
        "Bij uw gewichten wint Optie A, en dat blijft zo zolang u geen gewicht meer dan 20 "
        "procentpunt verschuift (gaat het gewicht van kosten van 70% naar 50%, dan haalt Optie B "
        "de winnaar in); maar bij gewichten rond de uwe (spreiding 10%) wint Optie B ongeveer "
        "even vaak (34,7% tegen 35,2%). Uw winnaar wint dus bij uw gewichten, maar als meerdere "
        "gewichten tegelijk een beetje verschuiven meestal niet (waar Optie B wint, weegt kosten "
        "gemiddeld 45%; bij u 70%).",
        "At your weights Option A wins, and that holds as long as you move no weight by more "
        "than 20 percentage points (if the weight of costs goes from 70% to 50%, Option B "
        "catches up); but with weights around yours (spread 10%), Option B wins about as often "
        "(34.7% against 35.2%). So your winner wins at your weights, but mostly not when several "
        "weights move a little at once (where Option B wins, costs weighs 45% on average; "
        "yours: 70%).",
    ),
    "a tie any shift breaks": (
        lambda: constructed(TWO, (0.5, 0.5), (0.45, 0.45, 0.1)),
        "wankel",
        "Bij uw gewichten staan Optie A en Optie B samen bovenaan; de kleinste verschuiving van "
        "het gewicht van kosten beslist die gelijke stand al; ook bij willekeurige gewichten wint "
        "een van hen meestal, samen in 90% van de trekkingen (Optie A: 45%; Optie B: 45%).",
        "At your weights Option A and Option B share first place; the smallest shift in the "
        "weight of costs already breaks that tie; with random weights, too, one of them wins "
        "most of the time, together in 90% of the draws (Option A: 45%; Option B: 45%).",
    ),
    "a near-tie": (
        lambda: constructed(TWO, (0.5 + 1e-7, 0.5 - 1e-7), (0.5, 0.45, 0.05)),
        "wankel",
        "Bij uw gewichten wint Optie A, maar op het nippertje: met minder dan 0,1 procentpunt "
        "minder gewicht voor kosten haalt Optie B de winnaar al in; ook bij willekeurige "
        "gewichten wint deze optie het vaakst, in 50% van de trekkingen (daarna komt Optie B "
        "met 45%).",
        "At your weights Option A wins, but only just: with less than 0.1 percentage points "
        "less weight on costs, Option B catches up; with random weights, too, this option wins "
        "most often, in 50% of the draws (next comes Option B with 45%).",
    ),
    "identical winners, always first": (
        lambda: constructed(SAME, (0.5, 0.5), (0.5, 0.5, 0.0)),
        "stevig",
        "Bij uw gewichten staan Optie A en Optie B samen bovenaan, en dat blijft zo hoe ver u "
        "één gewicht ook verschuift (zij scoren op elk criterium gelijk); ook bij willekeurige "
        "gewichten wint altijd een van hen (Optie A: 50%; Optie B: 50%).",
        "At your weights Option A and Option B share first place, and that holds however far "
        "you move any one weight (they score the same on every criterion); with random "
        "weights, too, one of them always wins (Option A: 50%; Option B: 50%).",
    ),
    "identical winners, a third catches up": (
        lambda: constructed(PAIR, (0.5, 0.5), (0.4, 0.4, 0.2)),
        "stevig",
        "Bij uw gewichten staan Optie A en Optie B samen bovenaan, en dat blijft zo zolang u "
        "geen gewicht meer dan 16,6 procentpunt verschuift (gaat het gewicht van kosten van 50% "
        "naar 33,3%, dan haalt Optie C hen in); ook bij willekeurige gewichten wint een van hen "
        "meestal, samen in 80% van de trekkingen (Optie A: 40%; Optie B: 40%).",
        "At your weights Option A and Option B share first place, and that holds as long as "
        "you move no weight by more than 16.6 percentage points (if the weight of costs goes "
        "from 50% to 33.3%, Option C catches up with them); with random weights, too, one of "
        "them wins most of the time, together in 80% of the draws (Option A: 40%; Option B: "
        "40%).",
    ),
    "identical winners, another wins more often": (
        lambda: constructed(
            SAME, (0.5, 0.5), (0.2, 0.2, 0.6), central={2: (0.1, 0.9)}, scores_vary=True
        ),
        "wankel",
        "Bij uw gewichten staan Optie A en Optie B samen bovenaan, en dat blijft zo hoe ver u "
        "één gewicht ook verschuift (zij scoren op elk criterium gelijk); maar bij willekeurige "
        "gewichten en onzekere scores wint vaker Optie C (60% tegen 40% voor hen samen; Optie A: "
        "20%; Optie B: 20%). Zij winnen dus bij gewichten zoals de uwe, maar bij de meeste "
        "andere verdelingen van de gewichten niet (waar Optie C wint, weegt kosten gemiddeld "
        "10%; bij u 50%).",
        "At your weights Option A and Option B share first place, and that holds however far "
        "you move any one weight (they score the same on every criterion); but with random "
        "weights and uncertain scores, Option C wins more often (60% against 40% for them "
        "together; Option A: 20%; Option B: 20%). So they win at weights like yours, but not "
        "under most other divisions of the weight (where Option C wins, costs weighs 10% on "
        "average; yours: 50%).",
    ),
    "identical winners, another about as often": (
        lambda: constructed(PAIR, (0.5, 0.5), (0.25, 0.25, 0.5), central={2: (0.2, 0.8)}),
        "redelijk_zeker",
        "Bij uw gewichten staan Optie A en Optie B samen bovenaan, en dat blijft zo zolang u "
        "geen gewicht meer dan 16,6 procentpunt verschuift (gaat het gewicht van kosten van 50% "
        "naar 33,3%, dan haalt Optie C hen in); maar bij willekeurige gewichten wint Optie C "
        "ongeveer even vaak als zij samen (50% tegen 50%; Optie A: 25%; Optie B: 25%). Zij "
        "winnen dus bij gewichten zoals de uwe, maar bij de meeste andere verdelingen van de "
        "gewichten niet (waar Optie C wint, weegt kosten gemiddeld 20%; bij u 50%).",
        "At your weights Option A and Option B share first place, and that holds as long as "
        "you move no weight by more than 16.6 percentage points (if the weight of costs goes "
        "from 50% to 33.3%, Option C catches up with them); but with random weights, Option C "
        "wins about as often as they do together (50% against 50%; Option A: 25%; Option B: "
        "25%). So they win at weights like yours, but not under most other divisions of the "
        "weight (where Option C wins, costs weighs 20% on average; yours: 50%).",
    ),
}


@pytest.mark.parametrize("case", list(SENTENCES))
def test_the_sentence_for_each_combination_in_dutch_and_english(case: str) -> None:
    make, expected_grade, nl, en = SENTENCES[case]
    report = make()
    assert grade(report).grade == expected_grade
    assert summary_sentence(report, LABELS["nl"], "nl", t) == nl
    assert summary_sentence(report, LABELS["en"], "en", t) == en


@pytest.mark.parametrize(
    ("case", "nl", "en"),
    [
        (
            "shift, mostly",
            "Waarom stevig: een verschuiving van 20 procentpunt verandert de winnaar (stevig "
            "vraagt ten minste 10 procentpunt); de winnaar wint in 60% van de trekkingen (stevig "
            "vraagt meer dan 50%).",
            "Why firm: a shift of 20 percentage points changes the winner (firm needs at least "
            "10 points); the winner wins in 60% of the draws (firm needs more than 50%).",
        ),
        (
            "any shift, most often",
            "Waarom redelijk zeker: de winnaar wint in 45% van de trekkingen (stevig vraagt meer "
            "dan 50%).",
            "Why fairly sure: the winner wins in 45% of the draws (firm needs more than 50%).",
        ),
        (
            "any shift, another wins more often",
            "Waarom wankel: Optie B wint vaker (40%; wankel als een andere optie 1 procentpunt "
            "of meer vaker wint).",
            "Why shaky: Option B wins more often (40%; shaky when another option wins more "
            "often by 1 point or more).",
        ),
        (
            "a tie any shift breaks",
            "Waarom wankel: de gelijke stand breekt al bij de kleinste verschuiving (wankel bij "
            "minder dan 5 procentpunt).",
            "Why shaky: the tie breaks at the smallest shift (shaky below 5 points).",
        ),
        (
            "identical winners, always first",
            "Waarom stevig: geen verschuiving van één gewicht verandert de winnaar (stevig "
            "vraagt ten minste 10 procentpunt); een van de gedeelde winnaars wint in 100% van de "
            "trekkingen (stevig vraagt meer dan 50%).",
            "Why firm: no shift of a single weight changes the winner (firm needs at least 10 "
            "points); one of the joint winners wins in 100% of the draws (firm needs more than "
            "50%).",
        ),
    ],
)
def test_the_reason_names_the_deciding_figures_and_rules(case: str, nl: str, en: str) -> None:
    report = SENTENCES[case][0]()
    g = grade(report)
    assert grade_reason(g, report, LABELS["nl"], "nl", t) == nl
    assert grade_reason(g, report, LABELS["en"], "en", t) == en


def test_a_share_just_over_half_is_not_shown_as_half() -> None:
    report = constructed(TWO, (0.7, 0.3), (0.502, 0.3, 0.198))
    g = grade(report)
    assert g.grade == "stevig"
    assert "in 50,2% van de trekkingen" in summary_sentence(report, LABELS["nl"], "nl", t)
    assert "wint in 50,2% van de trekkingen (stevig vraagt meer dan 50%)" in grade_reason(
        g, report, LABELS["nl"], "nl", t
    )


def test_numbers_are_written_the_dutch_or_english_way() -> None:
    assert points(1 / 22, "nl") == "4,5"
    assert points(1 / 22, "en") == "4.5"
    assert points(0.0583, "nl") == "5,8"
    assert points(0.10 - 1e-12, "nl") == "10"  # float dust is not 9,9
    assert points(0.0999, "nl") == "9,9"  # rounded down: never shown as reaching 10
    assert points(0.05, "en") == "5"
    assert share_pct(0.502, "nl") == "50,2%"
    assert share_pct(0.5, "nl") == "50%"
    assert share_pct(0.247, "en") == "24.7%"
    assert share_pct(0.34, "nl") == "34%"
    rules = grade_rules("nl", t)
    assert rules[0].startswith("**Stevig**: elke verschuiving van één gewicht met minder dan 10")
    assert "meer dan 50% van de trekkingen" in rules[0]
    assert "minder dan 5 procentpunt" in rules[2] and "minder dan 25%" in rules[2]
    assert "1 procentpunt of meer vaker" in rules[2]


@pytest.mark.parametrize(("case", "cset"), PAIRS)
def test_the_bundled_cases_are_graded_by_the_rule(case: str, cset: str) -> None:
    matrix = build_matrix(BUNDLE.case(case), BUNDLE.criteria_set(cset))
    report = robustness_report(matrix, leaf_weights(matrix.criteria_set), samples=2_000, seed=0)
    g = grade(report)
    assert g.grade == grade_of(g.shift, g.share, g.rival_share)
    winners = set(report.winners)
    assert g.share == pytest.approx(sum(report.smaa.first_rank[i] for i in winners))
    others = [report.smaa.first_rank[i] for i in range(len(report.option_ids)) if i not in winners]
    assert g.rival_share == pytest.approx(max(others, default=0.0))
    near = min(
        (
            abs(end - s.current_weight)
            for s in report.stability
            for end in (s.winner_lo, s.winner_hi)
            if 1e-9 < end < 1 - 1e-9
        ),
        default=INF,
    )
    assert g.shift == pytest.approx(near)
    for lang in ("nl", "en"):
        sentence = summary_sentence(report, labels_of(matrix, lang), lang, t)
        assert sentence.startswith("Bij uw gewichten " if lang == "nl" else "At your weights ")
        assert "{" not in sentence and sentence.endswith(".")


def test_summary_on_a_tie_names_both() -> None:
    matrix = build_matrix(BUNDLE.case("sra"), BUNDLE.criteria_set("uitgebreid"))
    w = leaf_weights(matrix.criteria_set)
    report = robustness_report(matrix, w, samples=1_000, seed=0)
    tied = [matrix.options[i].label.get("en") for i in report.winners]
    if len(tied) < 2:
        pytest.skip("the bundled data no longer ties at default weights")
    sentence = summary_sentence(report, labels_of(matrix, "en"), "en", t)
    assert sentence.startswith("At your weights " + " and ".join(tied) + " share first place")


def test_pct_never_rounds_to_the_extremes() -> None:
    assert pct(0.004, "nl") == "<1%"
    assert pct(0.996, "en") == ">99%"
    assert pct(1.0, "nl") == "100%"
    assert pct(0.0, "nl") == "0%"
    assert pct(0.125, "en") == "13%"  # 12,5 rounds up, as people round
