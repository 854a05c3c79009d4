"""The case editor (``/casus-bewerken``) through AppTest: create from g32, score a cell off
its scale and see the Dutch problem beside it, fix it, save versions that stay as they were,
refuse a wrong key, read with the view key, upload a document and attach quotes.

Each test points ``AFWEGING_DATA_DIR`` at its own folder before the first run, so each gets
a fresh database (the same the page's library opens).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from afweging.casebook.errors import AccessDenied
from afweging.casebook.store import CaseLibrary
from afweging.errors import Problem
from afweging.workshop.store import store_location
from afweging_ui.editor import draft, state
from afweging_ui.editor.grid import PROBLEMS_COL
from afweging_ui.i18n import t

TIMEOUT = 60
NOTE = (
    "Nota over samenwerking in de regio\n"
    "De gemeenteraden moeten\n"
    "grip houden op de regio.\n"
    "Een fusie kost veel tijd.\n"
)


def _editor_page() -> None:
    from afweging_ui.pages import editor

    editor.render()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AFWEGING_DATABASE_URL", raising=False)
    yield tmp_path
    with state._LOCK:
        found = state._LIBRARIES.pop(store_location(), None)
    if found is not None:
        found.dispose()


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_editor_page, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return run(at)


def query(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def create_g32() -> tuple[AppTest, str, str]:
    """Create a case from g32 on kern through the start form."""
    at = open_page()
    at.selectbox(key="ed_new_case").set_value("g32")
    run(at)
    at.selectbox(key="ed_new_set").set_value("kern")
    run(at)
    at.button(key="ed_create").click()
    run(at)
    return at, query(at, "case_id"), query(at, "key")


def button(at: AppTest, label: str) -> Button:
    """A button (form submit buttons too) by its label."""
    return next(b for b in at.button if b.label == label)


def problems_column(at: AppTest) -> list[str]:
    return list(at.data_editor[0].value[PROBLEMS_COL])


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, alerts, code, plain text)."""
    parts = [
        *(m.value for m in at.markdown),
        *(c.value for c in at.caption),
        *(e.value for e in at.error),
        *(e.value for e in at.success),
        *(e.value for e in at.info),
        *(c.value for c in at.code),
        *(x.value for x in at.text),
        *(x.value for x in at.text_input),
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # Markdown escapes


def set_cell(at: AppTest, option: int, criterion: str, value: float) -> AppTest:
    """Score one cell through the cell form."""
    at.selectbox(key="ed_cell_option").set_value(option)
    at.selectbox(key="ed_cell_criterion").set_value(criterion)
    run(at)
    field = next(n for n in at.number_input if n.key and n.key.startswith("ed_val_"))
    field.set_value(value)
    button(at, t("ed_apply_cell", "nl")).click()
    return run(at)


def library() -> CaseLibrary:
    return state.library()


def test_create_from_g32_opens_the_grid_with_keys_masked(data_dir):
    at, case_id, key = create_g32()
    grid = at.data_editor[0].value
    assert len(grid) == 6  # g32's options, on kern's three leaves
    assert list(grid.columns)[1:4] == ["legitimiteit", "bestuurlijke_drukte", "efficientie"]
    assert problems_column(at) == [""] * 6
    assert "Versie 1" in texts(at) and "geen problemen" in texts(at)
    # The edit key is in the page's own query only: never on screen.
    assert key not in texts(at)
    view_key = library().view_key(case_id, key)
    assert any(view_key in c.value for c in at.code)  # the read-only link, in full
    assert library().can_edit(case_id, key)


def test_off_scale_value_is_named_beside_its_cell_in_dutch_then_fixed(data_dir):
    at, _, _ = create_g32()
    set_cell(at, 1, "legitimiteit", 7)
    row = problems_column(at)
    assert "7 ligt buiten de schaal" in row[1], row
    assert "Democratische legitimiteit" in row[1]
    assert row[0] == row[2] == ""
    listed = texts(at)
    option = draft.label(draft.options(at.session_state[state.DRAFT]["data"])[1], "nl")
    assert f"{option} · Democratische legitimiteit: 7 ligt buiten de schaal" in listed
    # The cell's range [2, 5] no longer holds the value either: both are named.
    assert "2 problemen" in listed
    assert "bandbreedte" in row[1] or "bevat" in row[1], row
    assert button(at, t("ed_publish", "nl")).proto.disabled
    set_cell(at, 1, "legitimiteit", 3)  # back on the scale, inside its range [2, 3]
    assert problems_column(at) == [""] * 6
    assert "geen problemen" in texts(at)


def test_two_saves_make_two_new_versions_and_leave_earlier_ones_unchanged(data_dir):
    at, case_id, key = create_g32()
    first = library().version(case_id, 1, key)
    set_cell(at, 0, "efficientie", 5)
    at.text_input(key="ed_note").set_value("eerste wijziging")
    button(at, t("ed_save", "nl")).click()
    run(at)
    assert "Versie 2 opgeslagen om" in texts(at)
    set_cell(at, 0, "efficientie", 1)
    button(at, t("ed_save", "nl")).click()
    run(at)
    assert "Versie 3 opgeslagen om" in texts(at)
    versions = library().versions(case_id, key)
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0] == first  # never overwritten
    assert versions[1].note == "eerste wijziging"
    values = [
        draft.load(v.case_yaml)["options"][0]["scores"]["efficientie"]["value"] for v in versions
    ]
    assert values == [3, 5, 1]
    # A reload (a new session on the same link) shows the last saved version.
    again = open_page({"case_id": case_id, "key": key})
    assert at.data_editor[0].value["efficientie"][0] == 1
    assert again.data_editor[0].value["efficientie"][0] == 1
    assert "Versie 3" in texts(again)
    # Version 1, opened to read: its own values, nothing to change.
    old = open_page({"case_id": case_id, "key": key, "version": "1"})
    assert old.data_editor[0].value["efficientie"][0] == 3
    assert "U bekijkt versie 1" in texts(old)
    assert not [b for b in old.button if b.key == "ed_save"]


