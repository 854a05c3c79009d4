"""The workshop in a real browser: a facilitator and three phones against a live server.

Starts ``streamlit run app.py`` on a free port with its own data folder, then
drives Debian's chromium with playwright: the facilitator creates a session, three
participants (separate browser contexts at 390x844) join through the join link and
submit, the facilitator's live view counts three submissions without a reload,
and after the reveal shows the group ranking. Screenshots go to ``test-artefacts/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import ARTEFACTS, CHROMIUM, streamlit_server, wait_idle
from .browser import CHROMIUM_ARGS as LAUNCH_ARGS

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A live app on a free port with its own workshop database; stopped afterwards."""
    (tmp_path / "data").mkdir()
    with streamlit_server(tmp_path / "data") as base:
        yield base


def test_facilitator_and_three_phones(server: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)")
    from playwright.sync_api import expect, sync_playwright

    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            desk = browser.new_context(
                viewport={"width": 1440, "height": 900}, device_scale_factor=1
            )
            fac = desk.new_page()
            fac.goto(f"{server}/workshop")
            fac.get_by_role("button", name="Sessie aanmaken").click()
            fac.wait_for_url(re.compile(r"code=[A-Z0-9]{6}&key="), timeout=30_000)
            code = re.search(r"code=([A-Z0-9]{6})", fac.url).group(1)  # type: ignore[union-attr]
            main = fac.locator('[data-testid="stMain"]')
            expect(main).to_contain_text(f"{code[:3]} {code[3:]}", timeout=30_000)
            join_link = fac.locator('[data-testid="stCode"]').first.inner_text().strip()
            assert join_link.endswith(f"/deelnemen?code={code}")
            assert join_link.startswith(server)
            expect(fac.locator('[data-testid="stImage"] img').first).to_be_visible()

            phones = []
            for i, key in enumerate(("End", "End", "Home")):
                ctx = browser.new_context(
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                )
                phone = ctx.new_page()
                phone.goto(join_link)
                phone.get_by_role("button", name="Meedoen").click()
                slider = phone.get_by_role("slider").nth(i)
                expect(slider).to_be_visible(timeout=30_000)
                assert "p=" in phone.url
                slider.focus()
                phone.keyboard.press(key)
                wait_idle(phone)
                phone.get_by_role("button", name="Insturen").click()
                expect(phone.locator('[data-testid="stAlert"]')).to_contain_text(
                    "Ingestuurd", timeout=30_000
                )
                phones.append(phone)

            # The live part refreshes by itself: no reload on the facilitator's page.
            metric = fac.locator('[data-testid="stMetricValue"]').first
            expect(metric).to_have_text("3", timeout=30_000)
            fac.get_by_role("button", name="Resultaten tonen").click()
            expect(main).to_contain_text("Rangorde van de groep", timeout=30_000)
            charts = fac.locator('[data-testid="stPlotlyChart"]')
            expect(charts.first).to_be_visible(timeout=30_000)
            expect(charts).to_have_count(5, timeout=30_000)
            expect(main).to_contain_text("overeenstemming", timeout=30_000)
            time.sleep(1.5)  # let plotly finish drawing
            fac.screenshot(path=str(ARTEFACTS / "workshop-facilitator.png"))
            height = fac.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
            fac.set_viewport_size({"width": 1440, "height": int(height)})
            time.sleep(1.5)
            fac.screenshot(path=str(ARTEFACTS / "workshop-facilitator-full.png"))

            # A phone after the reveal: own ranking and the group's ranking.
            phone = phones[0]
            phone.reload()
            expect(phone.locator('[data-testid="stMain"]')).to_contain_text(
                "Rangorde van de groep", timeout=30_000
            )
            expect(phone.locator('[data-testid="stTable"]').first).to_be_visible()
            time.sleep(1.0)
            phone.screenshot(path=str(ARTEFACTS / "workshop-participant.png"))
            height = phone.evaluate(
                "document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
            )
            phone.set_viewport_size({"width": 390, "height": int(height)})
            time.sleep(1.0)
            phone.screenshot(path=str(ARTEFACTS / "workshop-participant-full.png"))
        finally:
            browser.close()
    assert (ARTEFACTS / "workshop-facilitator.png").stat().st_size > 10_000
    assert (ARTEFACTS / "workshop-participant.png").stat().st_size > 10_000
