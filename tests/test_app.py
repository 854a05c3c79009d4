"""The dashboard, driven through Streamlit's AppTest: results must be exactly the core's."""

from __future__ import annotations

import decimal
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank, rank_with
from afweging.sources import SourceLibrary
from afweging.weights import leaf_weights_from_groups, weights_by_method
from afweging_ui import i18n
from afweging_ui.i18n import table

from .apptest_charts import chart_specs
from .conftest import BAD, GOOD

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, key: str, lang: str = "nl") -> AppTest:
    """Open a Verkennen tab (only the open tab is drawn) by its translation key."""
    at.session_state["explore_tab"] = i18n.t(key, lang)  # type: ignore[arg-type]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_ranking(at: AppTest) -> list[tuple[int, str, float]]:
    """The ranking table as the page shows it: (rank, option label, score).

    The table is Markdown (``| Plaats | Optie | Score |``); scores are written with three
    decimals and the language's decimal sign (0,667 in Dutch, 0.667 in English); they are
    read back as numbers, and the cells' Markdown escapes undone.
    """
    text = next(
        m.value
        for m in at.markdown
        if m.value.startswith(("| Plaats | Optie | Score |", "| Rank | Option | Score |"))
    )
    sign = "," if text.startswith("| Plaats") else "."
    rows = []
    for line in text.splitlines()[2:]:
        r, o, s = (c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1])
        assert re.fullmatch(rf"-?\d+\{sign}\d{{3}}", s.replace("\\", "")), s
        label = re.sub(r"\\(.)", r"\1", o)
        rows.append((int(r), label, float(re.sub(r"\\(.)", r"\1", s).replace(",", "."))))
    return rows


def rounded(x: float, places: int = 3) -> float:
    """As people round: halves up, after float dust below 12 significant digits."""
    exact = decimal.Decimal(f"{float(x):.12g}")
    step = decimal.Decimal(1).scaleb(-places)
    return float(exact.quantize(step, rounding=decimal.ROUND_HALF_UP))


def core_ranking(matrix, ranking, lang="nl") -> list[tuple[int, str, float]]:
    return [(r["rank"], r["label"], rounded(r["score"])) for r in ranking.rows(matrix, lang)]


def test_default_view_shows_the_core_ranking(bundle) -> None:
    at = start()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    assert shown_ranking(at) == core_ranking(matrix, rank_with(matrix))
    first = rank_with(matrix).rows(matrix)[0]["label"]
    assert any(str(first) in m.value for m in at.markdown)
    assert [t.label for t in at.tabs][:2] == ["Rangorde", "Scorekaart en onderbouwing"]


@pytest.mark.parametrize("method", ["sliders", "points", "swing", "rank"])
def test_each_weight_says_what_its_criterion_means(bundle, method: str) -> None:
    """The criterion's description stands beside its weight, as the weight's help."""
    at = start({"m": method})
    kind = {"sliders": "slider", "swing": "slider", "points": "number_input"}.get(
        method, "selectbox"
    )
    for leaf in bundle.criteria_set("kern").leaves():
        assert leaf.description is not None
        widget = getattr(at, kind)(key=f"w_in_{method}_{leaf.id}")
        words = leaf.description.get("nl").split()[:6]
        assert " ".join(words) in " ".join(widget.help.replace("\\", "").split()), leaf.id


def test_moving_a_slider_changes_the_ranking_exactly_as_the_core(bundle) -> None:
    at = start()
    before = shown_ranking(at)
    at.slider(key="w_in_sliders_efficientie").set_value(10.0).run()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    expected = core_ranking(matrix, rank_with(matrix, {"efficientie": 10}))
    assert shown_ranking(at) == expected
    assert shown_ranking(at) != before
    assert at.query_params["w"] == "legitimiteit:1,bestuurlijke_drukte:1,efficientie:10"


METHOD_INPUTS = {
    "points": {"legitimiteit": 60, "bestuurlijke_drukte": 10, "efficientie": 30},
    "rank": {"legitimiteit": 2, "bestuurlijke_drukte": 3, "efficientie": 1},
    "swing": {"legitimiteit": 100, "bestuurlijke_drukte": 20, "efficientie": 55},
}


@pytest.mark.parametrize("method", sorted(METHOD_INPUTS))
def test_each_weight_method_yields_the_core_weights(bundle, method: str) -> None:
    at = start()
    at.selectbox(key="w_method").set_value(method).run()
    for cid, value in METHOD_INPUTS[method].items():
        widget = at.selectbox(key=f"w_in_rank_{cid}") if method == "rank" else None
        if widget is None:
            widget = (
                at.number_input(key=f"w_in_points_{cid}")
                if method == "points"
                else at.slider(key=f"w_in_swing_{cid}")
            )
        widget.set_value(value)
    at.run()
    assert not at.exception
    cset = bundle.criteria_set("kern")
    groups = weights_by_method(
        cset, method, {k: float(v) for k, v in METHOD_INPUTS[method].items()}
    )
    matrix = build_matrix(bundle.case("sra"), cset)
    expected = rank(matrix, leaf_weights_from_groups(cset, groups))
    assert shown_ranking(at) == core_ranking(matrix, expected)
    shares = next(m.value for m in at.sidebar.markdown if m.value.startswith("Gewichten nu"))
    for cid, w in groups[0].weights.items():
        assert f"{cset.find(cid).label.get('nl')} **{w:.0%}**" in shares


