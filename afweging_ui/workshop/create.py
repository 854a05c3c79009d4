"""Workshop: the form that creates a session (case, criteria set, options, what to ask).

The case is a bundled one, or a saved case of the case library, opened by pasting its
read-only link (the editor's or the dashboard's): the key is checked here, once, and the
session remembers which case and which version it is about, so participants need no key.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
import streamlit as st

from afweging.casebook.errors import CaseLibraryError, CaseNotFound
from afweging.casebook.linked import as_bundled, parse_link
from afweging.errors import InvalidData
from afweging.markdown import plain
from afweging.matrix import scored_sets
from afweging.model import Case, CriteriaSet, Lang
from afweging.workshop import InvalidSubmission
from afweging.workshop.picture import weighable_criteria
from afweging_ui.choices import keep_choice, keep_choices
from afweging_ui.data import bundled
from afweging_ui.i18n import t
from afweging_ui.workshop.state import remember_key, store

_LOG = logging.getLogger("afweging")


def bundled_choice(language: Lang) -> tuple[Case, CriteriaSet] | None:
    """A bundled case and one of the criteria sets it is scored on."""
    bundle, _ = bundled()
    cases = {c.id: c for c in bundle.cases}
    # The dashboard's case and set first: the facilitator has usually just looked at them.
    view = st.session_state.get("view")
    shown = getattr(view, "case", None)
    keep_choice("ws_case", list(cases), shown if shown in cases else next(iter(cases)))
    case_id = st.selectbox(
        t("ws_case", language),
        list(cases),
        format_func=lambda i: cases[i].label.get(language),
        key="ws_case",
        placeholder=t("placeholder_option", language),
    )
    case = cases[case_id]
    sets = {s.id: s for s in scored_sets(case, bundle.criteria_sets)}
    if not sets:
        st.error(t("ws_no_sets", language))
        return None
    chosen_set = getattr(view, "criteria_set", None)
    keep_choice("ws_set", list(sets), chosen_set if chosen_set in sets else next(iter(sets)))
    set_id = st.selectbox(
        t("ws_criteria_set", language),
        list(sets),
        format_func=lambda i: sets[i].label.get(language),
        key="ws_set",
        placeholder=t("placeholder_option", language),
    )
    return case, sets[set_id]


def saved_choice(language: Lang) -> tuple[Case, CriteriaSet, tuple[str, int]] | None:
    """A saved case by its pasted link (the key is typed as a password: never shown), on
    its own criteria set; with (case id, version) for the session to remember."""
    text = st.text_input(
        t("lib_ws_link", language),
        key="ws_lib_link",
        type="password",
        help=t("lib_ws_link_help", language),
    )
    if not text:
        return None
    found = parse_link(text)
    if found is None:
        st.error(t("lib_ws_bad_link", language), icon=":material/lock:")
        return None
    case_id, key, number = found
    from afweging_ui.editor.state import library

    try:
        lib = library()
        version = lib.latest(case_id, key) if number is None else lib.version(case_id, number, key)
        case, cset = as_bundled(*lib.models(case_id, key, version.number))
    except CaseNotFound as exc:
        known = exc.key == "casebook_version_not_found"  # said only once the key was right
        st.error(exc.text(language) if known else t("lib_ws_bad_link", language))
        return None
    except CaseLibraryError:
        st.error(t("lib_ws_bad_link", language), icon=":material/lock:")
        return None
    except InvalidData:
        st.error(t("lib_has_problems", language))
        return None
    except sa.exc.SQLAlchemyError as exc:
        _LOG.error("workshop: case library not available: %s", type(exc).__name__)
        st.error(t("ws_db_down", language), icon=":material/cloud_off:")
        return None
    name = plain(case.label.get(language))
    st.success(t("lib_ws_loaded", language, name=name, n=version.number))
    return case, cset, (case_id, version.number)


def create_form(language: Lang) -> None:
    """Case, criteria set, options, weight method and what to ask; then create."""
    source = st.radio(
        t("lib_ws_source", language),
        ["bundled", "saved"],
        format_func=lambda s: t(f"lib_ws_{s}", language),
        key="ws_source",
        horizontal=True,
    )
    linked: tuple[str, int] | None = None
    if source == "saved":
        saved = saved_choice(language)
        if saved is None:
            return
        case, cset, linked = saved
    else:
        chosen = bundled_choice(language)
        if chosen is None:
            return
        case, cset = chosen
    case_id = case.id if linked is None else f"{linked[0]}-{linked[1]}"
    tops = weighable_criteria(cset)
    st.caption(
        t(
            "ws_weighable_note" if cset.depth > 1 else "ws_weighable_flat",
            language,
            names=", ".join(c.label.get(language) for c in tops),
        )
    )
    option_labels = {o.id: o.label.get(language) for o in case.options}
    keep_choices(f"ws_options_{case_id}", list(option_labels), list(option_labels))
    options = st.multiselect(
        t("ws_options", language),
        list(option_labels),
        format_func=option_labels.__getitem__,
        key=f"ws_options_{case_id}",
        placeholder=t("placeholder_options", language),
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
            library_case=linked,
        )
    except InvalidSubmission as exc:
        st.error(t("ws_create_failed", language))
        st.text(str(exc))
        return
    remember_key(session.code, key)  # kept in this browser, never in the address bar
    st.query_params.from_dict({"code": session.code})
    st.rerun()
