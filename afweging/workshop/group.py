"""Group statistics over many participants' weights, on plain numpy arrays.

The projector shows what the room thinks together: the mean and median weights,
how each participant's weights rank the options, how often each option comes out
first, and how much the participants agree (Kendall's W). Between rounds it shows
whether the spread of weights narrowed and whether the group ranking changed.

Shapes follow :mod:`afweging.scoring`: ``values`` is ``(n_options, n_criteria)``;
``weights`` here is ``(m_participants, n_criteria)``, one normalised row each.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from afweging.numbers import decimal
from afweging.scoring import (
    FloatArray,
    IntArray,
    competition_ranks,
    normalise_weights,
    overall_scores,
)

#: Rule-of-thumb bands for Kendall's W (see :func:`interpret_w`).
W_WEAK_BELOW = 0.3
W_STRONG_ABOVE = 0.6


def weight_matrix(weights: Sequence[Mapping[str, float]], criteria: Sequence[str]) -> FloatArray:
    """Stack weight dicts into an ``(m, k)`` array in ``criteria`` order, rows summing to 1."""
    if len(weights) == 0:
        raise ValueError("weights: expected at least one participant's weights, got none")
    expected = set(criteria)
    for i, w in enumerate(weights):
        if set(w) != expected:
            raise ValueError(
                f"weights.{i}: expected weights for exactly {sorted(expected)}, got {sorted(w)}"
            )
    raw = np.array([[float(w[c]) for c in criteria] for w in weights], dtype=float)
    return normalise_weights(raw)


def mean_weights(weights: ArrayLike) -> FloatArray:
    """Average of the normalised weight vectors (sums to 1)."""
    return normalise_weights(np.mean(normalise_weights(weights), axis=0))


def median_weights(weights: ArrayLike) -> FloatArray:
    """Per-criterion median of the normalised vectors, rescaled to sum to 1.

    Medians are taken criterion by criterion, so they need not sum to 1 before the
    rescaling. If every median is 0 (possible when people weigh very different
    criteria) there is no median direction and the result is all NaN.
    """
    med = np.median(normalise_weights(weights), axis=0)
    total = med.sum()
    if total <= 0:
        return np.full_like(med, np.nan)
    return med / total


def participant_ranks(values: ArrayLike, weights: ArrayLike) -> IntArray:
    """Each participant's ranking of the options, ``(m, n)``, 1 = best, ties share a rank."""
    return competition_ranks(overall_scores(values, normalise_weights(weights)))


def first_place_counts(ranks: ArrayLike) -> IntArray:
    """How many participants rank each option first.

    A participant whose weights tie several options for first place counts for each
    of them, so the counts can add up to more than the number of participants: the
    honest alternative to silently picking one.
    """
    return (np.asarray(ranks) == 1).sum(axis=0).astype(np.int64)


def _midranks(ranks: np.ndarray) -> np.ndarray:
    """Average ranks per row (ties get the mean of the places they occupy)."""
    less = (ranks[:, None, :] < ranks[:, :, None]).sum(axis=-1)
    equal = (ranks[:, None, :] == ranks[:, :, None]).sum(axis=-1)
    return less + (equal + 1) / 2.0


def kendalls_w(ranks: ArrayLike) -> float:
    """Kendall's coefficient of concordance W for ``(m raters, n items)`` rankings, tie-corrected.

    ``ranks`` may be competition ranks or any scores where equal means tied; they
    are turned into average ranks first. With ``R_i`` the rank sum of item ``i``,
    ``S = sum (R_i - mean R)^2`` and ``T = sum over raters and tie groups (t^3 - t)``::

        W = 12 S / (m^2 (n^3 - n) - m T)

    W is 1 when everyone ranks the options the same, near 0 when rankings are
    unrelated. Returns NaN with fewer than 2 raters or 2 items, or when every rater
    ties every item (agreement is then undefined).
    """
    r = np.asarray(ranks, dtype=float)
    if r.ndim != 2:
        raise ValueError(f"ranks: expected a 2-d array (raters, items), got {r.ndim} dimensions")
    m, n = r.shape
    if m < 2 or n < 2:
        return math.nan
    mid = _midranks(r)
    rank_sums = mid.sum(axis=0)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    tie_sizes = (r[:, None, :] == r[:, :, None]).sum(axis=-1)
    # each item in a tie group of size t contributes t^2 - 1, so a group gives t^3 - t
    t = float((tie_sizes**2 - 1).sum())
    denominator = m**2 * (n**3 - n) - m * t
    if denominator <= 0:
        return math.nan
    return 12.0 * s / denominator


