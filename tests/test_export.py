"""Downloads: CSV and YAML read back to the numbers the core computed; the HTML report
is self-contained, escaped, printable on A4 and in both languages."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import itertools
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import yaml

from afweging import export, spreadsheet
from afweging.loading import load
from afweging.matrix import Matrix, Ranking, build_matrix, rank_with
from afweging.model import Lang, Text
from afweging.sources import SourceLibrary, collapse
from afweging_ui import i18n

DAY = date(2026, 11, 26)
EVIL = "<script>alert(1)</script>"


def _load(paths: tuple[Path, Path]) -> tuple[Matrix, str]:
    bundle, problems = load(list(paths))
    assert not problems, problems
    return build_matrix(bundle.cases[0], bundle.criteria_sets[0]), bundle.version


def _t(lang: Lang):
    return lambda key: i18n.t(key, lang)


def _report(matrix: Matrix, ranking: Ranking, lang: Lang = "nl", **kwargs) -> str:
    options = export.ReportOptions(lang=lang, version="abc123def456", day=DAY, **kwargs)
    return export.html_report(matrix, ranking, _t(lang), options)


def _relabel(matrix: Matrix, option_id: str, label: Text, rationale: str | None = None) -> Matrix:
    """The same case with one option's label (and a rationale) replaced, as an upload could."""
    options = []
    for o in matrix.case.options:
        if o.id == option_id:
            scores = dict(o.scores)
            if rationale is not None:
                first = next(iter(scores))
                scores[first] = scores[first].model_copy(
                    update={"rationale": Text(nl=rationale, en=rationale)}
                )
            o = o.model_copy(update={"label": label, "scores": scores})
        options.append(o)
    case = matrix.case.model_copy(update={"options": options})
    return build_matrix(case, matrix.criteria_set)


