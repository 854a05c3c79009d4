"""Shared fixtures: small, hand-checked data files; the workshop store on both databases."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"


@pytest.fixture
def flat_paths() -> tuple[Path, Path]:
    """(criteria, scenarios) of a three-criterion flat set with a three-option case."""
    return GOOD / "flat" / "criteria.yaml", GOOD / "flat" / "scenario.yaml"


@pytest.fixture
def tree_paths() -> tuple[Path, Path]:
    """(criteria, scenarios) of a two-level value tree with a three-option case."""
    return GOOD / "tree" / "criteria.yaml", GOOD / "tree" / "scenario.yaml"


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never write the workshop database into the checkout's data/ folder."""
    os.environ.setdefault("AFWEGING_DATA_DIR", str(tmp_path_factory.mktemp("data")))


class Clock:
    """A settable clock for the workshop store (time only moves when a test says so)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[sa.URL]:
    """The admin URL of one throwaway PostgreSQL server for the whole run (deploy/postgres.py);
    each test that needs it gets a database of its own (:func:`db`)."""
    from deploy.postgres import PostgresUnavailable, postgres_server

    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL server not available: {exc}")


_databases = itertools.count(1)
STORES = ("sqlite", "postgresql")


@pytest.fixture(params=STORES)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a test's own, empty workshop database: every test that takes it (or
    :func:`store`) runs once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
        return
    from deploy.postgres import fresh_database

    admin = request.getfixturevalue("pg_admin")
    with fresh_database(admin, f"t_{os.getpid()}_{next(_databases)}") as url:
        yield url


@pytest.fixture
def store(db: str, clock: Clock):
    """A workshop store of the test's own, with the test's clock, on each database."""
    from afweging.workshop import WorkshopStore

    s = WorkshopStore(db, clock=clock)
    assert s._engine.dialect.name == db.split(":")[0].split("+")[0]
    yield s
    s.dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through playwright, headless, one per test module (no browser is
    downloaded: ``scripts/ensure-chromium.sh`` installs the package)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from .browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
