"""A database that cannot be reached: plain Dutch messages, never a traceback, and recovery."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from afweging.workshop.errors import StoreUnavailable
from afweging.workshop.store import describe_location, shared_store
from afweging_ui.workshop.phone.routes import PhoneRoutes

UNREACHABLE = "postgresql+psycopg://afweging:geheim@127.0.0.1:9/nergens"


def test_a_wrong_database_url_is_named_without_its_password(monkeypatch) -> None:
    monkeypatch.setenv("AFWEGING_DATABASE_URL", UNREACHABLE)
    with pytest.raises(StoreUnavailable) as refused:
        shared_store()
    assert "geheim" not in str(refused.value) and "***" in str(refused.value)
    assert describe_location("not a url://") and "geheim" not in describe_location(UNREACHABLE)


def test_the_log_line_says_what_to_fix(monkeypatch) -> None:
    monkeypatch.setenv("AFWEGING_DATABASE_URL", UNREACHABLE)
    with pytest.raises(StoreUnavailable) as refused:
        shared_store()
    assert "Connection refused" in refused.value.reason  # the driver's own first line
    monkeypatch.setenv("AFWEGING_DATABASE_URL", "mysql+nodriver://afweging:geheim@db/x")
    with pytest.raises(StoreUnavailable) as refused:
        shared_store()
    assert "driver is not installed" in str(refused.value) and "geheim" not in str(refused.value)


def test_a_database_setting_that_is_no_url_never_becomes_a_file(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AFWEGING_DATABASE_URL", "geheim-wachtwoord")
    with pytest.raises(StoreUnavailable) as refused:
        shared_store()
    assert "is not a database URL" in str(refused.value)
    assert "geheim" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_cached_after_a_failure_so_the_app_recovers(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("AFWEGING_DATABASE_URL", UNREACHABLE)
    with pytest.raises(StoreUnavailable):
        shared_store()
    monkeypatch.setenv("AFWEGING_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")
    assert shared_store().applied_migrations()


def test_phones_get_a_dutch_503_when_the_database_is_away() -> None:
    def unavailable():
        raise StoreUnavailable("postgresql://***@db/afweging", ConnectionRefusedError())

    app = Starlette(routes=PhoneRoutes(unavailable).routes())
    client = TestClient(app, client=("203.0.113.7", 5000), follow_redirects=False)
    r = client.post("/deelnemen", data={"code": "ABC234"})
    assert r.status_code == 503 and "even niet bereikbaar" in r.text and "Traceback" not in r.text
    r = client.post("/deelnemen/inzenden", json={"code": "ABC234", "p": "x", "values": {}})
    assert r.status_code == 503 and r.json()["ok"] is False
    r = client.get("/deelnemen/status?code=ABC234&p=x&lang=en")
    assert r.status_code == 503 and "cannot be reached" in r.json()["message"]


def _workshop_page() -> None:
    from afweging_ui.workshop import page

    page.render()


def test_the_workshop_page_says_so_in_dutch_and_the_dashboard_works(monkeypatch) -> None:
    monkeypatch.setenv("AFWEGING_DATABASE_URL", UNREACHABLE)
    at = AppTest.from_function(_workshop_page, default_timeout=60)
    at.query_params["code"] = "ABC234"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("workshopdatabase is nu niet bereikbaar" in e.value for e in at.error)
    from pathlib import Path

    dashboard = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60
    ).run()
    assert not dashboard.exception
    assert any("Bij deze gewichten" in m.value for m in dashboard.markdown)
