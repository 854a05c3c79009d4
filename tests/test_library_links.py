"""A saved case of the case library used everywhere (issue 14, item 3).

- The dashboard opens ``/?lib=<case>&key=<key>[&v=<n>]`` on every page (AppTest, on the
  SQLite database each test points ``AFWEGING_DATA_DIR`` at), pins the version, cites its
  quotes by the case's own document, refuses a wrong link with one Dutch message.
- The editor links to it ("Openen in het dashboard").
- A workshop started on a saved case: the store remembers case and version (SQLite and
  PostgreSQL), the phones' service and the projector rank that case's options.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from afweging.casebook.linked import SavedModels, as_bundled, parse_link
from afweging.casebook.store import CaseLibrary
from afweging.documents.model import ExtractedDocument
from afweging.loading import BundleWatcher
from afweging.matrix import build_matrix, rank_with
from afweging.workshop import WorkshopStore
from afweging.workshop.limits import JoinLimiter
from afweging.workshop.store import default_store_path, store_location
from afweging_ui.editor import state as editor_state
from afweging_ui.i18n import t
from afweging_ui.workshop.phone.service import PhoneService

from .apptest_charts import chart_specs
from .test_app import core_ranking, page_paths, shown_ranking, switch

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
TIMEOUT = 60
TITLE = "Nota Regio Testland 2026"
TEXT = (
    "Nota Regio Testland\n"
    "De gemeenteraden  moeten\n"
    "grip houden op de regio.\n"
    "Tweede pagina.\n"
    "Een fusie kost veel tijd en\n"
    "veel geld.\n"
)
DOC = ExtractedDocument(
    sha256=hashlib.sha256(b"%PDF testland").hexdigest(),
    filename="testland.pdf",
    kind="pdf",
    size=13,
    title=TITLE,
    date="2026-03-01",
    text=TEXT,
    pages=(1, 4),
)
SOURCE = f"{DOC.sha256[:16]}.txt"
CRITERIA = """\
id: mini
label: {nl: Twee criteria, en: Two criteria}
criteria:
  - id: legitimiteit
    label: {nl: Legitimiteit, en: Legitimacy}
    direction: higher_is_better
    scale: {min: 1, max: 5}
  - id: kosten
    label: {nl: Kosten, en: Costs}
    direction: lower_is_better
    scale: {min: 1, max: 5}
"""


def case_yaml(legitimacy: float = 4, costs: float = 2) -> str:
    return f"""\
id: testland
label: {{nl: Samenwerking Testland, en: Cooperation Testland}}
options:
  - id: samen
    label: {{nl: Samen verder, en: Go on together}}
    summary: {{nl: Samen., en: Together.}}
    scores:
      legitimiteit:
        value: {legitimacy}
        basis: bron
        rationale: {{nl: Grip., en: Control.}}
        evidence:
          - source: {SOURCE}
            quote: "moeten grip houden op de regio."
      kosten: {{value: {costs}, basis: afgeleid, rationale: {{nl: Weinig., en: Little.}}}}
  - id: fusie
    label: {{nl: Fuseren, en: Merge}}
    summary: {{nl: Een., en: One.}}
    scores:
      legitimiteit: {{value: 3, basis: afgeleid, rationale: {{nl: Midden., en: Middle.}}}}
      kosten:
        value: 4
        basis: bron
        rationale: {{nl: Duur., en: Costly.}}
        evidence:
          - source: {SOURCE}
            quote: "Een fusie kost veel tijd en veel geld."
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AFWEGING_DATABASE_URL", raising=False)
    yield tmp_path
    with editor_state._LOCK:
        found = editor_state._LIBRARIES.pop(store_location(), None)
    if found is not None:
        found.dispose()


def saved_case(library: CaseLibrary) -> tuple[str, str, str]:
    """A clean version 1 (Samen verder first) and a version 2 in which Fuseren comes first."""
    case_id, edit, view = library.restore(case_yaml(), CRITERIA, [DOC])
    assert not library.latest(case_id, view).problems
    library.save(case_id, edit, case_yaml(legitimacy=1, costs=5), "anders")
    return case_id, edit, view


@pytest.fixture
def saved(data_dir) -> tuple[str, str, str]:
    return saved_case(editor_state.library())


