"""The sidebar: what to compare and how much each criterion weighs.

The one owner of what the dashboard shows is the :class:`~afweging_ui.state.View` in
``st.session_state["view"]``. Every sidebar widget is drawn from it and writes
to it:

- before a widget is drawn, its state is set from the view (:func:`_show`), on
  every run. Streamlit makes the page part of a widget's identity and forgets the
  state of widgets a run does not draw, so after a page switch a widget that
  trusted its own state came up at its default: the first case, all options,
  weights at zero (issue 11). Drawn from the view, it cannot.
- a widget's ``on_change`` callback writes its new value into the view. Callbacks
  run before the script, so every run draws the view as the user left it.

The explore page draws the same weight inputs once more on the page itself, with
their own keys (:func:`inline_weights`, ``pw_...``), for phones: they too are drawn
from the view and write to it, so the two sets always agree; CSS shows one of them
by the screen's width (:data:`afweging_ui.style.PAGE_CSS`).

The language toggle (:func:`language_toggle`) works the same way; its widget key
``"lang"`` mirrors ``view.lang`` for the pages that read the language from there.
:func:`store` keeps the view and puts it in the URL; ``dashboard.py`` calls
:func:`write_url` on every page, because a page switch drops the query.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from afweging.errors import InvalidWeights
from afweging.loading import Bundle
from afweging.matrix import scored_sets
from afweging.model import LANGS, CriteriaSet, Criterion, Lang
from afweging.numbers import decimal, number, percent
from afweging.weights import (
    AHP_STEPS,
    METHODS,
    POINTS_TOTAL,
    SWING_TOP,
    GroupWeights,
    default_inputs,
    sibling_groups,
    weights_by_method,
)
from afweging_ui.cards import plain
from afweging_ui.data import current_bundle, linked_query
from afweging_ui.i18n import t
from afweging_ui.state import SLIDER_MAX, View, from_query, normalise, to_query

VIEW = "view"
#: The language toggle's widget key; always equal to ``view.lang`` once the toggle is drawn.
LANG = "lang"
#: A selection of fewer than two options, kept only to show it: (case id, option ids).
OPTIONS_DRAFT = "sel_options_draft"
#: A case just chosen that no criteria set scores (it is refused with a message).
UNUSABLE_CASE = "sel_case_unusable"
#: The last weights that could be used, per criteria set id: shown while the inputs cannot.
LAST_VALID = "weights_last_valid"
#: A link whose case or criteria set is not loaded here (an upload lives in one session
#: only): {"missing": {"case"|"set": id}, "query": the link's query}, until it is resolved.
LINK_MISSING = "link_missing"


# --- the view: read, keep, put in the URL ------------------------------------------------


def current_view(bundle: Bundle) -> View:
    """The session's view; on its first run, the one in the URL."""
    view: View | None = st.session_state.get(VIEW)
    if view is None:
        query = st.query_params.to_dict()
        view = from_query(query, bundle)
        _note_missing(query, bundle)
    fixed = normalise(view, bundle)
    st.session_state[VIEW] = fixed
    return fixed


def _note_missing(query: Mapping[str, str], bundle: Bundle) -> None:
    """Remember a link naming a case or criteria set this session has not loaded."""
    known = {"case": {c.id for c in bundle.cases}, "set": {s.id for s in bundle.criteria_sets}}
    missing = {k: query[k] for k in ("case", "set") if query.get(k) and query[k] not in known[k]}
    if missing:
        st.session_state[LINK_MISSING] = {"missing": missing, "query": dict(query)}
    else:
        st.session_state.pop(LINK_MISSING, None)


_ID = re.compile(r"[a-z0-9_-]{1,64}")


def link_notice(lang: Lang) -> None:
    """Say in plain words that a link's case or set is not here, and how to get it back.

    The link's id is user text: it is shown only when it looks like an id (lower-case
    letters, digits, ``_`` and ``-``), as code, so it is never read as Markdown.
    """
    found = st.session_state.get(LINK_MISSING)
    if not found:
        return
    for kind in ("case", "set"):
        value = found["missing"].get(kind)
        if value is None:
            continue
        if _ID.fullmatch(value):
            text = t(f"link_missing_{kind}", lang, id=f"`{value}`")
        else:
            text = t(f"link_missing_{kind}_unnamed", lang)
        st.warning(f"{text} {t('link_missing_how', lang)}", icon=":material/link_off:")


