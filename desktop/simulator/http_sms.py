"""The two SMS APIs: new (``sms.kobikom.com.tr/api``) and old (``smspaneli…/sms/api``).

New API (Laravel; ``api_token`` query parameter, a ``Bearer`` header works
too), response shapes as in the collection (digest §7.2):

==========================================  =======================================
``GET /api/message/send?to&from&message``   ``{"data":[<message>]}`` (PENDING)
``POST /api/message`` (JSON bulk)           ``{"data":[<message>…]}``
``GET /api/message/{uuid}``                 ``{"data":<message>}``
``GET /api/message?start_date&end_date&…``  ``{"data":[…]}``
``GET /api/subscription``                   sender titles + ``links``/``meta``
``GET /api/balance``                        ``{"balance":"998.0000","packages":[…]}``
``GET /api/charges``                        bare array of top-ups
==========================================  =======================================

The message object: ``uuid, campaign_uuid, campaign_name, country, from, to
(+90…), message, status, created_at, scheduled_at, sended_at (sic),
delivered_at``.  ``status`` moves ``PENDING`` -> ``DELIVERED`` once
``sms_delivery_delay`` seconds have passed (``sended_at`` half-way,
``delivered_at`` at the end).

Old API (``api_key`` query parameter; digest §7.1): ``GET /sms/api?action=
send-sms&to&from&sms&unicode``, ``GET /sms/api?action=check-balance``,
``POST /sms/api/multiple?action=send-sms`` (JSON array body),
``GET /sms/api/sender-id?action=list``, ``GET /sms/api/history?action=
filtered…``, ``GET /sms/api/transaction-history?action=get``.

Undocumented, and what we chose:

* Invalid token/key: 401; new API ``{"message":"Unauthenticated."}``
  (Laravel's own answer), old API ``{"code":"error","message":"Invalid API
  Key"}``.  Missing fields (new API): 422 Laravel validation errors
  ``{"message":"The to field is required.","errors":{"to":[…]}}``; old
  API: ``{"code":"error","message":…}`` 400.  Insufficient credit: 422
  ``"Yetersiz bakiye"`` / old ``{"code":"error","message":"Insufficient
  balance"}``.  The sender (``from``) is not validated.
* The `` B035`` suffix the examples append is off unless ``sms_suffix`` is
  set.
* One credit balance shared by both APIs (one SMS panel, one account),
  shown as an integer by the old API and a 4-decimal string by the new one.
  Every message costs one credit per part.  Parts (new API): GSM 7-bit text
  160 characters single / 153 per part, anything else (Turkish ``ş ğ ı İ
  ç``…) 70 / 67.  Old API, with the collection's per-message limits:
  ``unicode=1`` 75, ``turkish`` 150, ``0`` 155.
* Undeliverable numbers (``sms_undeliverable``): the message ends ``FAILED``
  (old API history ``Failed``); only ``PENDING``/``DELIVERED`` are documented,
  the failure word is our choice.
* The list filter ``status`` matches case-insensitively, and ``success``
  means ``DELIVERED``; ``title`` matches the sender.
* The provider's clock can be off (``sms_clock_offset``): message times and
  the ``Date`` header of every SMS answer follow it.
* Test controls (not part of Kobikom's API): :meth:`SmsApis.add_message`
  stores a message somebody else sent (the web panel, a colleague) at a
  chosen age, e.g. a look-alike of ours; :meth:`SmsApis.top_up` adds credits.
* Old API history rows: ``status`` ``Pending`` until delivered, then
  ``Success`` (the only value seen); ``send_by`` ``api`` for single sends and
  ``sender`` for bulk ones (as observed); ``custom_id`` only on bulk sends.
  ``user`` is ``"Demo Firma"``; ``operator`` follows the number's prefix
  (053x ``TURKCELL``, 054x ``VODAFONE``, 050x/055x ``TURK TELEKOM``) on
  single sends and is ``unknown`` on bulk ones, as in the examples.
"""

from __future__ import annotations

import json
import math
import time
import uuid as uuidlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .auth import bearer_from
from .events import iso_micro, local_datetime
from .http_common import LARAVEL_SMS, TEXT_HTML, family_unauthorized, laravel_json

if TYPE_CHECKING:
    from .simulator import Simulator

_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


def parts_new_api(text: str) -> int:
    gsm = all(ch in _GSM7 for ch in text)
    single, multi = (160, 153) if gsm else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / multi)


def parts_old_api(text: str, unicode_flag: str) -> int:
    limit = {"1": 75, "turkish": 150}.get(unicode_flag.strip().lower(), 155)
    return max(1, math.ceil(len(text) / limit))


