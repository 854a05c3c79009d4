"""Building a council's own case in a real browser (Debian's chromium, playwright, the real
server): an empty start on the 'kern' criteria set, two options, a PDF and a Word file
made here uploaded, passages found by search and attached as quotes, every cell scored,
saved, reloaded, exported; ``afweging rank`` on the unpacked export ranks as the saved
case does, and as the dashboard shows it.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from afweging.casebook.store import CaseLibrary
from afweging.matrix import build_matrix, rank_with
from tests.cli_run import run_cli
from tests.documents_factory import pdf, word

from .browser import ARTEFACTS, CHROMIUM, DESKTOP, PHONE, streamlit_server

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api")

NOTA = pdf(
    [
        ["Raadsnota samenwerking Vervoerregio", "Inleiding", "De raad vraagt om een keuze."],
        [
            "Democratische legitimiteit",
            "Een vervoersautoriteit op metropoolschaal verkleint de",
            "invloed van de afzonderlijke gemeenteraden.",
        ],
    ],
    title="Raadsnota Vervoerregio 2027",
)
ADVIES = word(
    [
        "Advies van de rekenkamer",
        "De huidige gemeenschappelijke regeling kent veel bestuurlijke drukte.",
        "Een fusie vraagt jaren voorbereiding.",
    ],
    title="Rekenkameradvies regionale samenwerking",
)
#: (option, criterion label, value, rationale) for every cell of the 2 × 3 grid.
SCORES = [
    (0, "Democratische legitimiteit", 2, "De nota noemt minder invloed voor de raden."),
    (0, "Bestuurlijke drukte", 4, "Eén autoriteit in plaats van overleg per gemeente."),
    (0, "Efficiëntie en slagvaardigheid", 4, "Eén uitvoerder op metropoolschaal."),
    (1, "Democratische legitimiteit", 3, "Raden houden hun plaats in het algemeen bestuur."),
    (1, "Bestuurlijke drukte", 2, "De rekenkamer noemt veel bestuurlijke drukte."),
    (1, "Efficiëntie en slagvaardigheid", 3, "Geen verandering in de uitvoering."),
]
OPTIONS = ["Vervoersautoriteit", "Huidige regeling"]
#: The cells a quote is attached to (their basis is 'bron').
QUOTED = {(0, "Democratische legitimiteit"), (1, "Bestuurlijke drukte")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    data = tmp_path_factory.mktemp("editor")
    with streamlit_server(data) as base:
        yield base, data


def settle(page) -> None:
    """The app finished its rerun (and stays so briefly: a rerun may follow a rerun)."""
    for _ in range(2):
        page.wait_for_timeout(250)
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
        )


def panel(page):
    """The tab in view."""
    return page.locator('[data-testid="stTabPanel"]:visible')


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    settle(page)


def page_of(scope):
    return getattr(scope, "page", scope)


def choose(scope, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` within ``scope`` (typed to
    filter a long list; opened again if a rerun closed the list)."""
    page = page_of(scope)
    box = (
        scope.locator('[data-testid="stSelectbox"]')
        .filter(has=page.get_by_text(label, exact=True))
        .first.locator("input")
    )
    for attempt in range(3):
        box.click()
        if attempt:
            box.fill(option)
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5000)
            break
        except playwright.Error:
            page.keyboard.press("Escape")
            settle(page)
    else:
        raise AssertionError(f"no choice {option!r} in {label!r}")
    settle(page)


def field(scope, testid: str, label: str):
    return (
        scope.locator(f'[data-testid="{testid}"]')
        .filter(has=page_of(scope).get_by_text(label, exact=True))
        .first.locator("input, textarea")
        .first
    )


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_build_a_case_from_a_pdf_and_a_word_file_save_reload_export_rank(
    server, browser, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    try:
        build_save_reload_export_rank(page, *server, tmp_path)
    except Exception:
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "editor-browser-failure.png"), full_page=True)
        print(main_text(page))
        raise
    finally:
        context.close()


