"""What the team and queue board needs from the switch: queues, agents, registrations.

The switch (``pbx.py``) already plays the agent and queue events of its
calls (``member-queue-start``, ``members-count``, ``agent-offering``,
``agent-state-change`` ...) and registrations.  This module decides how
they read where the documentation is silent, plays what only the board
needs (callers waiting in a queue that nobody is offered, colleagues'
registrations, agents' state changes), drives it all from the control
interface, and runs the demo's colleague activity.

**Readings** (:class:`TeamReading`, chosen by the profile's name, see
:data:`READINGS`; the FreeSWITCH reading for every other profile):

``queue_names``
    How ``queue`` reads in ``members-count``, ``agent-offering`` and
    ``agent-status-change``: ``"fusionpbx"`` (``<queue_extension>@<domain
    name>``, how FusionPBX names mod_callcenter queues), ``"name"`` (the
    ``queue_name`` of ``list-user-callcenters``, the first simulator's
    choice) or ``"extension"`` (the queue's number).  ``queueExtension``
    is always the number.
``member_fields``
    ``"documented"``: member events carry their documented key fields only
    (``memberUUID``, ``cidName``, ``cause``), so a client cannot tell which
    queue a caller joined except from the ``members-count`` that follows.
    ``"freeswitch"``: also ``queue`` (mod_callcenter's ``CC-Queue``) and
    ``cidNumber`` (``CC-Member-CID-Number``), ``cancelReason`` on a
    cancelled end (``NONE``: the caller hung up, ``TIMEOUT``,
    ``BREAK_OUT``), and ``memberUUID`` on ``bridge-agent-start`` (which
    caller the agent took).  ``cidName`` is the caller's number either way (no CNAM
    on Turkish trunks).

**Waiting callers** (:meth:`TeamPlay.wait`): a caller joins a queue whose
agents are all busy: ``member-queue-start`` and ``members-count`` (+1); on
the FreeSWITCH legs the caller's trunk leg rings with ``extension`` = the
queue number and is answered at once (music on hold).  They give up after
*wait* seconds (or :meth:`TeamPlay.leave`): ``member-queue-end`` with
``cause`` ``Cancel``, ``members-count`` (-1), the trunk leg hangs up with
``ORIGINATOR_CANCEL``.

Control interface (``/_sim/…``, JSON; see ``control.py`` for the rest):

=========================  ================================================================
``POST /_sim/register``    ``{"extension":"1002","registered":false,"status_text":…}``
                           -> ``{"ok":true}`` (Tekil: the ``ExtensionStatus`` that follows)
``POST /_sim/agent-status``  ``{"extension":"1002","status":"On Break","queue":"60001"}``
``POST /_sim/agent-state``   ``{"extension":"1002","state":"Idle"}``
``POST /_sim/queue-wait``  ``{"queue":"60000","caller":"05321234567","wait":30}`` ->
                           ``{"member":uuid}``; ``wait`` null: until ``queue-leave``
``POST /_sim/queue-leave``  ``{"member":uuid,"cause":"Cancel"}`` -> ``{"ok":bool}``
``GET /_sim/team``         the switch's view: registrations, agent statuses and states,
                           waiting counts and members
=========================  ================================================================
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from aiohttp import web

from .config import Queue, SimulatorConfig

if TYPE_CHECKING:
    from .pbx import Switch
    from .simulator import Simulator

log = logging.getLogger("kobikom.simulator.team")

QueueNames = Literal["fusionpbx", "name", "extension"]
MemberFields = Literal["freeswitch", "documented"]

#: Events whose ``queue`` field names a queue (``queueExtension`` is always the number).
_QUEUE_EVENTS = frozenset({"members-count", "agent-offering", "agent-status-change"})
_MEMBER_EVENTS = frozenset({"member-queue-start", "member-queue-end"})


@dataclass(frozen=True, slots=True)
class TeamReading:
    """How the agent and queue events read (see the module docstring)."""

    queue_names: QueueNames = "fusionpbx"
    member_fields: MemberFields = "freeswitch"


FREESWITCH_READING = TeamReading()
#: The readings by profile name; every other profile reads as FreeSWITCH does.
READINGS: dict[str, TeamReading] = {
    "single": TeamReading("name", "documented"),
    "noisy": TeamReading("extension", "documented"),
}


def reading_for(profile_name: str) -> TeamReading:
    return READINGS.get(profile_name, FREESWITCH_READING)


@dataclass(slots=True)
class Waiter:
    """A caller waiting in a queue nobody is offered (see :meth:`TeamPlay.wait`)."""

    member: str
    queue: Queue
    caller: str
    since: float
    leg: str
    task: asyncio.Task[None] | None = None


class TeamPlay:
    """The board's side of one switch (see the module docstring)."""

    def __init__(self, switch: Switch) -> None:
        self.switch = switch
        self.cfg: SimulatorConfig = switch.cfg
        self.agent_state: dict[str, str] = dict.fromkeys(self.cfg.extensions, "Waiting")
        self.waiters: dict[str, Waiter] = {}

    @property
    def reading(self) -> TeamReading:
        return reading_for(self.cfg.calls.name)

    # -- how the switch's agent events read ------------------------------------------

    def queue_ref(self, queue: Queue) -> str:
        style = self.reading.queue_names
        if style == "fusionpbx":
            return f"{queue.extension}@{self.cfg.domain_name}"
        return queue.name if style == "name" else queue.extension

    def shape(self, event: str, fields: dict[str, Any]) -> dict[str, Any]:
        """The fields of one agent/queue event under the reading (``Switch._agent``)."""
        if event in _QUEUE_EVENTS and fields.get("queue"):
            queue = self.cfg.queue_by(str(fields["queue"]))
            if queue is not None:
                fields = {**fields, "queue": self.queue_ref(queue)}
        if event == "agent-state-change" and fields.get("agent"):
            extension = self._extension_of(str(fields["agent"]))
            if extension:
                self.agent_state[extension] = str(fields.get("state") or "")
        if event == "bridge-agent-start" and self.reading.member_fields == "freeswitch":
            extension = self._extension_of(str(fields.get("agent") or ""))
            for call in self.switch.calls.values():
                if call.member_uuid and call.extension == extension and call.state == "up":
                    fields = {**fields, "memberUUID": call.member_uuid}
                    break
        if event in _MEMBER_EVENTS and self.reading.member_fields == "freeswitch":
            member = str(fields.get("memberUUID") or "")
            queue, number = self._member(member)
            fields = dict(fields)
            cause = fields.pop("cause", None)
            if queue is not None:
                fields["queue"] = self.queue_ref(queue)
            if number:
                fields["cidNumber"] = number
            if cause is not None:
                fields["cause"] = cause
                if cause == "Cancel":
                    fields["cancelReason"] = "NONE"
        return fields

    def _member(self, member: str) -> tuple[Queue | None, str]:
        waiter = self.waiters.get(member)
        if waiter is not None:
            return waiter.queue, waiter.caller
        for call in self.switch.calls.values():
            if call.member_uuid == member:
                return call.queue, call.caller
        return None, ""

    def _extension_of(self, agent: str) -> str | None:
        for extension in self.cfg.extensions:
            if agent in (extension, self.switch.agent_id(extension)):
                return extension
        return None

    # -- what only the board needs ----------------------------------------------------

    def set_agent_state(self, extension: str, state: str) -> None:
        self.switch._agent("agent-state-change", agent=self.switch.agent_id(extension),
                           state=state)

    def wait(self, queue_text: str, caller: str, wait: float | None = None) -> Waiter:
        """A caller joins *queue* and waits (gives up after *wait* s; None: until told)."""
        queue = self.cfg.queue_by(queue_text) if queue_text.strip() else None
        if queue is None:
            raise ValueError("queue is required")
        switch = self.switch
        waiter = Waiter(switch.ids.uuid(), queue, caller, time.time(), switch.ids.uuid())
        self.waiters[waiter.member] = waiter
        switch.waiting[queue.name] = switch.waiting.get(queue.name, 0) + 1
        if switch.wire.legs and not switch.tekil:
            for name in ("ringing", "answered"):
                switch.emit(switch.events.call_event(
                    name, waiter.leg, extension=queue.extension, caller=caller,
                    called=self.cfg.did_number, direction="inbound"))
        switch._agent("member-queue-start", memberUUID=waiter.member, cidName=caller)
        switch._agent("members-count", queue=queue.name, count=switch.waiting[queue.name])
        if wait is not None:
            waiter.task = switch._spawn(self._give_up(waiter, wait),
                                        name=f"sim-queue-wait-{waiter.member[:8]}")
        return waiter

    async def _give_up(self, waiter: Waiter, after: float) -> None:
        await asyncio.sleep(after)
        self.leave(waiter.member)

    def leave(self, member: str, cause: str = "Cancel") -> bool:
        waiter = self.waiters.get(member)
        if waiter is None:
            return False
        switch = self.switch
        name = waiter.queue.name
        switch.waiting[name] = max(0, switch.waiting.get(name, 1) - 1)
        switch._agent("member-queue-end", memberUUID=member, cidName=waiter.caller, cause=cause)
        switch._agent("members-count", queue=name, count=switch.waiting[name])
        del self.waiters[member]
        if switch.wire.legs and not switch.tekil:
            for event in ("hangup", "destroy"):
                switch.emit(switch.events.call_event(
                    event, waiter.leg, hangup_cause="ORIGINATOR_CANCEL"))
        if waiter.task is not None and waiter.task is not asyncio.current_task():
            waiter.task.cancel()
        return True

    def state(self) -> dict[str, Any]:
        switch = self.switch
        return {
            "registered": dict(switch.registered),
            "agent_status": dict(switch.agent_status),
            "agent_state": dict(self.agent_state),
            "waiting": dict(switch.waiting),
            "members": [{"member": w.member, "queue": w.queue.extension, "caller": w.caller,
                         "since": w.since} for w in self.waiters.values()],
            "reading": {"queue_names": self.reading.queue_names,
                        "member_fields": self.reading.member_fields},
        }


