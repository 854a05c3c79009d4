"""Workshop, participant's view (``/deelnemen``): join, weigh, see your ranking, submit.

Built for a phone (390 px): one column in the main area, no sidebar needed. The
join code and the participant's token live in the URL (``?code=...&p=...``), so a
phone that sleeps or reloads keeps its identity; a resubmission replaces only
this participant's own earlier one. Names and other typed text are shown with
``st.text``, never as markdown or HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import streamlit as st

from afweging.analysis import Matrix, rank
from afweging.model import Lang
from afweging.workshop import (
    AccessDenied,
    InvalidSubmission,
    Participant,
    Session,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    WorkshopError,
)
from afweging.workshop.group import mean_weights, weight_matrix
from afweging.workshop.picture import (
    SLIDER_DEFAULT,
    SLIDER_MAX,
    leaf_weights_for,
    md_plain,
    rank_weights,
    ranks_from_weights,
    score_text,
    weighable_criteria,
)
from afweging.workshop.store import MAX_TEXT_LENGTH
from ui.i18n import t
from ui.workshop.state import client_id, join_limiter, lang, session_matrix, store

SUBMIT_MESSAGE = "ws_submit_message"


def render() -> None:
    """Code entry, then the join form, then the weights: whichever this visitor needs."""
    language = lang()
    st.title(t("ws_join_title", language), anchor=False)
    code = st.query_params.get("code", "")
    token = st.query_params.get("p", "")
    if join_limiter().blocked(client_id()):
        st.error(t("ws_too_many_attempts", language), icon=":material/hourglass_top:")
        return
    if not code:
        code_form(language)
        return
    try:
        session = store().get_session_by_code(code)
    except SessionNotFound:
        join_limiter().fail(client_id())
        st.error(t("ws_unknown_code", language), icon=":material/search_off:")
        code_form(language)
        return
    if token:
        try:
            person = store().participant(session.code, token)
        except AccessDenied:
            join_limiter().fail(client_id())
            st.error(t("ws_bad_token", language), icon=":material/lock:")
            st.button(t("ws_join_again", language), key="ws_join_again", on_click=_drop_token)
            return
        weigh(session, person, token, language)
        return
    if session.is_expired():
        st.error(t("ws_expired", language), icon=":material/timer_off:")
        return
    if not session.is_open:
        st.error(t("ws_closed_join", language), icon=":material/block:")
        return
    join_form(session, language)


def _drop_token() -> None:
    if "p" in st.query_params:
        del st.query_params["p"]


def code_form(language: Lang) -> None:
    """Type the code from the projector."""
    typed = st.text_input(
        t("ws_code_label", language),
        key="ws_code_input",
        placeholder="ABC DEF",
        max_chars=12,
    )
    if st.button(t("ws_code_go", language), key="ws_code_go", type="primary", width="stretch"):
        try:
            session = store().get_session_by_code(typed)
        except SessionNotFound:
            join_limiter().fail(client_id())
            st.error(t("ws_unknown_code", language), icon=":material/search_off:")
            return
        st.query_params.from_dict({"code": session.code})
        st.rerun()


FIELDS = ("name", "municipality", "role")


def join_form(session: Session, language: Lang) -> None:
    """Name, municipality and role when the facilitator asks for them; then join."""
    st.markdown(t("ws_join_intro", language, code=session.code))
    asked = {
        "name": session.ask_name,
        "municipality": session.ask_municipality,
        "role": session.ask_role,
    }
    answers: dict[str, str | None] = {}
    for field in FIELDS:
        if asked[field]:
            answers[field] = st.text_input(t(f"ws_your_{field}", language), key=f"ws_join_{field}")
    if any(asked.values()):
        st.caption(
            t(
                "ws_names_shown" if session.show_names else "ws_names_hidden",
                language,
            )
        )
    if not st.button(t("ws_join", language), key="ws_join", type="primary", width="stretch"):
        return
    try:
        _person, token = store().join(session.code, **{k: v or None for k, v in answers.items()})
    except InvalidSubmission as exc:
        field = exc.field if exc.field in FIELDS else "name"
        st.error(
            t(
                "ws_bad_text",
                language,
                field=t(f"ws_your_{field}", language),
                max=MAX_TEXT_LENGTH,
            )
        )
        return
    except SessionExpired:
        st.error(t("ws_expired", language))
        return
    except SessionClosed:
        st.error(t("ws_closed_join", language))
        return
    st.query_params.from_dict({"code": session.code, "p": token})
    st.rerun()


# --------------------------------------------------------------------------- weights


def weigh(session: Session, person: Participant, token: str, language: Lang) -> None:
    """The weights in the session's method, this person's ranking, and Submit."""
    matrix = session_matrix(session)
    if matrix is None:
        st.error(t("ws_data_gone", language))
        return
    st.caption(t("ws_you_are", language, n=person.number, round=session.current_round))
    if person.name:
        st.text(t("ws_joined_as", language) + " " + person.name)
    can_submit = session.is_open and not session.is_expired()
    if session.is_expired():
        st.warning(t("ws_expired_kept", language))
    elif not session.is_open:
        st.warning(t("ws_closed_kept", language))
    mine = store().my_submission(session.code, token)
    cset = matrix.criteria_set
    tops = weighable_criteria(cset)
    if session.weight_method == "rank":
        weights = rank_inputs(tops, mine.weights if mine else None, language, can_submit)
    else:
        weights = slider_inputs(tops, mine.weights if mine else None, language, can_submit)

    if not any(v > 0 for v in weights.values()):
        st.warning(t("ws_all_zero", language))
    else:
        own_ranking(matrix, weights, language)
    if st.button(
        t("ws_submit_again" if mine else "ws_submit", language),
        key="ws_submit",
        type="primary",
        width="stretch",
        disabled=not can_submit or not any(v > 0 for v in weights.values()),
    ):
        ok, text = submit_weights(session.code, token, weights, language)
        (st.success if ok else st.error)(text)
        if ok:
            mine = store().my_submission(session.code, token)
    if mine is not None:
        st.caption(
            t(
                "ws_last_submitted",
                language,
                time=_local_time(mine.submitted_at),
                round=mine.round,
            )
        )
    elif can_submit:
        st.caption(t("ws_not_submitted", language))
    if session.revealed:
        group_result(session, matrix, language)


def slider_inputs(
    tops: list, stored: Mapping[str, float] | None, language: Lang, enabled: bool
) -> dict[str, float]:
    """One slider (0 to 10) per criterion; starts from this person's last submission."""
    st.markdown(t("ws_sliders_intro", language))
    out: dict[str, float] = {}
    for c in tops:
        key = f"ws_w_{c.id}"
        if key not in st.session_state:
            value = stored.get(c.id) if stored else None
            st.session_state[key] = (
                int(min(SLIDER_MAX, max(0, round(value))))
                if value is not None and math.isfinite(value)
                else SLIDER_DEFAULT
            )
        out[c.id] = float(
            st.slider(
                c.label.get(language),
                0,
                SLIDER_MAX,
                step=1,
                key=key,
                disabled=not enabled,
                help=c.description.get(language) if c.description else None,
            )
        )
    return out


