"""Benchmark of the workshop through real app sessions: participants join and submit.

Each participant is its own Streamlit session (an AppTest of the participant page,
which runs the real script: the store, the core ranking and the widgets). They
join with the code, set their sliders, submit and resubmit once; the time of each
Submit rerun is recorded. Afterwards the store must hold every participant's
latest weights exactly once. Bounded in time, so ``make bench`` stays short.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

PARTICIPANTS = 20
TIME_LIMIT_S = 120.0
CRITERIA = ("legitimiteit", "bestuurlijke_drukte", "efficientie")


def _participant_page() -> None:
    from ui.pages import join

    join.render()


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _value(at: AppTest, name: str) -> str:
    value = at.query_params[name]
    return value[0] if isinstance(value, list) else value


def run(participants: int = PARTICIPANTS, time_limit: float = TIME_LIMIT_S) -> dict[str, float]:
    """Join and submit (twice) through the page; return timings and the stored-row checks."""
    from afweging.workshop import WorkshopStore

    with tempfile.TemporaryDirectory() as folder:
        previous = os.environ.get("AFWEGING_DATA_DIR")
        os.environ["AFWEGING_DATA_DIR"] = folder
        try:
            store = WorkshopStore(Path(folder) / "workshop.sqlite3")
            session, _key = store.create_session(
                "sra", "kern", ["sra-huidig", "sra-verbreed", "sra-mra-vervoer"], CRITERIA
            )
            submit_ms: list[float] = []
            join_ms: list[float] = []
            expected: dict[str, dict[str, float]] = {}
            start = time.perf_counter()
            for i in range(participants):
                if time.perf_counter() - start > time_limit:
                    break
                at = AppTest.from_function(_participant_page, default_timeout=60)
                at.query_params["code"] = session.code
                at.run()
                t0 = time.perf_counter()
                at.button(key="ws_join").click().run()
                join_ms.append((time.perf_counter() - t0) * 1000)
                token = _value(at, "p")
                for round_trip in range(2):  # submit, then change and resubmit
                    weights = {c: (i + k + round_trip) % 10 + 1 for k, c in enumerate(CRITERIA)}
                    for c, v in weights.items():
                        at.slider(key=f"ws_w_{c}").set_value(v)
                    at.run()
                    t0 = time.perf_counter()
                    at.button(key="ws_submit").click().run()
                    submit_ms.append((time.perf_counter() - t0) * 1000)
                    if at.exception or not at.success:
                        raise RuntimeError(f"participant {i}: submit not confirmed")
                expected[token] = {c: float(v) for c, v in weights.items()}
            wall = time.perf_counter() - start

            stored = store.submissions(session.id)
            exactly_once = len(stored) == len(expected) and all(
                dict(store.my_submission(session.code, token).weights) == w  # type: ignore[union-attr]
                for token, w in expected.items()
            )
            store.dispose()
        finally:
            if previous is None:
                os.environ.pop("AFWEGING_DATA_DIR", None)
            else:
                os.environ["AFWEGING_DATA_DIR"] = previous
    return {
        "participants": float(len(expected)),
        "submits": float(len(submit_ms)),
        "join_p50_ms": statistics.median(join_ms),
        "submit_p50_ms": statistics.median(submit_ms),
        "submit_p95_ms": _percentile(submit_ms, 95),
        "wall_s": wall,
        "stored_rows": float(len(stored)),
        "exactly_once": float(exactly_once),
    }


def main() -> None:
    """Print the figures (``python -m bench.workshop_app``)."""
    r = run()
    print(
        f"workshop app: {int(r['participants'])} participants through the participant page, "
        f"{int(r['submits'])} submits (each submitted and resubmitted once) in {r['wall_s']:.1f} s"
    )
    print(f"  join rerun   p50 {r['join_p50_ms']:.0f} ms")
    print(f"  submit rerun p50 {r['submit_p50_ms']:.0f} ms, p95 {r['submit_p95_ms']:.0f} ms")
    verdict = "yes" if r["exactly_once"] else "NO"
    print(
        f"  stored rows {int(r['stored_rows'])}; every participant's latest weights stored "
        f"exactly once: {verdict}"
    )
    if not r["exactly_once"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
