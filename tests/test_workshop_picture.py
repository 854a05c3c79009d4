"""The room's picture, its opinion groups, and the files a facilitator takes home.

Every number is checked against the core (ranking with leaf weights) or read
back from the written file; the spreadsheet files are opened the way a Dutch
Excel splits them.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from afweging import spreadsheet
from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank
from afweging.report import ReportOptions
from afweging.weights import leaf_weights
from afweging.workshop import Participant, Session, Submission
from afweging.workshop.exports import group_csv, submissions_csv
from afweging.workshop.group import mean_weights, weight_matrix
from afweging.workshop.picture import group_picture, weighable_criteria
from afweging.workshop.report import session_report
from afweging.workshop.sentences import bridge_sentence, groups_sentence
from afweging_ui.i18n import t

FORMULA = ("=", "+", "-", "@")


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


def tr_nl(key: str) -> str:
    return t(key, "nl")


def _picture(bundle, case="sra", cset="kern", n=9, seed=7):
    matrix = build_matrix(bundle.case(case), bundle.criteria_set(cset))
    ids = [c.id for c in weighable_criteria(matrix.criteria_set)]
    rng = np.random.default_rng(seed)
    weights = [
        dict(zip(ids, map(float, rng.integers(0, 11, len(ids)) + 1), strict=True)) for _ in range(n)
    ]
    return matrix, ids, weights, group_picture(matrix, weights)


def two_camps(ids: list[str], sizes=(12, 8)) -> list[dict[str, float]]:
    """A room with two clear camps over three criteria: legitimacy first, or efficiency first."""
    camp_a = [dict(zip(ids, (8.0, 1.0, 1.0 + (i % 2)), strict=True)) for i in range(sizes[0])]
    camp_b = [dict(zip(ids, (1.0 + (i % 2), 1.0, 8.0), strict=True)) for i in range(sizes[1])]
    return camp_a + camp_b


# --------------------------------------------------------------------------- picture


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
    assert np.allclose(picture.acceptability.sum(axis=1), 1.0)
    firsts = competition_ranks(overall_scores(picture.values, picture.summary.weights)) == 1
    assert np.allclose(picture.acceptability[:, 0] * len(weights), firsts.sum(axis=0)) or (
        picture.summary.first_counts.sum() > len(weights)  # ties split fractionally
    )


def test_two_camps_give_two_groups_whose_rankings_are_the_core_rankings(bundle) -> None:
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ids = [c.id for c in matrix.criteria_set.criteria]
    picture = group_picture(matrix, two_camps(ids))
    assert picture.groups.n_groups == 2
    assert list(picture.groups.sizes) == [12, 8]
    assert [picture.group_of(i) for i in range(20)] == [0] * 12 + [1] * 8
    for k in range(2):
        mean = dict(zip(ids, picture.groups.mean_weights[k], strict=True))
        core = rank(matrix, leaf_weights(matrix.criteria_set, mean))
        assert list(picture.group_ranks[k]) == list(core.ranks)
        assert np.allclose(picture.group_scores[k], core.scores)
    worst = picture.group_ranks.max(axis=0)
    assert picture.bridge.worst_rank == worst.min()
    assert all(worst[i] == worst.min() for i in picture.bridge.options)


def test_group_and_bridge_sentences_say_what_the_numbers_say(bundle) -> None:
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ids = [c.id for c in matrix.criteria_set.criteria]
    picture = group_picture(matrix, two_camps(ids))
    labels = {o.id: o.label.get("nl") for o in matrix.options}
    assert (
        groups_sentence(picture, tr_nl) == "De zaal valt uiteen in 2 opiniegroepen: A (12), B (8)."
    )
    sentence = bridge_sentence(picture, tr_nl, labels)
    bridge = labels[matrix.option_ids[picture.bridge.options[0]]]
    ordinal = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde"}[picture.bridge.worst_rank]
    if picture.bridge.worst_rank == 1:
        assert sentence == f"{bridge} staat in elke groep eerste."
    else:
        assert sentence == f"{bridge} staat in elke groep minstens {ordinal}."
    agree = group_picture(matrix, [dict(zip(ids, (5.0, 3.0, 2.0), strict=True))] * 10)
    assert agree.groups.n_groups == 1
    assert groups_sentence(agree, tr_nl).startswith("De zaal vormt één groep")


# --------------------------------------------------------------------------- spreadsheet files


def test_defuse_stops_formulas_at_the_start_and_after_any_separator() -> None:
    assert spreadsheet.defuse("=1+2") == "'=1+2"
    assert spreadsheet.defuse("Assen;=cmd|' /C calc'!A0") == "Assen;'=cmd|' /C calc'!A0"
    assert spreadsheet.defuse("a,+b\t@c;-d") == "a,'+b\t'@c;'-d"
    assert spreadsheet.defuse("Den Haag, wethouder") == "Den Haag, wethouder"
    assert spreadsheet.defuse("3-2") == "3-2"


def test_numbers_follow_the_language_and_lose_nothing() -> None:
    assert spreadsheet.number(0.7000000000000001, "nl") == "0,7000000000000001"
    assert spreadsheet.number(0.25, "en") == "0.25"
    assert spreadsheet.number(2.0, "nl") == "2"
    assert spreadsheet.number(1e-7, "nl") == "0,0000001"
    assert spreadsheet.number(float("nan"), "nl") == ""
    assert spreadsheet.parse_number(spreadsheet.number(1 / 3, "nl"), "nl") == 1 / 3


def _naive_excel_cells(data: bytes) -> list[str]:
    """Split every line on ; , and tab, ignoring quotes: the worst an Excel could do."""
    text = data.decode("utf-8-sig")
    return [
        part.strip().strip('"') for line in text.splitlines() for part in re.split("[;,\t]", line)
    ]


def _session(show_names: bool) -> Session:
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    return Session(
        id=1, code="ABC234", case_id="sra", criteria_set_id="kern", option_ids=("a", "b"),
        weighable_ids=("legitimiteit", "bestuurlijke_drukte", "efficientie"),
        weight_method="sliders", ask_name=True, ask_municipality=True, ask_role=True,
        show_names=show_names, is_open=True, current_round=1, revealed=True,
        created_at=now, expires_at=now + timedelta(hours=24),
    )  # fmt: skip


def _people_and_submissions() -> tuple[dict[int, Participant], list[Submission]]:
    when = datetime(2026, 11, 30, 9, 5, 7, tzinfo=UTC)
    hostile = [
        ('=HYPERLINK("http://evil","klik")', "Assen;=cmd|' /C calc'!A0", "@SUM(A1)"),
        ("-2+3", "Emmen,+31", "wethouder\t=1"),
        ("Anna", "Den Haag", "raadslid"),
        ("Bram", "Zwolle", "raadslid"),
    ]
    people = {
        i + 1: Participant(i + 1, 1, i + 1, name, town, role, when)
        for i, (name, town, role) in enumerate(hostile)
    }
    weights = [(8, 1, 1), (8, 1, 2), (1, 1, 8), (2, 1, 8)]
    subs = [
        Submission(1, 1, pid, dict(zip(_session(False).weighable_ids, w, strict=True)), when)
        for pid, w in zip(people, weights, strict=True)
    ]
    return people, subs


def test_submissions_csv_opens_in_a_dutch_excel_without_any_formula() -> None:
    people, subs = _people_and_submissions()
    data = submissions_csv(_session(True), people, subs, tr_nl, "nl")
    assert data.startswith(spreadsheet.BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == [
        "Deelnemer", "Gemeente", "Rol", "Ronde", "Ingestuurd om", "Opiniegroep",
    ]  # fmt: skip
    assert len(rows) == 5 and all(len(r) == 9 for r in rows)
    assert rows[1][1] == "Assen;'=cmd|' /C calc'!A0"  # one cell, defused after the ;
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[2][2] == "wethouder\t'=1"
    assert rows[1][4] == "2026-11-30 10:05:07"  # Amsterdam time
    assert rows[1][6:] == ["8", "1", "1"]
    # Every field is quoted, so ; inside a field never splits it...
    for line in data.decode("utf-8-sig").splitlines():
        assert line.startswith('"') and line.endswith('"')
    # ...and even split naively on ; , or tab, no piece starts a formula.
    assert not [p for p in _naive_excel_cells(data) if p.startswith(FORMULA)]


def test_submissions_csv_is_anonymous_unless_names_are_shown_and_names_the_groups() -> None:
    people, subs = _people_and_submissions()
    hidden = submissions_csv(_session(False), people, subs, tr_nl, "nl").decode("utf-8-sig")
    assert "Anna" not in hidden and "Deelnemer 3" in hidden
    rows = list(csv.reader(io.StringIO(hidden), delimiter=";"))
    # Two camps (legitimacy first, efficiency first): two groups, in the order of size.
    assert [r[5] for r in rows[1:]] == ["A", "A", "B", "B"]
    english = submissions_csv(_session(True), people, subs, lambda k: t(k, "en"), "en")
    rows_en = list(csv.reader(io.StringIO(english.decode("utf-8-sig")), delimiter=","))
    assert rows_en[0][0] == "Participant" and rows_en[3][0] == "Anna"


def test_group_csv_reads_back_to_the_core_numbers_and_the_groups(bundle) -> None:
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ids = [c.id for c in matrix.criteria_set.criteria]
    picture = group_picture(matrix, two_camps(ids))
    data = group_csv(picture, tr_nl, "nl", {})
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))

    def number(row: dict[str, str]) -> float:
        return spreadsheet.parse_number(row["value"], "nl")

    means = {r["id"]: number(r) for r in rows if r["table"] == "weights" and r["measure"] == "mean"}
    assert means == pytest.approx(dict(zip(ids, picture.summary.mean_weights, strict=True)))
    ranks = {r["id"]: int(r["value"]) for r in rows if r["measure"] == "rank_mean_weights"}
    assert ranks == dict(zip(matrix.option_ids, map(int, picture.mean_ranking.ranks), strict=True))
    sizes = {
        r["id"]: int(r["value"]) for r in rows if r["table"] == "groups" and r["measure"] == "size"
    }
    assert sizes == {"A": 12, "B": 8}
    group_ranks = {
        (r["id"], r["measure"][5:]): int(r["value"])
        for r in rows
        if r["table"] == "groups" and r["measure"].startswith("rank:")
    }
    for k, letter in enumerate("AB"):
        for i, oid in enumerate(matrix.option_ids):
            assert group_ranks[(letter, oid)] == picture.group_ranks[k, i]
    bridge = [r["id"] for r in rows if r["table"] == "bridge" and r["measure"] == "worst_rank"]
    assert bridge == [matrix.option_ids[i] for i in picture.bridge.options]


# --------------------------------------------------------------------------- report and figures


def test_session_report_is_self_contained_escaped_and_shows_the_groups(bundle) -> None:
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ids = [c.id for c in matrix.criteria_set.criteria]
    picture = group_picture(matrix, two_camps(ids))
    labels = {"sra-huidig": "<script>x</script>"}
    options = ReportOptions(lang="nl", version="v1", day=date(2026, 11, 26))
    report = session_report(picture, tr_nl, options, code="ABCDEF", round_no=1, labels=labels)
    assert report.startswith("<!DOCTYPE html>")
    assert 'id="workshop"' in report and "Sessie ABCDEF · ronde 1 · 20 inzendingen" in report
    assert "<script>x</script>" not in report and "&lt;script&gt;x&lt;/script&gt;" in report
    assert "Opiniegroepen" in report and "De zaal valt uiteen in 2 opiniegroepen" in report
    assert "Groep A" in report and "Groep B" in report


def test_figures_build_for_a_tree_set_with_a_previous_round(bundle) -> None:
    from afweging_ui.style import MemoContext
    from afweging_ui.workshop import charts

    _matrix, _ids, _weights, picture = _picture(bundle, "g32", "uitgebreid")
    memo = MemoContext("c", "s", {"a": 1.0}, "v", date(2026, 11, 26), "nl")

    def tr(k: str) -> str:
        return t(k, "nl")

    before = picture.summary.weights[::-1]
    fig = charts.weights_figure(picture, {}, memo, "w", tr, before=before)
    assert len(fig.data) == 2 and fig.layout.paper_bgcolor == "white"
    assert len(charts.ranking_figure(picture, {}, memo, "r", tr).data) == 2
    assert charts.first_place_figure(picture, {}, memo, "f", tr).data[0].x.sum() >= 9
    assert charts.acceptability_figure(picture, {}, memo, "a", tr).data[0].z.shape == (6, 6)
    fig = charts.map_figure(picture, [0, 2, 3], {}, memo, "m", tr)
    points = [d for d in fig.data if (d.meta or {}).get("role") == "points"]
    assert sum(len(p.a) for p in points) == 9


def test_the_map_colours_each_opinion_group(bundle) -> None:
    from afweging_ui.style import MemoContext
    from afweging_ui.workshop import charts

    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ids = [c.id for c in matrix.criteria_set.criteria]
    picture = group_picture(matrix, two_camps(ids))
    memo = MemoContext("c", "s", {"a": 1.0}, "v", date(2026, 11, 26), "nl")
    fig = charts.map_figure(picture, [0, 1, 2], {}, memo, "m", tr_nl)
    points = [d for d in fig.data if (d.meta or {}).get("role") == "points"]
    assert [p.name for p in points] == ["Groep A", "Groep B"]
    assert [len(p.a) for p in points] == [12, 8]
    assert points[0].marker.color != points[1].marker.color
    assert points[0].marker.symbol != points[1].marker.symbol


def test_the_stated_rule_matches_the_code() -> None:
    import inspect

    from afweging.workshop.opinion_groups import find_groups

    defaults = inspect.signature(find_groups).parameters
    silhouette = defaults["min_silhouette"].default
    difference = defaults["min_difference"].default
    assert f"minstens {str(silhouette).replace('.', ',')} is" in t("ws_groups_rule", "nl")
    assert f"at least {silhouette}," in t("ws_groups_rule", "en")
    assert f"minstens {round(100 * difference)} procentpunt" in t("ws_groups_rule", "nl")


def test_random_rooms_are_not_split_and_noisy_camps_are_found() -> None:
    from afweging.workshop.opinion_groups import find_groups

    noise = [
        find_groups(np.random.default_rng(s).dirichlet((1, 1, 1), size=100)) for s in range(300)
    ]
    assert sum(g.n_groups > 1 for g in noise) == 0
    found = 0
    for s in range(50):
        rng = np.random.default_rng(1000 + s)
        a = rng.dirichlet(np.array([0.6, 0.25, 0.15]) * 20, size=60)
        b = rng.dirichlet(np.array([0.15, 0.25, 0.6]) * 20, size=40)
        groups = find_groups(np.vstack([a, b]))
        found += groups.n_groups == 2 and abs(int(groups.sizes[0]) - 60) <= 6
    assert found >= 48
