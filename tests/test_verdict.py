"""The source's own verdict held against a ranking: agree, rank, missing and weak grounds."""

from __future__ import annotations

import numpy as np
import pytest

from afweging.loading import load
from afweging.matrix import build_matrix, rank
from afweging.model import Conclusion, Consideration, Evidence, Text
from afweging.verdict import global_weight, verdict, verdict_sentences
from afweging.weights import leaf_weights
from afweging_ui.i18n import t

from .conftest import GOOD

QUOTE = Evidence(
    source="000_bcdf0e76cff0fbf6.txt", quote="taakdifferentiatie vanuit vrijwilligheid"
)


def ground(criterion: str | None, nl: str) -> Consideration:
    return Consideration(criterion=criterion, text=Text(nl=nl, en=nl), evidence=[QUOTE])


@pytest.fixture(scope="module")
def tree():
    bundle, problems = load([GOOD / "tree" / "criteria.yaml", GOOD / "tree" / "scenario.yaml"])
    assert problems == []
    return bundle.criteria_sets[0], bundle.cases[0]


def with_conclusion(case, prefers, considerations):
    conclusion = Conclusion(
        source="000_bcdf0e76cff0fbf6.txt",
        document="Het stuk",
        prefers=prefers,
        summary=Text(nl="Kort.", en="Short."),
        evidence=[QUOTE],
        considerations=considerations,
    )
    return case.model_copy(update={"conclusion": conclusion})


def test_no_conclusion_no_verdict(tree) -> None:
    cset, case = tree
    matrix = build_matrix(case, cset)
    assert verdict(matrix, rank(matrix, leaf_weights(cset))) is None


def test_agreeing_weights(tree) -> None:
    cset, case = tree
    matrix = build_matrix(case, cset)
    ranking = rank(matrix, leaf_weights(cset))
    first = matrix.option_ids[int(np.argmin(ranking.ranks))]
    result = verdict(build_matrix(with_conclusion(case, [first], []), cset), ranking)
    assert result is not None and result.agrees and result.best_rank == 1
    sentences = verdict_sentences(result, {}, "nl", t)
    assert sentences[0] == f"Het stuk kiest zelf voor {case.option(first).label.nl}."
    assert sentences[1].startswith("Uw gewichten komen daarmee overeen")


def test_disagreement_names_the_rank_and_the_missing_and_weak_grounds(tree) -> None:
    cset, case = tree
    parents = [c for c in cset.criteria if not c.is_leaf]
    leaves = cset.leaves()
    matrix0 = build_matrix(case, cset)
    ranking0 = rank(matrix0, leaf_weights(cset))
    last = matrix0.option_ids[int(np.argmax(ranking0.ranks))]
    grounds = [
        ground("bestaat_niet_hier", "Samenhang van taken"),
        ground(parents[0].id, "Legitimiteit telt"),
        ground(leaves[-1].id, "Het laatste blad"),
        ground(None, "Iets zonder criterium"),
    ]
    matrix = build_matrix(with_conclusion(case, [last, "niet-gekozen"], grounds), cset)
    # Halve the first parent's weight: its ground becomes weak; the others stay at default.
    given = {parents[0].id: 0.5}
    weights = leaf_weights(cset, given)
    ranking = rank(matrix, weights)
    result = verdict(matrix, ranking)
    assert result is not None and not result.agrees
    assert result.left_out == ("niet-gekozen",)
    assert result.best_rank == int(ranking.ranks[matrix.option_ids.index(last)])
    assert [m.text.nl for m in result.missing] == ["Samenhang van taken"]
    assert [u.text.nl for u in result.unmapped] == ["Iets zonder criterium"]
    assert [w.consideration.criterion for w in result.weak] == [parents[0].id]
    weak = result.weak[0]
    assert weak.weight == pytest.approx(global_weight(cset, weights, parents[0].id))
    assert weak.default == pytest.approx(global_weight(cset, leaf_weights(cset), parents[0].id))
    assert weak.weight < weak.default
    labels = {parents[0].id: "P", "bestaat_niet_hier": "Samenhang"}
    text = " ".join(verdict_sentences(result, labels, "nl", t))
    assert f"op plaats {result.best_rank} van {len(matrix.option_ids)}" in text
    assert "niet meeweegt: Samenhang." in text
    assert "P (" in text and "in plaats van" in text


def test_a_parent_weight_is_the_sum_of_its_leaves(tree) -> None:
    cset, _case = tree
    w = leaf_weights(cset)
    parent = next(c for c in cset.criteria if not c.is_leaf)
    under = [i for i, leaf in enumerate(cset.leaves()) if leaf in list(parent.walk())]
    assert global_weight(cset, w, parent.id) == pytest.approx(float(w[under].sum()))
    assert sum(global_weight(cset, w, c.id) for c in cset.criteria) == pytest.approx(1.0)


def test_the_robustness_summary_gives_the_share_of_draws_the_choice_comes_first(tree) -> None:
    from afweging.verdict import robustness_sentence

    cset, case = tree
    matrix = build_matrix(with_conclusion(case, [case.options[0].id], []), cset)
    result = verdict(matrix, rank(matrix, leaf_weights(cset)))
    assert result is not None
    shares = {case.options[0].id: 0.375}
    x = case.options[0].label
    text = robustness_sentence(result, shares, "nl", t)
    assert text == (
        f"Het stuk kiest zelf voor {x.nl}. Aandeel van de trekkingen in de simulatie waarin die "
        f"keuze bovenaan staat: {x.nl} 38%."
    )
    english = robustness_sentence(result, shares, "en", t)
    assert english.endswith(f"in which that choice comes first: {x.en} 38%.")


def test_a_choice_left_out_of_the_comparison_is_named_not_shown_by_its_id(tree) -> None:
    """Two chosen options, neither among the compared ones: both named by their labels in
    the reader's language, and the sentence says "those options" (it said "sra-koers en
    sra-mra-vervoer" and "Die optie")."""
    from afweging.verdict import robustness_sentence

    cset, case = tree
    chosen = [case.options[0].id, case.options[1].id]
    compared = [o.id for o in case.options[2:]]
    matrix = build_matrix(with_conclusion(case, chosen, []), cset, compared)
    result = verdict(matrix, rank(matrix, leaf_weights(cset)))
    assert result is not None and result.preferred == ()
    for lang in ("nl", "en"):
        names = [case.option(o).label.get(lang) for o in chosen]
        head = t("verdict_choice", lang, document="Het stuk", options=names[0])
        head = head.replace(names[0], names[0] + t("verdict_and", lang) + names[1])
        expected = [head, t("verdict_not_compared_many", lang)]
        assert verdict_sentences(result, {}, lang, t) == expected
        assert robustness_sentence(result, {}, lang, t) == " ".join(expected)


def test_a_rounding_difference_is_not_a_weak_ground(tree) -> None:
    cset, case = tree
    parent = next(c for c in cset.criteria if not c.is_leaf)
    matrix = build_matrix(
        with_conclusion(case, [case.options[0].id], [ground(parent.id, "P")]), cset
    )
    default = leaf_weights(cset)
    nudged = default.copy()
    under = [i for i, leaf in enumerate(cset.leaves()) if leaf in list(parent.walk())]
    nudged[under] *= 0.999  # a hair less: the same percentage on screen
    nudged /= nudged.sum()
    result = verdict(matrix, rank(matrix, nudged))
    assert result is not None and result.weak == ()
