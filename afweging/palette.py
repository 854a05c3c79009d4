"""The house colours, in one place: the core draws the report with them and the interface
(``afweging_ui.style``) imports them, so a screen and its printed report never disagree."""

from __future__ import annotations

from typing import Final

#: Okabe and Ito (2008), a palette distinguishable with the common colour-vision deficiencies.
OKABE_ITO: Final = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: A diverging scale for score cards (bad -> neutral -> good), readable for colour-blind users.
DIVERGING: Final = ("#B2182B", "#EF8A62", "#F7F7F7", "#67A9CF", "#2166AC")
#: Text in charts, on light score-card cells and in the memo caption under chart titles.
INK: Final = "#1a1a1a"
#: plotly.js's own colourway: what a figure without one (and without a template that sets
#: one) is drawn in, so the SVG drawing (:mod:`afweging.svgchart`) matches plotly.js.
PLOTLY_COLOURWAY: Final = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip

__all__ = ["DIVERGING", "INK", "OKABE_ITO", "PLOTLY_COLOURWAY"]
