"""A saved case's permalink in a real browser (issue 14, item 3): a fresh browser context
(no session, no cookies) opens ``/?lib=..&key=..``, sees the case's name and the ranking's
winner, keeps the link through a page switch, and the page has no WCAG 2.1 AA violation."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from afweging.casebook.store import CaseLibrary

from .browser import CHROMIUM, CHROMIUM_ARGS, axe_violations, open_page, streamlit_server
from .test_library_links import saved_case

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    data = tmp_path_factory.mktemp("library")
    library = CaseLibrary(data / "workshop.sqlite3")
    try:
        case_id, _edit, view = saved_case(library)
    finally:
        library.dispose()
    with streamlit_server(data) as base:
        yield base, case_id, view


def test_a_fresh_browser_opens_the_permalink_with_the_case_and_its_winner(server) -> None:
    base, case_id, view = server
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000}, bypass_csp=True)
            page = context.new_page()
            open_page(page, f"{base}/?lib={case_id}&key={view}")
            side = page.locator('[data-testid="stSidebarUserContent"]')
            case_box = side.locator('[data-testid="stSelectbox"] input').first
            playwright.expect(case_box).to_have_value("Samenwerking Testland")
            winner = page.locator(
                '[data-testid="stMain"] [data-testid="stMarkdown"]:has(strong)'
            ).first
            playwright.expect(winner).to_contain_text("Fuseren")  # version 2's winner
            query = dict(parse_qsl(urlsplit(page.url).query))
            assert (query["lib"], query["key"], query["v"]) == (case_id, view, "2")
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert view not in main
            assert axe_violations(page) == []
            page.locator(f'[data-testid="stSidebarNav"] a[href="{base}/robuustheid"]').click()
            playwright.expect(page).to_have_url(re.compile(rf"/robuustheid\?.*lib={case_id}"))
            open_page(page, page.url)
            query = dict(parse_qsl(urlsplit(page.url).query))
            assert (query["lib"], query["v"], query["case"]) == (case_id, "2", "lib-testland")
            context.close()
        finally:
            browser.close()
