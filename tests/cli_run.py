"""The command line run in this process (``afweging.cli.main(argv)``), as a user would
see it: exit status, standard output and standard error.

In-process is some 30 times faster than a new interpreter per case; one subprocess
smoke test (tests/test_cli.py) keeps ``python -m afweging`` itself honest.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from afweging import cli

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """What one command gave back (named as :class:`subprocess.CompletedProcess` names it)."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    """``env`` in place of ``os.environ`` for the command's duration (None: unchanged)."""
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(*args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None) -> Run:
    """``afweging ARGS`` from ``cwd``; argparse's own exits (bad usage, --help) are
    returned as their status like any other."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd),
        _environment(env),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(code, out.getvalue(), err.getvalue())