def rank_inputs(
    tops: list, stored: Mapping[str, float] | None, language: Lang, enabled: bool
) -> dict[str, float]:
    """A place (1 = most important) per criterion; equal places share their weight."""
    st.markdown(t("ws_rank_intro", language))
    places = list(range(1, len(tops) + 1))
    previous = ranks_from_weights(stored) if stored else {}
    ranks: dict[str, int] = {}
    for i, c in enumerate(tops):
        key = f"ws_r_{c.id}"
        if key not in st.session_state:
            st.session_state[key] = previous.get(c.id, i + 1)
        ranks[c.id] = int(
            st.selectbox(
                c.label.get(language),
                places,
                key=key,
                disabled=not enabled,
                help=c.description.get(language) if c.description else None,
            )
        )
    return rank_weights(ranks)


def own_ranking(matrix: Matrix, weights: Mapping[str, float], language: Lang) -> None:
    """This person's ranking, computed with the core as the weights change."""
    ranking = rank(matrix, leaf_weights_for(matrix.criteria_set, weights))
    total = sum(weights.values())
    shares = " · ".join(
        f"{c.label.get(language)} {100 * weights[c.id] / total:.0f}%"
        for c in weighable_criteria(matrix.criteria_set)
    )
    st.subheader(t("ws_your_ranking", language), anchor=False)
    st.caption(t("ws_your_shares", language, shares=shares))
    rows = ranking.rows(matrix, language)
    st.table(
        pd.DataFrame(
            {
                t("rank", language): [r["rank"] for r in rows],
                t("option", language): [md_plain(str(r["label"])) for r in rows],
                t("score", language): [score_text(float(r["score"]), language) for r in rows],  # type: ignore[arg-type]
            }
        ),
        hide_index=True,
        border="horizontal",
    )


def submit_weights(
    code: str, token: str, weights: Mapping[str, float], language: Lang
) -> tuple[bool, str]:
    """Store the weights; (True, confirmation) or (False, the refusal in plain words)."""
    try:
        store().submit(code, token, dict(weights))
    except InvalidSubmission as exc:
        return False, t("ws_bad_weights", language, detail=str(exc))
    except SessionExpired:
        return False, t("ws_expired_kept", language)
    except SessionClosed:
        return False, t("ws_closed_kept", language)
    except (AccessDenied, SessionNotFound):
        return False, t("ws_bad_token", language)
    except WorkshopError:
        return False, t("ws_action_failed", language)
    return True, t("ws_submitted", language)


def group_result(session: Session, matrix: Matrix, language: Lang) -> None:
    """After the reveal, the room's ranking under the mean weights, on the phone too."""
    try:
        weights = store().group_weights(session.code)
    except WorkshopError:
        return
    if not weights:
        return
    ids = [c.id for c in weighable_criteria(matrix.criteria_set)]
    mean = mean_weights(weight_matrix(weights, ids))
    ranking = rank(matrix, leaf_weights_for(matrix.criteria_set, dict(zip(ids, mean, strict=True))))
    st.subheader(t("ws_group_ranking", language), anchor=False)
    st.caption(t("ws_group_on_phone", language, n=len(weights)))
    rows = ranking.rows(matrix, language)
    st.table(
        pd.DataFrame(
            {
                t("rank", language): [r["rank"] for r in rows],
                t("option", language): [md_plain(str(r["label"])) for r in rows],
            }
        ),
        hide_index=True,
        border="horizontal",
    )


def _local_time(moment: datetime) -> str:
    try:
        zone = ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:
        return moment.strftime("%H:%M:%S UTC")
    return moment.astimezone(zone).strftime("%H:%M:%S")