def restore_link(bundle: Bundle) -> bool:
    """After an upload: show the remembered link once all it names is loaded (True)."""
    found = st.session_state.get(LINK_MISSING)
    if not found:
        return False
    known = {"case": {c.id for c in bundle.cases}, "set": {s.id for s in bundle.criteria_sets}}
    missing = {k: v for k, v in found["missing"].items() if v not in known[k]}
    if missing:
        st.session_state[LINK_MISSING] = {**found, "missing": missing}
        return False
    st.session_state.pop(LINK_MISSING, None)
    st.session_state.pop(OPTIONS_DRAFT, None)
    st.session_state[VIEW] = from_query(found["query"], bundle)
    return True


def write_url(view: View) -> None:
    """Put the view in the address bar (only when it differs, so no needless message),
    with the link of the saved case the session opened (:mod:`afweging_ui.linked`)."""
    query = to_query(view) | linked_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def store(view: View) -> None:
    """Keep the view for the next run and put it in the URL."""
    st.session_state[VIEW] = view
    write_url(view)


def _update(change: Callable[[View, Bundle], View]) -> None:
    """Callbacks: replace the stored view by ``change(view, bundle)``, made valid."""
    bundle = current_bundle()
    view = current_view(bundle)
    st.session_state[VIEW] = normalise(change(view, bundle), bundle)


def _show(key: str, value: object) -> None:
    """Draw the widget ``key`` from the view: set its state before it is drawn, every run."""
    st.session_state[key] = value


# --- language ---------------------------------------------------------------------------


def language_toggle(view: View) -> Lang:
    """'Nederlands | English' in the sidebar; it writes ``view.lang``."""
    _show(LANG, view.lang)
    st.sidebar.segmented_control(
        "Taal / Language",
        list(LANGS),
        format_func=lambda x: {"nl": "Nederlands", "en": "English"}[x],
        key=LANG,
        on_change=_lang_changed,
    )
    return view.lang


def _lang_changed() -> None:
    chosen = st.session_state.get(LANG)
    if chosen in LANGS:  # a click on the selected one deselects it: the view keeps its language
        _update(lambda view, _: view.with_(lang=chosen))


# --- case, criteria set, options ----------------------------------------------------------


def selection(bundle: Bundle, view: View) -> View:
    """Case, criteria set and options, drawn from the view."""
    lang = view.lang
    side = st.sidebar
    cases = {c.id: c for c in bundle.cases}
    _show("sel_case", view.case)
    side.selectbox(
        t("case", lang),
        list(cases),
        format_func=lambda i: cases[i].label.get(lang),
        key="sel_case",
        placeholder=t("placeholder_option", lang),
        on_change=_case_changed,
    )
    if st.session_state.pop(UNUSABLE_CASE, None):
        side.error(t("no_usable_set", lang))
    case = cases[view.case]
    sets = {s.id: s for s in scored_sets(case, bundle.criteria_sets)} or {
        s.id: s for s in bundle.criteria_sets
    }
    _show("sel_set", view.criteria_set)
    side.selectbox(
        t("criteria_set", lang),
        list(sets),
        format_func=lambda i: sets[i].label.get(lang),
        key="sel_set",
        placeholder=t("placeholder_option", lang),
        on_change=_set_changed,
    )
    labels = {o.id: o.label.get(lang) for o in case.options}
    draft = st.session_state.get(OPTIONS_DRAFT)
    draft = draft[1] if draft and draft[0] == view.case else None
    _show("sel_options", list(view.options if draft is None else draft))
    side.multiselect(
        t("options", lang),
        list(labels),
        format_func=lambda i: labels[i],
        key="sel_options",
        placeholder=t("placeholder_options", lang),
        on_change=_options_changed,
    )
    if draft is not None:
        side.warning(t("choose_two", lang))
    return view


def _case_changed() -> None:
    bundle = current_bundle()
    case = next((c for c in bundle.cases if c.id == st.session_state.get("sel_case")), None)
    if case is None:
        return
    if not scored_sets(case, bundle.criteria_sets):
        st.session_state[UNUSABLE_CASE] = case.id
        return
    st.session_state.pop(OPTIONS_DRAFT, None)
    st.session_state.pop(LINK_MISSING, None)  # the user chose for themselves

    def change(view: View, bundle: Bundle) -> View:
        if case.id == view.case:
            return view
        # Empty fields become their defaults in normalise(): all options, the default
        # weights; the set stays if the new case is scored on it.
        return view.with_(case=case.id, options=(), inputs={}, pairs={}, whatif={})

    _update(change)


