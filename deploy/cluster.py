"""Several app processes behind HAProxy on one PostgreSQL database, on this machine.

``make serve REPLICAS=3`` (``python -m deploy.cluster``) starts a trial: a throwaway
PostgreSQL server (:mod:`deploy.postgres`) unless ``AFWEGING_DATABASE_URL`` names one,
N ``streamlit run app.py`` processes on it, and Debian's ``haproxy`` in front with the
configuration in ``deploy/haproxy.cfg``. The integration test
(``tests/test_cluster.py``) and the capacity benchmark (``bench/cluster_load.py``)
start the same thing through :func:`cluster`.

What the processes share goes through the database (workshop sessions, submissions,
the join limiter's counts); what they do not share (a browser's Streamlit session,
its uploads) is why HAProxy keeps each browser on one process with a cookie.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from deploy.processes import free_port, log_tail, start_streamlit, stop, wait_healthy

HERE = Path(__file__).resolve().parent
HAPROXY_TEMPLATE = HERE / "haproxy.cfg"
HAPROXY_LOG = "haproxy.log"


class HaproxyUnavailable(RuntimeError):
    """Debian's haproxy is not installed (``scripts/ensure-haproxy.sh`` installs it)."""


@dataclass
class Replica:
    """One app process: its name in HAProxy (also its stickiness cookie value)."""

    name: str
    base: str
    proc: subprocess.Popen[bytes]
    data_dir: Path

    def kill(self) -> None:
        """``kill -9``: no shutdown, no goodbye (what a crash or the OOM killer does)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


@dataclass
class Cluster:
    """The balancer's public address, its replicas, the database they share."""

    base: str
    replicas: list[Replica]
    haproxy: subprocess.Popen[bytes]
    database_url: str
    folder: Path
    base_path: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The app's address as people open it (the balancer, with the base path)."""
        return self.base + self.base_path

    def haproxy_log(self) -> str:
        """Everything HAProxy logged so far (one line per request, no query strings)."""
        path = self.folder / HAPROXY_LOG
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        """The tails of every log, for a report when something went wrong."""
        parts = [f"--- haproxy\n{self.haproxy_log()[-4000:]}"]
        parts += [f"--- {r.name}\n{log_tail(r.data_dir)}" for r in self.replicas]
        return "\n".join(parts)


def haproxy_binary() -> str:
    """The path of Debian's haproxy, or HaproxyUnavailable."""
    found = shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy",) if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise HaproxyUnavailable("haproxy not found (run scripts/ensure-haproxy.sh)")
    return found


def haproxy_config(
    frontend: str, servers: Mapping[str, str], base_path: str = "", certificate: Path | None = None
) -> str:
    """``deploy/haproxy.cfg`` filled in: the address to listen on (with TLS when a
    certificate, a PEM file with the key, is given), one line per server."""
    lines = "\n".join(
        f"    server {name} {address} check cookie {name}" for name, address in servers.items()
    )
    bind = f"{frontend} ssl crt {certificate} alpn http/1.1" if certificate else frontend
    return Template(HAPROXY_TEMPLATE.read_text()).substitute(
        FRONTEND=bind,
        SERVERS=lines + "\n",
        HEALTH=f"{base_path}/_stcore/health",
        SECURE=" secure" if certificate else "",
    )


def _wait_for(url: str, proc: subprocess.Popen[bytes], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    # A trial's certificate is self-signed: only that it answers is checked here.
    unverified = ssl._create_unverified_context() if url.startswith("https") else None
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=unverified) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer {url}")
        time.sleep(0.2)


