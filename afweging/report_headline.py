"""The report's header: the outcome in one sentence, the source's own verdict, and how
much of page 1 they leave for the ranking chart.

Sentences are runs of text, bold or not (:data:`Run`), so the template escapes every
word and only ``**bold**`` in a translation becomes markup.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence

from afweging.loading import bundled_criteria_sets
from afweging.matrix import Matrix, Ranking
from afweging.model import Criterion, Lang
from afweging.numbers import decimal
from afweging.svgchart import char_width, text_width
from afweging.verdict import verdict, verdict_sentences

Translate = Callable[[str], str]
Run = tuple[str, bool]  # text, bold

#: A4's text area with 15 mm margins, in points (what the page-1 estimate counts in).
AREA_PT = (180 * 72 / 25.4, 267 * 72 / 25.4)
#: The least the ranking chart is printed at, however long the headline above it.
LEAD_CHART_MIN_MM = 90


def _merged(runs: Sequence[Run]) -> list[Run]:
    """Neighbouring runs of the same weight as one (one ``<b>`` a bold stretch)."""
    out: list[Run] = []
    for text, bold in runs:
        if not text:
            continue
        if out and out[-1][1] == bold:
            out[-1] = (out[-1][0] + text, bold)
        else:
            out.append((text, bold))
    return out


def rich(template: str, **fields: Sequence[Run]) -> list[Run]:
    """A translated sentence as runs: ``**bold**`` in it made bold, and the fields (runs
    of their own) put in afterwards, so no label can make itself bold."""
    marks = {k: f"\0{k}\0" for k in fields}
    runs: list[Run] = []
    for k, part in enumerate(re.split(r"\*\*(.+?)\*\*", template.format(**marks))):
        bold = k % 2 == 1
        for j, piece in enumerate(part.split("\0")):
            if j % 2:
                runs += [(text, bold or b) for text, b in fields[piece]]
            else:
                runs.append((piece, bold))
    return _merged(runs)


def winner(matrix: Matrix, ranking: Ranking, t: Translate, lang: Lang) -> list[Run]:
    """The outcome in one sentence, as the explore page puts it: who comes first (options
    that tie are named together, by label), and who comes next."""
    by_id = {o.id: o.label.get(lang) for o in matrix.options}
    labels = [by_id.get(i, i) for i in ranking.option_ids]
    order = ranking.best_first(labels)
    firsts = [i for i in order if ranking.ranks[i] == 1]
    rest = [i for i in order if ranking.ranks[i] != 1]
    seconds = [i for i in rest if ranking.ranks[i] == ranking.ranks[rest[0]]] if rest else []

    def names(indices: list[int], bold: bool) -> list[Run]:
        items = [(labels[i], bold) for i in indices]
        if len(items) < 2:
            return items
        commas = [run for item in items[:-1] for run in (item, (", ", False))][:-1]
        return [*commas, (t("and_last"), False), items[-1]]

    def score(i: int) -> list[Run]:
        return [(decimal(float(ranking.scores[i]), lang, 2), False)]

    if len(firsts) > 1:
        runs = rich(t("summary_tie"), names=names(firsts, True), score=score(firsts[0]))
    else:
        runs = rich(t("summary_first"), name=[(labels[firsts[0]], False)], score=score(firsts[0]))
    if seconds:
        key = "summary_followed_many" if len(seconds) > 1 else "summary_followed"
        runs += [(" ", False), *rich(t(key), names=names(seconds, False), score=score(seconds[0]))]
    return _merged(runs)


@functools.cache
def _bundled_criteria() -> tuple[Criterion, ...]:
    """Every criterion of the bundled criteria sets (read once per process)."""
    return tuple(c for s in bundled_criteria_sets() for c in s.walk())


def verdict_text(matrix: Matrix, ranking: Ranking, t: Translate, lang: Lang) -> str | None:
    """The source's own choice and whether this ranking agrees (None without one)."""
    result = verdict(matrix, ranking)
    if result is None:
        return None
    labels = {o.id: o.label.get(lang) for o in matrix.case.options}
    labels |= {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    if any(m.criterion and m.criterion not in labels for m in result.missing):
        # a ground outside this set is named as the set that has it names it, not by its id
        others = {c.id: c.label.get(lang) for c in _bundled_criteria()}
        labels = others | labels

    def tr(key: str, _lang: str, **fields: object) -> str:
        return t(key).format(**fields)

    return " ".join(verdict_sentences(result, labels, lang, tr))


def _set_lines(pieces: Sequence[str], size_pt: float, bold: bool = False) -> int:
    """How many lines text takes across the text width of an A4 page (greedy breaks,
    Helvetica's widths: the report prints in Arial or a font with its metrics). The text
    comes in ``pieces`` as the markup splits it: a word never runs across two pieces."""
    words = [word for piece in pieces for word in piece.split()]
    space, lines, used = char_width(" ") * size_pt / 1000, 1, 0.0
    for word in words:
        w = text_width([(word, bold, False)], size_pt)
        if used and used + space + w > AREA_PT[0]:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0.0) + w
    return lines


def lead_room_mm(title: str, meta: str, headline: Sequence[Sequence[str]]) -> float:
    """How tall the ranking chart may print to share page 1 with the header: the text
    area less the title, meta line, headline paragraphs (each in pieces, see
    :func:`_set_lines`) and the ranking's heading, as the print style sets them (line
    height 1.4, margins collapsed), and two lines to spare."""
    used = _set_lines([title], 18, bold=True) * 18 * 1.4 + 4  # h1
    used += _set_lines([meta], 10 * 1.1) * 14 + 8  # code and bold labels run wider
    sizes = (12, *([10] * (len(headline) - 1)))
    used += sum(
        _set_lines(p, size) * size * 1.4 + 4 for p, size in zip(headline, sizes, strict=True)
    )
    used += 16 + 14 * 1.4 + 1 + 6 + 6 + 6  # the ranking's h2 and the figure's margins
    room = (AREA_PT[1] - used - 14 * 2) * 25.4 / 72
    return max(LEAD_CHART_MIN_MM, math.floor(room))


__all__ = ["LEAD_CHART_MIN_MM", "Run", "lead_room_mm", "rich", "verdict_text", "winner"]
