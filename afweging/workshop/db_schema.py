"""The workshop database's tables, and the database's one chain of migrations.

Only SQLAlchemy Core table definitions are used, so the same schema works on
SQLite and PostgreSQL. Times are stored as fixed-width UTC text and lists and
weights as JSON text. :data:`MIGRATIONS` is the chain of the whole database: the
workshop's migrations, then the case library's
(:mod:`afweging.casebook.db_schema`). It is applied in order by
:meth:`afweging.database.Database.migrate` whenever the workshop store or the case
library opens a database, each migration once, recorded in ``schema_migrations``;
a database changes shape only through a new migration appended there, never by
editing an old one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from afweging.casebook.db_schema import CASE_DRAFT_MIGRATIONS, CASE_LIBRARY_MIGRATIONS
from afweging.database import schema_migrations
from afweging.workshop.checks import MAX_ID_LENGTH, MAX_TEXT_LENGTH

metadata = sa.MetaData()

t_sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("facilitator_key_hash", sa.String(64), nullable=False),
    sa.Column("case_id", sa.String(MAX_ID_LENGTH), nullable=False),
    sa.Column("criteria_set_id", sa.String(MAX_ID_LENGTH), nullable=False),
    sa.Column("option_ids", sa.Text, nullable=False),  # JSON list
    sa.Column("weighable_ids", sa.Text, nullable=False),  # JSON list
    sa.Column("weight_method", sa.String(16), nullable=False),
    sa.Column("ask_name", sa.Boolean, nullable=False),
    sa.Column("ask_municipality", sa.Boolean, nullable=False),
    sa.Column("ask_role", sa.Boolean, nullable=False),
    sa.Column("show_names", sa.Boolean, nullable=False),
    sa.Column("is_open", sa.Boolean, nullable=False),
    sa.Column("current_round", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("expires_at", sa.String(40), nullable=False),
)

t_rounds = sa.Table(
    "rounds",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True),
    sa.Column("revealed", sa.Boolean, nullable=False),
    sa.Column("started_at", sa.String(40), nullable=False),
)

t_participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(MAX_TEXT_LENGTH)),
    sa.Column("municipality", sa.String(MAX_TEXT_LENGTH)),
    sa.Column("role", sa.String(MAX_TEXT_LENGTH)),
    sa.Column("joined_at", sa.String(40), nullable=False),
    sa.UniqueConstraint("session_id", "number", name="uq_participants_session_number"),
)

t_submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("weights", sa.Text, nullable=False),  # JSON object
    sa.Column("submitted_at", sa.String(40), nullable=False),
    sa.UniqueConstraint(
        "session_id", "round", "participant_id", name="uq_submissions_session_round_participant"
    ),
)

# A reset moves the round's submissions here instead of deleting them: nothing
# submitted is ever lost, even by a facilitator's mistake.
t_discarded = sa.Table(
    "discarded_submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("weights", sa.Text, nullable=False),
    sa.Column("submitted_at", sa.String(40), nullable=False),
    sa.Column("discarded_at", sa.String(40), nullable=False),
    sa.Index("ix_discarded_submissions_session", "session_id"),
)


# The projector link's key (derived from the facilitator key, see
# afweging.workshop.checks.viewer_key_for); only its hash is stored.
t_viewers = sa.Table(
    "session_viewers",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
)

# Failed join-code attempts, so the limiter holds across restarts and processes.
# ``subject`` is who tried ("address:203.0.113.7", "browser:<id>"), ``code`` what
# they typed (normalised, or a short digest of malformed input).
t_attempts = sa.Table(
    "join_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subject", sa.String(120), nullable=False),
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Index("ix_join_attempts_subject_at", "subject", "at"),
    sa.Index("ix_join_attempts_at", "at"),
)


# A session started on a saved case of the case library (migration 0004): which case and
# which of its versions. The session's own case_id/criteria_set_id then hold the ids the
# dashboard gives that version's models (see afweging.casebook.linked). No key is stored:
# it was checked when the session was created, and participants need none.
t_session_cases = sa.Table(
    "session_library_cases",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("library_case_id", sa.String(24), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)


def _m0001_initial(conn: Connection) -> None:
    # Later migrations must not edit these Table objects in a way that changes
    # what this function creates; add a new migration with ALTER/CREATE instead.
    metadata.create_all(
        conn,
        tables=[t_sessions, t_rounds, t_participants, t_submissions, t_discarded],
    )


def _m0002_viewers_and_attempts(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t_viewers, t_attempts])


#: The workshop's own migrations.
WORKSHOP_MIGRATIONS: Final[tuple[tuple[str, Callable[[Connection], None]], ...]] = (
    ("0001_initial", _m0001_initial),
    ("0002_viewers_and_attempts", _m0002_viewers_and_attempts),
)


def _m0004_session_library_cases(conn: Connection) -> None:
    metadata.create_all(conn, tables=[t_session_cases])


#: Migrations after the case library's: workshops on saved cases.
LIBRARY_SESSION_MIGRATIONS: Final[tuple[tuple[str, Callable[[Connection], None]], ...]] = (
    ("0004_session_library_cases", _m0004_session_library_cases),
)

#: The whole database's chain, applied in order, each once; ids in ``schema_migrations``.
MIGRATIONS: Final[tuple[tuple[str, Callable[[Connection], None]], ...]] = (
    *WORKSHOP_MIGRATIONS,
    *CASE_LIBRARY_MIGRATIONS,
    *LIBRARY_SESSION_MIGRATIONS,
    *CASE_DRAFT_MIGRATIONS,
)


__all__ = [
    "LIBRARY_SESSION_MIGRATIONS",
    "MIGRATIONS",
    "WORKSHOP_MIGRATIONS",
    "metadata",
    "schema_migrations",
    "t_attempts",
    "t_discarded",
    "t_participants",
    "t_rounds",
    "t_session_cases",
    "t_sessions",
    "t_submissions",
    "t_viewers",
]