@contextmanager
def cluster(
    replicas: int,
    database_url: str,
    *,
    folder: Path | None = None,
    port: int | None = None,
    base_path: str = "",
    env: Mapping[str, str] | None = None,
    certificate: Path | None = None,
    timeout: float = 120,
) -> Iterator[Cluster]:
    """Start ``replicas`` app processes on ``database_url`` and HAProxy in front of them.

    All processes get the same ``server.cookieSecret`` (so a browser that HAProxy moves
    to another process after a crash keeps a valid XSRF cookie), trust the balancer's
    ``X-Forwarded-For`` (``AFWEGING_TRUSTED_PROXIES=127.0.0.1``) and, when ``base_path``
    is given, serve under it (``server.baseUrlPath``). With ``certificate`` (a PEM file
    holding certificate and key) HAProxy ends TLS and the address is https. Everything is
    stopped when the block ends; ``folder`` (a temporary one unless given) keeps the logs.
    """
    if replicas < 1:
        raise ValueError("at least one replica")
    haproxy_binary()  # fail before anything starts
    own_folder = folder is None
    folder = folder or Path(tempfile.mkdtemp(prefix="afweging-cluster-"))
    folder.mkdir(parents=True, exist_ok=True)
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    shared = {
        "AFWEGING_DATABASE_URL": database_url,
        "AFWEGING_TRUSTED_PROXIES": "127.0.0.1",
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        **(env or {}),
    }
    options = [f"--server.baseUrlPath={prefix.strip('/')}"] if prefix else []
    keep = not own_folder
    try:
        with ExitStack() as stack:
            started: list[Replica] = []
            for i in range(1, replicas + 1):
                data_dir = folder / f"app{i}"
                base, proc = start_streamlit(data_dir, env=shared, options=options)
                stack.callback(stop, proc)
                started.append(Replica(f"app{i}", base, proc, data_dir))
            for r in started:
                wait_healthy(f"{r.base}{prefix}/_stcore/health", r.proc, r.data_dir, timeout)
            servers = {r.name: r.base.removeprefix("http://") for r in started}
            front = f"127.0.0.1:{port or free_port()}"
            config = haproxy_config(front, servers, prefix, certificate)
            haproxy = _start_haproxy(folder, config)
            stack.callback(stop, haproxy)
            scheme = "https" if certificate else "http"
            _wait_for(f"{scheme}://{front}{prefix}/_stcore/health", haproxy, "haproxy", timeout)
            yield Cluster(
                f"{scheme}://{front}", started, haproxy, database_url, folder, prefix, shared
            )
    except BaseException:
        keep = True  # the logs tell what went wrong
        raise
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _start_haproxy(folder: Path, config_text: str) -> subprocess.Popen[bytes]:
    """Check the configuration (``haproxy -c``), then run haproxy in the foreground."""
    binary = haproxy_binary()
    config = folder / "haproxy.cfg"
    config.write_text(config_text)
    check = subprocess.run(
        [binary, "-c", "-q", "-f", str(config)], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        raise RuntimeError(f"haproxy refused {config}:\n{check.stdout}{check.stderr}")
    with (folder / HAPROXY_LOG).open("ab") as log:
        return subprocess.Popen([binary, "-db", "-f", str(config)], stdout=log, stderr=log)


@contextmanager
def database(url: str | None) -> Iterator[str]:
    """``url`` when given; otherwise a throwaway PostgreSQL server's fresh database."""
    if url:
        yield url
        return
    from deploy.postgres import fresh_database, postgres_server

    with postgres_server() as admin, fresh_database(admin, "afweging") as fresh:
        yield fresh


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """``make serve``: the trial runs until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__)
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS", "2")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8500")))
    parser.add_argument("--base-path", default=os.environ.get("BASE_PATH", ""))
    parser.add_argument(
        "--certificate",
        type=Path,
        default=Path(os.environ["CERT"]) if os.environ.get("CERT") else None,
        help="PEM file with certificate and key: HAProxy ends TLS (https)",
    )
    args = parser.parse_args(argv)
    # systemd, timeout and kill send SIGTERM: stop everything as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    url = os.environ.get("AFWEGING_DATABASE_URL", "")
    print("PostgreSQL:", "AFWEGING_DATABASE_URL" if url else "a throwaway server (gone on exit)")
    folder = Path(tempfile.mkdtemp(prefix="afweging-serve-"))
    with (
        database(url) as db,
        cluster(
            args.replicas,
            db,
            folder=folder,
            port=args.port,
            base_path=args.base_path,
            certificate=args.certificate,
        ) as c,
    ):
        for r in c.replicas:
            print(f"  {r.name}: {r.base}{c.base_path}  (pid {r.proc.pid}, log {r.data_dir})")
        print(f"HAProxy: {c.url}/  (log {folder / HAPROXY_LOG}); Ctrl-C stops everything")
        try:
            while all(r.proc.poll() is None for r in c.replicas) and c.haproxy.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        print("stopping")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
