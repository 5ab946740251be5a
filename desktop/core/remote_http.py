"""HTTP JSON lookup of a caller: a CRM's "who is this number" endpoint.

Settings (``[http_lookup]``)::

    url = "https://crm.example.com.tr/api/caller?phone={e164}"
    timeout_ms = 800

The URL is a template with the number forms of :mod:`desktop.core.templates`
(``{number}``, ``{e164}``, ``{national}``, ``{international}``), each value
URL-encoded; only ``http``/``https`` with the host written out is accepted.
The app sends ``GET`` with ``Accept: application/json`` and, when one is
stored (keyring, or ``KOBIKOM_HTTP_LOOKUP_TOKEN``), ``Authorization: Bearer
TOKEN``.  Redirects are not followed (write the final address).

The answer (documented in the README)::

    {"name": "Ayşe Yılmaz", "company": "Örnek A.Ş.",
     "email": "ayse@ornek.com.tr", "notes": "Prefers mornings"}

* every key is optional, but a contact needs ``name`` or ``company``;
  unknown keys are ignored; values are shown as plain text;
* a JSON array is read as a list of matches: the first one is used;
* "not known" is ``404``, ``204``, ``null``, ``{}`` or ``[]``;
* anything else (other statuses, a body that is not JSON, more than
  :data:`MAX_BODY_BYTES`) is a failure, reported and tried again later.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any, Final

import httpx

from desktop.core.numbers import PhoneNumber
from desktop.core.remote_directory import (
    DEFAULT_BUDGET_S,
    MAX_NOTES_CHARS,
    RemoteContact,
    SourceError,
    clean_text,
)
from desktop.core.templates import (
    NUMBER_VARIABLES,
    check_url_template,
    fill_url,
    number_values,
    url_host,
)

log = logging.getLogger("kobikom.core.http_lookup")

#: Largest answer read (a contact is a few hundred bytes).
MAX_BODY_BYTES: Final = 64 * 1024
#: Statuses that mean "this number is not known".
NOT_FOUND_STATUSES: Final = frozenset({204, 404})
USER_AGENT: Final = "kobikom-desktop"


def check_template(template: str) -> str:
    """The lookup URL template stripped, or TemplateError (empty = no HTTP lookup)."""
    return check_url_template(template, NUMBER_VARIABLES, what="lookup address")


def parse_answer(body: bytes, source: str = "http") -> RemoteContact | None:
    """The contact in a lookup answer (see the module docstring); SourceError if malformed."""
    if not body.strip():
        return None
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise SourceError("the answer is not JSON") from None
    if isinstance(data, list):
        data = next((item for item in data if isinstance(item, dict)), None) if data else None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SourceError(f"the answer is a JSON {type(data).__name__}, not an object")
    name = clean_text(data.get("name"))
    company = clean_text(data.get("company"))
    if not (name or company):
        return None
    return RemoteContact(name=name, company=company, email=clean_text(data.get("email")),
                         notes=clean_text(data.get("notes"), MAX_NOTES_CHARS), source=source)


class HttpLookupSource:
    """A CRM's lookup endpoint as a remote directory source (``"source": "http"``)."""

    name = "http"

    def __init__(self, template: str, *, budget: float = DEFAULT_BUDGET_S,
                 token: str | Callable[[], str | None] | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        """*token*: the bearer token, or a function reading it (the keyring: called
        once, in a thread, on the first lookup)."""
        self.template = check_template(template)
        if not self.template:
            raise ValueError("no lookup address")
        self.budget = budget
        self._token: str | None = token if isinstance(token, str) else None
        self._read_token = token if callable(token) else None
        self._token_read: asyncio.Future[str | None] | None = None
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        return f"<HttpLookupSource {url_host(self.template)}>"

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.budget), follow_redirects=False, headers=headers,
                transport=self._transport)
        return self._client

    async def prepare(self) -> None:
        """Read the token (keyring) now rather than on the first call."""
        await self._load_token()

    async def _load_token(self) -> None:
        """Read the token once; a lookup during the read waits for that read."""
        if self._read_token is None:
            return
        if self._token_read is None or self._token_read.cancelled():
            self._token_read = asyncio.ensure_future(asyncio.to_thread(self._read_token))
        # shield: a lookup that runs out of budget must not cancel the shared read
        self._token = await asyncio.shield(self._token_read)
        self._read_token = None

    async def lookup(self, number: PhoneNumber) -> RemoteContact | None:
        await self._load_token()
        if self._token and not (self._token.isascii() and self._token.isprintable()):
            # HTTP headers are ASCII: say so instead of failing inside the client.
            raise SourceError("the stored lookup token has characters an HTTP header cannot "
                              "carry (letters outside ASCII, line breaks)")
        url = fill_url(self.template, number_values(number))
        host = url_host(url)
        try:
            async with self._http().stream("GET", url) as response:
                status = response.status_code
                if status in NOT_FOUND_STATUSES:
                    return None
                if status != 200:
                    raise SourceError(_status_text(host, response))
                body = await _read_capped(response)
        except httpx.TimeoutException:
            raise SourceError(f"{host}: no answer in time") from None
        except httpx.HTTPError as exc:
            detail = _short(exc).replace(url, host)  # the URL carries the caller's number
            raise SourceError(f"{host}: {type(exc).__name__}: {detail}") from None
        try:
            return parse_answer(body, self.name)
        except SourceError as exc:
            raise SourceError(f"{host}: {exc}") from None

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise SourceError(f"{url_host(str(response.url))}: the answer is larger than "
                              f"{MAX_BODY_BYTES // 1024} KB")
        chunks.append(chunk)
    return b"".join(chunks)


def _status_text(host: str, response: httpx.Response) -> str:
    if response.is_redirect:
        return (f"{host}: HTTP {response.status_code} redirect (redirects are not followed; "
                "write the final address)")
    if response.status_code in (401, 403):
        return f"{host}: HTTP {response.status_code} (the lookup token is missing or refused)"
    return f"{host}: HTTP {response.status_code} {response.reason_phrase}".rstrip()


def _short(exc: Any) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
