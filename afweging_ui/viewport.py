"""How wide the charts are drawn: the main column's width, measured in the browser.

Plotly draws text in SVG, which never wraps by itself: a title or memo caption
wrapped for a desk screen is cut off on a phone, and one wrapped for a phone
takes four or five lines on a desk screen. The server does not know the width,
so a tiny component (``st.components.v2``, no visible output) measures the main
column and reports it, rounded down to one of :data:`BUCKETS`; the charts wrap
their texts for that width (:class:`afweging_ui.style.MemoContext`).

Only a change of bucket reruns the script. Before the first report the width is
guessed from the browser's User-Agent: a phone (``Mobi`` in it) gets the
narrowest common phone column, anything else the widest bucket, which every
desk screen from about 1250 px reaches. So a desk browser never reruns for the
measurement, and a phone only when its column differs from the guess.

Everything else that differs on a phone (inline weights, score cards, touch
targets) is CSS (:data:`afweging_ui.style.PAGE_CSS`, in the page's head) and needs no
measurement.
"""

from __future__ import annotations

import streamlit as st

from afweging.model import Lang

#: Column widths in CSS px that a chart's texts are wrapped for; the largest one not
#: above the measured width is used. 800 is "a desk screen": wider columns wrap as 800.
BUCKETS = (300, 320, 340, 350, 360, 380, 400, 440, 480, 540, 600, 680, 800)
WIDE = BUCKETS[-1]
#: The column of a 390 px phone, the most common (the viewport less 2 x 1 rem padding).
PHONE_GUESS = 350
#: Session state: the last width the browser reported (a bucket).
WIDTH = "viewport_width"
KEY = "viewport_probe"

#: Trusted, constant code (no user text ever goes in): measure the main column's content
#: width, round it down to a bucket and report it only when it differs from the one the
#: server used, then again whenever the column's size changes (debounced).
_JS = r"""
// Streamlit writes a slider's value with sprintf-js, which knows no decimal comma: the
// weights' half steps read "3.5" on a Dutch page. The figures at the sliders are written
// in the page's language, in place (React keeps the same text node and updates it).
const SLIDER_FIGURES =
  '[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBarMin"], ' +
  '[data-testid="stSliderTickBarMax"]';
function sliderFigures() {
  const dutch = document.documentElement.lang === "nl";
  const [from, to] = dutch ? [/(\d)\.(\d)/g, "$1,$2"] : [/(\d),(\d)/g, "$1.$2"];
  for (const box of document.querySelectorAll(SLIDER_FIGURES)) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.replace(from, to);
      if (text !== node.nodeValue) node.nodeValue = text;
    }
  }
}

export default function ({ data, setStateValue }) {
  // The page's language follows the reader's choice (screen readers pronounce by it,
  // and the stylesheet words Streamlit's upload button by it).
  if (data.lang && document.documentElement.lang !== data.lang) {
    document.documentElement.lang = data.lang;
  }
  if (!window.__afwSliderFigures) {
    window.__afwSliderFigures = new MutationObserver(sliderFigures);
    window.__afwSliderFigures.observe(document.body, {
      subtree: true, childList: true, characterData: true,
    });
  }
  sliderFigures();
  const column = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!column) return;
  const bucket = (width) => {
    let chosen = data.buckets[0];
    for (const b of data.buckets) if (b <= width) chosen = b;
    return chosen;
  };
  const report = () => {
    const style = getComputedStyle(column);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const inner = column.clientWidth - padding;
    if (inner > 0 && bucket(inner) !== data.width) setStateValue("width", bucket(inner));
  };
  let timer = null;
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(report, 250);
  });
  observer.observe(column);
  report();
  return () => {
    clearTimeout(timer);
    observer.disconnect();
  };
}
"""

_probe = st.components.v2.component("afweging_viewport", js=_JS)


def _guess() -> int:
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no browser (AppTest, bare runs)
        agent = ""
    return PHONE_GUESS if "Mobi" in agent else WIDE


def chart_width() -> int:
    """The width (CSS px, a bucket) the charts of this run are drawn for."""
    width = st.session_state.get(WIDTH)
    return int(width) if width in BUCKETS else _guess()


def _reported() -> None:
    value = getattr(st.session_state.get(KEY), "width", None)
    if value in BUCKETS:
        st.session_state[WIDTH] = int(value)


def measure(lang: Lang) -> None:
    """Mount the (invisible) probe; call it once per run. It also sets the page's
    language (``<html lang>``) to ``lang``."""
    _probe(
        key=KEY,
        data={"width": chart_width(), "buckets": list(BUCKETS), "lang": lang},
        on_width_change=_reported,
    )