def _set_changed() -> None:
    set_id = st.session_state.get("sel_set")
    st.session_state.pop(LINK_MISSING, None)

    def change(view: View, bundle: Bundle) -> View:
        if set_id == view.criteria_set or not isinstance(set_id, str):
            return view
        return view.with_(criteria_set=set_id, inputs={}, pairs={}, whatif={})

    _update(change)


def _options_changed() -> None:
    chosen = st.session_state.get("sel_options") or []

    def change(view: View, bundle: Bundle) -> View:
        ids = [o.id for o in bundle.case(view.case).options]
        picked = tuple(o for o in ids if o in chosen)
        if len(picked) >= 2:
            st.session_state.pop(OPTIONS_DRAFT, None)
            return view.with_(options=picked)
        st.session_state[OPTIONS_DRAFT] = (view.case, picked)
        return view.with_(options=tuple(ids))  # all are shown until two are chosen

    _update(change)


# --- weights -----------------------------------------------------------------------------


def _method_label(lang: Lang) -> Callable[[str], str]:
    return lambda m: t(f"method_{m}", lang)


def weights_panel(cset: CriteriaSet, view: View) -> tuple[list[GroupWeights], str | None]:
    """Weight inputs for the chosen method, per sibling group, with the live percentages.

    Returns the weights to rank by and, when the inputs make no weighting yet (100 points
    not yet distributed, every slider at zero), a note saying which weights are shown
    instead: the last usable ones of this criteria set, else its default weights. The
    page is never left empty.

    The block is drawn in the sidebar (``side_weights``). A page that draws the same
    inputs on itself (:func:`inline_weights`, the explore page on a phone) hides it on
    narrow screens by CSS (:data:`afweging_ui.style.PAGE_CSS`); the sidebar then says where the
    weights are (``side_weights_note``).
    """
    side = st.sidebar.container(key=SIDE_WEIGHTS)
    groups, note = _weights_block(side, cset, view, SIDE_PREFIX, compact=False)
    st.sidebar.container(key="side_weights_note").caption(t("weights_inline_note", view.lang))
    return groups, note


def inline_weights(cset: CriteriaSet, view: View) -> None:
    """The weight inputs on the page itself, for a phone: there the sidebar is a drawer that
    covers the page, so the result could not be seen while weighing.

    The same inputs as the sidebar's, with their own widget keys (``pw_...``), drawn from
    and written to the same :class:`~afweging_ui.state.View`: the two always show the same weights.
    CSS shows this block only on narrow screens (``phone_weights``).
    """
    box = st.container(border=True, key=PHONE_WEIGHTS)
    _weights_block(box, cset, view, PHONE_PREFIX, compact=True)


#: Widget key prefixes of the sidebar's weight inputs and of the phone's inline ones.
SIDE_PREFIX, PHONE_PREFIX = "w_", "pw_"
SIDE_WEIGHTS, PHONE_WEIGHTS = "side_weights", "phone_weights"


