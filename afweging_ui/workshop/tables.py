"""Workshop: the tables of the group picture (ranking, groups, breakdown, rounds, names).

The ranking and the opinion groups are built once as plain columns and shown as a
table on wide screens and as cards on a phone (:mod:`afweging_ui.cards`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from afweging.markdown import plain
from afweging.model import Lang
from afweging.numbers import decimal, percent
from afweging.workshop import Participant, Submission
from afweging.workshop.picture import GroupPicture, breakdown, comparison
from afweging.workshop.sentences import group_top
from afweging_ui.i18n import t


def ranking_table(
    picture: GroupPicture, names: Mapping[str, str], language: Lang
) -> dict[str, list[object]]:
    """The group ranking under the mean weights, with the median rank and first places.

    Plain values (labels as written): the one source of the wide table
    (:func:`ranking_frame`) and of the phone's cards (:func:`ranking_cards`), so the two
    can never show different numbers.
    """
    mean, med = picture.mean_ranking, picture.median_ranking
    ids = picture.matrix.option_ids
    order = mean.best_first([names.get(i, i) for i in ids])
    return {
        t("ws_rank_mean", language): [int(mean.ranks[i]) for i in order],
        t("ws_option", language): [names.get(ids[i], ids[i]) for i in order],
        t("ws_score_mean", language): [decimal(mean.scores[i], language) for i in order],
        t("ws_rank_median", language): [
            "–" if med is None else str(int(med.ranks[i])) for i in order
        ],
        t("ws_first_count", language): [int(picture.summary.first_counts[i]) for i in order],
    }


def ranking_frame(picture: GroupPicture, names: Mapping[str, str], language: Lang) -> pd.DataFrame:
    """The group ranking for wide screens, as :func:`ranking_table` holds it.

    Shown with ``st.table`` (it wraps long labels), which reads cells as markdown: the
    labels are escaped. Only labels from the data files go here, never typed text.
    """
    table = ranking_table(picture, names, language)
    option = t("ws_option", language)
    return pd.DataFrame({**table, option: [plain(x) for x in table[option]]})


def ranking_cards(
    picture: GroupPicture, names: Mapping[str, str], language: Lang
) -> dict[str, list[object]]:
    """The group ranking for a phone (:func:`afweging_ui.cards.cards`): five columns do
    not fit 358 px, so each option becomes a card named by the option, its places,
    score and first places on lines of their own, best first as in the table."""
    table = ranking_table(picture, names, language)
    option = t("ws_option", language)
    return {option: table.pop(option), **table}


def breakdown_frame(
    picture: GroupPicture,
    groups: Sequence[str | None],
    names: Mapping[str, str],
    field: str,
    language: Lang,
) -> pd.DataFrame:
    """Per municipality (or role): how many, their mean weights, their winning option."""
    rows = breakdown(picture, groups)
    data: dict[str, list[object]] = {
        t(f"ws_{field}", language): [
            r.group if r.group is not None else t("ws_not_given", language) for r in rows
        ],
        t("ws_n", language): [r.n for r in rows],
    }
    for cid in picture.criteria:
        data[names.get(cid, cid)] = [percent(r.mean_weights[cid], language) for r in rows]
    data[t("ws_first_for_group", language)] = [
        " · ".join(names.get(o, o) for o in r.first) for r in rows
    ]
    return pd.DataFrame(data)


def rounds_frame(
    before: GroupPicture, after: GroupPicture, names: Mapping[str, str], language: Lang
) -> pd.DataFrame:
    """Per criterion: mean weight and spread (IQR) in both rounds."""
    change = comparison(before, after)
    return pd.DataFrame(
        {
            t("ws_criterion", language): [names.get(c, c) for c in after.criteria],
            t("ws_mean_before", language): [
                percent(x, language) for x in before.summary.mean_weights
            ],
            t("ws_mean_after", language): [
                percent(x, language) for x in after.summary.mean_weights
            ],
            t("ws_iqr_before", language): [percent(x, language) for x in change.iqr_before],
            t("ws_iqr_after", language): [percent(x, language) for x in change.iqr_after],
        }
    )


def names_frame(
    picture: GroupPicture,
    submissions: Sequence[Submission],
    people: Mapping[int, Participant],
    names: Mapping[str, str],
    language: Lang,
) -> pd.DataFrame:
    """Who submitted what (only when the facilitator chose to ask and show names)."""
    persons = [people[x.participant_id] for x in submissions]
    data: dict[str, list[object]] = {
        t("ws_participant", language): [p.label(True) for p in persons],
        t("ws_municipality", language): [p.municipality or "" for p in persons],
        t("ws_role", language): [p.role or "" for p in persons],
    }
    for j, cid in enumerate(picture.criteria):
        data[names.get(cid, cid)] = [percent(w, language) for w in picture.summary.weights[:, j]]
    ids = picture.matrix.option_ids
    data[t("ws_their_first", language)] = [
        " · ".join(names.get(ids[i], ids[i]) for i in np.flatnonzero(r == 1))
        for r in picture.summary.ranks
    ]
    return pd.DataFrame(data)


def groups_table(
    picture: GroupPicture, names: Mapping[str, str], language: Lang
) -> dict[str, list[object]]:
    """The opinion groups: size, mean weights and the top of each group's ranking.

    Plain values (labels as written), the first column naming the group: the source of
    the wide table (:func:`groups_frame`) and, as they stand, of the phone's cards.
    """
    g = picture.groups
    data: dict[str, list[object]] = {
        t("ws_opinion_group", language): [
            t("ws_group_name", language, letter=letter) for letter in g.letters
        ],
        t("ws_n", language): [int(n) for n in g.sizes],
    }
    for j, cid in enumerate(picture.criteria):
        data[names.get(cid, cid)] = [percent(w, language) for w in g.mean_weights[:, j]]
    data[t("ws_group_top", language)] = [group_top(picture, k, names) for k in range(g.n_groups)]
    return data


def groups_frame(picture: GroupPicture, names: Mapping[str, str], language: Lang) -> pd.DataFrame:
    """The opinion groups for wide screens, as :func:`groups_table` holds them.

    Shown with ``st.table``: the labels come from the data files and are escaped.
    """
    table = groups_table(picture, names, language)
    criteria = {names.get(c, c) for c in picture.criteria}
    data = {plain(c) if c in criteria else c: v for c, v in table.items()}
    top = t("ws_group_top", language)
    data[top] = [plain(x) for x in table[top]]
    return pd.DataFrame(data)
