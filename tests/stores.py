"""The workshop database as a test sees it: every table read over a connection of its
own (never the store's), the same way on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

#: Every table of the database (afweging/workshop/db_schema.py, then the case library's
#: afweging/casebook/db_schema.py, then the workshop's link to saved cases).
TABLES = (
    "schema_migrations",
    "sessions",
    "rounds",
    "participants",
    "submissions",
    "discarded_submissions",
    "session_viewers",
    "join_attempts",
    "documents",
    "cases",
    "case_documents",
    "case_versions",
    "session_library_cases",
    "case_drafts",
)


def dump(url: str | sa.URL, tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple]]:
    """Every row of ``tables``, in a fixed order, so two dumps compare equal exactly when
    nothing was written in between."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {
                t: [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1, 2")]
                for t in tables
            }
    finally:
        engine.dispose()
