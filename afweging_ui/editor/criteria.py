"""The editor's criteria tab: the case's criteria set, edited beside its scores.

The set's name; per criterion (top-level criteria and their sub-criteria) its id, name
and description in Dutch and English, default weight and, for a criterion that is
scored (a leaf), direction, scale and level descriptors; add (at the top or under a
top-level criterion), reorder, delete; and put a bundled set in place of the whole.

Every change is a callback on the session's draft (:mod:`afweging_ui.editor.state`),
run before the page is drawn, so the grid's columns and the problems shown in the same
run are those of the changed set. The validator's problems of the set are shown beside
the criterion they concern; a score on a criterion that is no longer in the set stays
a problem of the case until it is dropped here on purpose. Only the edit key, on the
latest version, changes anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import pandas as pd
import streamlit as st

from afweging.casebook.errors import CaseLibraryError
from afweging.casebook.records import CaseVersion
from afweging.casebook.store import bundled_criteria_names
from afweging.errors import InvalidData, Problem
from afweging.markdown import plain
from afweging.model import CriteriaSet, Lang
from afweging_ui.cards import table_or_cards
from afweging_ui.data import bundled
from afweging_ui.editor import criteria_draft as cd
from afweging_ui.editor import draft
from afweging_ui.editor.state import (
    Access,
    changed,
    criteria_yaml,
    current,
    library,
    revision,
)
from afweging_ui.editor.versions import save_buttons
from afweging_ui.i18n import t
from afweging_ui.problems import number_text, problem_message, problem_text

PICK: Final = "edc_pick"
SAVED: Final = "edc_saved_message"
LEVEL_COLUMNS: Final = ("level", "label", "nl", "en")


def draft_set(access: Access, fallback: CriteriaSet) -> CriteriaSet:
    """The set the grid is drawn on: the draft's while editing (when its shape is right),
    else the version's."""
    if not access.editing:
        return fallback
    held = current(access.case_id)
    found = held.get("criteria") if held else None
    edited = cd.model(found) if isinstance(found, dict) else None
    return edited or fallback


def _shown(access: Access, version: CaseVersion) -> cd.Data | None:
    """The criteria data on screen: the draft's while editing, else the version's."""
    if access.editing:
        held = current(access.case_id)
        found = held.get("criteria") if held else None
        return found if isinstance(found, dict) else None
    try:
        return cd.load(version.criteria_yaml)
    except InvalidData:
        return None


def _key(pos: cd.Pos) -> str:
    return "_".join(map(str, pos))


def _pos(key: str) -> cd.Pos:
    return tuple(int(p) for p in key.split("_"))


def _place(pos: cd.Pos) -> str:
    """'2' for the second top-level criterion, '2.1' for its first sub-criterion."""
    return ".".join(str(i + 1) for i in pos)


def criteria_panel(
    data: draft.Data,
    version: CaseVersion,
    problems: Sequence[Problem],
    access: Access,
    language: Lang,
) -> None:
    """The whole tab: hints, the set's problems, its criteria and their forms, saving."""
    cset = _shown(access, version)
    if cset is None:
        st.error(t("ed_criteria_broken", language))
        return
    off = not access.editing
    found, rest = cd.by_criterion(problems)
    st.caption(t("edc_intro", language))
    for problem in rest:
        st.error(plain(problem_text(problem, language)), icon=":material/error:")
    if access.editing:
        _stray(data, cset, language)
    _name_form(cset, off, language)
    _overview(cset, found, language)
    _criterion(data, cset, found, access, language)
    if access.editing:
        _replace(data, access, language)
        _save_controls(access, len(problems), language)


def _stray(data: draft.Data, cset: cd.Data, language: Lang) -> None:
    """Scores on criteria that are not leaves of the set: named, and dropped on request."""
    stray = cd.stray_scores(data, cset)
    if not stray:
        return
    named = ", ".join(f"'{k}' ({n})" for k, n in sorted(stray.items()))
    st.warning(plain(t("edc_stray", language, names=named)), icon=":material/warning:")
    st.button(
        t("edc_drop_scores", language, n=sum(stray.values())),
        key="edc_drop_scores",
        icon=":material/delete_sweep:",
        on_click=_drop,
        args=(data, cset),
    )


def _drop(data: draft.Data, cset: cd.Data) -> None:
    cd.drop_scores(data, cset)
    changed()


