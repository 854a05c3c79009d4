"""The workshop's group picture, computed from stored weights with the core (no streamlit).

Participants weigh the *top-level* criteria of the session's criteria set: for a
flat set these are all criteria, for a value tree its main branches, with the
weights inside each branch kept at the set's defaults. Twelve sliders on a phone
in a busy room are too many, and the projector's pictures (the weight triangle,
the box plots) read best over a handful of main criteria. Each top-level
criterion's value is then the default-weighted sum of its leaves, so ranking on
those values with the top-level weights gives exactly the core's ranking with
:func:`afweging.weights.leaf_weights`.
"""

from __future__ import annotations

import csv
import html
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import plotly.graph_objects as go

from afweging import export
from afweging.analysis import Matrix, Ranking, rank
from afweging.model import CriteriaSet, Criterion, Lang
from afweging.regions import aggregate_groups
from afweging.scoring import FloatArray, competition_ranks
from afweging.smaa import WeightSet, smaa
from afweging.weights import leaf_weights, local_weights, rank_order_centroid
from afweging.workshop.group import (
    GroupSummary,
    RoundComparison,
    compare_rounds,
    interpret_w,
    summarise,
)

Translate = Callable[[str], str]

#: Slider range on the phone: whole steps from 0 (does not count) to 10.
SLIDER_MAX = 10
SLIDER_DEFAULT = 5


def weighable_criteria(cset: CriteriaSet) -> list[Criterion]:
    """The criteria participants weigh: the top level of the set (all of a flat set)."""
    return list(cset.criteria)


def leaf_weights_for(cset: CriteriaSet, top: Mapping[str, float]) -> FloatArray:
    """Global leaf weights from top-level weights, the weights below kept at their defaults."""
    return leaf_weights(cset, dict(top))


def weighable_values(matrix: Matrix) -> FloatArray:
    """``(options, top-level criteria)`` values: each branch's default-weighted leaf values."""
    cset = matrix.criteria_set
    tops = weighable_criteria(cset)
    if all(c.is_leaf for c in tops):
        return matrix.values
    local = local_weights(cset)
    by_id: dict[str, tuple[float, int]] = {}
    for g, top in enumerate(tops):
        for leaf, weight in _leaves_below(top, 1.0, local):
            by_id[leaf.id] = (weight, g)
    order = [c.id for c in matrix.leaves]
    return aggregate_groups(
        matrix.values, [by_id[i][0] for i in order], [by_id[i][1] for i in order]
    )


def _leaves_below(
    node: Criterion, above: float, local: Mapping[str, float]
) -> list[tuple[Criterion, float]]:
    """Leaves under ``node`` with the product of local weights below ``node``."""
    if node.is_leaf:
        return [(node, above)]
    out: list[tuple[Criterion, float]] = []
    for child in node.criteria or []:
        out += _leaves_below(child, above * local[child.id], local)
    return out


def rank_weights(ranks: Mapping[str, int]) -> dict[str, float]:
    """Rank-order-centroid weights (1 = most important; ties share) by criterion id."""
    ids = list(ranks)
    return dict(zip(ids, map(float, rank_order_centroid([ranks[i] for i in ids])), strict=True))


def ranks_from_weights(weights: Mapping[str, float]) -> dict[str, int]:
    """Back from stored weights to the ranks that gave them (a phone that reloads)."""
    ids = list(weights)
    ranks = competition_ranks(np.array([weights[i] for i in ids], dtype=float))
    return {i: int(r) for i, r in zip(ids, ranks, strict=True)}


@dataclass(frozen=True, eq=False)
class GroupPicture:
    """Everything the projector shows for one round of submitted weights."""

    matrix: Matrix
    criteria: tuple[str, ...]  # the weighable (top-level) criterion ids
    values: FloatArray  # (options, criteria) on the weighable criteria
    summary: GroupSummary
    mean_ranking: Ranking
    median_ranking: Ranking | None  # None when every median weight is 0
    acceptability: FloatArray  # (options, ranks): share of participants per rank

    @property
    def n(self) -> int:
        """How many submissions the picture rests on."""
        return self.summary.n_participants

    def mean_top(self) -> dict[str, float]:
        """The mean weights by weighable criterion id."""
        return dict(zip(self.criteria, map(float, self.summary.mean_weights), strict=True))


