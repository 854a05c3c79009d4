"""The "where each option wins" map: a ternary chart of exact winning regions.

Takes a :class:`afweging.regions.WinMap` and already translated texts, and
draws each option's region as a filled polygon, the borders between them, the
current weights as a star, and optionally more weight points (the workshop's
participants) as small dots. Axes show the three criteria's actual weights in
percent, so they run from 0 to ``100 * mass`` (0 to 100 when nothing else is
fixed). No streamlit import, so the figure can be tested without a server.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from afweging.model import Lang
from afweging.numbers import percent
from afweging.regions import Point, WinMap
from afweging_ui.style import (
    BOLD_CHAR_EM,
    MemoContext,
    chars_for,
    colour,
    legend_text,
    memo_layout,
    wrap,
)

BORDER_COLOUR = "#333333"
#: Dark, distinct colours for the three corners' names, edges and ticks (contrast ≥ 4.5:1).
AXIS_COLOURS = ("#1b4f72", "#7b3294", "#8a4b08")
#: Room under the triangle for the two lower corners' names.
CORNER_ROOM = 44
#: Room beside the triangle for the ticks of its two slanted sides, and above it for
#: the top corner's name, when the chart's width is known.
SIDE_ROOM = 40
TOP_ROOM = 30
CORNER_SIZE = 13
SQRT3 = 3**0.5
POINT_COLOUR = "#1a1a1a"
FILL_ALPHA = 0.7


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _abc(points: Sequence[Point | None], total: float) -> dict[str, list[float | None]]:
    """Barycentric points as ternary a, b, c in weight percent; None breaks a line."""
    return {
        key: [None if p is None else total * p[i] for p in points]
        for i, key in enumerate(("a", "b", "c"))
    }


def _ticks(total: float) -> list[float]:
    """Round ticks strictly inside (0, total): the corners' 0% and 100% labels would collide."""
    step = next((x for x in (1, 2, 5, 10, 20) if total / x <= 6), 20)
    return [float(x) for x in range(step, int(total) + 1, step) if x <= 0.9 * total]


def _weights_text(point: Point, total: float, axis_labels: Sequence[str], lang: Lang) -> str:
    return "<br>".join(
        f"{name}: {percent(total * x / 100, lang)}"
        for name, x in zip(axis_labels, point, strict=True)
    )


def points_trace(
    win_map: WinMap,
    points: Sequence[Point],
    name: str,
    axis_labels: Sequence[str],
    lang: Lang,
    *,
    marker_colour: str = POINT_COLOUR,
    size: int = 7,
    opacity: float = 0.45,
) -> dict[str, object]:
    """Weight points (barycentric, like the map's current point) as one trace of small dots."""
    total = 100 * win_map.mass
    return {
        "type": "scatterternary",
        **_abc(list(points), total),
        "mode": "markers",
        "name": name,
        "showlegend": bool(name),
        "marker": {
            "size": size,
            "color": marker_colour,
            "opacity": opacity,
            "line": {"color": "white", "width": 0.5},
        },
        "text": [_weights_text(p, total, axis_labels, lang) for p in points],
        "hovertemplate": (f"{name}<br>" if name else "") + "%{text}<extra></extra>",
        "meta": {"role": "points"},
    }


def add_points(
    fig: go.Figure,
    win_map: WinMap,
    points: Sequence[Point],
    name: str,
    axis_labels: Sequence[str],
    lang: Lang,
    *,
    marker_colour: str = POINT_COLOUR,
    size: int = 7,
    opacity: float = 0.45,
) -> go.Figure:
    """Add a set of weight points to a finished map (e.g. a group's median), drawn on top."""
    trace = points_trace(
        win_map, points, name, axis_labels, lang,
        marker_colour=marker_colour, size=size, opacity=opacity,
    )  # fmt: skip
    fig.add_trace(trace)
    return fig


