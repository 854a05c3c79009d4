"""Workshop, facilitator's view: the join code, link and QR code, and the status line."""

from __future__ import annotations

import streamlit as st

from afweging.model import Lang
from afweging.workshop import Session
from ui.i18n import t
from ui.workshop_state import facilitator_url, join_url, qr_png


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
