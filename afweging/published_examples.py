"""Worked examples with known answers, to check our arithmetic against.

Each example carries its inputs, the figures its source gives, the tolerance
the comparison allows (half a unit in the last published decimal unless noted)
and a citation. The tests compare :func:`ours` with ``published`` for every
example; the dashboard's "Rekencontrole" page shows them side by side.

Only figures that were checked against a stated source are called published.
Where no such source was at hand, the example says so in ``source`` and its
figures are derived (by hand or from a theorem) instead.

``source`` and ``note`` are :class:`~afweging.model.Text`: Dutch (with decimal
commas) and English, so the page shows the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from afweging.ahp import ahp_weights, reciprocal_matrix
from afweging.methods import promethee_ii, topsis
from afweging.model import Text
from afweging.scoring import overall_scores


@dataclass(frozen=True)
class PublishedExample:
    """One worked example: inputs, the source's figures, and how close ours must be."""

    name: str
    method: str  # "ahp", "ahp_hierarchy", "topsis" or "promethee_ii"
    source: Text
    inputs: Mapping[str, Any]
    published: Mapping[str, tuple[float, ...]]
    tolerance: float
    labels: tuple[str, ...] = ()  # names of the items the published figures are for
    note: Text | None = None
    derived: bool = field(default=False)  # True: figures derived, not quoted from a source

    def __post_init__(self) -> None:
        object.__setattr__(self, "inputs", MappingProxyType(dict(self.inputs)))
        object.__setattr__(self, "published", MappingProxyType(dict(self.published)))


EXAMPLES: tuple[PublishedExample, ...] = (
    PublishedExample(
        name="ahp_wikipedia_leader_example",
        method="ahp_hierarchy",
        source=Text(
            nl=(
                'Wikipedia, "Analytic hierarchy process - leader example" (een leider kiezen: '
                "Tom, Dick of Harry, op ervaring, opleiding, charisma en leeftijd). De pagina "
                "geeft de totaalprioriteiten Tom 0,358, Dick 0,493 en Harry 0,149; de matrices "
                "met oordelen zijn die van die pagina."
            ),
            en=(
                'Wikipedia, "Analytic hierarchy process - leader example" (choosing a leader: '
                "Tom, Dick, Harry on Experience, Education, Charisma, Age). The page gives the "
                "overall priorities Tom .358, Dick .493, Harry .149; the judgement matrices are "
                "as given on that page."
            ),
        ),
        inputs={
            # Upper triangles, row by row (see afweging.ahp.reciprocal_matrix).
            "criteria": ("4", "3", "7", "1/3", "3", "5"),
            "alternatives": (
                ("1/4", "4", "9"),  # Experience
                ("3", "1/5", "1/7"),  # Education
                ("5", "9", "4"),  # Charisma
                ("1/3", "5", "9"),  # Age
            ),
        },
        published={"overall_priorities": (0.358, 0.493, 0.149)},
        tolerance=0.0005,
        labels=("Tom", "Dick", "Harry"),
        note=Text(
            nl=(
                "De pagina geeft ook de criteriumgewichten 0,547; 0,127; 0,270 en 0,056. Onze "
                "eigenvector geeft 0,5476; 0,1266; 0,2699 en 0,0559: ervaring rondt af op 0,548, "
                "dus die vier getallen worden genoemd maar niet tot op de laatste decimaal "
                "gecontroleerd."
            ),
            en=(
                "The page also gives criteria weights .547, .127, .270, .056. Our principal "
                "eigenvector gives .5476, .1266, .2699, .0559: Experience rounds to .548, so "
                "those four figures are shown but not checked to the last decimal."
            ),
        ),
    ),
    PublishedExample(
        name="ahp_consistent_matrix_derived",
        method="ahp",
        source=Text(
            nl=(
                "Afgeleide controle, geen gepubliceerd getal: bij een consistente matrix "
                "a_ij = w_i / w_j is de grootste eigenwaarde precies n en de eigenvector w, dus "
                "CR = 0 (Saaty 1977, J. Math. Psychology 15(3), 'A scaling method for priorities "
                "in hierarchical structures'). Hier is w = (8, 4, 2, 1) / 15, alle verhoudingen "
                "op de schaal van 1 tot 9."
            ),
            en=(
                "Derived check, not a published figure: for a consistent matrix a_ij = w_i / w_j "
                "the principal eigenvalue is exactly n and its eigenvector is w, so CR = 0 "
                "(Saaty 1977, J. Math. Psychology 15(3), 'A scaling method for priorities in "
                "hierarchical structures'). Here w = (8, 4, 2, 1) / 15, all ratios on the 1..9 "
                "scale."
            ),
        ),
        inputs={"judgements": ("2", "4", "8", "2", "4", "2")},
        published={
            "weights": (8 / 15, 4 / 15, 2 / 15, 1 / 15),
            "lambda_max": (4.0,),
            "consistency_ratio": (0.0,),
        },
        tolerance=1e-9,
        labels=("c1", "c2", "c3", "c4"),
        derived=True,
    ),
    PublishedExample(
        name="topsis_tzeng_huang_2011",
        method="topsis",
        source=Text(
            nl=(
                "Tzeng, G.-H. en Huang, J.-J. (2011), Multiple Attribute Decision Making: "
                "Methods and Applications, CRC Press, rekenvoorbeeld bij TOPSIS (4 alternatieven, "
                "3 criteria waarop meer beter is). De getallen zoals overgenomen in de tests van "
                "scikit-criteria (tests/agg/test_topsis.py::test_TOPSIS_tzeng2011multiple), niet "
                "opnieuw in het boek nagelezen."
            ),
            en=(
                "Tzeng, G.-H. and Huang, J.-J. (2011), Multiple Attribute Decision Making: "
                "Methods and Applications, CRC Press, TOPSIS numerical example (4 alternatives, "
                "3 benefit criteria). Figures as reproduced in scikit-criteria's test suite "
                "(tests/agg/test_topsis.py::test_TOPSIS_tzeng2011multiple), not re-read from "
                "the book."
            ),
        ),
        inputs={
            "raw": ((5, 8, 4), (7, 6, 8), (8, 8, 6), (7, 4, 6)),
            "directions": (1, 1, 1),
            "weights": (0.3, 0.4, 0.3),
        },
        published={"closeness": (0.5037, 0.6581, 0.7482, 0.3340)},
        tolerance=0.00005,
        labels=("A1", "A2", "A3", "A4"),
    ),
    PublishedExample(
        name="promethee_ii_pymcdm_doc_example",
        method="promethee_ii",
        source=Text(
            nl=(
                "Documentatie van pymcdm 1.4.0, de voorbeelden bij PROMETHEE_I en PROMETHEE_II "
                "(gewone voorkeursfunctie): documentatie van een programmabibliotheek, geen "
                "publicatie met peer review. Een gepubliceerd voorbeeld van PROMETHEE II met het "
                "gewone criterium kon niet worden geverifieerd, dus de getallen zijn ook met de "
                "hand afgeleid: pi(A1, A2) = 0,5 + 0,3 = 0,8; pi(A2, A1) = 0,2; pi(A1, A3) = 0,3; "
                "pi(A3, A1) = 0,7; pi(A2, A3) = 0,5; pi(A3, A2) = 0,5. De stromen delen de rij- "
                "en kolomsommen door n - 1 = 2."
            ),
            en=(
                "pymcdm 1.4.0 documentation, PROMETHEE_I and PROMETHEE_II docstring examples "
                "(usual preference function): library documentation, not a peer-reviewed "
                "publication. No published PROMETHEE II example with the usual criterion could "
                "be verified, so the figures were also re-derived by hand: pi(A1,A2) = 0.5 + 0.3 "
                "= 0.8, pi(A2,A1) = 0.2, pi(A1,A3) = 0.3, pi(A3,A1) = 0.7, pi(A2,A3) = 0.5, "
                "pi(A3,A2) = 0.5; flows divide row and column sums by n - 1 = 2."
            ),
        ),
        inputs={
            "raw": ((4, 3, 2), (3, 2, 4), (5, 1, 3)),
            "directions": (1, 1, 1),
            "weights": (0.5, 0.3, 0.2),
        },
        published={
            "positive": (0.55, 0.35, 0.60),
            "negative": (0.45, 0.65, 0.40),
            "net": (0.1, -0.3, 0.2),
        },
        tolerance=1e-9,
        labels=("A1", "A2", "A3"),
        derived=True,
    ),
)