def group_picture(matrix: Matrix, weights: Sequence[Mapping[str, float]]) -> GroupPicture:
    """The group picture of one round; ``weights`` are the stored dicts (at least one)."""
    cset = matrix.criteria_set
    ids = tuple(c.id for c in weighable_criteria(cset))
    values = weighable_values(matrix)
    summary = summarise(weights, values, ids, matrix.option_ids)
    mean_ranking = rank(
        matrix, leaf_weights_for(cset, dict(zip(ids, summary.mean_weights, strict=True)))
    )
    median = summary.median_weights
    median_ranking = (
        None
        if not np.all(np.isfinite(median))
        else rank(matrix, leaf_weights_for(cset, dict(zip(ids, median, strict=True))))
    )
    # Every participant's vector exactly once, fixed scores: the share of the room
    # that puts each option at each rank (ties split fractionally).
    result = smaa(values, WeightSet(summary.weights), n_samples=summary.n_participants, seed=0)
    return GroupPicture(
        matrix=matrix,
        criteria=ids,
        values=values,
        summary=summary,
        mean_ranking=mean_ranking,
        median_ranking=median_ranking,
        acceptability=result.acceptability,
    )


def comparison(before: GroupPicture, after: GroupPicture) -> RoundComparison:
    """How the room moved between two rounds."""
    return compare_rounds(before.summary, after.summary)


@dataclass(frozen=True)
class BreakdownRow:
    """One municipality's (or role's) share of the room."""

    group: str | None  # None: not given
    n: int
    mean_weights: dict[str, float]
    first: tuple[str, ...]  # option ids first under this group's mean weights


def breakdown(picture: GroupPicture, groups: Sequence[str | None]) -> list[BreakdownRow]:
    """Mean weights and the winning option per group; ``groups`` runs along the submissions."""
    if len(groups) != picture.n:
        raise ValueError(f"groups: expected one per submission ({picture.n}), got {len(groups)}")
    names = sorted({g for g in groups if g is not None}, key=str.casefold)
    if any(g is None for g in groups):
        names.append(None)  # type: ignore[arg-type]
    out = []
    for name in names:
        rows = [i for i, g in enumerate(groups) if g == name]
        mean = picture.summary.weights[rows].mean(axis=0)
        mean = mean / mean.sum()
        scores = picture.values @ mean
        ranks = competition_ranks(scores)
        first = tuple(o for o, r in zip(picture.matrix.option_ids, ranks, strict=True) if r == 1)
        out.append(
            BreakdownRow(
                group=name,
                n=len(rows),
                mean_weights=dict(zip(picture.criteria, map(float, mean), strict=True)),
                first=first,
            )
        )
    return out


def participant_points(
    picture: GroupPicture, axes: Sequence[int]
) -> list[tuple[float, float, float]]:
    """Each participant as a point on the weight triangle over ``axes`` (skipped if all 0)."""
    out = []
    for row in picture.summary.weights:
        part = row[list(axes)]
        total = float(part.sum())
        if total > 0:
            a, b, c = (float(x) / total for x in part)
            out.append((a, b, c))
    return out


# --------------------------------------------------------------------------- exports


def group_csv(picture: GroupPicture, lang: Lang, labels: Mapping[str, str]) -> str:
    """The group result as tidy CSV (table, id, label, measure, value), formula-safe.

    One long table instead of several wide ones, so it reads back with one call in
    any spreadsheet or pandas, and the weights and the ranking sit in one file.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "id", "label", "measure", "value"])
    s = picture.summary

    def row(table: str, item: str, measure: str, value: object) -> None:
        cells = [table, item, labels.get(item, item), measure, value]
        writer.writerow([export.csv_safe(c) for c in cells])

    sd = np.std(s.weights, axis=0)
    q75, q25 = np.percentile(s.weights, [75, 25], axis=0)
    for j, cid in enumerate(picture.criteria):
        row("weights", cid, "mean", repr(float(s.mean_weights[j])))
        row("weights", cid, "median", repr(float(s.median_weights[j])))
        row("weights", cid, "iqr", repr(float(q75[j] - q25[j])))
        row("weights", cid, "sd", repr(float(sd[j])))
    for i, oid in enumerate(picture.matrix.option_ids):
        row("ranking", oid, "rank_mean_weights", int(picture.mean_ranking.ranks[i]))
        row("ranking", oid, "score_mean_weights", repr(float(picture.mean_ranking.scores[i])))
        if picture.median_ranking is not None:
            row("ranking", oid, "rank_median_weights", int(picture.median_ranking.ranks[i]))
            row(
                "ranking",
                oid,
                "score_median_weights",
                repr(float(picture.median_ranking.scores[i])),
            )
        row("ranking", oid, "first_place_count", int(s.first_counts[i]))
        for r in range(picture.acceptability.shape[1]):
            row("acceptability", oid, f"rank_{r + 1}", repr(float(picture.acceptability[i, r])))
    w = s.kendall_w
    row("agreement", "kendall_w", "W", "" if math.isnan(w) else repr(float(w)))
    row("agreement", "kendall_w", "participants", s.n_participants)
    del lang
    return out.getvalue()


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:")


def md_plain(text: str) -> str:
    """Backslash-escape markdown so a label in ``st.table`` shows as typed ("1." stays text)."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def score_text(x: float, lang: Lang) -> str:
    """A score with three decimals, decimal comma in Dutch."""
    return _num(x, lang)


