"""Refusals of the workshop store: the exceptions callers catch, and how they are built.

Every way the store says no is a :class:`WorkshopError` subclass, so the web
layer can catch one base class; refused input is an :class:`InvalidSubmission`
listing every :class:`FieldProblem` at once. ``_refuse`` and ``_show`` build those
refusals with short, safe text, so an error message never echoes a huge or
hostile payload. They live apart from the store so that the input checks and
the store can share them without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from afweging.errors import AfwegingError


class WorkshopError(AfwegingError):
    """Base class for the workshop store's refusals (errors a user can act on, like every
    :class:`~afweging.errors.AfwegingError`)."""


class SessionNotFound(WorkshopError):
    """No session has this join code."""


class SessionClosed(WorkshopError):
    """The facilitator has closed this session; nothing can be submitted now."""


class SessionExpired(WorkshopError):
    """The session is past its expiry time; nothing can be joined or submitted."""


class AccessDenied(WorkshopError):
    """The token or facilitator key does not grant this action."""


class StoreUnavailable(WorkshopError):
    """The workshop database cannot be reached (wrong URL, server down, no permission)."""

    def __init__(self, location: str, cause: BaseException) -> None:
        self.location = location
        self.cause_name = type(cause).__name__
        self.reason = safe_reason(cause)
        super().__init__(f"workshop database {location} not available: {self.reason}")


def safe_reason(cause: BaseException) -> str:
    """Why the database could not be opened, in one line fit for a log: never the URL
    itself (it may hold a password), only what the operator must fix."""
    import sqlalchemy.exc as sa_exc  # the errors module stays cheap to import

    if isinstance(cause, sa_exc.NoSuchModuleError | ModuleNotFoundError):
        return (
            "the database driver is not installed (PostgreSQL: pip install "
            "'afweging[postgres]'; the URL must start postgresql+psycopg://)"
        )
    if isinstance(cause, sa_exc.ArgumentError):
        return "AFWEGING_DATABASE_URL is not a database URL (e.g. postgresql+psycopg://...)"
    if isinstance(cause, sa_exc.DBAPIError) and cause.orig is not None:
        first = str(cause.orig).strip().splitlines()
        return f"{type(cause.orig).__name__}: {first[0] if first else ''}".rstrip(": ")
    first = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {first[0]}" if first else type(cause).__name__


class TooManyAttempts(WorkshopError):
    """Too many wrong join codes from this client (or joins into this session) just now."""

    def __init__(self, message: str, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


@dataclass(frozen=True)
class FieldProblem:
    """One refused field of a participant's input: where, what was expected, what was got.

    (A problem in a content file is an :class:`afweging.errors.Problem`.)"""

    field: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}, got {self.got}"


class InvalidSubmission(WorkshopError, ValueError):
    """Input was refused and nothing was stored; ``problems`` lists every reason."""

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        self.field = self.problems[0].field if self.problems else ""
        super().__init__("; ".join(str(p) for p in self.problems))


def _refuse(field_name: str, expected: str, got: str) -> InvalidSubmission:
    return InvalidSubmission([FieldProblem(field_name, expected, got)])


def _show(value: object, limit: int = 60) -> str:
    """Short repr of refused input, so error messages never echo a huge payload."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = [
    "AccessDenied",
    "FieldProblem",
    "InvalidSubmission",
    "SessionClosed",
    "SessionExpired",
    "SessionNotFound",
    "StoreUnavailable",
    "TooManyAttempts",
    "WorkshopError",
]
