"""Workshop: the form that creates a session (case, criteria set, options, what to ask)."""

from __future__ import annotations

import streamlit as st

from afweging.matrix import scored_sets
from afweging.model import Lang
from afweging.workshop import InvalidSubmission
from afweging.workshop.picture import weighable_criteria
from afweging_ui.data import bundled
from afweging_ui.i18n import t
from afweging_ui.workshop.state import remember_key, store


def create_form(language: Lang) -> None:
    """Case, criteria set, options, weight method and what to ask; then create."""
    bundle, _ = bundled()
    cases = {c.id: c for c in bundle.cases}
    case_id = st.selectbox(
        t("ws_case", language),
        list(cases),
        format_func=lambda i: cases[i].label.get(language),
        key="ws_case",
    )
    case = cases[case_id]
    sets = {s.id: s for s in scored_sets(case, bundle.criteria_sets)}
    if not sets:
        st.error(t("ws_no_sets", language))
        return
    set_id = st.selectbox(
        t("ws_criteria_set", language),
        list(sets),
        format_func=lambda i: sets[i].label.get(language),
        key="ws_set",
    )
    cset = sets[set_id]
    tops = weighable_criteria(cset)
    st.caption(
        t(
            "ws_weighable_note" if cset.depth > 1 else "ws_weighable_flat",
            language,
            names=", ".join(c.label.get(language) for c in tops),
        )
    )
    option_labels = {o.id: o.label.get(language) for o in case.options}
    options = st.multiselect(
        t("ws_options", language),
        list(option_labels),
        default=list(option_labels),
        format_func=option_labels.__getitem__,
        key=f"ws_options_{case_id}",
    )
    method = st.radio(
        t("ws_method", language),
        ["sliders", "rank"],
        format_func=lambda m: t(f"ws_method_{m}", language),
        key="ws_method",
        horizontal=True,
    )
    st.markdown(f"**{t('ws_ask', language)}**")
    ask_name = st.checkbox(t("ws_ask_name", language), key="ws_ask_name")
    ask_municipality = st.checkbox(t("ws_ask_municipality", language), key="ws_ask_municipality")
    ask_role = st.checkbox(t("ws_ask_role", language), key="ws_ask_role")
    show_names = st.checkbox(
        t("ws_show_names", language),
        key="ws_show_names",
        disabled=not ask_name,
        help=t("ws_show_names_help", language),
    )
    st.caption(t("ws_anonymous_note", language))
    if not st.button(t("ws_create", language), key="ws_create", type="primary"):
        return
    if len(options) < 2:
        st.error(t("ws_need_two_options", language))
        return
    try:
        session, key = store().create_session(
            case.id,
            cset.id,
            options,
            [c.id for c in tops],
            weight_method=method or "sliders",
            ask_name=ask_name,
            ask_municipality=ask_municipality,
            ask_role=ask_role,
            show_names=bool(show_names and ask_name),
        )
    except InvalidSubmission as exc:
        st.error(t("ws_create_failed", language))
        st.text(str(exc))
        return
    remember_key(session.code, key)  # kept in this browser, never in the address bar
    st.query_params.from_dict({"code": session.code})
    st.rerun()
