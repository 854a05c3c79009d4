"""Plotly figures in the page, drawn by the plotly.js they need, updated in place.

``st.plotly_chart`` brings Streamlit's build of the whole of plotly.js: 4.7 MB, which the
browser took about 0.5 s of its main thread to evaluate before the first chart, and no
locale, so its buttons spoke English. Every chart on the first page is bars and lines,
which plotly.js's basic bundle draws at a quarter of the cost; the rest get the full
one (:mod:`afweging_ui.plotly_bundles`). The server serves both, compressed and cached
for good (:mod:`afweging_ui.static_cache`), and the first page preloads the basic one
(:class:`afweging_ui.server.IndexPageMiddleware`). The buttons speak the reader's
language (:func:`afweging_ui.style.plotly_locale`).

A small component (``st.components.v2``, ``assets/chart.js``) draws a figure with
``Plotly.react``: a new figure updates the drawn one, so a chart is never blank between
two weight changes, and an unchanged one is left alone.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from afweging.markdown import table
from afweging_ui.chart_data import alignment, figure_rows
from afweging_ui.i18n import t
from afweging_ui.lazy import lazy_expander
from afweging_ui.plotly_bundles import ASSETS, bundle_for, bundle_url
from afweging_ui.style import MemoContext, image_config

#: CSS class of the element the chart is drawn in (tests and the page's CSS find it by it).
CLASS = "afw-chart"
#: Every chart's key starts so: its block in the page has the class ``st-key-plot_...``
#: from the moment it arrives, before the chart is drawn (tests wait for those).
KEY_PREFIX = "plot_"

#: The component's name (AppTest finds the charts by it).
COMPONENT = "afweging_chart"

_draw = st.components.v2.component(
    COMPONENT,
    js=(ASSETS / "chart.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # plotly.js puts its styles in the page's head
)


def chart(
    fig: go.Figure, *, key: str, memo: MemoContext, what: str, rows: str | None = None
) -> None:
    """Draw ``fig`` across the column; its PNG download is named for ``what``
    (:func:`afweging_ui.style.image_config`). Under it, a bar or line chart's data as a
    table, in an expander that is sent only when opened; ``rows`` names what its rows
    are (the options, unless said otherwise)."""
    _draw(
        key=KEY_PREFIX + key,
        data={
            # Plotly's own encoder: numpy arrays and dates as plotly.js reads them.
            "figure": pio.to_json(fig, validate=False),
            "config": image_config(memo, what),
            "src": bundle_url(bundle_for(fig)),
            "failed": t("chart_failed", memo.lang),
        },
    )
    lang = memo.lang
    found = figure_rows(fig, lang, rows or t("option", lang), t("value", lang))
    if found is None:
        return
    box = lazy_expander(t("chart_data", lang), key=f"chart_data_{key}")
    if box is not None:
        header, body = found
        box.markdown(table(header, body, alignment(header)))


__all__ = ["CLASS", "COMPONENT", "KEY_PREFIX", "chart"]
