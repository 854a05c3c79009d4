"""Downloads of the current view: HTML report, scores and weights as CSV, the view as YAML.

Scores and weights come as CSV for Excel (what people open: a Dutch Excel reads it
with a double click, numbers rounded as shown) and, in a second row, as CSV for
software (commas, decimal dots, full precision); see :mod:`afweging.export`.

Each file is made only when its button is clicked (a callable ``data``), so the
report's SVG charts and tables cost nothing on ordinary reruns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from afweging import export
from afweging.matrix import Matrix, Ranking
from afweging.weights import GroupWeights
from afweging_ui import charts
from afweging_ui.i18n import t
from afweging_ui.state import View
from afweging_ui.style import TEMPLATE, MemoContext

#: A download: what it is, how it is made, its file name, type and icon.
_File = tuple[str, Callable[[], str | bytes], str, str, str]


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
        # Drawn for the printed page's width, whatever the screen's.
        printed = replace(memo, width=export.PRINT_WIDTH_PX)
        fig = charts.ranking_figure(matrix, ranking, printed, tr("chart_ranking_title"), tr)
        options = export.ReportOptions(
            lang=lang,
            version=memo.version,
            day=memo.day,
            figures=[fig],
            local=local,
            changes=dict(changes),
            method=memo.method,
            template=TEMPLATE,
            image_stem=memo.file_stem(f"{matrix.case.id}-{matrix.criteria_set.id}-ranking"),
        )
        return export.html_report(matrix, ranking, tr, options)

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

    files: tuple[_File, ...] = (
        ("report", report, export.report_filename(memo, matrix), "text/html", "description"),
        (
            "scores_excel",
            lambda: export.scores_csv(matrix, ranking, lang, tr),
            export.download_name(memo, "scores", "csv", matrix),
            "text/csv",
            "table",
        ),
        (
            "weights_excel",
            lambda: export.weights_csv(matrix, ranking, local, lang, tr),
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
    # The same tables for scripts: commas, decimal dots, full precision, ascii headers.
    for_software: tuple[_File, ...] = (
        (
            "scores_machine",
            lambda: export.scores_csv_machine(matrix, ranking, lang),
            export.download_name(memo, "scores-machine", "csv", matrix),
            "text/csv",
            "data_object",
        ),
        (
            "weights_machine",
            lambda: export.weights_csv_machine(matrix, ranking, local, lang),
            export.download_name(memo, "weights-machine", "csv", matrix),
            "text/csv",
            "data_object",
        ),
    )
    st.markdown(f"**{tr('downloads_heading')}**")
    columns = st.columns(len(files))
    for col, (what, data, name, mime, icon) in zip(columns, files, strict=True):
        _button(col, what, data, name, mime, icon, tr)
    st.caption(tr("downloads_help"))
    columns = st.columns(len(files))
    for col, (what, data, name, mime, icon) in zip(columns, for_software, strict=False):
        _button(col, what, data, name, mime, icon, tr)
    st.caption(tr("downloads_csv_help"))


def _button(
    col: DeltaGenerator,
    what: str,
    data: Callable[[], str | bytes],
    name: str,
    mime: str,
    icon: str,
    tr: Callable[[str], str],
) -> None:
    col.download_button(
        tr(f"download_{what}"),
        data=data,
        file_name=name,
        mime=mime,
        key=f"dl_{what}",
        on_click="ignore",  # the file is made on click; no rerun needed
        icon=f":material/{icon}:",
    )
