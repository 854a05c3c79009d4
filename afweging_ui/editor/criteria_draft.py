"""A criteria set as the editor holds it: the set file's data (a plain dict), changed in place.

The same idea as :mod:`afweging_ui.editor.draft` for the case: the editor changes the data
a user sees, writes it back as YAML, and the case library checks it as a content file
(:mod:`afweging.casebook.checking`), so every rule of the validator applies to it and a
problem is named by its path (``criteria[0].criteria[1].scale.max``).

A criterion is addressed by its position: ``(i,)`` for a top-level criterion, ``(i, j)``
for the ``j``-th child of the ``i``-th (the editor's value trees have two levels).
Nothing here imports Streamlit: the page calls these functions and tests can too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

import yaml
from pydantic import ValidationError

from afweging.errors import Problem, by_place
from afweging.model import CriteriaSet
from afweging.yamlfile import parse

Data = dict[str, Any]
Pos = tuple[int, ...]

DIRECTIONS: Final = ("higher_is_better", "lower_is_better")
#: A new leaf's scale and direction: the bundled sets' five-point scale, higher is better.
NEW_SCALE: Final = (1, 5)
_PATH: Final = re.compile(r"^criteria\[(\d+)\](?:\.criteria\[(\d+)\])?")
_SLUG: Final = re.compile(r"[^a-z0-9]+")


def load(text: str, name: str = "criteria.yaml") -> Data:
    """The data of a criteria set's text, read by the content files' safe parser
    (InvalidData when it cannot be read)."""
    return dict(parse(text.encode("utf-8"), name).data)


def dump(data: Data) -> str:
    """The set as YAML text, in its own key order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def model(data: Data) -> CriteriaSet | None:
    """The set as a model (the grid's columns), or None when its shape is wrong (the
    validator names why)."""
    try:
        return CriteriaSet.model_validate(data)
    except (ValidationError, ValueError):
        return None


def _list(holder: dict[str, Any]) -> list[Any]:
    found = holder.get("criteria")
    if not isinstance(found, list):
        found = holder["criteria"] = []
    return found


def top(data: Data) -> list[dict[str, Any]]:
    """The top-level criteria (a list, made so when it is not one)."""
    return _list(data)


def children(criterion: dict[str, Any]) -> list[dict[str, Any]]:
    """A criterion's sub-criteria ([] for a leaf; nothing is added to it)."""
    found = criterion.get("criteria")
    return found if isinstance(found, list) else []


def is_parent(criterion: dict[str, Any]) -> bool:
    return "criteria" in criterion and criterion["criteria"] is not None


def get(data: Data, pos: Pos) -> dict[str, Any]:
    """The criterion at ``pos``."""
    found = top(data)[pos[0]]
    if len(pos) > 1:
        found = children(found)[pos[1]]
    return found if isinstance(found, dict) else {}


def siblings(data: Data, pos: Pos) -> list[Any]:
    """The list the criterion at ``pos`` stands in."""
    return top(data) if len(pos) == 1 else children(top(data)[pos[0]])


def entries(data: Data) -> list[tuple[Pos, dict[str, Any]]]:
    """Every criterion in tree order, with its position (two levels)."""
    found: list[tuple[Pos, dict[str, Any]]] = []
    for i, item in enumerate(top(data)):
        if not isinstance(item, dict):
            continue
        found.append(((i,), item))
        for j, child in enumerate(children(item)):
            if isinstance(child, dict):
                found.append(((i, j), child))
    return found


def path_of(pos: Pos) -> str:
    """'criteria[1].criteria[0]': the criterion's path, as problems name it."""
    return ".".join(f"criteria[{i}]" for i in pos)


def text(value: object, lang: str) -> str:
    return str(value.get(lang, "")) if isinstance(value, dict) else ""


def label(criterion: dict[str, Any], lang: str) -> str:
    """A criterion's label in ``lang``, else its id."""
    return text(criterion.get("label"), lang) or str(criterion.get("id", "?"))


def ids(data: Data) -> set[str]:
    return {str(c.get("id")) for _, c in entries(data)}


def leaf_ids(data: Data) -> list[str]:
    """The ids of the leaves (the criteria options are scored on), in tree order."""
    return [str(c.get("id")) for _, c in entries(data) if not is_parent(c)]


def new_id(data: Data, wanted: str, taken: set[str] | None = None) -> str:
    """A valid id from ``wanted`` (lower case, a-z 0-9 and '_'), unused in the set."""
    base = _SLUG.sub("_", wanted.lower()).strip("_")[:40] or "criterium"
    used = ids(data) if taken is None else taken
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def set_name(data: Data, nl: str, en: str) -> None:
    """The set's name in Dutch and English."""
    data["label"] = {"nl": nl, "en": en}


