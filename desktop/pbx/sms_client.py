"""HTTP plumbing shared by both SMS APIs: the credential in the query, errors, no resends.

Also a filter on the ``httpx`` logger that masks ``api_token=`` /
``api_key=`` in its "HTTP Request: GET …" lines, and the provider's clock
(:attr:`SmsClient.clock_offset`, from each answer's ``Date`` header), which
ties an unconfirmed send to the provider's rows (:mod:`desktop.core.sms_sender`).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, Final
from urllib.parse import urlsplit

import httpx

from desktop.pbx.errors import AuthError, NetworkError, RequestError, ServerError
from desktop.pbx.http_errors import describe, request_error
from desktop.pbx.redact import scrub
from desktop.pbx.rest_body import json_answer, response_message
from desktop.pbx.rest_session import USER_AGENT, default_tls_context
from desktop.pbx.sms_values import SentListing, SmsMessage

log = logging.getLogger("kobikom.pbx.sms")

#: A send is synchronous at Kobikom ("sends the SMS and only then responds"),
#: so the read timeout is generous.
SMS_TIMEOUT: Final = httpx.Timeout(connect=10.0, read=30.0, write=20.0, pool=10.0)
#: Pause before the one retry of a read.
READ_RETRY_DELAY: Final = 0.5
#: Pages we fetch at most from a paginated list.
MAX_PAGES: Final = 20
_RETRY_STATUSES: Final = frozenset({502, 503, 504})


class _QuerySecretFilter(logging.Filter):
    """Mask ``api_token=``/``api_key=`` in httpx's own "HTTP Request: GET <url>" lines."""

    _PATTERN: Final = re.compile(r"(?i)\b(api_token|api_key)=([^&\s\"']+)")

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        if "api_token=" in message or "api_key=" in message:
            record.msg = self._PATTERN.sub(lambda m: f"{m.group(1)}=<secret>", message)
            record.args = None
        return True


_HTTPX_FILTER: Final = _QuerySecretFilter()
for _name in ("httpx", "httpcore"):
    if not any(isinstance(f, _QuerySecretFilter) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(_HTTPX_FILTER)


class SmsClient:
    """HTTP plumbing shared by both APIs: query credential, errors, no retries of sends."""

    kind = ""
    default_base = ""
    credential_param = ""
    lists_text = False

    def __init__(self, credential: str, *, base_url: str | None = None,
                 client: httpx.AsyncClient | None = None,
                 timeout: httpx.Timeout = SMS_TIMEOUT, ca_file: str | None = None,
                 retry_delay: float = READ_RETRY_DELAY) -> None:
        self._credential = credential
        self.base_url = (base_url or self.default_base).rstrip("/")
        self.service = urlsplit(self.base_url).netloc or self.base_url
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(
            timeout=timeout, verify=default_tls_context(ca_file), follow_redirects=False,
            headers={"User-Agent": USER_AGENT})
        self.timeout = timeout
        self.retry_delay = retry_delay
        #: The provider's clock minus ours (s), from the last answer's ``Date``
        #: header (whole seconds: about ±1 s); None before the first one.
        self.clock_offset: float | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._own_client:
            await self._client.aclose()

    def _secrets(self) -> Iterable[str | None]:
        return (self._credential,)

    # -- requests ------------------------------------------------------------

    async def _request(self, method: str, path: str, *, idempotent: bool,
                       params: Mapping[str, str] | None = None, json_body: Any = None,
                       ) -> httpx.Response:
        """Send with the credential in the query; return a 2xx response or raise.

        ``idempotent=False`` (sends): never retried.  Reads get one retry after
        a network error or a 502/503/504.
        """
        what = f"{self.service} {method} {path}"
        query = {self.credential_param: self._credential, **(params or {})}
        retried = False
        while True:
            try:
                response = await self._send(method, path, what, query, json_body)
            except NetworkError as exc:
                if idempotent and not retried:
                    retried = True
                    log.info("%s; trying once more", exc)
                    await asyncio.sleep(self.retry_delay)
                    continue
                raise
            if response.status_code in _RETRY_STATUSES and idempotent and not retried:
                retried = True
                log.info("%s: HTTP %d; trying once more", what, response.status_code)
                await asyncio.sleep(self.retry_delay)
                continue
            self._raise_for_status(response, what)
            return response

    async def _send(self, method: str, path: str, what: str, query: Mapping[str, str],
                    json_body: Any) -> httpx.Response:
        url = f"{self.base_url}/{path.lstrip('/')}"
        started = time.monotonic()
        try:
            response = await self._client.request(
                method, url, params=query, json=json_body,
                headers={"Accept": "application/json"}, timeout=self.timeout)
        except httpx.RequestError as exc:
            raise request_error(exc, what, self._secrets()) from exc
        log.debug("%s -> HTTP %d in %.0f ms", what, response.status_code,
                  (time.monotonic() - started) * 1000)
        self._note_clock(response)
        return response

    def _note_clock(self, response: httpx.Response) -> None:
        """Measure the provider's clock from ``Date`` (truncated to the second: +0.5 s)."""
        stamp = response.headers.get("date")
        if not stamp:
            return
        try:
            server = parsedate_to_datetime(stamp).timestamp() + 0.5
        except (TypeError, ValueError, IndexError, OverflowError):
            log.debug("unreadable Date header %r", stamp[:60])
            return
        self.clock_offset = server - time.time()

    # -- listing -------------------------------------------------------------

    async def find_sent(self, to: str, sender: str, *, since: float,
                        until: float) -> list[SmsMessage]:
        raise NotImplementedError

    async def listing(self, to: str, sender: str, *, since: float,
                      until: float) -> SentListing:
        """:meth:`find_sent`, with the provider's clock as it answered (a read: retried)."""
        self.clock_offset = None
        rows = await self.find_sent(to, sender, since=since, until=until)
        return SentListing(rows, self.clock_offset)

    def _why(self, exc: Exception) -> str:
        return describe(exc, self._secrets())

    def _message_of(self, response: httpx.Response) -> str:
        return response_message(response, self._secrets())

    def _raise_for_status(self, response: httpx.Response, what: str) -> None:
        status = response.status_code
        if status < 300:
            return
        message = self._message_of(response)
        detail = f": {message}" if message else ""
        if status in (401, 403):
            raise AuthError(f"{what}: the SMS {self._credential_name()} was rejected "
                            f"(HTTP {status}){detail}", status=status, server_message=message)
        if status >= 500:
            raise ServerError(f"{what}: server error (HTTP {status}){detail}", status=status,
                              may_have_reached_server=True, server_message=message)
        if status < 400:
            location = response.headers.get("location", "?")
            raise RequestError(f"{what}: unexpected redirect (HTTP {status}) to "
                               f"{scrub(location, self._secrets())}", status=status)
        raise RequestError(f"{what}: refused (HTTP {status}){detail}", status=status,
                           server_message=message)

    def _credential_name(self) -> str:
        return "token" if self.credential_param == "api_token" else "API key"

    def _json(self, response: httpx.Response, what: str) -> Any:
        return json_answer(response, what, self._secrets())

    async def _get_json(self, path: str, params: Mapping[str, str] | None = None, *,
                        idempotent: bool = True) -> Any:
        response = await self._request("GET", path, idempotent=idempotent, params=params)
        return self._json(response, f"{self.service} GET {path}")

    def _shape(self, what: str, body: Any, expected: str) -> ServerError:
        return ServerError(f"{self.service} {what}: unexpected answer (expected {expected}, "
                           f"got {type(body).__name__})", may_have_reached_server=True)


