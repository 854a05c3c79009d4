"""What :mod:`app` serves beside the Streamlit dashboard: the phones' routes and the key cookie.

- The participants' phone pages (:mod:`afweging_ui.workshop.phone`) at ``/deelnemen``:
  plain HTML and a small JSON API, milliseconds per request instead of a
  Streamlit rerun, and no single-page app to download over venue Wi-Fi.
- :class:`FacilitatorKeyMiddleware`: a control link
  (``/workshop?code=ABC234&key=...``) sets the key as an HttpOnly cookie and
  redirects to ``/workshop?code=ABC234``, so the key never stays in the address
  bar of a window that might be projected; the page reads the cookie.

Settings: ``AFWEGING_TRUSTED_PROXIES`` (addresses or networks, comma-separated)
names the reverse proxies whose ``X-Forwarded-For`` the join limiter believes;
Streamlit's ``server.baseUrlPath`` is honoured.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from afweging.content import content_dir, missing_folders
from afweging.loading import BundleWatcher
from afweging.workshop.errors import StoreUnavailable, safe_reason
from afweging.workshop.limits import JoinLimiter, parse_networks
from afweging.workshop.store import shared_store
from afweging_ui.plotly_bundles import FIRST_PLOTLY, PREFIX
from afweging_ui.preload import first_page_chunks, index_chunks
from afweging_ui.sockets import disable_nagle_on_listeners
from afweging_ui.static_cache import StaticFileCache, warm
from afweging_ui.style import PAGE_CSS
from afweging_ui.urls import base_path
from afweging_ui.workshop.phone.routes import PhoneRoutes
from afweging_ui.workshop.phone.service import PhoneService
from afweging_ui.workshop.state import FACILITATOR_PATH, key_cookie, saved_models

_LOG = logging.getLogger("afweging")
_KEY = re.compile(r"^[A-Za-z0-9_-]{20,200}$")
_CODE = re.compile(r"^[A-Za-z0-9]{1,16}$")
COOKIE_MAX_AGE = 48 * 3600


class _Services:
    """One PhoneService per store location, made on first use (after the config is read)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_location: dict[int, PhoneService] = {}
        self._bundle = BundleWatcher()

    def __call__(self) -> PhoneService:
        store = shared_store()
        with self._lock:
            service = self._by_location.get(id(store))
            if service is None:
                service = PhoneService(store, self._bundle, JoinLimiter(store), saved_models)
                self._by_location[id(store)] = service
            return service


def phone_routes() -> list[BaseRoute]:
    """The phones' routes, under the base path."""
    trusted = parse_networks(os.environ.get("AFWEGING_TRUSTED_PROXIES", ""))
    return PhoneRoutes(_Services(), trusted, base_path()).routes()


