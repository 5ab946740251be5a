"""REST sessions: the Tekil panel API and the KobiPBX (Bulut) API.

A session logs in, keeps the bearer token, and sends requests with it:

* :class:`TekilSession` (``https://panelapi.kobikom.com.tr``): ``POST /login``
  with form-data ``usermail``/``userpass`` -> ``{"status":1, "token": JWT}``.
  The JWT "carries its own expiry" (digest §2.1): we read its ``exp`` claim
  (without verifying the signature; it only tells us when to log in again)
  and log in again ``refresh_margin`` seconds before it.
* :class:`KobiPbxSession` (``https://api.kobipbx.com``): ``POST /api/v1/login``
  with JSON ``email``/``password`` -> the token is at ``token.token``
  (nested).  It is not a JWT (``5|…``), so expiry shows as a 401.

On a 401 the session logs in again **once** and resends, but only for a
request marked ``idempotent=True`` or sent with ``allow_401_resend=True``
(a 401 means the server did not act, so click-to-call may allow it).
Idempotent requests are also retried once after a network failure or a
502/503/504.  Nothing else is ever retried: an error whose
``may_have_reached_server`` is True (timeout after sending, connection lost
mid-answer, 5xx) must be shown to the user, not repeated.

Kobikom's answers are often JSON labelled ``text/html`` (digest §9.3 #13),
sometimes with PHP notices in front: the content type is ignored, JSON is
parsed leniently (:func:`parse_json_lenient`), and anything else is a
:class:`~desktop.pbx.errors.ServerError` with a short, scrubbed snippet.

Every request has connect/read/write timeouts.  Passwords and tokens never
appear in a ``repr``, a log line or an error message; request paths are
logged without their query string.  For tests, pass
``client=httpx.AsyncClient(transport=httpx.MockTransport(handler))``.
"""

from __future__ import annotations

import abc
import asyncio
import base64
import binascii
import json
import logging
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Self
from urllib.parse import quote, urlsplit

import httpx

from desktop.pbx.cdr import (
    CdrLeg,
    MissedCall,
    Parsed,
    VcdrPage,
    VcdrRecord,
    parse_tekil_cdr,
    parse_tekil_missed,
    parse_vcdrs_page,
)
from desktop.pbx.connection import DEFAULT_API_BASE, Flavor
from desktop.pbx.errors import (
    AmbiguousError,
    AuthError,
    NetworkError,
    PbxError,
    RequestError,
    ServerError,
)
from desktop.pbx.http_errors import describe, request_error
from desktop.pbx.redact import scrub, snippet
from desktop.pbx.tls import tls_context

__all__ = [
    "DEFAULT_TIMEOUT",
    "QR_CODE_PATHS",
    "AmbiguousError",
    "AuthError",
    "DialAnswer",
    "DownloadResult",
    "KobiPbxSession",
    "NetworkError",
    "PbxError",
    "RequestError",
    "ServerError",
    "TekilSession",
    "jwt_expiry",
    "parse_json_lenient",
    "png_size",
    "qr_png_from_answer",
]

log = logging.getLogger("kobikom.pbx.rest")

#: Timeouts of every request unless the call passes its own.
DEFAULT_TIMEOUT: Final = httpx.Timeout(connect=10.0, read=20.0, write=20.0, pool=10.0)
#: Log in again this many seconds before the JWT's ``exp``.
REFRESH_MARGIN: Final = 60.0
USER_AGENT: Final = "kobikom-desktop"
_RETRY_STATUSES: Final = frozenset({502, 503, 504})


# ---------------------------------------------------------------- pure helpers


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (epoch seconds) of a JWT, unverified; None if absent/not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float, str)):
        return None
    try:
        return float(exp)
    except ValueError:
        return None


_JSON_START = re.compile(r"[\[{]")
_DECODER = json.JSONDecoder()