class _Tags(HTMLParser):
    """Start tags with their attributes, h2 texts and script bodies (scripts are not parsed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.h2: list[str] = []
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h2", "script"):
            self._in = tag
            (self.h2 if tag == "h2" else self.scripts).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h2":
            self.h2[-1] += data
        elif self._in == "script":
            self.scripts[-1] += data


def _parse(doc: str) -> _Tags:
    parser = _Tags()
    parser.feed(doc)
    parser.close()
    return parser


@pytest.fixture
def flat(flat_paths) -> tuple[Matrix, Ranking, str]:
    matrix, version = _load(flat_paths)
    return matrix, rank_with(matrix), version


@pytest.fixture
def tree(tree_paths) -> tuple[Matrix, Ranking, str]:
    matrix, version = _load(tree_paths)
    return matrix, rank_with(matrix), version


# --- CSV ---------------------------------------------------------------------------------


def _machine(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_scores_csv_machine_reads_back_to_the_core_numbers(flat) -> None:
    matrix, ranking, _ = flat
    text = export.scores_csv_machine(matrix, ranking, "nl")
    assert not text.startswith(spreadsheet.BOM)  # for software: no byte order mark
    df = _machine(text)
    assert list(df["id"]) == ["a", "b", "c"]  # best first: hand-checked below
    assert list(df["rank"]) == [1, 2, 3]
    assert list(df["label"]) == ["Optie A", "Optie B", "Optie C"]
    # Option A: 0.5 * 1 + 0.25 * (5 - 4) / 4 + 0.25 * 5 / 10, computed by hand.
    assert df.loc[0, "score"] == pytest.approx(0.6875, abs=1e-12)
    for _, row in df.iterrows():
        r, i = ranking.option_ids.index(row["id"]), matrix.option_ids.index(row["id"])
        assert row["score"] == ranking.scores[r]  # full precision: exactly the core's float
        total = 0.0
        for j, cid in enumerate(matrix.criterion_ids):
            assert row[f"{cid}_value"] == matrix.raw[i, j]
            assert row[f"{cid}_low"] == matrix.raw_lo[i, j]
            assert row[f"{cid}_high"] == matrix.raw_hi[i, j]
            assert row[f"{cid}_weight"] == ranking.weights[j]
            assert row[f"{cid}_contribution"] == ranking.contributions[r, j]
            total += row[f"{cid}_contribution"]
        assert total == pytest.approx(row["score"], abs=1e-12)
    assert df.loc[0, "bestuurlijke_drukte_low"] == 2 and df.loc[0, "bestuurlijke_drukte_high"] == 5
    assert df.loc[0, "bestuurlijke_drukte_basis"] == "bron"
    assert df.loc[0, "legitimiteit_basis"] == "afgeleid"


def test_scores_csv_machine_keeps_every_digit_of_a_long_float(tree) -> None:
    matrix, _, _ = tree
    ranking = rank_with(matrix, {"kosten": 3.0, "controle": 1.0, "betrokkenheid": 2.0})
    text = export.scores_csv_machine(matrix, ranking, "en")
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        r = ranking.option_ids.index(row["id"])
        assert row["score"] == repr(float(ranking.scores[r]))
        assert float(row["controle_weight"]) == ranking.weights[0]


def test_scores_csv_machine_headers_are_stable_ascii_ids_in_every_language(tree) -> None:
    matrix, ranking, _ = tree
    expected = ["rank", "id", "label", "score"] + [
        f"{c}_{k}"
        for c in ("controle", "betrokkenheid", "kosten")
        for k in ("value", "low", "high", "basis", "weight", "contribution")
    ]
    for lang in ("nl", "en"):
        header = export.scores_csv_machine(matrix, ranking, lang).splitlines()[0]
        assert header.split(",") == expected
        assert header.isascii()
    english = _machine(export.scores_csv_machine(matrix, ranking, "en"))
    assert set(english["label"]) == {"Option A", "Option B", "Option C"}


def test_scores_csv_for_people_is_dutch_excel_csv_rounded_as_shown(flat) -> None:
    matrix, ranking, _ = flat
    data = export.scores_csv(matrix, ranking, "nl", _t("nl"))
    assert data.startswith(spreadsheet.BOM.encode("utf-8"))
    text = data.decode("utf-8-sig")
    first = text.splitlines()[0]
    assert first.startswith('"Plaats";"Optie";"Score";"Democratische legitimiteit – score op')
    # Read back as a Dutch Excel does: ';' between fields, decimal commas.
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len({len(r) for r in rows}) == 1 and len(header) == 3 + 6 * len(matrix.leaves)
    assert [r[1] for r in body] == ["Optie A", "Optie B", "Optie C"]
    assert not any("." in cell for r in body for cell in r[2:])  # no decimal point in Dutch
    for r_shown, row in zip(ranking.best_first(), body, strict=True):
        i = matrix.option_ids.index(ranking.option_ids[r_shown])
        assert row[0] == str(ranking.ranks[r_shown])
        score = spreadsheet.parse_number(row[2], "nl")
        assert score == round(float(ranking.scores[r_shown]), export.SCORE_PLACES)
        for j, leaf in enumerate(matrix.leaves):
            value, low, high, basis, weight, contribution = row[3 + 6 * j : 9 + 6 * j]
            assert spreadsheet.parse_number(value, "nl") == matrix.raw[i, j]
            assert spreadsheet.parse_number(low, "nl") == matrix.raw_lo[i, j]
            assert spreadsheet.parse_number(high, "nl") == matrix.raw_hi[i, j]
            assert basis == matrix.options[i].scores[leaf.id].basis  # Dutch: bron, afgeleid
            assert spreadsheet.parse_number(weight, "nl") == round(
                100 * float(ranking.weights[j]), export.PERCENT_PLACES
            )
            assert spreadsheet.parse_number(contribution, "nl") == round(
                float(ranking.contributions[r_shown, j]), export.SCORE_PLACES
            )
    # 0,6875 by hand (see the machine test); weights 2:1:1 are 50% and 25%.
    assert body[0][2] == "0,6875"
    assert [body[0][3 + 6 * j + 4] for j in range(3)] == ["50", "25", "25"]


def test_scores_csv_for_people_rounds_away_float_dust(tree) -> None:
    matrix, _, _ = tree
    ranking = rank_with(matrix, {"kosten": 3.0, "controle": 1.0, "betrokkenheid": 2.0})
    body = spreadsheet.read(export.scores_csv(matrix, ranking, "nl", _t("nl")), "nl")[1:]
    for row in body:
        for cell in row[2:]:
            if cell and cell[0].isdigit():
                decimals = cell.partition(",")[2]
                assert len(decimals) <= export.SCORE_PLACES, cell
                assert "e" not in cell.lower(), cell


def test_scores_csv_for_people_in_english_uses_commas_and_dots(flat) -> None:
    matrix, ranking, _ = flat
    rows = spreadsheet.read(export.scores_csv(matrix, ranking, "en", _t("en")), "en")
    assert rows[0][:3] == ["Rank", "Option", "Score"]
    assert rows[0][3] == "Democratic legitimacy – score on the scale"
    assert rows[1][1] == "Option A" and rows[1][2] == "0.6875"
    assert "derived" in rows[1] or "source" in rows[1]


@pytest.mark.parametrize("label", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_scores_csv_neutralises_formula_injection(flat, label: str) -> None:
    matrix, _, _ = flat
    matrix = _relabel(matrix, "b", Text(nl=label, en=label))
    ranking = rank_with(matrix)
    df = _machine(export.scores_csv_machine(matrix, ranking, "nl"))
    assert df.set_index("id").loc["b", "label"] == "'" + label
    for cell in df.astype(str).to_numpy().ravel():
        assert not cell.startswith(("=", "+", "@")), cell
    rows = spreadsheet.read(export.scores_csv(matrix, ranking, "nl", _t("nl")), "nl")
    assert "'" + label in [r[1] for r in rows]
    for cell in itertools.chain.from_iterable(rows):
        assert not cell.startswith(("=", "+", "@")), cell


def test_csv_safe_leaves_numbers_alone() -> None:
    assert export.csv_safe(-1.5) == -1.5
    assert export.csv_safe("-1") == "'-1"
    assert export.csv_safe("Optie A") == "Optie A"
    # The one defuser: also after a separator inside the cell, as in the files for Excel.
    assert export.csv_safe("Assen;=cmd") == spreadsheet.defuse("Assen;=cmd") == "Assen;'=cmd"


def test_weights_csv_machine_gives_local_and_global_weights_of_a_tree(tree) -> None:
    matrix, ranking, _ = tree
    df = _machine(export.weights_csv_machine(matrix, ranking, {}, "nl")).set_index("id")
    assert list(df.index) == ["legitimiteit_top", "controle", "betrokkenheid", "kosten"]
    assert df.loc["controle", "parent"] == "legitimiteit_top"
    assert pd.isna(df.loc["kosten", "parent"])
    # Defaults 1:1 at the top and 3:1 under legitimacy, by hand.
    expected_local = {
        "legitimiteit_top": 0.5,
        "controle": 0.75,
        "betrokkenheid": 0.25,
        "kosten": 0.5,
    }
    for cid, w in expected_local.items():
        assert df.loc[cid, "local_weight"] == pytest.approx(w, abs=1e-12)
    for j, cid in enumerate(matrix.criterion_ids):
        assert df.loc[cid, "global_weight"] == ranking.weights[j]
    assert df.loc["legitimiteit_top", "global_weight"] == pytest.approx(0.5, abs=1e-12)
    assert df.loc[df["leaf"], "global_weight"].sum() == pytest.approx(1.0, abs=1e-12)
    assert df.loc["kosten", "label"] == "Kosten"


def test_weights_csv_machine_normalises_weights_as_typed(tree) -> None:
    matrix, _, _ = tree
    given = {"kosten": 3.0}
    ranking = rank_with(matrix, given)
    text = export.weights_csv_machine(matrix, ranking, given, "en")
    df = _machine(text).set_index("id")
    assert df.loc["kosten", "local_weight"] == pytest.approx(0.75, abs=1e-12)
    assert df.loc["kosten", "global_weight"] == pytest.approx(0.75, abs=1e-12)
    assert df.loc["controle", "global_weight"] == pytest.approx(0.25 * 0.75, abs=1e-12)


def test_weights_csv_for_people_gives_percentages_with_one_decimal(tree) -> None:
    matrix, _, _ = tree
    given = {"kosten": 2.0, "controle": 1.0, "betrokkenheid": 2.0}
    ranking = rank_with(matrix, given)
    data = export.weights_csv(matrix, ranking, given, "nl", _t("nl"))
    assert data.startswith(spreadsheet.BOM.encode("utf-8"))
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == [
        "Criterium",
        "Onderdeel van",
        "Gewicht binnen de groep (%)",
        "Gewicht in het geheel (%)",
    ]
    labels = {c.id: c.label.get("nl") for c in matrix.criteria_set.walk()}
    shown = {r[0]: r[1:] for r in rows[1:]}
    assert shown[labels["controle"]][0] == labels["legitimiteit_top"]
    assert shown[labels["kosten"]][0] == ""
    # Top 1:2 (legitimacy 1/3, costs 2/3); under legitimacy 1:2: by hand.
    assert shown[labels["controle"]][1:] == ["33,3", "11,1"]
    assert shown[labels["betrokkenheid"]][1:] == ["66,7", "22,2"]
    assert shown[labels["kosten"]][1:] == ["66,7", "66,7"]
    machine = _machine(export.weights_csv_machine(matrix, ranking, given, "nl")).set_index("id")
    for cid, (_, local, glob) in ((c, shown[labels[c]]) for c in labels):
        assert spreadsheet.parse_number(local, "nl") == round(
            100 * machine.loc[cid, "local_weight"], export.PERCENT_PLACES
        )
        assert spreadsheet.parse_number(glob, "nl") == round(
            100 * machine.loc[cid, "global_weight"], export.PERCENT_PLACES
        )
    english = spreadsheet.read(export.weights_csv(matrix, ranking, given, "en", _t("en")), "en")
    assert english[0][0] == "Criterion" and "33.3" in english[1] + english[2]


# --- YAML --------------------------------------------------------------------------------


def test_view_yaml_round_trips(flat) -> None:
    matrix, _, version = flat
    changed = matrix.with_scores({("c", "efficientie"): 9.0})
    given = {"legitimiteit": 2.0, "bestuurlijke_drukte": 1.0, "efficientie": 1.0}
    ranking = rank_with(changed, given)
    view = export.current_view(
        changed, ranking, lang="en", version=version, day=DAY, method="weighted sum", local=given
    )
    back = yaml.safe_load(export.view_yaml(view))
    assert back["case"] == "demo" and back["criteria_set"] == "flat"
    assert back["options"] == ["a", "b", "c"]
    assert back["language"] == "en" and back["method"] == "weighted sum"
    assert back["data_version"] == version and back["date"] == "2026-11-26"
    assert back["local_weights"] == pytest.approx(
        {"legitimiteit": 0.5, "bestuurlijke_drukte": 0.25, "efficientie": 0.25}
    )
    assert back["what_if"] == [
        {"option": "c", "criterion": "efficientie", "value": 9.0, "sourced_value": 0.0}
    ]
    assert [r["option"] for r in back["ranking"]] == ["a", "b", "c"]
    assert back["ranking"][2]["score"] == pytest.approx(ranking.scores[2], abs=1e-12)


def test_view_yaml_without_changes_and_from_a_plain_dict(flat) -> None:
    matrix, ranking, version = flat
    view = export.current_view(matrix, ranking, lang="nl", version=version, day=DAY)
    back = yaml.safe_load(export.view_yaml(view))
    assert back["what_if"] == []
    assert back["local_weights"] == pytest.approx(
        {"legitimiteit": 0.5, "bestuurlijke_drukte": 0.25, "efficientie": 0.25}
    )
    odd = {"w": np.float64(0.5), "v": np.array([1, 2]), "changes": {("a", "x"): 3}, "s": "ë"}
    text = export.view_yaml(odd)
    assert "ë" in text  # allow_unicode
    assert yaml.safe_load(text) == {"w": 0.5, "v": [1, 2], "changes": {"a/x": 3}, "s": "ë"}


def test_view_yaml_writes_no_float_dust_but_keeps_precision(flat) -> None:
    assert 0.1 * 7 == 0.7000000000000001  # the dust arithmetic leaves
    text = export.view_yaml({"w": 0.1 * 7, "v": [np.float64(0.1) * 3], "third": 1 / 3})
    assert "0.7000000000000001" not in text and "0.30000000000000004" not in text
    back = yaml.safe_load(text)
    assert back == {"w": 0.7, "v": [0.3], "third": pytest.approx(1 / 3, rel=1e-12)}
    assert back["third"] != 1 / 3  # rounded to 12 significant digits, as the docstring says
    matrix, _, version = flat
    given = {"legitimiteit": 0.7, "bestuurlijke_drukte": 0.2, "efficientie": 0.1}
    ranking = rank_with(matrix, given)
    view = export.current_view(matrix, ranking, lang="nl", version=version, day=DAY, local=given)
    text = export.view_yaml(view)
    assert re.search(r"\d\.\d{13,}", text) is None, text  # nothing beyond 12 digits
    back = yaml.safe_load(text)
    assert back["local_weights"] == given
    for row, r in zip(back["ranking"], ranking.best_first(), strict=True):
        assert row["score"] == pytest.approx(float(ranking.scores[r]), rel=1e-12)


# --- file names --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Memo:
    lang: Lang

    def file_stem(self, what: str) -> str:
        return f"afweging-{what}-{DAY.isoformat()}"


def test_file_names_say_what_they_hold(flat) -> None:
    matrix, _, _ = flat
    assert (
        export.report_filename(_Memo("nl"), matrix) == "afweging-demo-flat-rapport-2026-11-26.html"
    )
    assert export.report_filename(_Memo("en")) == "afweging-report-2026-11-26.html"
    assert export.download_name(_Memo("nl"), "scores", "csv", matrix).endswith(
        "scores-2026-11-26.csv"
    )


# --- HTML report -------------------------------------------------------------------------


def _bar(matrix: Matrix, ranking: Ranking, lang: Lang = "nl") -> go.Figure:
    labels = [matrix.case.option(i).label.get(lang) for i in ranking.option_ids]
    return go.Figure(go.Bar(x=labels, y=ranking.scores), layout={"title": "Rangorde"})


def test_report_is_a_full_document_with_no_remote_resources(flat) -> None:
    matrix, ranking, _ = flat
    doc = _report(matrix, ranking, figures=[_bar(matrix, ranking), _bar(matrix, ranking)])
    assert doc.lstrip().lower().startswith("<!doctype html>")
    assert doc.rstrip().endswith("</html>")
    parsed = _parse(doc)
    names = [tag for tag, _ in parsed.tags]
    for needed in ("html", "head", "meta", "title", "style", "body"):
        assert needed in names
    assert "link" not in names and "iframe" not in names and "img" not in names
    for tag, attrs in parsed.tags:
        for key in ("src", "href", "srcset", "data", "action"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, key, value)
        assert tag != "script" or "src" not in attrs
    style = doc[doc.index("<style>") : doc.index("</style>")]
    assert "url(" not in style and "@import" not in style
    # Both charts are drawn as inline SVG: no script at all, and each names itself.
    assert not parsed.scripts
    svgs = [attrs for tag, attrs in parsed.tags if tag == "svg"]
    assert len(svgs) == 2 and all(a["role"] == "img" for a in svgs)
    assert [a["aria-labelledby"] for a in svgs] == ["chart-1-title", "chart-2-title"]
    assert doc.count('<title id="chart-1-title">Rangorde</title>') == 1
    assert len(doc) < 150_000


def _ternary() -> go.Figure:
    """A figure the SVG drawing does not cover (a ternary map)."""
    return go.Figure(go.Scatterternary(a=[1, 0], b=[0, 1], c=[0, 0]), layout={"title": "Kaart"})


def test_report_embeds_plotly_once_for_figures_it_cannot_draw(flat) -> None:
    matrix, ranking, _ = flat
    figures = [_bar(matrix, ranking), _ternary(), _ternary()]
    doc = _report(matrix, ranking, figures=figures, image_stem="afweging-demo")
    parsed = _parse(doc)
    for tag, attrs in parsed.tags:
        assert tag != "script" or "src" not in attrs  # still no remote resources
    # plotly.js is embedded once, however many charts need it; the bar stays SVG.
    bundles = [s for s in parsed.scripts if len(s) > 1_000_000]
    assert len(bundles) == 1
    assert sum("Plotly.newPlot" in s for s in parsed.scripts) == 2
    assert [tag for tag, _ in parsed.tags].count("svg") == 1
    plot = next(s for s in parsed.scripts if "Plotly.newPlot" in s)
    assert f'"width":{export.PRINT_WIDTH_PX}' in plot
    assert '"scale": 2' in plot or '"scale":2' in plot  # its PNG download at 2x
    assert "afweging-demo" in plot


def test_report_without_charts_embeds_no_plotly(flat) -> None:
    matrix, ranking, _ = flat
    doc = _report(matrix, ranking)
    assert len(doc) < 100_000
    assert not _parse(doc).scripts


def test_report_holds_labels_quotes_weights_and_data_version(flat) -> None:
    matrix, ranking, _ = flat
    doc = _report(matrix, ranking)
    for option in matrix.options:
        assert html.escape(option.label.get("nl")) in doc
        assert html.escape(option.summary.get("nl")) in doc
        for score in option.scores.values():
            assert html.escape(score.rationale.get("nl")) in doc
            for evidence in score.evidence:
                assert html.escape(collapse(evidence.quote).strip()) in doc
    for criterion in matrix.leaves:
        assert html.escape(criterion.label.get("nl")) in doc
    assert "50,0%" in doc and "25,0%" in doc  # 2:1:1 by hand, Dutch decimal comma
    assert "abc123def456" in doc
    assert "26-11-2026" in doc
    assert "5 (++)" in doc and "2 (-)" in doc  # value with its scale label
    english = _report(matrix, ranking, "en")
    assert "50.0%" in english and "2026-11-26" in english and "Option A" in english


def test_report_cites_sources_with_their_lines(flat) -> None:
    matrix, ranking, _ = flat
    quote = matrix.case.option("a").scores["bestuurlijke_drukte"].evidence[0]
    found = SourceLibrary().document(quote.source).locate(quote.quote)
    assert found is not None
    doc = _report(matrix, ranking)
    sources = doc[doc.index('id="sources"') :]
    assert quote.source in sources
    # Cited by the document the quote stands in (seeds/parts.yaml), not the file name.
    title = SourceLibrary().title(quote.source, found.line, "nl")
    assert title.startswith("G32 Stedennetwerk, discussiestuk")
    assert html.escape(title) in sources and f"{found.line}" in sources
    assert f"{html.escape(title)}, regel {found.line}" in doc


def test_report_says_when_a_quote_cannot_be_found(flat, tmp_path) -> None:
    matrix, ranking, _ = flat
    doc = _report(matrix, ranking, library=SourceLibrary(tmp_path))
    assert "niet teruggevonden in het document" in doc


class _Shown(HTMLParser):
    """The text a reader sees (no scripts or styles) and every tag, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def _shown(doc: str) -> _Shown:
    parser = _Shown()
    parser.feed(doc)
    parser.close()
    return parser