def test_a_wrong_key_opens_nothing_and_the_view_key_only_reads(data_dir):
    _, case_id, key = create_g32()
    for wrong in ({"case_id": case_id, "key": key[:-1] + "x"}, {"case_id": "nope", "key": key}):
        refused = open_page(wrong)
        assert t("ed_bad_link", "nl") in [e.value for e in refused.error]
        assert not refused.data_editor
    view = open_page({"case_id": case_id, "key": library().view_key(case_id, key)})
    assert "alleen lezen" in texts(view)
    assert len(view.data_editor[0].value) == 6
    assert not [b for b in view.button if b.key in ("ed_save", "ed_publish", "ed_add_option")]
    cell = [n for n in view.number_input if n.key and n.key.startswith(("ed_val_", "ed_low_"))]
    assert cell and all(n.proto.disabled for n in cell)
    assert view.text_area and all(x.proto.disabled for x in view.text_area)
    assert all(x.proto.disabled for x in view.text_input if x.key and x.key.startswith("ed_l"))
    assert view.get("file_uploader")[0].proto.disabled
    with pytest.raises(AccessDenied):
        library().save(case_id, library().view_key(case_id, key), "id: x\n")


def test_upload_a_text_and_attach_a_quote_that_is_there_and_one_that_is_not(data_dir):
    at, case_id, key = create_g32()
    at.file_uploader(key="ed_upload").upload("nota.txt", NOTE.encode(), "text/plain")
    run(at)
    assert "nota.txt is opgeslagen" in texts(at)
    stored = [d for d in library().documents(case_id, key) if d.filename == "nota.txt"]
    assert len(stored) == 1
    at.selectbox(key="ed_reader_doc").set_value(stored[0].id)
    at.text_input(key="ed_search").set_value("grip")
    run(at)
    assert "regel 3" in texts(at)
    # A passage across a line break, with other spacing: whitespace is all that may differ.
    at.text_area(key="ed_quote").set_value("De gemeenteraden moeten  grip houden op de regio.")
    at.selectbox(key="ed_attach_option").set_value(2)
    at.selectbox(key="ed_attach_crit").set_value("legitimiteit")
    at.button(key="ed_attach").click()
    run(at)
    assert "Gekoppeld; gevonden in" in texts(at)
    cell = draft.score(at.session_state[state.DRAFT]["data"], 2, "legitimiteit")
    assert cell is not None
    assert cell["evidence"][-1] == {
        "source": stored[0].source_name,
        "quote": "De gemeenteraden moeten  grip houden op de regio.",
    }
    count = len(cell["evidence"])
    assert problems_column(at)[2] == ""  # the attached quote is found by the validator too
    # A quote that is not in the document is refused at once; nothing is attached.
    at.text_area(key="ed_quote").set_value("De gemeenteraden moeten grip houden op het Rijk.")
    at.button(key="ed_attach").click()
    run(at)
    assert "staat niet letterlijk in Nota over samenwerking in de regio" in texts(at)
    after = draft.score(at.session_state[state.DRAFT]["data"], 2, "legitimiteit")
    assert after is not None and len(after["evidence"]) == count
    # Saved, the quote is in the new version and checked there.
    button(at, t("ed_save", "nl")).click()
    run(at)
    latest = library().latest(case_id, key)
    assert latest.number == 2 and not latest.problems
    assert stored[0].source_name in latest.case_yaml


