"""The HTML report printed on A4 by a real chromium, and the PDF's pages measured.

Each report is printed with ``page.pdf(format="A4")`` as a reader's browser would print
it. To know where things land, the test first puts an invisible link at the top of
every section, section heading, option heading, the headline and the ranking chart
(and at the chart's bottom): chromium writes each link into the PDF as an annotation
with its rectangle on its page, so the PDF itself says on which page and how far down
each element starts. No PDF library is needed; the page objects are read with a few
regular expressions. The PDFs and a picture of page 1 land in ``test-artefacts/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from .browser import ARTEFACTS
from .test_export import BUNDLED, bundled_report, workshop_report

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

#: A4 with the report's 15 mm margins, in PDF points (72 per inch).
MM = 72 / 25.4
MARGIN = 15 * MM
#: The share of a page in which no section may start.
LAST_QUARTER = 0.75
#: What the test marks: (CSS selector, kind). Each gets a link at its top.
MARKED = (
    ("header.report", "header"),
    (".headline .winner", "winner"),
    (".headline .verdict", "verdict"),
    ("figure.chart.lead", "chart"),
    ("section", "section"),
    ("section > h2", "h2"),
    ("section.option > h3", "h3"),
)
MARK = """(marked) => {
  const put = (el, name, where) => {
    const a = document.createElement('a');
    a.href = 'https://marker.invalid/' + name;
    a.textContent = '\\u00a0';
    a.style.cssText = 'position:absolute;left:0;' + where +
      ':0;width:2px;height:2px;display:block;overflow:hidden;font-size:1px;color:transparent';
    if (getComputedStyle(el).position === 'static') el.style.position = 'relative';
    el.insertBefore(a, el.firstChild);
  };
  let n = 0;
  for (const [selector, kind] of marked) {
    document.querySelectorAll(selector).forEach((el, k) => {
      put(el, kind + '/' + k + '/top', 'top'); n += 1;
      if (kind === 'chart') { put(el, kind + '/' + k + '/bottom', 'bottom'); n += 1; }
    });
  }
  return n;
}"""


@dataclass(frozen=True)
class Mark:
    """Where a marked element starts (or ends) in the printed PDF."""

    kind: str
    index: int
    edge: str
    page: int  # 1-based
    down: float  # how far down the page's text area, 0 (top) to 1 (bottom)


def _objects(pdf: bytes) -> dict[int, bytes]:
    """The PDF's dictionary objects by number (streams are skipped, not needed)."""
    found = re.finditer(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream|endobj)", pdf, re.S)
    return {int(m.group(1)): m.group(2) for m in found}


def _refs(text: bytes, key: bytes) -> list[int]:
    m = re.search(rb"/" + key + rb"\s*\[([^\]]*)\]", text)
    return [int(x) for x in re.findall(rb"(\d+) 0 R", m.group(1))] if m else []


def marks(pdf: bytes) -> tuple[list[Mark], int]:
    """Every marker link in the PDF with its page and height on the page; the page count."""
    objects = _objects(pdf)
    catalog = next(v for v in objects.values() if re.search(rb"/Type\s*/Catalog", v))
    root = int(re.search(rb"/Pages\s+(\d+) 0 R", catalog).group(1))  # type: ignore[union-attr]
    pages: list[bytes] = []

    def walk(number: int) -> None:
        node = objects[number]
        if re.search(rb"/Type\s*/Pages\b", node):
            for kid in _refs(node, b"Kids"):
                walk(kid)
        else:
            pages.append(node)

    walk(root)
    out = []
    for page_no, page in enumerate(pages, start=1):
        box = [float(x) for x in re.search(rb"/MediaBox\s*\[([^\]]*)\]", page).group(1).split()]  # type: ignore[union-attr]
        height = box[3] - box[1]
        area = height - 2 * MARGIN
        for ref in _refs(page, b"Annots"):
            annot = objects[ref]
            uri = re.search(rb"/URI\s*\(https://marker\.invalid/([^)]*)\)", annot)
            if not uri:
                continue
            kind, index, edge = uri.group(1).decode().split("/")
            rect = [float(x) for x in re.search(rb"/Rect\s*\[([^\]]*)\]", annot).group(1).split()]  # type: ignore[union-attr]
            top = height - (rect[3] if edge == "top" else rect[1])
            out.append(Mark(kind, int(index), edge, page_no, (top - MARGIN) / area))
    return out, len(pages)


