"""The case library (afweging.casebook): documents once, versions never overwritten, keys
that grant only what they should, drafts checked like content files against their own
documents, and an export that ``afweging validate`` and ``rank`` accept elsewhere.

Every test that takes ``db`` runs on a SQLite file and on PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from afweging.casebook.bundle import MANIFEST, MAX_ENTRIES, export, import_bundle
from afweging.casebook.errors import AccessDenied, CaseNotFound, LimitExceeded, NotPublishable
from afweging.casebook.limits import MAX_DOCUMENTS_PER_CASE, MAX_YAML_BYTES
from afweging.casebook.store import CaseLibrary
from afweging.database import schema_migrations
from afweging.documents.model import ExtractedDocument
from afweging.errors import InvalidData
from afweging.matrix import build_matrix, rank_with
from afweging.workshop import WorkshopStore
from afweging.workshop.db_schema import MIGRATIONS, WORKSHOP_MIGRATIONS
from tests.cli_run import run_cli
from tests.stores import TABLES, dump

TEXT = (
    "Nota regionale samenwerking\n"
    "De gemeenteraden  moeten\n"
    "grip houden op de regio.\n"
    "Tweede pagina.\n"
    "Een fusie kost veel tijd en\n"
    "veel geld.\n"
)
NOTA = ExtractedDocument(
    sha256=hashlib.sha256(b"%PDF nota").hexdigest(),
    filename="nota.pdf",
    kind="pdf",
    size=9,
    title="Nota regionale samenwerking",
    date="2025-03-01",
    text=TEXT,
    pages=(1, 4),
)
NAME = f"{NOTA.sha256[:16]}.txt"

CRITERIA = """\
id: mini
label: {nl: Twee criteria, en: Two criteria}
criteria:
  - id: legitimiteit
    label: {nl: Legitimiteit, en: Legitimacy}
    direction: higher_is_better
    scale: {min: 1, max: 5}
    default_weight: 2
  - id: kosten
    label: {nl: Kosten, en: Costs}
    direction: lower_is_better
    scale: {min: 1, max: 5}
"""


def case_yaml(
    value: float = 4, quote: str = "moeten grip houden op de regio.", crit: str = "legitimiteit"
) -> str:
    return f"""\
id: raad
label: {{nl: Eigen casus, en: Own case}}
options:
  - id: samen
    label: {{nl: Samenwerken, en: Cooperate}}
    summary: {{nl: Samen., en: Together.}}
    scores:
      {crit}:
        value: {value}
        basis: bron
        rationale: {{nl: Grip., en: Control.}}
        evidence:
          - source: {NAME}
            quote: "{quote}"
      kosten: {{value: 2, basis: afgeleid, rationale: {{nl: Weinig., en: Little.}}}}
  - id: fusie
    label: {{nl: Fuseren, en: Merge}}
    summary: {{nl: Een., en: One.}}
    scores:
      legitimiteit: {{value: 3, basis: afgeleid, rationale: {{nl: Midden., en: Middle.}}}}
      kosten:
        value: 5
        basis: bron
        rationale: {{nl: Duur., en: Costly.}}
        evidence:
          - source: {NAME}
            quote: "Een fusie kost veel tijd en veel geld."
