"""The dashboard in a real browser: Debian's chromium driven by playwright against streamlit run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from afweging.analysis import build_matrix, rank_with
from afweging.loading import load_bundled

from .browser import (
    ARTEFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    screenshot_main,
    streamlit_server,
    wait_idle,
)

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with streamlit_server(tmp_path_factory.mktemp("dashboard")) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def winner_text(page) -> str:
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    return summary.locator("strong").first.inner_text()


def test_load_move_slider_open_rationale_follow_permalink(server: str, browser) -> None:
    bundle = load_bundled()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    default_first = str(rank_with(matrix).rows(matrix)[0]["label"])
    # The first criterion whose slider at its maximum changes the winner, as the core computes it.
    moved = next(
        c for c in matrix.criterion_ids
        if rank_with(matrix, {c: 10}).rows(matrix)[0]["label"] != default_first
    )  # fmt: skip
    heavy_first = str(rank_with(matrix, {moved: 10}).rows(matrix)[0]["label"])

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    wait_idle(page)
    playwright.expect(
        page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    ).to_contain_text(default_first)
    screenshot_main(page, ARTEFACTS / "dashboard-1440x900.png")

    # Move that slider to its maximum: the winner on the page must change to the core's.
    label = bundle.criteria_set("kern").find(moved).label.nl
    slider = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
    slider.focus()
    page.keyboard.press("End")
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    playwright.expect(summary).to_contain_text(heavy_first, timeout=30_000)
    wait_idle(page)
    assert winner_text(page) == heavy_first
    playwright.expect(page).to_have_url(re.compile(rf"{moved}(%3A|:)10"))

    # Open a rationale: the score card tab shows the reasons behind the selected cell.
    page.get_by_role("tab", name="Scorekaart en onderbouwing").click()
    option = bundle.case("sra").options[0]
    rationale = option.scores["legitimiteit"].rationale.nl
    panel = page.locator(".st-key-why_panel")
    playwright.expect(panel).to_contain_text(rationale[:60], timeout=30_000)
    playwright.expect(panel).to_contain_text(option.scores["legitimiteit"].evidence[0].source)

    # "Kopieer link" holds the permalink; following it in a fresh browser brings the view back.
    page.get_by_text("Kopieer link").click()
    link = (
        page.locator('[data-testid="stSidebar"] [data-testid="stCode"] code').inner_text().strip()
    )
    assert link.startswith(server) and f"{moved}%3A10" in link
    other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    other.goto(link)
    other.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    wait_idle(other)
    playwright.expect(
        other.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    ).to_contain_text(heavy_first)
    thumb = (
        other.get_by_test_id("stSlider").filter(has_text=label).get_by_test_id("stSliderThumbValue")
    )
    assert float(thumb.inner_text()) == 10.0
    context.close()


def test_phone_layout_screenshot(server: str, browser) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(server + "/?lang=en")
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    wait_idle(page)
    playwright.expect(page.get_by_role("tab", name="Ranking")).to_be_visible()
    screenshot_main(page, ARTEFACTS / "dashboard-390x844.png")
    # Nothing may be wider than the phone's screen.
    overflow = page.evaluate(
        "(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m.scrollWidth - m.clientWidth; })()"
    )
    assert overflow <= 1
    context.close()
