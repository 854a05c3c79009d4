"""The workshop in a real browser: a facilitator, a projector and phones against a live server.

Starts ``streamlit run app.py`` on a free port with its own data folder, then
drives Debian's chromium with playwright:

- the facilitator creates a session; the key leaves the address bar and a
  reload keeps control (the server holds it in an HttpOnly cookie);
- the projector opens the read-only link: the live picture, nothing to press;
- phones (390x844) join through the join link on the plain phone page, see
  their own ranking change as they move a slider (computed in the page, equal
  to the core), submit, and show the room's result and their opinion group
  after the reveal without a tap;
- screenshots of the projector with groups and of a phone after the reveal go
  to ``test-artefacts/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank
from afweging.weights import leaf_weights
from afweging.workshop import WorkshopStore

from .browser import ARTEFACTS, CHROMIUM, axe_violations, streamlit_server, wait_idle
from .browser import CHROMIUM_ARGS as LAUNCH_ARGS

pytestmark = pytest.mark.browser

KERN = ("legitimiteit", "bestuurlijke_drukte", "efficientie")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


@pytest.fixture
def server(data_dir: Path) -> Iterator[str]:
    """A live app on a free port with its own workshop database; stopped afterwards."""
    with streamlit_server(data_dir) as base:
        yield base


def test_facilitator_projector_and_phones(server: str, data_dir: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium package)")
    from playwright.sync_api import expect, sync_playwright

    ARTEFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            desk = browser.new_context(viewport={"width": 1440, "height": 900})
            fac = desk.new_page()
            fac.goto(f"{server}/workshop")
            fac.get_by_role("button", name="Sessie aanmaken").click()
            # The page reloads once through the control link, which leaves a cookie.
            expect(fac.get_by_role("button", name="Resultaten tonen")).to_be_visible(timeout=30_000)
            fac.wait_for_load_state()
            wait_idle(fac)
            assert "key=" not in fac.url
            code = re.search(r"code=([A-Z0-9]{6})", fac.url).group(1)  # type: ignore[union-attr]
            cookies = {c["name"]: c for c in desk.cookies()}
            key = cookies[f"afweging_key_{code}"]["value"]
            assert cookies[f"afweging_key_{code}"]["httpOnly"] is True
            main = fac.locator('[data-testid="stMain"]')
            expect(main).to_contain_text(f"{code[:3]} {code[3:]}", timeout=30_000)
            assert key not in main.inner_text()
            # A reload keeps control: the key lives in the cookie, not the address.
            fac.reload()
            expect(fac.get_by_role("button", name="Resultaten tonen")).to_be_visible(timeout=30_000)
            join_link = fac.locator('[data-testid="stCode"]').first.inner_text().strip()
            assert join_link == f"{server}/deelnemen?code={code}"

            # The control link opened anywhere sets the cookie and leaves the address bar.
            other = browser.new_context(viewport={"width": 1280, "height": 800})
            laptop = other.new_page()
            laptop.goto(f"{server}/workshop?code={code}&key={key}")
            expect(laptop.get_by_role("button", name="Resultaten tonen")).to_be_visible(
                timeout=30_000
            )
            assert "key=" not in laptop.url
            other.close()

            store = WorkshopStore(data_dir / "workshop.sqlite3")
            viewer = store.viewer_key(code, key)
            beamer_ctx = browser.new_context(viewport={"width": 1600, "height": 900})
            beamer = beamer_ctx.new_page()
            beamer.goto(f"{server}/workshop?code={code}&view={viewer}")
            expect(beamer.locator('[data-testid="stMetricValue"]').first).to_have_text(
                "0", timeout=30_000
            )
            assert beamer.get_by_role("button", name="Resultaten tonen").count() == 0
            assert beamer.locator('[data-testid="stDownloadButton"]').count() == 0

            bundle = load_bundled()
            session = store.get_session_by_code(code)
            matrix = build_matrix(
                bundle.case(session.case_id),
                bundle.criteria_set(session.criteria_set_id),
                session.option_ids,
            )
            assert session.weighable_ids == KERN
            phones = []
            # Two camps: legitimacy first, or efficiency first (slider ends).
            plans = [("End", "Home", "Home")] * 3 + [("Home", "Home", "End")] * 2
            for plan in plans:
                ctx = browser.new_context(
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=2,
                    is_mobile=True,
                    has_touch=True,
                    bypass_csp=True,  # only so that axe-core can be injected
                )
                phone = ctx.new_page()
                phone.goto(join_link)
                if not phones:
                    assert axe_violations(phone) == []
                phone.get_by_role("button", name="Meedoen").click()
                expect(phone.locator("#send")).to_be_visible(timeout=30_000)
                if not phones:
                    assert axe_violations(phone) == []
                assert "p=" in phone.url
                for i, press in enumerate(plan):
                    slider = phone.locator('input[type="range"]').nth(i)
                    slider.focus()
                    phone.keyboard.press(press)
                values = {c: 10.0 if plan[i] == "End" else 0.0 for i, c in enumerate(KERN)}
                # The page's own ranking (computed in the browser) is the core's.
                core = rank(matrix, leaf_weights(matrix.criteria_set, values)).rows(matrix, "nl")
                first_row = phone.locator("#own tbody tr").first
                expect(first_row).to_contain_text(str(core[0]["label"]))
                scores = phone.locator("#own tbody td:nth-child(3)").all_inner_texts()
                assert scores == [f"{r['score']:.3f}".replace(".", ",") for r in core]
                phone.locator("#send").click()
                expect(phone.locator("#sent")).to_contain_text("Ontvangen om", timeout=30_000)
                phones.append(phone)

            # The projector counts by itself, without a reload.
            metric = beamer.locator('[data-testid="stMetricValue"]').first
            expect(metric).to_have_text(str(len(phones)), timeout=15_000)
            fac.get_by_role("button", name="Resultaten tonen").click()
            bmain = beamer.locator('[data-testid="stMain"]')
            expect(bmain).to_contain_text("De zaal valt uiteen in 2 opiniegroepen", timeout=30_000)
            expect(bmain).to_contain_text("in elke groep", timeout=30_000)
            charts = beamer.locator('.afw-chart')
            expect(charts).to_have_count(5, timeout=30_000)
            time.sleep(2.0)  # let plotly finish drawing
            beamer.screenshot(path=str(ARTEFACTS / "workshop-projector.png"))
            height = beamer.evaluate(
                "document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
            )
            beamer.set_viewport_size({"width": 1600, "height": min(int(height), 7000)})
            time.sleep(1.5)
            beamer.screenshot(path=str(ARTEFACTS / "workshop-projector-full.png"))

            # A phone shows the room's result and its group after the reveal, without a tap.
            phone = phones[-1]
            expect(phone.locator("#group")).to_contain_text("Rangorde van de groep", timeout=15_000)
            expect(phone.locator("#group")).to_contain_text("U valt in groep B (2 deelnemers)")
            expect(phones[0].locator("#group")).to_contain_text(
                "U valt in groep A (3 deelnemers)", timeout=15_000
            )
            assert axe_violations(phone) == []
            phone.screenshot(path=str(ARTEFACTS / "workshop-phone-after-reveal.png"))
            height = phone.evaluate("document.documentElement.scrollHeight")
            phone.set_viewport_size({"width": 390, "height": int(height)})
            phone.screenshot(path=str(ARTEFACTS / "workshop-phone-after-reveal-full.png"))
            store.dispose()
        finally:
            browser.close()
    assert (ARTEFACTS / "workshop-projector.png").stat().st_size > 10_000
    assert (ARTEFACTS / "workshop-phone-after-reveal.png").stat().st_size > 10_000
