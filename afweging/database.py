"""The one database Afweging keeps: opening it, its transactions, and its migration chain.

The workshop store (:mod:`afweging.workshop.store`) and the case library
(:mod:`afweging.casebook.store`) keep their tables in the same database and share
what is here, so both open it the same way and upgrade it through one chain of
migrations (:data:`afweging.workshop.db_schema.MIGRATIONS`: the workshop's, then the
case library's). Whichever opens a database first brings it up to date for both.

Durability and locking choices (SQLite, the default):

- WAL journal with ``synchronous=FULL`` by default: every commit is fsynced before
  it is acknowledged, so it survives a killed process and a power cut.
- ``busy_timeout`` makes a writer wait for the lock instead of failing, and one lock
  per :class:`Database` serialises its process's writers so they queue in order
  instead of polling SQLite's busy handler.
- Write transactions start with ``BEGIN IMMEDIATE`` so a read-then-write never meets
  a lock upgrade failure.

Only SQLAlchemy Core is used, so a PostgreSQL URL works too; a write that loses a
race on a unique constraint is retried (:meth:`Database.write`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS: Final = 30_000
SYNCHRONOUS_MODES: Final = ("FULL", "NORMAL", "EXTRA")
#: Attempts of a write whose unique constraint races with another writer's.
RETRIES: Final = 5

#: One migration: its id (recorded once applied) and what it does to the database.
Migration = tuple[str, Callable[[Connection], None]]

_metadata = sa.MetaData()

#: Which migrations a database has had, by id, with when (UTC text).
schema_migrations = sa.Table(
    "schema_migrations",
    _metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("applied_at", sa.String(40), nullable=False),
)

T = TypeVar("T")


def is_memory(target: str) -> bool:
    """Whether ``target`` names a private in-memory SQLite database."""
    return target in (":memory:", "sqlite://", "sqlite:///:memory:")


def open_engine(target: str | os.PathLike[str], synchronous: str = "FULL") -> tuple[Engine, bool]:
    """An engine for a SQLAlchemy URL, a SQLite file path (parent folders are made) or
    ``":memory:"`` (one database shared by all threads); and whether it is in memory.

    SQLite connections get the busy timeout, foreign keys, WAL (on a file) and the
    ``synchronous`` mode, and writes start with ``BEGIN IMMEDIATE`` (see the module).
    """
    if synchronous.upper() not in SYNCHRONOUS_MODES:
        raise ValueError(
            f"synchronous: expected one of {', '.join(SYNCHRONOUS_MODES)}, got {synchronous!r}"
        )
    text = os.fspath(target)
    memory = is_memory(text)
    if memory:
        engine = sa.create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    elif "://" in text:
        url = sa.make_url(text)
        if url.get_backend_name() == "sqlite" and url.database:
            Path(url.database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        # pre_ping: a replica whose database restarted gets fresh connections instead of
        # failing on dead ones, so it recovers by itself when the database returns.
        engine = sa.create_engine(url, pool_pre_ping=True)
    else:
        path = Path(text).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            sa.URL.create("sqlite", database=str(path)),
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )
    if engine.dialect.name == "sqlite":
        _install_sqlite_hooks(engine, memory, synchronous.upper())
    return engine, memory


def _install_sqlite_hooks(engine: Engine, memory: bool, synchronous: str) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin() decide when transactions start, instead of the
        # sqlite3 module's implicit (and lock-upgrade-prone) BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("afweging_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One engine and the locks its users share: read and write transactions, retried
    writes, the migrations."""

    def __init__(self, target: str | os.PathLike[str], synchronous: str = "FULL") -> None:
        self.engine, self.memory = open_engine(target, synchronous)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # One shared in-memory connection must never see two transactions at once;
        # for a SQLite file, queueing writers here beats polling the busy handler.
        self._all_lock: AbstractContextManager[Any] = (
            threading.RLock() if self.memory else nullcontext()
        )
        self._write_lock: AbstractContextManager[Any] = (
            threading.RLock() if self.is_sqlite and not self.memory else nullcontext()
        )

    @contextmanager
    def transaction(self, write: bool) -> Iterator[Connection]:
        """One transaction; writes take the write lock (SQLite) before BEGIN IMMEDIATE."""
        with self._all_lock, self._write_lock if write else nullcontext():  # noqa: SIM117
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(afweging_write=True)
                with conn.begin():
                    yield conn

    def write(self, action: Callable[[Connection], T]) -> T:
        """Run ``action`` in a write transaction, retrying if a unique constraint races."""
        for attempt in range(RETRIES):
            try:
                with self.transaction(write=True) as conn:
                    return action(conn)
            except IntegrityError:
                if attempt == RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def read(self, action: Callable[[Connection], T]) -> T:
        """Run ``action`` in a read transaction."""
        with self.transaction(write=False) as conn:
            return action(conn)

    def migrate(self, migrations: Sequence[Migration], applied_at: str) -> None:
        """Apply each migration not yet recorded, in order, in one write transaction.

        RuntimeError when the database records a migration this version does not know:
        a newer version wrote it, and this one must not guess at its tables.
        """

        def run(conn: Connection) -> None:
            schema_migrations.create(conn, checkfirst=True)
            applied = set(conn.scalars(sa.select(schema_migrations.c.id)))
            known = [mid for mid, _ in migrations]
            unknown = applied - set(known)
            if unknown:
                raise RuntimeError(
                    f"schema_migrations: expected only {known}, got also {sorted(unknown)}; "
                    "this database was written by a newer version of Afweging"
                )
            for migration_id, apply in migrations:
                if migration_id not in applied:
                    apply(conn)
                    conn.execute(
                        schema_migrations.insert().values(id=migration_id, applied_at=applied_at)
                    )

        self.write(run)

    def applied_migrations(self) -> list[str]:
        """Ids of the applied migrations, in the order they were applied."""
        query = sa.select(schema_migrations.c.id).order_by(
            schema_migrations.c.applied_at, schema_migrations.c.id
        )
        return self.read(lambda conn: list(conn.scalars(query)))

    def dispose(self) -> None:
        """Release all connections (the data stays on disk)."""
        self.engine.dispose()


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the one row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None:  # SQLAlchemy gives none only for an insert of many rows
        raise RuntimeError("the insert gave no primary key")
    return int(key[0])


__all__ = [
    "BUSY_TIMEOUT_MS",
    "RETRIES",
    "SYNCHRONOUS_MODES",
    "Database",
    "Migration",
    "inserted_id",
    "is_memory",
    "open_engine",
    "schema_migrations",
]
