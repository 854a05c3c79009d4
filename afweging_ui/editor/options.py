"""The editor's options: add, rename (label and summary, Dutch and English), reorder, delete.

Every change is a callback on the session's draft, run before the page is drawn, so the
problems shown in the same run are those of the changed draft.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from afweging.model import Lang
from afweging_ui.editor import draft
from afweging_ui.editor.state import Access, changed, revision
from afweging_ui.i18n import t

SELECTED = "ed_opt"


def _texts(option: dict[str, Any], field: str) -> tuple[str, str]:
    found = option.get(field)
    if not isinstance(found, dict):
        return "", ""
    return str(found.get("nl", "")), str(found.get("en", ""))


def options_panel(data: draft.Data, access: Access, language: Lang) -> None:
    """The option list to pick from, the picked option's texts, and the buttons."""
    items = draft.options(data)
    off = not access.editing
    if access.editing:
        st.button(
            t("ed_add_option", language),
            key="ed_add_option",
            icon=":material/add:",
            on_click=_add,
            args=(data, language),
        )
    if not items:
        st.info(t("ed_no_options", language))
        return
    if st.session_state.get(SELECTED) not in range(len(items)):
        st.session_state[SELECTED] = 0
    index = st.selectbox(
        t("ed_option", language),
        range(len(items)),
        format_func=lambda i: draft.choice(items, i, language),
        key=SELECTED,
        placeholder=t("placeholder_option", language),
    )
    option = items[index]
    st.caption(t("ed_option_id", language, id=option.get("id", "?")))
    tag = f"{index}_{revision()}"
    label_nl, label_en = _texts(option, "label")
    summary_nl, summary_en = _texts(option, "summary")
    with st.form(key=f"ed_option_form_{tag}", border=True):
        left, right = st.columns(2)
        left.text_input(t("ed_label_nl", language), label_nl, key=f"ed_lnl_{tag}", disabled=off)
        right.text_input(t("ed_label_en", language), label_en, key=f"ed_len_{tag}", disabled=off)
        left.text_area(t("ed_summary_nl", language), summary_nl, key=f"ed_snl_{tag}", disabled=off)
        right.text_area(t("ed_summary_en", language), summary_en, key=f"ed_sen_{tag}", disabled=off)
        st.form_submit_button(
            t("ed_apply", language),
            disabled=off,
            on_click=_rename,
            args=(data, index, tag),
        )
    if not access.editing:
        return
    up, down, remove = st.columns(3)
    up.button(
        t("ed_move_up", language),
        key="ed_up",
        icon=":material/arrow_upward:",
        disabled=index == 0,
        on_click=_move,
        args=(data, index, -1),
    )
    down.button(
        t("ed_move_down", language),
        key="ed_down",
        icon=":material/arrow_downward:",
        disabled=index == len(items) - 1,
        on_click=_move,
        args=(data, index, 1),
    )
    remove.button(
        t("ed_delete_option", language),
        key="ed_delete",
        icon=":material/delete:",
        on_click=_delete,
        args=(data, index),
    )


def _add(data: draft.Data, language: Lang) -> None:
    n = len(draft.options(data)) + 1
    st.session_state[SELECTED] = draft.add_option(
        data, t("ed_new_option", "nl", n=n), t("ed_new_option", "en", n=n)
    )
    changed()


def _rename(data: draft.Data, index: int, tag: str) -> None:
    state = st.session_state
    draft.set_texts(data, index, "label", state[f"ed_lnl_{tag}"], state[f"ed_len_{tag}"])
    draft.set_texts(data, index, "summary", state[f"ed_snl_{tag}"], state[f"ed_sen_{tag}"])
    changed()


def _move(data: draft.Data, index: int, step: int) -> None:
    st.session_state[SELECTED] = draft.move(data, index, step)
    changed()


def _delete(data: draft.Data, index: int) -> None:
    draft.delete(data, index)
    st.session_state[SELECTED] = max(0, index - 1)
    changed()
