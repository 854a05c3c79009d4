"""The view in a real browser (issue 11): page switches, the language toggle, 100 points.

Chromium follows the sidebar's navigation links the way a councillor does; the
frontend then asks for the new page without the query, and Streamlit forgets the
widgets of the page left behind. The view must come through all of that unchanged.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from afweging.loading import load_bundled
from afweging_ui.i18n import table

from .browser import ARTEFACTS, CHROMIUM, streamlit_server, wait_idle

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

#: The permalink of the issue, in today's format, exactly as pasted in a memo.
PERMALINK = (
    "/?case=sra&set=kern&opt=sra-huidig,sra-verbreed,sra-kabinet&m=sliders&lang=nl"
    "&w=legitimiteit:3,bestuurlijke_drukte:1,efficientie:1"
)
#: The url paths of the sidebar's pages, every one and then home (Verkennen) again.
PAGES = ["robuustheid", "bronnen", "rekencontrole", "workshop", "colofon", ""]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with streamlit_server(tmp_path_factory.mktemp("view")) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    yield context.new_page()
    context.close()


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def settle(page) -> None:
    """Wait for the rerun a click started, and for the one it may trigger (URL update)."""
    page.wait_for_timeout(300)
    wait_idle(page)
    page.wait_for_timeout(300)
    wait_idle(page)


def open_dashboard(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".afw-chart", timeout=60_000)
    settle(page)


def headline(page) -> str:
    """The sentence saying who comes first: the explore page's first text with a bold name."""
    item = page.locator('[data-testid="stMain"] [data-testid="stMarkdown"]:has(strong)').first
    item.wait_for(timeout=30_000)
    return item.inner_text()


def sidebar_widgets(page) -> list[str]:
    """What the sidebar's selectors, chips, sliders and number boxes show, in order."""
    side = page.locator('[data-testid="stSidebarUserContent"]')
    parts = []
    for selector in (
        '[data-testid="stSelectbox"] input',
        '[data-testid="stMultiSelect"] [data-tag] span[title]',
        '[data-testid="stSliderThumbValue"]',
        '[data-testid="stNumberInput"] input',
    ):
        items = side.locator(selector)
        for i in range(items.count()):
            item = items.nth(i)
            parts.append(item.input_value() if "input" in selector else item.inner_text())
    return parts


def nav(page, path: str) -> None:
    """Click the page at ``path`` in the sidebar navigation and wait until it has been drawn."""
    base = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    page.locator(f'[data-testid="stSidebarNav"] a[href="{base}/{path}"]').click()
    playwright.expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/{path}(\?|$)"))
    settle(page)


