"""Where the workshop store lives: a SQLite file by default, any SQLAlchemy URL when configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from afweging.workshop.store import shared_store


def test_default_is_a_sqlite_file_under_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AFWEGING_DATABASE_URL", raising=False)
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path / "data"))
    store = shared_store()
    session, _ = store.create_session(
        "sra", "kern", ["sra-huidig", "sra-verbreed"], ["legitimiteit", "efficientie"]
    )
    assert (tmp_path / "data" / "workshop.sqlite3").is_file()
    assert store.get_session_by_code(session.code).case_id == "sra"


def test_a_database_url_takes_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path / "unused"))
    monkeypatch.setenv("AFWEGING_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    store = shared_store()
    store.create_session("g32", "kern", ["g32-1", "g32-mix"], ["legitimiteit", "efficientie"])
    assert (tmp_path / "elsewhere.db").is_file()
    assert not (tmp_path / "unused" / "workshop.sqlite3").exists()


def test_one_store_per_location_is_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AFWEGING_DATABASE_URL", raising=False)
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path / "a"))
    first = shared_store()
    assert shared_store() is first
    monkeypatch.setenv("AFWEGING_DATA_DIR", str(tmp_path / "b"))
    assert shared_store() is not first
