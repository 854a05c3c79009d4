"""Downloads of the current view: HTML report, scores and weights as CSV, the view as YAML.

Each file is made only when its button is clicked (a callable ``data``), so the
report's embedded plotly.js costs nothing on ordinary reruns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from afweging import export
from afweging.analysis import Matrix, Ranking
from afweging.weights import GroupWeights
from ui import charts
from ui.i18n import t
from ui.state import View
from ui.style import DIVERGING, TEMPLATE, MemoContext


def render_downloads(
    matrix: Matrix,
    ranking: Ranking,
    view: View,
    memo: MemoContext,
    groups: Sequence[GroupWeights],
    changes: Mapping[tuple[str, str], float],
) -> None:
    """A row of download buttons under the charts."""
    lang = view.lang
    local = {k: v for g in groups for k, v in g.weights.items()}

    def tr(key: str) -> str:
        return t(key, lang)

    def report() -> str:
        fig = charts.ranking_figure(matrix, ranking, memo, tr("chart_ranking_title"), tr)
        return export.html_report(
            matrix,
            ranking,
            tr,
            lang=lang,
            version=memo.version,
            day=memo.day,
            figures=[fig],
            local=local,
            changes=dict(changes),
            method=memo.method,
            template=TEMPLATE,
            palette=DIVERGING,
            image_stem=memo.file_stem(f"{matrix.case.id}-{matrix.criteria_set.id}-ranking"),
        )

    def view_file() -> str:
        settings = export.current_view(
            matrix,
            ranking,
            lang=lang,
            version=memo.version,
            day=memo.day,
            method=view.method,
            local=local,
        )
        return export.view_yaml(settings)

    st.markdown(f"**{tr('downloads_heading')}**")
    cols = st.columns(4)
    cols[0].download_button(
        tr("download_report"),
        data=report,
        file_name=export.report_filename(memo, matrix),
        mime="text/html",
        key="dl_report",
        on_click="ignore",
        icon=":material/description:",
    )
    cols[1].download_button(
        tr("download_scores"),
        data=lambda: export.scores_csv(matrix, ranking, lang),
        file_name=export.download_name(memo, "scores", "csv", matrix),
        mime="text/csv",
        key="dl_scores",
        on_click="ignore",
        icon=":material/table:",
    )
    cols[2].download_button(
        tr("download_weights"),
        data=lambda: export.weights_csv(matrix, ranking, local, lang),
        file_name=export.download_name(memo, "weights", "csv", matrix),
        mime="text/csv",
        key="dl_weights",
        on_click="ignore",
        icon=":material/tune:",
    )
    cols[3].download_button(
        tr("download_view"),
        data=view_file,
        file_name=export.download_name(memo, "view", "yaml", matrix),
        mime="application/yaml",
        key="dl_view",
        on_click="ignore",
        icon=":material/code:",
    )
    st.caption(tr("downloads_help"))
