"""Plotly figures drawn as inline SVG, for a report that prints and stays small.

A printed page needs no interaction, and plotly.js alone (4.8 MB) is three times the
size a report may have. So each chart is drawn here as SVG from the figure's own
data and layout: bars (stacked, grouped, with text), scatter text, markers and lines,
box plots with their points, heatmaps with text, annotations, a title with subtitle,
axes with grid lines and a legend. :func:`chart_svg` returns None for a figure with
anything else (a ternary map, shapes, a second axis, a colour bar), so the caller can
embed plotly.js instead. Hover texts become SVG tooltips; no script is needed.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import plotly.graph_objects as go

from afweging.palette import INK, PLOTLY_COLOURWAY


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


#: plotly.js's own default font, for what neither the figure nor its template sets.
_PLOTLY_FONT = '"Open Sans", verdana, arial, sans-serif'
#: Advance widths of Helvetica (= Arial, Liberation Sans) for ' ' to '~', per 1000 em.
_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_OTHER_WIDTHS = {"·": 278, "–": 556, "—": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "…": 1000}
#: Plotly's pseudo-HTML in texts; any other tag is text like the rest.
_TAG = re.compile(r"<(/?)(br|b|i|em|strong|sup|sub|span)\b[^<>]*>", re.IGNORECASE)
_LINE = 1.3  # line height, in font sizes
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # what plotly.js would put on a date axis
_TRACES = ("bar", "scatter", "box", "heatmap")
#: Layout parts the drawing does not cover: such a figure goes to plotly.js.
_LAYOUT_UNSUPPORTED = re.compile(
    r"(?:[xy]axis\d+|shapes|images|updatemenus|sliders|polar\d*|ternary\d*|geo\d*|mapbox\d*"
    r"|map\d*|scene\d*|smith\d*|grid|coloraxis\d*|selections)"
)

Run = tuple[str, bool, bool]  # text, bold, italic


def _star(points: int, inner: float) -> tuple[tuple[float, float], ...]:
    return tuple(
        (
            (1 if k % 2 == 0 else inner) * math.sin(math.pi * k / points),
            -(1 if k % 2 == 0 else inner) * math.cos(math.pi * k / points),
        )
        for k in range(2 * points)
    )


_PLUS = ((-1, -0.33), (-0.33, -0.33), (-0.33, -1), (0.33, -1), (0.33, -0.33), (1, -0.33),
         (1, 0.33), (0.33, 0.33), (0.33, 1), (-0.33, 1), (-0.33, 0.33), (-1, 0.33))  # fmt: skip
#: Marker outlines on a unit radius (plotly's names); a circle is drawn as a circle.
_SYMBOLS: dict[str, tuple[tuple[float, float], ...]] = {
    "circle": (),
    "square": ((-1, -1), (1, -1), (1, 1), (-1, 1)),
    "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)),
    "triangle-up": ((0, -1.3), (1.3, 1), (-1.3, 1)),
    "triangle-down": ((0, 1.3), (1.3, -1), (-1.3, -1)),
    "cross": tuple((1.2 * a, 1.2 * b) for a, b in _PLUS),
    "x": tuple((0.85 * (a - b), 0.85 * (a + b)) for a, b in _PLUS),
    "star": tuple((1.3 * a, 1.3 * b) for a, b in _star(5, 0.45)),
    "hexagon": tuple(
        (1.1 * math.sin(math.pi * k / 3), -1.1 * math.cos(math.pi * k / 3)) for k in range(6)
    ),
}


class _Unsupported(Exception):
    """Something the static drawing does not cover; the figure goes to plotly.js instead."""


def _pick(*values: Any) -> Any:
    """The first value that is set."""
    return next((v for v in values if v is not None), None)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | bytes | int | float):
        return [value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value)


def _each(value: Any, n: int) -> list[Any]:
    """A per-point attribute as ``n`` values: a list as given, one value repeated."""
    if value is None or isinstance(value, str | int | float):
        return [value] * n
    items = _list(value)
    return [items[k] if k < len(items) else None for k in range(n)]


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _f(x: float) -> str:
    """A coordinate for the SVG: one decimal is far below what a printer resolves."""
    return f"{x:.1f}".removesuffix(".0")


def _lines(text: object) -> list[list[Run]]:
    """Plotly's pseudo-HTML as lines of (text, bold, italic) runs, entities decoded."""
    s = "" if text is None else str(text)
    lines: list[list[Run]] = [[]]
    bold = italic = pos = 0
    for m in [*_TAG.finditer(s), None]:
        chunk = s[pos : m.start() if m else len(s)]
        if chunk:
            lines[-1].append((html.unescape(chunk), bold > 0, italic > 0))
        if m is None:
            break
        step = -1 if m.group(1) else 1
        tag = m.group(2).lower()
        if tag == "br":
            lines.append([])
        elif tag in ("b", "strong"):
            bold = max(0, bold + step)
        elif tag in ("i", "em"):
            italic = max(0, italic + step)
        pos = m.end()
    return lines


def _plain(text: object) -> str:
    """The text without markup, lines joined by newlines (for titles and tooltips)."""
    return "\n".join("".join(r[0] for r in line) for line in _lines(text)).strip()


def char_width(ch: str) -> int:
    code = ord(ch)
    if 32 <= code < 127:
        return _WIDTHS[code - 32]
    if ch in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[ch]
    base = unicodedata.normalize("NFKD", ch)[:1]
    return _WIDTHS[ord(base) - 32] if base and 32 <= ord(base) < 127 else 556


def text_width(line: Sequence[Run], size: float) -> float:
    """How wide a line of text is set, estimated from Helvetica's widths."""
    units = sum(sum(map(char_width, text)) * (1.08 if bold else 1.0) for text, bold, _ in line)
    return units * size / 1000


def _text_size(text: object, size: float) -> tuple[float, float]:
    lines = _lines(text)
    return max(text_width(line, size) for line in lines), len(lines) * size * _LINE


def _rgb(colour: str) -> tuple[float, float, float] | None:
    """A hex, rgb() or rgba() colour as 0-255 channels; None for names and the rest."""
    c = colour.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}", c):
        digits = c[1:] if len(c) == 7 else "".join(d * 2 for d in c[1:])
        return (
            float(int(digits[0:2], 16)),
            float(int(digits[2:4], 16)),
            float(int(digits[4:6], 16)),
        )
    m = re.fullmatch(r"rgba?\(([^)]*)\)", c)
    if m:
        parts = [p.strip() for p in m.group(1).split(",")]
        if len(parts) >= 3 and all(_number(p) is not None for p in parts[:3]):
            return (float(parts[0]), float(parts[1]), float(parts[2]))
    if c in ("white", "black"):
        return (255.0, 255.0, 255.0) if c == "white" else (0.0, 0.0, 0.0)
    return None