"""


@pytest.fixture
def library(db: str, clock):
    lib = CaseLibrary(db, clock=clock)
    yield lib
    lib.dispose()


@pytest.fixture
def case(library: CaseLibrary) -> tuple[str, str, str]:
    """A case with the nota as its document and a clean version 2."""
    case_id, edit, view = library.create_case(case_yaml(), criteria_yaml=CRITERIA)
    library.add_document(NOTA, case_id, edit)
    library.save(case_id, edit, case_yaml(), "met nota")
    return case_id, edit, view


# --------------------------------------------------------------------------- documents


def test_the_same_document_twice_is_one_row_linked_to_each_case(library, db, case) -> None:
    case_id, edit, view = case
    other, other_edit, _ = library.create_case(case_yaml(), criteria_yaml=CRITERIA)
    first = library.add_document(NOTA, case_id, edit)
    again = library.add_document(NOTA, other, other_edit)
    assert first == again
    rows = dump(db)
    assert len(rows["documents"]) == 1
    assert sorted(r[0] for r in rows["case_documents"]) == sorted([case_id, other])
    stored = library.document(first)
    assert (stored.title, stored.date, stored.text, stored.pages) == (
        NOTA.title,
        NOTA.date,
        TEXT,
        (1, 4),
    )
    assert stored.extracted() == NOTA
    assert [d.id for d in library.documents(case_id, view)] == [first]


def test_a_case_holds_at_most_its_stated_number_of_documents(library, case) -> None:
    case_id, edit, _ = case
    for i in range(MAX_DOCUMENTS_PER_CASE - 1):
        doc = ExtractedDocument(
            hashlib.sha256(f"doc {i}".encode()).hexdigest(),
            f"d{i}.txt",
            "txt",
            5,
            "t",
            None,
            "x",
            (1,),
        )
        library.add_document(doc, case_id, edit)
    extra = ExtractedDocument(
        hashlib.sha256(b"one more").hexdigest(), "e.txt", "txt", 5, "t", None, "x", (1,)
    )
    with pytest.raises(LimitExceeded, match="at most 50 documents"):
        library.add_document(extra, case_id, edit)
    assert len(library.documents(case_id, edit)) == MAX_DOCUMENTS_PER_CASE


# --------------------------------------------------------------------------- versions and keys


def test_versions_are_never_overwritten(library, case, clock) -> None:
    case_id, edit, view = case
    second = library.version(case_id, 2, view)
    clock.advance(minutes=5)
    third = library.save(case_id, edit, case_yaml(value=2), "lager")
    clock.advance(minutes=5)
    library.save(case_id, edit, case_yaml(value=1), "nog lager")
    assert [v.number for v in library.versions(case_id, view)] == [1, 2, 3, 4]
    assert library.version(case_id, 2, view) == second
    assert library.version(case_id, 2, edit).case_yaml.encode() == second.case_yaml.encode()
    assert library.version(case_id, 3, view).data_version == third.data_version
    assert third.data_version != second.data_version
    assert library.latest(case_id, view).note == "nog lager"
    assert library.latest(case_id, view).saved_at > third.saved_at
    with pytest.raises(CaseNotFound, match="no version 9; the latest is version 4"):
        library.version(case_id, 9, view)


def test_the_view_key_or_a_wrong_key_cannot_save_and_keys_are_stored_only_hashed(
    library, db, case
) -> None:
    case_id, edit, view = case
    with pytest.raises(AccessDenied, match="lets you read this case, not change it") as denied:
        library.save(case_id, view, case_yaml(value=1))
    assert "wijzigen" in denied.value.text("nl")
    for wrong in ("", edit[:-1] + ("A" if edit[-1] != "A" else "B"), None, "x" * 10_000):
        with pytest.raises(AccessDenied):
            library.save(case_id, wrong, case_yaml(value=1))  # type: ignore[arg-type]
        with pytest.raises(AccessDenied):
            library.latest(case_id, wrong)  # type: ignore[arg-type]
    with pytest.raises(CaseNotFound):
        library.latest("no-such-case", view)
    assert len(library.versions(case_id, edit)) == 2  # nothing was saved
    assert library.can_edit(case_id, edit) and not library.can_edit(case_id, view)
    assert library.view_key(case_id, edit) == view
    everything = repr(dump(db))
    assert edit not in everything and view not in everything
    row = next(r for r in dump(db)["cases"] if r[0] == case_id)
    assert hashlib.sha256(edit.encode()).hexdigest() in row
    assert hashlib.sha256(view.encode()).hexdigest() in row


# --------------------------------------------------------------------------- checking


def test_a_draft_keeps_its_problems_named_by_file_and_path_and_cannot_be_published(
    library, case
) -> None:
    case_id, edit, view = case
    assert library.latest(case_id, view).problems == ()
    bad = case_yaml(value=7, quote="moeten grip houden op de gemeente.").replace(
        "      kosten: {value: 2", "      onbekend: {value: 2"
    )
    draft = library.save(case_id, edit, bad, "kladversie")
    found = {(p.file, p.path, p.code) for p in draft.problems}
    assert found == {
        ("scenarios/raad.yaml", "options[0].scores.legitimiteit.value", "off_scale"),
        (
            "scenarios/raad.yaml",
            "options[0].scores.legitimiteit.evidence[0].quote",
            "quote_not_found",
        ),
        ("scenarios/raad.yaml", "options[0].scores.onbekend", "unknown_criterion"),
        ("scenarios/raad.yaml", "options[0].scores", "missing_score"),
    }
    assert all(p.line for p in draft.problems)
    assert library.latest(case_id, view).problems == draft.problems  # kept with the draft
    with pytest.raises(NotPublishable) as refused:
        library.publish(case_id, edit)
    assert {p.code for p in refused.value.problems} == {p[2] for p in found}
    with pytest.raises(NotPublishable):
        library.save(case_id, edit, bad, publish=True)
    assert library.latest(case_id, view).number == 3  # neither refusal saved anything
    library.save(case_id, edit, case_yaml())
    published = library.publish(case_id, edit, "vastgesteld")
    assert (published.number, published.published, published.problems) == (5, True, ())


def test_range_and_duplicate_ids_and_blank_text_are_problems_of_a_draft(library, case) -> None:
    case_id, edit, _ = case
    text = (
        case_yaml()
        .replace("id: fusie", "id: samen")
        .replace("        value: 5\n", "        value: 5\n        range: [1, 3]\n")
    )
    codes = {p.code for p in library.check(case_id, edit, text)}
    assert codes == {"duplicate_id", "range_without_value"}
    broken = library.save(case_id, edit, "id: [unclosed\n")
    assert [p.code for p in broken.problems] == ["yaml_syntax"]
    assert broken.case_yaml.endswith("id: [unclosed\n")  # the work is kept as typed


def test_quotes_are_checked_against_the_case_documents_whitespace_collapsed_only(
    library, case
) -> None:
    case_id, _edit, view = case

    def problems(quote: str) -> set[str]:
        return {p.code for p in library.check(case_id, view, case_yaml(quote=quote))}

    assert problems("De gemeenteraden moeten grip houden") == set()  # line break and double space
    assert problems("De   gemeenteraden\tmoeten\n grip") == set()
    assert problems("de gemeenteraden moeten grip houden") == {"quote_not_found"}  # case
    assert problems("De gemeenteraden moeten grip houden!") == {"quote_not_found"}
    assert problems("De gemeenteraden moet grip houden") == {"quote_not_found"}
    other, other_edit, _ = library.create_case(case_yaml(), criteria_yaml=CRITERIA)
    codes = {p.code for p in library.latest(other, other_edit).problems}
    assert codes == {"unknown_source"}  # the nota is not this case's document
    cite = library.library(case_id, view).cite(NAME, "Een fusie kost veel tijd", "nl")
    assert cite == "Nota regionale samenwerking, p. 2, regel 2"
    assert library.library(case_id, view).cite(NAME, "grip houden", "en") == (
        "Nota regionale samenwerking, p. 1, line 3"
    )


def test_text_limits_are_refused_before_anything_is_saved(library, case) -> None:
    case_id, edit, view = case
    with pytest.raises(LimitExceeded, match="at most 1000000"):
        library.save(case_id, edit, "#" * (MAX_YAML_BYTES + 1))
    with pytest.raises(LimitExceeded, match="NUL"):
        library.save(case_id, edit, case_yaml() + "\x00")
    assert library.latest(case_id, view).number == 2


# --------------------------------------------------------------------------- bundled cases


def test_a_bundled_case_is_copied_with_its_sources_and_ranks_as_the_original(library) -> None:
    from afweging.loading import load_bundled

    case_id, _edit, view = library.copy_bundled("g32", "kern")
    copy = library.latest(case_id, view)
    assert copy.problems == ()
    assert copy.case_yaml.startswith(
        "# yaml-language-server: $schema=../schema/scenario.schema.json"
    )
    assert "000_bcdf0e76cff0fbf6.txt" not in copy.case_yaml
    names = {d.source_name for d in library.documents(case_id, view)}
    assert all(n in copy.case_yaml + copy.criteria_yaml for n in names)
    case, cset = library.models(case_id, view)
    bundled = load_bundled()
    original = rank_with(build_matrix(bundled.case("g32"), bundled.criteria_set("kern")))
    ours = rank_with(build_matrix(case, cset))
    assert ours.best_first() == original.best_first()
    assert list(ours.scores) == pytest.approx(list(original.scores))
    with pytest.raises(CaseNotFound, match="no bundled case 'nope'"):
        library.copy_bundled("nope")


# --------------------------------------------------------------------------- edited criteria sets

EDITED = CRITERIA.replace("label: {nl: Kosten, en: Costs}", "label: {nl: Lasten, en: Burden}")


def test_an_edited_criteria_set_is_a_new_version_and_the_old_version_keeps_its_set(
    library, case, clock
) -> None:
    case_id, edit, view = case
    before = library.version(case_id, 2, view)
    clock.advance(minutes=1)
    saved = library.save(case_id, edit, case_yaml(), "lasten", criteria_yaml=EDITED)
    assert (saved.number, saved.problems) == (3, ())
    assert "Lasten" in saved.criteria_yaml and "Lasten" not in before.criteria_yaml
    assert saved.data_version != before.data_version
    assert library.version(case_id, 2, view) == before  # never changed
    assert library.models(case_id, view, 2)[1].find("kosten").label.nl == "Kosten"
    assert library.models(case_id, view)[1].find("kosten").label.nl == "Lasten"
    # A save without a criteria text keeps the latest version's (the edited one).
    kept = library.save(case_id, edit, case_yaml(value=3), "alleen de casus")
    assert (kept.number, kept.criteria_yaml) == (4, saved.criteria_yaml)
    # The check of a draft uses the given set, or the latest version's.
    assert library.check(case_id, view, case_yaml(), EDITED) == []
    assert library.check(case_id, view, case_yaml()) == []


def test_a_broken_criteria_set_is_named_by_its_path_and_nothing_is_published(library, case) -> None:
    case_id, edit, view = case
    reversed_scale = CRITERIA.replace(
        "direction: lower_is_better\n    scale: {min: 1, max: 5}",
        "direction: lower_is_better\n    scale: {min: 5, max: 5}",
    )
    assert reversed_scale != CRITERIA
    problems = library.check(case_id, edit, case_yaml(), reversed_scale)
    found = [(p.file, p.path, p.code) for p in problems]
    assert found == [("criteria/mini.yaml", "criteria[1].scale.max", "scale_reversed")]
    with pytest.raises(NotPublishable) as refused:
        library.save(case_id, edit, case_yaml(), criteria_yaml=reversed_scale, publish=True)
    assert [p.path for p in refused.value.problems] == ["criteria[1].scale.max"]
    assert library.latest(case_id, view).number == 2  # nothing was stored
    # Saved as a draft, the problem is kept with it; the earlier version is unchanged.
    kept = library.save(case_id, edit, case_yaml(), criteria_yaml=reversed_scale)
    assert [p.file for p in kept.problems] == ["criteria/mini.yaml"]
    assert library.version(case_id, 2, view).criteria_yaml.endswith(CRITERIA)
    # A criterion removed from the set: the case's scores on it become problems of the case.
    without = CRITERIA[: CRITERIA.index("  - id: kosten")]
    found = [(p.file, p.path, p.code) for p in library.check(case_id, edit, case_yaml(), without)]
    assert found == [
        ("scenarios/raad.yaml", "options[0].scores.kosten", "unknown_criterion"),
        ("scenarios/raad.yaml", "options[1].scores.kosten", "unknown_criterion"),
    ]
    with pytest.raises(LimitExceeded):
        library.check(case_id, edit, case_yaml(), "#" * (MAX_YAML_BYTES + 1))


def test_a_bundled_set_put_in_place_brings_its_sources_to_the_case(library, case) -> None:
    case_id, edit, view = case
    with pytest.raises(AccessDenied):
        library.bundled_criteria(case_id, view, "kern")
    before = {d.source_name for d in library.documents(case_id, view)}
    text = library.bundled_criteria(case_id, edit, "kern")
    added = {d.source_name for d in library.documents(case_id, view)} - before
    assert added and all(name in text for name in added)
    assert "000_bcdf0e76cff0fbf6.txt" not in text
    problems = library.check(case_id, edit, case_yaml(), text)
    assert problems and all(p.file == "scenarios/raad.yaml" for p in problems)
    assert {p.code for p in problems} == {"unknown_criterion", "missing_score"}
    assert library.latest(case_id, view).number == 2  # nothing saved yet
    with pytest.raises(CaseNotFound):
        library.bundled_criteria(case_id, edit, "nope")


# --------------------------------------------------------------------------- export and import


def unzip(raw: bytes, target: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        zf.extractall(target)
    return target


def test_an_export_validates_and_ranks_elsewhere_as_the_stored_case(
    library, case, tmp_path
) -> None:
    case_id, _edit, view = case
    folder = unzip(export(library, case_id, view), tmp_path / "elders")
    saved = library.latest(case_id, view)
    assert (folder / "scenarios" / "raad.yaml").read_text(encoding="utf-8") == saved.case_yaml
    assert (folder / "seeds" / NAME).read_text(encoding="utf-8") == TEXT
    env = {**os.environ, "AFWEGING_CONTENT_DIR": str(folder)}
    checked = run_cli("validate", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == (
        f"ok: 1 criteria set(s), 1 case(s), 2 option(s); data version {saved.data_version}"
    )
    ranked = run_cli(
        "rank",
        "--scenarios",
        "raad",
        "--criteria",
        "mini",
        "--format",
        "json",
        cwd=tmp_path,
        env=env,
    )
    assert ranked.returncode == 0, ranked.stderr
    there = json.loads(ranked.stdout)
    case_model, cset = library.models(case_id, view)
    matrix = build_matrix(case_model, cset)
    here = rank_with(matrix)
    assert [row["id"] for row in there["ranking"]] == [
        matrix.option_ids[i] for i in here.best_first()
    ]
    assert [row["score"] for row in there["ranking"]] == pytest.approx(
        [float(here.scores[i]) for i in here.best_first()]
    )
    assert there["data_version"] == saved.data_version


def test_an_older_version_is_exported_as_it_was(library, case, tmp_path) -> None:
    case_id, edit, view = case
    library.save(case_id, edit, case_yaml(value=1))
    folder = unzip(export(library, case_id, view, version=2), tmp_path / "v2")
    assert (folder / "scenarios" / "raad.yaml").read_text(encoding="utf-8") == (
        library.version(case_id, 2, view).case_yaml
    )
    assert json.loads((folder / MANIFEST).read_text())["version"] == 2


def test_import_restores_texts_documents_and_data_version_exactly(library, case, db) -> None:
    case_id, _edit, view = case
    saved = library.publish(case_id, case[1], "vastgesteld")
    raw = export(library, case_id, view)
    new_id, new_edit, new_view = import_bundle(library, raw)
    assert new_id != case_id and new_edit != case[1]
    restored = library.latest(new_id, new_view)
    assert (restored.case_yaml, restored.criteria_yaml, restored.data_version) == (
        saved.case_yaml,
        saved.criteria_yaml,
        saved.data_version,
    )
    assert (restored.number, restored.published, restored.note) == (1, True, "vastgesteld")
    assert [d.extracted() for d in library.documents(new_id, new_view)] == [NOTA]
    assert len(dump(db)["documents"]) == 1  # the same document, stored once
    fresh = CaseLibrary(
        f"sqlite:///{Path(os.environ['AFWEGING_DATA_DIR']) / f'imp-{new_id}.sqlite3'}"
    )
    try:
        other_id, _, other_view = import_bundle(fresh, raw)
        assert fresh.latest(other_id, other_view).data_version == saved.data_version
        assert [d.extracted() for d in fresh.documents(other_id, other_view)] == [NOTA]
    finally:
        fresh.dispose()


def zipped(entries: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def entries_of(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def test_hostile_zips_are_refused_and_nothing_is_stored(library, case, db) -> None:
    case_id, _edit, view = case
    good = entries_of(export(library, case_id, view))
    before = dump(db)
    link = zipfile.ZipInfo("seeds/parts.yaml")
    link.external_attr = 0o120777 << 16
    linked = io.BytesIO()
    with zipfile.ZipFile(linked, "w") as zf:
        for name, data in good.items():
            if name != "seeds/parts.yaml":
                zf.writestr(name, data)
        zf.writestr(link, b"/etc/passwd")
    tampered = dict(good)
    tampered[f"seeds/{NAME}"] = TEXT.replace("veel geld", "weinig geld").encode()
    cases = {
        "bundle_not_zip": b"PK\x03\x04 not really a zip",
        "bundle_unsafe_name": zipped({**good, "../escape.yaml": b"x"}),
        "bundle_too_many_entries": zipped(
            {**good, **{f"seeds/{i:016x}.txt": b"x" for i in range(MAX_ENTRIES)}}
        ),
        "bundle_ratio": zipped({**good, f"seeds/{'f' * 16}.txt": b" " * 2_000_000}),
        "bundle_missing": zipped({k: v for k, v in good.items() if k != MANIFEST}),
        "bundle_text_changed": zipped(tampered),
    }
    for absolute in ("/etc/passwd", "C:/x.yaml", "criteria/../../x.yaml", "seeds\\..\\x.txt"):
        with pytest.raises(InvalidData) as refused:
            import_bundle(library, zipped({**good, absolute: b"x"}))
        assert [p.code for p in refused.value.problems] == ["bundle_unsafe_name"], absolute
    with pytest.raises(InvalidData) as refused:
        import_bundle(library, linked.getvalue())
    assert [p.code for p in refused.value.problems] == ["bundle_unsafe_name"]
    for code, raw in cases.items():
        with pytest.raises(InvalidData) as refused:
            import_bundle(library, raw)
        assert [p.code for p in refused.value.problems] == [code], code
    assert dump(db) == before


def test_an_import_never_replaces_a_stored_document_text(library, case, db) -> None:
    case_id, _edit, view = case
    good = entries_of(export(library, case_id, view))
    changed = TEXT.replace("veel geld", "weinig geld")
    manifest = json.loads(good[MANIFEST])
    manifest["documents"][0]["text_sha256"] = hashlib.sha256(changed.encode()).hexdigest()
    before = dump(db)
    raw = zipped(
        {**good, f"seeds/{NAME}": changed.encode(), MANIFEST: json.dumps(manifest).encode()}
    )
    with pytest.raises(InvalidData) as refused:
        import_bundle(library, raw)
    assert [p.code for p in refused.value.problems] == ["bundle_document_differs"]
    assert dump(db) == before


# --------------------------------------------------------------------------- one database


def test_a_workshop_database_at_0002_is_upgraded_in_place_and_keeps_its_session(db, clock) -> None:
    from afweging.workshop.db_schema import t_rounds, t_sessions

    key = "k" * 43
    now = clock.now.isoformat(timespec="microseconds")
    engine = sa.create_engine(db, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:  # what the version before the case library left: one session
        schema_migrations.create(conn)
        for migration_id, apply in WORKSHOP_MIGRATIONS:
            apply(conn)
            conn.execute(schema_migrations.insert().values(id=migration_id, applied_at=now))
        conn.execute(
            t_sessions.insert().values(
                id=1, code="ABC234", facilitator_key_hash=hashlib.sha256(key.encode()).hexdigest(),
                case_id="c", criteria_set_id="k", option_ids='["a", "b"]',
                weighable_ids='["x", "y"]', weight_method="sliders", ask_name=False,
                ask_municipality=False, ask_role=False, show_names=False, is_open=True,
                current_round=1, created_at=now, expires_at=now,
            )
        )  # fmt: skip
        conn.execute(
            t_rounds.insert().values(session_id=1, round=1, revealed=False, started_at=now)
        )
    engine.dispose()
    workshop_tables = tuple(TABLES[: TABLES.index("join_attempts") + 1])
    before = dump(db, workshop_tables)
    library = CaseLibrary(db, clock=clock)
    try:
        assert library.applied_migrations() == [m for m, _ in MIGRATIONS]
        assert [m for m, _ in MIGRATIONS][2:] == [
            "0003_case_library",
            "0004_session_library_cases",
            "0005_case_drafts",
        ]
        case_id, _edit, view = library.create_case(case_yaml(), criteria_yaml=CRITERIA)
        assert library.latest(case_id, view).number == 1
    finally:
        library.dispose()
    after = dump(db, workshop_tables)
    assert after["schema_migrations"] == [
        *before["schema_migrations"],
        ("0003_case_library", clock.now.isoformat(timespec="microseconds")),
        ("0004_session_library_cases", clock.now.isoformat(timespec="microseconds")),
        ("0005_case_drafts", clock.now.isoformat(timespec="microseconds")),
    ]
    assert {t: r for t, r in after.items() if t != "schema_migrations"} == {
        t: r for t, r in before.items() if t != "schema_migrations"
    }
    store = WorkshopStore(db, clock=clock)
    try:
        assert store.applied_migrations() == [m for m, _ in MIGRATIONS]
        assert store.require_facilitator("ABC234", key).code == "ABC234"
    finally:
        store.dispose()


# --------------------------------------------------------------------------- edits in progress


def test_an_edit_in_progress_is_kept_replaced_and_ended_by_the_next_save(library, case) -> None:
    case_id, edit, view = case
    assert library.working_draft(case_id, edit) is None
    numbers = [v.number for v in library.versions(case_id, view)]
    base = numbers[-1]
    first = case_yaml(value=2)
    library.keep_draft(case_id, edit, base, first)
    kept = library.working_draft(case_id, edit)
    assert kept is not None
    assert (kept.base, kept.case_yaml, kept.criteria_yaml) == (base, first, None)
    second = case_yaml(value=4)
    library.keep_draft(case_id, edit, base, second, criteria_yaml=EDITED)
    kept = library.working_draft(case_id, edit)
    assert kept is not None and (kept.case_yaml, kept.criteria_yaml) == (second, EDITED)
    # Not a version: the versions are as they were until a save, which ends the edit.
    assert [v.number for v in library.versions(case_id, view)] == numbers
    library.save(case_id, edit, second, criteria_yaml=EDITED)
    assert library.working_draft(case_id, edit) is None
    assert [v.number for v in library.versions(case_id, view)] == [*numbers, base + 1]


def test_only_the_edit_key_keeps_or_reads_an_edit_in_progress(library, case) -> None:
    case_id, edit, view = case
    library.keep_draft(case_id, edit, 1, case_yaml(value=2))
    for key in (view, "wrong"):
        with pytest.raises(AccessDenied):
            library.working_draft(case_id, key)
        with pytest.raises(AccessDenied):
            library.keep_draft(case_id, key, 1, case_yaml(value=5))
    kept = library.working_draft(case_id, edit)
    assert kept is not None and kept.case_yaml == case_yaml(value=2)