IMG = '<img src=x onerror="a()">&'


def test_report_escapes_data_text(flat) -> None:
    matrix, _, _ = flat
    matrix = _relabel(matrix, "b", Text(nl=EVIL, en=EVIL), rationale=IMG)
    ranking = rank_with(matrix)
    doc = _report(matrix, ranking, figures=[_bar(matrix, ranking)])
    assert html.escape(EVIL) in doc
    assert EVIL not in doc and "<img" not in doc
    shown = _shown(doc)
    text = "".join(shown.text)
    assert EVIL in text and IMG in text  # shown as written, as text
    assert "img" not in shown.tags and "script" not in shown.tags
    parsed = _parse(doc)
    assert not any("alert(1)" in s for s in parsed.scripts if "Plotly.newPlot" not in s)


def test_report_escapes_the_header_fields_too(flat) -> None:
    """The case's label (title and meta line), the method and the data version are data
    too: a hostile one shows as text, and the document keeps its one title and header."""
    matrix, _, _ = flat
    case = matrix.case.model_copy(update={"label": Text(nl=EVIL, en=EVIL)})
    matrix = build_matrix(case, matrix.criteria_set)
    ranking = rank_with(matrix)
    options = export.ReportOptions(lang="nl", version=IMG, day=DAY, method=EVIL)
    doc = export.html_report(matrix, ranking, _t("nl"), options)
    shown = _shown(doc)
    text = "".join(shown.text)
    assert text.count(EVIL) >= 3 and text.count(IMG) >= 2  # title, meta, method; version twice
    assert "img" not in shown.tags and "script" not in shown.tags
    assert shown.tags.count("title") == 1 and shown.tags.count("header") == 1