def _weights_block(
    box: DeltaGenerator, cset: CriteriaSet, view: View, prefix: str, *, compact: bool
) -> tuple[list[GroupWeights], str | None]:
    """Draw the weight inputs in ``box`` (widget keys start with ``prefix``); the result.

    ``compact`` (the phone's inline block): the method's explanation as the selector's
    help, a value tree's lower groups folded in expanders (the top level open), and
    plain captions, not bold Markdown, for names and shares.
    """
    lang, method = view.lang, view.method

    def reset_button(where: DeltaGenerator) -> None:
        where.button(
            t("reset_weights", lang),
            key=f"{prefix}reset",
            icon=":material/restart_alt:",
            on_click=_update,
            args=(_default_weights,),
        )

    if compact:  # the heading and the reset button share a line
        head = box.container(horizontal=True, vertical_alignment="center", gap="small")
        head.subheader(t("weights_heading", lang), anchor=False, width="stretch")
        reset_button(head)
    else:
        box.subheader(t("weights_heading", lang), anchor=False)
    method_key = f"{prefix}method"
    _show(method_key, method)
    box.selectbox(
        t("weight_method", lang),
        METHODS,
        format_func=_method_label(lang),
        key=method_key,
        placeholder=t("placeholder_option", lang),
        on_change=_method_changed,
        args=(method_key,),
        help=t(f"method_{method}_help", lang) if compact else None,
    )
    if not compact:
        box.caption(t(f"method_{method}_help", lang))
        reset_button(box)
    groups = sibling_groups(cset)
    labels = {c.id: c.label.get(lang) for c in cset.walk()}
    boxes: dict[str | None, DeltaGenerator] = {}
    for parent, members in groups.items():
        name = labels[parent] if parent else t("top_level", lang)
        inner: DeltaGenerator
        if compact and parent is not None:  # a value tree's lower levels fold away
            inner = boxes[parent] = box.expander(plain(name), key=f"{prefix}group_{parent}")
        elif compact:
            inner = boxes[parent] = box.container(border=len(groups) > 1)
            if len(groups) > 1:
                inner.caption(plain(name))
        else:
            inner = boxes[parent] = box.container(border=True)
            inner.markdown(f"**{name}**")
        if method == "ahp":
            _ahp_inputs(inner, [c.id for c in members], labels, view.pairs, lang, prefix)
        else:
            for c in members:
                # The criterion's description beside its weight (a help icon at its label).
                about = plain(c.description.get(lang)) if c.description else None
                _input(
                    inner,
                    method,
                    c.id,
                    labels[c.id],
                    view.inputs[c.id],
                    len(members),
                    lang,
                    prefix,
                    about,
                )
    problems: dict[str | None, str] = {}
    for parent, members in groups.items():
        status, problem = group_status(method, members, view.inputs, lang)
        if problem:
            where = labels[parent] if parent else t("top_level", lang)
            problems[parent] = f"{where}: {problem}" if len(groups) > 1 else problem
            boxes[parent].warning(problem, icon=":material/error:")
        elif status:
            boxes[parent].caption(status)
    result: list[GroupWeights] | None = None
    if not problems:
        try:
            result = weights_by_method(cset, method, view.inputs, view.pairs)
        except InvalidWeights:  # the core's message is English: say it in the view's language
            problems[None] = t("weights_unusable", lang)
            boxes[None].warning(problems[None], icon=":material/error:")
    note = None
    if result is None:
        result, kept = _fallback(cset)
        note = " ".join([*problems.values(), t(kept, lang)])
        if not compact:  # on the page itself the note stands right above the result
            box.info(t(kept, lang), icon=":material/history:")
    elif not compact:
        st.session_state.setdefault(LAST_VALID, {})[cset.id] = result
    now = t("weights_now" if note is None else "weights_kept_now", lang)
    for group in result:
        if compact:
            shares = " · ".join(
                f"{plain(labels[c])} {percent(w, lang)}" for c, w in group.weights.items()
            )
            boxes[group.parent].caption(f"{now}: {shares}")
        else:
            shares = " · ".join(
                f"{labels[c]} **{percent(w, lang)}**" for c, w in group.weights.items()
            )
            boxes[group.parent].markdown(f"{now}: {shares}")
        if group.consistency_ratio is not None and group.consistency_ratio > 0.10:
            where = labels[group.parent] if group.parent else t("top_level", lang)
            boxes[group.parent].warning(
                t(
                    "ahp_inconsistent",
                    lang,
                    group=where,
                    cr=decimal(group.consistency_ratio, lang, 2),
                )
            )
    return result, note


def group_status(
    method: str, members: Sequence[Criterion], inputs: Mapping[str, float], lang: Lang
) -> tuple[str | None, str | None]:
    """(what is fine, what is wrong) with one sibling group's inputs, in the view's language."""
    values = [float(inputs[c.id]) for c in members]
    if method == "points":
        left = POINTS_TOTAL - sum(values)
        if math.isclose(left, 0, abs_tol=1e-9):
            return t("points_done", lang), None
        n = abs(left)
        key = ("points_left" if left > 0 else "points_over") + ("_1" if n == 1 else "")
        return None, t(key, lang, n=number(n, lang))
    if method == "sliders" and not any(v > 0 for v in values):
        return None, t("weights_all_zero", lang)
    if method == "swing" and not math.isclose(max(values), SWING_TOP):
        return None, t("swing_needs_top", lang, top=number(max(values), lang))
    return None, None


def _fallback(cset: CriteriaSet) -> tuple[list[GroupWeights], str]:
    """The weights shown while the inputs make none: the last usable ones, else the defaults."""
    last = st.session_state.get(LAST_VALID, {}).get(cset.id)
    wanted = [[c.id for c in g] for g in sibling_groups(cset).values()]
    if last is not None and [list(g.weights) for g in last] == wanted:
        return last, "weights_kept_last"
    return weights_by_method(
        cset, "sliders", default_inputs(cset, "sliders")
    ), "weights_kept_default"


