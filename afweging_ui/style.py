"""Shared look of every chart and page: colour-blind-safe colours, titles, memo captions,
and the one stylesheet that fits the dashboard to a phone.

Every chart carries a title and a caption with the weights, case, data version
and date, so a screenshot pasted into a memo explains itself. Plotly draws text in
SVG, which does not wrap: titles, captions and legend entries are wrapped here for
the width the chart is drawn at (:attr:`MemoContext.width`, measured in the browser
by :mod:`afweging_ui.viewport`), so they use a desk screen's full width and still fit a phone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from afweging.model import Lang
from afweging.numbers import percent
from afweging.palette import INK, OKABE_ITO
from afweging.translations import text

#: The screen's theme: ``[theme]`` in ``.streamlit/config.toml`` holds the same values
#: (tests/test_accessibility_browser.py checks that they agree). WCAG 2.1 AA asks 4.5:1
#: for text. Streamlit's default red (#c53948) drew the selected segmented control at
#: 4.23:1 on its own tint, and its captions (the body text at 60 % opacity) at 3.88:1.
#: PRIMARY is the Okabe-Ito blue darkened: 7.5:1 on white, 6.0:1 on the tint behind a
#: selected segmented control, and white button text on it 7.5:1. TEXT is a shade darker
#: than the charts' INK so that captions reach 4.95:1 on white and 4.87:1 on the sidebar.
PRIMARY = "#00598B"
TEXT = "#111111"
SUBTLE_INK = "#4a4a4a"
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
#: An average glyph of the chart font is at most this share of the font size wide
#: (measured in chromium: 0.43-0.49 for Dutch text); bold text a little wider.
CHAR_EM = 0.5
BOLD_CHAR_EM = 0.58
#: Room kept free at a chart's right edge for plotly's buttons, drawn as a vertical bar
#: there (``modebar.orientation = "v"``), so they never cover a title or caption.
MODEBAR_ROOM = 44
TITLE_SIZE = 17
CAPTION_SIZE = 11
LEGEND_SIZE = 13
#: Caption lines when the chart's width is unknown (workshop charts): fits a phone.
CAPTION_CHARS = 64


def chars_for(width_px: float, font_px: float, em: float = CHAR_EM) -> int:
    """How many characters of text in ``font_px`` fit in ``width_px`` (at least 12)."""
    return max(12, int(width_px / (font_px * em)))


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
    #: The width in CSS px the chart is drawn at; None: unknown (wrapped for a phone).
    width: int | None = None

    def text_width(self) -> float | None:
        """The width titles and captions may take: the chart's, less the buttons' room."""
        return None if self.width is None else self.width - MODEBAR_ROOM - 6

    def caption(self) -> str:
        """Case and set, weights, data version and date: each a line, wrapped to the width."""
        weights = ", ".join(f"{name} {percent(w, self.lang)}" for name, w in self.weights.items())
        if self.lang == "nl":
            head = f"Casus: {self.case_label} · Criteria: {self.set_label}"
            tail = f"Gewichten: {weights}"
            foot = f"Afweging · dataversie {self.version} · {self.day.strftime('%d-%m-%Y')}"
        else:
            head = f"Case: {self.case_label} · Criteria: {self.set_label}"
            tail = f"Weights: {weights}"
            foot = f"Afweging · data version {self.version} · {self.day.isoformat()}"
        if self.method:
            foot += f" · {self.method}"
        room = self.text_width()
        if room is None:
            return "<br>".join(wrap(line, CAPTION_CHARS) for line in (head, tail, foot))
        n = chars_for(room, CAPTION_SIZE)
        return "<br>".join(keep_dots(line, n) for line in (head, tail, foot))

    def file_stem(self, what: str) -> str:
        """A meaningful file name for downloads, e.g. ``afweging-sra-kern-rangorde-2026-11-26``."""
        safe = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in what.lower())
        return f"afweging-{safe}-{self.day.isoformat()}"


def wrap(text: str, width: int = 34) -> str:
    """Break a long label over lines (``<br>``) so charts keep room to draw on narrow screens.

    Lines the text already breaks with ``<br>`` are kept and each is wrapped on its own.
    """
    out = []
    for part in text.split("<br>"):
        words, lines, line = part.split(), [], ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        out += lines
    return "<br>".join(out)


def keep_dots(text: str, width: int) -> str:
    """Wrap ``text`` by words, never starting a line with a separating " · "."""
    words: list[str] = []
    for word in text.split():
        if word == "·" and words:
            words[-1] += " ·"
        else:
            words.append(word)
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines)


def fit(text: str, memo: MemoContext, font_px: float, room: float | None = None) -> str:
    """``text`` wrapped to the chart's width (or ``room`` px of it); unchanged when unknown."""
    width = memo.text_width() if room is None else room
    return text if width is None else wrap(text, chars_for(width, font_px))


