"""The editor's start: a new case copied from a bundled one (or a one-option start)."""

from __future__ import annotations

import streamlit as st

from afweging.matrix import scored_sets
from afweging.model import Lang
from afweging_ui.data import bundled
from afweging_ui.editor.state import library
from afweging_ui.i18n import t

EMPTY = ""


def create_form(language: Lang) -> None:
    """Pick a bundled case (or none) and a criteria set; create opens the new case."""
    bundle, _ = bundled()
    st.markdown(t("ed_intro", language))
    cases = {c.id: c for c in bundle.cases}
    case_id = st.selectbox(
        t("ed_start_from", language),
        [*cases, EMPTY],
        format_func=lambda i: cases[i].label.get(language) if i else t("ed_start_empty", language),
        key="ed_new_case",
    )
    sets = (
        {s.id: s for s in scored_sets(cases[case_id], bundle.criteria_sets)}
        if case_id
        else {s.id: s for s in bundle.criteria_sets}
    )
    set_id = st.selectbox(
        t("ed_criteria_set", language),
        list(sets),
        format_func=lambda i: sets[i].label.get(language),
        key="ed_new_set",
    )
    st.caption(t("ed_create_note", language))
    if not st.button(t("ed_create", language), key="ed_create", type="primary") or not set_id:
        return
    if case_id:
        new_id, edit_key, _ = library().copy_bundled(case_id, set_id)
    else:
        new_id, edit_key, _ = library().create_case(None, criteria=set_id)
    st.query_params.from_dict({"case_id": new_id, "key": edit_key})
    st.rerun()
