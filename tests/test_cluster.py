"""Two app processes behind HAProxy on one throwaway PostgreSQL server (issue 12).

The same setup ``make serve`` starts (:mod:`deploy.cluster`): Debian's haproxy with
``deploy/haproxy.cfg`` (cookie stickiness ``AFWEGING_NODE``, health checks, websockets)
in front of two ``streamlit run app.py`` processes whose only shared state is the
database. HAProxy's own log (one line per request, ``backend/server``) shows which
process answered, so each test can prove the request went where it claims.

- A facilitator connected through one process sees submissions that arrive through
  the other.
- An upload works through the balancer (Streamlit's upload endpoint must reach the
  process that holds the browser's session).
- The join limiter counts wrong codes across both processes.
- ``kill -9`` of one process loses no acknowledged submission, the other keeps
  serving, and a facilitator whose process died is moved to the other and keeps
  control.
- Neither HAProxy's log nor the apps' logs hold a token or key.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
import re
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from afweging.workshop import WorkshopStore
from afweging.workshop.checks import CODE_ALPHABET

from .browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")
OPTIONS = ("sra-huidig", "sra-verbreed", "sra-mra-vervoer")
METRIC = '[data-testid="stMetricValue"]'
NODE = "AFWEGING_NODE"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    from deploy.postgres import PostgresUnavailable, fresh_database, postgres_server

    try:
        with postgres_server() as admin, fresh_database(admin, "cluster") as url:
            yield url
    except PostgresUnavailable as exc:  # make test installs it: this is a broken machine
        pytest.fail(f"PostgreSQL is needed for this test: {exc}")


@pytest.fixture(scope="module")
def running(database: str):
    from deploy.cluster import cluster

    with cluster(2, database) as c:
        yield c


@pytest.fixture(scope="module")
def store(database: str) -> Iterator[WorkshopStore]:
    s = WorkshopStore(database)
    yield s
    s.dispose()


def request(
    base: str,
    method: str,
    path: str,
    *,
    form: dict[str, str] | None = None,
    body: dict | None = None,
    cookies: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """One HTTP request through the balancer, no redirects followed, explicit cookies."""
    netloc = urlsplit(base).netloc
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    payload = None
    if form is not None:
        payload = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    conn = http.client.HTTPConnection(netloc, timeout=30)
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def served_by(log: str, method: str, path: str) -> list[str]:
    """The servers HAProxy's log names for requests ``method path`` (in order)."""
    pattern = re.compile(rf" app/(\w+) .* {method} {re.escape(path)}$", re.M)
    return pattern.findall(log)


def join(base: str, code: str, node: str | None = None) -> str:
    """Join through the balancer (pinned to ``node`` when given); the participant's token."""
    cookies = {NODE: node} if node else {}
    status, headers, body = request(
        base, "POST", "/deelnemen", form={"code": code}, cookies=cookies
    )
    assert status == 303, body[:300]
    return parse_qs(urlsplit(headers["location"]).query)["p"][0]


def submit(base: str, code: str, token: str, values: dict[str, int], node: str | None = None):
    cookies = {NODE: node} if node else {}
    payload = {"code": code, "p": token, "lang": "nl", "values": values}
    return request(base, "POST", "/deelnemen/inzenden", body=payload, cookies=cookies)


def values(rng: random.Random) -> dict[str, int]:
    return {c: rng.randint(0, 10) for c in KERN}


def new_session(store: WorkshopStore) -> tuple[str, str]:
    session, key = store.create_session("sra", "kern", list(OPTIONS), list(KERN))
    return session.code, key


