"""How sure is the winner? One report combining every robustness analysis.

:func:`robustness_report` runs, for one :class:`~afweging.matrix.Matrix` and
one leaf-weight vector:

- exact stability intervals (:mod:`afweging.sensitivity`) for every LEAF
  criterion: its weight moves from 0 to 1 while the other leaf weights keep
  their mutual ratios. In a value tree this sweeps leaves, not parents: moving
  one leaf also shifts weight between the other branches in proportion, which
  is the same reading as for a flat set. (A sweep over top-level criteria with
  their subtrees fixed would be a different path; the interface may add it.)
- rank acceptabilities, central weights and confidence factors (SMAA-2,
  :mod:`afweging.smaa`) with every weight vector equally likely, or with
  weights scattered around the current ones when ``spread`` is given, and the
  scores drawn within their documented ranges (``Matrix.value_bounds``);
- the ranks by weighted sum, TOPSIS and PROMETHEE II (:mod:`afweging.methods`).

:func:`grade` turns the report into a plain verdict, "stevig" (firm), "redelijk
zeker" (fairly sure) or "wankel" (shaky), by the rules in
:data:`GRADE_THRESHOLDS`; :func:`summary_sentence` turns it into the one sentence
a councillor can repeat, which puts the two kinds of evidence side by side (the
nearest single-weight shift that changes the winner, and how often the winner
comes first in the simulation) so that they never read as a contradiction. The
texts come from the caller's translation function, so this module holds no
interface text; numbers are written by :mod:`afweging.numbers`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from afweging.matrix import Matrix
from afweging.methods import METHOD_NAMES, CrossCheck, cross_check
from afweging.model import Lang
from afweging.numbers import decimal, percent
from afweging.scoring import FloatArray, competition_ranks, normalise_weights, overall_scores
from afweging.sensitivity import StabilityInterval, score_lines, stability_intervals
from afweging.smaa import SmaaResult, UniformWeights, WeightsAround, smaa

#: ``t(key, lang, **fields)``: the caller's translation function.
Translate = Callable[..., str]

#: An interval this close to [0, 1] counts as "any weight".
FULL_TOL = 1e-9

#: The three grades, firmest first: "stevig" (firm), "redelijk zeker" (fairly sure),
#: "wankel" (shaky). The ids are also the JSON values.
Grade = Literal["stevig", "redelijk_zeker", "wankel"]
GRADES: tuple[Grade, ...] = ("stevig", "redelijk_zeker", "wankel")

#: A comparison with a threshold forgives float dust this small (a shift solved as
#: 0.0999999999999 is 10 percentage points).
GRADE_TOL = 1e-9


@dataclass(frozen=True)
class GradeThresholds:
    """The rules behind the grade; weights and shares as fractions (0.05 = 5 points or 5%).

    "Shift" is the nearest change of the winner along one weight, the others
    keeping their ratios (moving one slider): the smallest distance, over every
    criterion and both directions, from the current weight to an end of its
    winner interval that is not 0 or 100%. "Share" is how often the current
    winner (on a tie: one of the tied winners) comes first in the SMAA-2 draws.

    - stevig: shift >= ``firm_shift`` and share > ``firm_share``;
    - wankel: shift < ``shaky_shift``, or share < ``shaky_share``, or another
      option comes first more often by at least ``noise``;
    - redelijk zeker: everything in between.
    """

    firm_shift: float
    firm_share: float
    shaky_shift: float
    shaky_share: float
    noise: float


#: Why these numbers:
#:
#: - under 5 points (shaky): people dividing 100 points move them in fives; a
#:   smaller difference is one nobody could defend as a different view, so a
#:   winner that turns on it is shaky. A tie that any shift breaks has shift 0.
#: - at least 10 points (firm): the workshop counts two groups as holding
#:   different views when their weights differ by 10 points on some criterion
#:   (:mod:`afweging.workshop.opinion_groups`); a firm winner survives a
#:   difference of opinion that large on any one criterion.
#: - more than 50% (firm): first more often than all other options together.
#: - under 25% (shaky): three weightings in four pick something else.
#: - 1 point (noise): at the default 10,000 draws a share's standard error is at
#:   most 0.5 point, so a smaller lead is no lead.
GRADE_THRESHOLDS = GradeThresholds(
    firm_shift=0.10, firm_share=0.50, shaky_shift=0.05, shaky_share=0.25, noise=0.01
)


@dataclass(frozen=True, eq=False)
class RobustnessReport:
    """Everything the robustness view and ``afweging robustness`` show, for one weight vector."""

    case_id: str
    criteria_set_id: str
    option_ids: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    weights: FloatArray  # leaf weights, summing to 1
    ranks: tuple[int, ...]  # competition ranks at the current weights
    stability: tuple[StabilityInterval, ...]  # per leaf criterion; empty with one criterion
    smaa: SmaaResult
    methods: CrossCheck | None  # None when TOPSIS cannot run (a raw column of zeros)
    samples: int
    seed: int
    spread: float | None  # None: uniform weights; else Dirichlet around ``weights``

    @property
    def winners(self) -> tuple[int, ...]:
        """Indices of the options ranked first now (more than one on a tie)."""
        return tuple(i for i, r in enumerate(self.ranks) if r == 1)

    @property
    def scores_vary(self) -> bool:
        """Whether some score has a range, so the simulation drew scores too."""
        return self.smaa.scores_vary

    def most_sensitive(self) -> StabilityInterval | None:
        """The criterion whose weight can move least before the winner changes."""
        if not self.stability:
            return None
        return min(self.stability, key=lambda s: (s.winner_width, s.criterion))

    def to_json_dict(self) -> dict[str, Any]:
        """The ``afweging robustness --format json`` document (weights as fractions)."""
        crit = self.criterion_ids
        central = {
            oid: None if w is None else dict(zip(crit, map(float, w), strict=True))
            for oid, w in zip(self.option_ids, self.smaa.central_weights, strict=True)
        }
        methods: dict[str, dict[str, int]] | None = None
        if self.methods is not None:
            methods = {
                name: dict(zip(self.option_ids, map(int, self.methods.ranks[name]), strict=True))
                for name in METHOD_NAMES
            }
        return {
            "case": self.case_id,
            "criteria_set": self.criteria_set_id,
            "weights": dict(zip(crit, map(float, self.weights), strict=True)),
            "samples": self.samples,
            "seed": self.seed,
            "stability": {
                crit[s.criterion]: {
                    "winner": [_clean(s.winner_lo), _clean(s.winner_hi)],
                    "ranking": [_clean(s.ranking_lo), _clean(s.ranking_hi)],
                }
                for s in self.stability
            },
            "acceptability": {
                oid: [float(x) for x in row]
                for oid, row in zip(self.option_ids, self.smaa.acceptability, strict=True)
            },
            "central_weights": central,
            "methods": methods,
            "grade": grade(self).to_json_dict(self),
        }


def robustness_report(
    matrix: Matrix,
    weights: FloatArray,
    *,
    samples: int = 10_000,
    seed: int = 0,
    spread: float | None = None,
) -> RobustnessReport:
    """Stability per leaf criterion, SMAA-2 over weights and score ranges, and a method check.

    ``weights`` are leaf weights in ``matrix.leaves`` order (normalised here).
    Without ``spread`` every weight vector is equally likely (no weight
    information); with ``spread`` in [0, 1) the weights scatter around the given
    ones (see :class:`afweging.smaa.WeightsAround`). The same ``seed`` gives the
    same numbers.
    """
    w = normalise_weights(weights)
    values = matrix.values
    if w.shape != (values.shape[1],):
        raise ValueError(f"weights must have shape ({values.shape[1]},), got {w.shape}")
    stability = stability_intervals(values, w) if values.shape[1] >= 2 else ()
    model = UniformWeights() if spread is None else WeightsAround(w, spread)
    lo, hi = matrix.value_bounds
    acceptability = smaa(values, model, lo=lo, hi=hi, n_samples=samples, seed=seed)
    try:
        methods: CrossCheck | None = cross_check(matrix.raw, matrix.directions, w, values)
    except ValueError:
        methods = None
    return RobustnessReport(
        case_id=matrix.case.id,
        criteria_set_id=matrix.criteria_set.id,
        option_ids=tuple(matrix.option_ids),
        criterion_ids=tuple(matrix.criterion_ids),
        weights=w,
        ranks=tuple(int(r) for r in competition_ranks(overall_scores(values, w))),
        stability=stability,
        smaa=acceptability,
        methods=methods,
        samples=samples,
        seed=seed,
        spread=spread,
    )


def crossing_points(
    values: FloatArray, weights: FloatArray, interval: StabilityInterval
) -> list[tuple[float, float, int, int]]:
    """``(weight, score, a, b)`` where option ``a`` overtakes ``b`` on a criterion's sweep.

    For marking the crossings on a sensitivity chart; the scores are exact
    (the score lines are straight, see :mod:`afweging.sensitivity`).
    """
    intercept, slope = score_lines(values, weights, interval.criterion)
    t, a, b = interval.crossings.arrays()
    score = intercept[a] + slope[a] * t  # one pass: a criterion can have 10^5 crossings
    return list(zip(t.tolist(), score.tolist(), a.tolist(), b.tolist(), strict=True))


def pct(x: float, lang: Lang) -> str:
    """A share as a whole percentage; never rounds a small share to 0% or a large one to 100%."""
    if 0 < x < 0.005:
        return "<" + percent(0.01, lang)
    if 0.995 <= x < 1:
        return ">" + percent(0.99, lang)
    return percent(x, lang)


def points(x: float, lang: Lang) -> str:
    """A weight difference in percentage points, ROUNDED DOWN to one decimal: 0.0583 -> 5,8.

    Rounded down so that the figure shown is a shift that really keeps the
    winner, and never reads as reaching a threshold the grade says it misses; a
    whole number loses its ",0" (10, not 10,0).
    """
    text = decimal(math.floor(x * 1000 + GRADE_TOL * 1000) / 10, lang, 1)
    return text[:-2] if text[-2:] in (",0", ".0") else text


def criterion_name(criterion_id: str, labels: Mapping[str, str]) -> str:
    """A criterion's label for use mid-sentence: first letter lower-cased unless an acronym."""
    label = labels.get(criterion_id, criterion_id)
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def interval_phrase(
    lo: float, hi: float, current: float, criterion: str, lang: Lang, t: Translate
) -> str:
    """ "while X weighs between 12,5% and 48%" (or at most / at least / any / only now).

    Weights have one decimal (:func:`weight_pct`), as in the summary sentence, so
    the two never disagree on where the winner changes.
    """
    if hi - lo >= 1 - FULL_TOL:
        return t("rob_iv_any", lang, criterion=criterion)
    if hi - lo <= FULL_TOL:
        return t("rob_iv_point", lang, criterion=criterion, now=weight_pct(current, lang))
    if lo <= FULL_TOL:
        return t("rob_iv_at_most", lang, criterion=criterion, hi=weight_pct(hi, lang))
    if hi >= 1 - FULL_TOL:
        return t("rob_iv_at_least", lang, criterion=criterion, lo=weight_pct(lo, lang))
    return t(
        "rob_iv_between",
        lang,
        criterion=criterion,
        lo=weight_pct(lo, lang),
        hi=weight_pct(hi, lang),
    )


