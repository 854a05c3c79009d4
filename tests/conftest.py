"""Shared fixtures: paths to small, hand-checked data files."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

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


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Where a test's own workshop database lives."""
    return tmp_path / "workshop.sqlite3"


@pytest.fixture
def store(db: Path, clock: Clock):
    """A workshop store of the test's own, on SQLite, with the test's clock."""
    from afweging.workshop import WorkshopStore

    s = WorkshopStore(db, clock=clock)
    yield s
    s.dispose()
