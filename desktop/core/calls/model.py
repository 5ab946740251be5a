"""What the tracker publishes: calls as the agent sees them, and its counters.

:class:`Call` is an immutable snapshot of one *customer call* (however many
legs the PBX used for it); :class:`CallChange` says what a notification is
about.  ``_Track`` is the tracker's private, mutable record behind a call.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.numbers import PhoneNumber
from desktop.pbx.events import Direction


class CallState(enum.Enum):
    """Where a call is now."""

    RINGING = "ringing"
    ANSWERED = "answered"
    ON_HOLD = "on_hold"
    #: A queue call stopped ringing on our phone unanswered and the queue
    #: offers it to a colleague (mod_callcenter rings one agent at a time):
    #: no longer ringing here, the verdict (missed or answered elsewhere)
    #: waits for the customer call's fate (see ``queues.py``).
    PASSED_ON = "passed_on"
    ENDED = "ended"


class CallOutcome(enum.Enum):
    """How an ended call ended, from the agent's point of view."""

    ANSWERED = "answered"  # we answered it
    MISSED = "missed"  # rang on our extension, nobody answered (inbound)
    ANSWERED_ELSEWHERE = "answered_elsewhere"  # a queue colleague took it
    NOT_ANSWERED = "not_answered"  # our outbound call was not answered
    UNKNOWN = "unknown"  # expired or reset without a verdict


class CallChange(enum.Enum):
    """What a notification is about.

    Each call gets exactly one ``STARTED`` first and one ``ENDED`` last.
    ``STARTED`` may carry a call that is already answered (events out of
    order).  When a synthetic Tekil call is merged into the real one, the
    call's id changes: the real id's first notification is ``UPDATED`` with
    ``Call.replaces`` naming the synthetic id, which gets no ``ENDED``.
    More legs of the same call change nothing visible (no notification)
    unless they bring details the call lacked (``UPDATED``).
    """

    STARTED = "started"
    ANSWERED = "answered"
    HELD = "held"
    RESUMED = "resumed"
    ENDED = "ended"
    UPDATED = "updated"  # more details (caller, queue...) or a synthetic call merged
    #: Our phone stopped ringing; the queue passed the call on (state PASSED_ON).
    #: A later ring on our phone brings it back (``UPDATED``, state RINGING).
    PASSED_ON = "passed_on"


@dataclass(frozen=True, slots=True)
class Call:
    """An immutable snapshot of one call on the agent's extension(s).

    Times are wall-clock seconds (``time.time()``), taken from the event's
    ``received_at``.  ``caller``/``called`` are from the agent's point of
    view: an outgoing call has the agent's extension as ``caller`` and the
    customer as ``called``, whatever the PBX presented on its legs.
    """

    #: The id of the first leg seen (the PBX's ``callUUID``/``unique_id``).
    call_id: str
    #: Our extension the call rang on / was answered on.
    extension: str
    caller: PhoneNumber
    called: PhoneNumber
    caller_name: str | None
    #: INBOUND (to the agent), OUTBOUND (placed by the agent), LOCAL (a colleague
    #: calling), UNKNOWN; from where the agent's extension stands, not from the
    #: PBX's per-leg ``direction``.
    direction: Direction
    queue: str | None
    state: CallState
    #: Set once the call has ended.
    outcome: CallOutcome | None
    #: Time of the first event we saw for this call.
    started_at: float
    ringing_at: float | None
    answered_at: float | None
    ended_at: float | None
    #: Seconds on hold in completed holds (see :meth:`hold_seconds`).
    held_seconds: float
    #: Start of the current hold, if on hold.
    held_since: float | None
    hangup_cause: str | None
    #: The extension that answered (ours, or a colleague's for ANSWERED_ELSEWHERE).
    answered_by: str | None
    #: Our extensions this call rang on.
    offered_extensions: frozenset[str]
    #: Started from a Tekil ``ExtensionStatus`` only (caller unknown).
    synthetic: bool
    #: The synthetic call id this real call was merged from.
    replaces: str | None
    #: Every leg id (``callUUID``) of this call seen so far, first one first.
    legs: tuple[str, ...] = ()
    #: The agent's own click-to-call (see :class:`~desktop.core.calls.dials.RecentDials`).
    own_dial: bool = False
    #: When our phone stopped ringing a queue call that went on to colleagues
    #: (state PASSED_ON, and the end time of such a call once its verdict came).
    passed_at: float | None = None

    @property
    def is_active(self) -> bool:
        return self.state is not CallState.ENDED

    @property
    def is_missed(self) -> bool:
        return self.outcome is CallOutcome.MISSED

    @property
    def customer(self) -> PhoneNumber:
        """The other party: the callee of outgoing calls, else the caller."""
        return self.called if self.direction is Direction.OUTBOUND else self.caller

    def _until(self, now: float | None) -> float:
        if self.ended_at is not None:
            return self.ended_at
        return time.time() if now is None else now

    def talk_seconds(self, now: float | None = None) -> float:
        """Seconds from answer to end (or to *now*), hold included; 0 if unanswered."""
        if self.answered_at is None:
            return 0.0
        return max(0.0, self._until(now) - self.answered_at)

    def ring_seconds(self, now: float | None = None) -> float:
        """Seconds from the first ring to answer, end or *now*."""
        if self.ringing_at is None:
            return 0.0
        end = self.answered_at if self.answered_at is not None else self._until(now)
        return max(0.0, end - self.ringing_at)

    def hold_seconds(self, now: float | None = None) -> float:
        """Total seconds on hold, including a hold still in progress."""
        if self.held_since is None:
            return self.held_seconds
        return self.held_seconds + max(0.0, self._until(now) - self.held_since)


