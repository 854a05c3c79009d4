"""Problems in data files reach people in their own language: every problem code has a
Dutch and an English text in the translation table, and the dashboard shows them."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from afweging.errors import KINDS, MESSAGES, PARAMS, InvalidData, Problem
from afweging.loading import load, load_upload
from afweging.yamlfile import parse
from afweging_ui.i18n import table
from afweging_ui.problems import number_text, problem_text

from .conftest import BAD, GOOD

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
FLAT_CRITERIA = GOOD / "flat" / "criteria.yaml"
BAD_FILES = sorted(BAD.glob("*.yaml"))

#: Codes the loaders must be able to produce, each with a Dutch and an English text.
CODES = {
    "too_large",
    "too_many_values",
    "number_too_large",
    "no_yaml_files",
    "not_utf8",
    "cannot_read",
    "content_missing",
    "empty",
    "yaml_syntax",
    "alias",
    "custom_tag",
    "too_deep",
    "complex_key",
    "duplicate_key",
    "not_mapping",
    "not_yaml_file",
    "unknown_kind",
    "wrong_kind",
    "missing_field",
    "missing_text",
    "unknown_field",
    "bad_id",
    "not_number",
    "not_finite",
    "negative_weight",
    "empty_text",
    "text_too_long",
    "not_allowed_value",
    "too_few_items",
    "too_many_items",
    "wrong_type",
    "invalid_value",
    "duplicate_id",
    "scale_reversed",
    "level_off_scale",
    "zero_weights",
    "empty_parent",
    "parent_with_direction",
    "parent_with_scale",
    "leaf_without_direction",
    "leaf_without_scale",
    "range_reversed",
    "range_without_value",
    "unknown_option",
    "quote_not_found",
    "unknown_source",
    "unknown_criterion",
    "unknown_consideration",
    "missing_score",
    "off_scale",
    "sets_disagree",
    "document_unknown_kind",
    "document_too_large",
    "document_kind_mismatch",
    "document_encrypted",
    "document_malformed",
    "document_too_slow",
    "document_too_much_memory",
    "document_bomb",
    "document_bomb_ratio",
    "document_too_many_parts",
    "document_too_many_pages",
    "document_too_much_text",
    "document_reader_stopped",
    "document_external_links",
    "document_macros",
    "document_no_text",
    "bundle_not_zip",
    "bundle_unsafe_name",
    "bundle_too_many_entries",
    "bundle_too_large",
    "bundle_ratio",
    "bundle_encrypted",
    "bundle_missing",
    "bundle_manifest",
    "bundle_text_changed",
    "bundle_document_differs",
}

#: Words of the old English messages that must never appear in a Dutch text.
ENGLISH = (
    "expected",
    "got",
    "not valid",
    "does not contain",
    "off the scale",
    "required",
    "unknown",
    "must",
    "allowed",
    "already used",
    "not found",
    "missing",
    "cannot",
    "duplicate",
    "nested",
    "found",
    "which",
    "limit",
    "while",
    "scanning",
    "parsing",
    "mapping",
    "the",
)


def fields(text: str) -> set[str]:
    """The ``{name}`` fields of a format string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def all_problems() -> dict[str, list[Problem]]:
    """Every bad file's problems, read from disk and as an upload."""
    sets = load([FLAT_CRITERIA])[0].criteria_sets
    out: dict[str, list[Problem]] = {}
    for path in BAD_FILES:
        _, problems = load([path, FLAT_CRITERIA])
        try:
            load_upload(path.read_bytes(), path.name, sets)
        except InvalidData as exc:
            problems += exc.problems
        out[path.name] = problems
    return out


@pytest.fixture(scope="module")
def bad_problems() -> dict[str, list[Problem]]:
    return all_problems()


def test_every_code_has_a_dutch_and_an_english_text_with_the_same_fields() -> None:
    texts = table()
    keys = [f"problem_{code}" for code in MESSAGES]
    keys += [f"problem_{code}_{kind}" for code, kinds in KINDS.items() for kind in kinds]
    for key in keys:
        assert key in texts, f"{key} is not in afweging/translations.yaml"
        nl, en = texts[key]["nl"], texts[key]["en"]
        assert nl and en and nl != en, key
        assert fields(nl) == fields(en), key
        code = key.removeprefix("problem_")
        if code not in MESSAGES:  # a kind's text: the fields of its code
            code = next(c for c in KINDS if code.startswith(f"{c}_"))
        assert fields(nl) <= set(PARAMS.get(code, ())), key


def test_the_fixed_list_of_codes_is_known_and_translated() -> None:
    assert set(MESSAGES) == CODES
    assert set(PARAMS) <= CODES
    for code in CODES:
        assert fields(MESSAGES[code]) <= set(PARAMS.get(code, ())), code
        assert ("kind" in PARAMS.get(code, ())) == (code in KINDS), code
    for code in CODES:
        assert {"nl", "en"} <= set(table()[f"problem_{code}"])


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem("x.yaml", "", "no_such_code")
    with pytest.raises(ValueError, match="takes"):
        Problem("x.yaml", "", "off_scale", {"value": 7})