def ternary_figure(
    win_map: WinMap,
    option_labels: Sequence[str],
    axis_labels: Sequence[str],
    memo: MemoContext,
    title: str,
    lang: Lang,
    current: Point | None = None,
    extra_points: Sequence[Point] | None = None,
    *,
    current_label: str = "",
    extra_label: str = "",
    nearest_label: str = "",
    height: int = 520,
) -> go.Figure:
    """The winning regions over three criteria, with the current weights as a star.

    ``option_labels`` is indexed by option (as the rows of the map's values),
    ``axis_labels`` names the criteria on axes a, b, c. ``current`` defaults to
    the map's own current point; ``extra_points`` (barycentric) are drawn as
    small dots labelled ``extra_label``. When ``nearest_label`` is given and the
    star is the map's own point, a dotted line runs to the nearest point where
    another option wins, with that text on hover. Traces are built as dicts and
    validated in one call, several times faster than ``add_trace`` one by one.
    """
    if len(axis_labels) != 3:
        raise ValueError(f"give 3 axis labels (a, b, c), got {len(axis_labels)}")
    total = 100 * win_map.mass
    traces: list[dict[str, object]] = []
    for region in win_map.regions:
        hue = colour(region.options[0])
        traces.append(
            {
                "type": "scatterternary",
                **_abc([*region.vertices, region.vertices[0]], total),
                "mode": "lines",
                "fill": "toself",
                "fillcolor": _rgba(hue, FILL_ALPHA),
                "line": {"color": hue, "width": 0.5},
                "name": legend_text(" / ".join(option_labels[o] for o in region.options), memo),
                "hoveron": "fills",
                "hoverinfo": "name",
                "meta": {"role": "region", "options": list(region.options)},
            }
        )

    border_points: list[Point | None] = []
    for border in win_map.borders:
        border_points += [border.start, border.end, None]
    if border_points:
        traces.append(
            {
                "type": "scatterternary",
                **_abc(border_points, total),
                "mode": "lines",
                "line": {"color": BORDER_COLOUR, "width": 1.5},
                "showlegend": False,
                "hoverinfo": "skip",
                "meta": {"role": "borders"},
            }
        )

    if extra_points:
        traces.append(points_trace(win_map, extra_points, extra_label, axis_labels, lang))

    star = win_map.current if current is None else current
    nearest = win_map.nearest
    if nearest_label and current is None and nearest is not None and nearest.distance > 0:
        traces.append(
            {
                "type": "scatterternary",
                **_abc([star, nearest.point], total),
                "mode": "lines+markers",
                "line": {"color": POINT_COLOUR, "width": 1.5, "dash": "dot"},
                "marker": {"size": [0, 9], "color": POINT_COLOUR, "symbol": "circle-open"},
                "name": nearest_label,
                "showlegend": False,
                "text": ["", _weights_text(nearest.point, total, axis_labels, lang)],
                "hovertemplate": f"{nearest_label}<br>%{{text}}<extra></extra>",
                "meta": {"role": "nearest"},
            }
        )
    traces.append(
        {
            "type": "scatterternary",
            **_abc([star], total),
            "mode": "markers",
            "name": legend_text(current_label, memo),
            "showlegend": bool(current_label),
            "marker": {
                "symbol": "star",
                "size": 20,
                "color": "black",
                "line": {"color": "white", "width": 1.5},
            },
            "text": [_weights_text(star, total, axis_labels, lang)],
            "hovertemplate": (f"<b>{current_label}</b><br>" if current_label else "")
            + "%{text}<extra></extra>",
            "meta": {"role": "current"},
        }
    )

    ticks = _ticks(total)
    corners = _corners(axis_labels, memo, height)
    layout = {
        "ternary": {
            "sum": total,
            "bgcolor": "white",
            **{
                f"{key}axis": {
                    "min": 0,
                    "tickvals": ticks,
                    # Each corner's weights in its own colour, with its name: a reader sees
                    # which criterion a tick belongs to (ticksuffix is dropped with tickvals).
                    "ticktext": [percent(x / 100, lang) for x in ticks],
                    "tickfont": {"color": hue, "size": 11},
                    "linecolor": hue,
                    "linewidth": 2,
                    "gridcolor": "#dddddd",
                    "title": {
                        "text": label,
                        "font": {"color": hue, "size": CORNER_SIZE, "weight": 700},
                    },
                }
                for key, label, hue in zip("abc", corners.titles, AXIS_COLOURS, strict=True)
            },
        },
        "legend": {"itemclick": False, "itemdoubleclick": False},
        "hovermode": "closest",
        "annotations": corners.notes,
    }
    # House style first, then the traces in one call: applying the template to a
    # figure that already holds traces costs twice as much.
    names = [str(t["name"]) for t in traces if t.get("name") and t.get("showlegend", True)]
    fig = memo_layout(
        go.Figure(layout=layout), title, memo, corners.plot_height, len(names), legend_names=names
    )
    # The corner titles hang below the triangle: keep the legend clear of them.
    fig.update_layout(
        margin={
            "t": fig.layout.margin.t + corners.top,
            "b": fig.layout.margin.b + corners.bottom,
            "l": corners.side,
            "r": corners.side,
        },
        height=fig.layout.height + corners.top + corners.bottom,
    )
    fig.add_traces(traces)
    return fig


