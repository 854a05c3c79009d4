"""The editor's score grid: options by leaf criteria, the problems of each row beside it,
a form for everything of one cell, and every problem listed by option and criterion.

The grid holds values only; basis, range, rationale and evidence are set per cell in the
form below it. Values are not bounded in the grid: a value off the scale is the
validator's to name, beside its row, as it would be in a file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from afweging.errors import Problem
from afweging.markdown import plain
from afweging.model import CriteriaSet, Criterion, Lang
from afweging.sources import SourceLibrary
from afweging_ui.cards import cards
from afweging_ui.editor import draft
from afweging_ui.editor.header import problem_count
from afweging_ui.editor.state import Access, changed, revision
from afweging_ui.i18n import t
from afweging_ui.problems import number_text, problem_message, problem_place

OPTION_COL = "_option"
PROBLEMS_COL = "_problems"
CELL_OPTION = "ed_cell_option"
CELL_CRITERION = "ed_cell_criterion"


def scale_text(leaf: Criterion, language: Lang) -> str:
    """'1–5' for a leaf's scale."""
    if leaf.scale is None:
        return ""
    return f"{number_text(leaf.scale.min, language)}–{number_text(leaf.scale.max, language)}"


def _value(score: dict[str, Any] | None) -> float | None:
    value = score.get("value") if score else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def names(data: draft.Data, cset: CriteriaSet, language: Lang) -> dict[str, str]:
    """Every option, criterion and the set by id -> label, so the validator's messages name
    them as the grid does."""
    found = {str(o.get("id")): draft.label(o, language) for o in draft.options(data)}
    found |= {c.id: c.label.get(language) for c in cset.walk()}
    found[cset.id] = cset.label.get(language)
    return found


def cell_words(
    problem: Problem, cell: draft.Cell, data: draft.Data, cset: CriteriaSet, language: Lang
) -> str:
    """'Optie 2 · Democratische legitimiteit: 7 ligt buiten ...': the problem named by option
    and criterion, not by its place in the file."""
    index, criterion = cell
    items = draft.options(data)
    where = draft.label(items[index], language) if index < len(items) else f"#{index + 1}"
    if criterion is not None:
        known = {c.id: c.label.get(language) for c in cset.walk()}
        where += f" · {known.get(criterion, criterion)}"
    return f"{where}: {problem_message(problem, language, names(data, cset, language))}"


def grid(
    data: draft.Data,
    cset: CriteriaSet,
    cells: dict[draft.Cell, list[Problem]],
    access: Access,
    language: Lang,
) -> None:
    """The value grid (an editor on wide screens, cards on a phone) with its problems column."""
    items = draft.options(data)
    leaves = cset.leaves()
    labels = {leaf.id: leaf.label.get(language) for leaf in leaves}
    known = names(data, cset, language)
    rows = []
    for i, option in enumerate(items):
        row: dict[str, Any] = {OPTION_COL: draft.label(option, language)}
        for leaf in leaves:
            row[leaf.id] = _value(draft.score(data, i, leaf.id))
        found = [
            (f"{labels.get(c, c)}: " if c else "") + problem_message(p, language, known)
            for (j, c), ps in cells.items()
            if j == i
            for p in ps
        ]
        row[PROBLEMS_COL] = " · ".join(found)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[OPTION_COL, *labels, PROBLEMS_COL])
    config: dict[str, Any] = {
        OPTION_COL: st.column_config.TextColumn(t("ed_col_option", language), pinned=True),
        PROBLEMS_COL: st.column_config.TextColumn(t("ed_col_problems", language), width="large"),
    }
    for leaf in leaves:
        config[leaf.id] = st.column_config.NumberColumn(
            labels[leaf.id],
            help=t("ed_col_help", language, scale=scale_text(leaf, language)),
            width="medium",
        )
    key = f"ed_grid_{revision()}"
    with st.container(key="desk_ed_grid"):
        st.data_editor(
            frame,
            key=key,
            hide_index=True,
            column_config=config,
            disabled=True if not access.editing else [OPTION_COL, PROBLEMS_COL],
            num_rows="fixed",
            width="stretch",
            placeholder="",  # an unscored cell is empty, not 'None'
            on_change=_grid_changed,
            args=(data, key, [leaf.id for leaf in leaves]),
        )
    phone = {t("ed_col_option", language): [r[OPTION_COL] for r in rows]}
    for leaf in leaves:
        phone[labels[leaf.id]] = [
            "–" if r[leaf.id] is None else number_text(r[leaf.id], language) for r in rows
        ]
    phone[t("ed_col_problems", language)] = [r[PROBLEMS_COL] or "–" for r in rows]
    cards(phone, "ed_grid_cards")


def _grid_changed(data: draft.Data, key: str, leaves: Sequence[str]) -> None:
    """Cell edits in the grid go into the draft; the grid then starts again from it."""
    edits = st.session_state.get(key) or {}
    for row, values in (edits.get("edited_rows") or {}).items():
        for column, value in values.items():
            if column not in leaves or int(row) >= len(draft.options(data)):
                continue
            missing = value is None or (isinstance(value, float) and math.isnan(value))
            draft.set_value(data, int(row), column, None if missing else float(value))
    changed()


