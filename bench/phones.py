"""Real phones on the workshop: what a participant's browser downloads and waits for.

The load driver (:mod:`bench.workshop_load`) speaks plain HTTP; this runs a handful
of real chromium "phones" (390×844, each its own browser context: own cache,
cookies and storage) against a fresh ``streamlit run app.py``. Each opens the join
link a projector shows (``/deelnemen?code=...``), taps Join, waits for the weigh
page, moves the first slider and sends. Bytes are counted by the browser itself
(Chrome DevTools Protocol: ``encodedDataLength`` of every finished request and of
every redirect), so they are what goes over the venue's Wi-Fi, headers included.
Issue 9's goal: the phone page ≤ 150 KB transferred on first load.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.server import log_tail, streamlit_server
from bench.workshop_load import CHROMIUM, CHROMIUM_ARGS, CRITERIA, OPTIONS

PHONES = 5
VIEWPORT = {"width": 390, "height": 844}
GOAL_FIRST_LOAD_KB = 150.0
#: The confirmation the page's script writes into ``#sent`` (ws_phone_received, Dutch).
CONFIRMED = re.compile(r"^\s*Ontvangen")


@dataclass
class Traffic:
    """Requests and bytes the browser received, counted from CDP network events."""

    requests: int = 0
    bytes: int = 0
    cached: int = 0  # requests the browser answered from its own cache
    urls: list[str] = field(default_factory=list)

    def on_request(self, event: dict[str, Any]) -> None:
        """A request leaves (a redirect's response arrives with the next request)."""
        self.requests += 1
        self.urls.append(str(event.get("request", {}).get("url", "")))
        redirect = event.get("redirectResponse")
        if redirect:
            self.bytes += int(redirect.get("encodedDataLength", 0))

    def on_cached(self, _event: dict[str, Any]) -> None:
        """A request answered from the browser's cache: nothing over the network."""
        self.cached += 1

    def on_finished(self, event: dict[str, Any]) -> None:
        """A response is complete: its bytes on the wire, headers included."""
        self.bytes += int(event.get("encodedDataLength", 0))

    def take(self) -> Traffic:
        """What was counted so far; the counter starts again at zero."""
        done = Traffic(self.requests, self.bytes, self.cached, list(self.urls))
        self.requests, self.bytes, self.cached, self.urls = 0, 0, 0, []
        return done


@dataclass
class PhoneRun:
    """One phone's figures."""

    join_page: Traffic
    weigh_page: Traffic
    join_to_page_ms: float
    submit_to_confirmation_ms: float


async def one_phone(browser: Any, base: str, code: str) -> PhoneRun:
    """Open the join link, tap Join, move a slider, send; count bytes and time each step."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True)
    try:
        page = await context.new_page()
        traffic = Traffic()
        cdp = await context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", traffic.on_request)
        cdp.on("Network.loadingFinished", traffic.on_finished)
        cdp.on("Network.requestServedFromCache", traffic.on_cached)
        await cdp.send("Network.enable")

        await page.goto(f"{base}/deelnemen?code={code}", wait_until="networkidle")
        join_page = traffic.take()

        t0 = time.perf_counter()
        async with page.expect_navigation(wait_until="load"):
            await page.click("button[type=submit]")
        await page.wait_for_selector("#send")
        join_ms = 1000 * (time.perf_counter() - t0)
        await page.wait_for_load_state("networkidle")
        weigh_page = traffic.take()

        await page.locator("input[type=range]").first.focus()
        await page.keyboard.press("End")
        t0 = time.perf_counter()
        await page.click("#send")
        # A locator wait: the page's CSP forbids eval, so no wait_for_function.
        await expect(page.locator("#sent")).to_have_text(CONFIRMED, timeout=30_000)
        submit_ms = 1000 * (time.perf_counter() - t0)
        return PhoneRun(join_page, weigh_page, join_ms, submit_ms)
    finally:
        await context.close()


async def _phones(base: str, code: str, phones: int) -> list[PhoneRun]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            return [await one_phone(browser, base, code) for _ in range(phones)]
        finally:
            await browser.close()


def run(phones: int = PHONES) -> dict[str, Any]:
    """The phones one after another (clean timings) against a fresh server; their figures
    and the number of submissions the store holds afterwards."""
    from afweging.workshop import WorkshopStore

    folder = Path(tempfile.mkdtemp(prefix="afweging-phones-"))
    store = WorkshopStore(folder / "workshop.sqlite3")
    session, _key = store.create_session("sra", "kern", list(OPTIONS), list(CRITERIA))
    ok = False
    try:
        with streamlit_server(folder) as (base, _proc):
            try:
                results = asyncio.run(_phones(base, session.code, phones))
            except Exception:
                print(f"phones: failed; server log ({folder}/streamlit.log), last lines:")
                print(log_tail(folder))
                raise
        stored = store.count_submissions(session.id, session.current_round)
        ok = stored == phones
    finally:
        store.dispose()
        if ok:
            shutil.rmtree(folder, ignore_errors=True)
    return {"phones": results, "stored": stored, "ok": ok, "data_dir": str(folder)}


def main() -> None:
    """Print the figures (``python -m bench.phones``); exits non-zero when a submit was lost."""
    r = run()
    runs: list[PhoneRun] = r["phones"]
    n = len(runs)
    join_kb = max(p.join_page.bytes for p in runs) / 1024
    join_req = max(p.join_page.requests for p in runs)
    weigh_kb = max(p.weigh_page.bytes for p in runs) / 1024
    weigh_req = max(p.weigh_page.requests for p in runs)
    weigh_cached = min(p.weigh_page.cached for p in runs)
    total_kb = max(p.join_page.bytes + p.weigh_page.bytes for p in runs) / 1024
    joins = [p.join_to_page_ms for p in runs]
    submits = [p.submit_to_confirmation_ms for p in runs]
    print(
        f"phones in chromium against the real server ({n} phones at 390×844, each its own "
        "browser context, one after another):"
    )
    print(f"  join page (/deelnemen?code=):          max {join_kb:5.1f} KB in {join_req} requests")
    print(
        f"  first weigh-page load after Join:      max {weigh_kb:5.1f} KB in {weigh_req} requests, "
        f"{weigh_cached} from the browser cache "
        f"({', '.join(Path(u.split('?')[0]).name or '/' for u in runs[0].weigh_page.urls)})"
    )
    verdict = "yes" if total_kb <= GOAL_FIRST_LOAD_KB else "MISSED"
    print(
        f"  join page + weigh page, first visit:   max {total_kb:5.1f} KB "
        f"(goal ≤ {GOAL_FIRST_LOAD_KB:.0f} KB: {verdict})"
    )
    print(
        f"  join tap to weigh page loaded:         p50 {statistics.median(joins):.0f} ms, "
        f"max {max(joins):.0f} ms"
    )
    print(
        f"  submit to confirmation ('Ontvangen'):  p50 {statistics.median(submits):.0f} ms, "
        f"max {max(submits):.0f} ms"
    )
    print(
        f"  submissions stored: {r['stored']} of {n}"
        + ("" if r["ok"] else f" (MISSING; data kept in {r['data_dir']})")
    )
    if not r["ok"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
