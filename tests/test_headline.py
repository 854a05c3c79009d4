"""The headline says ties as ties, and the order of equals never depends on the weight method."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled
from afweging.matrix import Ranking, build_matrix, rank_with

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_equals_are_ordered_by_label_whatever_the_float_dust() -> None:
    scores = np.array([0.5, 0.5 + 1e-12, 0.3, 0.5 - 1e-12])
    ranking = Ranking(
        option_ids=("b", "a", "c", "d"),
        scores=scores,
        ranks=np.array([1, 1, 4, 1]),
        contributions=np.zeros((4, 1)),
        weights=np.ones(1),
        criterion_ids=("x",),
    )
    assert ranking.best_first(["Bravo", "alfa", "Charlie", "Delta"]) == [1, 0, 3, 2]
    assert ranking.best_first() == [1, 0, 3, 2]  # by id without labels


def headline(query: dict[str, str]) -> str:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return next(m.value for m in at.markdown if "Bij deze gewichten" in m.value)


def test_the_headline_names_every_option_sharing_a_place() -> None:
    bundle = load_bundled()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    rows = rank_with(matrix).rows(matrix)
    seconds = [str(r["label"]) for r in rows if r["rank"] == 2]
    assert len(seconds) >= 2, "the bundled data no longer has a tie for second place"
    text = headline({"case": "sra", "set": "kern"})
    assert f"**{rows[0]['label']}** bovenaan" in text
    assert "Daarna komen " in text and "gelijk op" in text
    for name in seconds:
        assert name in text
    assert text.index(sorted(seconds, key=str.casefold)[0]) < text.index(
        sorted(seconds, key=str.casefold)[-1]
    )


def test_the_same_weights_by_another_method_give_the_same_headline() -> None:
    sliders = headline({"case": "g32", "set": "kern", "m": "sliders"})
    ahp = headline({"case": "g32", "set": "kern", "m": "ahp"})
    assert sliders == ahp
    assert "delen **" in sliders and "de eerste plaats" in sliders


def test_options_and_criteria_are_explained_on_verkennen() -> None:
    bundle = load_bundled()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["case"] = "g32"
    at.query_params["set"] = "kern"
    at.run()
    assert "Wat houden de opties in?" in [e.label for e in at.expander]
    # Closed, the panel's content is not even sent (it would cost the first chart time).
    texts = [x.value for x in at.text]
    assert not any(option.summary.nl in texts for option in bundle.case("g32").options)
    at.session_state["options_explained"] = True  # the user opens it: the script reruns
    at.run()
    texts = [x.value for x in at.text]
    for option in bundle.case("g32").options:
        assert option.summary.nl in texts
    at.session_state["explore_tab"] = "Scorekaart en onderbouwing"
    at.run()
    texts = [x.value for x in at.text]
    for leaf in bundle.criteria_set("kern").leaves():
        assert leaf.description is not None and leaf.description.nl in texts
    assert "Wat betekenen de criteria?" in [e.label for e in at.expander]


def test_the_documents_grounds_are_sent_only_when_opened() -> None:
    """The verdict's grounds (the paper's summary and its quotes, cited by title and line)
    are there on request; closed, none of it reaches the browser."""
    case = load_bundled().case("g32")
    assert case.conclusion is not None and case.conclusion.evidence
    quotes = [item.quote.strip() for item in case.conclusion.evidence]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["case"] = "g32"
    at.run()
    assert "Waar het stuk zijn keuze op baseert" in [e.label for e in at.expander]
    assert not any(q in x.value for x in at.text for q in quotes)
    at.session_state["verdict_grounds"] = True
    at.run()
    texts = [x.value for x in at.text]
    assert case.conclusion.summary.nl in texts
    for q in quotes:
        assert any(x.startswith(f"“{q}”\n— ") and ", regel " in x for x in texts), q
