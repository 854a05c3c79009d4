"""The explore page: ranking, score card, profile, head-to-head, where each option wins, why."""

from __future__ import annotations

import streamlit as st

from afweging.markdown import plain, table
from afweging.matrix import Matrix, Ranking
from afweging.model import Lang
from afweging.numbers import decimal, number
from afweging.second_reading import RECORD, Reading, RecordProblem, by_cell, read_record
from afweging_ui import charts, plotly_view
from afweging_ui.cards import cards
from afweging_ui.context import library, prepare
from afweging_ui.controls import inline_weights, store
from afweging_ui.downloads import render_downloads
from afweging_ui.i18n import t
from afweging_ui.lazy import lazy_expander
from afweging_ui.regions_view import render_regions
from afweging_ui.scorecard import scorecard_frame, scorecard_styler
from afweging_ui.state import View
from afweging_ui.style import MemoContext
from afweging_ui.to_win_view import render_to_win
from afweging_ui.verdict_view import render_verdict

#: The tabs, by translation key; the open one is kept under TAB_KEY.
TABS = (
    "tab_ranking",
    "tab_scorecard",
    "tab_profile",
    "tab_h2h",
    "tab_regions",
    "tab_whatif",
    "tab_to_win",
)
TAB_KEY = "explore_tab"