def interpret_w(w: float, language: str = "nl") -> str:
    """One plain sentence on how much the group agrees, in Dutch ("nl") or English ("en").

    The bands (below 0.3 weak, 0.3 to 0.6 moderate, above 0.6 strong) are a rule of
    thumb for talking about the room, not a significance test; they are a coarser
    version of the bands of Schmidt (1997), "Managing Delphi surveys using
    nonparametric statistical techniques", Decision Sciences 28(3).
    """
    if language not in ("nl", "en"):
        raise ValueError(f"language: expected 'nl' or 'en', got {language!r}")
    if math.isnan(w):
        return {
            "nl": "Er zijn te weinig deelnemers of opties om overeenstemming te meten.",
            "en": "There are too few participants or options to measure agreement.",
        }[language]
    shown_nl, shown_en = decimal(w, "nl", 2), decimal(w, "en", 2)
    if w < W_WEAK_BELOW:
        nl = f"Weinig overeenstemming (W = {shown_nl}): de deelnemers rangschikken de opties "
        nl += "heel verschillend."
        en = f"Weak agreement (W = {shown_en}): participants rank the options quite differently."
    elif w <= W_STRONG_ABOVE:
        nl = f"Matige overeenstemming (W = {shown_nl}): de deelnemers rangschikken de opties "
        nl += "deels hetzelfde."
        en = f"Moderate agreement (W = {shown_en}): participants rank the options partly alike."
    else:
        nl = f"Sterke overeenstemming (W = {shown_nl}): de deelnemers rangschikken de opties "
        nl += "grotendeels hetzelfde."
        en = f"Strong agreement (W = {shown_en}): participants rank the options largely alike."
    return nl if language == "nl" else en


@dataclass(frozen=True, eq=False)
class GroupSummary:
    """The group picture for one round; arrays are read-only."""

    criteria: tuple[str, ...]
    options: tuple[str, ...]
    weights: FloatArray  # (m, k), rows sum to 1
    mean_weights: FloatArray  # (k,)
    median_weights: FloatArray  # (k,)
    ranks: IntArray  # (m, n) each participant's ranking of the options
    first_counts: IntArray  # (n,)
    kendall_w: float
    group_ranks: IntArray  # (n,) ranking under the mean weights

    def __post_init__(self) -> None:
        for name in (
            "weights",
            "mean_weights",
            "median_weights",
            "ranks",
            "first_counts",
            "group_ranks",
        ):
            array = np.array(getattr(self, name))  # a copy the caller cannot change
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    @property
    def n_participants(self) -> int:
        """How many participants' weights the summary is based on."""
        return int(self.weights.shape[0])


def summarise(
    weights: Sequence[Mapping[str, float]],
    values: ArrayLike,
    criteria: Sequence[str],
    options: Sequence[str],
) -> GroupSummary:
    """Everything the projector shows for one round, from the submitted weight dicts."""
    v = np.asarray(values, dtype=float)
    if v.shape != (len(options), len(criteria)):
        raise ValueError(
            f"values: expected shape (options, criteria) = ({len(options)}, {len(criteria)}), "
            f"got {v.shape}"
        )
    w = weight_matrix(weights, criteria)
    mean = mean_weights(w)
    ranks = participant_ranks(v, w)
    return GroupSummary(
        criteria=tuple(criteria),
        options=tuple(options),
        weights=w,
        mean_weights=mean,
        median_weights=median_weights(w),
        ranks=ranks,
        first_counts=first_place_counts(ranks),
        kendall_w=kendalls_w(ranks),
        group_ranks=competition_ranks(overall_scores(v, mean)),
    )


def iqr(weights: ArrayLike) -> FloatArray:
    """Interquartile range of each criterion's normalised weight (linear interpolation)."""
    w = normalise_weights(weights)
    q75, q25 = np.percentile(w, [75, 25], axis=0)
    return q75 - q25


def spread(weights: ArrayLike) -> FloatArray:
    """Standard deviation of each criterion's normalised weight.

    The participants in the room are the whole population of interest, so this is
    the population standard deviation (``ddof=0``).
    """
    return np.std(normalise_weights(weights), axis=0)


@dataclass(frozen=True, eq=False)
class RoundComparison:
    """How the group moved between two rounds."""

    criteria: tuple[str, ...]
    options: tuple[str, ...]
    iqr_before: FloatArray
    iqr_after: FloatArray
    sd_before: FloatArray
    sd_after: FloatArray
    w_before: float
    w_after: float
    group_ranks_before: IntArray
    group_ranks_after: IntArray

    @property
    def w_change(self) -> float:
        """W after minus W before: positive means the room agrees more."""
        return self.w_after - self.w_before

    @property
    def ranking_changed(self) -> bool:
        """Whether the ranking under the mean weights differs between the rounds."""
        return not np.array_equal(self.group_ranks_before, self.group_ranks_after)


def compare_rounds(before: GroupSummary, after: GroupSummary) -> RoundComparison:
    """Compare two rounds of the same session (same criteria and options)."""
    if before.criteria != after.criteria or before.options != after.options:
        raise ValueError(
            "after: expected the same criteria and options as before, got "
            f"criteria {after.criteria} vs {before.criteria}, "
            f"options {after.options} vs {before.options}"
        )
    return RoundComparison(
        criteria=before.criteria,
        options=before.options,
        iqr_before=iqr(before.weights),
        iqr_after=iqr(after.weights),
        sd_before=spread(before.weights),
        sd_after=spread(after.weights),
        w_before=before.kendall_w,
        w_after=after.kendall_w,
        group_ranks_before=before.group_ranks,
        group_ranks_after=after.group_ranks,
    )


__all__ = [
    "GroupSummary",
    "RoundComparison",
    "compare_rounds",
    "first_place_counts",
    "interpret_w",
    "iqr",
    "kendalls_w",
    "mean_weights",
    "median_weights",
    "participant_ranks",
    "spread",
    "summarise",
    "weight_matrix",
]