def parse_json_lenient(content: bytes, encoding: str | None = None) -> Any:
    """Parse a JSON answer whatever its content type; raise ``ValueError`` if it isn't one.

    Accepts a UTF-8 BOM, surrounding whitespace, and noise *before* the JSON
    (PHP notices such as ``<br /><b>Notice</b>: …{"status":1}``) as long as
    the JSON document runs to the end of the body.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode(encoding or "latin-1", "replace")
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for tries, match in enumerate(_JSON_START.finditer(text)):
        if tries >= 20:
            break
        try:
            value, end = _DECODER.raw_decode(text, match.start())
        except ValueError:
            continue
        if not text[end:].strip():
            log.debug("dropped %d characters of noise before a JSON answer", match.start())
            return value
    raise ValueError("not JSON")


def _server_message(body: Any) -> str:
    """The human message of a JSON answer (``message``, ``error``, ``errors``…)."""
    if not isinstance(body, Mapping):
        return ""
    for key in ("message", "msg", "error", "error_description", "errors", "detail"):
        value = body.get(key)
        if isinstance(value, Mapping):
            nested = _server_message(value)
            value = nested or next(iter(value.values()), "")
        while isinstance(value, list):  # Laravel: {"errors": {"email": ["..."]}}
            value = value[0] if value else ""
        if value not in (None, "", False):
            return str(value)
    return ""


def response_message(response: httpx.Response, secrets: Iterable[str | None] = ()) -> str:
    """The server's own words in an error answer (JSON ``message``/``error``... or the
    text), short and without secrets."""
    try:
        body = parse_json_lenient(response.content, response.encoding)
    except ValueError:
        return snippet(response.text, secrets)
    return snippet(_server_message(body), secrets, limit=200)


def _negative(body: Mapping[str, Any]) -> bool:
    """An explicit failure verdict in a Kobikom envelope (``status: 0``, ``success: false``…)."""
    for key in ("status", "success", "result"):
        if key in body:
            value = body[key]
            if value in (0, "0", False, "false", "error", "fail", "failed"):
                return True
    return False


def default_tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Verifying TLS: the system's trust store plus ``ca_file`` (:mod:`desktop.pbx.tls`)."""
    return tls_context(ca_file)


# ---------------------------------------------------------------- sessions


class _Session(abc.ABC):
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
        try:
            return parse_json_lenient(response.content, response.encoding)
        except ValueError:
            ctype = response.headers.get("content-type", "no content type")
            raise ServerError(
                f"{what}: the answer is not JSON (HTTP {response.status_code}, {ctype}): "
                f"{snippet(response.text, self._secrets())!r}",
                status=response.status_code, may_have_reached_server=True) from None

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
        message = snippet(_server_message(body), self._secrets(), limit=200) \
            if body is not None else self._message_of(response)
        if status >= 500:
            return ServerError(f"{self.service} login: server error (HTTP {status})"
                               + (f": {message}" if message else ""), status=status)
        if 400 <= status < 500 or (isinstance(body, Mapping) and (_negative(body) or message)):
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
    """What :meth:`_Session.download` received."""

    received: int
    #: ``Content-Length`` when the server sent one.
    total: int | None
    content_type: str


def _shape_error(session: _Session, what: str, body: Any, expected: str) -> ServerError:
    return ServerError(f"{session.service} {what}: unexpected answer (expected {expected}, got "
                       f"{type(body).__name__})", may_have_reached_server=True)


@dataclass(frozen=True, slots=True)
class DialAnswer:
    """A click-to-call request the server accepted: its message and call id, if any."""

    #: The server's words, e.g. "Arama Başladı" (shown to the agent as plain text).
    message: str
    #: KobiPBX ``data.call_uuid`` when the answer carries one.
    call_id: str | None = None


def _dial_answer(session: _Session, what: str, body: Any, *, require_result: bool,
                 ) -> DialAnswer:
    """Read a click-to-call answer: accepted, refused (``result: false``) or unreadable.

    A refusal means the server did not act: :class:`RequestError` with the
    server's message.  An answer we cannot read may hide a call that started:
    :class:`ServerError` with ``may_have_reached_server=True``.
    """
    if not isinstance(body, Mapping):
        raise _shape_error(session, what, body, "an object")
    message = snippet(_server_message(body), session._secrets(), limit=200)
    if _negative(body):
        raise RequestError(f"{session.service} {what}: refused: {message or 'no reason given'}",
                           server_message=message)
    if require_result and body.get("result") in (None, ""):
        raise ServerError(f"{session.service} {what}: unexpected answer (no 'result')",
                          may_have_reached_server=True, server_message=message)
    data = body.get("data")
    call_id = data.get("call_uuid") if isinstance(data, Mapping) else None
    return DialAnswer(message=message,
                      call_id=str(call_id) if isinstance(call_id, (str, int)) else None)