def test_a_refused_upload_names_the_file_in_dutch_and_stores_nothing(data_dir):
    at, case_id, key = create_g32()
    before = library().documents(case_id, key)
    at.file_uploader(key="ed_upload").upload(
        "begroting.pdf", b"gewone tekst, geen PDF", "application/pdf"
    )
    run(at)
    refused = [e.value.replace("\\", "") for e in at.error if "begroting" in e.value]
    assert refused and refused[0].startswith("begroting.pdf is geweigerd: ")
    assert "niet wat de naam zegt" in refused[0] or "PDF" in refused[0], refused
    assert refused[0].endswith("Er is niets opgeslagen.")
    assert library().documents(case_id, key) == before


def test_options_add_rename_reorder_delete_and_publish_only_without_problems(data_dir):
    at, case_id, key = create_g32()
    at.button(key="ed_add_option").click()
    run(at)
    assert len(at.data_editor[0].value) == 7
    assert "geen score" in problems_column(at)[6] or problems_column(at)[6]
    assert button(at, t("ed_publish", "nl")).proto.disabled
    tag = next(x.key for x in at.text_input if x.key and x.key.startswith("ed_lnl_"))[
        len("ed_lnl_") :
    ]
    at.text_input(key=f"ed_lnl_{tag}").set_value("Eigen variant")
    at.text_input(key=f"ed_len_{tag}").set_value("Own variant")
    button(at, t("ed_apply", "nl")).click()
    run(at)
    assert at.data_editor[0].value["_option"][6] == "Eigen variant"
    at.button(key="ed_up").click()
    run(at)
    assert at.data_editor[0].value["_option"][5] == "Eigen variant"
    at.button(key="ed_delete").click()
    run(at)
    labels = list(at.data_editor[0].value["_option"])
    assert len(labels) == 6 and "Eigen variant" not in labels
    assert problems_column(at) == [""] * 6
    assert not button(at, t("ed_publish", "nl")).proto.disabled
    button(at, t("ed_publish", "nl")).click()
    run(at)
    latest = library().latest(case_id, key)
    assert latest.published and latest.number == 2
    assert "Versie 2 gepubliceerd om" in texts(at)


