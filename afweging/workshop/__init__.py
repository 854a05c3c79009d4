"""Workshop mode: many participants weigh criteria on their phones, the room sees the group.

:mod:`afweging.workshop.store` keeps sessions, participants and submissions safely
in a database; :mod:`afweging.workshop.group` turns submitted weights into group
statistics with pure numpy.
"""

from afweging.workshop.store import (
    AccessDenied,
    FieldProblem,
    InvalidSubmission,
    Participant,
    Session,
    SessionClosed,
    SessionExpired,
    SessionNotFound,
    StoreUnavailable,
    Submission,
    WorkshopError,
    WorkshopStore,
)

__all__ = [
    "AccessDenied",
    "FieldProblem",
    "InvalidSubmission",
    "Participant",
    "Session",
    "SessionClosed",
    "SessionExpired",
    "SessionNotFound",
    "StoreUnavailable",
    "Submission",
    "WorkshopError",
    "WorkshopStore",
]