# ---------------------------------------------------------------- control interface


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json() if request.body_exists else {}
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text='{"error": "expected a JSON object"}',
                                 content_type="application/json")
    return body


def _known(sim: Simulator, body: dict[str, Any]) -> str:
    extension = str(body.get("extension") or "")
    if extension not in sim.cfg.extensions:
        raise web.HTTPBadRequest(text=f'{{"error": "unknown extension {extension!r}"}}',
                                 content_type="application/json")
    return extension


def team_routes(sim: Simulator) -> list[web.RouteDef]:
    """The ``/_sim/…`` routes of the module docstring."""
    team = sim.switch.team

    async def register(request: web.Request) -> web.Response:
        body = await _body(request)
        sim.switch.register(_known(sim, body), bool(body.get("registered", True)),
                            body.get("status_text"))
        return web.json_response({"ok": True})

    async def agent_status(request: web.Request) -> web.Response:
        body = await _body(request)
        extension = _known(sim, body)
        queue = sim.cfg.queue_by(str(body["queue"])) if body.get("queue") else None
        sim.switch.set_agent_status(extension, str(body.get("status") or "Available"), queue)
        return web.json_response({"ok": True})

    async def agent_state(request: web.Request) -> web.Response:
        body = await _body(request)
        team.set_agent_state(_known(sim, body), str(body.get("state") or "Waiting"))
        return web.json_response({"ok": True})

    async def queue_wait(request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            wait = body.get("wait")
            waiter = team.wait(str(body.get("queue") or ""), str(body.get("caller") or ""),
                               None if wait is None else float(wait))
        except (TypeError, ValueError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"member": waiter.member})

    async def queue_leave(request: web.Request) -> web.Response:
        body = await _body(request)
        return web.json_response({"ok": team.leave(str(body.get("member") or ""),
                                                   str(body.get("cause") or "Cancel"))})

    async def state(request: web.Request) -> web.Response:
        return web.json_response(team.state())

    return [web.post("/_sim/register", register), web.post("/_sim/agent-status", agent_status),
            web.post("/_sim/agent-state", agent_state),
            web.post("/_sim/queue-wait", queue_wait), web.post("/_sim/queue-leave", queue_leave),
            web.get("/_sim/team", state)]


