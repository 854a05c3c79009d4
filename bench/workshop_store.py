"""Benchmark of the workshop store: a full room joining and submitting at once.

200 participants each join and submit through a pool of 24 threads against a fresh
SQLite file (WAL, synchronous=FULL, as in production), then the store is checked
to hold every submission exactly once.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from afweging.workshop import WorkshopStore

PARTICIPANTS = 200
THREADS = 24
CRITERIA = ("legitimiteit", "efficientie", "bestuurlijke_drukte", "kosten", "draagvlak")
OPTIONS = ("samenwerking", "fusie", "status_quo")


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(participants: int = PARTICIPANTS, threads: int = THREADS) -> dict[str, float]:
    """Simulate the room; return latencies in ms and the stored-row checks."""
    with tempfile.TemporaryDirectory() as folder:
        store = WorkshopStore(Path(folder) / "workshop.sqlite3")
        session, _key = store.create_session(
            "bench", "kernset", OPTIONS, CRITERIA, ask_name=True, ask_municipality=True
        )

        def one_person(i: int) -> tuple[int, float, float, dict[str, float]]:
            start = time.perf_counter()
            person, token = store.join(session.code, name=f"Raadslid {i}", municipality="Assen")
            joined = time.perf_counter()
            weights = {c: float((i + k) % 7 + 1) for k, c in enumerate(CRITERIA)}
            store.submit(session.code, token, weights)
            done = time.perf_counter()
            return person.id, (joined - start) * 1000, (done - joined) * 1000, weights

        wall = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(one_person, range(participants)))
        wall_ms = (time.perf_counter() - wall) * 1000

        stored = store.submissions(session.id)
        sent = {pid: weights for pid, _j, _s, weights in results}
        exactly_once = (
            len(stored) == participants
            and len({s.participant_id for s in stored}) == participants
            and all(dict(s.weights) == sent[s.participant_id] for s in stored)
        )
        store.dispose()

    join_ms = [r[1] for r in results]
    submit_ms = [r[2] for r in results]
    return {
        "participants": participants,
        "threads": threads,
        "wall_ms": wall_ms,
        "join_p50_ms": statistics.median(join_ms),
        "join_p95_ms": _percentile(join_ms, 95),
        "submit_p50_ms": statistics.median(submit_ms),
        "submit_p95_ms": _percentile(submit_ms, 95),
        "rows": len(stored),
        "exactly_once": exactly_once,
    }


def main() -> None:
    """Print the figures; fail loudly if any submission is missing or doubled."""
    r = run()
    print(
        f"workshop_store (the store alone, in this process; the real server is measured "
        f"below): {r['participants']} participants, {r['threads']} threads, "
        f"SQLite WAL synchronous=FULL, wall {r['wall_ms']:.0f} ms"
    )
    print(
        f"workshop_store: submit latency p50 {r['submit_p50_ms']:.1f} ms, "
        f"p95 {r['submit_p95_ms']:.1f} ms; join p50 {r['join_p50_ms']:.1f} ms, "
        f"p95 {r['join_p95_ms']:.1f} ms"
    )
    verdict = "all stored exactly once" if r["exactly_once"] else "MISSING OR DOUBLED ROWS"
    print(f"workshop_store: {r['rows']} submission rows for {r['participants']}: {verdict}")
    if not r["exactly_once"]:
        raise SystemExit("workshop_store: submissions lost or doubled")


if __name__ == "__main__":
    main()
