"""Loading the data the dashboard shows: bundled files, cached, plus this session's uploads."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import streamlit as st

from afweging.errors import Problem
from afweging.loading import Bundle, content_paths, files_signature, load_content, load_upload
from afweging.model import Case, CriteriaSet

UPLOADS = "uploads"


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
    if not uploads["sets"] and not uploads["cases"]:
        return bundle
    sets = {s.id: s for s in bundle.criteria_sets} | uploads["sets"]
    cases = {c.id: c for c in bundle.cases} | uploads["cases"]
    version = bundle.version + "+" + "".join(sorted(uploads.get("digests", [])))[:6]
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
