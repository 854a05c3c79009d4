"""Loading criteria sets and cases from files or uploaded bytes, fully validated.

Every loader either returns a valid model or raises
:class:`~afweging.errors.InvalidData` listing every problem it found, each
with the file, the path inside it and the line.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from afweging import validation
from afweging.content import content_dir, criteria_dir, missing_folders, scenarios_dir
from afweging.errors import InvalidData, Problem
from afweging.model import Case, CriteriaSet
from afweging.sources import SourceLibrary
from afweging.yamlfile import Document, display_name, parse, read

Kind = Literal["criteria", "scenario"]


def version_of(docs: Iterable[Document]) -> str:
    """A short content hash of the files loaded: the data version shown on every chart."""
    h = hashlib.sha256()
    for checksum in sorted(doc.checksum for doc in docs):
        h.update(checksum.encode())
    return h.hexdigest()[:12]


def kind_of(doc: Document) -> Kind:
    """Whether a document is a criteria set or a scenario file, from its keys."""
    if "options" in doc.data:
        return "scenario"
    if "criteria" in doc.data:
        return "criteria"
    raise InvalidData([Problem(doc.name, "", "unknown_kind", line=1)])


def criteria_from(
    doc: Document, library: SourceLibrary, others: Sequence[CriteriaSet] = ()
) -> CriteriaSet:
    """Validate a parsed criteria document."""
    model, problems = validation.model_problems(doc, CriteriaSet)
    problems += validation.criteria_meaning(doc)
    problems += validation.evidence_problems(doc, library)
    if model is not None and not problems:
        problems += validation.sets_agree(doc, model, others)
    if problems:
        raise InvalidData(problems)
    return model


def case_from(
    doc: Document,
    sets: Sequence[CriteriaSet],
    library: SourceLibrary,
    also_known: Sequence[CriteriaSet] = (),
) -> Case:
    """Validate a parsed scenario document against the criteria sets it is scored on."""
    model, problems = validation.model_problems(doc, Case)
    problems += validation.case_meaning(doc)
    problems += validation.evidence_problems(doc, library)
    problems += validation.scores_against_sets(doc, sets, also_known)
    if problems:
        raise InvalidData(_in_order(problems))
    return model


def _in_order(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.path))


@dataclass(frozen=True)
class Bundle:
    """Criteria sets and cases loaded together, with the version of their content."""

    criteria_sets: tuple[CriteriaSet, ...]
    cases: tuple[Case, ...]
    version: str

    def criteria_set(self, set_id: str) -> CriteriaSet:
        """The criteria set with this id (KeyError when absent)."""
        return next(s for s in self.criteria_sets if s.id == set_id)

    def case(self, case_id: str) -> Case:
        """The case with this id (KeyError when absent)."""
        return next(c for c in self.cases if c.id == case_id)


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, and those inside folders named, in a stable order.

    Inside a folder, a sub-folder named ``x.yaml`` is walked, not read; anything else
    named ``*.yaml`` is kept, so a pipe or a device is refused by name when read.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if _is_yaml_name(p) and not p.is_dir())
        else:
            found.append(path)
    return found


def _is_yaml_name(path: Path) -> bool:
    return path.suffix in {".yaml", ".yml"}


def empty_folders(paths: Iterable[Path]) -> list[Problem]:
    """A problem for each folder named that holds no YAML file: checking it checks nothing."""
    return [
        Problem(display_name(path), "", "no_yaml_files")
        for path in paths
        if path.is_dir() and not yaml_files([path])
    ]


def content_paths() -> tuple[Path, Path]:
    """The criteria and scenario folders in use (see :mod:`afweging.content`)."""
    return criteria_dir(), scenarios_dir()


def load_content(library: SourceLibrary | None = None) -> tuple[Bundle, list[Problem]]:
    """The content in use (see :mod:`afweging.content`): what is valid, and the problems,
    first of all a folder the content lacks, named so the operator knows what to fix."""
    root = content_dir()
    missing = [
        Problem(str(root / name), "", "content_missing", {"folder": name})
        for name in missing_folders(root)
    ]
    present = [path for path in content_paths() if path.is_dir()]
    bundle, problems = load(present, library)
    return bundle, missing + problems


def bundled_criteria_sets(library: SourceLibrary | None = None) -> list[CriteriaSet]:
    """The valid criteria sets in the ``criteria/`` folder in use."""
    return list(load([criteria_dir()], library, bundled_known=False)[0].criteria_sets)


def load(
    paths: Iterable[Path], library: SourceLibrary | None = None, *, bundled_known: bool = True
) -> tuple[Bundle, list[Problem]]:
    """Load every file named; return what is valid and the problems of the rest.

    Criteria sets load first; every case must be scored on every leaf of each of
    them, or of the bundled sets when no criteria set is named. With
    ``bundled_known``, a score for a leaf of a bundled set is accepted too, so
    ``rank`` can use one set of a scenario file scored on several.
    """
    library = library or SourceLibrary()
    problems: list[Problem] = []
    docs: list[tuple[Document, Kind]] = []
    for path in yaml_files(paths):
        try:
            doc = read(path)
            docs.append((doc, kind_of(doc)))
        except InvalidData as exc:
            problems += exc.problems
    sets: list[CriteriaSet] = []
    for doc, kind in docs:
        if kind == "criteria":
            try:
                sets.append(criteria_from(doc, library, sets))
            except InvalidData as exc:
                problems += exc.problems
    bundled = bundled_criteria_sets(library) if bundled_known else []
    named_sets = any(kind == "criteria" for _, kind in docs)
    cases: list[Case] = []
    for doc, kind in docs:
        if kind == "scenario":
            try:
                cases.append(case_from(doc, sets if named_sets else bundled, library, bundled))
            except InvalidData as exc:
                problems += exc.problems
    version = version_of(doc for doc, _ in docs)
    return Bundle(tuple(sets), tuple(cases), version), _in_order(problems)


def load_bundled(library: SourceLibrary | None = None) -> Bundle:
    """The bundled criteria and scenarios; raises InvalidData if any is broken."""
    bundle, problems = load_content(library)
    if problems:
        raise InvalidData(problems)
    return bundle


def load_file(path: Path, kind: Kind, sets: Sequence[CriteriaSet] = ()) -> CriteriaSet | Case:
    """Load one file of a known kind; raises InvalidData with every problem."""
    return _from_doc(read(path), kind, sets)


def load_upload(
    raw: bytes, name: str, sets: Sequence[CriteriaSet]
) -> tuple[Kind, CriteriaSet | Case]:
    """Load an uploaded file, deciding its kind from its content.

    An uploaded case need not be scored on every set: its scores must belong to
    one of ``sets`` and lie on their scales; :func:`afweging.matrix.scored_sets`
    tells which sets it can be ranked on.
    """
    doc = parse(raw, name)
    kind = kind_of(doc)
    library = SourceLibrary()
    if kind == "criteria":
        return kind, criteria_from(doc, library)
    return kind, case_from(doc, [], library, also_known=sets)


def _from_doc(doc: Document, kind: Kind, sets: Sequence[CriteriaSet]) -> CriteriaSet | Case:
    library = SourceLibrary()
    if kind_of(doc) != kind:
        raise InvalidData([Problem(doc.name, "", "wrong_kind", {"kind": kind}, 1)])
    if kind == "criteria":
        return criteria_from(doc, library)
    return case_from(doc, sets, library)


def files_signature(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Changes when a YAML file under ``paths`` changes (path, mtime, size), cheaply."""
    out = []
    for path in yaml_files(paths):
        try:
            stat = path.stat()
        except OSError:  # a missing folder or file: load() names it as a problem
            out.append((str(path), -1, -1))
            continue
        out.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(out)


class BundleWatcher:
    """The bundled data for servers outside Streamlit: loaded once, reloaded when a file changes.

    The files are looked at no more often than every ``interval`` seconds, so a
    request costs a clock read; loading happens under a lock, once per change.
    """

    def __init__(self, paths: Sequence[Path] | None = None, interval: float = 2.0) -> None:
        self.paths = tuple(paths) if paths is not None else content_paths()
        self._load = (lambda: load(self.paths)) if paths is not None else load_content
        self.interval = interval
        self._lock = threading.Lock()
        self._checked = -math.inf
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._bundle: Bundle | None = None

    def __call__(self) -> Bundle:
        now = time.monotonic()
        if self._bundle is not None and now - self._checked < self.interval:
            return self._bundle
        with self._lock:
            signature = files_signature(self.paths)
            if self._bundle is None or signature != self._signature:
                self._bundle, _problems = self._load()
                self._signature = signature
            self._checked = now
            return self._bundle