def problem_list(
    data: draft.Data,
    cset: CriteriaSet,
    cells: dict[draft.Cell, list[Problem]],
    rest: Sequence[Problem],
    language: Lang,
) -> None:
    """Every problem under the grid: those of a cell named by option and criterion, the
    others by their place in the file."""
    lines = [
        cell_words(p, cell, data, cset, language)
        for cell, ps in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
        for p in ps
    ]
    known = names(data, cset, language)
    lines += [f"{problem_place(p, language)}: {problem_message(p, language, known)}" for p in rest]
    if not lines:
        st.success(t("ed_no_problems_long", language), icon=":material/check_circle:")
        return
    with st.container(key="ed_problem_list", border=True):
        st.markdown(f"**{problem_count(len(lines), language)}**")
        st.markdown("  \n".join(f"- {plain(line)}" for line in lines))


def cell_form(
    data: draft.Data,
    cset: CriteriaSet,
    cells: dict[draft.Cell, list[Problem]],
    sources: SourceLibrary,
    access: Access,
    language: Lang,
) -> None:
    """One cell in full: value, basis, range, rationale in Dutch and English, its evidence
    (each cited by title and page/line), and the problems of that cell."""
    items = draft.options(data)
    leaves = {leaf.id: leaf for leaf in cset.leaves()}
    if not items or not leaves:
        return
    st.subheader(t("ed_cell_title", language), anchor=False)
    left, right = st.columns(2)
    if st.session_state.get(CELL_OPTION) not in range(len(items)):
        st.session_state[CELL_OPTION] = 0
    index = left.selectbox(
        t("ed_option", language),
        range(len(items)),
        format_func=lambda i: draft.choice(items, i, language),
        key=CELL_OPTION,
        placeholder=t("placeholder_option", language),
    )
    criterion = right.selectbox(
        t("ed_criterion", language),
        list(leaves),
        format_func=lambda c: (
            f"{leaves[c].label.get(language)} ({scale_text(leaves[c], language)})"
        ),
        key=CELL_CRITERION,
        placeholder=t("placeholder_option", language),
    )
    if criterion is None:
        return
    score = draft.score(data, index, criterion) or {}
    found = cells.get((index, criterion), [])
    for problem in found:
        st.error(
            plain(problem_message(problem, language, names(data, cset, language))),
            icon=":material/error:",
        )
    off = not access.editing
    tag = f"{index}_{criterion}_{revision()}"
    bounds = score.get("range") if isinstance(score.get("range"), list) else None
    found_text = score.get("rationale")
    rationale: dict[str, Any] = found_text if isinstance(found_text, dict) else {}
    with st.form(key=f"ed_cell_form_{tag}"):
        a, b, c, d = st.columns(4)
        a.number_input(
            t("ed_value", language), value=_value(score), key=f"ed_val_{tag}", disabled=off
        )
        b.number_input(
            t("ed_low", language),
            value=_number(bounds[0]) if bounds and len(bounds) == 2 else None,
            key=f"ed_low_{tag}",
            disabled=off,
        )
        c.number_input(
            t("ed_high", language),
            value=_number(bounds[1]) if bounds and len(bounds) == 2 else None,
            key=f"ed_high_{tag}",
            disabled=off,
        )
        d.radio(
            t("ed_basis", language),
            ["bron", "afgeleid"],
            index=0 if score.get("basis") == "bron" else 1,
            format_func=lambda x: t(f"ed_basis_{x}", language),
            key=f"ed_basis_{tag}",
            disabled=off,
        )
        st.text_area(
            t("ed_rationale_nl", language),
            str(rationale.get("nl", "")),
            key=f"ed_rnl_{tag}",
            disabled=off,
        )
        st.text_area(
            t("ed_rationale_en", language),
            str(rationale.get("en", "")),
            key=f"ed_ren_{tag}",
            disabled=off,
        )
        st.form_submit_button(
            t("ed_apply_cell", language),
            disabled=off,
            on_click=_cell_changed,
            args=(data, index, criterion, tag),
        )
    evidence_list(data, index, criterion, score, sources, access, language)


def _number(x: object) -> float | None:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else None


def _cell_changed(data: draft.Data, index: int, criterion: str, tag: str) -> None:
    state = st.session_state
    draft.set_cell(
        data,
        index,
        criterion,
        value=state[f"ed_val_{tag}"],
        basis=state[f"ed_basis_{tag}"],
        low=state[f"ed_low_{tag}"],
        high=state[f"ed_high_{tag}"],
        rationale_nl=state[f"ed_rnl_{tag}"],
        rationale_en=state[f"ed_ren_{tag}"],
    )
    changed()


def evidence_list(
    data: draft.Data,
    index: int,
    criterion: str,
    score: dict[str, Any],
    sources: SourceLibrary,
    access: Access,
    language: Lang,
) -> None:
    """The cell's quotes, each with where it stands (title, page, line) and a remove button."""
    found = score.get("evidence")
    evidence: list[Any] = found if isinstance(found, list) else []
    st.markdown(f"**{t('ed_evidence', language, n=len(evidence))}**")
    if not evidence:
        st.caption(t("ed_no_evidence", language))
    for k, item in enumerate(evidence):
        if not isinstance(item, dict):
            continue
        source, quote = str(item.get("source", "")), str(item.get("quote", ""))
        with st.container(border=True, key=f"ed_ev_{index}_{criterion}_{k}"):
            st.markdown(f"> {plain(quote)}")
            st.caption(plain(sources.cite(source, quote, language)))
            if access.editing:
                st.button(
                    t("ed_detach", language),
                    key=f"ed_detach_{index}_{criterion}_{k}_{revision()}",
                    on_click=_detach,
                    args=(data, index, criterion, k),
                )


def _detach(data: draft.Data, index: int, criterion: str, k: int) -> None:
    draft.detach(data, index, criterion, k)
    changed()