def launch(p):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing (scripts/ensure-chromium.sh installs it)")
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def pinned(browser, base: str, node: str):
    """A browser context whose requests HAProxy sends to ``node`` (its stickiness cookie)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": NODE, "value": node, "url": base}])
    return context


def submissions_shown(page) -> str:
    return page.locator(METRIC).first.inner_text().strip()


def test_facilitator_on_one_process_sees_submissions_through_the_other(running, store) -> None:
    from playwright.sync_api import expect, sync_playwright

    code, key = new_session(store)
    rng = random.Random(1)
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = pinned(browser, running.url, "app1").new_page()
            page.goto(f"{running.url}/workshop?code={code}&key={key}")
            expect(page.get_by_role("button", name="Resultaten tonen")).to_be_visible(
                timeout=60_000
            )
            expect(page.locator(METRIC).first).to_have_text("0", timeout=30_000)
            tokens = [join(running.base, code, "app2") for _ in range(5)]
            for token in tokens:
                status, _, body = submit(running.base, code, token, values(rng), "app2")
                assert status == 200 and json.loads(body)["ok"] is True, body
            # The control view refreshes itself: the count comes from the database.
            expect(page.locator(METRIC).first).to_have_text("5", timeout=30_000)
        finally:
            browser.close()
    log = running.haproxy_log()
    assert set(served_by(log, "POST", "/deelnemen/inzenden")) == {"app2"}
    assert set(served_by(log, "GET", "/workshop")) == {"app1"}
    assert len(store.submissions(store.get_session_by_code(code).id)) == 5


def test_an_upload_works_through_the_balancer(running, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    own = tmp_path / "raad.yaml"
    text = (ROOT / "scenarios" / "g32.yaml").read_text(encoding="utf-8")
    own.write_text(
        text.replace("id: g32\n", "id: g32-raad\n", 1).replace(
            'nl: "G32-scenario\'s voor regionale samenwerking (2012)"',
            'nl: "Eigen raadsvoorstel"',
            1,
        ),
        encoding="utf-8",
    )
    assert "id: g32-raad" in own.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(running.url + "/")
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("Eigen bestand laden").click()
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(own))
            expect(sidebar).to_contain_text("Geladen: raad.yaml (g32-raad)", timeout=60_000)
            node = {c["name"]: c["value"] for c in page.context.cookies()}[NODE]
        finally:
            browser.close()
    # The file went to the process that holds the browser's session, through HAProxy.
    uploads = [
        s for s in re.findall(r" app/(\w+) .* PUT /_stcore/upload_file/", running.haproxy_log())
    ]
    assert uploads and set(uploads) == {node}


def test_the_join_limiter_counts_across_both_processes(running) -> None:
    browser_id = "cluster-test-browser-0001"
    rng = random.Random(7)
    wrong = {"".join(rng.choice(CODE_ALPHABET) for _ in range(6)) for _ in range(11)}
    codes = sorted(wrong)[:11]
    answers = []
    for i, code in enumerate(codes[:10]):
        node = "app1" if i % 2 == 0 else "app2"
        cookies = {NODE: node, "afweging_browser": browser_id}
        status, _, _ = request(
            running.base, "POST", "/deelnemen", form={"code": code}, cookies=cookies
        )
        answers.append(status)
    assert answers == [404] * 10  # five wrong codes on each process
    # Each process alone has seen five; the database has seen ten: the eleventh is held back.
    cookies = {NODE: "app1", "afweging_browser": browser_id}
    status, _, body = request(
        running.base, "POST", "/deelnemen", form={"code": codes[10]}, cookies=cookies
    )
    assert status == 429, body[:300]
    assert "Probeer het opnieuw om" in body
    served = served_by(running.haproxy_log(), "POST", "/deelnemen")
    assert {"app1", "app2"} <= set(served)


def test_no_token_or_key_in_any_log(running, store) -> None:
    code, key = new_session(store)
    token = join(running.base, code)
    status, _, _ = submit(running.base, code, token, values(random.Random(3)))
    assert status == 200
    request(running.base, "GET", f"/deelnemen?{urlencode({'code': code, 'p': token})}")
    request(running.base, "GET", f"/workshop?{urlencode({'code': code, 'key': key})}")
    time.sleep(0.5)  # HAProxy writes its line when the response is done
    logs = [running.haproxy_log()] + [
        (r.data_dir / "streamlit.log").read_text(errors="replace") for r in running.replicas
    ]
    assert "GET /deelnemen" in logs[0]  # the requests are logged, without their query
    for text in logs:
        assert token not in text and key not in text


async def _submit_until_confirmed(
    base: str, code: str, token: str, wanted: dict[str, int], confirmed: dict[str, dict]
) -> int:
    """Submit as the phone's script does: retry on a failed answer; return the attempts."""
    import aiohttp

    payload = {"code": code, "p": token, "lang": "nl", "values": wanted}
    for attempt in range(1, 40):
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.post(f"{base}/deelnemen/inzenden", json=payload) as r,
            ):
                answer = await r.json(content_type=None) if r.status == 200 else {}
                if answer.get("ok") is True:
                    confirmed[token] = wanted
                    return attempt
        except (aiohttp.ClientError, ValueError):
            pass
        await asyncio.sleep(0.25)
    return -1


