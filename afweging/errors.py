"""Problems found in input, and the few exceptions that carry them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def format_path(parts: Sequence[str | int]) -> str:
    """Render a location as ``options[2].scores.efficientie.value``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as can be known."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class AfwegingError(Exception):
    """Base class for errors the user can act on; never shown as a traceback."""


class InvalidData(AfwegingError):
    """A criteria or scenario file has problems; all of them are listed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidWeights(AfwegingError):
    """Weights given by a user cannot be turned into a weighting."""