def legend_text(name: str, memo: MemoContext) -> str:
    """A legend entry wrapped so that it fits the chart's width beside its symbol."""
    room = memo.text_width()
    return name if room is None else wrap(name, chars_for(room - 50, LEGEND_SIZE))


def _legend_height(names: Sequence[str], memo: MemoContext) -> int:
    """Room for a horizontal legend: its entries packed into rows as plotly packs them."""
    room = memo.text_width()
    if room is None:  # unknown width: three entries a row
        return 24 * -(-len(names) // 3)
    # Plotly fills a row up to the plot area's width (less the axis labels at its left).
    plot_area = room - 50
    rows: list[tuple[float, int]] = []  # (width used, most lines of an entry)
    for name in names:
        lines = name.split("<br>")
        width = 46 + max(len(line) for line in lines) * LEGEND_SIZE * CHAR_EM
        if rows and rows[-1][0] + width <= plot_area:
            used, most = rows[-1]
            rows[-1] = (used + width, max(most, len(lines)))
        else:
            rows.append((width, len(lines)))
    return sum(24 + 16 * (most - 1) for _, most in rows)


def memo_layout(
    fig: go.Figure,
    title: str,
    memo: MemoContext,
    height: int = 420,
    legend_items: int = 0,
    legend_names: Sequence[str] | None = None,
) -> go.Figure:
    """Apply the house style: title and memo caption on top, legend at the bottom.

    The caption is the title's subtitle, placed from the figure's left edge, so it
    stays whole however wide the axis labels are. Title, caption and legend entries
    are wrapped to the chart's width (when known) and kept clear of plotly's buttons,
    which stand in a column at the right edge. An explicit template keeps server-side
    exports in the same colours as the screen. ``legend_names`` are the legend's
    entries when the traces are added later; otherwise they are read from the figure
    (``legend_items`` of them), and wrapped in place.
    """
    if legend_names is None and legend_items:
        shown = [tr for tr in fig.data if tr.name and tr.showlegend is not False]
        for tr in shown:
            tr.name = legend_text(tr.name, memo)
        legend_names = [tr.name for tr in shown][:legend_items] or [""] * legend_items
    title = fit(title, memo, TITLE_SIZE)
    caption = memo.caption()
    lines = caption.count("<br>") + 1
    # Plotly sets a title of several lines about 10 px too high (its first line was cut
    # off at the top): a padding brings it down.
    pad = 12 if "<br>" in title else 0
    top = 56 + pad + 22 * title.count("<br>") + 15 * lines
    bottom = 50 + (_legend_height(legend_names, memo) if legend_names else 0)
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
            "font": {"size": TITLE_SIZE},
            "pad": {"t": pad},
            "subtitle": {"text": caption, "font": {"size": CAPTION_SIZE, "color": SUBTLE_INK}},
        },
        font={"family": FONT, "size": LEGEND_SIZE, "color": INK},
        separators=",." if memo.lang == "nl" else ".,",
        margin={"l": 10, "r": MODEBAR_ROOM, "t": top, "b": bottom},
        height=height + top + bottom,
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=list(OKABE_ITO),
        hoverlabel={"bgcolor": "white", "font": {"family": FONT}},
        modebar={"orientation": "v"},
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


#: plotly.js's own texts (buttons, notes) by the translation keys that word them; each
#: key's English text is plotly's own words, which plotly looks its translations up by.
PLOTLY_TEXTS = (
    "plotly_download_png",
    "plotly_download",
    "plotly_preparing",
    "plotly_downloaded",
    "plotly_download_failed",
    "plotly_zoom",
    "plotly_zoom_in",
    "plotly_zoom_out",
    "plotly_pan",
    "plotly_reset_axes",
    "plotly_autoscale",
    "plotly_reset",
    "plotly_reset_view",
    "plotly_box_select",
    "plotly_lasso_select",
    "plotly_hover_closest",
    "plotly_hover_compare",
    "plotly_spikes",
    "plotly_zoom_back",
)


def plotly_locale(lang: Lang) -> dict[str, object]:
    """A plotly.js locale for ``lang`` from the translation table (plotly.js ships its
    Dutch one separately, and that one leaves "Pan" and "Reset axes" in English)."""
    return {
        "dictionary": {text(k, "en"): text(k, lang) for k in PLOTLY_TEXTS},
        "format": {"decimal": ",", "thousands": "."} if lang == "nl" else {},
    }


def image_config(memo: MemoContext, what: str) -> dict[str, object]:
    """Plotly's config: a 2x PNG download with a meaningful file name, no logo, the
    buttons in the reader's language."""
    return {
        "displaylogo": False,
        # plotly.js 4 offers "Share chart..." (an upload to Chart Studio) unless told not to.
        "showSendToCloud": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": memo.file_stem(what)},
        # Fewer buttons: the column at the right edge stays short on a phone.
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
        "locale": memo.lang,
        "locales": {memo.lang: plotly_locale(memo.lang)},
    }


