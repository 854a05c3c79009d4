"""How sure is the winner? One report combining every robustness analysis.

:func:`robustness_report` runs, for one :class:`~afweging.analysis.Matrix` and
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

:func:`summary_sentence` turns the report into the one sentence a councillor
can repeat; its texts come from the caller's translation function, so this
module holds no interface text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from afweging.analysis import Matrix
from afweging.methods import METHOD_NAMES, CrossCheck, cross_check
from afweging.model import Lang
from afweging.scoring import FloatArray, competition_ranks, normalise_weights, overall_scores
from afweging.sensitivity import StabilityInterval, score_lines, stability_intervals
from afweging.smaa import SmaaResult, UniformWeights, WeightsAround, smaa

#: ``t(key, lang, **fields)``: the caller's translation function.
Translate = Callable[..., str]

#: An interval this close to [0, 1] counts as "any weight".
FULL_TOL = 1e-9


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
    return [(c.t, float(intercept[c.a] + slope[c.a] * c.t), c.a, c.b) for c in interval.crossings]


def pct(x: float, lang: Lang) -> str:
    """A share as a whole percentage; never rounds a small share to 0% or a large one to 100%."""
    if 0 < x < 0.005:
        text = "<1%"
    elif 0.995 <= x < 1:
        text = ">99%"
    else:
        text = f"{x:.0%}"
    return text.replace(".", ",") if lang == "nl" else text


def criterion_name(criterion_id: str, labels: Mapping[str, str]) -> str:
    """A criterion's label for use mid-sentence: first letter lower-cased unless an acronym."""
    label = labels.get(criterion_id, criterion_id)
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def interval_phrase(
    lo: float, hi: float, current: float, criterion: str, lang: Lang, t: Translate
) -> str:
    """ "while X weighs between 12% and 48%" (or at most / at least / any / only now)."""
    if hi - lo >= 1 - FULL_TOL:
        return t("rob_iv_any", lang, criterion=criterion)
    if hi - lo <= FULL_TOL:
        return t("rob_iv_point", lang, criterion=criterion, now=pct(current, lang))
    if lo <= FULL_TOL:
        return t("rob_iv_at_most", lang, criterion=criterion, hi=pct(hi, lang))
    if hi >= 1 - FULL_TOL:
        return t("rob_iv_at_least", lang, criterion=criterion, lo=pct(lo, lang))
    return t("rob_iv_between", lang, criterion=criterion, lo=pct(lo, lang), hi=pct(hi, lang))


def summary_sentence(
    report: RobustnessReport, labels: Mapping[str, str], lang: Lang, t: Translate
) -> str:
    """The one-sentence answer: who wins, on which weight that hinges, and how often it wins.

    ``labels`` maps option and criterion ids to display names (the id is used
    when missing); ``t(key, lang, **fields)`` supplies every text.
    """
    name = [labels.get(o, o) for o in report.option_ids]
    winners = report.winners
    if len(winners) == 1:
        head = t("rob_sum_winner", lang, name=name[winners[0]])
    else:
        head = t("rob_sum_tie", lang, names=t("rob_and", lang).join(name[i] for i in winners))
    weak = report.most_sensitive()
    if weak is None:
        hinge = ""
    elif weak.winner_width >= 1 - FULL_TOL:
        hinge = t("rob_sum_any_weight", lang)
    elif weak.winner_width <= FULL_TOL and len(winners) > 1:
        hinge = t("rob_sum_tie_breaks", lang)
    else:
        crit = criterion_name(report.criterion_ids[weak.criterion], labels)
        phrase = interval_phrase(weak.winner_lo, weak.winner_hi, weak.current_weight, crit, lang, t)
        hinge = t("rob_sum_hinge", lang, interval=phrase)
    first = report.smaa.first_rank
    basis_key = "rob_basis_uniform" if report.spread is None else "rob_basis_around"
    basis = t(basis_key, lang, spread=pct(report.spread or 0.0, lang))
    if report.scores_vary:
        basis = t("rob_basis_with_ranges", lang, basis=basis)
    if len(winners) == 1:
        share = t(
            "rob_sum_share",
            lang,
            basis=basis,
            name=name[winners[0]],
            share=pct(first[winners[0]], lang),
        )
    else:
        share = t(
            "rob_sum_share_tie",
            lang,
            basis=basis,
            names=t("rob_and", lang).join(name[i] for i in winners),
            share=pct(float(sum(first[i] for i in winners)), lang),
        )
    best = int(np.argmax(first))
    other = ""
    if best not in winners and first[best] > 0:
        other = t("rob_sum_other", lang, name=name[best], share=pct(first[best], lang))
    return " ".join(p for p in (head + hinge + ".", share, other) if p)


def _clean(weight: float) -> float:
    """A solved interval end without float dust (2.8e-16 is 0 to anyone reading JSON)."""
    return round(float(weight), 12) + 0.0
