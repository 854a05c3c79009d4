"""Durable storage for workshop sessions: who joined, and which weights they submitted.

A facilitator creates a session and gets a short *join code* (shown on the
projector) and a long *facilitator key* (kept private). Participants join with
the code and get a *participant token*; with it they submit, and may resubmit,
their own weights. Only the facilitator key can reveal, hide, close, reopen,
reset, start a new round or export.

Security choices:

- Join codes are 6 characters from a 31-character alphabet without the
  look-alikes 0/O/1/I/L: 31**6 = 887,503,681 codes. With 100 live sessions a
  random guess finds one with probability about 1 in 9 million; a code only lets
  someone *join* (it gives no control and shows nothing that is not revealed), and
  the web layer should still rate-limit joins.
- Facilitator keys and participant tokens are ``secrets.token_urlsafe(32)``
  (256 bits). Only their SHA-256 is stored, so a leaked database file gives no
  control. Facilitator keys are compared with :func:`hmac.compare_digest`.
- Names, municipalities and roles are plain text: bounded, control and bidi
  characters refused, never interpreted as markup here (the UI must escape).

Durability choices (SQLite, the default):

- WAL journal with ``synchronous=FULL`` by default: every commit is fsynced
  before :meth:`WorkshopStore.submit` returns, so an acknowledged submission
  survives a killed process *and* a power cut. ``synchronous="NORMAL"`` is also
  accepted: still safe against a killed process, but the last commits may be lost
  on power loss. A workshop writes a few hundred rows per minute, so FULL costs
  little.
- ``busy_timeout`` makes a writer wait for the lock instead of failing, and one
  process-wide lock serialises this process's writers so they queue in order
  instead of polling SQLite's busy handler.
- Write transactions start with ``BEGIN IMMEDIATE`` so a read-then-write never
  meets a lock upgrade failure.

Only SQLAlchemy Core and portable SQL are used, so a PostgreSQL URL works too: the
upsert is "update, else insert" inside one transaction, guarded by a unique
constraint and retried if a concurrent insert wins.

Opening the database, its locks and transactions and the migration runner are
:mod:`afweging.database`'s, shared with the case library that keeps its tables in
the same database.

The pieces the store is built from live in small modules of their own:
:mod:`~afweging.workshop.errors` (refusals), :mod:`~afweging.workshop.records`
(the frozen records callers get back), :mod:`~afweging.workshop.db_schema` (tables
and migrations) and :mod:`~afweging.workshop.checks` (join codes, secrets and
input validation). Their public names are re-exported here.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from afweging.database import (  # noqa: F401  (names the store has always offered)
    BUSY_TIMEOUT_MS,
    SYNCHRONOUS_MODES,
    Database,
    inserted_id,
)
from afweging.workshop.checks import (
    _MAX_SECRET_LENGTH,
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_SPACE,
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_WEIGHT,
    _check_id_list,
    _check_identifier,
    _hash_secret,
    _new_code,
    clean_text,
    normalise_code,
    validate_weights,
    viewer_key_for,
)
from afweging.workshop.db_schema import (
    MIGRATIONS,
    t_discarded,
    t_participants,
    t_rounds,
    t_session_cases,
    t_sessions,
    t_submissions,
    t_viewers,
)
from afweging.workshop.errors import (
    AccessDenied,
    FieldProblem,
    InvalidSubmission,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    StoreUnavailable,
    TooManyAttempts,
    WorkshopError,
    _refuse,
    _show,
)
from afweging.workshop.records import Participant, Session, Submission, _now, _parse_ts, _ts

# --------------------------------------------------------------------------- constants

WEIGHT_METHODS: Final = ("sliders", "rank")
DEFAULT_TTL: Final = timedelta(hours=24)
#: Far above a council chamber; stops a script from flooding a session with joins.
DEFAULT_MAX_PARTICIPANTS: Final = 1000
#: Joins per session per minute: a room of 400 joining in one minute passes; a leaked
#: code used from many addresses to stuff a session does not.
DEFAULT_MAX_JOINS_PER_MINUTE: Final = 600


def default_store_path() -> Path:
    """Where the workshop database lives unless the caller says otherwise."""
    return Path(os.environ.get("AFWEGING_DATA_DIR", "data")) / "workshop.sqlite3"


# --------------------------------------------------------------------------- the store

T = TypeVar("T")


class WorkshopStore:
    """Sessions, participants and submissions in one database, safe for many threads.

    ``url_or_path`` is a SQLAlchemy URL (``postgresql+psycopg://...``), a file path
    (parent folders are created), or ``":memory:"`` (one database shared by all
    threads, for tests and demos). The schema is created and upgraded on open.
    """

    def __init__(
        self,
        url_or_path: str | os.PathLike[str] | None = None,
        *,
        session_ttl: timedelta = DEFAULT_TTL,
        max_participants: int = DEFAULT_MAX_PARTICIPANTS,
        max_joins_per_minute: int = DEFAULT_MAX_JOINS_PER_MINUTE,
        synchronous: str = "FULL",
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.session_ttl = session_ttl
        self.max_participants = max_participants
        self.max_joins_per_minute = max_joins_per_minute
        self._clock = clock
        self._db = Database(
            default_store_path() if url_or_path is None else url_or_path, synchronous
        )
        self._memory = self._db.memory
        self._is_sqlite = self._db.is_sqlite
        self._migrate()

    # ---------------------------------------------------------------- engine set-up
    # The engine, its locks and the migration runner are afweging.database's, shared
    # with the case library; these names keep the store's own code and tests short.

    @property
    def _engine(self) -> Engine:
        return self._db.engine

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Connection]:
        """One transaction; writes take the write lock (SQLite) before BEGIN IMMEDIATE."""
        with self._db.transaction(write) as conn:
            yield conn

    def _write(self, action: Callable[[Connection], T]) -> T:
        """Run ``action`` in a write transaction, retrying if a unique constraint races."""
        return self._db.write(action)

    def _read(self, action: Callable[[Connection], T]) -> T:
        return self._db.read(action)

    def run_write(self, action: Callable[[Connection], T]) -> T:
        """Run ``action`` in a write transaction of this store's database.

        For the modules of this package that keep tables of their own in the same
        database (:mod:`afweging.workshop.limits`), so they share its locking.
        """
        return self._write(action)

    def run_read(self, action: Callable[[Connection], T]) -> T:
        """Run ``action`` in a read transaction of this store's database."""
        return self._read(action)

    def now(self) -> datetime:
        """The store's clock (tests set it)."""
        return self._clock()

    def _migrate(self) -> None:
        self._db.migrate(MIGRATIONS, _ts(self._clock()))

    def applied_migrations(self) -> list[str]:
        """Ids of the applied migrations, in the order they were applied."""
        return self._db.applied_migrations()

    def dispose(self) -> None:
        """Release all database connections (the data stays on disk)."""
        self._db.dispose()

    # ---------------------------------------------------------------- row helpers

    def _session_row(
        self, conn: Connection, code: object, *, lock: bool = False, exclusive: bool = False
    ) -> Any:
        query = sa.select(t_sessions).where(t_sessions.c.code == normalise_code(code))
        if exclusive:
            # FOR UPDATE on PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises
            # writers): joins and facilitator actions on one session take turns and
            # wait for running submits. Without it, concurrent joins all pick the same
            # next number and exhaust the retries, and a submit committing between
            # reset()'s copy and its delete was deleted without being set aside.
            query = query.with_for_update()
        elif lock:  # FOR SHARE on PostgreSQL: close() waits for a running submit
            query = query.with_for_update(read=True)
        row = conn.execute(query).one_or_none()
        if row is None:
            raise SessionNotFound(f"no session with join code {normalise_code(code)}")
        return row

    def _to_session(self, conn: Connection, row: Any) -> Session:
        revealed = conn.scalar(
            sa.select(t_rounds.c.revealed).where(
                t_rounds.c.session_id == row.id, t_rounds.c.round == row.current_round
            )
        )
        linked = conn.execute(
            sa.select(t_session_cases.c.library_case_id, t_session_cases.c.version).where(
                t_session_cases.c.session_id == row.id
            )
        ).one_or_none()
        return Session(
            id=row.id,
            code=row.code,
            case_id=row.case_id,
            criteria_set_id=row.criteria_set_id,
            option_ids=tuple(json.loads(row.option_ids)),
            weighable_ids=tuple(json.loads(row.weighable_ids)),
            weight_method=row.weight_method,
            ask_name=bool(row.ask_name),
            ask_municipality=bool(row.ask_municipality),
            ask_role=bool(row.ask_role),
            show_names=bool(row.show_names),
            is_open=bool(row.is_open),
            current_round=row.current_round,
            revealed=bool(revealed),
            created_at=_parse_ts(row.created_at),
            expires_at=_parse_ts(row.expires_at),
            library_case=None if linked is None else (str(linked[0]), int(linked[1])),
        )

    @staticmethod
    def _to_participant(row: Any) -> Participant:
        return Participant(
            id=row.id,
            session_id=row.session_id,
            number=row.number,
            name=row.name,
            municipality=row.municipality,
            role=row.role,
            joined_at=_parse_ts(row.joined_at),
        )

    @staticmethod
    def _to_submission(row: Any) -> Submission:
        return Submission(
            session_id=row.session_id,
            round=row.round,
            participant_id=row.participant_id,
            weights=json.loads(row.weights),
            submitted_at=_parse_ts(row.submitted_at),
        )

    def _check_open(self, row: Any) -> None:
        if self._clock() >= _parse_ts(row.expires_at):
            raise SessionExpired(f"session {row.code} expired at {row.expires_at}")
        if not row.is_open:
            raise SessionClosed(f"session {row.code} is closed")

    @staticmethod
    def _check_key(row: Any, key: object) -> None:
        if (
            not isinstance(key, str)
            or len(key) > _MAX_SECRET_LENGTH
            or not hmac.compare_digest(_hash_secret(key), row.facilitator_key_hash)
        ):
            raise AccessDenied(f"facilitator key not valid for session {row.code}")

    @staticmethod
    def _participant_row(conn: Connection, session_row: Any, token: object) -> Any:
        if not isinstance(token, str) or len(token) > _MAX_SECRET_LENGTH:
            raise AccessDenied(f"participant token not valid for session {session_row.code}")
        row = conn.execute(
            sa.select(t_participants).where(
                t_participants.c.token_hash == _hash_secret(token),
                t_participants.c.session_id == session_row.id,
            )
        ).one_or_none()
        if row is None:
            raise AccessDenied(f"participant token not valid for session {session_row.code}")
        return row

    # ---------------------------------------------------------------- facilitator

    def create_session(
        self,
        case_id: str,
        criteria_set_id: str,
        option_ids: Iterable[str],
        weighable_ids: Iterable[str],
        *,
        weight_method: str = "sliders",
        ask_name: bool = False,
        ask_municipality: bool = False,
        ask_role: bool = False,
        show_names: bool = False,
        ttl: timedelta | None = None,
        library_case: tuple[str, int] | None = None,
    ) -> tuple[Session, str]:
        """Open a session in round 1 (hidden); return it and the facilitator key (shown once).

        ``library_case``: (case id, version number) of a saved case of the case library the
        session is about; the caller has checked the key that opens it (none is stored).
        """
        case = _check_identifier("case_id", case_id)
        criteria_set = _check_identifier("criteria_set_id", criteria_set_id)
        options = _check_id_list("option_ids", option_ids)
        weighable = _check_id_list("weighable_ids", weighable_ids)
        if weight_method not in WEIGHT_METHODS:
            raise _refuse(
                "weight_method", f"one of {', '.join(WEIGHT_METHODS)}", _show(weight_method)
            )
        lifetime = self.session_ttl if ttl is None else ttl
        if lifetime <= timedelta(0):
            raise _refuse("ttl", "a positive duration", str(lifetime))
        key = secrets.token_urlsafe(32)
        if library_case is not None:
            linked_id = _check_identifier("library_case", library_case[0])
            linked_version = library_case[1]
            if (
                not isinstance(linked_version, int)
                or isinstance(linked_version, bool)
                or linked_version < 1
                or len(linked_id) > 24
            ):
                raise _refuse(
                    "library_case",
                    "a case id of 24 characters at most and a version from 1",
                    _show(library_case),
                )

        def create(conn: Connection) -> Session:
            now = self._clock()
            result = conn.execute(
                t_sessions.insert().values(
                    code=_new_code(),  # a clash raises IntegrityError and is retried
                    facilitator_key_hash=_hash_secret(key),
                    case_id=case,
                    criteria_set_id=criteria_set,
                    option_ids=json.dumps(list(options)),
                    weighable_ids=json.dumps(list(weighable)),
                    weight_method=weight_method,
                    ask_name=bool(ask_name),
                    ask_municipality=bool(ask_municipality),
                    ask_role=bool(ask_role),
                    show_names=bool(show_names),
                    is_open=True,
                    current_round=1,
                    created_at=_ts(now),
                    expires_at=_ts(now + lifetime),
                )
            )
            session_id = inserted_id(result)
            if library_case is not None:
                conn.execute(
                    t_session_cases.insert().values(
                        session_id=session_id, library_case_id=linked_id, version=linked_version
                    )
                )
            conn.execute(
                t_rounds.insert().values(
                    session_id=session_id, round=1, revealed=False, started_at=_ts(now)
                )
            )
            row = conn.execute(sa.select(t_sessions).where(t_sessions.c.id == session_id)).one()
            self._set_viewer(conn, row, key)
            return self._to_session(conn, row)

        return self._write(create), key

    def require_facilitator(self, code: str, key: str) -> Session:
        """The session, if ``key`` is its facilitator key; AccessDenied otherwise."""

        def check(conn: Connection) -> Session:
            row = self._session_row(conn, code)
            self._check_key(row, key)
            return self._to_session(conn, row)

        return self._read(check)

    @staticmethod
    def _set_viewer(conn: Connection, row: Any, key: str) -> str:
        """Record the projector key's hash (once); return the projector key."""
        viewer = viewer_key_for(key, row.code)
        known = conn.scalar(sa.select(t_viewers.c.key_hash).where(t_viewers.c.session_id == row.id))
        if known is None:
            conn.execute(
                t_viewers.insert().values(session_id=row.id, key_hash=_hash_secret(viewer))
            )
        return viewer

    def viewer_key(self, code: str, key: str) -> str:
        """The read-only projector key of a session; needs the facilitator key.

        Sessions made before projector links existed get theirs on first request.
        """

        def get(conn: Connection) -> str:
            row = self._session_row(conn, code, exclusive=True)
            self._check_key(row, key)
            return self._set_viewer(conn, row, key)

        return self._write(get)

    def require_viewer(self, code: str, viewer: str) -> Session:
        """The session, if ``viewer`` is its projector key; AccessDenied otherwise.

        The projector key only shows the live picture: every action and export
        still asks for the facilitator key.
        """

        def check(conn: Connection) -> Session:
            row = self._session_row(conn, code)
            known = conn.scalar(
                sa.select(t_viewers.c.key_hash).where(t_viewers.c.session_id == row.id)
            )
            if (
                known is None
                or not isinstance(viewer, str)
                or len(viewer) > _MAX_SECRET_LENGTH
                or not hmac.compare_digest(_hash_secret(viewer), known)
            ):
                raise AccessDenied(f"projector key not valid for session {row.code}")
            return self._to_session(conn, row)

        return self._read(check)

    def _facilitator_action(
        self, code: str, key: str, action: Callable[[Connection, Any], None]
    ) -> Session:
        def run(conn: Connection) -> Session:
            row = self._session_row(conn, code, exclusive=True)  # see _session_row
            self._check_key(row, key)
            action(conn, row)
            fresh = conn.execute(sa.select(t_sessions).where(t_sessions.c.id == row.id)).one()
            return self._to_session(conn, fresh)

        return self._write(run)

    @staticmethod
    def _set_revealed(conn: Connection, row: Any, revealed: bool) -> None:
        conn.execute(
            t_rounds.update()
            .where(t_rounds.c.session_id == row.id, t_rounds.c.round == row.current_round)
            .values(revealed=revealed)
        )

    def reveal(self, code: str, key: str) -> Session:
        """Show the current round's group results to everyone."""
        return self._facilitator_action(
            code, key, lambda conn, row: self._set_revealed(conn, row, True)
        )

    def hide(self, code: str, key: str) -> Session:
        """Hide the current round's group results again."""
        return self._facilitator_action(
            code, key, lambda conn, row: self._set_revealed(conn, row, False)
        )

    @staticmethod
    def _set_open(conn: Connection, row: Any, is_open: bool) -> None:
        conn.execute(t_sessions.update().where(t_sessions.c.id == row.id).values(is_open=is_open))

    def close(self, code: str, key: str) -> Session:
        """Stop accepting joins and submissions (data is kept)."""
        return self._facilitator_action(
            code, key, lambda conn, row: self._set_open(conn, row, False)
        )

    def reopen(self, code: str, key: str) -> Session:
        """Accept joins and submissions again (until the session expires)."""
        return self._facilitator_action(
            code, key, lambda conn, row: self._set_open(conn, row, True)
        )

    def reset(self, code: str, key: str) -> Session:
        """Start the current round over: its submissions are set aside, results hidden, open.

        The set-aside rows move to ``discarded_submissions``, so even a mistaken
        reset loses nothing; participants keep their tokens.
        """

        def action(conn: Connection, row: Any) -> None:
            current = sa.and_(
                t_submissions.c.session_id == row.id, t_submissions.c.round == row.current_round
            )
            moved = sa.select(
                t_submissions.c.session_id,
                t_submissions.c.round,
                t_submissions.c.participant_id,
                t_submissions.c.weights,
                t_submissions.c.submitted_at,
                sa.literal(_ts(self._clock())),
            ).where(current)
            conn.execute(
                t_discarded.insert().from_select(
                    [
                        "session_id",
                        "round",
                        "participant_id",
                        "weights",
                        "submitted_at",
                        "discarded_at",
                    ],
                    moved,
                )
            )
            conn.execute(t_submissions.delete().where(current))
            self._set_revealed(conn, row, False)
            conn.execute(t_sessions.update().where(t_sessions.c.id == row.id).values(is_open=True))

        return self._facilitator_action(code, key, action)

    def delete_session(self, code: str, key: str) -> int:
        """Delete the session and everything in it: participants (with names, municipalities
        and roles), submissions, set-aside submissions, rounds and its projector key.

        For the facilitator, when the workshop is over (names and municipalities are
        personal data under the AVG). Returns how many submissions were deleted.
        """

        def action(conn: Connection) -> int:
            row = self._session_row(conn, code, exclusive=True)
            self._check_key(row, key)
            return self._delete(conn, row.id)

        return self._write(action)

    @staticmethod
    def _delete(conn: Connection, session_id: int) -> int:
        """Delete one session's rows, children first (foreign keys)."""
        deleted = conn.execute(
            t_submissions.delete().where(t_submissions.c.session_id == session_id)
        ).rowcount
        for table in (t_discarded, t_viewers, t_rounds, t_session_cases):
            conn.execute(table.delete().where(table.c.session_id == session_id))
        conn.execute(t_participants.delete().where(t_participants.c.session_id == session_id))
        conn.execute(t_sessions.delete().where(t_sessions.c.id == session_id))
        return int(deleted or 0)

    def purge_expired(self, expired_before: datetime) -> int:
        """Delete every session that expired before ``expired_before``, with all its data;
        returns how many sessions went. Run at start with the retention period."""

        def purge(conn: Connection) -> int:
            ids = list(
                conn.scalars(
                    sa.select(t_sessions.c.id).where(t_sessions.c.expires_at < _ts(expired_before))
                )
            )
            for session_id in ids:
                self._delete(conn, session_id)
            return len(ids)

        return self._write(purge)

    def new_round(self, code: str, key: str) -> Session:
        """Start the next round: hidden, open, earlier rounds kept as they are."""

        def action(conn: Connection, row: Any) -> None:
            next_round = row.current_round + 1
            conn.execute(
                t_rounds.insert().values(
                    session_id=row.id,
                    round=next_round,
                    revealed=False,
                    started_at=_ts(self._clock()),
                )
            )
            conn.execute(
                t_sessions.update()
                .where(t_sessions.c.id == row.id)
                .values(current_round=next_round, is_open=True)
            )

        return self._facilitator_action(code, key, action)

    def facilitator_export(
        self, code: str, key: str
    ) -> tuple[Session, dict[int, Participant], list[Submission]]:
        """Everything a facilitator may download: the session, who joined, every round's
        submissions (by round, then joining order). Needs the facilitator key; works on
        closed and expired sessions too. :mod:`afweging.workshop.exports` writes the files.
        """

        def export(conn: Connection) -> tuple[Session, dict[int, Participant], list[Submission]]:
            row = self._session_row(conn, code)
            self._check_key(row, key)
            session = self._to_session(conn, row)
            people = {
                p.id: self._to_participant(p)
                for p in conn.execute(
                    sa.select(t_participants).where(t_participants.c.session_id == session.id)
                )
            }
            subs = [
                self._to_submission(r)
                for r in conn.execute(
                    sa.select(t_submissions)
                    .join(t_participants, t_participants.c.id == t_submissions.c.participant_id)
                    .where(t_submissions.c.session_id == session.id)
                    .order_by(t_submissions.c.round, t_participants.c.number)
                )
            ]
            return session, people, subs

        return self._read(export)

    # ---------------------------------------------------------------- participants

    def get_session_by_code(self, code: str) -> Session:
        """The session with this join code, in whatever state; SessionNotFound otherwise."""
        return self._read(lambda conn: self._to_session(conn, self._session_row(conn, code)))

    def join(
        self,
        code: str,
        name: str | None = None,
        municipality: str | None = None,
        role: str | None = None,
    ) -> tuple[Participant, str]:
        """Add a participant to an open session; return them and their token (shown once).

        Raises SessionClosed when the session is closed or full.

        Asked-for answers may be left empty (people may decline); answers the session
        did not ask for are refused.
        """

        def add(conn: Connection) -> Participant:
            row = self._session_row(conn, code, exclusive=True)  # see _session_row
            self._check_open(row)
            clean = {
                "name": clean_text("name", name, bool(row.ask_name)),
                "municipality": clean_text(
                    "municipality", municipality, bool(row.ask_municipality)
                ),
                "role": clean_text("role", role, bool(row.ask_role)),
            }
            number = 1 + (
                conn.scalar(
                    sa.select(sa.func.coalesce(sa.func.max(t_participants.c.number), 0)).where(
                        t_participants.c.session_id == row.id
                    )
                )
                or 0
            )
            if number > self.max_participants:
                raise SessionClosed(
                    f"session {row.code} is full ({self.max_participants} participants)"
                )
            self._check_join_rate(conn, row)
            result = conn.execute(
                t_participants.insert().values(
                    session_id=row.id,
                    number=number,  # a concurrent join with the same number is retried
                    token_hash=_hash_secret(token),
                    joined_at=_ts(self._clock()),
                    **clean,
                )
            )
            new = conn.execute(
                sa.select(t_participants).where(t_participants.c.id == inserted_id(result))
            ).one()
            return self._to_participant(new)

        token = secrets.token_urlsafe(32)
        return self._write(add), token

    def _check_join_rate(self, conn: Connection, row: Any) -> None:
        """At most ``max_joins_per_minute`` joins into one session in any minute."""
        now = self._clock()
        recent = list(
            conn.scalars(
                sa.select(t_participants.c.joined_at)
                .where(
                    t_participants.c.session_id == row.id,
                    t_participants.c.joined_at > _ts(now - timedelta(minutes=1)),
                )
                .order_by(t_participants.c.joined_at)
            )
        )
        if len(recent) >= self.max_joins_per_minute:
            oldest = _parse_ts(recent[len(recent) - self.max_joins_per_minute])
            raise TooManyAttempts(
                f"session {row.code}: {len(recent)} joins in the last minute",
                retry_at=oldest + timedelta(minutes=1),
            )

    def participant(self, code: str, token: str) -> Participant:
        """The participant this token belongs to in this session; AccessDenied otherwise."""

        def find(conn: Connection) -> Participant:
            row = self._session_row(conn, code)
            return self._to_participant(self._participant_row(conn, row, token))

        return self._read(find)

    def submit(self, code: str, token: str, weights: Mapping[str, float]) -> Submission:
        """Store this participant's weights for the current round, replacing only their own.

        When this returns, the submission is committed (see the module's durability notes).
        """

        def store(conn: Connection) -> Submission:
            row = self._session_row(conn, code, lock=True)
            person = self._participant_row(conn, row, token)
            self._check_open(row)
            clean = validate_weights(weights, json.loads(row.weighable_ids))
            values = {"weights": json.dumps(clean), "submitted_at": _ts(self._clock())}
            key = sa.and_(
                t_submissions.c.session_id == row.id,
                t_submissions.c.round == row.current_round,
                t_submissions.c.participant_id == person.id,
            )
            updated = conn.execute(t_submissions.update().where(key).values(**values))
            if updated.rowcount == 0:  # first submission this round; a racing insert retries
                conn.execute(
                    t_submissions.insert().values(
                        session_id=row.id,
                        round=row.current_round,
                        participant_id=person.id,
                        **values,
                    )
                )
            return self._to_submission(conn.execute(sa.select(t_submissions).where(key)).one())

        return self._write(store)

    def participant_view(
        self, code: str, token: str
    ) -> tuple[Session, Participant, Submission | None, tuple[int, str]]:
        """What a participant's phone needs, in one read: the session, who they are, their
        submission this round, and the round's version (submission count, latest time).

        AccessDenied or SessionNotFound when the code or token is not valid.
        """

        def view(
            conn: Connection,
        ) -> tuple[Session, Participant, Submission | None, tuple[int, str]]:
            row = self._session_row(conn, code)
            person = self._participant_row(conn, row, token)
            session = self._to_session(conn, row)
            mine = conn.execute(
                sa.select(t_submissions).where(
                    t_submissions.c.session_id == row.id,
                    t_submissions.c.round == row.current_round,
                    t_submissions.c.participant_id == person.id,
                )
            ).one_or_none()
            return (
                session,
                self._to_participant(person),
                None if mine is None else self._to_submission(mine),
                self._round_version(conn, row.id, row.current_round),
            )

        return self._read(view)

    @staticmethod
    def _round_version(conn: Connection, session_id: int, round: int) -> tuple[int, str]:
        count, latest = conn.execute(
            sa.select(sa.func.count(), sa.func.max(t_submissions.c.submitted_at)).where(
                t_submissions.c.session_id == session_id, t_submissions.c.round == round
            )
        ).one()
        return int(count or 0), str(latest or "")

    def round_version(self, session_id: int, round: int) -> tuple[int, str]:
        """(submissions, latest submission time) of a round: changes whenever its data does."""
        return self._read(lambda conn: self._round_version(conn, session_id, round))

    def my_submission(self, code: str, token: str) -> Submission | None:
        """This participant's own submission in the current round, if any."""

        def find(conn: Connection) -> Submission | None:
            row = self._session_row(conn, code)
            person = self._participant_row(conn, row, token)
            sub = conn.execute(
                sa.select(t_submissions).where(
                    t_submissions.c.session_id == row.id,
                    t_submissions.c.round == row.current_round,
                    t_submissions.c.participant_id == person.id,
                )
            ).one_or_none()
            return None if sub is None else self._to_submission(sub)

        return self._read(find)

    def group_weights(
        self, code: str, round: int | None = None, key: str | None = None
    ) -> list[dict[str, float]]:
        """Anonymous weight dicts of one round (default: current), for the group picture.

        Anyone may see a revealed round; an unrevealed one needs the facilitator key.
        """

        def fetch(conn: Connection) -> list[dict[str, float]]:
            row = self._session_row(conn, code)
            wanted = row.current_round if round is None else round
            revealed = conn.scalar(
                sa.select(t_rounds.c.revealed).where(
                    t_rounds.c.session_id == row.id, t_rounds.c.round == wanted
                )
            )
            if revealed is None:
                raise _refuse("round", f"a round from 1 to {row.current_round}", repr(wanted))
            if not revealed:
                self._check_key(row, key)
            return [
                json.loads(w)
                for w in conn.scalars(
                    sa.select(t_submissions.c.weights)
                    .join(t_participants, t_participants.c.id == t_submissions.c.participant_id)
                    .where(t_submissions.c.session_id == row.id, t_submissions.c.round == wanted)
                    .order_by(t_participants.c.number)
                )
            ]

        return self._read(fetch)

    # ---------------------------------------------------------------- trusted reads
    # These take the internal session id and no secret: they are for server-side
    # code that has already checked who is asking (e.g. the facilitator's screen).

    def submissions(self, session_id: int, round: int | None = None) -> list[Submission]:
        """Stored submissions of a session (one round, or all), by round then joining order."""
        query = (
            sa.select(t_submissions)
            .join(t_participants, t_participants.c.id == t_submissions.c.participant_id)
            .where(t_submissions.c.session_id == session_id)
            .order_by(t_submissions.c.round, t_participants.c.number)
        )
        if round is not None:
            query = query.where(t_submissions.c.round == round)
        return self._read(lambda conn: [self._to_submission(r) for r in conn.execute(query)])

    def count_submissions(self, session_id: int, round: int | None = None) -> int:
        """How many submissions a session holds (one round, or all rounds)."""
        query = (
            sa.select(sa.func.count())
            .select_from(t_submissions)
            .where(t_submissions.c.session_id == session_id)
        )
        if round is not None:
            query = query.where(t_submissions.c.round == round)
        return self._read(lambda conn: int(conn.scalar(query) or 0))

    def participants(self, session_id: int) -> list[Participant]:
        """Everyone who joined a session, in joining order."""
        query = (
            sa.select(t_participants)
            .where(t_participants.c.session_id == session_id)
            .order_by(t_participants.c.number)
        )
        return self._read(lambda conn: [self._to_participant(r) for r in conn.execute(query)])

    def count_participants(self, session_id: int) -> int:
        """How many people joined a session."""
        query = (
            sa.select(sa.func.count())
            .select_from(t_participants)
            .where(t_participants.c.session_id == session_id)
        )
        return self._read(lambda conn: int(conn.scalar(query) or 0))

    def discarded_submissions(self, session_id: int) -> list[Submission]:
        """Submissions set aside by :meth:`reset`, oldest first."""
        query = (
            sa.select(t_discarded)
            .where(t_discarded.c.session_id == session_id)
            .order_by(t_discarded.c.id)
        )
        return self._read(lambda conn: [self._to_submission(r) for r in conn.execute(query)])


__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_SPACE",
    "MAX_ID_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_WEIGHT",
    "MIGRATIONS",
    "AccessDenied",
    "FieldProblem",
    "InvalidSubmission",
    "Participant",
    "Session",
    "SessionClosed",
    "SessionExpired",
    "SessionNotFound",
    "StoreUnavailable",
    "Submission",
    "TooManyAttempts",
    "WorkshopError",
    "WorkshopStore",
    "clean_text",
    "default_store_path",
    "normalise_code",
    "shared_store",
    "store_location",
    "validate_weights",
]


