"""Casus bewerken / Edit case (``/casus-bewerken``): build and score a council's own case.

- Without ``?case_id=``: start a new case, copied from a bundled one (e.g. ``g32`` on its
  criteria set) or from a one-option start.
- ``?case_id=&key=`` with the edit key: the editor. Options, the score grid with each
  row's problems beside it, a form per cell, source documents (upload, read, search,
  attach a quote to a cell), saving (a new version each time) and publishing.
- The same with the read-only key, or ``&version=N``: everything shown, nothing to change.

A wrong link gets one refusal, the same for an unknown case and a wrong key. The draft is
the session's; what is saved is the database's (:mod:`afweging_ui.editor.state`), so a
reload opens the last saved version. The parts live in :mod:`afweging_ui.editor`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache
from typing import Any

import streamlit as st
from sqlalchemy.exc import DBAPIError

from afweging.casebook.errors import AccessDenied, CaseNotFound
from afweging.casebook.records import CaseVersion
from afweging.errors import InvalidData, Problem
from afweging.model import CriteriaSet, Lang
from afweging.workshop import StoreUnavailable
from afweging.yamlfile import parse
from afweging_ui.editor import criteria_draft, draft
from afweging_ui.editor.create import create_form, import_form
from afweging_ui.editor.criteria import criteria_panel, draft_set
from afweging_ui.editor.grid import cell_form, grid, problem_list
from afweging_ui.editor.header import links, saved_time, status, title
from afweging_ui.editor.options import options_panel
from afweging_ui.editor.sources import document_list, reader, upload
from afweging_ui.editor.state import (
    Access,
    criteria_yaml,
    current,
    lang,
    library,
    link_query,
    start,
)
from afweging_ui.editor.versions import export_button, save_controls, version_list
from afweging_ui.i18n import t
from afweging_ui.problems import show_problem_list

_LOG = logging.getLogger("afweging")
#: The texts of the edit in progress last kept in the database, in the session's draft.
KEPT = "kept"
#: Set when the draft was taken up from the database: said once, then forgotten.
RESUMED = "ed_resumed"
TABS = (
    "ed_tab_scores",
    "edc_tab_criteria",
    "ed_tab_options",
    "ed_tab_sources",
    "ed_tab_versions",
)


def render() -> None:
    """Draw the page; a database that cannot be reached gets a plain message."""
    try:
        draw(lang())
    except (StoreUnavailable, DBAPIError) as exc:
        _LOG.error("editor page: database not available: %s", type(exc).__name__)
        st.error(t("ws_db_down", lang()), icon=":material/cloud_off:")


def draw(language: Lang) -> None:
    """The start form, or the case the link opens, as its key allows."""
    case_id, key, number = link_query()
    if not case_id:
        st.title(t("ed_title", language), anchor=False)
        create_form(language)
        import_form(language)
        return
    lib = library()
    try:
        can_edit = lib.can_edit(case_id, key)
        latest = lib.latest(case_id, key)
        version = latest if number is None else lib.version(case_id, number, key)
    except (CaseNotFound, AccessDenied):
        refuse(language)
        return
    access = Access(case_id, key, can_edit, None if number is None else version.number)
    cset, criteria_problems = criteria_of(version.criteria_yaml)
    if cset is None:
        st.title(t("ed_title", language), anchor=False)
        st.error(t("ed_criteria_broken", language))
        show_problem_list(criteria_problems, language)
        return
    try:
        data, problems, unsaved = _draft(access, latest, version)
    except InvalidData as exc:
        st.title(t("ed_title", language), anchor=False)
        st.error(t("ed_case_broken", language))
        show_problem_list(exc.problems, language)
        return
    editor(data, cset, problems, unsaved, access, version, language)


def _draft(
    access: Access, latest: CaseVersion, version: CaseVersion
) -> tuple[draft.Data, list[Problem], bool]:
    """The data shown, its problems, and whether it differs from what was saved."""
    if not access.editing:
        return draft.load(version.case_yaml), list(version.problems), False
    held = current(access.case_id)
    if held is None or held["base"] > latest.number:
        held = resume(access, latest)
    # Dumped once per run: a 20 x 15 case's YAML takes about 70 ms to write.
    text, criteria = draft.dump(held["data"]), criteria_yaml(held)
    problems = library().check(access.case_id, access.key, text, criteria)
    keep(access, held, text, criteria)
    return held["data"], problems, text != held["saved"] or criteria is not None


def resume(access: Access, latest: CaseVersion) -> dict[str, Any]:
    """The session's draft, from the latest version, or from the edit in progress the
    database kept for it (a reload, a closed tab, another browser with the edit link)."""
    criteria = criteria_draft.load(latest.criteria_yaml)
    held = start(access.case_id, latest.number, draft.load(latest.case_yaml), criteria)
    kept = library().working_draft(access.case_id, access.key)
    if kept is None or kept.base != latest.number:
        return held
    try:
        data = draft.load(kept.case_yaml)
        edited = None if kept.criteria_yaml is None else criteria_draft.load(kept.criteria_yaml)
    except (InvalidData, ValueError):
        return held
    held["data"] = data
    if edited is not None:
        held["criteria"] = edited
    held[KEPT] = (kept.case_yaml, kept.criteria_yaml)
    st.session_state[RESUMED] = kept.kept_at
    return held


def keep(access: Access, held: dict[str, Any], text: str, criteria: str | None) -> None:
    """Keep the edit in progress in the database whenever it changed, so nothing is lost
    before the next save (which ends it)."""
    texts = (text, criteria)
    if texts == held.get(KEPT, (held["saved"], None)):
        return
    library().keep_draft(access.case_id, access.key, held["base"], *texts)
    held[KEPT] = texts


def editor(
    data: draft.Data,
    cset: CriteriaSet,
    problems: list[Problem],
    unsaved: bool,
    access: Access,
    version: CaseVersion,
    language: Lang,
) -> None:
    """The open case: head, then scores, criteria, options, sources and versions in tabs."""
    lib = library()
    cset = draft_set(access, cset)  # while editing, the grid's columns are the draft's
    title(data, language)
    status(access, version, len(problems), unsaved, language)
    resumed = st.session_state.pop(RESUMED, None)
    if resumed:
        when = saved_time(replace(version, saved_at=resumed), language)
        st.info(t("ed_resumed", language, time=when), icon=":material/restore:")
    links(access, language)
    cells, rest = draft.by_cell(problems)
    documents = lib.documents(access.case_id, access.key)
    sources = lib.source_library(documents)
    scores_tab, criteria_tab, options_tab, sources_tab, versions_tab = st.tabs(
        [t(k, language) for k in TABS], key="ed_tab"
    )
    with scores_tab:
        grid(data, cset, cells, access, language)
        problem_list(data, cset, cells, rest, language)
        cell_form(data, cset, cells, sources, access, language)
    with criteria_tab:
        criteria_panel(data, version, problems, access, language)
    with options_tab:
        options_panel(data, access, language)
    with sources_tab:
        upload(access, language)
        document_list(documents, language)
        reader(documents, data, cset, access, language)
    with versions_tab:
        save_controls(access, len(problems), unsaved, language)
        version_list(lib.versions(access.case_id, access.key), access, language)
        export_button(access, version, language)


@lru_cache(maxsize=32)
def criteria_of(text: str) -> tuple[CriteriaSet | None, tuple[Problem, ...]]:
    """The version's criteria set (the grid's columns), or its problems."""
    try:
        return CriteriaSet.model_validate(parse(text.encode("utf-8"), "criteria.yaml").data), ()
    except InvalidData as exc:
        return None, tuple(exc.problems)
    except ValueError:
        return None, ()


def refuse(language: Lang) -> None:
    """The one answer to any wrong link: no hint whether the case or the key was wrong."""
    st.title(t("ed_title", language), anchor=False)
    st.error(t("ed_bad_link", language), icon=":material/lock:")
    st.button(t("ed_start_new", language), key="ed_start_new", on_click=st.query_params.clear)
