"""The projector's figures for a workshop round, built with plotly.graph_objects.

Each takes a :class:`afweging.workshop.picture.GroupPicture` and already translated texts
and returns a figure in the house style; nothing here computes a ranking. No
streamlit import, so the figures can be tested (and exported) without a server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from afweging.numbers import percent
from afweging.palette import OKABE_ITO
from afweging.regions import winning_regions
from afweging.scoring import highest_first
from afweging.workshop.picture import (
    GroupPicture,
    participant_points,
    participant_points_by_group,
)
from afweging_ui.style import MemoContext, colour, memo_layout, wrap
from afweging_ui.ternary import add_points, ternary_figure

Translate = Callable[[str], str]

#: Opinion-group dots: Okabe-Ito colours with a shape each, readable without colour too.
#: The opinion groups' colours: the house palette's vermillion, blue, green and purple.
GROUP_COLOURS = tuple(OKABE_ITO[i] for i in (5, 0, 2, 3))
GROUP_SYMBOLS = ("circle", "square", "diamond", "triangle-up")


def weights_figure(
    picture: GroupPicture,
    labels: Mapping[str, str],
    memo: MemoContext,
    title: str,
    tr: Translate,
    before: np.ndarray | None = None,
) -> go.Figure:
    """Each criterion's weights over the room: a box with every participant as a dot.

    With ``before`` (the previous round's ``(m, k)`` weights) the two rounds stand
    side by side per criterion, so a narrower box shows the room converging.
    """
    names = [wrap(labels.get(c, c), 18) for c in picture.criteria]
    rounds: list[tuple[str, np.ndarray, str]] = []
    if before is not None and len(before):
        rounds.append((tr("ws_previous_round"), np.asarray(before), "#999999"))
    rounds.append((tr("ws_this_round"), picture.summary.weights, colour(0)))
    traces = []
    for name, weights, hue in rounds:
        xs = [names[j] for _ in range(weights.shape[0]) for j in range(weights.shape[1])]
        traces.append(
            go.Box(
                x=xs,
                y=(100 * weights).ravel(),
                name=name,
                marker={"color": hue, "size": 6, "opacity": 0.7},
                line={"color": hue},
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                boxmean=True,
                hovertemplate="%{x}: %{y:.0f}%<extra>" + name + "</extra>",
                showlegend=len(rounds) > 1,
            )
        )
    fig = memo_layout(go.Figure(), title, memo, 380, len(rounds) if len(rounds) > 1 else 0)
    fig.add_traces(traces)
    fig.update_layout(boxmode="group")
    fig.update_yaxes(title=tr("ws_weight_pct"), rangemode="tozero", ticksuffix="%")
    return fig


def ranking_figure(
    picture: GroupPicture,
    labels: Mapping[str, str],
    memo: MemoContext,
    title: str,
    tr: Translate,
) -> go.Figure:
    """The group's scores under the mean and the median weights, best (by mean) on top."""
    mean = picture.mean_ranking
    ids = picture.matrix.option_ids
    order = np.array(mean.best_first([labels.get(i, i) for i in ids]))[::-1]
    y = [wrap(f"#{mean.ranks[i]} {labels.get(ids[i], ids[i])}", 34) for i in order]
    traces = [
        go.Bar(
            y=y,
            x=mean.scores[order],
            orientation="h",
            name=tr("ws_under_mean"),
            marker={"color": colour(0)},
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    ]
    if picture.median_ranking is not None:
        traces.append(
            go.Bar(
                y=y,
                x=picture.median_ranking.scores[order],
                orientation="h",
                name=tr("ws_under_median"),
                marker={"color": colour(1)},
                hovertemplate="%{y}: %{x:.3f}<extra></extra>",
            )
        )
    lines = max(label.count("<br>") + 1 for label in y)
    height = max(220, (16 * lines + 28) * len(order))
    fig = memo_layout(go.Figure(), title, memo, height, len(traces))
    fig.add_traces(traces)
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=tr("ws_score"), range=[0, 1])
    return fig


def first_place_figure(
    picture: GroupPicture,
    labels: Mapping[str, str],
    memo: MemoContext,
    title: str,
    tr: Translate,
) -> go.Figure:
    """For how many participants each option comes first."""
    ids = picture.matrix.option_ids
    counts = picture.summary.first_counts
    order = highest_first(counts)[::-1]
    y = [wrap(labels.get(ids[i], ids[i]), 34) for i in order]
    lines = max(label.count("<br>") + 1 for label in y)
    fig = memo_layout(go.Figure(), title, memo, max(200, (16 * lines + 12) * len(ids)))
    fig.add_trace(
        go.Bar(
            y=y,
            x=counts[order],
            orientation="h",
            marker={"color": [colour(i) for i in order]},
            text=[str(int(c)) for c in counts[order]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(title=tr("ws_participants_axis"), dtick=max(1, int(counts.max() // 8) or 1))
    return fig


def acceptability_figure(
    picture: GroupPicture,
    labels: Mapping[str, str],
    memo: MemoContext,
    title: str,
    tr: Translate,
) -> go.Figure:
    """Share of the room placing each option at each rank (rows: options, best mean first)."""
    lang = memo.lang
    ids = picture.matrix.option_ids
    mean = picture.mean_ranking
    order = np.array(mean.best_first([labels.get(i, i) for i in ids]))[::-1]
    b = picture.acceptability[order]
    n_ranks = b.shape[1]
    y = [wrap(labels.get(ids[i], ids[i]), 34) for i in order]
    lines = max(label.count("<br>") + 1 for label in y)
    fig = memo_layout(go.Figure(), title, memo, max(220, (16 * lines + 12) * len(ids)))
    fig.add_trace(
        go.Heatmap(
            z=100 * b,
            x=[str(r + 1) for r in range(n_ranks)],
            y=y,
            colorscale=[[0, "#ffffff"], [1, colour(0)]],
            zmin=0,
            zmax=100,
            text=[[percent(v, lang) if v > 0 else "" for v in row] for row in b],
            texttemplate="%{text}",
            hovertemplate="%{y} · " + tr("ws_rank") + " %{x}: %{z:.0f}%<extra></extra>",
            showscale=False,
        )
    )
    fig.update_xaxes(title=tr("ws_rank"), side="bottom", type="category")
    return fig


def map_figure(
    picture: GroupPicture,
    axes: Sequence[int],
    labels: Mapping[str, str],
    memo: MemoContext,
    title: str,
    tr: Translate,
) -> go.Figure:
    """The winning-regions triangle at the group's mean weights, participants as dots.

    Criteria off the three axes stay at the group's mean weight; each participant
    is placed by their own split over the three axes (anonymous: no names). When
    the room splits into opinion groups, each group's dots get a colour and a shape.
    """
    ids = picture.matrix.option_ids
    win_map = winning_regions(picture.values, picture.summary.mean_weights, axes, option_ids=ids)
    axis_labels = [labels.get(picture.criteria[a], picture.criteria[a]) for a in axes]
    grouped = picture.groups.n_groups > 1
    fig = ternary_figure(
        win_map,
        [labels.get(i, i) for i in ids],
        axis_labels,
        memo,
        title,
        memo.lang,
        extra_points=None if grouped else participant_points(picture, axes),
        current_label=tr("ws_group_mean"),
        extra_label=tr("ws_participants"),
        height=460,
    )
    if grouped:
        points = participant_points_by_group(picture, axes)
        for k, letter in enumerate(picture.groups.letters):
            mine = [p for p, g in points if g == k]
            if not mine:
                continue
            add_points(
                fig,
                win_map,
                mine,
                tr("ws_group_name").format(letter=letter),
                axis_labels,
                memo.lang,
                marker_colour=GROUP_COLOURS[k % len(GROUP_COLOURS)],
                size=9,
                opacity=0.85,
            )
            fig.data[-1].marker.symbol = GROUP_SYMBOLS[k % len(GROUP_SYMBOLS)]
    return fig


def picture_figures(
    picture: GroupPicture,
    labels: Mapping[str, str],
    memo: MemoContext,
    tr: Translate,
    before: GroupPicture | None = None,
) -> dict[str, go.Figure]:
    """The round's four charts (ranking, weights, first places, acceptability), by name:
    the projector shows them, the session report prints them."""
    return {
        "ranking": ranking_figure(picture, labels, memo, tr("ws_chart_ranking"), tr),
        "weights": weights_figure(
            picture,
            labels,
            memo,
            tr("ws_chart_weights"),
            tr,
            before=None if before is None else before.summary.weights,
        ),
        "first": first_place_figure(picture, labels, memo, tr("ws_chart_first"), tr),
        "acceptability": acceptability_figure(
            picture, labels, memo, tr("ws_chart_acceptability"), tr
        ),
    }


__all__ = [
    "acceptability_figure",
    "first_place_figure",
    "map_figure",
    "picture_figures",
    "ranking_figure",
    "weights_figure",
]