@dataclass(frozen=True)
class NearestChange:
    """The smallest single-weight shift at which the current winner stops being first."""

    criterion: int
    weight_now: float
    weight_then: float  # the end of the winner interval: from here on another option leads
    takeover: int | None  # the option that catches up there; None: a tie among the winners breaks

    @property
    def shift(self) -> float:
        """How far the weight moves, as a fraction (0.05 = 5 percentage points)."""
        return abs(self.weight_then - self.weight_now)


@dataclass(frozen=True)
class RobustnessGrade:
    """The verdict on the winner, with the figures it rests on."""

    grade: Grade
    nearest: NearestChange | None  # None: no single-weight shift changes the winner
    share: float  # share of the draws in which a current winner comes first
    rival: int | None  # the other option most often first (None: no other option ever is)
    rival_share: float
    tie: bool  # several options share first place at the current weights
    thresholds: GradeThresholds

    @property
    def shift(self) -> float:
        """The nearest change as a fraction of weight; infinite when there is none."""
        return math.inf if self.nearest is None else self.nearest.shift

    @property
    def tie_breaks(self) -> bool:
        """A tie at the current weights that any shift decides."""
        return self.tie and self.shift <= GRADE_TOL

    @property
    def lead(self) -> Literal["ahead", "level", "behind"]:
        """The winner against the rival in the draws, with the simulation's noise as margin."""
        diff = self.share - self.rival_share
        if diff >= self.thresholds.noise - GRADE_TOL:
            return "ahead"
        if -diff >= self.thresholds.noise - GRADE_TOL:
            return "behind"
        return "level"

    def reasons(self) -> tuple[str, ...]:
        """The conditions that decide the grade: ``shift``, ``share`` and/or ``rival``.

        For "wankel" the ones that make it shaky; for "redelijk zeker" the ones
        that keep it from firm; for "stevig" both firm conditions.
        """
        th = self.thresholds
        found: tuple[tuple[str, bool], ...]
        if self.grade == "wankel":
            found = (
                ("shift", self.shift < th.shaky_shift - GRADE_TOL),
                ("share", self.share < th.shaky_share - GRADE_TOL),
                ("rival", self.lead == "behind"),
            )
            return tuple(code for code, hit in found if hit)
        if self.grade == "redelijk_zeker":
            found = (
                ("shift", self.shift < th.firm_shift - GRADE_TOL),
                ("share", self.share <= th.firm_share + GRADE_TOL),
            )
            return tuple(code for code, hit in found if hit)
        return ("shift", "share")

    def to_json_dict(self, report: RobustnessReport) -> dict[str, Any]:
        """The ``"grade"`` entry of the robustness JSON (ids, fractions)."""
        near = self.nearest
        return {
            "grade": self.grade,
            "reasons": list(self.reasons()),
            "nearest_change": None
            if near is None
            else {
                "criterion": report.criterion_ids[near.criterion],
                "weight_now": _clean(near.weight_now),
                "weight_then": _clean(near.weight_then),
                "shift": _clean(near.shift),
                "takeover": None if near.takeover is None else report.option_ids[near.takeover],
            },
            "first_share": float(self.share),
            "rival": None if self.rival is None else report.option_ids[self.rival],
            "rival_share": float(self.rival_share),
            "thresholds": asdict(self.thresholds),
        }