def build_save_reload_export_rank(page, base: str, data_dir: Path, tmp_path: Path) -> None:
    page.goto(base + "/casus-bewerken")
    settle(page)
    choose(page, "Beginnen met", "Een lege opzet (één optie)")
    choose(page, "Criteriaset", "Kerncriteria")
    page.get_by_role("button", name="Casus maken").click()
    page.wait_for_url("**case_id=*")
    settle(page)
    edit_url = page.url

    # Two options, named.
    tab(page, "Opties")
    page.get_by_role("button", name="Optie toevoegen").click()
    settle(page)
    for i, name in enumerate(OPTIONS):
        choose(panel(page), "Optie", page_option_label(page, i))
        field(panel(page), "stTextInput", "Naam (Nederlands)").fill(name)
        field(panel(page), "stTextInput", "Naam (Engels)").fill(name)
        panel(page).get_by_role("button", name="Wijzigingen toepassen").click()
        settle(page)

    # The council's documents: a PDF and a Word file.
    tab(page, "Brondocumenten")
    for name, raw in (("raadsnota.pdf", NOTA), ("rekenkamer.docx", ADVIES)):
        (tmp_path / name).write_bytes(raw)
    panel(page).locator('input[type="file"]').set_input_files(
        [str(tmp_path / "raadsnota.pdf"), str(tmp_path / "rekenkamer.docx")]
    )
    page.get_by_text("raadsnota.pdf is opgeslagen").wait_for(timeout=60_000)
    page.get_by_text("rekenkamer.docx is opgeslagen").wait_for(timeout=60_000)
    settle(page)

    # Find a passage by search and attach it to a cell, from each document.
    for document, search, option, criterion in (
        ("Raadsnota Vervoerregio 2027", "invloed", OPTIONS[0], "Democratische legitimiteit"),
        ("Rekenkameradvies regionale samenwerking", "drukte", OPTIONS[1], "Bestuurlijke drukte"),
    ):
        choose(panel(page), "Document lezen", document)
        field(panel(page), "stTextInput", "Zoeken in het document").fill(search)
        field(panel(page), "stTextInput", "Zoeken in het document").press("Enter")
        settle(page)
        panel(page).get_by_role("button", name="Als citaat").first.click()
        settle(page)
        choose(panel(page), "Optie", option)
        choose(panel(page), "Criterium", criterion)
        panel(page).get_by_role("button", name="Koppelen als bewijs").click()
        settle(page)
        assert "Gekoppeld; gevonden in " + document in main_text(page)
    # A quote the document does not hold is refused at once.
    field(panel(page), "stTextArea", "Citaat (letterlijk uit het document)").fill(
        "De rekenkamer adviseert een fusie."
    )
    panel(page).get_by_role("button", name="Koppelen als bewijs").click()
    settle(page)
    assert "staat niet letterlijk in Rekenkameradvies" in main_text(page)

    # The source library: both documents listed, one read by search.
    shoot(
        page,
        "editor-sources",
        at=".st-key-desk_ed_documents, .st-key-phone_ed_documents",
    )

    # A value off the scale is named beside its cell at once, in Dutch.
    tab(page, "Scores")
    score_cell(page, 0, "Democratische legitimiteit", 7, "Eerste schatting.")
    assert "Democratische legitimiteit: 7 ligt buiten de schaal" in main_text(page)
    shoot(page, "editor-grid-problem", at=".st-key-desk_ed_grid, .st-key-phone_ed_grid_cards")
    # Every cell scored, with a rationale; the two cells with a quote rest on a source.
    for option, criterion, value, rationale in SCORES:
        score_cell(page, option, criterion, value, rationale)
    assert "Geen problemen: elke score staat op de schaal" in main_text(page)

    # Saved as version 2; a reload (the edit link again) opens exactly that.
    tab(page, "Opslaan en versies")
    panel(page).get_by_role("button", name="Opslaan als nieuwe versie").click()
    settle(page)
    assert "Versie 2 opgeslagen" in main_text(page)
    page.goto(edit_url)
    settle(page)
    assert "Versie 2, opgeslagen" in main_text(page) and "geen problemen" in main_text(page)
    tab(page, "Scores")
    choose(panel(page), "Optie", OPTIONS[1])
    choose(panel(page), "Criterium", "Bestuurlijke drukte (1–5)")
    assert float(field(panel(page), "stNumberInput", "Score").input_value()) == 2
    assert "De huidige gemeenschappelijke regeling kent veel bestuurlijke drukte." in main_text(
        page
    )
    assert "Rekenkameradvies regionale samenwerking" in main_text(page)

    # The export, unpacked elsewhere, ranks as the saved case.
    tab(page, "Opslaan en versies")
    with page.expect_download() as download:
        panel(page).get_by_role("button", name="Versie 2 exporteren (zip)").click()
    archive = tmp_path / "export.zip"
    download.value.save_as(archive)
    folder = tmp_path / "elders"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(folder)
    env = {**os.environ, "AFWEGING_CONTENT_DIR": str(folder)}
    checked = run_cli("validate", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stderr
    manifest = json.loads((folder / "afweging-case.json").read_text(encoding="utf-8"))
    case_id = Path(manifest["case_file"]).stem
    ranked = run_cli(
        "rank",
        "--scenarios",
        case_id,
        "--criteria",
        "kern",
        "--format",
        "json",
        cwd=tmp_path,
        env=env,
    )
    assert ranked.returncode == 0, ranked.stderr
    there = json.loads(ranked.stdout)

    query = dict(p.split("=", 1) for p in edit_url.split("?", 1)[1].split("&"))
    library = CaseLibrary(f"sqlite:///{data_dir / 'workshop.sqlite3'}")
    try:
        case, cset = library.models(query["case_id"], query["key"])
        saved = library.latest(query["case_id"], query["key"])
    finally:
        library.dispose()
    assert there["data_version"] == saved.data_version
    matrix = build_matrix(case, cset)
    here = rank_with(matrix)
    assert [row["id"] for row in there["ranking"]] == [
        matrix.option_ids[i] for i in here.best_first()
    ]
    # The dashboard, opened from the editor's read-only link, shows the same winner.
    tab(page, "Scores")
    href = page.get_by_role("link", name="Openen in het dashboard").get_attribute("href")
    assert href and "lib=" in href and query["key"] not in href  # the view key, not the edit key
    page.goto(href if href.startswith("http") else base + href)
    page.get_by_text("Bij deze gewichten").first.wait_for(timeout=60_000)
    settle(page)
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="Bij deze gewichten")
    assert summary.locator("strong").first.inner_text() == "Huidige regeling"
    assert f"versie {saved.number}" in main_text(page)
    shoot(page, "dashboard-built-case", charts=True)
    # By hand: equal weights, each scale 1–5 mapped to 0–1, drukte lower is better:
    # Huidige regeling (0.50 + 0.75 + 0.50) / 3, Vervoersautoriteit (0.25 + 0.25 + 0.75) / 3.
    assert [(row["label"], row["rank"]) for row in there["ranking"]] == [
        ("Huidige regeling", 1),
        ("Vervoersautoriteit", 2),
    ]
    assert [row["score"] for row in there["ranking"]] == pytest.approx([1.75 / 3, 1.25 / 3])


