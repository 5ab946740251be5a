"""Kobikom's two SMS APIs: the new one (``sms.kobikom.com.tr``) and the old one (``smspaneli``).

Both are separate hosts from the PBX, and both take their credential in the
**query string** (new: ``api_token``, old: ``api_key``; digest §2.3), so
this module has its own small HTTP client instead of the PBX sessions of
:mod:`desktop.pbx.rest`.  It reuses their lenient JSON parsing, their error
classes (:mod:`desktop.pbx.errors`) and their scrubbing: the credential is
removed from every error message, request paths are named without their
query string, and a filter on the ``httpx`` logger masks ``api_token=`` /
``api_key=`` in its "HTTP Request: GET …" lines.

Stable interface (other features rely on it; keep names and shapes):

    api = NewSmsApi(token, base_url=...)        # or OldSmsApi(api_key, base_url=...)
    balance = await api.balance()               # SmsBalance(amount: Decimal, raw)
    titles = await api.senders()                # [SenderTitle(title, kind)]
    sent = await api.send(to, text, sender, coding=SmsCoding.TURKISH)  # SentSms
    msg = await api.status(sent.provider_id, sent_at=...)             # SmsMessage | None
    rows = await api.find_sent(to, sender, since=..., until=...)      # [SmsMessage]
    found = await api.listing(to, sender, since=..., until=...)       # SentListing
    await api.aclose()

``listing`` is ``find_sent`` plus the provider's clock (``clock_offset``,
measured from the answer's ``Date`` header): the outbox lists a number's
messages before it sends, and ties an unconfirmed send only to a message
that was not there before and was created while our request was open.

The values live in :mod:`desktop.pbx.sms_values`, the shared HTTP plumbing
in :mod:`desktop.pbx.sms_client`; both are re-exported here.

The first-run wizard (issue 7) checks a token with ``await api.balance()``:
:class:`~desktop.pbx.errors.AuthError` means the token/key was rejected.

Requests, exactly as documented (digest §7):

* new: ``GET /api/message/send?api_token&to&from&message`` (``data`` is an
  array even for one message), ``GET /api/message/{uuid}`` (``data`` is an
  object), ``GET /api/message?start_date&end_date[&to&status&title]``,
  ``GET /api/subscription`` (paginated), ``GET /api/balance`` (``balance``
  is a string decimal);
* old: ``GET /sms/api?action=send-sms&api_key&to&from&sms&unicode``,
  ``POST /sms/api/multiple?action=send-sms&api_key`` (JSON array body),
  ``GET /sms/api/sender-id?action=list``, ``GET /sms/api?action=
  check-balance&response=json``, ``GET /sms/api/history?action=filtered&
  date_from&date_to&response=json&receiver&sender&operator&status&
  message_id``.

Sending costs money, so a send is **never retried** here: a refusal before
the request went out (connection refused, DNS) raises
:class:`~desktop.pbx.errors.NetworkError`; a timeout or a lost connection
after it went out raises :class:`~desktop.pbx.errors.AmbiguousError`; a 5xx
or an unreadable 2xx raises :class:`~desktop.pbx.errors.ServerError` with
``may_have_reached_server``.  The caller (the outbox) decides, after asking
the provider (:meth:`find_sent`).  Reads (status, lists, balance, titles)
are retried once after a network error or a 502/503/504.

Undocumented, and what we chose:

* Errors: the simulator answers a bad token with 401 (Laravel's
  ``{"message":"Unauthenticated."}``), validation and "insufficient
  balance" with 422.  Any 401/403 is an :class:`AuthError`; other 4xx a
  :class:`RequestError` (the server did not act) with the server's words.
  The old API's ``{"code": "error", …}`` body on a 200 is a refusal too,
  and an :class:`AuthError` when its message is about the key.
* New API statuses seen are ``PENDING`` and ``DELIVERED`` only; we also map
  the usual failure words (``FAILED``, ``UNDELIVERED``, ``REJECTED``,
  ``EXPIRED``…) to :attr:`DeliveryState.FAILED` and anything else to
  ``PENDING``.  Old API history: ``Success`` is delivered (the only value
  seen).
* Paging: we never follow the server's own ``links`` (they are ``http://``
  and would carry the token in clear); we ask our own base again with
  ``page=N`` while ``meta.last_page`` says there is more (bounded).
* The old API's dates (history ``date``, the ``date_from``/``date_to`` we
  send) are taken as Turkish time (TRT, UTC+3), the provider's country.
* The new API has no ``unicode`` parameter: the provider picks the encoding
  itself, so :meth:`NewSmsApi.send` ignores ``coding``.  The old API gets
  ``unicode=0`` / ``turkish`` / ``1`` (the value set of the multiple-send
  comment; the single-send doc only shows ``1``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

import httpx

from desktop.pbx.connection import DEFAULT_OLD_SMS_BASE, DEFAULT_SMS_BASE
from desktop.pbx.errors import AuthError, PbxError, RequestError
from desktop.pbx.redact import snippet
from desktop.pbx.rest_body import server_message
from desktop.pbx.sms_client import MAX_PAGES, SMS_TIMEOUT, SmsClient
from desktop.pbx.sms_values import (
    TURKEY,
    DeliveryState,
    OldBulkItem,
    SenderTitle,
    SentListing,
    SentSms,
    SmsApi,
    SmsBalance,
    SmsCoding,
    SmsMessage,
    as_text,
    delivery_state,
    iso_time,
    turkish_stamp,
    turkish_time,
)

__all__ = [
    "DEFAULT_OLD_SMS_BASE",
    "DEFAULT_SMS_BASE",
    "SMS_TIMEOUT",
    "DeliveryState",
    "NewSmsApi",
    "OldBulkItem",
    "OldSmsApi",
    "SenderTitle",
    "SentListing",
    "SentSms",
    "SmsApi",
    "SmsBalance",
    "SmsCoding",
    "SmsMessage",
]


class NewSmsApi(SmsClient):
    """The new SMS API (``https://sms.kobikom.com.tr/api``, ``api_token``)."""

    kind = "new"
    default_base = DEFAULT_SMS_BASE
    credential_param = "api_token"
    lists_text = True

    async def send(self, to: str, text: str, sender: str, *,
                   coding: SmsCoding = SmsCoding.PLAIN) -> SentSms:
        """``GET /api/message/send?api_token&to&from&message``; sent once, never retried."""
        what = "GET /api/message/send"
        body = await self._get_json("/api/message/send",
                                    {"to": to, "from": sender, "message": text},
                                    idempotent=False)
        data = body.get("data") if isinstance(body, Mapping) else None
        if isinstance(data, list) and data and isinstance(data[0], Mapping):
            item: Mapping[str, Any] = data[0]
        elif isinstance(data, Mapping):
            item = data
        else:
            raise self._shape(what, body, "'data' with the message")
        uuid = as_text(item.get("uuid"))
        if not uuid:
            raise self._shape(what, item, "a message 'uuid'")
        return SentSms(provider_id=uuid, status=as_text(item.get("status")), raw=dict(item))

    async def status(self, provider_id: str, *, sent_at: float | None = None,
                     ) -> SmsMessage | None:
        """``GET /api/message/{uuid}`` (``data`` is an object); None if unknown (404)."""
        path = f"/api/message/{quote(provider_id, safe='')}"
        try:
            body = await self._get_json(path)
        except RequestError as exc:
            if exc.status == 404:
                return None
            raise
        data = body.get("data") if isinstance(body, Mapping) else None
        if isinstance(data, list):
            data = data[0] if data else None
        if not isinstance(data, Mapping):
            raise self._shape("GET /api/message/{uuid}", body, "'data' with the message")
        return self._message(data)

    async def list_messages(self, start_date: str, end_date: str, *, to: str | None = None,
                   status: str | None = None, title: str | None = None) -> list[SmsMessage]:
        """``GET /api/message?start_date&end_date[&to&status&title]`` (dates ``YYYY-MM-DD``)."""
        params = {"start_date": start_date, "end_date": end_date}
        for key, value in (("to", to), ("status", status), ("title", title)):
            if value:
                params[key] = value
        items = await self._paged("/api/message", params)
        return [self._message(item) for item in items]

    async def find_sent(self, to: str, sender: str, *, since: float,
                        until: float) -> list[SmsMessage]:
        """Messages to *to* created between *since* and *until* (any sender).

        The dates are UTC days (the provider's timestamps are UTC), widened by
        a day each side so no time zone can hide a message; the caller filters
        by time and text.
        """
        start = datetime.fromtimestamp(since, UTC) - timedelta(days=1)
        end = datetime.fromtimestamp(until, UTC) + timedelta(days=1)
        rows = await self.list_messages(start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d"), to=to)
        return [r for r in rows if r.created_at is None or since <= r.created_at <= until]

    async def senders(self) -> list[SenderTitle]:
        """``GET /api/subscription``: ``data[].title`` with ``type`` number/title."""
        items = await self._paged("/api/subscription", {})
        out = []
        for item in items:
            title = as_text(item.get("title")).strip()
            if title:
                out.append(SenderTitle(title=title, kind=as_text(item.get("type"))))
        return out

    async def balance(self) -> SmsBalance:
        """``GET /api/balance``: ``{"balance": "2.9340", "packages": [...]}``."""
        body = await self._get_json("/api/balance")
        value = body.get("balance") if isinstance(body, Mapping) else None
        try:
            amount = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise self._shape("GET /api/balance", body, "a 'balance'") from None
        if value is None or not amount.is_finite():
            raise self._shape("GET /api/balance", body, "a 'balance'")
        return SmsBalance(amount=amount, raw=dict(body))

    async def _paged(self, path: str, params: Mapping[str, str]) -> list[Mapping[str, Any]]:
        """``data`` of every page (``meta.last_page``), asking our own base each time."""
        out: list[Mapping[str, Any]] = []
        page = 1
        while True:
            query = dict(params)
            if page > 1:
                query["page"] = str(page)
            body = await self._get_json(path, query)
            data = body.get("data") if isinstance(body, Mapping) else body
            if not isinstance(data, list):
                raise self._shape(f"GET {path}", body, "a 'data' list")
            out.extend(item for item in data if isinstance(item, Mapping))
            meta = body.get("meta") if isinstance(body, Mapping) else None
            last = meta.get("last_page") if isinstance(meta, Mapping) else None
            if not isinstance(last, int) or page >= last or page >= MAX_PAGES or not data:
                return out
            page += 1

    @staticmethod
    def _message(item: Mapping[str, Any]) -> SmsMessage:
        status = as_text(item.get("status"))
        return SmsMessage(
            provider_id=as_text(item.get("uuid")), to=as_text(item.get("to")),
            sender=as_text(item.get("from")), text=as_text(item.get("message")), status=status,
            state=delivery_state(status), created_at=iso_time(item.get("created_at")),
            delivered_at=iso_time(item.get("delivered_at")), raw=dict(item))


class OldSmsApi(SmsClient):
    """The old SMS API (``https://smspaneli.kobikom.com.tr/sms/api``, ``api_key``)."""

    kind = "old"
    default_base = DEFAULT_OLD_SMS_BASE
    credential_param = "api_key"
    lists_text = False

    def _check_code(self, what: str, body: Any) -> None:
        """A ``{"code": "error", "message": …}`` answer: refused (or the key was)."""
        if isinstance(body, Mapping) and as_text(body.get("code")).lower() not in ("", "ok"):
            message = snippet(server_message(body), self._secrets(), limit=200)
            lowered = message.lower()
            if "api key" in lowered or "api_key" in lowered or "apikey" in lowered:
                raise AuthError(f"{self.service} {what}: the SMS API key was rejected: "
                                f"{message}", server_message=message)
            raise RequestError(f"{self.service} {what}: refused: {message or 'no reason given'}",
                               server_message=message)

    async def send(self, to: str, text: str, sender: str, *,
                   coding: SmsCoding = SmsCoding.PLAIN) -> SentSms:
        """``GET /sms/api?action=send-sms&api_key&to&from&sms&unicode``; never retried."""
        what = "GET /sms/api?action=send-sms"
        body = await self._get_json("/sms/api", {
            "action": "send-sms", "to": to, "from": sender, "sms": text,
            "unicode": coding.value}, idempotent=False)
        if not isinstance(body, Mapping):
            raise self._shape(what, body, "an object")
        self._check_code(what, body)
        message_id = as_text(body.get("message_id") or body.get("custom_id"))
        if not message_id:
            raise self._shape(what, body, "a 'message_id'")
        cost = body.get("cost")
        return SentSms(provider_id=message_id, status=as_text(body.get("message")),
                       cost=cost if isinstance(cost, int) else None, raw=dict(body))

    async def send_multiple(self, items: Sequence[OldBulkItem], *,
                            delivery_at: str | None = None) -> tuple[list[SentSms], int]:
        """``POST /sms/api/multiple?action=send-sms&api_key[&delivery_at]``; never retried.

        Returns the accepted messages (``successDetail``; ``provider_id`` is
        the ``custom_id``, the key the history shares) and the ``fail`` count.
        """
        what = "POST /sms/api/multiple"
        params = {"action": "send-sms"}
        if delivery_at:
            params["delivery_at"] = delivery_at
        response = await self._request("POST", "/sms/api/multiple", idempotent=False,
                                       params=params,
                                       json_body=[{"from": i.sender, "to": i.to, "sms": i.text,
                                                   "unicode": i.coding.value} for i in items])
        body = self._json(response, f"{self.service} {what}")
        if not isinstance(body, Mapping):
            raise self._shape(what, body, "an object")
        self._check_code(what, body)
        details = body.get("successDetail")
        sent = [SentSms(provider_id=as_text(d.get("custom_id") or d.get("message_id")),
                        cost=d.get("cost") if isinstance(d.get("cost"), int) else None,
                        raw=dict(d))
                for d in (details if isinstance(details, list) else [])
                if isinstance(d, Mapping)]
        failed = body.get("fail")
        return sent, failed if isinstance(failed, int) else 0

    async def history(self, date_from: datetime, date_to: datetime, *, receiver: str = "",
                      sender: str = "", status: str = "", message_id: str = "",
                      ) -> list[SmsMessage]:
        """``GET /sms/api/history?action=filtered&…`` (every documented parameter sent)."""
        body = await self._get_json("/sms/api/history", {
            "action": "filtered", "date_from": turkish_stamp(date_from),
            "date_to": turkish_stamp(date_to), "response": "json",
            "receiver": receiver, "sender": sender, "operator": "", "status": status,
            "message_id": message_id})
        data = body.get("data") if isinstance(body, Mapping) else body
        if not isinstance(data, list):
            raise self._shape("GET /sms/api/history", body, "a 'data' list")
        out = []
        for row in data:
            if not isinstance(row, Mapping):
                continue
            status_word = as_text(row.get("status"))
            out.append(SmsMessage(
                provider_id=as_text(row.get("message_id")), to=as_text(row.get("receiver")),
                sender=as_text(row.get("sender")), text=None, status=status_word,
                state=delivery_state(status_word),
                created_at=turkish_time(row.get("date")), raw=dict(row)))
        return out

    async def status(self, provider_id: str, *, sent_at: float | None = None,
                     ) -> SmsMessage | None:
        """The history row with this ``message_id`` (searched around *sent_at*)."""
        center = datetime.fromtimestamp(sent_at if sent_at is not None else time.time(), TURKEY)
        rows = await self.history(center - timedelta(days=1), center + timedelta(days=1),
                                  message_id=provider_id)
        for row in rows:
            if provider_id in (row.provider_id, as_text(row.raw.get("custom_id"))):
                return row
        return None

    async def find_sent(self, to: str, sender: str, *, since: float,
                        until: float) -> list[SmsMessage]:
        """History rows to *to* from *sender*, a day around the window (the caller filters).

        The history has no text; its dates are Turkish time.
        """
        start = datetime.fromtimestamp(since, TURKEY) - timedelta(days=1)
        end = datetime.fromtimestamp(until, TURKEY) + timedelta(days=1)
        return await self.history(start, end, receiver=to, sender=sender)

    async def senders(self) -> list[SenderTitle]:
        """``GET /sms/api/sender-id?action=list`` (blocked titles left out)."""
        body = await self._get_json("/sms/api/sender-id", {"action": "list"})
        if isinstance(body, Mapping):
            self._check_code("GET /sms/api/sender-id", body)
            body = body.get("data")
        if not isinstance(body, list):
            raise self._shape("GET /sms/api/sender-id", body, "a list of sender ids")
        return [SenderTitle(title=as_text(row.get("sender_id")).strip(), kind="title")
                for row in body
                if isinstance(row, Mapping) and as_text(row.get("sender_id")).strip()
                and as_text(row.get("status")).lower() not in ("block", "blocked")]

    async def balance(self) -> SmsBalance:
        """``GET /sms/api?action=check-balance&response=json``: ``{"balance": 120001, …}``."""
        body = await self._get_json("/sms/api", {"action": "check-balance", "response": "json"})
        if isinstance(body, Mapping):
            self._check_code("GET /sms/api?action=check-balance", body)
        value = body.get("balance") if isinstance(body, Mapping) else None
        try:
            amount = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise self._shape("GET /sms/api?action=check-balance", body, "a 'balance'") from None
        if value is None or not amount.is_finite():
            raise self._shape("GET /sms/api?action=check-balance", body, "a 'balance'")
        return SmsBalance(amount=amount, raw=dict(body))


def make_sms_api(kind: str, credential: str, *, base_url: str | None = None,
                 client: httpx.AsyncClient | None = None, timeout: httpx.Timeout = SMS_TIMEOUT,
                 ca_file: str | None = None) -> NewSmsApi | OldSmsApi:
    """``kind`` "new" (default) or "old"."""
    cls = OldSmsApi if kind == "old" else NewSmsApi
    return cls(credential, base_url=base_url, client=client, timeout=timeout, ca_file=ca_file)


def is_refusal(exc: PbxError) -> bool:
    """True when the server certainly did not act (nothing was sent, nothing charged)."""
    return not exc.may_have_reached_server