def test_problems_are_placed_on_their_option_and_criterion():
    here = "scenarios/mine.yaml"
    assert draft.cell_of(Problem(here, "options[2].scores.kosten.value", "empty_text")) == (
        2,
        "kosten",
    )
    assert draft.cell_of(Problem(here, "options[0].label.nl", "empty_text")) == (0, None)
    assert draft.cell_of(Problem(here, "conclusion.prefers", "empty_text")) is None
    assert draft.cell_of(Problem("criteria/kern.yaml", "criteria[0]", "empty_text")) is None


def test_draft_operations_keep_ids_and_order():
    data: draft.Data = {"id": "c", "options": []}
    a = draft.add_option(data, "Samen werken", "Cooperate")
    b = draft.add_option(data, "Samen werken", "Cooperate")
    assert [o["id"] for o in draft.options(data)] == ["samen-werken", "samen-werken-2"]
    assert draft.move(data, b, -1) == a
    draft.set_cell(
        data, 0, "k", value=3.0, basis="bron", low=2, high=4, rationale_nl="r", rationale_en="r"
    )
    assert draft.score(data, 0, "k") == {
        "value": 3,
        "range": [2, 4],
        "basis": "bron",
        "rationale": {"nl": "r", "en": "r"},
    }
    draft.attach(data, 0, "k", "x.txt", "q")
    draft.attach(data, 0, "k", "x.txt", "q")
    assert (draft.score(data, 0, "k") or {})["evidence"] == [{"source": "x.txt", "quote": "q"}]
    assert draft.load(draft.dump(data)) == data


def test_an_export_imported_on_the_start_page_opens_the_same_case_and_data_version(data_dir):
    from afweging.casebook.bundle import export

    at, case_id, key = create_g32()
    at.file_uploader(key="ed_upload").upload("nota.txt", NOTE.encode(), "text/plain")
    run(at)
    button(at, t("ed_save", "nl")).click()
    run(at)
    saved = library().latest(case_id, key)
    assert saved.number == 2
    start = open_page()
    start.file_uploader(key="ed_import").upload("export.zip", export(library(), case_id, key))
    run(start)
    new_id, new_key = query(start, "case_id"), query(start, "key")
    assert new_id != case_id and library().can_edit(new_id, new_key)
    restored = library().latest(new_id, new_key)
    assert (restored.case_yaml, restored.data_version) == (saved.case_yaml, saved.data_version)

    def texts_of(cid: str, k: str) -> dict[str, str]:
        return {d.source_name: d.text for d in library().documents(cid, k)}

    assert texts_of(new_id, new_key) == texts_of(case_id, key)
    assert any("grip houden" in text for text in texts_of(new_id, new_key).values())
    assert "Casus bewerken: " in texts(start) or start.title[0].value.startswith("Casus bewerken")


def test_a_zip_that_is_no_export_is_refused_by_name_and_nothing_is_created(data_dir):
    start = open_page()
    start.file_uploader(key="ed_import").upload("oud.zip", b"PK\x05\x06" + b"\0" * 18)
    run(start)
    refused = [e.value.replace("\\", "") for e in start.error]
    assert refused and "oud.zip" in refused[0], refused
    assert "case_id" not in start.query_params
    # Each problem names the file as it was chosen (not "export.zip"), and the advice is
    # about the export's zip, not about lines to mend in a text editor.
    shown = texts(start)
    assert "export.zip" not in shown and "Kladblok" not in shown
    assert t("ed_import_hint", "nl") in [c.value for c in start.caption]


def test_any_file_can_be_chosen_for_import_and_is_refused_in_dutch(data_dir):
    """No type filter in the browser (Streamlit said "Error: application/x-yaml files are
    not allowed."): a YAML file goes to the server and is refused in Dutch, by name."""
    start = open_page()
    start.file_uploader(key="ed_import").upload("casus.yaml", b"id: x\n")
    run(start)
    refused = [e.value.replace("\\", "") for e in start.error]
    assert refused and "casus.yaml" in refused[0], refused
    assert "geen zipbestand" in texts(start)