class TekilSession(_Session):
    """Tekil Santral panel API (``panelapi.kobikom.com.tr``), JWT bearer."""

    flavor = Flavor.TEKIL

    async def _do_login(self) -> str:
        # The docs say form-data: multipart fields without file names.
        response, body = await self._post_login(
            "/login", files={"usermail": (None, self.user), "userpass": (None, self._password)})
        token = body.get("token") if isinstance(body, Mapping) else None
        if response.status_code < 300 and isinstance(token, str) and token \
                and not _negative(body):
            return token
        raise self._login_failed(response, body)

    async def get_group_list(self) -> list[dict[str, Any]]:
        """``GET /getGroupList``: the phonebook groups (``id``, ``isim``, ``totalContact``…)."""
        body = await self.request_json("GET", "/getGroupList", idempotent=True)
        if isinstance(body, Mapping) and isinstance(body.get("data"), list):
            body = body["data"]
        if not isinstance(body, list):
            raise _shape_error(self, "GET /getGroupList", body, "a list of groups")
        return [dict(item) for item in body if isinstance(item, Mapping)]

    async def get_extensions(self) -> dict[str, dict[str, Any]]:
        """``GET /getCentralData/extension``: extensions keyed by the panel's own key.

        Note the key (``"110"``) differs from the ``extension`` field
        (``"101000"``) (digest §8.2).
        """
        body = await self.request_json("GET", "/getCentralData/extension", idempotent=True)
        if not isinstance(body, Mapping) or "extension" not in body:
            raise _shape_error(self, "GET /getCentralData/extension", body,
                               "an object with 'extension'")
        extensions = body["extension"]
        if isinstance(extensions, list) and not extensions:
            return {}  # PHP encodes an empty associative array as []
        if isinstance(extensions, list):
            extensions = {str(i): item for i, item in enumerate(extensions)}
        if not isinstance(extensions, Mapping):
            raise _shape_error(self, "GET /getCentralData/extension", extensions,
                               "an object of extensions")
        return {str(key): dict(value) for key, value in extensions.items()
                if isinstance(value, Mapping)}

    async def dial(self, extension: str, number: str, *,
                   timeouts: httpx.Timeout | float | None = None) -> DialAnswer:
        """``POST /central/dial`` (form-data ``extension``, ``number``): click-to-call.

        The PBX rings *extension*, then calls *number* (digest §3.1).  Sent
        once: only a 401 (nothing happened) is resent after a fresh login; a
        timeout or 5xx raises with ``may_have_reached_server`` and must not
        be repeated.  ``{"result": false, "message": …}`` raises
        :class:`RequestError` with the server's message.
        """
        body = await self.request_json(
            "POST", "/central/dial", idempotent=False, allow_401_resend=True,
            files={"extension": (None, extension), "number": (None, number)},
            timeouts=timeouts)
        return _dial_answer(self, "POST /central/dial", body, require_result=True)


    async def get_qr_code(self, extension: str, app: str = "zoiper") -> bytes:
        """The softphone provisioning QR code of *extension*, as PNG bytes.

        ``app="grandstream"``: ``GET /central/getQRCode/{extension}`` (Grandstream
        Wave); ``app="zoiper"``: ``GET /central/getQRCodeZoiper/{extension}``
        (digest §6).  The answer is base64 text of a PNG labelled ``text/html``;
        :func:`qr_png_from_answer` decodes it and checks it really is a PNG.
        An unknown extension is a :class:`RequestError` (HTTP 404); an answer
        that is not a PNG is a :class:`ServerError` with a scrubbed snippet.
        """
        try:
            template = QR_CODE_PATHS[app]
        except KeyError:
            raise ValueError(f"unknown softphone app {app!r}; one of "
                             f"{sorted(QR_CODE_PATHS)}") from None
        what = f"GET {template.format('<extension>')}"
        response = await self.request(
            "GET", template.format(quote(extension, safe="")), idempotent=True)
        try:
            return qr_png_from_answer(response.content)
        except ValueError as exc:
            sample = snippet(response.content[:300].decode("latin-1"), self._secrets(), limit=80)
            raise ServerError(
                f"{self.service} {what}: the answer is not a PNG image ({exc}): {sample!r}",
                status=response.status_code, may_have_reached_server=True) from None

    # -- call history and recordings (digest §4.1-4.7) ---------------------------

    async def get_cdr(
        self, *, date_start: str, date_end: str, time_start: str = "00:00:00",
        time_end: str = "23:59:59", call_type: int = 0, include_internal: bool = True,
        src: str | None = None, dst: str | None = None, v1: bool = True,
    ) -> Parsed[CdrLeg]:
        """``GET /v1/getcdr`` (or v0 ``/getcdr``): the PBX's call legs in a time range.

        Dates ``YYYY-MM-DD`` and times ``HH:MM:SS`` are Turkish local time;
        ``call_type`` 0 all, 1 outgoing, 2 incoming; ``include_internal`` is
        the inverted-looking ``exclude`` flag (``true`` = internal calls too).
        ``src``/``dst`` filter by caller/called number.  Newest first, several
        legs per call id (see :mod:`desktop.pbx.cdr`).
        """
        params: dict[str, str] = {
            "dateStart": date_start, "dateEnd": date_end, "timeStart": time_start,
            "timeEnd": time_end, "type": str(call_type),
            "exclude": "true" if include_internal else "false"}
        if src:
            params["src"] = src
        if dst:
            params["dst"] = dst
        path = "/v1/getcdr" if v1 else "/getcdr"
        body = await self.request_json("GET", path, idempotent=True, params=params)
        try:
            return parse_tekil_cdr(body)
        except ValueError:
            raise _shape_error(self, f"GET {path}", body, "a list of call records") from None

    async def get_missed_calls(self, *, date_start: str, date_end: str) -> Parsed[MissedCall]:
        """``GET /missedcalls``: unanswered incoming calls of the whole PBX (by day)."""
        body = await self.request_json("GET", "/missedcalls", idempotent=True,
                                       params={"dateStart": date_start, "dateEnd": date_end})
        try:
            return parse_tekil_missed(body)
        except ValueError:
            raise _shape_error(self, "GET /missedcalls", body, "a list of calls") from None

    async def get_cdr_by_unique_id(self, unique_id: str) -> tuple[CdrLeg, ...]:
        """Every leg of one call: ``GET /v1/getCDRFromUniqueID/{id}``.

        The V2 path is only implied by the collection's saved example; when it
        answers 404 the documented v0 path (no id field in its rows) is asked.
        """
        quoted = quote(unique_id, safe="")
        path = f"/v1/getCDRFromUniqueID/{quoted}"
        try:
            body = await self.request_json("GET", path, idempotent=True)
        except RequestError as exc:
            if exc.status != 404:
                raise
            path = f"/getCDRFromUniqueID/{quoted}"
            body = await self.request_json("GET", path, idempotent=True)
        try:
            legs = parse_tekil_cdr(body, default_id=unique_id)
        except ValueError:
            raise _shape_error(self, f"GET {path.rsplit('/', 1)[0]}/<id>", body,
                               "a list of call records") from None
        return tuple(leg for leg in legs.items if leg.call_id == unique_id) or legs.items

    async def download_recording(
        self, recording: str, sink: Callable[[bytes], None], *,
        progress: Callable[[int, int | None], None] | None = None,
        max_bytes: int | None = None,
    ) -> DownloadResult:
        """``GET /downloadRecording?name=…&i=<path>&a=<token>``: a WAV49 file.

        *recording* is the CDR's relative path, sent with its ``/`` unescaped
        as in the collection; the token goes in ``a`` (and as the bearer).
        """
        if not recording or recording.startswith(("/", "\\")) or "://" in recording:
            raise RequestError(f"{self.service} GET /downloadRecording: not a recording path")
        name = recording.rsplit("/", 1)[-1] or "recording.WAV"

        def path_for(token: str) -> str:
            return (f"/downloadRecording?name={quote(name, safe='')}"
                    f"&i={quote(recording, safe='/')}&a={quote(token, safe='')}")

        return await self.download(path_for, sink, progress=progress, max_bytes=max_bytes)


