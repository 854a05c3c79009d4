"""What the facilitator's and projector's pages share: the store, keys, the session's data, links.

The store is the process's one :func:`~afweging.workshop.store.shared_store`, so
the Streamlit pages and the phones' plain routes write through the same store
(one lock for SQLite writers), and a test that points ``AFWEGING_DATA_DIR``
elsewhere gets a store of its own.

The facilitator key never stays in the address bar: the server turns a control
link (``/workshop?code=...&key=...``) into an HttpOnly cookie and redirects to
``/workshop?code=...`` (see :mod:`afweging_ui.server`); the page reads the key from that
cookie, or from this browser session right after creating a session.
"""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import quote, urlsplit, urlunsplit

import segno
import streamlit as st

from afweging.casebook.linked import SavedModels, SavedVersion, version_label
from afweging.matrix import Matrix, build_matrix
from afweging.model import Case, CriteriaSet, Lang
from afweging.workshop import Session, WorkshopStore
from afweging.workshop.picture import GroupPicture, weighable_criteria
from afweging.workshop.store import shared_store
from afweging_ui.data import bundled
from afweging_ui.i18n import t
from afweging_ui.style import MemoContext

JOIN_PATH = "deelnemen"
FACILITATOR_PATH = "workshop"
KEY_COOKIE_PREFIX = "afweging_key_"
KEYS = "ws_keys"
_CODE = re.compile(r"^[A-Z0-9]{1,16}$")


def store() -> WorkshopStore:
    """The process's workshop store (``$AFWEGING_DATABASE_URL``, else SQLite under
    ``$AFWEGING_DATA_DIR``)."""
    return shared_store()


def key_cookie(code: str) -> str:
    """The name of the cookie that holds a session's facilitator key in this browser."""
    return KEY_COOKIE_PREFIX + code


def remember_key(code: str, key: str) -> None:
    """Keep a facilitator key in this browser session (never in the address bar)."""
    st.session_state.setdefault(KEYS, {})[code] = key


def facilitator_key(code: str) -> str:
    """The facilitator key for ``code`` this browser holds: from the address (moved into
    the session at once), the session, or the server-set cookie; '' when none."""
    typed = st.query_params.get("key", "")
    if typed:
        remember_key(code, typed)
        del st.query_params["key"]
    held = st.session_state.get(KEYS, {}).get(code)
    if held:
        return str(held)
    if not _CODE.match(code):
        return ""
    try:
        cookies = st.context.cookies
    except Exception:  # no browser context (tests, bare runs)
        return ""
    return str(cookies.get(key_cookie(code), "") or "")


def lang() -> Lang:
    """The interface language chosen in the sidebar."""
    return "en" if st.session_state.get("lang") == "en" else "nl"


#: Saved versions of the case library that workshop sessions are about, read once each.
SAVED = SavedModels()


def saved_models(case_id: str, number: int) -> SavedVersion | None:
    """A saved version's models (see :class:`~afweging.casebook.linked.SavedModels`), from
    the case library on this process's database; None when it is gone or has problems."""
    from afweging_ui.editor.state import library

    return SAVED.get(library(), case_id, number)


def session_models(session: Session) -> tuple[Case, CriteriaSet] | None:
    """The session's case and criteria set: a saved case's version, or the bundled ones."""
    if session.library_case is not None:
        saved = saved_models(*session.library_case)
        return None if saved is None else (saved.case, saved.criteria_set)
    bundle, _ = bundled()
    try:
        return bundle.case(session.case_id), bundle.criteria_set(session.criteria_set_id)
    except (KeyError, StopIteration):
        return None


def data_version(session: Session, language: Lang) -> str:
    """The data version the session's charts and report state: for a saved case its id and
    version (:func:`~afweging.casebook.linked.version_label`), else the bundled data's."""
    if session.library_case is not None:
        saved = saved_models(*session.library_case)
        case_id, number = session.library_case
        return version_label(case_id, number, saved.data_version if saved else "?", language)
    return bundled()[0].version


def session_matrix(session: Session) -> Matrix | None:
    """The session's case on its criteria set, or None when the data no longer holds them."""
    models = session_models(session)
    if models is None:
        return None
    case, cset = models
    try:
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
    """The facilitator's own control link; carries the secret key (never shown in full)."""
    return f"{base_url()}/{FACILITATOR_PATH}?code={quote(code)}&key={quote(key)}"


def projector_url(code: str, viewer: str) -> str:
    """The read-only projector link: the live picture, no buttons, no downloads."""
    return f"{base_url()}/{FACILITATOR_PATH}?code={quote(code)}&view={quote(viewer)}"


@st.cache_data(show_spinner=False, max_entries=64)
def qr_png(text: str) -> bytes:
    """A QR code as PNG bytes (shown with st.image, never as HTML)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()
