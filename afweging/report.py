"""The HTML report: the current view as one self-contained document that prints on A4.

The outcome in one sentence and the source's own verdict, the ranking with its chart,
weights, a colour-coded score card, the rationale and quotes per option and score,
and the sources cited. Nothing here imports streamlit or ``ui/``: the report's fixed
texts come in through ``t`` (bound to a language, every key in :data:`KEYS`), and its
colours and plotly template are parameters with the house defaults. Every text that
comes from a data file is escaped, since scenario files may be uploaded by anyone.

No external request is made and no script is needed: the CSS is inline and the charts
are drawn as inline SVG (:mod:`afweging.svgchart`), so the report stays small (a few
hundred kilobytes; plotly.js alone would be 4.8 MB). Only a figure the SVG drawing
does not cover brings plotly.js along, embedded once. Printing is arranged by CSS:
the headline and the ranking chart on page 1, and no section starting in the last
quarter of a page (see :data:`CSS`).
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date

import plotly.graph_objects as go

from afweging.analysis import Matrix, Ranking
from afweging.loading import bundled_criteria_sets
from afweging.model import Criterion, Lang
from afweging.numbers import decimal
from afweging.ranked_view import best_first, global_weights, local_from_ranking, what_if_changes
from afweging.sources import SourceLibrary, collapse
from afweging.svgchart import char_width, chart_svg, text_width
from afweging.verdict import verdict, verdict_sentences
from afweging.weights import local_weights as normalised_local_weights

Translate = Callable[[str], str]
Changes = Mapping[tuple[str, str], float]

#: Same as ``afweging_ui.style.DIVERGING`` (bad -> neutral -> good, colour-blind safe); the core
#: cannot import afweging_ui/, so the interface passes its own and this is the fallback.
DIVERGING = ("#B2182B", "#EF8A62", "#F7F7F7", "#67A9CF", "#2166AC")
#: Same as ``afweging_ui.style.TEMPLATE``: exported figures need an explicit template, or a
#: figure built inside streamlit exports with colours only a browser fills in.
TEMPLATE = "plotly_white"
#: 180 mm at 96 px per inch: the text width of an A4 page with 15 mm margins.
PRINT_WIDTH_PX = 680

#: Every translation key the report uses (a test checks each has nl and en).
KEYS = (
    "export_title",
    "export_case",
    "export_criteria_set",
    "export_date",
    "export_data_version",
    "export_method",
    "export_weights",
    "export_weights_note",
    "export_criterion",
    "export_local_weight",
    "export_global_weight",
    "export_ranking",
    "export_rank",
    "export_option",
    "export_score",
    "export_scorecard",
    "export_higher_better",
    "export_lower_better",
    "export_legend_bad",
    "export_legend_neutral",
    "export_legend_good",
    "export_legend_note",
    "export_rationale",
    "export_value",
    "export_range",
    "export_basis",
    "export_basis_bron",
    "export_basis_afgeleid",
    "export_changed",
    "export_changed_note",
    "export_sourced_value",
    "export_line",
    "export_quote_not_found",
    "export_no_evidence",
    "export_described_in",
    "export_sources",
    "export_cited_lines",
    "export_no_sources",
    "export_footer",
    "verdict_heading",
    "verdict_choice",
    "verdict_and",
    "verdict_not_compared",
    "verdict_agrees",
    "verdict_rank",
    "verdict_missing",
    "verdict_weak",
    "verdict_weak_item",
    "verdict_scores_differ",
    "summary_first",
    "summary_tie",
    "summary_followed",
    "summary_followed_many",
    "and_last",
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(x: float, lang: Lang) -> str:
    s = f"{x:g}"
    return s.replace(".", ",") if lang == "nl" else s


def _pct(x: float, lang: Lang) -> str:
    s = f"{100 * x:.1f}%"
    return s.replace(".", ",") if lang == "nl" else s


def _with_label(c: Criterion, value: float, lang: Lang) -> str:
    label = c.scale.label(value) if c.scale else ""
    return f"{_num(value, lang)} ({label})" if label else _num(value, lang)


#: How much of a page a heading keeps free below its top when printed: a section (or an
#: option's rationale) never starts in the last quarter of a page. A4 minus 15 mm margins
#: leaves 267 mm; a quarter is 66.75 mm.
KEEP_BELOW_HEADING_MM = 70
#: A4's text area with 15 mm margins, in points (what the page-1 estimate counts in).
_AREA_PT = (180 * 72 / 25.4, 267 * 72 / 25.4)
#: The least the ranking chart is printed at, however long the headline above it.
LEAD_CHART_MIN_MM = 90

CSS = """
@page { size: A4; margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: "Source Sans Pro", Arial, Helvetica, sans-serif; font-size: 11pt;
  line-height: 1.4; color: #1a1a1a; background: white; max-width: 180mm; margin: 0 auto;
  padding: 10mm 0; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; margin: 16pt 0 6pt; border-bottom: 1px solid #999;
  page-break-after: avoid; break-after: avoid; }
