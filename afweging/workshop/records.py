"""What the workshop store hands back: frozen Session, Participant and Submission records.

These are plain immutable values built from database rows, so callers can pass
them around (and across threads) without touching the database or seeing any
secret: a :class:`Session` never carries the facilitator key, a
:class:`Participant` never carries their token. The timestamp helpers live here
because the records need them; the store uses the same helpers to write times as
fixed-width UTC text that sorts correctly on every database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(moment: datetime) -> str:
    """Fixed-width UTC ISO text: sorts correctly as a string on every database."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Session:
    """A workshop session as callers see it (never the facilitator key)."""

    id: int
    code: str
    case_id: str
    criteria_set_id: str
    option_ids: tuple[str, ...]
    weighable_ids: tuple[str, ...]
    weight_method: str
    ask_name: bool
    ask_municipality: bool
    ask_role: bool
    show_names: bool
    is_open: bool
    current_round: int
    revealed: bool
    created_at: datetime
    expires_at: datetime
    #: (case id, version) of the saved case of the case library the session is about;
    #: None for a bundled case.
    library_case: tuple[str, int] | None = None

    def is_expired(self, now: datetime | None = None) -> bool:
        """True once the session's lifetime is over."""
        return (now or _now()) >= self.expires_at


@dataclass(frozen=True)
class Participant:
    """One person in a session; ``number`` is their order of joining, from 1."""

    id: int
    session_id: int
    number: int
    name: str | None
    municipality: str | None
    role: str | None
    joined_at: datetime

    def label(self, show_names: bool) -> str:
        """The name when names are shown and given, otherwise "Deelnemer <number>"."""
        if show_names and self.name:
            return self.name
        return f"Deelnemer {self.number}"


@dataclass(frozen=True)
class Submission:
    """One participant's weights in one round (their latest resubmission)."""

    session_id: int
    round: int
    participant_id: int
    weights: Mapping[str, float]
    submitted_at: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))


__all__ = ["Participant", "Session", "Submission"]
