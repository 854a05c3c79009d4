"""Charts fitted to their width (issue 11, items 6-9): SVG text does not wrap, so titles,
memo captions, legends and the triangle's corners are wrapped for the measured width."""

from __future__ import annotations

from datetime import date

import numpy as np
import plotly.graph_objects as go
import pytest

from afweging.regions import winning_regions
from afweging_ui.robustness_charts import acceptability_figure
from afweging_ui.style import (
    CAPTION_SIZE,
    CHAR_EM,
    MODEBAR_ROOM,
    PAGE_CSS,
    TITLE_SIZE,
    MemoContext,
    keep_dots,
    memo_layout,
    wrap,
)
from afweging_ui.ternary import ternary_figure

WEIGHTS = {
    "Democratische legitimiteit": 1 / 3,
    "Bestuurlijke drukte": 1 / 3,
    "Efficiëntie en slagvaardigheid": 1 / 3,
}


def memo(width: int | None) -> MemoContext:
    return MemoContext(
        "Toekomst van de Stadsregio Amsterdam (2012)", "Kerncriteria", WEIGHTS,
        "1b11c764afcd", date(2026, 11, 30), "nl", "Schuifjes", width=width,
    )  # fmt: skip


def widest(text: str) -> int:
    return max(len(line) for line in text.split("<br>"))


def test_without_a_width_the_caption_is_as_before() -> None:
    caption = memo(None).caption()
    assert widest(caption) <= 64 and caption.count("<br>") == 4


@pytest.mark.parametrize("width", [300, 340, 380, 480, 600, 800])
def test_title_and_caption_fit_left_of_the_buttons(width: int) -> None:
    m = memo(width)
    fig = memo_layout(go.Figure(), "Rangorde: totaalscore opgebouwd per criterium", m)
    room = width - MODEBAR_ROOM
    assert widest(fig.layout.title.text) * TITLE_SIZE * CHAR_EM <= room
    assert widest(fig.layout.title.subtitle.text) * CAPTION_SIZE * CHAR_EM <= room
    assert fig.layout.modebar.orientation == "v" and fig.layout.margin.r >= MODEBAR_ROOM
    assert not any(line.startswith("·") for line in fig.layout.title.subtitle.text.split("<br>"))


def test_a_desk_screen_caption_takes_three_lines_a_phone_more() -> None:
    assert memo(800).caption().count("<br>") == 2  # case, weights, stamp: a line each
    assert memo(340).caption().count("<br>") >= 4


def test_a_title_of_several_lines_is_padded_down_and_given_room() -> None:
    long = "Stadsregio verbreed met Almere, Haarlem en Velsen tegenover Huidige samenwerking"
    one = memo_layout(go.Figure(), "Kort", memo(340))
    many = memo_layout(go.Figure(), long, memo(340))
    assert "<br>" in many.layout.title.text and many.layout.title.pad.t > 0
    assert many.layout.margin.t > one.layout.margin.t


def test_legend_entries_are_wrapped_and_given_rows() -> None:
    name = "Subregionale voorbereiding in een algemeen bestuur van alle gemeenten"
    fig = go.Figure([go.Scatter(x=[0], y=[0], name=name), go.Scatter(x=[0], y=[1], name="B")])
    narrow = memo_layout(fig, "t", memo(340), legend_items=2)
    assert "<br>" in narrow.data[0].name and wrap(narrow.data[0].name, 200) == narrow.data[0].name
    again = go.Figure([go.Scatter(name=name), go.Scatter(name="B")])
    wide = memo_layout(again, "t", memo(800), legend_items=2)
    assert narrow.layout.margin.b > wide.layout.margin.b


def test_keep_dots_never_starts_a_line_with_a_separator() -> None:
    text = keep_dots("Afweging · dataversie 1b11c764afcd · 30-11-2026 · Schuifjes", 22)
    assert all(not line.startswith("·") for line in text.split("<br>"))


def test_the_triangles_corner_names_stand_inside_on_a_phone() -> None:
    values = np.array([[0.9, 0.2, 0.4], [0.3, 0.8, 0.5], [0.5, 0.5, 0.9]])
    axes = ["Democratische legitimiteit", "Bestuurlijke drukte", "Efficiëntie en slagvaardigheid"]
    m = winning_regions(values, [1 / 3, 1 / 3, 1 / 3])
    fig = ternary_figure(m, ["A", "B", "C"], axes, memo(340), "Waar wint welke optie?", "nl")
    notes = {a.text: a for a in fig.layout.annotations}
    assert fig.layout.ternary.baxis.title.text == "" and fig.layout.ternary.caxis.title.text == ""
    left, right = notes["Bestuurlijke<br>drukte"], notes["Efficiëntie en<br>slagvaardigheid"]
    assert left.xanchor == "left" and right.xanchor == "right"  # written inwards from a corner
    assert 0 <= left.x < right.x <= 1
    # The triangle fills the width: its height follows from it, not a fixed 520 px.
    plot = 340 - fig.layout.margin.l - fig.layout.margin.r
    plot_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_height == pytest.approx(plot * 3**0.5 / 2, abs=2)


def test_acceptability_names_stand_above_their_bars_on_a_phone() -> None:
    labels = ["Stadsregio verbreed met Almere, Haarlem en Velsen (lijn van mei 2012)", "Kort"]
    shares = np.array([[0.6, 0.4], [0.4, 0.6]])

    def tr(key: str, **fields: object) -> str:
        return f"plaats {fields['rank']}" if key == "rob_place" else key

    phone = acceptability_figure(labels, shares, memo(340), "t", tr)
    assert phone.layout.yaxis.showticklabels is False
    assert sorted(a.text.replace("<br>", " ") for a in phone.layout.annotations) == sorted(labels)
    desk = acceptability_figure(labels, shares, memo(800), "t", tr)
    assert not desk.layout.annotations


def test_the_page_stylesheet_switches_at_streamlits_breakpoint() -> None:
    assert "@media (max-width: 768px)" in PAGE_CSS and "@media (min-width: 769px)" in PAGE_CSS
    assert '[class*="st-key-phone_"]' in PAGE_CSS and '[class*="st-key-desk_"]' in PAGE_CSS
    assert "{{" not in PAGE_CSS  # the f-string's braces are all resolved