def _leaf(criterion_id: str, nl: str, en: str) -> dict[str, Any]:
    lo, hi = NEW_SCALE
    return {
        "id": criterion_id,
        "label": {"nl": nl, "en": en},
        "direction": DIRECTIONS[0],
        "scale": {"min": lo, "max": hi},
        "default_weight": 1,
    }


def add(data: Data, label_nl: str, label_en: str, parent: int | None = None) -> Pos:
    """A new leaf (scale 1-5, higher is better, weight 1) at the top or under the top-level
    criterion ``parent``; its position. A leaf that gets its first child becomes a parent:
    its direction and scale go (a parent has none) and scores on it become problems of
    the case, named by the validator."""
    item = _leaf(new_id(data, label_nl), label_nl, label_en)
    if parent is None:
        items = top(data)
        items.append(item)
        return (len(items) - 1,)
    holder = top(data)[parent]
    if not is_parent(holder):
        for name in ("direction", "scale"):
            holder.pop(name, None)
        holder["criteria"] = []
    kids = _list(holder)
    kids.append(item)
    return (parent, len(kids) - 1)


def set_texts(
    data: Data, pos: Pos, label_nl: str, label_en: str, desc_nl: str, desc_en: str
) -> None:
    """A criterion's label and description in both languages (no description when both
    are empty)."""
    criterion = get(data, pos)
    criterion["label"] = {"nl": label_nl, "en": label_en}
    if desc_nl.strip() or desc_en.strip():
        criterion["description"] = {"nl": desc_nl, "en": desc_en}
    else:
        criterion.pop("description", None)
    _order(criterion)


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def set_weight(data: Data, pos: Pos, weight: float) -> None:
    """A criterion's default weight (its share among its siblings)."""
    get(data, pos)["default_weight"] = _number(weight)
    _order(get(data, pos))


def set_scale(data: Data, pos: Pos, direction: str, low: float, high: float) -> None:
    """A leaf's direction and scale ends; its level descriptors and labels are kept (one
    off the new scale is the validator's to name)."""
    criterion = get(data, pos)
    criterion["direction"] = direction
    found = criterion.get("scale")
    rest = (
        {k: v for k, v in found.items() if k not in ("min", "max")}
        if isinstance(found, dict)
        else {}
    )
    criterion["scale"] = {"min": _number(low), "max": _number(high), **rest}
    _order(criterion)


def levels(data: Data, pos: Pos) -> list[dict[str, Any]]:
    """A leaf's levels as rows: {"level", "label", "nl", "en"}, by level."""
    scale = get(data, pos).get("scale")
    if not isinstance(scale, dict):
        return []
    found, named = scale.get("levels"), scale.get("labels")
    described: dict[Any, Any] = found if isinstance(found, dict) else {}
    short: dict[Any, Any] = named if isinstance(named, dict) else {}
    keys = sorted({*described, *short}, key=_level_order)
    return [
        {
            "level": k,
            "label": str(short.get(k, "")),
            "nl": text(described.get(k), "nl"),
            "en": text(described.get(k), "en"),
        }
        for k in keys
    ]


def _level_order(key: object) -> tuple[int, float, str]:
    if isinstance(key, int | float) and not isinstance(key, bool):
        return (0, float(key), "")
    return (1, 0.0, str(key))


def set_levels(data: Data, pos: Pos, rows: Sequence[dict[str, Any]]) -> None:
    """A leaf's level descriptors (level -> text in Dutch and English) and short labels
    from rows as :func:`levels` gives them. A row without a level is left out; a level
    with only one language is kept as typed (the validator names the missing text)."""
    criterion = get(data, pos)
    scale = criterion.get("scale")
    if not isinstance(scale, dict):
        scale = criterion["scale"] = {}
    described: dict[int | float, dict[str, str]] = {}
    short: dict[int | float, str] = {}
    for row in rows:
        level = row.get("level")
        if isinstance(level, bool) or not isinstance(level, int | float) or level != level:
            continue
        key = _number(level)
        nl, en = str(row.get("nl") or ""), str(row.get("en") or "")
        if nl.strip() or en.strip():
            described[key] = {"nl": nl, "en": en}
        if str(row.get("label") or "").strip():
            short[key] = str(row["label"])
    scale.pop("labels", None)
    scale.pop("levels", None)
    if short:
        scale["labels"] = dict(sorted(short.items()))
    if described:
        scale["levels"] = dict(sorted(described.items()))


def edited_rows(rows: Sequence[dict[str, Any]], edits: dict[str, Any]) -> list[dict[str, Any]]:
    """``rows`` with a table editor's edits applied (Streamlit's ``edited_rows``,
    ``added_rows`` and ``deleted_rows``, as its widget state holds them)."""
    out = [dict(r) for r in rows]
    for index, values in (edits.get("edited_rows") or {}).items():
        if 0 <= int(index) < len(out):
            out[int(index)].update(values)
    gone = {int(i) for i in edits.get("deleted_rows") or []}
    out = [r for i, r in enumerate(out) if i not in gone]
    out += [dict(r) for r in edits.get("added_rows") or []]
    return out