def grade_of(
    shift: float, share: float, rival_share: float, thresholds: GradeThresholds = GRADE_THRESHOLDS
) -> Grade:
    """The grade from its three figures (see :class:`GradeThresholds`).

    ``shift``: the nearest single-weight change of the winner (``math.inf`` when
    none); ``share``: how often the winner is first in the draws; ``rival_share``:
    how often the most frequent other option is.
    """
    th = thresholds
    if (
        shift < th.shaky_shift - GRADE_TOL
        or share < th.shaky_share - GRADE_TOL
        or rival_share - share >= th.noise - GRADE_TOL
    ):
        return "wankel"
    if shift >= th.firm_shift - GRADE_TOL and share > th.firm_share + GRADE_TOL:
        return "stevig"
    return "redelijk_zeker"


def nearest_change(report: RobustnessReport) -> NearestChange | None:
    """The nearest end of a winner interval that is not 0 or 100%, over all criteria.

    On equal distances the first criterion wins, and a rise before a fall. None
    when every winner interval runs from 0 to 100% (or there is one criterion).
    """
    winners = set(report.winners)
    best: tuple[float, StabilityInterval, float, int] | None = None
    for s in report.stability:
        ends = []
        if s.winner_hi < 1 - FULL_TOL:
            ends.append((s.winner_hi, 1))
        if s.winner_lo > FULL_TOL:
            ends.append((s.winner_lo, -1))
        for end, direction in ends:
            shift = abs(end - s.current_weight)
            if best is None or shift < best[0] - GRADE_TOL:
                best = (shift, s, end, direction)
    if best is None:
        return None
    _, s, end, direction = best
    takeover = None
    for c in s.crossings.near(end, 1e-7):
        if direction > 0 and c.b in winners and c.a not in winners:
            takeover = c.a
            break
        if direction < 0 and c.a in winners and c.b not in winners:
            takeover = c.b
            break
    return NearestChange(s.criterion, s.current_weight, end, takeover)


