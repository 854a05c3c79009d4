"""What would you have to believe: per option, the nearest weights that put it first.

Each option gets one sentence from :func:`afweging.to_win.to_win_sentence` and,
when some weights put it first, a button that applies them. The button's callback
only changes the stored :class:`~afweging_ui.state.View` (method "sliders", one input per
criterion) and forgets the weight widgets' state, so the sidebar initialises its
sliders from the view on the next run, as it does after a page switch.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from afweging.errors import InvalidWeights
from afweging.markdown import plain
from afweging.matrix import Matrix, Ranking
from afweging.scoring import FloatArray, competition_ranks
from afweging.to_win import MARGIN, ToWin, to_win, to_win_sentence
from afweging.weights import leaf_weights_from_groups, sibling_groups, weights_by_method
from afweging_ui.controls import VIEW
from afweging_ui.i18n import t
from afweging_ui.state import SLIDER_MAX, View

#: Applied weights win by this much (scores lie in [0, 1]) rather than the core's bare
#: margin, so rounding the sliders (and the 6 digits the URL keeps) cannot undo the win.
APPLY_MARGIN = 1e-3
#: Widget state the sidebar rebuilds from the view when it is missing.
WEIGHT_WIDGETS = ("w_in_", "w_method", "pw_in_", "pw_method")


def matrix_key(matrix: Matrix) -> tuple[object, ...]:
    """Everything of the matrix the answers read (values, scales, the tree), hashable."""
    return (
        matrix.case.id,
        matrix.criteria_set.model_dump_json(),
        tuple(matrix.option_ids),
        matrix.values.tobytes(),
        (matrix.scale_max - matrix.scale_min).tobytes(),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def cached_to_win(
    _matrix: Matrix, key: tuple[object, ...], weights: tuple[float, ...], margin: float
) -> dict[str, ToWin]:
    """:func:`afweging.to_win.to_win`, cached on every number it depends on."""
    return to_win(_matrix, np.asarray(weights), margin=margin)


def render_to_win(matrix: Matrix, ranking: Ranking, view: View) -> None:
    """Per option, best first: the sentence, and a button applying its weights."""
    lang = view.lang
    st.caption(t("tw_help", lang))
    current = tuple(map(float, ranking.weights))
    results = cached_to_win(matrix, matrix_key(matrix), current, MARGIN)
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    labels |= {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    for i in ranking.best_first([o.label.get(lang) for o in matrix.options]):
        option_id = matrix.option_ids[i]
        result = results[option_id]
        with st.container(border=True, key=f"tw_{option_id}"):
            st.markdown(plain(to_win_sentence(result, labels, lang, t)))
            if result.weights is not None and not result.already_first:
                st.button(
                    t("tw_apply", lang),
                    key=f"tw_apply_{option_id}",
                    help=t("tw_apply_help", lang),
                    icon=":material/tune:",
                    on_click=apply_weights,
                    args=(matrix, current, option_id),
                )


def apply_weights(matrix: Matrix, current: tuple[float, ...], option_id: str) -> None:
    """Button callback: store slider inputs that put the option first in the view."""
    result = cached_to_win(matrix, matrix_key(matrix), current, APPLY_MARGIN)[option_id]
    if result.local is None:
        return
    view: View = st.session_state[VIEW]
    inputs = slider_inputs(matrix, result)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(WEIGHT_WIDGETS)]:
        del st.session_state[key]
    st.session_state[VIEW] = view.with_(method="sliders", inputs=inputs, pairs={})


def slider_inputs(matrix: Matrix, result: ToWin) -> dict[str, float]:
    """Slider values (0..10, the largest of each sibling group at 10) for the local weights.

    Rounded to 2, else 4 decimals when the option stays first so (alone, unless it can
    only tie); otherwise exact.
    """
    assert result.local is not None
    exact: dict[str, float] = {}
    for group in sibling_groups(matrix.criteria_set).values():
        top = max(result.local[c.id] for c in group)
        exact.update({c.id: SLIDER_MAX * result.local[c.id] / top for c in group})
    i = matrix.option_ids.index(result.option)
    for places in (2, 4):
        rounded = {k: round(v, places) for k, v in exact.items()}
        if _first(matrix, rounded, i, alone=not result.ties):
            return rounded
    return exact


def _first(matrix: Matrix, inputs: dict[str, float], i: int, *, alone: bool) -> bool:
    """Whether slider inputs put option i first (and alone when asked)."""
    try:
        groups = weights_by_method(matrix.criteria_set, "sliders", inputs)
    except InvalidWeights:
        return False
    weights: FloatArray = leaf_weights_from_groups(matrix.criteria_set, groups)
    ranks = competition_ranks(matrix.values @ weights)
    return bool(ranks[i] == 1 and (not alone or np.sum(ranks == 1) == 1))
