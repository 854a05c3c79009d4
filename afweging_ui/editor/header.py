"""The editor's head: the case's name, the state of the draft, and its two links.

The edit link carries the secret edit key, so it is never shown in full: the screen
shows it shortened, with a button that copies it (as the workshop's control link). The
read-only link is shown in full.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import streamlit as st

from afweging.casebook.records import CaseVersion
from afweging.markdown import plain
from afweging.model import Lang
from afweging_ui.editor import draft
from afweging_ui.editor.state import Access, base_url, case_url, library
from afweging_ui.i18n import t
from afweging_ui.workshop.header import copy_button

MASK = "•" * 10
_ZONE = ZoneInfo("Europe/Amsterdam")


def saved_time(version: CaseVersion, language: Lang) -> str:
    """When a version was saved, in Dutch time: '30-11-2026 10:15' ('2026-11-30 10:15')."""
    moment = datetime.fromisoformat(version.saved_at).astimezone(_ZONE)
    return moment.strftime("%d-%m-%Y %H:%M" if language == "nl" else "%Y-%m-%d %H:%M")


def problem_count(n: int, language: Lang) -> str:
    """'1 probleem', '3 problemen'."""
    return t("ed_problem_one", language) if n == 1 else t("ed_problem_count", language, n=n)


def title(data: draft.Data, language: Lang) -> None:
    """The page title with the case's own name (data: escaped)."""
    name = data.get("label")
    shown = name.get(language, "") if isinstance(name, dict) else ""
    st.title(t("ed_title_case", language, name=plain(shown or data.get("id", "?"))), anchor=False)


def status(access: Access, version: CaseVersion, count: int, unsaved: bool, language: Lang) -> None:
    """One line: which version, when saved, draft or published, problems, unsaved changes."""
    parts = [
        t("ed_version_line", language, n=version.number, time=saved_time(version, language)),
        t("ed_published" if version.published else "ed_draft", language),
        problem_count(count, language) if count else t("ed_no_problems", language),
    ]
    if unsaved:
        parts.append(t("ed_unsaved", language))
    st.markdown(" · ".join(parts))
    if access.version is not None:
        st.info(t("ed_old_version", language, n=access.version), icon=":material/history:")
        st.button(t("ed_back_latest", language), key="ed_back_latest", on_click=_latest)
    elif not access.can_edit:
        st.info(t("ed_read_only", language), icon=":material/visibility:")


def _latest() -> None:
    if "version" in st.query_params:
        del st.query_params["version"]


def dashboard_url(case_id: str, view_key: str, number: int) -> str:
    """The dashboard's read-only link to a version: every page shows it (see
    :mod:`afweging_ui.linked`)."""
    query = urlencode({"lib": case_id, "key": view_key, "v": number})
    return f"{base_url()}/?{query}"


def links(access: Access, language: Lang) -> None:
    """'Open in the dashboard' (read-only: the view key, the version in view or the latest
    saved); the edit link (shortened, copy button) and the read-only link (in full)."""
    view_key = library().view_key(access.case_id, access.key) if access.can_edit else access.key
    number = access.version or library().latest(access.case_id, access.key).number
    st.link_button(
        t("lib_open_dashboard", language),
        dashboard_url(access.case_id, view_key, number),
        icon=":material/open_in_new:",
        help=t("lib_open_dashboard_help", language, n=number),
    )
    with st.expander(t("ed_links", language), icon=":material/key:"):
        if access.can_edit:
            st.markdown(f"**{t('ed_edit_link', language)}**")
            st.caption(t("ed_keep_secret", language))
            st.text_input(
                t("ed_edit_link", language),
                value=case_url(access.case_id, "") + MASK,
                key="ed_edit_link",
                disabled=True,
                label_visibility="collapsed",
            )
            copy_button(case_url(access.case_id, access.key), t("ed_copy_edit", language), language)
        st.markdown(f"**{t('ed_view_link', language)}**")
        st.caption(t("ed_view_help", language))
        st.code(case_url(access.case_id, view_key), language=None, wrap_lines=True)