def grade(
    report: RobustnessReport, thresholds: GradeThresholds = GRADE_THRESHOLDS
) -> RobustnessGrade:
    """Grade the winner of ``report``: stevig, redelijk zeker or wankel (:class:`GradeThresholds`).

    On a tie the winners count together: their shares add up, and a tie that
    any shift breaks is a shift of 0.
    """
    winners = report.winners
    first = report.smaa.first_rank
    share = float(sum(first[i] for i in winners))
    others = [i for i in range(first.size) if i not in winners]
    rival = max(others, key=lambda i: (first[i], -i)) if others else None
    rival_share = 0.0 if rival is None else float(first[rival])
    if rival_share <= 0:
        rival = None
    nearest = nearest_change(report)
    shift = math.inf if nearest is None else nearest.shift
    return RobustnessGrade(
        grade=grade_of(shift, share, rival_share, thresholds),
        nearest=nearest,
        share=share,
        rival=rival,
        rival_share=rival_share,
        tie=len(winners) > 1,
        thresholds=thresholds,
    )


def share_pct(x: float, lang: Lang, thresholds: GradeThresholds = GRADE_THRESHOLDS) -> str:
    """A share of the draws as :func:`pct` writes it, but with one decimal when the whole
    percentage would equal a threshold the share does not equal (50,2%, not 50%, where
    "more than 50%" decides the grade)."""
    limits = (thresholds.firm_share, thresholds.shaky_share)
    if any(x != v and abs(x - v) < 0.005 for v in limits):
        return percent(x, lang, 1)
    return pct(x, lang)