def _default_weights(view: View, _: Bundle) -> View:
    return view.with_(inputs={}, pairs={})  # normalise() fills in the defaults


def _method_changed(key: str) -> None:
    method = st.session_state.get(key)

    def change(view: View, bundle: Bundle) -> View:
        if method == view.method or method not in METHODS:
            return view
        return view.with_(method=method, inputs={}, pairs={})

    _update(change)


def _input_changed(key: str, cid: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        _update(lambda view, _: view.with_(inputs={**view.inputs, cid: float(value)}))


def _pair_changed(key: str, pair: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        _update(lambda view, _: view.with_(pairs={**view.pairs, pair: int(value)}))


def leaf_weights_table(cset: CriteriaSet, weights: Iterable[float], lang: Lang) -> None:
    """The weights the ranking uses, per leaf criterion (for trees: multiplied down)."""
    leaves = cset.leaves()
    st.sidebar.dataframe(
        {
            t("criterion", lang): [c.label.get(lang) for c in leaves],
            t("weight", lang): [percent(w, lang, 1) for w in weights],
        },
        hide_index=True,
        key="weights_now",
    )


def _input(
    box: DeltaGenerator,
    method: str,
    cid: str,
    label: str,
    value: float,
    n: int,
    lang: Lang,
    prefix: str,
    about: str | None = None,
) -> None:
    """One criterion's input, drawn from the view's value; a change goes into the view;
    ``about`` (the criterion's description) is its help.

    The 0-10 sliders move in half steps and show ``%g`` (``1``, ``1.5``; not ``1.00``);
    the browser formats them with sprintf-js, which has no decimal comma, and the page
    writes them in the reader's language (``1,5``; :mod:`afweging_ui.viewport`).
    """
    key = f"{prefix}in_{method}_{cid}"
    changed, args = _input_changed, (key, cid)
    if method == "rank":
        _show(key, int(value))
        box.selectbox(
            label,
            list(range(1, n + 1)),
            placeholder=t("placeholder_option", lang),
            key=key,
            on_change=changed,
            args=args,
            help=about,
        )
    elif method == "points":
        _show(key, int(value))
        box.number_input(
            label,
            min_value=0,
            max_value=int(POINTS_TOTAL),
            step=5,
            key=key,
            on_change=changed,
            args=args,
            help=about,
        )
    elif method == "swing":
        _show(key, int(value))
        box.slider(
            label, 0, int(SWING_TOP), step=5, key=key, on_change=changed, args=args, help=about
        )
    else:
        _show(key, float(value))
        box.slider(
            label,
            0.0,
            SLIDER_MAX,
            step=0.5,
            format="%g",
            key=key,
            on_change=changed,
            args=args,
            help=about,
        )


def _ahp_inputs(
    box: DeltaGenerator,
    ids: list[str],
    labels: dict[str, str],
    pairs: Mapping[str, int],
    lang: Lang,
    prefix: str,
) -> None:
    """One slider per pair ``a ↔ b``: towards a (left) a weighs more, towards b (right) b.

    The judgement is written out under the slider (the long texts at the thumb and the
    slider's ends did not fit; CSS hides them); it also is the slider's value for
    screen readers.
    """
    if len(ids) < 2:
        box.caption(t("ahp_single", lang))
        return
    # k > 0: a is k + 1 times as important as b. The left end is a's.
    steps = list(range(AHP_STEPS, -AHP_STEPS - 1, -1))
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            key = f"{prefix}in_ahp_{a}.{b}"
            judgement = int(pairs.get(f"{a}.{b}", 0))
            _show(key, judgement)

            def fmt(k: int, a: str = a, b: str = b) -> str:
                if k == 0:
                    return t("ahp_equal", lang)
                winner = labels[a] if k > 0 else labels[b]
                return t("ahp_times", lang, name=winner, times=abs(k) + 1)

            pair = box.container(gap=None)  # the judgement right under its slider
            pair.select_slider(
                f"{labels[a]} ↔ {labels[b]}",
                steps,
                format_func=fmt,
                key=key,
                on_change=_pair_changed,
                args=(key, f"{a}.{b}"),
            )
            pair.caption(plain(fmt(judgement)))
