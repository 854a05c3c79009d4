"""Every kind of bad input gets a message naming the file, the path and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from afweging.errors import InvalidData
from afweging.loading import load, load_upload
from afweging.model import Case

from .conftest import BAD, GOOD

FLAT_CRITERIA = GOOD / "flat" / "criteria.yaml"

# file -> (line, path, words the message must hold)
CASES: dict[str, list[tuple[int | None, str, str]]] = {
    "oversize.yaml": [(None, "", "the limit is 1,000,000")],
    "alias_bomb.yaml": [(2, "", "aliases (*name) are not allowed")],
    "python_tag.yaml": [(3, "", "'!!python/object/apply:os.system' is not allowed")],
    "not_utf8.yaml": [(None, "", "not UTF-8 text")],
    "list_document.yaml": [
        (1, "", "expected a mapping (key: value lines) at the top, found a list")
    ],
    # The { opened on line 2 is never closed: the problem is shown where it starts.
    "syntax_error.yaml": [(2, "", "not valid YAML at line 2, column 8: the { that starts here")],
    "duplicate_key.yaml": [(3, "", "duplicate key 'id'")],
    "unknown_criterion.yaml": [
        (27, "options[1].scores.efficiency", "unknown criterion 'efficiency'"),
        (25, "options[1].scores", "no score for 'efficientie' (criteria set 'flat')"),
    ],
    "missing_criterion.yaml": [
        (32, "options[2].scores", "option 'c' has no score for 'efficientie'")
    ],
    "value_off_scale.yaml": [
        (
            25,
            "options[1].scores.legitimiteit.value",
            "7 is off the scale 1..5 of criterion 'legitimiteit'",
        )
    ],
    "value_not_number.yaml": [
        (25, "options[1].scores.legitimiteit.value", "must be a number, got 'vier'")
    ],
    "value_nan.yaml": [
        (25, "options[1].scores.legitimiteit.value", "must be a finite number, got nan")
    ],
    "range_without_value.yaml": [
        (
            13,
            "options[0].scores.bestuurlijke_drukte.range",
            "range [1, 3] does not contain the value 4",
        )
    ],
    "duplicate_option_id.yaml": [(28, "options[2].id", "id 'a' is already used at options[0]")],
    "missing_label.yaml": [(22, "options[1].label.en", "required field is missing")],
    "quote_not_found.yaml": [
        (18, "options[0].scores.bestuurlijke_drukte.evidence[0].quote", "quote not found in 000_")
    ],
    "missing_source_file.yaml": [
        (4, "source.file", "'verslag.txt' is not a document in seeds/"),
        (
            17,
            "options[0].scores.bestuurlijke_drukte.evidence[0].source",
            "'../../etc/passwd' is not a",
        ),
    ],
    "many_problems.yaml": [
        (14, "options[0].scores.bestuurlijke_drukte.basis", "'bron' or 'afgeleid', got 'source'"),
        (25, "options[1].scores.legitimiteit.value", "7 is off the scale"),
        (30, "options[2].colour", "unknown field 'colour'; allowed fields: id, label, summary"),
    ],
    "negative_weight.yaml": [(9, "criteria[0].default_weight", "must not be negative, got -2")],
    "zero_weights.yaml": [(5, "criteria", "default weights of these criteria are all zero")],
    "duplicate_criterion_id.yaml": [(18, "criteria[2].id", "id 'legitimiteit' is already used")],
    "scale_reversed.yaml": [(21, "criteria[2].scale.max", "max (0) must be greater than min (10)")],
    "leaf_without_scale.yaml": [(13, "criteria[1].scale", "a leaf criterion needs a scale")],
    "conclusion_problems.yaml": [
        (8, "conclusion.prefers[1]", "prefers 'zz', which is not an option of this case (a)"),
        (12, "conclusion.evidence[0].quote", "quote not found in 000_"),
        (14, "conclusion.considerations[0].criterion", "unknown criterion 'samenhang_onbekend'"),
    ],
}


def test_every_bad_file_has_a_case() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused_with_every_problem_located(name: str) -> None:
    _, problems = load([BAD / name, FLAT_CRITERIA])
    shown = [str(p) for p in problems]
    assert len(problems) == len(CASES[name]), shown
    for line, path, words in CASES[name]:
        matching = [p for p in problems if p.path == path and words in p.message]
        assert matching, f"no problem at {path!r} saying {words!r} in {shown}"
        assert matching[0].line == line
        assert matching[0].file == f"tests/data/bad/{name}" or matching[0].file.endswith(name)
    assert all(str(p).startswith(problems[0].file) for p in problems)


def test_custom_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f'id: x\noptions: !!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(InvalidData, match="not allowed"):
        load_upload(evil.encode(), "evil.yaml", [])
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly() -> None:
    # Expanding this would build 9**9 strings; refusing aliases means it is never expanded.
    with pytest.raises(InvalidData, match="aliases"):
        load_upload((BAD / "alias_bomb.yaml").read_bytes(), "bomb.yaml", [])


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(InvalidData, match="nested"):
        load_upload(b"options: " + b"[" * 5000 + b"]" * 5000, "deep.yaml", [])


def test_upload_of_a_good_file_returns_the_model() -> None:
    sets = load([FLAT_CRITERIA])[0].criteria_sets
    kind, case = load_upload((GOOD / "flat" / "scenario.yaml").read_bytes(), "mine.yaml", sets)
    assert kind == "scenario"
    assert isinstance(case, Case)
    assert [o.id for o in case.options] == ["a", "b", "c"]


def test_a_file_that_is_neither_kind() -> None:
    with pytest.raises(InvalidData, match="neither a criteria set"):
        load_upload(b"id: x\nlabel: {nl: a, en: b}\n", "x.yaml", [])


def test_a_control_character_is_refused_with_its_place() -> None:
    # PyYAML rejects it while constructing its reader: that too must be a located problem.
    with pytest.raises(InvalidData) as caught:
        load_upload(b"id: x\nlabel: a\x07b\n", "bel.yaml", [])
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.params["column"]) == ("yaml_syntax", 2, 9)
    assert problem.params["kind"] == "control_char"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_problem_has_a_code_and_its_message_from_its_params(name: str) -> None:
    from afweging.errors import MESSAGES, english

    _, problems = load([BAD / name, FLAT_CRITERIA])
    for problem in problems:
        assert problem.code in MESSAGES
        assert problem.message == english(problem.code, problem.params)
