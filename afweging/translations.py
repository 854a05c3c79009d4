"""The interface's texts: one table, ``translations.yaml`` beside this module, in Dutch and
English.

It lives in the core so the command line (the robustness sentences) and the interface
(:mod:`afweging_ui.i18n`) read the same words, and so the installed package carries it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from afweging.model import Lang

TABLE = Path(__file__).with_name("translations.yaml")


@cache
def table() -> dict[str, dict[str, str]]:
    """Key -> {nl, en}; read once per process."""
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def text(key: str, lang: Lang, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` fields filled in."""
    found = table()[key][lang]
    return found.format(**values) if values else found


__all__ = ["TABLE", "table", "text"]
