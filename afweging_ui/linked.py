"""A saved case on every dashboard page: ``/?lib=<case id>&key=<view or edit key>[&v=<n>]``.

The link is resolved against the case library on the server's database
(:func:`afweging_ui.editor.state.library`), so it works in any browser and in any server
process reaching the same database. The version's case and criteria set join this
session's data like an upload (:class:`afweging_ui.data.Linked`, under ids of their own,
:mod:`afweging.casebook.linked`) and are selected; ``lib``, ``key`` and ``v`` (the
version, pinned once loaded) then stay in the URL beside the view on every page
(:func:`afweging_ui.controls.write_url`), so a copied address reproduces the view.

A wrong key or an unknown case gets one message that does not say which was wrong; a
database that cannot be reached gets a plain one; either way the dashboard stays on the
data it had. The key is never shown in full, and never logged.
"""

from __future__ import annotations

import logging
from typing import Final

import sqlalchemy as sa
import streamlit as st

from afweging.casebook.errors import AccessDenied, CaseLibraryError, CaseNotFound
from afweging.casebook.linked import CASE_ID, as_bundled
from afweging.casebook.records import StoredDocument
from afweging.casebook.store import CaseLibrary
from afweging.errors import InvalidData
from afweging.model import Lang
from afweging.sources import Part, SourceLibrary
from afweging.workshop import StoreUnavailable
from afweging_ui.controls import LINK_MISSING, OPTIONS_DRAFT, VIEW
from afweging_ui.data import LINKED, Linked, current_bundle, linked
from afweging_ui.i18n import t
from afweging_ui.state import View, from_query

_LOG = logging.getLogger("afweging")
#: The query parameters of a link to a saved case.
PARAMS: Final = ("lib", "key", "v")
#: The refusal of the last link, shown until the view changes: (text, view then).
REFUSED: Final = "linked_refused"
_MAX_KEY: Final = 200


def _library() -> CaseLibrary:
    from afweging_ui.editor.state import library

    return library()


def link_in_query() -> tuple[str, str, int | None] | None:
    """(case id, key, version) of the link in the address, bounded; None without ``lib``."""
    case_id = str(st.query_params.get("lib", ""))
    if not case_id:
        return None
    key = str(st.query_params.get("key", ""))[:_MAX_KEY]
    raw = str(st.query_params.get("v", ""))
    number = int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else None
    return case_id[:64], key, number


def combined_sources(documents: list[StoredDocument]) -> SourceLibrary:
    """The case's documents (titled, paged, as the library cites them) and the bundled
    seeds, in one library: every quote the session can show is cited by its document."""
    bundled = SourceLibrary()
    own = CaseLibrary.source_library(documents)
    texts: dict[str, str] = {}
    parts: dict[str, tuple[Part, ...]] = {}
    for name in bundled.names():
        doc = bundled.document(name)
        if doc is not None:
            texts[name], parts[name] = doc.text, bundled.parts(name)
    for d in documents:
        texts[d.source_name], parts[d.source_name] = d.text, own.parts(d.source_name)
    return SourceLibrary.from_texts(texts, parts)


def load(case_id: str, key: str, number: int | None) -> Linked:
    """The version (default: the latest) as this session's data. CaseNotFound or
    AccessDenied for a wrong link, InvalidData when the version has problems."""
    lib = _library()
    version = lib.latest(case_id, key) if number is None else lib.version(case_id, number, key)
    case, cset = as_bundled(*lib.models(case_id, key, version.number))
    documents = lib.documents(case_id, key)
    return Linked(
        case_id=case_id,
        key=key,
        number=version.number,
        data_version=version.data_version,
        case=case,
        criteria_set=cset,
        sources=combined_sources(documents),
        documents=tuple(d.source_name for d in documents),
    )


def open_link(lang: Lang) -> None:
    """Load the saved case the address names (once per link) and select it; on every run
    of the dashboard, before the view is read. Refusals are kept for :func:`show_refusal`."""
    found = link_in_query()
    if found is None:
        return
    case_id, key, number = found
    held = linked()
    if (
        held is not None
        and held.case_id == case_id
        and held.key == key
        and number in (None, held.number)
    ):
        return
    message = None
    try:
        if not CASE_ID.match(case_id):
            raise CaseNotFound("casebook_not_found")
        loaded = load(case_id, key, number)
    except CaseNotFound as exc:
        # Raised for a version only after the key was accepted: then it may say which.
        found_key = exc.key == "casebook_version_not_found"
        message = exc.text(lang) if found_key else t("lib_bad_link", lang)
    except AccessDenied:
        message = t("lib_bad_link", lang)
    except InvalidData:
        message = t("lib_has_problems", lang)
    except CaseLibraryError:
        message = t("lib_bad_link", lang)
    except (StoreUnavailable, sa.exc.SQLAlchemyError) as exc:
        _LOG.error("saved case link: database not available: %s", type(exc).__name__)
        message = t("lib_db_down", lang)
    if message is not None:
        for name in PARAMS:
            if name in st.query_params:
                del st.query_params[name]
        st.session_state[REFUSED] = (message, st.session_state.get(VIEW))
        return
    st.session_state.pop(REFUSED, None)
    st.session_state[LINKED] = loaded
    select(loaded, lang)


def select(loaded: Linked, lang: Lang) -> None:
    """Show the loaded case: the view in the link when it names this case (its options,
    weights, ...), else the case on its own criteria set with its default weights."""
    query = st.query_params.to_dict()
    if query.get("case") != loaded.case.id:
        query = {"case": loaded.case.id, "set": loaded.criteria_set.id, "lang": lang}
    st.session_state[VIEW] = from_query(query, current_bundle())
    st.session_state.pop(LINK_MISSING, None)
    st.session_state.pop(OPTIONS_DRAFT, None)


def show_refusal() -> None:
    """Say why the last link opened nothing, until the view is changed."""
    refused = st.session_state.get(REFUSED)
    if not refused:
        return
    message, then = refused
    now: View | None = st.session_state.get(VIEW)
    if then is not None and now is not None and now != then:
        st.session_state.pop(REFUSED, None)
        return
    if then is None and now is not None:  # the first run: remember the view it ends on
        st.session_state[REFUSED] = (message, now)
    st.error(message, icon=":material/link_off:")


def masked(link: str, key: str) -> str:
    """A link with its key shortened for the screen (the copy button copies it whole)."""
    return link.replace(key, "•" * 10) if key else link


__all__ = ["PARAMS", "REFUSED", "link_in_query", "load", "masked", "open_link", "show_refusal"]
