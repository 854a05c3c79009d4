"""The child process that parses one untrusted document, within hard limits.

Started by afweging.documents.extract with ``python -I``; reads one JSON line
(the extension and the limits), imports the parsers, caps its own memory, CPU
time, file writes and core dumps with setrlimit, and only then reads the
document's bytes from stdin and parses them. It writes one JSON object to
stdout: ``{"document": ...}`` or ``{"problem": {"code": ..., "params": ...}}``.
"""

from __future__ import annotations

import json
import math
import resource
import sys
from typing import Any

from afweging.documents.limits import MIB, Limits, limit_megabytes
from afweging.documents.parse import parse  # imported (trusted code) before the limits
from afweging.documents.refusal import Refused

#: Bytes of the first line (the settings) read from stdin.
MAX_SETTINGS_LINE = 10_000


def limit_self(limits: Limits) -> None:
    """Hard limits on this process: address space, CPU seconds, no files, no core dump."""
    cpu = math.ceil(limits.seconds)
    _lower(resource.RLIMIT_AS, limits.memory_bytes)
    _lower(resource.RLIMIT_CPU, cpu, cpu + 1)
    _lower(resource.RLIMIT_FSIZE, 0)
    _lower(resource.RLIMIT_CORE, 0)


def _lower(which: int, soft: int, hard: int | None = None) -> None:
    """Set a limit no higher than the one already in force (a process cannot raise it)."""
    _, current = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(which, (soft, hard))


def run(settings: dict[str, Any], data: bytes) -> dict[str, Any]:
    """Parse and answer; every refusal and every exhausted resource becomes a problem."""
    limits = Limits.from_json(settings["limits"])
    try:
        return {"document": parse(data, settings["extension"], limits)}
    except Refused as refused:
        return {"problem": {"code": refused.code, "params": refused.params}}
    except MemoryError:
        limit = limit_megabytes(limits.memory_bytes, MIB)
        return {"problem": {"code": "document_too_much_memory", "params": {"limit": limit}}}


def main() -> None:
    """Read the settings and the document from stdin, answer on stdout."""
    settings = json.loads(sys.stdin.buffer.readline(MAX_SETTINGS_LINE))
    limits = Limits.from_json(settings["limits"])
    limit_self(limits)
    data = sys.stdin.buffer.read(limits.document_bytes + 1)
    answer = run(settings, data)
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
