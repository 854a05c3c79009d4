"""The editor's criteria tab (issue 14): the case's criteria set edited beside its scores.

Through AppTest, as tests/test_editor.py drives the page (each test on a fresh database
under its own ``AFWEGING_DATA_DIR``): a renamed criterion renames its grid column, a new
leaf is "not scored" beside every option, a reversed scale is named in Dutch beside its
criterion and nothing can be published, a saved set is there after a reload while
version 1 keeps the old one, and a bundled set put in place. Then the pure operations
of :mod:`afweging_ui.editor.criteria_draft`.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from afweging.casebook.errors import NotPublishable
from afweging.errors import Problem
from afweging_ui.editor import criteria_draft as cd
from afweging_ui.editor import draft, state
from afweging_ui.i18n import t
from tests.test_editor import (
    button,
    create_g32,
    data_dir,  # noqa: F401  (the fixture: a fresh database per test)
    library,
    open_page,
    problems_column,
    run,
    texts,
)

KERN = ["legitimiteit", "bestuurlijke_drukte", "efficientie"]


def column_labels(at: AppTest) -> dict[str, str]:
    """The score grid's columns: id -> the label shown."""
    config = json.loads(at.data_editor[0].proto.columns)
    return {k: v.get("label", "") for k, v in config.items() if not k.startswith("_")}


def criteria_table(at: AppTest) -> pd.DataFrame:
    """The criteria tab's overview (criterion, id, ..., problems)."""
    column = t("edc_col_criterion", "nl")
    return next(d.value for d in at.dataframe if column in d.value.columns)


def problems_of(at: AppTest, criterion_id: str) -> str:
    table = criteria_table(at)
    row = table[table[t("edc_col_id", "nl")] == criterion_id]
    return str(row[t("edc_col_problems", "nl")].iloc[0])


def tag_of(at: AppTest, prefix: str) -> str:
    """The suffix of the criterion form's widgets (position and revision)."""
    found = next(x.key for x in at.text_input if x.key and x.key.startswith(prefix))
    return found[len(prefix) :]


def warnings(at: AppTest) -> list[str]:
    return [str(w.value).replace("\\", "") for w in at.warning]


def pick(at: AppTest, position: str) -> AppTest:
    at.selectbox(key="edc_pick").set_value(position)
    return run(at)


def held_criteria(at: AppTest) -> cd.Data:
    return at.session_state[state.DRAFT]["criteria"]


@pytest.mark.usefixtures("data_dir")
def test_renaming_a_criterion_renames_its_grid_column_and_a_new_id_keeps_its_scores():
    at, _, _ = create_g32()
    assert column_labels(at)["legitimiteit"] == "Democratische legitimiteit"
    before = list(at.data_editor[0].value["legitimiteit"])
    pick(at, "0")
    tag = tag_of(at, "edc_lnl_")
    at.text_input(key=f"edc_lnl_{tag}").set_value("Zeggenschap van de raden")
    at.text_input(key=f"edc_id_{tag}").set_value("zeggenschap")
    button(at, t("edc_apply", "nl")).click()
    run(at)
    labels = column_labels(at)
    assert labels["zeggenschap"] == "Zeggenschap van de raden"
    assert "legitimiteit" not in labels
    assert list(at.data_editor[0].value["zeggenschap"]) == before  # the scores moved along
    assert problems_column(at) == [""] * 6
    assert "niet-opgeslagen wijzigingen" in texts(at)


