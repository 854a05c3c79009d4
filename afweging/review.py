"""The review table: every score of a case at a glance, in Markdown.

A reader checks the whole picture here: value, scale label, uncertainty range
and basis (B = bron, a source states it; A = afgeleid, our judgement).
"""

from __future__ import annotations

from afweging.analysis import Matrix
from afweging.model import Lang


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def review_table(matrix: Matrix, lang: Lang = "nl", version: str = "") -> str:
    """Options by leaf criteria, with value, label, range and basis in each cell."""
    case, cset = matrix.case, matrix.criteria_set
    head = [
        f"### {_cell(case.label.get(lang))} | {_cell(cset.label.get(lang))}",
        "",
        "Cell: value, scale label, [range], B = bron (stated in a source) or "
        "A = afgeleid (derived by us). Direction: ↑ higher is better, ↓ lower is better."
        + (f" Data version {version}." if version else ""),
        "",
    ]
    columns = [
        f"{_cell(c.label.get(lang))} ({'↑' if c.higher_is_better else '↓'})" for c in matrix.leaves
    ]
    lines = ["| Option | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for option in matrix.options:
        cells = []
        for criterion in matrix.leaves:
            score = option.scores[criterion.id]
            label = criterion.scale.label(score.value) if criterion.scale else ""
            text = f"{score.value:g} {label}".strip()
            if score.range:
                text += f" [{score.range[0]:g}–{score.range[1]:g}]"
            text += " B" if score.basis == "bron" else " A"
            cells.append(_cell(text))
        lines.append(f"| {_cell(option.label.get(lang))} | " + " | ".join(cells) + " |")
    return "\n".join(head + lines)
