"""Workshop, facilitator's view (``/workshop``): create a session, project it, steer rounds.

Without ``?code=&key=`` the page offers a form to create a session. With them it
checks the key against the store (a wrong or missing key gets a refusal and
nothing else) and shows, for the projector: the join code, join link and QR code;
a live part that refreshes every few seconds (a fragment, no page reload); the
buttons to reveal, close, start a new round or reset; and the downloads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from afweging.analysis import scored_sets
from afweging.model import Lang
from afweging.workshop import (
    AccessDenied,
    InvalidSubmission,
    Participant,
    Session,
    SessionNotFound,
    Submission,
    WorkshopError,
)
from afweging.workshop.group import interpret_w
from ui import workshop_charts as charts
from ui.data import bundled
from ui.i18n import t
from ui.style import DIVERGING, TEMPLATE, image_config
from ui.workshop_model import (
    GroupPicture,
    breakdown,
    change_sentence,
    comparison,
    group_csv,
    group_picture,
    md_plain,
    score_text,
    session_report,
    weighable_criteria,
)
from ui.workshop_state import (
    facilitator_url,
    join_url,
    labels,
    lang,
    qr_png,
    session_matrix,
    store,
)

REFRESH = "3s"
ACTION_MESSAGE = "ws_action_message"


def render() -> None:
    """Draw the create form, or the session's projector view when the link's key is valid."""
    language = lang()
    code = st.query_params.get("code", "")
    key = st.query_params.get("key", "")
    if not code and not key:
        st.title(t("ws_create_title", language), anchor=False)
        create_form(language)
        return
    try:
        session = store().require_facilitator(code, key)
    except (SessionNotFound, AccessDenied):
        st.title(t("ws_facilitator_title", language), anchor=False)
        st.error(t("ws_bad_facilitator_link", language), icon=":material/lock:")
        st.button(t("ws_start_new", language), key="ws_start_new", on_click=_forget_link)
        return
    matrix = session_matrix(session)
    if matrix is None:
        st.error(t("ws_data_gone", language))
        return
    header(session, key, language)
    controls(session, key, language)
    live(session.code, key, language)
    downloads(session, key, language)


def _forget_link() -> None:
    st.query_params.clear()


# --------------------------------------------------------------------------- create


def create_form(language: Lang) -> None:
    """Case, criteria set, options, weight method and what to ask; then create."""
    bundle, _ = bundled()
    cases = {c.id: c for c in bundle.cases}
    case_id = st.selectbox(
        t("ws_case", language),
        list(cases),
        format_func=lambda i: cases[i].label.get(language),
        key="ws_case",
    )
    case = cases[case_id]
    sets = {s.id: s for s in scored_sets(case, bundle.criteria_sets)}
    if not sets:
        st.error(t("ws_no_sets", language))
        return
    set_id = st.selectbox(
        t("ws_criteria_set", language),
        list(sets),
        format_func=lambda i: sets[i].label.get(language),
        key="ws_set",
    )
    cset = sets[set_id]
    tops = weighable_criteria(cset)
    st.caption(
        t(
            "ws_weighable_note" if cset.depth > 1 else "ws_weighable_flat",
            language,
            names=", ".join(c.label.get(language) for c in tops),
        )
    )
    option_labels = {o.id: o.label.get(language) for o in case.options}
    options = st.multiselect(
        t("ws_options", language),
        list(option_labels),
        default=list(option_labels),
        format_func=option_labels.get,
        key=f"ws_options_{case_id}",
    )
    method = st.radio(
        t("ws_method", language),
        ["sliders", "rank"],
        format_func=lambda m: t(f"ws_method_{m}", language),
        key="ws_method",
        horizontal=True,
    )
    st.markdown(f"**{t('ws_ask', language)}**")
    ask_name = st.checkbox(t("ws_ask_name", language), key="ws_ask_name")
    ask_municipality = st.checkbox(t("ws_ask_municipality", language), key="ws_ask_municipality")
    ask_role = st.checkbox(t("ws_ask_role", language), key="ws_ask_role")
    show_names = st.checkbox(
        t("ws_show_names", language),
        key="ws_show_names",
        disabled=not ask_name,
        help=t("ws_show_names_help", language),
    )
    st.caption(t("ws_anonymous_note", language))
    if not st.button(t("ws_create", language), key="ws_create", type="primary"):
        return
    if len(options) < 2:
        st.error(t("ws_need_two_options", language))
        return
    try:
        session, key = store().create_session(
            case.id,
            cset.id,
            options,
            [c.id for c in tops],
            weight_method=method or "sliders",
            ask_name=ask_name,
            ask_municipality=ask_municipality,
            ask_role=ask_role,
            show_names=bool(show_names and ask_name),
        )
    except InvalidSubmission as exc:
        st.error(t("ws_create_failed", language))
        st.text(str(exc))
        return
    st.query_params.from_dict({"code": session.code, "key": key})
    st.rerun()


# --------------------------------------------------------------------------- header


def header(session: Session, key: str, language: Lang) -> None:
    """Join code, link and QR code for the projector; the secret link tucked away."""
    link = join_url(session.code)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.caption(t("ws_go_to", language))
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("ws_join_code", language))
        st.title(" ".join([session.code[:3], session.code[3:]]), anchor=False)
        st.markdown(status_line(session, language))
    with right:
        st.image(qr_png(link), width=240, caption=t("ws_scan", language))
    with st.expander(t("ws_facilitator_link", language), icon=":material/key:"):
        st.warning(t("ws_keep_secret", language))
        st.code(facilitator_url(session.code, key), language=None, wrap_lines=True)
    if session.is_expired():
        st.warning(t("ws_expired_facilitator", language))


def status_line(session: Session, language: Lang) -> str:
    """Round, open or closed, hidden or shown: one line of fixed texts."""
    parts = [
        t("ws_round", language, n=session.current_round),
        t("ws_open" if session.is_open else "ws_closed", language),
        t("ws_revealed" if session.revealed else "ws_hidden", language),
        t(f"ws_method_{session.weight_method}", language),
    ]
    return " · ".join(parts)


# --------------------------------------------------------------------------- controls


def _act(action: str, code: str, key: str) -> None:
    """Run a facilitator action before the page is drawn, so everything shows the new state."""
    actions = {
        "reveal": store().reveal,
        "hide": store().hide,
        "close": store().close,
        "reopen": store().reopen,
        "new_round": store().new_round,
        "reset": store().reset,
    }
    try:
        actions[action](code, key)
    except WorkshopError:
        st.session_state[ACTION_MESSAGE] = ("error", "ws_action_failed")
        return
    st.session_state[ACTION_MESSAGE] = ("success", f"ws_done_{action}")
    if action == "reset":
        st.session_state["ws_reset_confirm"] = False


def controls(session: Session, key: str, language: Lang) -> None:
    """Reveal or hide, close or reopen, next round, and reset behind a confirmation."""
    code = session.code
    cols = st.columns(4)
    reveal = "hide" if session.revealed else "reveal"
    cols[0].button(
        t(f"ws_btn_{reveal}", language),
        key="ws_btn_reveal",
        type="primary",
        on_click=_act,
        args=(reveal, code, key),
        width="stretch",
    )
    close = "close" if session.is_open else "reopen"
    cols[1].button(
        t(f"ws_btn_{close}", language),
        key="ws_btn_close",
        on_click=_act,
        args=(close, code, key),
        width="stretch",
    )
    cols[2].button(
        t("ws_btn_new_round", language),
        key="ws_btn_new_round",
        on_click=_act,
        args=("new_round", code, key),
        width="stretch",
    )
    with cols[3]:
        sure = st.checkbox(t("ws_reset_confirm", language), key="ws_reset_confirm")
        st.button(
            t("ws_btn_reset", language),
            key="ws_btn_reset",
            disabled=not sure,
            on_click=_act,
            args=("reset", code, key),
            width="stretch",
        )
    message = st.session_state.pop(ACTION_MESSAGE, None)
    if message:
        kind, text = message
        (st.error if kind == "error" else st.success)(t(text, language))


# --------------------------------------------------------------------------- live part


@st.fragment(run_every=REFRESH)
def live(code: str, key: str, language: Lang) -> None:
    """Counts every few seconds; after the reveal, the group picture of the round."""
    try:
        session = store().require_facilitator(code, key)
    except WorkshopError:
        st.error(t("ws_bad_facilitator_link", language))
        return
    matrix = session_matrix(session)
    if matrix is None:
        return
    s = store()
    count = s.count_submissions(session.id, session.current_round)
    joined = s.count_participants(session.id)
    a, b, c = st.columns(3)
    a.metric(t("ws_submissions", language), count)
    b.metric(t("ws_joined", language), joined)
    c.metric(t("ws_round_label", language), session.current_round)
    if not session.revealed:
        st.info(t("ws_hidden_note", language), icon=":material/visibility_off:")
        return
    submissions = s.submissions(session.id, session.current_round)
    if not submissions:
        st.info(t("ws_no_submissions", language))
        return
    picture = group_picture(matrix, [dict(x.weights) for x in submissions])
    before = _previous_round(session, matrix)
    people = {p.id: p for p in s.participants(session.id)}
    show_picture(picture, session, language, submissions, people, before)


def _previous_round(session: Session, matrix: object) -> GroupPicture | None:
    if session.current_round < 2:
        return None
    earlier = store().submissions(session.id, session.current_round - 1)
    if not earlier:
        return None
    return group_picture(matrix, [dict(x.weights) for x in earlier])  # type: ignore[arg-type]


def show_picture(
    picture: GroupPicture,
    session: Session,
    language: Lang,
    submissions: Sequence[Submission],
    people: Mapping[int, Participant],
    before: GroupPicture | None,
) -> None:
    """The group picture: agreement, ranking, weights, first places, acceptability, map."""
    from ui.workshop_state import memo

    version = bundled()[0].version
    names = labels(picture.matrix, language)
    memo_ctx = memo(picture, language, version, session.current_round)

    def tr(k: str) -> str:
        return t(k, language)

    def chart(fig: object, what: str) -> None:
        st.plotly_chart(
            fig,
            key=f"ws_chart_{what}",
            theme=None,
            config=image_config(memo_ctx, f"workshop-{session.code}-{what}"),
        )

    st.info(interpret_w(picture.summary.kendall_w, language), icon=":material/handshake:")
    st.caption(t("ws_w_help", language))

    st.subheader(t("ws_group_ranking", language), anchor=False)
    st.table(ranking_frame(picture, names, language), hide_index=True, border="horizontal")
    left, right = st.columns(2)
    with left:
        chart(
            charts.ranking_figure(picture, names, memo_ctx, tr("ws_chart_ranking"), tr),
            "ranking",
        )
    with right:
        chart(
            charts.weights_figure(
                picture,
                names,
                memo_ctx,
                tr("ws_chart_weights"),
                tr,
                before=None if before is None else before.summary.weights,
            ),
            "weights",
        )
    left, right = st.columns(2)
    with left:
        chart(
            charts.first_place_figure(picture, names, memo_ctx, tr("ws_chart_first"), tr),
            "first",
        )
    with right:
        chart(
            charts.acceptability_figure(picture, names, memo_ctx, tr("ws_chart_acceptability"), tr),
            "acceptability",
        )
    st.caption(t("ws_acceptability_help", language))

    regions(picture, names, memo_ctx, language, chart)

    if session.ask_municipality or session.ask_role:
        st.subheader(t("ws_breakdown", language), anchor=False)
        for asked, field in (
            (session.ask_municipality, "municipality"),
            (session.ask_role, "role"),
        ):
            if asked:
                groups = [getattr(people[x.participant_id], field) for x in submissions]
                st.dataframe(
                    breakdown_frame(picture, groups, names, field, language),
                    hide_index=True,
                    key=f"ws_breakdown_{field}",
                )

    if before is not None:
        st.subheader(t("ws_rounds_heading", language), anchor=False)
        change = comparison(before, picture)
        st.markdown(change_sentence(change, tr, language))
        st.dataframe(rounds_frame(before, picture, names, language), hide_index=True)

    if session.show_names:
        st.subheader(t("ws_names_heading", language), anchor=False)
        st.dataframe(
            names_frame(picture, submissions, people, names, language),
            hide_index=True,
            key="ws_names",
        )


def regions(
    picture: GroupPicture,
    names: Mapping[str, str],
    memo_ctx: object,
    language: Lang,
    chart: object,
) -> None:
    """The winning-regions triangle with every participant as an anonymous dot."""
    ids = picture.criteria
    if len(ids) < 3:
        return
    st.subheader(t("ws_map_heading", language), anchor=False)
    axes: list[int] = [0, 1, 2]
    if len(ids) > 3:
        chosen = st.multiselect(
            t("regions_axes", language),
            list(ids),
            default=list(ids[:3]),
            max_selections=3,
            format_func=lambda i: names.get(i, i),
            key="ws_map_axes",
        )
        if len(chosen) != 3:
            st.info(t("regions_pick_three", language))
            return
        axes = [ids.index(c) for c in chosen]
        st.caption(t("ws_map_slice", language))
    try:
        fig = charts.map_figure(
            picture, axes, names, memo_ctx, t("ws_chart_map", language), lambda k: t(k, language)
        )  # type: ignore[arg-type]
    except ValueError:
        st.info(t("regions_zero_mass", language))
        return
    chart(fig, "map")  # type: ignore[operator]
    st.caption(t("ws_map_help", language))


def _pct(x: float, language: Lang) -> str:
    text = f"{100 * x:.0f}%"
    return text if language == "en" else text.replace(".", ",")


def ranking_frame(picture: GroupPicture, names: Mapping[str, str], language: Lang) -> pd.DataFrame:
    """The group ranking under the mean weights, with the median rank and first places.

    Shown with ``st.table`` (it wraps long labels), which reads cells as markdown: the
    labels are escaped. Only labels from the data files go here, never typed text.
    """
    mean, med = picture.mean_ranking, picture.median_ranking
    order = np.lexsort((np.arange(len(mean.scores)), -mean.scores))
    ids = picture.matrix.option_ids
    return pd.DataFrame(
        {
            t("ws_rank_mean", language): [int(mean.ranks[i]) for i in order],
            t("ws_option", language): [md_plain(names.get(ids[i], ids[i])) for i in order],
            t("ws_score_mean", language): [score_text(mean.scores[i], language) for i in order],
            t("ws_rank_median", language): [
                "–" if med is None else str(int(med.ranks[i])) for i in order
            ],
            t("ws_first_count", language): [int(picture.summary.first_counts[i]) for i in order],
        }
    )


def breakdown_frame(
    picture: GroupPicture,
    groups: Sequence[str | None],
    names: Mapping[str, str],
    field: str,
    language: Lang,
) -> pd.DataFrame:
    """Per municipality (or role): how many, their mean weights, their winning option."""
    rows = breakdown(picture, groups)
    data: dict[str, list[object]] = {
        t(f"ws_{field}", language): [
            r.group if r.group is not None else t("ws_not_given", language) for r in rows
        ],
        t("ws_n", language): [r.n for r in rows],
    }
    for cid in picture.criteria:
        data[names.get(cid, cid)] = [_pct(r.mean_weights[cid], language) for r in rows]
    data[t("ws_first_for_group", language)] = [
        " · ".join(names.get(o, o) for o in r.first) for r in rows
    ]
    return pd.DataFrame(data)


def rounds_frame(
    before: GroupPicture, after: GroupPicture, names: Mapping[str, str], language: Lang
) -> pd.DataFrame:
    """Per criterion: mean weight and spread (IQR) in both rounds."""
    change = comparison(before, after)
    return pd.DataFrame(
        {
            t("ws_criterion", language): [names.get(c, c) for c in after.criteria],
            t("ws_mean_before", language): [_pct(x, language) for x in before.summary.mean_weights],
            t("ws_mean_after", language): [_pct(x, language) for x in after.summary.mean_weights],
            t("ws_iqr_before", language): [_pct(x, language) for x in change.iqr_before],
            t("ws_iqr_after", language): [_pct(x, language) for x in change.iqr_after],
        }
    )


def names_frame(
    picture: GroupPicture,
    submissions: Sequence[Submission],
    people: Mapping[int, Participant],
    names: Mapping[str, str],
    language: Lang,
) -> pd.DataFrame:
    """Who submitted what (only when the facilitator chose to ask and show names)."""
    persons = [people[x.participant_id] for x in submissions]
    data: dict[str, list[object]] = {
        t("ws_participant", language): [p.label(True) for p in persons],
        t("ws_municipality", language): [p.municipality or "" for p in persons],
        t("ws_role", language): [p.role or "" for p in persons],
    }
    for j, cid in enumerate(picture.criteria):
        data[names.get(cid, cid)] = [_pct(w, language) for w in picture.summary.weights[:, j]]
    ids = picture.matrix.option_ids
    data[t("ws_their_first", language)] = [
        " · ".join(names.get(ids[i], ids[i]) for i in np.flatnonzero(r == 1))
        for r in picture.summary.ranks
    ]
    return pd.DataFrame(data)


# --------------------------------------------------------------------------- downloads


def downloads(session: Session, key: str, language: Lang) -> None:
    """Submissions CSV (all rounds), group result CSV and the HTML report of this round."""
    st.subheader(t("ws_downloads", language), anchor=False)
    code = session.code
    stem = f"afweging-workshop-{code}-{date.today().isoformat()}"

    def submissions_csv() -> bytes:
        return store().export_submissions_csv(code, key).encode("utf-8-sig")

    def picture_now() -> tuple[GroupPicture, GroupPicture | None, Session] | None:
        fresh = store().require_facilitator(code, key)
        matrix = session_matrix(fresh)
        subs = store().submissions(fresh.id, fresh.current_round)
        if matrix is None or not subs:
            return None
        picture = group_picture(matrix, [dict(x.weights) for x in subs])
        return picture, _previous_round(fresh, matrix), fresh

    def result_csv() -> bytes:
        now = picture_now()
        if now is None:
            return b""
        picture = now[0]
        return group_csv(picture, language, labels(picture.matrix, language)).encode("utf-8-sig")

    def report() -> str:
        from ui.workshop_state import memo

        now = picture_now()
        if now is None:
            return ""
        picture, before, fresh = now
        names = labels(picture.matrix, language)
        version = bundled()[0].version
        memo_ctx = memo(picture, language, version, fresh.current_round)

        def tr(k: str) -> str:
            return t(k, language)

        figures = [
            charts.ranking_figure(picture, names, memo_ctx, tr("ws_chart_ranking"), tr),
            charts.weights_figure(
                picture,
                names,
                memo_ctx,
                tr("ws_chart_weights"),
                tr,
                before=None if before is None else before.summary.weights,
            ),
            charts.first_place_figure(picture, names, memo_ctx, tr("ws_chart_first"), tr),
            charts.acceptability_figure(picture, names, memo_ctx, tr("ws_chart_acceptability"), tr),
        ]
        return session_report(
            picture,
            tr,
            lang=language,
            version=version,
            day=date.today(),
            code=code,
            round_no=fresh.current_round,
            labels=names,
            figures=figures,
            change=None if before is None else comparison(before, picture),
            method=memo_ctx.method,
            template=TEMPLATE,
            palette=DIVERGING,
            image_stem=f"{stem}-ranking",
        )

    has_any = store().count_submissions(session.id, session.current_round) > 0
    cols = st.columns(3)
    cols[0].download_button(
        t("ws_download_submissions", language),
        submissions_csv,
        file_name=f"{stem}-inzendingen.csv" if language == "nl" else f"{stem}-submissions.csv",
        mime="text/csv",
        key="ws_dl_submissions",
        on_click="ignore",
    )
    cols[1].download_button(
        t("ws_download_group", language),
        result_csv,
        file_name=f"{stem}-groep.csv" if language == "nl" else f"{stem}-group.csv",
        mime="text/csv",
        key="ws_dl_group",
        disabled=not has_any,
        on_click="ignore",
    )
    cols[2].download_button(
        t("ws_download_report", language),
        report,
        file_name=f"{stem}-rapport.html" if language == "nl" else f"{stem}-report.html",
        mime="text/html",
        key="ws_dl_report",
        disabled=not has_any,
        on_click="ignore",
    )
    st.caption(t("ws_downloads_help", language))
