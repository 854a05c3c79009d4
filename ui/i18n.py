"""The interface's texts, from one table (``translations.yaml``), in Dutch or English."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from afweging.model import LANGS, Lang

TABLE = Path(__file__).with_name("translations.yaml")


@cache
def table() -> dict[str, dict[str, str]]:
    """Key -> {nl, en}; read once per process."""
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def t(key: str, lang: Lang, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` fields filled in."""
    text = table()[key][lang]
    return text.format(**values) if values else text


def missing() -> list[str]:
    """Keys lacking a text in some language (a test keeps this empty)."""
    return [
        k for k, v in table().items() if not all(isinstance(v.get(x), str) and v[x] for x in LANGS)
    ]
