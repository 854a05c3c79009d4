"""The dashboard through the real server and a real browser: what a weight change costs.

A councillor moves a weight slider in chromium; the server reruns the page script
over the websocket and the browser redraws. Measured here: the time from the key
press until the app is idle again (as the browser sees it) and the server's CPU
per rerun (from ``/proc``), with Streamlit's ``runner.postScriptGC`` on (its
default: a full ``gc.collect(2)`` after every run) and off (our
``.streamlit/config.toml``).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from bench.server import cpu_seconds, streamlit_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
RERUNS = 20


def run(post_script_gc: bool, reruns: int = RERUNS) -> dict[str, float]:
    """Median wall time per rerun (ms) and server CPU per rerun (ms) on g32 x uitgebreid."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    env = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true" if post_script_gc else "false"}
    with (
        tempfile.TemporaryDirectory() as folder,
        streamlit_server(Path(folder), env=env) as (base, proc),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{base}/?case=g32&set=uitgebreid")
            page.wait_for_selector('.afw-chart', timeout=60_000)
            time.sleep(2)
            slider = page.get_by_role("slider").first
            walls = []
            cpu = 0.0
            for i in range(reruns):
                slider.focus()
                before = cpu_seconds(proc.pid)
                start = time.perf_counter()
                page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
                with suppress(PlaywrightTimeout):  # a quick rerun may be over before we look
                    page.wait_for_selector(RUNNING, timeout=2_000)
                page.wait_for_selector(IDLE, timeout=30_000)
                walls.append(1000 * (time.perf_counter() - start))
                cpu += cpu_seconds(proc.pid) - before
                time.sleep(0.2)
        finally:
            browser.close()
    return {"wall_ms": statistics.median(walls), "cpu_ms": 1000 * cpu / reruns}


def main() -> None:
    """Print both settings side by side."""
    if not Path(CHROMIUM).exists():
        print(f"dashboard in chromium: skipped ({CHROMIUM} missing)")
        return
    for gc in (True, False):
        r = run(gc)
        print(
            f"dashboard in chromium, g32 x uitgebreid, {RERUNS} slider moves, "
            f"runner.postScriptGC={'true (Streamlit default)' if gc else 'false (ours)'}: "
            f"key press to idle median {r['wall_ms']:.0f} ms, server CPU {r['cpu_ms']:.0f} ms "
            "per rerun"
        )


if __name__ == "__main__":
    main()
