"""The case library: a council's own cases, their source documents and every saved version.

- A **document** is stored once, by the SHA-256 of its uploaded bytes: the same file
  uploaded twice (for one case or two) is one row, linked to each case that rests on
  it. Quotes cite it as ``<first 16 hex digits>.txt`` (:func:`records.source_name`),
  the name its text gets in an export's ``seeds/``.
- A **case** is created with two secrets: an *edit key* (``secrets.token_urlsafe(32)``,
  256 bits) and a read-only *view key* derived from it (HMAC-SHA256, 192 bits, so the
  edit link's holder can always show the view link again). Only their SHA-256 is
  stored; keys are compared with :func:`hmac.compare_digest` and never logged.
- Every **save** adds a version (1, 2, ...) and never changes an earlier one, so a
  score cited in a memo can always be traced to its text. Each save is checked like a
  content file (:mod:`afweging.casebook.checking`) against the case's own documents; a
  draft keeps its problems and is saved anyway (work is never lost), but a version is
  published only without problems.

The database is the workshop's (:mod:`afweging.database`, one migration chain), so the
same URL or SQLite file serves both, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from itertools import pairwise
from typing import Any, Final

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from afweging.casebook import limits
from afweging.casebook.checking import Checked, check, data_version, with_header
from afweging.casebook.db_schema import (
    t_case_documents,
    t_case_drafts,
    t_case_versions,
    t_cases,
    t_documents,
)
from afweging.casebook.errors import AccessDenied, CaseNotFound, LimitExceeded, NotPublishable
from afweging.casebook.records import (
    CaseVersion,
    StoredDocument,
    WorkingDraft,
    problems_from_json,
    problems_to_json,
    source_name,
)
from afweging.content import criteria_dir, scenarios_dir
from afweging.database import Database, inserted_id
from afweging.documents.model import ExtractedDocument
from afweging.errors import InvalidData, Problem
from afweging.model import Case, CriteriaSet
from afweging.sources import Part, SourceLibrary
from afweging.workshop.db_schema import MIGRATIONS
from afweging.workshop.store import store_location
from afweging.yamlfile import parse, read_limited

_KINDS: Final = ("pdf", "docx", "html", "txt")
_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Longer than any key this library hands out; anything longer is not worth hashing.
_MAX_KEY_LENGTH: Final = 200
_MAX_CASE_ID_LENGTH: Final = 24

#: A new case's text when none is given: one option, to be scored (a draft with problems).
NEW_CASE_YAML: Final = """\
id: nieuwe-casus
label: {nl: "Nieuwe casus", en: "New case"}
options:
  - id: optie-1
    label: {nl: "Optie 1", en: "Option 1"}
    summary: {nl: "Beschrijf deze optie.", en: "Describe this option."}
    scores: {}
