"""The dashboard in a real browser: Debian's chromium driven by playwright against streamlit run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from afweging.analysis import build_matrix, rank_with
from afweging.loading import load_bundled
from afweging.sources import SourceLibrary

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


def firsts(matrix, weights=None) -> list[str]:
    """The labels of the options ranked first (several when they tie), as the core ranks them."""
    return [str(r["label"]) for r in rank_with(matrix, weights).rows(matrix) if r["rank"] == 1]


def test_load_move_slider_open_rationale_follow_permalink(server: str, browser) -> None:
    bundle = load_bundled()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    default_first = firsts(matrix)
    # The first slider move (a criterion to its maximum or to zero) that changes who comes
    # first, as the core computes it.
    moved, value = next(
        (c, v) for c in matrix.criterion_ids for v in (10, 0)
        if firsts(matrix, {c: v}) != default_first
    )  # fmt: skip
    moved_first = firsts(matrix, {moved: value})

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    wait_idle(page)
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    for name in default_first:
        playwright.expect(summary).to_contain_text(name)
    screenshot_main(page, ARTEFACTS / "dashboard-1440x900.png")

    # Move that slider: who comes first on the page must change to the core's answer.
    label = bundle.criteria_set("kern").find(moved).label.nl
    slider = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
    slider.focus()
    page.keyboard.press("End" if value == 10 else "Home")
    playwright.expect(page).to_have_url(re.compile(rf"{moved}(%3A|:){value}\b"), timeout=30_000)
    wait_idle(page)
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    for name in moved_first:
        playwright.expect(summary).to_contain_text(name, timeout=30_000)
    if len(moved_first) == 1:
        assert winner_text(page) == moved_first[0]

    # Open a rationale: the score card tab shows the reasons behind the selected cell.
    page.get_by_role("tab", name="Scorekaart en onderbouwing").click()
    option = bundle.case("sra").options[0]
    rationale = option.scores["legitimiteit"].rationale.nl
    panel = page.locator(".st-key-why_panel")
    playwright.expect(panel).to_contain_text(rationale[:60], timeout=30_000)
    evidence = option.scores["legitimiteit"].evidence[0]
    found = SourceLibrary().document(evidence.source).locate(evidence.quote)  # type: ignore[union-attr]
    assert found is not None
    where = f"{SourceLibrary().title(evidence.source, found.line, 'nl')}, regel {found.line}"
    playwright.expect(panel).to_contain_text(where)

    # "Kopieer link" holds the permalink; following it in a fresh browser brings the view back.
    page.get_by_text("Kopieer link").click()
    link = (
        page.locator('[data-testid="stSidebar"] [data-testid="stCode"] code').inner_text().strip()
    )
    assert link.startswith(server) and f"{moved}%3A{value}" in link
    other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    other.goto(link)
    other.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    wait_idle(other)
    for name in moved_first:
        playwright.expect(
            other.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
        ).to_contain_text(name)
    thumb = (
        other.get_by_test_id("stSlider").filter(has_text=label).get_by_test_id("stSliderThumbValue")
    )
    assert float(thumb.inner_text()) == float(value)
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


def test_the_source_verdict_and_what_you_would_have_to_believe(server: str, browser) -> None:
    """g32 on the extended set: the paper's own choice (the mix) is not first at the default
    weights; the panel says so, and applying the weights the tool proposes puts it first."""
    bundle = load_bundled()
    case = bundle.case("g32")
    assert case.conclusion is not None and case.conclusion.prefers == ["g32-mix"]
    mix = case.option("g32-mix").label.nl
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(server + "/?case=g32&set=uitgebreid")
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=60_000)
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    playwright.expect(main).to_contain_text(f"kiest zelf voor {mix}")
    playwright.expect(main).to_contain_text("Bij uw gewichten staat die keuze op plaats")
    screenshot_main(page, ARTEFACTS / "verkennen-verdict-g32-uitgebreid.png")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("tab", name="Wat zou u moeten geloven").click()
    box = page.locator(".st-key-tw_g32-mix")
    playwright.expect(box).to_contain_text("Om ", timeout=30_000)
    box.screenshot(path=str(ARTEFACTS / "verkennen-to-win-g32-mix.png"))
    page.locator('[data-testid="stTabs"]').screenshot(
        path=str(ARTEFACTS / "verkennen-to-win-g32-uitgebreid.png")
    )
    box.get_by_role("button").click()
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    playwright.expect(summary).to_contain_text(mix, timeout=30_000)
    wait_idle(page)
    assert winner_text(page) == mix
    playwright.expect(main).to_contain_text("Uw gewichten komen daarmee overeen")
    context.close()
