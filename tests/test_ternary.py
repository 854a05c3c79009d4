"""The winning-regions map: traces match the computed regions; texts come from the caller."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from afweging.regions import winning_regions
from afweging_ui.style import MemoContext, colour
from afweging_ui.ternary import add_points, ternary_figure

AXES = ["Legitimiteit", "Bestuurlijke drukte", "Efficiëntie"]
LABELS = ["Optie 1", "Optie 2", "Optie 3", "Optie 4"]
VALUES = np.array([[0.9, 0.2, 0.4], [0.3, 0.8, 0.5], [0.5, 0.5, 0.9], [0.1, 0.1, 0.1]])


@pytest.fixture
def memo() -> MemoContext:
    weights = dict(zip(AXES, [0.5, 0.3, 0.2], strict=True))
    return MemoContext("G32", "Kern", weights, "2026-11", date(2026, 11, 26), "nl")


def roles(fig, role: str) -> list:
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


def test_one_filled_trace_per_winning_option_with_exact_vertices(memo) -> None:
    m = winning_regions(VALUES, [0.5, 0.3, 0.2])
    fig = ternary_figure(m, LABELS, AXES, memo, "Waar wint elke optie?", "nl")
    regions = roles(fig, "region")
    assert [t.name for t in regions] == ["Optie 1", "Optie 2", "Optie 3"]  # 4 never wins
    for trace, region in zip(regions, m.regions, strict=True):
        assert trace.fill == "toself"
        assert trace.line.color == colour(region.options[0])
        want = np.array([*region.vertices, region.vertices[0]]) * 100
        got = np.column_stack([trace.a, trace.b, trace.c])
        assert got == pytest.approx(want, abs=1e-9)
    borders = roles(fig, "borders")
    assert len(borders) == 1 and sum(x is None for x in borders[0].a) == len(m.borders)
    assert fig.layout.ternary.sum == 100
    assert fig.layout.ternary.aaxis.ticktext == ("20%", "40%", "60%", "80%")
    assert [fig.layout.ternary[f"{k}axis"].title.text for k in "abc"] == AXES


def test_current_point_extra_points_and_caption(memo) -> None:
    m = winning_regions(VALUES, [0.5, 0.3, 0.2])
    extra = [(0.2, 0.3, 0.5), (0.6, 0.2, 0.2)]
    fig = ternary_figure(
        m, LABELS, AXES, memo, "Waar wint elke optie?", "nl",
        extra_points=extra, current_label="Uw gewichten", extra_label="Deelnemers",
    )  # fmt: skip
    (star,) = roles(fig, "current")
    assert star.marker.symbol == "star" and star.name == "Uw gewichten"
    assert (star.a[0], star.b[0], star.c[0]) == pytest.approx((50, 30, 20))
    assert "Legitimiteit: 50%" in star.text[0]
    (dots,) = roles(fig, "points")
    assert dots.name == "Deelnemers" and len(dots.a) == 2 and dots.marker.opacity < 1
    assert dots.a == pytest.approx((20, 60))
    assert fig.data[-1] is star  # the star is drawn on top
    assert fig.layout.title.text == "Waar wint elke optie?"
    captions = [fig.layout.title.subtitle.text, *(a.text for a in fig.layout.annotations)]
    assert memo.caption() in captions  # memo_layout's caption: a subtitle or an annotation


def test_no_extra_points_no_dots_and_labels_are_optional(memo) -> None:
    m = winning_regions(VALUES, [0.5, 0.3, 0.2])
    fig = ternary_figure(m, LABELS, AXES, memo, "t", "nl", current=(0.2, 0.2, 0.6))
    assert roles(fig, "points") == [] and roles(fig, "nearest") == []
    (star,) = roles(fig, "current")
    assert star.showlegend is False
    assert (star.a[0], star.b[0], star.c[0]) == pytest.approx((20, 20, 60))


def test_nearest_other_outcome_is_drawn_when_asked(memo) -> None:
    m = winning_regions(np.eye(3), [0.5, 0.3, 0.2])
    fig = ternary_figure(m, LABELS, AXES, memo, "t", "en", nearest_label="Nearest other outcome")
    (line,) = roles(fig, "nearest")
    assert line.a == pytest.approx((50, 40)) and line.b == pytest.approx((30, 40))


def test_fixed_criteria_shrink_the_axes_to_the_shared_weight(memo) -> None:
    values = np.column_stack([VALUES, [0.2, 0.9, 0.1, 1.0]])
    m = winning_regions(values, [0.25, 0.15, 0.1, 0.5], axes=(0, 1, 2))
    fig = ternary_figure(m, LABELS, AXES, memo, "t", "nl")
    assert fig.layout.ternary.sum == pytest.approx(50)
    for trace, region in zip(roles(fig, "region"), m.regions, strict=True):
        assert trace.a[0] == pytest.approx(50 * region.vertices[0][0])
    (star,) = roles(fig, "current")
    assert (star.a[0], star.b[0], star.c[0]) == pytest.approx((25, 15, 10))
    assert all(0 < v < 50 for v in fig.layout.ternary.aaxis.tickvals)


def test_merged_identical_options_share_one_labelled_region(memo) -> None:
    m = winning_regions(np.array([VALUES[0], VALUES[1], VALUES[0]]), [0.5, 0.3, 0.2])
    fig = ternary_figure(m, LABELS, AXES, memo, "t", "nl")
    assert [t.name for t in roles(fig, "region")] == ["Optie 1 / Optie 3", "Optie 2"]


def test_add_points_later_for_the_workshop(memo) -> None:
    m = winning_regions(VALUES, [0.5, 0.3, 0.2])
    fig = ternary_figure(m, LABELS, AXES, memo, "t", "nl")
    add_points(fig, m, [(1 / 3, 1 / 3, 1 / 3)], "Mediaan", AXES, "nl", marker_colour="#D55E00")
    assert fig.data[-1].name == "Mediaan" and fig.data[-1].marker.color == "#D55E00"


def test_axis_labels_must_be_three(memo) -> None:
    m = winning_regions(VALUES, [0.5, 0.3, 0.2])
    with pytest.raises(ValueError, match="3 axis labels"):
        ternary_figure(m, LABELS, AXES[:2], memo, "t", "nl")


def test_each_corner_names_its_ticks_by_colour_and_leaves_room_under_the_triangle(memo) -> None:
    win_map = winning_regions(VALUES, [1 / 3] * 3)
    fig = ternary_figure(win_map, LABELS, AXES, memo, "t", "nl")
    colours = [fig.layout.ternary[f"{k}axis"].tickfont.color for k in "abc"]
    assert len(set(colours)) == 3
    for k, hue in zip("abc", colours, strict=True):
        axis = fig.layout.ternary[f"{k}axis"]
        assert axis.title.font.color == hue and axis.linecolor == hue
    assert fig.layout.margin.b >= 44 + 50