def score_cell(page, option: int, criterion: str, value: float, rationale: str) -> None:
    """Fill one cell's form (value, rationale in both languages; 'bron' where a quote is
    attached) and apply it."""
    choose(panel(page), "Optie", OPTIONS[option])
    choose(panel(page), "Criterium", f"{criterion} (1–5)")
    form = panel(page).locator('[data-testid="stForm"]')
    field(form, "stNumberInput", "Score").fill(str(value))
    field(form, "stTextArea", "Onderbouwing (Nederlands)").fill(rationale)
    field(form, "stTextArea", "Onderbouwing (Engels)").fill("(en) " + rationale)
    if (option, criterion) in QUOTED:
        form.get_by_text("bron (een document zegt het)").click()
    form.get_by_role("button", name="Cel bijwerken").click()
    settle(page)


def shoot(page, name: str, at: str | None = None, charts: bool = False) -> None:
    """Screenshots for the closing note: the view at 1440×900, then at 390×844, scrolled to
    the first visible element ``at`` (a CSS selector) when given."""
    ARTEFACTS.mkdir(exist_ok=True)
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        settle(page)
        if at:
            page.locator(at).locator("visible=true").first.scroll_into_view_if_needed()
        if charts:
            page.wait_for_selector('.afw-chart .main-svg', timeout=30_000)
            page.wait_for_timeout(800)
        page.screenshot(path=str(ARTEFACTS / f"{name}-{size['width']}x{size['height']}.png"))
    page.set_viewport_size(DESKTOP)
    settle(page)


def page_option_label(page, index: int) -> str:
    """The label the options list shows for option ``index`` (new ones are numbered)."""
    return ["Optie 1", "Nieuwe optie 2"][index]