@pytest.mark.usefixtures("data_dir")
def test_a_new_leaf_is_not_scored_beside_each_option_and_a_deleted_one_is_named():
    at, _, _ = create_g32()
    at.button(key="edc_add_top").click()
    run(at)
    new = cd.leaf_ids(held_criteria(at))[-1]
    assert new not in KERN and new in column_labels(at)
    rows = problems_column(at)
    assert len(rows) == 6
    # Named by its label, as its column is (the grid names criteria, not ids).
    label = column_labels(at)[new]
    assert all(f"heeft geen score voor '{label}'" in r for r in rows), rows
    assert button(at, t("ed_publish", "nl")).proto.disabled
    at.button(key="edc_delete").click()  # the new criterion is the one picked
    run(at)
    assert problems_column(at) == [""] * 6
    # Deleting a scored leaf: its scores stay and are named, until dropped on purpose.
    pick(at, "2")
    at.button(key="edc_delete").click()
    run(at)
    assert "efficientie" not in column_labels(at)
    rows = problems_column(at)
    assert all("criterium 'efficientie' bestaat niet" in r for r in rows), rows
    assert any("'efficientie' (6)" in w for w in warnings(at))
    at.button(key="edc_drop_scores").click()
    run(at)
    assert problems_column(at) == [""] * 6
    options = draft.options(at.session_state[state.DRAFT]["data"])
    assert all("efficientie" not in o["scores"] for o in options)


@pytest.mark.usefixtures("data_dir")
def test_a_scale_whose_min_is_not_below_its_max_is_named_beside_it_and_not_published():
    at, case_id, key = create_g32()
    pick(at, "1")
    tag = tag_of(at, "edc_lnl_")
    at.number_input(key=f"edc_min_{tag}").set_value(5)
    button(at, t("edc_apply", "nl")).click()
    run(at)
    message = "het maximum (5) moet groter zijn dan het minimum (5)"
    assert message in problems_of(at, "bestuurlijke_drukte")
    assert problems_of(at, "legitimiteit") == problems_of(at, "efficientie") == "–"
    assert message in [e.value.replace("\\", "") for e in at.error]  # beside its form
    assert button(at, t("ed_publish", "nl")).proto.disabled
    assert at.button(key="edc_publish").proto.disabled
    held = at.session_state[state.DRAFT]
    with pytest.raises(NotPublishable):  # what the page would send, refused by the library
        library().save(
            case_id,
            key,
            draft.dump(held["data"]),
            criteria_yaml=state.criteria_yaml(held),
            publish=True,
        )
    assert [v.number for v in library().versions(case_id, key)] == [1]
    at.button(key="edc_save").click()  # a draft keeps its problems
    run(at)
    saved = library().latest(case_id, key)
    assert saved.number == 2 and not saved.published
    assert [(p.path, p.code) for p in saved.problems] == [
        ("criteria[1].scale.max", "scale_reversed")
    ]


@pytest.mark.usefixtures("data_dir")
def test_a_saved_set_is_there_after_a_reload_and_version_1_keeps_the_old_one():
    at, case_id, key = create_g32()
    pick(at, "2")
    tag = tag_of(at, "edc_lnl_")
    at.text_input(key=f"edc_lnl_{tag}").set_value("Doelmatigheid")
    at.number_input(key=f"edc_w_{tag}").set_value(3)
    at.radio(key=f"edc_dir_{tag}").set_value("lower_is_better")
    button(at, t("edc_apply", "nl")).click()
    run(at)
    at.text_input(key="edc_note").set_value("eigen criteria")
    at.button(key="edc_save").click()
    run(at)
    assert "Versie 2 opgeslagen om" in texts(at)
    assert "niet-opgeslagen wijzigingen" not in texts(at)
    again = open_page({"case_id": case_id, "key": key})
    assert column_labels(again)["efficientie"] == "Doelmatigheid"
    assert "niet-opgeslagen wijzigingen" not in texts(again)
    saved = library().models(case_id, key)[1].find("efficientie")
    assert (saved.label.nl, saved.default_weight, saved.direction) == (
        "Doelmatigheid",
        3,
        "lower_is_better",
    )
    assert library().latest(case_id, key).note == "eigen criteria"
    first = library().version(case_id, 1, key)
    assert "Doelmatigheid" not in first.criteria_yaml
    old = open_page({"case_id": case_id, "key": key, "version": "1"})
    assert column_labels(old)["efficientie"] == "Efficiëntie en slagvaardigheid"
    assert all(x.proto.disabled for x in old.text_input if x.key and x.key.startswith("edc_"))
    assert not [b for b in old.button if b.key in ("edc_save", "edc_add_top", "edc_delete")]


