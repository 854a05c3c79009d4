"""The real server as a process: ``streamlit run app.py``, and its cost.

Shared by the benchmarks, the browser tests and ``make serve`` (:mod:`deploy.cluster`).

AppTest and in-process calls skip the server, the event loop, the thread pool and
the GIL that every request really queues on (see the field notes: an AppTest rerun
looked 12 times cheaper than the same rerun through the server). Capacity is
therefore measured against the process that ``make run`` starts, and its cost is
read from the kernel (``/proc``), not from timers inside the process, so nothing in
the server has to be changed or instrumented to be measured.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_NAME = "streamlit.log"


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it, so parallel runs do not clash)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except OSError:
        return False


def log_tail(data_dir: Path, lines: int = 40) -> str:
    """The last lines of the server's log, for a report when something went wrong."""
    path = data_dir / LOG_NAME
    if not path.exists():
        return "(no server log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_streamlit(
    data_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    options: Sequence[str] = (),
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``streamlit run app.py`` on 127.0.0.1; return (base URL, process) at once.

    The workshop store is the SQLite file in ``data_dir`` (``AFWEGING_DATA_DIR``) unless
    ``env`` names a database: an ``AFWEGING_DATABASE_URL`` inherited from the shell is
    dropped so a benchmark never writes to a real database. stdout and stderr go to
    ``data_dir/streamlit.log`` (appended, so a second server on the same folder keeps the
    first one's story). ``options`` are extra ``--section.option=value`` flags.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    environment = {k: v for k, v in os.environ.items() if k != "AFWEGING_DATABASE_URL"}
    environment.update(env or {})
    environment["AFWEGING_DATA_DIR"] = str(data_dir)
    with (data_dir / LOG_NAME).open("ab") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.address=127.0.0.1", f"--server.port={port}",
                "--server.headless=true", "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none", *options,
            ],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return f"http://127.0.0.1:{port}", proc


def wait_healthy(
    health_url: str, proc: subprocess.Popen[bytes], data_dir: Path, timeout: float = 90
) -> None:
    """Wait until ``health_url`` answers "ok"; RuntimeError with the log when it never does."""
    deadline = time.monotonic() + timeout
    while not _healthy(health_url):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start:\n{log_tail(data_dir)}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes], grace: float = 10) -> None:
    """Terminate a process, and kill it when it has not ended after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def streamlit_server(
    data_dir: Path, *, env: Mapping[str, str] | None = None, timeout: float = 90
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run ``streamlit run app.py`` on 127.0.0.1 at a free port; yield (base URL, process).

    See :func:`start_streamlit`. The server is terminated (killed after 10 s) when the
    block ends, whatever happened inside it.
    """
    base, proc = start_streamlit(data_dir, env=env)
    try:
        wait_healthy(f"{base}/_stcore/health", proc, data_dir, timeout)
        yield base, proc
    finally:
        stop(proc)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, all its threads included.

    ``/proc/<pid>/stat`` counts the whole thread group, so the event loop, the
    thread pool that runs the store calls and Streamlit's script threads are all
    in it. Fields 14 and 15 (utime, stime) are in clock ticks; the name field may
    hold spaces, so the fields are counted after its closing parenthesis.
    """
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14, 15 counted from 1
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """The most resident memory the process has held (``VmHWM``), in MB: what a host must
    have free for it, which the current RSS after a burst does not show."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no VmHWM for process {pid}")


__all__ = [
    "ROOT", "cpu_seconds", "free_port", "log_tail", "peak_rss_mb", "start_streamlit", "stop",
    "streamlit_server", "wait_healthy",
]  # fmt: skip