class _Corners:
    """Where the corners' names go and how much room the triangle gets."""

    def __init__(
        self,
        titles: list[str],
        notes: list[dict[str, object]],
        plot_height: int,
        side: int,
        top: int,
        bottom: int,
    ) -> None:
        self.titles, self.notes, self.plot_height = titles, notes, plot_height
        self.side, self.top, self.bottom = side, top, bottom


def _corners(axis_labels: Sequence[str], memo: MemoContext, height: int) -> _Corners:
    """The corners' names, fitted to the chart's width when it is known.

    Plotly centres the two lower corners' titles under their corners, so on a phone
    half of each name fell off the chart. With a known width the triangle fills the
    width (its height follows, at most ``height``), the top corner keeps its title,
    wrapped, and the lower corners' names are written under the triangle from each
    corner inwards, wrapped so that the two never meet.
    """
    if memo.width is None:
        return _Corners(list(axis_labels), [], height, SIDE_ROOM, 0, CORNER_ROOM)
    plot_width = memo.width - 2 * SIDE_ROOM
    plot_height = int(min(height, plot_width * SQRT3 / 2))
    side = min(plot_width, plot_height * 2 / SQRT3)  # the triangle's side, centred
    left, right = 0.5 - side / (2 * plot_width), 0.5 + side / (2 * plot_width)
    per_line = chars_for(0.46 * side, CORNER_SIZE, BOLD_CHAR_EM)
    lower = [wrap(axis_labels[1], per_line), wrap(axis_labels[2], per_line)]
    notes = [
        {
            "x": x,
            "y": 0,
            "xref": "paper",
            "yref": "paper",
            "xanchor": anchor,
            "yanchor": "top",
            "yshift": -24,
            "align": anchor,
            "showarrow": False,
            "text": text,
            "font": {"color": hue, "size": CORNER_SIZE, "weight": 700},
        }
        for x, anchor, text, hue in zip(
            (left, right), ("left", "right"), lower, AXIS_COLOURS[1:], strict=True
        )
    ]
    lines = max(text.count("<br>") for text in lower) + 1
    top = wrap(axis_labels[0], chars_for(memo.width - 20, CORNER_SIZE, BOLD_CHAR_EM))
    return _Corners(
        [top, "", ""],
        notes,
        plot_height,
        SIDE_ROOM,
        TOP_ROOM + 16 * top.count("<br>"),
        8 + 17 * lines,  # the house style's 50 px under the plot for an axis hold the rest
    )
