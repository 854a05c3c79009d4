"""The "Bronnen" page: the documents, and every quote cited from them in its surrounding text.

For a saved case of the case library (:mod:`afweging_ui.linked`) it lists that case's own
documents, by title, with the quotes the case and its criteria set cite from them.
"""

from __future__ import annotations

from collections import defaultdict

import streamlit as st

from afweging.loading import Bundle
from afweging.markdown import plain
from afweging.model import Lang
from afweging.sources import collapse
from afweging_ui.context import library
from afweging_ui.data import current_bundle, linked
from afweging_ui.i18n import t
from afweging_ui.state import View


def citations(bundle: Bundle, lang: Lang) -> dict[str, dict[str, list[str]]]:
    """Per document, each distinct quote (whitespace collapsed) and every place citing it."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for cset in bundle.criteria_sets:
        for criterion in cset.walk():
            for item in criterion.evidence:
                where = f"{cset.label.get(lang)} · {criterion.label.get(lang)}"
                out[item.source][collapse(item.quote).strip()].append(where)
    for case in bundle.cases:
        for option in case.options:
            for cid, score in option.scores.items():
                for item in score.evidence:
                    where = f"{case.label.get(lang)} · {option.label.get(lang)} · {cid}"
                    out[item.source][collapse(item.quote).strip()].append(where)
    return out


def render() -> None:
    """Draw the page: per document, every quote once, in context, with all places citing it."""
    view: View | None = st.session_state.get("view")
    lang = view.lang if view else st.session_state.get("lang", "nl")
    cited = citations(current_bundle(), lang)
    st.title(t("sources_title", lang))
    held = linked()
    names = library().names()
    if held is not None and view is not None and view.case == held.case.id:
        st.caption(t("lib_sources_help", lang, n=held.number))
        names = list(held.documents)
    else:
        st.caption(t("sources_help", lang))
    for name in names:
        doc = library().document(name)
        if doc is None:
            continue
        quotes = cited.get(name, {})
        parts = library().parts(name)
        # A document by its title; a file that bundles several by what it is. The file's
        # name stays beside it, for whoever checks a quote in the file itself.
        if len(parts) == 1:
            heading = parts[0].title(lang)
        elif parts:
            heading = t("sources_bundle", lang, n=len(parts))
        else:
            heading = name
        st.subheader(plain(heading), anchor=False)
        if heading != name:
            st.caption(t("sources_file", lang, name=name))
        for part in parts if len(parts) > 1 else ():
            st.markdown(
                t("sources_part", lang, title=part.title(lang), first=part.first, last=part.last)
            )
        st.caption(t("sources_count", lang, n=len(quotes)))
        query = st.text_input(t("sources_filter", lang), key=f"src_filter_{name}").lower()
        found = [(doc.locate(q), q, places) for q, places in quotes.items()]
        found.sort(key=lambda x: x[0].line if x[0] else 0)
        for match, quote, places in found:
            if query and not any(query in text.lower() for text in (quote, *places)):
                continue
            line = match.line if match else None
            title = library().title(name, line, lang)
            label = f"{title} · {t('line', lang)} {line or '?'} · {_short(quote)}"
            with st.expander(plain(label) if held is not None else label):
                if match:
                    st.text(f"…{match.before}")
                    st.markdown(f"> {plain(match.quote)}")
                    st.text(f"{match.after}…")
                else:
                    st.text(quote)
                st.caption(t("sources_cited_at", lang))
                st.text("\n".join(places))


def _short(quote: str, words: int = 12) -> str:
    parts = quote.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
