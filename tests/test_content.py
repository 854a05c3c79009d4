"""The bundled content: complete, calibrated and traceable to the source documents."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from afweging.loading import content_paths, load, load_bundled
from afweging.matrix import scored_sets
from afweging.review import review_document

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = load_bundled()
LEAVES = [(s.id, leaf) for s in BUNDLE.criteria_sets for leaf in s.leaves()]
SCORES = [
    (case.id, option.id, cid, score)
    for case in BUNDLE.cases
    for option in case.options
    for cid, score in option.scores.items()
]


def test_bundled_files_load_without_problems() -> None:
    bundle, problems = load(content_paths())
    assert problems == []
    assert {s.id for s in bundle.criteria_sets} == {"kern", "uitgebreid"}
    assert {c.id for c in bundle.cases} == {"g32", "sra"}


def test_every_case_is_scored_on_every_set() -> None:
    for case in BUNDLE.cases:
        assert scored_sets(case, BUNDLE.criteria_sets) == list(BUNDLE.criteria_sets)


def test_the_g32_and_sra_options_the_issue_asks_for() -> None:
    assert [o.id for o in BUNDLE.case("g32").options] == [
        "g32-1", "g32-2a", "g32-2b", "g32-3a", "g32-3b", "g32-mix",
    ]  # fmt: skip
    assert len(BUNDLE.case("sra").options) >= 7
    for case in BUNDLE.cases:
        for option in case.options:
            assert option.source is not None, option.id


def test_kern_has_the_three_core_criteria() -> None:
    kern = BUNDLE.criteria_set("kern")
    assert [c.id for c in kern.leaves()] == ["legitimiteit", "bestuurlijke_drukte", "efficientie"]
    assert kern.find("bestuurlijke_drukte").direction == "lower_is_better"
    tree = BUNDLE.criteria_set("uitgebreid")
    assert tree.depth == 2
    assert {"legitimiteit", "bestuurlijke_drukte", "efficientie"} <= {c.id for c in tree.criteria}


@pytest.mark.parametrize(("set_id", "leaf"), LEAVES, ids=lambda x: getattr(x, "id", x))
def test_every_leaf_is_described_calibrated_and_sourced(set_id: str, leaf) -> None:
    assert leaf.description is not None
    assert leaf.scale is not None
    levels = set(range(int(leaf.scale.min), int(leaf.scale.max) + 1))
    assert set(leaf.scale.levels) == levels, f"{set_id}/{leaf.id}: every level needs a description"
    assert set(leaf.scale.labels) == levels
    assert leaf.evidence, f"{set_id}/{leaf.id}: quotes showing why the documents care"


@pytest.mark.parametrize(
    ("case_id", "option_id", "criterion_id", "score"), SCORES, ids=lambda x: getattr(x, "basis", x)
)
def test_every_score_has_reasons_and_evidence(case_id, option_id, criterion_id, score) -> None:
    where = f"{case_id}/{option_id}/{criterion_id}"
    assert score.rationale.nl.strip() and score.rationale.en.strip(), where
    assert score.evidence, f"{where}: a score nobody can trace is a defect"
    assert all(len(e.quote.split()) <= 80 for e in score.evidence), (
        f"{where}: quote a clause, not a page"
    )
    assert float(score.value).is_integer() or score.value * 2 == int(score.value * 2), where


def test_the_g32_paper_says_scenario_1_burden_varies() -> None:
    score = BUNDLE.case("g32").option("g32-1").scores["bestuurlijke_drukte"]
    assert score.range is not None and score.range[1] - score.range[0] >= 2
    assert score.basis == "bron"


def test_review_tables_in_docs_are_current() -> None:
    doc = (ROOT / "docs" / "review-tables.md").read_text(encoding="utf-8")
    assert doc == review_document(BUNDLE) + "\n", (
        "run: python -m afweging review > docs/review-tables.md"
    )


def test_every_seed_line_belongs_to_exactly_one_titled_document() -> None:
    from afweging.sources import SourceLibrary

    library = SourceLibrary()
    for name in library.names():
        parts = library.parts(name)
        assert parts, f"{name}: no parts in seeds/parts.yaml"
        lines = library.document(name).text.count("\n") + 1  # type: ignore[union-attr]
        assert parts[0].first == 1 and parts[-1].last >= lines - 1, name
        for before, after in pairwise(parts):
            assert after.first == before.last + 1, f"{name}: gap or overlap at {after.first}"
        assert all(p.title_nl.strip() and p.title_en.strip() for p in parts)


def test_quotes_are_cited_by_their_document() -> None:
    from afweging.sources import SourceLibrary

    library = SourceLibrary()
    assert library.cite(
        "000_bcdf0e76cff0fbf6.txt", "De meest ideale mix is dan taakdifferentiatie vanuit", "nl"
    ).startswith("G32 Stedennetwerk")
    assert library.cite(
        "000_bcdf0e76cff0fbf6.txt", "De stadsregio gemeenten hebben goede ervaringen met de", "en"
    ).startswith("Amsterdam City Region, interim review")


def test_scale_labels_say_good_or_bad_whatever_the_direction() -> None:
    # "2 (-)" on a lower-is-better criterion read as bad though 2 is little burden:
    # the short labels follow goodness, "++" at the best end of every scale.
    for cset in BUNDLE.criteria_sets:
        for leaf in cset.leaves():
            assert leaf.scale is not None
            best = leaf.scale.max if leaf.higher_is_better else leaf.scale.min
            worst = leaf.scale.min if leaf.higher_is_better else leaf.scale.max
            assert leaf.scale.labels[int(best)] == "++", (cset.id, leaf.id)
            assert leaf.scale.labels[int(worst)] == "--", (cset.id, leaf.id)
