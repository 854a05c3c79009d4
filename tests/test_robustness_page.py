"""The Robuustheid and Rekencontrole pages through AppTest: they show the core's results."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from afweging.analysis import build_matrix, rank_with
from afweging.loading import load_bundled
from afweging.published_examples import EXAMPLES, ours
from afweging.sensitivity import stability_intervals
from afweging.weights import leaf_weights

BUNDLE = load_bundled()
PAIRS = [(c.id, s.id) for c in BUNDLE.cases for s in BUNDLE.criteria_sets]


def _robustness_page() -> None:
    from ui.pages import robustness

    robustness.render()


def _check_page() -> None:
    from ui.pages import check

    check.render()


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_robustness_page, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Undo Markdown backslash escapes."""
    return re.sub(r"\\(.)", r"\1", text)


def shown_stability(at: AppTest) -> list[list[str]]:
    frame = at.table[0].value
    return [[plain(str(c)) for c in row] for row in frame.itertuples(index=False)]


def frame(at: AppTest, column: str):
    """The dataframe with a column of this name (st.dataframe keys are not kept by AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def summary(at: AppTest) -> str:
    return plain(next(m.value for m in at.markdown if m.value.startswith("**")).strip("*"))


def expected_phrase(lo: float, hi: float, now: float, crit: str) -> str:
    """The Dutch interval phrase, written out here from the interval's ends."""
    if hi - lo >= 1 - 1e-9:
        return f"bij elk gewicht van {crit}"
    if hi - lo <= 1e-9:
        return f"alleen bij het huidige gewicht van {crit} ({now:.0%})"
    if lo <= 1e-9:
        return f"zolang het gewicht van {crit} niet boven {hi:.0%} komt"
    if hi >= 1 - 1e-9:
        return f"zolang het gewicht van {crit} ten minste {lo:.0%} is"
    return f"zolang het gewicht van {crit} tussen {lo:.0%} en {hi:.0%} ligt"


def expected_rows(
    case: str, cset_id: str, given: dict[str, float] | None = None
) -> list[list[str]]:
    cset = BUNDLE.criteria_set(cset_id)
    matrix = build_matrix(BUNDLE.case(case), cset)
    w = leaf_weights(cset, given)
    ranking = rank_with(matrix, given)
    winners = [
        o.label.get("nl") for o, r in zip(matrix.options, ranking.ranks, strict=True) if r == 1
    ]
    names = " en ".join(winners)
    rows = []
    for s, leaf in zip(stability_intervals(matrix.values, w), matrix.leaves, strict=True):
        label = leaf.label.get("nl")
        crit = label[0].lower() + label[1:]
        win = expected_phrase(s.winner_lo, s.winner_hi, s.current_weight, crit)
        whole = expected_phrase(s.ranking_lo, s.ranking_hi, s.current_weight, crit)
        verb = "blijft bovenaan" if len(winners) == 1 else "blijven samen bovenaan"
        rows.append(
            [
                label,
                f"{s.current_weight:.0%}",
                f"{names} {verb} {win}.",
                f"De hele rangorde blijft gelijk {whole}.",
            ]
        )
    return rows


@pytest.mark.parametrize(("case", "cset"), PAIRS)
def test_robustness_view_renders_for_every_case_and_set(case: str, cset: str) -> None:
    at = start({"case": case, "set": cset})
    matrix = build_matrix(BUNDLE.case(case), BUNDLE.criteria_set(cset))
    ranking = rank_with(matrix)
    first = [
        o.label.get("nl") for o, r in zip(matrix.options, ranking.ranks, strict=True) if r == 1
    ]
    text = summary(at)
    assert all(name in text for name in first)
    assert shown_stability(at) == expected_rows(case, cset)
    assert len(at.get("plotly_chart")) == 2
    assert frame(at, "TOPSIS").shape[0] == len(matrix.options)


def test_robustness_view_follows_the_weights() -> None:
    at = start()
    before = shown_stability(at)
    at.slider(key="w_in_sliders_efficientie").set_value(10.0).run()
    assert not at.exception
    after = shown_stability(at)
    assert after == expected_rows("sra", "kern", {"efficientie": 10})
    assert after != before


def test_robustness_view_in_english() -> None:
    at = start({"lang": "en"})
    matrix = build_matrix(BUNDLE.case("sra"), BUNDLE.criteria_set("kern"))
    winner = rank_with(matrix).rows(matrix, "en")[0]["label"]
    assert summary(at).startswith(f"{winner} comes first")


def test_simulation_settings_change_the_numbers_and_are_reproducible() -> None:
    at = start()
    table = frame(at, "Betrouwbaarheid")
    at.number_input(key="rob_seed").set_value(7).run()
    other = frame(at, "Betrouwbaarheid")
    at.number_input(key="rob_seed").set_value(0).run()
    again = frame(at, "Betrouwbaarheid")
    assert table.equals(again)
    assert not table.equals(other)
    at.radio(key="rob_model").set_value("around").run()
    assert not at.exception
    assert "rond de huidige" in summary(at)


def test_check_page_shows_a_tick_for_every_example() -> None:
    at = AppTest.from_function(_check_page, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    successes = [s.value for s in at.success]
    tables = [d.value for d in at.dataframe if "Binnen tolerantie" in d.value.columns]
    assert len(tables) == len(EXAMPLES) + 1  # and the hand example
    for example, table in zip(EXAMPLES, tables, strict=False):
        got = ours(example)
        n = sum(len(v) for v in example.published.values())
        assert all(
            abs(o - p) <= example.tolerance
            for key, published in example.published.items()
            for p, o in zip(published, got[key], strict=True)
        )
        assert len(table) == n
        assert set(table["Binnen tolerantie"]) == {"✓"}
        assert any(s.startswith(f"✓ Alle {n} getallen binnen de tolerantie") for s in successes)
    assert not at.error
