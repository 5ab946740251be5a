"""Queue calls that ring one agent at a time: the verdict waits for the call's fate.

mod_callcenter's default strategy (``longest-idle-agent``; also
``round-robin``, ``top-down``, ``agent-with-least-talk-time``, ...) offers a
waiting caller to ONE agent at a time.  Our leg ends ``NO_ANSWER`` (or
``ORIGINATOR_CANCEL``, ``NO_USER_RESPONSE``, the agent rejecting it ...),
and *then* a colleague answers, or the queue comes back to us, or the caller
gives up.  Counting our leg's end as a missed call would show a missed call
for a call a colleague took.

So when our unanswered leg of a *queue call* ends, the call is
``PASSED_ON``: it no longer rings on our phone (its popup closes at once)
but it is not ended; the verdict waits for the customer call's fate:

* **answered elsewhere**: a colleague's leg of that customer is answered
  (``answered`` naming another extension; with one id for the whole call,
  that id; with leg hints, a leg naming ours), ``bridge-agent-start`` for
  another agent (matched by its member/caller fields; without them only
  when exactly one caller is known to wait), the caller's (trunk) leg
  answered after ours ended (a ring group), or ``member-queue-end`` with
  cause ``Terminated`` (the caller was served);
* **missed**: the caller's (trunk) leg hangs up, ``member-queue-end`` with
  any other cause (``Cancel``: abandoned, timed out, broke out), or with
  one id for the whole call, that id hangs up;
* **rings us again** (the queue came round to us): the call rings again,
  its popup may show again; the agent may answer it after all;
* **nothing**: after :data:`QUEUE_VERDICT_TIMEOUT` seconds without a sign of
  the call (a colleague's ring of it extends the wait) it is missed.

The ended call's ``ended_at`` is when our phone stopped ringing
(``passed_at``).  One customer call: one ``STARTED``, one ``ENDED``, one
journal row with the final outcome, at most one missed call.

A call is a *queue call* when an event named its queue (``queue``,
``cc_queue``, ...), when ``member-queue-start`` named its caller
(``cidNumber``, or a ``cidName`` that is a number) and the caller has not
left, or when the caller's own leg went to a number known to be a queue
(``queueExtension`` of agent events, or any event's queue).  The verdict
is held only when something will tell the call's fate: the caller's leg is
known and still up (FreeSWITCH legs), or the caller is a known queue
member (Bulut agent events).  Otherwise, e.g. one id for the whole call on
Tekil, our leg's hangup *is* the call's end.  Legs of other extensions are
remembered (bounded, :data:`MAX_FOREIGN_LEGS`) by their customer number, to
recognise the caller's leg and colleagues' legs of our calls.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final

from desktop.core.calls.core import party_key
from desktop.core.calls.model import (
    CallChange,
    CallOutcome,
    CallState,
    Change,
    _Track,
    bare_extension,
)
from desktop.core.calls.status import _StatusCalls
from desktop.core.numbers import NumberKind, PhoneNumber
from desktop.pbx.events import (
    AgentStatusChangeEvent,
    AnsweredEvent,
    BridgeAgentStartEvent,
    CallEvent,
    DestroyEvent,
    HangupEvent,
    MemberQueueEndEvent,
    MemberQueueStartEvent,
    RingingEvent,
)

#: How long a passed-on queue call waits for a sign of its fate before it is
#: counted missed (s).  mod_callcenter keeps a caller as long as the queue's
#: ``max-wait-time`` allows (unlimited by default) and offers it to each agent
#: for the agent's ``call-timeout`` (FusionPBX: 10-30 s); a colleague's ring
#: of the call extends the wait.  Normally the caller's leg, the colleague's
#: answer or ``member-queue-end`` settles it within a second; this only bounds
#: the case where no such sign ever comes (it equals the tracker's ring
#: timeout: as long as a ring may go without any event).
QUEUE_VERDICT_TIMEOUT: Final = 300.0
#: Hangup causes of our unanswered queue leg that mean "the offer to this
#: phone ended" (the queue goes on); None: a hangup or destroy without a cause.
PASS_ON_CAUSES: Final = frozenset({
    "NO_ANSWER", "ORIGINATOR_CANCEL", "NO_USER_RESPONSE", "USER_BUSY", "CALL_REJECTED",
    "ALLOTTED_TIMEOUT", "RECOVERY_ON_TIMER_EXPIRE", None})
#: Legs of other extensions remembered (their customer number and side).
MAX_FOREIGN_LEGS: Final = 4096
#: Queue members (callers waiting) remembered.
MAX_QUEUE_MEMBERS: Final = 1024
#: A queue member whose ``member-queue-end`` never came is forgotten after this
#: long (s): their later calls are not taken for queue calls because of it.
MEMBER_MAX_AGE: Final = 3 * 3600.0
#: Queue numbers remembered.
MAX_QUEUE_NUMBERS: Final = 256
#: ``member-queue-end`` causes that mean the caller was served.
SERVED_CAUSES: Final = frozenset({"terminated", "answered", "bridged"})


class _Foreign:
    """A leg of another extension (or of the caller) with one of our customers."""

    __slots__ = ("answered", "called", "caller_side", "extension", "key")

    def __init__(self, key: str, caller_side: bool, extension: str,
                 called: PhoneNumber) -> None:
        self.key = key
        #: The caller's own leg (FreeSWITCH's trunk leg), not a phone's.
        self.caller_side = caller_side
        self.extension = extension
        self.called = called
        self.answered = False


class _QueueCalls(_StatusCalls):
    """The queue verdict rules (see the module docstring)."""

    queue_verdict_timeout: float = QUEUE_VERDICT_TIMEOUT

    def _setup(self) -> None:
        super()._setup()
        #: leg id -> what we know of another extension's (or the caller's) leg
        self._foreign: OrderedDict[str, _Foreign] = OrderedDict()
        #: customer key -> the id of their own (trunk) leg, while it is up
        self._caller_legs: dict[str, str] = {}
        #: member UUID -> (customer key, joined at), and customer key -> members waiting
        self._members: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._queued: dict[str, int] = {}
        self._queue_numbers: set[str] = set()
        #: passed-on calls: by call id, by any of their ids, by customer key
        self._held: dict[str, _Track] = {}
        self._held_ids: dict[str, _Track] = {}
        self._held_keys: dict[str, _Track] = {}

    @property
    def passed_on_count(self) -> int:
        """Queue calls passed on and waiting for their verdict (diagnostics, tests)."""
        return len(self._held)

    # ------------------------------------------------------------ passing on

    def _is_queue_call(self, tr: _Track) -> bool:
        if tr.queue:
            return True
        key = tr.customer_key
        if not key:
            return False
        if self._members:
            self._forget_members(tr.last_at)
        if key in self._queued:
            return True
        leg = self._caller_legs.get(key)
        rec = self._foreign.get(leg) if leg is not None else None
        return rec is not None and rec.extension in self._queue_numbers

    def _fate_known_later(self, tr: _Track) -> bool:
        """Will something tell this call's fate (the caller's leg, queue events)?"""
        key = tr.customer_key
        return bool(tr.links) or (bool(key) and (key in self._caller_legs
                                                 or key in self._queued))

    def _pass_on(self, tr: _Track, cause: str | None, t: float, out: list[Change]) -> bool:
        """Our last ringing leg of *tr* ended unanswered: hold the verdict?  (True: held.)"""
        if tr.shared_id or tr.own_dial or cause not in PASS_ON_CAUSES \
                or not self._is_queue_call(tr) or not self._fate_known_later(tr):
            return False
        tr.state = CallState.PASSED_ON
        tr.passed_at = t
        tr.hangup_cause = cause
        tr.verdict_due = t + self.queue_verdict_timeout
        self._held[tr.call_id] = tr
        for leg in (*tr.seen_legs, *tr.links):
            self._held_ids[leg] = tr
        if tr.customer_key:
            self._held_keys[tr.customer_key] = tr
        out.append((tr.snapshot(), CallChange.PASSED_ON))
        return True

    def _unpass(self, tr: _Track) -> None:
        """A held call rings (or is answered) on our phone again."""
        self._drop_held(tr)
        tr.state = CallState.RINGING
        tr.passed_at = None
        tr.hangup_cause = None

    def _drop_held(self, tr: _Track) -> None:
        if self._held.pop(tr.call_id, None) is None:
            return
        for index in (self._held_ids, self._held_keys):
            for key in [k for k, v in index.items() if v is tr]:
                del index[key]

    def _verdict(self, tr: _Track, outcome: CallOutcome, out: list[Change], *,
                 answered_by: str | None = None, cause: str | None = None) -> None:
        self._drop_held(tr)
        if answered_by is not None:
            tr.answered_by = answered_by
        end = tr.passed_at if tr.passed_at is not None else tr.last_at
        self._end(tr, end, out, outcome, cause or tr.hangup_cause)

    def _forget_held(self, tr: _Track) -> None:
        if self._held:
            self._drop_held(tr)

    def _held_for(self, key: str) -> _Track | None:
        return self._held_keys.get(key) if key else None

    # ------------------------------------------------------------ other legs

    def _from_caller_leg(self, tr: _Track) -> None:
        """A new call of ours learns the DID (and queue) from its caller's own leg."""
        leg = self._caller_legs.get(tr.customer_key)
        rec = self._foreign.get(leg) if leg is not None else None
        if rec is None:
            return
        if rec.called.raw and (not tr.called.raw or tr.called.key in self._extensions):
            tr.called = rec.called
        if tr.queue is None and rec.extension in self._queue_numbers:
            tr.queue = rec.extension

    def _foreign_leg(self, ev: RingingEvent | AnsweredEvent | HangupEvent,
                     t: float) -> tuple[_Foreign | None, _Track | None]:
        """Remember (or update) a leg that is not ours: (its record, a held call of it)."""
        leg = ev.call_id
        rec = self._foreign.get(leg)
        if rec is None:
            caller, called = self._pair(ev)
            if caller.kind is not NumberKind.EXTERNAL:
                return None, None  # not a customer's call (a colleague's internal call...)
            key = party_key(caller)
            ext = bare_extension(ev.extension or "")
            queue = ev.queue
            if queue:
                self._note_queue(queue)
            caller_side = (bool(called.raw) and called.kind is not NumberKind.INTERNAL) \
                or (bool(ext) and ext in self._queue_numbers)
            rec = _Foreign(key, caller_side, ext, called)
            foreign = self._foreign
            foreign[leg] = rec
            if len(foreign) > MAX_FOREIGN_LEGS:
                old_leg, old = foreign.popitem(last=False)
                if self._caller_legs.get(old.key) == old_leg:
                    del self._caller_legs[old.key]
            if caller_side and type(ev) is not HangupEvent:
                self._caller_legs[key] = leg
        tr = self._held_keys.get(rec.key) if self._held_keys else None
        if tr is not None:
            tr.verdict_due = max(tr.verdict_due, t + self.queue_verdict_timeout)
        return rec, tr

    def _foreign_ringing(self, ev: RingingEvent, t: float) -> None:
        tr = self._by_leg.get(ev.call_id)
        if tr is not None:
            tr.shared_id = True  # one id for the whole call: a colleague's phone rings it
            return
        tr = self._held_ids.get(ev.call_id) if self._held_ids else None
        if tr is not None:
            tr.shared_id = True
            tr.verdict_due = max(tr.verdict_due, t + self.queue_verdict_timeout)
            return
        self._foreign_leg(ev, t)

    def _foreign_answered(self, ev: AnsweredEvent, t: float, out: list[Change]) -> bool:
        """A leg of another extension (or the caller's) answered; True if it settled a call."""
        rec, tr = self._foreign_leg(ev, t)
        if rec is None:
            return False
        was_answered, rec.answered = rec.answered, True
        if tr is None:
            return False
        if rec.caller_side:
            if was_answered:
                return False  # the queue answered the caller long ago (music on hold)
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE, out)
        else:
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE, out,
                          answered_by=rec.extension or None)
        return True

    def _foreign_hangup(self, ev: HangupEvent | DestroyEvent, t: float,
                        out: list[Change]) -> bool:
        """A leg we do not track hung up; True if it settled a held call."""
        leg = ev.call_id
        rec = self._foreign.pop(leg, None)
        if rec is None:
            if type(ev) is not HangupEvent or not self._held_keys or not ev.caller:
                return False
            rec, _ = self._foreign_leg(ev, t)  # a hangup with the leg's fields
            self._foreign.pop(leg, None)
            if rec is None:
                return False
        elif self._caller_legs.get(rec.key) == leg:
            del self._caller_legs[rec.key]
        tr = self._held_for(rec.key)
        if tr is None:
            return False
        if rec.caller_side:
            self._verdict(tr, CallOutcome.MISSED, out,
                          cause=ev.hangup_cause if type(ev) is HangupEvent else None)
            return True
        if rec.answered:  # a colleague talked to our customer (its answer was lost)
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE, out,
                          answered_by=rec.extension or None)
            return True
        return False  # a colleague's phone stopped ringing: the queue goes on

    def _held_id_event(self, tr: _Track, ev: CallEvent, ext: str | None, t: float,
                       out: list[Change]) -> bool:
        """An event for an id of a held call (one id for the whole call, or a hint).

        True when handled here; False: a ring or answer on our phone (the caller
        handles it as a new leg of the call)."""
        if type(ev) is HangupEvent or type(ev) is DestroyEvent:
            cause = ev.hangup_cause if type(ev) is HangupEvent else None
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE if cause == "LOSE_RACE"
                          or cause == "PICKED_OFF" else CallOutcome.MISSED, out, cause=cause)
            return True
        if ext is not None:
            return False
        tr.shared_id = True
        if type(ev) is AnsweredEvent and ev.extension:
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE, out,
                          answered_by=bare_extension(ev.extension))
        else:
            tr.verdict_due = max(tr.verdict_due, t + self.queue_verdict_timeout)
        return True

    # ------------------------------------------------------------ queue events

    def _note_queue(self, queue: str) -> None:
        numbers = self._queue_numbers
        if queue not in numbers and len(numbers) < MAX_QUEUE_NUMBERS:
            numbers.add(bare_extension(queue))

    def _member_key(self, number: str | None, name: str | None) -> str:
        for value in (number, name):
            if value:
                parsed = self._number(value)
                if parsed.kind is NumberKind.EXTERNAL:
                    return parsed.key
        return ""

    def _agent_status(self, ev: AgentStatusChangeEvent, t: float, out: list[Change]) -> None:
        self._ignored += 1
        if ev.queue_extension:
            self._note_queue(ev.queue_extension)

    def _member_start(self, ev: MemberQueueStartEvent, t: float, out: list[Change]) -> None:
        self._ignored += 1
        if ev.queue:
            self._note_queue(ev.queue)
        key = self._member_key(ev.cid_number, ev.cid_name)
        if not key or ev.member_uuid in self._members:
            return
        members = self._members
        members[ev.member_uuid] = (key, t)
        self._queued[key] = self._queued.get(key, 0) + 1
        if len(members) > MAX_QUEUE_MEMBERS:
            _, (old, _) = members.popitem(last=False)
            self._member_left(old)
        self._forget_members(t)

    def _forget_members(self, t: float) -> None:
        """Members whose end never came (a lost event) are forgotten after a while."""
        members = self._members
        while members:
            uuid, (key, joined) = next(iter(members.items()))
            if t - joined < MEMBER_MAX_AGE:
                return
            del members[uuid]
            self._member_left(key)

    def _member_left(self, key: str) -> None:
        left = self._queued.get(key, 0) - 1
        if left > 0:
            self._queued[key] = left
        else:
            self._queued.pop(key, None)

    def _member_end(self, ev: MemberQueueEndEvent, t: float, out: list[Change]) -> None:
        self._ignored += 1
        member = self._members.pop(ev.member_uuid, None)
        if member is not None:
            key = member[0]
            self._member_left(key)
        else:
            key = self._member_key(ev.cid_number, ev.cid_name)
        tr = self._held_for(key)
        if tr is None:
            return
        cause = (ev.cause or "").strip().lower()
        outcome = CallOutcome.ANSWERED_ELSEWHERE if cause in SERVED_CAUSES \
            else CallOutcome.MISSED
        self._verdict(tr, outcome, out)

    def _bridge_start(self, ev: BridgeAgentStartEvent, t: float, out: list[Change]) -> None:
        self._ignored += 1
        if not self._held or self._own(ev.agent) is not None:
            return
        member = self._members.get(ev.member_uuid) if ev.member_uuid else None
        key = member[0] if member is not None else ""
        if not key and ev.caller:
            key = self._member_key(ev.caller, None)
        if key:
            tr = self._held_for(key)
        elif len(self._held) == 1 and len(self._queued) <= 1:
            # Which caller was bridged is not said: only when ours is the one
            # caller known to wait can it be ours.
            tr = next(iter(self._held.values()))
        else:
            tr = None
        if tr is not None:
            agent = bare_extension(ev.agent)
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE, out,
                          answered_by=agent if agent.isdigit() else None)

    # ------------------------------------------------------------ timers

    def _tick_queues(self, t: float, out: list[Change]) -> None:
        if self._held:
            for tr in [tr for tr in self._held.values() if t >= tr.verdict_due]:
                self._verdict(tr, CallOutcome.MISSED, out)