def render() -> None:
    """Draw the page."""
    ctx = prepare()
    st.title(t("explore_title", ctx.lang))
    st.caption(t("tagline", ctx.lang))
    # On a phone the weights stand here, right above the result they change (CSS shows
    # this block only on narrow screens and hides the sidebar's there).
    inline_weights(ctx.matrix.criteria_set, ctx.view)
    matrix, ranking, view, memo, groups, changes = (
        ctx.matrix,
        ctx.ranking,
        ctx.view,
        ctx.memo,
        ctx.groups,
        ctx.changes,
    )
    lang, case, cset = ctx.lang, matrix.case, matrix.criteria_set
    summary(matrix, ranking, lang)
    render_verdict(matrix, ranking, lang)
    if changes:
        st.warning(t("whatif_active", lang, n=len(changes)), icon=":material/edit:")
    # Only the open tab is computed and sent: the first chart arrives sooner, and a weight
    # change redraws one tab, not seven.
    tabs = st.tabs([t(k, lang) for k in TABS], key=TAB_KEY, on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            title = t("chart_ranking_title", lang)
            fig = charts.ranking_figure(matrix, ranking, memo, title, lambda k: t(k, lang))
            plotly_view.chart(
                fig, key="chart_ranking", memo=memo, what=f"{case.id}-{cset.id}-ranking"
            )
            ranking_table(matrix, ranking, lang)
            option_summaries(matrix, ranking, lang)
    if tabs[1].open:
        with tabs[1]:
            scorecard(matrix, changes, lang)
    if tabs[2].open:
        with tabs[2]:
            fig = charts.profile_figure(
                matrix, memo, t("chart_profile_title", lang), lambda k: t(k, lang)
            )
            plotly_view.chart(
                fig,
                key="chart_profile",
                memo=memo,
                what=f"{case.id}-{cset.id}-profile",
                rows=t("criterion", lang),
            )
            st.caption(t("profile_help", lang))
    if tabs[3].open:
        with tabs[3]:
            head_to_head(matrix, ranking, memo, lang)
    if tabs[4].open:
        with tabs[4]:
            render_regions(matrix, ranking, view, memo, ctx.local_weights)
    if tabs[5].open:
        with tabs[5]:
            whatif(matrix, view, changes)
    if tabs[6].open:
        with tabs[6]:
            render_to_win(matrix, ranking, view)
    render_downloads(matrix, ranking, view, memo, groups, changes)


def join_names(names: list[str], lang: Lang) -> str:
    """'A', 'A en B', 'A, B en C' (or 'and' in English)."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + t("and_last", lang) + names[-1]


def summary(matrix: Matrix, ranking: Ranking, lang: Lang) -> None:
    """One sentence with the outcome, so the answer is read before any chart.

    Options that tie are named together, first or second, in the order of their labels,
    whatever weight method produced the (equal) scores.
    """
    labels = [o.label.get(lang) for o in matrix.options]
    order = ranking.best_first(labels)
    firsts = [i for i in order if ranking.ranks[i] == 1]
    rest = [i for i in order if ranking.ranks[i] != 1]
    seconds = [i for i in rest if ranking.ranks[i] == ranking.ranks[rest[0]]] if rest else []
    score = decimal(float(ranking.scores[firsts[0]]), lang, 2)
    if len(firsts) > 1:
        names = join_names([f"**{labels[i]}**" for i in firsts], lang)
        text = t("summary_tie", lang, names=names, score=score)
    else:
        text = t("summary_first", lang, name=labels[firsts[0]], score=score)
    if seconds:
        key = "summary_followed_many" if len(seconds) > 1 else "summary_followed"
        text += " " + t(
            key,
            lang,
            names=join_names([labels[i] for i in seconds], lang),
            score=decimal(float(ranking.scores[seconds[0]]), lang, 2),
        )
    st.markdown(text)


def ranking_table(matrix: Matrix, ranking: Ranking, lang: Lang) -> None:
    """The ranking as text (also what tests and screen readers read).

    A Markdown table: a real HTML table for screen readers, long labels wrap on a phone,
    and the page needs no data-grid code: ``st.table`` brought 0.9 MB of Arrow code that
    the browser compiled before the first chart. Cells are escaped (:func:`table`).
    """
    rows = ranking.rows(matrix, lang)
    header = (t("rank", lang), t("option", lang), t("score", lang))
    # Scores as text, so Dutch readers see a decimal comma: 0,667.
    cells = [(r["rank"], r["label"], decimal(r["score"], lang)) for r in rows]
    st.markdown(table(header, cells, "rlr"), width="stretch")


def option_summaries(matrix: Matrix, ranking: Ranking, lang: Lang) -> None:
    """What each option is, in the order of the ranking (plain text from the data)."""
    labels = [o.label.get(lang) for o in matrix.options]
    box = lazy_expander(t("options_explained", lang), key="options_explained")
    if box is None:
        return
    with box:
        for i in ranking.best_first(labels):
            option = matrix.options[i]
            st.markdown(f"**#{int(ranking.ranks[i])} {plain(labels[i])}**")
            st.text(option.summary.get(lang))


def criteria_explained(matrix: Matrix, lang: Lang) -> None:
    """What each criterion means and which way is better (plain text from the data)."""
    with st.expander(t("criteria_explained", lang), key="criteria_explained"):
        for leaf in matrix.leaves:
            better = t("higher_better" if leaf.higher_is_better else "lower_better", lang)
            st.markdown(f"**{plain(leaf.label.get(lang))}** · {better}")
            if leaf.description:
                st.text(leaf.description.get(lang))


def scorecard(matrix: Matrix, changes: dict[tuple[str, str], float], lang: Lang) -> None:
    """Options by criteria; selecting a cell opens its rationale and evidence.

    A wide screen shows the grid; a phone (CSS, :data:`afweging_ui.style.PAGE_CSS`) one card per
    option instead, each criterion with its value and label on a line of its own.
    """
    criteria_explained(matrix, lang)
    frame = scorecard_frame(matrix, lang, changes)
    cards(
        {t("option", lang): list(frame.index), **{c: list(frame[c]) for c in frame.columns}},
        "scorecard",
        t("scorecard_cards_help", lang),
    )
    with st.container(key="desk_scorecard"):
        st.caption(t("scorecard_help", lang))
        event = st.dataframe(
            scorecard_styler(frame, matrix),
            key="scorecard",
            on_select="rerun",
            selection_mode="single-cell",
        )
    option_ids, criterion_ids = matrix.option_ids, matrix.criterion_ids
    cells = getattr(getattr(event, "selection", None), "cells", None) or []
    if cells:
        row, column = cells[0]
        st.session_state["why_option"] = option_ids[int(row)]
        st.session_state["why_criterion"] = criterion_ids[list(frame.columns).index(column)]
    left, right = st.columns(2)
    option_labels = {o.id: o.label.get(lang) for o in matrix.options}
    leaf_labels = {c.id: c.label.get(lang) for c in matrix.leaves}
    if st.session_state.get("why_option") not in option_ids:
        st.session_state["why_option"] = option_ids[0]
    if st.session_state.get("why_criterion") not in criterion_ids:
        st.session_state["why_criterion"] = criterion_ids[0]
    option_id = left.selectbox(
        t("option", lang),
        option_ids,
        format_func=option_labels.__getitem__,
        key="why_option",
        placeholder=t("placeholder_option", lang),
    )
    criterion_id = right.selectbox(
        t("criterion", lang),
        criterion_ids,
        format_func=leaf_labels.__getitem__,
        key="why_criterion",
        placeholder=t("placeholder_option", lang),
    )
    why(matrix, option_id, criterion_id, changes, lang)


def why(
    matrix: Matrix,
    option_id: str,
    criterion_id: str,
    changes: dict[tuple[str, str], float],
    lang: Lang,
) -> None:
    """The rationale, basis, range and quotes behind one score. Data text is never HTML."""
    option = matrix.case.option(option_id)
    leaf = matrix.criteria_set.find(criterion_id)
    score = option.scores[criterion_id]
    assert leaf.scale is not None
    with st.container(border=True, key="why_panel"):
        st.subheader(f"{option.label.get(lang)} · {leaf.label.get(lang)}", anchor=False)
        st.caption(option.summary.get(lang))
        label = leaf.scale.label(score.value)
        value = number(score.value, lang)
        line = f"**{t('score', lang)}:** {value}" + (f" ({label})" if label else "")
        low, high = number(leaf.scale.min, lang), number(leaf.scale.max, lang)
        line += f" {t('on_scale', lang)} {low}–{high}"
        line += f" · {t('higher_better' if leaf.higher_is_better else 'lower_better', lang)}"
        st.markdown(line)
        if (option_id, criterion_id) in changes:
            st.warning(
                t(
                    "whatif_changed_cell",
                    lang,
                    value=number(changes[(option_id, criterion_id)], lang),
                )
            )
        level = leaf.scale.levels.get(round(score.value))
        if level:
            st.caption(f"{t('level_means', lang)} {level.get(lang)}")
        if score.range:
            low, high = (number(x, lang) for x in score.range)
            st.markdown(f"**{t('range', lang)}:** {low}–{high}")
        st.markdown(f"**{t('basis', lang)}:** {t('basis_' + score.basis, lang)}")
        st.markdown(f"**{t('rationale', lang)}**")
        st.text(score.rationale.get(lang))
        second = second_readings().get((matrix.case.id, option_id, criterion_id))
        if second is not None:
            st.markdown(f"**{t('second_reading', lang)}:** " + second_text(second, lang))
        if score.evidence:
            st.markdown(f"**{t('evidence', lang)}**")
        for k, item in enumerate(score.evidence):
            doc = library().document(item.source)
            found = doc.locate(item.quote) if doc else None
            where = library().cite(item.source, item.quote, lang)
            st.text(f"“{item.quote.strip()}”\n— {where}")
            if found:
                with st.expander(t("in_context", lang), key=f"ctx_{option_id}_{criterion_id}_{k}"):
                    st.text(f"…{found.before}[{found.quote}]{found.after}…")


@st.cache_data(show_spinner=False)
def _record(mtime: float) -> dict[tuple[str, str, str], Reading]:
    del mtime  # cache key: reread when the record changes
    return by_cell(read_record())


def second_readings() -> dict[tuple[str, str, str], Reading]:
    """The second reading of every cell, by (case, option, criterion); empty without a record."""
    try:
        return _record(RECORD.stat().st_mtime) if RECORD.is_file() else {}
    except RecordProblem:
        return {}


def second_text(reading: Reading, lang: Lang) -> str:
    """'agree: the second reader gave 3 [2–4] (lines …)', with the reason when there is one."""
    value, low, high = reading.theirs
    given = number(value, lang)
    if low != high:
        given += f" [{number(low, lang)}–{number(high, lang)}]"
    lines = library().cite_lines(reading.lines, lang)
    text = t(f"second_{reading.outcome}", lang, value=given, lines=lines)
    return text + (f" {reading.reason}" if reading.reason else "")


def head_to_head(matrix: Matrix, ranking: Ranking, memo: MemoContext, lang: Lang) -> None:
    """Two options side by side: where one beats the other, and by how much after weighting."""
    ids = matrix.option_ids
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    order = [ids[i] for i in ranking.best_first([labels[o] for o in ids])]
    left, right = st.columns(2)
    if st.session_state.get("h2h_a") not in ids:
        st.session_state["h2h_a"] = order[0]
    if st.session_state.get("h2h_b") not in ids:
        st.session_state["h2h_b"] = order[1]
    a = left.selectbox(
        t("option_a", lang),
        ids,
        format_func=labels.__getitem__,
        key="h2h_a",
        placeholder=t("placeholder_option", lang),
    )
    b = right.selectbox(
        t("option_b", lang),
        ids,
        format_func=labels.__getitem__,
        key="h2h_b",
        placeholder=t("placeholder_option", lang),
    )
    if a == b:
        st.info(t("choose_two_different", lang))
        return
    title = t("chart_h2h_title", lang, a=labels[a], b=labels[b])
    fig = charts.head_to_head_figure(
        matrix, ranking, ids.index(a), ids.index(b), memo, title, lambda k: t(k, lang)
    )
    plotly_view.chart(
        fig,
        key="chart_h2h",
        memo=memo,
        what=f"{matrix.case.id}-{a}-vs-{b}",
        rows=t("criterion", lang),
    )


def whatif(matrix: Matrix, view: View, changes: dict[tuple[str, str], float]) -> None:
    """Change a score for this session, clearly marked, and undo."""
    lang = view.lang
    st.caption(t("whatif_help", lang))
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    leaves = {c.id: c for c in matrix.leaves}
    left, mid, right = st.columns([2, 2, 1])
    option_id = left.selectbox(
        t("option", lang),
        matrix.option_ids,
        format_func=labels.__getitem__,
        key="wi_option",
        placeholder=t("placeholder_option", lang),
    )
    criterion_id = mid.selectbox(
        t("criterion", lang),
        matrix.criterion_ids,
        format_func=lambda c: leaves[c].label.get(lang),
        key="wi_criterion",
        placeholder=t("placeholder_option", lang),
    )
    leaf = leaves[criterion_id]
    assert leaf.scale is not None
    sourced = matrix.case.option(option_id).scores[criterion_id].value
    value = right.number_input(
        t("new_value", lang),
        min_value=float(leaf.scale.min),
        max_value=float(leaf.scale.max),
        value=float(changes.get((option_id, criterion_id), sourced)),
        step=1.0,
        format="%g",  # 3, 3.5: no false precision (sprintf-js knows no decimal comma)
        key=f"wi_value_{option_id}_{criterion_id}",
    )
    st.caption(t("whatif_sourced", lang, value=number(sourced, lang)))
    new = dict(view.whatif)
    if st.button(t("whatif_apply", lang), key="wi_apply", type="primary"):
        if value == sourced:
            new.pop(f"{option_id}.{criterion_id}", None)
        else:
            new[f"{option_id}.{criterion_id}"] = float(value)
        store(view.with_(whatif=new))
        st.rerun()
    for key, changed in view.whatif.items():
        o, _, c = key.partition(".")
        if o not in labels or c not in leaves:
            continue
        original = matrix.case.option(o).scores[c].value
        cols = st.columns([5, 1])
        cols[0].markdown(
            t(
                "whatif_row",
                lang,
                option=labels[o],
                criterion=leaves[c].label.get(lang),
                old=number(original, lang),
                new=number(changed, lang),
            )
        )
        if cols[1].button(t("undo", lang), key=f"wi_undo_{key}"):
            new.pop(key, None)
            store(view.with_(whatif=new))
            st.rerun()
