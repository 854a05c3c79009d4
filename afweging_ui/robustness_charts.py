"""Figures of the robustness view, built with plotly.graph_objects.

Each function takes core results and already translated texts and returns a
figure in the house style (:mod:`afweging_ui.style`); none of them computes scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from afweging.palette import INK, OKABE_ITO
from afweging.robustness import pct
from afweging.scoring import highest_first
from afweging.sensitivity import OneWaySweep, StabilityInterval
from afweging_ui.style import LEGEND_SIZE, MemoContext, chars_for, colour, memo_layout, wrap

#: ``t(key, **fields)`` already bound to the language.
Translate = Callable[..., str]

#: Below this text width (CSS px) the options' names stand above their bars.
NAMES_ABOVE_BELOW = 500

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon")


def rank_colours(n: int) -> list[str]:
    """Sequential, colour-blind-safe colours for ranks 1..n: dark (first) to light (last)."""
    if n == 1:
        return sample_colorscale("Viridis", [0.0])
    return sample_colorscale("Viridis", [0.92 * k / (n - 1) for k in range(n)])


def sensitivity_figure(
    option_labels: Sequence[str],
    sweep: OneWaySweep,
    interval: StabilityInterval,
    crossings: Sequence[tuple[float, float, int, int]],
    criterion_label: str,
    memo: MemoContext,
    t: Translate,
) -> go.Figure:
    """Every option's overall score as one weight runs 0..100%, current weight, swaps."""
    lang = memo.lang
    fig = go.Figure()
    fig.add_vrect(
        x0=interval.winner_lo,
        x1=interval.winner_hi,
        fillcolor=OKABE_ITO[0],
        opacity=0.08,
        line_width=0,
        layer="below",
    )
    for i, label in enumerate(option_labels):
        fig.add_trace(
            go.Scatter(
                x=sweep.grid,
                y=sweep.scores[i],
                name=label,
                mode="lines",
                line={"color": colour(i), "width": 2.5, "dash": "solid" if i < 8 else "dot"},
                hovertemplate="%{x:.0%}: %{y:.3f}<extra>" + label + "</extra>",
            )
        )
    if crossings:
        fig.add_trace(
            go.Scatter(
                x=[c[0] for c in crossings],
                y=[c[1] for c in crossings],
                mode="markers",
                name=t("rob_crossing"),
                marker={
                    "symbol": "circle-open",
                    "size": 11,
                    "color": INK,
                    "line": {"width": 2},
                },
                hovertext=[
                    t(
                        "rob_crossing_hover",
                        a=option_labels[a],
                        b=option_labels[b],
                        w=pct(x, lang),
                    )
                    for x, _, a, b in crossings
                ],
                hoverinfo="text",
            )
        )
    fig.add_vline(
        x=interval.current_weight,
        line={"color": INK, "width": 1.5, "dash": "dash"},
        annotation={
            "text": t("rob_current_weight", now=pct(interval.current_weight, lang)),
            "yanchor": "bottom",
        },
        annotation_position="top",
    )
    low = float(np.min(sweep.scores))
    high = float(np.max(sweep.scores))
    pad = max(0.03, 0.05 * (high - low))
    fig.update_layout(
        xaxis={
            "title": t("rob_weight_axis", criterion=criterion_label),
            "range": [0, 1],
            "tickformat": ".0%",
            "dtick": 0.1,
        },
        yaxis={"title": t("rob_score_axis"), "range": [low - pad, high + pad], "tickformat": ".2f"},
        hovermode="closest",
    )
    title = t("rob_chart_sensitivity_title", criterion=criterion_label)
    items = len(option_labels) + (1 if crossings else 0)
    return memo_layout(fig, title, memo, height=440, legend_items=items)


def acceptability_figure(
    option_labels: Sequence[str],
    acceptability: np.ndarray,
    memo: MemoContext,
    title: str,
    t: Translate,
) -> go.Figure:
    """Per option, the share of draws at each rank, stacked; most often first on top.

    On a narrow chart (a phone) the options' names stand above their bars, as in the
    ranking, so that neither the names nor the bars are squeezed into half the width.
    """
    lang = memo.lang
    n_ranks = acceptability.shape[1]
    order = highest_first(acceptability[:, 0])[::-1]
    room = memo.text_width()
    above = room is not None and room < NAMES_ABOVE_BELOW
    # Where each option's bar stands: a height of its own (its name above it), or its name.
    positions: list[float] = []
    if above:
        assert room is not None
        labels = [wrap(option_labels[i], chars_for(room - 10, LEGEND_SIZE)) for i in order]
        steps = [1.0 + 0.35 * label.count("<br>") for label in labels]
        positions = [sum(steps[:k]) for k in range(len(labels))]
    else:
        labels = [wrap(option_labels[i]) for i in order]
    ys: list[float] | list[str] = positions if above else labels
    colours = rank_colours(n_ranks)
    fig = go.Figure()
    for r in range(n_ranks):
        shares = acceptability[order, r]
        name = t("rob_place", rank=r + 1)
        fig.add_trace(
            go.Bar(
                y=ys,
                x=shares,
                name=name,
                orientation="h",
                width=0.42 if above else None,
                marker={"color": colours[r], "line": {"width": 0.5, "color": "white"}},
                text=[pct(s, lang) if s >= 0.06 else "" for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "white" if r < 0.6 * n_ranks else INK, "size": 11},
                hovertext=[
                    f"{option_labels[i]}<br>{name}: {pct(s, lang)}"
                    for i, s in zip(order, shares, strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        barmode="stack",
        xaxis={"title": t("rob_share_axis"), "range": [0, 1], "tickformat": ".0%"},
        yaxis={"automargin": True},
        uniformtext={"minsize": 9, "mode": "hide"},
    )
    if above:
        for y, label in zip(positions, labels, strict=True):
            fig.add_annotation(
                x=0, y=y + 0.23, text=label, xanchor="left", yanchor="bottom",
                showarrow=False, align="left", font={"size": LEGEND_SIZE},
            )  # fmt: skip
        top = positions[-1] + 0.75 + 0.35 * labels[-1].count("<br>")
        fig.update_layout(
            yaxis={"showticklabels": False, "range": [-0.4, top]},
            bargap=0,
            meta={"categories": [option_labels[i] for i in order]},  # see chart_data
        )
        height = 40 + int(58 * sum(steps))
    else:
        height = 40 + sum(30 + 15 * label.count("<br>") for label in labels)
    fig = memo_layout(fig, title, memo, height=height, legend_items=n_ranks)
    fig.update_layout(legend={"traceorder": "normal"})
    return fig
