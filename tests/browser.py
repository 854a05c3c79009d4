"""Running the real dashboard for browser tests: a streamlit server and Debian's chromium."""

from __future__ import annotations

import time
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
    page.wait_for_selector('.afw-chart .main-svg', timeout=30_000)
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


#: The dashboard's pages (Streamlit) and the participants' phone page (plain HTML).
DASHBOARD_PATHS = (
    "/",
    "/robuustheid",
    "/bronnen",
    "/rekencontrole",
    "/workshop",
    "/casus-bewerken",
    "/colofon",
)
PHONE_PATH = "/deelnemen"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
#: axe-core's impacts, least to most severe.
IMPACTS = ("minor", "moderate", "serious", "critical")


def open_page(page, url: str, timeout: float = 60_000) -> None:
    """Open a dashboard page and wait until it is complete: its script has run and every
    plotly chart on it has drawn (charts draw after the text)."""
    page.goto(url)
    page.wait_for_selector(
        '[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]',
        timeout=timeout,
    )
    wait_settled(page, timeout)
    wait_charts(page, timeout)
    wait_settled(page, timeout)


def wait_settled(page, timeout: float = 60_000, quiet: float = 800) -> None:
    """Wait until the app is idle and stays so for ``quiet`` ms with the same elements.

    A page may rerun right after its first run (a widget or the URL settling), and the
    moment between two runs is already "notRunning": waiting for that alone can catch a
    page that is not complete yet.
    """
    count = "() => document.querySelectorAll('[data-testid=\"stElementContainer\"]').length"
    deadline = time.monotonic() + timeout / 1000
    while True:
        wait_idle(page)
        before = page.evaluate(count)
        page.wait_for_timeout(quiet)
        state = page.get_attribute('[data-testid="stApp"]', "data-test-script-state")
        if state == "notRunning" and page.evaluate(count) == before:
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page did not settle within {timeout / 1000:.0f} s")


def wait_charts(page, timeout: float = 30_000) -> None:
    """Wait until every chart in the page has drawn (its block is there as soon as it
    arrives; plotly.js draws into it once loaded), then for the app to be idle."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[class*=\"st-key-plot_\"]')]"
        ".every(c => c.querySelector('.afw-chart .main-svg'))",
        timeout=timeout,
    )
    page.wait_for_timeout(300)
    wait_idle(page)


def axe_results(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe-core finds, with its impact and each node
    (selector, HTML, axe's failure summary). The context needs ``bypass_csp`` on pages
    with a content security policy (the phone pages)."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `npm ci` (make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations", WCAG_AA
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {
                    "target": " ".join(str(t) for t in n["target"]),
                    "html": n["html"][:200],
                    "summary": " ".join(n.get("failureSummary", "").split())[:300],
                }
                for n in v["nodes"]
            ],
        }
        for v in result
    ]


def impact_counts(violations: list[dict]) -> dict[str, int]:
    """How many elements fail, per impact (an element failing two rules counts twice)."""
    counts = dict.fromkeys(IMPACTS, 0)
    for v in violations:
        counts[v["impact"] or "minor"] += len(v["nodes"])
    return counts


def format_violations(violations: list[dict]) -> str:
    """axe-core's findings as readable lines, for test output and failure messages."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}), {len(v['nodes'])} element(s)")
        for n in v["nodes"]:
            lines.append(f"    {n['target']}\n      {n['html']}\n      {n['summary']}")
    return "\n".join(lines) or "no violations"


def revealed_workshop(data_dir: Path, participants: int = 6) -> dict[str, str]:
    """A workshop session on sra / kern in the server's database, with ``participants`` who
    submitted in two camps and the result revealed. Returns the paths of the facilitator's
    control link, the projector's link and the participants' join link."""
    from afweging.loading import load_bundled
    from afweging.workshop import WorkshopStore

    bundle = load_bundled()
    options = [o.id for o in bundle.case("sra").options]
    criteria = [c.id for c in bundle.criteria_set("kern").leaves()]
    store = WorkshopStore(data_dir / "workshop.sqlite3")
    try:
        session, key = store.create_session("sra", "kern", options, criteria)
        code = session.code
        for i in range(participants):
            _, token = store.join(code)
            first, *rest = criteria if i % 2 else criteria[::-1]
            store.submit(code, token, {first: 10, **dict.fromkeys(rest, 2)})
        store.reveal(code, key)
        viewer = store.viewer_key(code, key)
    finally:
        store.dispose()
    return {
        "facilitator": f"/workshop?code={code}&key={key}",
        "projector": f"/workshop?code={code}&view={viewer}",
        "participant": f"{PHONE_PATH}?code={code}",
    }