_SHARED: dict[str, WorkshopStore] = {}
_SHARED_LOCK = threading.Lock()


def store_location() -> str:
    """Where this process keeps workshop data: ``$AFWEGING_DATABASE_URL`` (any SQLAlchemy
    URL, e.g. PostgreSQL) when set, else the SQLite file under ``$AFWEGING_DATA_DIR``."""
    url = os.environ.get("AFWEGING_DATABASE_URL", "").strip()
    return url or str(default_store_path().expanduser().resolve())


def shared_store() -> WorkshopStore:
    """The process's one store for :func:`store_location`: the dashboard's pages and the
    phones' routes share it, so SQLite writers queue on one lock instead of polling.

    StoreUnavailable when the database cannot be opened (a wrong URL, a server that is
    down): nothing is cached then, so the next call tries again and the app recovers
    when the database returns.
    """
    location = store_location()
    if os.environ.get("AFWEGING_DATABASE_URL", "").strip() and "://" not in location:
        # Never a file by accident: a mistyped URL must not become a SQLite file in the cwd.
        raise StoreUnavailable("AFWEGING_DATABASE_URL", sa.exc.ArgumentError(location))
    with _SHARED_LOCK:
        if location not in _SHARED:
            try:
                _SHARED[location] = WorkshopStore(location)
            except Exception as exc:
                raise StoreUnavailable(describe_location(location), exc) from exc
        return _SHARED[location]


def describe_location(location: str) -> str:
    """The database location for messages and logs, without a password."""
    if "://" not in location:
        return location
    try:
        return sa.make_url(location).render_as_string(hide_password=True)
    except Exception:  # not even a URL
        return "(an unreadable AFWEGING_DATABASE_URL)"