@dataclass(frozen=True, slots=True)
class TrackerStats:
    """Counters since the tracker was created."""

    events: int
    changes: int
    #: Not ours: other extensions, unknown call ids, non-call events.
    ignored: int
    #: Ours but changed nothing (repeats).
    duplicates: int
    #: For a call that already ended.
    late: int
    #: :class:`~desktop.pbx.events.UnknownEvent` (unparseable or unknown messages).
    unknown: int
    synthetic_started: int
    synthetic_merged: int
    #: Ended by :meth:`CallTracker.tick` after a timeout.
    expired: int
    #: Events thrown away because they could not be used at all (the status
    #: window shows this; each reason is logged once at WARNING).
    dropped: int = 0
    #: Legs that joined a call already tracked (FreeSWITCH: one id per leg).
    legs_grouped: int = 0
    #: Call events whose ``domain`` is not one configured (accepted all the same).
    other_domain: int = 0


Change = tuple[Call, CallChange]
OnChange = Callable[[Call, CallChange], None]
OnExtensionState = Callable[[str, int], None]
OnDropped = Callable[[int], None]


class _Track:
    """The tracker's mutable record of one active call (one customer call)."""

    __slots__ = (
        "answered_at", "answered_by", "call_id", "called", "caller", "caller_name",
        "customer_key", "direction", "ended_at", "extension", "follow", "hangup_cause",
        "held_seconds", "held_since", "last_at", "legs", "links", "offered", "outcome",
        "own_dial", "passed_at", "pending_end", "picked_up_at", "queue", "replaces",
        "ringing_at", "seen_legs", "shared_id", "started_at", "state", "synthetic",
        "verdict_due",
    )

    def __init__(self, call_id: str, extension: str, caller: PhoneNumber, called: PhoneNumber,
                 direction: Direction, state: CallState, t: float) -> None:
        self.call_id = call_id
        self.extension = extension
        self.caller = caller
        self.called = called
        #: Key of the customer's number (grouping of legs); "" when unknown.
        self.customer_key = ""
        self.caller_name: str | None = None
        self.direction = direction
        self.queue: str | None = None
        self.state = state
        self.outcome: CallOutcome | None = None
        self.started_at = t
        self.last_at = t
        self.ringing_at: float | None = t if state is CallState.RINGING else None
        self.answered_at: float | None = None if state is CallState.RINGING else t
        self.ended_at: float | None = None
        self.held_seconds = 0.0
        self.held_since: float | None = None
        self.hangup_cause: str | None = None
        self.answered_by: str | None = None if state is CallState.RINGING else extension
        self.offered = frozenset((extension,))
        self.synthetic = False
        self.replaces: str | None = None
        #: Legs not yet hung up: id -> answered.
        self.legs: dict[str, bool] = {}
        #: Every leg id ever seen, in order.
        self.seen_legs: list[str] = []
        #: Ids other legs named as theirs (``otherLegUUID``, ``linkedid``).
        self.links: set[str] = set()
        self.own_dial = False
        #: Own click-to-call: when the agent's phone (the first leg) was picked up.
        self.picked_up_at: float | None = None
        #: Tekil status calls: rang out at this time, verdict pending (colleague?).
        self.pending_end: float | None = None
        #: Tekil status calls: the colleague's extension the ring moved on to
        #: ("": it left that one, not yet rung elsewhere; None: never moved on).
        self.follow: str | None = None
        #: Queue calls passed on (state PASSED_ON): when our phone stopped ringing,
        #: and until when the verdict may wait.
        self.passed_at: float | None = None
        self.verdict_due = 0.0
        #: A colleague's event named one of our leg ids: one id for the whole call,
        #: so its hangup is the customer call's end.
        self.shared_id = False

    def add_leg(self, leg_id: str, answered: bool = False) -> None:
        if leg_id not in self.legs:
            self.legs[leg_id] = answered
            if leg_id not in self.seen_legs:
                self.seen_legs.append(leg_id)
        elif answered:
            self.legs[leg_id] = True

    def snapshot(self) -> Call:
        return Call(
            self.call_id, self.extension, self.caller, self.called, self.caller_name,
            self.direction, self.queue, self.state, self.outcome, self.started_at,
            self.ringing_at, self.answered_at, self.ended_at, self.held_seconds,
            self.held_since, self.hangup_cause, self.answered_by, self.offered,
            self.synthetic, self.replaces, tuple(self.seen_legs), self.own_dial,
            self.passed_at,
        )


def bare_extension(ext: str) -> str:
    """``" 1001@firma.kobipbx.com"`` -> ``"1001"`` (agent names carry a domain)."""
    return ext.strip().partition("@")[0]
