"""The HTML report: the current view as one self-contained document that prints on A4.

The outcome in one sentence and the source's own verdict, the ranking with its chart,
weights, a colour-coded score card, the rationale and quotes per option and score,
and the sources cited. Nothing here imports streamlit or ``afweging_ui/``: the report's
fixed texts come in through ``t`` (bound to a language, every key in :data:`KEYS`), and
the rest through :class:`ReportOptions`. The document is the Jinja2 template
``templates/report.html.j2`` (autoescaped, :mod:`afweging.templating`): every text that
comes from a data file is escaped there, since scenario files may be uploaded by anyone.
This module and :mod:`afweging.report_headline` and :mod:`afweging.report_tables`
compute what it shows.

No external request is made and no script is needed: the CSS is inline and the charts
are drawn as inline SVG (:mod:`afweging.svgchart`), so the report stays small (a few
hundred kilobytes; plotly.js alone would be 4.8 MB). Only a figure the SVG drawing
does not cover brings plotly.js along, embedded once.

Printing is arranged by CSS (``templates/report.css.j2``): A4 with 15 mm margins; the
header (title, headline), each table that fits a page, each chart, each option's section
and each score's rationale kept whole (a part longer than a page starts on a new one);
table headers repeated on a new page; at least three lines of a paragraph on either
side of a page break; every section heading (and option heading) carries an invisible
block of :data:`KEEP_BELOW_HEADING_MM` that takes no room (a negative margin pulls the
text back up) but must fit on the page, so a heading that would start in the last
quarter of a page moves to the next page with its section; and the ranking chart is
printed no taller than the room page 1 has left under the header (``--print-height``,
see :func:`afweging.report_headline.lead_room_mm`), so the headline and the ranking
chart share page 1.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go

from afweging import report_headline, report_tables
from afweging.matrix import Matrix, Ranking
from afweging.model import Lang
from afweging.palette import DIVERGING
from afweging.ranked_view import global_weights, local_from_ranking, what_if_changes
from afweging.sources import SourceLibrary
from afweging.svgchart import chart_svg
from afweging.templating import render
from afweging.weights import local_weights as normalised_local_weights

Translate = Callable[[str], str]
Changes = Mapping[tuple[str, str], float]

#: Exported figures need an explicit template, or a figure built inside streamlit exports
#: with colours only a browser fills in (the interface passes ``afweging_ui.style.TEMPLATE``).
TEMPLATE = "plotly_white"
#: 180 mm at 96 px per inch: the text width of an A4 page with 15 mm margins.
PRINT_WIDTH_PX = 680
#: How much of a page a heading keeps free below its top when printed: a section (or an
#: option's rationale) never starts in the last quarter of a page. A4 minus 15 mm margins
#: leaves 267 mm; a quarter is 66.75 mm.
KEEP_BELOW_HEADING_MM = 70

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
    "verdict_not_compared_many",
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


@dataclass(frozen=True)
class ReportOptions:
    """Everything a report shows besides the ranked matrix: one value instead of a dozen
    keyword arguments, so the dashboard, the workshop and the tests say it the same way.

    ``figures`` go under the ranking, the ranking chart first. ``changes`` are what-if
    scores, by (option id, criterion id); they are applied to the matrix if it does not
    hold them yet (the ranking should be ranked on the changed matrix) and marked as
    changed from the sourced value. ``local`` defaults to the local weights implied by
    the ranking's leaf weights. ``template`` is the plotly template the charts are drawn
    with; ``image_stem`` names the PNG download of a chart that needs plotly.js.
    """

    lang: Lang
    version: str
    day: date
    figures: Sequence[go.Figure] = ()
    local: Mapping[str, float] | None = None
    changes: Changes | None = None
    library: SourceLibrary | None = None
    method: str = ""
    template: str = TEMPLATE
    image_stem: str = "afweging"


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


def _charts(options: ReportOptions) -> list[str]:
    """Each figure as markup: inline SVG at :data:`PRINT_WIDTH_PX`, or, for what the SVG
    drawing does not cover, plotly's HTML (with plotly.js embedded once)."""
    config = {
        "displaylogo": False,
        "responsive": False,
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": options.image_stem},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
    charts, plotly_js = [], True
    for k, fig in enumerate(options.figures):
        body = chart_svg(fig, options.template, f"chart-{k + 1}-title", PRINT_WIDTH_PX)
        if body is None:
            body, plotly_js = _figure_html(fig, plotly_js, options.template, config), False
        charts.append(body)
    return charts


@dataclass(frozen=True)
class MetaItem:
    label: str
    value: str
    code: bool = False  # shown as code (the data version)


def _meta(matrix: Matrix, t: Translate, options: ReportOptions, day_text: str) -> list[MetaItem]:
    """The line under the title: case, criteria set, date, data version and method."""
    lang = options.lang
    items = [
        MetaItem(t("export_case"), matrix.case.label.get(lang)),
        MetaItem(t("export_criteria_set"), matrix.criteria_set.label.get(lang)),
        MetaItem(t("export_date"), day_text),
        MetaItem(t("export_data_version"), options.version, code=True),
    ]
    if options.method:
        items.append(MetaItem(t("export_method"), options.method))
    return items


def report_context(
    matrix: Matrix, ranking: Ranking, t: Translate, options: ReportOptions
) -> dict[str, Any]:
    """What ``templates/report.html.j2`` shows, computed: for :func:`html_report` and for
    templates that extend it (the workshop's report)."""
    lang = options.lang
    if options.changes:
        matrix = matrix.with_scores(options.changes)
    changed = what_if_changes(matrix)
    local = (
        normalised_local_weights(matrix.criteria_set, options.local)
        if options.local is not None
        else local_from_ranking(matrix, ranking)
    )
    citations = report_tables.Citations(options.library or SourceLibrary())
    rationales = report_tables.rationales(matrix, ranking, changed, citations, lang)
    day_text = options.day.strftime("%d-%m-%Y") if lang == "nl" else options.day.isoformat()
    title = f"{t('export_title')}: {matrix.case.label.get(lang)}"
    meta = _meta(matrix, t, options, day_text)
    winner = report_headline.winner(matrix, ranking, t, lang)
    verdict = report_headline.verdict_text(matrix, ranking, t, lang)
    headline = [[text for text, _ in winner]]
    if verdict is not None:
        headline.append([f"{t('verdict_heading')}.", verdict])
    meta_text = " · ".join(f"{m.label}: {m.value}" for m in meta)
    legend = [t("export_legend_bad"), t("export_legend_neutral"), t("export_legend_good")]
    return {
        "t": t,
        "lang": lang,
        "version": options.version,
        "day_text": day_text,
        "title": title,
        "meta": meta,
        "winner": winner,
        "verdict": verdict,
        "lead_room_mm": report_headline.lead_room_mm(title, meta_text, headline),
        "keep_mm": KEEP_BELOW_HEADING_MM,
        "charts": _charts(options),
        "ranking_rows": report_tables.ranking_rows(matrix, ranking, lang),
        "weight_rows": report_tables.weight_rows(
            matrix, local, global_weights(matrix, ranking), lang
        ),
        "card": report_tables.score_card(matrix, ranking, changed, legend, lang),
        "rationales": rationales,
        "sources": report_tables.sources(matrix, citations, lang),
    }


def html_report(matrix: Matrix, ranking: Ranking, t: Translate, options: ReportOptions) -> str:
    """The current view as one self-contained HTML document that prints on A4.

    The header holds the outcome in one sentence and the source's own verdict; the
    ranking follows, its chart first, so both print on page 1. No external request is
    made. See :class:`ReportOptions` for what else it shows.
    """
    return render("report.html.j2", **report_context(matrix, ranking, t, options))


__all__ = [
    "DIVERGING",
    "KEEP_BELOW_HEADING_MM",
    "KEYS",
    "PRINT_WIDTH_PX",
    "TEMPLATE",
    "Changes",
    "ReportOptions",
    "Translate",
    "html_report",
    "report_context",
]
