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
from typing import Any, Final, Self
from urllib.parse import quote, urlsplit

import httpx

from desktop.pbx.connection import DEFAULT_API_BASE, Flavor
from desktop.pbx.errors import (
    AmbiguousError,
    AuthError,
    NetworkError,
    PbxError,
    RequestError,
    ServerError,
)
from desktop.pbx.redact import scrub, snippet

__all__ = [
    "DEFAULT_TIMEOUT",
    "AmbiguousError",
    "AuthError",
    "KobiPbxSession",
    "NetworkError",
    "PbxError",
    "RequestError",
    "ServerError",
    "TekilSession",
    "jwt_expiry",
    "parse_json_lenient",
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


def _negative(body: Mapping[str, Any]) -> bool:
    """An explicit failure verdict in a Kobikom envelope (``status: 0``, ``success: false``…)."""
    for key in ("status", "success", "result"):
        if key in body:
            value = body[key]
            if value in (0, "0", False, "false", "error", "fail", "failed"):
                return True
    return False


def default_tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """Verifying TLS: the system's CAs plus certifi's (when installed) plus ``ca_file``."""
    ctx = ssl.create_default_context()
    try:
        import certifi  # optional; ships with httpx

        ctx.load_verify_locations(cafile=certifi.where())
    except (ImportError, OSError):
        pass
    if ca_file:
        ctx.load_verify_locations(cafile=ca_file)
    return ctx


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
            token, generation = await self._valid_token()
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
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise NetworkError(f"{what}: cannot connect (timed out)") from exc
        except httpx.ConnectError as exc:
            raise NetworkError(f"{what}: cannot connect ({self._why(exc)})") from exc
        except (httpx.UnsupportedProtocol, httpx.ProxyError) as exc:
            raise NetworkError(f"{what}: {self._why(exc)}") from exc
        except httpx.ReadTimeout as exc:
            raise AmbiguousError(
                f"{what}: no answer in time (the request may have reached the server)") from exc
        except httpx.DecodingError as exc:
            raise ServerError(f"{what}: unreadable answer ({self._why(exc)})",
                              may_have_reached_server=True) from exc
        except httpx.TransportError as exc:
            # Write errors/timeouts, connection lost mid-answer, protocol errors.
            raise AmbiguousError(
                f"{what}: connection lost ({self._why(exc)}; the request may have reached "
                "the server)") from exc
        log.debug("%s -> HTTP %d in %.0f ms", what, response.status_code,
                  (time.monotonic() - started) * 1000)
        return response

    def _why(self, exc: Exception) -> str:
        text = str(exc) or type(exc).__name__
        if "CERTIFICATE_VERIFY_FAILED" in text:
            text = "TLS certificate not trusted: " + text
        return snippet(text, self._secrets(), limit=200)

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
        try:
            body = parse_json_lenient(response.content, response.encoding)
        except ValueError:
            return snippet(response.text, self._secrets())
        return snippet(_server_message(body), self._secrets(), limit=200)

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status < 300:
            return
        message = self._message_of(response)
        detail = f": {message}" if message else ""
        if status >= 500:
            raise ServerError(f"{what}: server error (HTTP {status}){detail}", status=status,
                              may_have_reached_server=True)
        if status < 400:
            location = response.headers.get("location", "?")
            raise RequestError(f"{what}: unexpected redirect (HTTP {status}) to "
                               f"{scrub(location, self._secrets())}", status=status)
        raise RequestError(f"{what}: refused (HTTP {status}){detail}", status=status)

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


def _shape_error(session: _Session, what: str, body: Any, expected: str) -> ServerError:
    return ServerError(f"{session.service} {what}: unexpected answer (expected {expected}, got "
                       f"{type(body).__name__})", may_have_reached_server=True)


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