# ---------------------------------------------------------------- the demo's colleagues

#: The demo domain's team: names for a board worth looking at.
DEMO_TEAM: dict[str, str] = {
    "1001": "Ayşe Demir", "1002": "Mehmet Kaya", "1003": "Zeynep Çelik",
    "1004": "Emre Şahin", "1005": "Elif Yıldız", "1006": "Burak Öztürk",
    "1007": "Selin Aydın", "1008": "Can Arslan", "1009": "Derya Koç",
    "1010": "Oğuz Kurt", "1011": "Gülşen Erdoğan", "1012": "İsmail Polat",
}
DEMO_QUEUES = (Queue("60000", "SATIS-KUYRUKQ"), Queue("60001", "DESTEK-KUYRUKQ"),
               Queue("60002", "MUHASEBE-KUYRUKQ"))


def demo_config() -> dict[str, Any]:
    """The :class:`SimulatorConfig` fields of the demo's team."""
    return {"extensions": tuple(DEMO_TEAM), "extension_names": dict(DEMO_TEAM),
            "queues": DEMO_QUEUES}


async def run_team_demo(sim: Simulator, agent: str = "1001",
                        reregister_every: float = 30.0) -> None:
    """The colleagues' day, forever (cancel to stop): phones register again every
    *reregister_every* s (each refresh is an ``extension-registration``, as
    FreeSWITCH reports them), colleagues take and make calls, agents go on
    break, callers wait in queues and some give up."""
    rng = random.Random(sim.cfg.random_seed)
    switch, team = sim.switch, sim.switch.team
    others = [e for e in sim.cfg.extensions if e != agent]
    offline = set(rng.sample(others, k=min(2, len(others))))
    for ext in offline:
        switch.registered[ext] = False
    tasks = [asyncio.create_task(_reregister(sim, rng, reregister_every), name="team-register")]
    try:
        while True:
            await asyncio.sleep(sim.pace * rng.uniform(1.5, 4.0))
            idle = [e for e in others if e not in offline and switch.status_of(e) == "0"
                    and not any(e in (c.extension, *c.ringing) for c in switch.calls.values())]
            roll = rng.random()
            if roll < 0.45 and idle:
                ext = rng.choice(idle)
                if rng.random() < 0.3:
                    switch.ring(extension=ext, called=_customer(sim, rng), direction="outbound",
                                answer_after=rng.uniform(3, 8) * sim.pace,
                                hangup_after=rng.uniform(30, 150) * sim.pace)
                else:
                    switch.ring(extension=ext, caller=_customer(sim, rng),
                                answer_after=rng.uniform(2, 8) * sim.pace,
                                hangup_after=rng.uniform(30, 180) * sim.pace,
                                hold_for=(rng.uniform(5, 20) * sim.pace,
                                          rng.uniform(5, 15) * sim.pace)
                                if rng.random() < 0.3 else None)
            elif roll < 0.7 and sim.cfg.queues and len(team.waiters) < 6:
                queue = rng.choice(sim.cfg.queues)
                team.wait(queue.extension, _customer(sim, rng), rng.uniform(20, 90) * sim.pace)
            elif roll < 0.85 and others:
                ext = rng.choice(others)
                status = "On Break" if switch.agent_status.get(ext) == "Available" else \
                    "Available"
                switch.set_agent_status(ext, status, rng.choice(sim.cfg.queues)
                                        if sim.cfg.queues else None)
            elif others:
                ext = rng.choice(sorted(offline) or others)
                if ext in offline:
                    offline.discard(ext)
                    switch.register(ext, True)
                elif len(offline) < 2:
                    offline.add(ext)
                    switch.register(ext, False)
    finally:
        for task in tasks:
            task.cancel()


async def _reregister(sim: Simulator, rng: random.Random, every: float) -> None:
    while True:
        for ext in sim.cfg.extensions:
            await asyncio.sleep(every / max(1, len(sim.cfg.extensions)) * rng.uniform(0.5, 1.5))
            sim.switch.register(ext, sim.switch.registered.get(ext, True))


def _customer(sim: Simulator, rng: random.Random) -> str:
    from .scenarios import some_caller

    return some_caller(rng, sim)
