"""Loading the data the dashboard shows: bundled files, cached, plus this session's uploads."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import streamlit as st

from afweging.errors import Problem
from afweging.loading import Bundle, content_paths, load, load_upload, yaml_files
from afweging.model import Case, CriteriaSet

UPLOADS = "uploads"


def _signature() -> tuple[tuple[str, int, int], ...]:
    """Changes when a bundled file changes, so the cache reloads edited data."""
    out = []
    for path in yaml_files(content_paths()):
        stat = path.stat()
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


@st.cache_resource(show_spinner=False)
def _load(signature: tuple[tuple[str, int, int], ...]) -> tuple[Bundle, list[Problem]]:
    # Frozen models are shared read-only between sessions: no copy per rerun.
    del signature
    return load(content_paths())


def bundled() -> tuple[Bundle, list[Problem]]:
    """The bundled criteria sets and cases, and any problems in them."""
    return _load(_signature())


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