def test_every_code_the_bad_files_produce_is_translated(bad_problems) -> None:
    found = {p.code for problems in bad_problems.values() for p in problems}
    assert found <= CODES
    assert {
        "too_large",
        "alias",
        "custom_tag",
        "not_utf8",
        "not_mapping",
        "yaml_syntax",
        "duplicate_key",
        "unknown_field",
        "missing_text",
        "not_number",
        "not_finite",
        "off_scale",
        "range_without_value",
        "duplicate_id",
        "quote_not_found",
        "unknown_source",
        "unknown_criterion",
        "missing_score",
        "negative_weight",
        "zero_weights",
        "scale_reversed",
        "leaf_without_scale",
        "unknown_option",
        "unknown_consideration",
        "not_allowed_value",
    } <= found
    for problems in bad_problems.values():
        for problem in problems:
            for lang in ("nl", "en"):
                assert problem_text(problem, lang)  # every field of the text is given


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.name)
def test_dutch_texts_name_file_line_and_path_without_english(path: Path, bad_problems) -> None:
    problems = bad_problems[path.name]
    assert problems
    for problem in problems:
        text = problem_text(problem, "nl")
        assert text.startswith(problem.file + ",") or text.startswith(problem.file + ":")
        assert path.name in text
        if problem.line:
            assert f"regel {problem.line}" in text
        if problem.path:
            assert f", {problem.path}: " in text
        message = text.split(": ", 1)[1] if not problem.path else text.split(problem.path + ": ")[1]
        words = [w for w in ENGLISH if re.search(rf"\b{re.escape(w)}\b", message, re.I)]
        assert not words, f"English in {text!r}: {words}"


def test_the_example_of_the_brief() -> None:
    _, problems = load([BAD / "value_off_scale.yaml", FLAT_CRITERIA])
    (problem,) = problems
    assert problem.code == "off_scale"
    assert problem.params == {"value": 7, "min": 1.0, "max": 5.0, "criterion": "legitimiteit"}
    assert problem_text(problem, "nl") == (
        "tests/data/bad/value_off_scale.yaml, regel 25, options[1].scores.legitimiteit.value: "
        "7 ligt buiten de schaal 1–5 van criterium 'legitimiteit'"
    )
    assert problem_text(problem, "en") == (
        "tests/data/bad/value_off_scale.yaml, line 25, options[1].scores.legitimiteit.value: "
        "7 is outside the scale 1–5 of criterion 'legitimiteit'"
    )
    # The command line keeps its English line, built from the same parameters.
    assert str(problem) == (
        "tests/data/bad/value_off_scale.yaml:25: options[1].scores.legitimiteit.value: "
        "7 is off the scale 1..5 of criterion 'legitimiteit'"
    )


def test_numbers_are_written_the_dutch_way() -> None:
    assert number_text(2.5, "nl") == "2,5"
    assert number_text(2.5, "en") == "2.5"
    assert number_text(1_062_060, "nl") == "1.062.060"
    assert number_text(1_062_060, "en") == "1,062,060"
    assert number_text(2024, "nl") == "2024"
    assert number_text(7.0, "nl") == "7"
    assert number_text(float("nan"), "nl") == ".nan"
    problem = Problem(
        "x.yaml", "p", "off_scale", {"value": 5.5, "min": 1, "max": 5, "criterion": "c"}
    )
    assert "5,5 ligt buiten de schaal 1–5" in problem_text(problem, "nl")


SYNTAX = {
    b'id: demo\nlabel: "abc\n': ("unclosed_quote", 2, 8),
    b"id: demo\nx: [1, 2\ny: 3\n": ("unclosed_bracket", 2, 4),
    b"id: demo\nlabel: a: b\n": ("unexpected_colon", 2, 9),
    b"id: demo\n\tlabel: x\n": ("tab", 2, 1),
    b"x:\n  a: 1\n b: 2\n": ("indentation", 3, 2),
    b"x: 'auto's'\n": ("text_after_value", 1, 10),
    b"id: 1\n---\nid: 2\n": ("several_documents", 2, 1),
    b"id: demo\nx: a\x01b\n": ("control_char", 2, 5),
    b'id: "\\q"\n': ("bad_escape", 1, 7),
    b"x: @foo\n": ("bad_start", 1, 4),
    b"x: 1\ny\nz: 2\n": ("missing_colon", 3, 1),
    b"x: {a: 1}}\n": ("unmatched_close", 1, 10),
}