def test_ahp_pairwise_weights_and_consistency_warning(bundle) -> None:
    at = start()
    at.selectbox(key="w_method").set_value("ahp").run()
    # legitimiteit 3x drukte, legitimiteit 5x efficientie, drukte 1/7 of efficientie... inconsistent
    at.select_slider(key="w_in_ahp_legitimiteit.bestuurlijke_drukte").set_value(2)
    at.select_slider(key="w_in_ahp_legitimiteit.efficientie").set_value(4)
    at.select_slider(key="w_in_ahp_bestuurlijke_drukte.efficientie").set_value(6).run()
    cset = bundle.criteria_set("kern")
    pairs = {
        "legitimiteit.bestuurlijke_drukte": 2,
        "legitimiteit.efficientie": 4,
        "bestuurlijke_drukte.efficientie": 6,
    }
    groups = weights_by_method(cset, "ahp", {}, pairs)
    assert groups[0].consistency_ratio is not None and groups[0].consistency_ratio > 0.10
    matrix = build_matrix(bundle.case("sra"), cset)
    assert shown_ranking(at) == core_ranking(
        matrix, rank(matrix, leaf_weights_from_groups(cset, groups))
    )
    assert any("consistentieratio" in w.value for w in at.sidebar.warning)


def test_tree_weights_are_set_per_level(bundle) -> None:
    at = start({"case": "g32", "set": "uitgebreid"})
    at.slider(key="w_in_sliders_legitimiteit").set_value(4.0)
    at.slider(key="w_in_sliders_sturing_door_raden").set_value(3.0).run()
    cset = bundle.criteria_set("uitgebreid")
    matrix = build_matrix(bundle.case("g32"), cset)
    expected = rank_with(matrix, {"legitimiteit": 4, "sturing_door_raden": 3})
    assert shown_ranking(at) == core_ranking(matrix, expected)


def test_permalink_restores_the_view_exactly(bundle) -> None:
    query = {
        "case": "g32",
        "set": "kern",
        "opt": "g32-1,g32-2a,g32-mix",
        "m": "points",
        "w": "legitimiteit:50,bestuurlijke_drukte:20,efficientie:30",
        "lang": "en",
    }
    at = start(query)
    assert at.selectbox(key="sel_case").value == "g32"
    assert at.selectbox(key="sel_set").value == "kern"
    assert at.multiselect(key="sel_options").value == ["g32-1", "g32-2a", "g32-mix"]
    assert at.selectbox(key="w_method").value == "points"
    assert at.number_input(key="w_in_points_legitimiteit").value == 50
    matrix = build_matrix(
        bundle.case("g32"), bundle.criteria_set("kern"), ["g32-1", "g32-2a", "g32-mix"]
    )
    cset = bundle.criteria_set("kern")
    groups = weights_by_method(
        cset, "points", {"legitimiteit": 50, "bestuurlijke_drukte": 20, "efficientie": 30}
    )
    assert shown_ranking(at) == core_ranking(
        matrix, rank(matrix, leaf_weights_from_groups(cset, groups)), "en"
    )
    assert dict(at.query_params.items()) == query
    assert next(t.label for t in at.tabs) == "Ranking"


def test_copy_link_holds_the_permalink_of_the_view() -> None:
    at = start({"case": "g32", "m": "rank", "lang": "en"})
    assert not at.sidebar.code  # drawn only when the box is opened
    at.session_state["share_open"] = True
    at.run()
    link = next(c.value for c in at.sidebar.code if c.value.startswith("?"))
    params = dict(parse_qsl(link[1:]))
    assert params == dict(at.query_params.items())
    assert params["case"] == "g32" and params["m"] == "rank" and params["lang"] == "en"


def test_tampered_query_falls_back_to_defaults(bundle) -> None:
    at = start(
        {"case": "<script>", "m": "magic", "w": "legitimiteit:nan,efficientie:1e9", "opt": "x"}
    )
    assert at.selectbox(key="sel_case").value == "sra"
    assert at.selectbox(key="w_method").value == "sliders"
    assert at.slider(key="w_in_sliders_legitimiteit").value == 1.0
    assert at.slider(key="w_in_sliders_efficientie").value == 10.0


def _visible_texts(at: AppTest) -> list[str]:
    texts = [
        x.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning")
        for x in getattr(at, kind)
    ]
    for kind in (
        "selectbox",
        "slider",
        "multiselect",
        "button",
        "number_input",
        "select_slider",
        "text_input",
    ):
        texts += [w.label for w in getattr(at, kind)]
    texts += [t.label for t in at.tabs] + [e.label for e in at.expander]
    return [str(t) for t in texts]


def test_language_toggle_switches_every_visible_label() -> None:
    at = start()
    dutch = _visible_texts(at)
    at.segmented_control(key="lang").set_value("en").run()
    english = _visible_texts(at)
    assert english != dutch
    fixed = [re.split(r"\{", v["nl"])[0].strip() for v in table().values() if v["nl"] != v["en"]]
    fixed = [f for f in fixed if len(f) >= 6]
    leftovers = sorted({f for f in fixed for text in english if f in text})
    assert leftovers == []
    # Labels from the data (cases, options, criteria) follow the language too.
    assert "Core criteria" in [o for o in at.selectbox(key="sel_set").options]
    assert "Ranking" in [t.label for t in at.tabs]
    assert any("comes first" in m.value for m in at.markdown)


