"""Turning what people say about importance into normalised weights.

Each input form works on one group of sibling criteria and returns weights
that sum to 1. :func:`leaf_weights` then multiplies them down a value tree
(as Hiview and Web-HIPRE do), so the weight of a leaf is its local weight
times the local weights of its ancestors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from afweging import ahp, translations
from afweging.errors import InvalidWeights
from afweging.model import CriteriaSet, Criterion
from afweging.scoring import FloatArray
from afweging.yamlfile import MAX_NUMBER

POINTS_TOTAL = 100.0
SWING_TOP = 100.0


def _checked(values: Sequence[float], what: str) -> FloatArray:
    w = np.asarray(values, dtype=float)
    if w.ndim != 1 or w.size == 0:
        raise InvalidWeights(f"{what}: give one number per criterion")
    if not np.all(np.isfinite(w)):
        raise InvalidWeights(f"{what}: every weight must be a finite number")
    if np.any(w < 0):
        raise InvalidWeights(f"{what}: weights must not be negative, got {w.min():g}")
    return w


def direct(values: Sequence[float]) -> FloatArray:
    """Direct weights in any unit, scaled to sum to 1.

    A sum that overflows is refused: dividing by infinity would make every weight 0
    and every option tie, a wrong answer given without a word.
    """
    w = _checked(values, "direct weights")
    with np.errstate(over="ignore"):  # an overflow is refused below, not warned about
        total = w.sum()
    if not np.isfinite(total):
        raise InvalidWeights(translations.text("weights_sum_overflow", "en"))
    if total <= 0:
        raise InvalidWeights("direct weights: at least one weight must be above zero")
    return w / total


def points(allocation: Sequence[float], total: float = POINTS_TOTAL) -> FloatArray:
    """A 100-point allocation: the points must add up to ``total``."""
    w = _checked(allocation, "points")
    if not math.isclose(w.sum(), total, abs_tol=1e-9):
        raise InvalidWeights(f"points must add up to {total:g}, they add up to {w.sum():g}")
    return w / total


def rank_order_centroid(ranks: Sequence[float]) -> FloatArray:
    """Rank-order-centroid weights (Barron and Barrett 1996); 1 is most important.

    The weight of position ``i`` of ``n`` is ``(1/n) * sum(1/k for k in i..n)``.
    Tied criteria share the positions they occupy and get the mean of their
    weights, so ranks ``[1, 1, 3]`` and ``[1, 1, 2]`` mean the same thing.
    """
    r = np.asarray(ranks, dtype=float)
    if r.ndim != 1 or r.size == 0 or not np.all(np.isfinite(r)) or np.any(r < 1):
        raise InvalidWeights("rank order: give each criterion a rank of 1 or more")
    n = r.size
    by_position = np.array([sum(1.0 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)])
    order = np.argsort(r, kind="stable")
    out = np.empty(n)
    start = 0
    for rank in np.unique(r):
        size = int(np.sum(r == rank))
        out[order[start : start + size]] = by_position[start : start + size].mean()
        start += size
    return out


def swing(values: Sequence[float]) -> FloatArray:
    """Swing weights: 100 for the most valued swing from worst to best, others relative to it."""
    w = _checked(values, "swing weights")
    if not math.isclose(w.max(), SWING_TOP):
        raise InvalidWeights(
            f"swing weights: the most valued swing gets {SWING_TOP:g}, the highest given is "
            f"{w.max():g}"
        )
    if np.any(w > SWING_TOP):
        raise InvalidWeights(f"swing weights: no swing can exceed {SWING_TOP:g}")
    return w / w.sum()


# --- value trees ------------------------------------------------------------------------


def sibling_groups(cset: CriteriaSet) -> dict[str | None, list[Criterion]]:
    """Groups of criteria weighed against each other, keyed by parent id (None: the top)."""
    groups: dict[str | None, list[Criterion]] = {None: list(cset.criteria)}
    for criterion in cset.walk():
        if criterion.criteria:
            groups[criterion.id] = list(criterion.criteria)
    return groups


def default_local_weights(cset: CriteriaSet) -> dict[str, float]:
    """Each criterion's default weight among its siblings."""
    return {c.id: c.default_weight for c in cset.walk()}


def local_weights(cset: CriteriaSet, given: Mapping[str, float] | None = None) -> dict[str, float]:
    """Local weights normalised within each sibling group; criteria not given keep defaults."""
    raw = default_local_weights(cset)
    unknown = sorted(set(given or {}) - set(raw))
    if unknown:
        raise InvalidWeights(
            f"unknown criterion {', '.join(map(repr, unknown))} in criteria set {cset.id!r}; "
            f"choose from: {', '.join(raw)}"
        )
    raw.update(given or {})
    out: dict[str, float] = {}
    for parent, group in sibling_groups(cset).items():
        ids = [c.id for c in group]
        where = f"criteria under {parent!r}" if parent else "top-level criteria"
        try:
            normalised = direct([raw[i] for i in ids])
        except InvalidWeights as exc:
            raise InvalidWeights(f"{where} ({', '.join(ids)}): {exc}") from None
        out.update(zip(ids, normalised.tolist(), strict=True))
    return out


def leaf_weights(cset: CriteriaSet, given: Mapping[str, float] | None = None) -> FloatArray:
    """Global leaf weights, in ``cset.leaves()`` order, summing to 1."""
    local = local_weights(cset, given)

    def walk(criteria: Sequence[Criterion], above: float) -> list[float]:
        out: list[float] = []
        for c in criteria:
            w = above * local[c.id]
            out += walk(c.criteria, w) if c.criteria else [w]
        return out

    return np.asarray(walk(cset.criteria, 1.0))