class KobiPbxSession(_Session):
    """KobiPBX (Bulut Santral) API (``api.kobipbx.com``), bearer token at ``token.token``."""

    flavor = Flavor.BULUT

    async def _do_login(self) -> str:
        response, body = await self._post_login(
            "/api/v1/login", json_body={"email": self.user, "password": self._password})
        nested = body.get("token") if isinstance(body, Mapping) else None
        token = nested.get("token") if isinstance(nested, Mapping) else None
        if response.status_code < 300 and isinstance(token, str) and token:
            return token
        raise self._login_failed(response, body)

    async def list_user_extensions(self, domain_uuid: str) -> dict[str, Any]:
        """``GET /api/v1/list-user-extension/{domain}``: the ``data`` object.

        Both documented shapes are accepted: ``{"success": true, "data": {...}}``
        and the bare ``{"extensions": [...], "call_center_queue": [...]}``.
        The result always has ``extensions``, ``call_center_queue`` and
        ``ivr_menus`` (the last two possibly empty).
        """
        self._redact.add(domain_uuid)  # the real-time channels' only credential
        what = "GET /api/v1/list-user-extension/<domain>"
        body = await self.request_json(
            "GET", f"/api/v1/list-user-extension/{quote(domain_uuid, safe='')}",
            idempotent=True)
        if isinstance(body, Mapping) and "success" in body:
            if _negative(body):
                message = snippet(_server_message(body), self._secrets(), limit=200)
                raise ServerError(f"{self.service} {what}: failed: {message or 'no reason given'}",
                                  may_have_reached_server=True)
            body = body.get("data")
        if not isinstance(body, Mapping) or not isinstance(body.get("extensions"), list):
            raise _shape_error(self, what, body, "an object with 'extensions'")
        result = dict(body)
        result.setdefault("call_center_queue", [])
        result.setdefault("ivr_menus", [])
        return result

    async def click_to_call(self, extension: str, destination: str, domain_uuid: str, *,
                            timeouts: httpx.Timeout | float | None = None) -> DialAnswer:
        """``POST /api/v1/clicktocall`` (JSON ``extensionNumber``, ``destinationNumber``,
        ``domainUuid``): ring *extension*, then call *destination* (digest §3.3).

        Same safety rules as :meth:`TekilSession.dial`.  The answer is not
        documented: a 2xx without a negative verdict is success (the
        ``data.call_uuid`` of the sibling endpoint is read when present).
        """
        self._redact.add(domain_uuid)
        body = await self.request_json(
            "POST", "/api/v1/clicktocall", idempotent=False, allow_401_resend=True,
            json_body={"extensionNumber": extension, "destinationNumber": destination,
                       "domainUuid": domain_uuid},
            timeouts=timeouts)
        return _dial_answer(self, "POST /api/v1/clicktocall", body, require_result=False)


    # -- call history and recordings (digest §4.10) --------------------------------

    async def get_vcdrs(self, domain_uuid: str, *, page: int = 1, per_page: int = 100,
                        filters: Mapping[str, str] | None = None) -> VcdrPage:
        """``GET /api/v1/vcdrs/{domain}``: one page of call records.

        *filters* are the documented query parameters (``startDate``,
        ``endDate``, ``timeStart``, ``caller``, ``called``, ``queue``,
        ``disposition``, ``uuid``…).  404 means "no records matching" (digest
        §4.10): an empty last page.
        """
        self._redact.add(domain_uuid)
        what = "GET /api/v1/vcdrs/<domain>"
        params = {**(filters or {}), "page": str(page), "perPage": str(per_page)}
        try:
            body = await self.request_json(
                "GET", f"/api/v1/vcdrs/{quote(domain_uuid, safe='')}", idempotent=True,
                params=params)
        except RequestError as exc:
            if exc.status == 404:
                return VcdrPage((), page, page, 0, False)
            raise
        try:
            return parse_vcdrs_page(body, asked_page=page)
        except ValueError as exc:
            raise _shape_error(self, what, body, f"a page of call records ({exc})") from None

    async def get_all_vcdrs(self, domain_uuid: str, *, per_page: int = 100,
                            max_pages: int = 200,
                            filters: Mapping[str, str] | None = None) -> list[VcdrRecord]:
        """Every page of :meth:`get_vcdrs` (at most *max_pages*), records in page order."""
        records: list[VcdrRecord] = []
        page = 1
        while True:
            result = await self.get_vcdrs(domain_uuid, page=page, per_page=per_page,
                                          filters=filters)
            records.extend(result.records)
            if not result.has_next:
                return records
            if page >= max_pages:
                log.warning("%s: stopped after %d pages of call records (%d in all)",
                            self.service, page, result.total)
                return records
            page = result.page + 1 if result.page >= page else page + 1

    async def download_recording(
        self, recording: str, sink: Callable[[bytes], None], *,
        progress: Callable[[int, int | None], None] | None = None,
        max_bytes: int | None = None,
    ) -> DownloadResult:
        """Download a ``vcdrs`` ``recording``: its format is undocumented (always
        ``null`` in the example).  A URL or an absolute path is fetched (with the
        bearer token only on the API's own host); anything else is refused."""
        if not recording.startswith(("http://", "https://", "/")):
            raise RequestError(f"{self.service}: the call's recording field is not a "
                               "download link (KobiPBX documents no recording download)")
        return await self.download(recording, sink, progress=progress, max_bytes=max_bytes)


