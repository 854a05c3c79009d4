"""The workshop session as a printable HTML report: the house report plus the room's section.

The template ``templates/workshop_report.html.j2`` extends the house report's and puts
the room's section right under its header, so the first page shows what the room
thought. Like the house report it is autoescaped: every text from outside (labels, the
code) is shown as text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from afweging.model import Lang
from afweging.numbers import decimal, percent
from afweging.report import ReportOptions, report_context
from afweging.templating import render
from afweging.workshop.group import RoundComparison, interpret_w
from afweging.workshop.picture import GroupPicture
from afweging.workshop.sentences import (
    bridge_sentence,
    change_sentence,
    group_top,
    groups_sentence,
)

Translate = Callable[[str], str]


@dataclass(frozen=True)
class Table:
    """A table of text cells; the columns in ``numeric`` align right."""

    head: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int]


@dataclass(frozen=True)
class Section:
    """The room's section: agreement, weights, ranking, opinion groups, the rounds' change."""

    meta: str
    agreement: str
    weights: Table
    ranking: Table
    groups_text: str
    groups: Table
    change: str | None


def _groups_table(
    picture: GroupPicture, tr: Translate, lang: Lang, labels: Mapping[str, str]
) -> Table:
    """The opinion groups: size, mean weights and the top of each group's ranking."""
    g = picture.groups
    head = [
        tr("ws_opinion_group"),
        tr("ws_n"),
        *(labels.get(c, c) for c in picture.criteria),
        tr("ws_group_top"),
    ]
    rows = [
        [
            tr("ws_group_name").format(letter=letter),
            str(int(g.sizes[k])),
            *(percent(float(w), lang) for w in g.mean_weights[k]),
            group_top(picture, k, labels),
        ]
        for k, letter in enumerate(g.letters)
    ]
    return Table(head, rows, frozenset(range(1, 2 + len(picture.criteria))))


def _ranking_table(
    picture: GroupPicture, tr: Translate, lang: Lang, labels: Mapping[str, str]
) -> Table:
    """The ranking under the mean weights, with the median weights' rank and first places."""
    s, mean, med = picture.summary, picture.mean_ranking, picture.median_ranking
    ids = picture.matrix.option_ids
    rows = [
        [
            str(int(mean.ranks[i])),
            labels.get(ids[i], ids[i]),
            decimal(mean.scores[i], lang),
            "" if med is None else str(int(med.ranks[i])),
            str(int(s.first_counts[i])),
        ]
        for i in mean.best_first([labels.get(i, i) for i in ids])
    ]
    keys = ("ws_rank_mean", "ws_option", "ws_score_mean", "ws_rank_median", "ws_first_count")
    return Table([tr(k) for k in keys], rows, frozenset({0, 2, 3, 4}))


def session_section(
    picture: GroupPicture,
    tr: Translate,
    lang: Lang,
    *,
    code: str,
    round_no: int,
    labels: Mapping[str, str],
    change: RoundComparison | None = None,
) -> Section:
    """What the workshop's section of the report shows."""
    s = picture.summary
    weights_rows = [
        [labels.get(c, c), percent(s.mean_weights[j], lang), percent(s.median_weights[j], lang)]
        for j, c in enumerate(picture.criteria)
    ]
    weights_head = [tr("ws_criterion"), tr("ws_mean"), tr("ws_median")]
    return Section(
        meta=tr("ws_report_meta").format(code=code, round=round_no, n=picture.n),
        agreement=interpret_w(s.kendall_w, lang),
        weights=Table(weights_head, weights_rows, frozenset({1, 2})),
        ranking=_ranking_table(picture, tr, lang, labels),
        groups_text=f"{groups_sentence(picture, tr)} {bridge_sentence(picture, tr, labels)}",
        groups=_groups_table(picture, tr, lang, labels),
        change=None if change is None else change_sentence(change, tr, lang),
    )


def session_report(
    picture: GroupPicture,
    tr: Translate,
    options: ReportOptions,
    *,
    code: str,
    round_no: int,
    labels: Mapping[str, str],
    change: RoundComparison | None = None,
) -> str:
    """The session as one self-contained, printable HTML report: the house report under
    the group's mean weights (whatever ``options.local`` says), with the workshop's
    section (agreement, groups, rounds) on top."""
    options = replace(options, local=picture.mean_top())
    context = report_context(picture.matrix, picture.mean_ranking, tr, options)
    section = session_section(
        picture, tr, options.lang, code=code, round_no=round_no, labels=labels, change=change
    )
    return render("workshop_report.html.j2", **context, workshop=section)


__all__ = ["Section", "Table", "session_report", "session_section"]