def test_report_options_are_one_frozen_value() -> None:
    options = export.ReportOptions(lang="nl", version="v", day=DAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.method = "WSM"  # type: ignore[misc]


def test_report_prints_on_a4(flat) -> None:
    matrix, ranking, _ = flat
    doc = _report(matrix, ranking)
    style = doc[doc.index("<style>") : doc.index("</style>")]
    assert "@page { size: A4; margin: 15mm; }" in style
    assert "@media print" in style
    assert "table-layout: fixed" in style and "word-wrap: break-word" in style
    assert ".rationale {" in style and "page-break-inside: avoid" in style
    assert "180mm" in style
    assert "print-color-adjust: exact" in style  # score card colours survive printing


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("nl", ["Rangorde", "Gewichten", "Scorekaart", "Onderbouwing", "Bronnen"]),
        ("en", ["Ranking", "Weights", "Score card", "Rationale", "Sources"]),
    ],
)
def test_report_headings_follow_the_language(tree, lang: Lang, headings: list[str]) -> None:
    matrix, ranking, _ = tree
    doc = _report(matrix, ranking, lang)
    assert _parse(doc).h2 == headings
    assert f'<html lang="{lang}">' in doc


def test_report_uses_only_translated_fixed_texts(flat) -> None:
    matrix, ranking, _ = flat
    asked: list[str] = []

    def t(key: str) -> str:
        asked.append(key)
        return i18n.t(key, "en")

    changed = matrix.with_scores({("a", "legitimiteit"): 1.0})
    options = export.ReportOptions(lang="en", version="v", day=DAY, method="WSM")
    export.html_report(changed, ranking, t, options)
    assert asked and set(asked) <= set(export.KEYS)
    for key in export.KEYS:
        for lang in ("nl", "en"):
            assert i18n.t(key, lang).strip(), (key, lang)