def _scale_colour(scale: Sequence[Sequence[Any]], t: float) -> str:
    """The colour at ``t`` in [0, 1] on a colour scale of (position, colour) stops."""
    stops: list[tuple[float, tuple[float, float, float]]] = []
    for p, c in scale:
        rgb = _rgb(str(c))
        if rgb is None:
            raise _Unsupported("colour scale")
        stops.append((float(p), rgb))
    if len(stops) < 2:
        raise _Unsupported("colour scale")
    t = min(1.0, max(0.0, t))
    for (p0, c0), (p1, c1) in itertools.pairwise(stops):
        if t <= p1 or p1 == stops[-1][0]:
            u = 0.0 if p1 == p0 else min(1.0, max(0.0, (t - p0) / (p1 - p0)))
            mixed = [a + (b - a) * u for a, b in zip(c0, c1, strict=True)]
            return "#" + "".join(f"{round(v):02x}" for v in mixed)
    raise _Unsupported("colour scale")  # pragma: no cover - the loop always returns


def _ink(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill``."""
    rgb = _rgb(fill) or (255.0, 255.0, 255.0)
    lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    return INK if lum > 140 else "#ffffff"


def _nice(rough: float) -> float:
    """plotly.js's tick step: the rough step rounded up to 2, 5 or 10 times a power of ten."""
    base = 10 ** math.floor(math.log10(rough))
    return base * next(m for m in (2, 5, 10) if rough / base <= m + 1e-9)


def _decimals(*values: float) -> int:
    """The fewest decimals that write each value exactly (up to six)."""
    for d in range(7):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return d
    return 6


class _Axis:
    """One cartesian axis: its kind, categories, range and the pixels it spans."""

    def __init__(self, letter: str, spec: Any, template: Any, raw: Sequence[Any]) -> None:
        self.letter, self.spec, self.template = letter, spec, template
        kind = self.get("type")
        if kind in (None, "-"):
            numeric = all(_number(v) is not None for v in raw if v is not None)
            kind = "linear" if numeric else "category"
            if not numeric and any(isinstance(v, date) or _DATE.match(str(v)) for v in raw):
                kind = "date"
        if kind not in ("linear", "category"):
            raise _Unsupported(f"{letter}axis type {kind}")
        if self.get("side") not in (None, "bottom" if letter == "x" else "left"):
            raise _Unsupported(f"{letter}axis side")
        self.kind = kind
        self.categories: list[str] = []
        self.data_lo, self.data_hi = math.inf, -math.inf
        self.bars = False
        self.tight = False
        self.lo, self.hi = 0.0, 1.0
        self.start, self.end = 0.0, 1.0

    def get(self, name: str) -> Any:
        return _pick(getattr(self.spec, name), getattr(self.template, name))

    def title(self) -> str:
        return _pick(self.spec.title.text, self.template.title.text) or ""

    def coord(self, value: Any) -> float | None:
        if value is None:
            return None
        if self.kind == "linear":
            return _number(value)
        key = str(value)
        if key not in self.categories:
            self.categories.append(key)
        return float(self.categories.index(key))

    def include(self, *values: float | None) -> None:
        for v in values:
            if v is not None and math.isfinite(v):
                self.data_lo, self.data_hi = min(self.data_lo, v), max(self.data_hi, v)

    def settle(self) -> None:
        """The range: as the figure sets it, else around the data as plotly.js would."""
        given = [_number(v) for v in _list(self.get("range"))]
        known = [v for v in given if v is not None]
        if len(given) == 2 and len(known) == 2:
            self.lo, self.hi = known
            return
        if self.kind == "category":
            lo, hi = -0.5, max(0.5, len(self.categories) - 0.5)
        elif self.tight and math.isfinite(self.data_lo):  # heatmap cells end at the axis
            lo, hi = self.data_lo, self.data_hi
        else:
            lo, hi = self.data_lo, self.data_hi
            if not math.isfinite(lo):
                lo, hi = 0.0, 1.0
            to_zero = self.bars or self.get("rangemode") == "tozero"
            if to_zero:
                lo, hi = min(lo, 0.0), max(hi, 0.0)
            if self.get("rangemode") == "nonnegative":
                lo = max(lo, 0.0)
            span = hi - lo
            if span == 0:
                lo, hi = lo - 1, hi + 1
            else:
                lo -= 0 if to_zero and lo == 0 else 0.05 * span
                hi += 0 if to_zero and hi == 0 else 0.05 * span
        if self.get("autorange") == "reversed":
            lo, hi = hi, lo
        self.lo, self.hi = lo, hi

    def px(self, value: float) -> float:
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)

    def ticks(self, length: float, number: Callable[[float, str | None, int], str]) -> list:
        """(value, label) of each tick inside the range."""
        lo, hi = sorted((self.lo, self.hi))
        if self.kind == "category":
            return [(float(k), c) for k, c in enumerate(self.categories) if lo <= k <= hi]
        fmt = self.get("tickformat")
        given = [_number(v) for v in _list(self.get("tickvals"))]
        if given:
            texts = _list(self.get("ticktext"))
            return [
                (v, str(texts[k]) if k < len(texts) else number(v, fmt, _decimals(v)))
                for k, v in enumerate(given)
                if v is not None and lo - 1e-9 <= v <= hi + 1e-9
            ]
        step = _number(self.get("dtick"))
        if not step or step <= 0 or self.get("tickmode") == "auto":
            count = min(9.0, max(4.0, length / (80 if self.letter == "x" else 40))) + 1
            step = _nice((hi - lo) / count)
        origin = _number(self.get("tick0")) or 0.0
        first = origin + math.ceil((lo - origin) / step - 1e-9) * step
        values = [first + k * step for k in range(500) if first + k * step <= hi + 1e-9 * step]
        digits = _decimals(step, origin)
        return [(v, number(v, fmt, digits)) for v in values]


