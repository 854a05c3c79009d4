"""The workshop's results in plain words: opinion groups, the bridging option, rounds.

Each function takes a ``tr`` (key -> text in the reader's language, from the
interface's translation table) so the same sentence reaches the projector, the
phones and the HTML report, in Dutch or English, from one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from afweging.model import Lang
from afweging.numbers import decimal, percent
from afweging.scoring import highest_first
from afweging.workshop.group import RoundComparison
from afweging.workshop.picture import GroupPicture

Translate = Callable[[str], str]

#: Ordinals written out up to here ("tweede"); beyond, "op plaats 11".
MAX_WORDED_ORDINAL = 10


def ordinal(n: int, tr: Translate) -> str:
    """'eerste', 'tweede', ... (or 'first', 'second', ...) up to ten, then 'plaats 11'."""
    if 1 <= n <= MAX_WORDED_ORDINAL:
        return tr(f"ordinal_{n}")
    return tr("ordinal_n").format(n=n)


def groups_sentence(picture: GroupPicture, tr: Translate) -> str:
    """How the room splits: one group, or k groups with their sizes."""
    g = picture.groups
    if g.n_groups == 1:
        return tr("ws_groups_one").format(n=picture.n)
    sizes = ", ".join(
        tr("ws_group_size").format(letter=letter, n=int(size))
        for letter, size in zip(g.letters, g.sizes, strict=True)
    )
    return tr("ws_groups_many").format(k=g.n_groups, sizes=sizes)


def bridge_sentence(picture: GroupPicture, tr: Translate, labels: Mapping[str, str]) -> str:
    """The option every group can live with: 'Optie X staat in elke groep minstens tweede.'"""
    ids = picture.matrix.option_ids
    names = " · ".join(labels.get(ids[i], ids[i]) for i in picture.bridge.options)
    if picture.groups.n_groups == 1:
        return tr("ws_bridge_one_group").format(option=names)
    worst = picture.bridge.worst_rank
    key = "ws_bridge_first" if worst == 1 else "ws_bridge_at_least"
    many = len(picture.bridge.options) > 1
    return tr(key + ("_many" if many else "")).format(option=names, place=ordinal(worst, tr))


def group_top(picture: GroupPicture, group: int, labels: Mapping[str, str], top: int = 3) -> str:
    """A group's first ``top`` options in order, for a table cell: '1. X · 2. Y · 3. Z'."""
    ranks = picture.group_ranks[group]
    scores = picture.group_scores[group]
    order = highest_first(scores)[:top]
    ids = picture.matrix.option_ids
    return " · ".join(f"{int(ranks[i])}. {labels.get(ids[i], ids[i])}" for i in order)


def change_sentence(change: RoundComparison, tr: Translate, lang: Lang) -> str:
    """Plain words on the move between rounds: spread of weights, agreement, ranking."""
    sd_before, sd_after = float(np.mean(change.sd_before)), float(np.mean(change.sd_after))
    spread_key = "ws_converged" if sd_after < sd_before - 1e-9 else "ws_not_converged"

    def w_text(w: float) -> str:
        return "–" if math.isnan(w) else decimal(w, lang, 2)

    parts = [
        tr(spread_key).format(before=percent(sd_before, lang), after=percent(sd_after, lang)),
        tr("ws_w_change").format(before=w_text(change.w_before), after=w_text(change.w_after)),
        tr("ws_ranking_changed" if change.ranking_changed else "ws_ranking_same"),
    ]
    return " ".join(parts)


__all__ = ["bridge_sentence", "change_sentence", "group_top", "groups_sentence", "ordinal"]