def _shown(text: str) -> str:
    """A typed value for a message: a 400-digit number is not repeated in full."""
    return text if len(text) <= 40 else f"{text[:30]}…{text[-5:]}"


def parse_assignments(text: str) -> dict[str, float]:
    """Parse ``id=w,id=w`` as typed on the command line."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidWeights(
                f"cannot read {part!r}: write criterion=weight, e.g. legitimiteit=2"
            )
        shown = _shown(value.strip())
        try:
            number = float(value)
        except ValueError:
            raise InvalidWeights(f"weight of {name!r} is not a number: {shown!r}") from None
        if not math.isfinite(number):
            raise InvalidWeights(f"weight of {name!r} must be a finite number, got {shown!r}")
        if number < 0:
            raise InvalidWeights(f"weight of {name!r} must not be negative, got {number:g}")
        if number > MAX_NUMBER:
            raise InvalidWeights(
                translations.text(
                    "weight_too_large", "en", name=name, given=shown, limit=f"{MAX_NUMBER:,}"
                )
            )
        if name in out:
            raise InvalidWeights(f"weight of {name!r} is given twice")
        out[name] = number
    return out


# --- the dashboard's input methods, per sibling group -----------------------------------

METHODS = ("sliders", "points", "rank", "swing", "ahp")
#: An AHP judgement is an index -8..8: 0 equal, +k: the first is k+1 times as important
#: as the second (Saaty's 1..9 scale), -k: the second is k+1 times as important.
AHP_STEPS = 8


def _largest_remainder(shares: Sequence[float], total: int) -> list[int]:
    """Whole numbers proportional to ``shares`` that add up to ``total`` exactly."""
    s = sum(shares)
    exact = [total * x / s for x in shares]
    whole = [math.floor(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: whole[i] - exact[i])
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole


def default_inputs(cset: CriteriaSet, method: str) -> dict[str, float]:
    """Raw inputs for ``method`` that reproduce the default weights as nearly as it can."""
    out: dict[str, float] = {}
    for group in sibling_groups(cset).values():
        defaults = [c.default_weight for c in group]
        if method == "points":
            values = [float(v) for v in _largest_remainder(defaults, int(POINTS_TOTAL))]
        elif method == "rank":
            values = [float(1 + sum(d > x for d in defaults)) for x in defaults]
        elif method == "swing":
            values = [round(SWING_TOP * x / max(defaults)) for x in defaults]
        else:
            values = list(defaults)
        out.update(zip([c.id for c in group], values, strict=True))
    return out


def ahp_judgement_ratio(index: int) -> float:
    """The ratio a judgement index stands for: 0 -> 1, 2 -> 3, -2 -> 1/3."""
    return float(index + 1) if index >= 0 else 1.0 / (1 - index)


@dataclass(frozen=True)
class GroupWeights:
    """Local weights of one sibling group, and the consistency ratio when AHP was used."""

    parent: str | None
    weights: dict[str, float]
    consistency_ratio: float | None = None


def weights_by_method(
    cset: CriteriaSet,
    method: str,
    inputs: Mapping[str, float],
    pairs: Mapping[str, int] | None = None,
) -> list[GroupWeights]:
    """Local weights per sibling group from the raw inputs of one method.

    ``inputs`` holds one number per criterion (slider value, points, rank or swing);
    ``pairs`` holds AHP judgements keyed ``"a.b"``. Raises InvalidWeights with a
    message naming the group when the inputs make no weighting.
    """
    if method not in METHODS:
        raise InvalidWeights(f"unknown weight method {method!r}; choose from: {', '.join(METHODS)}")
    form: dict[str, Callable[[Sequence[float]], FloatArray]] = {
        "sliders": direct,
        "points": points,
        "rank": rank_order_centroid,
        "swing": swing,
    }
    out = []
    for parent, group in sibling_groups(cset).items():
        ids = [c.id for c in group]
        where = f"criteria under {parent!r}" if parent else "top-level criteria"
        cr = None
        try:
            if method == "ahp":
                w, cr = _ahp_group(ids, pairs or {})
            else:
                w = form[method]([float(inputs.get(i, 0.0)) for i in ids])
        except InvalidWeights as exc:
            raise InvalidWeights(f"{where}: {exc}") from None
        out.append(GroupWeights(parent, dict(zip(ids, map(float, w), strict=True)), cr))
    return out


def _ahp_group(ids: Sequence[str], pairs: Mapping[str, int]) -> tuple[FloatArray, float | None]:
    if len(ids) == 1:
        return np.ones(1), None
    n = len(ids)
    matrix = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            index = pairs.get(f"{ids[i]}.{ids[j]}")
            if index is None and f"{ids[j]}.{ids[i]}" in pairs:
                index = -pairs[f"{ids[j]}.{ids[i]}"]
            ratio = ahp_judgement_ratio(int(index or 0))
            matrix[i, j], matrix[j, i] = ratio, 1.0 / ratio
    result = ahp.ahp_weights(matrix)
    return result.weights, result.consistency_ratio


def leaf_weights_from_groups(cset: CriteriaSet, groups: Sequence[GroupWeights]) -> FloatArray:
    """Global leaf weights from local weights per group (multiplied down the tree)."""
    local = {k: v for g in groups for k, v in g.weights.items()}
    return leaf_weights(cset, local)