def join_names(names: list[str], lang: Lang, t: Translate) -> str:
    """ "A", "A en B", "A, B en C" (``rob_and`` holds the spaced word)."""
    if len(names) <= 2:
        return t("rob_and", lang).join(names)
    return ", ".join(names[:-1]) + t("rob_and", lang) + names[-1]


def weight_pct(x: float, lang: Lang) -> str:
    """A weight with one decimal (33,3%; 50%, not 50,0%), so a shift of 5,8 points adds up."""
    return percent(x, lang, 1, trim=True)


def grade_label(g: RobustnessGrade, lang: Lang, t: Translate) -> str:
    """``stevig`` / ``redelijk zeker`` / ``wankel`` (firm / fairly sure / shaky)."""
    return t(f"rob_grade_{g.grade}", lang)


def grade_reason(
    g: RobustnessGrade,
    report: RobustnessReport,
    labels: Mapping[str, str],
    lang: Lang,
    t: Translate,
) -> str:
    """ "Why fairly sure: ..." with the figures that decide the grade and the rule each meets."""
    th = g.thresholds
    facts = []
    for code in g.reasons():
        if code == "shift":
            if g.nearest is None:
                fact = t("rob_why_shift_none", lang)
            elif g.tie_breaks:
                fact = t("rob_why_tie_breaks", lang)
            else:
                fact = t("rob_why_shift", lang, points=points(g.shift, lang))
            if g.grade == "wankel":
                rule = t("rob_rule_shaky_shift", lang, points=points(th.shaky_shift, lang))
            else:
                rule = t("rob_rule_firm_shift", lang, points=points(th.firm_shift, lang))
        elif code == "share":
            key = "rob_why_share_tie" if g.tie else "rob_why_share"
            fact = t(key, lang, share=share_pct(g.share, lang, th))
            if g.grade == "wankel":
                rule = t("rob_rule_shaky_share", lang, share=pct(th.shaky_share, lang))
            else:
                rule = t("rob_rule_firm_share", lang, share=pct(th.firm_share, lang))
        else:
            rival = "" if g.rival is None else report.option_ids[g.rival]
            rule = t("rob_rule_shaky_rival", lang, points=points(th.noise, lang))
            share = pct(g.rival_share, lang)
            # the rule goes inside the fact's own brackets: "X wint vaker (46%; wankel als ...)"
            rival_share = f"{share}; {rule}"
            facts.append(
                t("rob_why_rival", lang, rival=labels.get(rival, rival), rival_share=rival_share)
            )
            continue
        facts.append(f"{fact} ({rule})")
    return t("rob_why", lang, grade=grade_label(g, lang, t), facts="; ".join(facts))


def grade_rules(
    lang: Lang, t: Translate, thresholds: GradeThresholds = GRADE_THRESHOLDS
) -> list[str]:
    """The three grades defined in words with their numbers, and why these numbers."""
    th = thresholds
    fields = {
        "firm_shift": points(th.firm_shift, lang),
        "firm_share": pct(th.firm_share, lang),
        "shaky_shift": points(th.shaky_shift, lang),
        "shaky_share": pct(th.shaky_share, lang),
        "noise": points(th.noise, lang),
    }
    return [
        t(key, lang, **fields)
        for key in ("rob_grades_firm", "rob_grades_fair", "rob_grades_shaky", "rob_grades_why")
    ]


