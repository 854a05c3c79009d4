"""Workshop, facilitator's view: the buttons that steer a session, and the downloads.

Reveal or hide, close or reopen, a new round and reset (behind a confirmation) run
as callbacks before the page is drawn. The downloads (submissions, group result,
HTML report) are built only when clicked, from the store's current state.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from afweging.model import Lang
from afweging.report import ReportOptions
from afweging.workshop import Session, WorkshopError, exports
from afweging.workshop.picture import GroupPicture, comparison, group_picture
from afweging.workshop.report import session_report
from afweging_ui.i18n import t
from afweging_ui.style import TEMPLATE
from afweging_ui.workshop import charts
from afweging_ui.workshop.live import previous_round
from afweging_ui.workshop.state import data_version, labels, memo, session_matrix, store

ACTION_MESSAGE = "ws_action_message"
#: Set when a session was just deleted: how many submissions went with it.
DELETED = "ws_deleted"


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


def _delete(code: str, key: str) -> None:
    """Delete the session with everything in it; then the page offers a new one."""
    try:
        n = store().delete_session(code, key)
    except WorkshopError:
        st.session_state[ACTION_MESSAGE] = ("error", "ws_action_failed")
        return
    st.session_state[DELETED] = n
    st.query_params.clear()


def delete_control(session: Session, key: str, language: Lang) -> None:
    """Delete the session and all its data (names are personal data), behind a confirmation."""
    with st.expander(t("ws_delete_heading", language), icon=":material/delete:"):
        st.caption(t("ws_delete_help", language))
        sure = st.checkbox(t("ws_delete_confirm", language), key="ws_delete_confirm")
        st.button(
            t("ws_btn_delete", language),
            key="ws_btn_delete",
            disabled=not sure,
            on_click=_delete,
            args=(session.code, key),
            type="primary",
        )


def downloads(session: Session, key: str, language: Lang) -> None:
    """Submissions CSV (all rounds), group result CSV and the HTML report of this round.

    The CSV files open with a double click in a Dutch Excel (``;``, decimal commas,
    a byte order mark) and no cell can run as a formula (:mod:`afweging.spreadsheet`).
    """
    st.subheader(t("ws_downloads", language), anchor=False)
    code = session.code
    stem = f"afweging-workshop-{code}-{date.today().isoformat()}"

    def tr(k: str) -> str:
        return t(k, language)

    def submissions_csv() -> bytes:
        fresh, people, subs = store().facilitator_export(code, key)
        matrix = session_matrix(fresh)
        names = labels(matrix, language) if matrix is not None else {}
        return exports.submissions_csv(fresh, people, subs, tr, language, names)

    def picture_now() -> tuple[GroupPicture, GroupPicture | None, Session] | None:
        fresh = store().require_facilitator(code, key)
        matrix = session_matrix(fresh)
        subs = store().submissions(fresh.id, fresh.current_round)
        if matrix is None or not subs:
            return None
        picture = group_picture(matrix, [dict(x.weights) for x in subs])
        return picture, previous_round(fresh, matrix), fresh

    def result_csv() -> bytes:
        now = picture_now()
        if now is None:
            return b""
        picture = now[0]
        return exports.group_csv(picture, tr, language, labels(picture.matrix, language))

    def report() -> str:
        now = picture_now()
        if now is None:
            return ""
        picture, before, fresh = now
        names = labels(picture.matrix, language)
        version = data_version(fresh, language)
        memo_ctx = memo(picture, language, version, fresh.current_round)
        figures = list(charts.picture_figures(picture, names, memo_ctx, tr, before).values())
        options = ReportOptions(
            lang=language,
            version=version,
            day=date.today(),
            figures=figures,
            method=memo_ctx.method,
            template=TEMPLATE,
            image_stem=f"{stem}-ranking",
        )
        change = None if before is None else comparison(before, picture)
        return session_report(
            picture,
            tr,
            options,
            code=code,
            round_no=fresh.current_round,
            labels=names,
            change=change,
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
