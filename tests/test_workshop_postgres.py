"""What only PostgreSQL has, beyond the store suite that runs on both databases.

Every test in tests/test_workshop_store.py (and the limiter and phone tests) runs on a
SQLite file and on the throwaway PostgreSQL server of tests/conftest.py. This module
checks what is PostgreSQL's own: its column types, several stores migrating one empty
database at once, many threads (real parallel connections) racing on rows, and
processes sharing one database.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from afweging.workshop import WorkshopStore
from deploy.postgres import fresh_database
from tests.stores import TABLES, dump
from tests.test_workshop_store import ALL_MIGRATIONS, CRITERIA, OPTIONS, FakeClock, weights

_numbers = itertools.count(1)


@pytest.fixture
def pg_url(pg_admin):
    """The URL of a new, empty database on the run's server."""
    with fresh_database(pg_admin, f"pg_{next(_numbers)}") as url:
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
    """An open session; returns (Session, key)."""
    return fresh_store.create_session("regio_noord", "kernset", OPTIONS, CRITERIA)


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