def _name_form(cset: cd.Data, off: bool, language: Lang) -> None:
    tag = revision()
    with st.form(key=f"edc_name_form_{tag}", border=True):
        st.markdown(f"**{t('edc_set_name', language)}**")
        left, right = st.columns(2)
        left.text_input(
            t("ed_label_nl", language),
            cd.text(cset.get("label"), "nl"),
            key=f"edc_set_nl_{tag}",
            disabled=off,
        )
        right.text_input(
            t("ed_label_en", language),
            cd.text(cset.get("label"), "en"),
            key=f"edc_set_en_{tag}",
            disabled=off,
        )
        st.caption(t("edc_set_id", language, id=plain(cset.get("id", "?"))))
        st.form_submit_button(
            t("edc_apply_name", language), disabled=off, on_click=_rename_set, args=(cset, tag)
        )


def _rename_set(cset: cd.Data, tag: int) -> None:
    state = st.session_state
    cd.set_name(cset, state[f"edc_set_nl_{tag}"], state[f"edc_set_en_{tag}"])
    changed()


def _scale_words(item: dict[str, Any], language: Lang) -> str:
    scale = item.get("scale")
    if not isinstance(scale, dict):
        return "–"
    lo, hi = scale.get("min"), scale.get("max")
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (lo, hi)):
        return "?"
    return f"{number_text(lo, language)}–{number_text(hi, language)}"  # type: ignore[arg-type]


def _direction_words(item: dict[str, Any], language: Lang) -> str:
    direction = item.get("direction")
    return t(f"edc_{direction}", language) if direction in cd.DIRECTIONS else "–"


def _overview(cset: cd.Data, found: dict[cd.Pos, list[Problem]], language: Lang) -> None:
    """Every criterion in tree order, with its problems beside it."""
    rows = cd.entries(cset)
    if not rows:
        st.info(t("edc_none", language))
        return
    indent = "\u2003"  # an em space: a sub-criterion stands under its parent
    table: dict[str, list[str]] = {
        t("edc_col_criterion", language): [
            f"{indent * (len(pos) - 1)}{_place(pos)}. {cd.label(item, language)}"
            for pos, item in rows
        ],
        t("edc_col_id", language): [str(item.get("id", "?")) for _, item in rows],
        t("edc_col_direction", language): [_direction_words(i, language) for _, i in rows],
        t("edc_col_scale", language): [_scale_words(i, language) for _, i in rows],
        t("edc_col_weight", language): [_weight_words(i, language) for _, i in rows],
        t("edc_col_problems", language): [
            " · ".join(problem_message(p, language) for p in found.get(pos, [])) or "–"
            for pos, _ in rows
        ],
    }
    table_or_cards(
        table,
        "edc_table",
        lambda: st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch"),
    )


