"""What the report's tables and sections show, as plain values for its template.

Numbers are formatted here (decimal commas in Dutch); labels and texts stay as written,
since the template escapes them. Quotes are located in their documents as the
rationales are built (:class:`Citations`), so the sources section lists what was cited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from afweging.matrix import Matrix, Ranking
from afweging.model import Criterion, Lang
from afweging.numbers import number, percent
from afweging.palette import DIVERGING, INK
from afweging.sources import SourceLibrary, collapse

Changed = Mapping[tuple[str, str], float]


def with_label(c: Criterion, value: float, lang: Lang) -> str:
    """A value with its scale's label, as ``5 (++)``."""
    label = c.scale.label(value) if c.scale else ""
    return f"{number(value, lang)} ({label})" if label else number(value, lang)


# --- ranking and weights ------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    rank: int
    label: str
    score: str


def ranking_rows(matrix: Matrix, ranking: Ranking, lang: Lang) -> list[RankRow]:
    """The options best first, with their rank and score."""
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    return [
        RankRow(
            int(ranking.ranks[r]),
            labels[ranking.option_ids[r]],
            number(round(float(ranking.scores[r]), 3), lang),
        )
        for r in ranking.best_first()
    ]


@dataclass(frozen=True)
class WeightRow:
    label: str
    depth: int  # how far the criterion is indented: its level in the tree
    leaf: bool
    local: str
    glob: str


def weight_rows(
    matrix: Matrix, local: Mapping[str, float], glob: Mapping[str, float], lang: Lang
) -> list[WeightRow]:
    """Every criterion in tree order, with its weight within its group and in the whole."""
    rows: list[WeightRow] = []

    def walk(criteria: Sequence[Criterion], depth: int) -> None:
        for c in criteria:
            rows.append(
                WeightRow(
                    c.label.get(lang),
                    depth,
                    c.is_leaf,
                    percent(local[c.id], lang, 1),
                    percent(glob[c.id], lang, 1),
                )
            )
            walk(c.criteria or [], depth + 1)

    walk(matrix.criteria_set.criteria, 0)
    return rows


# --- the score card -----------------------------------------------------------------------


def swatch_style(goodness: float) -> str:
    """The cell colour of a score that is ``goodness`` (0 worst, 1 best) of its scale,
    with the ink that reads on it."""
    k = min(len(DIVERGING) - 1, max(0, round(goodness * (len(DIVERGING) - 1))))
    ink = "white" if k in (0, len(DIVERGING) - 1) else INK
    return f"background:{DIVERGING[k]};color:{ink}"


@dataclass(frozen=True)
class CardColumn:
    label: str
    scale: str | None  # "0–10"
    higher: bool  # higher is better


@dataclass(frozen=True)
class Cell:
    text: str
    style: str
    sourced: str | None  # the source's value, where a what-if changed it


@dataclass(frozen=True)
class CardRow:
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Swatch:
    style: str
    name: str | None


@dataclass(frozen=True)
class ScoreCard:
    columns: list[CardColumn]
    rows: list[CardRow]
    legend: list[Swatch]
    changed: bool


def _card_row(matrix: Matrix, i: int, changed: Changed, lang: Lang) -> CardRow:
    option = matrix.options[i]
    cells = []
    for j, c in enumerate(matrix.leaves):
        sourced = None
        if (option.id, c.id) in changed:
            sourced = with_label(c, option.scores[c.id].value, lang)
        text = with_label(c, float(matrix.raw[i, j]), lang)
        cells.append(Cell(text, swatch_style(float(matrix.values[i, j])), sourced))
    return CardRow(option.label.get(lang), cells)


