"""The simulated switch: calls, extension states, and the events they cause.

A call is a small state machine (ringing -> up <-> held -> ended).  Every
transition broadcasts the flavour's event messages to the event channels;
*which* call events, with which ids, fields and directions, is the
profile's choice and lives in ``legs.py`` (:class:`CallEmitter`).  When the
call ends its record goes into the CDR store, so the REST history agrees
with what the channels showed.

Sequences (Bulut, one id per call; see ``legs.py`` for FreeSWITCH legs;
Tekil sends its call-event variants, or none under ``status-only``, plus
``ExtensionStatus`` instead of the agent/queue events):

* inbound, direct: ``ringing`` (extension) -> after ``answer_after``:
  ``answered`` -> [``hold``/``unhold``] -> ``hangup`` (``NORMAL_CLEARING``)
  -> ``destroy``.  Unanswered: ``hangup`` with ``ORIGINATOR_CANCEL`` (the
  caller gave up after ``hangup_after``) or ``NO_ANSWER`` (``ring_timeout``).
* inbound via a queue: ``member-queue-start``, ``members-count`` (+1), per
  agent ``agent-offering`` and ``agent-state-change`` (``Receiving``), then
  ``ringing`` on every extension (same ``callUUID``).  On answer:
  ``answered`` (the answering extension), ``bridge-agent-start``, the other
  agents ``bridge-agent-fail`` (``LOSE_RACE``) and back to ``Waiting``,
  ``members-count`` (-1).  At the end ``bridge-agent-end`` and
  ``member-queue-end`` (``Terminated``, or ``Cancel`` if abandoned).
* inbound via a queue that rings one agent at a time (profile
  ``queue_strategy="one-at-a-time"``): the agents (*extension* first, then
  *other_extensions*) are offered the call in turn, each for
  ``queue_offer_timeout`` (``agent-offering``; an offer that ends unanswered:
  ``bridge-agent-fail`` ``NO_ANSWER``, back to ``Waiting``), round and round;
  ``answered_by`` answers ``answer_after`` after its own phone starts
  ringing; without an answer the caller gives up after ``hangup_after``
  (from the start).
* outbound, ``origin="c2c"`` (click to call, Tekil ``originate``): the
  agent's own extension rings first (how it presents itself is the
  profile's ``click_to_call``); with legs the agent answers it after
  :data:`C2C_AGENT_PICKUP` of ``answer_after`` and the customer's leg rings;
  ``answered`` once the customer picks up.  ``origin="phone"``: the agent
  dialled on the desk phone.

Timing arguments of :meth:`Switch.ring`: ``answer_after`` counts from the
start of ringing; ``hangup_after`` counts from the answer if the call is
answered, else from the start of ringing (the caller gives up);
``hold_for=(start, seconds)`` counts from the answer.  An answered call
without ``hangup_after`` stays up until :meth:`Switch.end` (or a Tekil
``hangup`` command); an unanswered one without ``hangup_after`` ends after
``ring_timeout``.

Tekil commands (``originate``/``redirect``/``hangup``, ``tekil_commands.py``; see ``sessions.py``
for the reply shape): ``originate`` rings ``internal_num`` as an outbound call
to ``customer_num`` that is answered after ``dial_answer_after`` (2 s) and lasts
``dial_hangup_after`` (15 s); ``redirect``
moves a live (or still ringing) call to ``exten``, which rings and answers
after 1.5 s; ``hangup`` ends the call.  An unknown extension gets
``ExtensionStatus`` ``-1`` ("Dahili Bulunamadı") and an error reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from . import events as ev
from .config import Queue, SimulatorConfig
from .legs import CallEmitter
from .records import make_record
from .sessions import ClientSession, EventHub
from .team import TeamPlay
from .tekil_commands import tekil_command

log = logging.getLogger("kobikom.simulator.pbx")

#: A redirected call is answered this long after it rings the new extension.
REDIRECT_ANSWER_AFTER = 1.5
#: Click to call with legs: the agent picks up their ringing phone after this
#: share of ``answer_after`` (then the customer's leg rings).
C2C_AGENT_PICKUP = 0.4


class IdSource:
    """Call ids, channel names and UUIDs, reproducible from the simulator's seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._seq = rng.randint(40000, 90000)
        self._chan = rng.randint(0x1000, 0x8000)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def unique_id(self, ts: float) -> str:
        self._seq += self.rng.randint(1, 9)
        return f"{int(ts)}.{self._seq}"

    def channel(self, extension: str) -> str:
        self._chan += 1
        return f"SIP/{extension}-{self._chan:08x}"


