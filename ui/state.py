"""The view a user is looking at, and its round trip through the URL query.

A view is everything needed to show the same result again: case, criteria
set, options, weight method, the raw inputs of that method, language and
what-if changes. Query values are user-editable text: everything read here is
validated and clamped, and whatever cannot be used falls back to the default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from afweging.loading import Bundle
from afweging.model import Lang
from afweging.weights import AHP_STEPS, METHODS, default_inputs

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

    def with_(self, **changes: object) -> View:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


#: What a first-time visitor sees: the SRA options of the Regiodag on the core criteria.
DEFAULT_CASE, DEFAULT_SET = "sra", "kern"


def default_view(bundle: Bundle, lang: Lang = "nl") -> View:
    """The view a first-time visitor sees (the first case and set when the defaults are absent)."""
    case = next((c for c in bundle.cases if c.id == DEFAULT_CASE), bundle.cases[0])
    cset = next((s for s in bundle.criteria_sets if s.id == DEFAULT_SET), bundle.criteria_sets[0])
    return View(
        case=case.id,
        criteria_set=cset.id,
        options=tuple(o.id for o in case.options),
        inputs=default_inputs(cset, "sliders"),
        lang=lang,
    )


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _pairs_text(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition(":")
        if sep and key and value:
            out[key.strip()] = value.strip()
    return out


def from_query(params: Mapping[str, str], bundle: Bundle) -> View:
    """The view in a URL query; unknown or invalid parts fall back to defaults."""
    lang: Lang = "en" if params.get("lang") == "en" else "nl"
    view = default_view(bundle, lang)
    case_ids = [c.id for c in bundle.cases]
    set_ids = [s.id for s in bundle.criteria_sets]
    case_id = params.get("case", view.case)
    set_id = params.get("set", view.criteria_set)
    case_id = case_id if case_id in case_ids else view.case
    set_id = set_id if set_id in set_ids else view.criteria_set
    case, cset = bundle.case(case_id), bundle.criteria_set(set_id)
    all_options = [o.id for o in case.options]
    wanted = [o for o in params.get("opt", "").split(",") if o in all_options]
    options = (
        tuple(o for o in all_options if o in wanted) if len(wanted) >= 2 else tuple(all_options)
    )
    method = params.get("m", "sliders")
    method = method if method in METHODS else "sliders"
    inputs = default_inputs(cset, method)
    for key, text in _pairs_text(params.get("w", "")).items():
        value = _number(text)
        if key in inputs and value is not None:
            inputs[key] = clamp_input(method, value, len(inputs))
    pairs: dict[str, int] = {}
    for key, text in _pairs_text(params.get("ahp", "")).items():
        value = _number(text)
        a, _, b = key.partition(".")
        if a in inputs and b in inputs and value is not None:
            pairs[key] = int(max(-AHP_STEPS, min(AHP_STEPS, round(value))))
    leaves = {c.id: c for c in cset.leaves()}
    whatif: dict[str, float] = {}
    for key, text in _pairs_text(params.get("wi", "")).items():
        option_id, _, criterion_id = key.partition(".")
        value = _number(text)
        leaf = leaves.get(criterion_id)
        if option_id in all_options and leaf and leaf.scale and value is not None:
            whatif[key] = max(leaf.scale.min, min(leaf.scale.max, value))
    return View(case_id, set_id, options, method, inputs, pairs, lang, whatif)


def clamp_input(method: str, value: float, n: int) -> float:
    """Keep a raw input within what its widget can show."""
    if method == "rank":
        return float(max(1, min(n, round(value))))
    top = {"sliders": SLIDER_MAX, "points": 100.0, "swing": 100.0}.get(method, SLIDER_MAX)
    return max(0.0, min(top, value))


def _num(value: float) -> str:
    return f"{value:g}"


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