def test_an_option_is_listed_by_its_label_and_by_its_place_only_when_labels_repeat():
    items = [
        {"id": "a", "label": {"nl": "2a. Taakdifferentiatie"}},
        {"id": "b", "label": {"nl": "Fusie"}},
        {"id": "c", "label": {"nl": "Fusie"}},
    ]
    assert [draft.choice(items, i, "nl") for i in range(3)] == [
        "2a. Taakdifferentiatie",
        "Fusie (#2)",
        "Fusie (#3)",
    ]


def test_the_grid_names_options_and_criteria_in_problems_by_their_labels():
    from afweging.loading import load_bundled
    from afweging_ui.editor.grid import names
    from afweging_ui.problems import problem_message

    cset = load_bundled().criteria_set("kern")
    data = {"options": [{"id": "optie-1", "label": {"nl": "Vervoersautoriteit"}}]}
    problem = Problem(
        "scenarios/x.yaml",
        "options[0].scores",
        "missing_score",
        {
            "option": "optie-1",
            "missing": "'bestuurlijke_drukte', 'efficientie'",
            "criteria_set": "kern",
        },
    )
    assert problem_message(problem, "nl", names(data, cset, "nl")) == (
        "optie 'Vervoersautoriteit' heeft geen score voor 'Bestuurlijke drukte', "
        "'Efficiëntie en slagvaardigheid' (criteriaset 'Kerncriteria')"
    )
    # Without names (the CLI, an uploaded file) the ids stay, as the file has them.
    assert "'optie-1'" in problem_message(problem, "nl")


def test_an_unsaved_edit_survives_a_reload_and_a_save_ends_it(data_dir):
    at, case_id, key = create_g32()
    set_cell(at, 1, "efficientie", 5)
    assert "niet-opgeslagen wijzigingen" in texts(at)
    # A reload (a new browser session on the edit link): the edit is back, and said so.
    again = open_page({"case_id": case_id, "key": key})
    assert again.data_editor[0].value["efficientie"][1] == 5
    assert "niet-opgeslagen wijzigingen" in texts(again)
    assert any("zijn teruggezet" in i.value for i in again.info)
    assert library().latest(case_id, key).number == 1  # kept, but no version
    # The read-only link shows the saved version, not the edit in progress.
    view = open_page({"case_id": case_id, "key": library().view_key(case_id, key)})
    assert view.data_editor[0].value["efficientie"][1] != 5
    button(again, t("ed_save", "nl")).click()
    run(again)
    assert library().latest(case_id, key).number == 2
    after = open_page({"case_id": case_id, "key": key})
    assert after.data_editor[0].value["efficientie"][1] == 5
    assert "niet-opgeslagen wijzigingen" not in texts(after)
    assert not any("zijn teruggezet" in i.value for i in after.info)


def test_the_editor_in_english_shows_english_texts_and_only_the_quotes_stay_dutch(data_dir):
    _, case_id, key = create_g32()
    at = AppTest.from_function(_editor_page, default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.query_params["case_id"] = case_id
    at.query_params["key"] = key
    run(at)
    assert [tab.label for tab in at.tabs] == [
        t(k, "en")
        for k in (
            "ed_tab_scores",
            "edc_tab_criteria",
            "ed_tab_options",
            "ed_tab_sources",
            "ed_tab_versions",
        )
    ]
    assert at.title[0].value.startswith("Edit case: ")
    labels = [
        w.label
        for kind in ("button", "selectbox", "text_input", "text_area", "number_input")
        for w in getattr(at, kind)
    ]
    dutch = {
        t(k, "nl")
        for k in (
            "ed_save",
            "ed_publish",
            "ed_option",
            "ed_criterion",
            "ed_apply_cell",
            "ed_add_option",
        )
    }
    assert labels and not dutch & set(labels), dutch & set(labels)
    assert t("ed_save", "en") in labels