def score_card(
    matrix: Matrix, ranking: Ranking, changed: Changed, names: Sequence[str], lang: Lang
) -> ScoreCard:
    """Options best first by criteria, each cell coloured by how good it is; ``names``
    are the legend's words for bad, neutral and good."""
    columns = [
        CardColumn(
            c.label.get(lang),
            f"{number(c.scale.min, lang)}–{number(c.scale.max, lang)}" if c.scale else None,
            c.higher_is_better,
        )
        for c in matrix.leaves
    ]
    rows = [
        _card_row(matrix, matrix.option_ids.index(ranking.option_ids[r]), changed, lang)
        for r in ranking.best_first()
    ]
    n = len(DIVERGING)
    named = dict(zip((0, n // 2, n - 1), names, strict=True))
    legend = [Swatch(swatch_style(k / (n - 1)), named.get(k)) for k in range(n)]
    return ScoreCard(columns, rows, legend, bool(changed))


# --- rationales and sources ---------------------------------------------------------------


class Citations:
    """Quotes located in their documents, remembered for the sources section."""

    def __init__(self, library: SourceLibrary) -> None:
        self.library = library
        self.lines: dict[str, set[int]] = {}

    def cite(self, source: str, quote: str) -> int | None:
        lines = self.lines.setdefault(source, set())
        document = self.library.document(source)
        found = document.locate(quote) if document else None
        if found is None:
            return None
        lines.add(found.line)
        return found.line

    def mention(self, source: str) -> None:
        self.lines.setdefault(source, set())


@dataclass(frozen=True)
class Quote:
    text: str
    document: str
    line: int | None  # None: not found in the document


@dataclass(frozen=True)
class ScoreNote:
    label: str
    value: str
    sourced: str | None  # the source's value, where a what-if changed it
    range: tuple[str, str] | None
    basis: str
    rationale: str
    quotes: list[Quote]


@dataclass(frozen=True)
class Described:
    file: str
    part: str


@dataclass(frozen=True)
class OptionNote:
    rank: int
    label: str
    summary: str
    source: Described | None
    scores: list[ScoreNote]


def _score_note(
    matrix: Matrix, i: int, j: int, changed: Changed, citations: Citations, lang: Lang
) -> ScoreNote:
    option, c = matrix.options[i], matrix.leaves[j]
    score = option.scores[c.id]
    quotes = []
    for ev in score.evidence:
        line = citations.cite(ev.source, ev.quote)
        document = citations.library.title(ev.source, line, lang)
        quotes.append(Quote(collapse(ev.quote).strip(), document, line))
    return ScoreNote(
        c.label.get(lang),
        with_label(c, float(matrix.raw[i, j]), lang),
        with_label(c, score.value, lang) if (option.id, c.id) in changed else None,
        (number(score.range[0], lang), number(score.range[1], lang)) if score.range else None,
        score.basis,
        score.rationale.get(lang),
        quotes,
    )


def rationales(
    matrix: Matrix, ranking: Ranking, changed: Changed, citations: Citations, lang: Lang
) -> list[OptionNote]:
    """Per option, best first: its summary, where it is described, and per criterion the
    value, range, basis, rationale and quotes (located, so the sources can cite lines)."""
    out = []
    for r in ranking.best_first():
        i = matrix.option_ids.index(ranking.option_ids[r])
        option = matrix.options[i]
        source = None
        if option.source:
            citations.mention(option.source.file)
            source = Described(option.source.file, option.source.part)
        scores = [
            _score_note(matrix, i, j, changed, citations, lang) for j in range(len(matrix.leaves))
        ]
        label, summary = option.label.get(lang), option.summary.get(lang)
        out.append(OptionNote(int(ranking.ranks[r]), label, summary, source, scores))
    return out


@dataclass(frozen=True)
class SourceItem:
    title: str
    file: str
    lines: list[int]


def sources(matrix: Matrix, citations: Citations, lang: Lang) -> list[SourceItem]:
    """Every document cited, by its title, with the lines cited and the file it is in."""
    if matrix.case.source:
        citations.mention(matrix.case.source.file)
    items = []
    for name in sorted(citations.lines):
        cited = sorted(citations.lines[name])
        groups = [
            (part.title(lang), [x for x in cited if part.first <= x <= part.last])
            for part in citations.library.parts(name)
        ]
        groups = [(title, lines) for title, lines in groups if lines]
        if not groups:
            case_source = matrix.case.source
            title = case_source.title if case_source and case_source.file == name else name
            groups = [(title, cited)]
        items += [SourceItem(title, name, lines) for title, lines in groups]
    return items
