"""Benchmark of the case library: a live check and a save of a 20-option x 15-criterion case.

What the editor does on every change: check the case's text against its criteria set
and its own documents (the validators of the content files, every quote looked up in
the document text), and, on save, the same plus a new version row. Measured on a
SQLite file and, where a throwaway PostgreSQL server can run, on PostgreSQL too.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from afweging.casebook.store import CaseLibrary
from afweging.documents.extract import extract

OPTIONS = 20
CRITERIA = 15
RUNS = 15


def source_text(lines: int = 600) -> str:
    """A plain-text source of numbered sentences, each one a quotable passage."""
    return "\n".join(
        f"Passage {n}: de samenwerking in variant {n % OPTIONS} weegt op criterium "
        f"{n % CRITERIA} zwaarder dan verwacht."
        for n in range(1, lines + 1)
    )


def criteria_yaml() -> str:
    """A flat criteria set of CRITERIA leaves on a 1-5 scale."""
    lines = ["id: bench", "label: {nl: Bench, en: Bench}", "criteria:"]
    for j in range(CRITERIA):
        lines += [
            f"  - id: c{j}",
            f"    label: {{nl: Criterium {j}, en: Criterion {j}}}",
            "    direction: higher_is_better",
            "    scale: {min: 1, max: 5}",
            "    default_weight: 1",
        ]
    return "\n".join(lines) + "\n"


def case_yaml(source: str, lines: list[str]) -> str:
    """OPTIONS options, every criterion scored with a rationale and a quote from ``source``."""
    out = ["id: bench", "label: {nl: Bench, en: Bench}", "options:"]
    for i in range(OPTIONS):
        out += [
            f"  - id: o{i}",
            f"    label: {{nl: Optie {i}, en: Option {i}}}",
            f"    summary: {{nl: Variant {i}., en: Variant {i}.}}",
            "    scores:",
        ]
        for j in range(CRITERIA):
            quote = lines[(i * CRITERIA + j) % len(lines)]
            out += [
                f"      c{j}:",
                f"        value: {1 + (i + j) % 5}",
                "        basis: bron",
                "        rationale: {nl: Volgens de bron., en: According to the source.}",
                "        evidence:",
                f"          - source: {source}",
                f'            quote: "{quote}"',
            ]
    return "\n".join(out) + "\n"


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median and max of ``runs`` timings, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def measure(name: str, url: str) -> None:
    """Print the live check and save times of the 20 x 15 case on one database."""
    library = CaseLibrary(url)
    try:
        text = source_text()
        doc = extract(text.encode(), "passages.txt")
        case_id, key, _view = library.create_case(criteria_yaml=criteria_yaml())
        library.add_document(doc, case_id, key)
        source = next(d.source_name for d in library.documents(case_id, key))
        body = case_yaml(source, text.splitlines())
        problems = library.check(case_id, key, body, criteria_yaml())
        if problems:
            raise SystemExit(f"casebook: the bench case has problems: {problems[:3]}")
        check = _median_ms(lambda: library.check(case_id, key, body))
        save = _median_ms(lambda: library.save(case_id, key, body, "bench"))
        cells = OPTIONS * CRITERIA
        print(
            f"casebook: {name}: live check of a {OPTIONS} x {CRITERIA} case ({cells} scores, "
            f"{cells} quotes looked up, {len(body) // 1000} kB): median {check[0]:.0f} ms "
            f"(max {check[1]:.0f}); save as a new version: median {save[0]:.0f} ms "
            f"(max {save[1]:.0f}), {RUNS} runs each"
        )
    finally:
        library.dispose()


def main() -> None:
    for name, url in _each_database():
        measure(name, url)


def _each_database() -> Iterator[tuple[str, str]]:
    """The databases of :func:`_databases`, one at a time, each open while measured."""
    with tempfile.TemporaryDirectory() as tmp:
        yield "SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    try:
        from deploy.postgres import PostgresUnavailable, fresh_database, postgres_server
    except ImportError:
        return
    try:
        with postgres_server() as admin, fresh_database(admin, "casebook") as url:
            yield "PostgreSQL", url
    except PostgresUnavailable as exc:
        print(f"casebook: PostgreSQL not available here ({exc}); SQLite only")


if __name__ == "__main__":
    main()