def wait_for_query(page, expected: dict[str, str], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while query(page.url) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert query(page.url) == expected, page.url


def test_every_page_and_back_keeps_the_view(server: str, page) -> None:
    open_dashboard(page, server + PERMALINK)
    expected = query(PERMALINK)
    wait_for_query(page, expected)
    head, widgets = headline(page), sidebar_widgets(page)
    assert "Stadsregio verbreed met Almere, Haarlem en Velsen" in head
    assert widgets[1] == "Kerncriteria" and len(widgets) == 9  # 3 selectors, 3 chips, 3 sliders
    for path in PAGES:
        nav(page, path)
        assert not page.locator('[data-testid="stException"]').count(), path
        if path != "workshop":  # the workshop's address holds its own join code and keys
            wait_for_query(page, expected)
        if path == "robuustheid":
            assert sidebar_widgets(page) == widgets
    page.wait_for_selector(".afw-chart", timeout=60_000)
    settle(page)
    wait_for_query(page, expected)
    assert headline(page) == head
    assert sidebar_widgets(page) == widgets
    sidebar = page.locator('[data-testid="stSidebarUserContent"]')
    assert "Kies ten minste twee opties" not in sidebar.inner_text()
    page.locator('[data-testid="stMain"]').screenshot(
        path=str(ARTEFACTS / "view-after-every-page.png")
    )


def _english_only() -> tuple[set[str], list[str]]:
    """(texts an English sidebar may show, Dutch texts it must not show)."""
    bundle = load_bundled()
    texts = [v for v in table().values()]
    data = [c.label for c in bundle.cases] + [s.label for s in bundle.criteria_sets]
    data += [c.label for s in bundle.criteria_sets for c in s.walk()]
    data += [o.label for c in bundle.cases for o in c.options]
    english = {v["en"] for v in texts} | {x.en for x in data} | {"Taal / Language"}
    dutch = [re.split(r"\{", v["nl"])[0].strip() for v in texts if v["nl"] != v["en"]]
    dutch += [x.nl for x in data if x.nl != x.en]
    return english, sorted({d for d in dutch if len(d) >= 6})


def test_english_sidebar_has_no_dutch_left(server: str, page) -> None:
    open_dashboard(page, server + PERMALINK)
    before = query(page.url)
    head = headline(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    playwright.expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text(
        "Robustness", timeout=30_000
    )
    settle(page)
    wait_for_query(page, before | {"lang": "en"})
    assert headline(page) != head and "comes first" in headline(page)
    english, dutch = _english_only()
    for where in ("Explore", "Robustness"):
        if where == "Robustness":
            nav(page, "robuustheid")
            wait_for_query(page, before | {"lang": "en"})
        sidebar = page.locator('[data-testid="stSidebar"]')
        labels = [
            x.strip()
            for x in sidebar.locator('[data-testid="stWidgetLabel"]').all_inner_texts()
            if x.strip()
        ]
        assert labels, where
        assert [x for x in labels if x not in english] == [], where
        shown = [
            sidebar.locator('[data-testid="stSelectbox"] input').nth(i).input_value()
            for i in range(sidebar.locator('[data-testid="stSelectbox"] input').count())
        ]
        assert shown and [x for x in shown if x not in english] == [], where
        chips = sidebar.locator('[data-testid="stMultiSelect"] [data-tag] span[title]')
        names = [x.strip() for x in chips.all_inner_texts()]
        bundle = load_bundled()
        assert names == [bundle.case("sra").option(o).label.en for o in before["opt"].split(",")]
        text = sidebar.inner_text()
        assert [d for d in dutch if d in text] == [], where
    page.locator('[data-testid="stSidebar"]').screenshot(path=str(ARTEFACTS / "sidebar-en.png"))


def test_the_robustness_choice_follows_the_language_both_ways(server: str, page) -> None:
    """The criterion chosen on Robuustheid is shown in the page's language after each
    switch (after English and back, it still read "Administrative burden")."""
    leaves = {leaf.id: leaf.label for leaf in load_bundled().criteria_set("kern").leaves()}
    open_dashboard(page, server + PERMALINK)
    nav(page, "robuustheid")
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first
    playwright.expect(box).to_have_value(re.compile(r"\S"), timeout=30_000)
    chosen = next(k for k, v in leaves.items() if v.nl == box.input_value())
    for lang, word in (("en", "English"), ("nl", "Nederlands")):
        page.locator('[data-testid="stSidebar"]').get_by_text(word, exact=True).click()
        settle(page)
        playwright.expect(box).to_have_value(leaves[chosen].get(lang), timeout=30_000)
        placeholder = box.get_attribute("placeholder") or ""
        assert placeholder in ("", "Kies een optie" if lang == "nl" else "Choose an option")


def test_the_upload_button_and_the_page_language_follow_the_reader(server: str, page) -> None:
    """Streamlit's uploader said "Upload" and "20MB per file" on a Dutch page; and the
    page's <html lang> stayed as it was loaded when the reader switched language."""
    open_dashboard(page, server + "/")
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.locator(".st-key-upload_open summary").click()
    zone = page.get_by_test_id("stFileUploaderDropzone")
    playwright.expect(zone.get_by_role("button", name="Bestand kiezen")).to_be_visible()
    playwright.expect(zone.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
    assert "MB" not in zone.inner_text()
    # What the eye reads on the button: the page's words; Streamlit's "Upload" is kept out
    # of sight (1 px), for the accessibility tree only.
    shown = zone.locator("button span[data-has-shortcut]").evaluate(
        "e => getComputedStyle(e, '::after').content"
    )
    assert shown == '"Bestand kiezen"'
    hidden = zone.locator('button [data-testid="stMarkdownContainer"]').bounding_box()
    assert hidden is not None and hidden["width"] <= 1 and hidden["height"] <= 1
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    playwright.expect(page.locator("html")).to_have_attribute("lang", "en")
    if not page.get_by_test_id("stFileUploaderDropzone").count():  # closed by the switch
        page.locator(".st-key-upload_open summary").click()
    zone = page.get_by_test_id("stFileUploaderDropzone")
    playwright.expect(zone.get_by_role("button", name="Choose a file")).to_be_visible()


def test_slider_figures_are_written_in_the_page_s_language(server: str, page) -> None:
    """A half step on a weight slider read "3.5" on a Dutch page (Streamlit formats it
    with sprintf-js, which has no decimal comma)."""
    open_dashboard(page, server + "/?w=legitimiteit:3.5,bestuurlijke_drukte:1,efficientie:1")
    side = page.locator('[data-testid="stSidebarUserContent"] .st-key-side_weights')
    thumb = side.locator('[data-testid="stSliderThumbValue"]').first
    playwright.expect(thumb).to_have_text("3,5", timeout=30_000)
    # Moved by the keyboard, the new value is written the Dutch way too.
    thumb.locator("xpath=ancestor::*[@data-testid='stSlider']").get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    settle(page)
    playwright.expect(thumb).to_have_text("4", timeout=30_000)
    page.keyboard.press("ArrowRight")
    settle(page)
    playwright.expect(thumb).to_have_text("4,5", timeout=30_000)
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    settle(page)
    playwright.expect(thumb).to_have_text("4.5", timeout=30_000)


def test_100_points_say_what_is_left_and_keep_the_page(server: str, page) -> None:
    open_dashboard(page, server + "/?m=points")
    head = headline(page)
    side = page.locator('[data-testid="stSidebarUserContent"]')
    playwright.expect(side).to_contain_text("Alle 100 punten zijn verdeeld.")
    first = side.locator('[data-testid="stNumberInput"] input').first
    first.fill("60")
    first.press("Enter")
    playwright.expect(side).to_contain_text("26 punten te veel.", timeout=30_000)
    settle(page)
    main = page.locator('[data-testid="stMain"]')
    playwright.expect(main).to_contain_text("laatste bruikbare gewichten")
    assert headline(page) == head
    assert page.locator(".afw-chart").count() > 0
    assert "add up" not in side.inner_text() and "top-level" not in side.inner_text()
    wait_for_query(
        page, query(page.url) | {"w": "legitimiteit:60,bestuurlijke_drukte:33,efficientie:33"}
    )
    first.fill("34")
    first.press("Enter")
    playwright.expect(side).to_contain_text("Alle 100 punten zijn verdeeld.", timeout=30_000)
    settle(page)
    assert "laatste bruikbare" not in main.inner_text()
