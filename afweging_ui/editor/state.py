"""What the editor's parts share: the case library, the link's access, the draft, the links.

The library is one :class:`~afweging.casebook.store.CaseLibrary` per process and database
location, on the workshop's database (``$AFWEGING_DATABASE_URL``, else the SQLite file under
``$AFWEGING_DATA_DIR``), so a saved case is found by every process of the server.

The page's own query carries the case and its key (``?case_id=...&key=...``): a reload keeps
the case open, and the database, not the browser, holds what was saved. The draft (what was
changed since the last save, of the case and of its criteria set) lives in the browser
session only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote, urlsplit, urlunsplit

import streamlit as st

from afweging.casebook.store import CaseLibrary
from afweging.model import Lang
from afweging.workshop.store import store_location
from afweging_ui.editor import criteria_draft, draft

PATH: Final = "casus-bewerken"
DRAFT: Final = "ed_draft"
#: Bumped whenever the draft changes other than through the grid, so the grid's own
#: pending edits (kept by Streamlit per widget) never overwrite a newer value.
REVISION: Final = "ed_rev"
_MAX_ID: Final = 24
_MAX_KEY: Final = 200
_LOCK = threading.Lock()
_LIBRARIES: dict[str, CaseLibrary] = {}


def library() -> CaseLibrary:
    """The process's case library for the current database location."""
    location = store_location()
    with _LOCK:
        if location not in _LIBRARIES:
            _LIBRARIES[location] = CaseLibrary(location)
        return _LIBRARIES[location]


def lang() -> Lang:
    """The interface language chosen in the sidebar."""
    return "en" if st.session_state.get("lang") == "en" else "nl"


@dataclass(frozen=True)
class Access:
    """The case the link opens and what its key allows."""

    case_id: str
    key: str
    can_edit: bool
    version: int | None  # an old version opened to read; None: the latest (the draft)

    @property
    def editing(self) -> bool:
        """Whether widgets change the draft (the edit key, on the latest version)."""
        return self.can_edit and self.version is None


def link_query() -> tuple[str, str, int | None]:
    """(case id, key, version) from the page's query, bounded; '' when absent."""
    case_id = str(st.query_params.get("case_id", ""))[:_MAX_ID]
    key = str(st.query_params.get("key", ""))[:_MAX_KEY]
    raw = str(st.query_params.get("version", ""))
    version = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else None
    return case_id, key, version


def base_url() -> str:
    """The app's address without the page, from the browser's URL; '' when unknown."""
    try:
        url = st.context.url
    except Exception:  # no browser context (tests)
        return ""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + PATH) or path == PATH:
        path = path[: -len(PATH)].rstrip("/")
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


def case_url(case_id: str, key: str) -> str:
    """The link that opens a case with ``key`` (the edit key or the view key)."""
    return f"{base_url()}/{PATH}?case_id={quote(case_id)}&key={quote(key)}"


def current(case_id: str) -> dict[str, Any] | None:
    """The session's draft of ``case_id``: {"case", "base" (the version it started from),
    "data", "saved" (the text of that version's data), "criteria" (the criteria set's
    data), "criteria_saved" (the text of that version's set)}; None when not loaded."""
    found = st.session_state.get(DRAFT)
    return found if isinstance(found, dict) and found.get("case") == case_id else None


def start(
    case_id: str, base: int, data: draft.Data, criteria: criteria_draft.Data | None = None
) -> dict[str, Any]:
    """Hold ``data`` and ``criteria`` (a saved version's) as the session's draft of
    ``case_id``. Without ``criteria`` (a save of the case alone keeps the set it had), the
    draft's criteria and what was saved of them stay as they were."""
    held: dict[str, Any] = {"case": case_id, "base": base, "data": data, "saved": draft.dump(data)}
    before = current(case_id)
    if criteria is not None:
        held |= {"criteria": criteria, "criteria_saved": criteria_draft.dump(criteria)}
    elif before is not None and isinstance(before.get("criteria"), dict):
        held |= {"criteria": before["criteria"], "criteria_saved": before["criteria_saved"]}
    st.session_state[DRAFT] = held
    changed()
    return held


def criteria_yaml(held: dict[str, Any]) -> str | None:
    """The draft's criteria set as text when it differs from the saved one, else None (the
    library then keeps the saved text as it is, comments and all)."""
    data = held.get("criteria")
    if not isinstance(data, dict):
        return None
    text = criteria_draft.dump(data)
    return None if text == held.get("criteria_saved") else text


def changed() -> None:
    """The draft changed outside the grid: the grid starts again from it."""
    st.session_state[REVISION] = int(st.session_state.get(REVISION, 0)) + 1


def revision() -> int:
    return int(st.session_state.get(REVISION, 0))
