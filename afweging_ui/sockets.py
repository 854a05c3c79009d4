"""TCP_NODELAY for the server's connections, which Streamlit's own listening socket lacks.

Streamlit (1.67) binds its listening socket itself with ``socket.socket(family=...)``,
so the socket's ``proto`` is 0 and asyncio's transport, which turns Nagle's algorithm off
only for sockets whose ``proto`` is ``IPPROTO_TCP``, leaves it on for every connection.
A response is then written as headers and body in two sends, and the body waits for the
browser's delayed ACK: 40 ms for every small file on a kept-alive connection, and the
first page asks for about 70 of them over 6 connections (the last arrived at 0.7 s
instead of about 0.2 s). Websocket frames wait the same way.

Linux copies TCP_NODELAY from a listening socket to the connections it accepts, so
setting it once on the listener at start is enough.
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

_LOG = logging.getLogger("afweging")
_FDS = Path("/proc/self/fd")


def _is_tcp_listener(sock: socket.socket) -> bool:
    return (
        sock.family in (socket.AF_INET, socket.AF_INET6)
        and sock.type == socket.SOCK_STREAM
        and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    )


def _socket_fds() -> list[int] | None:
    """This process's open file descriptors that are sockets; None where /proc is absent
    (not Linux: there the listener keeps Streamlit's settings)."""
    out: list[int] = []
    try:
        entries = list(_FDS.iterdir())
    except OSError:
        return None
    for entry in entries:
        try:
            if os.readlink(entry).startswith("socket:"):
                out.append(int(entry.name))
        except (OSError, ValueError):  # closed meanwhile, or not a number
            continue
    return out


def disable_nagle_on_listeners() -> int | None:
    """Set TCP_NODELAY on every listening TCP socket of this process; return how many
    (None where this process's descriptors cannot be listed)."""
    fds = _socket_fds()
    if fds is None:
        return None
    count = 0
    for fd in fds:
        try:
            sock = socket.socket(fileno=os.dup(fd))  # a duplicate: closing it keeps fd open
        except OSError:
            continue
        with sock:
            try:
                if not _is_tcp_listener(sock):
                    continue
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError as exc:
                _LOG.warning("could not set TCP_NODELAY on a listening socket: %s", exc)
                continue
            count += 1
    return count


__all__ = ["disable_nagle_on_listeners"]