class FacilitatorKeyMiddleware:
    """Moves a facilitator key from the address into an HttpOnly cookie (see module)."""

    def __init__(self, app: ASGIApp, base: str = "") -> None:
        self.app = app
        self.path = f"{base}/{FACILITATOR_PATH}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or scope.get("path") != self.path
            or b"key=" not in scope.get("query_string", b"")
        ):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        key = next((v for k, v in query if k == "key"), "")
        code = next((v for k, v in query if k == "code"), "").strip().upper()
        rest = [(k, v) for k, v in query if k != "key"]
        location = self.path + ("?" + urlencode(rest) if rest else "")
        headers = [
            (b"location", location.encode("latin-1")),
            (b"cache-control", b"no-store"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-length", b"0"),
        ]
        if _KEY.match(key) and _CODE.match(code):
            secure = "; Secure" if scope.get("scheme") == "https" else ""
            cookie = (
                f"{key_cookie(code)}={key}; Path=/; Max-Age={COOKIE_MAX_AGE}; HttpOnly; "
                f"SameSite=Lax{secure}"
            )
            headers.append((b"set-cookie", cookie.encode("latin-1")))
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


#: Days after a session expires before it is deleted with all its data (AVG: no longer
#: than needed); ``AFWEGING_RETENTION_DAYS`` changes it.
DEFAULT_RETENTION_DAYS = 30


def retention_days() -> int:
    """The retention period from the environment (a whole number of days, at least 1)."""
    text = os.environ.get("AFWEGING_RETENTION_DAYS", "").strip()
    try:
        days = int(text) if text else DEFAULT_RETENTION_DAYS
    except ValueError:
        _LOG.error("AFWEGING_RETENTION_DAYS: expected a whole number of days, got %r", text)
        return DEFAULT_RETENTION_DAYS
    return max(1, days)


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """At start: turn Nagle's algorithm off for the connections to come (see
    :mod:`afweging_ui.sockets`), compress the first page's scripts in the background
    (:mod:`afweging_ui.static_cache`), open (create, migrate) the workshop database so the first
    phone does not pay for it, and delete sessions that expired longer ago than the retention
    period."""
    if disable_nagle_on_listeners() == 0:
        _LOG.warning("no listening TCP socket found to set TCP_NODELAY on")
    warm(
        [
            f"{PREFIX.removeprefix('/static/')}{FIRST_PLOTLY}",
            *(f"js/{name}" for name in (*index_chunks(), *first_page_chunks())),
        ]
    )
    try:
        store = shared_store()
        cutoff = store.now() - timedelta(days=retention_days())
        purged = store.purge_expired(cutoff)
        if purged:
            _LOG.info("deleted %d workshop session(s) that expired before %s", purged, cutoff)
        JoinLimiter(store).prune()  # wrong-code records hold addresses: gone after 10 minutes
    except StoreUnavailable as exc:  # the pages say so in Dutch; the server keeps running
        _LOG.error("%s; the workshop pages wait for it, the rest of the app works", exc)
    except Exception as exc:
        _LOG.error("workshop database not available: %s", safe_reason(exc))
    missing = missing_folders()
    if missing:
        _LOG.error(
            "content folder %s lacks %s (set AFWEGING_CONTENT_DIR to a folder with "
            "criteria/, scenarios/ and seeds/; afweging init FOLDER makes one)",
            content_dir(),
            ", ".join(f"{m}/" for m in missing),
        )
    yield


_SKIP = ("/_stcore", "/static", "/media", "/component", "/deelnemen", "/favicon")


class IndexPageMiddleware:
    """Adjusts the app's one HTML page as it is sent: the page's language (Dutch unless the
    address asks for English: screen readers pronounce by it), the app's stylesheet
    (:data:`~afweging_ui.style.PAGE_CSS`: phone layout, touch targets; in the page itself
    it holds from the first paint, and the page needs no ``st.html`` element and no HTML
    sanitiser for it) and a preload of the first page's plotly.js bundle
    (:mod:`afweging_ui.plotly_view`) and of its element chunks and their imports
    (:mod:`afweging_ui.preload`), so the browser fetches and compiles plotly.js and the
    widgets while the app starts, instead of one after the other as elements arrive (the
    first chart came ~1.5 s after the title)."""

    def __init__(self, app: ASGIApp, base: str = "") -> None:
        self.app = app
        self.base = base
        self.preload = (
            f'<link rel="preload" as="script" href="{base}{PREFIX}{FIRST_PLOTLY}" />'
            + "".join(
                f'<link rel="modulepreload" href="{base}/static/js/{name}" />'
                for name in first_page_chunks()
            )
        ).encode()
        # After the app's root, so that it comes after every style the app puts in the
        # head (in document order): on equal specificity, its rules win, as they must.
        self.style = f"<style>{PAGE_CSS}</style>".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or path.removeprefix(self.base).startswith(_SKIP)
            or "." in path.rsplit("/", 1)[-1]
        ):
            await self.app(scope, receive, send)
            return
        # Ask for the page uncompressed (it is 3 KB) so it can be adjusted here.
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        english = b"lang=en" in scope.get("query_string", b"")
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            head = dict(start.get("headers", []))
            if head.get(b"content-type", b"").startswith(b"text/html") and b"<head>" in body:
                body = body.replace(
                    b'<html lang="en">', b'<html lang="en">' if english else b'<html lang="nl">', 1
                )
                body = body.replace(b"<head>", b"<head>" + self.preload, 1)
                body = body.replace(b"</body>", self.style + b"</body>", 1)
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def middleware() -> list[Middleware]:
    """Middleware for :class:`streamlit.starlette.App`."""
    return [
        Middleware(StaticFileCache, base=base_path()),
        Middleware(FacilitatorKeyMiddleware, base=base_path()),
        Middleware(IndexPageMiddleware, base=base_path()),
    ]


__all__ = ["FacilitatorKeyMiddleware", "base_path", "lifespan", "middleware", "phone_routes"]
