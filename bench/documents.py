"""Benchmark of source-document upload: a 100-page PDF, extracted in the child process, and
uploaded through the real server in chromium as a policy officer does it.

The PDF is made by the tests' factory with realistic text (45 lines of Dutch policy
prose per page); each run starts a fresh child process, as an upload does, so the
first figure includes its start-up, the setrlimit sandbox and pypdf's text extraction.
The second is what a user waits: from choosing the file in the editor's uploader
(``/casus-bewerken``, Brondocumenten) to the message that it is stored, through the
websocket, the upload endpoint, the extraction, the database and the page's rerun.
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


def upload_in_browser(runs: int = 3) -> list[float]:
    """Seconds from choosing a distinct 100-page PDF in the editor to 'is opgeslagen', each
    in a fresh page of a real server, on a fresh copy of g32 in its case library."""
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from afweging.casebook.store import CaseLibrary
    from bench.server import streamlit_server
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, wait_settled

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        library = CaseLibrary(f"sqlite:///{folder / 'workshop.sqlite3'}")
        case_id, key, _ = library.copy_bundled("g32", "kern")
        library.dispose()
        with streamlit_server(folder) as (base, _proc), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(runs):
                name = folder / f"nota-{i}.pdf"
                name.write_bytes(sample_pdf(seed=100 + i))
                page = browser.new_page(
                    viewport={"width": DESKTOP["width"], "height": DESKTOP["height"]}
                )
                page.goto(f"{base}/casus-bewerken?case_id={case_id}&key={key}")
                wait_settled(page)
                page.get_by_role("tab", name="Brondocumenten").click()
                wait_settled(page)
                start = time.perf_counter()
                page.locator(
                    '[data-testid="stTabPanel"]:visible input[type="file"]'
                ).set_input_files(str(name))
                page.get_by_text(f"{name.name} is opgeslagen").wait_for(timeout=120_000)
                times.append(time.perf_counter() - start)
                page.close()
            browser.close()
    return times


def main() -> None:
    """Print the figures."""
    r = run()
    print(
        f"documents: extract a {PAGES}-page PDF ({r['bytes'] / 1e6:.1f} MB, "
        f"{r['chars']:,} characters) in a sandboxed child process: median {r['median_ms']:.0f} ms "
        f"of {RUNS} (min {r['min_ms']:.0f}, max {r['max_ms']:.0f})"
    )
    times = upload_in_browser()
    print(
        f"documents: upload a {PAGES}-page PDF in the editor (chromium, real server) until "
        f"'is opgeslagen': median {statistics.median(times) * 1000:.0f} ms of {len(times)} "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )


if __name__ == "__main__":
    main()
