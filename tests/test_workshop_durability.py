"""``kill -9`` of the real server during a 400-participant burst loses nothing it confirmed.

400 phones join through the phone routes of ``streamlit run app.py``, then all
submit at once; the server is killed with SIGKILL while the burst is running.
After a restart on the same data folder every submission the server confirmed
(HTTP 200) is in the database with exactly the confirmed weights, every token
still works (its page, its status, a new submission), and the projector link
still opens the read-only view.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from afweging.workshop import WorkshopStore
from bench.server import streamlit_server

from .browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PARTICIPANTS = 400
KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")


async def _join_all(base: str, code: str) -> list[str]:
    import aiohttp

    async with aiohttp.ClientSession() as http:

        async def join(_: int) -> str:
            async with http.post(
                f"{base}/deelnemen", data={"code": code}, allow_redirects=False
            ) as r:
                assert r.status == 303, await r.text()
                return parse_qs(urlsplit(r.headers["location"]).query)["p"][0]

        tokens = []
        for start in range(0, PARTICIPANTS, 50):
            tokens += await asyncio.gather(*(join(i) for i in range(start, start + 50)))
        return tokens


async def _burst(base: str, code: str, tokens: list[str], proc, kill_after: int) -> dict:
    """Everyone submits at once; SIGKILL once ``kill_after`` confirmations came back."""
    import aiohttp

    confirmed: dict[str, dict[str, int]] = {}
    killed = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def submit(i: int, token: str) -> None:
            values = {
                "legitimiteit": i % 10 + 1,
                "bestuurlijke_drukte": (i // 10) % 10,
                "efficientie": 3,
            }
            body = {"code": code, "p": token, "values": values}
            try:
                async with http.post(f"{base}/deelnemen/inzenden", json=body) as r:
                    if r.status == 200 and (await r.json())["ok"]:
                        confirmed[token] = values
            except (TimeoutError, aiohttp.ClientError):
                return  # the server died under this request: not confirmed
            if len(confirmed) >= kill_after and not killed.is_set():
                killed.set()
                os.kill(proc.pid, signal.SIGKILL)

        await asyncio.gather(*(submit(i, t) for i, t in enumerate(tokens)))
    return confirmed


def test_kill_9_during_a_400_phone_burst_loses_no_confirmed_submission(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    store = WorkshopStore(data / "workshop.sqlite3")
    session, key = store.create_session("sra", "kern", ["sra-huidig", "sra-verbreed"], KERN)
    viewer = store.viewer_key(session.code, key)
    store.dispose()

    with streamlit_server(data) as (base, proc):
        tokens = asyncio.run(_join_all(base, session.code))
        confirmed = asyncio.run(_burst(base, session.code, tokens, proc, kill_after=150))
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    assert 150 <= len(confirmed) < PARTICIPANTS  # killed mid-burst, not after it

    store = WorkshopStore(data / "workshop.sqlite3")
    stored = {s.participant_id: dict(s.weights) for s in store.submissions(session.id)}
    by_token = {t: store.participant(session.code, t).id for t in tokens}
    for token, values in confirmed.items():
        assert stored[by_token[token]] == {k: float(v) for k, v in values.items()}
    store.dispose()

    with streamlit_server(data) as (base, _proc):
        import urllib.request

        for token in tokens[:5] + list(confirmed)[:5]:
            page = urllib.request.urlopen(f"{base}/deelnemen?code={session.code}&p={token}")
            assert page.status == 200
            status = json.loads(
                urllib.request.urlopen(
                    f"{base}/deelnemen/status?code={session.code}&p={token}"
                ).read()
            )
            assert status["ok"] is True
            request = urllib.request.Request(
                f"{base}/deelnemen/inzenden",
                data=json.dumps(
                    {"code": session.code, "p": token, "values": dict.fromkeys(KERN, 4)}
                ).encode(),
                headers={"Content-Type": "application/json"},
            )
            assert json.loads(urllib.request.urlopen(request).read())["ok"] is True
        check = WorkshopStore(data / "workshop.sqlite3")
        expected = check.count_submissions(session.id)
        check.dispose()
        assert expected >= len(confirmed)
        if not Path(CHROMIUM).exists():
            pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)")
        from playwright.sync_api import expect, sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                beamer = browser.new_page()
                beamer.goto(f"{base}/workshop?code={session.code}&view={viewer}")
                metric = beamer.locator('[data-testid="stMetricValue"]').first
                expect(metric).to_have_text(str(expected), timeout=30_000)
            finally:
                browser.close()


def test_the_server_creates_and_migrates_its_database_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with streamlit_server(data):
        assert (data / "workshop.sqlite3").is_file()  # before any page was asked for
        store = WorkshopStore(data / "workshop.sqlite3")
        try:
            from afweging.workshop.db_schema import MIGRATIONS

            assert store.applied_migrations() == [m for m, _ in MIGRATIONS]
        finally:
            store.dispose()
