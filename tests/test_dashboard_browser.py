"""The dashboard in a real browser: Debian's chromium driven by playwright against streamlit run."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest

from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank_with
from afweging.sources import SourceLibrary

from .browser import (
    ARTEFACTS,
    CHROMIUM,
    open_page,
    screenshot_main,
    streamlit_server,
    wait_charts,
    wait_idle,
    wait_settled,
)

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with streamlit_server(tmp_path_factory.mktemp("dashboard")) as base:
        yield base


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
    page.wait_for_selector('.afw-chart', timeout=60_000)
    wait_idle(page)
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    for name in default_first:
        playwright.expect(summary).to_contain_text(name)
    screenshot_main(page, ARTEFACTS / "dashboard-1440x900.png")

    # Move that slider: who comes first on the page must change to the core's answer.
    label = bundle.criteria_set("kern").find(moved).label.nl
    # The sidebar's slider (the explore page has its own copy for phones, hidden here).
    side = page.get_by_test_id("stSidebar")
    slider = side.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
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
    other.wait_for_selector('.afw-chart', timeout=60_000)
    wait_idle(other)
    for name in moved_first:
        playwright.expect(
            other.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
        ).to_contain_text(name)
    thumb = (
        other.get_by_test_id("stSidebar")
        .get_by_test_id("stSlider")
        .filter(has_text=label)
        .get_by_test_id("stSliderThumbValue")
    )
    assert float(thumb.inner_text()) == float(value)
    context.close()


def test_phone_layout_screenshot(server: str, browser) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto(server + "/?lang=en")
    page.wait_for_selector('.afw-chart', timeout=60_000)
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
    page.wait_for_selector('.afw-chart', timeout=60_000)
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


def test_the_ranking_table_shows_the_core_ranking_as_written(server: str, browser) -> None:
    """The Markdown ranking table, as chromium draws it: one row per option, the labels as
    written (G32's start with "1.", which unescaped would become a numbered list), Dutch
    decimals, in the core's order."""
    bundle = load_bundled()
    matrix = build_matrix(bundle.case("g32"), bundle.criteria_set("kern"))
    expected = [
        [str(r["rank"]), str(r["label"]), f"{r['score']:.3f}".replace(".", ",")]
        for r in rank_with(matrix).rows(matrix)
    ]
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    open_page(page, server + "/?case=g32&set=kern")
    table = page.locator('[data-testid="stMarkdown"] table')
    playwright.expect(table).to_have_count(1)
    assert table.locator("th").all_inner_texts() == ["Plaats", "Optie", "Score"]
    rows = [
        [c.strip() for c in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    assert rows == expected
    assert table.locator("ol, ul, strong, em").count() == 0
    context.close()


def test_the_first_page_fetches_no_chunk_it_did_not_preload(server: str, browser) -> None:
    """Every script the first page loads is in the page's HTML or in its preloads
    (:mod:`afweging_ui.preload`), so none waits for an element to arrive first. Fails when a
    Streamlit upgrade renames a chunk or the page starts to use a new kind of element."""
    from afweging_ui.plotly_bundles import FIRST_PLOTLY
    from afweging_ui.preload import first_page_chunks, index_chunks

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    scripts: list[str] = []
    page.on(
        "request",
        lambda r: scripts.append(r.url.rsplit("/", 1)[-1]) if r.url.endswith(".js") else None,
    )
    page.goto(server + "/")
    page.wait_for_selector('.afw-chart .main-svg', timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1000)
    known = set(index_chunks()) | set(first_page_chunks()) | {FIRST_PLOTLY}
    assert scripts and not set(scripts) - known, sorted(set(scripts) - known)
    # The first page's charts come with plotly.js's basic bundle only: neither the full one
    # nor Streamlit's own build of it (4.7 MB) is fetched.
    assert FIRST_PLOTLY in scripts
    assert not any(name.startswith(("PlotlyChart.", "plotly-full-")) for name in scripts)
    assert not any(name.startswith(("Table.", "arrowFormatUtils.")) for name in scripts)
    context.close()


def modebar_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".afw-chart .modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
    )


def test_the_chart_buttons_speak_the_reader_s_language(server: str, browser) -> None:
    """plotly.js's buttons, their tooltips and the PNG download's name, in Dutch on a Dutch
    page and in English on an English one (they were English on both)."""
    from afweging_ui.i18n import t
    from afweging_ui.style import PLOTLY_TEXTS

    dutch = {t(k, "nl") for k in PLOTLY_TEXTS}
    english = {t(k, "en") for k in PLOTLY_TEXTS}
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    open_page(page, server + "/")
    titles = modebar_titles(page)
    assert titles and set(titles) <= dutch, titles
    assert t("plotly_download_png", "nl") in titles
    # Streamlit's own menu (Print, Record screen, "Made with Streamlit") speaks English
    # only: the app shows none (toolbarMode = "minimal").
    assert page.locator('[data-testid="stMainMenu"]').count() == 0
    open_page(page, server + "/?lang=en")
    titles = modebar_titles(page)
    assert titles and set(titles) <= english, titles
    context.close()


def test_a_chart_whose_plotly_js_cannot_load_says_so_in_dutch(server: str, browser) -> None:
    """No grey box without a word: when plotly.js does not arrive (a proxy, a broken
    download) the chart's place says what happened and where the figures are."""
    from afweging_ui.i18n import t

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.route("**/static/afweging/*.js", lambda route: route.abort())
    page.goto(server + "/")
    failed = page.locator(".afw-chart[data-afw-failed]")
    playwright.expect(failed).to_have_text(t("chart_failed", "nl"), timeout=60_000)
    playwright.expect(page.locator(".afw-chart .main-svg")).to_have_count(0)
    context.close()


# --- the phone layout (issue 11, item 6) ------------------------------------------------

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}

#: Per visible chart: the SVG's box, its title and caption, plotly's buttons, and every
#: text drawn in it (hover labels excepted), as [x, y, width, height] in page pixels.
_CHART_BOXES = """() => [...document.querySelectorAll('.afw-chart')]
  .filter(c => c.offsetParent !== null)
  .map(c => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
    const svg = c.querySelector('svg.main-svg');
    return {
      svg: box(svg),
      titles: [...c.querySelectorAll('.gtitle, .gtitle-subtitle')].map(box),
      modebar: [...c.querySelectorAll('.modebar')].map(box),
      texts: [...c.querySelectorAll('svg text')]
        .filter(t => !t.closest('.hoverlayer') && t.textContent.trim())
        .map(t => ({text: t.textContent, box: box(t)})),
    };
  })"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _inside(inner: list[float], outer: list[float], slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[0] + inner[2] <= outer[0] + outer[2] + slack
        and inner[1] >= outer[1] - slack
        and inner[1] + inner[3] <= outer[1] + outer[3] + slack
    )


def _squashed(text: str) -> str:
    return "".join(text.split())


def assert_charts_whole(page) -> list[dict]:
    """Every visible chart: no title or caption under plotly's buttons, no text cut off."""
    charts = page.evaluate(_CHART_BOXES)
    assert charts, "no chart on the page"
    for chart in charts:
        assert chart["titles"] and chart["modebar"]
        for title in chart["titles"]:
            for bar in chart["modebar"]:
                assert not _overlap(title, bar), (title, bar)
        cut = [t["text"] for t in chart["texts"] if not _inside(t["box"], chart["svg"])]
        assert cut == [], f"text outside the chart: {cut}"
    return charts


def assert_no_sideways_scroll(page) -> None:
    overflow = page.evaluate(
        "(() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m.scrollWidth - m.clientWidth; })()"
    )
    assert overflow <= 1, f"stMain scrolls sideways by {overflow} px"


def assert_touch_targets(page) -> None:
    """Every visible button on the page, and every slider's thumb, is at least 44 px high."""
    small = page.evaluate(
        """() => [...document.querySelectorAll(
             '[data-testid="stMain"] button, [data-testid="stHeader"] button, '
             + '[data-testid="stSlider"] div:has(> div > input[type="range"])')]
          .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)
          .map(e => ({what: e.getAttribute('aria-label') || e.innerText.trim().slice(0, 30)
                            || e.className.slice(0, 30),
                      w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height}))
          .filter(b => b.h < 44)"""
    )
    assert small == [], f"touch targets under 44 px: {small}"


def full_height(page) -> None:
    """Make the viewport as tall as the page (Streamlit scrolls inside stMain) for a screenshot."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(int(height), 8000)})
    page.wait_for_timeout(600)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_settled(page)
    wait_charts(page)


def _single_winner_move(bundle) -> tuple[str, str, int, str, str]:
    """Three sra options and a slider move (a criterion to 10 or 0) after which another
    option comes first, alone before and after: (query, criterion, value, before, after)."""
    case, cset = bundle.case("sra"), bundle.criteria_set("kern")
    ids = [o.id for o in case.options]
    for chosen in combinations(ids, 3):
        matrix = build_matrix(case, cset, list(chosen))
        before = firsts(matrix)
        for c in matrix.criterion_ids:
            for value in (10, 0):
                after = firsts(matrix, {c: value})
                if len(before) == len(after) == 1 and after != before:
                    return f"/?case=sra&opt={','.join(chosen)}", c, value, before[0], after[0]
    raise AssertionError("no single slider move changes the winner")


def test_phone_weights_on_the_page_cards_tabs_and_charts_fit(server: str, browser) -> None:
    bundle = load_bundled()
    link, criterion, value, before, after = _single_winner_move(bundle)
    label = bundle.criteria_set("kern").find(criterion).label.nl
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    open_page(page, server + link)
    expect = playwright.expect

    # The weights stand on the page, above the result; the sidebar (a drawer over the
    # page) stays shut, and its own weights are hidden on this width.
    inline = page.locator(".st-key-phone_weights")
    expect(inline).to_be_visible()
    expect(inline.get_by_role("slider")).to_have_count(3)
    expect(page.get_by_test_id("stSidebarUserContent")).not_to_be_in_viewport()
    assert page.locator(".st-key-side_weights").evaluate("e => getComputedStyle(e).display") == (
        "none"
    )
    headline = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    assert inline.bounding_box()["y"] < headline.bounding_box()["y"]
    assert_no_sideways_scroll(page)
    assert_touch_targets(page)
    thumb = inline.locator('[data-testid="stSlider"] div:has(> div > input[type="range"])').first
    assert thumb.bounding_box()["height"] >= 44 and thumb.bounding_box()["width"] >= 44

    # Every tab in sight: the tab row wraps within the page instead of scrolling sideways.
    tabs = page.evaluate(
        """() => { const l = document.querySelector('[data-testid="stTabs"] [role="tablist"]');
                   const m = document.querySelector('[data-testid="stMainBlockContainer"]')
                       .getBoundingClientRect();
                   return {scroll: l.scrollWidth, client: l.clientWidth, left: m.left,
                           right: m.right, tabs: [...l.querySelectorAll('[role="tab"]')]
                             .map(t => { const r = t.getBoundingClientRect();
                                         return [r.left, r.right, r.height]; })}; }"""
    )
    assert tabs["scroll"] <= tabs["client"] + 1, tabs
    assert len(tabs["tabs"]) == 7
    assert all(tabs["left"] - 1 <= a and b <= tabs["right"] + 1 for a, b, _ in tabs["tabs"])

    # The ranking: titles clear of the buttons, nothing cut off, the table within the page.
    (_ranking,) = assert_charts_whole(page)
    table = page.locator('[data-testid="stMarkdown"] table').bounding_box()
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1
    page.screenshot(path=str(ARTEFACTS / "phone-verkennen.png"))

    # Move a weight on the page: the headline and the chart follow, the sidebar stays shut,
    # and the sidebar's own slider shows the same weight (one view owns both).
    def top_of_chart() -> str:
        texts = page.evaluate(_CHART_BOXES)[0]["texts"]
        return next(_squashed(t["text"]) for t in texts if t["text"].startswith("#1 "))

    assert top_of_chart() == _squashed(f"#1 {before}")
    # The chart is updated where it stands (Plotly.react), not taken down and drawn anew.
    page.evaluate("document.querySelector('.afw-chart').dataset.testMark = 'kept'")
    slider = inline.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
    slider.focus()
    page.keyboard.press("End" if value == 10 else "Home")
    expect(page).to_have_url(re.compile(rf"{criterion}(%3A|:){value}\b"), timeout=30_000)
    wait_settled(page)
    wait_charts(page)
    expect(headline.locator("strong").first).to_have_text(after, timeout=30_000)
    assert top_of_chart() == _squashed(f"#1 {after}")
    assert page.evaluate("document.querySelector('.afw-chart').dataset.testMark") == "kept"
    expect(page.get_by_test_id("stSidebarUserContent")).not_to_be_in_viewport()
    side = page.locator(f".st-key-w_in_sliders_{criterion} input[type=range]")
    assert float(side.input_value()) == value

    # The score card: one card per option on the phone (the grid is for wide screens).
    open_tab(page, "Scorekaart en onderbouwing")
    cards = page.locator(".st-key-phone_scorecard")
    expect(cards).to_be_visible()
    chosen = link.partition("opt=")[2].split(",")
    for option in chosen:
        expect(cards).to_contain_text(bundle.case("sra").option(option).label.nl)
    expect(cards).to_contain_text("Democratische legitimiteit → 4 (+)")
    assert page.locator(".st-key-desk_scorecard").evaluate(
        "e => getComputedStyle(e).display"
    ) == ("none")
    assert_no_sideways_scroll(page)
    full_height(page)
    page.locator('[data-testid="stTabPanel"]:visible').screenshot(
        path=str(ARTEFACTS / "phone-scorecard.png")
    )
    page.set_viewport_size(PHONE)

    # The triangle: its corners' names, its legend and titles whole, within its SVG.
    open_tab(page, "Waar wint welke optie")
    assert_triangle_whole(page, bundle)
    full_height(page)
    page.locator('[data-testid="stTabPanel"]:visible').screenshot(
        path=str(ARTEFACTS / "phone-triangle.png")
    )
    page.set_viewport_size(PHONE)

    # Two options head to head: the long title whole, not clipped.
    open_tab(page, "Twee opties vergelijken")
    (chart,) = assert_charts_whole(page)
    title = "".join(t["text"] for t in chart["texts"] if "tegenover" in t["text"])
    assert _squashed("verschil per criterium na weging") in _squashed(title)

    # Robuustheid: charts whole, the tables as cards, nothing wider than the phone.
    open_page(page, server + "/robuustheid")
    assert_no_sideways_scroll(page)
    assert_charts_whole(page)
    assert_touch_targets(page)
    expect(page.locator(".st-key-phone_rob_central")).to_be_visible()
    expect(page.locator(".st-key-phone_rob_methods")).to_be_visible()
    full_height(page)
    page.get_by_test_id("stMain").screenshot(path=str(ARTEFACTS / "phone-robuustheid.png"))
    context.close()


def assert_triangle_whole(page, bundle) -> None:
    """The triangle's three corner names lie inside its SVG, as do all its texts."""
    (chart,) = assert_charts_whole(page)
    texts = {_squashed(t["text"]): t["box"] for t in chart["texts"]}
    for leaf in bundle.criteria_set("kern").leaves():
        name = _squashed(leaf.label.nl)
        assert name in texts, f"corner {leaf.label.nl} not drawn: {list(texts)}"
        assert _inside(texts[name], chart["svg"]), (leaf.label.nl, texts[name], chart["svg"])


def test_desktop_triangle_and_grid(server: str, browser) -> None:
    bundle = load_bundled()
    link = _single_winner_move(bundle)[0]  # three options: the triangle shows two regions
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_page(page, server + link)
    # The phone's blocks stay hidden on a desk screen; the sidebar holds the weights.
    assert page.locator(".st-key-phone_weights").evaluate(
        "e => getComputedStyle(e).display"
    ) == ("none")
    playwright.expect(page.locator(".st-key-side_weights")).to_be_visible()
    assert_charts_whole(page)
    open_tab(page, "Scorekaart en onderbouwing")
    playwright.expect(page.locator(".st-key-desk_scorecard")).to_be_visible()
    playwright.expect(page.locator(".st-key-phone_scorecard")).to_be_hidden()
    open_tab(page, "Waar wint welke optie")
    assert_triangle_whole(page, bundle)
    # The memo caption uses the chart's width: three lines (case, weights, stamp).
    caption = page.locator('.afw-chart .gtitle-subtitle tspan.line')
    assert caption.count() == 3, caption.all_inner_texts()
    full_height(page)
    page.locator('[data-testid="stTabPanel"]:visible').screenshot(
        path=str(ARTEFACTS / "desktop-triangle.png")
    )
    context.close()
