"""A bundled case copied into the case library is cited as on the dashboard: a seed file
holds several letters and reports, and each quote names the one it stands in, not the file.
Also in the export, so another machine cites it the same way."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from afweging.casebook.bundle import export
from afweging.casebook.store import CaseLibrary
from afweging.loading import load_bundled
from afweging.sources import SourceLibrary


@pytest.fixture
def library(db: str):
    lib = CaseLibrary(db)
    yield lib
    lib.dispose()


def evidence(case) -> list[tuple[str, str]]:
    return [
        (item.source, item.quote)
        for option in case.options
        for score in option.scores.values()
        for item in score.evidence
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_copied_quotes_name_the_document_inside_the_seed_as_the_dashboard_does(library, lang):
    case_id, _edit, view = library.copy_bundled("g32", "kern")
    copied, _ = library.models(case_id, view)
    bundled = load_bundled().case("g32")
    seeds, ours = SourceLibrary(), library.library(case_id, view)
    original = {q: s for s, q in evidence(bundled)}
    theirs = [seeds.cite(original[q], q, lang) for _, q in evidence(copied)]
    mine = [ours.cite(s, q, lang) for s, q in evidence(copied)]
    assert len(mine) > 10
    assert mine == theirs
    assert not any(".txt" in c for c in mine), mine  # a title, never a file name
    titles = {c.split(", regel")[0].split(", line")[0] for c in mine}
    assert len(titles) >= 2  # quotes from different documents of the same seed file


def test_the_export_keeps_each_seed_documents_titles_and_lines(library):
    case_id, _edit, view = library.copy_bundled("g32", "kern")
    with zipfile.ZipFile(io.BytesIO(export(library, case_id, view))) as zf:
        parts = yaml.safe_load(zf.read("seeds/parts.yaml"))
    seeds = SourceLibrary()
    expected = sorted(
        [(p.first, p.last, p.title_nl, p.title_en) for p in seeds.parts(name)]
        for name in seeds.names()
    )
    exported = sorted(
        [(p["lines"][0], p["lines"][1], p["title"]["nl"], p["title"]["en"]) for p in ps]
        for ps in parts.values()
    )
    assert exported == expected
    assert len(exported[0]) + len(exported[1]) > 2  # a seed holding several documents


def test_a_seed_holding_several_documents_is_listed_by_their_titles(library):
    from afweging.casebook.store import document_title

    case_id, _edit, view = library.copy_bundled("g32", "kern")
    seeds = SourceLibrary()
    titles = {document_title(d, "nl") for d in library.documents(case_id, view)}
    for name in seeds.names():
        parts = seeds.parts(name)
        assert "; ".join(p.title_nl for p in parts) in titles
    assert not any(t.endswith(".txt") for t in titles), titles
