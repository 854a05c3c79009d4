"""The facilitator's and the projector's pages through AppTest: create, steer, project, refuse.

Participants join and submit through the store here (their phones use plain
routes, tested in ``test_workshop_phone.py``). Each test points
``AFWEGING_DATA_DIR`` at its own folder before the first run, so each gets a
fresh database.
"""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled
from afweging.markdown import plain
from afweging.matrix import build_matrix, rank
from afweging.weights import leaf_weights
from afweging.workshop import WorkshopStore
from afweging.workshop.group import mean_weights, weight_matrix
from afweging.workshop.store import default_store_path
from afweging_ui.workshop.header import MASK

from .apptest_charts import chart_specs

TIMEOUT = 60
KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")
CONTROL_BUTTONS = ("ws_btn_reveal", "ws_btn_close", "ws_btn_new_round", "ws_btn_reset")


def _workshop_page() -> None:
    from afweging_ui.workshop import page

    page.render()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


def open_page(query: dict[str, str] | None = None, keys: dict[str, str] | None = None) -> AppTest:
    """The workshop page with this address (and facilitator keys held in the session)."""
    at = AppTest.from_function(_workshop_page, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if keys:
        at.session_state["ws_keys"] = dict(keys)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def query(at: AppTest, name: str) -> str | None:
    if name not in at.query_params:
        return None
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def create(
    *, ask_name: bool = False, show_names: bool = False, municipality: bool = False, **choices
) -> tuple[AppTest, str, str]:
    """Create a session through the form; return the page, the code and the key it holds."""
    at = open_page()
    if "case" in choices:
        at.selectbox(key="ws_case").set_value(choices["case"]).run()
    if "set" in choices:
        at.selectbox(key="ws_set").set_value(choices["set"]).run()
    if "method" in choices:
        at.radio(key="ws_method").set_value(choices["method"]).run()
    if ask_name:
        at.checkbox(key="ws_ask_name").check().run()
    if show_names:
        at.checkbox(key="ws_show_names").check().run()
    if municipality:
        at.checkbox(key="ws_ask_municipality").check().run()
    at.button(key="ws_create").click().run()
    assert not at.exception, [e.value for e in at.exception]
    code = query(at, "code")
    assert code is not None
    return at, code, at.session_state["ws_keys"][code]


def store() -> WorkshopStore:
    return WorkshopStore(default_store_path())


def submit(code: str, values: tuple[float, ...], **answers: str) -> str:
    """A participant joins and submits (as the phone route does); their token."""
    s = store()
    _person, token = s.join(code, **answers)
    s.submit(code, token, dict(zip(KERN, map(float, values), strict=True)))
    return token


def frame_with(at: AppTest, column: str):
    frames = [d.value for d in at.dataframe] + [x.value for x in at.table]
    return next(f for f in frames if column in f.columns)


def everything_shown(at: AppTest) -> str:
    """All text the page shows, as one string (to look for what must not be there)."""
    parts = [
        e.value
        for kind in (
            "title",
            "markdown",
            "caption",
            "code",
            "info",
            "success",
            "error",
            "warning",
            "text",
        )
        for e in getattr(at, kind)
    ]
    parts += [str(d.value.to_dict()) for d in at.dataframe] + [
        str(x.value.to_dict()) for x in at.table
    ]
    parts += [str(h.proto) for h in at.get("html")]
    return "\n".join(parts)


# --------------------------------------------------------------------------- the control view


def test_create_shows_code_link_qr_and_keeps_the_key_out_of_the_address(data_dir) -> None:
    at, code, key = create()
    assert len(code) == 6 and len(key) > 30
    assert query(at, "key") is None and query(at, "code") == code
    assert (data_dir / "workshop.sqlite3").exists()
    assert any(code[:3] in t.value and code[3:] in t.value for t in at.title)
    assert any(f"deelnemen?code={code}" in c.value for c in at.code)
    assert len(at.get("image")) == 1  # the QR code, as an image
    assert [m.value for m in at.metric][:2] == ["0", "0"]
    assert any("verborgen" in i.value for i in at.info)
    assert not chart_specs(at)


def test_the_control_link_is_masked_and_the_projector_link_shown(data_dir) -> None:
    at, code, key = create()
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"workshop?code={code}&key={MASK}") for c in codes)
    viewer = store().viewer_key(code, key)
    assert any(c.endswith(f"workshop?code={code}&view={viewer}") for c in codes)
    # The key itself is nowhere on screen; only the copy button's script holds it.
    visible = "\n".join(
        e.value
        for kind in ("title", "markdown", "caption", "code", "info", "text")
        for e in getattr(at, kind)
    )
    assert key not in visible
    copy = [h for h in at.get("html") if "afw-copy" in str(h.proto)]
    assert len(copy) == 1 and key in str(copy[0].proto)