@pytest.mark.usefixtures("data_dir")
def test_either_save_button_saves_the_case_and_its_edited_criteria_together():
    at, case_id, key = create_g32()
    pick(at, "0")
    tag = tag_of(at, "edc_lnl_")
    at.text_input(key=f"edc_lnl_{tag}").set_value("Zeggenschap")
    button(at, t("edc_apply", "nl")).click()
    run(at)
    assert "niet-opgeslagen wijzigingen" in texts(at)
    button(at, t("ed_save", "nl")).click()  # the Versions tab's save
    run(at)
    saved = library().latest(case_id, key)
    assert saved.number == 2 and "Zeggenschap" in saved.criteria_yaml
    assert column_labels(at)["legitimiteit"] == "Zeggenschap"
    assert "niet-opgeslagen wijzigingen" not in texts(at)
    tag = tag_of(at, "edc_lnl_")
    at.text_input(key=f"edc_lnl_{tag}").set_value("Inspraak")
    button(at, t("edc_apply", "nl")).click()
    run(at)
    at.button(key="edc_save").click()  # the Criteria tab's save
    run(at)
    saved = library().latest(case_id, key)
    assert saved.number == 3 and "Inspraak" in saved.criteria_yaml
    assert "niet-opgeslagen wijzigingen" not in texts(at)


@pytest.mark.usefixtures("data_dir")
def test_a_bundled_set_put_in_place_warns_and_its_scores_become_problems():
    at, case_id, key = create_g32()
    at.selectbox(key="edc_replace_pick").set_value("uitgebreid")
    run(at)
    warned = warnings(at)
    assert any("Let op" in w and "legitimiteit" in w for w in warned), warned
    before = len(library().documents(case_id, key))
    at.button(key="edc_replace").click()
    run(at)
    assert held_criteria(at)["id"] == "uitgebreid"
    assert "sturing_door_raden" in column_labels(at)
    assert all("criterium 'legitimiteit' bestaat niet" in r for r in problems_column(at))
    assert len(library().documents(case_id, key)) >= before
    held = at.session_state[state.DRAFT]
    found = library().check(case_id, key, draft.dump(held["data"]), state.criteria_yaml(held))
    assert found and not [p for p in found if p.file.startswith("criteria/")]  # quotes found


# --------------------------------------------------------------------------- pure operations


def two_levels() -> cd.Data:
    return cd.load(
        """\
id: mini
label: {nl: Mini, en: Mini}
criteria:
  - id: a
    label: {nl: A, en: A}
    criteria:
      - {id: a1, label: {nl: A1, en: A1}, direction: higher_is_better, scale: {min: 1, max: 5}}
      - {id: a2, label: {nl: A2, en: A2}, direction: higher_is_better, scale: {min: 1, max: 5}}
  - {id: b, label: {nl: B, en: B}, direction: lower_is_better, scale: {min: 0, max: 10}}
"""
    )


def test_add_under_a_leaf_makes_it_a_parent_and_deleting_the_last_child_a_leaf_again():
    data = two_levels()
    assert cd.leaf_ids(data) == ["a1", "a2", "b"]
    pos = cd.add(data, "Nieuw b", "New b", parent=1)
    assert pos == (1, 0)
    b = cd.get(data, (1,))
    assert "direction" not in b and "scale" not in b and cd.is_parent(b)
    assert cd.leaf_ids(data) == ["a1", "a2", "nieuw_b"]
    assert cd.model(data) is not None
    cd.delete(data, (1, 0))
    assert not cd.is_parent(cd.get(data, (1,)))
    assert cd.get(data, (1,))["scale"] == {"min": 1, "max": 5}
    assert cd.add(data, "A1", "A1") == (2,)
    assert cd.get(data, (2,))["id"] == "a1_2"  # ids stay unique