def test_report_marks_what_if_changes(flat) -> None:
    matrix, _, _ = flat
    changes = {("c", "efficientie"): 9.0}
    changed = matrix.with_scores(changes)
    ranking = rank_with(changed)
    for given in (matrix, changed):  # applied by the report, or already by the caller
        doc = _report(given, ranking, changes=changes)
        assert "Gewijzigd t.o.v. bron" in doc
        assert "bronwaarde 0" in doc
        assert doc.count('class="cell changed"') == 1
        assert doc.count('class="rationale changed"') == 1
    assert "Gewijzigd t.o.v. bron" not in _report(matrix, rank_with(matrix))


def test_score_card_colours_follow_direction(flat) -> None:
    matrix, ranking, _ = flat
    doc = _report(matrix, ranking)
    card = doc[doc.index('class="card"') : doc.index('class="legend"')]
    worst, best = export.DIVERGING[0], export.DIVERGING[-1]
    # Option B has 1 on administrative burden (lower is better): the best colour, not the worst.
    row_b = card[card.index("Optie B") :].split("</tr>")[0]
    cells = row_b.split("<td")[1:]
    assert f"background:{best}" in cells[1] and ">1<" in cells[1]
    assert f"background:{worst}" not in cells[1]
    # Option C has 0 of 10 on efficiency (higher is better): the worst colour.
    row_c = card[card.index("Optie C") :].split("</tr>")[0]
    assert f"background:{worst}" in row_c.split("<td")[1:][2]
    assert "lager is beter" in card and "hoger is beter" in card
    legend = doc[doc.index('class="legend"') :]
    assert "slecht" in legend and "neutraal" in legend and "goed" in legend