def open_upload(at: AppTest) -> AppTest:
    """Open the upload panel (its uploader is drawn only when it is open)."""
    at.session_state["upload_open"] = True
    at.run()
    return at


def test_bad_upload_shows_the_problems_and_keeps_the_data(bundle) -> None:
    at = open_upload(start())
    before = shown_ranking(at)
    bad = (BAD / "value_off_scale.yaml").read_bytes()
    at.file_uploader(key="upload").set_value(("mijn.yaml", bad, "application/x-yaml")).run()
    assert not at.exception
    # The file name is data: escaped for Markdown (shown as "mijn.yaml").
    assert any("mijn\\.yaml is niet geladen" in e.value for e in at.error)
    assert any(
        "mijn.yaml, regel 25, options[1].scores.legitimiteit.value: 7 ligt buiten de schaal 1–5"
        in x.value
        for x in at.sidebar.text
    )
    assert shown_ranking(at) == before
    good = (
        (GOOD / "flat" / "scenario.yaml")
        .read_bytes()
        .replace(b"efficientie: {value: 10,", b"efficientie: {value: 5,")
    )
    good = good.replace(b"efficientie: {value: 0,", b"efficientie: {value: 1,").replace(
        b"efficientie: {value: 5, basis: afgeleid, rationale: {nl: Midden.",
        b"efficientie: {value: 3, basis: afgeleid, rationale: {nl: Midden.",
    )
    at.file_uploader(key="upload").set_value(("demo.yaml", good, "application/x-yaml")).run()
    assert not at.exception
    assert "Voorbeeld" in at.selectbox(key="sel_case").options
    assert any("demo\\.yaml (demo)" in m.value for m in at.success)


def test_markup_in_an_uploaded_label_is_shown_as_text(bundle) -> None:
    at = open_upload(start())
    raw = (
        (GOOD / "flat" / "scenario.yaml")
        .read_bytes()
        .replace(b"{nl: Optie A, en: Option A}", b"{nl: '<img src=x onerror=alert(1)>', en: A}")
    )
    raw = raw.replace(b"efficientie: {value: 10,", b"efficientie: {value: 5,").replace(
        b"efficientie: {value: 0,", b"efficientie: {value: 1,"
    )
    at.file_uploader(key="upload").set_value(("x.yaml", raw, "application/x-yaml")).run()
    at.selectbox(key="sel_case").set_value("demo").run()
    assert not at.exception
    assert all(m.proto.allow_html is False for m in at.markdown)


def test_why_panel_shows_rationale_and_quotes(bundle) -> None:
    at = open_tab(start(), "tab_scorecard")
    at.selectbox(key="why_option").set_value("sra-informeel")
    at.selectbox(key="why_criterion").set_value("legitimiteit").run()
    score = bundle.case("sra").option("sra-informeel").scores["legitimiteit"]
    texts = [t.value for t in at.text]
    assert score.rationale.nl in texts
    library = SourceLibrary()
    for item in score.evidence:
        found = library.document(item.source).locate(item.quote)  # type: ignore[union-attr]
        assert found is not None
        # Cited by the document the quote stands in, not by the seed file's name.
        title = library.title(item.source, found.line, "nl")
        assert title != item.source
        where = f"{title}, regel {found.line}"
        assert any(item.quote.strip() in t and where in t for t in texts)
    assert bundle.case("sra").option("sra-informeel").summary.nl in [c.value for c in at.caption]


def test_whatif_changes_the_result_and_undo_restores_it(bundle) -> None:
    at = start()
    before = shown_ranking(at)
    open_tab(at, "tab_whatif")
    at.selectbox(key="wi_option").set_value("sra-informeel")
    at.selectbox(key="wi_criterion").set_value("legitimiteit").run()
    at.number_input(key="wi_value_sra-informeel_legitimiteit").set_value(5.0).run()
    at.button(key="wi_apply").click().run()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    changed = matrix.with_scores({("sra-informeel", "legitimiteit"): 5.0})
    assert any("gewijzigd ten opzichte van de bron" in w.value for w in at.warning)
    assert at.query_params["wi"] == "sra-informeel.legitimiteit:5"
    at.button(key="wi_undo_sra-informeel.legitimiteit").click().run()
    assert "wi" not in at.query_params
    at.button(key="wi_apply").click().run()
    open_tab(at, "tab_ranking")
    assert shown_ranking(at) == core_ranking(changed, rank_with(changed))
    open_tab(at, "tab_whatif")
    at.button(key="wi_undo_sra-informeel.legitimiteit").click().run()
    open_tab(at, "tab_ranking")
    assert shown_ranking(at) == before


def _sources_page() -> None:
    from afweging_ui.pages import sources

    sources.render()


