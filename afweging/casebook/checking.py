"""Checking a case draft exactly as the content's files are checked, against its own documents.

A draft is two YAML texts, the case and its criteria set. Both go through the same
steps as a file read by ``afweging validate`` (:mod:`afweging.loading`): the safe
parser, the models, the meaning checks, every quote against its cited document (here:
the case's own stored documents, whitespace collapsed and nothing else forgiven), and
every leaf of the set scored on its scale. Problems name the file the export will
write (``scenarios/<id>.yaml``, ``criteria/<id>.yaml``), the path in it and the line,
so an editor can put each beside its cell.

The data version is computed as ``afweging validate`` computes it for the exported
files, so a caption's version leads back to the saved text on any machine.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final

from afweging import validation
from afweging.errors import InvalidData, Problem
from afweging.model import Case, CriteriaSet
from afweging.sources import SourceLibrary
from afweging.yamlfile import Document, parse

#: The first line of every content file, so an editor finds its JSON Schema.
HEADERS: Final = {
    "scenarios": "# yaml-language-server: $schema=../schema/scenario.schema.json",
    "criteria": "# yaml-language-server: $schema=../schema/criteria.schema.json",
}
_ID: Final = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
_ID_LINE: Final = re.compile(r"^id:[ \t]*['\"]?([a-z0-9][a-z0-9_\-]{0,63})['\"]?[ \t]*$", re.M)
#: The name a file gets when its id cannot be read.
FALLBACK_IDS: Final = {"scenarios": "case", "criteria": "criteria"}


def with_header(text: str, folder: str) -> str:
    """``text`` starting with its schema header line (added when it lacks it), so the
    saved text is byte for byte the file an export writes."""
    header = HEADERS[folder]
    return text if text.startswith(header) else f"{header}\n{text}"


def file_id(text: str, folder: str) -> str:
    """The id the file will be named by: the top-level ``id:`` when it is a valid id."""
    found = _ID_LINE.search(text)
    return found.group(1) if found and _ID.match(found.group(1)) else FALLBACK_IDS[folder]


def file_name(text: str, folder: str) -> str:
    """``scenarios/<id>.yaml`` or ``criteria/<id>.yaml``: where an export writes the text."""
    return f"{folder}/{file_id(text, folder)}.yaml"


def data_version(case_yaml: str, criteria_yaml: str) -> str:
    """The data version of a case and its set: as :func:`afweging.loading.version_of`
    gives it for the two files (a hash of their bytes' hashes, in sorted order)."""
    h = hashlib.sha256()
    for checksum in sorted(
        hashlib.sha256(t.encode("utf-8")).hexdigest() for t in (case_yaml, criteria_yaml)
    ):
        h.update(checksum.encode())
    return h.hexdigest()[:12]


@dataclass(frozen=True)
class Checked:
    """What checking a draft found: its problems and, when it has none, its models."""

    problems: tuple[Problem, ...]
    criteria_set: CriteriaSet | None
    case: Case | None

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse(text: str, folder: str) -> tuple[Document | None, list[Problem]]:
    name = file_name(text, folder)
    try:
        return parse(text.encode("utf-8"), name), []
    except InvalidData as exc:
        return None, list(exc.problems)


def check(case_yaml: str, criteria_yaml: str, library: SourceLibrary) -> Checked:
    """Every problem of a case and its criteria set, as ``afweging validate`` would find
    them in the exported folder (the case is scored on exactly this one set)."""
    problems: list[Problem] = []
    criteria_doc, found = _parse(criteria_yaml, "criteria")
    problems += found
    cset: CriteriaSet | None = None
    if criteria_doc is not None:
        cset, found = validation.model_problems(criteria_doc, CriteriaSet)
        found += validation.criteria_meaning(criteria_doc)
        found += validation.evidence_problems(criteria_doc, library)
        problems += found
        if found:
            cset = None
    case_doc, found = _parse(case_yaml, "scenarios")
    problems += found
    case: Case | None = None
    if case_doc is not None:
        case, found = validation.model_problems(case_doc, Case)
        found += validation.case_meaning(case_doc)
        found += validation.evidence_problems(case_doc, library)
        if criteria_doc is not None and cset is not None:
            found += validation.scores_against_sets(case_doc, [cset])
        problems += found
        if found or cset is None:
            case = None
    ordered = sorted(problems, key=lambda p: (p.file, p.line or 0, p.path))
    return Checked(tuple(ordered), cset, case)


__all__ = [
    "FALLBACK_IDS",
    "HEADERS",
    "Checked",
    "check",
    "data_version",
    "file_id",
    "file_name",
    "with_header",
]
