"""Tests for afweging.workshop.store: nothing submitted is lost, nobody sees what is not theirs.

Every test that takes ``db`` or ``fresh_store`` runs twice, on a SQLite file and on a
throwaway PostgreSQL server (tests/conftest.py); ``db_path`` marks what only SQLite has
(a file, WAL, the in-memory store).
"""

from __future__ import annotations

import hashlib
import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from afweging.workshop import (
    AccessDenied,
    InvalidSubmission,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    WorkshopStore,
)
from afweging.workshop.db_schema import MIGRATIONS
from afweging.workshop.store import CODE_ALPHABET, CODE_LENGTH, CODE_SPACE, normalise_code
from tests.stores import dump

REPO_ROOT = Path(__file__).resolve().parents[1]
CRITERIA = ("legitimiteit", "efficientie", "bestuurlijke_drukte")
OPTIONS = ("samenwerking", "fusie", "status_quo")

ALL_MIGRATIONS = tuple(m for m, _ in MIGRATIONS)


def weights(a: float = 1, b: float = 1, c: float = 1) -> dict[str, float]:
    return dict(zip(CRITERIA, (a, b, c), strict=True))


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 18, 19, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file in folders that do not exist yet (for what only SQLite has)."""
    return tmp_path / "data" / "nested" / "workshop.sqlite3"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fresh_store(db: str, clock: FakeClock):
    store = WorkshopStore(db, clock=clock)
    yield store
    store.dispose()


@pytest.fixture
def session(fresh_store: WorkshopStore):
    """An open session asking name, municipality and role; returns (Session, key)."""
    return fresh_store.create_session(
        "regio_noord",
        "kernset",
        OPTIONS,
        CRITERIA,
        ask_name=True,
        ask_municipality=True,
        ask_role=True,
    )


# --------------------------------------------------------------------------- opening


def test_open_creates_parent_folders_and_records_migrations_once(db_path, clock):
    store = WorkshopStore(db_path, clock=clock)
    assert db_path.exists()
    assert store.applied_migrations() == list(ALL_MIGRATIONS)
    store.dispose()
    again = WorkshopStore(db_path, clock=clock)
    assert again.applied_migrations() == list(ALL_MIGRATIONS)
    assert len(dump(f"sqlite:///{db_path}")["schema_migrations"]) == len(ALL_MIGRATIONS)
    again.dispose()


def test_open_refuses_a_database_from_a_newer_version(fresh_store, db):
    fresh_store.dispose()
    engine = sa.create_engine(db, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO schema_migrations VALUES ('9999_future', 'x')")
    engine.dispose()
    with pytest.raises(RuntimeError, match=r"schema_migrations: .*got also \['9999_future'\]"):
        WorkshopStore(db)


def test_sqlite_runs_in_wal_with_full_sync_and_a_busy_timeout(db_path):
    store = WorkshopStore(db_path)
    with store._engine.connect() as conn:
        pragma = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "busy_timeout": 30000,
        "foreign_keys": 1,
    }
    store.dispose()


def test_memory_store_and_sqlite_url_work(tmp_path):
    memory = WorkshopStore(":memory:")
    s, _key = memory.create_session("c", "k", OPTIONS, CRITERIA)
    _p, token = memory.join(s.code)
    memory.submit(s.code, token, weights())
    assert memory.count_submissions(s.id) == 1
    by_url = WorkshopStore(f"sqlite:///{tmp_path / 'u.sqlite3'}")
    assert by_url.applied_migrations() == list(ALL_MIGRATIONS)


def test_synchronous_mode_is_checked(tmp_path):
    with pytest.raises(
        ValueError, match="synchronous: expected one of FULL, NORMAL, EXTRA, got 'OFF'"
    ):
        WorkshopStore(tmp_path / "x.sqlite3", synchronous="OFF")


# --------------------------------------------------------------------------- sessions


def test_create_session_gives_short_code_and_a_key_stored_only_hashed(fresh_store, db):
    s, key = fresh_store.create_session("regio_noord", "kernset", OPTIONS, CRITERIA)
    assert len(s.code) == CODE_LENGTH and set(s.code) <= set(CODE_ALPHABET)
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert CODE_SPACE == 31**6 == 887_503_681
    assert len(key) >= 43
    assert (s.is_open, s.current_round, s.revealed) == (True, 1, False)
    assert s.option_ids == OPTIONS and s.weighable_ids == CRITERIA
    assert s.expires_at - s.created_at == timedelta(hours=24)
    rows = dump(db)
    assert key not in repr(rows)
    assert hashlib.sha256(key.encode()).hexdigest() in repr(rows["sessions"])
    assert fresh_store.require_facilitator(s.code, key) == s


def test_many_sessions_get_distinct_codes(fresh_store):
    codes = {fresh_store.create_session("c", "k", OPTIONS, CRITERIA)[0].code for _ in range(50)}
    assert len(codes) == 50


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weight_method": "dots"}, "weight_method: expected one of sliders, rank, got 'dots'"),
        ({"option_ids": []}, "option_ids: expected at least one id"),
        (
            {"weighable_ids": ["a", "a"]},
            r"weighable_ids: expected unique ids, got duplicates \['a'\]",
        ),
        ({"weighable_ids": "abc"}, "weighable_ids: expected a list of ids"),
        ({"case_id": ""}, "case_id: expected a non-empty text id"),
        ({"option_ids": ["ok", "bad\x00"]}, r"option_ids\.1: expected at most 200 characters"),
        ({"ttl": timedelta(0)}, "ttl: expected a positive duration"),
    ],
)
def test_create_session_refuses_bad_configuration(fresh_store, db, kwargs, match):
    args = {
        "case_id": "c",
        "criteria_set_id": "k",
        "option_ids": OPTIONS,
        "weighable_ids": CRITERIA,
        **kwargs,
    }
    before = dump(db)
    with pytest.raises(InvalidSubmission, match=match):
        fresh_store.create_session(**args)
    assert dump(db) == before


@pytest.mark.parametrize("code", ["", "ABC", "ABCDEFG", "O0O0O0", "ABCDE1", 123456, None])
def test_malformed_codes_are_not_found(fresh_store, code):
    with pytest.raises(SessionNotFound):
        fresh_store.get_session_by_code(code)
    with pytest.raises(SessionNotFound):
        fresh_store.join(code)


def test_unknown_code_is_not_found_everywhere(fresh_store, session):
    s, key = session
    other = next(c for c in ("222222", "333333") if c != s.code)
    with pytest.raises(SessionNotFound, match=f"no session with join code {other}"):
        fresh_store.get_session_by_code(other)
    with pytest.raises(SessionNotFound):
        fresh_store.join(other)
    with pytest.raises(SessionNotFound):
        fresh_store.submit(other, "token", weights())
    with pytest.raises(SessionNotFound):
        fresh_store.reveal(other, key)


def test_typed_codes_are_normalised():
    assert normalise_code(" ab-c 23d ") == "ABC23D"


# --------------------------------------------------------------------------- join and submit


def test_join_numbers_participants_and_tokens_identify_them(fresh_store, session):
    s, _key = session
    p1, t1 = fresh_store.join(s.code.lower(), name="  Anna de Vries ", municipality="Assen")
    p2, t2 = fresh_store.join(f"{s.code[:3]}-{s.code[3:]}", role="raadslid")
    assert (p1.number, p2.number) == (1, 2)
    assert t1 != t2 and len(t1) >= 43
    assert p1.name == "Anna de Vries" and p1.role is None
    assert fresh_store.participant(s.code, t1) == p1
    assert fresh_store.participant(s.code, t2) == p2
    assert (p1.label(False), p1.label(True), p2.label(True)) == (
        "Deelnemer 1",
        "Anna de Vries",
        "Deelnemer 2",
    )
    assert fresh_store.count_participants(s.id) == 2


def test_names_are_stored_as_plain_text(fresh_store, session):
    s, _key = session
    markup = "<script>alert('x')</script>"
    p, _t = fresh_store.join(s.code, name=markup, municipality="Súdwest-Fryslân 🌷", role="x" * 80)
    assert p.name == markup and p.municipality == "Súdwest-Fryslân 🌷"


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"name": "x" * 81}, "name: expected at most 80 characters, got 81 characters"),
        (
            {"name": "Anna\x00"},
            "name: expected plain text without control characters, got U\\+0000",
        ),
        ({"municipality": "Assen\nDrop"}, "municipality: expected plain text .* U\\+000A"),
        ({"role": "raads\u202elid"}, "role: expected plain text .* U\\+202E"),
        ({"name": b"Anna"}, "name: expected text, got bytes"),
    ],
)
def test_join_refuses_bad_text_and_stores_nothing(fresh_store, session, db, fields, match):
    s, _key = session
    before = dump(db)
    with pytest.raises(InvalidSubmission, match=match):
        fresh_store.join(s.code, **fields)
    assert dump(db) == before


def test_join_refuses_answers_that_were_not_asked(fresh_store, db):
    s, _key = fresh_store.create_session("c", "k", OPTIONS, CRITERIA, ask_name=True)
    before = dump(db)
    with pytest.raises(InvalidSubmission, match=r"role: expected nothing .*does not ask"):
        fresh_store.join(s.code, name="Anna", role="wethouder")
    assert dump(db) == before
    p, _t = fresh_store.join(s.code, name="Anna", role="  ")  # blank counts as not given
    assert p.role is None


def test_submit_stores_weights_as_floats(fresh_store, session):
    s, _key = session
    p, token = fresh_store.join(s.code)
    sub = fresh_store.submit(
        s.code, token, {"efficientie": 2, "legitimiteit": 0.5, "bestuurlijke_drukte": 0}
    )
    assert sub.participant_id == p.id and sub.round == 1
    assert dict(sub.weights) == {
        "legitimiteit": 0.5,
        "efficientie": 2.0,
        "bestuurlijke_drukte": 0.0,
    }
    assert fresh_store.my_submission(s.code, token) == sub
    assert fresh_store.submissions(s.id) == [sub]


def test_resubmission_replaces_only_own_submission(fresh_store, session, clock):
    s, _key = session
    _p1, t1 = fresh_store.join(s.code)
    _p2, t2 = fresh_store.join(s.code)
    fresh_store.submit(s.code, t1, weights(1, 2, 3))
    theirs = fresh_store.submit(s.code, t2, weights(5, 5, 5))
    clock.now += timedelta(seconds=30)
    mine = fresh_store.submit(s.code, t1, weights(9, 1, 1))
    stored = fresh_store.submissions(s.id)
    assert stored == [mine, theirs]
    assert dict(mine.weights) == weights(9, 1, 1)
    assert mine.submitted_at == clock.now
    assert fresh_store.my_submission(s.code, t2) == theirs


def test_my_submission_is_none_before_submitting(fresh_store, session):
    s, _key = session
    _p, token = fresh_store.join(s.code)
    assert fresh_store.my_submission(s.code, token) is None


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        (
            {**weights(), "legitimiteit": -1},
            "weights.legitimiteit: expected a weight of 0 or more, got -1.0",
        ),
        (
            {**weights(), "efficientie": math.nan},
            "weights.efficientie: expected a finite number, got nan",
        ),
        (
            {**weights(), "efficientie": math.inf},
            "weights.efficientie: expected a finite number, got inf",
        ),
        ({**weights(), "efficientie": -math.inf}, "weights.efficientie: expected a finite number"),
        (
            {**weights(), "efficientie": 1e300},
            "weights.efficientie: expected a weight of at most 1e",
        ),
        (
            {**weights(), "efficientie": "0.5"},
            "weights.efficientie: expected a number, got str '0.5'",
        ),
        ({**weights(), "efficientie": True}, "weights.efficientie: expected a number, got bool"),
        (
            {**weights(), "efficientie": None},
            "weights.efficientie: expected a number, got NoneType",
        ),
        ({**weights(), "kosten": 1}, "weights.kosten: expected one of the criteria legitimiteit"),
        ({**weights(), 7: 1}, "weights.7: expected one of the criteria"),
        (
            {"legitimiteit": 1, "efficientie": 1},
            "weights: expected a weight for every criterion, got no weight for bestuurlijke_drukte",
        ),
        ({}, "got no weight for legitimiteit, efficientie, bestuurlijke_drukte"),
        (weights(0, 0, 0), "weights: expected at least one weight above 0, got all weights 0"),
        ([1, 2, 3], "weights: expected a mapping of criterion id to weight, got list"),
        ("legitimiteit=1", "weights: expected a mapping of criterion id to weight, got str"),
    ],
)
def test_bad_weights_are_refused_and_nothing_changes(fresh_store, session, db, bad, match):
    s, _key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights(1, 2, 3))
    before = dump(db)
    with pytest.raises(InvalidSubmission, match=match) as refused:
        fresh_store.submit(s.code, token, bad)
    assert refused.value.problems and refused.value.field.startswith("weights")
    assert dump(db) == before
    assert dict(fresh_store.my_submission(s.code, token).weights) == weights(1, 2, 3)


def test_every_weight_problem_is_reported_at_once(fresh_store, session):
    s, _key = session
    _p, token = fresh_store.join(s.code)
    with pytest.raises(InvalidSubmission) as refused:
        fresh_store.submit(s.code, token, {"legitimiteit": -1, "efficientie": "x", "kosten": 1})
    fields = [p.field for p in refused.value.problems]
    assert fields == ["weights.legitimiteit", "weights.efficientie", "weights.kosten", "weights"]


@pytest.mark.parametrize("token", ["wrong", "", None, 42, "x" * 10_000])
def test_wrong_participant_token_is_denied(fresh_store, session, db, token):
    s, _key = session
    _p, real = fresh_store.join(s.code)
    fresh_store.submit(s.code, real, weights())
    before = dump(db)
    with pytest.raises(AccessDenied, match="participant token not valid"):
        fresh_store.submit(s.code, token, weights(9, 9, 9))
    with pytest.raises(AccessDenied):
        fresh_store.participant(s.code, token)
    with pytest.raises(AccessDenied):
        fresh_store.my_submission(s.code, token)
    assert dump(db) == before


def test_token_from_another_session_is_denied(fresh_store, session, db):
    s, _key = session
    other, _other_key = fresh_store.create_session("c", "k", OPTIONS, CRITERIA)
    _p, foreign = fresh_store.join(other.code)
    before = dump(db)
    with pytest.raises(AccessDenied):
        fresh_store.submit(s.code, foreign, weights())
    assert dump(db) == before


def test_facilitator_key_is_not_a_participant_token(fresh_store, session):
    s, key = session
    with pytest.raises(AccessDenied):
        fresh_store.submit(s.code, key, weights())


FACILITATOR_ACTIONS = (
    "reveal",
    "hide",
    "close",
    "reopen",
    "reset",
    "new_round",
    "facilitator_export",
    "viewer_key",
    "delete_session",
    "require_facilitator",
)


@pytest.mark.parametrize("action", FACILITATOR_ACTIONS)
@pytest.mark.parametrize("guess", ["guess", "", None, "participant", "other-session", "x" * 500])
def test_facilitator_actions_need_the_key(fresh_store, session, db, action, guess):
    s, key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights())
    _other, other_key = fresh_store.create_session("c", "k", OPTIONS, CRITERIA)
    wrong = {"participant": token, "other-session": other_key}.get(guess, guess)
    before = dump(db)
    with pytest.raises(AccessDenied, match="facilitator key not valid"):
        getattr(fresh_store, action)(s.code, wrong)
    assert dump(db) == before
    # the real key still works afterwards
    getattr(fresh_store, action)(s.code, key)


# --------------------------------------------------------------------------- lifecycle


def test_close_and_reopen(fresh_store, session, db):
    s, key = session
    _p, token = fresh_store.join(s.code)
    closed = fresh_store.close(s.code, key)
    assert not closed.is_open
    before = dump(db)
    with pytest.raises(SessionClosed, match=f"session {s.code} is closed"):
        fresh_store.submit(s.code, token, weights())
    with pytest.raises(SessionClosed):
        fresh_store.join(s.code)
    assert dump(db) == before
    assert fresh_store.reopen(s.code, key).is_open
    fresh_store.submit(s.code, token, weights())
    assert fresh_store.count_submissions(s.id) == 1


def test_expired_session_refuses_joins_and_submissions(fresh_store, session, clock, db):
    s, key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights())
    clock.now += timedelta(hours=24)
    assert fresh_store.get_session_by_code(s.code).is_expired(clock.now)
    before = dump(db)
    with pytest.raises(SessionExpired, match=f"session {s.code} expired"):
        fresh_store.submit(s.code, token, weights(2, 2, 2))
    with pytest.raises(SessionExpired):
        fresh_store.join(s.code)
    assert dump(db) == before
    # the facilitator can still take the data home
    _session, people, subs = fresh_store.facilitator_export(s.code, key)
    assert [people[x.participant_id].number for x in subs] == [1]


def test_session_lifetime_is_configurable(db, clock):
    store = WorkshopStore(db, clock=clock, session_ttl=timedelta(hours=2))
    s, _key = store.create_session("c", "k", OPTIONS, CRITERIA)
    longer, _key2 = store.create_session("c", "k", OPTIONS, CRITERIA, ttl=timedelta(days=2))
    clock.now += timedelta(hours=3)
    with pytest.raises(SessionExpired):
        store.join(s.code)
    store.join(longer.code)
    store.dispose()


def test_rounds_reveal_hide_and_keep_earlier_rounds(fresh_store, session):
    s, key = session
    _p1, t1 = fresh_store.join(s.code)
    _p2, t2 = fresh_store.join(s.code)
    fresh_store.submit(s.code, t1, weights(1, 0, 0))
    fresh_store.submit(s.code, t2, weights(0, 1, 0))
    with pytest.raises(AccessDenied):  # round 1 is blind
        fresh_store.group_weights(s.code)
    assert len(fresh_store.group_weights(s.code, key=key)) == 2
    assert fresh_store.reveal(s.code, key).revealed
    assert fresh_store.group_weights(s.code) == [weights(1, 0, 0), weights(0, 1, 0)]
    assert not fresh_store.hide(s.code, key).revealed
    fresh_store.reveal(s.code, key)

    second = fresh_store.new_round(s.code, key)
    assert (second.current_round, second.revealed, second.is_open) == (2, False, True)
    with pytest.raises(AccessDenied):  # round 2 is blind again
        fresh_store.group_weights(s.code)
    assert fresh_store.group_weights(s.code, round=1) == [weights(1, 0, 0), weights(0, 1, 0)]
    assert fresh_store.my_submission(s.code, t1) is None
    fresh_store.submit(s.code, t1, weights(1, 1, 0))
    assert fresh_store.count_submissions(s.id, round=1) == 2
    assert fresh_store.count_submissions(s.id, round=2) == 1
    assert fresh_store.count_submissions(s.id) == 3
    assert [dict(x.weights) for x in fresh_store.submissions(s.id, round=1)] == [
        weights(1, 0, 0),
        weights(0, 1, 0),
    ]
    with pytest.raises(InvalidSubmission, match="round: expected a round from 1 to 2, got 3"):
        fresh_store.group_weights(s.code, round=3, key=key)


def test_a_full_session_refuses_more_joins(db, clock):
    store = WorkshopStore(db, clock=clock, max_participants=3)
    s, _key = store.create_session("c", "k", OPTIONS, CRITERIA)
    for _ in range(3):
        store.join(s.code)
    before = dump(db)
    with pytest.raises(SessionClosed, match=r"is full \(3 participants\)"):
        store.join(s.code)
    assert dump(db) == before
    store.dispose()


def test_new_round_reopens_a_closed_session(fresh_store, session):
    s, key = session
    fresh_store.close(s.code, key)
    assert fresh_store.new_round(s.code, key).is_open


def test_reset_sets_the_current_round_aside_without_losing_it(fresh_store, session):
    s, key = session
    _p, token = fresh_store.join(s.code)
    first = fresh_store.submit(s.code, token, weights(1, 2, 3))
    fresh_store.new_round(s.code, key)
    second = fresh_store.submit(s.code, token, weights(3, 2, 1))
    fresh_store.reveal(s.code, key)
    fresh_store.close(s.code, key)
    after = fresh_store.reset(s.code, key)
    assert (after.current_round, after.revealed, after.is_open) == (2, False, True)
    assert fresh_store.submissions(s.id) == [first]  # round 1 untouched
    assert fresh_store.discarded_submissions(s.id) == [second]
    assert fresh_store.participant(s.code, token).number == 1  # token still valid
    fresh_store.submit(s.code, token, weights(2, 2, 2))
    assert fresh_store.count_submissions(s.id, round=2) == 1


# --------------------------------------------------------------------------- export


def test_facilitator_export_gives_people_and_every_round(fresh_store, session):
    s, key = session
    _p1, t1 = fresh_store.join(s.code, name=None)
    _p2, t2 = fresh_store.join(s.code)
    fresh_store.submit(s.code, t2, weights(0, 1, 0))
    fresh_store.submit(s.code, t1, weights(1, 2, 3))
    fresh_store.new_round(s.code, key)
    fresh_store.submit(s.code, t1, weights(3, 2, 1))
    exported, people, subs = fresh_store.facilitator_export(s.code, key)
    assert exported.code == s.code and exported.current_round == 2
    assert sorted(p.number for p in people.values()) == [1, 2]
    assert [(x.round, people[x.participant_id].number) for x in subs] == [(1, 1), (1, 2), (2, 1)]
    assert dict(subs[0].weights) == weights(1, 2, 3)


def test_projector_key_is_derived_read_only_and_checked(fresh_store, session, db):
    s, key = session
    viewer = fresh_store.viewer_key(s.code, key)
    assert viewer == fresh_store.viewer_key(s.code, key)  # stable: can be shown again
    assert key not in viewer and len(viewer) == 32
    assert fresh_store.require_viewer(s.code, viewer).code == s.code
    other, other_key = fresh_store.create_session("c", "k", OPTIONS, CRITERIA)
    before = dump(db)
    for wrong in ("", "x" * 500, key, fresh_store.viewer_key(other.code, other_key)):
        with pytest.raises(AccessDenied, match="projector key not valid"):
            fresh_store.require_viewer(s.code, wrong)
    # The projector key opens nothing else.
    for action in ("reveal", "close", "reset", "new_round", "facilitator_export"):
        with pytest.raises(AccessDenied):
            getattr(fresh_store, action)(s.code, viewer)
    assert dump(db) == before


def test_projector_key_is_stored_only_hashed(fresh_store, session, db):
    s, key = session
    viewer = fresh_store.viewer_key(s.code, key)
    stored = dump(db)["session_viewers"]
    assert viewer not in repr(stored)
    assert [row for row in stored if hashlib.sha256(viewer.encode()).hexdigest() in row]


# --------------------------------------------------------------------------- concurrency


def test_many_threads_submitting_at_once_leave_one_row_per_participant(fresh_store, session):
    s, _key = session
    people = [fresh_store.join(s.code) for _ in range(50)]
    start = threading.Barrier(len(people))

    def participant_session(i: int) -> None:
        _p, token = people[i]
        start.wait()
        for attempt in range(1, 5):  # four resubmissions each
            fresh_store.submit(s.code, token, weights(i + 1, attempt, 1))

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(participant_session, range(len(people))))
    stored = fresh_store.submissions(s.id)
    assert len(stored) == 50
    assert len({x.participant_id for x in stored}) == 50
    by_participant = {x.participant_id: dict(x.weights) for x in stored}
    for i, (p, _token) in enumerate(people):
        assert by_participant[p.id] == weights(i + 1, 4, 1)  # each one's last word


def test_threads_racing_on_the_same_participants(fresh_store, session):
    s, _key = session
    people = [fresh_store.join(s.code)[1] for _ in range(4)]
    start = threading.Barrier(50)

    def hammer(i: int) -> None:
        start.wait()
        for k in range(4):
            fresh_store.submit(s.code, people[(i + k) % 4], weights(i, k, 1))

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(hammer, range(50)))
    assert fresh_store.count_submissions(s.id) == 4
    assert len({x.participant_id for x in fresh_store.submissions(s.id)}) == 4


def test_concurrent_joins_get_distinct_numbers(fresh_store, session):
    s, _key = session
    start = threading.Barrier(40)

    def join(_i: int):
        start.wait()
        return fresh_store.join(s.code)[0].number

    with ThreadPoolExecutor(max_workers=40) as pool:
        numbers = sorted(pool.map(join, range(40)))
    assert numbers == list(range(1, 41))


def test_memory_store_is_shared_safely_between_threads():
    store = WorkshopStore(":memory:")
    s, _key = store.create_session("c", "k", OPTIONS, CRITERIA)

    def one(i: int) -> None:
        _p, token = store.join(s.code)
        store.submit(s.code, token, weights(i, 1, 1))
        store.submit(s.code, token, weights(i, 2, 1))

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(one, range(60)))
    assert store.count_submissions(s.id) == 60
    assert store.count_participants(s.id) == 60


# --------------------------------------------------------------------------- durability

WRITER = """
import sys
from afweging.workshop import WorkshopStore