@pytest.mark.parametrize(("raw", "expected"), SYNTAX.items())
def test_syntax_errors_give_line_column_and_plain_words(raw: bytes, expected) -> None:
    kind, line, column = expected
    with pytest.raises(InvalidData) as caught:
        parse(raw, "mijn.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.params["kind"], problem.line) == ("yaml_syntax", kind, line)
    assert problem.params["column"] == column
    text = problem_text(problem, "nl")
    assert text.startswith(f"mijn.yaml, regel {line}, kolom {column}: de opmaak klopt hier niet: ")
    for internal in ("scanning", "parsing", "block end", "scalar", "token", "stream"):
        assert internal not in text and internal not in problem.message
    assert f"line {line}, column {column}" in problem.message


# --- the dashboard ------------------------------------------------------------------------


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["upload_open"] = True  # the upload panel is drawn when opened
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, name: str, raw: bytes | None) -> AppTest:
    value = None if raw is None else (name, raw, "application/x-yaml")
    at.file_uploader(key="upload").set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def panel(at: AppTest):
    """The upload panel (the sidebar's expander of that name)."""
    heading = ("Eigen bestand laden", "Load your own file")
    return next(e for e in at.sidebar.expander if e.label in heading)


def texts(at: AppTest) -> list[str]:
    """The plain texts in the upload panel: the problems of the chosen file."""
    return [str(x.value) for x in panel(at).text]


def test_upload_panel_shows_dutch_texts_and_only_for_the_chosen_file() -> None:
    at = upload(start(), "kapot.yaml", (BAD / "syntax_error.yaml").read_bytes())
    assert [e.value for e in panel(at).error] == [  # the name escaped for Markdown
        "kapot\\.yaml is niet geladen; de eerdere gegevens blijven staan. Problemen:"
    ]
    assert texts(at) == [
        "kapot.yaml, regel 2, kolom 8: de opmaak klopt hier niet: de { die hier begint, wordt "
        "niet goed afgesloten: er ontbreekt een } of een komma, of een tekst met een dubbele "
        "punt staat niet tussen aanhalingstekens"
    ]
    assert any("teksteditor" in c.value for c in panel(at).caption)
    assert not panel(at).code  # plain text, no code box that cuts long lines off
    # A new file: only its own problems, in Dutch.
    upload(at, "mijn.yaml", (BAD / "value_off_scale.yaml").read_bytes())
    shown = texts(at)
    assert shown[0] == (
        "mijn.yaml, regel 25, options[1].scores.legitimiteit.value: "
        "7 ligt buiten de schaal 1–5 van criterium 'legitimiteit'"
    )
    # (the bundled 'efficientie' runs 1–5 too, so the file's 0 and 10 are off it as well)
    assert all(t.startswith("mijn.yaml, regel ") and "ligt buiten de schaal" in t for t in shown)
    assert not any("kapot.yaml" in e.value for e in panel(at).error)
    # Another rerun (a language switch) words the same problems in English.
    at.segmented_control(key="lang").set_value("en").run()
    assert texts(at)[0] == (
        "mijn.yaml, line 25, options[1].scores.legitimiteit.value: "
        "7 is outside the scale 1–5 of criterion 'legitimiteit'"
    )
    assert len(texts(at)) == len(shown)
    # No file: no problems.
    upload(at, "", None)
    assert texts(at) == [] and not panel(at).error


def test_upload_panel_refuses_a_large_file_and_a_wrong_name_in_dutch() -> None:
    at = upload(start(), "groot.yaml", b"#" * 1_000_001)
    assert texts(at) == [
        "groot.yaml: het bestand is 1.000.001 bytes groot; er kan hoogstens 1.000.000 bytes "
        "(1 MB) worden geladen. Een criteria- of scenariobestand is meestal veel kleiner: "
        "kijk of u het goede bestand hebt gekozen."
    ]
    upload(at, "notulen.pdf", b"%PDF-1.4")
    assert texts(at) == [
        "notulen.pdf: dit is geen YAML-bestand: de naam eindigt niet op .yaml of .yml. "
        "Kies een criteria- of scenariobestand."
    ]


def test_markup_in_a_file_name_is_shown_as_written() -> None:
    at = upload(start(), "[klik](https://x.example)_*.yaml", b"- a\n")
    assert any(
        r"\[klik\]\(https\://x\.example\)\_\*\.yaml is niet geladen" in e.value
        for e in at.error
    )
    assert texts(at)[0].startswith("[klik](https://x.example)_*.yaml, regel 1: bovenaan")


def _data_problems_page() -> None:
    from afweging.loading import load as load_files
    from afweging_ui.problems import show_data_problems
    from tests.conftest import BAD as bad

    _, problems = load_files([bad / "many_problems.yaml", bad / "python_tag.yaml"])
    show_data_problems(problems, "nl")


def test_the_data_problems_box_is_dutch_plain_text() -> None:
    at = AppTest.from_function(_data_problems_page, default_timeout=60).run()
    assert not at.exception
    (box,) = at.error
    assert box.value.startswith("De meegeleverde gegevens bevatten fouten")
    assert "beheerder" in box.value and "README" not in box.value
    _, problems = load([BAD / "many_problems.yaml", BAD / "python_tag.yaml"])
    assert at.expander[0].label == f"Wat er mis is ({len(problems)})"
    shown = [str(x.value) for x in at.text]
    assert len(shown) == len(problems)
    assert any("regel 3: de aanduiding '!!python/object/apply:os.system'" in s for s in shown)
    assert any("'bron', 'afgeleid'; er staat 'source'" in s for s in shown)
    assert not at.code
