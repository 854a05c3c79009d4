"""A throwaway PostgreSQL server for tests: its own cluster, socket and port, then gone.

:func:`postgres_server` runs Debian's server binaries (``/usr/lib/postgresql/*/bin``,
installed by ``scripts/ensure-postgres.sh``) directly: ``initdb`` into a temporary
folder, ``pg_ctl start`` listening only on a Unix socket in that folder, and
``pg_ctl stop -m immediate`` afterwards. No system-wide service is touched.

PostgreSQL refuses to run as root, so as root the binaries run as the ``postgres``
system user (``runuser -u postgres --``) in a folder that user owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SERVER_USER = "postgres"
START_TIMEOUT_S = 60
COMMAND_TIMEOUT_S = 120


class PostgresUnavailable(RuntimeError):
    """The server binaries (or, as root, the postgres user) are not on this machine."""


def find_bindir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with initdb, pg_ctl and postgres."""
    candidates = [
        d
        for d in Path("/usr/lib/postgresql").glob("*/bin")
        if all(os.access(d / b, os.X_OK) for b in ("initdb", "pg_ctl", "postgres"))
    ]
    if not candidates:
        on_path = shutil.which("pg_ctl")
        if on_path and shutil.which("initdb") and shutil.which("postgres"):
            return Path(on_path).parent
        raise PostgresUnavailable(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
            "(run scripts/ensure-postgres.sh)"
        )

    def version(d: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in d.parent.name.split(".") if x.isdigit())

    return max(candidates, key=version)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user() -> list[str]:
    """The prefix that runs a command as the server's user (nothing unless root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError as exc:
        raise PostgresUnavailable(
            f"running as root, and there is no {SERVER_USER!r} user to run PostgreSQL as"
        ) from exc
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root, and runuser is missing")
    return [runuser, "-u", SERVER_USER, "--"]


def _run(argv: list[str], cwd: Path, what: str, log: Path | None = None) -> None:
    done = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        server_log = log.read_text(errors="replace") if log and log.exists() else "(no log)"
        raise RuntimeError(
            f"{what} failed (exit {done.returncode}): {' '.join(argv)}\n"
            f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}\nserver log:\n{server_log}"
        )


@dataclass
class PostgresServer:
    """A running throwaway cluster: its admin URL, and stop/start for fault tests."""

    url: sa.URL
    bindir: Path
    prefix: list[str]
    root: Path
    options: str

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def pg_ctl(self, *args: str, what: str) -> None:
        """Run ``pg_ctl`` on this cluster as its user."""
        _run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), *args],
             self.root, what, self.log)  # fmt: skip

    def start(self) -> None:
        """Start (or start again) and wait until it accepts connections."""
        self.pg_ctl("-l", str(self.log), "-o", self.options, "-w", "-t", str(START_TIMEOUT_S),
                    "start", what="pg_ctl start")  # fmt: skip
        _wait_until_accepting(self.url, self.log)

    def stop(self, mode: str = "fast") -> None:
        """Stop: ``fast`` ends every connection, as a database restart does."""
        self.pg_ctl("-m", mode, "stop", what="pg_ctl stop")


@contextmanager
def postgres_cluster() -> Iterator[PostgresServer]:
    """Start a private PostgreSQL cluster; yield it (see :class:`PostgresServer`).

    The URL uses psycopg 3 over a Unix socket (no TCP listener). Raises
    :class:`PostgresUnavailable` when the server cannot be run here at all.
    """
    bindir = find_bindir()
    prefix = _as_server_user()
    # Not under pytest's tmp_path: its folders are private to root, and the socket
    # path must stay short (Unix sockets allow about 100 bytes).
    root = Path(tempfile.mkdtemp(prefix="afweging-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if prefix:
        user = pwd.getpwnam(SERVER_USER)
        for path in (root, sock):
            os.chown(path, user.pw_uid, user.pw_gid)
    port = _free_port()
    url = sa.URL.create(
        "postgresql+psycopg",
        username=SERVER_USER,
        database="postgres",
        query={"host": str(sock), "port": str(port)},
    )
    options = (
        f"-p {port} -k {sock} -c listen_addresses='' "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=200"
    )
    server = PostgresServer(url, bindir, prefix, root, options)
    started = False
    try:
        _run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", SERVER_USER,
             "--auth=trust",  # only reachable through the private socket folder
             "--encoding=UTF8", "--no-locale", "--no-sync"],
            root, "initdb",
        )  # fmt: skip
        started = True  # from here on, stop it even if the start reports failure
        server.start()
        yield server
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                cwd=root,
                capture_output=True,
                timeout=COMMAND_TIMEOUT_S,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[sa.URL]:
    """Start a private PostgreSQL cluster; yield the admin URL of its ``postgres`` database."""
    with postgres_cluster() as server:
        yield server.url


def _wait_until_accepting(url: sa.URL, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    last: Exception | None = None
    try:
        while time.monotonic() < deadline:
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
                return
            except sa.exc.OperationalError as exc:
                last = exc
                time.sleep(0.1)
    finally:
        engine.dispose()
    server_log = log.read_text(errors="replace") if log.exists() else "(no log)"
    raise RuntimeError(
        f"PostgreSQL did not accept connections within {START_TIMEOUT_S} s: {last}\n"
        f"server log:\n{server_log}"
    )


@contextmanager
def fresh_database(admin_url: sa.URL, name: str) -> Iterator[str]:
    """Create an empty database ``name`` on the server; yield its URL text; drop it after."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    quoted = '"' + name.replace('"', '""') + '"'
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
        yield admin_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    finally:
        admin.dispose()
