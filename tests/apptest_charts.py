"""The charts an AppTest run drew: the figures the chart component was given
(:func:`afweging_ui.plotly_view.chart`), as plotly's JSON."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from afweging_ui.plotly_view import COMPONENT


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """Each chart's figure (data, layout), in page order; AppTest knows the component's
    element only by its protobuf."""
    found = []
    for element in at.get("bidi_component"):
        proto = element.proto
        if proto.component_name == COMPONENT:
            found.append(json.loads(json.loads(proto.json)["figure"]))
    return found


def chart_configs(at: AppTest) -> list[dict[str, Any]]:
    """Each chart's plotly config, in page order."""
    return [
        json.loads(e.proto.json)["config"]
        for e in at.get("bidi_component")
        if e.proto.component_name == COMPONENT
    ]
