"""Workshop, facilitator's and projector's view (``/workshop``): create, project, steer rounds.

- Without ``?code=``: the form that creates a session.
- ``?code=`` with the facilitator key (held in this browser: see
  :func:`afweging_ui.workshop.state.facilitator_key`): the control view. Join code, link
  and QR code; the two links; the buttons to reveal, close, start a new round or
  reset; the live picture; the downloads.
- ``?code=&view=`` with the projector key: the read-only projector view, the
  join code and the live picture, no buttons, no downloads, no names.

A wrong or missing key gets a refusal and nothing else. The parts live in
``create.py``, ``header.py``, ``controls.py``, ``live.py`` and ``tables.py``
beside this module; the participants' phones use plain routes
(:mod:`afweging_ui.workshop.phone`), not Streamlit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import DBAPIError

from afweging.model import Lang
from afweging.workshop import AccessDenied, Session, SessionNotFound, StoreUnavailable
from afweging_ui.i18n import t
from afweging_ui.workshop.controls import DELETED, controls, delete_control, downloads
from afweging_ui.workshop.create import create_form
from afweging_ui.workshop.header import header, links, pin_key
from afweging_ui.workshop.live import live
from afweging_ui.workshop.state import facilitator_key, lang, session_matrix, store


def render() -> None:
    """Draw the page; a database that cannot be reached gets a plain Dutch message."""
    try:
        draw()
    except (StoreUnavailable, DBAPIError) as exc:
        _LOG.error("workshop page: database not available: %s", type(exc).__name__)
        st.error(t("ws_db_down", lang()), icon=":material/cloud_off:")


def draw() -> None:
    """Draw the create form, the control view or the projector view, as the link allows."""
    language = lang()
    code = str(st.query_params.get("code", "")).strip().upper()[:16]
    if not code:
        if "key" in st.query_params:
            del st.query_params["key"]
        deleted = st.session_state.pop(DELETED, None)
        if deleted is not None:
            st.success(t("ws_deleted", language, n=deleted), icon=":material/delete:")
        st.title(t("ws_create_title", language), anchor=False)
        create_form(language)
        return
    viewer = str(st.query_params.get("view", ""))
    if viewer:
        projector(code, viewer, language)
    else:
        control(code, facilitator_key(code), language)


_LOG = logging.getLogger("afweging")


def refuse(language: Lang) -> None:
    """The one answer to any wrong link: no hint whether the code or the key was wrong."""
    st.title(t("ws_facilitator_title", language), anchor=False)
    st.error(t("ws_bad_facilitator_link", language), icon=":material/lock:")
    st.button(t("ws_start_new", language), key="ws_start_new", on_click=_forget_link)


def opened(access: Callable[[], Session], language: Lang) -> Session | None:
    """The session the link opens, or None after saying why not (same words for any bad link)."""
    try:
        session = access()
    except (SessionNotFound, AccessDenied):
        refuse(language)
        return None
    if session_matrix(session) is None:
        st.error(t("ws_data_gone", language))
        return None
    return session


def control(code: str, key: str, language: Lang) -> None:
    """The facilitator's own screen."""
    session = opened(lambda: store().require_facilitator(code, key), language)
    if session is None:
        return
    pin_key(session.code, key)
    header(session, language)
    links(session, key, language)
    controls(session, key, language)
    live(
        session,
        lambda: store().require_facilitator(code, key),
        language,
        facilitator=True,
    )
    downloads(session, key, language)
    delete_control(session, key, language)


def projector(code: str, viewer: str, language: Lang) -> None:
    """The projector's screen: join code and the live picture, nothing to press."""
    session = opened(lambda: store().require_viewer(code, viewer), language)
    if session is None:
        return
    header(session, language)
    live(session, lambda: store().require_viewer(code, viewer), language, facilitator=False)


def _forget_link() -> None:
    st.query_params.clear()