def _pct(x: float, lang: Lang) -> str:
    text = f"{100 * x:.0f}%"
    return text if lang == "en" else text.replace(".", ",")


def _num(x: float, lang: Lang) -> str:
    text = f"{x:.3f}"
    return text if lang == "en" else text.replace(".", ",")


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
    """The workshop part of the HTML report: the room's weights, ranking and agreement."""
    e = html.escape
    s = picture.summary
    medians = ["" if math.isnan(x) else _pct(x, lang) for x in s.median_weights]
    weights_rows = "".join(
        f"<tr><td>{e(labels.get(c, c))}</td><td class=num>{_pct(s.mean_weights[j], lang)}</td>"
        f"<td class=num>{medians[j]}</td></tr>"
        for j, c in enumerate(picture.criteria)
    )
    order = np.lexsort((np.arange(len(picture.mean_ranking.scores)), -picture.mean_ranking.scores))
    med = picture.median_ranking
    ranking_rows = "".join(
        f"<tr><td class=num>{int(picture.mean_ranking.ranks[i])}</td>"
        f"<td>{e(labels.get(oid, oid))}</td>"
        f"<td class=num>{_num(picture.mean_ranking.scores[i], lang)}</td>"
        f"<td class=num>{'' if med is None else int(med.ranks[i])}</td>"
        f"<td class=num>{int(s.first_counts[i])}</td></tr>"
        for i in order
        for oid in [picture.matrix.option_ids[i]]
    )
    parts = [
        f'<section id="workshop"><h2>{e(tr("ws_report_heading"))}</h2>',
        f"<p>{e(tr('ws_report_meta').format(code=code, round=round_no, n=picture.n))}</p>",
        f"<p>{e(interpret_w(s.kendall_w, lang))}</p>",
        f"<h3>{e(tr('ws_group_weights'))}</h3>",
        f"<table><thead><tr><th>{e(tr('ws_criterion'))}</th><th>{e(tr('ws_mean'))}</th>"
        f"<th>{e(tr('ws_median'))}</th></tr></thead><tbody>{weights_rows}</tbody></table>",
        f"<h3>{e(tr('ws_group_ranking'))}</h3>",
        f"<table><thead><tr><th>{e(tr('ws_rank_mean'))}</th><th>{e(tr('ws_option'))}</th>"
        f"<th>{e(tr('ws_score_mean'))}</th><th>{e(tr('ws_rank_median'))}</th>"
        f"<th>{e(tr('ws_first_count'))}</th></tr></thead><tbody>{ranking_rows}</tbody></table>",
    ]
    if change is not None:
        parts.append(f"<p>{e(change_sentence(change, tr, lang))}</p>")
    parts.append(f"<p class=note>{e(tr('ws_report_anonymous'))}</p></section>")
    return "".join(parts)


def change_sentence(change: RoundComparison, tr: Translate, lang: Lang) -> str:
    """Plain words on the move between rounds: spread of weights, agreement, ranking."""
    sd_before, sd_after = float(np.mean(change.sd_before)), float(np.mean(change.sd_after))
    spread_key = "ws_converged" if sd_after < sd_before - 1e-9 else "ws_not_converged"
    w_b, w_a = change.w_before, change.w_after

    def w_text(w: float) -> str:
        return "–" if math.isnan(w) else _num(w, lang)[:-1]

    parts = [
        tr(spread_key).format(before=_pct(sd_before, lang), after=_pct(sd_after, lang)),
        tr("ws_w_change").format(before=w_text(w_b), after=w_text(w_a)),
        tr("ws_ranking_changed" if change.ranking_changed else "ws_ranking_same"),
    ]
    return " ".join(parts)


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
    the group's mean weights, with the workshop's section (agreement, rounds) on top."""
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


__all__ = [
    "SLIDER_DEFAULT",
    "SLIDER_MAX",
    "BreakdownRow",
    "GroupPicture",
    "breakdown",
    "change_sentence",
    "comparison",
    "group_csv",
    "group_picture",
    "leaf_weights_for",
    "md_plain",
    "participant_points",
    "rank_weights",
    "ranks_from_weights",
    "score_text",
    "session_report",
    "session_section",
    "weighable_criteria",
    "weighable_values",
]