def start(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def params(at: AppTest) -> dict[str, str]:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def expected(case_id: str, key: str, number: int) -> list[tuple[int, str, float]]:
    case, cset = as_bundled(*editor_state.library().models(case_id, key, number))
    matrix = build_matrix(case, cset)
    return core_ranking(matrix, rank_with(matrix))


def chart_texts(at: AppTest) -> str:
    """The charts' figures as text (titles and captions with their line breaks undone)."""
    specs = chart_specs(at)
    return json.dumps(specs, ensure_ascii=False).replace("<br>", " ")


def everything(at: AppTest) -> str:
    kinds = ("title", "subheader", "markdown", "caption", "code", "text", "error", "info")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [str(x.value) for x in at.text_input]
    return "\n".join(parts)


# --------------------------------------------------------------------------- the dashboard


def test_the_permalink_opens_the_saved_case_on_every_page_and_keeps_its_link(saved) -> None:
    case_id, _edit, view = saved
    at = start({"lib": case_id, "key": view})
    assert at.session_state["view"].case == "lib-testland"
    assert shown_ranking(at) == expected(case_id, view, 2)  # without v: the latest
    assert [r[1] for r in shown_ranking(at)] == ["Fuseren", "Samen verder"]
    url = params(at)
    assert (url["lib"], url["key"], url["v"]) == (case_id, view, "2")  # pinned once loaded
    assert url["case"] == "lib-testland" and url["set"] == "lib-mini"
    assert view not in everything(at)  # the key is never on the page
    for path in [p for p in page_paths(at) if p not in ("workshop", "casus-bewerken")] + [""]:
        switch(at, path)
        assert params(at) == url, path
        assert at.session_state["view"].case == "lib-testland", path
        assert not at.error, (path, [e.value for e in at.error])
        assert view not in everything(at), path
        if path == "robuustheid":
            assert at.sidebar.selectbox(key="sel_case").value == "lib-testland"
            assert set(at.sidebar.multiselect(key="sel_options").value) == {"samen", "fusie"}
    assert [r[1] for r in shown_ranking(at)] == ["Fuseren", "Samen verder"]
    # A view change keeps the link too.
    at.slider(key="w_in_sliders_legitimiteit").set_value(9.5).run()
    assert {k: params(at)[k] for k in ("lib", "key", "v")} == {
        "lib": case_id,
        "key": view,
        "v": "2",
    }


def test_v_pins_a_version_and_the_captions_name_it(saved) -> None:
    case_id, edit, view = saved
    at = start({"lib": case_id, "key": view, "v": "1"})
    assert shown_ranking(at) == expected(case_id, view, 1)
    assert [r[1] for r in shown_ranking(at)] == ["Samen verder", "Fuseren"]
    assert params(at)["v"] == "1"
    charts = chart_texts(at)
    version = editor_state.library().version(case_id, 1, view).data_version
    assert f"dataversie casus {case_id} versie 1 · {version}" in charts
    # The edit key opens it as well (read only on the dashboard).
    again = start({"lib": case_id, "key": edit, "v": "2"})
    assert [r[1] for r in shown_ranking(again)] == ["Fuseren", "Samen verder"]


@pytest.mark.parametrize("wrong", ["key", "case", "v"])
def test_a_wrong_link_gets_one_dutch_message_and_the_bundled_data(saved, wrong) -> None:
    case_id, _edit, view = saved
    query = {"lib": case_id, "key": view}
    if wrong == "key":
        query["key"] = view[:-1] + ("A" if view[-1] != "A" else "B")
    elif wrong == "case":
        query["lib"] = "onbekendeCasus12"
    else:
        query["v"] = "9"
    at = start(query)
    errors = [e.value for e in at.error]
    if wrong == "v":  # the key was right: it may say which versions there are
        assert errors == ["Deze casus heeft geen versie 9; de laatste is versie 2."]
    else:
        assert errors == [t("lib_bad_link", "nl")]
    assert at.session_state["view"].case == "sra"
    assert not {"lib", "key", "v"} & set(params(at))
    assert view not in everything(at)


def test_an_unreachable_database_gets_the_plain_message(data_dir, monkeypatch) -> None:
    monkeypatch.setenv("AFWEGING_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    at = start({"lib": "abcdefghijklmnop", "key": "k" * 32})
    assert [e.value for e in at.error] == [t("lib_db_down", "nl")]
    assert at.session_state["view"].case == "sra"


def test_quotes_are_cited_by_the_case_document_and_the_sources_page_lists_it(saved) -> None:
    case_id, _edit, view = saved
    at = start({"lib": case_id, "key": view, "v": "1"})
    at.session_state["explore_tab"] = t("tab_scorecard", "nl")
    at.run()
    at.selectbox(key="why_option").set_value("samen")
    at.selectbox(key="why_criterion").set_value("legitimiteit").run()
    assert not at.exception
    texts = [x.value for x in at.text]
    # The quote's line 2 is on page 1 of the document (pages start at lines 1 and 4).
    assert any(
        "moeten grip houden op de regio." in x and f"{TITLE}, p. 1, regel 2" in x for x in texts
    ), texts
    switch(at, "bronnen")
    assert TITLE in [s.value for s in at.subheader]
    assert t("sources_file", "nl", name=SOURCE) in [c.value for c in at.caption]
    assert t("sources_count", "nl", n=2) in [c.value for c in at.caption]
    assert view not in everything(at)


def test_the_share_box_masks_the_key(saved) -> None:
    case_id, _edit, view = saved
    at = start({"lib": case_id, "key": view})
    at.session_state["share_open"] = True
    at.run()
    shown = [c.value for c in at.sidebar.code]
    assert shown and all(view not in c for c in shown)
    assert any(f"lib={case_id}" in c for c in shown)
    copy = "\n".join(str(h.proto) for h in at.get("html"))
    assert view in copy  # the copy button copies the whole link


# --------------------------------------------------------------------------- the editor


def test_the_editor_links_to_the_dashboard_with_the_view_key(saved) -> None:
    case_id, edit, view = saved

    def page() -> None:
        from afweging_ui.pages import editor

        editor.render()

    at = AppTest.from_function(page, default_timeout=TIMEOUT)
    at.query_params["case_id"] = case_id
    at.query_params["key"] = edit
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    button = next(b for b in at.get("link_button") if b.proto.label == "Openen in het dashboard")
    assert button.proto.url.endswith(f"/?lib={case_id}&key={view}&v=2")
    assert edit not in button.proto.url
    at.query_params["version"] = "1"
    at.run()
    button = next(b for b in at.get("link_button") if b.proto.label == "Openen in het dashboard")
    assert button.proto.url.endswith("&v=1")
    assert parse_link(button.proto.url) == (case_id, view, 1)


# --------------------------------------------------------------------------- workshops


def test_a_workshop_on_a_saved_case_ranks_its_options_on_the_phones(db, clock) -> None:
    library = CaseLibrary(db, clock=clock)
    store = WorkshopStore(db, clock=clock)
    try:
        case_id, _edit, view = saved_case(library)
        case, cset = as_bundled(*library.models(case_id, view, 1))
        session, key = store.create_session(
            case.id,
            cset.id,
            [o.id for o in case.options],
            [c.id for c in cset.criteria],
            library_case=(case_id, 1),
        )
        again = store.get_session_by_code(session.code)
        assert again.library_case == (case_id, 1) == session.library_case
        models = SavedModels()
        service = PhoneService(
            store, BundleWatcher(), JoinLimiter(store), lambda c, n: models.get(library, c, n)
        )
        matrix = service.matrix(again)
        assert matrix is not None and [o.label.nl for o in matrix.options] == [
            "Samen verder",
            "Fuseren",
        ]
        _person, token = store.join(session.code)
        store.submit(session.code, token, {"legitimiteit": 9.0, "kosten": 1.0})
        store.reveal(session.code, key)
        _tag, body = service.status(session.code, token, "nl")
        assert [r["label"] for r in body["group"]["ranking"]] == ["Samen verder", "Fuseren"]
        # Without the library the session's data is gone: no matrix, never a traceback.
        bare = PhoneService(store, BundleWatcher(), JoinLimiter(store))
        assert bare.matrix(again) is None
        store.delete_session(session.code, key)
        with pytest.raises(Exception, match="no session"):
            store.get_session_by_code(session.code)
    finally:
        store.dispose()
        library.dispose()


def test_the_facilitator_starts_a_workshop_on_a_saved_case_by_its_link(saved) -> None:
    case_id, _edit, view = saved

    def page() -> None:
        from afweging_ui.workshop import page

        page.render()

    at = AppTest.from_function(page, default_timeout=TIMEOUT)
    at.run()
    at.radio(key="ws_source").set_value("saved").run()
    at.text_input(key="ws_lib_link").set_value("https://x.example/?lib=nope&key=" + "a" * 32)
    at.run()
    assert [e.value for e in at.error] == [t("lib_ws_bad_link", "nl")]
    link = f"https://afweging.example/casus-bewerken?case_id={case_id}&key={view}&version=1"
    at.text_input(key="ws_lib_link").set_value(link).run()
    assert not at.error and not at.exception
    assert t("lib_ws_loaded", "nl", name="Samenwerking Testland", n=1) in [
        s.value for s in at.success
    ]
    at.button(key="ws_create").click().run()
    assert not at.exception, [e.value for e in at.exception]
    code = params(at)["code"]
    facilitator = at.session_state["ws_keys"][code]
    store = WorkshopStore(default_store_path())
    try:
        session = store.get_session_by_code(code)
        assert session.library_case == (case_id, 1)
        for values in ({"legitimiteit": 9.0, "kosten": 1.0}, {"legitimiteit": 8.0, "kosten": 2.0}):
            _person, token = store.join(code)
            store.submit(code, token, values)
        store.reveal(code, facilitator)
        viewer = store.viewer_key(code, facilitator)
    finally:
        store.dispose()
    beamer = AppTest.from_function(page, default_timeout=TIMEOUT)
    beamer.query_params["code"] = code
    beamer.query_params["view"] = viewer
    beamer.run()
    assert not beamer.exception, [e.value for e in beamer.exception]
    frames = [d.value for d in beamer.dataframe] + [x.value for x in beamer.table]
    ranking = next(f for f in frames if "Optie" in f.columns)
    labels = [str(x).replace("\\", "") for x in ranking["Optie"]]
    assert labels == ["Samen verder", "Fuseren"]
    assert f"casus {case_id} versie 1" in chart_texts(beamer)
