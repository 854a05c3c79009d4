"""The workshop session as a printable HTML report: the house report plus the room's section.

Every text from outside (labels, the code) is escaped; the section sits right
under the report's header, so the first page shows what the room thought.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape as e

import plotly.graph_objects as go

from afweging import export
from afweging.model import Lang
from afweging.numbers import decimal, percent
from afweging.workshop.group import RoundComparison, interpret_w
from afweging.workshop.picture import GroupPicture
from afweging.workshop.sentences import (
    bridge_sentence,
    change_sentence,
    group_top,
    groups_sentence,
)

Translate = Callable[[str], str]


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A table from already escaped cells; columns in ``numeric`` align right."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class=num>{c}</td>" if j in numeric else f"<td>{c}</td>" for j, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def groups_section(
    picture: GroupPicture, tr: Translate, lang: Lang, labels: Mapping[str, str]
) -> str:
    """The opinion groups: size, mean weights and the top of each group's ranking."""
    g = picture.groups
    head = [
        e(tr("ws_opinion_group")),
        e(tr("ws_n")),
        *(e(labels.get(c, c)) for c in picture.criteria),
        e(tr("ws_group_top")),
    ]
    rows = [
        [
            e(tr("ws_group_name").format(letter=letter)),
            str(int(g.sizes[k])),
            *(percent(float(w), lang) for w in g.mean_weights[k]),
            e(group_top(picture, k, labels)),
        ]
        for k, letter in enumerate(g.letters)
    ]
    numeric = set(range(1, 2 + len(picture.criteria)))
    return (
        f"<h3>{e(tr('ws_groups_heading'))}</h3>"
        f"<p>{e(groups_sentence(picture, tr))} {e(bridge_sentence(picture, tr, labels))}</p>"
        + _table(head, rows, numeric)
        + f"<p class=note>{e(tr('ws_groups_rule'))}</p>"
    )


def session_section(
    picture: GroupPicture,
    tr: Translate,
    lang: Lang,
    *,
    code: str,
    round_no: int,
    labels: Mapping[str, str],
    change: RoundComparison | None = None,
) -> str:
    """The workshop part of the HTML report: the room's weights, ranking, groups, agreement."""
    s = picture.summary
    weights_rows = [
        [e(labels.get(c, c)), percent(s.mean_weights[j], lang), percent(s.median_weights[j], lang)]
        for j, c in enumerate(picture.criteria)
    ]
    mean, med = picture.mean_ranking, picture.median_ranking
    ids = picture.matrix.option_ids
    order = mean.best_first([labels.get(i, i) for i in ids])
    ranking_rows = [
        [
            str(int(mean.ranks[i])),
            e(labels.get(ids[i], ids[i])),
            decimal(mean.scores[i], lang),
            "" if med is None else str(int(med.ranks[i])),
            str(int(s.first_counts[i])),
        ]
        for i in order
    ]
    parts = [
        f'<section id="workshop"><h2>{e(tr("ws_report_heading"))}</h2>',
        f"<p>{e(tr('ws_report_meta').format(code=code, round=round_no, n=picture.n))}</p>",
        f"<p>{e(interpret_w(s.kendall_w, lang))}</p>",
        f"<h3>{e(tr('ws_group_weights'))}</h3>",
        _table([e(tr("ws_criterion")), e(tr("ws_mean")), e(tr("ws_median"))], weights_rows, {1, 2}),
        f"<h3>{e(tr('ws_group_ranking'))}</h3>",
        _table(
            [
                e(tr("ws_rank_mean")),
                e(tr("ws_option")),
                e(tr("ws_score_mean")),
                e(tr("ws_rank_median")),
                e(tr("ws_first_count")),
            ],
            ranking_rows,
            {0, 2, 3, 4},
        ),
        groups_section(picture, tr, lang, labels),
    ]
    if change is not None:
        parts.append(f"<p>{e(change_sentence(change, tr, lang))}</p>")
    parts.append(f"<p class=note>{e(tr('ws_report_anonymous'))}</p></section>")
    return "".join(parts)


def session_report(
    picture: GroupPicture,
    tr: Translate,
    *,
    lang: Lang,
    version: str,
    day: date,
    code: str,
    round_no: int,
    labels: Mapping[str, str],
    figures: Sequence[go.Figure] = (),
    change: RoundComparison | None = None,
    method: str = "",
    template: str = export.TEMPLATE,
    palette: Sequence[str] = export.DIVERGING,
    image_stem: str = "afweging-workshop",
) -> str:
    """The session as one self-contained, printable HTML report: the house report under
    the group's mean weights, with the workshop's section (agreement, groups, rounds) on top."""
    report = export.html_report(
        picture.matrix,
        picture.mean_ranking,
        tr,
        lang=lang,
        version=version,
        day=day,
        figures=figures,
        local=picture.mean_top(),
        method=method,
        template=template,
        palette=palette,
        image_stem=image_stem,
    )
    section = session_section(
        picture, tr, lang, code=code, round_no=round_no, labels=labels, change=change
    )
    head, sep, tail = report.partition("</header>")
    return head + sep + section + tail if sep else report


__all__ = ["groups_section", "session_report", "session_section"]
