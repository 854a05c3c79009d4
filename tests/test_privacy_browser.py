"""No third-party requests: every page asks only its own server for anything.

A government tool should not tell a third party who opens it, and must work on a
venue's network with no internet. Debian's chromium (playwright) opens every page
of the dashboard at desk and phone size with every tab opened, the facilitator's
and the projector's view of a revealed workshop, and the participants' phone page
(joining and submitting), and records the host of every request and websocket;
only the server itself (127.0.0.1) may appear. Requests elsewhere are
recorded and then refused, so the test fails at once instead of waiting for a
network that is not there. (Streamlit's material page icon was fetched from
fonts.gstatic.com: issue 11, item 10.)
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .browser import (
    CHROMIUM,
    DASHBOARD_PATHS,
    DESKTOP,
    PHONE,
    PHONE_PATH,
    open_page,
    revealed_workshop,
    wait_charts,
    wait_settled,
)

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

OWN_HOST = "127.0.0.1"
#: Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("privacy")


@pytest.fixture(scope="module")
def server(data_dir: Path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from .browser import streamlit_server

    with streamlit_server(data_dir) as base:
        yield base


@pytest.fixture(scope="module")
def workshop(server: str, data_dir: Path) -> dict[str, str]:
    return revealed_workshop(data_dir)


class Requests:
    """Every request and websocket of a browser context, by host; other hosts are refused."""

    def __init__(self, context) -> None:
        self.seen: dict[str, list[str]] = {}
        context.on("request", lambda r: self._add(r.url))
        context.on("page", self._watch)
        context.route(lambda url: not self._own(url), lambda route: route.abort())

    def _watch(self, page) -> None:
        page.on("websocket", lambda ws: self._add(ws.url))

    @staticmethod
    def _own(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in LOCAL_SCHEMES or parts.hostname == OWN_HOST

    def _add(self, url: str) -> None:
        parts = urlsplit(url)
        where = parts.scheme if parts.scheme in LOCAL_SCHEMES else parts.hostname or url[:60]
        self.seen.setdefault(where, []).append(url)

    def foreign(self) -> dict[str, list[str]]:
        return {
            h: urls[:3] for h, urls in self.seen.items() if h != OWN_HOST and h not in LOCAL_SCHEMES
        }


def _visit_tabs(page) -> None:
    """Open every tab of the main column, so what a tab draws is requested too."""
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(tabs.count()):
        tabs.nth(i).click()  # Verkennen draws only the open tab: a click reruns
        wait_settled(page)
        wait_charts(page)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1440", "390"])
def test_only_our_own_server_is_asked(
    server: str, browser, workshop: dict[str, str], size: dict
) -> None:
    """Every dashboard page with every tab opened, the facilitator's and the projector's
    view of a revealed workshop, and a phone joining it."""
    context = browser.new_context(viewport=size)
    requests = Requests(context)
    page = context.new_page()
    for path in (*DASHBOARD_PATHS, workshop["facilitator"], workshop["projector"]):
        open_page(page, server + path)
        _visit_tabs(page)
        page.wait_for_timeout(500)  # the favicon and late assets
    context.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone_requests = Requests(phone)
    page = phone.new_page()
    page.goto(server + PHONE_PATH)
    page.wait_for_load_state("networkidle")
    page.goto(server + workshop["participant"])
    page.get_by_role("button", name="Meedoen").click()
    playwright.expect(page.locator("#send")).to_be_visible(timeout=30_000)
    page.locator("#send").click()
    page.wait_for_load_state("networkidle")
    phone.close()

    assert OWN_HOST in requests.seen and OWN_HOST in phone_requests.seen
    assert requests.foreign() == {}, requests.foreign()
    assert phone_requests.foreign() == {}, phone_requests.foreign()
