"""The workshop store on a real PostgreSQL server, not only on SQLite.

A private cluster is started once for this module (tests/postgres.py); every test
gets a database of its own. The SQLite suite's tests that only go through the
store's API run here unchanged (imported below, with this module's fixtures);
those that look at the database file directly are rewritten with :func:`dump`,
which reads every table through a connection of its own.
"""

from __future__ import annotations

import itertools
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa

from afweging.workshop import (
    AccessDenied,
    InvalidSubmission,
    SessionClosed,
    SessionExpired,
    WorkshopStore,
)
from tests import test_workshop_store as sqlite_suite
from tests.postgres import PostgresUnavailable, fresh_database, postgres_server
from tests.test_workshop_store import ALL_MIGRATIONS, CRITERIA, OPTIONS, TABLES, FakeClock, weights

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def pg_server():
    """The admin URL of a throwaway PostgreSQL server, for this module's tests."""
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL server not available: {exc}")


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a new, empty database on the module's server."""
    with fresh_database(pg_server, f"t_{next(_numbers)}") as url:
        yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fresh_store(pg_url: str, clock: FakeClock):
    store = WorkshopStore(pg_url, clock=clock)
    assert store._engine.dialect.name == "postgresql"
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


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, read over a connection of its own (not the store's)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return {
                t: [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1, 2")]
                for t in TABLES
            }
    finally:
        engine.dispose()


# ------------------------------------------------------------- the SQLite suite, reused
# Each of these uses only fresh_store / session / clock, which resolve to this
# module's PostgreSQL fixtures.

test_many_sessions_get_distinct_codes = sqlite_suite.test_many_sessions_get_distinct_codes
test_malformed_codes_are_not_found = sqlite_suite.test_malformed_codes_are_not_found
test_unknown_code_is_not_found_everywhere = sqlite_suite.test_unknown_code_is_not_found_everywhere
test_join_numbers_participants_and_tokens_identify_them = (
    sqlite_suite.test_join_numbers_participants_and_tokens_identify_them
)
test_names_are_stored_as_plain_text = sqlite_suite.test_names_are_stored_as_plain_text
test_submit_stores_weights_as_floats = sqlite_suite.test_submit_stores_weights_as_floats
test_resubmission_replaces_only_own_submission = (
    sqlite_suite.test_resubmission_replaces_only_own_submission
)
test_my_submission_is_none_before_submitting = (
    sqlite_suite.test_my_submission_is_none_before_submitting
)
test_every_weight_problem_is_reported_at_once = (
    sqlite_suite.test_every_weight_problem_is_reported_at_once
)
test_facilitator_key_is_not_a_participant_token = (
    sqlite_suite.test_facilitator_key_is_not_a_participant_token
)
test_rounds_reveal_hide_and_keep_earlier_rounds = (
    sqlite_suite.test_rounds_reveal_hide_and_keep_earlier_rounds
)
test_new_round_reopens_a_closed_session = sqlite_suite.test_new_round_reopens_a_closed_session
test_reset_sets_the_current_round_aside_without_losing_it = (
    sqlite_suite.test_reset_sets_the_current_round_aside_without_losing_it
)
test_delete_session_removes_everything_and_needs_the_key = (
    sqlite_suite.test_delete_session_removes_everything_and_needs_the_key
)
test_purge_removes_sessions_expired_before_the_retention_date = (
    sqlite_suite.test_purge_removes_sessions_expired_before_the_retention_date
)
test_facilitator_export_gives_people_and_every_round = (
    sqlite_suite.test_facilitator_export_gives_people_and_every_round
)
test_many_threads_submitting_at_once_leave_one_row_per_participant = (
    sqlite_suite.test_many_threads_submitting_at_once_leave_one_row_per_participant
)
test_threads_racing_on_the_same_participants = (
    sqlite_suite.test_threads_racing_on_the_same_participants
)
test_concurrent_joins_get_distinct_numbers = sqlite_suite.test_concurrent_joins_get_distinct_numbers


# --------------------------------------------------------------------------- opening


def test_migrations_create_the_schema_and_record_themselves_once(pg_url, clock):
    store = WorkshopStore(pg_url, clock=clock)
    assert store.applied_migrations() == list(ALL_MIGRATIONS)
    store.dispose()
    again = WorkshopStore(pg_url, clock=clock)
    assert again.applied_migrations() == list(ALL_MIGRATIONS)
    again.dispose()
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) == set(TABLES)
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("submissions")}
    assert ("session_id", "round", "participant_id") in uniques
    types = {c["name"]: c["type"] for c in inspector.get_columns("sessions")}
    assert isinstance(types["is_open"], sa.Boolean)  # a real boolean, not an integer
    engine.dispose()
    assert [row[0] for row in dump(pg_url)["schema_migrations"]] == list(ALL_MIGRATIONS)


