"""Running the real dashboard for browser tests: a streamlit server and Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.server import streamlit_server as _server

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]


@contextmanager
def streamlit_server(data_dir: Path, timeout: float = 60) -> Iterator[str]:
    """Start ``streamlit run app.py`` on 127.0.0.1 at a free port; yield its base URL.

    The same server the benchmarks measure (:mod:`bench.server`), with the workshop
    database in ``data_dir``; stopped when the block ends.
    """
    with _server(data_dir, timeout=timeout) as (base, _process):
        yield base


def wait_idle(page) -> None:
    """Wait until the app has finished its rerun."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000
    )


def screenshot_main(page, path: Path) -> None:
    """A screenshot of the whole main column (Streamlit scrolls inside stMain)."""
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=30_000)
    page.wait_for_timeout(800)
    width = page.viewport_size["width"]
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height), 6000)})
    page.wait_for_timeout(800)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 A/AA violations axe-core finds on the page (its context needs bypass_csp)."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci` (make test does)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations", WCAG_AA
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
        for v in result
    ]
