"""The Robuustheid and Rekencontrole pages through AppTest: they show the core's results."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank_with
from afweging.published_examples import EXAMPLES, ours
from afweging.robustness import (
    grade,
    grade_label,
    grade_reason,
    grade_rules,
    robustness_report,
    summary_sentence,
)
from afweging.sensitivity import stability_intervals
from afweging.weights import leaf_weights
from afweging_ui.i18n import t

from .apptest_charts import chart_specs
from .browser import CHROMIUM, CHROMIUM_ARGS, axe_violations, streamlit_server, wait_idle

BUNDLE = load_bundled()
PAIRS = [(c.id, s.id) for c in BUNDLE.cases for s in BUNDLE.criteria_sets]


def _robustness_page() -> None:
    from afweging_ui.pages import robustness

    robustness.render()


def _check_page() -> None:
    from afweging_ui.pages import check

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


def shown_stability(at: AppTest) -> list[str]:
    """The stability list: one Markdown item per criterion, escapes undone."""
    block = next(
        m.value
        for m in at.markdown
        if m.value.startswith("- **")
        and ("De hele rangorde" in m.value or "The whole ranking" in m.value)
    )
    return [plain(line.removeprefix("- ")) for line in block.splitlines()]


def frame(at: AppTest, column: str):
    """The dataframe with a column of this name (st.dataframe keys are not kept by AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def shown(at: AppTest, *starts: str) -> str:
    """The first Markdown text (escapes undone) that starts with one of ``starts``."""
    return next(plain(m.value) for m in at.markdown if plain(m.value).startswith(starts))


def summary(at: AppTest) -> str:
    """The one-sentence answer under the grade."""
    return shown(at, "Bij uw gewichten", "At your weights")


def grade_line(at: AppTest) -> str:
    """The grade line, without its icon."""
    line = next(
        plain(m.value)
        for m in at.markdown
        if "**Oordeel:" in plain(m.value) or "**Assessment:" in plain(m.value)
    )
    return line.split(" ", 1)[1].strip("*")


def core_report(case: str, cset: str, given: dict[str, float] | None = None):
    """The report the page shows by default: 10,000 draws, seed 0, all weights equally likely."""
    matrix = build_matrix(BUNDLE.case(case), BUNDLE.criteria_set(cset))
    w = leaf_weights(matrix.criteria_set, given)
    return matrix, robustness_report(matrix, np.asarray(w), samples=10_000, seed=0)


def labels_of(matrix, lang: str) -> dict[str, str]:
    out = {o.id: o.label.get(lang) for o in matrix.options}
    return out | {c.id: c.label.get(lang) for c in matrix.leaves}


def w1(x: float) -> str:
    """A weight as the page writes it: one decimal, a decimal comma, no ",0"."""
    text = f"{100 * x:.1f}".replace(".", ",")
    return (text[:-2] if text.endswith(",0") else text) + "%"


def expected_phrase(lo: float, hi: float, now: float, crit: str) -> str:
    """The Dutch interval phrase, written out here from the interval's ends."""
    if hi - lo >= 1 - 1e-9:
        return f"bij elk gewicht van {crit}"
    if hi - lo <= 1e-9:
        return f"alleen bij het huidige gewicht van {crit} ({w1(now)})"
    if lo <= 1e-9:
        return f"zolang het gewicht van {crit} niet boven {w1(hi)} komt"
    if hi >= 1 - 1e-9:
        return f"zolang het gewicht van {crit} ten minste {w1(lo)} is"
    return f"zolang het gewicht van {crit} tussen {w1(lo)} en {w1(hi)} ligt"


def expected_rows(case: str, cset_id: str, given: dict[str, float] | None = None) -> list[str]:
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
        now = w1(s.current_weight)
        rows.append(
            f"**{label}** (nu {now}): {names} {verb} {win}. De hele rangorde blijft gelijk {whole}."
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
    assert len(chart_specs(at)) == 2
    assert frame(at, "TOPSIS").shape[0] == len(matrix.options)
    assert not at.table  # no wide table: it would need a sideways-scrolling box on a phone


@pytest.mark.parametrize(("case", "cset"), PAIRS)
def test_the_page_shows_the_core_grade_its_sentence_and_why(case: str, cset: str) -> None:
    at = start({"case": case, "set": cset})
    matrix, report = core_report(case, cset)
    g = grade(report)
    labels = labels_of(matrix, "nl")
    assert grade_line(at) == f"Oordeel: {grade_label(g, 'nl', t)}"
    assert summary(at) == summary_sentence(report, labels, "nl", t)
    assert shown(at, "Waarom ") == grade_reason(g, report, labels, "nl", t)
    rules = "\n\n".join(grade_rules("nl", t))
    assert any(m.value == rules for m in at.markdown)
    assert any(e.label == t("rob_grades_title", "nl") for e in at.expander)


EXPLAINED = [
    ("rob_name_stability", "rob_explain_stability"),
    ("rob_name_smaa", "rob_explain_smaa"),
    ("rob_name_central", "rob_explain_central"),
    ("rob_name_confidence", "rob_explain_confidence"),
    ("rob_method_weighted_sum", "rob_explain_weighted_sum"),
    ("rob_method_topsis", "rob_explain_topsis"),
    ("rob_method_promethee_ii", "rob_explain_promethee_ii"),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_method_name_has_its_plain_explanation_beside_it(lang: str) -> None:
    at = start({"lang": lang})
    lines = [line.removeprefix("- ") for m in at.markdown for line in plain(m.value).splitlines()]
    for name, text in EXPLAINED:
        assert f"**{t(name, lang)}**: {t(text, lang)}" in lines, name
    assert t("rob_methods_places", lang) in [c.value for c in at.caption]


def test_robustness_view_follows_the_weights() -> None:
    at = start()
    before = shown_stability(at)
    at.slider(key="w_in_sliders_efficientie").set_value(10.0).run()
    assert not at.exception
    after = shown_stability(at)
    assert after == expected_rows("sra", "kern", {"efficientie": 10})
    assert after != before
    matrix, report = core_report("sra", "kern", {"efficientie": 10})
    assert summary(at) == summary_sentence(report, labels_of(matrix, "nl"), "nl", t)
    assert grade_line(at) == f"Oordeel: {grade_label(grade(report), 'nl', t)}"


def test_robustness_view_in_english() -> None:
    at = start({"lang": "en"})
    matrix = build_matrix(BUNDLE.case("sra"), BUNDLE.criteria_set("kern"))
    winner = rank_with(matrix).rows(matrix, "en")[0]["label"]
    assert summary(at).startswith(f"At your weights {winner} wins")
    _, report = core_report("sra", "kern")
    g = grade(report)
    assert grade_line(at) == f"Assessment: {grade_label(g, 'en', t)}"
    assert summary(at) == summary_sentence(report, labels_of(matrix, "en"), "en", t)
    assert shown(at, "Why ") == grade_reason(g, report, labels_of(matrix, "en"), "en", t)


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
    assert "bij gewichten rond de uwe (spreiding 10%)" in summary(at)


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


@pytest.mark.browser
def test_the_page_on_a_phone_has_no_scroll_box_without_keyboard_access(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """axe-core's scrollable-region-focusable at 390 px: nothing scrolls sideways unreachably."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with (
        streamlit_server(tmp_path_factory.mktemp("robustness")) as base,
        sync_api.sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for query in ("", "?case=g32&set=uitgebreid&lang=en"):
                context = browser.new_context(
                    viewport={"width": 390, "height": 844}, is_mobile=True, bypass_csp=True
                )
                page = context.new_page()
                page.goto(f"{base}/robuustheid{query}")
                page.wait_for_selector('.afw-chart', timeout=60_000)
                wait_idle(page)
                sync_api.expect(
                    page.get_by_text("Oordeel:").or_(page.get_by_text("Assessment:")).first
                ).to_be_visible()
                found = [
                    v for v in axe_violations(page) if v["id"] == "scrollable-region-focusable"
                ]
                assert found == [], found
                overflow = page.evaluate(
                    "(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                    " return m.scrollWidth - m.clientWidth; })()"
                )
                assert overflow <= 1
                context.close()
        finally:
            browser.close()