def test_stores_opened_at_once_on_an_empty_database_migrate_it_once(pg_url):
    start = threading.Barrier(6)

    def open_store(_i: int) -> list[str]:
        start.wait()
        store = WorkshopStore(pg_url)
        try:
            return store.applied_migrations()
        finally:
            store.dispose()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(open_store, range(6)))
    assert results == [list(ALL_MIGRATIONS)] * 6
    assert len(dump(pg_url)["schema_migrations"]) == len(ALL_MIGRATIONS)


def test_open_refuses_a_database_from_a_newer_version(fresh_store, pg_url):
    fresh_store.dispose()
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO schema_migrations VALUES ('9999_future', 'x')")
    engine.dispose()
    with pytest.raises(RuntimeError, match=r"schema_migrations: .*got also \['9999_future'\]"):
        WorkshopStore(pg_url)


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
        ({**weights(), "kosten": 1}, "weights.kosten: expected one of the criteria legitimiteit"),
        (
            {"legitimiteit": 1, "efficientie": 1},
            "weights: expected a weight for every criterion, got no weight for bestuurlijke_drukte",
        ),
        (weights(0, 0, 0), "weights: expected at least one weight above 0, got all weights 0"),
    ],
)
def test_bad_weights_are_refused_and_nothing_changes(fresh_store, session, pg_url, bad, match):
    s, _key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights(1, 2, 3))
    before = dump(pg_url)
    with pytest.raises(InvalidSubmission, match=match):
        fresh_store.submit(s.code, token, bad)
    assert dump(pg_url) == before
    assert dict(fresh_store.my_submission(s.code, token).weights) == weights(1, 2, 3)


def test_bad_text_is_refused_before_it_reaches_the_server(fresh_store, session, pg_url):
    s, _key = session
    before = dump(pg_url)
    for fields in ({"name": "Anna\x00"}, {"name": "x" * 81}, {"role": "raads\u202elid"}):
        with pytest.raises(InvalidSubmission):
            fresh_store.join(s.code, **fields)
    assert dump(pg_url) == before


@pytest.mark.parametrize("token", ["wrong", "", None, 42, "x" * 10_000])
def test_wrong_participant_token_is_denied(fresh_store, session, pg_url, token):
    s, _key = session
    _p, real = fresh_store.join(s.code)
    fresh_store.submit(s.code, real, weights())
    before = dump(pg_url)
    with pytest.raises(AccessDenied, match="participant token not valid"):
        fresh_store.submit(s.code, token, weights(9, 9, 9))
    with pytest.raises(AccessDenied):
        fresh_store.my_submission(s.code, token)
    assert dump(pg_url) == before


@pytest.mark.parametrize("action", sqlite_suite.FACILITATOR_ACTIONS)
def test_facilitator_actions_need_the_key(fresh_store, session, pg_url, action):
    s, key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights())
    _other, other_key = fresh_store.create_session("c", "k", OPTIONS, CRITERIA)
    before = dump(pg_url)
    for wrong in ("guess", "", None, token, other_key, "x" * 500):
        with pytest.raises(AccessDenied, match="facilitator key not valid"):
            getattr(fresh_store, action)(s.code, wrong)
    assert dump(pg_url) == before
    getattr(fresh_store, action)(s.code, key)  # the real key still works


# --------------------------------------------------------------------------- lifecycle


def test_closed_session_refuses_and_reopens(fresh_store, session, pg_url):
    s, key = session
    _p, token = fresh_store.join(s.code)
    assert not fresh_store.close(s.code, key).is_open
    before = dump(pg_url)
    with pytest.raises(SessionClosed, match=f"session {s.code} is closed"):
        fresh_store.submit(s.code, token, weights())
    with pytest.raises(SessionClosed):
        fresh_store.join(s.code)
    assert dump(pg_url) == before
    assert fresh_store.reopen(s.code, key).is_open
    fresh_store.submit(s.code, token, weights())
    assert fresh_store.count_submissions(s.id) == 1


