"""The "Bronnen" page: the documents, and every quote cited from them in its surrounding text."""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from ui.context import library
from ui.data import current_bundle
from ui.i18n import t
from ui.state import View

SEEDS_GUIDE = "seeds/README.md"


def render() -> None:
    """Draw the page."""
    view: View | None = st.session_state.get("view")
    lang = view.lang if view else st.session_state.get("lang", "nl")
    bundle = current_bundle()
    st.title(t("sources_title", lang))
    st.caption(t("sources_help", lang))
    citations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cset in bundle.criteria_sets:
        for criterion in cset.walk():
            for item in criterion.evidence:
                citations[item.source].append(
                    (f"{cset.label.get(lang)} · {criterion.label.get(lang)}", item.quote)
                )
    for case in bundle.cases:
        for option in case.options:
            for cid, score in option.scores.items():
                for item in score.evidence:
                    where = f"{case.label.get(lang)} · {option.label.get(lang)} · {cid}"
                    citations[item.source].append((where, item.quote))
    for name in library().names():
        doc = library().document(name)
        assert doc is not None
        quotes = citations.get(name, [])
        st.subheader(name, anchor=False)
        st.caption(t("sources_count", lang, n=len(quotes)))
        query = st.text_input(t("sources_filter", lang), key=f"src_filter_{name}")
        shown = [q for q in quotes if query.lower() in (q[0] + q[1]).lower()] if query else quotes
        for where, quote in shown[:200]:
            found = doc.locate(quote)
            with st.expander(f"{t('line', lang)} {found.line if found else '?'} · {where}"):
                if found:
                    st.text(f"…{found.before}")
                    st.markdown(f"> {_plain(found.quote)}")
                    st.text(f"{found.after}…")
                else:
                    st.text(quote)


def _plain(text: str) -> str:
    """Quote text for a Markdown block quote: markup characters escaped, never HTML."""
    out = text
    for ch in "\\`*_{}[]<>()#+-.!|~":
        out = out.replace(ch, "\\" + ch)
    return out
