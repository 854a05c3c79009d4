"""The domain model: criteria sets (value trees) and cases (options scored on criteria).

The models are strict (unknown keys are errors) and frozen, and check shape and
types. Checks of meaning (duplicate ids, ranges holding their values, a scale's
min below its max, scores against a criteria set, quotes against the source
documents) live in :mod:`afweging.validation`, which runs them on the raw data
so that every problem in a file is reported at once.
JSON Schemas in ``schema/`` are generated from these classes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Lang = Literal["nl", "en"]
LANGS: tuple[Lang, ...] = ("nl", "en")

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64),
    Field(description="Lower-case identifier: letters a-z, digits, '_' and '-'."),
]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Weight = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in Dutch and English; both are required."""

    nl: NonEmpty
    en: NonEmpty

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.nl if lang == "nl" else self.en


class Evidence(_Strict):
    """A short verbatim quote from a source document in ``seeds/``."""

    source: Annotated[str, Field(description="File name of a document in seeds/.")]
    quote: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Scale(_Strict):
    """The declared scale of a leaf criterion; scores map to [0, 1] over it."""

    min: Number
    max: Number
    labels: dict[int, str] = Field(default_factory=dict, description="Short label per level.")
    levels: dict[int, Text] = Field(default_factory=dict, description="What each level means.")

    def label(self, value: float) -> str:
        """The label of the level nearest to ``value`` ('' when none is declared)."""
        if not self.labels:
            return ""
        return self.labels[min(self.labels, key=lambda k: abs(k - value))]


class Criterion(_Strict):
    """A criterion: a leaf that options are scored on, or a parent of sub-criteria."""

    id: Id
    label: Text
    description: Text | None = None
    direction: Literal["higher_is_better", "lower_is_better"] | None = None
    scale: Scale | None = None
    default_weight: Weight = 1.0
    evidence: list[Evidence] = Field(default_factory=list)
    criteria: list[Criterion] | None = Field(
        default=None, description="Sub-criteria; a criterion with them is a parent."
    )

    @property
    def is_leaf(self) -> bool:
        return not self.criteria

    @property
    def higher_is_better(self) -> bool:
        return self.direction != "lower_is_better"

    def walk(self) -> Iterator[Criterion]:
        """This criterion and all below it, depth first."""
        yield self
        for child in self.criteria or []:
            yield from child.walk()


class CriteriaSet(_Strict):
    """A named value tree of criteria; a flat list is a tree of depth one."""

    id: Id
    label: Text
    description: Text | None = None
    criteria: list[Criterion] = Field(min_length=1)

    def walk(self) -> Iterator[Criterion]:
        """Every criterion in the tree, depth first."""
        for criterion in self.criteria:
            yield from criterion.walk()

    def leaves(self) -> list[Criterion]:
        """The criteria options are scored on, in tree order."""
        return [c for c in self.walk() if c.is_leaf]

    def find(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError when absent)."""
        for criterion in self.walk():
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    @property
    def depth(self) -> int:
        """1 for a flat set, 2 for a two-level tree."""

        def depth(c: Criterion) -> int:
            return 1 + max((depth(k) for k in c.criteria or []), default=0)

        return max(depth(c) for c in self.criteria)


class CaseSource(_Strict):
    """The document a case is drawn from."""

    file: str
    title: NonEmpty


class OptionSource(_Strict):
    """Where in a document an option is described."""

    file: str
    part: NonEmpty


class Score(_Strict):
    """One option's score on one leaf criterion, with its reasons."""

    value: Number
    range: tuple[Number, Number] | None = Field(
        default=None, description="[low, high]: where the documents say the effect varies."
    )
    basis: Literal["bron", "afgeleid"] = Field(
        description="bron: a source states it; afgeleid: our judgement from the sources."
    )
    rationale: Text
    evidence: list[Evidence] = Field(default_factory=list)


class Option(_Strict):
    """One way of organising the cooperation, scored on criteria."""

    id: Id
    label: Text
    summary: Text
    source: OptionSource | None = None
    scores: dict[Id, Score]


class Consideration(_Strict):
    """One ground a document's own choice rests on, tied to the criterion that captures it."""

    criterion: Id | None = Field(
        default=None,
        description="A criterion (leaf or parent, in any criteria set) that captures this "
        "ground; null when no criterion does.",
    )
    text: Text
    evidence: list[Evidence] = Field(min_length=1)


class Conclusion(_Strict):
    """What the source document itself concludes: the option(s) it prefers, and why.

    Shown beside every ranking, so the tool never silently contradicts its sources.
    """

    source: Annotated[str, Field(description="File name of the concluding document in seeds/.")]
    document: NonEmpty = Field(description="The document's title, as a reader would cite it.")
    prefers: list[Id] = Field(min_length=1, description="Ids of the option(s) it prefers.")
    summary: Text
    evidence: list[Evidence] = Field(min_length=1)
    considerations: list[Consideration] = Field(default_factory=list)


class Case(_Strict):
    """A set of options from one context (the G32 scenarios, the SRA options)."""

    id: Id
    label: Text
    description: Text | None = None
    source: CaseSource | None = None
    conclusion: Conclusion | None = None
    options: list[Option] = Field(min_length=1)

    def option(self, option_id: str) -> Option:
        """The option with this id (KeyError when absent)."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)