def test_sources_page_lists_every_quote_once_in_context(bundle) -> None:
    at = AppTest.from_function(_sources_page, default_timeout=60).run()
    assert not at.exception
    names = ["000_bcdf0e76cff0fbf6.txt", "004_3ea9a635eee3fb07.txt"]
    # Documents by their titles (parts.yaml), a bundle of several as such; the file names
    # beside them.
    library = SourceLibrary()
    bundled, single = library.parts(names[0]), library.parts(names[1])
    assert len(bundled) > 1 and len(single) == 1
    assert [s.value.replace("\\", "") for s in at.subheader] == [
        i18n.t("sources_bundle", "nl", n=len(bundled)),
        single[0].title("nl"),
    ]
    captions = [c.value for c in at.caption]
    assert all(i18n.t("sources_file", "nl", name=n) in captions for n in names)
    assert not any(n in s.value for s in at.subheader for n in names)
    evidence = [e for s in bundle.criteria_sets for c in s.walk() for e in c.evidence] + [
        e for c in bundle.cases for o in c.options for s in o.scores.values() for e in s.evidence
    ]
    distinct = {(e.source, " ".join(e.quote.split())) for e in evidence}
    assert len(at.expander) == len(distinct)
    # Filter the first document on a word, the second on nothing that occurs.
    at.text_input(key=f"src_filter_{names[0]}").set_value("Regioraad")
    at.text_input(key=f"src_filter_{names[1]}").set_value("zzz-nergens").run()
    expected = {q for src, q in distinct if src == names[0] and "regioraad" in q.lower()}
    assert expected, "the filter word should occur in some quote"
    assert len(at.expander) >= len(expected)
    for expander in at.expander:
        texts = [x.value for x in expander.markdown] + [x.value for x in expander.text]
        assert "regioraad" in " ".join(texts).lower().replace("\\", "")


def test_downloads_are_offered_for_the_view() -> None:
    at = start()
    labels = [b.label for b in at.download_button]
    assert labels == [
        "Rapport (HTML)",
        "Scores (CSV voor Excel)",
        "Gewichten (CSV voor Excel)",
        "Instellingen (YAML)",
        "Scores voor software (CSV, volle precisie)",
        "Gewichten voor software (CSV, volle precisie)",
    ]


# --- one owner of the view: page switches, language, reloads (issue 11) -------------------

#: Permalinks in today's format, as pasted in memos.
ISSUE_LINK = {
    "case": "sra",
    "set": "kern",
    "opt": "sra-huidig,sra-verbreed,sra-kabinet",
    "m": "sliders",
    "lang": "nl",
    "w": "legitimiteit:3,bestuurlijke_drukte:1,efficientie:1",
}
ENGLISH_LINK = {
    "case": "g32",
    "set": "kern",
    "opt": "g32-1,g32-2a,g32-mix",
    "m": "points",
    "lang": "en",
    "w": "legitimiteit:50,bestuurlijke_drukte:20,efficientie:30",
}
TREE_LINK = {
    "case": "g32",
    "set": "uitgebreid",
    "opt": "g32-1,g32-2b,g32-3a,g32-mix",
    "m": "rank",
    "lang": "nl",
    "w": "legitimiteit:2,bestuurlijke_drukte:1,efficientie:3,draagvlak_uitvoerbaarheid:4,"
    "samenhang:5,sturing_door_raden:1,betrokkenheid_gemeenten:2,transparantie:3,"
    "overlegdruk:1,capaciteitsbeslag:1,bestuurslagen:1,schaalvoordelen:1,slagvaardigheid:2,"
    "kosten:3,realiseerbaarheid:1,vertrouwen_commitment:1,lokale_identiteit:1",
    "wi": "g32-mix.kosten:2",
}


def page_paths(at: AppTest) -> list[str]:
    """The url paths of the navigation's pages, home ("") first."""
    return [str(info.get("url_pathname", "")) for info in at._registered_pages.values()]


def switch(at: AppTest, url_path: str) -> AppTest:
    """Follow a sidebar navigation link as the browser does: the new page, and no query.

    ``AppTest.switch_page`` takes a page file; the dashboard's pages are functions,
    registered by url path, so the page is chosen by the hash st.navigation registered.
    """
    at._page_hash = next(
        h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path
    )
    at.query_params.clear()
    at.run()
    assert not at.exception, (url_path, [e.value for e in at.exception])
    return at


def headline(at: AppTest) -> str:
    """The sentence that says who comes first (the first text of the explore page)."""
    return str(at.main.markdown[0].value)


def sidebar_state(at: AppTest) -> dict[str, object]:
    """What the sidebar's widgets show."""
    keys = ["sel_case", "sel_set", "sel_options", "w_method"]
    shown: dict[str, object] = {}
    for kind in ("selectbox", "multiselect", "slider", "number_input", "select_slider"):
        for widget in getattr(at.sidebar, kind):
            if widget.key in keys or str(widget.key).startswith("w_in_"):
                shown[str(widget.key)] = widget.value
    return shown


