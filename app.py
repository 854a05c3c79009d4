"""Afweging dashboard: ``streamlit run app.py`` (or ``make run``)."""

from __future__ import annotations

import streamlit as st

from ui.data import bundled
from ui.i18n import t
from ui.pages import check, explore, join, robustness, sources, workshop


def main() -> None:
    """Set up the page, the language toggle and the navigation."""
    st.set_page_config(page_title="Afweging", page_icon=":material/balance:", layout="wide")
    bundle, problems = bundled()
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
            explore.render,
            title=t("page_explore", lang),
            icon=":material/balance:",
            url_path="verkennen",
            default=True,
        ),
        st.Page(
            robustness.render,
            title=t("page_robustness", lang),
            icon=":material/shield:",
            url_path="robuustheid",
        ),
        st.Page(
            sources.render,
            title=t("page_sources", lang),
            icon=":material/menu_book:",
            url_path="bronnen",
        ),
        st.Page(
            check.render,
            title=t("page_check", lang),
            icon=":material/calculate:",
            url_path="rekencontrole",
        ),
        st.Page(
            workshop.render,
            title=t("page_workshop", lang),
            icon=":material/groups:",
            url_path="workshop",
        ),
        st.Page(
            join.render,
            title=t("page_join", lang),
            icon=":material/how_to_vote:",
            url_path="deelnemen",
        ),
    ]
    st.navigation(pages).run()


main()
