"""The one Markdown escaper and the tables built with it: data text never becomes markup."""

from __future__ import annotations

import re

import pytest

from afweging.markdown import SPECIAL, plain, table

#: A cell boundary: a pipe not escaped by a backslash.
CELL = re.compile(r"(?<!\\)\|")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def cells(line: str) -> list[str]:
    return [unescape(c.strip()) for c in CELL.split(line)[1:-1]]


def test_every_special_character_is_escaped_and_nothing_else() -> None:
    text = "1. Verplicht <b>vet</b> *x* | $5 :smile: a_b"
    out = plain(text)
    assert unescape(out) == text
    assert all(out[i - 1] == "\\" for i, ch in enumerate(out) if ch in SPECIAL and ch != "\\")
    assert plain("Gemeente Zaanstad") == "Gemeente Zaanstad"


def test_a_table_keeps_its_columns_whatever_the_cells_hold() -> None:
    rows = [
        (1, "A | B", "0,667"),
        (2, "line\nbreak", "-0,5"),
        (3, "<script>x</script> **bold**", "1"),
    ]
    lines = table(("Plaats", "Optie", "Score"), rows, "rlr").splitlines()
    assert len(lines) == 2 + len(rows)
    assert cells(lines[0]) == ["Plaats", "Optie", "Score"]
    assert lines[1] == "| ---: | :--- | ---: |"
    assert [cells(x) for x in lines[2:]] == [
        ["1", "A | B", "0,667"],
        ["2", "line break", "-0,5"],
        ["3", "<script>x</script> **bold**", "1"],
    ]
    # No markup survives unescaped: every '<', '*' and '|' inside a cell has its backslash.
    assert not re.search(r"(?<!\\)[<*]", "\n".join(lines[2:]))


def test_a_table_refuses_a_wrong_shape() -> None:
    with pytest.raises(ValueError, match="one of l, r, c per column"):
        table(("a", "b"), [], "l")
    with pytest.raises(ValueError, match="one of l, r, c per column"):
        table(("a",), [], "x")
    with pytest.raises(ValueError, match="a row has 1 cells, the header 2"):
        table(("a", "b"), [("x",)], "ll")