store = WorkshopStore(sys.argv[1])
code = sys.argv[2]
_first, first_token = store.join(code)
i = 0
while True:
    i += 1
    participant, token = store.join(code)
    store.submit(code, token, {"a": float(i), "b": 1.0})
    store.submit(code, first_token, {"a": float(i), "b": 2.0})
    print(f"ACK {participant.number} {i}", flush=True)
"""


def test_acknowledged_submissions_survive_a_killed_process(db):
    store = WorkshopStore(db)
    s, _key = store.create_session("c", "k", ("x", "y"), ("a", "b"))
    store.dispose()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), s.code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    acks: list[tuple[int, int]] = []
    deadline = time.monotonic() + 20
    try:
        while len(acks) < 40 and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            acks.append(tuple(int(x) for x in line.split()[1:]))
        writer.send_signal(signal.SIGKILL)  # mid-loop, most likely mid-transaction
    finally:
        writer.kill()
        rest, err = writer.communicate(timeout=10)
    acks += [tuple(int(x) for x in line.split()[1:]) for line in rest.splitlines()]
    assert len(acks) >= 40, err
    assert writer.returncode == -signal.SIGKILL

    if db.startswith("sqlite"):
        with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    reopened = WorkshopStore(db)
    by_number = {p.number: p.id for p in reopened.participants(s.id)}
    stored = {x.participant_id: dict(x.weights) for x in reopened.submissions(s.id)}
    for number, i in acks:
        assert stored[by_number[number]] == {"a": float(i), "b": 1.0}
    last_ack = max(i for _n, i in acks)
    first = stored[by_number[1]]
    assert (
        first["b"] == 2.0 and first["a"] >= last_ack
    )  # a later, unacknowledged write may also be there
    reopened.dispose()


def test_two_processes_writing_at_once_lose_nothing(db):
    """Separate processes contend for the database (on SQLite for its write lock, which
    busy_timeout makes them wait for)."""
    store = WorkshopStore(db)
    s, _key = store.create_session("c", "k", ("x", "y"), ("a", "b"))
    script = (
        "import sys\n"
        "from afweging.workshop import WorkshopStore\n"
        "store = WorkshopStore(sys.argv[1])\n"
        "for i in range(25):\n"
        "    _p, token = store.join(sys.argv[2])\n"
        "    store.submit(sys.argv[2], token, {'a': float(i), 'b': 1.0})\n"
        "    store.submit(sys.argv[2], token, {'a': float(i), 'b': 2.0})\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(db), s.code], env=env) for _ in range(3)
    ]
    assert [w.wait(timeout=60) for w in writers] == [0, 0, 0]
    stored = store.submissions(s.id)
    assert len(stored) == 75
    assert all(x.weights["b"] == 2.0 for x in stored)
    assert sorted(p.number for p in store.participants(s.id)) == list(range(1, 76))
    store.dispose()


def test_a_database_of_the_first_version_is_upgraded_and_keeps_its_sessions(db, clock):
    import json

    from afweging.workshop.db_schema import _m0001_initial, schema_migrations, t_rounds, t_sessions

    key = "k" * 43
    engine = sa.create_engine(db)
    with engine.begin() as conn:  # what the first version left on disk: one session
        schema_migrations.create(conn)
        _m0001_initial(conn)
        now = clock.now.isoformat(timespec="microseconds")
        conn.execute(schema_migrations.insert().values(id="0001_initial", applied_at=now))
        later = (clock.now + timedelta(hours=24)).isoformat(timespec="microseconds")
        conn.execute(
            t_sessions.insert().values(
                id=1, code="ABC234", facilitator_key_hash=hashlib.sha256(key.encode()).hexdigest(),
                case_id="c", criteria_set_id="k", option_ids=json.dumps(list(OPTIONS)),
                weighable_ids=json.dumps(list(CRITERIA)), weight_method="sliders",
                ask_name=False, ask_municipality=False, ask_role=False, show_names=False,
                is_open=True, current_round=1, created_at=now, expires_at=later,
            )
        )  # fmt: skip
        conn.execute(
            t_rounds.insert().values(session_id=1, round=1, revealed=False, started_at=now)
        )
    engine.dispose()
    store = WorkshopStore(db, clock=clock)
    try:
        assert store.applied_migrations() == list(ALL_MIGRATIONS)
        assert store.require_facilitator("ABC234", key).code == "ABC234"
        with pytest.raises(AccessDenied):
            store.require_viewer("ABC234", "anything")
        viewer = store.viewer_key("ABC234", key)  # made on first request
        assert store.require_viewer("ABC234", viewer).code == "ABC234"
    finally:
        store.dispose()


def test_delete_session_removes_everything_and_needs_the_key(fresh_store, session, clock):
    s, key = session
    other, other_key = fresh_store.create_session("c", "k", OPTIONS, CRITERIA)
    _p, token = fresh_store.join(s.code, name="Anna", municipality="Assen", role="raadslid")
    _q, kept_token = fresh_store.join(other.code)
    fresh_store.submit(s.code, token, weights(1, 2, 3))
    fresh_store.reset(s.code, key)
    fresh_store.submit(s.code, token, weights(3, 2, 1))
    fresh_store.submit(other.code, kept_token, weights(1, 1, 1))
    with pytest.raises(AccessDenied):
        fresh_store.delete_session(s.code, other_key)
    assert fresh_store.delete_session(s.code, key) == 1
    with pytest.raises(SessionNotFound):
        fresh_store.get_session_by_code(s.code)
    with pytest.raises((AccessDenied, SessionNotFound)):
        fresh_store.participant(s.code, token)
    names = [p.name for p in fresh_store.participants(s.id)]
    assert names == [] and fresh_store.discarded_submissions(s.id) == []
    assert fresh_store.submissions(s.id) == []
    # Another session is untouched.
    assert fresh_store.count_submissions(other.id) == 1


def test_purge_removes_sessions_expired_before_the_retention_date(fresh_store, session, clock):
    s, _key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights(1, 2, 3))
    clock.now += timedelta(days=2)
    fresh, _ = fresh_store.create_session("c", "k", OPTIONS, CRITERIA)
    assert fresh_store.purge_expired(clock.now - timedelta(days=30)) == 0
    assert fresh_store.purge_expired(clock.now) == 1  # the old one expired a day ago
    with pytest.raises(SessionNotFound):
        fresh_store.get_session_by_code(s.code)
    assert fresh_store.get_session_by_code(fresh.code).code == fresh.code


def test_every_refusal_of_the_store_is_an_error_a_user_can_act_on(fresh_store):
    """One base class for the whole tool: whoever catches AfwegingError catches these."""
    from afweging.errors import AfwegingError

    with pytest.raises(AfwegingError):
        fresh_store.join("ZZZZZZ")
    with pytest.raises(AfwegingError):
        fresh_store.create_session("c", "k", OPTIONS, ())
