"""Shared look of every chart: colour-blind-safe colours, titles and memo captions.

Every chart carries a title and a caption with the weights, case, data version
and date, so a screenshot pasted into a memo explains itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from afweging.model import Lang

#: Okabe and Ito (2008), a palette distinguishable with the common colour-vision deficiencies.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: The screen's theme: ``[theme]`` in ``.streamlit/config.toml`` holds the same values
#: (tests/test_accessibility_browser.py checks that they agree). WCAG 2.1 AA asks 4.5:1
#: for text. Streamlit's default red (#c53948) drew the selected segmented control at
#: 4.23:1 on its own tint, and its captions (the body text at 60 % opacity) at 3.88:1.
#: PRIMARY is the Okabe-Ito blue darkened: 7.5:1 on white, 6.0:1 on the tint behind a
#: selected segmented control, and white button text on it 7.5:1. TEXT is a shade darker
#: than the charts' INK so that captions reach 4.95:1 on white and 4.87:1 on the sidebar.
PRIMARY = "#00598B"
TEXT = "#111111"
#: Text in charts and the memo caption under their titles.
INK = "#1a1a1a"
SUBTLE_INK = "#4a4a4a"
#: A diverging scale for score cards (bad -> neutral -> good), readable for colour-blind users.
DIVERGING = ("#B2182B", "#EF8A62", "#F7F7F7", "#67A9CF", "#2166AC")
#: "none" is an explicit, empty template: exports never inherit Streamlit's browser-filled
#: colours, and unlike "plotly_white" it costs nothing to apply on every rerun. The few
#: styles we want are set in :func:`memo_layout`.
TEMPLATE = "none"
_AXIS = {
    "gridcolor": "#e6e6e6",
    "linecolor": "#999999",
    "zerolinecolor": "#cccccc",
    "automargin": True,
}
FONT = "Source Sans Pro, Arial, sans-serif"


def colour(i: int) -> str:
    """The i-th palette colour, cycling."""
    return OKABE_ITO[i % len(OKABE_ITO)]


@dataclass(frozen=True)
class MemoContext:
    """What a chart's caption states so that it stands on its own."""

    case_label: str
    set_label: str
    weights: Mapping[str, float]  # criterion label -> weight as a fraction
    version: str
    day: date
    lang: Lang
    method: str = ""

    def caption(self) -> str:
        """One or two lines: case, set, weights, data version and date."""
        weights = ", ".join(f"{name} {w:.0%}" for name, w in self.weights.items())
        if self.lang == "nl":
            weights = weights.replace(".", ",")
            head = f"Casus: {self.case_label} · Criteria: {self.set_label}"
            tail = f"Gewichten: {weights}"
            foot = f"Afweging · dataversie {self.version} · {self.day.strftime('%d-%m-%Y')}"
        else:
            head = f"Case: {self.case_label} · Criteria: {self.set_label}"
            tail = f"Weights: {weights}"
            foot = f"Afweging · data version {self.version} · {self.day.isoformat()}"
        if self.method:
            foot += f" · {self.method}"
        return "<br>".join(wrap(line, 64) for line in (head, tail, foot))

    def file_stem(self, what: str) -> str:
        """A meaningful file name for downloads, e.g. ``afweging-sra-kern-rangorde-2026-11-26``."""
        safe = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in what.lower())
        return f"afweging-{safe}-{self.day.isoformat()}"


def wrap(text: str, width: int = 34) -> str:
    """Break a long label over lines (``<br>``) so charts keep room to draw on narrow screens."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def memo_layout(
    fig: go.Figure, title: str, memo: MemoContext, height: int = 420, legend_items: int = 0
) -> go.Figure:
    """Apply the house style: title and memo caption on top, legend at the bottom.

    The caption is the title's subtitle, placed from the figure's left edge, so it
    stays whole however wide the axis labels are. An explicit template keeps
    server-side exports in the same colours as the screen.
    """
    caption = memo.caption()
    lines = caption.count("<br>") + 1
    top = 56 + 15 * lines
    legend_rows = -(-legend_items // 3) if legend_items else 0
    bottom = 50 + 24 * legend_rows
    fig.update_layout(
        template=TEMPLATE,
        title={
            "text": title,
            "x": 0.01,
            "xref": "container",
            "xanchor": "left",
            "y": 0.99,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 17},
            "subtitle": {"text": caption, "font": {"size": 11, "color": SUBTLE_INK}},
        },
        font={"family": FONT, "size": 13, "color": INK},
        separators=",." if memo.lang == "nl" else ".,",
        margin={"l": 10, "r": 30, "t": top, "b": bottom},
        height=height + top + bottom,
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=list(OKABE_ITO),
        hoverlabel={"bgcolor": "white", "font": {"family": FONT}},
        legend={
            "orientation": "h",
            "xref": "container",
            "yref": "container",
            "x": 0.01,
            "y": 0.005,
            "xanchor": "left",
            "yanchor": "bottom",
        },
    )
    fig.update_xaxes(_AXIS)
    fig.update_yaxes(_AXIS)
    return fig


def image_config(memo: MemoContext, what: str) -> dict[str, object]:
    """Plotly's config for a 2x PNG download with a meaningful file name, no logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": memo.file_stem(what)},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
