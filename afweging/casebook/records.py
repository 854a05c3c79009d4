"""The frozen records the case library hands out: a stored document and a saved version."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from afweging.documents.model import DocumentKind, ExtractedDocument
from afweging.errors import Problem


def source_name(sha256: str) -> str:
    """The name quotes cite a stored document by: ``<first 16 hex digits of its hash>.txt``."""
    return f"{sha256[:16]}.txt"


@dataclass(frozen=True)
class StoredDocument:
    """A source document as stored: its identity, metadata, text and page starts."""

    id: int
    sha256: str
    source_name: str
    filename: str
    kind: DocumentKind
    size: int
    title: str
    date: str | None
    text: str
    pages: tuple[int, ...]
    added_at: str

    def extracted(self) -> ExtractedDocument:
        """The document as the reader gave it (for page look-ups and re-export)."""
        return ExtractedDocument(
            sha256=self.sha256,
            filename=self.filename,
            kind=self.kind,
            size=self.size,
            title=self.title,
            date=self.date,
            text=self.text,
            pages=self.pages,
        )


@dataclass(frozen=True)
class CaseVersion:
    """One saved version of a case: never changed once saved."""

    case_id: str
    number: int
    case_yaml: str
    criteria_yaml: str
    data_version: str
    note: str
    problems: tuple[Problem, ...]
    published: bool
    saved_at: str


def problems_to_json(problems: tuple[Problem, ...] | list[Problem]) -> str:
    """Problems as JSON text, to keep with the version they were found in."""
    return json.dumps(
        [
            {
                "file": p.file,
                "path": p.path,
                "code": p.code,
                "params": dict(p.params),
                "line": p.line,
            }
            for p in problems
        ],
        ensure_ascii=False,
    )


def problems_from_json(text: str) -> tuple[Problem, ...]:
    """The problems :func:`problems_to_json` wrote."""
    items: list[dict[str, Any]] = json.loads(text)
    return tuple(Problem(i["file"], i["path"], i["code"], i["params"], i["line"]) for i in items)


__all__ = ["CaseVersion", "StoredDocument", "problems_from_json", "problems_to_json", "source_name"]


@dataclass(frozen=True)
class WorkingDraft:
    """A case's edit in progress, kept between saves: the case text, the criteria text
    when it was edited (None: the base version's), and the version it started from."""

    base: int
    case_yaml: str
    criteria_yaml: str | None
    kept_at: str