#: Up to this width (Streamlit's own breakpoint, where the sidebar becomes a drawer over
#: the page) the dashboard takes its phone layout.
NARROW_MAX_PX = 768

#: The one stylesheet of the dashboard (constant: no user or data text ever goes in).
#: Widget and container keys (class ``st-key-<key>``) mark the blocks that differ by
#: width: ``phone_...`` blocks show on narrow screens only, ``desk_...`` ones on wide
#: screens only (tables as cards, :mod:`afweging_ui.cards`); the weights stand on the explore
#: page itself (``phone_weights``) and not in the sidebar (``side_weights``).
PAGE_CSS = f"""
.st-key-viewport_probe {{ display: none; }}
/* Streamlit's file uploader speaks English ("Upload", "20MB per file"; that limit is the
   server's hard one, not the 1 MB the panels check and state in words). Its button is
   worded in the page's language (<html lang>, kept to the reader's choice), from the
   translation table; the stylesheet is constant, and these are no user's words. */
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
/* Out of sight, not out of the accessibility tree: axe-core does not count the CSS text
   below as the button's name, so Streamlit's own word stays there for it. */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap;
}}
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after {{
  content: "{text("upload_button", "nl")}";
}}
html[lang="en"] [data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after {{
  content: "{text("upload_button", "en")}";
}}
/* Pairwise (AHP) sliders: the judgement is written out under each slider (its full
   text also is the slider's value for screen readers); the long texts at the thumb
   and at both ends did not fit the sidebar. */
[class*="in_ahp_"] [data-testid="stSliderThumbValue"],
[class*="in_ahp_"] [data-testid="stSliderTickBar"] {{ display: none; }}
/* A keyed container stands in a layout wrapper of its own, which kept a gap of the
   page's column (16 px) when only the container was hidden: both go, so a wide screen
   (the workshop's projector) looks exactly as it did with the tables alone. */
@media (min-width: {NARROW_MAX_PX + 1}px) {{
  [class*="st-key-phone_"], .st-key-side_weights_note,
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-phone_"]) {{ display: none; }}
}}
@media (max-width: {NARROW_MAX_PX}px) {{
  [class*="st-key-desk_"],
  [data-testid="stLayoutWrapper"]:has(> [class*="st-key-desk_"]) {{ display: none; }}
  body:has(.st-key-phone_weights) .st-key-side_weights {{ display: none; }}
  body:not(:has(.st-key-phone_weights)) .st-key-side_weights_note {{ display: none; }}
  /* Touch targets of at least 44 x 44 px (WCAG 2.5.5): a slider's thumb keeps its
     16 px dot inside a transparent 44 px ring. */
  [data-testid="stSlider"] div:has(> div > input[type="range"]) {{
    box-sizing: content-box; width: 16px; height: 16px; padding: 14px;
    background-clip: content-box;
  }}
  [data-testid="stSlider"] [data-testid="stSliderThumbValue"] {{ top: -10px; }}
  [data-testid^="stBaseButton"], [data-testid="stButtonGroup"] button,
  [data-testid="stTab"], [data-testid="stExpander"] summary {{ min-height: 44px; }}
  [data-testid="stHeader"] button {{ min-width: 44px; min-height: 44px; }}
  [data-testid="stSelectbox"] button[aria-haspopup],
  [data-testid="stMultiSelect"] button[aria-haspopup] {{ min-height: 44px; }}
  [data-testid^="stNumberInputStep"] {{ min-width: 44px; min-height: 44px; }}
  /* A help icon keeps its place; its target grows around it. */
  [data-testid="stTooltipIcon"] button {{ min-width: 44px; min-height: 44px; margin: -14px; }}
  /* Plotly's buttons, in their column at the chart's right edge (MODEBAR_ROOM). */
  .afw-chart.js-plotly-plot .plotly .modebar-btn {{
    width: 44px; height: 44px; padding: 11px 12px; box-sizing: border-box;
  }}
  /* Every tab in sight: the tab row wraps instead of scrolling sideways. */
  [data-testid="stTabs"] [role="tablist"] {{ flex-wrap: wrap; gap: 0 1rem; }}
  /* Less empty space above the page, so the weights and the result share the screen. */
  [data-testid="stMainBlockContainer"] {{ padding-top: 4rem; }}
  [data-testid="stMain"] h1 {{ font-size: 2.25rem; }}
  .st-key-phone_weights h3 {{ font-size: 1.25rem; padding: 0; }}
  [data-testid="stTabsScrollLeft"], [data-testid="stTabsScrollRight"] {{ display: none; }}
}}
"""
