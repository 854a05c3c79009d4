"""The case library's tables, added to the one database by migration ``0003_case_library``.

They live in the same database as the workshop's and come after its migrations in
the one chain (:data:`afweging.workshop.db_schema.MIGRATIONS`), so an existing
database upgrades in place. Times are fixed-width UTC text, lists JSON text; secrets
are stored only as their SHA-256. A saved version is a row of its own and is never
updated, so a memo's data version always leads back to the text it cited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

metadata = sa.MetaData()

#: A source document, stored once per distinct upload (``sha256`` of its bytes).
t_documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    # The name quotes cite (``<sha256[:16]>.txt``); unique so a citation names one text.
    sa.Column("source_name", sa.String(40), nullable=False, unique=True),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("date", sa.String(10)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("pages", sa.Text, nullable=False),  # JSON list of page-start lines
    sa.Column("added_at", sa.String(40), nullable=False),
)

#: A case: who may edit it (``edit_key_hash``) and who may read it (``view_key_hash``).
t_cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.String(24), primary_key=True),
    sa.Column("edit_key_hash", sa.String(64), nullable=False),
    sa.Column("view_key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
)

#: Which documents a case rests on (a document may serve several cases).
t_case_documents = sa.Table(
    "case_documents",
    metadata,
    sa.Column("case_id", sa.String(24), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("added_at", sa.String(40), nullable=False),
)

#: Every save of a case, numbered 1, 2, ... per case; rows are only ever inserted.
t_case_versions = sa.Table(
    "case_versions",
    metadata,
    sa.Column("case_id", sa.String(24), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("case_yaml", sa.Text, nullable=False),
    sa.Column("criteria_yaml", sa.Text, nullable=False),
    sa.Column("data_version", sa.String(12), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("problems", sa.Text, nullable=False),  # JSON list, as found when saved
    sa.Column("published", sa.Boolean, nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
)


#: The edit in progress of a case (one row per case, replaced on every change and removed
#: when a version is saved), so a reload or a closed tab loses nothing. It is not a
#: version: versions stay insert-only; ``base`` is the version the edit started from.
t_case_drafts = sa.Table(
    "case_drafts",
    metadata,
    sa.Column("case_id", sa.String(24), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("base", sa.Integer, nullable=False),
    sa.Column("case_yaml", sa.Text, nullable=False),
    sa.Column("criteria_yaml", sa.Text),  # None: the base version's set, unchanged
    sa.Column("kept_at", sa.String(40), nullable=False),
)


def _m0003_case_library(conn: Connection) -> None:
    # As with the workshop's: a later change is a new migration, never an edit here.
    metadata.create_all(conn, tables=[t_documents, t_cases, t_case_documents, t_case_versions])


def _m0005_case_drafts(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t_case_drafts])


#: Edits in progress kept between saves (after the workshop's 0004 in the chain).
CASE_DRAFT_MIGRATIONS: Final[tuple[tuple[str, Callable[[Connection], None]], ...]] = (
    ("0005_case_drafts", _m0005_case_drafts),
)

#: The case library's migrations, appended to the workshop's in the one chain.
CASE_LIBRARY_MIGRATIONS: Final[tuple[tuple[str, Callable[[Connection], None]], ...]] = (
    ("0003_case_library", _m0003_case_library),
)

__all__ = [
    "CASE_DRAFT_MIGRATIONS",
    "CASE_LIBRARY_MIGRATIONS",
    "metadata",
    "t_case_documents",
    "t_case_drafts",
    "t_case_versions",
    "t_cases",
    "t_documents",
]
