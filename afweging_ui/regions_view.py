"""The "where each option wins" tab: the weight triangle over three (top-level) criteria."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from afweging.matrix import Matrix, Ranking, top_level_values
from afweging.model import Lang
from afweging.numbers import decimal
from afweging.regions import WinMap, winning_regions
from afweging_ui import plotly_view
from afweging_ui.i18n import t
from afweging_ui.state import View
from afweging_ui.style import MemoContext
from afweging_ui.ternary import Point, ternary_figure


def top_level(
    matrix: Matrix, ranking: Ranking, local: dict[str, float]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Ids, values and weights of the criteria at the top of the tree (the leaves of a flat set)."""
    tops = matrix.criteria_set.criteria
    if all(c.is_leaf for c in tops):
        return [c.id for c in tops], matrix.values, ranking.weights
    weights = np.array([local[c.id] for c in tops])
    return [c.id for c in tops], top_level_values(matrix, local), weights


def render_regions(
    matrix: Matrix,
    ranking: Ranking,
    view: View,
    memo: MemoContext,
    local: dict[str, float],
    extra_points: Sequence[Point] | None = None,
) -> WinMap | None:
    """Draw the map and say in words how far the current weights are from another outcome."""
    lang = view.lang
    ids, values, weights = top_level(matrix, ranking, local)
    labels = {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    if len(ids) < 3:
        st.info(t("regions_need_three", lang))
        return None
    axes: Sequence[int] = (0, 1, 2)
    if len(ids) > 3:
        st.caption(t("regions_choose_axes", lang))
        chosen = st.multiselect(
            t("regions_axes", lang),
            ids,
            default=ids[:3],
            max_selections=3,
            format_func=labels.__getitem__,
            key="regions_axes",
            placeholder=t("placeholder_options", lang),
        )
        if len(chosen) != 3:
            st.info(t("regions_pick_three", lang))
            return None
        axes = [ids.index(c) for c in chosen]
    try:
        winmap = winning_regions(values, weights, axes, option_ids=matrix.option_ids)
    except ValueError:
        st.info(t("regions_zero_mass", lang))
        return None
    option_labels = [o.label.get(lang) for o in matrix.options]
    axis_labels = [labels[ids[a]] for a in axes]
    fig = ternary_figure(
        winmap,
        option_labels,
        axis_labels,
        memo,
        t("chart_regions_title", lang),
        lang,
        extra_points=extra_points,
        current_label=t("your_weights", lang),
        extra_label=t("participants", lang),
        nearest_label=t("nearest_change", lang),
    )
    # The answer first, then the picture that shows it.
    st.markdown(distance_sentence(winmap, option_labels, axis_labels, lang))
    plotly_view.chart(fig, key="chart_regions", memo=memo, what=f"{matrix.case.id}-regions")
    st.caption(t("regions_help", lang))
    return winmap


def distance_sentence(
    winmap: WinMap, option_labels: Sequence[str], axis_labels: Sequence[str], lang: Lang
) -> str:
    """One sentence: who wins here, and how much weight must move for another outcome."""
    winners = " · ".join(option_labels[i] for i in winmap.current_winners)
    if winmap.nearest is None:
        return t("regions_always", lang, name=winners, axes=", ".join(axis_labels))
    other = " · ".join(option_labels[i] for i in winmap.nearest.options)
    pp = winmap.nearest.moved_pp
    moved = decimal(pp, lang, 0 if pp >= 1 else 1)
    return t("regions_distance", lang, name=winners, other=other, pp=moved)
