"""The plotly.js the charts are drawn with (:mod:`afweging_ui.plotly_bundles`) and the
words of its buttons (:func:`afweging_ui.style.plotly_locale`), read from the bundles
themselves."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from functools import cache

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank_with
from afweging_ui import charts
from afweging_ui.i18n import t
from afweging_ui.plotly_bundles import (
    ASSETS,
    BASIC,
    FILES,
    VERSION,
    bundle_for,
    bundle_name,
)
from afweging_ui.style import PLOTLY_TEXTS, MemoContext, image_config, plotly_locale


@cache
def source(bundle: str) -> str:
    return FILES[bundle_name(bundle)].read_text(encoding="utf-8")


def trace_types(bundle: str) -> set[str]:
    """The trace modules a built bundle registers."""
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', source(bundle)))


def memo() -> MemoContext:
    return MemoContext("Casus", "Kern", {"A": 0.5, "B": 0.5}, "v1", date(2026, 12, 1), "nl")


def test_both_bundles_are_the_plotly_js_the_plotly_package_writes_for() -> None:
    assert get_plotlyjs_version() == VERSION
    for bundle in ("basic", "full"):
        head = source(bundle)[:200]
        assert re.search(rf"plotly\.js (\(basic - minified\) )?v{re.escape(VERSION)}\b", head)


def test_the_kept_basic_bundle_is_the_one_fetched_from_npm() -> None:
    """``scripts/vendor-plotly.sh`` wrote SHA256SUMS from the registry's package."""
    sums = dict(reversed(line.split()) for line in (ASSETS / "SHA256SUMS").read_text().splitlines())
    path = FILES[bundle_name("basic")]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sums[path.name]


def test_basic_draws_exactly_the_trace_types_it_is_chosen_for() -> None:
    assert trace_types("basic") == BASIC
    assert trace_types("full") > BASIC and {"scatterternary", "box", "heatmap"} <= trace_types(
        "full"
    )


def test_the_ranking_takes_the_basic_bundle_and_other_traces_the_full_one() -> None:
    bundle = load_bundled()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    ranking = rank_with(matrix)
    ranked = charts.ranking_figure(matrix, ranking, memo(), "Rangorde", lambda k: t(k, "nl"))
    assert bundle_for(ranked) == "basic"
    assert bundle_for(go.Figure(go.Box(y=[1, 2]))) == "full"
    assert bundle_for(go.Figure(go.Scatterternary(a=[1], b=[1], c=[1]))) == "full"


def test_the_button_words_are_plotly_s_own_and_all_are_said_in_dutch() -> None:
    """plotly.js looks a translation up by its English words: each key must be a text
    plotly.js writes, or the button would stay English."""
    texts = source("basic")
    dutch = plotly_locale("nl")["dictionary"]
    assert isinstance(dutch, dict) and len(dutch) == len(PLOTLY_TEXTS)
    for english, words in dutch.items():
        assert f'"{english}"' in texts, english
        assert words != english and words.strip(), english
    english_locale = plotly_locale("en")["dictionary"]
    assert isinstance(english_locale, dict)
    assert all(k == v for k, v in english_locale.items())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_config_names_the_locale_and_offers_no_upload(lang: str) -> None:
    chart_memo = MemoContext("C", "K", {"A": 1.0}, "v1", date(2026, 12, 1), lang)  # type: ignore[arg-type]
    config = image_config(chart_memo, "rangorde")
    assert config["locale"] == lang
    assert config["locales"] == {lang: plotly_locale(lang)}  # type: ignore[arg-type]
    assert config["showSendToCloud"] is False and config["displaylogo"] is False
