"""The workshop's downloads: every submission, and the group result, as spreadsheet files.

Both are written by :mod:`afweging.spreadsheet`, so a double click opens them
correctly in a Dutch Excel (``;``, decimal commas, a byte order mark) and no cell
can run as a formula. Participants appear as "Deelnemer <n>" unless the session
shows names. The opinion group of each submission is the one the projector
showed for its round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

from afweging import spreadsheet
from afweging.model import Lang
from afweging.workshop.group import weight_matrix
from afweging.workshop.opinion_groups import find_groups
from afweging.workshop.picture import GroupPicture
from afweging.workshop.records import Participant, Session, Submission

Translate = Callable[[str], str]
ZONE = ZoneInfo("Europe/Amsterdam")


def local_time(moment: datetime) -> str:
    """A stored UTC time as the room's clock shows it (Amsterdam), to the second."""
    return moment.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S")


def groups_per_round(
    session: Session, submissions: Sequence[Submission]
) -> dict[tuple[int, int], str]:
    """The opinion group letter of each (round, participant id), clustered round by round."""
    out: dict[tuple[int, int], str] = {}
    for round_no in sorted({s.round for s in submissions}):
        subs = [s for s in submissions if s.round == round_no]
        groups = find_groups(weight_matrix([dict(s.weights) for s in subs], session.weighable_ids))
        for sub, label in zip(subs, groups.labels, strict=True):
            out[(round_no, sub.participant_id)] = groups.letters[int(label)]
    return out


def submissions_csv(
    session: Session,
    people: Mapping[int, Participant],
    submissions: Sequence[Submission],
    tr: Translate,
    lang: Lang,
    labels: Mapping[str, str] | None = None,
) -> bytes:
    """All rounds' submissions, one row each, with the raw weights and the opinion group."""
    names = labels or {}
    header = [
        tr("ws_participant"),
        tr("ws_municipality"),
        tr("ws_role"),
        tr("ws_round_label"),
        tr("ws_submitted_at"),
        tr("ws_opinion_group"),
        *(names.get(c, c) for c in session.weighable_ids),
    ]
    letters = groups_per_round(session, submissions)
    rows = []
    for sub in sorted(submissions, key=lambda s: (s.round, people[s.participant_id].number)):
        person = people[sub.participant_id]
        rows.append(
            [
                person.label(session.show_names),
                person.municipality,
                person.role,
                sub.round,
                local_time(sub.submitted_at),
                letters[(sub.round, sub.participant_id)],
                *(float(sub.weights[c]) for c in session.weighable_ids),
            ]
        )
    return spreadsheet.write(header, rows, lang)


def group_csv(picture: GroupPicture, tr: Translate, lang: Lang, labels: Mapping[str, str]) -> bytes:
    """The group result as one long table (table, id, label, measure, value).

    One tidy table instead of several wide ones, so it reads back with one call in
    any spreadsheet or pandas, and the weights, the ranking and the opinion groups
    sit in one file.
    """
    rows: list[list[object]] = []

    def row(table: str, item: str, measure: str, value: object, label: str | None = None) -> None:
        rows.append(
            [table, item, labels.get(item, item) if label is None else label, measure, value]
        )

    s = picture.summary
    sd = np.std(s.weights, axis=0)
    q75, q25 = np.percentile(s.weights, [75, 25], axis=0)
    for j, cid in enumerate(picture.criteria):
        row("weights", cid, "mean", float(s.mean_weights[j]))
        row("weights", cid, "median", float(s.median_weights[j]))
        row("weights", cid, "iqr", float(q75[j] - q25[j]))
        row("weights", cid, "sd", float(sd[j]))
    for i, oid in enumerate(picture.matrix.option_ids):
        row("ranking", oid, "rank_mean_weights", int(picture.mean_ranking.ranks[i]))
        row("ranking", oid, "score_mean_weights", float(picture.mean_ranking.scores[i]))
        if picture.median_ranking is not None:
            row("ranking", oid, "rank_median_weights", int(picture.median_ranking.ranks[i]))
            row("ranking", oid, "score_median_weights", float(picture.median_ranking.scores[i]))
        row("ranking", oid, "first_place_count", int(s.first_counts[i]))
        for r in range(picture.acceptability.shape[1]):
            row("acceptability", oid, f"rank_{r + 1}", float(picture.acceptability[i, r]))
    row("agreement", "kendall_w", "W", float(s.kendall_w))
    row("agreement", "kendall_w", "participants", s.n_participants)
    g = picture.groups
    for k, letter in enumerate(g.letters):
        name = tr("ws_group_name").format(letter=letter)
        row("groups", letter, "size", int(g.sizes[k]), name)
        for j, cid in enumerate(picture.criteria):
            row("groups", letter, f"weight:{cid}", float(g.mean_weights[k, j]), name)
        for i, oid in enumerate(picture.matrix.option_ids):
            row("groups", letter, f"rank:{oid}", int(picture.group_ranks[k, i]), name)
            row("groups", letter, f"score:{oid}", float(picture.group_scores[k, i]), name)
    row("groups", "silhouette", "silhouette", float(g.silhouette), "silhouette")
    for i in picture.bridge.options:
        oid = picture.matrix.option_ids[i]
        row("bridge", oid, "worst_rank", picture.bridge.worst_rank)
        row("bridge", oid, "worst_score", picture.bridge.worst_score)
    header = ["table", "id", "label", "measure", "value"]
    return spreadsheet.write(header, rows, lang)


__all__ = ["group_csv", "groups_per_round", "local_time", "submissions_csv"]
