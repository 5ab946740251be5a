"""Shared pieces of the simulated REST services (aiohttp.web on loopback).

All REST families share one HTTP port; their paths do not collide
(Tekil panel ``/login``, ``/getcdr``, …; KobiPBX ``/api/v1/…``; new SMS
``/api/message``, ``/api/balance``, …; old SMS ``/sms/api…``; the control
interface ``/_sim/…``).

Response styles, mirrored from the collection's saved responses:

* Tekil panel (PHP): JSON labelled ``text/html; charset=UTF-8`` with the
  ``Expires: Thu, 19 Nov 1981 …`` / ``no-store`` header set, encoded like
  PHP's ``json_encode`` (``\\/`` and ``\\uXXXX`` escapes), gzip when the
  client accepts it.  Exceptions as observed: ``createContact`` and the V2
  single-call view are ``application/json``, recordings
  ``application/octet-stream``, QR codes base64 text labelled HTML.
* KobiPBX and the new SMS API (Laravel): ``application/json`` with the
  rate-limit and CORS headers seen in the examples.

Two middlewares wrap every non-control request:

* the recorder appends ``{"method","path","query","form","json","headers",
  "status"}`` to ``Simulator.received`` (the ``Authorization`` header value
  becomes ``"Bearer <len N>"``);
* the fault injector consumes faults armed with ``Simulator.fault(path,
  kind, count)``: ``timeout`` (accept and never answer; the handler ends
  when the client gives up or the simulator stops), ``500``, ``401`` (the
  family's own 401), ``garbage`` (200 with an HTML error page and binary
  junk instead of JSON), ``disconnect`` (close the connection without a
  response) and ``accept-then-timeout`` (run the real handler, so its side
  effect happens, e.g. the dial or the SMS is recorded, then hang).  A
  fault path ending in ``*`` matches every path with that prefix.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .auth import redact_authorization

log = logging.getLogger("kobikom.simulator.http")

TEXT_HTML = "text/html; charset=UTF-8"
APPLICATION_JSON = "application/json"
NO_CACHE = {
    "Expires": "Thu, 19 Nov 1981 08:52:00 GMT",
    "Cache-Control": "no-store, no-cache, must-revalidate",
    "Pragma": "no-cache",
}
LARAVEL_KOBIPBX = {"Cache-Control": "no-cache, private", "X-RateLimit-Limit": "60",
                   "X-RateLimit-Remaining": "59", "Access-Control-Allow-Origin": "*"}
LARAVEL_SMS = {"Cache-Control": "no-cache, private", "X-Ratelimit-Limit": "1000000",
               "X-Ratelimit-Remaining": "999999", "Access-Control-Allow-Origin": "*",
               "X-Powered-By": "PHP/8.1.7"}

FAULT_KINDS = frozenset({"timeout", "500", "401", "garbage", "disconnect",
                         "accept-then-timeout"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def php_encode(data: Any) -> bytes:
    """``json_encode($data)``: ASCII with ``\\uXXXX``, slashes escaped, compact."""
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace(
        "/", "\\/").encode("ascii")


def php_json(data: Any, *, status: int = 200, content_type: str = TEXT_HTML,
             headers: dict[str, str] | None = None, gzip: bool = True) -> web.Response:
    response = web.Response(status=status, body=php_encode(data),
                            headers={"Content-Type": content_type,
                                     **(NO_CACHE if headers is None else headers)})
    if gzip:
        response.enable_compression()
    return response


def laravel_json(data: Any, *, status: int = 200,
                 headers: dict[str, str] = LARAVEL_KOBIPBX) -> web.Response:
    return web.Response(status=status, body=php_encode(data),
                        headers={"Content-Type": APPLICATION_JSON, **headers})


def family_unauthorized(path: str) -> web.Response:
    """The 401 of the REST family *path* belongs to (see each module)."""
    if path.startswith("/api/v1/"):
        return laravel_json({"status": "error", "message": "Token geçersiz veya eksik",
                             "errorCode": 401}, status=401)
    if path.startswith("/api/"):
        return laravel_json({"message": "Unauthenticated."}, status=401, headers=LARAVEL_SMS)
    if path.startswith("/sms/"):
        return web.Response(status=401, body=json.dumps(
            {"code": "error", "message": "Invalid API Key"}).encode(),
            content_type="application/json")
    return php_json({"status": 0, "message": "Yetkisiz erişim: token geçersiz veya süresi "
                     "dolmuş"}, status=401)


def server_error() -> web.Response:
    return web.Response(status=500, body=json.dumps(
        {"status": "error", "message": "Sunucu hatası", "errorCode": 500},
        ensure_ascii=False).encode(), content_type="application/json")


def garbage_response() -> web.Response:
    body = (b"<html><head><title>503 Service Unavailable</title></head><body>"
            b"<h1>Service Unavailable</h1></body></html>\n\x00\xff\xfe{\"result\":tr")
    return web.Response(status=200, body=body, headers={"Content-Type": TEXT_HTML})


@dataclass
class Fault:
    path: str
    kind: str
    remaining: int

    def matches(self, path: str) -> bool:
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


class RequestLog:
    """What the simulator received, and the faults still armed."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.stopping = asyncio.Event()

    def arm(self, path: str, kind: str, count: int = 1) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be at least 1")
        self.faults.append(Fault(path, kind, count))

    def take(self, path: str) -> str | None:
        for fault in self.faults:
            if fault.matches(path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.faults.remove(fault)
                return fault.kind
        return None

    async def _describe(self, request: web.Request) -> dict[str, Any]:
        form: dict[str, Any] = {}
        body: Any = None
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            posted = await request.post()
            form = {k: (getattr(v, "filename", None) or v) if not isinstance(v, str) else v
                    for k, v in posted.items()}
        elif request.body_exists:
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
        headers = {k: (redact_authorization(v) if k.lower() == "authorization" else v)
                   for k, v in request.headers.items()}
        return {"method": request.method, "path": request.path,
                "query": {k: v for k, v in request.query.items()}, "form": form,
                "json": body, "headers": headers, "status": None}

    async def _hang(self) -> web.Response:
        await self.stopping.wait()
        return web.Response(status=503)

    def middleware(self) -> Any:
        @web.middleware
        async def record_and_inject(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.path.startswith("/_sim/"):
                return await handler(request)
            entry = await self._describe(request)
            self.received.append(entry)
            kind = self.take(request.path)
            if kind is not None:
                log.info("fault %s on %s %s", kind, request.method, request.path)
            response: web.StreamResponse
            if kind == "timeout":
                response = await self._hang()
            elif kind == "500":
                response = server_error()
            elif kind == "401":
                response = family_unauthorized(request.path)
            elif kind == "garbage":
                response = garbage_response()
            elif kind == "disconnect":
                if request.transport is not None:
                    request.transport.abort()
                response = await self._hang()
            elif kind == "accept-then-timeout":
                await handler(request)
                response = await self._hang()
            else:
                response = await handler(request)
            entry["status"] = response.status
            return response

        return record_and_inject


def form_or_json(posted: Any, body: Any) -> dict[str, str]:
    """Fields from a form, or a JSON object, as strings."""
    if posted:
        return {k: str(v) for k, v in posted.items()}
    if isinstance(body, dict):
        return {k: "" if v is None else str(v) for k, v in body.items()}
    return {}


async def request_fields(request: web.Request) -> dict[str, str]:
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return form_or_json(await request.post(), None)
    if request.body_exists:
        try:
            return form_or_json(None, await request.json())
        except ValueError:
            return {}
    return {}


async def request_json(request: web.Request) -> Any:
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return dict(await request.post())
    if not request.body_exists:
        return None
    try:
        return await request.json()
    except ValueError:
        return None
