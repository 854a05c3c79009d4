"""Benchmark of source-document upload: extracting a 100-page PDF in the child process.

The PDF is made by the tests' factory with realistic text (45 lines of Dutch policy
prose per page); each run starts a fresh child process, as an upload does, so the
figure includes its start-up, the setrlimit sandbox and pypdf's text extraction.
"""

from __future__ import annotations

import random
import statistics
import time

from afweging.documents.extract import extract
from tests.documents_factory import pdf

PAGES = 100
LINES_PER_PAGE = 45
RUNS = 5
_VOCABULARY = (
    "de gemeenschappelijke regeling regio gemeenten bestuur samenwerking vervoer "
    "jeugdzorg raad college besluit democratische legitimiteit bestuurlijke drukte "
    "efficiëntie kosten draagvlak metropoolregio vervoerregio coördinatie taken "
    "uitvoering verantwoording begroting zienswijze provincie wethouder burgemeester "
    "inwoners voorzieningen beleid afspraken evaluatie in op van met voor door en "
    "een het die dat niet ook wordt worden zijn is bij naar over onder tussen"
)
WORDS = tuple(_VOCABULARY.split())


def sample_pdf(pages: int = PAGES, seed: int = 14) -> bytes:
    """A PDF of ``pages`` pages of prose-like lines (about 85 characters each)."""
    rng = random.Random(seed)
    content = []
    for number in range(1, pages + 1):
        lines = [f"Hoofdstuk {number}"]
        for _ in range(LINES_PER_PAGE - 1):
            line = ""
            while len(line) < 80:
                line += rng.choice(WORDS) + " "
            lines.append(line.strip().capitalize() + ".")
        content.append(lines)
    return pdf(content, title="Bench: discussiestuk", created="D:20240101000000")


def run(runs: int = RUNS) -> dict[str, float]:
    """Median and spread of the extraction time over ``runs`` fresh child processes."""
    data = sample_pdf()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        document = extract(data, "bench.pdf")
        times.append((time.perf_counter() - start) * 1000)
    assert len(document.pages) == PAGES and document.page_of(document.pages[-1]) == PAGES
    return {
        "bytes": len(data),
        "chars": len(document.text),
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
    }


def main() -> None:
    """Print the figure."""
    r = run()
    print(
        f"documents: extract a {PAGES}-page PDF ({r['bytes'] / 1e6:.1f} MB, "
        f"{r['chars']:,} characters) in a sandboxed child process: median {r['median_ms']:.0f} ms "
        f"of {RUNS} (min {r['min_ms']:.0f}, max {r['max_ms']:.0f})"
    )


if __name__ == "__main__":
    main()
