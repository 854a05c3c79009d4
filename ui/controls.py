"""The sidebar: what to compare and how much each criterion weighs.

The current :class:`~ui.state.View` lives in ``st.session_state["view"]``;
widgets are initialised from it and write back to it, so it survives page
switches (Streamlit forgets the state of widgets that are not drawn) and goes
into the URL at the end of every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from afweging.analysis import scored_sets
from afweging.errors import InvalidWeights
from afweging.loading import Bundle
from afweging.model import CriteriaSet, Lang
from afweging.weights import (
    AHP_STEPS,
    METHODS,
    GroupWeights,
    default_inputs,
    sibling_groups,
    weights_by_method,
)
from ui.i18n import t
from ui.state import SLIDER_MAX, View, default_view, from_query, to_query

VIEW = "view"


def current_view(bundle: Bundle) -> View:
    """The session's view; on the first run, the one in the URL."""
    if VIEW not in st.session_state:
        st.session_state[VIEW] = from_query(st.query_params.to_dict(), bundle)
    view: View = st.session_state[VIEW]
    if view.case not in {c.id for c in bundle.cases}:
        view = default_view(bundle, view.lang)
        st.session_state[VIEW] = view
    return view


def store(view: View) -> None:
    """Keep the view for the next run and put it in the URL."""
    st.session_state[VIEW] = view
    query = to_query(view)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def _init(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _reset_widgets(prefix: str = "w_") -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def selection(bundle: Bundle, view: View) -> View:
    """Case, criteria set and options."""
    lang = view.lang
    cases = {c.id: c for c in bundle.cases}
    _init("sel_case", view.case)
    case_id = st.sidebar.selectbox(
        t("case", lang), list(cases), format_func=lambda i: cases[i].label.get(lang), key="sel_case"
    )
    case = cases[case_id]
    usable = scored_sets(case, bundle.criteria_sets)
    if not usable:
        st.sidebar.error(t("no_usable_set", lang))
        return view
    sets = {s.id: s for s in usable}
    if st.session_state.get("sel_set") not in sets:
        st.session_state["sel_set"] = (
            view.criteria_set if view.criteria_set in sets else next(iter(sets))
        )
    set_id = st.sidebar.selectbox(
        t("criteria_set", lang),
        list(sets),
        format_func=lambda i: sets[i].label.get(lang),
        key="sel_set",
    )
    option_ids = [o.id for o in case.options]
    labels = {o.id: o.label.get(lang) for o in case.options}
    if case_id != view.case or "sel_options" not in st.session_state:
        wanted = (
            [o for o in view.options if o in option_ids] if case_id == view.case else option_ids
        )
        st.session_state["sel_options"] = wanted or option_ids
    chosen = st.sidebar.multiselect(
        t("options", lang), option_ids, format_func=lambda i: labels[i], key="sel_options"
    )
    if len(chosen) < 2:
        st.sidebar.warning(t("choose_two", lang))
        chosen = option_ids
    options = tuple(o for o in option_ids if o in chosen)
    if set_id != view.criteria_set or case_id != view.case:
        _reset_widgets()
        view = view.with_(inputs=default_inputs(sets[set_id], view.method), pairs={}, whatif={})
    return view.with_(case=case_id, criteria_set=set_id, options=options)


def _method_label(lang: Lang) -> Callable[[str], str]:
    return lambda m: t(f"method_{m}", lang)


def weights_panel(cset: CriteriaSet, view: View) -> tuple[View, list[GroupWeights] | None]:
    """Weight inputs for the chosen method, per sibling group, with the live percentages."""
    lang = view.lang
    side = st.sidebar
    side.subheader(t("weights_heading", lang))
    _init("w_method", view.method)
    method = side.selectbox(
        t("weight_method", lang), METHODS, format_func=_method_label(lang), key="w_method"
    )
    if method != view.method:
        view = view.with_(method=method, inputs=default_inputs(cset, method), pairs={})
        _reset_widgets("w_in_")
    side.caption(t(f"method_{method}_help", lang))
    if side.button(t("reset_weights", lang), key="w_reset", icon=":material/restart_alt:"):
        _reset_widgets("w_in_")
        view = view.with_(inputs=default_inputs(cset, method), pairs={})
    inputs = dict(view.inputs)
    pairs = dict(view.pairs)
    groups = sibling_groups(cset)
    labels = {c.id: c.label.get(lang) for c in cset.walk()}
    boxes = {}
    for parent, members in groups.items():
        box = boxes[parent] = side.container(border=True)
        box.markdown(f"**{labels[parent]}**" if parent else f"**{t('top_level', lang)}**")
        if method == "ahp":
            _ahp_inputs(box, [c.id for c in members], labels, pairs, lang)
        else:
            for c in members:
                inputs[c.id] = _input(
                    box, method, c.id, labels[c.id], inputs.get(c.id, 1.0), len(members), lang
                )
    view = view.with_(inputs=inputs, pairs=pairs)
    try:
        result = weights_by_method(cset, method, inputs, pairs)
    except InvalidWeights as exc:
        side.error(f"{t('weights_invalid', lang)} {exc}")
        return view, None
    for group in result:
        shares = " · ".join(f"{labels[c]} **{_pct(w, lang)}**" for c, w in group.weights.items())
        boxes[group.parent].markdown(f"{t('weights_now', lang)}: {shares}")
        if group.consistency_ratio is not None and group.consistency_ratio > 0.10:
            where = labels[group.parent] if group.parent else t("top_level", lang)
            boxes[group.parent].warning(
                t("ahp_inconsistent", lang, group=where, cr=_dec(group.consistency_ratio, lang))
            )
    return view, result


def _pct(x: float, lang: Lang) -> str:
    text = f"{x:.0%}"
    return text.replace(".", ",") if lang == "nl" else text


def _dec(x: float, lang: Lang) -> str:
    text = f"{x:.2f}"
    return text.replace(".", ",") if lang == "nl" else text


def leaf_weights_table(cset: CriteriaSet, weights: Sequence[float], lang: Lang) -> None:
    """The weights the ranking uses, per leaf criterion (for trees: multiplied down)."""
    leaves = cset.leaves()
    st.sidebar.dataframe(
        {
            t("criterion", lang): [c.label.get(lang) for c in leaves],
            t("weight", lang): [f"{w:.1%}" for w in weights],
        },
        hide_index=True,
        key="weights_now",
    )


def _input(box, method: str, cid: str, label: str, value: float, n: int, lang: Lang) -> float:
    key = f"w_in_{method}_{cid}"
    if method == "rank":
        _init(key, int(value))
        return float(box.selectbox(label, list(range(1, n + 1)), key=key))
    if method == "points":
        _init(key, round(value))
        return float(box.number_input(label, min_value=0, max_value=100, step=5, key=key))
    if method == "swing":
        _init(key, round(value))
        return float(box.slider(label, 0, 100, step=5, key=key))
    _init(key, float(value))
    return float(box.slider(label, 0.0, SLIDER_MAX, step=0.5, key=key))


def _ahp_inputs(
    box, ids: list[str], labels: dict[str, str], pairs: dict[str, int], lang: Lang
) -> None:
    if len(ids) < 2:
        box.caption(t("ahp_single", lang))
        return
    steps = list(range(-AHP_STEPS, AHP_STEPS + 1))
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            key = f"w_in_ahp_{a}.{b}"
            _init(key, int(pairs.get(f"{a}.{b}", 0)))

            def fmt(k: int, a: str = a, b: str = b) -> str:
                if k == 0:
                    return t("ahp_equal", lang)
                winner = labels[a] if k > 0 else labels[b]
                return t("ahp_times", lang, name=winner, times=abs(k) + 1)

            pairs[f"{a}.{b}"] = int(
                box.select_slider(f"{labels[a]} ↔ {labels[b]}", steps, format_func=fmt, key=key)
            )
