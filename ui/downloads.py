"""Downloads of the current view: HTML report, scores and weights as CSV, the view as YAML.

Each file is made only when its button is clicked (a callable ``data``), so the
report's SVG charts and tables cost nothing on ordinary reruns.
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

    files = (
        ("report", report, export.report_filename(memo, matrix), "text/html", "description"),
        (
            "scores",
            lambda: export.scores_csv(matrix, ranking, lang),
            export.download_name(memo, "scores", "csv", matrix),
            "text/csv",
            "table",
        ),
        (
            "weights",
            lambda: export.weights_csv(matrix, ranking, local, lang),
            export.download_name(memo, "weights", "csv", matrix),
            "text/csv",
            "tune",
        ),
        (
            "view",
            view_file,
            export.download_name(memo, "view", "yaml", matrix),
            "application/yaml",
            "code",
        ),
    )
    st.markdown(f"**{tr('downloads_heading')}**")
    for col, (what, data, name, mime, icon) in zip(st.columns(len(files)), files, strict=True):
        col.download_button(
            tr(f"download_{what}"),
            data=data,
            file_name=name,
            mime=mime,
            key=f"dl_{what}",
            on_click="ignore",  # the file is made on click; no rerun needed
            icon=f":material/{icon}:",
        )
    st.caption(tr("downloads_help"))
