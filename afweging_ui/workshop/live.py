"""Workshop, facilitator's and projector's view: the live part.

A fragment refreshes every two seconds and costs one small read: the counts of
joined participants and submissions. The group picture (agreement, ranking,
weights, opinion groups, first places, acceptability, the map, breakdowns, the
change since the last round and, on the facilitator's screen, names) is drawn
by the page itself, from a picture computed once per change of the round's
data; the fragment asks for a full rerun only when what the picture shows has
changed. During a burst of 400 submissions before the reveal, the projector
therefore only redraws two numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import DBAPIError

from afweging.matrix import Matrix
from afweging.model import Lang
from afweging.workshop import Participant, Session, StoreUnavailable, Submission, WorkshopError
from afweging.workshop.group import interpret_w
from afweging.workshop.picture import GroupPicture, comparison, group_picture
from afweging.workshop.sentences import bridge_sentence, change_sentence, groups_sentence
from afweging_ui import plotly_view
from afweging_ui.cards import table_or_cards
from afweging_ui.i18n import t
from afweging_ui.style import MemoContext
from afweging_ui.workshop import charts
from afweging_ui.workshop.state import data_version, labels, memo, session_matrix, store
from afweging_ui.workshop.tables import (
    breakdown_frame,
    groups_frame,
    groups_table,
    names_frame,
    ranking_cards,
    ranking_frame,
    rounds_frame,
)

REFRESH = "2s"
SHOWN = "ws_shown_version"

#: Reads the session again with the same credentials (facilitator key or projector key).
Access = Callable[[], Session]


def picture_version(session: Session) -> tuple[Any, ...]:
    """What the drawn page depends on: round, state and, once revealed, the round's data."""
    base = (session.id, session.current_round, session.is_open, session.revealed)
    if not session.revealed:
        return base
    return (*base, store().round_version(session.id, session.current_round))


@st.cache_resource(show_spinner=False, max_entries=16)
def _picture(
    session_id: int, round_no: int, version: tuple[Any, ...], data_version: str, _matrix: Matrix
) -> tuple[GroupPicture, tuple[Submission, ...]] | None:
    """The round's group picture, computed once per change and shared by every screen."""
    del version, data_version  # cache keys only
    subs = tuple(store().submissions(session_id, round_no))
    if not subs:
        return None
    return group_picture(_matrix, [dict(x.weights) for x in subs]), subs


def current_picture(
    session: Session, matrix: Matrix
) -> tuple[GroupPicture, tuple[Submission, ...]] | None:
    """This round's picture and the submissions it rests on (None before any)."""
    version = picture_version(session)
    return _picture(session.id, session.current_round, version, data_version(session, "nl"), matrix)


def live(session: Session, access: Access, language: Lang, *, facilitator: bool) -> None:
    """Counts that refresh; after the reveal, the group picture of the round."""
    st.session_state[SHOWN] = picture_version(session)
    counts(access, language)
    if not session.revealed:
        st.info(t("ws_hidden_note", language), icon=":material/visibility_off:")
        return
    matrix = session_matrix(session)
    if matrix is None:
        return
    now = current_picture(session, matrix)
    if now is None:
        st.info(t("ws_no_submissions", language))
        return
    picture, submissions = now
    before = previous_round(session, matrix)
    people = {p.id: p for p in store().participants(session.id)}
    show_picture(picture, session, language, submissions, people, before, facilitator)


@st.fragment(run_every=REFRESH)
def counts(access: Access, language: Lang) -> None:
    """Joined and submitted, every two seconds; a full redraw when the picture changed."""
    try:
        session = access()
    except (StoreUnavailable, DBAPIError):  # the database is away: say so, try again in 2 s
        st.warning(t("ws_db_down", language), icon=":material/cloud_off:")
        return
    except WorkshopError:
        st.error(t("ws_bad_facilitator_link", language))
        return
    if picture_version(session) != st.session_state.get(SHOWN):
        st.rerun(scope="app")
    s = store()
    a, b, c = st.columns(3)
    a.metric(t("ws_submissions", language), s.count_submissions(session.id, session.current_round))
    b.metric(t("ws_joined", language), s.count_participants(session.id))
    c.metric(t("ws_round_label", language), session.current_round)


def previous_round(session: Session, matrix: Matrix) -> GroupPicture | None:
    """The group picture of the round before this one, if it had any submissions."""
    if session.current_round < 2:
        return None
    earlier = store().submissions(session.id, session.current_round - 1)
    if not earlier:
        return None
    return group_picture(matrix, [dict(x.weights) for x in earlier])


def show_picture(
    picture: GroupPicture,
    session: Session,
    language: Lang,
    submissions: Sequence[Submission],
    people: Mapping[int, Participant],
    before: GroupPicture | None,
    facilitator: bool,
) -> None:
    """The group picture: agreement, ranking, groups, weights, first places, acceptability, map."""
    version = data_version(session, language)
    names = labels(picture.matrix, language)
    memo_ctx = memo(picture, language, version, session.current_round)

    def tr(k: str) -> str:
        return t(k, language)

    def chart(fig: go.Figure, what: str) -> None:
        plotly_view.chart(
            fig, key=f"ws_chart_{what}", memo=memo_ctx, what=f"workshop-{session.code}-{what}"
        )

    st.info(interpret_w(picture.summary.kendall_w, language), icon=":material/handshake:")
    st.caption(t("ws_w_help", language))

    # A phone (CSS, afweging_ui.style.PAGE_CSS) shows the ranking and the groups as cards:
    # as tables they were 544 and 620 px wide in a 358 px column, scrolling sideways
    # where the keyboard cannot reach. Wide screens keep the tables as they were.
    st.subheader(t("ws_group_ranking", language), anchor=False)
    table_or_cards(
        ranking_cards(picture, names, language),
        "ws_ranking",
        lambda: st.table(
            ranking_frame(picture, names, language), hide_index=True, border="horizontal"
        ),
    )

    st.subheader(t("ws_groups_heading", language), anchor=False)
    st.markdown(groups_sentence(picture, tr))
    st.success(bridge_sentence(picture, tr, names), icon=":material/join:")
    table_or_cards(
        groups_table(picture, names, language),
        "ws_groups",
        lambda: st.table(
            groups_frame(picture, names, language), hide_index=True, border="horizontal"
        ),
    )
    st.caption(t("ws_groups_rule", language))

    figures = charts.picture_figures(picture, names, memo_ctx, tr, before)
    for pair in (("ranking", "weights"), ("first", "acceptability")):
        for column, what in zip(st.columns(2), pair, strict=True):
            with column:
                chart(figures[what], what)
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

    if facilitator and session.show_names:
        st.subheader(t("ws_names_heading", language), anchor=False)
        st.dataframe(
            names_frame(picture, submissions, people, names, language),
            hide_index=True,
            key="ws_names",
        )


def regions(
    picture: GroupPicture,
    names: Mapping[str, str],
    memo_ctx: MemoContext,
    language: Lang,
    chart: Callable[[object, str], None],
) -> None:
    """The winning-regions triangle with every participant as a dot, coloured by group."""
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
            placeholder=t("placeholder_options", language),
        )
        if len(chosen) != 3:
            st.info(t("regions_pick_three", language))
            return
        axes = [ids.index(c) for c in chosen]
        st.caption(t("ws_map_slice", language))
    try:
        fig = charts.map_figure(
            picture, axes, names, memo_ctx, t("ws_chart_map", language), lambda k: t(k, language)
        )
    except ValueError:
        st.info(t("regions_zero_mass", language))
        return
    chart(fig, "map")
    st.caption(t("ws_map_help", language))
