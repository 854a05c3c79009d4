"""The exception a parser raises when it refuses a document, as code and params.

It carries only what a :class:`~afweging.errors.Problem` needs, so the child
process can send it back as JSON and the parent can turn it into a Problem
that names the file.
"""

from __future__ import annotations

from afweging.errors import Param


class Refused(Exception):
    """A document refused for a reason the user can act on."""

    def __init__(self, code: str, **params: Param) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
