"""What both workshop pages share: the one store per process, the session's data, links.

The store is a :func:`st.cache_resource` keyed by the resolved database path, so
every browser session of a process shares one thread-safe
:class:`~afweging.workshop.WorkshopStore`, and a test that points
``AFWEGING_DATA_DIR`` elsewhere gets a store of its own.
"""

from __future__ import annotations

import io
import os
from datetime import date
from urllib.parse import quote, urlsplit, urlunsplit

import segno
import streamlit as st

from afweging.analysis import Matrix, build_matrix
from afweging.model import Lang
from afweging.workshop import Session, WorkshopStore
from afweging.workshop.limits import FailureLimiter
from afweging.workshop.store import default_store_path
from ui.data import bundled
from ui.i18n import t
from ui.style import MemoContext
from ui.workshop_model import GroupPicture, weighable_criteria

JOIN_PATH = "deelnemen"
FACILITATOR_PATH = "workshop"


@st.cache_resource(show_spinner=False)
def _store_at(url_or_path: str) -> WorkshopStore:
    return WorkshopStore(url_or_path)


def store() -> WorkshopStore:
    """The process's workshop store.

    ``$AFWEGING_DATABASE_URL`` (any SQLAlchemy URL, e.g. PostgreSQL) when set, else the
    SQLite file ``$AFWEGING_DATA_DIR/workshop.sqlite3``. The cache key is the resolved
    location, so a test pointing the variables elsewhere gets a store of its own.
    """
    url = os.environ.get("AFWEGING_DATABASE_URL", "").strip()
    return _store_at(url or str(default_store_path().expanduser().resolve()))


@st.cache_resource(show_spinner=False)
def _limiter_for(location: str) -> FailureLimiter:
    del location  # one limiter per store, so separate test stores do not share counts
    return FailureLimiter()


def join_limiter() -> FailureLimiter:
    """Counts failed join codes and tokens per client for this process's store."""
    url = os.environ.get("AFWEGING_DATABASE_URL", "").strip()
    return _limiter_for(url or str(default_store_path().expanduser().resolve()))


def client_id() -> str:
    """Who is asking, as far as the server can tell (the connection's IP address)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "local"


def lang() -> Lang:
    """The interface language chosen in the sidebar."""
    return "en" if st.session_state.get("lang") == "en" else "nl"


def session_matrix(session: Session) -> Matrix | None:
    """The session's case on its criteria set, or None when the data no longer holds them."""
    bundle, _ = bundled()
    try:
        case = bundle.case(session.case_id)
        cset = bundle.criteria_set(session.criteria_set_id)
        matrix = build_matrix(case, cset, session.option_ids)
    except (KeyError, StopIteration, ValueError):
        return None
    if tuple(c.id for c in weighable_criteria(cset)) != session.weighable_ids:
        return None
    return matrix


def labels(matrix: Matrix, language: Lang) -> dict[str, str]:
    """Option and criterion labels by id (from the bundled, trusted data files)."""
    out = {o.id: o.label.get(language) for o in matrix.options}
    out.update({c.id: c.label.get(language) for c in matrix.criteria_set.walk()})
    return out


def memo(picture: GroupPicture, language: Lang, version: str, round_no: int) -> MemoContext:
    """Chart captions: case, set, the group's mean weights, version, date, round."""
    names = labels(picture.matrix, language)
    return MemoContext(
        case_label=picture.matrix.case.label.get(language),
        set_label=picture.matrix.criteria_set.label.get(language),
        weights={names[c]: w for c, w in picture.mean_top().items()},
        version=version,
        day=date.today(),
        lang=language,
        method=t("ws_memo_method", language, n=picture.n, round=round_no),
    )


def base_url() -> str:
    """The app's address without the page, from the browser's URL; '' when unknown."""
    try:
        url = st.context.url
    except Exception:  # no browser context (tests, bare runs)
        return ""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    for page in (FACILITATOR_PATH, JOIN_PATH):
        if path.endswith("/" + page) or path == page:
            path = path[: -len(page)].rstrip("/")
            break
    return urlunsplit((parts.scheme, parts.netloc, path, "", "")).rstrip("/")


def join_url(code: str) -> str:
    """The link participants open (QR code and projector)."""
    return f"{base_url()}/{JOIN_PATH}?code={quote(code)}"


def facilitator_url(code: str, key: str) -> str:
    """The facilitator's own link; carries the secret key."""
    return f"{base_url()}/{FACILITATOR_PATH}?code={quote(code)}&key={quote(key)}"


@st.cache_data(show_spinner=False, max_entries=64)
def qr_png(text: str) -> bytes:
    """A QR code as PNG bytes (shown with st.image, never as HTML)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()