def test_a_control_link_in_the_address_moves_into_the_session(data_dir) -> None:
    _at, code, key = create()
    at = open_page({"code": code, "key": key})
    assert query(at, "key") is None
    assert at.session_state["ws_keys"][code] == key
    assert at.button(key="ws_btn_reveal") is not None


def test_reveal_shows_the_room_equal_to_the_core_and_its_opinion_groups(data_dir, bundle) -> None:
    fac, code, _key = create(case="sra", set="kern")
    given = [(8, 1, 1)] * 6 + [(1, 1, 8)] * 4
    for values in given:
        submit(code, values)
    fac.run()
    assert [m.value for m in fac.metric][:2] == ["10", "10"]
    assert not chart_specs(fac)  # hidden until the reveal
    fac.button(key="ws_btn_reveal").click().run()
    assert not fac.exception, [e.value for e in fac.exception]

    cset, case = bundle.criteria_set("kern"), bundle.case("sra")
    matrix = build_matrix(case, cset)
    mean = mean_weights(
        weight_matrix([dict(zip(KERN, map(float, g), strict=True)) for g in given], KERN)
    )
    expected = rank(matrix, leaf_weights(cset, dict(zip(KERN, mean, strict=True))))
    table = frame_with(fac, "Plaats (gemiddelde gewichten)")
    rows = expected.rows(matrix, "nl")
    assert list(table["Optie"]) == [plain(r["label"]) for r in rows]
    assert list(table["Plaats (gemiddelde gewichten)"]) == [r["rank"] for r in rows]
    shown_scores = [float(x.replace(",", ".")) for x in table["Score (gemiddelde gewichten)"]]
    assert np.allclose(shown_scores, [r["score"] for r in rows], atol=5e-4)
    assert len(chart_specs(fac)) == 5  # ranking, weights, first, acceptability, map
    # The opinion groups: two camps, their sizes, and the option that bridges them.
    assert any(
        m.value == "De zaal valt uiteen in 2 opiniegroepen: A (6), B (4)." for m in fac.markdown
    )
    groups = frame_with(fac, "Opiniegroep")
    assert list(groups["Opiniegroep"]) == ["Groep A", "Groep B"] and list(groups["Aantal"]) == [
        6,
        4,
    ]
    assert any("in elke groep" in s.value for s in fac.success)


def test_second_round_compares_with_the_first(data_dir) -> None:
    fac, code, key = create()
    tokens = [submit(code, v) for v in [(9, 1, 2), (1, 9, 2), (2, 2, 9)]]
    fac.button(key="ws_btn_reveal").click().run()
    fac.button(key="ws_btn_new_round").click().run()
    assert any("Ronde 2" in m.value for m in fac.markdown)
    s = store()
    for token in tokens:
        s.submit(code, token, dict(zip(KERN, (5.0, 4.0, 5.0), strict=True)))
    fac.button(key="ws_btn_reveal").click().run()
    assert not fac.exception, [e.value for e in fac.exception]
    assert any("dichter bij elkaar" in m.value for m in fac.markdown)
    assert frame_with(fac, "Spreiding (IQR) vorige ronde") is not None
    session = s.require_facilitator(code, key)
    assert s.count_submissions(session.id, 1) == 3 and s.count_submissions(session.id, 2) == 3


def test_breakdown_and_names_only_when_asked_and_shown(data_dir) -> None:
    fac, code, _key = create(ask_name=True, show_names=True, municipality=True)
    for name, muni, values in (
        ("<script>alert(1)</script>", "Assen", (9, 1, 1)),
        ("**Bert**", "Emmen", (1, 9, 1)),
        ("Cor", "Assen", (1, 1, 9)),
    ):
        submit(code, values, name=name, municipality=muni)
    fac.button(key="ws_btn_reveal").click().run()
    by_muni = frame_with(fac, "Gemeente")
    counts = dict(zip(by_muni["Gemeente"], by_muni["Aantal"], strict=True))
    assert counts == {"Assen": 2, "Emmen": 1}
    names = frame_with(fac, "Deelnemer")
    assert list(names["Deelnemer"]) == ["<script>alert(1)</script>", "**Bert**", "Cor"]
    assert not any("alert(1)" in m.value for m in fac.markdown)


