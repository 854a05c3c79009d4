"""The view a user is looking at, and its round trip through the URL query.

A view is everything needed to show the same result again: case, criteria
set, options, weight method, the raw inputs of that method, language and
what-if changes. It is the one owner of all of these: the sidebar widgets are
drawn from it and write to it (:mod:`afweging_ui.controls`), and it goes into the URL
on every page. Query values are user-editable text: everything read here is
validated and clamped (:func:`normalise`), and whatever cannot be used falls
back to the default.

The query format (``case``, ``set``, ``opt``, ``m``, ``w``, ``ahp``, ``wi``,
``lang``) is what permalinks pasted into memos hold: it only ever grows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TypedDict, Unpack

from afweging.loading import Bundle
from afweging.matrix import scored_sets
from afweging.model import Case, CriteriaSet, Lang
from afweging.numbers import to_float
from afweging.weights import AHP_STEPS, METHODS, default_inputs, sibling_groups

SLIDER_MAX = 10.0


@dataclass(frozen=True)
class View:
    """A complete, shareable description of what the dashboard shows."""

    case: str
    criteria_set: str
    options: tuple[str, ...]
    method: str = "sliders"
    inputs: Mapping[str, float] = field(default_factory=dict)  # criterion id -> raw input
    pairs: Mapping[str, int] = field(default_factory=dict)  # "a.b" -> AHP judgement index
    lang: Lang = "nl"
    whatif: Mapping[str, float] = field(default_factory=dict)  # "option.criterion" -> value

    def with_(self, **changes: Unpack[ViewChanges]) -> View:
        """A copy with some fields changed."""
        return replace(self, **changes)


class ViewChanges(TypedDict, total=False):
    """The fields of a :class:`View`, each optional: what :meth:`View.with_` may change."""

    case: str
    criteria_set: str
    options: tuple[str, ...]
    method: str
    inputs: Mapping[str, float]
    pairs: Mapping[str, int]
    lang: Lang
    whatif: Mapping[str, float]


#: What a first-time visitor sees: the SRA options of the Regiodag on the core criteria.
DEFAULT_CASE, DEFAULT_SET = "sra", "kern"


def _default_case(bundle: Bundle) -> Case:
    return next((c for c in bundle.cases if c.id == DEFAULT_CASE), bundle.cases[0])


def usable_sets(bundle: Bundle, case: Case) -> list[CriteriaSet]:
    """The criteria sets the case can be shown on (all of them if it is scored on none)."""
    return scored_sets(case, bundle.criteria_sets) or list(bundle.criteria_sets)


def _pick_set(bundle: Bundle, case: Case, wanted: str) -> CriteriaSet:
    sets = usable_sets(bundle, case)
    return (
        next((s for s in sets if s.id == wanted), None)
        or next((s for s in sets if s.id == DEFAULT_SET), None)
        or sets[0]
    )


def default_view(bundle: Bundle, lang: Lang = "nl") -> View:
    """The view a first-time visitor sees (the first case and set when the defaults are absent)."""
    case = _default_case(bundle)
    cset = _pick_set(bundle, case, DEFAULT_SET)
    return View(
        case=case.id,
        criteria_set=cset.id,
        options=tuple(o.id for o in case.options),
        inputs=default_inputs(cset, "sliders"),
        lang=lang,
    )


def clamp_input(method: str, value: float, n: int) -> float:
    """Keep a raw input within what its widget can show (``n``: criteria in its group).

    Points and swing widgets hold whole numbers, a rank 1..n.
    """
    if method == "rank":
        return float(max(1, min(n, round(value))))
    if method in ("points", "swing"):
        return float(max(0, min(100, round(value))))
    return max(0.0, min(SLIDER_MAX, value))


def _finite(value: object) -> float | None:
    try:
        number = to_float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def sibling_pairs(cset: CriteriaSet) -> list[str]:
    """The AHP judgements of a criteria set, as ``"a.b"`` in sibling order."""
    out = []
    for group in sibling_groups(cset).values():
        ids = [c.id for c in group]
        out += [f"{a}.{b}" for i, a in enumerate(ids) for b in ids[i + 1 :]]
    return out


def normalise(view: View, bundle: Bundle) -> View:
    """The nearest view the bundle can show: unknown ids dropped, numbers clamped.

    Idempotent, and the identity on every view the dashboard itself makes.
    """
    case = next((c for c in bundle.cases if c.id == view.case), None) or _default_case(bundle)
    cset = _pick_set(bundle, case, view.criteria_set)
    all_options = [o.id for o in case.options]
    chosen = [o for o in all_options if o in view.options]
    options = tuple(chosen) if len(chosen) >= 2 else tuple(all_options)
    method = view.method if view.method in METHODS else "sliders"
    inputs = default_inputs(cset, method)  # AHP weighs by pairs: its inputs stay the defaults
    for group in sibling_groups(cset).values() if method != "ahp" else ():
        for c in group:
            value = _finite(view.inputs.get(c.id))
            if value is not None:
                inputs[c.id] = clamp_input(method, value, len(group))
    pairs: dict[str, int] = {}
    if method == "ahp":
        for key in sibling_pairs(cset):
            a, _, b = key.partition(".")
            value = _finite(view.pairs.get(key))
            if value is None and (reverse := _finite(view.pairs.get(f"{b}.{a}"))) is not None:
                value = -reverse
            pairs[key] = int(max(-AHP_STEPS, min(AHP_STEPS, round(value or 0))))
    leaves = {c.id: c for c in cset.leaves()}
    whatif: dict[str, float] = {}
    for key, raw in view.whatif.items():
        option_id, _, criterion_id = key.partition(".")
        value = _finite(raw)
        leaf = leaves.get(criterion_id)
        if option_id in all_options and leaf and leaf.scale and value is not None:
            whatif[key] = float(max(leaf.scale.min, min(leaf.scale.max, value)))
    lang: Lang = "en" if view.lang == "en" else "nl"
    return View(case.id, cset.id, options, method, inputs, pairs, lang, whatif)


def _pairs_text(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition(":")
        if sep and key and value:
            out[key.strip()] = value.strip()
    return out


def _numbers(text: str) -> dict[str, float]:
    out = {}
    for key, raw in _pairs_text(text).items():
        value = _finite(raw)
        if value is not None:
            out[key] = value
    return out


def from_query(params: Mapping[str, str], bundle: Bundle) -> View:
    """The view in a URL query; unknown or invalid parts fall back to defaults."""
    lang: Lang = "en" if params.get("lang") == "en" else "nl"
    default = default_view(bundle, lang)
    case_ids = {c.id for c in bundle.cases}
    set_ids = {s.id for s in bundle.criteria_sets}
    case_id = params.get("case", default.case)
    set_id = params.get("set", default.criteria_set)
    raw = View(
        case=case_id if case_id in case_ids else default.case,
        criteria_set=set_id if set_id in set_ids else default.criteria_set,
        options=tuple(params.get("opt", "").split(",")),
        method=params.get("m", "sliders"),
        inputs=_numbers(params.get("w", "")),
        pairs={k: round(v) for k, v in _numbers(params.get("ahp", "")).items()},
        lang=lang,
        whatif=_numbers(params.get("wi", "")),
    )
    return normalise(raw, bundle)


def _num(value: float) -> str:
    """A number as short as it reads (``3``, ``0.5``) and exact, so a reload changes nothing."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def to_query(view: View) -> dict[str, str]:
    """The view as URL query parameters (strings only)."""
    query = {
        "case": view.case,
        "set": view.criteria_set,
        "opt": ",".join(view.options),
        "m": view.method,
        "lang": view.lang,
    }
    if view.method == "ahp":
        query["ahp"] = ",".join(f"{k}:{v}" for k, v in view.pairs.items())
    else:
        query["w"] = ",".join(f"{k}:{_num(v)}" for k, v in view.inputs.items())
    if view.whatif:
        query["wi"] = ",".join(f"{k}:{_num(v)}" for k, v in view.whatif.items())
    return query
