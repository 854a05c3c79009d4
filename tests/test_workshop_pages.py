"""The workshop pages through AppTest: facilitator and participants, and every refusal.

Each test points ``AFWEGING_DATA_DIR`` at its own folder before the first run; the
pages' store is cached per resolved path, so each test gets a fresh database.
"""

from __future__ import annotations

import math
import time
from datetime import timedelta

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from afweging.analysis import build_matrix, rank
from afweging.loading import load_bundled
from afweging.weights import leaf_weights
from afweging.workshop import InvalidSubmission, SessionClosed, WorkshopStore
from afweging.workshop.group import mean_weights, weight_matrix
from afweging.workshop.store import default_store_path
from ui.workshop_model import md_plain

TIMEOUT = 60


def _facilitator_page() -> None:
    from ui.pages import workshop

    workshop.render()


def _participant_page() -> None:
    from ui.pages import join

    join.render()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


def facilitator(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_facilitator_page, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def participant(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_participant_page, default_timeout=TIMEOUT)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def query(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def create(
    *, ask_name: bool = False, show_names: bool = False, municipality: bool = False, **choices
) -> tuple[AppTest, str, str]:
    """Create a session through the form; return the facilitator page, code and key."""
    at = facilitator()
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
    return at, query(at, "code"), query(at, "key")


def join(code: str, **answers: str) -> tuple[AppTest, str]:
    """Join through the participant page; return it and the token from the URL."""
    at = participant({"code": code})
    for field, value in answers.items():
        at.text_input(key=f"ws_join_{field}").input(value)
    at.button(key="ws_join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at, query(at, "p")


def submit_sliders(at: AppTest, values: dict[str, int]) -> AppTest:
    for cid, v in values.items():
        at.slider(key=f"ws_w_{cid}").set_value(v)
    at.run()
    at.button(key="ws_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def store() -> WorkshopStore:
    return WorkshopStore(default_store_path())


def frame_with(at: AppTest, column: str):
    frames = [d.value for d in at.dataframe] + [x.value for x in at.table]
    return next(f for f in frames if column in f.columns)


KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")


# --------------------------------------------------------------------------- happy path


def test_create_shows_code_link_qr_and_keeps_results_hidden(data_dir) -> None:
    at, code, key = create()
    assert len(code) == 6 and len(key) > 30
    assert (data_dir / "workshop.sqlite3").exists()
    assert any(code[:3] in t.value and code[3:] in t.value for t in at.title)
    assert any(f"deelnemen?code={code}" in c.value for c in at.code)
    assert any(f"key={key}" in c.value for c in at.code)  # in the secret expander
    assert len(at.get("image")) == 1  # the QR code, as an image
    assert [m.value for m in at.metric][:2] == ["0", "0"]
    assert any("verborgen" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_join_submit_resubmit_count_and_reveal_equal_the_core(data_dir, bundle) -> None:
    fac, code, _key = create(case="sra", set="kern")
    given = [
        {"legitimiteit": 9, "bestuurlijke_drukte": 2, "efficientie": 4},
        {"legitimiteit": 1, "bestuurlijke_drukte": 8, "efficientie": 6},
        {"legitimiteit": 5, "bestuurlijke_drukte": 5, "efficientie": 10},
    ]
    pages = []
    for values in given:
        page, token = join(code)
        submit_sliders(page, values)
        assert any("Ingestuurd" in s.value for s in page.success)
        pages.append((page, token))

    # resubmission replaces only this participant's own weights
    first_page, first_token = pages[0]
    given[0] = {"legitimiteit": 3, "bestuurlijke_drukte": 3, "efficientie": 9}
    submit_sliders(first_page, given[0])
    s = store()
    session = s.get_session_by_code(code)
    assert s.count_submissions(session.id) == 3
    assert dict(s.my_submission(code, first_token).weights) == {
        k: float(v) for k, v in given[0].items()
    }
    assert dict(s.my_submission(code, pages[1][1]).weights) == {
        k: float(v) for k, v in given[1].items()
    }

    # the participant's own ranking is the core's
    cset, case = bundle.criteria_set("kern"), bundle.case("sra")
    matrix = build_matrix(case, cset)
    own = rank(matrix, leaf_weights(cset, {k: float(v) for k, v in given[0].items()}))
    shown = frame_with(first_page, "Optie")
    assert list(shown["Optie"]) == [md_plain(r["label"]) for r in own.rows(matrix, "nl")]
    assert list(shown["Score"]) == [f"{r['score']:.3f}".replace(".", ",") for r in own.rows(matrix)]

    fac.run()
    assert [m.value for m in fac.metric][:2] == ["3", "3"]
    assert not fac.get("plotly_chart")  # hidden until the reveal
    fac.button(key="ws_btn_reveal").click().run()
    assert not fac.exception, [e.value for e in fac.exception]

    mean = mean_weights(weight_matrix([{k: float(v) for k, v in g.items()} for g in given], KERN))
    expected = rank(matrix, leaf_weights(cset, dict(zip(KERN, mean, strict=True))))
    table = frame_with(fac, "Plaats (gemiddelde gewichten)")
    rows = expected.rows(matrix, "nl")
    assert list(table["Optie"]) == [md_plain(r["label"]) for r in rows]
    assert list(table["Plaats (gemiddelde gewichten)"]) == [r["rank"] for r in rows]
    shown_scores = [float(x.replace(",", ".")) for x in table["Score (gemiddelde gewichten)"]]
    assert np.allclose(shown_scores, [r["score"] for r in rows], atol=5e-4)
    assert len(fac.get("plotly_chart")) == 5  # ranking, weights, first, acceptability, map
    assert any(("overeenstemming" in i.value.lower()) for i in fac.info)

    # after the reveal, participants see the group ranking on the phone too
    first_page.run()
    phone = [d.value for d in first_page.table if list(d.value.columns) == ["Plaats", "Optie"]]
    assert phone and list(phone[0]["Optie"]) == [md_plain(r["label"]) for r in rows]


def test_rank_order_method_on_a_tree_stores_top_level_centroid_weights(data_dir, bundle) -> None:
    _fac, code, _key = create(case="g32", set="uitgebreid", method="rank")
    page, token = join(code)
    ranks = {
        "legitimiteit": 2,
        "bestuurlijke_drukte": 4,
        "efficientie": 1,
        "draagvlak_uitvoerbaarheid": 3,
    }
    for cid, r in ranks.items():
        page.selectbox(key=f"ws_r_{cid}").set_value(r)
    page.run()
    page.button(key="ws_submit").click().run()
    stored = dict(store().my_submission(code, token).weights)
    assert set(stored) == set(ranks)
    assert max(stored, key=stored.get) == "efficientie"
    assert math.isclose(sum(stored.values()), 1.0)
    cset = bundle.criteria_set("uitgebreid")
    matrix = build_matrix(bundle.case("g32"), cset)
    own = rank(matrix, leaf_weights(cset, stored))
    labels = [md_plain(r["label"]) for r in own.rows(matrix, "nl")]
    assert list(frame_with(page, "Optie")["Optie"]) == labels


def test_token_in_the_url_keeps_identity_after_reload(data_dir) -> None:
    _fac, code, _key = create()
    page, token = join(code)
    submit_sliders(page, {"legitimiteit": 7, "bestuurlijke_drukte": 1, "efficientie": 3})
    reloaded = participant({"code": code, "p": token})  # a phone that slept
    assert reloaded.slider(key="ws_w_legitimiteit").value == 7
    assert reloaded.slider(key="ws_w_bestuurlijke_drukte").value == 1
    assert any("Laatst ingestuurd" in c.value for c in reloaded.caption)


def test_second_round_compares_with_the_first(data_dir) -> None:
    fac, code, _key = create()
    people = [join(code) for _ in range(3)]
    first = [(9, 1, 2), (1, 9, 2), (2, 2, 9)]
    for (page, _), values in zip(people, first, strict=True):
        submit_sliders(page, dict(zip(KERN, values, strict=True)))
    fac.button(key="ws_btn_reveal").click().run()
    fac.button(key="ws_btn_new_round").click().run()
    assert "Ronde 2" in fac.markdown[0].value or any("Ronde 2" in m.value for m in fac.markdown)
    for page, _ in people:
        page.run()
        submit_sliders(page, dict(zip(KERN, (5, 4, 5), strict=True)))
    fac.button(key="ws_btn_reveal").click().run()
    assert not fac.exception, [e.value for e in fac.exception]
    assert any("dichter bij elkaar" in m.value for m in fac.markdown)
    assert frame_with(fac, "Spreiding (IQR) vorige ronde") is not None
    s = store()
    session = s.get_session_by_code(code)
    assert s.count_submissions(session.id, 1) == 3 and s.count_submissions(session.id, 2) == 3


def test_breakdown_and_names_only_when_asked_and_shown(data_dir) -> None:
    fac, code, _key = create(ask_name=True, show_names=True, municipality=True)
    for name, muni, values in (
        ("<script>alert(1)</script>", "Assen", (9, 1, 1)),
        ("**Bert**", "Emmen", (1, 9, 1)),
        ("Cor", "Assen", (1, 1, 9)),
    ):
        page, _ = join(code, name=name, municipality=muni)
        # the participant's own name is shown as plain text
        assert any(name in t.value for t in page.text)
        assert not any(name in m.value for m in page.markdown)
        submit_sliders(page, dict(zip(KERN, values, strict=True)))
    fac.button(key="ws_btn_reveal").click().run()
    by_muni = frame_with(fac, "Gemeente")
    counts = dict(zip(by_muni["Gemeente"], by_muni["Aantal"], strict=True))
    assert counts == {"Assen": 2, "Emmen": 1}
    names = frame_with(fac, "Deelnemer")
    assert list(names["Deelnemer"]) == ["<script>alert(1)</script>", "**Bert**", "Cor"]
    assert not any("alert(1)" in m.value for m in fac.markdown)


def test_anonymous_by_default_no_names_anywhere(data_dir) -> None:
    fac, code, _key = create(ask_name=True)  # asked, but not shown
    page, _ = join(code, name="Anna de Vries")
    submit_sliders(page, dict(zip(KERN, (3, 4, 5), strict=True)))
    fac.button(key="ws_btn_reveal").click().run()
    assert not any("Deelnemer" in d.value.columns for d in fac.dataframe)
    shown = [str(d.value.to_dict()) for d in fac.dataframe] + [m.value for m in fac.markdown]
    assert not any("Anna" in s for s in shown)
    s = store()
    csv_text = s.export_submissions_csv(code, query(fac, "key"))
    assert "Anna" not in csv_text and "Deelnemer 1" in csv_text


# --------------------------------------------------------------------------- refusals


def test_wrong_or_missing_key_is_refused_and_shows_nothing(data_dir) -> None:
    _fac, code, key = create()
    guessed = "guess" + key[5:]
    for bad in ({"code": code, "key": guessed}, {"code": code}, {"code": code, "key": ""}):
        at = facilitator(bad)
        assert any("niet geldig" in e.value for e in at.error)
        assert not at.metric and not at.get("image") and not at.code
        assert not [b for b in at.button if b.key and b.key.startswith("ws_btn_")]
    at = facilitator({"code": "ZZZZZZ", "key": key})
    assert any("niet geldig" in e.value for e in at.error)


def test_unknown_code_gets_a_clear_message(data_dir) -> None:
    at = participant({"code": "QQQQQQ"})
    assert any("geen sessie met deze code" in e.value for e in at.error)
    at = participant({"code": "<img src=x>"})
    assert any("geen sessie met deze code" in e.value for e in at.error)
    at = participant()
    at.text_input(key="ws_code_input").input("abc-def")
    at.button(key="ws_code_go").click().run()
    assert any("geen sessie met deze code" in e.value for e in at.error)


def test_codes_cannot_be_guessed_in_bulk(data_dir) -> None:
    _fac, code, _key = create()
    for i in range(20):
        at = participant({"code": f"QQQQ{i:02d}"})
        assert any("geen sessie met deze code" in e.value for e in at.error)
    # The 21st attempt from this connection is refused, even with the right code.
    at = participant({"code": code})
    assert any("Te veel onjuiste codes" in e.value for e in at.error)
    assert not at.slider and not at.text_input


def test_typed_code_is_normalised(data_dir) -> None:
    _fac, code, _key = create()
    at = participant()
    at.text_input(key="ws_code_input").input(f"{code[:3].lower()} {code[3:].lower()}")
    at.button(key="ws_code_go").click().run()
    assert query(at, "code") == code
    assert at.button(key="ws_join") is not None


def test_closed_session_refuses_joins_and_submissions(data_dir) -> None:
    fac, code, _key = create()
    page, token = join(code)
    fac.button(key="ws_btn_close").click().run()
    assert any("gesloten" in s.value for s in fac.success)
    # a new visitor cannot join
    at = participant({"code": code})
    assert any("gesloten" in e.value for e in at.error)
    # a participant can no longer submit: the button is off and a forced request is refused
    page.run()
    assert any("gesloten" in w.value for w in page.warning)
    assert page.button(key="ws_submit").disabled
    with pytest.raises(SessionClosed):
        store().submit(code, token, dict.fromkeys(KERN, 1.0))
    from ui.pages import join as join_page

    ok, message = join_page.submit_weights(code, token, dict.fromkeys(KERN, 1.0), "nl")
    assert not ok and "gesloten" in message
    session = store().get_session_by_code(code)
    assert store().count_submissions(session.id) == 0
    # reopen: submissions are accepted again
    fac.button(key="ws_btn_close").click().run()
    page.run()
    submit_sliders(page, dict(zip(KERN, (1, 2, 3), strict=True)))
    assert store().count_submissions(session.id) == 1


def test_expired_session_gets_a_clear_message(data_dir) -> None:
    s = store()
    session, _key = s.create_session(
        "sra", "kern", ["sra-huidig", "sra-verbreed"], KERN, ttl=timedelta(milliseconds=200)
    )
    _p, token = s.join(session.code)
    time.sleep(0.3)
    at = participant({"code": session.code})
    assert any("verlopen" in e.value for e in at.error)
    at = participant({"code": session.code, "p": token})
    assert any("verlopen" in w.value for w in at.warning)
    assert at.button(key="ws_submit").disabled


def test_oversize_and_control_character_names_are_refused(data_dir) -> None:
    _fac, code, _key = create(ask_name=True)
    at = participant({"code": code})
    at.text_input(key="ws_join_name").input("x" * 81)
    at.button(key="ws_join").click().run()
    assert any("hooguit 80 tekens" in e.value for e in at.error)
    assert "p" not in at.query_params
    at.text_input(key="ws_join_name").input("Anna\u202eevil")
    at.button(key="ws_join").click().run()
    assert any("besturingstekens" in e.value for e in at.error)
    session = store().get_session_by_code(code)
    assert store().count_participants(session.id) == 0


def test_a_token_from_elsewhere_is_refused(data_dir) -> None:
    _fac, code, _key = create()
    _fac2, other_code, _key2 = create()
    _page, other_token = join(other_code)
    at = participant({"code": code, "p": other_token})
    assert any("hoort niet bij deze sessie" in e.value for e in at.error)
    at = participant({"code": code, "p": "forged-token"})
    assert any("hoort niet bij deze sessie" in e.value for e in at.error)
    assert not at.slider


@pytest.mark.parametrize(
    "weights",
    [
        {"legitimiteit": math.nan, "bestuurlijke_drukte": 1.0, "efficientie": 1.0},
        {"legitimiteit": -1.0, "bestuurlijke_drukte": 1.0, "efficientie": 1.0},
        {"legitimiteit": math.inf, "bestuurlijke_drukte": 1.0, "efficientie": 1.0},
        {"legitimiteit": 1.0, "bestuurlijke_drukte": 1.0, "efficientie": 1.0, "kosten": 1.0},
        {"legitimiteit": 1.0, "bestuurlijke_drukte": 1.0},
        {"legitimiteit": 0.0, "bestuurlijke_drukte": 0.0, "efficientie": 0.0},
        {"legitimiteit": "1", "bestuurlijke_drukte": 1.0, "efficientie": 1.0},
    ],
    ids=["nan", "negative", "inf", "unknown", "missing", "all-zero", "text"],
)
def test_tampered_weights_are_refused_and_nothing_is_stored(data_dir, weights) -> None:
    _fac, code, _key = create()
    _page, token = join(code)
    with pytest.raises(InvalidSubmission):
        store().submit(code, token, weights)
    from ui.pages import join as join_page

    ok, message = join_page.submit_weights(code, token, weights, "nl")
    assert not ok and "geweigerd" in message and "niets opgeslagen" in message
    session = store().get_session_by_code(code)
    assert store().count_submissions(session.id) == 0


def test_reset_needs_confirmation_and_sets_submissions_aside(data_dir) -> None:
    fac, code, _key = create()
    page, _ = join(code)
    submit_sliders(page, dict(zip(KERN, (4, 5, 6), strict=True)))
    fac.run()
    assert fac.button(key="ws_btn_reset").disabled
    fac.checkbox(key="ws_reset_confirm").check().run()
    fac.button(key="ws_btn_reset").click().run()
    assert any("apart gezet" in s.value for s in fac.success)
    session = store().get_session_by_code(code)
    assert store().count_submissions(session.id) == 0
    assert len(store().discarded_submissions(session.id)) == 1


def test_language_switch_to_english(data_dir) -> None:
    at = AppTest.from_function(_facilitator_page, default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    assert any(t.value == "Start a workshop" for t in at.title)
    assert at.button(key="ws_create").label == "Create session"


# --------------------------------------------------------------------------- exports


def _picture(bundle, case: str = "sra", cset: str = "kern"):
    from ui.workshop_model import group_picture, weighable_criteria

    matrix = build_matrix(bundle.case(case), bundle.criteria_set(cset))
    ids = [c.id for c in weighable_criteria(matrix.criteria_set)]
    rng = np.random.default_rng(7)
    weights = [
        dict(zip(ids, map(float, rng.integers(0, 11, len(ids)) + 1), strict=True)) for _ in range(9)
    ]
    return matrix, ids, weights, group_picture(matrix, weights)


@pytest.mark.parametrize(("case", "cset"), [("sra", "kern"), ("g32", "uitgebreid")])
def test_group_picture_equals_the_core_for_flat_and_tree_sets(bundle, case, cset) -> None:
    from afweging.scoring import competition_ranks, overall_scores

    matrix, ids, weights, picture = _picture(bundle, case, cset)
    mean = mean_weights(weight_matrix(weights, ids))
    expected = rank(matrix, leaf_weights(matrix.criteria_set, dict(zip(ids, mean, strict=True))))
    assert np.allclose(picture.mean_ranking.scores, expected.scores)
    # each participant's ranking on the top-level values is the core's leaf-level ranking
    for w, ranks in zip(weights, picture.summary.ranks, strict=True):
        core = rank(matrix, leaf_weights(matrix.criteria_set, w))
        assert list(ranks) == list(core.ranks)
    # rank acceptability over the participants' vectors: shares of the room per rank
    assert np.allclose(picture.acceptability.sum(axis=1), 1.0)
    firsts = competition_ranks(overall_scores(picture.values, picture.summary.weights)) == 1
    assert np.allclose(picture.acceptability[:, 0] * len(weights), firsts.sum(axis=0)) or (
        picture.summary.first_counts.sum() > len(weights)  # ties split fractionally
    )


def test_group_csv_reads_back_to_the_core_numbers(bundle) -> None:
    import csv
    import io

    from ui.workshop_model import group_csv

    matrix, ids, _weights, picture = _picture(bundle)
    rows = list(csv.DictReader(io.StringIO(group_csv(picture, "nl", {}))))
    means = {r["id"]: float(r["value"]) for r in rows if r["measure"] == "mean"}
    assert means == pytest.approx(dict(zip(ids, picture.summary.mean_weights, strict=True)))
    ranks = {r["id"]: int(r["value"]) for r in rows if r["measure"] == "rank_mean_weights"}
    assert ranks == dict(zip(matrix.option_ids, map(int, picture.mean_ranking.ranks), strict=True))
    w = next(r for r in rows if r["measure"] == "W")
    assert float(w["value"]) == pytest.approx(picture.summary.kendall_w)


def test_session_report_is_self_contained_escaped_and_has_the_workshop_section(bundle) -> None:
    from datetime import date

    from ui.i18n import t
    from ui.workshop_model import session_report

    _matrix, _ids, _weights, picture = _picture(bundle)
    labels = {"sra-huidig": "<script>x</script>"}
    report = session_report(
        picture,
        lambda k: t(k, "nl"),
        lang="nl",
        version="v1",
        day=date(2026, 11, 26),
        code="ABCDEF",
        round_no=1,
        labels=labels,
    )
    assert report.startswith("<!DOCTYPE html>")
    assert 'id="workshop"' in report and "Sessie ABCDEF · ronde 1 · 9 inzendingen" in report
    assert "<script>x</script>" not in report and "&lt;script&gt;x&lt;/script&gt;" in report
    assert "overeenstemming" in report.lower()


def test_figures_build_for_a_tree_set_with_a_previous_round(bundle) -> None:
    from datetime import date

    from ui import workshop_charts as charts
    from ui.style import MemoContext

    _matrix, _ids, _weights, picture = _picture(bundle, "g32", "uitgebreid")
    memo = MemoContext("c", "s", {"a": 1.0}, "v", date(2026, 11, 26), "nl")

    def tr(k: str) -> str:
        return k

    before = picture.summary.weights[::-1]
    fig = charts.weights_figure(picture, {}, memo, "w", tr, before=before)
    assert len(fig.data) == 2 and fig.layout.paper_bgcolor == "white"
    assert len(charts.ranking_figure(picture, {}, memo, "r", tr).data) == 2
    assert charts.first_place_figure(picture, {}, memo, "f", tr).data[0].x.sum() >= 9
    assert charts.acceptability_figure(picture, {}, memo, "a", tr).data[0].z.shape == (6, 6)
    fig = charts.map_figure(picture, [0, 2, 3], {}, memo, "m", tr)
    points = [d for d in fig.data if (d.meta or {}).get("role") == "points"]
    assert len(points) == 1 and len(points[0].a) == 9
