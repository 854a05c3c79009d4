"""Benchmark of the dashboard: server-side rerun time after a weight change.

Drives the real app script through Streamlit's AppTest (the same script run a
server does on each interaction, without the browser) on the largest bundled
case, moving one weight slider 50 times.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
RERUNS = 50


def main() -> None:
    """Print median and p95 rerun time for the largest case on its largest criteria set."""
    bundle = load_bundled()
    case = max(bundle.cases, key=lambda c: len(c.options))
    cset = max(bundle.criteria_sets, key=lambda s: len(s.leaves()))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["case"] = case.id
    at.query_params["set"] = cset.id
    at.run()
    assert not at.exception, at.exception
    key = f"w_in_sliders_{cset.criteria[0].id}"
    times = []
    for i in range(RERUNS):
        at.slider(key=key).set_value(float(1 + i % 10))
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    assert not at.exception, at.exception
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"dashboard script (AppTest: no server, websocket or browser, so not what a user "
        f"waits for): rerun after a weight change, {case.id} x {cset.id} "
        f"({len(case.options)} options x {len(cset.leaves())} leaf criteria), {RERUNS} reruns: "
        f"median {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
