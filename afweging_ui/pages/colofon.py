"""Colofon: who scored the options, how, on which data, and how to disagree.

A councillor who doubts a score should find in one place who wrote it, the
rules it was held to, what a second reader made of it, and how to contest it.
Figures here are counted from the loaded data and the second-reading record,
never typed in.
"""

from __future__ import annotations

from collections import Counter

import streamlit as st

from afweging.loading import Bundle
from afweging.markdown import plain
from afweging.model import Lang
from afweging.second_reading import RECORD, RecordProblem, read_record, tally
from afweging_ui.data import current_bundle
from afweging_ui.i18n import t


def score_counts(bundle: Bundle) -> dict[str, int]:
    """Cells, how many are stated by a source (bron) or derived by us, and how many vary."""
    leaves = {leaf.id for s in bundle.criteria_sets for leaf in s.leaves()}
    scores = [
        s
        for case in bundle.cases
        for option in case.options
        for cid, s in option.scores.items()
        if cid in leaves
    ]
    basis = Counter(s.basis for s in scores)
    return {
        "cells": len(scores),
        "bron": basis.get("bron", 0),
        "afgeleid": basis.get("afgeleid", 0),
        "ranges": sum(s.range is not None for s in scores),
        "quotes": sum(len(s.evidence) for s in scores),
    }


def render() -> None:
    """Draw the page."""
    lang: Lang = "en" if st.session_state.get("lang") == "en" else "nl"
    bundle = current_bundle()
    st.title(t("colofon_title", lang), anchor=False)
    st.markdown(t("colofon_who", lang))
    counts = score_counts(bundle)
    st.markdown(t("colofon_method", lang, **counts))
    st.subheader(t("colofon_second_heading", lang), anchor=False)
    try:
        readings = read_record() if RECORD.is_file() else []
    except RecordProblem as exc:
        st.error(str(exc))
        readings = []
    if readings:
        st.markdown(t("colofon_second", lang, n=len(readings), **tally(readings)))
    else:
        st.markdown(t("colofon_second_none", lang))
    st.subheader(t("colofon_verdicts_heading", lang), anchor=False)
    for case in bundle.cases:
        if case.conclusion is None:
            continue
        names = {o.id: o.label.get(lang) for o in case.options}
        chosen = t("verdict_and", lang).join(names.get(o, o) for o in case.conclusion.prefers)
        st.markdown(f"**{plain(case.label.get(lang))}**")
        st.text(t("verdict_choice", lang, document=case.conclusion.document, options=chosen))
    st.subheader(t("colofon_version_heading", lang), anchor=False)
    st.markdown(t("colofon_version", lang, version=bundle.version))
    st.subheader(t("colofon_contest_heading", lang), anchor=False)
    st.markdown(t("colofon_contest", lang))
