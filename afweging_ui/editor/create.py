"""The editor's start: a new case copied from a bundled one (or a one-option start)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from afweging.casebook.bundle import MAX_ZIP_BYTES, import_bundle
from afweging.documents.limits import MB, limit_megabytes
from afweging.errors import InvalidData
from afweging.matrix import scored_sets
from afweging.model import Lang
from afweging_ui.choices import keep_choice
from afweging_ui.data import bundled
from afweging_ui.editor.state import library
from afweging_ui.i18n import t
from afweging_ui.problems import show_upload_problems

EMPTY = ""


def create_form(language: Lang) -> None:
    """Pick a bundled case (or none) and a criteria set; create opens the new case."""
    bundle, _ = bundled()
    st.markdown(t("ed_intro", language))
    cases = {c.id: c for c in bundle.cases}
    keep_choice("ed_new_case", [*cases, EMPTY], next(iter(cases), EMPTY))
    case_id = st.selectbox(
        t("ed_start_from", language),
        [*cases, EMPTY],
        format_func=lambda i: cases[i].label.get(language) if i else t("ed_start_empty", language),
        key="ed_new_case",
        placeholder=t("placeholder_option", language),
    )
    sets = (
        {s.id: s for s in scored_sets(cases[case_id], bundle.criteria_sets)}
        if case_id
        else {s.id: s for s in bundle.criteria_sets}
    )
    keep_choice("ed_new_set", list(sets), next(iter(sets), None))
    set_id = st.selectbox(
        t("ed_criteria_set", language),
        list(sets),
        format_func=lambda i: sets[i].label.get(language),
        key="ed_new_set",
        placeholder=t("placeholder_option", language),
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


def _import_limit() -> int:
    """The smaller of the export format's bound and the server's upload limit, in bytes."""
    server = int(st.get_option("server.maxUploadSize")) * MB
    return min(MAX_ZIP_BYTES, server)


def import_form(language: Lang) -> None:
    """An export (zip) made here or on another server, restored as a new case: the same
    texts, the same documents, so the same data version; a refused zip stores nothing."""
    with st.expander(t("ed_import_title", language), icon=":material/upload_file:"):
        st.caption(t("ed_import_help", language))
        found = st.file_uploader(
            t("ed_import", language, limit=limit_megabytes(_import_limit())),
            key="ed_import",  # no type=: Streamlit refuses other files in English
        )
        if found is None:
            return
        try:
            new_id, edit_key, _ = import_bundle(library(), found.getvalue())
        except InvalidData as exc:
            # The problems name the file as the user chose it (the core calls any
            # export "export.zip"), and the advice is about zips, not lines to mend.
            mine = [replace(p, file=found.name) for p in exc.problems]
            show_upload_problems(found.name, mine, language, hint="ed_import_hint")
            return
        st.query_params.from_dict({"case_id": new_id, "key": edit_key})
        st.rerun()