@dataclass(eq=False)
class Call:
    call_id: str
    uuid: str
    unique_id: str
    kind: str  # direct | queue | outbound | dial
    direction: str
    caller: str
    called: str
    queue: Queue | None
    start: float = field(default_factory=time.time)
    ringing: list[str] = field(default_factory=list)
    legs: dict[str, dict[str, Any]] = field(default_factory=dict)
    extension: str | None = None
    answer: float | None = None
    state: str = "ringing"
    member_uuid: str | None = None
    hangup_after: float | None = None
    #: Outbound calls: "c2c" (the PBX rings the agent first) or "phone".
    origin: str = "phone"
    #: The event-side legs (``legs.py``): key -> id, extension, caller, called, ...
    wire: dict[str, dict[str, Any]] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def ended(self) -> bool:
        return self.state == "ended"


class Switch:
    """Calls and extension states of one simulated tenant."""

    def __init__(self, cfg: SimulatorConfig, hub: EventHub, cdr: list[dict[str, Any]],
                 rng: random.Random) -> None:
        self.cfg = cfg
        self.hub = hub
        self.cdr = cdr
        self.rng = rng
        self.ids = IdSource(rng)
        self.events = ev.EventFactory(cfg.flavor, cfg.domain_uuid, cfg.domain_name,
                                      lambda: cfg.calls)
        self.wire = CallEmitter(cfg, self.events, self.emit, self.ids)
        self.calls: dict[str, Call] = {}
        self.registered = dict.fromkeys(cfg.extensions, True)
        self.agent_status = dict.fromkeys(cfg.extensions, "Available")
        self.waiting: dict[str, int] = {}
        self._ext_status: dict[str, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        #: How the agent/queue events read, and what only the team board needs (team.py).
        self.team = TeamPlay(self)

    # ------------------------------------------------------------ helpers

    def emit(self, msg: dict[str, Any]) -> None:
        self.hub.broadcast(msg, domain=self.cfg.domain_uuid)

    def agent_id(self, extension: str) -> str:
        if self.cfg.agent_id_style == "extension":
            return extension
        return ev.stable_uuid(self.cfg.domain_uuid, "agent", extension)

    @property
    def tekil(self) -> bool:
        return self.cfg.flavor == "tekil"

    def _agent(self, event: str, **fields: Any) -> None:
        if not self.tekil:
            self.emit(self.events.bulut_agent_event(event, **self.team.shape(event, fields)))

    def status_of(self, extension: str) -> str:
        """The Tekil ``ExtensionStatus`` code of *extension* right now."""
        if extension not in self.registered:
            return ev.EXT_NOT_FOUND
        ringing = held = up = False
        for call in self.calls.values():
            if call.ended:
                continue
            if call.extension == extension and call.state == "held":
                held = True
            elif call.extension == extension and call.state in ("up", "agent_up"):
                up = True
            elif extension in call.ringing:
                ringing = True
        if held:
            return ev.EXT_ON_HOLD
        if up:
            return ev.EXT_IN_USE
        if ringing:
            return ev.EXT_RINGING
        return ev.EXT_IDLE if self.registered.get(extension) else ev.EXT_UNAVAILABLE

    def _refresh(self, *extensions: str | None) -> None:
        if not self.tekil:
            return
        for ext in extensions:
            if not ext:
                continue
            status = self.status_of(ext)
            if self._ext_status.get(ext) != status:
                self._ext_status[ext] = status
                self.emit(self.events.extension_status(ext, status))

    def snapshot(self, session: ClientSession) -> list[dict[str, Any]]:
        """What a freshly logged-in Tekil client is told: every extension's status."""
        if not self.tekil:
            return []
        return [self.events.extension_status(ext, self.status_of(ext))
                for ext in self.cfg.extensions]

    def _spawn(self, coro: Any, name: str) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("simulated call script failed", exc_info=task.exception())

    # ------------------------------------------------------------ calls

    def ring(self, *, extension: str, caller: str = "", called: str | None = None,
             queue: str | None = None, answer_after: float | None = None,
             hangup_after: float | None = None,
             hold_for: tuple[float, float] | None = None,
             other_extensions: tuple[str, ...] | list[str] = (), direction: str = "inbound",
             kind: str | None = None, answered_by: str | None = None,
             deferred: bool = False, origin: str = "phone") -> Call:
        """Start a call; the rest of its life is scheduled (see module docstring).

        With *deferred* the first events go out on the next loop iteration
        (so that a command's reply can precede them).
        """
        now = time.time()
        queue_obj = self.cfg.queue_by(queue)
        if direction == "outbound":
            customer = called or caller
            kind = kind or "outbound"
            called = customer
            caller = extension
        else:
            called = called or self.cfg.did_number
            kind = kind or ("queue" if queue_obj else "direct")
        uid = self.ids.uuid()
        unique_id = self.ids.unique_id(now)
        call = Call(call_id=unique_id if self.tekil else uid, uuid=uid, unique_id=unique_id,
                    kind=kind, direction=direction, caller=caller, called=called or "",
                    queue=queue_obj, start=now, hangup_after=hangup_after,
                    origin=origin if direction == "outbound" else "phone")
        if direction == "outbound":
            call.extension = extension
        self.calls[call.call_id] = call
        extensions = [extension, *[e for e in other_extensions if e != extension]]
        begin = (call, extensions, answer_after, hangup_after, hold_for, answered_by or extension)
        if deferred:
            asyncio.get_running_loop().call_soon(self._begin, *begin)
        else:
            self._begin(*begin)
        return call

    def _begin(self, call: Call, extensions: list[str], answer_after: float | None,
               hangup_after: float | None, hold_for: tuple[float, float] | None,
               answerer: str) -> None:
        if call.ended:
            return
        now = call.start
        queue_obj = call.queue
        one_at_a_time = self._one_at_a_time(call)
        offered = extensions[:1] if one_at_a_time else extensions
        if queue_obj is not None:
            call.member_uuid = self.ids.uuid()
            self.waiting[queue_obj.name] = self.waiting.get(queue_obj.name, 0) + 1
            self._agent("member-queue-start", memberUUID=call.member_uuid, cidName=call.caller)
            self._agent("members-count", queue=queue_obj.name,
                        count=self.waiting[queue_obj.name])
            for ext in offered:
                self._offer_events(queue_obj, ext)
        for ext in offered:
            self._start_leg(call, ext, now)
        self.wire.begin(call, offered)
        self._refresh(*offered)
        if one_at_a_time:
            script = self._one_by_one(call, extensions, answer_after, hangup_after, hold_for,
                                      answerer)
        else:
            script = self._script(call, answer_after, hangup_after, hold_for, answerer)
        call.task = self._spawn(script, name=f"sim-call-{call.call_id}")

    def _one_at_a_time(self, call: Call) -> bool:
        return call.queue is not None and call.direction == "inbound" \
            and self.cfg.calls.queue_strategy == "one-at-a-time"

    def _offer_events(self, queue: Queue, ext: str) -> None:
        self._agent("agent-offering", agent=self.agent_id(ext), queue=queue.name)
        self._agent("agent-state-change", agent=self.agent_id(ext), state="Receiving")

    async def _one_by_one(self, call: Call, order: list[str], answer_after: float | None,
                          hangup_after: float | None, hold_for: tuple[float, float] | None,
                          answerer: str) -> None:
        """A queue offering the caller to one agent at a time (see the module docstring)."""
        loop = asyncio.get_running_loop()
        slot = max(0.05, self.cfg.queue_offer_timeout)
        if answer_after is not None and answerer not in order:
            answerer = order[0]
        give_up = loop.time() + (hangup_after if hangup_after is not None
                                 else self.cfg.ring_timeout)
        turn = 0
        while not call.ended:
            ext = order[turn % len(order)]
            if turn:
                self._offer(call, ext)
            if answer_after is not None and ext == answerer:
                await asyncio.sleep(answer_after)
                if self.answer(call, ext):
                    await self._talk(call, hangup_after, hold_for)
                return
            if answer_after is None and give_up - loop.time() <= slot:
                await asyncio.sleep(max(0.0, give_up - loop.time()))
                self.end(call, "ORIGINATOR_CANCEL" if hangup_after is not None
                         else "NO_ANSWER")
                return
            await asyncio.sleep(slot)
            self._offer_ended(call, ext)
            turn += 1

    def _offer(self, call: Call, ext: str) -> None:
        """One at a time: the queue offers the caller to *ext* now."""
        if call.ended:
            return
        if call.queue is not None:
            self._offer_events(call.queue, ext)
        if ext in call.legs:  # offered before: a fresh leg
            call.legs[f"{ext}#{len(call.legs)}"] = call.legs.pop(ext)
        self._start_leg(call, ext, time.time())
        self.wire.ring_phone(call, ext)
        self._refresh(ext)

    def _offer_ended(self, call: Call, ext: str, cause: str = "NO_ANSWER") -> None:
        """One at a time: the offer to *ext* ended unanswered; the queue goes on."""
        if call.ended or ext not in call.ringing:
            return
        call.ringing.remove(ext)
        call.legs[ext]["end"] = time.time()
        self.wire.offer_ended(call, ext, cause)
        self._agent("bridge-agent-fail", agent=self.agent_id(ext), failCause=cause)
        self._agent("agent-state-change", agent=self.agent_id(ext), state="Waiting")
        self._refresh(ext)

    def _start_leg(self, call: Call, ext: str, now: float) -> None:
        call.ringing.append(ext)
        call.legs[ext] = {"extension": ext, "start": now, "answer": None, "end": None,
                          "disposition": "NO ANSWER", "channel": self.ids.channel(ext)}

    async def _script(self, call: Call, answer_after: float | None,
                      hangup_after: float | None, hold_for: tuple[float, float] | None,
                      answerer: str) -> None:
        if answer_after is None:
            if hangup_after is not None:
                await asyncio.sleep(hangup_after)
                self.end(call, "ORIGINATOR_CANCEL")
            else:
                await asyncio.sleep(self.cfg.ring_timeout)
                self.end(call, "NO_ANSWER")
            return
        if call.origin == "c2c" and self.wire.legs:
            pickup = answer_after * C2C_AGENT_PICKUP
            await asyncio.sleep(pickup)
            self.agent_picked_up(call)
            await asyncio.sleep(answer_after - pickup)
        else:
            await asyncio.sleep(answer_after)
        self.answer(call, answerer)
        await self._talk(call, hangup_after, hold_for)

    async def _talk(self, call: Call, hangup_after: float | None,
                    hold_for: tuple[float, float] | None) -> None:
        plan: list[tuple[float, str]] = []
        if hold_for is not None:
            plan += [(hold_for[0], "hold"), (hold_for[0] + hold_for[1], "unhold")]
        if hangup_after is not None:
            plan.append((hangup_after, "end"))
        plan.sort(key=lambda item: item[0])
        elapsed = 0.0
        for at, action in plan:
            await asyncio.sleep(max(0.0, at - elapsed))
            elapsed = max(elapsed, at)
            if call.ended:
                return
            if action == "hold":
                self.hold(call)
            elif action == "unhold":
                self.unhold(call)
            else:
                self.end(call, "NORMAL_CLEARING")
                return

    def agent_picked_up(self, call: Call) -> None:
        """Click to call with legs: the agent's phone answered; the customer's leg rings."""
        if call.ended or call.state != "ringing":
            return
        call.state = "agent_up"
        self.wire.agent_picked_up(call)
        self._refresh(call.extension)

    def answer(self, call: Call, extension: str | None = None) -> bool:
        if call.ended or call.state not in ("ringing", "agent_up"):
            return False
        if not call.ringing:  # click to call: the agent's phone is already up
            call.ringing = [call.extension or ""]
        extension = extension if extension in call.ringing else call.ringing[0]
        now = time.time()
        call.answer = call.answer or now
        call.state = "up"
        call.extension = extension
        others = [e for e in call.ringing if e != extension]
        call.ringing = []
        leg = call.legs[extension]
        leg["answer"] = now
        leg["disposition"] = "ANSWERED"
        for ext in others:
            call.legs[ext]["end"] = now
        self.wire.answer(call, extension, others)
        if call.queue is not None:
            leg["agent_uuid"] = self.ids.uuid()
            self._agent("bridge-agent-start", agent=self.agent_id(extension),
                        agentUUID=leg["agent_uuid"])
            self._agent("agent-state-change", agent=self.agent_id(extension),
                        state="In a queue call")
            for ext in others:
                self._agent("bridge-agent-fail", agent=self.agent_id(ext), failCause="LOSE_RACE")
                self._agent("agent-state-change", agent=self.agent_id(ext), state="Waiting")
            self.waiting[call.queue.name] = max(0, self.waiting.get(call.queue.name, 1) - 1)
            self._agent("members-count", queue=call.queue.name,
                        count=self.waiting[call.queue.name])
        self._refresh(extension, *others)
        return True

    def hold(self, call: Call) -> bool:
        if call.state != "up":
            return False
        call.state = "held"
        self.wire.hold(call, True)
        self._refresh(call.extension)
        return True

    def unhold(self, call: Call) -> bool:
        if call.state != "held":
            return False
        call.state = "up"
        self.wire.hold(call, False)
        self._refresh(call.extension)
        return True

    def end(self, call: Call, cause: str = "NORMAL_CLEARING") -> bool:
        if call.ended:
            return False
        was_answered = call.answer is not None
        was_ringing = list(call.ringing)
        now = time.time()
        call.state = "ended"
        call.ringing = []
        for leg in call.legs.values():
            if leg["end"] is None:
                leg["end"] = now
        self.wire.end(call, cause, answered=was_answered)
        if call.queue is not None:
            if was_answered and call.extension:
                leg = call.legs.get(call.extension, {})
                self._agent("bridge-agent-end", agent=self.agent_id(call.extension),
                            agentUUID=leg.get("agent_uuid") or self.ids.uuid())
                self._agent("agent-state-change", agent=self.agent_id(call.extension),
                            state="Waiting")
            else:
                for ext in was_ringing:
                    self._agent("bridge-agent-fail", agent=self.agent_id(ext),
                                failCause=cause)
                    self._agent("agent-state-change", agent=self.agent_id(ext), state="Waiting")
                self.waiting[call.queue.name] = max(0, self.waiting.get(call.queue.name, 1) - 1)
                self._agent("members-count", queue=call.queue.name,
                            count=self.waiting[call.queue.name])
            self._agent("member-queue-end", memberUUID=call.member_uuid, cidName=call.caller,
                        cause="Terminated" if was_answered else "Cancel")
        self._refresh(*{leg["extension"] for leg in call.legs.values()})
        self.cdr.append(self._record(call, cause, now))
        call.done.set()
        if call.task is not None and call.task is not asyncio.current_task():
            call.task.cancel()
        self.calls.pop(call.call_id, None)
        return True

    def _record(self, call: Call, cause: str, now: float) -> dict[str, Any]:
        legs = [{k: leg[k] for k in ("extension", "start", "answer", "end", "disposition",
                                     "channel")} for leg in call.legs.values()]
        disposition = "ANSWERED" if call.answer is not None else (
            "BUSY" if cause == "USER_BUSY" else "NO ANSWER")
        extension = call.extension or (legs[0]["extension"] if legs else None)
        record = make_record(
            call_id=call.call_id, uuid=call.uuid, unique_id=call.unique_id, kind=call.kind,
            direction=call.direction, caller=call.caller, called=call.called,
            start=call.start, end=now, answer=call.answer, extension=extension,
            queue=call.queue.extension if call.queue else None, legs=legs,
            hangup_cause=cause, disposition=disposition)
        # Not rendered by any endpoint: tests map a call to the ids its legs had.
        record["leg_ids"] = [leg["id"] for leg in call.wire.values()]
        return record

    def redirect(self, call: Call, extension: str) -> bool:
        if call.ended or extension == call.extension:
            return False
        now = time.time()
        old = [call.extension] if call.state in ("up", "held") else list(call.ringing)
        for ext in old:
            if ext and ext in call.legs and call.legs[ext]["end"] is None:
                call.legs[ext]["end"] = now
        call.ringing = []
        call.state = "ringing"
        previous = call.extension
        call.extension = None if call.direction != "outbound" else extension
        if call.task is not None and call.task is not asyncio.current_task():
            call.task.cancel()
        self._refresh(*old, previous)
        if extension in call.legs:  # ringing the same extension again: a fresh leg
            call.legs[f"{extension}#{len(call.legs)}"] = call.legs.pop(extension)
        self.wire.moved(call, [e for e in old if e])
        self._start_leg(call, extension, now)
        self.wire.ring_phone(call, extension)
        self._refresh(extension)
        call.task = self._spawn(self._after_redirect(call, extension),
                                name=f"sim-call-{call.call_id}-redirect")
        return True

    async def _after_redirect(self, call: Call, extension: str) -> None:
        await asyncio.sleep(REDIRECT_ANSWER_AFTER)
        call.state = "ringing"
        self.answer(call, extension)
        await self._talk(call, call.hangup_after, None)

    async def wait_ended(self, call_id: str) -> None:
        call = self.calls.get(call_id)
        if call is not None:
            await call.done.wait()

    # ------------------------------------------------------------ extensions / agents

    def register(self, extension: str, registered: bool, status_text: str | None = None) -> None:
        self.registered[extension] = registered
        if self.tekil:
            self._refresh(extension)
        else:
            self.emit(self.events.extension_registration(extension, registered, status_text))

    def set_agent_status(self, extension: str, status: str,
                         queue: Queue | None = None) -> None:
        self.agent_status[extension] = status
        queue = queue or self.cfg.queues[0]
        self._agent("agent-status-change", agent=self.agent_id(extension),
                    agentName=extension, status=status, queue=queue.name,
                    queueExtension=queue.extension)

    # ------------------------------------------------------------ Tekil commands

    async def command(self, session: ClientSession, msg: dict[str, Any]) -> dict[str, Any]:
        """A Tekil WebSocket command (``originate``/``redirect``/``hangup``): its reply."""
        return await tekil_command(self, msg)

    # ------------------------------------------------------------ lifecycle

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
