"""Problems in data files, worded for people in Dutch or English, shown as plain text.

The core gives each :class:`~afweging.errors.Problem` a code and parameters; the
words are the ``problem_<code>`` texts of ``translations.yaml`` (a ``kind``
parameter is worded by ``problem_<code>_<kind>``). Numbers are written the way
the language writes them (Dutch: decimal comma, 1.000.000).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import streamlit as st

from afweging.errors import Param, Problem
from afweging.markdown import plain
from afweging.model import Lang
from afweging_ui.i18n import t, table


def number_text(value: float, lang: Lang) -> str:
    """A number as the language writes it: 2,5 and 1.000.000 in Dutch, 2.5 and 1,000,000
    in English; whole numbers below 10,000 without grouping; .nan and .inf as in YAML."""
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
        whole = int(value)
        text = f"{whole:,}" if abs(whole) >= 10_000 else str(whole)
        return text.replace(",", ".") if lang == "nl" else text
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


def _param(value: Param, lang: Lang) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return number_text(value, lang)


def _template(key: str, lang: Lang) -> str:
    return table()[key][lang]


#: Parameters that hold ids of options, criteria or criteria sets (one, or several quoted).
_ID_PARAMS = frozenset({"option", "criterion", "criteria_set", "missing"})
_QUOTED = re.compile(r"'([^']+)'")


def _named(value: str, names: Mapping[str, str]) -> str:
    """Ids replaced by what a reader knows them by ('bestuurlijke_drukte' -> 'Bestuurlijke
    drukte'); an id without a name stays as it is."""
    if value in names:
        return names[value]
    return _QUOTED.sub(lambda m: f"'{names.get(m.group(1), m.group(1))}'", value)


def problem_message(problem: Problem, lang: Lang, names: Mapping[str, str] | None = None) -> str:
    """What is wrong, in ``lang``, without the place; with ``names`` (id -> label) options,
    criteria and sets are named by their labels instead of their ids."""
    params = {name: _param(value, lang) for name, value in problem.params.items()}
    # An unknown id is named as written: a label would suggest it exists.
    if names and not problem.code.startswith("unknown"):
        params = {k: _named(v, names) if k in _ID_PARAMS else v for k, v in params.items()}
    if "kind" in problem.params:
        kind = _template(f"problem_{problem.code}_{problem.params['kind']}", lang)
        params["kind"] = kind.format(**params)
    return _template(f"problem_{problem.code}", lang).format(**params)


def problem_place(problem: Problem, lang: Lang) -> str:
    """Where: 'bestand.yaml, regel 12, kolom 3, options[1].scores' (as far as known)."""
    parts = [problem.file]
    if problem.line:
        parts.append(t("problem_where_line", lang, line=problem.line))
        column = problem.params.get("column")
        if isinstance(column, int):
            parts.append(t("problem_where_column", lang, column=column))
    if problem.path:
        parts.append(problem.path)
    return ", ".join(parts)


def problem_text(problem: Problem, lang: Lang) -> str:
    """The problem in one line of ``lang``: place, then what is wrong.

    'bestand.yaml, regel 12, options[1].scores.legitimiteit.value: 7 ligt buiten de
    schaal 1–5 van criterium 'legitimiteit''
    """
    return f"{problem_place(problem, lang)}: {problem_message(problem, lang)}"


def show_problem_list(problems: Sequence[Problem], lang: Lang) -> None:
    """Every problem as plain text (never Markdown or HTML), one per line, never cut off."""
    for problem in problems:
        st.text(problem_text(problem, lang))


def show_upload_problems(
    name: str, problems: Sequence[Problem], lang: Lang, hint: str = "upload_problems_hint"
) -> None:
    """An uploaded file was refused: say so, list why, and say what to do (``hint``: the
    translation key of the advice; a text file's is to mend the lines named)."""
    st.error(t("upload_failed", lang, name=plain(name)), icon=":material/error:")
    show_problem_list(problems, lang)
    st.caption(t(hint, lang))


def show_data_problems(problems: Sequence[Problem], lang: Lang) -> None:
    """Problems in the bundled data: a plain warning for everyone, the list for whoever fixes it."""
    st.error(f"{t('data_problems', lang)} {t('data_problems_hint', lang)}", icon=":material/error:")
    with st.expander(t("problems_list", lang, count=len(problems)), expanded=True):
        show_problem_list(problems, lang)
