"""What a councillor waits for on Verkennen, in a real browser against the real server.

- First chart: from navigation to the ranking chart drawn, with a warm server (one visit
  first), each try in a fresh browser context. Two clocks: in the page, from the
  navigation's start to the frame after the chart's SVG appeared (what a user sees);
  and as playwright's selector wait returns to this process, which adds its polling
  while the page is busy and the round trips (about 0.2 s). Also the bytes transferred,
  and the same over a throttled home connection (30 Mbit/s).
- Weight change: from the key press on a weight slider to the ranking chart showing
  the new scores (the figure's data changed in the page), and whether the chart was
  ever blank in between (a MutationObserver watches for the chart's SVG to vanish).
- The HTML report's size for each bundled case and set.

Printed as median and p95 over the tries; goals from issue 11: first chart ≤ 2.5 s,
weight change ≤ 300 ms median, never blank, report ≤ 1.5 MB.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bench.server import streamlit_server

if TYPE_CHECKING:  # playwright is a test dependency, imported where the run needs it
    from playwright.sync_api import Browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run"]
CHART = ".afw-chart .main-svg"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TRIES = 20
HOME_TRIES = 5

#: Watches the ranking chart: when its data last changed, and whether its SVG ever vanished.
WATCH = """
() => {
  const w = window.__afw = {changed: 0, blank: 0, last: ''};
  const plot = () => document.querySelector('.afw-chart.js-plotly-plot');
  const key = () => {
    const p = plot();
    return p && p.data ? JSON.stringify(p.data.map(d => d.x)) : '';
  };
  w.last = key();
  const tick = () => {
    if (!document.querySelector('.afw-chart .main-svg')) w.blank++;
    const k = key();
    if (k && k !== w.last) { w.last = k; w.changed = performance.now(); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


#: Notes, in the page, when the ranking chart's SVG first appears and when the frame after
#: it has been drawn (two animation frames later), from the navigation's start.
PAINTED = (
    f"const CHART = '{CHART}';"
    + """
window.__afwFirst = {};
const seen = new MutationObserver(() => {
  if (window.__afwFirst.svg || !document.querySelector(CHART)) return;
  window.__afwFirst.svg = performance.now();
  seen.disconnect();
  requestAnimationFrame(() => requestAnimationFrame(() => {
    window.__afwFirst.painted = performance.now();
  }));
});
seen.observe(document, {subtree: true, childList: true});
"""
)

#: A home connection, for chromium's network throttling (bytes per second, ms).
HOME = {"offline": False, "latency": 20, "downloadThroughput": 30e6 / 8,
        "uploadThroughput": 5e6 / 8}  # fmt: skip


def first_chart(
    browser: Browser, base: str, network: dict[str, float | bool] | None = None
) -> dict[str, float]:
    """From navigation to the ranking chart, in a fresh context: ``painted`` (seconds, in the
    page: from the navigation's start to the frame after the chart's SVG appeared, what a
    user sees), ``seen`` (seconds, as playwright's selector wait returns: adds its polling
    and the round trips to this process) and ``mb`` (megabytes over the network)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(PAINTED)
    page = context.new_page()
    if network:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    start = time.perf_counter()
    page.goto(base + "/", wait_until="commit")
    page.wait_for_selector(CHART, timeout=60_000)
    seen = time.perf_counter() - start
    page.wait_for_function("window.__afwFirst.painted > 0", timeout=10_000)
    painted = page.evaluate("window.__afwFirst.painted") / 1000
    transferred = page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(
             performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0)"""
    )
    context.close()
    return {"painted": painted, "seen": seen, "mb": transferred / 1e6}


def summary(runs: list[dict[str, float]]) -> str:
    """The figures of :func:`first_chart`, as median and p95."""
    painted, seen = [r["painted"] for r in runs], [r["seen"] for r in runs]
    return (
        f"on screen median {statistics.median(painted):.2f} s, p95 {percentile(painted, 95):.2f}"
        f" s; as playwright's wait returns median {statistics.median(seen):.2f} s, p95 "
        f"{percentile(seen, 95):.2f} s; {statistics.median(r['mb'] for r in runs):.1f} MB "
        "transferred"
    )


def weight_changes(browser: Browser, base: str, tries: int) -> tuple[list[float], int]:
    """Milliseconds from a slider key press to new chart data; frames without a chart."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_selector(IDLE)
    time.sleep(1.0)
    page.evaluate(WATCH)
    slider = page.get_by_role("slider").first
    times, blank = [], 0
    for i in range(tries):
        slider.focus()
        before = page.evaluate("window.__afw.changed")
        pressed = page.evaluate("performance.now()")
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"window.__afw.changed > {before}", timeout=30_000)
        times.append(page.evaluate("window.__afw.changed") - pressed)
        page.wait_for_selector(IDLE)
        time.sleep(0.3)
    blank = int(page.evaluate("window.__afw.blank"))
    context.close()
    return times, blank


def report_sizes() -> dict[str, int]:
    """Bytes of the HTML report for each bundled case and set, at default weights."""
    from afweging import export
    from afweging.loading import load_bundled
    from afweging.matrix import build_matrix, rank_with
    from afweging_ui.i18n import t

    bundle = load_bundled()
    out = {}
    for case in bundle.cases:
        for cset in bundle.criteria_sets:
            matrix = build_matrix(case, cset)
            options = export.ReportOptions(lang="nl", version=bundle.version, day=date.today())
            report = export.html_report(matrix, rank_with(matrix), lambda k: t(k, "nl"), options)
            out[f"{case.id} x {cset.id}"] = len(report.encode("utf-8"))
    return out


def main() -> None:
    """Print the figures."""
    if not Path(CHROMIUM).exists():
        print(f"dashboard speed: skipped ({CHROMIUM} missing)")
        return
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory() as folder,
        streamlit_server(Path(folder)) as (base, _proc),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            first_chart(browser, base)  # warm the server and the browser's cache
            firsts = [first_chart(browser, base) for _ in range(TRIES)]
            home = [first_chart(browser, base, HOME) for _ in range(HOME_TRIES)]
            changes, blank = weight_changes(browser, base, TRIES)
        finally:
            browser.close()
    print(
        f"dashboard in chromium, first ranking chart after navigation (warm server, {TRIES} "
        f"fresh contexts; goal ≤ 2.5 s): {summary(firsts)}"
    )
    print(
        f"the same over a home connection (chromium's throttling: 30 Mbit/s down, 20 ms; "
        f"{HOME_TRIES} fresh contexts): {summary(home)}"
    )
    print(
        f"dashboard in chromium, weight change to updated chart ({TRIES} key presses): "
        f"median {statistics.median(changes):.0f} ms, p95 {percentile(changes, 95):.0f} ms "
        f"(goal ≤ 300 ms median); frames without a chart meanwhile: {blank}"
    )
    sizes = report_sizes()
    print(
        "HTML report size: "
        + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sizes.items())
        + f" (largest {max(sizes.values()) / 1e6:.2f} MB; goal ≤ 1.5 MB)"
    )


if __name__ == "__main__":
    main()