async def _burst(base, code, tokens, wanted, confirmed, kill, kill_after: int) -> list[int]:
    """Everyone submits at once; ``kill()`` runs once ``kill_after`` were confirmed."""

    async def watcher() -> None:
        while len(confirmed) < kill_after:
            await asyncio.sleep(0.005)
        kill()

    watch = asyncio.create_task(watcher())
    attempts = await asyncio.gather(
        *(_submit_until_confirmed(base, code, t, wanted[t], confirmed) for t in tokens)
    )
    await watch
    return list(attempts)


def in_thread(coroutine):
    """Run a coroutine on its own loop in a thread (playwright's sync API holds this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def stored_values(store: WorkshopStore, code: str, tokens: list[str]) -> dict[str, dict]:
    """Each token's stored weights (one row per participant, or the test fails)."""
    session = store.get_session_by_code(code)
    by_id = {store.participant(code, t).id: t for t in tokens}
    rows = store.submissions(session.id)
    assert len({r.participant_id for r in rows}) == len(rows)
    return {by_id[r.participant_id]: {k: round(v) for k, v in r.weights.items()} for r in rows}


def test_kill_9_of_one_process_loses_no_acknowledged_submission(database: str, store) -> None:
    from playwright.sync_api import expect, sync_playwright

    from deploy.cluster import cluster

    rng = random.Random(11)
    with cluster(2, database) as c, sync_playwright() as p:
        code, key = new_session(store)
        tokens = [join(c.base, code) for _ in range(60)]
        browser = launch(p)
        try:
            page = pinned(browser, c.url, "app2").new_page()
            page.goto(f"{c.url}/workshop?code={code}&key={key}")
            expect(page.locator(METRIC).first).to_have_text("0", timeout=60_000)
            victim = c.replicas[1]
            first = {t: values(rng) for t in tokens}
            confirmed: dict[str, dict] = {}
            attempts = in_thread(_burst(c.base, code, tokens, first, confirmed, victim.kill, 20))
            assert victim.proc.poll() is not None  # it really died
            assert min(attempts) > 0, "a phone never got a confirmation"
            assert max(attempts) > 1, "no request met the dead process: nothing was shown"
            # Every acknowledged submission is in the database with its values.
            assert stored_values(store, code, tokens) == first == confirmed
            # The survivor answers everything once HAProxy has seen the death (its health
            # checks take about 3 s; a quick first burst can end sooner), through the
            # same address.
            deadline = time.monotonic() + 30
            while "Server app/app2 is DOWN" not in c.haproxy_log():
                assert time.monotonic() < deadline, "HAProxy never marked app2 down"
                time.sleep(0.2)
            again = {t: values(rng) for t in tokens}
            confirmed_again: dict[str, dict] = {}
            in_thread(_burst(c.base, code, tokens, again, confirmed_again, lambda: None, 0))
            assert stored_values(store, code, tokens) == again == confirmed_again
            # The facilitator was on the killed process: HAProxy moves the browser to the
            # other one, which reruns the page; the key cookie keeps control.
            expect(page.locator(METRIC).first).to_have_text(str(len(tokens)), timeout=60_000)
            expect(page.get_by_role("button", name="Resultaten tonen")).to_be_visible()
        finally:
            browser.close()
        log = c.haproxy_log()
        assert re.search(r"Server app/app2 is DOWN", log), log[-2000:]
        after = log[log.index("Server app/app2 is DOWN") :]
        assert served_by(after, "POST", "/deelnemen/inzenden")
        assert set(served_by(after, "POST", "/deelnemen/inzenden")) == {"app1"}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for 127.0.0.1, with its key, in one PEM file (HAProxy's form)."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    pem = folder / "afweging.pem"
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    return pem


def test_tls_ends_at_haproxy_under_a_base_path(database: str, store, certificate: Path) -> None:
    """HTTPS at the balancer, plain HTTP behind it, the app under /afweging: cookies are
    Secure, HSTS is sent, the phones' links keep the path, and the dashboard's websocket
    works through TLS."""
    from playwright.sync_api import expect, sync_playwright

    from deploy.cluster import cluster

    unverified = ssl._create_unverified_context()
    with cluster(1, database, base_path="afweging", certificate=certificate) as c:
        assert c.url.startswith("https://") and c.url.endswith("/afweging")
        with urllib.request.urlopen(f"{c.url}/_stcore/health", context=unverified) as r:
            assert r.read() == b"ok"
        with urllib.request.urlopen(f"{c.url}/deelnemen", context=unverified) as r:
            cookies = r.headers.get_all("Set-Cookie")
            assert r.headers["Strict-Transport-Security"] == "max-age=31536000"
        browser_cookie = next(x for x in cookies if x.startswith("afweging_browser="))
        assert "Secure" in browser_cookie and "Path=/afweging/deelnemen" in browser_cookie
        assert any(x.startswith(f"{NODE}=") and "Secure" in x for x in cookies)
        code, _key = new_session(store)
        netloc = urlsplit(c.base).netloc
        conn = http.client.HTTPSConnection(netloc, timeout=30, context=unverified)
        try:
            conn.request(
                "POST", "/afweging/deelnemen", body=urlencode({"code": code}),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
            answer = conn.getresponse()
            answer.read()
            assert answer.status == 303
            assert answer.getheader("location", "").startswith("/afweging/deelnemen?code=")
        finally:
            conn.close()
        with sync_playwright() as p:
            browser = launch(p)
            try:
                page = browser.new_context(ignore_https_errors=True).new_page()
                page.goto(c.url + "/")
                expect(page.locator('[data-testid="stSidebar"]')).to_contain_text(
                    "Eigen bestand laden", timeout=60_000
                )
                # A chart is drawn from what came over the websocket (wss through HAProxy).
                expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
            finally:
                browser.close()
        # HAProxy saw the websocket upgrade under the base path.
        assert re.search(r" 101 .* GET /afweging/_stcore/stream$", c.haproxy_log(), re.M)


def test_an_upload_without_the_xsrf_token_is_refused(running) -> None:
    """XSRF protection is on: another site's page cannot post a file into a session."""
    boundary = "afwegingtest"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.yaml"\r\n'
        f"Content-Type: application/x-yaml\r\n\r\nid: x\r\n--{boundary}--\r\n"
    )
    netloc = urlsplit(running.base).netloc
    conn = http.client.HTTPConnection(netloc, timeout=30)
    try:
        conn.request(
            "PUT", "/_stcore/upload_file/some-session/some-file", body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip
        answer = conn.getresponse()
        answer.read()
    finally:
        conn.close()
    assert answer.status == 403


def test_both_processes_recover_when_the_database_returns(tmp_path: Path) -> None:
    """PostgreSQL restarts under two running processes: while it is away the phones get a
    plain Dutch 503 (nothing stored, no traceback); when it is back, both processes serve
    again by themselves, with no restart of their own."""
    from deploy.cluster import cluster
    from deploy.postgres import fresh_database, postgres_cluster

    rng = random.Random(5)
    with (
        postgres_cluster() as server,
        fresh_database(server.url, "recovery") as url,
        cluster(2, url) as c,
    ):
        store = WorkshopStore(url)
        try:
            code, _key = new_session(store)
        finally:
            store.dispose()
        tokens = {node: join(c.base, code, node) for node in ("app1", "app2")}
        for node, token in tokens.items():  # each process holds pooled connections now
            assert submit(c.base, code, token, values(rng), node)[0] == 200
        server.stop("fast")
        for node, token in tokens.items():
            status, _, body = submit(c.base, code, token, values(rng), node)
            assert status == 503, body
            assert json.loads(body)["message"].startswith("De workshop is even niet bereikbaar")
        server.start()
        last: dict[str, dict[str, int]] = {}
        for node, token in tokens.items():
            sent = values(rng)
            status, _, body = submit(c.base, code, token, sent, node)
            assert status == 200, body  # the first request after the return already works
            last[token] = sent
        store = WorkshopStore(url)
        try:
            assert stored_values(store, code, list(tokens.values())) == last
        finally:
            store.dispose()
        for r in c.replicas:
            assert r.proc.poll() is None  # nobody restarted them
        logs = "".join((r.data_dir / "streamlit.log").read_text() for r in c.replicas)
        assert "Traceback" not in logs