class _Svg:
    """One plotly figure drawn as inline SVG at ``width`` pixels; see the section comment."""

    def __init__(self, fig: go.Figure, width: int) -> None:
        self.fig = fig
        layout, tmpl = fig.layout, fig.layout.template.layout
        self.layout, self.tmpl = layout, tmpl
        self._check()
        self.family = _pick(layout.font.family, tmpl.font.family) or _PLOTLY_FONT
        self.size = float(_pick(layout.font.size, tmpl.font.size) or 12)
        self.ink = _pick(layout.font.color, tmpl.font.color) or "#444"
        self.seps = _pick(layout.separators, tmpl.separators) or ".,"
        self.colourway = list(_pick(layout.colorway, tmpl.colorway) or PLOTLY_COLOURWAY)
        self.width = float(width)
        self.height = float(layout.height or 450)
        margin, tm = layout.margin, tmpl.margin
        self.ml, self.mr, self.mt, self.mb = (
            float(_pick(getattr(margin, k), getattr(tm, k), d))
            for k, d in (("l", 80), ("r", 80), ("t", 100), ("b", 80))
        )
        self.traces = [
            (k, tr) for k, tr in enumerate(fig.data) if tr.visible in (None, True, "legendonly")
        ]
        self.out: list[str] = []

    # -- what is covered ------------------------------------------------------------------

    def _check(self) -> None:
        for key, value in self.layout.to_plotly_json().items():
            if key != "template" and value and _LAYOUT_UNSUPPORTED.fullmatch(key):
                raise _Unsupported(key)
        for note in self.layout.annotations:
            if note.showarrow is not False or (note.xref or "x") not in ("x", "paper"):
                raise _Unsupported("annotation")
            if (note.yref or "y") not in ("y", "paper"):
                raise _Unsupported("annotation")
        for tr in self.fig.data:
            if tr.type not in _TRACES:
                raise _Unsupported(tr.type)
            if (tr.xaxis or "x") != "x" or (tr.yaxis or "y") != "y":
                raise _Unsupported("second axis")
            if tr.type in ("bar", "scatter"):
                for err in (tr.error_x, tr.error_y):
                    if err.visible or err.array is not None:
                        raise _Unsupported("error bars")
            if tr.type == "bar":
                if tr.base is not None or tr.offset is not None:
                    raise _Unsupported("bar base")
                if tr.texttemplate not in (None, "", "%{text}"):
                    raise _Unsupported("bar texttemplate")
            elif tr.type == "scatter":
                if tr.fill not in (None, "none") or tr.stackgroup:
                    raise _Unsupported("scatter fill")
                if tr.texttemplate not in (None, "", "%{text}"):
                    raise _Unsupported("scatter texttemplate")
            elif tr.type == "heatmap":
                if tr.showscale is not False or isinstance(tr.colorscale, str):
                    raise _Unsupported("heatmap colour bar")
                if tr.texttemplate not in (None, "", "%{text}") or tr.zsmooth:
                    raise _Unsupported("heatmap texttemplate")

    # -- small pieces -----------------------------------------------------------------------

    def number(self, value: float, fmt: str | None, digits: int) -> str:
        """A tick label as plotly.js writes it, with the figure's separators: a d3 format
        such as ``.1f``, ``d`` or ``.0%``, or (without one) no more decimals than the
        value needs, and k, M or B from ten thousand up."""
        m = re.fullmatch(r"(,?)(?:\.(\d+))?([fd%]?)", fmt or "")
        if m is None:
            raise _Unsupported(f"tickformat {fmt}")
        group, places, kind = m.groups()
        suffix = "%" if kind == "%" else ""
        if kind == "%":
            value *= 100
        if places is not None:
            d = int(places)
        elif kind == "d":
            d = 0
        else:
            if not fmt and abs(value) >= 1e4:
                power = 9 if abs(value) >= 1e9 else 6 if abs(value) >= 1e6 else 3
                value, suffix = value / 10**power, {3: "k", 6: "M", 9: "B"}[power]
            d = _decimals(value) if suffix else min(_decimals(value), digits)
        text = f"{abs(value):{',' if group else ''}.{d}f}"
        text = text.replace(",", "\0").replace(".", self.seps[0]).replace("\0", self.seps[1:2])
        if value < 0 and any(ch.isdigit() and ch != "0" for ch in text):
            text = "−" + text
        return text + suffix

    def text(
        self,
        x: float,
        y: float,
        text: object,
        size: float,
        colour: str,
        *,
        anchor: str = "start",
        valign: str = "middle",
        angle: float = 0.0,
    ) -> None:
        """Text with its line breaks and bold; (x, y) anchors the whole block, which
        turns ``angle`` degrees anticlockwise around it."""
        lines = _lines(text)
        height = len(lines) * size * _LINE
        top = y - {"top": 0.0, "middle": height / 2, "bottom": height}[valign]
        spans = []
        for k, line in enumerate(lines):
            base = top + (k * _LINE + 0.95) * size
            pieces = "".join(
                (
                    f'<tspan font-weight="bold">{_e(s)}</tspan>'
                    if bold
                    else f'<tspan font-style="italic">{_e(s)}</tspan>'
                    if italic
                    else _e(s)
                )
                for s, bold, italic in line
            )
            spans.append(f'<tspan x="{_f(x)}" y="{_f(base)}">{pieces}</tspan>')
        turn = f' transform="rotate({_f(-angle)} {_f(x)} {_f(y)})"' if angle else ""
        self.out.append(
            f'<text font-size="{_f(size)}" fill="{_e(colour)}" text-anchor="{anchor}"{turn}>'
            f"{''.join(spans)}</text>"
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: str,
        *,
        opacity: float | None = None,
        stroke: str | None = None,
        stroke_width: float = 0.0,
        tip: str = "",
    ) -> None:
        x, y = min(x0, x1), min(y0, y1)
        attrs = f'x="{_f(x)}" y="{_f(y)}" width="{_f(abs(x1 - x0))}" height="{_f(abs(y1 - y0))}"'
        attrs += f' fill="{_e(fill)}"'
        if opacity is not None and opacity < 1:
            attrs += f' fill-opacity="{opacity:.2f}"'
        if stroke and stroke_width > 0:
            attrs += f' stroke="{_e(stroke)}" stroke-width="{_f(stroke_width)}"'
        self.out.append(
            f"<rect {attrs}><title>{_e(tip)}</title></rect>" if tip else f"<rect {attrs}/>"
        )

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        colour: str,
        width: float = 1.0,
        dash: str = "",
    ) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.out.append(
            f'<line x1="{_f(x0)}" y1="{_f(y0)}" x2="{_f(x1)}" y2="{_f(y1)}" '
            f'stroke="{_e(colour)}" stroke-width="{_f(width)}"{extra}/>'
        )

    def marker(
        self,
        x: float,
        y: float,
        size: float,
        colour: str,
        symbol: Any,
        opacity: float | None,
        tip: str = "",
    ) -> None:
        """A scatter marker: circle, square, diamond, triangle, cross, x or star."""
        r = size / 2
        name = str(symbol or "circle")
        if name.endswith("-open") or name not in _SYMBOLS:
            raise _Unsupported(f"marker symbol {name}")
        fill = f'fill="{_e(colour)}"' + (
            f' fill-opacity="{opacity:.2f}"' if opacity is not None and opacity < 1 else ""
        )
        if name == "circle":
            shape, tag = f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"', "circle"
        else:
            points = " ".join(f"{_f(x + r * a)},{_f(y + r * b)}" for a, b in _SYMBOLS[name])
            shape, tag = f'<polygon points="{points}"', "polygon"
        tail = f"><title>{_e(tip)}</title></{tag}>" if tip else "/>"
        self.out.append(f"{shape} {fill}{tail}")

    def colour_of(self, index: int) -> str:
        return self.colourway[index % len(self.colourway)]

    # -- the drawing ----------------------------------------------------------------------

    def render(self, label_id: str) -> str:
        layout, tmpl = self.layout, self.tmpl
        raw: dict[str, list[Any]] = {"x": [], "y": []}
        for _, tr in self.traces:
            for letter, values in zip("xy", self._raw(tr), strict=True):
                raw[letter] += values
        xa = _Axis("x", layout.xaxis, tmpl.xaxis, raw["x"])
        ya = _Axis("y", layout.yaxis, tmpl.yaxis, raw["y"])
        self.xa, self.ya = xa, ya
        shapes = [self._prepare(k, tr) for k, tr in self.traces]
        self._bars([s for s in shapes if s["type"] == "bar"])
        self._boxes([s for s in shapes if s["type"] == "box"])
        xa.settle()
        ya.settle()
        legend = self._legend_items()
        self._frame(legend)
        paper = _pick(layout.paper_bgcolor, tmpl.paper_bgcolor) or "#fff"
        plot = _pick(layout.plot_bgcolor, tmpl.plot_bgcolor) or "#fff"
        self.rect(0, 0, self.width, self.height, paper)
        self.rect(self.x0, self.y0, self.x1, self.y1, plot)
        self._grid()
        for s in shapes:
            getattr(self, "_draw_" + s["type"])(s)
        self._axes()
        self._annotations()
        self._title()
        self._legend(legend)
        title = _plain(_pick(layout.title.text, tmpl.title.text) or "")
        caption = _plain(_pick(layout.title.subtitle.text, tmpl.title.subtitle.text) or "")
        w, h = _f(self.width), _f(self.height)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {w} {h}" '
            f'width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" role="img" '
            f'aria-labelledby="{label_id}" font-family="{_e(self.family)}">'
            f'<title id="{label_id}">{_e(title)}</title>'
            + (f"<desc>{_e(caption)}</desc>" if caption else "")
            + "".join(self.out)
            + "</svg>"
        )

    def _raw(self, tr: Any) -> tuple[list[Any], list[Any]]:
        """The trace's x and y values as given (to type the axes)."""
        if tr.type == "heatmap":
            z = np.asarray(tr.z if tr.z is not None else [[]], dtype=float)
            rows, cols = z.shape if z.ndim == 2 else (0, 0)
            return _list(tr.x) or list(range(cols)), _list(tr.y) or list(range(rows))
        x, y = _list(tr.x), _list(tr.y)
        if tr.type == "box":
            if tr.orientation == "h" or (not y and x):
                return x, y or [tr.name or 0] * len(x)
            return x or [tr.name or 0] * len(y), y
        n = max(len(x), len(y))
        return x or list(range(n)), y or list(range(n))

    def _prepare(self, index: int, tr: Any) -> dict[str, Any]:
        """The trace in axis coordinates, with its colour."""
        xs, ys = self._raw(tr)
        s: dict[str, Any] = {"type": tr.type, "trace": tr, "colour": self.colour_of(index)}
        s["hidden"] = tr.visible == "legendonly"
        if tr.type == "heatmap":
            s["x"] = [self.xa.coord(v) for v in xs]
            s["y"] = [self.ya.coord(v) for v in ys]
            for axis, cs in ((self.xa, s["x"]), (self.ya, s["y"])):
                axis.tight = True
                if cs and None not in cs:
                    gap = min((abs(b - a) for a, b in itertools.pairwise(cs)), default=1.0) / 2
                    axis.include(min(cs) - gap, max(cs) + gap)
            return s
        horizontal = tr.orientation == "h" or (tr.type == "box" and not _list(tr.y) and xs)
        s["h"] = bool(horizontal) and tr.type != "scatter"
        s["x"] = [self.xa.coord(v) for v in xs]
        s["y"] = [self.ya.coord(v) for v in ys]
        if tr.type == "scatter":
            for x, y in zip(s["x"], s["y"], strict=False):
                if x is not None and y is not None:
                    self.xa.include(x)
                    self.ya.include(y)
        return s

    def _bars(self, bars: list[dict[str, Any]]) -> None:
        """Where each bar starts and ends (stacking, grouping) and how wide it is."""
        if not bars:
            return
        if len({b["h"] for b in bars}) > 1:
            raise _Unsupported("bars in both orientations")
        mode = _pick(self.layout.barmode, self.tmpl.barmode) or "group"
        gap = _pick(self.layout.bargap, self.tmpl.bargap)
        gap = 0.2 if gap is None else float(gap)
        group_gap = float(_pick(self.layout.bargroupgap, self.tmpl.bargroupgap) or 0.0)
        pos_axis, val_axis = (self.ya, self.xa) if bars[0]["h"] else (self.xa, self.ya)
        val_axis.bars = True
        positions = sorted({p for b in bars for p in b["y" if b["h"] else "x"] if p is not None})
        spacing = min((b - a for a, b in itertools.pairwise(positions) if b > a), default=1.0)
        band = spacing * (1 - gap)
        totals: dict[float, list[float]] = {}
        for g, b in enumerate(bars):
            tr = b["trace"]
            pos, val = (b["y"], b["x"]) if b["h"] else (b["x"], b["y"])
            n = len(pos)
            if mode == "group":
                slot = band / len(bars)
                default, shift = slot * (1 - group_gap), -band / 2 + slot * (g + 0.5)
            else:
                default, shift = band, 0.0
            widths = [_number(w) or default for w in _each(tr.width, n)]
            b["bars"] = []
            for k in range(n):
                p, v = pos[k], val[k] if k < len(val) else None
                if p is None or v is None:
                    continue
                base = 0.0
                if mode in ("stack", "relative"):
                    up, down = totals.setdefault(p, [0.0, 0.0])
                    if mode == "relative" and v < 0:
                        base, totals[p][1] = down, down + v
                    else:
                        base, totals[p][0] = up, up + v
                b["bars"].append((k, p + shift, widths[k] / 2, base, base + v))
                pos_axis.include(p + shift - widths[k] / 2, p + shift + widths[k] / 2)
                val_axis.include(base, base + v)

    def _boxes(self, boxes: list[dict[str, Any]]) -> None:
        """Quartiles, fences and mean of each box, by position."""
        if not boxes:
            return
        mode = _pick(self.layout.boxmode, self.tmpl.boxmode) or "overlay"
        gap = _pick(self.layout.boxgap, self.tmpl.boxgap)
        group_gap = _pick(self.layout.boxgroupgap, self.tmpl.boxgroupgap)
        band = 1 - (0.3 if gap is None else float(gap))
        for g, b in enumerate(boxes):
            if mode == "group":
                slot = band / len(boxes)
                width = slot * (1 - (0.3 if group_gap is None else float(group_gap)))
                shift = -band / 2 + slot * (g + 0.5)
            else:
                width, shift = band, 0.0
            pos, val = (b["y"], b["x"]) if b["h"] else (b["x"], b["y"])
            groups: dict[float, list[float]] = {}
            for p, v in zip(pos, val, strict=False):
                if p is not None and v is not None:
                    groups.setdefault(p, []).append(v)
            b["boxes"] = []
            pos_axis, val_axis = (self.ya, self.xa) if b["h"] else (self.xa, self.ya)
            for p, values in groups.items():
                a = np.asarray(values)
                q1, med, q3 = np.percentile(a, [25, 50, 75])
                lo_fence = a[a >= q1 - 1.5 * (q3 - q1)].min()
                hi_fence = a[a <= q3 + 1.5 * (q3 - q1)].max()
                stats = (q1, med, q3, lo_fence, hi_fence, a.mean())
                b["boxes"].append((p + shift, width / 2, stats, values))
                pos_axis.include(p + shift - width / 2, p + shift + width / 2)
                val_axis.include(float(a.min()), float(a.max()))

    def _legend_items(self) -> list[tuple[str, dict[str, Any]]]:
        shown = [
            (tr.name, {"trace": tr, "colour": self.colour_of(k)})
            for k, tr in self.traces
            if tr.showlegend is not False and tr.type != "heatmap" and tr.name
        ]
        wanted = _pick(self.layout.showlegend, self.tmpl.showlegend)
        if wanted is False or (wanted is None and len(shown) < 2):
            return []
        order = _pick(self.layout.legend.traceorder, self.tmpl.legend.traceorder) or ""
        return shown[::-1] if "reversed" in order else shown

    def _legend_size(self) -> float:
        return float(_pick(self.layout.legend.font.size, self.tmpl.legend.font.size) or self.size)

    def _legend_rows(self, items: list[tuple[str, dict[str, Any]]], left: float) -> list:
        """Horizontal legend items flowed into rows: (x, row, name, item)."""
        size, placed, x, row = self._legend_size(), [], left, 0
        for name, item in items:
            w = 34 + _text_size(name, size)[0] + 10
            if x > left and x + w > self.width - 4:
                x, row = left, row + 1
            placed.append((x, row, name, item))
            x += w
        return placed

    def _axis_font(self, axis: _Axis) -> tuple[float, str]:
        font, tfont = axis.spec.tickfont, axis.template.tickfont
        return float(_pick(font.size, tfont.size) or self.size), _pick(
            font.color, tfont.color
        ) or self.ink

    def _title_size(self, axis: _Axis) -> float:
        """An axis title's font size; plotly.js makes it a fifth larger than the text."""
        size = _pick(axis.spec.title.font.size, axis.template.title.font.size)
        return float(size or round(1.2 * self.size))

    def _frame(self, legend: list[tuple[str, dict[str, Any]]]) -> None:
        """The plot area: margins widened until labels, titles and the legend fit.

        The figure's own plot height is kept: what the margins need is added to the
        figure's height, so a printed chart never squeezes its bars.
        """
        layout, tmpl = self.layout, self.tmpl
        plot_h = max(40.0, self.height - self.mt - self.mb)
        ml, mr, mt, mb = self.ml, self.mr, self.mt, self.mb
        # left: the y tick labels and the y title
        size, _ = self._axis_font(self.ya)
        if self.ya.get("showticklabels") is not False:
            labels = self.ya.ticks(plot_h, self.number)
            widest = max((_text_size(t, size)[0] for _, t in labels), default=0.0)
            prefix = len(
                str(self.ya.get("tickprefix") or "") + str(self.ya.get("ticksuffix") or "")
            )
            need = widest + prefix * size * 0.6 + 8
            if self.ya.title():
                need += _text_size(self.ya.title(), self._title_size(self.ya))[1] + 6
            ml = max(ml, need + 4)
        # right: a vertical legend
        self.legend_vertical = (
            _pick(layout.legend.orientation, tmpl.legend.orientation) or "v"
        ) != "h"
        if legend and self.legend_vertical:
            size = self._legend_size()
            widest = max(_text_size(name, size)[0] for name, _ in legend)
            mr = max(mr, widest + 34 + 20)
        self.x0, self.x1 = ml, self.width - mr
        # top: the title and subtitle
        top = self._title_block()
        mt = max(mt, top + 8) if top else mt
        # bottom: the x tick labels, the x title and a horizontal legend
        size, _ = self._axis_font(self.xa)
        self.xa.start, self.xa.end = self.x0, self.x1
        below = 0.0
        self.x_angle = 0.0
        if self.xa.get("showticklabels") is not False:
            labels = self.xa.ticks(self.x1 - self.x0, self.number)
            sizes = [_text_size(t, size) for _, t in labels] or [(0.0, 0.0)]
            widest, tallest = max(w for w, _ in sizes), max(h for _, h in sizes)
            room = (self.x1 - self.x0) / max(1, len(labels))
            if widest > room - 6:  # labels would touch: turn them as plotly.js does
                self.x_angle = 30.0 if room > 2.2 * tallest else 90.0
                turn = math.radians(self.x_angle)
                tallest = widest * math.sin(turn) + tallest * math.cos(turn)
                # turned labels hang to the left of their tick: keep the first ones whole
                reach = max(
                    w * math.cos(turn) - self.xa.px(v) + 4
                    for (v, _), (w, _) in zip(labels, sizes, strict=True)
                )
                if reach > 0:
                    self.x0 += reach
                    self.xa.start = self.x0
            below += tallest + 6
        if self.xa.title():
            below += _text_size(self.xa.title(), self._title_size(self.xa))[1] + 8
        self.below = below
        self.legend_placed = []
        if legend and not self.legend_vertical:
            lx = _number(_pick(layout.legend.x, tmpl.legend.x)) or 0.0
            xref = _pick(layout.legend.xref, tmpl.legend.xref) or "paper"
            left = lx * self.width if xref == "container" else self.x0 + lx * (self.x1 - self.x0)
            self.legend_placed = self._legend_rows(legend, max(4.0, left))
            rows = 1 + max(r for _, r, _, _ in self.legend_placed)
            below += rows * self._legend_size() * _LINE * 1.25 + 8
        mb = max(mb, below + 6)
        self.ml, self.mr, self.mt, self.mb = ml, mr, mt, mb
        self.height = mt + plot_h + mb
        self.y0, self.y1 = mt, mt + plot_h
        self.ya.start, self.ya.end = self.y1, self.y0

    def _title_block(self) -> float:
        """How far down the title and subtitle reach (0 without a title)."""
        layout, tmpl = self.layout, self.tmpl
        text = _pick(layout.title.text, tmpl.title.text)
        if not text:
            self.title_at = None
            return 0.0
        size = float(_pick(layout.title.font.size, tmpl.title.font.size) or self.size * 1.4)
        sub = _pick(layout.title.subtitle.text, tmpl.title.subtitle.text)
        sub_size = float(
            _pick(layout.title.subtitle.font.size, tmpl.title.subtitle.font.size) or self.size
        )
        height = _text_size(text, size)[1] + (_text_size(sub, sub_size)[1] + 2 if sub else 0)
        y = _number(_pick(layout.title.y, tmpl.title.y))
        yref = _pick(layout.title.yref, tmpl.title.yref) or "container"
        top = (1 - y) * self.height if y is not None and yref == "container" else 4.0
        top = max(4.0, min(top, 12.0)) if y is not None and y > 0.9 else max(4.0, top)
        x = _number(_pick(layout.title.x, tmpl.title.x))
        xref = _pick(layout.title.xref, tmpl.title.xref) or "container"
        x = 0.5 if x is None else x
        anchor = _pick(layout.title.xanchor, tmpl.title.xanchor) or "auto"
        if anchor == "auto":
            anchor = "left" if x < 1 / 3 else "right" if x > 2 / 3 else "center"
        px = (
            x * self.width
            if xref == "container"
            else self.ml + x * (self.width - self.ml - self.mr)
        )
        self.title_at = (px, top, size, text, sub, sub_size, anchor)
        return top + height

    def _grid(self) -> None:
        for axis, across in ((self.xa, (self.y0, self.y1)), (self.ya, (self.x0, self.x1))):
            colour = axis.get("gridcolor")
            show = axis.get("showgrid")
            if show is None:
                show = True
            if show:
                for value, _ in axis.ticks(abs(axis.end - axis.start), self.number):
                    p = axis.px(value)
                    if axis.letter == "x":
                        self.line(p, across[0], p, across[1], colour or "#eee")
                    else:
                        self.line(across[0], p, across[1], p, colour or "#eee")
            zero = axis.get("zeroline")
            if zero is None:
                zero = bool(show or axis.get("zerolinecolor") or axis.get("zerolinewidth"))
            lo, hi = sorted((axis.lo, axis.hi))
            if axis.kind == "linear" and zero and (lo < 0 < hi or (lo <= 0 <= hi and axis.bars)):
                p, colour = axis.px(0.0), axis.get("zerolinecolor") or "#444"
                if axis.letter == "x":
                    self.line(p, across[0], p, across[1], colour)
                else:
                    self.line(across[0], p, across[1], p, colour)

    def _showline(self, axis: _Axis) -> bool:
        show = axis.get("showline")
        return bool(axis.get("linecolor") or axis.get("linewidth")) if show is None else show

    def _axes(self) -> None:
        for axis in (self.xa, self.ya):
            if self._showline(axis):
                colour, width = axis.get("linecolor") or "#444", axis.get("linewidth") or 1
                if axis.letter == "x":
                    self.line(self.x0, self.y1, self.x1, self.y1, colour, width)
                else:
                    self.line(self.x0, self.y0, self.x0, self.y1, colour, width)
            size, colour = self._axis_font(axis)
            prefix, suffix = str(axis.get("tickprefix") or ""), str(axis.get("ticksuffix") or "")
            if axis.get("showticklabels") is not False:
                for value, label in axis.ticks(abs(axis.end - axis.start), self.number):
                    text = prefix + label + suffix
                    if axis.letter == "x" and self.x_angle:
                        self.text(
                            axis.px(value),
                            self.y1 + 5,
                            text,
                            size,
                            colour,
                            anchor="end",
                            valign="middle",
                            angle=self.x_angle,
                        )
                    elif axis.letter == "x":
                        self.text(
                            axis.px(value),
                            self.y1 + 5,
                            text,
                            size,
                            colour,
                            anchor="middle",
                            valign="top",
                        )
                    else:
                        self.text(self.x0 - 6, axis.px(value), text, size, colour, anchor="end")
            title = axis.title()
            if title:
                tsize = self._title_size(axis)
                tcolour = _pick(axis.spec.title.font.color, axis.template.title.font.color)
                if axis.letter == "x":
                    y = self.y1 + self.below - _text_size(title, tsize)[1] - 4
                    self.text(
                        (self.x0 + self.x1) / 2,
                        y,
                        title,
                        tsize,
                        tcolour or self.ink,
                        anchor="middle",
                        valign="top",
                    )
                else:
                    x = 4 + _text_size(title, tsize)[1] / 2
                    self.text(
                        x,
                        (self.y0 + self.y1) / 2,
                        title,
                        tsize,
                        tcolour or self.ink,
                        anchor="middle",
                        angle=90,
                    )

    def _annotations(self) -> None:
        for note in self.layout.annotations:
            size = float(note.font.size or self.size)
            colour = note.font.color or self.ink
            if (note.xref or "x") == "paper":
                x = self.x0 + (_number(note.x) or 0.0) * (self.x1 - self.x0)
            else:
                value = self.xa.coord(note.x)
                x = self.xa.px(value if value is not None else 0.0)
            if (note.yref or "y") == "paper":
                y = self.y1 - (_number(note.y) or 0.0) * (self.y1 - self.y0)
            else:
                value = self.ya.coord(note.y)
                y = self.ya.px(value if value is not None else 0.0)
            xanchor = note.xanchor if note.xanchor not in (None, "auto") else "center"
            yanchor = note.yanchor if note.yanchor not in (None, "auto") else "middle"
            anchor = {"left": "start", "center": "middle", "right": "end"}[xanchor]
            self.text(
                x + (note.xshift or 0),
                y - (note.yshift or 0),
                note.text,
                size,
                colour,
                anchor=anchor,
                valign=yanchor,
            )

    def _title(self) -> None:
        if self.title_at is None:
            return
        x, top, size, text, sub, sub_size, anchor = self.title_at
        layout, tmpl = self.layout, self.tmpl
        colour = _pick(layout.title.font.color, tmpl.title.font.color) or self.ink
        svg_anchor = {"left": "start", "center": "middle", "right": "end"}[anchor]
        self.text(x, top, text, size, colour, anchor=svg_anchor, valign="top")
        if sub:
            sub_colour = (
                _pick(layout.title.subtitle.font.color, tmpl.title.subtitle.font.color) or self.ink
            )
            y = top + _text_size(text, size)[1] + 2
            self.text(x, y, sub, sub_size, sub_colour, anchor=svg_anchor, valign="top")

    def _swatch(self, x: float, y: float, item: dict[str, Any]) -> None:
        """The legend's sample of a trace, 30 px wide, centred on y."""
        tr, colour = item["trace"], item["colour"]
        if tr.type == "bar":
            fill = _each(tr.marker.color, 1)[0] or colour
            opacity = _each(tr.marker.opacity, 1)[0]
            self.rect(
                x + 6,
                y - 6,
                x + 24,
                y + 6,
                str(fill),
                opacity=None if opacity is None else float(opacity),
            )
        elif tr.type == "box":
            line = tr.line.color or colour
            self.rect(
                x + 6,
                y - 6,
                x + 24,
                y + 6,
                tr.fillcolor or line,
                opacity=None if tr.fillcolor else 0.5,
                stroke=line,
                stroke_width=1.5,
            )
        else:
            mode = tr.mode or ("lines+markers" if len(_list(tr.y)) < 20 else "lines")
            if "lines" in mode:
                self.line(x + 2, y, x + 28, y, tr.line.color or colour, float(tr.line.width or 2))
            if "markers" in mode:
                fill = _each(tr.marker.color, 1)[0] or colour
                self.marker(x + 15, y, 8, str(fill), tr.marker.symbol, None)
            if mode == "text":
                self.text(x + 15, y, "Aa", self._legend_size(), self.ink, anchor="middle")

    def _legend(self, legend: list[tuple[str, dict[str, Any]]]) -> None:
        if not legend:
            return
        size = self._legend_size()
        colour = _pick(self.layout.legend.font.color, self.tmpl.legend.font.color) or self.ink
        if self.legend_vertical:
            x, y = self.x1 + 16, self.y0 + size
            for name, item in legend:
                h = _text_size(name, size)[1]
                self._swatch(x, y + h / 2 - size * _LINE / 2, item)
                self.text(x + 34, y, name, size, colour, valign="top")
                y += h + 6
            return
        row_h = size * _LINE * 1.25
        rows = 1 + max(r for _, r, _, _ in self.legend_placed)
        top = self.height - 6 - rows * row_h
        for x, row, name, item in self.legend_placed:
            y = top + (row + 0.5) * row_h
            self._swatch(x, y, item)
            self.text(x + 34, y, name, size, colour)

    # -- traces -----------------------------------------------------------------------------

    def _tips(self, tr: Any, n: int) -> list[str]:
        return [_plain(h) if h else "" for h in _each(tr.hovertext, n)]

    def _draw_bar(self, s: dict[str, Any]) -> None:
        if s["hidden"]:
            return
        tr, horizontal = s["trace"], s["h"]
        n = max(len(s["x"]), len(s["y"]))
        fills, opacities = _each(tr.marker.color, n), _each(tr.marker.opacity, n)
        line_colour, line_width = tr.marker.line.color, float(tr.marker.line.width or 0)
        texts, tips = _each(tr.text, n), self._tips(tr, n)
        where = tr.textposition or "auto"
        size = float(tr.textfont.size or self.size)
        for k, p, half, base, end in s["bars"]:
            fill = str(fills[k] or s["colour"])
            opacity = _number(opacities[k])
            if horizontal:
                x0, x1 = self.xa.px(base), self.xa.px(end)
                y0, y1 = self.ya.px(p - half), self.ya.px(p + half)
            else:
                x0, x1 = self.xa.px(p - half), self.xa.px(p + half)
                y0, y1 = self.ya.px(base), self.ya.px(end)
            self.rect(
                x0,
                y0,
                x1,
                y1,
                fill,
                opacity=opacity,
                stroke=line_colour,
                stroke_width=line_width,
                tip=tips[k],
            )
            text = texts[k]
            if text is None or text == "" or where == "none":
                continue
            tw, th = _text_size(text, size)
            room = abs(x1 - x0) if horizontal else abs(y1 - y0)
            inside = where == "inside" or (
                where == "auto" and room > (tw if horizontal else th) + 6
            )
            ink = _ink(fill) if inside else (tr.textfont.color or self.ink)
            if horizontal:
                sign = 1 if x1 >= x0 else -1
                x = x1 - sign * 4 if inside else x1 + sign * 4
                anchor = (
                    ("end" if sign > 0 else "start") if inside else ("start" if sign > 0 else "end")
                )
                self.text(x, (y0 + y1) / 2, text, size, tr.textfont.color or ink, anchor=anchor)
            else:
                sign = 1 if y1 <= y0 else -1  # upwards
                y = y1 + sign * 4 if inside else y1 - sign * 4
                valign = (
                    ("top" if sign > 0 else "bottom")
                    if inside
                    else ("bottom" if sign > 0 else "top")
                )
                self.text(
                    (x0 + x1) / 2,
                    y,
                    text,
                    size,
                    tr.textfont.color or ink,
                    anchor="middle",
                    valign=valign,
                )

    def _draw_scatter(self, s: dict[str, Any]) -> None:
        if s["hidden"]:
            return
        tr = s["trace"]
        n = max(len(s["x"]), len(s["y"]))
        mode = tr.mode or ("lines+markers" if n < 20 else "lines")
        points = [
            (self.xa.px(x), self.ya.px(y)) if x is not None and y is not None else None
            for x, y in zip(s["x"], s["y"], strict=False)
        ]
        if "lines" in mode:
            colour = tr.line.color or s["colour"]
            dash = {"dash": "6,4", "dot": "2,3", "dashdot": "6,3,2,3"}.get(tr.line.dash or "", "")
            run: list[tuple[float, float]] = []
            for pt in [*points, None]:
                if pt is not None:
                    run.append(pt)
                    continue
                if len(run) > 1:
                    path = " ".join(f"{_f(a)},{_f(b)}" for a, b in run)
                    extra = f' stroke-dasharray="{dash}"' if dash else ""
                    self.out.append(
                        f'<polyline points="{path}" fill="none" stroke="{_e(colour)}" '
                        f'stroke-width="{_f(float(tr.line.width or 2))}"{extra}/>'
                    )
                run = []
        size = float(_number(tr.marker.size) or 6) if not isinstance(tr.marker.size, tuple) else 6
        if "markers" in mode:
            fills, tips = _each(tr.marker.color, n), self._tips(tr, n)
            opacity = (
                _number(tr.marker.opacity) if not isinstance(tr.marker.opacity, tuple) else None
            )
            for k, pt in enumerate(points):
                if pt is not None:
                    self.marker(
                        *pt, size, str(fills[k] or s["colour"]), tr.marker.symbol, opacity, tips[k]
                    )
        if "text" in mode:
            texts = _each(tr.text, n)
            where = (tr.textposition or "middle center").split()
            vpos, hpos = (where[0], where[1]) if len(where) == 2 else ("middle", where[0])
            font = float(tr.textfont.size or self.size)
            colour = tr.textfont.color or self.ink
            gap = (size / 2 + 3) if "markers" in mode else 3
            for k, pt in enumerate(points):
                if pt is None or texts[k] in (None, ""):
                    continue
                x = pt[0] + {"left": -gap, "center": 0, "right": gap}.get(hpos, 0)
                y = pt[1] + {"top": -gap, "middle": 0, "bottom": gap}.get(vpos, 0)
                anchor = {"left": "end", "center": "middle", "right": "start"}.get(hpos, "middle")
                valign = {"top": "bottom", "middle": "middle", "bottom": "top"}.get(vpos, "middle")
                self.text(x, y, texts[k], font, colour, anchor=anchor, valign=valign)

    def _draw_box(self, s: dict[str, Any]) -> None:
        if s["hidden"]:
            return
        tr, horizontal = s["trace"], s["h"]
        line = tr.line.color or s["colour"]
        width = float(tr.line.width or 2)
        fill = tr.fillcolor or line
        opacity = None if tr.fillcolor else 0.5
        points = tr.boxpoints
        if points is None:
            points = "outliers"
        jitter = _number(tr.jitter)
        jitter = (0.3 if points == "all" else 0.0) if jitter is None else jitter
        pointpos = _number(tr.pointpos)
        pointpos = (-1.5 if points == "all" else 0.0) if pointpos is None else pointpos
        marker_colour = tr.marker.color if isinstance(tr.marker.color, str) else line
        marker_size = _number(tr.marker.size) or 6
        marker_opacity = _number(tr.marker.opacity)

        def at(p: float, v: float) -> tuple[float, float]:
            return (self.xa.px(v), self.ya.px(p)) if horizontal else (self.xa.px(p), self.ya.px(v))

        for centre, half, stats, values in s["boxes"]:
            q1, med, q3, lo, hi, mean = stats
            a, b = at(centre - half, q1), at(centre + half, q3)
            self.rect(
                a[0], a[1], b[0], b[1], fill, opacity=opacity, stroke=line, stroke_width=width
            )
            for value, dash in ((med, ""), *([(mean, "4,3")] if tr.boxmean else [])):
                a, b = at(centre - half, value), at(centre + half, value)
                self.line(a[0], a[1], b[0], b[1], line, width, dash)
            for end, fence in ((q1, lo), (q3, hi)):
                a, b = at(centre, end), at(centre, fence)
                self.line(a[0], a[1], b[0], b[1], line, width)
                a, b = at(centre - half / 2, fence), at(centre + half / 2, fence)
                self.line(a[0], a[1], b[0], b[1], line, width)
            if points is False:
                continue
            for k, v in enumerate(values):
                if points != "all" and lo <= v <= hi:
                    continue
                spread = ((k * 0.618034) % 1 - 0.5) * 2 * jitter if jitter else 0.0
                self.marker(
                    *at(centre + (pointpos + spread) * half, v),
                    marker_size,
                    marker_colour,
                    tr.marker.symbol,
                    marker_opacity,
                )

    def _draw_heatmap(self, s: dict[str, Any]) -> None:
        if s["hidden"]:
            return
        tr = s["trace"]
        z = np.asarray(tr.z, dtype=float)
        finite = z[np.isfinite(z)]
        zmin = _number(tr.zmin)
        zmax = _number(tr.zmax)
        zmin = float(finite.min()) if zmin is None and finite.size else zmin or 0.0
        zmax = float(finite.max()) if zmax is None and finite.size else zmax or 1.0
        scale = _list(tr.colorscale)
        if tr.reversescale:
            scale = [(1 - float(p), c) for p, c in reversed(scale)]
        texts = [_list(row) for row in _list(tr.text)] if tr.texttemplate else []
        font = float(tr.textfont.size or self.size)
        xs, ys = s["x"], s["y"]

        def edges(cs: list[float | None], k: int) -> tuple[float, float]:
            here = cs[k]
            c = here if here is not None else float(k)
            before = cs[k - 1] if k > 0 else None
            after = cs[k + 1] if k + 1 < len(cs) else None
            prev = before if before is not None else c - 1
            nxt = after if after is not None else c + 1
            return (c - (c - prev) / 2, c + (nxt - c) / 2)

        for i in range(z.shape[0]):
            for j in range(z.shape[1]):
                if not math.isfinite(z[i, j]) or i >= len(ys) or j >= len(xs):
                    continue
                t = 0.0 if zmax == zmin else (z[i, j] - zmin) / (zmax - zmin)
                fill = _scale_colour(scale, t)
                (a, b), (c, d) = edges(xs, j), edges(ys, i)
                gx, gy = float(tr.xgap or 0) / 2, float(tr.ygap or 0) / 2
                x0, x1 = sorted((self.xa.px(a), self.xa.px(b)))
                y0, y1 = sorted((self.ya.px(c), self.ya.px(d)))
                self.rect(x0 + gx, y0 + gy, x1 - gx, y1 - gy, fill)
                text = texts[i][j] if i < len(texts) and j < len(texts[i]) else None
                if text not in (None, ""):
                    colour = tr.textfont.color or _ink(fill)
                    self.text((x0 + x1) / 2, (y0 + y1) / 2, text, font, colour, anchor="middle")


def chart_svg(fig: go.Figure, template: str, label_id: str, width: int) -> str | None:
    """The figure as inline SVG at print width, or None when it needs plotly.js."""
    fig = go.Figure(fig)  # a copy: the caller's figure keeps its screen size
    fig.update_layout(template=template)
    try:
        return _Svg(fig, width).render(label_id)
    except Exception:  # _Unsupported, or a figure that trips the drawing: plotly.js draws it
        return None
