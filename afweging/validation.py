"""Checking criteria and scenario files, reporting every problem at once.

Shape and types are checked by the pydantic models; meaning (duplicate ids,
ranges, scales, scores against criteria sets, quotes against the sources) is
checked here on the raw data, so a type error in one place never hides a
problem in another.
"""

from __future__ import annotations

import math
import re
import sys
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any, TypeGuard, cast

from pydantic import BaseModel, ValidationError

from afweging.errors import Param, Problem, format_path
from afweging.model import LANGS, CriteriaSet, Criterion, Text
from afweging.sources import SourceLibrary
from afweging.yamlfile import MAX_NUMBER, Document, Path_

# --- pydantic errors in plain words -------------------------------------------------------


def _is_number(x: Any) -> TypeGuard[int | float]:
    """A number the checks can compare as a float: an int too large for one is not
    (the models refuse it); comparing it would raise OverflowError."""
    if not isinstance(x, int | float) or isinstance(x, bool):
        return False
    return isinstance(x, float) or abs(x) <= _LARGEST_FLOAT


_LARGEST_FLOAT = int(sys.float_info.max)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _given(value: Any) -> Param:
    """A value found in a file, as a problem parameter: numbers stay numbers (each
    language writes them its own way), text is quoted, anything else is a short sign."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list | tuple):
        return "[…]"
    return _shown(value)


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


#: pydantic error types -> (our code, the kind of value expected for ``wrong_type``).
_TYPE_ERRORS: dict[str, tuple[str, str | None]] = {
    "float_type": ("not_number", None),
    "int_type": ("not_number", None),
    "float_parsing": ("not_number", None),
    "int_parsing": ("not_number", None),
    "int_from_float": ("not_number", None),
    "finite_number": ("not_finite", None),
    "string_pattern_mismatch": ("bad_id", None),
    "greater_than_equal": ("negative_weight", None),
    "model_type": ("wrong_type", "mapping"),
    "model_attributes_type": ("wrong_type", "mapping"),
    "dict_type": ("wrong_type", "mapping"),
    "list_type": ("wrong_type", "list"),
    "tuple_type": ("wrong_type", "list"),
    "string_type": ("wrong_type", "text"),
    "bool_type": ("wrong_type", "boolean"),
    "bool_parsing": ("wrong_type", "boolean"),
}


def _code(root: type[BaseModel], error: Any) -> tuple[str, dict[str, Param]]:
    """A pydantic error as a problem code and its parameters."""
    kind, value, loc = error["type"], error.get("input"), error["loc"]
    ctx = error.get("ctx") or {}
    last = next((str(p) for p in reversed(loc) if p != "[key]"), "")
    if kind == "missing":
        if last in LANGS and _model_at(root, loc[:-1]) is Text:
            return "missing_text", {"field": last, "kind": last}
        return "missing_field", {"field": last}
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = ", ".join(model.model_fields) if model else "-"
        return "unknown_field", {"field": last, "allowed": allowed}
    if kind in _TYPE_ERRORS:
        code, expected = _TYPE_ERRORS[kind]
        params: dict[str, Param] = {"given": _given(value)}
        if expected is not None:
            params["kind"] = expected
        return code, params
    if kind == "string_too_short":
        return "empty_text", {}
    if kind == "string_too_long":
        count = len(value) if isinstance(value, str) else 0
        return "text_too_long", {"max": int(ctx.get("max_length", 0)), "count": count}
    if kind in {"too_short", "too_long"}:
        count = int(ctx.get("actual_length", 0))
        if kind == "too_short":
            return "too_few_items", {"min": int(ctx.get("min_length", 0)), "count": count}
        return "too_many_items", {"max": int(ctx.get("max_length", 0)), "count": count}
    if kind in {"literal_error", "enum"}:
        expected_text = str(ctx.get("expected", ""))
        choices = ", ".join(f"'{c}'" for c in re.findall(r"'([^']*)'", expected_text))
        return "not_allowed_value", {
            "expected": expected_text,
            "choices": choices or expected_text,
            "given": _given(value),
        }
    return "invalid_value", {"detail": str(error["msg"]), "given": _given(value)}


def model_problems(doc: Document, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate the document against a model: the instance, or None and the problems."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if p != "[key]")
            code, params = _code(model, error)
            problems.append(doc.problem(loc, code, **params))
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
        return [doc.problem((*path, "id"), "duplicate_id", id=item_id, first=first)]
    found[item_id] = path
    return []


def _scale_problems(doc: Document, scale: Any, path: Path_) -> list[Problem]:
    if not isinstance(scale, dict):
        return []
    lo, hi = scale.get("min"), scale.get("max")
    if not (_is_number(lo) and _is_number(hi)):
        return []
    too_large = [
        doc.problem((*path, name), "number_too_large", given=x, limit=MAX_NUMBER)
        for name, x in (("min", lo), ("max", hi))
        if math.isfinite(x) and abs(x) > MAX_NUMBER
    ]
    if too_large:  # files cannot hold these (yamlfile refuses them); data built in code can
        return too_large
    if hi <= lo:
        return [doc.problem((*path, "max"), "scale_reversed", min=lo, max=hi)]
    problems = []
    for name in ("labels", "levels"):
        for key in scale.get(name) or {}:
            if _is_number(key) and not lo <= key <= hi:
                here = cast(Path_, (*path, name, key))  # a key may be a float too
                problems.append(doc.problem(here, "level_off_scale", level=key, min=lo, max=hi))
    return problems


def _criterion_problems(
    doc: Document, criteria: Any, path: Path_, found: dict[str, Path_]
) -> list[Problem]:
    problems: list[Problem] = []
    siblings = list(_items(criteria))
    weights = [c.get("default_weight", 1) for _, c in siblings]
    if siblings and all(_is_number(w) and w == 0 for w in weights):
        problems.append(doc.problem(path, "zero_weights"))
    for i, item in siblings:
        here = (*path, i)
        problems += _duplicates(doc, found, item.get("id"), here)
        children = item.get("criteria")
        if children is not None:
            if isinstance(children, list) and not children:
                problems.append(doc.problem((*here, "criteria"), "empty_parent"))
            for name in ("direction", "scale"):
                if name in item:
                    problems.append(doc.problem((*here, name), f"parent_with_{name}"))
            problems += _criterion_problems(doc, children, (*here, "criteria"), found)
        else:
            for name in ("direction", "scale"):
                if name not in item:
                    problems.append(doc.problem((*here, name), f"leaf_without_{name}"))
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
        return [doc.problem((*path, "range"), "range_reversed", low=lo, high=hi)]
    if _is_number(value) and math.isfinite(value) and not lo <= value <= hi:
        return [doc.problem((*path, "range"), "range_without_value", low=lo, high=hi, value=value)]
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
                choices = ", ".join(found) or "-"
                problems.append(
                    doc.problem(
                        ("conclusion", "prefers", j),
                        "unknown_option",
                        option=option_id,
                        choices=choices,
                    )
                )
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
            if isinstance(quote, str) and quote and not quote.strip():
                # Blank text occurs in every document; an empty quote the model refuses itself.
                problems.append(doc.problem((*path, i, "quote"), "empty_text"))
            elif isinstance(source, str) and isinstance(quote, str) and quote.strip():
                document = library.document(source)
                if document is None:
                    problems.append(_unknown_source(doc, library, (*path, i, "source"), source))
                elif not document.contains(quote):
                    shown = quote if len(quote) <= 80 else quote[:77] + "..."
                    problems.append(
                        doc.problem(
                            (*path, i, "quote"), "quote_not_found", source=source, quote=shown
                        )
                    )
    for path in _source_files(doc.data):
        name: Any = doc.data
        for part in path:
            name = name[part]
        if library.document(name) is None:
            problems.append(_unknown_source(doc, library, path, name))
    return problems


def _unknown_source(doc: Document, library: SourceLibrary, path: Path_, name: str) -> Problem:
    present = ", ".join(library.names()) or "-"
    return doc.problem(path, "unknown_source", source=name, present=present)


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
                problems.append(doc.problem(here, "unknown_criterion", criterion=key, known=known))
            elif leaf.scale is not None and isinstance(score, dict):
                problems += _on_scale(doc, leaf, score, here)
        for cset in sets:
            missing = [leaf.id for leaf in cset.leaves() if leaf.id not in scores]
            if missing:
                problems.append(
                    doc.problem(
                        ("options", i, "scores"),
                        "missing_score",
                        option=str(option.get("id")),
                        missing=", ".join(map(repr, missing)),
                        criteria_set=cset.id,
                    )
                )
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
            problems.append(
                doc.problem(
                    ("conclusion", "considerations", j, "criterion"),
                    "unknown_consideration",
                    criterion=criterion,
                    known=", ".join(sorted(known)),
                )
            )
    return problems


def _on_scale(doc: Document, leaf: Criterion, score: dict[str, Any], here: Path_) -> list[Problem]:
    assert leaf.scale is not None
    lo, hi = leaf.scale.min, leaf.scale.max
    points = [("value", score.get("value"))]
    bounds = score.get("range")
    if isinstance(bounds, list):
        points += [("range", b) for b in bounds]
    return [
        doc.problem((*here, name), "off_scale", value=x, min=lo, max=hi, criterion=leaf.id)
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
            problems.append(doc.problem(("criteria",), "sets_disagree", criterion=leaf.id))
    return problems
