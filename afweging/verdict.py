"""The source's own verdict beside our ranking: does the tool agree with its document?

Weights are the user's, so a different winner than the document's is allowed,
but it must never be silent. For a case with a ``conclusion:`` this module says
which option(s) the document prefers, where they stand under the current
weights, and, when they are not first, which of the grounds the document relied
on are missing from the current criteria set or weigh less than the set's
default gives them.

"Weak" is measured on the global weight of the consideration's criterion (a
parent's is the sum of its leaves): it is weak when the current weights give it
at least half a percentage point less than the criteria set's default weights
do. That is a plain, checkable rule rather than a judgement of how much is
enough; the half point keeps rounding from calling 33% weaker than 33%.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from afweging.matrix import Matrix, Ranking
from afweging.model import Conclusion, Consideration, CriteriaSet, Lang, Text
from afweging.numbers import percent
from afweging.weights import leaf_weights

Translate = Callable[..., str]
#: A ground weighs "less than by default" only when it has lost at least this much weight
#: (half a percentage point), so shown percentages never read "33% instead of 33%".
TOLERANCE = 0.005


@dataclass(frozen=True)
class WeakGround:
    """A ground the document relied on that weighs less now than by default."""

    consideration: Consideration
    weight: float  # its global weight under the current weights
    default: float  # its global weight under the set's default weights


@dataclass(frozen=True)
class Verdict:
    """The document's choice and how the current ranking relates to it."""

    conclusion: Conclusion
    preferred: tuple[str, ...]  # preferred option ids that are in this comparison
    left_out: tuple[str, ...]  # preferred option ids not in this comparison
    best_rank: int | None  # best rank of a preferred option here (None: none here)
    n_options: int
    missing: tuple[Consideration, ...]  # its criterion is not in this set
    weak: tuple[WeakGround, ...]
    unmapped: tuple[Consideration, ...]  # no criterion captures it
    #: Every option of the case by id: a chosen option left out of this comparison is
    #: still named, never shown by its id.
    names: Mapping[str, Text] = field(default_factory=dict)

    def name(self, option_id: str, lang: Lang) -> str:
        """An option's name in ``lang`` (its id only when the case does not know it)."""
        found = self.names.get(option_id)
        return found.get(lang) if found is not None else option_id

    def choice(self, lang: Lang, t: Translate) -> str:
        """The chosen options by name, joined ("A en B")."""
        return t("verdict_and", lang).join(self.name(o, lang) for o in self.conclusion.prefers)

    def not_compared(self, lang: Lang, t: Translate) -> str:
        """That the chosen option (or options) is not in this comparison."""
        many = len(self.conclusion.prefers) > 1
        return t("verdict_not_compared_many" if many else "verdict_not_compared", lang)

    @property
    def agrees(self) -> bool:
        """True when a preferred option ranks first under the current weights."""
        return self.best_rank == 1


def global_weight(cset: CriteriaSet, leaf_w: np.ndarray, criterion_id: str) -> float:
    """A criterion's share of the total weight: its own (leaf) or its leaves' together."""
    node = cset.find(criterion_id)
    under = {c.id for c in node.walk() if c.is_leaf}
    return float(sum(w for leaf, w in zip(cset.leaves(), leaf_w, strict=True) if leaf.id in under))


def verdict(matrix: Matrix, ranking: Ranking) -> Verdict | None:
    """The case's conclusion held against this ranking; None when the case has none."""
    conclusion = matrix.case.conclusion
    if conclusion is None:
        return None
    cset = matrix.criteria_set
    here = set(matrix.option_ids)
    preferred = tuple(o for o in conclusion.prefers if o in here)
    ranks = dict(zip(matrix.option_ids, map(int, ranking.ranks), strict=True))
    known = {c.id for c in cset.walk()}
    defaults = leaf_weights(cset)
    missing, weak, unmapped = [], [], []
    for item in conclusion.considerations:
        if item.criterion is None:
            unmapped.append(item)
        elif item.criterion not in known:
            missing.append(item)
        else:
            now = global_weight(cset, ranking.weights, item.criterion)
            default = global_weight(cset, defaults, item.criterion)
            if now <= default - TOLERANCE:
                weak.append(WeakGround(item, now, default))
    return Verdict(
        names={o.id: o.label for o in matrix.case.options},
        conclusion=conclusion,
        preferred=preferred,
        left_out=tuple(o for o in conclusion.prefers if o not in here),
        best_rank=min((ranks[o] for o in preferred), default=None),
        n_options=len(matrix.option_ids),
        missing=tuple(missing),
        weak=tuple(weak),
        unmapped=tuple(unmapped),
    )


def verdict_sentences(
    result: Verdict, labels: Mapping[str, str], lang: Lang, t: Translate
) -> list[str]:
    """The verdict in plain words: the choice, whether the weights agree, and why not."""
    c = result.conclusion
    out = [t("verdict_choice", lang, document=c.document, options=result.choice(lang, t))]
    if not result.preferred:
        out.append(result.not_compared(lang, t))
        return out
    if result.agrees:
        out.append(t("verdict_agrees", lang))
        return out
    out.append(t("verdict_rank", lang, rank=result.best_rank, n=result.n_options))
    if result.missing:
        grounds = ", ".join(
            _unique(labels.get(m.criterion or "", m.criterion or "") for m in result.missing)
        )
        out.append(t("verdict_missing", lang, grounds=grounds))
    if result.weak:
        seen: dict[str, WeakGround] = {}
        for w in result.weak:
            seen.setdefault(w.consideration.criterion or "", w)
        grounds = "; ".join(
            t(
                "verdict_weak_item",
                lang,
                criterion=labels.get(cid, cid),
                now=percent(w.weight, lang),
                default=percent(w.default, lang),
            )
            for cid, w in seen.items()
        )
        out.append(t("verdict_weak", lang, grounds=grounds))
    if not result.missing and not result.weak:
        out.append(t("verdict_scores_differ", lang))
    return out


def _unique(items: Iterable[str]) -> list[str]:
    """Each item once, in first-seen order (several grounds can share a criterion)."""
    return list(dict.fromkeys(items))


def robustness_sentence(
    result: Verdict,
    first_rank: Mapping[str, float],
    lang: Lang,
    t: Translate,
) -> str:
    """The source's choice in the robustness summary: how often it comes first when the
    weights (and uncertain scores) are drawn at random (``first_rank``: share per option)."""
    c = result.conclusion
    head = t("verdict_choice", lang, document=c.document, options=result.choice(lang, t))
    if not result.preferred:
        return f"{head} {result.not_compared(lang, t)}"
    shares = t("verdict_and", lang).join(
        t(
            "verdict_share_item",
            lang,
            option=result.name(o, lang),
            share=percent(first_rank.get(o, 0.0), lang),
        )
        for o in result.preferred
    )
    return f"{head} {t('verdict_first_share', lang, shares=shares)}"


__all__ = [
    "Verdict",
    "WeakGround",
    "global_weight",
    "robustness_sentence",
    "verdict",
    "verdict_sentences",
]