def normalise(number: str) -> str:
    """``0532…``, ``532…``, ``90532…``, ``+90532…`` -> ``+90532…`` (as the new API echoes)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if digits.startswith("90") and len(digits) == 12:
        return "+" + digits
    if digits.startswith("0") and len(digits) == 11:
        return "+9" + digits
    if len(digits) == 10:
        return "+90" + digits
    return "+" + digits if digits else number


def operator_of(number: str) -> str:
    digits = normalise(number)[3:]
    if digits.startswith("53"):
        return "TURKCELL"
    if digits.startswith("54"):
        return "VODAFONE"
    if digits.startswith(("50", "55")):
        return "TURK TELEKOM"
    return "unknown"


def _unprocessable(field: str, message: str | None = None) -> web.Response:
    text = message or f"The {field} field is required."
    return laravel_json({"message": text, "errors": {field: [text]}}, status=422,
                        headers=LARAVEL_SMS)


def _old_json(data: Any, *, status: int = 200, html: bool = False) -> web.Response:
    return web.Response(status=status, body=json.dumps(data, ensure_ascii=False).encode(),
                        headers={"Content-Type": TEXT_HTML if html else "application/json",
                                 "Cache-Control": "no-cache, private"})


class SmsApis:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.cfg = sim.cfg
        self.credits = sim.cfg.sms_balance
        self._next_id = 5_400_000
        self.charges = [{"id": 908, "balance": sim.cfg.sms_balance,
                         "created_at": sim.started_at - 86400 * 30}]

    def routes(self) -> list[web.RouteDef]:
        dated = self._dated
        return [
            web.get("/api/message/send", dated(self.send)),
            web.post("/api/message", dated(self.send_bulk)),
            web.get("/api/message", dated(self.list_messages)),
            web.get("/api/message/{uuid}", dated(self.message_status)),
            web.get("/api/subscription", dated(self.subscriptions)),
            web.get("/api/balance", dated(self.balance)),
            web.get("/api/charges", dated(self.charges_list)),
            web.get("/sms/api", dated(self.old_api)),
            web.post("/sms/api/multiple", dated(self.old_multiple)),
            web.get("/sms/api/sender-id", dated(self.old_senders)),
            web.get("/sms/api/history", dated(self.old_history)),
            web.get("/sms/api/transaction-history", dated(self.old_transactions)),
        ]

    def now(self) -> float:
        """The provider's clock (``sms_clock_offset`` from the real one)."""
        return time.time() + self.cfg.sms_clock_offset

    def _dated(self, handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
               ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """Every answer carries the provider's own clock in ``Date``."""
        async def dated(request: web.Request) -> web.StreamResponse:
            response = await handler(request)
            response.headers["Date"] = formatdate(self.now(), usegmt=True)
            return response

        return dated

    # ------------------------------------------------------------ test controls

    def add_message(self, to: str, text: str, sender: str, *, api: str = "new",
                    age: float = 0.0, send_by: str = "api") -> dict[str, Any]:
        """Store a message somebody else sent *age* seconds ago (provider clock)."""
        parts = parts_new_api(text) if api == "new" else parts_old_api(text, "0")
        return self._store(api=api, sender=sender, to=to, text=text, parts=parts,
                           send_by=send_by, created=self.now() - age)

    def top_up(self, credits: int) -> int:
        """Add SMS credits (the customer bought more); returns the new balance."""
        self.credits += credits
        return self.credits

    # ------------------------------------------------------------ store

    def _store(self, *, api: str, sender: str, to: str, text: str, parts: int,
               campaign: str | None = None, campaign_uuid: str | None = None,
               send_by: str = "api", created: float | None = None) -> dict[str, Any]:
        self._next_id += 1
        custom = uuidlib.uuid4().hex[:13]
        message = {
            "id": self._next_id, "api": api, "uuid": str(uuidlib.uuid4()),
            "from": sender, "to": normalise(to), "receiver": normalise(to)[1:],
            "message": text + (self.cfg.sms_suffix if api == "new" else ""),
            "parts": parts, "created": self.now() if created is None else created,
            "campaign_uuid": campaign_uuid, "campaign_name": campaign,
            "custom_id": custom if send_by == "sender" else None,
            "message_id": str(uuidlib.uuid4()), "send_by": send_by,
            "operator": operator_of(to),
        }
        self.credits -= parts
        self.sim.sms.append(message)
        return message

    def _status(self, message: dict[str, Any]) -> tuple[str, float | None, float | None]:
        delay = self.cfg.sms_delivery_delay
        if self.now() - message["created"] >= delay:
            if message["to"] in {normalise(n) for n in self.cfg.sms_undeliverable}:
                return "FAILED", message["created"] + delay / 2, None
            return "DELIVERED", message["created"] + delay / 2, message["created"] + delay
        return "PENDING", None, None

    def _render(self, message: dict[str, Any]) -> dict[str, Any]:
        status, sent, delivered = self._status(message)
        return {
            "uuid": message["uuid"], "campaign_uuid": message["campaign_uuid"],
            "campaign_name": message["campaign_name"], "country": "TR",
            "from": message["from"], "to": message["to"], "message": message["message"],
            "status": status, "created_at": iso_micro(message["created"]),
            "scheduled_at": None,
            "sended_at": iso_micro(sent) if sent is not None else None,
            "delivered_at": iso_micro(delivered) if delivered is not None else None,
        }

    # ------------------------------------------------------------ new API

    def _new_ok(self, request: web.Request) -> bool:
        token = request.query.get("api_token") or bearer_from(request.headers.get("Authorization"))
        return token == self.cfg.sms_token

    def _json(self, data: Any, status: int = 200) -> web.Response:
        return laravel_json(data, status=status, headers=LARAVEL_SMS)

    async def send(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        query = request.query
        for field in ("to", "from", "message"):
            if not query.get(field, "").strip():
                return _unprocessable(field)
        parts = parts_new_api(query["message"])
        if parts > self.credits:
            return _unprocessable("balance", "Yetersiz bakiye")
        message = self._store(api="new", sender=query["from"], to=query["to"],
                              text=query["message"], parts=parts)
        return self._json({"data": [self._render(message)]})

    async def send_bulk(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return _unprocessable("to")
        sender = str(body.get("from") or "")
        if not sender:
            return _unprocessable("from")
        items: list[tuple[str, str]] = []
        if isinstance(body.get("messages"), list):
            for entry in body["messages"]:
                if not isinstance(entry, dict) or not entry.get("to"):
                    continue
                text = str(entry.get("message") or "")
                for key, value in (entry.get("row") or {}).items():
                    text = text.replace("{" + str(key) + "}", str(value))
                items.append((str(entry["to"]), text))
        elif isinstance(body.get("to"), list):
            if not body.get("message"):
                return _unprocessable("message")
            items = [(str(to), str(body["message"])) for to in body["to"] if to]
        if not items:
            return _unprocessable("to")
        cost = sum(parts_new_api(text) for _, text in items)
        if cost > self.credits:
            return _unprocessable("balance", "Yetersiz bakiye")
        campaign = body.get("campaign") or None
        campaign_uuid = str(uuidlib.uuid4()) if campaign else None
        stored = [self._store(api="new", sender=sender, to=to, text=text,
                              parts=parts_new_api(text), campaign=campaign,
                              campaign_uuid=campaign_uuid, send_by="sender")
                  for to, text in items]
        return self._json({"data": [self._render(m) for m in stored]})

    async def message_status(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        for message in self.sim.sms:
            if message["uuid"] == request.match_info["uuid"] and message["api"] == "new":
                return self._json({"data": self._render(message)})
        return self._json({"message": "Mesaj bulunamadı."}, status=404)

    async def list_messages(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        query = request.query
        out = []
        for message in reversed(self.sim.sms):
            if message["api"] != "new":
                continue
            rendered = self._render(message)
            day = rendered["created_at"][:10]
            if query.get("start_date") and day < query["start_date"]:
                continue
            if query.get("end_date") and day > query["end_date"]:
                continue
            if query.get("to") and normalise(query["to"]) != message["to"]:
                continue
            wanted = query.get("status", "").strip().upper()
            if wanted == "SUCCESS":
                wanted = "DELIVERED"
            if wanted and rendered["status"] != wanted:
                continue
            if query.get("title") and query["title"] != message["from"]:
                continue
            out.append(rendered)
        return self._json({"data": out})

    async def subscriptions(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        base = f"{self.sim.http_base}/api/subscription"
        data = [{"uuid": str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"{base}/{title}")),
                 "title": title, "type": "number" if title.startswith("+") else "title"}
                for title in self.cfg.sms_senders]
        return self._json({
            "data": data,
            "links": {"first": f"{base}?page=1", "last": f"{base}?page=1", "prev": None,
                      "next": None},
            "meta": {"current_page": 1, "from": 1 if data else None, "last_page": 1,
                     "links": [{"url": None, "label": "&laquo; Önceki", "active": False},
                               {"url": f"{base}?page=1", "label": "1", "active": True},
                               {"url": None, "label": "Sonraki &raquo;", "active": False}],
                     "path": base, "per_page": 15, "to": len(data), "total": len(data)},
        })

    async def balance(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        start = datetime.fromtimestamp(self.charges[0]["created_at"], UTC)
        return self._json({
            "balance": f"{self.credits:.4f}",
            "packages": [{"id": 2, "name": f"KobiSMS {self.cfg.sms_balance} Adet",
                          "amount": self.cfg.sms_balance, "country": "TR",
                          "started_at": start.strftime("%Y-%m-%d"),
                          "finished_at": start.replace(year=start.year + 1).strftime("%Y-%m-%d")}],
        })

    async def charges_list(self, request: web.Request) -> web.Response:
        if not self._new_ok(request):
            return family_unauthorized(request.path)
        return self._json([{"id": c["id"], "balance": c["balance"],
                            "created_at": iso_micro(c["created_at"])} for c in self.charges])

    # ------------------------------------------------------------ old API

    def _old_ok(self, request: web.Request) -> bool:
        return request.query.get("api_key") == self.cfg.sms_api_key

    async def old_api(self, request: web.Request) -> web.Response:
        if not self._old_ok(request):
            return family_unauthorized(request.path)
        query = request.query
        action = query.get("action", "")
        if action == "check-balance":
            return _old_json({"balance": self.credits, "user": "Demo Firma",
                              "country": "Turkey"})
        if action != "send-sms":
            return _old_json({"code": "error", "message": "Invalid action"}, status=400)
        for field in ("to", "from", "sms"):
            if not query.get(field, "").strip():
                return _old_json({"code": "error", "message": f"{field} is required"},
                                 status=400)
        parts = parts_old_api(query["sms"], query.get("unicode", "0"))
        if parts > self.credits:
            return _old_json({"code": "error", "message": "Insufficient balance"}, status=400)
        message = self._store(api="old", sender=query["from"], to=query["to"],
                              text=query["sms"], parts=parts)
        return _old_json({"code": "ok", "custom_id": None, "message": "Successfully Send",
                          "receiver": message["receiver"], "balance": self.credits,
                          "cost": parts, "operator": message["operator"],
                          "user": "Demo Firma", "message_id": message["message_id"]})

    async def old_multiple(self, request: web.Request) -> web.Response:
        if not self._old_ok(request):
            return family_unauthorized(request.path)
        try:
            body = await request.json()
        except ValueError:
            return _old_json({"code": "error", "message": "Invalid JSON"}, status=400)
        if not isinstance(body, list):
            return _old_json({"code": "error", "message": "Invalid JSON"}, status=400)
        campaign = "C" + uuidlib.uuid4().hex[:13]
        details, failed = [], 0
        for entry in body:
            if not isinstance(entry, dict) or not entry.get("to") or not entry.get("sms"):
                failed += 1
                continue
            parts = parts_old_api(str(entry["sms"]), str(entry.get("unicode", "0")))
            if parts > self.credits:
                failed += 1
                continue
            message = self._store(api="old", sender=str(entry.get("from") or ""),
                                  to=str(entry["to"]), text=str(entry["sms"]), parts=parts,
                                  send_by="sender")
            message["campaign_id"] = campaign
            details.append({"custom_id": message["custom_id"], "campaign_id": campaign,
                            "operator": "unknown", "receiver": message["receiver"],
                            "message_id": message["custom_id"], "cost": parts})
        return _old_json({"success": len(details), "fail": failed, "successDetail": details})

    async def old_senders(self, request: web.Request) -> web.Response:
        if not self._old_ok(request):
            return family_unauthorized(request.path)
        stamp = local_datetime(self.sim.started_at - 86400 * 200)
        return _old_json([{"id": 196 + i, "sender_id": title, "status": "unblock",
                           "created_at": stamp, "updated_at": stamp}
                          for i, title in enumerate(self.cfg.sms_senders)], html=True)

    async def old_history(self, request: web.Request) -> web.Response:
        if not self._old_ok(request):
            return family_unauthorized(request.path)
        query = request.query
        rows = []
        for message in reversed(self.sim.sms):
            when = local_datetime(message["created"])
            if query.get("date_from") and when < query["date_from"]:
                continue
            if query.get("date_to") and when > query["date_to"]:
                continue
            if query.get("receiver") and normalise(query["receiver"]) != message["to"]:
                continue
            if query.get("sender") and query["sender"] != message["from"]:
                continue
            if query.get("message_id") and query["message_id"] not in (
                    message["message_id"], message["custom_id"]):
                continue
            status = {"DELIVERED": "Success", "FAILED": "Failed"}.get(
                self._status(message)[0], "Pending")
            if query.get("status") and query["status"].lower() != status.lower():
                continue
            rows.append({"id": message["id"], "sender": message["from"], "userid": 5,
                         "custom_id": message["custom_id"], "message_id": message["message_id"],
                         "receiver": message["receiver"], "amount": message["parts"],
                         "status": status, "send_by": message["send_by"], "updated_at": when,
                         "use_gateway": "61", "date": when})
        return _old_json({"draw": 0, "recordsTotal": len(self.sim.sms),
                          "recordsFiltered": len(rows), "data": rows})

    async def old_transactions(self, request: web.Request) -> web.Response:
        if not self._old_ok(request):
            return family_unauthorized(request.path)
        return _old_json([{"id": c["id"], "amount": str(c["balance"]),
                           "transactionDate": local_datetime(c["created_at"])}
                          for c in self.charges], html=True)