def test_anonymous_by_default_no_names_anywhere(data_dir) -> None:
    fac, code, _key = create(ask_name=True)  # asked, but not shown
    submit(code, (3, 4, 5), name="Anna de Vries")
    fac.button(key="ws_btn_reveal").click().run()
    assert "Anna" not in everything_shown(fac)


def test_reset_needs_confirmation_and_sets_submissions_aside(data_dir) -> None:
    fac, code, key = create()
    submit(code, (4, 5, 6))
    fac.run()
    assert fac.button(key="ws_btn_reset").disabled
    fac.checkbox(key="ws_reset_confirm").check().run()
    fac.button(key="ws_btn_reset").click().run()
    assert any("apart gezet" in s.value for s in fac.success)
    session = store().require_facilitator(code, key)
    assert store().count_submissions(session.id) == 0
    assert len(store().discarded_submissions(session.id)) == 1


def test_close_and_reopen_from_the_control_view(data_dir) -> None:
    fac, code, key = create()
    fac.button(key="ws_btn_close").click().run()
    assert any("gesloten" in s.value for s in fac.success)
    assert not store().require_facilitator(code, key).is_open
    fac.button(key="ws_btn_close").click().run()
    assert store().require_facilitator(code, key).is_open


# --------------------------------------------------------------------------- the projector view


def test_the_projector_shows_the_picture_and_nothing_to_press(data_dir) -> None:
    fac, code, key = create(ask_name=True, show_names=True)
    viewer = store().viewer_key(code, key)
    for name, values in (("Anna", (8, 1, 1)), ("Bram", (1, 1, 8)), ("Cor", (8, 1, 2))):
        submit(code, values, name=name)
    beamer = open_page({"code": code, "view": viewer})
    assert any(code[:3] in t.value for t in beamer.title)
    assert [m.value for m in beamer.metric][:2] == ["3", "3"]
    assert not [b for b in beamer.button if b.key in CONTROL_BUTTONS]
    assert not beamer.get("download_button") and not beamer.checkbox
    assert key not in everything_shown(beamer) and MASK not in everything_shown(beamer)
    fac.button(key="ws_btn_reveal").click().run()
    beamer.run()
    assert len(chart_specs(beamer)) == 5
    assert frame_with(beamer, "Opiniegroep") is not None
    # Names are for the facilitator's screen only, never the projector.
    assert "Anna" not in everything_shown(beamer)
    assert "Anna" in everything_shown(fac.run())


def test_the_projector_key_does_not_open_the_control_view(data_dir) -> None:
    _fac, code, key = create()
    viewer = store().viewer_key(code, key)
    for attempt in ({"code": code, "key": viewer}, {"code": code, "view": key[:-1]}):
        at = open_page(attempt)
        assert any("niet geldig" in e.value for e in at.error)
        assert not [b for b in at.button if b.key in CONTROL_BUTTONS]
        assert not at.get("download_button") and not at.metric


# --------------------------------------------------------------------------- refusals


def test_wrong_or_missing_key_is_refused_and_shows_nothing(data_dir) -> None:
    _fac, code, key = create()
    guessed = "guess" + key[5:]
    for bad in ({"code": code, "key": guessed}, {"code": code}, {"code": code, "key": ""}):
        at = open_page(bad)
        assert any("niet geldig" in e.value for e in at.error)
        assert not at.metric and not at.get("image") and not at.code
        assert not [b for b in at.button if b.key in CONTROL_BUTTONS]
    at = open_page({"code": "ZZZZZZ"}, keys={"ZZZZZZ": key})
    assert any("niet geldig" in e.value for e in at.error)


def test_language_switch_to_english(data_dir) -> None:
    at = AppTest.from_function(_workshop_page, default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    assert any(t.value == "Start a workshop" for t in at.title)
    assert at.button(key="ws_create").label == "Create session"


def test_the_facilitator_can_delete_the_session_with_all_its_data(data_dir) -> None:
    fac, code, key = create(ask_name=True)
    submit(code, (3, 4, 5), name="Anna de Vries")
    assert fac.button(key="ws_btn_delete").disabled
    fac.checkbox(key="ws_delete_confirm").check().run()
    fac.button(key="ws_btn_delete").click().run()
    assert not fac.exception, [e.value for e in fac.exception]
    assert any("verwijderde inzendingen: 1" in s.value for s in fac.success)
    assert any(t.value == "Workshop starten" for t in fac.title)
    from afweging.workshop import SessionNotFound

    with pytest.raises(SessionNotFound):
        store().get_session_by_code(code)
    assert key not in str(fac.query_params)
