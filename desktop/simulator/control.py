"""The simulator's own control interface (``/_sim/…`` on the HTTP port).

It exposes the Python API of :class:`~desktop.simulator.Simulator` to other
processes (the end-to-end tests drive the real app and the simulator from
outside).  JSON in, JSON out; no authentication (loopback only).

=========================  ================================================================
``POST /_sim/ring``        ``{"extension":"1001","caller":"05321234567","called":…,
                           "queue":…,"answer_after":…,"hangup_after":…,"hold_for":[s,n],
                           "other_extensions":[…],"direction":"inbound",
                           "answered_by":…,"origin":"phone"|"c2c"}`` (all but
                           ``extension`` optional) -> ``{"call_id":…}``
``POST /_sim/answer``      ``{"call_id":…,"extension":…}`` -> ``{"ok":bool}``
``POST /_sim/hangup``      ``{"call_id":…}`` -> ``{"ok":bool}``
``GET /_sim/calls``        the calls in progress: ``[{"call_id","extension","caller",
                           "called","direction","origin","state"}]``
``POST /_sim/emit``        a raw event message (any JSON object) -> ``{"delivered":n}``;
                           ``?dedup=false`` bypasses the de-duplication cache
``POST /_sim/emit-raw``    raw request body bytes to every TCP client -> ``{"delivered":n}``
``GET /_sim/received``     the recorded REST requests (``?clear=1`` empties the list)
``GET /_sim/commands``     the command messages received on the event channels
``GET /_sim/clients``      the connected event-channel clients
``GET /_sim/cdr``          the call records; ``GET /_sim/sms`` the SMS store
``POST /_sim/sms``         ``{"to":…,"text":…,"from":…,"api":"new","age":0,"send_by":"api"}``:
                           a message somebody else sent *age* s ago -> the stored message
``POST /_sim/sms-top-up``  ``{"credits":n}`` -> ``{"balance":n}``
``POST /_sim/fault``       ``{"path":"/central/dial","kind":"500","count":1}``
``POST /_sim/expire-tokens``  every issued JWT/bearer token becomes invalid
``POST /_sim/silent``      ``{"silent":true}`` (half-open mode) / ``false``
``POST /_sim/restart``     stop and restart the TCP/WS listeners on the same ports
``GET /_sim/profile``      the profile in effect and the known names (``profiles.py``)
``POST /_sim/profile``     ``{"profile":"single"}``: switch the profile at once ->
                           the profile's knobs (400 for an unknown name)
``POST /_sim/flood``       ``{"extension":"1001","count":2000,"seconds":2.0,
                           "hangup_after":0.0,"first_caller":"05550000000"}``: *count*
                           calls rung evenly over *seconds*, each hung up unanswered
                           *hangup_after* s after it rang (a flood of missed calls);
                           answers when the last has rung -> ``{"call_ids":[…],
                           "seconds":…}``
``POST /_sim/emit-oversized``  ``{"bytes":2097152}``: a valid JSON event frame that large,
                           made here (no upload), to every TCP client -> ``{"delivered":n}``
=========================  ================================================================

The team board's routes (registrations, agents, callers waiting in a queue)
are documented in ``team.py``.

Errors: 400 ``{"error":…}`` for a malformed request.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any, Final

from aiohttp import web

from .profiles import PROFILES
from .team import team_routes

if TYPE_CHECKING:
    from .simulator import Simulator

#: Most calls one ``/_sim/flood`` request may ring.
FLOOD_MAX_CALLS: Final = 100_000
#: Largest frame ``/_sim/emit-oversized`` makes.
MAX_OVERSIZED = 64 << 20


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(data, ensure_ascii=False, default=str),
                        content_type="application/json")


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json() if request.body_exists else {}
    except ValueError as exc:
        raise web.HTTPBadRequest(text=json.dumps({"error": f"invalid JSON: {exc}"}),
                                 content_type="application/json") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text=json.dumps({"error": "expected a JSON object"}),
                                 content_type="application/json")
    return body


class ControlApi:
    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/_sim/ring", self.ring),
            web.post("/_sim/answer", self.answer),
            web.post("/_sim/hangup", self.hangup),
            web.get("/_sim/calls", self.calls),
            web.post("/_sim/emit", self.emit),
            web.post("/_sim/emit-raw", self.emit_raw),
            web.get("/_sim/received", self.received),
            web.get("/_sim/commands", self.commands),
            web.get("/_sim/clients", self.clients),
            web.get("/_sim/cdr", self.cdr),
            web.get("/_sim/sms", self.sms),
            web.post("/_sim/sms", self.add_sms),
            web.post("/_sim/sms-top-up", self.top_up_sms),
            web.post("/_sim/fault", self.fault),
            web.post("/_sim/expire-tokens", self.expire_tokens),
            web.post("/_sim/silent", self.silent),
            web.post("/_sim/restart", self.restart),
            web.get("/_sim/profile", self.get_profile),
            web.post("/_sim/profile", self.set_profile),
            web.post("/_sim/flood", self.flood),
            *self._line_test_routes(),
            *team_routes(self.sim),  # the team board's (team.py)
        ]

    async def ring(self, request: web.Request) -> web.Response:
        body = await _body(request)
        if not body.get("extension"):
            return _json({"error": "extension is required"}, 400)
        hold = body.get("hold_for")
        try:
            call_id = await self.sim.ring(
                extension=str(body["extension"]), caller=str(body.get("caller") or ""),
                called=body.get("called"), queue=body.get("queue"),
                answer_after=body.get("answer_after"), hangup_after=body.get("hangup_after"),
                hold_for=(float(hold[0]), float(hold[1])) if hold else None,
                other_extensions=tuple(body.get("other_extensions") or ()),
                direction=str(body.get("direction") or "inbound"),
                answered_by=body.get("answered_by"), origin=str(body.get("origin") or "phone"))
        except (TypeError, ValueError) as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"call_id": call_id})

    async def answer(self, request: web.Request) -> web.Response:
        body = await _body(request)
        return _json({"ok": self.sim.answer(str(body.get("call_id")), body.get("extension"))})

    async def hangup(self, request: web.Request) -> web.Response:
        body = await _body(request)
        return _json({"ok": self.sim.hangup(str(body.get("call_id")))})

    async def calls(self, request: web.Request) -> web.Response:
        return _json([{"call_id": c.call_id, "extension": c.extension or
                       (c.ringing[0] if c.ringing else None), "caller": c.caller,
                       "called": c.called, "direction": c.direction, "origin": c.origin,
                       "state": c.state} for c in self.sim.switch.calls.values()])

    async def emit(self, request: web.Request) -> web.Response:
        body = await _body(request)
        dedup = request.query.get("dedup", "true").lower() != "false"
        return _json({"delivered": self.sim.emit(body, dedup=dedup)})

    async def emit_raw(self, request: web.Request) -> web.Response:
        return _json({"delivered": self.sim.emit_raw(await request.read())})

    async def received(self, request: web.Request) -> web.Response:
        data = list(self.sim.received)
        if request.query.get("clear"):
            self.sim.received.clear()
        return _json(data)

    async def commands(self, request: web.Request) -> web.Response:
        return _json(self.sim.commands)

    async def clients(self, request: web.Request) -> web.Response:
        return _json(self.sim.connected_clients())

    async def cdr(self, request: web.Request) -> web.Response:
        return _json(self.sim.cdr)

    async def sms(self, request: web.Request) -> web.Response:
        return _json(self.sim.sms)

    async def add_sms(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            message = self.sim.add_sms(
                str(body["to"]), str(body["text"]), str(body["from"]),
                api=str(body.get("api") or "new"), age=float(body.get("age") or 0.0),
                send_by=str(body.get("send_by") or "api"))
        except (KeyError, TypeError, ValueError) as exc:
            return _json({"error": f"bad message: {exc}"}, 400)
        return _json(message)

    async def top_up_sms(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            balance = self.sim.top_up_sms(int(body["credits"]))
        except (KeyError, TypeError, ValueError) as exc:
            return _json({"error": f"bad credits: {exc}"}, 400)
        return _json({"balance": balance})

    async def fault(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            self.sim.fault(str(body["path"]), str(body["kind"]), int(body.get("count", 1)))
        except (KeyError, ValueError) as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"ok": True})

    async def expire_tokens(self, request: web.Request) -> web.Response:
        self.sim.expire_tokens()
        return _json({"ok": True})

    async def silent(self, request: web.Request) -> web.Response:
        body = await _body(request)
        self.sim.silent = bool(body.get("silent", True))
        return _json({"silent": self.sim.silent})

    async def restart(self, request: web.Request) -> web.Response:
        await self.sim.restart_event_servers()
        return _json({"ports": self.sim.ports})

    async def get_profile(self, request: web.Request) -> web.Response:
        return _json({"profile": self.sim.profile.describe(), "known": list(PROFILES)})

    async def set_profile(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            profile = self.sim.set_profile(str(body.get("profile") or ""))
        except ValueError as exc:
            return _json({"error": str(exc)}, 400)
        return _json({"profile": profile.describe()})

    # -- floods (the soak test) -------------------------------------------------------

    async def flood(self, request: web.Request) -> web.Response:
        """Many unanswered calls, rung at an even pace (see the module table)."""
        body = await _body(request)
        try:
            extension = str(body["extension"])
            count = int(body.get("count", 100))
            seconds = float(body.get("seconds", 1.0))
            hangup_after = float(body.get("hangup_after", 0.0))
            first = int(str(body.get("first_caller", "05550000000")))
        except (KeyError, TypeError, ValueError) as exc:
            return _json({"error": f"bad flood request: {exc}"}, 400)
        if not 0 < count <= FLOOD_MAX_CALLS or seconds < 0 or hangup_after < 0:
            return _json({"error": f"count must be 1..{FLOOD_MAX_CALLS}, times >= 0"}, 400)
        loop = asyncio.get_running_loop()
        started = loop.time()
        ids: list[str] = []
        for index in range(count):
            due = started + seconds * index / count
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            call = self.sim.switch.ring(extension=extension, caller=f"0{first + index}",
                                        hangup_after=hangup_after)
            ids.append(call.call_id)
        return _json({"call_ids": ids, "seconds": loop.time() - started})

    # ------------------------------------------------------------ line tests (issue 11)

    def _line_test_routes(self) -> list[web.RouteDef]:
        return [web.post("/_sim/emit-oversized", self.emit_oversized)]

    async def emit_oversized(self, request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            size = int(body.get("bytes", 2 << 20))
        except (TypeError, ValueError):
            return _json({"error": "bytes must be a number"}, 400)
        if not 0 < size <= MAX_OVERSIZED:
            return _json({"error": f"bytes must be within 1..{MAX_OVERSIZED}"}, 400)
        frame = (json.dumps({"event": "ringing", "callUUID": "oversized", "pad": ""})
                 .encode())
        frame = frame[:-2] + b"x" * max(0, size - len(frame) - 1) + b'"}\n'
        return _json({"delivered": self.sim.emit_raw(frame), "bytes": len(frame)})
