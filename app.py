"""Afweging dashboard: ``streamlit run app.py``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from afweging.analysis import build_matrix, rank_with
from afweging.errors import InvalidData
from afweging.loading import Bundle, load_bundled
from ui.i18n import t


@st.cache_data
def bundled() -> Bundle:
    return load_bundled()


def main() -> None:
    st.set_page_config(page_title="Afweging", layout="wide")
    lang = (
        "nl"
        if st.radio("Taal / Language", ["nl", "en"], horizontal=True, key="lang") == "nl"
        else "en"
    )
    st.title(t("app_title", lang))
    st.caption(t("tagline", lang))
    try:
        bundle = bundled()
    except InvalidData as exc:
        st.error(t("data_problems", lang))
        st.code("\n".join(str(p) for p in exc.problems), language=None)
        return
    case = bundle.cases[0]
    cset = bundle.criteria_sets[0]
    result = rank_with(build_matrix(case, cset))
    rows = result.rows(build_matrix(case, cset), lang)
    st.subheader(f"{t('ranking', lang)}: {case.label.get(lang)} | {cset.label.get(lang)}")
    st.dataframe(
        pd.DataFrame(
            {
                t("rank", lang): [r["rank"] for r in rows],
                t("option", lang): [r["label"] for r in rows],
                t("score", lang): [round(float(r["score"]), 3) for r in rows],
            }  # type: ignore[arg-type]
        ),
        hide_index=True,
    )
    st.caption(f"{t('data_version', lang)}: {bundle.version}")


main()
