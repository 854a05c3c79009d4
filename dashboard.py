"""The Streamlit dashboard script that :mod:`app` serves (``make run``, ``streamlit run app.py``).

The participants' phone pages at ``/deelnemen`` are plain routes beside it (see
:mod:`ui.server`), not Streamlit pages."""

from __future__ import annotations

import streamlit as st

from ui.data import bundled
from ui.i18n import t
from ui.pages import check, colofon, explore, robustness, sources
from ui.workshop import page as workshop
from ui.workshop.state import store

#: (translation key suffix, module, icon, URL path); the first is the home page.
PAGES = (
    ("explore", explore, ":material/balance:", "verkennen"),
    ("robustness", robustness, ":material/shield:", "robuustheid"),
    ("sources", sources, ":material/menu_book:", "bronnen"),
    ("check", check, ":material/calculate:", "rekencontrole"),
    ("workshop", workshop, ":material/groups:", "workshop"),
    ("colofon", colofon, ":material/info:", "colofon"),
)


def main() -> None:
    """Set up the page, the language toggle and the navigation."""
    # The projector's read-only workshop view needs the whole screen: no sidebar.
    projector = bool(st.query_params.get("view"))
    st.set_page_config(
        page_title="Afweging",
        page_icon=":material/balance:",
        layout="wide",
        initial_sidebar_state="collapsed" if projector else "auto",
    )
    bundle, problems = bundled()
    store()  # the embedded workshop database exists (and is migrated) from the first page view
    view = st.session_state.get("view")
    if "lang" not in st.session_state:
        st.session_state["lang"] = (
            view.lang if view else ("en" if st.query_params.get("lang") == "en" else "nl")
        )
    lang = (
        st.sidebar.segmented_control(
            "Taal / Language",
            ["nl", "en"],
            format_func=lambda x: {"nl": "Nederlands", "en": "English"}[x],
            key="lang",
        )
        or "nl"
    )
    if view is not None and view.lang != lang:
        st.session_state["view"] = view.with_(lang=lang)
    if problems:
        st.error(t("data_problems", lang))
        st.code("\n".join(str(p) for p in problems), language=None)
        if not bundle.cases or not bundle.criteria_sets:
            st.stop()
    pages = [
        st.Page(
            page.render, title=t(f"page_{name}", lang), icon=icon, url_path=path, default=i == 0
        )
        for i, (name, page, icon, path) in enumerate(PAGES)
    ]
    # The phones' page is plain HTML beside the dashboard (ui.server), not a Streamlit page.
    st.sidebar.link_button(
        t("page_join", lang), "deelnemen", icon=":material/how_to_vote:", width="stretch"
    )
    st.navigation(pages).run()


main()
