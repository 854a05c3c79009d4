"""The editor's saving: a new version per save (never overwriting one), the version list,
opening an old version to read, and publishing, refused while problems remain."""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from afweging.casebook.bundle import export
from afweging.casebook.errors import CaseLibraryError, NotPublishable
from afweging.casebook.records import CaseVersion
from afweging.markdown import plain
from afweging.model import Lang
from afweging_ui.cards import table_or_cards
from afweging_ui.editor import draft
from afweging_ui.editor.header import saved_time
from afweging_ui.editor.state import Access, criteria_yaml, current, library, start
from afweging_ui.i18n import t

SAVED: Final = "ed_saved_message"


def save_controls(access: Access, problems: int, unsaved: bool, language: Lang) -> None:
    """A note, Save (a new version) and Publish (only without problems)."""
    if not access.editing:
        return
    if not save_buttons(access, problems, language) and unsaved:
        st.caption(t("ed_unsaved_hint", language))


def save_buttons(access: Access, problems: int, language: Lang, prefix: str = "ed") -> bool:
    """A note and the Save and Publish buttons (keys and texts ``<prefix>_note``,
    ``_save``, ``_publish``), then what the last save said; whether it said anything."""
    note_key, message_key = f"{prefix}_note", f"{prefix}_saved_message"
    st.text_input(t("ed_note", language), key=note_key, max_chars=2000)
    left, right = st.columns(2)
    left.button(
        t(f"{prefix}_save", language),
        key=f"{prefix}_save",
        type="primary",
        icon=":material/save:",
        on_click=save_draft,
        args=(access, False, language, note_key, message_key),
    )
    right.button(
        t(f"{prefix}_publish", language),
        key=f"{prefix}_publish",
        icon=":material/public:",
        disabled=problems > 0,
        help=t("ed_publish_help", language),
        on_click=save_draft,
        args=(access, True, language, note_key, message_key),
    )
    if problems:
        st.caption(t("ed_publish_refused", language, n=problems))
    message = st.session_state.get(message_key)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.error)(text)
    return bool(message)


def save_draft(
    access: Access,
    publish: bool,
    language: Lang,
    note_key: str = "ed_note",
    message_key: str = SAVED,
) -> None:
    """Save the session's draft, the case and (when edited) its criteria set, as a new
    version; what happened is left under ``message_key`` for the next run to say."""
    held = current(access.case_id)
    if held is None:
        return
    note = str(st.session_state.get(note_key, ""))
    try:
        version = library().save(
            access.case_id,
            access.key,
            draft.dump(held["data"]),
            note,
            criteria_yaml=criteria_yaml(held),
            publish=publish,
        )
    except NotPublishable as exc:
        st.session_state[message_key] = (
            "error",
            t("ed_publish_refused", language, n=len(exc.problems)),
        )
        return
    except CaseLibraryError as exc:
        st.session_state[message_key] = ("error", plain(exc.text(language)))
        return
    start(access.case_id, version.number, held["data"], held.get("criteria"))
    st.session_state[note_key] = ""
    key = "ed_published_at" if publish else "ed_saved_at"
    st.session_state[message_key] = (
        "ok",
        t(key, language, n=version.number, time=saved_time(version, language)),
    )


def version_list(versions: list[CaseVersion], access: Access, language: Lang) -> None:
    """Every version, newest first, and a choice to open one to read."""
    newest = list(reversed(versions))
    table = {
        t("ed_v_number", language): [str(v.number) for v in newest],
        t("ed_v_saved", language): [saved_time(v, language) for v in newest],
        t("ed_v_state", language): [
            t("ed_published" if v.published else "ed_draft", language) for v in newest
        ],
        t("ed_v_problems", language): [str(len(v.problems)) for v in newest],
        t("ed_v_note", language): [v.note or "–" for v in newest],
    }
    table_or_cards(
        table,
        "ed_versions",
        lambda: st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch"),
    )
    numbers = [v.number for v in newest]
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    left.selectbox(
        t("ed_open_version", language),
        numbers,
        format_func=lambda n: t("ed_version_n", language, n=n),
        key="ed_version_pick",
        placeholder=t("placeholder_option", language),
    )
    right.button(
        t("ed_open", language),
        key="ed_open_version",
        icon=":material/history:",
        on_click=_open,
    )


def export_button(access: Access, version: CaseVersion, language: Lang) -> None:
    """The version in view as a zip (case and criteria YAML with their schema header, the
    documents' texts): ``afweging validate`` and ``rank`` read it elsewhere, and the start
    page imports it here again."""
    case_id, key, number = access.case_id, access.key, version.number
    st.download_button(
        t("ed_export", language, n=number),
        data=lambda: export(library(), case_id, key, number),
        file_name=f"{case_id}-versie-{number}.zip",
        mime="application/zip",
        key="ed_export",
        icon=":material/download:",
        help=t("ed_export_help", language),
        on_click="ignore",
    )


def _open() -> None:
    number = st.session_state.get("ed_version_pick")
    if isinstance(number, int):
        st.query_params["version"] = str(number)
