"""Workshop, facilitator's view: the live part, refreshed every few seconds.

Counts of joined participants and submissions; after the reveal, the group picture
of the round: agreement, ranking, weights, first places, acceptability, the
winning-regions map, breakdowns, the change since the last round and, if chosen,
names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from afweging.model import Lang
from afweging.workshop import Participant, Session, Submission, WorkshopError
from afweging.workshop.group import interpret_w
from ui import workshop_charts as charts
from ui.data import bundled
from ui.i18n import t
from ui.style import image_config
from ui.workshop_model import GroupPicture, change_sentence, comparison, group_picture
from ui.workshop_state import labels, memo, session_matrix, store
from ui.workshop_tables import breakdown_frame, names_frame, ranking_frame, rounds_frame

REFRESH = "3s"


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
    before = previous_round(session, matrix)
    people = {p.id: p for p in s.participants(session.id)}
    show_picture(picture, session, language, submissions, people, before)


def previous_round(session: Session, matrix: object) -> GroupPicture | None:
    """The group picture of the round before this one, if it had any submissions."""
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