h3 { font-size: 12pt; margin: 12pt 0 4pt; page-break-after: avoid; break-after: avoid; }
h4 { font-size: 11pt; margin: 0 0 2pt; page-break-after: avoid; break-after: avoid; }
p { margin: 2pt 0 4pt; }
.meta { color: #333; font-size: 10pt; }
.note { color: #444; font-size: 9pt; }
.headline { margin: 8pt 0 0; }
.headline .winner { font-size: 12pt; margin-bottom: 4pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; word-wrap: break-word;
  overflow-wrap: break-word; margin: 4pt 0 8pt; }
thead { display: table-header-group; }
th, td { border: 1px solid #aaa; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #eee; font-weight: 600; }
td.num, th.num { text-align: right; }
tr { page-break-inside: avoid; break-inside: avoid; }
.parent td { font-weight: 600; }
table.card { font-size: 9pt; }
table.card td.cell { text-align: center; }
table.card .dir { display: block; font-weight: normal; color: #444; }
table.card td.changed { outline: 2px dashed #000; outline-offset: -3px; font-weight: 700; }
.cell, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.legend { font-size: 9pt; margin: 0 0 4pt; }
.swatch { display: inline-block; min-width: 14mm; padding: 1pt 4pt; margin-right: 2pt;
  border: 1px solid #aaa; text-align: center; }
.chart { width: 180mm; max-width: 100%; margin: 6pt 0; page-break-inside: avoid;
  break-inside: avoid; }
.chart svg { display: block; width: 100%; height: auto; }
.rationale { border-left: 3px solid #999; padding: 2pt 0 2pt 6pt; margin: 0 0 8pt;
  page-break-inside: avoid; break-inside: avoid; }
.rationale.changed { border-left: 3px dashed #000; }
.flag { font-weight: 700; }
blockquote { margin: 3pt 0 3pt 6mm; font-style: italic; }
blockquote .where { display: block; font-style: normal; font-size: 9pt; color: #444; }
code { font-size: 9pt; overflow-wrap: anywhere; }
footer.page { margin-top: 16pt; font-size: 9pt; color: #444; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  p, li, blockquote { orphans: 3; widows: 3; }
  header.report, table.weights, table.ranking, table.card, .legend { page-break-inside: avoid;
    break-inside: avoid; }
  .chart.lead svg { max-height: var(--print-height, 150mm); }
  section.option { page-break-inside: avoid; break-inside: avoid; }
  section > h2, section.option > h3 { page-break-inside: avoid; break-inside: avoid; }
  section.option > h3 + p { page-break-before: avoid; break-before: avoid; }
  section > h2::before, section.option > h3::before { content: ""; display: block;
    height: KEEP_MMmm; margin-bottom: -KEEP_MMmm; break-inside: avoid; }
  .modebar-container { display: none !important; }
}
""".replace("KEEP_MM", str(KEEP_BELOW_HEADING_MM)).strip()
"""The report's style. For print: A4 with 15 mm margins; the header (title, headline),
each table that fits a page, each chart, each option's section and each score's
rationale kept whole (a part longer than a page starts on a new one); table headers
repeated on a new page; at least three lines of a paragraph on either side of a page
break; every section heading (and option heading) carries an invisible block of
:data:`KEEP_BELOW_HEADING_MM` that takes no room (a negative margin pulls the text back
up) but must fit on the page, so a heading that would start in the last quarter of a
page moves to the next page with its section; and the ranking chart is printed no
taller than the room page 1 has left under the header (``--print-height``, see
:func:`_lead_room_mm`)."""


def _figure_html(fig: go.Figure, first: bool, template: str, config: Mapping[str, object]) -> str:
    """One chart at print width; plotly.js goes inline with the first chart only."""
    fig = go.Figure(fig)  # a copy: the caller's figure keeps its screen size
    fig.update_layout(template=template, width=PRINT_WIDTH_PX, autosize=False)
    height = int(fig.layout.height or 450)
    return fig.to_html(
        full_html=False,
        include_plotlyjs=first,
        include_mathjax=False,
        config=dict(config),
        default_width=f"{PRINT_WIDTH_PX}px",
        default_height=f"{height}px",
    )


def _weights_table(
    matrix: Matrix, local: Mapping[str, float], glob: Mapping[str, float], t: Translate, lang: Lang
) -> str:
    rows = []

    def walk(criteria: Sequence[Criterion], depth: int) -> None:
        for c in criteria:
            cls = "" if c.is_leaf else ' class="parent"'
            rows.append(
                f'<tr{cls}><td style="padding-left:{4 + 12 * depth}pt">{_e(c.label.get(lang))}'
                f'</td><td class="num">{_pct(local[c.id], lang)}</td>'
                f'<td class="num">{_pct(glob[c.id], lang)}</td></tr>'
            )
            walk(c.criteria or [], depth + 1)

    walk(matrix.criteria_set.criteria, 0)
    return (
        '<table class="weights"><colgroup><col style="width:60%"><col><col></colgroup>'
        f"<thead><tr><th>{_e(t('export_criterion'))}</th>"
        f'<th class="num">{_e(t("export_local_weight"))}</th>'
        f'<th class="num">{_e(t("export_global_weight"))}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="note">{_e(t("export_weights_note"))}</p>'
    )


def _ranking_table(matrix: Matrix, ranking: Ranking, t: Translate, lang: Lang) -> str:
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    rows = "".join(
        f'<tr><td class="num">{int(ranking.ranks[r])}</td>'
        f"<td>{_e(labels[ranking.option_ids[r]])}</td>"
        f'<td class="num">{_num(round(float(ranking.scores[r]), 3), lang)}</td></tr>'
        for r in best_first(ranking)
    )
    return (
        '<table class="ranking"><colgroup><col style="width:15%"><col style="width:60%"><col>'
        f'</colgroup><thead><tr><th class="num">{_e(t("export_rank"))}</th>'
        f'<th>{_e(t("export_option"))}</th><th class="num">{_e(t("export_score"))}</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _swatch_style(goodness: float, palette: Sequence[str]) -> str:
    k = min(len(palette) - 1, max(0, round(goodness * (len(palette) - 1))))
    ink = "white" if k in (0, len(palette) - 1) else "#1a1a1a"
    return f"background:{palette[k]};color:{ink}"


def _scorecard(
    matrix: Matrix,
    ranking: Ranking,
    changed: Mapping[tuple[str, str], float],
    t: Translate,
    lang: Lang,
    palette: Sequence[str],
) -> str:
    values = matrix.values
    head = "".join(
        f'<th>{_e(c.label.get(lang))}<span class="dir">'
        + (f"{_num(c.scale.min, lang)}–{_num(c.scale.max, lang)}, " if c.scale else "")
        + f"{_e(t('export_higher_better' if c.higher_is_better else 'export_lower_better'))}"
        "</span></th>"
        for c in matrix.leaves
    )
    body = []
    for r in best_first(ranking):
        i = matrix.option_ids.index(ranking.option_ids[r])
        option = matrix.options[i]
        cells = []
        for j, c in enumerate(matrix.leaves):
            shown = _e(_with_label(c, float(matrix.raw[i, j]), lang))
            style = _swatch_style(float(values[i, j]), palette)
            if (option.id, c.id) in changed:
                sourced = _with_label(c, option.scores[c.id].value, lang)
                tip = _e(f"{t('export_changed')}: {t('export_sourced_value')} {sourced}")
                cells.append(
                    f'<td class="cell changed" style="{style}" title="{tip}">{shown}*</td>'
                )
            else:
                cells.append(f'<td class="cell" style="{style}">{shown}</td>')
        body.append(f"<tr><th>{_e(option.label.get(lang))}</th>{''.join(cells)}</tr>")
    n = len(palette)
    names = {
        0: t("export_legend_bad"),
        n // 2: t("export_legend_neutral"),
        n - 1: t("export_legend_good"),
    }
    legend = "".join(
        f'<span class="swatch" style="{_swatch_style(k / (n - 1), palette)}">'
        f"{_e(names[k]) if k in names else '&nbsp;'}</span>"
        for k in range(n)
    )
    star = f'<p class="note">* {_e(t("export_changed_note"))}</p>' if changed else ""
    return (
        f'<table class="card"><colgroup><col style="width:22%">{"<col>" * len(matrix.leaves)}'
        f"</colgroup><thead><tr><th>{_e(t('export_option'))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
        f'<p class="legend">{legend}</p><p class="note">{_e(t("export_legend_note"))}</p>{star}'
    )


class _Citations:
    """Quotes located in their documents, remembered for the sources section."""

    def __init__(self, library: SourceLibrary) -> None:
        self.library = library
        self.lines: dict[str, set[int]] = {}

    def cite(self, source: str, quote: str) -> int | None:
        lines = self.lines.setdefault(source, set())
        document = self.library.document(source)
        found = document.locate(quote) if document else None
        if found is None:
            return None
        lines.add(found.line)
        return found.line

    def mention(self, source: str) -> None:
        self.lines.setdefault(source, set())


def _rationales(
    matrix: Matrix,
    ranking: Ranking,
    changed: Mapping[tuple[str, str], float],
    citations: _Citations,
    t: Translate,
    lang: Lang,
) -> str:
    out = []
    for r in best_first(ranking):
        i = matrix.option_ids.index(ranking.option_ids[r])
        option = matrix.options[i]
        parts = [
            f'<section class="option"><h3>{int(ranking.ranks[r])}. {_e(option.label.get(lang))}'
            f"</h3><p>{_e(option.summary.get(lang))}</p>"
        ]
        if option.source:
            citations.mention(option.source.file)
            parts.append(
                f'<p class="note">{_e(t("export_described_in"))}: '
                f"<code>{_e(option.source.file)}</code>, {_e(option.source.part)}</p>"
            )
        for j, c in enumerate(matrix.leaves):
            score = option.scores[c.id]
            value = float(matrix.raw[i, j])
            is_changed = (option.id, c.id) in changed
            facts = [f"<b>{_e(t('export_value'))}</b> {_e(_with_label(c, value, lang))}"]
            if is_changed:
                facts[0] += (
                    f' <span class="flag">({_e(t("export_changed"))}; '
                    f"{_e(t('export_sourced_value'))} "
                    f"{_e(_with_label(c, score.value, lang))})</span>"
                )
            if score.range:
                lo, hi = score.range
                facts.append(f"<b>{_e(t('export_range'))}</b> {_num(lo, lang)} – {_num(hi, lang)}")
            facts.append(f"<b>{_e(t('export_basis'))}</b> {_e(t('export_basis_' + score.basis))}")
            quotes = []
            for ev in score.evidence:
                line = citations.cite(ev.source, ev.quote)
                where = f"{t('export_line')} {line}" if line else t("export_quote_not_found")
                document = citations.library.title(ev.source, line, lang)
                quotes.append(
                    f'<blockquote>“{_e(collapse(ev.quote).strip())}”<span class="where">'
                    f"{_e(document)}, {_e(where)}</span></blockquote>"
                )
            if not quotes:
                quotes.append(f'<p class="note">{_e(t("export_no_evidence"))}</p>')
            cls = "rationale changed" if is_changed else "rationale"
            parts.append(
                f'<div class="{cls}"><h4>{_e(c.label.get(lang))}</h4>'
                f"<p>{' · '.join(facts)}</p><p>{_e(score.rationale.get(lang))}</p>"
                f"{''.join(quotes)}</div>"
            )
        parts.append("</section>")
        out.append("".join(parts))
    return "".join(out)


def _rich(template: str, **fields: str) -> str:
    """A translated sentence as HTML: its text escaped, ``**bold**`` made bold, and the
    fields (already HTML) put in afterwards, so no label can add markup."""
    marks = {k: f"\0{k}\0" for k in fields}
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", _e(template.format(**marks)))
    for k, v in fields.items():
        text = text.replace(marks[k], v)
    return text


def _winner(matrix: Matrix, ranking: Ranking, t: Translate, lang: Lang) -> str:
    """The outcome in one sentence, as the explore page puts it: who comes first (options
    that tie are named together, by label), and who comes next."""
    by_id = {o.id: o.label.get(lang) for o in matrix.options}
    labels = [by_id.get(i, i) for i in ranking.option_ids]
    order = best_first(ranking, labels)
    firsts = [i for i in order if ranking.ranks[i] == 1]
    rest = [i for i in order if ranking.ranks[i] != 1]
    seconds = [i for i in rest if ranking.ranks[i] == ranking.ranks[rest[0]]] if rest else []

    def names(indices: list[int], bold: bool) -> str:
        items = [f"<b>{_e(labels[i])}</b>" if bold else _e(labels[i]) for i in indices]
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + _e(t("and_last")) + items[-1]

    score = _e(decimal(float(ranking.scores[firsts[0]]), lang, 2))
    if len(firsts) > 1:
        text = _rich(t("summary_tie"), names=names(firsts, True), score=score)
    else:
        text = _rich(t("summary_first"), name=_e(labels[firsts[0]]), score=score)
    if seconds:
        key = "summary_followed_many" if len(seconds) > 1 else "summary_followed"
        next_score = _e(decimal(float(ranking.scores[seconds[0]]), lang, 2))
        text += " " + _rich(t(key), names=names(seconds, False), score=next_score)
    return f'<p class="winner">{text}</p>'


def _set_lines(text: str, size_pt: float, bold: bool = False) -> int:
    """How many lines ``text`` takes across the text width of an A4 page (greedy breaks,
    Helvetica's widths: the report prints in Arial or a font with its metrics)."""
    words = re.sub(r"<[^>]+>", " ", text).split()
    space, lines, used = char_width(" ") * size_pt / 1000, 1, 0.0
    for word in words:
        w = text_width([(html.unescape(word), bold, False)], size_pt)
        if used and used + space + w > _AREA_PT[0]:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0.0) + w
    return lines


def _lead_room_mm(title: str, meta: str, headline: Sequence[str]) -> float:
    """How tall the ranking chart may print to share page 1 with the header: the text
    area less the title, meta line, headline paragraphs and the ranking's heading, as
    the print style sets them (line height 1.4, margins collapsed), and two lines to spare."""
    used = _set_lines(title, 18, bold=True) * 18 * 1.4 + 4  # h1
    used += _set_lines(meta, 10 * 1.1) * 14 + 8  # code and bold labels run wider
    sizes = (12, *([10] * (len(headline) - 1)))
    used += sum(
        _set_lines(p, size) * size * 1.4 + 4 for p, size in zip(headline, sizes, strict=True)
    )
    used += 16 + 14 * 1.4 + 1 + 6 + 6 + 6  # the ranking's h2 and the figure's margins
    room = (_AREA_PT[1] - used - 14 * 2) * 25.4 / 72
    return max(LEAD_CHART_MIN_MM, math.floor(room))


@functools.cache
def _bundled_criteria() -> tuple[Criterion, ...]:
    """Every criterion of the bundled criteria sets (read once per process)."""
    return tuple(c for s in bundled_criteria_sets() for c in s.walk())


def _verdict(matrix: Matrix, ranking: Ranking, t: Translate, lang: Lang) -> str:
    """The source's own choice and whether this ranking agrees (nothing without one)."""
    result = verdict(matrix, ranking)
    if result is None:
        return ""
    labels = {o.id: o.label.get(lang) for o in matrix.case.options}
    labels |= {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    if any(m.criterion and m.criterion not in labels for m in result.missing):
        # a ground outside this set is named as the set that has it names it, not by its id
        others = {c.id: c.label.get(lang) for c in _bundled_criteria()}
        labels = others | labels

    def tr(key: str, _lang: str, **fields: object) -> str:
        return t(key).format(**fields)

    text = " ".join(verdict_sentences(result, labels, lang, tr))
    return f'<p class="verdict"><b>{_e(t("verdict_heading"))}.</b> {_e(text)}</p>'


def _sources(matrix: Matrix, citations: _Citations, t: Translate, lang: Lang) -> str:
    """Every document cited, by its title, with the lines cited and the file it is in."""
    if matrix.case.source:
        citations.mention(matrix.case.source.file)
    if not citations.lines:
        return f"<p>{_e(t('export_no_sources'))}</p>"
    items = []
    for name in sorted(citations.lines):
        cited = sorted(citations.lines[name])
        parts = citations.library.parts(name)
        groups = [
            (part.title(lang), [x for x in cited if part.first <= x <= part.last]) for part in parts
        ]
        groups = [(title, lines) for title, lines in groups if lines]
        if not groups:
            title = (
                matrix.case.source.title
                if matrix.case.source and matrix.case.source.file == name
                else name
            )
            groups = [(title, cited)]
        for title, lines in groups:
            text = f'{_e(title)} <span class="note">(<code>{_e(name)}</code>'
            if lines:
                text += f"; {_e(t('export_cited_lines'))} {', '.join(map(str, lines))}"
            items.append(f"<li>{text})</span></li>")
    return f'<ul class="sources">{"".join(items)}</ul>'


def html_report(
    matrix: Matrix,
    ranking: Ranking,
    t: Translate,
    *,
    lang: Lang,
    version: str,
    day: date,
    figures: Sequence[go.Figure] = (),
    local: Mapping[str, float] | None = None,
    changes: Changes | None = None,
    library: SourceLibrary | None = None,
    method: str = "",
    template: str = TEMPLATE,
    palette: Sequence[str] = DIVERGING,
    image_stem: str = "afweging",
) -> str:
    """The current view as one self-contained HTML document that prints on A4.

    ``figures`` go under the ranking, the ranking chart first. ``changes`` are what-if
    scores, by (option id, criterion id); they are applied to ``matrix`` if it does not
    hold them yet (``ranking`` should be ranked on the changed matrix) and marked as
    changed from the sourced value. ``local`` defaults to the local weights implied
    by the ranking's leaf weights.

    The header holds the outcome in one sentence and the source's own verdict; the
    ranking follows, its chart first, so both print on page 1. Charts are inline SVG
    at :data:`PRINT_WIDTH_PX`; a figure the drawing does not cover is embedded with
    plotly.js (once, however many), and ``image_stem`` names its PNG download. No
    external request is made.
    """
    if changes:
        matrix = matrix.with_scores(changes)
    changed = what_if_changes(matrix)
    local_w = (
        normalised_local_weights(matrix.criteria_set, local)
        if local is not None
        else local_from_ranking(matrix, ranking)
    )
    glob = global_weights(matrix, ranking)
    citations = _Citations(library or SourceLibrary())
    config = {
        "displaylogo": False,
        "responsive": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": image_stem},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
    charts, plotly_js = [], True
    for k, fig in enumerate(figures):
        body = chart_svg(fig, template, f"chart-{k + 1}-title", PRINT_WIDTH_PX)
        if body is None:  # something the SVG drawing does not cover: plotly.js, once
            body, plotly_js = _figure_html(fig, plotly_js, template, config), False
        charts.append(body)
    case_label = matrix.case.label.get(lang)
    set_label = matrix.criteria_set.label.get(lang)
    day_text = day.strftime("%d-%m-%Y") if lang == "nl" else day.isoformat()
    meta = [
        f"<b>{_e(t('export_case'))}:</b> {_e(case_label)}",
        f"<b>{_e(t('export_criteria_set'))}:</b> {_e(set_label)}",
        f"<b>{_e(t('export_date'))}:</b> {_e(day_text)}",
        f"<b>{_e(t('export_data_version'))}:</b> <code>{_e(version)}</code>",
    ]
    if method:
        meta.append(f"<b>{_e(t('export_method'))}:</b> {_e(method)}")
    rationales = _rationales(matrix, ranking, changed, citations, t, lang)
    title = f"{t('export_title')}: {case_label}"
    headline = [_winner(matrix, ranking, t, lang), _verdict(matrix, ranking, t, lang)]
    room = _lead_room_mm(title, " · ".join(meta), [p for p in headline if p])
    lead = "".join(
        f'<figure class="chart lead" style="--print-height: {room}mm">{body}</figure>'
        for body in charts[:1]
    )
    rest = "".join(f'<figure class="chart">{body}</figure>' for body in charts[1:])
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{_e(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="Afweging, data {_e(version)}">',
            f"<title>{_e(title)}</title>",
            f"<style>\n{CSS}\n</style>",
            "</head>",
            "<body>",
            f'<header class="report"><h1>{_e(title)}</h1><p class="meta">{" · ".join(meta)}</p>'
            f'<div class="headline">{"".join(headline)}</div></header>',
            f'<section id="ranking"><h2>{_e(t("export_ranking"))}</h2>{lead}'
            f"{_ranking_table(matrix, ranking, t, lang)}{rest}</section>",
            f'<section id="weights"><h2>{_e(t("export_weights"))}</h2>'
            f"{_weights_table(matrix, local_w, glob, t, lang)}</section>",
            f'<section id="scorecard"><h2>{_e(t("export_scorecard"))}</h2>'
            f"{_scorecard(matrix, ranking, changed, t, lang, palette)}</section>",
            f'<section id="rationale"><h2>{_e(t("export_rationale"))}</h2>{rationales}</section>',
            f'<section id="sources"><h2>{_e(t("export_sources"))}</h2>'
            f"{_sources(matrix, citations, t, lang)}</section>",
            f'<footer class="page">{_e(t("export_footer"))} · {_e(t("export_data_version"))} '
            f"<code>{_e(version)}</code> · {_e(day_text)}</footer>",
            "</body>",
            "</html>",
        ]
    )
