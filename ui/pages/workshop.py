"""Page stub: filled in by its issue's work."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t


def render() -> None:
    """Draw the page."""
    lang = st.session_state.get("lang", "nl")
    st.title(t("page_workshop", lang))
