"""A case draft as the editor holds it: the case file's data (a plain dict), changed in place.

The editor changes the data a user sees, then writes it back as YAML for the case
library to check and save, so what is saved is exactly a content file
(:mod:`afweging.casebook.checking`) and every rule of the validator applies to it.
Nothing here imports Streamlit: the page calls these functions and tests can too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import yaml

from afweging.errors import Problem, by_place
from afweging.yamlfile import parse

Data = dict[str, Any]
#: (option index, leaf criterion id or None for the option as a whole).
Cell = tuple[int, str | None]

_OPTION_PATH: Final = re.compile(r"^options\[(\d+)\](?:\.scores(?:\.([a-z0-9_\-]+))?)?")
_SLUG: Final = re.compile(r"[^a-z0-9]+")


def load(text: str, name: str = "case.yaml") -> Data:
    """The data of a saved case text, read by the content files' safe parser (InvalidData
    when it cannot be read)."""
    return dict(parse(text.encode("utf-8"), name).data)


def dump(data: Data) -> str:
    """The draft as YAML text, in its own key order (as the library's copies are written)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def options(data: Data) -> list[dict[str, Any]]:
    """The draft's options (a list, made so when it is not one)."""
    found = data.get("options")
    if not isinstance(found, list):
        found = data["options"] = []
    return found


def _text(value: object, lang: str) -> str:
    return str(value.get(lang, "")) if isinstance(value, dict) else ""


def label(option: Mapping[str, Any], lang: str) -> str:
    """An option's label in ``lang``, else its id."""
    return _text(option.get("label"), lang) or str(option.get("id", "?"))


def choice(items: Sequence[Mapping[str, Any]], index: int, lang: str) -> str:
    """An option as a list shows it: its label (bundled labels carry their own numbers,
    '2a. ...'), with its place added only when another option has the same label."""
    name = label(items[index], lang)
    twins = sum(label(o, lang) == name for o in items)
    return f"{name} (#{index + 1})" if twins > 1 else name


def new_id(data: Data, wanted: str) -> str:
    """A valid id from ``wanted`` (lower case, a-z 0-9 and '-'), unused among the options."""
    base = _SLUG.sub("-", wanted.lower()).strip("-")[:40] or "optie"
    taken = {str(o.get("id")) for o in options(data) if isinstance(o, dict)}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def add_option(data: Data, label_nl: str, label_en: str) -> int:
    """Append a new, unscored option; its index."""
    items = options(data)
    items.append(
        {
            "id": new_id(data, label_nl),
            "label": {"nl": label_nl, "en": label_en},
            "summary": {"nl": label_nl, "en": label_en},
            "scores": {},
        }
    )
    return len(items) - 1


def set_texts(data: Data, index: int, field: str, nl: str, en: str) -> None:
    """Set an option's label or summary (``field``) in both languages."""
    options(data)[index][field] = {"nl": nl, "en": en}


def move(data: Data, index: int, step: int) -> int:
    """Move an option up (-1) or down (+1); its new index."""
    items = options(data)
    target = min(max(index + step, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    return target


def delete(data: Data, index: int) -> None:
    """Remove an option (its scores go with it)."""
    options(data).pop(index)


def score(data: Data, index: int, criterion: str) -> dict[str, Any] | None:
    """The score of an option on a criterion, or None when it has none."""
    scores = options(data)[index].get("scores")
    found = scores.get(criterion) if isinstance(scores, dict) else None
    return found if isinstance(found, dict) else None


def _score_for(data: Data, index: int, criterion: str) -> dict[str, Any]:
    """The cell's score, made (basis and empty rationale: the validator asks for them) when
    missing."""
    option = options(data)[index]
    if not isinstance(option.get("scores"), dict):
        option["scores"] = {}
    found = option["scores"].get(criterion)
    if not isinstance(found, dict):
        found = option["scores"][criterion] = {
            "basis": "afgeleid",
            "rationale": {"nl": "", "en": ""},
        }
    return found


def set_value(data: Data, index: int, criterion: str, value: float | None) -> None:
    """Set (or, with None, remove) a cell's value."""
    if value is None:
        found = score(data, index, criterion)
        if found is not None:
            found.pop("value", None)
        return
    found = _score_for(data, index, criterion)
    found["value"] = int(value) if float(value).is_integer() else float(value)


def set_cell(
    data: Data,
    index: int,
    criterion: str,
    *,
    value: float | None,
    basis: str,
    low: float | None,
    high: float | None,
    rationale_nl: str,
    rationale_en: str,
) -> None:
    """Set everything of a cell but its evidence; a range only when both ends are given."""
    set_value(data, index, criterion, value)
    found = _score_for(data, index, criterion)
    found["basis"] = basis
    if low is None or high is None:
        found.pop("range", None)
    else:
        found["range"] = [_number(low), _number(high)]
    found["rationale"] = {"nl": rationale_nl, "en": rationale_en}
    # Keep the file's usual order: value, range, basis, rationale, evidence.
    order = ("value", "range", "basis", "rationale", "evidence")
    ordered = {k: found[k] for k in order if k in found}
    ordered |= {k: v for k, v in found.items() if k not in ordered}
    found.clear()
    found.update(ordered)


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def attach(data: Data, index: int, criterion: str, source: str, quote: str) -> None:
    """Add a quote from a document as evidence to a cell (once)."""
    found = _score_for(data, index, criterion)
    evidence = found.setdefault("evidence", [])
    item = {"source": source, "quote": quote}
    if item not in evidence:
        evidence.append(item)


def detach(data: Data, index: int, criterion: str, position: int) -> None:
    """Remove a cell's evidence item at ``position``."""
    found = score(data, index, criterion)
    if found and isinstance(found.get("evidence"), list):
        found["evidence"].pop(position)
        if not found["evidence"]:
            del found["evidence"]


def cell_of(problem: Problem) -> Cell | None:
    """The cell a problem of the case file concerns: (option index, criterion or None), or
    None for a problem elsewhere (the case's label, its conclusion, the criteria set)."""
    if not problem.file.startswith("scenarios/"):
        return None
    found = _OPTION_PATH.match(problem.path)
    if found is None:
        return None
    return int(found.group(1)), found.group(2)


def by_cell(problems: Sequence[Problem]) -> tuple[dict[Cell, list[Problem]], list[Problem]]:
    """Problems sorted to their cells, and the rest."""
    return by_place(problems, cell_of)


__all__ = [
    "Cell",
    "Data",
    "add_option",
    "attach",
    "by_cell",
    "cell_of",
    "delete",
    "detach",
    "dump",
    "label",
    "load",
    "move",
    "new_id",
    "options",
    "score",
    "set_cell",
    "set_texts",
    "set_value",
]
