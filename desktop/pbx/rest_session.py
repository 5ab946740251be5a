"""The REST session both Kobikom APIs share: login, bearer token, requests, downloads.

:class:`RestSession` logs in, keeps the token and sends requests with it; the
rules on what is resent after a 401, a network failure or a 502/503/504 are
in :mod:`desktop.pbx.rest` (the module the two concrete sessions live in).
"""

from __future__ import annotations

import abc
import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Self
from urllib.parse import urlsplit

import httpx

from desktop.pbx.connection import DEFAULT_API_BASE, Flavor
from desktop.pbx.errors import (
    AuthError,
    NetworkError,
    PbxError,
    RequestError,
    ServerError,
)
from desktop.pbx.http_errors import describe, request_error
from desktop.pbx.redact import scrub, snippet
from desktop.pbx.rest_body import (
    json_answer,
    jwt_expiry,
    negative,
    parse_json_lenient,
    response_message,
    server_message,
)
from desktop.pbx.tls import tls_context

log = logging.getLogger("kobikom.pbx.rest")

#: Timeouts of every request unless the call passes its own.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=10.0, read=20.0, write=20.0, pool=10.0)
#: Log in again this many seconds before the JWT's ``exp``.
REFRESH_MARGIN: Final = 60.0
USER_AGENT: Final = "kobikom-desktop"
_RETRY_STATUSES: Final = frozenset({502, 503, 504})


def default_tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Verifying TLS: the system's trust store plus ``ca_file`` (:mod:`desktop.pbx.tls`)."""
    return tls_context(ca_file)


# ---------------------------------------------------------------- sessions


