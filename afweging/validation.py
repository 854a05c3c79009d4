"""Checking criteria and scenario files, reporting every problem at once.

Shape and types are checked by the pydantic models; meaning (duplicate ids,
ranges, scales, scores against criteria sets, quotes against the sources) is
checked here on the raw data, so a type error in one place never hides a
problem in another.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from afweging.errors import Problem, format_path
from afweging.model import CriteriaSet, Criterion
from afweging.sources import SourceLibrary
from afweging.yamlfile import Document, Path_

# --- pydantic errors in plain words -------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...], dict[..., ...] or Annotated[...]."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        found = [_unwrap(a) for a in typing.get_args(annotation) if a is not type(None)]
        return next((f for f in found if isinstance(f, type) and issubclass(f, BaseModel)), None)
    if origin in (list, tuple):
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    return annotation


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc`` (for listing valid fields)."""
    current: Any = root
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            continue  # a dict key such as a criterion id: stay on the value type
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _message(root: type[BaseModel], error: Any) -> str:
    kind, given, loc = error["type"], error.get("input"), error["loc"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = ", ".join(model.model_fields) if model else ""
        return f"unknown field {loc[-1]!r}" + (f"; allowed fields: {allowed}" if allowed else "")
    if kind == "string_pattern_mismatch":
        return f"must be lower-case letters a-z, digits, '_' or '-', got {_shown(given)}"
    if kind == "finite_number":
        return f"must be a finite number, got {_shown(given)}"
    if kind in {"float_type", "int_type", "float_parsing", "int_parsing"}:
        return f"must be a number, got {_shown(given)}"
    if kind == "greater_than_equal":
        return f"must not be negative, got {_shown(given)}"
    if kind == "string_too_short":
        return "must not be empty"
    text = str(error["msg"])
    if isinstance(given, str | int | float | bool) or given is None:
        text += f", got {_shown(given)}"
    return text


def model_problems(doc: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate the document against a model: the instance, or None and the problems."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if p != "[key]")
            problems.append(doc.problem(loc, _message(model, error)))
        return None, problems


# --- meaning, on raw data -----------------------------------------------------------------


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _duplicates(doc: Document, found: dict[str, Path_], item_id: Any, path: Path_) -> list[Problem]:
    if not isinstance(item_id, str):
        return []
    if item_id in found:
        first = format_path(found[item_id])
        return [doc.problem((*path, "id"), f"id {item_id!r} is already used at {first}")]
    found[item_id] = path
    return []


def _scale_problems(doc: Document, scale: Any, path: Path_) -> list[Problem]:
    if not isinstance(scale, dict):
        return []
    lo, hi = scale.get("min"), scale.get("max")
    if not (_is_number(lo) and _is_number(hi)):
        return []
    if hi <= lo:
        return [doc.problem((*path, "max"), f"max ({hi:g}) must be greater than min ({lo:g})")]
    problems = []
    for name in ("labels", "levels"):
        for key in scale.get(name) or {}:
            if _is_number(key) and not lo <= key <= hi:
                message = f"level {key} lies outside the scale {lo:g}..{hi:g}"
                problems.append(doc.problem((*path, name, key), message))
    return problems


def _criterion_problems(
    doc: Document, criteria: Any, path: Path_, found: dict[str, Path_]
) -> list[Problem]:
    problems: list[Problem] = []
    siblings = list(_items(criteria))
    weights = [c.get("default_weight", 1) for _, c in siblings]
    if siblings and all(_is_number(w) and w == 0 for w in weights):
        problems.append(doc.problem(path, "the default weights of these criteria are all zero"))
    for i, item in siblings:
        here = (*path, i)
        problems += _duplicates(doc, found, item.get("id"), here)
        children = item.get("criteria")
        if children is not None:
            if isinstance(children, list) and not children:
                problems.append(doc.problem((*here, "criteria"), "a parent needs sub-criteria"))
            for name in ("direction", "scale"):
                if name in item:
                    message = f"a parent criterion has no {name}; set it on its sub-criteria"
                    problems.append(doc.problem((*here, name), message))
            problems += _criterion_problems(doc, children, (*here, "criteria"), found)
        else:
            for name in ("direction", "scale"):
                if name not in item:
                    message = f"required field is missing: a leaf criterion needs a {name}"
                    problems.append(doc.problem((*here, name), message))
            problems += _scale_problems(doc, item.get("scale"), (*here, "scale"))
    return problems


def criteria_meaning(doc: Document) -> list[Problem]:
    """Duplicate ids, leaf/parent fields, scales and sibling weights of a criteria file."""
    return _criterion_problems(doc, doc.data.get("criteria"), ("criteria",), {})


def _score_problems(doc: Document, score: Any, path: Path_) -> list[Problem]:
    if not isinstance(score, dict):
        return []
    value, bounds = score.get("value"), score.get("range")
    if not (isinstance(bounds, list) and len(bounds) == 2 and all(map(_is_number, bounds))):
        return []
    lo, hi = bounds
    if lo > hi:
        return [doc.problem((*path, "range"), f"low end {lo:g} is above high end {hi:g}")]
    if _is_number(value) and math.isfinite(value) and not lo <= value <= hi:
        message = f"range [{lo:g}, {hi:g}] does not contain the value {value:g}"
        return [doc.problem((*path, "range"), message)]
    return []


def case_meaning(doc: Document) -> list[Problem]:
    """Duplicate option ids, ranges that do not hold their value, a conclusion that
    prefers an option the case does not have."""
    problems: list[Problem] = []
    found: dict[str, Path_] = {}
    for i, option in _items(doc.data.get("options")):
        problems += _duplicates(doc, found, option.get("id"), ("options", i))
        scores = option.get("scores")
        if isinstance(scores, dict):
            for key, score in scores.items():
                problems += _score_problems(doc, score, ("options", i, "scores", key))
    conclusion = doc.data.get("conclusion")
    if isinstance(conclusion, dict) and isinstance(conclusion.get("prefers"), list):
        for j, option_id in enumerate(conclusion["prefers"]):
            if isinstance(option_id, str) and option_id not in found:
                choices = ", ".join(found) or "none"
                message = f"prefers {option_id!r}, which is not an option of this case ({choices})"
                problems.append(doc.problem(("conclusion", "prefers", j), message))
    return problems


def _evidence_lists(data: Any, path: Path_) -> Iterator[tuple[Path_, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "evidence":
                yield (*path, key), value
            else:
                yield from _evidence_lists(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _evidence_lists(value, (*path, i))


def evidence_problems(doc: Document, library: SourceLibrary) -> list[Problem]:
    """Every quote must occur in its cited document; every cited document must exist."""
    problems: list[Problem] = []
    for path, items in _evidence_lists(doc.data, ()):
        for i, item in _items(items):
            source, quote = item.get("source"), item.get("quote")
            if isinstance(source, str) and isinstance(quote, str) and quote.strip():
                message = library.check(source, quote)
                if message:
                    field = "quote" if library.document(source) else "source"
                    problems.append(doc.problem((*path, i, field), message))
    for path in _source_files(doc.data):
        name = doc.data
        for part in path:
            name = name[part]
        if library.document(name) is None:
            choices = ", ".join(library.names()) or "none"
            message = f"source {name!r} is not a document in seeds/ (present: {choices})"
            problems.append(doc.problem(path, message))
    return problems


def _source_files(data: dict[str, Any]) -> Iterator[Path_]:
    source = data.get("source")
    if isinstance(source, dict) and isinstance(source.get("file"), str):
        yield ("source", "file")
    for i, option in _items(data.get("options")):
        source = option.get("source")
        if isinstance(source, dict) and isinstance(source.get("file"), str):
            yield ("options", i, "source", "file")
    conclusion = data.get("conclusion")
    if isinstance(conclusion, dict) and isinstance(conclusion.get("source"), str):
        yield ("conclusion", "source")


# --- across files ---------------------------------------------------------------------------


def _leaf_index(sets: Sequence[CriteriaSet]) -> dict[str, Criterion]:
    return {leaf.id: leaf for cset in sets for leaf in cset.leaves()}


def scores_against_sets(
    doc: Document,
    sets: Sequence[CriteriaSet],
    also_known: Sequence[CriteriaSet] = (),
) -> list[Problem]:
    """Unknown criterion ids, missing scores per set, and values off the criterion's scale.

    Every leaf of ``sets`` must be scored; a score may also be for a leaf of a set in
    ``also_known`` (a scenario file is scored on every bundled set at once). Runs on
    the raw data, so these problems show beside any type errors in the same file.
    """
    leaves = _leaf_index([*also_known, *sets])
    known = ", ".join(leaves)
    problems: list[Problem] = []
    for i, option in _items(doc.data.get("options")):
        scores = option.get("scores")
        if not isinstance(scores, dict):
            continue
        for key, score in scores.items():
            here = ("options", i, "scores", key)
            leaf = leaves.get(key)
            if leaf is None:
                message = f"unknown criterion {key!r}; criteria that can be scored: {known}"
                problems.append(doc.problem(here, message))
            elif leaf.scale is not None and isinstance(score, dict):
                problems += _on_scale(doc, leaf, score, here)
        for cset in sets:
            missing = [leaf.id for leaf in cset.leaves() if leaf.id not in scores]
            if missing:
                message = (
                    f"option {option.get('id')!r} has no score for "
                    f"{', '.join(map(repr, missing))} (criteria set {cset.id!r})"
                )
                problems.append(doc.problem(("options", i, "scores"), message))
    return problems + _considerations_against_sets(doc, [*also_known, *sets])


def _considerations_against_sets(doc: Document, sets: Sequence[CriteriaSet]) -> list[Problem]:
    """A conclusion's consideration must name a criterion that exists (leaf or parent)."""
    conclusion = doc.data.get("conclusion")
    if not isinstance(conclusion, dict):
        return []
    known = {c.id for cset in sets for c in cset.walk()}
    problems = []
    for j, item in _items(conclusion.get("considerations")):
        criterion = item.get("criterion")
        if isinstance(criterion, str) and criterion not in known:
            message = (
                f"unknown criterion {criterion!r}; criteria in the sets: {', '.join(sorted(known))}"
            )
            problems.append(doc.problem(("conclusion", "considerations", j, "criterion"), message))
    return problems


def _on_scale(doc: Document, leaf: Criterion, score: dict[str, Any], here: Path_) -> list[Problem]:
    assert leaf.scale is not None
    lo, hi = leaf.scale.min, leaf.scale.max
    points = [("value", score.get("value"))]
    bounds = score.get("range")
    if isinstance(bounds, list):
        points += [("range", b) for b in bounds]
    return [
        doc.problem(
            (*here, name), f"{x:g} is off the scale {lo:g}..{hi:g} of criterion {leaf.id!r}"
        )
        for name, x in points
        if _is_number(x) and math.isfinite(x) and not lo <= x <= hi
    ]


def sets_agree(doc: Document, cset: CriteriaSet, earlier: Sequence[CriteriaSet]) -> list[Problem]:
    """A leaf id shared with another set must mean the same: same direction and scale."""
    problems = []
    known = _leaf_index(earlier)
    for leaf in cset.leaves():
        other = known.get(leaf.id)
        if other is None:
            continue
        if (other.direction, other.scale and (other.scale.min, other.scale.max)) != (
            leaf.direction,
            leaf.scale and (leaf.scale.min, leaf.scale.max),
        ):
            message = f"criterion {leaf.id!r} has another direction or scale in another set"
            problems.append(doc.problem(("criteria",), message))
    return problems