def test_report_charts_get_the_template_and_print_width_without_touching_the_caller(flat) -> None:
    matrix, ranking, _ = flat
    fig = _bar(matrix, ranking)
    fig.update_layout(template="plotly_dark")
    doc = _report(matrix, ranking, figures=[fig])
    assert fig.layout.width is None and fig.layout.template.layout.paper_bgcolor == "rgb(17,17,17)"
    chart = doc[doc.index('<figure class="chart lead"') : doc.index("</figure>")]
    assert "rgb(17,17,17)" not in chart  # the report's template (plotly_white), not the caller's
    assert '<rect x="0" y="0" width="680"' in chart and 'fill="white"' in chart
    assert f'width="{export.PRINT_WIDTH_PX}"' in chart
    assert f'viewBox="0 0 {export.PRINT_WIDTH_PX} ' in chart
    assert "<image" not in chart  # vector: sharp at any print resolution


def test_report_chart_draws_each_bar_to_scale(flat) -> None:
    """The ranking chart as the dashboard builds it, drawn as SVG: every stacked segment
    is there, named in its tooltip, as long as its contribution, and the segments of an
    option follow each other from the same zero."""
    from afweging_ui import charts
    from afweging_ui.style import MemoContext

    matrix, ranking, _ = flat
    memo = MemoContext("Voorbeeld", "Plat", {"Legitimiteit": 0.5}, "v1", DAY, "nl")
    fig = charts.ranking_figure(matrix, ranking, memo, "Rangorde", _t("nl"))
    doc = _report(matrix, ranking, figures=[fig])
    rects = re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+"[^>]*>'
        r"<title>([^<]*)</title></rect>",
        doc,
    )
    assert len(rects) == len(matrix.options) * len(matrix.leaves)
    options = {o.label.get("nl"): matrix.option_ids.index(o.id) for o in matrix.options}
    leaves = {c.label.get("nl"): j for j, c in enumerate(matrix.leaves)}
    segments: dict[int, list[tuple[float, float, float]]] = {}
    for x, _y, width, tip in rects:
        name, part = html.unescape(tip).split("\n")[:2]
        i, j = options[name], leaves[part.split(":")[0]]
        r = ranking.option_ids.index(matrix.option_ids[i])
        segments.setdefault(i, []).append((float(x), float(width), ranking.contributions[r, j]))
    scales = [w / c for s in segments.values() for _, w, c in s if c > 0.05]
    assert max(scales) - min(scales) < 1.0  # px per unit score, up to the 0.1 px rounding
    starts = {min(x for x, _, _ in s) for s in segments.values()}
    assert max(starts) - min(starts) < 0.2  # every bar starts at zero
    for s in segments.values():
        s.sort()
        for (x0, w0, _), (x1, _, _) in itertools.pairwise(s):
            assert abs(x0 + w0 - x1) < 0.2  # stacked without gaps or overlaps