def test_expired_session_refuses_but_still_exports(fresh_store, session, clock, pg_url):
    s, key = session
    _p, token = fresh_store.join(s.code)
    fresh_store.submit(s.code, token, weights())
    clock.now += timedelta(hours=24)
    before = dump(pg_url)
    with pytest.raises(SessionExpired):
        fresh_store.submit(s.code, token, weights(2, 2, 2))
    assert dump(pg_url) == before
    _session, people, subs = fresh_store.facilitator_export(s.code, key)
    assert [people[x.participant_id].number for x in subs] == [1]


def test_a_full_session_refuses_more_joins(pg_url, clock):
    store = WorkshopStore(pg_url, clock=clock, max_participants=3)
    s, _key = store.create_session("c", "k", OPTIONS, CRITERIA)
    for _ in range(3):
        store.join(s.code)
    with pytest.raises(SessionClosed, match=r"is full \(3 participants\)"):
        store.join(s.code)
    assert store.count_participants(s.id) == 3
    store.dispose()


# --------------------------------------------------------------------------- concurrency


def test_forty_threads_over_twenty_participants_keep_each_ones_last_value(fresh_store, session):
    s, key = session
    people = [fresh_store.join(s.code) for _ in range(20)]
    start = threading.Barrier(40)

    def worker(t: int) -> None:
        i = t % 20  # two threads per participant, racing on the first insert too
        _p, token = people[i]
        start.wait()
        for attempt in range(1, 6):
            fresh_store.submit(s.code, token, weights(i + 1, attempt, t // 20))

    with ThreadPoolExecutor(max_workers=40) as pool:
        list(pool.map(worker, range(40)))
    stored = fresh_store.submissions(s.id, round=1)
    assert len(stored) == 20
    by_participant = {x.participant_id: dict(x.weights) for x in stored}
    for i, (p, _token) in enumerate(people):
        got = by_participant[p.id]
        # each participant's value is one of its two threads' last submission
        assert got in (weights(i + 1, 5, 0), weights(i + 1, 5, 1))
    fresh_store.reveal(s.code, key)
    group = fresh_store.group_weights(s.code)
    assert group == [by_participant[p.id] for p, _t in people]


def test_reset_racing_with_submissions_loses_nothing(fresh_store, session):
    """Each participant's last acknowledged submission is kept or set aside, never deleted.

    reset() copies the round's rows to discarded_submissions, then deletes them; a
    submit committing in between must not be deleted uncopied.
    """
    s, key = session
    people = [fresh_store.join(s.code) for _ in range(20)]
    start = threading.Barrier(21)
    last: dict[int, dict[str, float]] = {}

    def submitter(i: int) -> None:
        p, token = people[i]
        start.wait()
        for attempt in range(1, 11):
            last[p.id] = dict(fresh_store.submit(s.code, token, weights(i + 1, attempt, 1)).weights)

    def resetter() -> None:
        start.wait()
        for _ in range(10):
            fresh_store.reset(s.code, key)

    with ThreadPoolExecutor(max_workers=21) as pool:
        futures = [pool.submit(submitter, i) for i in range(20)]
        futures.append(pool.submit(resetter))
        for future in futures:
            future.result()
    kept = fresh_store.submissions(s.id) + fresh_store.discarded_submissions(s.id)
    stored = {(x.participant_id, tuple(sorted(x.weights.items()))) for x in kept}
    for participant_id, w in last.items():
        assert (participant_id, tuple(sorted(w.items()))) in stored
    assert len(fresh_store.submissions(s.id)) <= 20


def test_join_limiter_counts_are_shared_by_processes_on_one_database(pg_url, clock):
    from afweging.workshop.limits import Client, JoinLimiter

    first, second = WorkshopStore(pg_url, clock=clock), WorkshopStore(pg_url, clock=clock)
    try:
        phone = Client("203.0.113.7", "browser-a")
        for i, code in enumerate("23456789AB"):
            JoinLimiter(first if i % 2 else second).failed(phone, f"ZZZZ{code}Z")
        assert JoinLimiter(first).retry_at(phone) is not None
        assert JoinLimiter(second).retry_at(phone) is not None
        assert JoinLimiter(second).retry_at(Client("203.0.113.7", "browser-b")) is None
    finally:
        first.dispose()
        second.dispose()


def test_projector_keys_work_on_postgres(fresh_store, session):
    s, key = session
    viewer = fresh_store.viewer_key(s.code, key)
    assert fresh_store.require_viewer(s.code, viewer).code == s.code
    with pytest.raises(AccessDenied):
        fresh_store.require_viewer(s.code, key)
    with pytest.raises(AccessDenied):
        fresh_store.reveal(s.code, viewer)