def by_name(name: str) -> PublishedExample:
    """The example called ``name``; the error lists the valid names."""
    for ex in EXAMPLES:
        if ex.name == name:
            return ex
    raise KeyError(f"no published example {name!r}; choose from {[e.name for e in EXAMPLES]}")


def ours(example: PublishedExample) -> dict[str, tuple[float, ...]]:
    """Our figures for every key in ``example.published``, computed from its inputs."""
    inp = example.inputs
    if example.method == "ahp":
        res = ahp_weights(reciprocal_matrix(inp["judgements"]))
        got = {
            "weights": tuple(res.weights),
            "lambda_max": (res.lambda_max,),
            "consistency_ratio": (res.consistency_ratio,),
        }
    elif example.method == "ahp_hierarchy":
        criteria = ahp_weights(reciprocal_matrix(inp["criteria"]))
        local = np.column_stack(
            [ahp_weights(reciprocal_matrix(j)).weights for j in inp["alternatives"]]
        )
        got = {
            "criteria_weights": tuple(criteria.weights),
            # Hierarchic composition is the additive model: local priorities as values.
            "overall_priorities": tuple(overall_scores(local, criteria.weights)),
        }
    elif example.method == "topsis":
        got = {"closeness": tuple(topsis(inp["raw"], inp["directions"], inp["weights"]).closeness)}
    elif example.method == "promethee_ii":
        flows = promethee_ii(inp["raw"], inp["directions"], inp["weights"])
        got = {
            "positive": tuple(flows.positive),
            "negative": tuple(flows.negative),
            "net": tuple(flows.net),
        }
    else:
        raise ValueError(f"unknown method {example.method!r} in example {example.name!r}")
    return {key: tuple(float(x) for x in got[key]) for key in example.published}
