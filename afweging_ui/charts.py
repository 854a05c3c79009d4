"""Figures of the explore view, built with plotly.graph_objects (fast on every rerun).

Each function takes core results and already translated texts, and returns a
figure in the house style (see :mod:`afweging_ui.style`); none of them computes scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go

from afweging.matrix import Matrix, Ranking
from afweging.numbers import decimal, number, percent
from afweging_ui.style import LEGEND_SIZE, MemoContext, chars_for, colour, fit, memo_layout, wrap

Translate = Callable[[str], str]


def criterion_colours(matrix: Matrix) -> list[str]:
    """One colour per leaf; in a value tree, leaves share their top-level parent's hue."""
    if len(matrix.leaves) <= 8:
        return [colour(i) for i in range(len(matrix.leaves))]
    tops = matrix.criteria_set.criteria
    out = []
    for leaf in matrix.leaves:
        top = next(i for i, t in enumerate(tops) if any(c.id == leaf.id for c in t.walk()))
        out.append(colour(top))
    return out


def _leaf_opacity(matrix: Matrix) -> list[float]:
    """Vary opacity among leaves sharing a hue, so neighbouring segments stay distinct."""
    if len(matrix.leaves) <= 8:
        return [1.0] * len(matrix.leaves)
    colours = criterion_colours(matrix)
    seen: dict[str, int] = {}
    out = []
    for c in colours:
        k = seen.get(c, 0)
        seen[c] = k + 1
        out.append(1.0 - 0.22 * (k % 4))
    return out


