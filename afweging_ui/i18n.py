"""The interface's texts, from one table (:mod:`afweging.translations`), in Dutch or English."""

from __future__ import annotations

from afweging.model import LANGS
from afweging.translations import TABLE, table
from afweging.translations import text as t


def missing() -> list[str]:
    """Keys lacking a text in some language (a test keeps this empty)."""
    return [
        k for k, v in table().items() if not all(isinstance(v.get(x), str) and v[x] for x in LANGS)
    ]


__all__ = ["TABLE", "missing", "t", "table"]