"""


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(moment: datetime) -> str:
    """Fixed-width UTC ISO text, as the workshop's tables keep times."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def view_key_for(edit_key: str, case_id: str) -> str:
    """The read-only key of a case: derived from its edit key (HMAC-SHA256, cut to 192
    bits), so it needs no storage of its own and reveals nothing of the edit key."""
    mac = hmac.new(edit_key.encode(), f"case-view:{case_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:24]).decode().rstrip("=")


def _new_keys() -> tuple[str, str, str]:
    """A new case's id, its secret edit key and the view key derived from both."""
    case_id = secrets.token_urlsafe(12)
    edit_key = secrets.token_urlsafe(32)
    return case_id, edit_key, view_key_for(edit_key, case_id)


def _check_document(doc: ExtractedDocument) -> None:
    """Refuse what cannot be stored: too large (the user's to fix), or malformed (a bug)."""
    if doc.size > limits.MAX_DOCUMENT_BYTES:
        raise LimitExceeded(
            "casebook_document_too_large",
            name=doc.filename[:80],
            size=doc.size,
            limit=limits.MAX_DOCUMENT_BYTES,
        )
    text_bytes = len(doc.text.encode("utf-8"))
    if text_bytes > limits.MAX_TEXT_BYTES:
        raise LimitExceeded(
            "casebook_text_too_large",
            name=doc.filename[:80],
            size=text_bytes,
            limit=limits.MAX_TEXT_BYTES,
        )
    lines = doc.line_count
    wrong = [
        what
        for what, bad in (
            ("sha256", not _SHA256.match(doc.sha256)),
            ("kind", doc.kind not in _KINDS),
            ("size", doc.size < 0),
            ("filename", not 0 < len(doc.filename) <= limits.MAX_FILENAME_CHARS),
            ("title", len(doc.title) > limits.MAX_TITLE_CHARS),
            ("date", doc.date is not None and not _DATE.match(doc.date)),
            ("pages", not _pages_ok(doc.pages, lines)),
            ("text", "\x00" in doc.text or "\x00" in doc.title or "\x00" in doc.filename),
        )
        if bad
    ]
    if wrong:
        raise ValueError(f"ExtractedDocument {doc.filename!r}: invalid {', '.join(wrong)}")


def _pages_ok(pages: tuple[int, ...], lines: int) -> bool:
    return (
        0 < len(pages) <= limits.MAX_PAGES
        and pages[0] == 1
        and all(a < b for a, b in pairwise(pages))
        and pages[-1] <= lines
    )


def _check_text(text: object, name: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name}: expected text, got {type(text).__name__}")
    size = len(text.encode("utf-8"))
    if size > limits.MAX_YAML_BYTES:
        raise LimitExceeded(
            "casebook_yaml_too_large", name=name, size=size, limit=limits.MAX_YAML_BYTES
        )
    if "\x00" in text:
        raise LimitExceeded("casebook_text_nul", name=name)
    return text


def _check_note(note: str) -> str:
    if len(note) > limits.MAX_NOTE_CHARS or "\x00" in note:
        raise LimitExceeded("casebook_note_too_long", limit=limits.MAX_NOTE_CHARS, count=len(note))
    return note


class CaseLibrary:
    """Cases, their documents and versions, in the one database (see the module).

    ``url_or_path`` is what :class:`~afweging.workshop.store.WorkshopStore` takes (a
    SQLAlchemy URL, a SQLite file, ``":memory:"``); by default the workshop's own
    database (:func:`~afweging.workshop.store.store_location`). The schema is created
    and upgraded on open.
    """

    def __init__(
        self,
        url_or_path: str | os.PathLike[str] | None = None,
        *,
        synchronous: str = "FULL",
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._clock = clock
        self._db = Database(store_location() if url_or_path is None else url_or_path, synchronous)
        self._db.migrate(MIGRATIONS, _ts(clock()))

    @property
    def _engine(self) -> sa.Engine:
        return self._db.engine

    def applied_migrations(self) -> list[str]:
        """Ids of the database's applied migrations, in order."""
        return self._db.applied_migrations()

    def dispose(self) -> None:
        """Release all database connections (the data stays on disk)."""
        self._db.dispose()

    # ---------------------------------------------------------------- access

    def _case_row(self, conn: Connection, case_id: object) -> Any:
        if not isinstance(case_id, str) or not 0 < len(case_id) <= _MAX_CASE_ID_LENGTH:
            raise CaseNotFound("casebook_not_found")
        row = conn.execute(sa.select(t_cases).where(t_cases.c.id == case_id)).one_or_none()
        if row is None:
            raise CaseNotFound("casebook_not_found")
        return row

    @staticmethod
    def _grant(row: Any, key: object, *, edit: bool) -> None:
        """Refuse unless ``key`` is the edit key (or, to read, the view key)."""
        given = _hash(key) if isinstance(key, str) and len(key) <= _MAX_KEY_LENGTH else ""
        is_edit = hmac.compare_digest(given, row.edit_key_hash)
        is_view = hmac.compare_digest(given, row.view_key_hash)
        if is_edit or (is_view and not edit):
            return
        raise AccessDenied("casebook_edit_denied" if is_view else "casebook_read_denied")

    def _open(self, conn: Connection, case_id: object, key: object, *, edit: bool) -> Any:
        row = self._case_row(conn, case_id)
        self._grant(row, key, edit=edit)
        return row

    def view_key(self, case_id: str, edit_key: str) -> str:
        """The read-only key, shown again to whoever holds the edit key."""
        self._db.read(lambda conn: self._open(conn, case_id, edit_key, edit=True))
        return view_key_for(edit_key, case_id)

    def can_edit(self, case_id: str, key: str) -> bool:
        """Whether ``key`` is this case's edit key (False for its view key; AccessDenied
        for neither)."""

        def find(conn: Connection) -> bool:
            row = self._open(conn, case_id, key, edit=False)
            return hmac.compare_digest(_hash(key), row.edit_key_hash)

        return self._db.read(find)

    # ---------------------------------------------------------------- documents

    def add_document(
        self, doc: ExtractedDocument, case_id: str | None = None, key: str | None = None
    ) -> int:
        """Store a document once (by its hash) and return its id; with ``case_id`` and the
        edit ``key``, link it to that case as well (within the case's limits)."""
        _check_document(doc)

        def add(conn: Connection) -> int:
            if case_id is not None:
                self._open(conn, case_id, key, edit=True)
            document_id = self._store_document(conn, doc)
            if case_id is not None:
                self._link(conn, case_id, document_id)
            return document_id

        return self._db.write(add)

    def _store_document(self, conn: Connection, doc: ExtractedDocument) -> int:
        found = conn.scalar(sa.select(t_documents.c.id).where(t_documents.c.sha256 == doc.sha256))
        if found is not None:
            return int(found)
        # A racing insert of the same bytes fails the unique constraint and is retried,
        # finding the row above.
        result = conn.execute(
            t_documents.insert().values(
                sha256=doc.sha256,
                source_name=source_name(doc.sha256),
                filename=doc.filename,
                kind=doc.kind,
                size=doc.size,
                title=doc.title,
                date=doc.date,
                text=doc.text,
                pages=json.dumps(list(doc.pages)),
                added_at=_ts(self._clock()),
            )
        )
        return inserted_id(result)

    def _link(self, conn: Connection, case_id: str, document_id: int) -> None:
        linked = list(
            conn.execute(
                sa.select(t_documents.c.id, t_documents.c.size)
                .join(t_case_documents, t_case_documents.c.document_id == t_documents.c.id)
                .where(t_case_documents.c.case_id == case_id)
            )
        )
        if any(r.id == document_id for r in linked):
            return
        if len(linked) >= limits.MAX_DOCUMENTS_PER_CASE:
            raise LimitExceeded(
                "casebook_too_many_documents",
                limit=limits.MAX_DOCUMENTS_PER_CASE,
                count=len(linked),
            )
        size = conn.scalar(sa.select(t_documents.c.size).where(t_documents.c.id == document_id))
        total = sum(int(r.size) for r in linked) + int(size or 0)
        if total > limits.MAX_CASE_BYTES:
            raise LimitExceeded("casebook_case_too_large", limit=limits.MAX_CASE_BYTES, total=total)
        conn.execute(
            t_case_documents.insert().values(
                case_id=case_id, document_id=document_id, added_at=_ts(self._clock())
            )
        )

    def link_document(self, case_id: str, key: str, document_id: int) -> None:
        """Let a case rest on a document already stored (e.g. one another case uses)."""

        def link(conn: Connection) -> None:
            self._open(conn, case_id, key, edit=True)
            if (
                conn.scalar(sa.select(t_documents.c.id).where(t_documents.c.id == document_id))
                is None
            ):
                raise CaseNotFound("casebook_not_found")
            self._link(conn, case_id, document_id)

        self._db.write(link)

    @staticmethod
    def _to_document(row: Any) -> StoredDocument:
        return StoredDocument(
            id=int(row.id),
            sha256=row.sha256,
            source_name=row.source_name,
            filename=row.filename,
            kind=row.kind,
            size=int(row.size),
            title=row.title,
            date=row.date,
            text=row.text,
            pages=tuple(json.loads(row.pages)),
            added_at=row.added_at,
        )

    def document(self, document_id: int) -> StoredDocument:
        """A stored document by id. A trusted read: for server code that has already
        checked the caller may see it (e.g. it is among :meth:`documents` of their case)."""

        def find(conn: Connection) -> StoredDocument:
            row = conn.execute(
                sa.select(t_documents).where(t_documents.c.id == document_id)
            ).one_or_none()
            if row is None:
                raise CaseNotFound("casebook_not_found")
            return self._to_document(row)

        return self._db.read(find)

    @staticmethod
    def _documents(conn: Connection, case_id: str) -> list[StoredDocument]:
        rows = conn.execute(
            sa.select(t_documents)
            .join(t_case_documents, t_case_documents.c.document_id == t_documents.c.id)
            .where(t_case_documents.c.case_id == case_id)
            .order_by(t_case_documents.c.added_at, t_documents.c.id)
        )
        return [CaseLibrary._to_document(r) for r in rows]

    def documents(self, case_id: str, key: str) -> list[StoredDocument]:
        """The documents a case rests on, in the order they were added (view or edit key)."""

        def find(conn: Connection) -> list[StoredDocument]:
            self._open(conn, case_id, key, edit=False)
            return self._documents(conn, case_id)

        return self._db.read(find)

    @staticmethod
    def source_library(documents: Iterable[StoredDocument]) -> SourceLibrary:
        """The documents as a library for checking and citing quotes: each by its source
        name, titled, with its pages."""
        docs = list(documents)
        texts = {d.source_name: d.text for d in docs}
        return SourceLibrary.from_texts(texts, {d.source_name: document_parts(d) for d in docs})

    def library(self, case_id: str, key: str) -> SourceLibrary:
        """The case's documents as a :class:`~afweging.sources.SourceLibrary`."""
        return self.source_library(self.documents(case_id, key))

    # ---------------------------------------------------------------- cases

    def _insert_case(self, conn: Connection, case_id: str, edit_key: str, view_key: str) -> None:
        conn.execute(
            t_cases.insert().values(
                id=case_id,
                edit_key_hash=_hash(edit_key),
                view_key_hash=_hash(view_key),
                created_at=_ts(self._clock()),
            )
        )

    def create_case(
        self,
        from_yaml: str | None = None,
        *,
        criteria_yaml: str | None = None,
        criteria: str = "kern",
        note: str = "",
    ) -> tuple[str, str, str]:
        """A new case from ``from_yaml`` (or a one-option start), scored on
        ``criteria_yaml`` (or the bundled criteria set ``criteria``); its text is
        version 1. Returns (case id, edit key, view key): show the keys once, as links.

        Source documents of the content in use that the texts cite (``seeds/``) become
        documents of the case, and the texts cite them by their stored names.
        """
        case_text = _check_text(NEW_CASE_YAML if from_yaml is None else from_yaml, "case")
        criteria_text = _check_text(
            _bundled_text("criteria", criteria) if criteria_yaml is None else criteria_yaml,
            "criteria",
        )
        _check_note(note)
        seeds, (case_text, criteria_text) = _adopt_seeds(case_text, criteria_text)
        for doc in seeds:
            _check_document(doc)
        case_id, edit_key, view_key = _new_keys()

        def create(conn: Connection) -> None:
            self._insert_case(conn, case_id, edit_key, view_key)
            for doc in seeds:
                self._link(conn, case_id, self._store_document(conn, doc))
            self._add_version(conn, case_id, case_text, criteria_text, note, publish=False)

        self._db.write(create)
        return case_id, edit_key, view_key

    def restore(
        self,
        case_yaml: str,
        criteria_yaml: str,
        documents: Iterable[ExtractedDocument],
        *,
        note: str = "",
        publish: bool = False,
    ) -> tuple[str, str, str]:
        """A new case holding exactly these texts and documents (an import): version 1 is
        published when ``publish`` and it has no problems. A document already stored (same
        hash) must have the same text: InvalidData ``bundle_document_differs`` otherwise,
        and nothing is stored."""
        _check_text(case_yaml, "case")
        _check_text(criteria_yaml, "criteria")
        _check_note(note)
        docs = list(documents)
        for doc in docs:
            _check_document(doc)
        case_id, edit_key, view_key = _new_keys()

        def create(conn: Connection) -> None:
            self._insert_case(conn, case_id, edit_key, view_key)
            for doc in docs:
                stored = conn.scalar(
                    sa.select(t_documents.c.text).where(t_documents.c.sha256 == doc.sha256)
                )
                if stored is not None and stored != doc.text:
                    name = source_name(doc.sha256)
                    raise InvalidData(
                        [Problem(name, "", "bundle_document_differs", {"name": name})]
                    )
                self._link(conn, case_id, self._store_document(conn, doc))
            try:
                self._add_version(conn, case_id, case_yaml, criteria_yaml, note, publish=publish)
            except NotPublishable:  # nothing was written: keep it as a draft with its problems
                self._add_version(conn, case_id, case_yaml, criteria_yaml, note, publish=False)

        self._db.write(create)
        return case_id, edit_key, view_key

    def copy_bundled(
        self, case: str = "g32", criteria: str = "kern", note: str = ""
    ) -> tuple[str, str, str]:
        """A new case copied from a case of the content in use, scored on one of its
        criteria sets: scores for leaves of other sets are left out (the copy is checked
        like an exported folder holding only this set), and a consideration tied to a
        criterion outside the set is kept, untied. The copy is written out anew (YAML
        comments are not kept)."""
        criteria_text = _bundled_text("criteria", criteria)
        try:
            cset = CriteriaSet.model_validate(parse(criteria_text.encode(), criteria).data)
        except (InvalidData, ValueError):
            cset = None
        data = parse(_bundled_text("scenarios", case).encode("utf-8"), case).data
        if cset is not None:
            _keep_set(data, cset)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        return self.create_case(
            text, criteria_yaml=criteria_text, note=note or f"copy of {case} ({criteria})"
        )

    def bundled_criteria(self, case_id: str, edit_key: str, name: str) -> str:
        """The text of the bundled criteria set ``name`` (of the content in use), to put in
        place of a case's set: the source documents its quotes cite become documents of
        the case (as :meth:`create_case` does), and the text cites them by their stored
        names. Saves no version: the editor saves the text with the case."""
        text = _check_text(_bundled_text("criteria", name), "criteria")
        seeds, (text,) = _adopt_seeds(text)
        for doc in seeds:
            _check_document(doc)

        def adopt(conn: Connection) -> None:
            self._open(conn, case_id, edit_key, edit=True)
            for doc in seeds:
                self._link(conn, case_id, self._store_document(conn, doc))

        self._db.write(adopt)
        return text

    # ---------------------------------------------------------------- versions

    def _add_version(
        self,
        conn: Connection,
        case_id: str,
        case_yaml: str,
        criteria_yaml: str,
        note: str,
        *,
        publish: bool,
    ) -> CaseVersion:
        case_yaml = with_header(case_yaml, "scenarios")
        criteria_yaml = with_header(criteria_yaml, "criteria")
        _check_text(case_yaml, "case")
        _check_text(criteria_yaml, "criteria")
        checked = self._check(conn, case_id, case_yaml, criteria_yaml)
        # A saved version ends the edit in progress (published or not: it holds it now).
        conn.execute(t_case_drafts.delete().where(t_case_drafts.c.case_id == case_id))
        if publish and checked.problems:
            raise NotPublishable(checked.problems)
        latest = int(
            conn.scalar(
                sa.select(sa.func.coalesce(sa.func.max(t_case_versions.c.number), 0)).where(
                    t_case_versions.c.case_id == case_id
                )
            )
            or 0
        )
        if latest >= limits.MAX_VERSIONS_PER_CASE:
            raise LimitExceeded("casebook_too_many_versions", limit=limits.MAX_VERSIONS_PER_CASE)
        version = CaseVersion(
            case_id=case_id,
            number=latest + 1,  # a racing save with the same number is retried
            case_yaml=case_yaml,
            criteria_yaml=criteria_yaml,
            data_version=data_version(case_yaml, criteria_yaml),
            note=note,
            problems=checked.problems,
            published=publish,
            saved_at=_ts(self._clock()),
        )
        conn.execute(
            t_case_versions.insert().values(
                case_id=case_id,
                number=version.number,
                case_yaml=case_yaml,
                criteria_yaml=criteria_yaml,
                data_version=version.data_version,
                note=note,
                problems=problems_to_json(version.problems),
                published=publish,
                saved_at=version.saved_at,
            )
        )
        return version

    def _check(self, conn: Connection, case_id: str, case_yaml: str, criteria_yaml: str) -> Checked:
        library = self.source_library(self._documents(conn, case_id))
        return check(case_yaml, criteria_yaml, library)

    def save(
        self,
        case_id: str,
        edit_key: str,
        yaml_text: str,
        note: str = "",
        *,
        criteria_yaml: str | None = None,
        publish: bool = False,
    ) -> CaseVersion:
        """Save the case's text as its next version (the criteria set's too, or the
        previous version's when None); return it with the problems it has.

        A draft is saved with its problems; ``publish=True`` saves only a version without
        any (NotPublishable lists them, and nothing is saved). The edit key is required.
        """
        _check_text(yaml_text, "case")
        _check_note(note)
        if criteria_yaml is not None:
            _check_text(criteria_yaml, "criteria")

        def store(conn: Connection) -> CaseVersion:
            self._open(conn, case_id, edit_key, edit=True)
            criteria = criteria_yaml
            if criteria is None:
                criteria = self._latest_row(conn, case_id).criteria_yaml
            return self._add_version(conn, case_id, yaml_text, criteria, note, publish=publish)

        return self._db.write(store)

    def keep_draft(
        self,
        case_id: str,
        edit_key: str,
        base: int,
        case_yaml: str,
        criteria_yaml: str | None = None,
    ) -> None:
        """Keep the edit in progress (replacing the one kept before), so a reload or a
        closed tab loses nothing; it is no version and is ended by the next save."""
        _check_text(case_yaml, "case")
        if criteria_yaml is not None:
            _check_text(criteria_yaml, "criteria")

        def store(conn: Connection) -> None:
            self._open(conn, case_id, edit_key, edit=True)
            conn.execute(t_case_drafts.delete().where(t_case_drafts.c.case_id == case_id))
            conn.execute(
                t_case_drafts.insert().values(
                    case_id=case_id,
                    base=base,
                    case_yaml=case_yaml,
                    criteria_yaml=criteria_yaml,
                    kept_at=_ts(self._clock()),
                )
            )

        self._db.write(store)

    def working_draft(self, case_id: str, edit_key: str) -> WorkingDraft | None:
        """The edit in progress kept for the case, if any (only with the edit key)."""

        def find(conn: Connection) -> WorkingDraft | None:
            self._open(conn, case_id, edit_key, edit=True)
            row = conn.execute(
                sa.select(t_case_drafts).where(t_case_drafts.c.case_id == case_id)
            ).one_or_none()
            if row is None:
                return None
            return WorkingDraft(row.base, row.case_yaml, row.criteria_yaml, row.kept_at)

        return self._db.read(find)

    def publish(self, case_id: str, edit_key: str, note: str = "") -> CaseVersion:
        """Save the latest version again as a published one (NotPublishable while it has
        problems): the text readers and workshops are given."""

        def store(conn: Connection) -> CaseVersion:
            self._open(conn, case_id, edit_key, edit=True)
            row = self._latest_row(conn, case_id)
            return self._add_version(
                conn, case_id, row.case_yaml, row.criteria_yaml, note, publish=True
            )

        _check_note(note)
        return self._db.write(store)

    def check(
        self, case_id: str, key: str, yaml_text: str, criteria_yaml: str | None = None
    ) -> list[Problem]:
        """The problems a text would have if saved now (for a live editor); saves nothing.

        With ``criteria_yaml`` the case is checked on that (edited) criteria set, whose own
        problems come named by ``criteria/<id>.yaml`` and their path; None checks it on
        the latest version's set, as :meth:`save` would keep it."""
        _check_text(yaml_text, "case")
        if criteria_yaml is not None:
            _check_text(criteria_yaml, "criteria")

        def run(conn: Connection) -> list[Problem]:
            self._open(conn, case_id, key, edit=False)
            criteria = criteria_yaml
            if criteria is None:
                criteria = self._latest_row(conn, case_id).criteria_yaml
            case_yaml = with_header(yaml_text, "scenarios")
            return list(
                self._check(conn, case_id, case_yaml, with_header(criteria, "criteria")).problems
            )

        return self._db.read(run)

    @staticmethod
    def _latest_row(conn: Connection, case_id: str) -> Any:
        return conn.execute(
            sa.select(t_case_versions)
            .where(t_case_versions.c.case_id == case_id)
            .order_by(t_case_versions.c.number.desc())
            .limit(1)
        ).one()

    @staticmethod
    def _to_version(row: Any) -> CaseVersion:
        return CaseVersion(
            case_id=row.case_id,
            number=int(row.number),
            case_yaml=row.case_yaml,
            criteria_yaml=row.criteria_yaml,
            data_version=row.data_version,
            note=row.note,
            problems=problems_from_json(row.problems),
            published=bool(row.published),
            saved_at=row.saved_at,
        )

    def version(self, case_id: str, number: int, key: str) -> CaseVersion:
        """Version ``number`` of a case, exactly as saved (view or edit key)."""

        def find(conn: Connection) -> CaseVersion:
            self._open(conn, case_id, key, edit=False)
            row = conn.execute(
                sa.select(t_case_versions).where(
                    t_case_versions.c.case_id == case_id, t_case_versions.c.number == number
                )
            ).one_or_none()
            if row is None:
                latest = self._latest_row(conn, case_id).number
                raise CaseNotFound("casebook_version_not_found", version=number, latest=latest)
            return self._to_version(row)

        return self._db.read(find)

    def latest(self, case_id: str, key: str) -> CaseVersion:
        """The case's newest version (view or edit key)."""

        def find(conn: Connection) -> CaseVersion:
            self._open(conn, case_id, key, edit=False)
            return self._to_version(self._latest_row(conn, case_id))

        return self._db.read(find)

    def versions(self, case_id: str, key: str) -> list[CaseVersion]:
        """Every version of a case, oldest first (view or edit key)."""

        def find(conn: Connection) -> list[CaseVersion]:
            self._open(conn, case_id, key, edit=False)
            rows = conn.execute(
                sa.select(t_case_versions)
                .where(t_case_versions.c.case_id == case_id)
                .order_by(t_case_versions.c.number)
            )
            return [self._to_version(r) for r in rows]

        return self._db.read(find)

    def models(self, case_id: str, key: str, number: int | None = None) -> tuple[Case, CriteriaSet]:
        """The validated case and criteria set of a version (default: the latest), for
        ranking; InvalidData with every problem when it has any."""

        def find(conn: Connection) -> tuple[Case, CriteriaSet]:
            self._open(conn, case_id, key, edit=False)
            if number is None:
                row = self._latest_row(conn, case_id)
            else:
                row = conn.execute(
                    sa.select(t_case_versions).where(
                        t_case_versions.c.case_id == case_id,
                        t_case_versions.c.number == number,
                    )
                ).one_or_none()
                if row is None:
                    latest = self._latest_row(conn, case_id).number
                    raise CaseNotFound("casebook_version_not_found", version=number, latest=latest)
            checked = self._check(conn, case_id, row.case_yaml, row.criteria_yaml)
            if checked.case is None or checked.criteria_set is None:
                raise InvalidData(checked.problems)
            return checked.case, checked.criteria_set

        return self._db.read(find)

    # ---------------------------------------------------------------- trusted reads

    def version_models(self, case_id: str, number: int) -> tuple[Case, CriteriaSet, str]:
        """The validated models and the data version of version ``number``, without a key.
        A trusted read, as :meth:`document`: for server code that checked the key when it
        linked the version (a workshop session started on a saved case; its participants
        hold no key). CaseNotFound when there is no such version, InvalidData when it has
        problems."""

        def find(conn: Connection) -> tuple[Case, CriteriaSet, str]:
            self._case_row(conn, case_id)
            row = conn.execute(
                sa.select(t_case_versions).where(
                    t_case_versions.c.case_id == case_id, t_case_versions.c.number == number
                )
            ).one_or_none()
            if row is None:
                raise CaseNotFound("casebook_not_found")
            checked = self._check(conn, case_id, row.case_yaml, row.criteria_yaml)
            if checked.case is None or checked.criteria_set is None:
                raise InvalidData(checked.problems)
            return checked.case, checked.criteria_set, str(row.data_version)

        return self._db.read(find)


# --------------------------------------------------------------------------- bundled content


def _bundled_text(folder: str, name: str) -> str:
    """The text of ``<content>/<folder>/<name>.yaml``, the content in use."""
    where = criteria_dir() if folder == "criteria" else scenarios_dir()
    present = sorted(p.stem for p in where.glob("*.yaml"))
    if name not in present:
        raise CaseNotFound(
            f"casebook_unknown_bundled_{'criteria' if folder == 'criteria' else 'case'}",
            name=str(name)[:80],
            present=", ".join(present) or "-",
        )
    path = where / f"{name}.yaml"
    return read_limited(path, path.name, limits.MAX_YAML_BYTES).decode("utf-8")


def bundled_criteria_names() -> list[str]:
    """The names of the criteria sets of the content in use (``criteria/<name>.yaml``)."""
    return sorted(p.stem for p in criteria_dir().glob("*.yaml"))


@lru_cache(maxsize=1)
def _bundled_parts() -> dict[str, tuple[Part, ...]]:
    """The bundled seeds' parts (documents inside one file, each titled) by the file's hash."""
    library = SourceLibrary()
    found: dict[str, tuple[Part, ...]] = {}
    for name in library.names():
        document = library.document(name)
        if document is not None and library.parts(name):
            raw = read_limited(document.path, name, limits.MAX_TEXT_BYTES)
            found[hashlib.sha256(raw).hexdigest()] = library.parts(name)
    return found


def document_parts(d: StoredDocument) -> tuple[Part, ...]:
    """How a stored document is cited: a copy of a bundled seed by the seed's own titled
    parts (one file holds several letters and reports), any other as one titled part with
    its page starts."""
    return _bundled_parts().get(d.sha256) or (
        Part(1, d.extracted().line_count, d.title, d.title, d.pages),
    )


def document_title(d: StoredDocument, lang: str) -> str:
    """What a list names a stored document by: its title, or for a seed file that holds
    several documents their titles in order ('Aanbiedingsbrief ...; Brief van ...')."""
    parts = document_parts(d)
    if len(parts) > 1:
        return "; ".join(part.title(lang) for part in parts)
    return d.title or d.filename


def _adopt_seeds(*texts: str) -> tuple[list[ExtractedDocument], list[str]]:
    """The content's source documents (``seeds/``) the texts cite, as documents to store,
    and the texts citing them by their stored names instead."""
    library = SourceLibrary()
    seeds: list[ExtractedDocument] = []
    out = list(texts)
    for name in library.names():
        if not any(name in t for t in out):
            continue
        document = library.document(name)
        if document is None:
            continue
        raw = read_limited(document.path, name, limits.MAX_TEXT_BYTES)
        sha = hashlib.sha256(raw).hexdigest()
        text = raw.decode("utf-8", errors="replace")
        parts = library.parts(name)
        # One title per stored document: a seed holding several documents keeps its name.
        title = parts[0].title_nl if len(parts) == 1 else name
        seeds.append(
            ExtractedDocument(
                sha256=sha,
                filename=name,
                kind="txt",
                size=len(raw),
                title=title,
                date=None,
                text=text,
                pages=(1,),
            )
        )
        out = [t.replace(name, source_name(sha)) for t in out]
    return seeds, out


def _keep_set(data: dict[str, Any], cset: CriteriaSet) -> None:
    """Leave only scores for the set's leaves; untie considerations from criteria the set
    does not have (in place)."""
    leaves = {leaf.id for leaf in cset.leaves()}
    known = {c.id for c in cset.walk()}
    for option in data.get("options") or []:
        if isinstance(option, dict) and isinstance(option.get("scores"), dict):
            option["scores"] = {k: v for k, v in option["scores"].items() if k in leaves}
    conclusion = data.get("conclusion")
    if isinstance(conclusion, dict):
        for item in conclusion.get("considerations") or []:
            if isinstance(item, dict) and item.get("criterion") not in known:
                item["criterion"] = None


__all__ = ["NEW_CASE_YAML", "CaseLibrary", "bundled_criteria_names", "view_key_for"]
