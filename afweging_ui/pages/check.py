"""Rekencontrole: our engine beside published worked examples, so a sceptic can check it.

Every entry of :data:`afweging.published_examples.EXAMPLES` is shown with its
method, source, the published figures, ours and the difference; plus a small
weighted-sum example worked by hand. Data text (sources, notes, in the
reader's language) is shown as plain text, never as Markdown or HTML. Figures
are written by :mod:`afweging.numbers`: up to six decimals, a decimal comma in
Dutch, and differences too small for that in powers of ten.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from afweging.model import Lang
from afweging.numbers import decimal, number, scientific
from afweging.published_examples import EXAMPLES, PublishedExample, ours
from afweging.scoring import normalise, overall_scores
from afweging_ui.i18n import t

#: The hand example of the weighted sum (see ``check_hand_intro``): scores on 1..5, weights.
HAND_SCORES = ((5.0, 2.0), (3.0, 4.0))
HAND_WEIGHTS = (0.7, 0.3)
HAND_TOTALS = (0.775, 0.575)  # worked out by hand in the text
HAND_LABELS = ("A", "B")


#: Decimals shown for a figure: as many as the examples publish, and two more.
PLACES = 6


def figure(x: float, lang: Lang) -> str:
    """A published figure or ours: up to six decimals, no trailing zeros (0,358; 4)."""
    return decimal(x, lang, PLACES, trim=True)


def difference(x: float, lang: Lang) -> str:
    """Ours minus published: below 0,0001 in powers of ten (2,2 × 10⁻¹⁶), so it is not 0."""
    if x and abs(x) < 1e-4:
        return scientific(x, lang, 1)
    return decimal(x, lang, PLACES, trim=True)


def comparison_rows(example: PublishedExample) -> list[tuple[str, str, float, float, bool]]:
    """(quantity, item, published, ours, within tolerance) for every published figure."""
    got = ours(example)
    rows = []
    for key, published in example.published.items():
        labels = example.labels if len(published) == len(example.labels) else ()
        for k, (p, o) in enumerate(zip(published, got[key], strict=True)):
            item = labels[k] if labels else ("" if len(published) == 1 else str(k + 1))
            rows.append((key, item, float(p), float(o), abs(o - p) <= example.tolerance))
    return rows


def render() -> None:
    """Draw the page."""
    lang: Lang = st.session_state.get("lang", "nl")
    st.title(t("check_title", lang))
    st.markdown(t("check_intro", lang))
    for example in EXAMPLES:
        show_example(example, lang)
    hand_example(lang)


def _table(rows: list[tuple[str, str, float, float, bool]], lang: Lang, key: str) -> None:
    st.dataframe(
        {
            t("check_col_quantity", lang): [t(f"check_quantity_{q}", lang) for q, *_ in rows],
            t("check_col_item", lang): [item for _, item, *_ in rows],
            t("check_col_published", lang): [figure(p, lang) for _, _, p, _, _ in rows],
            t("check_col_ours", lang): [figure(o, lang) for _, _, _, o, _ in rows],
            t("check_col_difference", lang): [difference(o - p, lang) for _, _, p, o, _ in rows],
            t("check_col_ok", lang): ["✓" if ok else "✗" for *_, ok in rows],
        },
        hide_index=True,
        key=key,
    )


def show_example(example: PublishedExample, lang: Lang) -> None:
    """One example: method, source, the comparison table and a verdict line."""
    with st.container(border=True, key=f"check_{example.name}"):
        st.subheader(t(f"check_method_{example.method}", lang), anchor=False)
        st.markdown(f"**{t('check_source', lang)}**")
        st.text(example.source.get(lang))
        if example.derived:
            st.caption(t("check_derived", lang))
        rows = comparison_rows(example)
        _table(rows, lang, key=f"check_table_{example.name}")
        verdict(rows, example.tolerance, lang)
        if example.note is not None:
            st.markdown(f"**{t('check_note', lang)}**")
            st.text(example.note.get(lang))


def verdict(rows: list[tuple[str, str, float, float, bool]], tolerance: float, lang: Lang) -> None:
    """✓ when every figure is within the tolerance, else how many are not."""
    off = sum(not ok for *_, ok in rows)
    tol = number(tolerance, lang)
    if off:
        st.error(t("check_some_off", lang, k=off, n=len(rows), tol=tol))
    else:
        st.success(t("check_all_ok", lang, n=len(rows), tol=tol))


def hand_example(lang: Lang) -> None:
    """Our weighted sum against totals worked out by hand (in the text above the table)."""
    with st.container(border=True, key="check_hand"):
        st.subheader(t("check_hand_title", lang), anchor=False)
        st.markdown(t("check_hand_intro", lang))
        values = normalise(np.array(HAND_SCORES), 1.0, 5.0, True)
        got = overall_scores(values, np.array(HAND_WEIGHTS))
        tolerance = 1e-12
        rows = [
            ("overall_score", label, hand, float(o), abs(float(o) - hand) <= tolerance)
            for label, hand, o in zip(HAND_LABELS, HAND_TOTALS, got, strict=True)
        ]
        _table(rows, lang, key="check_table_hand")
        verdict(rows, tolerance, lang)