def print_report(browser, doc: str, name: str) -> tuple[list[Mark], int]:
    """Print ``doc`` on A4 as chromium does; save the PDF and a picture of page 1."""
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    requests: list[str] = []

    def refuse(route) -> None:
        requests.append(route.request.url)
        route.abort()

    page.route("**/*", refuse)
    page.set_content(doc, wait_until="load")
    page.emulate_media(media="print")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    # A picture of page 1 to look at: the print-emulated page at A4 width with the page's
    # margins, one page high. The screen has no page breaks, so below the last thing on
    # page 1 it may show the top of what the PDF (the measure here) puts on page 2.
    margins = page.add_style_tag(content="body { padding: 15mm !important; }")
    page.screenshot(
        path=str(ARTEFACTS / f"report-page1-{name}.png"),
        clip={"x": 0, "y": 0, "width": 794, "height": 1123},
    )
    margins.evaluate("style => style.remove()")
    count = page.evaluate(MARK, [list(m) for m in MARKED])
    pdf = page.pdf(format="A4")
    context.close()
    (ARTEFACTS / f"report-{name}.pdf").write_bytes(pdf)
    assert requests == [], f"the report asked the network for {requests}"
    found, pages = marks(pdf)
    assert len(found) == count, "every marker is found in the PDF"
    return found, pages


def no_section_in_the_last_quarter(found: list[Mark]) -> None:
    late = [m for m in found if m.kind in ("section", "h2", "h3") and m.down > LAST_QUARTER]
    assert not late, f"starts in the last quarter of a page: {late}"


def on_page_one(found: list[Mark], *kinds: str) -> None:
    for kind in kinds:
        here = [m for m in found if m.kind == kind]
        assert here, f"no {kind} in the report"
        assert all(m.page == 1 for m in here), f"{kind} not on page 1: {here}"


@pytest.mark.parametrize(("case", "cset"), BUNDLED)
def test_report_prints_headline_and_chart_on_page_one_and_no_late_sections(
    browser, case: str, cset: str
) -> None:
    found, pages = print_report(browser, bundled_report(case, cset), f"{case}-{cset}")
    # The title, the winner, the source's verdict and the whole ranking chart on page 1.
    on_page_one(found, "header", "winner", "verdict", "chart")
    first_h2 = next(m for m in found if m.kind == "h2" and m.index == 0)
    assert first_h2.page == 1  # the ranking's heading, right above its chart
    no_section_in_the_last_quarter(found)
    sections = [m for m in found if m.kind == "section"]
    assert len(sections) == 5 + sum(m.kind == "h3" for m in found)  # five, and one per option
    assert sections == sorted(sections, key=lambda m: (m.page, m.down))
    assert pages >= 3


def test_english_report_prints_the_same_way(browser) -> None:
    found, _ = print_report(browser, bundled_report("g32", "uitgebreid", "en"), "g32-uitgebreid-en")
    on_page_one(found, "header", "winner", "verdict", "chart")
    no_section_in_the_last_quarter(found)


def test_workshop_report_prints_the_room_first_and_no_late_sections(browser) -> None:
    found, _ = print_report(browser, workshop_report(), "workshop-sra-kern")
    on_page_one(found, "header", "winner", "verdict")
    workshop = next(m for m in found if m.kind == "section" and m.index == 0)
    assert workshop.page == 1  # the room's section right under the header
    no_section_in_the_last_quarter(found)
