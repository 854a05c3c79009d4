"""Extract the text of an uploaded document, parsing it in a child process with limits.

The app's entry point for uploads: :func:`extract` checks the size and the
name, hands the bytes to ``afweging.documents.worker`` in a fresh Python
process (memory, CPU time and file writes capped by setrlimit, a wall-clock
timeout here, none of the app's environment such as a database URL), and turns its
answer, or its death, into an :class:`ExtractedDocument` or an InvalidData naming
the file. It blocks for at most ``limits.seconds``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import signal
import subprocess
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any, NoReturn

import afweging
from afweging.documents.kinds import EXTENSIONS, MACRO_EXTENSIONS, extension
from afweging.documents.limits import DEFAULT_LIMITS, MIB, Limits, limit_megabytes, megabytes
from afweging.documents.model import ExtractedDocument
from afweging.errors import InvalidData, Param, Problem

#: The codes a child may answer with; anything else is treated as a crash.
CHILD_CODES = frozenset(
    {
        "document_kind_mismatch",
        "document_encrypted",
        "document_malformed",
        "document_too_much_memory",
        "document_bomb",
        "document_bomb_ratio",
        "document_too_many_parts",
        "document_too_many_pages",
        "document_too_much_text",
        "document_external_links",
        "document_macros",
        "document_no_text",
        "not_utf8",
    }
)
_log = logging.getLogger(__name__)
_ROOT = str(Path(afweging.__file__).resolve().parent.parent)
_CHILD = (
    f"import sys; sys.path.insert(0, {_ROOT!r}); from afweging.documents.worker import main; main()"
)


def extract(data: bytes, filename: str, *, limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
    """The document's text and metadata; InvalidData (one Problem naming the file) if refused."""
    ext = extension(filename)
    if len(data) > limits.document_bytes:
        size, limit = megabytes(len(data)), limit_megabytes(limits.document_bytes)
        _refuse(filename, "document_too_large", size=size, limit=limit)
    if ext in MACRO_EXTENSIONS:
        _refuse(filename, "document_macros")
    if ext not in EXTENSIONS:
        _refuse(filename, "document_unknown_kind")
    if not data.strip():
        _refuse(filename, "document_no_text", kind="empty")
    answer = _run_child(data, ext, limits, filename)
    if "problem" in answer:
        try:
            problem = Problem(filename, "", answer["problem"]["code"], answer["problem"]["params"])
        except ValueError:  # params that do not fit the code: not our worker speaking
            _refuse(filename, "document_reader_stopped")
        raise InvalidData([problem])
    document = _document(answer["document"], data, filename)
    if document is None:
        _refuse(filename, "document_reader_stopped")
    return document


def _refuse(filename: str, code: str, **params: Param) -> NoReturn:
    raise InvalidData([Problem(filename, "", code, params)])


def _run_child(data: bytes, ext: str, limits: Limits, filename: str) -> dict[str, Any]:
    """Run the worker on the bytes; its answer, checked, or a refusal for how it ended."""
    settings = json.dumps({"extension": ext, "limits": limits.to_json()}).encode()
    process = subprocess.Popen(
        [sys.executable, "-I", "-B", "-c", _CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"LC_ALL": "C.UTF-8"},
        cwd="/",
        start_new_session=True,  # a signal to the app's process group does not reach it
    )
    try:
        out, err = process.communicate(settings + b"\n" + data, timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        _refuse(filename, "document_too_slow", limit=limits.seconds)
    try:
        answer = json.loads(out)
    except ValueError:
        answer = None
    if _well_formed(answer):
        return answer
    if process.returncode == -signal.SIGXCPU:
        _refuse(filename, "document_too_slow", limit=limits.seconds)
    if process.returncode == -signal.SIGKILL or b"MemoryError" in err:
        _refuse(
            filename, "document_too_much_memory", limit=limit_megabytes(limits.memory_bytes, MIB)
        )
    _log.warning("document reader ended with %s: %s", process.returncode, err[-2000:])
    _refuse(filename, "document_reader_stopped")


def _well_formed(answer: object) -> bool:
    """Whether the child's answer is one of the two shapes it may take."""
    if not isinstance(answer, dict) or len(answer) != 1:
        return False
    if "problem" in answer:
        problem = answer["problem"]
        return (
            isinstance(problem, dict)
            and problem.get("code") in CHILD_CODES
            and isinstance(problem.get("params"), dict)
        )
    document = answer.get("document")
    return isinstance(document, dict) and isinstance(document.get("text"), str)


def _document(found: dict[str, Any], data: bytes, filename: str) -> ExtractedDocument | None:
    """The child's document, with identity, name, kind and size set here; None if unsound."""
    pages = found.get("pages")
    if not isinstance(pages, list) or not pages or not all(isinstance(p, int) for p in pages):
        return None
    lines = found["text"].count("\n") + 1
    if pages[0] != 1 or any(a >= b for a, b in pairwise(pages)) or pages[-1] > lines:
        return None
    return ExtractedDocument(
        sha256=hashlib.sha256(data).hexdigest(),
        filename=filename,
        kind=EXTENSIONS[extension(filename)],
        size=len(data),
        title=str(found.get("title", "")),
        date=found.get("date") if isinstance(found.get("date"), str) else None,
        text=found["text"],
        pages=tuple(pages),
    )
