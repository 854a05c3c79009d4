"""The Streamlit dashboard script that :mod:`app` serves (``make run``, ``streamlit run app.py``).

The participants' phone pages at ``/deelnemen`` are plain routes beside it (see
:mod:`afweging_ui.server`), not Streamlit pages.

What is shown is the session's :class:`~afweging_ui.state.View` (:mod:`afweging_ui.controls`): read
from the URL on a session's first run, then only changed by the user's own widgets.
It is written back to the URL on every page but the workshop's (whose links carry
their own query), because a page switch drops the query; with it, the link of a saved
case of the case library the session opened (``?lib=..&key=..&v=..``,
:mod:`afweging_ui.linked`).
"""

from __future__ import annotations

import streamlit as st

from afweging.model import Lang
from afweging_ui.controls import VIEW, current_view, language_toggle, write_url
from afweging_ui.data import bundled, current_bundle
from afweging_ui.i18n import t
from afweging_ui.linked import open_link, show_refusal
from afweging_ui.pages import check, colofon, editor, explore, robustness, sources
from afweging_ui.problems import show_data_problems
from afweging_ui.viewport import measure
from afweging_ui.workshop import page as workshop

#: (translation key suffix, module, icon, URL path); the first is the home page.
PAGES = (
    ("explore", explore, ":material/balance:", "verkennen"),
    ("robustness", robustness, ":material/shield:", "robuustheid"),
    ("sources", sources, ":material/menu_book:", "bronnen"),
    ("check", check, ":material/calculate:", "rekencontrole"),
    ("workshop", workshop, ":material/groups:", "workshop"),
    ("editor", editor, ":material/edit_note:", "casus-bewerken"),
    ("colofon", colofon, ":material/info:", "colofon"),
)
#: Pages whose address holds their own query (join code, keys), never the view.
OWN_QUERY = {"workshop", "casus-bewerken"}


def main() -> None:
    """Set up the page, the language toggle and the navigation."""
    # The projector's read-only workshop view needs the whole screen: no sidebar.
    projector = bool(st.query_params.get("view"))
    st.set_page_config(
        page_title="Afweging",
        page_icon="⚖️",  # an emoji is drawn in the browser: no request to a third party
        layout="wide",
        initial_sidebar_state="collapsed" if projector else "auto",
    )
    bundle, problems = bundled()
    usable = bool(bundle.cases and bundle.criteria_sets)
    lang: Lang = "en" if st.query_params.get("lang") == "en" else "nl"
    if usable:
        open_link(lang)  # a saved case's link (?lib=..&key=..): loaded once, then selected
        lang = language_toggle(current_view(current_bundle()))
    if problems:
        show_data_problems(problems, lang)
        if not usable:
            st.stop()
    pages = {
        path: st.Page(
            page.render, title=t(f"page_{name}", lang), icon=icon, url_path=path, default=i == 0
        )
        for i, (name, page, icon, path) in enumerate(PAGES)
    }
    # The phones' page is plain HTML beside the dashboard (afweging_ui.server), not Streamlit.
    st.sidebar.link_button(
        t("page_join", lang), "deelnemen", icon=":material/how_to_vote:", width="stretch"
    )
    current = st.navigation(list(pages.values()))
    own_query = any(current is pages[p] for p in OWN_QUERY)
    if not own_query:
        write_url(st.session_state[VIEW])
        show_refusal()
    current.run()
    # The charts' width, for titles and captions that SVG cannot wrap by itself; last on
    # the page (it draws nothing), so a page's first element is its own.
    measure(lang)
    if not own_query:  # a button on the page may have changed the view
        write_url(st.session_state[VIEW])


main()
