"""Which plotly.js draws a figure, and where the page fetches it (see
:mod:`afweging_ui.plotly_view`). No Streamlit here: the server serves the files and
preloads the first page's one by these names.

Two bundles, both plotly.js's own builds of :data:`VERSION`: the *basic* one (bar, pie,
scatter: every chart on the Verkennen page but the weight triangle; 1.2 MB, about 0.23 s
to evaluate in chromium), kept in ``afweging_ui/assets`` (``scripts/vendor-plotly.sh``);
and the *full* one the ``plotly`` package itself carries (4.8 MB, about 1.1 s), for the
rest (the triangle's ternary plot, the projector's box plots and heat map).
"""

from __future__ import annotations

from pathlib import Path

import plotly
import plotly.graph_objects as go

from afweging_ui.urls import base_path

#: The plotly.js version of the bundles: the one the ``plotly`` package writes its
#: figures for and carries (a test checks that the two agree).
VERSION = "4.1.1"
#: The app's own front-end files: the basic bundle and the chart component's script.
ASSETS = Path(__file__).with_name("assets")
#: The trace types of plotly.js's basic bundle (its ``dist/README.md``).
BASIC = frozenset({"bar", "pie", "scatter"})
#: The address prefix of the bundles, after the base path.
PREFIX = "/static/afweging/"


def bundle_name(bundle: str) -> str:
    """The file name a bundle is served by: its version in it, so it is cached for good."""
    return f"plotly-{bundle}-{VERSION}.min.js"


#: Served name -> the file on disk.
FILES: dict[str, Path] = {
    bundle_name("basic"): ASSETS / bundle_name("basic"),
    bundle_name("full"): Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
}
#: The bundle the first page's charts are drawn with (the page preloads it).
FIRST_PLOTLY = bundle_name("basic")


def bundle_for(fig: go.Figure) -> str:
    """The smaller bundle when it draws every trace of ``fig``, else the full one."""
    kinds = {trace.type or "scatter" for trace in fig.data}
    return "basic" if kinds <= BASIC else "full"


def bundle_url(bundle: str) -> str:
    """The address the page fetches a bundle from."""
    return f"{base_path()}{PREFIX}{bundle_name(bundle)}"


__all__ = [
    "ASSETS",
    "BASIC",
    "FILES",
    "FIRST_PLOTLY",
    "PREFIX",
    "VERSION",
    "bundle_for",
    "bundle_name",
    "bundle_url",
]
