"""The participant's phone pages as plain HTTP routes: server-rendered HTML, a few lines of JS.

A phone at a Regiodag should not download a whole single-page app over venue
Wi-Fi and keep a websocket alive, and 400 of them pressing Submit together
should cost the server milliseconds each, not a script rerun. So ``/deelnemen``
is plain HTML (Jinja2, autoescaped), works without JavaScript (forms post and
redirect), and with JavaScript submits with ``fetch`` and polls a small JSON
status endpoint for the group result after the reveal.

Routes (under the app's base path):

- ``GET /deelnemen``: the code form; with ``?code=`` a one-tap "join" page
  (the code is not looked up, so a page load reveals nothing and is never
  counted as an attempt); with ``?code=&p=`` the weigh page.
- ``POST /deelnemen``: a typed code: the questions the session asks, or
  straight in.
- ``POST /deelnemen/aanmelden``: join with the answers.
- ``POST /deelnemen/inzenden``: submit (JSON from the script, or a plain form).
- ``GET /deelnemen/status``: the poll (JSON with an ETag; 304 when unchanged).
- ``GET /deelnemen/static/...``: the stylesheet and the script.

Every refusal is a Dutch (or English) sentence with a 4xx status, never a
traceback; a bad code and a bad token look the same from outside.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from afweging.model import Lang
from afweging.numbers import to_float
from afweging.workshop import Session, StoreUnavailable
from afweging.workshop.checks import CODE_LENGTH
from afweging.workshop.limits import Client, Network, client_address
from afweging_ui.i18n import t
from afweging_ui.workshop.phone.service import FIELDS, PhoneService, Refusal, clock_time

_LOG = logging.getLogger(__name__)
HERE = Path(__file__).parent
PATH = "/deelnemen"
BROWSER_COOKIE = "afweging_browser"
#: Far above any honest request (a submit is about 200 bytes).
MAX_BODY = 16_384

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    auto_reload=False,  # templates are part of the release: no stat per page, no half-edits
    trim_blocks=True,
    lstrip_blocks=True,
)


def language(value: str | None) -> Lang:
    """Dutch unless English is asked for."""
    return "en" if value == "en" else "nl"


class PhoneRoutes:
    """The routes, bound to a service (store and data) and the trusted proxies."""

    def __init__(
        self,
        service: Callable[[], PhoneService],
        trusted_proxies: Sequence[Network] = (),
        base_path: str = "",
    ) -> None:
        self._service = service
        self.trusted = tuple(trusted_proxies)
        self.base = base_path.rstrip("/")

    @property
    def service(self) -> PhoneService:
        return self._service()

    def routes(self) -> list[BaseRoute]:
        """Starlette routes to mount beside the Streamlit app."""
        root = self.base + PATH
        return [
            Route(root, self.safe(self.start), methods=["GET", "HEAD"]),
            Route(root, self.safe(self.post_code), methods=["POST"]),
            Route(root + "/aanmelden", self.safe(self.post_join), methods=["POST"]),
            Route(root + "/inzenden", self.safe(self.post_submit), methods=["POST"]),
            Route(root + "/status", self.safe(self.get_status), methods=["GET"]),
            Mount(root + "/static", StaticFiles(directory=HERE / "static"), name="phone-static"),
        ]

    # ---------------------------------------------------------------- helpers

    def safe(
        self, endpoint: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint, answering an unexpected error with a plain sentence (and a log line).

        A phone must never see a traceback or a bare "Internal Server Error".
        """

        async def guarded(request: Request) -> Response:
            try:
                return await endpoint(request)
            except (StoreUnavailable, DBAPIError) as exc:
                # The database is away: a plain sentence and 503 (try again), no traceback.
                where, what = request.url.path, type(exc).__name__
                _LOG.error("phone route %s: database not available: %s", where, what)
                key, status = "ws_db_down_phone", 503
            except Exception:
                _LOG.exception("phone route %s failed", request.url.path)
                key, status = "ws_action_failed", 500
            text = t(key, language(request.query_params.get("lang")))
            if request.url.path.endswith(("/inzenden", "/status")):
                return JSONResponse({"ok": False, "message": text}, status)
            page = f"<!doctype html><meta charset=utf-8><title>Afweging</title>{escape(text)}"
            return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)

        return guarded

    def url(self, **query: str) -> str:
        """A link to the phone page with this query (empty values left out)."""
        clean = {k: v for k, v in query.items() if v}
        return self.base + PATH + ("?" + urlencode(clean) if clean else "")

    def client(self, request: Request) -> Client:
        """Who is asking: the address group (proxy-aware) and the browser's own id."""
        peer = request.client.host if request.client else None
        address = client_address(peer, request.headers.get("x-forwarded-for"), self.trusted)
        return Client(address=address, browser=request.cookies.get(BROWSER_COOKIE))

    def page(
        self, request: Request, template: str, lang: Lang, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A rendered page with the security headers and, when missing, the browser cookie."""

        def tr(key: str, **values: object) -> str:
            return t(key, lang, **values)

        other: Lang = "en" if lang == "nl" else "nl"
        query = dict(request.query_params)
        query["lang"] = other
        html = _templates.get_template(template).render(
            tr=tr,
            lang=lang,
            static=self.base + PATH + "/static",
            action=self.base + PATH,
            other_lang_url=self.base + PATH + "?" + urlencode(query),
            other_lang=other,
            **context,
        )
        response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
        response.headers["Cache-Control"] = "no-store"
        if not request.cookies.get(BROWSER_COOKIE):
            response.set_cookie(
                BROWSER_COOKIE,
                secrets.token_urlsafe(16),
                max_age=24 * 3600,
                path=self.base + PATH,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        return response

    @staticmethod
    def cross_site(request: Request) -> bool:
        """A post sent by another site's page (browsers say so in Sec-Fetch-Site)."""
        return request.headers.get("sec-fetch-site", "") == "cross-site"

    async def form(self, request: Request) -> dict[str, str]:
        """A small form body as plain strings; Refusal when oversized or malformed."""
        body = await self.body(request)
        try:
            from urllib.parse import parse_qsl

            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=40)
        except (UnicodeDecodeError, ValueError):
            raise Refusal("ws_phone_bad_input", 400) from None
        return dict(pairs)

    @staticmethod
    async def body(request: Request) -> bytes:
        """The request body, refused beyond :data:`MAX_BODY` bytes."""
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
            raise Refusal("ws_phone_bad_input", 413)
        chunks = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise Refusal("ws_phone_bad_input", 413)
            chunks.append(chunk)
        return b"".join(chunks)

    def weigh_url(self, code: str, token: str, lang: Lang, **extra: str) -> str:
        """The participant's own link: code and token (and the language when English)."""
        return self.url(code=code, p=token, lang="en" if lang == "en" else "", **extra)

    # ---------------------------------------------------------------- GET /deelnemen

    async def start(self, request: Request) -> Response:
        """Code form, one-tap join page, or the weigh page: whatever this link holds."""
        q = request.query_params
        lang = language(q.get("lang"))
        code = (q.get("code") or "")[:40]
        token = (q.get("p") or "")[:200]
        if code and token:
            return await run_in_threadpool(self.weigh_page, request, code, token, lang, q)
        if code:
            # Shown as a code only: letters and digits, never a sentence someone put in a link.
            shown = "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())[:12]
            return self.page(request, "start.html.j2", lang, code=shown, error=None)
        return self.page(request, "code.html.j2", lang, code="", error=None)

    def weigh_page(
        self,
        request: Request,
        code: str,
        token: str,
        lang: Lang,
        query: Mapping[str, str],
        error: str | None = None,
        status: int = 200,
        sent: Mapping[str, int] | None = None,
    ) -> Response:
        """The sliders or places, this person's ranking, Submit, and the room's result."""
        service = self.service
        try:
            session, person, mine, _version = service.participant(code, token)
        except Refusal as refusal:
            return self.page(
                request,
                "message.html.j2",
                lang,
                status=refusal.status,
                message=refusal.text(lang),
                again=self.url(lang="en" if lang == "en" else ""),
            )
        matrix = service.matrix(session)
        if matrix is None:
            return self.page(
                request,
                "message.html.j2",
                lang,
                status=410,
                message=t("ws_data_gone", lang),
                again="",
            )
        inputs = dict(sent) if sent is not None else service.inputs_for(session, mine)
        data = service.page_data(session, matrix, inputs, lang)
        status_tag, status_body = service.status(session.code, token, lang)
        return self.page(
            request,
            "weigh.html.j2",
            lang,
            status=status,
            session=session,
            person=person,
            case_label=matrix.case.label.get(lang),
            data=data,
            script_data={
                "code": session.code,
                "token": token,
                "lang": lang,
                "method": data["method"],
                "criteria": [c["id"] for c in data["criteria"]],
                "labels": [c["label"] for c in data["criteria"]],
                "options": data["options"],
                "values": data["values"],
                "submit": self.base + PATH + "/inzenden",
                "status": self.base + PATH + "/status",
                "etag": status_tag,
                "texts": {
                    k: t(k, lang)
                    for k in (
                        "ws_phone_sending",
                        "ws_phone_offline",
                        "ws_all_zero",
                        "ws_phone_received",
                        "ws_submit_again",
                        "ws_group_ranking",
                    )
                },
            },
            mine_time=None if mine is None else clock_time(mine.submitted_at),
            can_submit=status_body["open"],
            state=status_body,
            error=error,
            received=query.get("ok") == "1" and error is None,
            form_action=self.base + PATH + "/inzenden",
        )

    # ---------------------------------------------------------------- POST /deelnemen

    async def posted_form(self, request: Request) -> dict[str, str]:
        """A form posted by our own page; Refusal for another site's post or a bad body."""
        if self.cross_site(request):
            raise Refusal("ws_phone_cross_site", 403)
        return await self.form(request)

    def code_page(self, request: Request, lang: Lang, refusal: Refusal, code: str = "") -> Response:
        """The code form again, with what went wrong."""
        return self.page(
            request,
            "code.html.j2",
            lang,
            status=refusal.status,
            code=code[: CODE_LENGTH + 6],
            error=refusal.text(lang),
        )

    def join_page(
        self,
        request: Request,
        lang: Lang,
        session: Session,
        answers: Mapping[str, str | None],
        refusal: Refusal | None = None,
    ) -> Response:
        """The session's questions (name, municipality, role: whichever it asks)."""
        return self.page(
            request,
            "join.html.j2",
            lang,
            status=200 if refusal is None else refusal.status,
            code=session.code,
            asked=self.service.asks(session),
            show_names=session.show_names,
            answers=answers,
            error=None if refusal is None else refusal.text(lang),
        )

    async def post_code(self, request: Request) -> Response:
        """A typed code (or the one-tap join): the questions, or straight to weighing."""
        try:
            form = await self.posted_form(request)
        except Refusal as refusal:
            return self.code_page(request, "nl", refusal)
        lang = language(form.get("lang"))
        typed = form.get("code", "")[:40]
        return await run_in_threadpool(self._code, request, typed, lang)

    def _code(self, request: Request, typed: str, lang: Lang) -> Response:
        service = self.service
        client = self.client(request)
        try:
            session = service.check_code(client, typed, lang)
            if service.asks(session):
                return self.join_page(request, lang, session, {})
            session, token = service.join(client, session.code, {}, lang)
        except Refusal as refusal:
            return self.code_page(request, lang, refusal, typed)
        return RedirectResponse(self.weigh_url(session.code, token, lang), status_code=303)

    async def post_join(self, request: Request) -> Response:
        """Join with the answers to the session's questions."""
        try:
            form = await self.posted_form(request)
        except Refusal as refusal:
            return self.code_page(request, "nl", refusal)
        lang = language(form.get("lang"))
        return await run_in_threadpool(self._join, request, form, lang)

    def _join(self, request: Request, form: Mapping[str, str], lang: Lang) -> Response:
        service = self.service
        typed = form.get("code", "")[:40]
        answers = {f: form.get(f) for f in FIELDS if f in form}
        try:
            session, token = service.join(self.client(request), typed, answers, lang)
        except Refusal as refusal:
            if refusal.key == "ws_bad_text":
                session = service.store.get_session_by_code(typed)
                return self.join_page(request, lang, session, answers, refusal)
            return self.code_page(request, lang, refusal, typed)
        return RedirectResponse(self.weigh_url(session.code, token, lang), status_code=303)

    # ---------------------------------------------------------------- POST /deelnemen/inzenden

    async def post_submit(self, request: Request) -> Response:
        """Store the weights: JSON in, JSON out from the script; a form post redirects back."""
        wants_json = request.headers.get("content-type", "").startswith("application/json")
        try:
            if self.cross_site(request):
                raise Refusal("ws_phone_cross_site", 403)
            if wants_json:
                raw = await self.body(request)
                try:
                    payload = json.loads(raw)
                except (ValueError, UnicodeDecodeError):
                    raise Refusal("ws_phone_bad_input", 400) from None
                if not isinstance(payload, dict) or not isinstance(payload.get("values"), dict):
                    raise Refusal("ws_phone_bad_input", 400)
                code, token = str(payload.get("code", ""))[:40], str(payload.get("p", ""))[:200]
                lang = language(
                    payload.get("lang") if isinstance(payload.get("lang"), str) else None
                )
                values = payload["values"]
            else:
                form = await self.form(request)
                code, token = form.get("code", "")[:40], form.get("p", "")[:200]
                lang = language(form.get("lang"))
                values = {k[2:]: v for k, v in form.items() if k.startswith("v_")}
        except Refusal as refusal:
            if wants_json:
                return JSONResponse({"ok": False, "message": refusal.text("nl")}, refusal.status)
            return self.page(
                request,
                "message.html.j2",
                "nl",
                status=refusal.status,
                message=refusal.text("nl"),
                again="",
            )
        return await run_in_threadpool(self._submit, request, code, token, lang, values, wants_json)

    def _submit(
        self,
        request: Request,
        code: str,
        token: str,
        lang: Lang,
        values: Mapping[str, object],
        wants_json: bool,
    ) -> Response:
        try:
            submission = self.service.submit(code, token, values)
        except Refusal as refusal:
            if wants_json:
                return JSONResponse(
                    {"ok": False, "message": refusal.text(lang)},
                    refusal.status,
                    headers={"Cache-Control": "no-store"},
                )
            sent = {k: _int_or_zero(v) for k, v in values.items()}
            return self.weigh_page(
                request,
                code,
                token,
                lang,
                {},
                error=refusal.text(lang),
                status=refusal.status,
                sent=sent if refusal.status != 403 else None,
            )
        when = clock_time(submission.submitted_at)
        if wants_json:
            return JSONResponse(
                {
                    "ok": True,
                    "time": when,
                    "round": submission.round,
                    "message": t("ws_phone_received", lang, time=when),
                },
                headers={"Cache-Control": "no-store"},
            )
        return RedirectResponse(self.weigh_url(code, token, lang, ok="1"), status_code=303)

    # ---------------------------------------------------------------- GET /deelnemen/status

    async def get_status(self, request: Request) -> Response:
        """The poll: round, open, revealed, own submission, and the group result after reveal."""
        q = request.query_params
        lang = language(q.get("lang"))
        code, token = (q.get("code") or "")[:40], (q.get("p") or "")[:200]
        try:
            tag, body = await run_in_threadpool(self.service.status, code, token, lang)
        except Refusal as refusal:
            return JSONResponse({"ok": False, "message": refusal.text(lang)}, refusal.status)
        headers = {"ETag": tag, "Cache-Control": "no-cache, private"}
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers=headers)
        return JSONResponse({"ok": True, **body}, headers=headers)


def _int_or_zero(value: object) -> int:
    try:
        return int(to_float(value))
    except (TypeError, ValueError, OverflowError):
        return 0


__all__ = ["BROWSER_COOKIE", "PATH", "PhoneRoutes", "language"]
