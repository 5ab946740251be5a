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

Layout: the shared session machinery (login, token, resend rules, downloads)
is :mod:`desktop.pbx.rest_session`; reading answers without I/O (lenient
JSON, server messages, JWT expiry, QR PNGs) is :mod:`desktop.pbx.rest_body`.
This module holds the two concrete sessions and re-exports the public names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

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
from desktop.pbx.connection import Flavor
from desktop.pbx.errors import (
    AmbiguousError,
    AuthError,
    NetworkError,
    PbxError,
    RequestError,
    ServerError,
)
from desktop.pbx.redact import snippet
from desktop.pbx.rest_body import (
    QR_CODE_PATHS,
    jwt_expiry,
    negative,
    parse_json_lenient,
    png_size,
    qr_png_from_answer,
    server_message,
)
from desktop.pbx.rest_session import (
    DEFAULT_TIMEOUT,
    DialAnswer,
    DownloadResult,
    RestSession,
    dial_answer,
    shape_error,
)

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


class TekilSession(RestSession):
    """Tekil Santral panel API (``panelapi.kobikom.com.tr``), JWT bearer."""

    flavor = Flavor.TEKIL

    async def _do_login(self) -> str:
        # The docs say form-data: multipart fields without file names.
        response, body = await self._post_login(
            "/login", files={"usermail": (None, self.user), "userpass": (None, self._password)})
        token = body.get("token") if isinstance(body, Mapping) else None
        if response.status_code < 300 and isinstance(token, str) and token \
                and not negative(body):
            return token
        raise self._login_failed(response, body)

    async def get_group_list(self) -> list[dict[str, Any]]:
        """``GET /getGroupList``: the phonebook groups (``id``, ``isim``, ``totalContact``…)."""
        body = await self.request_json("GET", "/getGroupList", idempotent=True)
        if isinstance(body, Mapping) and isinstance(body.get("data"), list):
            body = body["data"]
        if not isinstance(body, list):
            raise shape_error(self, "GET /getGroupList", body, "a list of groups")
        return [dict(item) for item in body if isinstance(item, Mapping)]

    async def get_extensions(self) -> dict[str, dict[str, Any]]:
        """``GET /getCentralData/extension``: extensions keyed by the panel's own key.

        Note the key (``"110"``) differs from the ``extension`` field
        (``"101000"``) (digest §8.2).
        """
        body = await self.request_json("GET", "/getCentralData/extension", idempotent=True)
        if not isinstance(body, Mapping) or "extension" not in body:
            raise shape_error(self, "GET /getCentralData/extension", body,
                               "an object with 'extension'")
        extensions = body["extension"]
        if isinstance(extensions, list) and not extensions:
            return {}  # PHP encodes an empty associative array as []
        if isinstance(extensions, list):
            extensions = {str(i): item for i, item in enumerate(extensions)}
        if not isinstance(extensions, Mapping):
            raise shape_error(self, "GET /getCentralData/extension", extensions,
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
        return dial_answer(self, "POST /central/dial", body, require_result=True)


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
            raise shape_error(self, f"GET {path}", body, "a list of call records") from None

    async def get_missed_calls(self, *, date_start: str, date_end: str) -> Parsed[MissedCall]:
        """``GET /missedcalls``: unanswered incoming calls of the whole PBX (by day)."""
        body = await self.request_json("GET", "/missedcalls", idempotent=True,
                                       params={"dateStart": date_start, "dateEnd": date_end})
        try:
            return parse_tekil_missed(body)
        except ValueError:
            raise shape_error(self, "GET /missedcalls", body, "a list of calls") from None

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
            raise shape_error(self, f"GET {path.rsplit('/', 1)[0]}/<id>", body,
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


class KobiPbxSession(RestSession):
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
            if negative(body):
                message = snippet(server_message(body), self._secrets(), limit=200)
                raise ServerError(f"{self.service} {what}: failed: {message or 'no reason given'}",
                                  may_have_reached_server=True)
            body = body.get("data")
        if not isinstance(body, Mapping) or not isinstance(body.get("extensions"), list):
            raise shape_error(self, what, body, "an object with 'extensions'")
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
        return dial_answer(self, "POST /api/v1/clicktocall", body, require_result=False)


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
            raise shape_error(self, what, body, f"a page of call records ({exc})") from None

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