def summary_sentence(
    report: RobustnessReport, labels: Mapping[str, str], lang: Lang, t: Translate
) -> str:
    """The plain answer: who wins at your weights, how far one weight can move before that
    changes, and how often that option wins in the simulation, reconciled in one sentence
    (a second one says what follows when the two disagree).

    ``labels`` maps option and criterion ids to display names (the id is used
    when missing); ``t(key, lang, **fields)`` supplies every text.
    """
    g = grade(report)
    name = [labels.get(o, o) for o in report.option_ids]
    winners = report.winners
    tie = len(winners) > 1
    names = join_names([name[i] for i in winners], lang, t)
    parts = [t("rob_v_head_tie" if tie else "rob_v_head", lang, name=names, names=names)]
    parts.append(_local_clause(report, g, labels, name, lang, t))

    basis = (
        t("rob_v_basis_uniform", lang)
        if report.spread is None
        else t("rob_v_basis_around", lang, spread=pct(report.spread, lang))
    )
    if report.scores_vary:
        basis = t("rob_v_basis_ranges", lang, basis=basis)
    rival = "" if g.rival is None else name[g.rival]
    share, rival_share = share_pct(g.share, lang, g.thresholds), pct(g.rival_share, lang)
    if share == rival_share and g.share != g.rival_share:  # "31% against 31%" reads as a tie
        share, rival_share = percent(g.share, lang, 1), percent(g.rival_share, lang, 1)
    fields = {
        "basis": basis,
        "name": t("rob_v_this_option", lang),  # the winner was named at the start
        "names": names,
        "share": share,
        "rival": rival,
        "rival_share": rival_share,
        "shares": "; ".join(f"{name[i]}: {pct(report.smaa.first_rank[i], lang)}" for i in winners),
    }
    prefix = "rob_v_tie_" if tie else "rob_v_"
    if g.share >= 1 - GRADE_TOL:
        parts.append(t(prefix + "always", lang, **fields))
    elif g.rival is None or g.share > g.thresholds.firm_share + GRADE_TOL:
        parts.append(t(prefix + "mostly", lang, **fields))
    elif g.lead == "ahead":
        parts.append(t(prefix + "most_often", lang, **fields))
    else:
        parts.append(t(prefix + g.lead, lang, **fields))
        model = "uniform" if report.spread is None else "around"
        key = f"rob_v_so_tie_{model}" if tie else f"rob_v_so_{model}"
        parts.append(t(key, lang, name=t("rob_v_your_winner", lang)))
        parts.append(_where_clause(report, g, labels, rival, lang, t))
    return "".join(parts) + "."


def _local_clause(
    report: RobustnessReport,
    g: RobustnessGrade,
    labels: Mapping[str, str],
    name: list[str],
    lang: Lang,
    t: Translate,
) -> str:
    """What one weight can do: nothing, break a tie, or hand first place to another option."""
    tie = g.tie
    near = g.nearest
    if not report.stability:
        return ""
    if near is None:
        return t("rob_v_any_tie" if tie else "rob_v_any", lang)
    crit = criterion_name(report.criterion_ids[near.criterion], labels)
    if g.tie_breaks or (tie and near.takeover is None):
        return t("rob_v_breaks", lang, criterion=crit)
    other = t("rob_v_another", lang) if near.takeover is None else name[near.takeover]
    if math.floor(near.shift * 1000 + GRADE_TOL * 1000) == 0:
        key = "rob_v_hair_up" if near.weight_then > near.weight_now else "rob_v_hair_down"
        return t(key, lang, criterion=crit, other=other, tenth=decimal(0.1, lang, 1))
    return t(
        "rob_v_shift_tie" if tie else "rob_v_shift",
        lang,
        points=points(near.shift, lang),
        criterion=crit,
        now=weight_pct(near.weight_now, lang),
        then=weight_pct(near.weight_then, lang),
        other=other,
    )


def _where_clause(
    report: RobustnessReport,
    g: RobustnessGrade,
    labels: Mapping[str, str],
    rival: str,
    lang: Lang,
    t: Translate,
) -> str:
    """Where the rival wins: the criterion its central weights differ most on from yours."""
    if g.rival is None or len(report.criterion_ids) < 2:
        return ""
    central = report.smaa.central_weights[g.rival]
    if central is None:
        return ""
    diff = np.round(np.abs(central - report.weights), 9)  # equal differences: the first
    j = int(np.argmax(diff))
    if diff[j] < 0.005:  # the rival's typical weights are yours: nothing to point at
        return ""
    return t(
        "rob_v_where",
        lang,
        rival=rival,
        criterion=criterion_name(report.criterion_ids[j], labels),
        central=pct(float(central[j]), lang),
        now=pct(float(report.weights[j]), lang),
    )


def _clean(weight: float) -> float:
    """A solved interval end without float dust (2.8e-16 is 0 to anyone reading JSON)."""
    return round(float(weight), 12) + 0.0
