"""What every analysis page shares: the sidebar controls and the result they lead to.

:func:`prepare` draws the sidebar (case, criteria set, options, weights, upload)
from the session's :class:`~afweging_ui.state.View`, stores the view in the URL and computes
the matrix and ranking once per rerun. There is always a ranking: while the weight
inputs make no weighting, the last usable weights are shown, with a note saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from afweging.casebook.linked import version_label
from afweging.errors import InvalidData, Problem
from afweging.loading import Bundle
from afweging.markdown import plain
from afweging.matrix import Matrix, Ranking, build_matrix, rank
from afweging.model import Case, CriteriaSet, Lang
from afweging.sources import SourceLibrary
from afweging.weights import GroupWeights, leaf_weights_from_groups
from afweging.yamlfile import MAX_BYTES, too_large
from afweging_ui.controls import (
    current_view,
    leaf_weights_table,
    link_notice,
    restore_link,
    selection,
    store,
    weights_panel,
)
from afweging_ui.data import add_upload, current_bundle, linked, linked_query
from afweging_ui.i18n import t
from afweging_ui.problems import show_upload_problems
from afweging_ui.state import View, to_query
from afweging_ui.style import MemoContext
from afweging_ui.viewport import chart_width

MAX_UPLOAD_BYTES = MAX_BYTES


@st.cache_resource(show_spinner=False)
def bundled_library() -> SourceLibrary:
    """The bundled source documents, read once per process."""
    return SourceLibrary()


def library() -> SourceLibrary:
    """The source documents quotes are cited from: the bundled ones, and those of the saved
    case this session opened (:mod:`afweging_ui.linked`)."""
    held = linked()
    return bundled_library() if held is None else held.sources


def data_version(view: View, bundle: Bundle) -> str:
    """The data version captions and reports state: for a saved case, its id and version
    beside the hash of its texts, so a memo leads back to the exact saved version."""
    held = linked()
    if held is not None and view.case == held.case.id:
        return version_label(held.case_id, held.number, held.data_version, view.lang)
    return bundle.version


@dataclass(frozen=True)
class Context:
    """The current view and its result.

    There is always a result: ``groups``, ``ranking`` and ``memo`` are never missing.
    ``weights_note`` is set (a translated sentence) when the view's weight inputs make no
    weighting and ``groups``/``ranking`` hold the last usable (or default) weights.
    """

    bundle: Bundle
    view: View
    matrix: Matrix
    groups: list[GroupWeights]
    ranking: Ranking
    memo: MemoContext
    changes: dict[tuple[str, str], float]
    weights_note: str | None = None

    @property
    def lang(self) -> Lang:
        return self.view.lang

    @property
    def local_weights(self) -> dict[str, float]:
        """Local weights per criterion id (normalised within each sibling group)."""
        return {k: v for g in self.groups for k, v in g.weights.items()}


def share_link(view: View, base: str | None) -> str:
    """The permalink of a view: the page address with the view in its query (and the link
    of the saved case the session opened)."""
    return f"{base or ''}?{urlencode(to_query(view) | linked_query())}"


def share_panel(view: View) -> None:
    """'Kopieer link': the view's permalink in a box with a copy button.

    A link to a saved case holds its key: the box then shows it shortened, and the
    button copies it whole.
    """
    box = st.sidebar.expander(
        t("copy_link", view.lang), icon=":material/link:", key="share_open", on_change="rerun"
    )
    if box.open:  # drawn only when opened: the first page needs no code-box component
        with box:
            st.caption(t("copy_link_help", view.lang))
            link = share_link(view, st.context.url)
            held = linked()
            if held is None:
                st.code(link, language=None, wrap_lines=True)
                return
            from afweging_ui.linked import masked
            from afweging_ui.workshop.header import copy_button

            st.code(masked(link, held.key), language=None, wrap_lines=True)
            copy_button(link, t("lib_copy_link", view.lang), view.lang)


def whatif_changes(view: View) -> dict[tuple[str, str], float]:
    """What-if changes of the chosen options as (option id, criterion id) -> value."""
    out = {}
    for key, value in view.whatif.items():
        option_id, _, criterion_id = key.partition(".")
        if option_id in view.options:
            out[(option_id, criterion_id)] = value
    return out


def memo_for(matrix: Matrix, ranking: Ranking, view: View, version: str) -> MemoContext:
    """The caption context of every chart: case, set, weights, data version, date, method."""
    lang = view.lang
    weights = {
        leaf.label.get(lang): float(w)
        for leaf, w in zip(matrix.leaves, ranking.weights, strict=True)
    }
    return MemoContext(
        case_label=matrix.case.label.get(lang),
        set_label=matrix.criteria_set.label.get(lang),
        weights=weights,
        version=version,
        day=date.today(),
        lang=lang,
        method=t(f"method_{view.method}", lang),
        width=chart_width(),
    )


def prepare() -> Context:
    """Draw the sidebar and compute the result for the current view."""
    bundle = current_bundle()
    view = current_view(bundle)
    view = selection(bundle, view)
    case, cset = bundle.case(view.case), bundle.criteria_set(view.criteria_set)
    groups, note = weights_panel(cset, view)
    store(view)
    share_panel(view)
    upload_panel(view.lang)
    link_notice(view.lang)
    if note:
        st.warning(note, icon=":material/history:")
    changes = whatif_changes(view)
    matrix = build_matrix(case, cset, view.options)
    if changes:
        matrix = matrix.with_scores(changes)
    weights = leaf_weights_from_groups(cset, groups)
    if cset.depth > 1:
        leaf_weights_table(cset, weights, view.lang)
    ranking = rank(matrix, weights)
    memo = memo_for(matrix, ranking, view, data_version(view, bundle))
    return Context(bundle, view, matrix, groups, ranking, memo, changes, note)


#: Session keys: the upload that was loaded, and the problems of the file last refused.
UPLOAD_DONE = "upload_done"
UPLOAD_REFUSED = "upload_refused"


def _upload_problems(file: UploadedFile) -> tuple[list[Problem], CriteriaSet | Case | None]:
    """Check an uploaded file (reading at most 1 MB and one byte): its problems, or the
    model it added to this session."""
    name = file.name
    if not name.lower().endswith((".yaml", ".yml")):
        return [Problem(name, "", "not_yaml_file")], None
    if file.size > MAX_UPLOAD_BYTES:
        return [too_large(name, file.size)], None
    file.seek(0)
    raw = file.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        return [too_large(name, max(file.size, len(raw)))], None
    try:
        return [], add_upload(raw, name)
    except InvalidData as exc:
        return exc.problems, None


def upload_panel(lang: Lang) -> None:
    """Upload a criteria or scenario file; problems are listed, earlier data is kept.

    Only the chosen file's outcome is ever shown: the problems of a refused file are
    kept with that file's token, so a new file (or none) never shows them.
    """
    box = st.sidebar.expander(t("upload_heading", lang), key="upload_open", on_change="rerun")
    if not box.open:  # drawn only when opened; what was loaded stays in the session
        return
    with box:
        st.caption(t("upload_help_plain", lang))
        # No ``type=`` filter and no size check in the browser: Streamlit's own refusals
        # are English; the panel checks the name and size itself and says it in Dutch.
        file = st.file_uploader(t("upload_label", lang), key="upload")
        if file is None:
            st.session_state.pop(UPLOAD_REFUSED, None)
            return
        token = (file.name, file.size, getattr(file, "file_id", ""))
        if st.session_state.get(UPLOAD_DONE) == token:
            model_id = st.session_state.get("upload_model")
            st.success(t("upload_ok", lang, name=f"{plain(file.name)} ({model_id})"))
            return
        refused = st.session_state.get(UPLOAD_REFUSED)
        if refused is not None and refused[0] == token:
            problems = refused[1]
        else:
            st.session_state.pop(UPLOAD_REFUSED, None)
            problems, model = _upload_problems(file)
            if model is not None:
                st.session_state[UPLOAD_DONE] = token
                st.session_state["upload_model"] = model.id
                restore_link(current_bundle())  # a permalink to this file: now it can show
                st.rerun()  # draw the selectors again, now with the uploaded case or set
            st.session_state[UPLOAD_REFUSED] = (token, problems)
        show_upload_problems(file.name, problems, lang)