# ---------------------------------------------------------------- QR codes (digest §6)

#: Softphone app -> the panel path of its provisioning QR code.
QR_CODE_PATHS: Final[Mapping[str, str]] = {
    "grandstream": "/central/getQRCode/{}",
    "zoiper": "/central/getQRCodeZoiper/{}",
}
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_DATA_URL = re.compile(rb"^data:image/[a-z+.-]+;base64,", re.IGNORECASE)
#: Bigger than any QR code a phone could scan off a screen; guards against junk.
_PNG_MAX_SIDE: Final = 8192


def png_size(data: bytes) -> tuple[int, int]:
    """``(width, height)`` from a PNG's ``IHDR``; ``ValueError`` if *data* is not a PNG.

    Checks the signature, that the first chunk is a 13-byte ``IHDR`` with a
    valid CRC, sane dimensions, and that an ``IEND`` chunk ends the file.
    (Decoding the pixels is the UI's job; this proves the structure.)
    """
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    header = data[8:33]
    if len(header) < 25:
        raise ValueError("truncated PNG header")
    length, kind = int.from_bytes(header[:4], "big"), header[4:8]
    if kind != b"IHDR" or length != 13:
        raise ValueError("the PNG does not start with an IHDR chunk")
    body, crc = header[8:21], int.from_bytes(header[21:25], "big")
    if binascii.crc32(kind + body) & 0xFFFFFFFF != crc:
        raise ValueError("corrupt PNG header (CRC mismatch)")
    width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
    if not (0 < width <= _PNG_MAX_SIDE and 0 < height <= _PNG_MAX_SIDE):
        raise ValueError(f"implausible PNG size {width}x{height}")
    if data[-12:-8] != b"\x00\x00\x00\x00" or data[-8:-4] != b"IEND":
        raise ValueError("truncated PNG (no IEND chunk)")
    return width, height


def qr_png_from_answer(content: bytes) -> bytes:
    """The PNG inside a QR answer; ``ValueError`` (with the reason) if there is none.

    The documented answer is bare base64 text (``iVBORw0KGgo…``).  Tolerated
    as well: surrounding whitespace and line breaks, a ``data:image/png;base64,``
    prefix, a JSON string (``"iVBOR…"``), missing ``=`` padding, and a raw
    PNG body.
    """
    if content.startswith(_PNG_SIGNATURE):
        png_size(content)
        return content
    text = content.strip()
    if text.startswith(b'"'):
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueError("a broken JSON string") from None
        if not isinstance(value, str):
            raise ValueError("JSON, but not a string")
        text = value.encode("ascii", "replace").strip()
    text = _DATA_URL.sub(b"", text)
    text = b"".join(text.split())
    if not text:
        raise ValueError("an empty answer")
    text += b"=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64 text") from None
    png_size(data)
    return data
