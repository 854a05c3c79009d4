"""Nagle's algorithm is off for the server's connections (see :mod:`afweging_ui.sockets`).

With it on, every small static file on a kept-alive connection waited 40 ms for the
browser's delayed ACK (measured: 44 ms against 1.5 ms per file), and the first page
asks for about 70 of them.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import socket
from pathlib import Path

from afweging_ui.sockets import disable_nagle_on_listeners
from deploy.processes import streamlit_server

SYS_PIDFD_GETFD = 438  # Linux 5.6+, the same number on every architecture


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def accepted(listener: socket.socket) -> socket.socket:
    client = socket.create_connection(listener.getsockname())
    conn, _ = listener.accept()
    client.close()
    return conn


def test_a_listener_made_as_streamlit_makes_it_gets_nodelay_for_its_connections() -> None:
    # Streamlit's own bind: socket.socket(family=...), so proto is 0 and asyncio skips it.
    with socket.socket(family=socket.AF_INET) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert listener.proto == 0
        with accepted(listener) as before:
            assert nodelay(before) == 0
        assert disable_nagle_on_listeners() >= 1
        with accepted(listener) as after:
            assert nodelay(after) != 0


def test_sockets_that_do_not_listen_are_left_alone() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as idle,
        socket.socket(family=socket.AF_INET) as listener,
    ):
        idle.bind(("127.0.0.1", 0))  # bound, not listening
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as client:
            disable_nagle_on_listeners()
            assert nodelay(idle) == 0
            assert nodelay(client) == 0  # a connected client keeps its own setting
            assert nodelay(listener) != 0


def _their_socket(pid: int, fd: int) -> socket.socket | None:
    """A duplicate of another process's descriptor (pidfd_getfd), if it is a socket."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        dup = libc.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0)
        if dup < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    finally:
        os.close(pidfd)
    try:
        return socket.socket(fileno=dup)
    except OSError:
        os.close(dup)
        return None


def _server_ends(pid: int, peer: tuple[str, int]) -> list[int]:
    """TCP_NODELAY of each of the server's sockets connected to ``peer``."""
    found = []
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if not os.readlink(entry).startswith("socket:"):
                continue
            sock = _their_socket(pid, int(entry.name))
        except OSError:  # closed meanwhile
            continue
        if sock is None:
            continue
        with sock:
            if sock.family != socket.AF_INET or sock.type != socket.SOCK_STREAM:
                continue
            try:
                if sock.getpeername() == peer:
                    found.append(nodelay(sock))
            except OSError:  # not connected: the listener
                continue
    return found


def test_the_real_server_accepts_connections_with_nodelay(tmp_path: Path) -> None:
    with streamlit_server(tmp_path) as (base, proc):
        host, port = base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            # A whole request on a kept-alive connection: by then the server has accepted it.
            conn.request("GET", "/_stcore/health")
            assert conn.getresponse().read() == b"ok"
            assert conn.sock is not None
            found = _server_ends(proc.pid, conn.sock.getsockname())
        finally:
            conn.close()
        assert found, "the server's end of the connection was not found"
        assert all(found), found


def test_without_proc_nothing_is_touched_and_nothing_claimed(monkeypatch) -> None:
    """Where the descriptors cannot be listed (no /proc: not Linux) the answer is None, so
    the server does not warn about a missing listener that is only not visible."""
    import afweging_ui.sockets as sockets

    monkeypatch.setattr(sockets, "_FDS", Path("/nonexistent/fd"))
    assert disable_nagle_on_listeners() is None