def ranking_figure(
    matrix: Matrix, ranking: Ranking, memo: MemoContext, title: str, t: Translate
) -> go.Figure:
    """Horizontal bars, best on top, stacked by each criterion's weighted contribution.

    Option names stand above their bars rather than beside them, so the bars keep
    the full width on a phone.
    """
    lang = memo.lang
    names = [o.label.get(lang) for o in matrix.options]
    order = np.array(ranking.best_first(names))
    n = len(order)
    # "#5 1. Verplichte …": a '#' keeps the rank apart from labels that start with a number.
    room = memo.text_width()
    per_line = 46 if room is None else chars_for(room - 20, LEGEND_SIZE)
    labels = [wrap(f"#{ranking.ranks[i]} {names[i]}", per_line) for i in order]
    lines = [label.count("<br>") + 1 for label in labels]
    # y grows upwards: the best option gets the highest position; rows with long names get room.
    steps = [1.0 + 0.35 * (k - 1) for k in lines]
    ys = [sum(steps[k + 1 :]) for k in range(n)]
    colours, opacity = criterion_colours(matrix), _leaf_opacity(matrix)
    fig = go.Figure()
    for j, leaf in enumerate(matrix.leaves):
        name = leaf.label.get(lang)
        contrib = ranking.contributions[order, j]
        hover = [
            f"<b>{matrix.options[i].label.get(lang)}</b><br>{name}: +{decimal(c, lang)}"
            f"<br>{t('weight')}: {percent(ranking.weights[j], lang)} · {t('value')}: "
            f"{number(matrix.raw[i, j], lang)}"
            for i, c in zip(order, contrib, strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=ys,
                x=contrib,
                name=name,
                orientation="h",
                width=0.42,
                marker={
                    "color": colours[j],
                    "opacity": opacity[j],
                    "line": {"width": 0.5, "color": "white"},
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=ys,
            x=ranking.scores[order],
            mode="text",
            text=[decimal(s, lang, 2) for s in ranking.scores[order]],
            textposition="middle right",
            name=t("overall_score_axis"),
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    for y, label in zip(ys, labels, strict=True):
        fig.add_annotation(
            x=0, y=y + 0.23, text=label, xanchor="left", yanchor="bottom",
            showarrow=False, align="left", font={"size": 13},
        )  # fmt: skip
    fig.update_layout(
        barmode="stack",
        xaxis={"title": t("overall_score_axis"), "range": [0, 1.1], "tickformat": ".1f"},
        yaxis={"showticklabels": False, "range": [-0.4, ys[0] + 0.75 + 0.35 * (lines[0] - 1)]},
        bargap=0,
        # The options' names, which stand above the bars (chart_data's table reads them).
        meta={"categories": [f"#{ranking.ranks[i]} {names[i]}" for i in order]},
    )
    fig = memo_layout(
        fig, title, memo, height=40 + int(58 * sum(steps)), legend_items=len(matrix.leaves)
    )
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def profile_figure(matrix: Matrix, memo: MemoContext, title: str, t: Translate) -> go.Figure:
    """Each option's value (0 worst, 1 best on the scale) per criterion, unweighted."""
    lang = memo.lang
    room = memo.text_width()
    # Category names side by side under the axis: each wrapped to its share of the width.
    per_name = None if room is None else chars_for((room - 40) / len(matrix.leaves), LEGEND_SIZE)
    x = [
        leaf.label.get(lang) if per_name is None else wrap(leaf.label.get(lang), per_name)
        for leaf in matrix.leaves
    ]
    values = matrix.values
    fig = go.Figure()
    symbols = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")
    for i, option in enumerate(matrix.options):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=values[i],
                name=option.label.get(lang),
                mode="lines+markers",
                line={"color": colour(i), "width": 2},
                marker={"symbol": symbols[i % len(symbols)], "size": 9},
                hovertemplate="%{x}: %{y:.2f}<extra>" + option.label.get(lang) + "</extra>",
            )
        )
    fig.update_layout(
        yaxis={"title": t("value_axis"), "range": [-0.05, 1.05], "tickformat": ".1f"},
        xaxis={"tickangle": -30 if len(x) > 4 else 0, "automargin": True},
    )
    return memo_layout(fig, title, memo, height=420, legend_items=len(matrix.options))


def head_to_head_figure(
    matrix: Matrix,
    ranking: Ranking,
    a: int,
    b: int,
    memo: MemoContext,
    title: str,
    t: Translate,
) -> go.Figure:
    """Per criterion, how much option a gains over b after weighting (negative: b gains)."""
    lang = memo.lang
    diff = ranking.contributions[a] - ranking.contributions[b]
    room = memo.text_width()
    # The criteria's names take at most about a third of a narrow chart.
    per_name = 28 if room is None else min(28, chars_for(0.35 * room, LEGEND_SIZE))
    names = [wrap(leaf.label.get(lang), per_name) for leaf in matrix.leaves]
    label_a, label_b = matrix.options[a].label.get(lang), matrix.options[b].label.get(lang)
    colours = [colour(a) if d > 0 else colour(b) if d < 0 else "#999999" for d in diff]
    hover = [
        f"{n}: {label_a if d > 0 else label_b if d < 0 else t('equal')} +{decimal(abs(d), lang)}"
        for n, d in zip(names, diff, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=names[::-1],
            x=diff[::-1],
            orientation="h",
            marker={"color": colours[::-1]},
            hovertext=hover[::-1],
            hoverinfo="text",
            text=[decimal(d, lang) for d in diff[::-1]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    total = float(ranking.scores[a] - ranking.scores[b])
    span = max(0.05, float(np.abs(diff).max()) * 1.35)
    fig.update_layout(
        xaxis={
            "title": fit(f"← {label_b} {t('better')} · {label_a} {t('better')} →", memo, 16),
            "range": [-span, span],
            "zeroline": True,
            "zerolinecolor": "#333",
            "tickformat": ".2f",
        },
        yaxis={"automargin": True},
        showlegend=False,
    )
    fig.add_annotation(
        text=f"{t('total_difference')}: {decimal(total, lang)}",
        xref="paper",
        yref="paper",
        x=1,
        y=1.02,
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
    )
    fig = memo_layout(fig, title, memo, height=120 + 34 * len(names))
    # Room under the axis for each further line of its (wrapped) title.
    extra = 20 * str(fig.layout.xaxis.title.text).count("<br>")
    fig.update_layout(margin={"b": fig.layout.margin.b + extra}, height=fig.layout.height + extra)
    return fig


def weights_figure(
    names: Sequence[str], weights: Sequence[float], memo: MemoContext, title: str
) -> go.Figure:
    """The resulting weights as one stacked bar, so their proportions read at a glance."""
    fig = go.Figure()
    for j, (name, w) in enumerate(zip(names, weights, strict=True)):
        fig.add_trace(
            go.Bar(
                x=[w],
                y=[""],
                name=name,
                orientation="h",
                marker={"color": colour(j)},
                text=[percent(w, memo.lang)],
                textposition="inside",
                hovertemplate=f"{name}: %{{x:.0%}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", xaxis={"range": [0, 1], "tickformat": ".0%"})
    return memo_layout(fig, title, memo, height=110, legend_items=len(names))
