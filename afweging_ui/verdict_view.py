"""Under the headline: what the source document itself chose, and whether the weights agree.

The tool may rank differently from its sources (the weights are the user's), but
never silently: this panel names the document's choice, where it stands now,
and which of its grounds the current criteria leave out or weigh lightly.
"""

from __future__ import annotations

import streamlit as st

from afweging.markdown import plain
from afweging.matrix import Matrix, Ranking
from afweging.model import Evidence, Lang
from afweging.verdict import verdict, verdict_sentences
from afweging_ui.context import library
from afweging_ui.data import current_bundle
from afweging_ui.i18n import t
from afweging_ui.lazy import lazy_expander


def criterion_labels(lang: Lang) -> dict[str, str]:
    """Every criterion's label by id, from every loaded set (a ground may lie outside this one)."""
    return {c.id: c.label.get(lang) for s in current_bundle().criteria_sets for c in s.walk()}


def render_verdict(matrix: Matrix, ranking: Ranking, lang: Lang) -> None:
    """The verdict in a few sentences, and the document's own words and grounds on request."""
    result = verdict(matrix, ranking)
    if result is None:
        return
    labels = {o.id: o.label.get(lang) for o in matrix.case.options} | criterion_labels(lang)
    sentences = verdict_sentences(result, labels, lang, t)
    box = st.success if result.agrees else st.warning
    box(" ".join(sentences), icon=":material/menu_book:")
    c = result.conclusion
    grounds = lazy_expander(t("verdict_grounds", lang), key="verdict_grounds")
    if grounds is None:
        return
    with grounds:
        st.text(c.summary.get(lang))
        st.markdown(f"**{t('verdict_in_its_words', lang)}**")
        for item in c.evidence:
            quote(item, lang)
        for ground in c.considerations:
            name = (
                labels.get(ground.criterion, ground.criterion)
                if ground.criterion
                else t("verdict_no_criterion", lang)
            )
            st.markdown(f"**{plain(name)}**")
            st.text(ground.text.get(lang))
            for item in ground.evidence:
                quote(item, lang)


def quote(item: Evidence, lang: Lang) -> None:
    """A verbatim quote with the document it stands in and its line, as plain text."""
    st.text(f"“{item.quote.strip()}”\n— {library().cite(item.source, item.quote, lang)}")