@pytest.mark.parametrize("query", [ISSUE_LINK, ENGLISH_LINK, TREE_LINK, {}])
def test_switching_pages_keeps_the_view(query: dict[str, str]) -> None:
    at = start(query)
    view, url = at.session_state["view"], dict(at.query_params)
    if query:
        assert url == query
    head, ranking, widgets = headline(at), shown_ranking(at), sidebar_state(at)
    assert widgets["sel_case"] == view.case and widgets["sel_options"] == list(view.options)
    assert not at.sidebar.warning  # no "choose at least two options", no weight problem
    paths = page_paths(at)
    assert len(paths) == 7 and paths[0] == ""
    for path in [*paths[1:], ""]:
        switch(at, path)
        assert at.session_state["view"] == view, path
        # The workshop's and the case editor's addresses hold their own codes and keys.
        if path not in ("workshop", "casus-bewerken"):
            assert dict(at.query_params) == url, path
        if path == "robuustheid":  # the same sidebar, drawn from the same view
            assert sidebar_state(at) == widgets
    assert headline(at) == head
    assert shown_ranking(at) == ranking
    assert sidebar_state(at) == widgets
    assert not at.sidebar.warning


def test_a_changed_view_survives_page_switches_too() -> None:
    at = start(ISSUE_LINK)
    at.slider(key="w_in_sliders_efficientie").set_value(6.5).run()
    at.multiselect(key="sel_options").set_value(["sra-huidig", "sra-koers", "sra-kabinet"]).run()
    view, url, head = at.session_state["view"], dict(at.query_params), headline(at)
    assert url["w"] == "legitimiteit:3,bestuurlijke_drukte:1,efficientie:6.5"
    assert url["opt"] == "sra-huidig,sra-koers,sra-kabinet"
    for path in ("robuustheid", "bronnen", ""):
        switch(at, path)
        assert at.session_state["view"] == view and dict(at.query_params) == url
    assert headline(at) == head


def test_a_reload_opens_the_same_view() -> None:
    at = start(ISSUE_LINK)
    at.slider(key="w_in_sliders_legitimiteit").set_value(7.5).run()
    at.selectbox(key="w_method").set_value("swing").run()
    at.slider(key="w_in_swing_efficientie").set_value(35).run()
    again = start(dict(at.query_params))  # a new session on the address bar's link
    assert again.session_state["view"] == at.session_state["view"]
    assert headline(again) == headline(at) and shown_ranking(again) == shown_ranking(at)


def test_language_toggle_keeps_the_view() -> None:
    at = start(ISSUE_LINK)
    view, ranking = at.session_state["view"], shown_ranking(at)
    at.segmented_control(key="lang").set_value("en").run()
    assert at.session_state["view"] == view.with_(lang="en")
    assert dict(at.query_params) == ISSUE_LINK | {"lang": "en"}
    assert [(r, s) for r, _, s in shown_ranking(at)] == [(r, s) for r, _, s in ranking]
    assert "comes first" in headline(at)
    switch(at, "robuustheid")
    assert at.session_state["view"] == view.with_(lang="en")
    assert at.sidebar.multiselect(key="sel_options").value == list(view.options)
    switch(at, "colofon")
    switch(at, "")
    assert at.session_state["lang"] == "en" and "comes first" in headline(at)
    at.segmented_control(key="lang").set_value("nl").run()
    assert at.session_state["view"] == view
    assert dict(at.query_params) == ISSUE_LINK
    assert shown_ranking(at) == ranking


def test_clicking_the_chosen_language_again_keeps_it() -> None:
    at = start({"lang": "en"})
    at.segmented_control(key="lang").set_value(None).run()
    assert at.session_state["view"].lang == "en"
    assert at.segmented_control(key="lang").value == "en"


def _texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "warning", "error", "info", "success")
    return "\n".join(str(x.value) for kind in kinds for x in getattr(at, kind))


def test_100_points_show_what_is_left_and_keep_the_ranking(bundle) -> None:
    at = start({"m": "points", "w": "legitimiteit:60,bestuurlijke_drukte:10,efficientie:30"})
    valid = shown_ranking(at)
    assert "Alle 100 punten zijn verdeeld." in [c.value for c in at.sidebar.caption]
    assert not at.main.warning or all("punten" not in w.value for w in at.main.warning)
    # 126 points: too many. The page keeps the last usable ranking and says why.
    at.number_input(key="w_in_points_bestuurlijke_drukte").set_value(36).run()
    assert shown_ranking(at) == valid
    assert "26 punten te veel." in [w.value for w in at.sidebar.warning]
    note = next(w.value for w in at.main.warning if "punten" in w.value)
    assert note.startswith("26 punten te veel.") and "laatste bruikbare gewichten" in note
    # 90 points: some left.
    at.number_input(key="w_in_points_bestuurlijke_drukte").set_value(0).run()
    assert shown_ranking(at) == valid
    assert "Nog 10 punten te verdelen." in [w.value for w in at.sidebar.warning]
    assert "add up" not in _texts(at) and "top-level" not in _texts(at)
    # 99: one left (singular)
    at.number_input(key="w_in_points_bestuurlijke_drukte").set_value(9).run()
    assert "Nog 1 punt te verdelen." in [w.value for w in at.sidebar.warning]
    # In English too.
    at.segmented_control(key="lang").set_value("en").run()
    assert "1 point left to distribute." in [w.value for w in at.sidebar.warning]
    at.number_input(key="w_in_points_bestuurlijke_drukte").set_value(11).run()
    assert "1 point too many." in [w.value for w in at.sidebar.warning]
    assert [(r, s) for r, _, s in shown_ranking(at)] == [(r, s) for r, _, s in valid]
    # Back to 100: the ranking follows the new points again.
    at.number_input(key="w_in_points_legitimiteit").set_value(40).run()
    at.number_input(key="w_in_points_bestuurlijke_drukte").set_value(30).run()
    cset = bundle.criteria_set("kern")
    groups = weights_by_method(
        cset, "points", {"legitimiteit": 40, "bestuurlijke_drukte": 30, "efficientie": 30}
    )
    matrix = build_matrix(bundle.case("sra"), cset)
    expected = rank(matrix, leaf_weights_from_groups(cset, groups))
    assert shown_ranking(at) == core_ranking(matrix, expected, "en")
    assert not at.sidebar.warning and not [w for w in at.main.warning if "points" in w.value]