# --- the reports of the bundled cases, as the dashboard and the workshop make them -----

BUNDLED = [("g32", "kern"), ("g32", "uitgebreid"), ("sra", "kern"), ("sra", "uitgebreid")]
#: The most a report may weigh (issue 11): it travels by e-mail and opens on a phone.
MAX_REPORT_BYTES = 1_500_000


def bundled_report(case: str, cset: str, lang: Lang = "nl") -> str:
    """The report of a bundled case at default weights, as ``afweging_ui/downloads.py`` makes it."""
    from afweging.loading import load_bundled
    from afweging_ui import charts
    from afweging_ui.style import TEMPLATE, MemoContext

    bundle = load_bundled()
    matrix = build_matrix(bundle.case(case), bundle.criteria_set(cset))
    ranking = rank_with(matrix)
    method = i18n.t("method_sliders", lang)
    memo = MemoContext(
        matrix.case.label.get(lang),
        matrix.criteria_set.label.get(lang),
        {
            leaf.label.get(lang): float(w)
            for leaf, w in zip(matrix.leaves, ranking.weights, strict=True)
        },
        bundle.version,
        DAY,
        lang,
        method,
    )
    fig = charts.ranking_figure(
        matrix, ranking, memo, i18n.t("chart_ranking_title", lang), _t(lang)
    )
    options = export.ReportOptions(
        lang=lang, version=bundle.version, day=DAY, figures=[fig], library=SourceLibrary(),
        method=method, template=TEMPLATE,
    )  # fmt: skip
    return export.html_report(matrix, ranking, _t(lang), options)