def _weight_words(item: dict[str, Any], language: Lang) -> str:
    weight = item.get("default_weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        return str(weight)
    return number_text(weight, language)


def _criterion(
    data: draft.Data,
    cset: cd.Data,
    found: dict[cd.Pos, list[Problem]],
    access: Access,
    language: Lang,
) -> None:
    """Pick a criterion; its problems, its form, its levels, and the buttons."""
    rows = cd.entries(cset)
    if access.editing:
        st.button(
            t("edc_add_top", language),
            key="edc_add_top",
            icon=":material/add:",
            on_click=_add,
            args=(cset, None),
        )
    if not rows:
        return
    keys = [_key(pos) for pos, _ in rows]
    items = {_key(pos): item for pos, item in rows}
    if st.session_state.get(PICK) not in keys:
        st.session_state[PICK] = keys[0]
    picked = st.selectbox(
        t("edc_pick", language),
        keys,
        format_func=lambda k: (
            f"{_place(_pos(k))}. {cd.label(items[k], language)}"
            + (
                f" ({t('edc_problems_n', language, n=len(found[_pos(k)]))})"
                if _pos(k) in found
                else ""
            )
        ),
        key=PICK,
        placeholder=t("placeholder_option", language),
    )
    pos = _pos(picked)
    item = items[picked]
    for problem in found.get(pos, []):
        st.error(plain(problem_message(problem, language)), icon=":material/error:")
    _form(data, cset, pos, item, access, language)
    if not cd.is_parent(item):
        _levels(cset, pos, access, language)
    if access.editing:
        _buttons(cset, pos, item, language)


def _form(
    data: draft.Data,
    cset: cd.Data,
    pos: cd.Pos,
    item: dict[str, Any],
    access: Access,
    language: Lang,
) -> None:
    off = not access.editing
    tag = f"{_key(pos)}_{revision()}"
    leaf = not cd.is_parent(item)
    weight = item.get("default_weight", 1)
    with st.form(key=f"edc_form_{tag}", border=True):
        st.markdown(f"**{t('edc_criterion_leaf' if leaf else 'edc_criterion_parent', language)}**")
        st.text_input(
            t("edc_id", language),
            str(item.get("id", "")),
            key=f"edc_id_{tag}",
            disabled=off,
            help=t("edc_id_help", language),
        )
        left, right = st.columns(2)
        left.text_input(
            t("ed_label_nl", language),
            cd.text(item.get("label"), "nl"),
            key=f"edc_lnl_{tag}",
            disabled=off,
        )
        right.text_input(
            t("ed_label_en", language),
            cd.text(item.get("label"), "en"),
            key=f"edc_len_{tag}",
            disabled=off,
        )
        left.text_area(
            t("edc_desc_nl", language),
            cd.text(item.get("description"), "nl"),
            key=f"edc_dnl_{tag}",
            disabled=off,
        )
        right.text_area(
            t("edc_desc_en", language),
            cd.text(item.get("description"), "en"),
            key=f"edc_den_{tag}",
            disabled=off,
        )
        st.number_input(
            t("edc_weight", language),
            min_value=0.0,
            value=float(weight) if isinstance(weight, int | float) else 1.0,
            step=0.5,
            key=f"edc_w_{tag}",
            disabled=off,
            help=t("edc_weight_help", language),
        )
        if leaf:
            _scale_fields(item, tag, off, language)
        st.form_submit_button(
            t("edc_apply", language),
            disabled=off,
            on_click=_apply,
            args=(data, cset, pos, leaf, tag),
        )


def _scale_fields(item: dict[str, Any], tag: str, off: bool, language: Lang) -> None:
    scale = item.get("scale") if isinstance(item.get("scale"), dict) else {}
    assert isinstance(scale, dict)
    direction = item.get("direction")
    a, b, c = st.columns([2, 1, 1])
    a.radio(
        t("edc_direction", language),
        list(cd.DIRECTIONS),
        index=1 if direction == "lower_is_better" else 0,
        format_func=lambda d: t(f"edc_{d}", language),
        key=f"edc_dir_{tag}",
        disabled=off,
    )
    lo, hi = scale.get("min"), scale.get("max")
    b.number_input(
        t("edc_min", language),
        value=float(lo) if isinstance(lo, int | float) else 1.0,
        step=1.0,
        key=f"edc_min_{tag}",
        disabled=off,
    )
    c.number_input(
        t("edc_max", language),
        value=float(hi) if isinstance(hi, int | float) else 5.0,
        step=1.0,
        key=f"edc_max_{tag}",
        disabled=off,
    )


def _apply(data: draft.Data, cset: cd.Data, pos: cd.Pos, leaf: bool, tag: str) -> None:
    state = st.session_state
    cd.rename(cset, data, pos, str(state[f"edc_id_{tag}"]))
    cd.set_texts(
        cset,
        pos,
        state[f"edc_lnl_{tag}"],
        state[f"edc_len_{tag}"],
        state[f"edc_dnl_{tag}"],
        state[f"edc_den_{tag}"],
    )
    weight = state[f"edc_w_{tag}"]
    cd.set_weight(cset, pos, 1.0 if weight is None else float(weight))
    if leaf:
        low, high = state[f"edc_min_{tag}"], state[f"edc_max_{tag}"]
        cd.set_scale(
            cset,
            pos,
            state[f"edc_dir_{tag}"],
            1.0 if low is None else float(low),
            5.0 if high is None else float(high),
        )
    changed()


def _levels(cset: cd.Data, pos: cd.Pos, access: Access, language: Lang) -> None:
    """A leaf's level descriptors: level, short label, meaning in Dutch and English."""
    off = not access.editing
    tag = f"{_key(pos)}_{revision()}"
    rows = cd.levels(cset, pos)
    frame = pd.DataFrame(rows, columns=list(LEVEL_COLUMNS))
    with st.form(key=f"edc_levels_form_{tag}", border=True):
        st.markdown(f"**{t('edc_levels', language)}**")
        st.caption(t("edc_levels_help", language))
        st.data_editor(
            frame,
            key=f"edc_levels_{tag}",
            hide_index=True,
            num_rows="fixed" if off else "dynamic",
            disabled=off,
            width="stretch",
            column_config={
                "level": st.column_config.NumberColumn(t("edc_level", language), width="small"),
                "label": st.column_config.TextColumn(t("edc_level_label", language), width="small"),
                "nl": st.column_config.TextColumn(t("edc_level_nl", language), width="large"),
                "en": st.column_config.TextColumn(t("edc_level_en", language), width="large"),
            },
        )
        st.form_submit_button(
            t("edc_apply_levels", language),
            disabled=off,
            on_click=_apply_levels,
            args=(cset, pos, rows, tag),
        )


def _apply_levels(cset: cd.Data, pos: cd.Pos, rows: list[dict[str, Any]], tag: str) -> None:
    edits = st.session_state.get(f"edc_levels_{tag}") or {}
    cd.set_levels(cset, pos, cd.edited_rows(rows, edits))
    changed()


def _buttons(cset: cd.Data, pos: cd.Pos, item: dict[str, Any], language: Lang) -> None:
    count = len(cd.siblings(cset, pos))
    up, down, child, remove = st.columns(4)
    up.button(
        t("ed_move_up", language),
        key="edc_up",
        icon=":material/arrow_upward:",
        disabled=pos[-1] == 0,
        on_click=_move,
        args=(cset, pos, -1),
    )
    down.button(
        t("ed_move_down", language),
        key="edc_down",
        icon=":material/arrow_downward:",
        disabled=pos[-1] == count - 1,
        on_click=_move,
        args=(cset, pos, 1),
    )
    if len(pos) == 1:
        child.button(
            t("edc_add_child", language),
            key="edc_add_child",
            icon=":material/subdirectory_arrow_right:",
            on_click=_add,
            args=(cset, pos[0]),
            help=None if cd.is_parent(item) else t("edc_add_child_help", language),
        )
    remove.button(
        t("edc_delete", language),
        key="edc_delete",
        icon=":material/delete:",
        on_click=_delete,
        args=(cset, pos),
        help=t("edc_delete_help", language),
    )


def _add(cset: cd.Data, parent: int | None) -> None:
    n = len(cd.entries(cset)) + 1
    pos = cd.add(cset, t("edc_new", "nl", n=n), t("edc_new", "en", n=n), parent)
    st.session_state[PICK] = _key(pos)
    changed()


def _move(cset: cd.Data, pos: cd.Pos, step: int) -> None:
    st.session_state[PICK] = _key(cd.move(cset, pos, step))
    changed()


def _delete(cset: cd.Data, pos: cd.Pos) -> None:
    cd.delete(cset, pos)
    # The criterion above it, else its parent, else the first.
    nearest = (*pos[:-1], pos[-1] - 1) if pos[-1] > 0 else pos[:1] if len(pos) > 1 else (0,)
    st.session_state[PICK] = _key(nearest)
    changed()


def _replace(data: draft.Data, access: Access, language: Lang) -> None:
    """Put a bundled criteria set in place of the case's, after a warning."""
    names = bundled_criteria_names()
    if not names:
        return
    bundle, _ = bundled()
    sets = {s.id: s for s in bundle.criteria_sets}
    with st.expander(t("edc_replace_title", language), icon=":material/swap_horiz:"):
        name = st.selectbox(
            t("ed_criteria_set", language),
            names,
            format_func=lambda n: sets[n].label.get(language) if n in sets else n,
            key="edc_replace_pick",
            placeholder=t("placeholder_option", language),
        )
        if name in sets:
            leaves = {leaf.id for leaf in sets[name].leaves()}
            lost = sorted(
                {
                    str(k)
                    for option in draft.options(data)
                    if isinstance(option, dict) and isinstance(option.get("scores"), dict)
                    for k in option["scores"]
                    if k not in leaves
                }
            )
            if lost:
                st.warning(
                    plain(t("edc_replace_warning", language, names=", ".join(lost))),
                    icon=":material/warning:",
                )
        st.caption(t("edc_replace_help", language))
        st.button(
            t("edc_replace", language),
            key="edc_replace",
            icon=":material/swap_horiz:",
            on_click=_put_in_place,
            args=(access, name, language),
        )


def _put_in_place(access: Access, name: str, language: Lang) -> None:
    held = current(access.case_id)
    if held is None:
        return
    try:
        text = library().bundled_criteria(access.case_id, access.key, name)
    except CaseLibraryError as exc:
        st.session_state[SAVED] = ("error", plain(exc.text(language)))
        return
    held["criteria"] = cd.load(text, f"{name}.yaml")
    st.session_state.pop(PICK, None)
    changed()


def _save_controls(access: Access, problems: int, language: Lang) -> None:
    """Save (a new version with the case and this set) and publish (only without problems)."""
    held = current(access.case_id)
    edited = held is not None and criteria_yaml(held) is not None
    st.markdown(f"**{t('edc_save_title', language)}**")
    st.caption(t("edc_save_help" if edited else "edc_save_help_same", language))
    save_buttons(access, problems, language, "edc")


__all__ = ["criteria_panel", "draft_set"]