def test_typing_60_in_the_first_box_keeps_the_page(bundle) -> None:
    """The issue's own steps: 100 points from the default 34/33/33, then 60 in the first box."""
    at = start()
    at.selectbox(key="w_method").set_value("points").run()
    assert at.number_input(key="w_in_points_legitimiteit").value == 34
    last = shown_ranking(at)
    at.number_input(key="w_in_points_legitimiteit").set_value(60).run()
    assert "26 punten te veel." in [w.value for w in at.sidebar.warning]
    assert shown_ranking(at) == last
    assert chart_specs(at) and headline(at).startswith("Bij deze gewichten")
    assert not at.sidebar.error and not at.error


def test_a_permalink_with_unusable_points_shows_the_default_weights(bundle) -> None:
    at = start({"m": "points", "w": "legitimiteit:60,bestuurlijke_drukte:33,efficientie:33"})
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    assert shown_ranking(at) == core_ranking(matrix, rank_with(matrix))
    note = next(w.value for w in at.main.warning if "punten" in w.value)
    assert "26 punten te veel." in note and "standaardgewichten" in note


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"m": "sliders", "w": "legitimiteit:0,bestuurlijke_drukte:0,efficientie:0"},
            "Zet ten minste één gewicht boven 0.",
        ),
        (
            {"m": "swing", "w": "legitimiteit:80,bestuurlijke_drukte:20,efficientie:55"},
            "Geef de stap die u het meest waard is 100; de hoogste is nu 80.",
        ),
    ],
)
def test_no_weight_method_empties_the_page(bundle, query, message: str) -> None:
    at = start(query)
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    assert shown_ranking(at) == core_ranking(matrix, rank_with(matrix))
    assert message in [w.value for w in at.sidebar.warning]
    assert any(message in w.value for w in at.main.warning)
    assert "weights" not in _texts(at).lower()  # the core's English message never shows


def test_every_sidebar_slider_move_at_zero_keeps_the_last_ranking() -> None:
    at = start(ISSUE_LINK)
    at.slider(key="w_in_sliders_legitimiteit").set_value(0.0).run()
    at.slider(key="w_in_sliders_bestuurlijke_drukte").set_value(0.0).run()
    kept = shown_ranking(at)
    at.slider(key="w_in_sliders_efficientie").set_value(0.0).run()
    assert shown_ranking(at) == kept
    assert "Zet ten minste één gewicht boven 0." in [w.value for w in at.sidebar.warning]
    switch(at, "robuustheid")
    switch(at, "")
    assert shown_ranking(at) == kept


# --- numbers and words in Dutch (issue 11, item 2) ----------------------------------------

#: Verkennen's tabs, by translation key (afweging_ui.pages.explore.TABS).
EXPLORE_TABS = (
    "tab_ranking",
    "tab_scorecard",
    "tab_profile",
    "tab_h2h",
    "tab_regions",
    "tab_whatif",
    "tab_to_win",
)
#: Addresses and dotted runs that are not decimals: versions (1.4.0), grouped thousands
#: (1.062.060). What is left may not hold a digit, a point and a digit.
_NOT_DECIMAL = re.compile(r"https?://\S+|\d+(?:\.\d+){2,}")
_DECIMAL_POINT = re.compile(r"\d\.\d")
#: Plotly keys whose strings people read (not templates, formats or colours).
_CHART_TEXT = {"text", "hovertext", "ticktext", "name"}


def decimal_points(text: str) -> list[str]:
    """Each number in ``text`` written with a decimal point, in a little context."""
    text = _NOT_DECIMAL.sub("", text)
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in _DECIMAL_POINT.finditer(text)]


def _chart_texts(spec: object, key: str = "") -> list[str]:
    if isinstance(spec, dict):
        return [t for k, v in spec.items() for t in _chart_texts(v, k)]
    if isinstance(spec, list):
        return [t for v in spec for t in _chart_texts(v, key)]
    return [spec] if isinstance(spec, str) and key in _CHART_TEXT else []