class RestSession(abc.ABC):
    """Bearer-token session over one ``httpx.AsyncClient`` (see the module docstring)."""

    flavor: Flavor

    def __init__(
        self,
        user: str,
        password: str,
        *,
        base_url: str | None = None,
        client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        ca_file: str | None = None,
        refresh_margin: float = REFRESH_MARGIN,
        retry_delay: float = 0.5,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.user = user
        self._password = password
        self.base_url = (base_url or DEFAULT_API_BASE[self.flavor]).rstrip("/")
        #: The host, as named in error messages ("panelapi.kobikom.com.tr").
        self.service = urlsplit(self.base_url).netloc or self.base_url
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(
            timeout=timeout, verify=default_tls_context(ca_file), follow_redirects=False,
            headers={"User-Agent": USER_AGENT})
        self.timeout = timeout
        self.refresh_margin = refresh_margin
        self.retry_delay = retry_delay
        self._clock = clock
        self._sleep = sleep
        self._token: str | None = None
        self._expires_at: float | None = None
        #: Bumped by every login; a 401 only invalidates the token it was sent with.
        self._generation = 0
        self._lock = asyncio.Lock()
        self._redact: set[str] = set()
        #: Number of successful logins (diagnostics and tests).
        self.logins = 0

    def __repr__(self) -> str:
        state = "logged in" if self._token else "not logged in"
        return f"<{type(self).__name__} {self.base_url} user={self.user!r} {state}>"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if the session created it."""
        if self._own_client:
            await self._client.aclose()

    # -- tokens ------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self._token is not None

    async def login(self) -> None:
        """Log in now (also done on demand by every request)."""
        async with self._lock:
            await self._login_locked()

    async def token(self) -> str:
        """A token that is not about to expire (logs in if needed).

        Usable as the Tekil WebSocket ``Credentials.token_provider``.
        """
        return (await self._valid_token())[0]

    def _expiring(self) -> bool:
        return self._expires_at is not None and \
            self._clock() >= self._expires_at - self.refresh_margin

    async def _valid_token(self) -> tuple[str, int]:
        async with self._lock:
            if self._token is None or self._expiring():
                if self._token is not None:
                    log.info("%s: token expires soon; logging in again", self.service)
                await self._login_locked()
            assert self._token is not None
            return self._token, self._generation

    def _invalidate(self, generation: int) -> None:
        if generation == self._generation:
            self._token = None
            self._expires_at = None

    async def _login_locked(self) -> None:
        token = await self._do_login()
        self._token = token
        self._expires_at = jwt_expiry(token)
        self._generation += 1
        self.logins += 1
        if self._expires_at is not None:
            left = self._expires_at - self._clock()
            log.info("%s: logged in; token valid for %.0f s", self.service, left)
        else:
            log.info("%s: logged in", self.service)

    @abc.abstractmethod
    async def _do_login(self) -> str:
        """POST the credentials; return the bearer token or raise AuthError & co."""

    def _secrets(self) -> Iterable[str | None]:
        return (self._password, self._token, *self._redact)

    # -- requests ------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        allow_401_resend: bool = False,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json_body: Any = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeouts: httpx.Timeout | float | None = None,
    ) -> httpx.Response:
        """Send an authenticated request; return the 2xx response (body read).

        ``idempotent``: the request may be sent twice without harm (reads).
        It then gets one resend after a 401 (with a fresh login), after a
        network failure or after a 502/503/504.  ``allow_401_resend``: resend
        after a 401 only (for effectful requests; a 401 means nothing
        happened).  ``timeouts`` overrides the session's httpx timeouts.
        ``params``/``data``/``json_body``/``files``/``headers`` go to httpx.

        Raises :class:`AuthError`, :class:`RequestError`, :class:`ServerError`,
        :class:`NetworkError` or :class:`AmbiguousError`.
        """
        what = f"{self.service} {method} {scrub(path, self._secrets())}"
        resend_401 = idempotent or allow_401_resend
        relogged = False
        retried = False
        while True:
            try:
                token, generation = await self._valid_token()
            except PbxError as exc:
                if not exc.may_have_reached_server:
                    raise
                # The *login* went out and its answer got lost; this request was
                # never sent.  Say so: a caller must not think a call may be ringing.
                raise NetworkError(f"{what}: not sent, the login failed: {exc.message}",
                                   status=exc.status) from exc
            try:
                response = await self._send(
                    method, path, what, token=token, params=params, data=data,
                    json_body=json_body, files=files, headers=headers, timeouts=timeouts)
            except NetworkError as exc:
                if idempotent and not retried:
                    retried = True
                    log.info("%s; trying once more", exc)
                    await self._sleep(self.retry_delay)
                    continue
                raise
            status = response.status_code
            if status == 401:
                self._invalidate(generation)
                if resend_401 and not relogged:
                    relogged = True
                    log.info("%s: token rejected (HTTP 401); logging in again", what)
                    continue
                detail = " even after a fresh login" if relogged else ""
                raise AuthError(f"{what}: token rejected (HTTP 401){detail}", status=401)
            if status in _RETRY_STATUSES and idempotent and not retried:
                retried = True
                log.info("%s: HTTP %d; trying once more", what, status)
                await self._sleep(self.retry_delay)
                continue
            self._raise_for_status(response, what)
            return response

    async def request_json(self, method: str, path: str, *, idempotent: bool,
                           **kwargs: Any) -> Any:
        """:meth:`request`, then the body parsed as JSON (content type ignored)."""
        what = f"{self.service} {method} {scrub(path, self._secrets())}"
        response = await self.request(method, path, idempotent=idempotent, **kwargs)
        return self._json(response, what)

    async def _send(
        self,
        method: str,
        path: str,
        what: str,
        *,
        token: str | None,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        json_body: Any = None,
        files: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeouts: httpx.Timeout | float | None = None,
    ) -> httpx.Response:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        url = f"{self.base_url}/{path.lstrip('/')}"
        started = time.monotonic()
        try:
            response = await self._client.request(
                method, url, params=params, data=data, json=json_body, files=files,
                headers=all_headers, timeout=self.timeout if timeouts is None else timeouts)
        except httpx.RequestError as exc:
            raise request_error(exc, what, self._secrets()) from exc
        log.debug("%s -> HTTP %d in %.0f ms", what, response.status_code,
                  (time.monotonic() - started) * 1000)
        return response

    def _why(self, exc: Exception) -> str:
        return describe(exc, self._secrets())

    def _json(self, response: httpx.Response, what: str) -> Any:
        return json_answer(response, what, self._secrets())

    def _message_of(self, response: httpx.Response) -> str:
        return response_message(response, self._secrets())

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status < 300:
            return
        message = self._message_of(response)
        detail = f": {message}" if message else ""
        if status >= 500:
            raise ServerError(f"{what}: server error (HTTP {status}){detail}", status=status,
                              may_have_reached_server=True, server_message=message)
        if status < 400:
            location = response.headers.get("location", "?")
            raise RequestError(f"{what}: unexpected redirect (HTTP {status}) to "
                               f"{scrub(location, self._secrets())}", status=status)
        raise RequestError(f"{what}: refused (HTTP {status}){detail}", status=status,
                           server_message=message)

    def _login_failed(self, response: httpx.Response, body: Any) -> PbxError:
        """The error for a login answer without a token."""
        what = f"login rejected by {self.service}"
        status = response.status_code
        message = snippet(server_message(body), self._secrets(), limit=200) \
            if body is not None else self._message_of(response)
        if status >= 500:
            return ServerError(f"{self.service} login: server error (HTTP {status})"
                               + (f": {message}" if message else ""), status=status)
        if 400 <= status < 500 or (isinstance(body, Mapping) and (negative(body) or message)):
            return AuthError(f"{what}: {message or f'HTTP {status}'}", status=status)
        return ServerError(f"{self.service} login: the answer has no token "
                           f"(HTTP {status})", status=status)

    async def _post_login(self, path: str, **kwargs: Any) -> tuple[httpx.Response, Any]:
        what = f"{self.service} POST {path}"
        response = await self._send("POST", path, what, token=None, **kwargs)
        try:
            body = parse_json_lenient(response.content, response.encoding)
        except ValueError:
            if response.status_code < 400:
                raise self._json_error(response, what) from None
            body = None
        return response, body

    def _json_error(self, response: httpx.Response, what: str) -> ServerError:
        ctype = response.headers.get("content-type", "no content type")
        return ServerError(
            f"{what}: the answer is not JSON (HTTP {response.status_code}, {ctype}): "
            f"{snippet(response.text, self._secrets())!r}", status=response.status_code)

    # -- downloads (recordings) ------------------------------------------------

    def _url_for(self, target: str) -> tuple[str, bool]:
        """The absolute URL of *target* and whether it is on the API's own host."""
        if target.startswith(("http://", "https://")):
            base, other = urlsplit(self.base_url), urlsplit(target)
            return target, (base.scheme, base.netloc) == (other.scheme, other.netloc)
        return f"{self.base_url}/{target.lstrip('/')}", True

    async def download(
        self,
        target: str | Callable[[str], str],
        sink: Callable[[bytes], None],
        *,
        progress: Callable[[int, int | None], None] | None = None,
        max_bytes: int | None = None,
        timeouts: httpx.Timeout | float | None = None,
    ) -> DownloadResult:
        """Stream a GET into *sink* chunk by chunk; return what arrived.

        *target* is a path under the base URL or an absolute URL, or a function
        of the bearer token returning one (Tekil's ``downloadRecording`` wants
        the token in its query).  The ``Authorization`` header is only sent to
        the API's own host: a URL from a server field never gets our token
        elsewhere.  A download is a read: a 401 gets one fresh login and a
        resend, and a failure to connect or a 502/503/504 one retry -- both
        before any byte reached *sink*.  A connection lost mid-body raises
        :class:`NetworkError` (the caller discards the partial data).
        ``progress(received, total_or_None)`` follows every chunk; *max_bytes*
        caps the body (:class:`RequestError` beyond).  Cancelling the task
        stops the transfer and closes the connection.
        """
        relogged = retried = False
        while True:
            token, generation = await self._valid_token()
            path = target(token) if callable(target) else target
            url, own_host = self._url_for(path)
            shown = urlsplit(path).path or path
            what = f"{self.service} GET {scrub(shown, self._secrets())}"
            headers = {"Accept": "*/*"}
            if own_host:
                headers["Authorization"] = f"Bearer {token}"
            timeout = self.timeout if timeouts is None else timeouts
            try:
                async with self._client.stream("GET", url, headers=headers,
                                               timeout=timeout) as response:
                    status = response.status_code
                    if status == 401:
                        self._invalidate(generation)
                        if own_host and not relogged:
                            relogged = True
                            log.info("%s: token rejected (HTTP 401); logging in again", what)
                            continue
                        detail = " even after a fresh login" if relogged else ""
                        raise AuthError(f"{what}: token rejected (HTTP 401){detail}", status=401)
                    if status in _RETRY_STATUSES and not retried:
                        retried = True
                        log.info("%s: HTTP %d; trying once more", what, status)
                        await self._sleep(self.retry_delay)
                        continue
                    if status >= 300:
                        await response.aread()
                        self._raise_for_status(response, what)
                    return await self._stream_body(response, what, sink, progress, max_bytes)
            except (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ConnectError) as exc:
                if not retried:
                    retried = True
                    log.info("%s: cannot connect (%s); trying once more", what, self._why(exc))
                    await self._sleep(self.retry_delay)
                    continue
                raise NetworkError(f"{what}: cannot connect ({self._why(exc)})") from exc
            except httpx.TimeoutException as exc:
                raise NetworkError(f"{what}: no answer in time") from exc
            except httpx.HTTPError as exc:
                raise NetworkError(f"{what}: download failed ({self._why(exc)})") from exc

    async def _stream_body(
        self, response: httpx.Response, what: str, sink: Callable[[bytes], None],
        progress: Callable[[int, int | None], None] | None, max_bytes: int | None,
    ) -> DownloadResult:
        length = response.headers.get("content-length", "")
        total = int(length) if length.isdigit() else None
        if max_bytes is not None and total is not None and total > max_bytes:
            raise RequestError(f"{what}: the file is too large ({total} bytes, at most "
                               f"{max_bytes})", status=response.status_code)
        received = 0
        try:
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                if max_bytes is not None and received > max_bytes:
                    raise RequestError(f"{what}: the file is too large (more than "
                                       f"{max_bytes} bytes)", status=response.status_code)
                sink(chunk)
                if progress is not None:
                    progress(received, total)
        except httpx.HTTPError as exc:
            raise NetworkError(f"{what}: connection lost after {received} bytes "
                               f"({self._why(exc)})") from exc
        return DownloadResult(received, total, response.headers.get("content-type", ""))


@dataclass(frozen=True, slots=True)
class DownloadResult:
    """What :meth:`RestSession.download` received."""

    received: int
    #: ``Content-Length`` when the server sent one.
    total: int | None
    content_type: str


def shape_error(session: RestSession, what: str, body: Any, expected: str) -> ServerError:
    return ServerError(f"{session.service} {what}: unexpected answer (expected {expected}, got "
                       f"{type(body).__name__})", may_have_reached_server=True)


@dataclass(frozen=True, slots=True)
class DialAnswer:
    """A click-to-call request the server accepted: its message and call id, if any."""

    #: The server's words, e.g. "Arama Başladı" (shown to the agent as plain text).
    message: str
    #: KobiPBX ``data.call_uuid`` when the answer carries one.
    call_id: str | None = None


def dial_answer(session: RestSession, what: str, body: Any, *, require_result: bool,
                 ) -> DialAnswer:
    """Read a click-to-call answer: accepted, refused (``result: false``) or unreadable.

    A refusal means the server did not act: :class:`RequestError` with the
    server's message.  An answer we cannot read may hide a call that started:
    :class:`ServerError` with ``may_have_reached_server=True``.
    """
    if not isinstance(body, Mapping):
        raise shape_error(session, what, body, "an object")
    message = snippet(server_message(body), session._secrets(), limit=200)
    if negative(body):
        raise RequestError(f"{session.service} {what}: refused: {message or 'no reason given'}",
                           server_message=message)
    if require_result and body.get("result") in (None, ""):
        raise ServerError(f"{session.service} {what}: unexpected answer (no 'result')",
                          may_have_reached_server=True, server_message=message)
    data = body.get("data")
    call_id = data.get("call_uuid") if isinstance(data, Mapping) else None
    return DialAnswer(message=message,
                      call_id=str(call_id) if isinstance(call_id, (str, int)) else None)
