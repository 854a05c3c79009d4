"""Workshop, facilitator's view (``/workshop``): create a session, project it, steer rounds.

Without ``?code=&key=`` the page offers a form to create a session. With them it
checks the key against the store (a wrong or missing key gets a refusal and
nothing else) and shows, for the projector: the join code, join link and QR code;
a live part that refreshes every few seconds (a fragment, no page reload); the
buttons to reveal, close, start a new round or reset; and the downloads.

This module only routes; the parts live in ``ui/workshop_create.py`` (the form),
``ui/workshop_header.py`` (join code, link, QR), ``ui/workshop_controls.py``
(buttons and downloads), ``ui/workshop_live.py`` (the refreshing group picture) and
``ui/workshop_tables.py`` (its tables).
"""

from __future__ import annotations

import streamlit as st

from afweging.workshop import AccessDenied, SessionNotFound
from ui.i18n import t
from ui.workshop_controls import controls, downloads
from ui.workshop_create import create_form
from ui.workshop_header import header
from ui.workshop_live import live
from ui.workshop_state import lang, session_matrix, store


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