def shown_texts(at: AppTest) -> list[str]:
    """Everything a reader sees on the page as text: headings, paragraphs, captions, alerts,
    metrics, tables (headers and cells), widget labels and chart labels.

    Not the source documents' own words: a quote (“…”) and its context (…) are shown
    verbatim, with whatever numbers the document holds ("Onskenmerk 12.0447524").
    """
    texts = [
        str(x.value)
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "info",
            "warning",
            "success",
            "error",
        )
        for x in getattr(at, kind)
    ]
    texts += [str(x.value) for x in at.text if not str(x.value).startswith(("“", "…"))]
    texts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    for frame in [d.value for d in at.dataframe] + [t.value for t in at.table]:
        texts += [str(c) for c in frame.columns] + [str(c) for c in frame.to_numpy().ravel()]
    for kind in ("selectbox", "multiselect", "slider", "number_input", "select_slider", "button"):
        texts += [str(w.label) for w in getattr(at, kind)]
    texts += [str(w.proto.placeholder) for w in [*at.selectbox, *at.multiselect]]
    for spec in chart_specs(at):
        texts += _chart_texts(spec)
    return texts


def assert_dutch_numbers_and_words(at: AppTest, where: str) -> None:
    texts = shown_texts(at)
    points = sorted({p for text in texts for p in decimal_points(text)})
    assert points == [], where
    english = sorted({text for text in texts if "Choose" in text})
    assert english == [], where
    for widget in [*at.selectbox, *at.multiselect]:
        assert widget.proto.placeholder.startswith("Kies"), (where, widget.key)


def test_decimal_points_are_found_where_they_should_be() -> None:
    assert decimal_points("score 0.667 en 1.00") == ["score 0.667 en 1.00", "score 0.667 en 1.00"]
    assert decimal_points("score 0,667; 33,3%; 30-11-2026; 2026-11-30") == []
    assert decimal_points("pymcdm 1.4.0, 1.062.060 inwoners, https://x.nl/a.1.b/2.5") == []
    assert _chart_texts({"data": [{"text": ["0.5"], "hovertemplate": "%{y:.2f}"}]}) == ["0.5"]


@pytest.mark.parametrize(
    "query",
    [{}, TREE_LINK, {**ISSUE_LINK, "w": "legitimiteit:2.5,bestuurlijke_drukte:1,efficientie:6.5"}],
    ids=["default", "tree-whatif", "half-steps"],
)
def test_verkennen_in_dutch_writes_decimal_commas_and_no_english(query) -> None:
    at = start(query)
    for key in EXPLORE_TABS:
        open_tab(at, key)
        assert_dutch_numbers_and_words(at, key)
    # Every option's card in the why panel (half scores, ranges, a what-if).
    open_tab(at, "tab_scorecard")
    view = at.session_state["view"]
    for option_id in view.options:
        at.selectbox(key="why_option").set_value(option_id).run()
        assert_dutch_numbers_and_words(at, f"why {option_id}")
    # Not vacuous: the numbers are there, with decimal commas.
    open_tab(at, "tab_ranking")
    assert shown_ranking(at)  # each score written as 0,667 (see shown_ranking)
    for frame in [d.value for d in at.sidebar.dataframe if "Gewicht" in d.value.columns]:
        assert all(re.fullmatch(r"\d+,\d%", w) for w in frame["Gewicht"])  # a tree's leaves


def _check_page() -> None:
    from afweging_ui.pages import check

    check.render()


def test_rekencontrole_in_dutch_writes_decimal_commas_and_dutch_sources() -> None:
    at = AppTest.from_function(_check_page, default_timeout=60)
    at.session_state["lang"] = "nl"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert_dutch_numbers_and_words(at, "rekencontrole")
    texts = [str(x.value) for x in at.text]
    assert any(text.startswith("Tzeng, G.-H. en Huang") for text in texts)
    assert any("0,5 + 0,3 = 0,8" in text for text in texts)
    shown = [str(c) for d in at.dataframe for c in d.value.to_numpy().ravel()]
    assert "0,358" in shown and "0,358137" in shown
    assert any(" × 10⁻" in s for s in shown)  # differences too small for six decimals
    at.session_state["lang"] = "en"
    at.run()
    texts = [str(x.value) for x in at.text]
    assert any(text.startswith("Tzeng, G.-H. and Huang") for text in texts)
    shown = [str(c) for d in at.dataframe for c in d.value.to_numpy().ravel()]
    assert "0.358" in shown


def test_sliders_and_weights_show_no_false_precision(bundle) -> None:
    at = start({"case": "g32", "set": "uitgebreid"})
    sliders = [s for s in at.sidebar.slider if str(s.key).startswith("w_in_sliders_")]
    assert sliders and all(s.proto.format == "%g" for s in sliders)  # 1, 6.5: not 1.00
    at.slider(key="w_in_sliders_efficientie").set_value(6.5).run()
    cset = bundle.criteria_set("uitgebreid")
    matrix = build_matrix(bundle.case("g32"), cset)
    weights = rank_with(matrix, {"efficientie": 6.5}).weights
    table = next(d.value for d in at.sidebar.dataframe if "Gewicht" in d.value.columns)
    # The weights of the two-level tree with one decimal and a decimal comma (was 33.3%).
    assert list(table["Gewicht"]) == [f"{100 * w:.1f}%".replace(".", ",") for w in weights]
    shares = [m.value for m in at.sidebar.markdown if m.value.startswith("Gewichten nu")]
    assert shares and not any(decimal_points(text) for text in shares)
    at.segmented_control(key="lang").set_value("en").run()
    table = next(d.value for d in at.sidebar.dataframe if "Weight" in d.value.columns)
    assert list(table["Weight"]) == [f"{100 * w:.1f}%" for w in weights]
    assert at.multiselect(key="sel_options").proto.placeholder == "Choose options"
    assert at.selectbox(key="sel_case").proto.placeholder == "Choose an option"