def workshop_report(lang: Lang = "nl", n: int = 40) -> str:
    """A workshop round's report (SRA, core criteria, a previous round), as
    ``afweging_ui/workshop/controls.py`` makes it, with all four of the round's charts."""
    from afweging.loading import load_bundled
    from afweging.workshop.picture import group_picture, weighable_criteria
    from afweging.workshop.report import session_report
    from afweging_ui.style import TEMPLATE
    from afweging_ui.workshop import charts
    from afweging_ui.workshop.state import labels, memo

    bundle = load_bundled()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ids = [c.id for c in weighable_criteria(matrix.criteria_set)]
    rng = np.random.default_rng(7)
    weights = [
        dict(zip(ids, map(float, rng.integers(0, 11, len(ids)) + 1), strict=True)) for _ in range(n)
    ]
    picture, before = group_picture(matrix, weights), group_picture(matrix, weights[::-1][:30])
    names, context = labels(matrix, lang), memo(picture, lang, bundle.version, 2)
    figures = list(charts.picture_figures(picture, names, context, _t(lang), before).values())
    options = export.ReportOptions(
        lang=lang, version=bundle.version, day=DAY, figures=figures, method=context.method,
        template=TEMPLATE,
    )  # fmt: skip
    return session_report(picture, _t(lang), options, code="ABCDEF", round_no=2, labels=names)


@pytest.mark.parametrize(("case", "cset"), BUNDLED)
def test_reports_of_the_bundled_cases_are_small_and_need_no_script(case: str, cset: str) -> None:
    doc = bundled_report(case, cset)
    assert len(doc.encode("utf-8")) <= MAX_REPORT_BYTES
    parsed = _parse(doc)
    assert not parsed.scripts  # the ranking chart is inline SVG, not plotly.js
    assert [tag for tag, _ in parsed.tags].count("svg") == 1
    assert 'class="chart lead"' in doc


def test_the_workshop_report_is_small_and_draws_every_chart_as_svg() -> None:
    doc = workshop_report()
    assert len(doc.encode("utf-8")) <= MAX_REPORT_BYTES
    parsed = _parse(doc)
    assert not parsed.scripts
    assert [tag for tag, _ in parsed.tags].count("svg") == 4
