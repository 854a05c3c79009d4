"""The editor's source documents: upload, the list, a reader with search, and attaching a
passage as evidence to a cell, checked at once against the document's text.

An upload is read in a child process with limits (:func:`afweging.documents.extract.extract`)
and stored once by its hash (:meth:`~afweging.casebook.store.CaseLibrary.add_document`); a
refusal names the file in the interface's language and stores nothing. A quote is checked
exactly as the validator checks it: whitespace collapsed, nothing else forgiven.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
import streamlit as st

from afweging.casebook.errors import CaseLibraryError
from afweging.casebook.records import StoredDocument
from afweging.casebook.store import document_title
from afweging.documents.extract import extract
from afweging.documents.limits import MAX_DOCUMENT_BYTES, limit_megabytes
from afweging.errors import InvalidData
from afweging.markdown import plain
from afweging.model import CriteriaSet, Lang
from afweging.sources import SourceLibrary
from afweging_ui.cards import table_or_cards
from afweging_ui.editor import draft
from afweging_ui.editor.state import Access, changed, library
from afweging_ui.i18n import t
from afweging_ui.problems import problem_message

DONE: Final = "ed_uploaded"
MESSAGES: Final = "ed_upload_messages"
ATTACHED: Final = "ed_attach_message"
QUOTE: Final = "ed_quote"
ATTACH_OPTION: Final = "ed_attach_option"
ATTACH_CRITERION: Final = "ed_attach_crit"
#: Matching lines shown for one search (each with a button that takes it as the quote).
MAX_MATCHES: Final = 30
#: Lines of a long page shown at once in the reader.
PAGE_LINES: Final = 300


def upload(access: Access, language: Lang) -> None:
    """The uploader; each new file is read and stored once, and what happened is said."""
    limit = limit_megabytes(MAX_DOCUMENT_BYTES)
    files = st.file_uploader(
        t("ed_upload", language, limit=limit),
        # No type=: Streamlit refuses other files in English; each file's kind is
        # checked on receipt and refused in the reader's language.
        accept_multiple_files=True,
        key="ed_upload",
        help=t("ed_upload_help", language, limit=limit),
        disabled=not access.editing,
    )
    done: set[str] = st.session_state.setdefault(DONE, set())
    fresh = [f for f in files or [] if f.file_id not in done]
    if fresh:
        st.session_state[MESSAGES] = [
            _receive(f.name, f.getvalue(), access, language) for f in fresh
        ]
        done.update(f.file_id for f in fresh)
        if any(kind == "ok" for kind, _ in st.session_state[MESSAGES]):
            st.rerun()  # the list, the reader and the checks now include the new document
    for kind, text in st.session_state.get(MESSAGES, []):
        (st.success if kind == "ok" else st.error)(text)


def _receive(name: str, data: bytes, access: Access, language: Lang) -> tuple[str, str]:
    """Read and store one upload: ("ok", what was stored) or ("error", why not, naming it)."""
    shown = plain(name[:120])
    try:
        doc = extract(data, name)
        library().add_document(doc, access.case_id, access.key)
    except InvalidData as exc:
        why = "; ".join(problem_message(p, language) for p in exc.problems)
        return "error", t("ed_upload_refused", language, name=shown, why=plain(why))
    except CaseLibraryError as exc:
        return "error", t("ed_upload_refused", language, name=shown, why=plain(exc.text(language)))
    return "ok", t(
        "ed_upload_stored", language, name=shown, title=plain(doc.title), pages=len(doc.pages)
    )


def document_list(documents: list[StoredDocument], language: Lang) -> None:
    """Title, file, date, pages and when added, per document."""
    if not documents:
        st.info(t("ed_no_documents", language))
        return
    table = {
        t("ed_doc_title", language): [document_title(d, language) for d in documents],
        t("ed_doc_file", language): [d.filename for d in documents],
        t("ed_doc_date", language): [d.date or "–" for d in documents],
        t("ed_doc_pages", language): [str(len(d.pages)) for d in documents],
        t("ed_doc_cited_as", language): [d.source_name for d in documents],
    }
    table_or_cards(
        table,
        "ed_documents",
        lambda: st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch"),
    )


def locator(doc: StoredDocument, line: int, language: Lang) -> str:
    """'p. 3, regel 12' (the line counted on its page) or 'regel 12' for an unpaged text."""
    word = t("ed_line", language)
    page = doc.extracted().page_of(line)
    if len(doc.pages) > 1:
        return f"p. {page}, {word} {line - doc.pages[page - 1] + 1}"
    return f"{word} {line}"


def reader(
    documents: list[StoredDocument],
    data: draft.Data,
    cset: CriteriaSet,
    access: Access,
    language: Lang,
) -> None:
    """Pick a document, search it (matching lines with page and line), read a page, and
    attach a passage to a cell."""
    if not documents:
        return
    by_id = {d.id: d for d in documents}
    chosen = st.selectbox(
        t("ed_reader_document", language),
        list(by_id),
        format_func=lambda i: document_title(by_id[i], language),
        key="ed_reader_doc",
        placeholder=t("placeholder_option", language),
    )
    doc = by_id[chosen]
    lines = doc.text.split("\n")
    needle = st.text_input(t("ed_search", language), key="ed_search", max_chars=200).strip()
    with st.container(height=360, key="ed_reader_text", border=True):
        if needle:
            hits = [i for i, line in enumerate(lines, 1) if needle.lower() in line.lower()]
            st.caption(t("ed_matches", language, n=len(hits)))
            for i in hits[:MAX_MATCHES]:
                left, right = st.columns([5, 1], vertical_alignment="center")
                left.markdown(f"**{plain(locator(doc, i, language))}** {plain(lines[i - 1])}")
                if access.editing:
                    right.button(
                        t("ed_use_line", language),
                        key=f"ed_use_{doc.id}_{i}",
                        on_click=_use,
                        args=(lines[i - 1],),
                    )
        else:
            first, last = _page_lines(doc, len(lines), language)
            st.text("\n".join(f"{n:>5}  {lines[n - 1]}" for n in range(first, last + 1)))
    if access.editing:
        attach_form(doc, data, cset, language)


def _page_lines(doc: StoredDocument, count: int, language: Lang) -> tuple[int, int]:
    """The first and last line to show: a chosen page, and within a long page (an unpaged
    text is one page) at most PAGE_LINES lines from a chosen line."""
    pages = len(doc.pages)
    page = 1
    if pages > 1:
        page = int(
            st.number_input(t("ed_page", language, n=pages), 1, pages, 1, key=f"ed_page_{doc.id}")
        )
    first = doc.pages[page - 1]
    last = doc.pages[page] - 1 if page < pages else count
    if last - first + 1 > PAGE_LINES:
        first = int(
            st.number_input(
                t("ed_from_line", language, n=last),
                first,
                last,
                first,
                step=PAGE_LINES,
                key=f"ed_from_{doc.id}_{page}",
            )
        )
        last = min(last, first + PAGE_LINES - 1)
    return first, last


def _use(line: str) -> None:
    st.session_state[QUOTE] = line.strip()


def attach_form(doc: StoredDocument, data: draft.Data, cset: CriteriaSet, language: Lang) -> None:
    """A passage of the document in view, attached to an (option, criterion) cell once it is
    found in the text."""
    items = draft.options(data)
    leaves = {leaf.id: leaf.label.get(language) for leaf in cset.leaves()}
    if not items or not leaves:
        return
    st.subheader(t("ed_attach_title", language), anchor=False)
    st.text_area(
        t("ed_quote", language), key=QUOTE, max_chars=2000, help=t("ed_quote_help", language)
    )
    left, right = st.columns(2)
    if st.session_state.get(ATTACH_OPTION) not in range(len(items)):
        st.session_state[ATTACH_OPTION] = 0
    left.selectbox(
        t("ed_option", language),
        range(len(items)),
        format_func=lambda i: draft.choice(items, i, language),
        key=ATTACH_OPTION,
        placeholder=t("placeholder_option", language),
    )
    right.selectbox(
        t("ed_criterion", language),
        list(leaves),
        format_func=leaves.__getitem__,
        key=ATTACH_CRITERION,
        placeholder=t("placeholder_option", language),
    )
    st.button(
        t("ed_attach", language),
        key="ed_attach",
        type="primary",
        icon=":material/link:",
        on_click=_attach,
        args=(doc, data, language),
    )
    message = st.session_state.get(ATTACHED)
    if message:
        kind, text = message
        (st.success if kind == "ok" else st.error)(text)


def _attach(doc: StoredDocument, data: draft.Data, language: Lang) -> None:
    """Attach the quote to the chosen cell (read from the widgets' state now, not as they
    were drawn) if the document holds it."""
    quote = str(st.session_state.get(QUOTE, "")).strip()
    index = st.session_state.get(ATTACH_OPTION)
    criterion = st.session_state.get(ATTACH_CRITERION)
    if index not in range(len(draft.options(data))):
        index = None
    if index is None or criterion is None or not quote:
        st.session_state[ATTACHED] = ("error", t("ed_attach_empty", language))
        return
    sources = SourceLibrary.from_texts({doc.source_name: doc.text})
    found = sources.document(doc.source_name)
    if found is None or not found.contains(quote):
        st.session_state[ATTACHED] = (
            "error",
            t("ed_quote_missing", language, title=plain(doc.title or doc.filename)),
        )
        return
    draft.attach(data, index, criterion, doc.source_name, quote)
    cite = library().source_library([doc]).cite(doc.source_name, quote, language)
    st.session_state[ATTACHED] = ("ok", t("ed_attached", language, where=plain(cite)))
    changed()
