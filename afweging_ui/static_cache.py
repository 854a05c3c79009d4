"""Streamlit's frontend files from memory, compressed once: what every first visit downloads.

Streamlit serves its 8 MB of JavaScript from disk on every request, uncompressed (its
server skips gzip for static files: compressing on every request cost more than it
saved). Over a venue's Wi-Fi that is 8 MB per browser; on the server it is about a
millisecond and several thread hops per file, while the browser waits for about 110 of
them on a 2-core machine it shares with the server.

These files are content-addressed (``PlotlyChart.D9Z0_fxz.js``): a name never changes its
content. So each is read and gzip-compressed once, in a worker thread, and answered from
memory after that: 2.4 MB instead of 8.1 MB for the first page, and about 0.2 ms of the
server's time per file instead of 1.3 ms. The first page's files are prepared when the
server starts (:func:`warm`), the rest on their first request. Only names matching
:data:`_NAME` directly under ``static/js``, ``static/css`` or ``static/media`` are
served; anything else (or a missing file) goes on to Streamlit.

The plotly.js bundles the charts are drawn with (:mod:`afweging_ui.plotly_bundles`,
versioned names) are served the same way, under ``static/afweging/``.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import anyio
import streamlit
from starlette.types import ASGIApp, Receive, Scope, Send

from afweging_ui.plotly_bundles import FILES, PREFIX

#: Streamlit's built frontend files.
FOLDER = Path(streamlit.__file__).parent / "static" / "static"
#: A file name with a content hash in it, in one of the three folders: nothing else.
_NAME = re.compile(r"^(js|css|media)/[A-Za-z0-9_-][A-Za-z0-9_.-]*\.[A-Za-z0-9]+$")
#: The plotly.js bundles, by their path under ``static/``.
_OWN = {f"{PREFIX.removeprefix('/static/')}{name}": path for name, path in FILES.items()}
#: Types worth compressing (fonts and images are compressed already).
_TEXT = (
    "application/javascript",
    "text/javascript",
    "text/css",
    "image/svg+xml",
    "application/json",
)
#: Smaller files are sent as they are: gzip's header would eat the gain.
_MIN_GZIP = 1024
#: Streamlit's own header for these files (a year, immutable).
_CACHE_CONTROL = b"public, immutable, max-age=31536000"


@dataclass(frozen=True)
class _File:
    body: bytes
    gzipped: bytes | None
    content_type: bytes
    etag: bytes


#: The prepared files by path under :data:`FOLDER`; one per file Streamlit ships, at most.
_FILES: dict[str, _File] = {}
_LOCK = threading.Lock()


def _load(relative: str) -> _File | None:
    """The file prepared (read, compressed), from memory when it was prepared before."""
    found = _FILES.get(relative)
    if found is not None:
        return found
    path = _OWN.get(relative) or FOLDER / relative
    if not (_NAME.match(relative) or relative in _OWN) or not path.is_file():
        return None
    body = path.read_bytes()
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind in ("application/javascript", "text/javascript"):
        kind = "text/javascript; charset=utf-8"
    squeeze = len(body) >= _MIN_GZIP and kind.split(";")[0] in _TEXT
    gzipped = gzip.compress(body, 6, mtime=0) if squeeze else None
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    found = _File(body, gzipped, kind.encode(), etag.encode())
    with _LOCK:
        return _FILES.setdefault(relative, found)


def warm(names: list[str]) -> threading.Thread:
    """Prepare files (paths under :data:`FOLDER`) in a background thread, so the first
    visitor does not wait for plotly.js to be compressed (0.13 s)."""
    worker = threading.Thread(
        target=lambda: [_load(name) for name in names], name="static-warm", daemon=True
    )
    worker.start()
    return worker


class StaticFileCache:
    """ASGI middleware: answers ``GET``/``HEAD`` for Streamlit's hashed files (see module)."""

    def __init__(self, app: ASGIApp, base: str = "") -> None:
        self.app = app
        self.prefix = f"{base}/static/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not path.startswith(self.prefix)
            or not (_NAME.match(relative := path[len(self.prefix) :]) or relative in _OWN)
        ):
            await self.app(scope, receive, send)
            return
        found = _FILES.get(relative) or await anyio.to_thread.run_sync(_load, relative)
        if found is None:
            await self.app(scope, receive, send)
            return
        await self._answer(found, scope, send)

    async def _answer(self, found: _File, scope: Scope, send: Send) -> None:
        headers = dict(scope.get("headers", []))
        base = [
            (b"cache-control", _CACHE_CONTROL),
            (b"etag", found.etag),
            (b"x-content-type-options", b"nosniff"),
        ]
        if headers.get(b"if-none-match") == found.etag:
            await send({"type": "http.response.start", "status": 304, "headers": base})
            await send({"type": "http.response.body", "body": b""})
            return
        body = found.body
        extra = [(b"content-type", found.content_type)]
        if found.gzipped is not None:
            extra.append((b"vary", b"accept-encoding"))
            if b"gzip" in headers.get(b"accept-encoding", b""):
                body = found.gzipped
                extra.append((b"content-encoding", b"gzip"))
        extra.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": base + extra})
        head = scope.get("method") == "HEAD"
        await send({"type": "http.response.body", "body": b"" if head else body})


__all__ = ["FOLDER", "StaticFileCache", "warm"]
