"""Refusals of the case library, worded in Dutch and English from the translation table.

Each carries the ``casebook_<what>`` key of ``afweging/translations.yaml`` and its
parameters, so an interface shows it in its own language; the exception's own text
is the English one, for logs and tests. Problems in a case's content are not
refusals: they are :class:`~afweging.errors.Problem` lists kept with each draft.
"""

from __future__ import annotations

from collections.abc import Iterable

from afweging import translations
from afweging.errors import AfwegingError, InvalidData, Problem


class CaseLibraryError(AfwegingError):
    """Base class of the case library's refusals."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(translations.text(key, "en", **params))

    def text(self, lang: str) -> str:
        """The refusal in Dutch ("nl") or English."""
        return translations.text(self.key, "nl" if lang == "nl" else "en", **self.params)


class CaseNotFound(CaseLibraryError):
    """No case (or no such version of it) is stored under this id."""


class AccessDenied(CaseLibraryError):
    """The key does not grant this: a wrong key, or a read-only key used to change."""


class LimitExceeded(CaseLibraryError):
    """A case would hold more than :mod:`afweging.casebook.limits` allows."""


class NotPublishable(InvalidData):
    """A version cannot be published while it has problems; all of them are listed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(problems)


__all__ = ["AccessDenied", "CaseLibraryError", "CaseNotFound", "LimitExceeded", "NotPublishable"]
