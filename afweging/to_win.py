"""What would you have to believe: the nearest weights at which each option comes first.

For every option of a case on a criteria set this finds the global leaf weights
``w`` (on the simplex: ``w >= 0``, ``sum(w) == 1``) closest to the current
weights ``c`` at which the option ranks first, or says plainly that no weights
on this set can do that, and why.

**Distance.** Half the L1 distance, ``d(w, c) = sum(|w_j - c_j|) / 2``: the
share of the total weight that must move from some criteria to others (total
variation). It is returned as a fraction in [0, 1]; 0.25 means 25 percentage
points of weight change hands. It is solved exactly as a linear programme
(:func:`scipy.optimize.linprog`, HiGHS) over ``w`` and ``t >= |w - c|``::

    minimise  sum(t) / 2
    subject to  sum(w) = 1,  w >= 0,  t >= w - c,  t >= c - w,
                (v_i - v_k) . w >= MARGIN   for every other option k.

**First.** An option *wins* at ``w`` when its score beats every other option's
by at least :data:`MARGIN`: a strict win, so the answer does not sit on a tie
border where rounding decides. When no weights give such a win, the option may
still *tie* for first (competition rank 1, as :func:`afweging.scoring.competition_ranks`
rounds): then the nearest tying weights are returned with ``ties=True`` (the
same programme with margin 0; an option with an identical twin is asked to lead
every other option by MARGIN and share first place with its twin only). A win
by less than MARGIN counts as a tie: no reader could tell it apart. An option
ranked first (alone or tied) at the current weights is ``already_first``, with
distance 0 and the current weights.

**When weights cannot do it.** For an option that cannot win alone the answer
says why (dominated, identical to another, or never best) and, per leaf, how
much better it would have to score on that leaf alone to win at some weights:
one more linear programme per leaf (see :func:`_score_gaps`). That is what the
sentence offers instead of weights: "it would need to score 1 point better on X".

The optimisation is over global leaf weights. In a value tree every point of
the leaf simplex is reachable, because local weights are free per sibling
group; :func:`local_from_global` gives the local weights that reproduce them
(through :func:`afweging.weights.leaf_weights`), so an interface can set its
sliders. L1 optima need not be unique; HiGHS returns the same vertex for the
same input, so the answer is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy.optimize import linprog

from afweging.matrix import Matrix
from afweging.model import CriteriaSet, Criterion, Lang
from afweging.numbers import decimal, percent
from afweging.robustness import Translate, criterion_name
from afweging.scoring import TIE_DECIMALS, FloatArray, competition_ranks, normalise_weights
from afweging.weights import local_weights, sibling_groups

#: A win must beat every other option's score by this much (scores lie in [0, 1]).
MARGIN = 1e-6
#: Weights below this after solving are float dust and are set to 0.
DUST = 1e-12
#: Values this close count as equal when comparing options criterion by criterion.
SAME = 1e-12
#: A rise of weight within this of the largest (0.01 percentage point) counts as equal; of
#: equals the sentence names the highest in the tree, then the first.
RISE_TOL = 1e-4

_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


@dataclass(frozen=True)
class ToWin:
    """The nearest weights at which one option comes first, or why none exist.

    ``weights``: global leaf weights summing to 1 (None when it cannot be first).
    ``local``: the same as local weights by criterion id, parents and leaves, each
    sibling group summing to 1. ``distance``: half the L1 distance to the current
    weights (a fraction of the total weight). ``ties``: it can at best share first
    place (or shares it now), and ``weights`` are tying weights. ``reason`` says why
    it cannot win alone: "dominated" (``rival`` is at least as good on every leaf and
    better on one), "identical" (``rival`` scores the same on every leaf) or
    "never_best" (neither, yet every weighting has another option at least level).
    ``needs``: for an option that cannot win alone, the leaves on which it is best or
    tied-best. (For an option that cannot even tie this is always empty: all weight
    on such a leaf would make it tie.) ``score_gaps``: for those options, per leaf,
    how many points on that leaf's scale it would have to score better, on that leaf
    alone, to win at some weights; the smallest rise first, leaves where even the top
    of the scale is not enough left out. ``largest_rise``: (criterion id, new, current
    global weight) of the criterion whose weight rises most; in a tree it may be a
    parent, which is named when it rises at least as much as any of its leaves.
    ``tied_with``: the options sharing first place at ``weights``.
    """

    option: str
    weights: dict[str, float] | None
    local: dict[str, float] | None
    distance: float | None
    already_first: bool
    ties: bool = False
    reason: str | None = None
    needs: tuple[str, ...] = ()
    rival: str | None = None
    tied_with: tuple[str, ...] = ()
    largest_rise: tuple[str, float, float] | None = None
    score_gaps: dict[str, float] = field(default_factory=dict)

    @property
    def possible(self) -> bool:
        """Whether some weights put the option first (alone, or tied when ``ties``)."""
        return self.weights is not None


def to_win(matrix: Matrix, current: np.ndarray, *, margin: float = MARGIN) -> dict[str, ToWin]:
    """For every option: the nearest weights where it comes first, by option id.

    ``current`` holds the global leaf weights in ``matrix.criterion_ids`` order
    (scaled to sum to 1). ``margin`` is how much a win must beat the others by.
    """
    values = np.asarray(matrix.values, dtype=float)
    c = normalise_weights(current)
    if c.shape != (values.shape[1],):
        raise ValueError(f"give one current weight per leaf criterion: {values.shape[1]}")
    ids, leaves = matrix.option_ids, matrix.criterion_ids
    cset = matrix.criteria_set
    ranks_now = competition_ranks(values @ c)
    span = matrix.scale_max - matrix.scale_min
    out: dict[str, ToWin] = {}
    for i, oid in enumerate(ids):
        if ranks_now[i] == 1:
            shared = _tied_with(values, c, i, ids)
            out[oid] = ToWin(
                oid, _named(leaves, c), local_from_global(cset, c), 0.0, True,
                ties=bool(shared), tied_with=shared,
            )  # fmt: skip
            continue
        w, ties = _nearest_first(values, c, i, margin)
        reason: str | None = None
        rival: str | None = None
        needs: tuple[str, ...] = ()
        gaps: dict[str, float] = {}
        if w is None or ties:
            reason, rival = _why_not(values, i, ids, can_tie=w is not None)
            best = values[i] >= values.max(axis=0) - SAME
            needs = tuple(leaf for leaf, b in zip(leaves, best, strict=True) if b)
            gaps = _score_gaps(values, i, margin, span, leaves)
        if w is None:
            out[oid] = ToWin(
                oid, None, None, None, False, reason=reason, needs=needs, rival=rival,
                score_gaps=gaps,
            )  # fmt: skip
            continue
        out[oid] = ToWin(
            option=oid,
            weights=_named(leaves, w),
            local=local_from_global(cset, w),
            distance=float(np.abs(w - c).sum() / 2),
            already_first=False,
            ties=ties,
            reason=reason,
            needs=needs,
            rival=rival,
            tied_with=_tied_with(values, w, i, ids) if ties else (),
            largest_rise=_largest_rise(cset, leaves, w, c),
            score_gaps=gaps,
        )
    return out


# --- the linear programmes ---------------------------------------------------------------


def _clean(w: FloatArray) -> FloatArray:
    """Solver output on the simplex: dust to 0, scaled to sum to 1 exactly."""
    w = np.where(w < DUST, 0.0, w)
    return w / w.sum()


def _gap(values: FloatArray, w: FloatArray, i: int, rivals: list[int]) -> float:
    """How far option i's score is above the best rival's (negative: below)."""
    scores = values @ w
    return float(scores[i] - scores[rivals].max())


def _best_gap(values: FloatArray, i: int, rivals: list[int]) -> FloatArray | None:
    """The weights where option i leads its rivals by most (None if the solver fails)."""
    v = np.ascontiguousarray(values, dtype=float)
    return _best_gap_of(v.tobytes(), v.shape, i, tuple(rivals))


@lru_cache(maxsize=1024)
def _best_gap_of(
    data: bytes, shape: tuple[int, ...], i: int, rivals: tuple[int, ...]
) -> FloatArray | None:
    """:func:`_best_gap`, remembered: it depends on the values only, not on the weights,
    so moving a slider re-solves just the nearest-weights programmes."""
    values = np.frombuffer(data).reshape(shape)
    n = values.shape[1]
    diff = values[list(rivals)] - values[i]  # (v_k - v_i) . w + m <= 0
    res = linprog(
        np.r_[np.zeros(n), -1.0],
        A_ub=np.c_[diff, np.ones(len(diff))],
        b_ub=np.zeros(len(diff)),
        A_eq=np.r_[np.ones(n), 0.0][np.newaxis, :],
        b_eq=[1.0],
        bounds=[(0.0, 1.0)] * n + [(None, None)],
        method="highs",
        options=_HIGHS,
    )
    if res.status != 0:
        return None
    best = _clean(res.x[:n])
    best.setflags(write=False)  # shared between calls
    return best


def _nearest(
    values: FloatArray, c: FloatArray, i: int, rivals: list[int], margin: float
) -> FloatArray | None:
    """The weights nearest to c (half L1) where option i leads every rival by ``margin``."""
    n = values.shape[1]
    diff = values[rivals] - values[i]
    eye = np.eye(n)
    res = linprog(
        np.r_[np.zeros(n), np.full(n, 0.5)],
        A_ub=np.block([[diff, np.zeros_like(diff)], [eye, -eye], [-eye, -eye]]),
        b_ub=np.r_[np.full(len(diff), -margin), c, -c],
        A_eq=np.r_[np.ones(n), np.zeros(n)][np.newaxis, :],
        b_eq=[1.0],
        bounds=[(0.0, 1.0)] * n + [(0.0, None)] * n,
        method="highs",
        options=_HIGHS,
    )
    return _clean(res.x[:n]) if res.status == 0 else None


def _strict(
    values: FloatArray, c: FloatArray, i: int, rivals: list[int], margin: float
) -> FloatArray | None:
    """The nearest weights where option i leads every rival by ``margin``, if any."""
    best = _best_gap(values, i, rivals)
    if best is None or (top := _gap(values, best, i, rivals)) < margin:
        return None
    w = _nearest(values, c, i, rivals, margin)
    if w is None:
        return best
    g = _gap(values, w, i, rivals)
    if g < margin:  # solver tolerance: step towards ``best``, where the lead is larger
        w = _clean(w + (margin - g) / (top - g) * (best - w))
    return w


def _nearest_first(
    values: FloatArray, c: FloatArray, i: int, margin: float
) -> tuple[FloatArray | None, bool]:
    """The nearest weights where option i wins (ties False) or at best ties (ties True).

    An option identical to others can at best tie with them; it is then asked to lead
    every other option, so it shares first place with its twins only when it can.
    """
    rivals = [k for k in range(len(values)) if k != i]
    w = _strict(values, c, i, rivals, margin)
    if w is not None:
        return w, False
    best = _best_gap(values, i, rivals)
    if best is None or _gap(values, best, i, rivals) < -2 * 10.0**-TIE_DECIMALS:
        return None, False  # below another option at every weighting, even after rounding
    twins = [k for k in rivals if np.all(np.abs(values[k] - values[i]) <= SAME)]
    rest = [k for k in rivals if k not in twins]
    if twins and rest and (w := _strict(values, c, i, rest, margin)) is not None:
        return w, True
    top = _gap(values, best, i, rivals)
    w = _nearest(values, c, i, rivals, min(0.0, top))
    for candidate in (w, best):
        if candidate is not None and competition_ranks(values @ candidate)[i] == 1:
            return candidate, True
    return None, False


def _score_gaps(
    values: FloatArray, i: int, margin: float, span: FloatArray, leaves: list[str]
) -> dict[str, float]:
    """Per leaf: how many points better option i must score on it alone to win somewhere.

    Smallest first; leaves where even the top of the scale is not enough are left out.
    """
    v = np.ascontiguousarray(values, dtype=float)
    rises = _value_rises(v.tobytes(), v.shape, i, margin)
    return {leaves[j]: d * float(span[j]) for j, d in rises}


@lru_cache(maxsize=1024)
def _value_rises(
    data: bytes, shape: tuple[int, ...], i: int, margin: float
) -> tuple[tuple[int, float], ...]:
    """(leaf, smallest rise of option i's value on it alone that lets it win), smallest first.

    With ``y = w / w_j`` (so ``y_j = 1``) the condition ``(v_i + d e_j - v_k) . w >= margin``
    becomes linear, ``(v_i - v_k) . y + d >= margin * sum(y)``, and the smallest ``d`` is
    one linear programme per leaf (Charnes–Cooper), capped at the top of the scale.
    """
    values = np.frombuffer(data).reshape(shape)
    n = values.shape[1]
    diff = np.delete(values, i, axis=0) - values[i] + margin  # . y - d <= 0
    found: list[tuple[int, float]] = []
    for j in range(n):
        bounds = [(0.0, None)] * n + [(0.0, 1.0 - values[i, j])]
        bounds[j] = (1.0, 1.0)
        res = linprog(
            np.r_[np.zeros(n), 1.0],
            A_ub=np.c_[diff, -np.ones(len(diff))],
            b_ub=np.zeros(len(diff)),
            bounds=bounds,
            method="highs",
            options=_HIGHS,
        )
        if res.status == 0:
            found.append((j, float(res.x[-1])))
    return tuple(sorted(found, key=lambda f: round(f[1], 9)))


# --- reading the answer --------------------------------------------------------------------


def _named(ids: list[str], w: FloatArray) -> dict[str, float]:
    return dict(zip(ids, map(float, w), strict=True))


def _tied_with(values: FloatArray, w: FloatArray, i: int, ids: list[str]) -> tuple[str, ...]:
    ranks = competition_ranks(values @ w)
    return tuple(o for k, o in enumerate(ids) if k != i and ranks[k] == 1)


def _why_not(
    values: FloatArray, i: int, ids: list[str], *, can_tie: bool
) -> tuple[str, str | None]:
    """Why option i cannot win alone: ("dominated" | "identical" | "never_best", rival)."""
    for k in range(len(ids)):
        if (
            k != i
            and np.all(values[k] >= values[i] - SAME)
            and np.any(values[k] > values[i] + SAME)
        ):
            return "dominated", ids[k]
    if can_tie:
        for k in range(len(ids)):
            if k != i and np.all(np.abs(values[k] - values[i]) <= SAME):
                return "identical", ids[k]
    return "never_best", None


def local_from_global(cset: CriteriaSet, w: FloatArray) -> dict[str, float]:
    """Local weights per criterion (parents and leaves) that multiply down to leaf weights ``w``.

    A criterion's global weight is the sum over its leaves; its local weight is that
    divided by its parent's. Under a parent of weight 0 the split is free, and the
    set's default split is used.
    """
    leaves = [c.id for c in cset.leaves()]
    total = _global_by_node(cset, dict(zip(leaves, map(float, w), strict=True)))
    defaults = local_weights(cset)
    out: dict[str, float] = {}
    for parent, group in sibling_groups(cset).items():
        above = 1.0 if parent is None else total[parent]
        if above <= 0:
            out.update({g.id: defaults[g.id] for g in group})
            continue
        shares = [total[g.id] / above for g in group]
        out.update({g.id: s / sum(shares) for g, s in zip(group, shares, strict=True)})
    return out


def _global_by_node(cset: CriteriaSet, leaf: Mapping[str, float]) -> dict[str, float]:
    """Every criterion's global weight: a leaf's own, a parent's the sum of its leaves'."""
    out: dict[str, float] = {}
    for node in cset.walk():
        out[node.id] = sum(leaf[x.id] for x in node.walk() if x.is_leaf)
    return out


def _largest_rise(
    cset: CriteriaSet, leaves: list[str], w: FloatArray, c: FloatArray
) -> tuple[str, float, float] | None:
    """The criterion whose global weight rises most; the higher in the tree on a tie."""
    new = _global_by_node(cset, _named(leaves, w))
    now = _global_by_node(cset, _named(leaves, c))
    depth = _depths(cset)
    top = max(new[k] - now[k] for k in new)
    if top <= 0:
        return None
    near = [k for k in new if new[k] - now[k] >= top - RISE_TOL]  # walk order: parents first
    pick = min(near, key=lambda k: depth[k])
    return pick, new[pick], now[pick]


def _depths(cset: CriteriaSet) -> dict[str, int]:
    """Each criterion's depth in the tree; top-level criteria have depth 0."""
    out: dict[str, int] = {}

    def walk(nodes: list[Criterion], depth: int) -> None:
        for node in nodes:
            out[node.id] = depth
            walk(node.criteria or [], depth + 1)

    walk(cset.criteria, 0)
    return out


# --- the sentence ----------------------------------------------------------------------


def _pp(share: float, lang: Lang) -> str:
    """A moved share in percentage points, rounded like the weights beside it (66.7 -> 67)."""
    x = 100 * share
    return decimal(x, lang, 0 if x >= 1 else 1 if x >= 0.1 else 2)


def _pair(new: float, now: float, lang: Lang) -> tuple[str, str]:
    """Two weights as percentages, with one decimal when whole numbers would look equal."""
    a, b = percent(new, lang), percent(now, lang)
    return (percent(new, lang, 1), percent(now, lang, 1)) if a == b else (a, b)


def _points(x: float, lang: Lang, tr: Translate) -> str:
    """A better score in points on a leaf's scale: "1,5 punten", "1 punt" or "iets"."""
    if x < 0.05:
        return tr("tw_slightly", lang)
    text = decimal(x, lang, 1).removesuffix(",0").removesuffix(".0")
    return tr("tw_points_1" if text == "1" else "tw_points", lang, n=text)


def to_win_sentence(result: ToWin, labels: Mapping[str, str], lang: Lang, tr: Translate) -> str:
    """One plain sentence: already first, the nearest weights that put it first, or why none do.

    ``labels`` maps option and criterion ids to display names (the id when missing);
    ``tr(key, lang, **fields)`` supplies every text.
    """
    name = labels.get(result.option, result.option)
    names = tr("rob_and", lang)
    if result.already_first:
        if result.ties:
            others = names.join(labels.get(o, o) for o in result.tied_with)
            return tr("tw_already_tie", lang, name=name, others=others)
        return tr("tw_already", lang, name=name)
    parts: list[str] = []
    if result.reason is not None:
        rival = labels.get(result.rival or "", result.rival or "")
        key = "never_alone" if result.reason == "never_best" and result.ties else result.reason
        why = tr(f"tw_reason_{key}", lang, other=rival)
        head = "tw_tie_only" if result.ties else "tw_never"
        parts.append(tr(head, lang, name=name, reason=why))
    if result.distance is not None and result.largest_rise is not None:
        crit_id, new, now = result.largest_rise
        crit = criterion_name(crit_id, labels)
        to, was = _pair(new, now, lang)
        many = result.distance - (new - now) > 5e-4
        if 100 * result.distance < 0.01:
            key = "tw_tiny"
        else:
            key = ("tw_shift_" if result.ties else "tw_win_") + ("many" if many else "one")
        pp = _pp(result.distance, lang)
        parts.append(tr(key, lang, name=name, criterion=crit, new=to, now=was, pp=pp))
    if result.reason is not None:
        goal = tr("tw_goal_alone" if result.ties else "tw_goal_first", lang)
        gaps = [
            (criterion_name(k, labels), _points(x, lang, tr)) for k, x in result.score_gaps.items()
        ]
        if not gaps:
            parts.append(tr("tw_gap_none", lang))
        elif len(gaps) == 1:
            ((c1, a1),) = gaps
            parts.append(tr("tw_gap_it_one", lang, goal=goal, amount=a1, criterion=c1))
        else:
            (c1, a1), (c2, a2) = gaps[:2]
            parts.append(
                tr(
                    "tw_gap_it_two",
                    lang,
                    goal=goal,
                    amount=a1,
                    criterion=c1,
                    amount2=a2,
                    criterion2=c2,
                )
            )
    return " ".join(parts)
