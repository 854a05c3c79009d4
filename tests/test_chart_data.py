"""Every bar and line chart's data as a table beside it (its text alternative): read from
the figure, checked against the core's numbers, and sent only when opened."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled
from afweging.matrix import build_matrix, rank_with
from afweging_ui.i18n import t

from .test_app import open_tab, start


def to_number(cell: str) -> float:
    return float(cell.replace(".", "").replace(",", "."))


def data_table(at: AppTest, key: str) -> list[list[str]]:
    """Open the chart's data expander and read its Markdown table (header first)."""
    at.session_state[f"chart_data_{key}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    box = next(e for e in at.expander if e.label == t("chart_data", "nl"))
    text = "\n".join(m.value for m in box.markdown)
    lines = [line for line in text.splitlines() if line.startswith("|")]
    rows = [[c.strip().replace("\\", "") for c in line.strip("|").split(" | ")] for line in lines]
    return [rows[0], *rows[2:]]  # without the alignment row


@pytest.fixture(scope="module")
def core():
    bundle = load_bundled()
    matrix = build_matrix(bundle.case("sra"), bundle.criteria_set("kern"))
    return matrix, rank_with(matrix)


def test_a_closed_chart_table_sends_nothing() -> None:
    at = start()
    box = next(e for e in at.expander if e.label == t("chart_data", "nl"))
    assert not box.markdown and not box.table


def test_the_ranking_s_table_holds_each_option_s_contributions_and_total(core) -> None:
    matrix, ranking = core
    rows = data_table(start(), "chart_ranking")
    header = rows[0]
    assert header[0] == "Optie"
    assert header[1:-1] == [leaf.label.nl for leaf in matrix.leaves]
    assert header[-1] == t("overall_score_axis", "nl")
    labels = [o.label.nl for o in matrix.options]
    order = ranking.best_first(labels)
    assert [r[0] for r in rows[1:]] == [f"#{ranking.ranks[i]} {labels[i]}" for i in order]
    for row, i in zip(rows[1:], order, strict=True):
        for j in range(len(matrix.leaves)):
            assert to_number(row[1 + j]) == pytest.approx(ranking.contributions[i, j], abs=5e-4)
        assert to_number(row[-1]) == pytest.approx(ranking.scores[i], abs=5e-3)
        assert not re.search(r"\d\.\d", " ".join(row[1:])), row  # decimal commas


def test_the_profile_s_table_holds_every_value_by_criterion(core) -> None:
    matrix, _ranking = core
    at = open_tab(start(), "tab_profile")
    rows = data_table(at, "chart_profile")
    assert rows[0] == ["Criterium", *[o.label.nl for o in matrix.options]]
    assert [r[0] for r in rows[1:]] == [leaf.label.nl for leaf in matrix.leaves]
    for j, row in enumerate(rows[1:]):
        for i in range(len(matrix.options)):
            assert to_number(row[1 + i]) == pytest.approx(matrix.values[i, j], abs=5e-4)