def test_tie_headline_writes_the_score_with_a_decimal_comma() -> None:
    at = start(
        {
            "case": "sra",
            "set": "kern",
            "m": "sliders",
            "w": "legitimiteit:1,bestuurlijke_drukte:0,efficientie:0",
        }
    )
    head = headline(at)
    # Three options score 4 of 5 on legitimacy: (4 - 1) / 4 = 0.75, by hand.
    assert "de eerste plaats (score 0,75 van 1)" in head, head
    assert not decimal_points(head), head


# --- the phone layout and links to uploads (issue 11, items 6-9) --------------------------


def test_the_phone_weights_write_the_same_view_as_the_sidebar(bundle) -> None:
    """The explore page's own weight inputs (shown on phones) and the sidebar's are one view:
    moving either moves both, and the ranking follows."""
    at = start()
    at.slider(key="pw_in_sliders_efficientie").set_value(10.0).run()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    assert shown_ranking(at) == core_ranking(matrix, rank_with(matrix, {"efficientie": 10}))
    assert at.slider(key="w_in_sliders_efficientie").value == 10.0
    assert at.query_params["w"] == "legitimiteit:1,bestuurlijke_drukte:1,efficientie:10"
    at.slider(key="w_in_sliders_legitimiteit").set_value(4.0).run()
    assert at.slider(key="pw_in_sliders_legitimiteit").value == 4.0
    at.selectbox(key="pw_method").set_value("points").run()
    assert at.selectbox(key="w_method").value == "points"
    assert at.number_input(key="pw_in_points_legitimiteit").value == 34
    at.button(key="pw_reset").click().run()
    assert at.selectbox(key="w_method").value == "points"
    # The headline stays the page's first text: the inline block has no Markdown.
    assert headline(at).startswith("Bij deze gewichten")


def test_pairwise_sliders_run_from_the_first_criterion_to_the_second(bundle) -> None:
    """'a ↔ b': the left end is 'a 9× as important', the right 'b 9×'; the judgement is
    written out under the slider."""
    at = start({"m": "ahp", "ahp": "legitimiteit.bestuurlijke_drukte:2"})
    slider = at.select_slider(key="w_in_ahp_legitimiteit.bestuurlijke_drukte")
    assert slider.label.startswith("Democratische legitimiteit ↔")
    assert slider.options[0] == "Democratische legitimiteit 9× belangrijker"
    assert slider.options[-1] == "Bestuurlijke drukte 9× belangrijker"
    assert "Democratische legitimiteit 3× belangrijker" in [c.value for c in at.sidebar.caption]


def _kern_demo() -> bytes:
    """The flat test case, scored on the bundled core criteria's scale."""
    raw = (GOOD / "flat" / "scenario.yaml").read_bytes()
    return raw.replace(b"efficientie: {value: 10,", b"efficientie: {value: 5,").replace(
        b"efficientie: {value: 0,", b"efficientie: {value: 1,"
    )


def test_a_link_to_an_uploaded_case_says_so_and_comes_back_after_the_upload() -> None:
    link = {"case": "demo", "opt": "a,c", "w": "legitimiteit:3,bestuurlijke_drukte:1,efficientie:1"}
    at = start(link)
    assert at.selectbox(key="sel_case").value == "sra"  # not loaded here: the default case
    (notice,) = [w.value for w in at.main.warning if "demo" in w.value]
    assert "`demo`" in notice and "niet geladen" in notice and "Eigen bestand laden" in notice
    # Loading the same file again shows the link as it was meant.
    open_upload(at)
    at.file_uploader(key="upload").set_value(("demo.yaml", _kern_demo(), "text/yaml")).run()
    assert not at.exception
    assert at.selectbox(key="sel_case").value == "demo"
    assert at.multiselect(key="sel_options").value == ["a", "c"]
    assert at.slider(key="w_in_sliders_legitimiteit").value == 3.0
    assert not [w for w in at.main.warning if "demo" in w.value]
    # In English; and an id that is not an id is not repeated.
    at = start({"case": "<b>x</b>", "lang": "en"})
    (notice,) = [w.value for w in at.main.warning if "link" in w.value]
    assert "<b>" not in notice and "not loaded here" in notice


def test_equal_weights_read_the_same_score_whatever_the_method() -> None:
    """Sliders at 1:1:1, AHP with every pair equal and a tied rank order are the same
    weights (100 points are not: 34/33/33); their scores
    differ only in float dust, which never shows (the headline read 0,62 and 0,63)."""
    sentences = {m: headline(start({"m": m})) for m in ("sliders", "ahp", "rank")}
    assert len(set(sentences.values())) == 1, sentences


def test_the_workshop_starts_on_the_case_and_set_being_looked_at() -> None:
    """A facilitator who looked at the SRA case in its wide set finds them chosen when
    opening the workshop page (it always started on the first case, G32)."""
    at = start({"case": "sra", "set": "uitgebreid"})
    switch(at, "workshop")
    assert at.selectbox(key="ws_case").value == "sra"
    assert at.selectbox(key="ws_set").value == "uitgebreid"
