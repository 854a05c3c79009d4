"""Select boxes whose choice is set before they are drawn, on every run.

Streamlit's browser side keeps showing a choice by the words it had when it was made:
after a language switch a select box read "Administrative burden" on a Dutch page, and a
multiselect kept its chips in Dutch on an English one. A choice written to the session
before its widget is drawn is sent along with it, in the current words. (The sidebar's
widgets are drawn from the view the same way: :func:`afweging_ui.controls.selection`.)
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def keep_choice(key: str, options: Sequence[object], default: object) -> None:
    """Set widget ``key`` to its current choice, or ``default`` when it has none among
    ``options``; call it right before drawing the widget, without ``index``/``default``."""
    current = st.session_state.get(key)
    st.session_state[key] = current if current in options else default


def keep_choices(key: str, options: Sequence[object], default: Sequence[object]) -> None:
    """:func:`keep_choice` for a multiselect: the chosen values still among ``options``."""
    current = st.session_state.get(key)
    if isinstance(current, list):
        st.session_state[key] = [x for x in current if x in options]
    else:
        st.session_state[key] = list(default)


__all__ = ["keep_choice", "keep_choices"]
