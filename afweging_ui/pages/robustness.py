"""The robustness view: how sure is the winner, as a plain grade and a sentence, then the evidence.

It follows the shared sidebar (case, criteria set, options, weights) through
:func:`afweging_ui.context.prepare`. All numbers come from
:func:`afweging.robustness.robustness_report` and the grade from
:func:`afweging.robustness.grade`; the Monte-Carlo part is cached on its inputs
so that a rerun with the same weights and settings costs nothing. Every method
name on the page has a one-line explanation in plain words beside it.

Nothing on the page scrolls sideways on a phone: the stability intervals are a
list, not a table (a wide table needs a scrollable region, which keyboard users
cannot reach), and the central weights and the methods' ranks are cards there
(:mod:`afweging_ui.cards`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from afweging.markdown import plain
from afweging.matrix import Matrix
from afweging.methods import METHOD_NAMES
from afweging.model import Lang
from afweging.robustness import (
    RobustnessReport,
    criterion_name,
    crossing_points,
    grade,
    grade_label,
    grade_reason,
    grade_rules,
    interval_phrase,
    pct,
    robustness_report,
    summary_sentence,
    weight_pct,
)
from afweging.scoring import highest_first
from afweging.sensitivity import one_way
from afweging.verdict import robustness_sentence, verdict
from afweging_ui import plotly_view
from afweging_ui.cards import table_or_cards
from afweging_ui.choices import keep_choice
from afweging_ui.context import prepare
from afweging_ui.i18n import t
from afweging_ui.robustness_charts import acceptability_figure, sensitivity_figure
from afweging_ui.style import MemoContext

SAMPLE_STEPS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
DEFAULT_SAMPLES = 10_000
DEFAULT_SPREAD_PCT = 10
MAX_SEED = 2**31 - 1


@st.cache_data(show_spinner=False, max_entries=64)
def cached_report(
    _matrix: Matrix,
    key: tuple[object, ...],
    weights: tuple[float, ...],
    samples: int,
    seed: int,
    spread: float | None,
) -> RobustnessReport:
    """The report, cached on every number it depends on (``key``: the matrix's content)."""
    return robustness_report(
        _matrix, np.asarray(weights), samples=samples, seed=seed, spread=spread
    )


def matrix_key(matrix: Matrix) -> tuple[object, ...]:
    """Everything of the matrix the report reads, as hashable bytes."""
    lo, hi = matrix.value_bounds
    return (
        matrix.case.id,
        matrix.criteria_set.id,
        tuple(matrix.option_ids),
        tuple(matrix.criterion_ids),
        matrix.raw.tobytes(),
        matrix.values.tobytes(),
        lo.tobytes(),
        hi.tobytes(),
        matrix.directions.tobytes(),
    )


def labels_for(matrix: Matrix, lang: Lang) -> dict[str, str]:
    """Display names by option id and criterion id."""
    out = {o.id: o.label.get(lang) for o in matrix.options}
    out |= {c.id: c.label.get(lang) for c in matrix.leaves}
    return out


def stability_rows(report: RobustnessReport, labels: dict[str, str], lang: Lang) -> list[dict]:
    """One row per leaf criterion, the intervals in words (plain text, not escaped)."""
    winners = [labels[report.option_ids[i]] for i in report.winners]
    names = t("rob_and", lang).join(winners)
    key = "rob_row_winner" if len(winners) == 1 else "rob_row_winner_tie"
    rows = []
    for s in report.stability:
        cid = report.criterion_ids[s.criterion]
        crit = criterion_name(cid, labels)

        def phrase(lo: float, hi: float, crit: str = crit, now: float = s.current_weight) -> str:
            return interval_phrase(lo, hi, now, crit, lang, t)

        rows.append(
            {
                "criterion": labels[cid],
                "now": weight_pct(s.current_weight, lang),
                "winner": t(
                    key, lang, name=names, names=names, interval=phrase(s.winner_lo, s.winner_hi)
                ),
                "ranking": t("rob_row_ranking", lang, interval=phrase(s.ranking_lo, s.ranking_hi)),
            }
        )
    return rows


def render() -> None:
    """Draw the page."""
    ctx = prepare()
    lang = ctx.lang
    st.title(t("rob_title", lang))
    st.caption(t("rob_intro", lang))
    matrix, memo = ctx.matrix, ctx.memo
    weights = ctx.ranking.weights
    labels = labels_for(matrix, lang)
    summary_box = st.container(key="rob_summary")
    if ctx.changes:
        st.warning(t("whatif_active", lang, n=len(ctx.changes)), icon=":material/edit:")
    sensitivity_box = st.container()
    stability_box = st.container()

    st.subheader(t("rob_smaa_heading", lang), anchor=False)
    explain(lang, ("rob_name_smaa", "rob_explain_smaa"))
    samples, seed, spread = simulation_settings(lang)
    report = cached_report(
        matrix, matrix_key(matrix), tuple(map(float, weights)), samples, seed, spread
    )

    with summary_box:
        verdict_box(report, labels, lang)
        source = verdict(matrix, ctx.ranking)
        if source is not None:
            first = dict(zip(report.option_ids, map(float, report.smaa.first_rank), strict=True))
            st.markdown(plain(robustness_sentence(source, first, lang, t)))
    with sensitivity_box:
        sensitivity(matrix, report, labels, memo, lang)
    with stability_box:
        stability(report, labels, lang)
    acceptability(matrix, report, memo, lang)
    central_weights(matrix, report, lang)
    methods(matrix, report, lang)


GRADE_ICONS = {
    "stevig": ":material/verified:",
    "redelijk_zeker": ":material/check_circle:",
    "wankel": ":material/warning:",
}


def verdict_box(report: RobustnessReport, labels: dict[str, str], lang: Lang) -> None:
    """The grade (stevig / redelijk zeker / wankel), the sentence behind it, why, and the rules."""
    g = grade(report)
    with st.container(border=True, key="rob_verdict"):
        line = t("rob_grade_line", lang, grade=grade_label(g, lang, t))
        st.markdown(f"{GRADE_ICONS[g.grade]} **{plain(line)}**")
        st.markdown(plain(summary_sentence(report, labels, lang, t)))
        st.markdown(plain(grade_reason(g, report, labels, lang, t)))
        with st.expander(t("rob_grades_title", lang), expanded=False):
            st.markdown("\n\n".join(grade_rules(lang, t, g.thresholds)))


def explain(lang: Lang, *items: tuple[str, str]) -> None:
    """Method names with their one-line explanation in plain words: ``(name_key, text_key)``."""
    lines = [f"**{plain(t(name, lang))}**: {t(text, lang)}" for name, text in items]
    if len(lines) == 1:
        st.markdown(lines[0])
    else:
        st.markdown("\n".join(f"- {line}" for line in lines))


def simulation_settings(lang: Lang) -> tuple[int, int, float | None]:
    """Number of draws, seed and weight model (None: uniform; else the spread as a fraction)."""
    with st.expander(t("rob_settings", lang), expanded=False):
        left, mid, right = st.columns(3)
        samples = left.select_slider(
            t("rob_samples", lang),
            SAMPLE_STEPS,
            value=DEFAULT_SAMPLES,
            format_func=lambda n: f"{n:,}".replace(",", "." if lang == "nl" else ","),
            key="rob_samples",
        )
        model = mid.radio(
            t("rob_model", lang),
            ["uniform", "around"],
            format_func=lambda m: t(f"rob_model_{m}", lang),
            key="rob_model",
        )
        spread = None
        if model == "around":
            spread = (
                mid.slider(
                    t("rob_spread", lang),
                    1,
                    50,
                    DEFAULT_SPREAD_PCT,
                    help=t("rob_spread_help", lang),
                    key="rob_spread",
                )
                / 100
            )
        seed = right.number_input(
            t("rob_seed", lang),
            min_value=0,
            max_value=MAX_SEED,
            value=0,
            step=1,
            help=t("rob_seed_help", lang),
            key="rob_seed",
        )
    return int(samples), int(seed), spread


def sensitivity(
    matrix: Matrix,
    report: RobustnessReport,
    labels: dict[str, str],
    memo: MemoContext,
    lang: Lang,
) -> None:
    """A line chart per criterion: every option's score as that weight runs from 0 to 100%."""
    st.subheader(t("rob_sensitivity_heading", lang), anchor=False)
    if not report.stability:
        st.info(t("rob_one_criterion", lang))
        return
    st.caption(t("rob_sensitivity_help", lang))
    if matrix.criteria_set.depth > 1:
        st.caption(t("rob_tree_note", lang))
    ids = list(report.criterion_ids)
    weak = report.most_sensitive()
    key = f"rob_criterion_{matrix.criteria_set.id}"
    keep_choice(key, ids, ids[weak.criterion if weak else 0])  # in the current language
    chosen = st.selectbox(
        t("rob_criterion", lang),
        ids,
        format_func=labels.__getitem__,
        key=key,
        placeholder=t("placeholder_option", lang),
    )
    j = ids.index(chosen)
    interval = report.stability[j]
    sweep = one_way(matrix.values, report.weights, j, points=101)
    crossings = crossing_points(matrix.values, report.weights, interval)
    fig = sensitivity_figure(
        [labels[o] for o in report.option_ids],
        sweep,
        interval,
        crossings,
        labels[chosen],
        memo,
        lambda k, **f: t(k, lang, **f),
    )
    plotly_view.chart(
        fig,
        key="rob_chart_sensitivity",
        memo=memo,
        what=f"{report.case_id}-{report.criteria_set_id}-gevoeligheid-{chosen}",
    )


def stability(report: RobustnessReport, labels: dict[str, str], lang: Lang) -> None:
    """The stability intervals as sentences, one row per criterion."""
    st.subheader(t("rob_stability_heading", lang), anchor=False)
    explain(lang, ("rob_name_stability", "rob_explain_stability"))
    st.caption(t("rob_stability_help", lang))
    rows = stability_rows(report, labels, lang)
    if not rows:
        return
    # A list, not a table: a four-column table overflows a phone's width and the
    # scrolling box it then needs cannot be reached by keyboard (axe-core).
    st.markdown("\n".join(f"- {item}" for item in stability_items(rows, lang)))


def stability_items(rows: list[dict], lang: Lang) -> list[str]:
    """The stability rows as Markdown list items: criterion, its weight now, both intervals."""
    return [
        t(
            "rob_stability_item",
            lang,
            criterion=plain(r["criterion"]),
            now=plain(r["now"]),
            winner=plain(r["winner"]),
            ranking=plain(r["ranking"]),
        )
        for r in rows
    ]


def acceptability(matrix: Matrix, report: RobustnessReport, memo: MemoContext, lang: Lang) -> None:
    """Stacked bars: per option, the share of draws at each rank."""
    n = f"{report.samples:,}".replace(",", "." if lang == "nl" else ",")
    key = "rob_smaa_basis_uniform" if report.spread is None else "rob_smaa_basis_around"
    basis = t(key, lang, n=n, spread=pct(report.spread or 0.0, lang), seed=report.seed)
    basis += "; " + t("rob_smaa_ranges" if report.scores_vary else "rob_smaa_fixed", lang)
    chart_memo = dataclasses.replace(memo, method=" · ".join(filter(None, (memo.method, basis))))
    fig = acceptability_figure(
        [o.label.get(lang) for o in matrix.options],
        report.smaa.acceptability,
        chart_memo,
        t("rob_chart_smaa_title", lang),
        lambda k, **f: t(k, lang, **f),
    )
    plotly_view.chart(
        fig,
        key="rob_chart_smaa",
        memo=memo,
        what=f"{report.case_id}-{report.criteria_set_id}-rangkansen",
    )


def central_weights(matrix: Matrix, report: RobustnessReport, lang: Lang) -> None:
    """Confidence factors and central weights per option, most often first on top."""
    st.subheader(t("rob_central_heading", lang), anchor=False)
    explain(
        lang,
        ("rob_name_central", "rob_explain_central"),
        ("rob_name_confidence", "rob_explain_confidence"),
    )
    first = report.smaa.first_rank
    order = highest_first(first)
    table: dict[str, list[str]] = {
        t("rob_col_option", lang): [matrix.options[i].label.get(lang) for i in order],
        t("rob_col_first", lang): [pct(first[i], lang) for i in order],
        t("rob_col_confidence", lang): [
            t("rob_never_first", lang)
            if report.smaa.confidence[i] is None
            else pct(report.smaa.confidence[i] or 0.0, lang)
            for i in order
        ],
    }
    for j, leaf in enumerate(matrix.leaves):
        table[leaf.label.get(lang)] = [
            "–" if (w := report.smaa.central_weights[i]) is None else pct(w[j], lang) for i in order
        ]
    table_or_cards(
        table, "rob_central", lambda: st.dataframe(table, hide_index=True, key="rob_central_table")
    )


def methods(matrix: Matrix, report: RobustnessReport, lang: Lang) -> None:
    """Ranks by weighted sum, TOPSIS and PROMETHEE II, with a plain note when they differ."""
    st.subheader(t("rob_methods_heading", lang), anchor=False)
    explain(lang, *((f"rob_method_{name}", f"rob_explain_{name}") for name in METHOD_NAMES))
    st.caption(t("rob_methods_places", lang))
    check = report.methods
    if check is None:
        st.info(t("rob_methods_unavailable", lang))
        return
    order = np.argsort(check.ranks["weighted_sum"], kind="stable")
    table: dict[str, list[object]] = {
        t("rob_col_option", lang): [matrix.options[i].label.get(lang) for i in order]
    }
    for name in METHOD_NAMES:
        table[t(f"rob_method_{name}", lang)] = [int(check.ranks[name][i]) for i in order]
    table_or_cards(
        table, "rob_methods", lambda: st.dataframe(table, hide_index=True, key="rob_methods_table")
    )
    if check.winners_disagree:
        st.warning(t("rob_methods_winner_differs", lang))
    elif check.disagree:
        st.info(t("rob_methods_differ", lang))
    else:
        st.success(t("rob_methods_agree", lang))