def test_move_rename_and_scores_on_criteria_not_in_the_set():
    data = two_levels()
    assert cd.move(data, (0, 0), 1) == (0, 1)
    assert cd.leaf_ids(data) == ["a2", "a1", "b"]
    assert cd.move(data, (0,), -1) == (0,)  # already first
    case = {
        "options": [{"id": "x", "scores": {"a1": {"value": 2}, "b": {"value": 1}, "z": {}}}],
        "conclusion": {"considerations": [{"criterion": "a1"}, {"criterion": "a"}]},
    }
    assert cd.rename(data, case, (0, 1), "Eerste deel!") == "eerste_deel"
    assert list(case["options"][0]["scores"]) == ["eerste_deel", "b", "z"]
    assert case["conclusion"]["considerations"][0]["criterion"] == "eerste_deel"
    assert cd.rename(data, case, (1,), "a2") == "a2_2"  # taken: made unique
    assert cd.stray_scores(case, data) == {"z": 1}
    cd.delete(data, (0, 0))
    assert cd.stray_scores(case, data) == {"z": 1}  # a2 had no score
    cd.delete(data, (0, 0))  # the last child: 'a' is a leaf again
    assert cd.stray_scores(case, data) == {"eerste_deel": 1, "z": 1}
    assert cd.drop_scores(case, data) == 2
    assert case["options"][0]["scores"] == {"a2_2": {"value": 1}}


def test_texts_scale_weight_and_levels_round_trip():
    data = two_levels()
    cd.set_texts(data, (1,), "Kosten", "Costs", "", " ")
    assert "description" not in cd.get(data, (1,))
    cd.set_texts(data, (1,), "Kosten", "Costs", "Wat het kost.", "What it costs.")
    cd.set_scale(data, (1,), "higher_is_better", 1, 3.5)
    cd.set_weight(data, (1,), 2.0)
    rows = [
        {"level": 1, "label": "--", "nl": "Laag", "en": "Low"},
        {"level": 3.0, "label": "", "nl": "Hoog", "en": "High"},
        {"level": None, "label": "x", "nl": "weg", "en": "gone"},
    ]
    cd.set_levels(data, (1,), rows)
    b = cd.get(data, (1,))
    assert list(b) == ["id", "label", "description", "direction", "scale", "default_weight"]
    assert b["scale"] == {
        "min": 1,
        "max": 3.5,
        "labels": {1: "--"},
        "levels": {1: {"nl": "Laag", "en": "Low"}, 3: {"nl": "Hoog", "en": "High"}},
    }
    assert cd.levels(data, (1,)) == [
        {"level": 1, "label": "--", "nl": "Laag", "en": "Low"},
        {"level": 3, "label": "", "nl": "Hoog", "en": "High"},
    ]
    edits = {
        "edited_rows": {"0": {"nl": "Zeer laag"}},
        "added_rows": [{"level": 2, "nl": "Midden", "en": "Middle"}],
        "deleted_rows": [1],
    }
    cd.set_levels(data, (1,), cd.edited_rows(cd.levels(data, (1,)), edits))
    assert [r["level"] for r in cd.levels(data, (1,))] == [1, 2]
    assert cd.levels(data, (1,))[0]["nl"] == "Zeer laag"
    assert cd.load(cd.dump(data)) == data
    model = cd.model(data)
    assert model is not None and model.find("b").scale.levels[2].en == "Middle"  # type: ignore[union-attr]


def test_problems_of_the_set_are_placed_on_their_criterion():
    here = "criteria/mini.yaml"
    problems = [
        Problem(here, "criteria[0].criteria[1].scale.max", "scale_reversed", {"min": 5, "max": 5}),
        Problem(here, "criteria[1].label.nl", "empty_text"),
        Problem(here, "criteria[0].criteria", "zero_weights"),
        Problem(here, "label.en", "empty_text"),
        Problem("scenarios/c.yaml", "options[0].label.nl", "empty_text"),
    ]
    found, rest = cd.by_criterion(problems)
    assert found == {(0, 1): [problems[0]], (1,): [problems[1]], (0,): [problems[2]]}
    assert rest == [problems[3]]
    assert cd.path_of((0, 1)) == "criteria[0].criteria[1]"
    assert cd.pos_of(problems[4]) is None