def move(data: Data, pos: Pos, step: int) -> Pos:
    """Move a criterion up (-1) or down (+1) among its siblings; its new position."""
    items = siblings(data, pos)
    target = min(max(pos[-1] + step, 0), len(items) - 1)
    items.insert(target, items.pop(pos[-1]))
    return (*pos[:-1], target)


def delete(data: Data, pos: Pos) -> None:
    """Remove a criterion (with its sub-criteria). The case's scores on it stay: the
    validator names each as a score on an unknown criterion (or drop them with
    :func:`drop_scores`). A parent left without children becomes a leaf again (scale 1-5,
    higher is better), so the set stays a value tree."""
    siblings(data, pos).pop(pos[-1])
    if len(pos) > 1:
        parent = top(data)[pos[0]]
        if not children(parent):
            parent.pop("criteria", None)
            lo, hi = NEW_SCALE
            parent.setdefault("direction", DIRECTIONS[0])
            parent.setdefault("scale", {"min": lo, "max": hi})
            _order(parent)


def rename(data: Data, case: Data, pos: Pos, wanted: str) -> str:
    """Give a criterion a new id (made valid and unused); the case's scores and a
    conclusion's considerations on the old id move with it. The id it got."""
    criterion = get(data, pos)
    old = str(criterion.get("id"))
    new = new_id(data, wanted, ids(data) - {old})
    if new == old:
        return old
    criterion["id"] = new
    for option in case.get("options") or []:
        scores = option.get("scores") if isinstance(option, dict) else None
        if isinstance(scores, dict) and old in scores:
            option["scores"] = {(new if k == old else k): v for k, v in scores.items()}
    conclusion = case.get("conclusion")
    if isinstance(conclusion, dict):
        for item in conclusion.get("considerations") or []:
            if isinstance(item, dict) and item.get("criterion") == old:
                item["criterion"] = new
    return new


def stray_scores(case: Data, data: Data) -> dict[str, int]:
    """Scores of the case on criteria that are not leaves of the set: how many per id."""
    leaves = set(leaf_ids(data))
    found: dict[str, int] = {}
    for option in case.get("options") or []:
        scores = option.get("scores") if isinstance(option, dict) else None
        if isinstance(scores, dict):
            for key in scores:
                if key not in leaves:
                    found[str(key)] = found.get(str(key), 0) + 1
    return found


def drop_scores(case: Data, data: Data) -> int:
    """Remove the case's scores on criteria that are not leaves of the set; how many."""
    leaves = set(leaf_ids(data))
    dropped = 0
    for option in case.get("options") or []:
        scores = option.get("scores") if isinstance(option, dict) else None
        if isinstance(scores, dict):
            stray = [k for k in scores if k not in leaves]
            dropped += len(stray)
            option["scores"] = {k: v for k, v in scores.items() if k in leaves}
    return dropped


def pos_of(problem: Problem) -> Pos | None:
    """The criterion a problem of the criteria file concerns, or None for a problem of the
    set as a whole (its name, its list of criteria) or of another file."""
    if not problem.file.startswith("criteria/"):
        return None
    found = _PATH.match(problem.path)
    if found is None:
        return None
    first, second = found.groups()
    return (int(first),) if second is None else (int(first), int(second))


def by_criterion(problems: Sequence[Problem]) -> tuple[dict[Pos, list[Problem]], list[Problem]]:
    """The criteria file's problems sorted to their criteria, and those of the set as a
    whole; problems of other files are left out."""
    return by_place((p for p in problems if p.file.startswith("criteria/")), pos_of)


def _order(criterion: dict[str, Any]) -> None:
    """Keep a file's usual order: id, label, description, direction, scale, weight, ..."""
    order = ("id", "label", "description", "direction", "scale", "default_weight")
    ordered = {k: criterion[k] for k in order if k in criterion}
    ordered |= {k: v for k, v in criterion.items() if k not in ordered}
    criterion.clear()
    criterion.update(ordered)


__all__ = [
    "DIRECTIONS",
    "Data",
    "Pos",
    "add",
    "by_criterion",
    "children",
    "delete",
    "drop_scores",
    "dump",
    "edited_rows",
    "entries",
    "get",
    "is_parent",
    "label",
    "leaf_ids",
    "levels",
    "load",
    "model",
    "move",
    "new_id",
    "path_of",
    "pos_of",
    "rename",
    "set_levels",
    "set_name",
    "set_scale",
    "set_texts",
    "set_weight",
    "siblings",
    "stray_scores",
    "top",
]
