"""A saved case of the case library shown beside the bundled content (dashboard, workshop).

A version's case and criteria set keep their own ids in the library (often those of a
bundled case they were copied from, such as ``g32`` on ``kern``). Beside the bundled
content they are given ids of their own (``lib-<id>``), so a saved copy never replaces
the bundled case or set it came from, and the URL's ``case=``/``set=`` name it apart.

The data version that captions, reports and workshop charts state names the saved case
and its version beside the short hash of its texts (:func:`version_label`), so a memo
leads back to exactly the text it was made from.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from afweging.casebook.errors import CaseNotFound
from afweging.errors import InvalidData
from afweging.model import Case, CriteriaSet, Lang

if TYPE_CHECKING:
    from afweging.casebook.store import CaseLibrary

PREFIX: Final = "lib-"
_MAX_ID: Final = 64
#: A library case id as the library hands them out (``secrets.token_urlsafe(12)``).
CASE_ID: Final = re.compile(r"^[A-Za-z0-9_-]{1,24}$")
#: A key as the library hands them out (edit: 43 characters, view: 32).
KEY: Final = re.compile(r"^[A-Za-z0-9_-]{16,200}$")


def bundle_id(own_id: str) -> str:
    """The id a saved case's (or set's) own id gets beside the bundled content."""
    return (PREFIX + own_id)[:_MAX_ID]


def as_bundled(case: Case, criteria_set: CriteriaSet) -> tuple[Case, CriteriaSet]:
    """The version's models under their ids beside the bundled content (see the module)."""
    return (
        case.model_copy(update={"id": bundle_id(case.id)}),
        criteria_set.model_copy(update={"id": bundle_id(criteria_set.id)}),
    )


def version_label(case_id: str, number: int, data_version: str, lang: Lang) -> str:
    """'casus <id> versie 3 · <hash>' ('case <id> version 3 · <hash>')."""
    word = ("casus", "versie") if lang == "nl" else ("case", "version")
    return f"{word[0]} {case_id} {word[1]} {number} · {data_version}"


def parse_link(text: str) -> tuple[str, str, int | None] | None:
    """(case id, key, version) from a pasted link to a saved case: the dashboard's
    (``?lib=..&key=..&v=..``) or the editor's (``?case_id=..&key=..&version=..``); None
    when it holds no case id and key of the right form. Nothing is looked up here."""
    from urllib.parse import parse_qs, urlsplit

    raw = text.strip()[:2000]
    query = urlsplit(raw).query if "?" in raw else raw
    params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items() if v}
    case_id = params.get("lib") or params.get("case_id") or ""
    key = params.get("key", "")
    if not CASE_ID.match(case_id) or not KEY.match(key):
        return None
    raw_v = params.get("v") or params.get("version") or ""
    number = int(raw_v) if raw_v.isdigit() and 0 < len(raw_v) < 7 and int(raw_v) > 0 else None
    return case_id, key, number


@dataclass(frozen=True)
class SavedVersion:
    """A saved version's models under their bundle ids, and its data version."""

    case: Case
    criteria_set: CriteriaSet
    data_version: str


class SavedModels:
    """The models of saved versions under their bundle ids, read and checked once each
    (a saved version never changes), for workshop sessions started on a saved case: a
    trusted read (:meth:`~afweging.casebook.store.CaseLibrary.version_models`), the key
    having been checked when the session was created. Thread-safe; a database error
    propagates (nothing is cached then)."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str, int], SavedVersion | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, library: CaseLibrary, case_id: str, number: int) -> SavedVersion | None:
        """Version ``number`` of ``case_id``; None when it is gone or has problems."""
        key = (id(library), case_id, number)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        try:
            case, cset, version = library.version_models(case_id, number)
            found: SavedVersion | None = SavedVersion(*as_bundled(case, cset), version)
        except (CaseNotFound, InvalidData):
            found = None
        with self._lock:
            self._items[key] = found
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found


__all__ = [
    "CASE_ID",
    "KEY",
    "PREFIX",
    "SavedModels",
    "SavedVersion",
    "as_bundled",
    "bundle_id",
    "parse_link",
    "version_label",
]
