"""The second-reading record: read exactly, and held complete and current against the data."""

from __future__ import annotations

import pytest

from afweging.loading import load
from afweging.second_reading import (
    RecordProblem,
    parse_value,
    read_record,
    record_problems,
    tally,
)

from .conftest import GOOD

HEAD = (
    "| case | option | criterion | ours | second reader | lines | outcome | reason |\n"
    "|---|---|---|---|---|---|---|---|\n"
)


@pytest.fixture(scope="module")
def flat():
    bundle, problems = load([GOOD / "flat" / "criteria.yaml", GOOD / "flat" / "scenario.yaml"])
    assert problems == []
    return bundle


def record(tmp_path, rows: str):
    path = tmp_path / "second-reading.md"
    path.write_text(
        "# Second reading\n\nSome prose | with a bar.\n\n" + HEAD + rows, encoding="utf-8"
    )
    return path


FULL = """\
| demo | a | legitimiteit | 5 | 5 | 000:10–12 | agree | |
| demo | a | bestuurlijke_drukte | 4 [2–5] | 3 [2–4] | 000:940 | agree | |
| demo | a | efficientie | 5 | 7 | 000:950 | kept | the paper says it varies |
| demo | b | legitimiteit | 2 | 2 | 000:1 | agree | |
| demo | b | bestuurlijke_drukte | 1 | 1 | 000:1 | agree | |
| demo | b | efficientie | 10 | 9 | 000:1 | changed | reader's reading of line 3 |
| demo | c | legitimiteit | 3 | 3 | 000:1 | agree | |
| demo | c | bestuurlijke_drukte | 3 | 3 | 000:1 | agree | |
| demo | c | efficientie | 0 | 0 | 000:1 | agree | |
"""


def test_values_with_and_without_ranges() -> None:
    assert parse_value("3") == (3, 3, 3)
    assert parse_value(" 2,5 [2–4] ") == (2.5, 2, 4)
    assert parse_value("4 [3-5]") == (4, 3, 5)
    with pytest.raises(ValueError, match="like '3'"):
        parse_value("drie")


def test_a_complete_current_record_has_no_problems_and_a_tally(tmp_path, flat) -> None:
    readings = read_record(record(tmp_path, FULL))
    assert len(readings) == 9
    assert record_problems(readings, flat) == []
    assert tally(readings) == {"agree": 7, "changed": 1, "kept": 1}


def test_missing_duplicate_stale_and_unreasoned_rows_are_named_with_their_line(
    tmp_path, flat
) -> None:
    rows = FULL.replace("| demo | c | efficientie | 0 | 0 | 000:1 | agree | |\n", "")
    rows = rows.replace("| demo | b | legitimiteit | 2 |", "| demo | b | legitimiteit | 3 |")
    rows = rows.replace("| kept | the paper says it varies |", "| kept | |")
    rows += "| demo | a | legitimiteit | 5 | 5 | 000:10 | agree | |\n"
    rows += "| demo | a | bestuurlijke_drukte | 4 [2–5] | 3 [2–4] | 000:940 | agree | |\n"
    rows += "| demo | z | efficientie | 1 | 1 | 000:1 | agree | |\n"
    problems = record_problems(read_record(record(tmp_path, rows)), flat)
    text = "\n".join(problems)
    assert "second-reading.md: demo/c/efficientie: missing" in text
    assert "second-reading.md:7: demo/a/legitimiteit: recorded 2 times" in text
    assert "second-reading.md:10: demo/b/legitimiteit: records ours as (3.0, 3.0, 3.0)" in text
    assert "second-reading.md:9: demo/a/efficientie: 'kept' needs a reason" in text
    assert "demo/z/efficientie: no such cell in the data" in text


def test_agree_must_mean_their_value_is_within_ours(tmp_path, flat) -> None:
    rows = FULL.replace("| 5 | 5 | 000:10–12 | agree |", "| 5 | 3 | 000:10–12 | agree |")
    problems = record_problems(read_record(record(tmp_path, rows)), flat)
    assert problems == [
        "second-reading.md:7: demo/a/legitimiteit: 'agree' but their value 3 is outside ours"
    ]


def test_a_malformed_row_names_its_line(tmp_path) -> None:
    with pytest.raises(RecordProblem, match=r"second-reading.md:7: outcome must be one of"):
        read_record(record(tmp_path, FULL.replace("| agree | |", "| maybe | |", 2)))
    with pytest.raises(RecordProblem, match=r"second-reading.md:7: expected a value"):
        read_record(record(tmp_path, FULL.replace("| 5 | 5 |", "| vijf | 5 |", 1)))
    with pytest.raises(RecordProblem, match=r"second-reading.md:7: expected 8 columns"):
        read_record(record(tmp_path, "| demo | a | legitimiteit | 5 |\n"))


def test_the_bundled_record_is_complete_current_and_rebuilt_from_the_readings() -> None:
    from afweging.loading import load_bundled
    from afweging.second_reading import RECORD, cells, load_decisions, load_raw, render_record

    bundle = load_bundled()
    readings = read_record()
    assert record_problems(readings, bundle) == []
    assert {r.cell for r in readings} == cells(bundle)
    assert RECORD.read_text(encoding="utf-8") == render_record(
        bundle, load_raw(), load_decisions()
    ), "run: python -m afweging reading --write"
    raw = load_raw()
    for r in readings:  # the record shows what the readers wrote
        assert r.theirs == (raw[r.cell].value, raw[r.cell].low, raw[r.cell].high)


def test_a_second_reader_s_lines_are_cited_by_document_title() -> None:
    """'000:77-85' is a line range of a seed file; the score card names the document those
    lines stand in (seeds/parts.yaml) instead of the file's number."""
    import yaml

    from afweging.content import seeds_dir
    from afweging.sources import SourceLibrary

    parts = yaml.safe_load((seeds_dir() / "parts.yaml").read_text(encoding="utf-8"))

    def title(name: str, line: int, lang: str) -> str:
        return next(
            p["title"][lang] for p in parts[name] if p["lines"][0] <= line <= p["lines"][1]
        )

    library = SourceLibrary()
    cited = library.cite_lines("000:77-85; 004:404", "nl")
    assert cited == (
        f"{title('000_bcdf0e76cff0fbf6.txt', 77, 'nl')}, regels 77–85; "
        f"{title('004_3ea9a635eee3fb07.txt', 404, 'nl')}, regel 404"
    )
    assert library.cite_lines("000:77-85", "en").endswith(", lines 77–85")
    # Not a reference to a known file: kept as written.
    assert library.cite_lines("zie 999:1-2 en p. 3", "nl") == "zie 999:1-2 en p. 3"
