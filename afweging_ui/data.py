"""Loading the data the dashboard shows: bundled files, cached, plus this session's uploads
and the saved case of the case library its link opened (:mod:`afweging_ui.linked`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import streamlit as st

from afweging.errors import Problem
from afweging.loading import Bundle, content_paths, files_signature, load_content, load_upload
from afweging.model import Case, CriteriaSet
from afweging.sources import SourceLibrary

UPLOADS = "uploads"
#: The saved case this session opened by a link (``?lib=..&key=..``): a :class:`Linked`.
LINKED = "linked_case"


@dataclass(frozen=True)
class Linked:
    """A version of a saved case, loaded for this session from the case library.

    ``case`` and ``criteria_set`` carry their ids beside the bundled content
    (:func:`afweging.casebook.linked.bundle_id`); ``sources`` cites both the case's own
    documents and the bundled ones; ``documents`` names the case's own, in order. The key
    stays on the server (and in the address bar that brought it): never shown in full.
    """

    case_id: str
    key: str
    number: int
    data_version: str
    case: Case
    criteria_set: CriteriaSet
    sources: SourceLibrary
    documents: tuple[str, ...]


def linked() -> Linked | None:
    """The saved case this session opened, if any."""
    found = st.session_state.get(LINKED)
    return found if isinstance(found, Linked) else None


def linked_query() -> dict[str, str]:
    """The link parameters of the saved case this session shows (``lib``, ``key``, ``v``:
    the version is always pinned once loaded), to keep in the URL; {} without one."""
    held = linked()
    if held is None:
        return {}
    return {"lib": held.case_id, "key": held.key, "v": str(held.number)}


@st.cache_resource(show_spinner=False)
def _load(signature: tuple[tuple[str, int, int], ...]) -> tuple[Bundle, list[Problem]]:
    # Frozen models are shared read-only between sessions: no copy per rerun.
    del signature
    return load_content()


def bundled() -> tuple[Bundle, list[Problem]]:
    """The bundled criteria sets and cases, and any problems in them."""
    return _load(files_signature(content_paths()))


def current_bundle() -> Bundle:
    """Bundled data plus this session's valid uploads (an upload replaces a same-id item)."""
    bundle, _ = bundled()
    uploads = st.session_state.get(UPLOADS, {"sets": {}, "cases": {}})
    held = linked()
    if not uploads["sets"] and not uploads["cases"] and held is None:
        return bundle
    sets = {s.id: s for s in bundle.criteria_sets} | uploads["sets"]
    cases = {c.id: c for c in bundle.cases} | uploads["cases"]
    version = bundle.version
    if uploads["sets"] or uploads["cases"]:
        version += "+" + "".join(sorted(uploads.get("digests", [])))[:6]
    if held is not None:
        sets[held.criteria_set.id] = held.criteria_set
        cases[held.case.id] = held.case
        version += "+" + held.data_version[:6]
    return replace(
        bundle, criteria_sets=tuple(sets.values()), cases=tuple(cases.values()), version=version
    )


def add_upload(raw: bytes, name: str) -> CriteriaSet | Case:
    """Validate an uploaded file and keep it for this session; raises InvalidData.

    Nothing already loaded changes when the file is refused.
    """
    bundle = current_bundle()
    kind, model = load_upload(raw, name, bundle.criteria_sets)
    uploads = st.session_state.setdefault(UPLOADS, {"sets": {}, "cases": {}, "digests": []})
    if kind == "criteria":
        assert isinstance(model, CriteriaSet)
        uploads["sets"][model.id] = model
    else:
        assert isinstance(model, Case)
        uploads["cases"][model.id] = model
    uploads["digests"].append(hashlib.sha256(raw).hexdigest()[:6])
    return model
