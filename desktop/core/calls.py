"""Turning the PBX's event stream into the agent's calls.

:class:`CallTracker` consumes the typed events of :mod:`desktop.pbx.events`
and keeps one record per call id that rang (or was answered) on one of the
agent's extensions.  Each change is published as an immutable :class:`Call`
snapshot with a :class:`CallChange`, both to the ``on_change`` callback and
as the return value of :meth:`CallTracker.feed` / :meth:`CallTracker.tick`.

The rules, and why (Kobikom documents the event names, not their order):

* A call is ours when a ``ringing`` or ``answered`` event names one of our
  extensions.  ``hangup``/``destroy``/``hold``/``unhold`` carry no extension
  and are matched by call id; ids we do not track are ignored.  An event
  whose ``domain`` is present and is not ours is ignored (the server filters
  by domain already; we do not trust that blindly).
* Repeats (the server may resend a message with a new timestamp) and events
  that add nothing produce no notification.
* Out of order: ``answered`` without ``ringing`` starts the call answered;
  ``hold`` before ``answered`` means answered and held; ``hangup`` before
  ``answered`` means not answered; ``destroy`` without ``hangup`` ends the
  call; anything arriving for a recently ended id (a bounded LRU of
  ``recent_limit`` ids) is ignored, so late repeats never resurrect a call.
* Queue calls ring several agents under one call id.  ``answered`` naming
  another extension ends our ringing call as ``ANSWERED_ELSEWHERE``, which
  is not a missed call.
* Missed: not outbound, rang on our extension, ended unanswered.  Direction
  comes from the event's ``direction`` or, when absent, from the caller
  (one of our extensions -> outbound; an external caller -> inbound).
* Tekil Santral documents only ``ExtensionStatus``.  When our extension
  reports RINGING and no real call rings there, a *synthetic* call
  (``ext-status:<ext>:<n>``, caller unknown) is started after ``grace``
  seconds by :meth:`CallTracker.tick`.  A real ``ringing``/``answered`` for
  that extension later merges into it (one call, one popup: ``UPDATED``
  with ``replaces`` set).  IDLE/UNAVAILABLE ends it: answered if IN_USE was
  seen in between, else missed.

The tracker is synchronous and never sleeps or starts tasks: the owner calls
:meth:`CallTracker.tick` periodically (a few times per second).  Ended calls
leave the active map at once; only the bounded recently-ended ids remain.
"""

from __future__ import annotations

import enum
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from desktop.core.numbers import DEFAULT_REGION, NumberKind, PhoneNumber, parse_number
from desktop.pbx.events import (
    AnsweredEvent,
    DestroyEvent,
    Direction,
    Event,
    ExtensionState,
    ExtensionStatusEvent,
    HangupEvent,
    HoldEvent,
    RingingEvent,
    UnholdEvent,
    UnknownEvent,
)

log = logging.getLogger("kobikom.core.calls")

#: Seconds a Tekil RINGING status may wait for a real ``ringing`` event
#: before a synthetic call is started.
DEFAULT_GRACE: Final = 0.5
#: How many ended call ids are remembered to drop late repeats.
DEFAULT_RECENT_LIMIT: Final = 4096
#: A call still ringing with no event for this long is ended (outcome UNKNOWN).
DEFAULT_RING_TIMEOUT: Final = 300.0
#: An answered call with no event for this long is ended (outcome UNKNOWN);
#: covers a hangup lost while the connection was down.
DEFAULT_STALE_AFTER: Final = 4 * 3600.0
#: After a real call on an extension ends, RINGING statuses for that
#: extension are ignored for this long (status messages may lag behind).
DEFAULT_STATUS_QUIET: Final = 2.0
#: How many extensions' Tekil states are remembered.
MAX_EXTENSION_STATES: Final = 4096

SYNTHETIC_PREFIX: Final = "ext-status:"

_IN_USE_FLAGS: Final = int(ExtensionState.IN_USE | ExtensionState.BUSY | ExtensionState.ON_HOLD)
_RINGING_FLAG: Final = int(ExtensionState.RINGING)
_HOLD_FLAG: Final = int(ExtensionState.ON_HOLD)


class CallState(enum.Enum):
    """Where a call is now."""

    RINGING = "ringing"
    ANSWERED = "answered"
    ON_HOLD = "on_hold"
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
    """

    STARTED = "started"
    ANSWERED = "answered"
    HELD = "held"
    RESUMED = "resumed"
    ENDED = "ended"
    UPDATED = "updated"  # more details (caller, queue...) or a synthetic call merged


@dataclass(frozen=True, slots=True)
class Call:
    """An immutable snapshot of one call on the agent's extension(s).

    Times are wall-clock seconds (``time.time()``), taken from the event's
    ``received_at``.
    """

    call_id: str
    #: Our extension the call rang on / was answered on.
    extension: str
    caller: PhoneNumber
    called: PhoneNumber
    caller_name: str | None
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

    @property
    def is_active(self) -> bool:
        return self.state is not CallState.ENDED

    @property
    def is_missed(self) -> bool:
        return self.outcome is CallOutcome.MISSED

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
    #: Not ours: other extension or domain, unknown call id, non-call events.
    ignored: int
    #: Ours but changed nothing (repeats).
    duplicates: int
    #: For a call that already ended.
    late: int
    #: :class:`UnknownEvent` (unparseable or unknown messages).
    unknown: int
    synthetic_started: int
    synthetic_merged: int
    #: Ended by :meth:`CallTracker.tick` after a timeout.
    expired: int


Change = tuple[Call, CallChange]
OnChange = Callable[[Call, CallChange], None]
OnExtensionState = Callable[[str, int], None]


class _Track:
    """The tracker's mutable record of one active call."""

    __slots__ = (
        "answered_at", "answered_by", "call_id", "called", "caller", "caller_name",
        "direction", "ended_at", "extension", "hangup_cause", "held_seconds", "held_since",
        "last_at", "offered", "outcome", "queue", "replaces", "ringing_at", "started_at",
        "state", "synthetic",
    )

    def __init__(self, call_id: str, extension: str, caller: PhoneNumber, called: PhoneNumber,
                 direction: Direction, state: CallState, t: float) -> None:
        self.call_id = call_id
        self.extension = extension
        self.caller = caller
        self.called = called
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

    def snapshot(self) -> Call:
        return Call(
            self.call_id, self.extension, self.caller, self.called, self.caller_name,
            self.direction, self.queue, self.state, self.outcome, self.started_at,
            self.ringing_at, self.answered_at, self.ended_at, self.held_seconds,
            self.held_since, self.hangup_cause, self.answered_by, self.offered,
            self.synthetic, self.replaces,
        )


def _bare_extension(ext: str) -> str:
    """``" 1001@firma.kobipbx.com"`` -> ``"1001"`` (agent names carry a domain)."""
    return ext.strip().partition("@")[0]


class CallTracker:
    """Follows the calls of the agent's extension(s) through the event stream.

    ``on_change(call, change)`` is called for every change, in order, after
    the tracker's state is updated; an exception in it is logged and does not
    disturb the tracker.  The same changes are returned by :meth:`feed` and
    :meth:`tick`, so callers may use either.  ``on_extension_state(ext,
    code)`` is called when the Tekil status code of one of our extensions
    changes (``-1``: the PBX does not know the extension).

    Not thread-safe: feed it from one thread (the event loop).
    """

    def __init__(
        self,
        extensions: Iterable[str] = (),
        domain: str | Iterable[str] | None = None,
        *,
        on_change: OnChange | None = None,
        on_extension_state: OnExtensionState | None = None,
        clock: Callable[[], float] = time.time,
        region: str = DEFAULT_REGION,
        grace: float = DEFAULT_GRACE,
        recent_limit: int = DEFAULT_RECENT_LIMIT,
        ring_timeout: float = DEFAULT_RING_TIMEOUT,
        stale_after: float = DEFAULT_STALE_AFTER,
        status_quiet: float = DEFAULT_STATUS_QUIET,
    ) -> None:
        self._on_change = on_change
        self._on_extension_state = on_extension_state
        self._clock = clock
        self._region = region
        self.grace = grace
        self.ring_timeout = ring_timeout
        self.stale_after = stale_after
        self.status_quiet = status_quiet
        self._recent_limit = max(1, recent_limit)
        self._extensions: frozenset[str] = frozenset()
        self._domains: frozenset[str] = frozenset()
        self._active: dict[str, _Track] = {}
        self._ended: OrderedDict[str, None] = OrderedDict()
        self._ext_states: dict[str, int] = {}
        #: our extension -> time its RINGING status was first seen (no call yet)
        self._pending: dict[str, float] = {}
        #: our extension -> id of its active, not yet merged synthetic call
        self._synthetic: dict[str, str] = {}
        #: our extension -> when a real call on it last ended
        self._real_ended_at: dict[str, float] = {}
        self._synthetic_seq = 0
        self._missed = 0
        self._events = self._changes = self._ignored = self._duplicates = 0
        self._late = self._unknown = self._syn_started = self._syn_merged = self._expired = 0
        self._handlers: dict[type[Event], Callable[[Event, float, list[Change]], None]] = {
            RingingEvent: self._ringing,  # type: ignore[dict-item]
            AnsweredEvent: self._answered,  # type: ignore[dict-item]
            HangupEvent: self._hangup,  # type: ignore[dict-item]
            DestroyEvent: self._hangup,  # type: ignore[dict-item]
            HoldEvent: self._hold,  # type: ignore[dict-item]
            UnholdEvent: self._unhold,  # type: ignore[dict-item]
            ExtensionStatusEvent: self._status,  # type: ignore[dict-item]
        }
        self.configure(extensions, domain)

    # ------------------------------------------------------------ configuration

    def configure(
        self, extensions: Iterable[str], domain: str | Iterable[str] | None = None
    ) -> None:
        """Set the agent's extensions and domain(s); ``None`` accepts any domain.

        *domain* may be several identifiers (Kobikom's call events carry
        ``domain``, its other events ``domainUuid``; which form each uses is
        undocumented).  Active calls keep running; pending Tekil rings of
        extensions that are no longer ours are dropped.
        """
        if isinstance(extensions, str):
            extensions = (extensions,)
        self._extensions = frozenset(_bare_extension(e) for e in extensions if e.strip())
        if domain is None:
            self._domains = frozenset()
        else:
            names = (domain,) if isinstance(domain, str) else tuple(domain)
            self._domains = frozenset(d.strip().lower() for d in names if d.strip())
        for ext in [e for e in self._pending if e not in self._extensions]:
            del self._pending[ext]

    @property
    def extensions(self) -> frozenset[str]:
        return self._extensions

    @property
    def domains(self) -> frozenset[str]:
        """Accepted domains, lower-cased; empty means any."""
        return self._domains

    # ------------------------------------------------------------ queries

    def active_calls(self) -> list[Call]:
        """Snapshots of the calls not yet ended, oldest first."""
        return [tr.snapshot() for tr in self._active.values()]

    def get(self, call_id: str) -> Call | None:
        """The active call with this id, if any."""
        tr = self._active.get(call_id)
        return None if tr is None else tr.snapshot()

    @property
    def missed_count(self) -> int:
        """Missed calls since creation or :meth:`clear_missed`."""
        return self._missed

    def clear_missed(self) -> None:
        self._missed = 0

    def extension_state(self, extension: str) -> int | None:
        """Last Tekil status code of *extension* (``-1`` = not found), or None."""
        return self._ext_states.get(_bare_extension(extension))

    def extension_states(self) -> dict[str, int]:
        """A copy of every extension's last Tekil status code."""
        return dict(self._ext_states)

    @property
    def stats(self) -> TrackerStats:
        return TrackerStats(
            events=self._events, changes=self._changes, ignored=self._ignored,
            duplicates=self._duplicates, late=self._late, unknown=self._unknown,
            synthetic_started=self._syn_started, synthetic_merged=self._syn_merged,
            expired=self._expired,
        )

    @property
    def recent_ended_count(self) -> int:
        """Size of the bounded recently-ended id set (for tests and diagnostics)."""
        return len(self._ended)

    # ------------------------------------------------------------ input

    def feed(self, event: Event) -> list[Change]:
        """Apply one event; return the changes it caused (often none)."""
        self._events += 1
        handler = self._handlers.get(type(event))
        if handler is None:
            if type(event) is UnknownEvent:
                self._unknown += 1
            else:
                self._ignored += 1
            return []
        domain = event.domain
        if domain is not None and self._domains and domain not in self._domains \
                and domain.strip().lower() not in self._domains:
            self._ignored += 1
            return []
        out: list[Change] = []
        handler(event, event.received_at or self._clock(), out)
        if out:
            self._publish(out)
        return out

    def tick(self, now: float | None = None) -> list[Change]:
        """Start due synthetic calls and expire stale ones; call a few times a second."""
        t = self._clock() if now is None else now
        out: list[Change] = []
        if self._pending:
            for ext, since in list(self._pending.items()):
                if t - since >= self.grace:
                    del self._pending[ext]
                    if not self._real_call_on(ext, t):
                        self._start_synthetic(ext, since, None, out)
        for tr in list(self._active.values()):
            idle = t - tr.last_at
            if (tr.state is CallState.RINGING and idle > self.ring_timeout) \
                    or idle > self.stale_after:
                self._expired += 1
                self._end(tr, t, out, CallOutcome.UNKNOWN, "expired")
        if out:
            self._publish(out)
        return out

    def end_quiet(self, since: float, now: float | None = None, *,
                  states: Iterable[CallState] = (CallState.RINGING,),
                  cause: str = "connection lost") -> list[Change]:
        """End (outcome UNKNOWN) calls in *states* with no event after *since*.

        Used after the event channel was lost: a hangup sent while we were
        disconnected never arrives, and such calls would otherwise stay "in
        call" until ``stale_after``.
        """
        t = self._clock() if now is None else now
        wanted = frozenset(states)
        out: list[Change] = []
        for tr in list(self._active.values()):
            if tr.state in wanted and tr.last_at <= since:
                self._expired += 1
                self._end(tr, t, out, CallOutcome.UNKNOWN, cause)
        if out:
            self._publish(out)
        return out

    def end_all(self, now: float | None = None, cause: str = "reset") -> list[Change]:
        """End every active call with outcome UNKNOWN (e.g. after a long outage)."""
        t = self._clock() if now is None else now
        out: list[Change] = []
        self._pending.clear()
        for tr in list(self._active.values()):
            self._end(tr, t, out, CallOutcome.UNKNOWN, cause)
        if out:
            self._publish(out)
        return out

    # ------------------------------------------------------------ internals

    def _publish(self, out: list[Change]) -> None:
        self._changes += len(out)
        cb = self._on_change
        if cb is None:
            return
        for call, change in out:
            try:
                cb(call, change)
            except Exception:
                log.exception("on_change callback failed for %s", change.name)

    def _own(self, ext: str | None) -> str | None:
        """*ext* as one of our extensions, or None."""
        if ext is None:
            return None
        if ext in self._extensions:
            return ext
        bare = _bare_extension(ext)
        return bare if bare in self._extensions else None

    def _number(self, raw: str) -> PhoneNumber:
        return parse_number(raw, self._region)

    def _direction(self, given: Direction, caller: PhoneNumber, called: PhoneNumber) -> Direction:
        ours = self._extensions
        if given is Direction.OUTBOUND:
            # A leg towards our phone is "outbound" from the switch's point of
            # view; an external caller ringing our extension is inbound for us.
            if caller.kind is NumberKind.EXTERNAL and called.kind is NumberKind.INTERNAL \
                    and called.key in ours:
                return Direction.INBOUND
            return given
        if given is not Direction.UNKNOWN:
            return given
        if caller.kind is NumberKind.INTERNAL and caller.key in ours:
            return Direction.OUTBOUND
        if caller.kind is NumberKind.EXTERNAL:
            return Direction.INBOUND
        return Direction.UNKNOWN

    def _create(self, ev: RingingEvent | AnsweredEvent, ext: str, state: CallState,
                t: float, out: list[Change]) -> None:
        caller = self._number(ev.caller)
        called = self._number(ev.called)
        tr = _Track(ev.call_id, ext, caller, called,
                    self._direction(ev.direction, caller, called), state, t)
        tr.queue = ev.queue
        if type(ev) is RingingEvent:
            tr.caller_name = ev.caller_name
        self._active[ev.call_id] = tr
        out.append((tr.snapshot(), CallChange.STARTED))

    def _fill(self, tr: _Track, ev: RingingEvent | AnsweredEvent) -> bool:
        """Fill details the call lacks from *ev*; True if anything changed."""
        changed = False
        if ev.caller and not tr.caller.raw:
            tr.caller = self._number(ev.caller)
            changed = True
        if ev.called and not tr.called.raw:
            tr.called = self._number(ev.called)
            changed = True
        if ev.queue and tr.queue is None:
            tr.queue = ev.queue
            changed = True
        if type(ev) is RingingEvent and ev.caller_name and tr.caller_name is None:
            tr.caller_name = ev.caller_name
            changed = True
        if tr.direction is Direction.UNKNOWN and (changed or ev.direction is not Direction.UNKNOWN):
            # a known direction (given or inferred) is never revised
            direction = self._direction(ev.direction, tr.caller, tr.called)
            if direction is not tr.direction:
                tr.direction = direction
                changed = True
        return changed

    def _merge_synthetic(self, ext: str, ev: RingingEvent | AnsweredEvent, t: float,
                         out: list[Change]) -> _Track | None:
        """Re-key the synthetic call on *ext* as the real call *ev*."""
        syn_id = self._synthetic.pop(ext, None)
        if syn_id is None:
            return None
        tr = self._active.pop(syn_id)
        tr.call_id = ev.call_id
        tr.synthetic = False
        tr.replaces = syn_id
        tr.last_at = t
        tr.caller = self._number(ev.caller)
        tr.called = self._number(ev.called)
        tr.direction = self._direction(ev.direction, tr.caller, tr.called)
        tr.queue = ev.queue
        if type(ev) is RingingEvent:
            tr.caller_name = ev.caller_name
        self._active[ev.call_id] = tr
        self._ended[syn_id] = None
        self._trim_ended()
        self._syn_merged += 1
        log.debug("synthetic call %s merged into %s", syn_id, ev.call_id)
        out.append((tr.snapshot(), CallChange.UPDATED))
        return tr

    def _ringing(self, ev: RingingEvent, t: float, out: list[Change]) -> None:
        ext = self._own(ev.extension)
        if ext is None:
            self._ignored += 1
            return
        call_id = ev.call_id
        if call_id in self._ended:
            self._late += 1
            return
        if self._pending:
            self._pending.pop(ext, None)
        tr = self._active.get(call_id)
        if tr is None:
            if self._synthetic and self._merge_synthetic(ext, ev, t, out) is not None:
                return
            self._create(ev, ext, CallState.RINGING, t, out)
            return
        tr.last_at = t
        changed = self._fill(tr, ev)
        if ext not in tr.offered:
            tr.offered = tr.offered | {ext}
            changed = True
        if changed:
            out.append((tr.snapshot(), CallChange.UPDATED))
        else:
            self._duplicates += 1

    def _answered(self, ev: AnsweredEvent, t: float, out: list[Change]) -> None:
        call_id = ev.call_id
        if call_id in self._ended:
            self._late += 1
            return
        ext = self._own(ev.extension)
        tr = self._active.get(call_id)
        if tr is None:
            if ext is None:
                self._ignored += 1
                return
            if self._pending:
                self._pending.pop(ext, None)
            if self._synthetic:
                tr = self._merge_synthetic(ext, ev, t, out)
            if tr is None:
                self._create(ev, ext, CallState.ANSWERED, t, out)
                return
        tr.last_at = t
        if ext is None and ev.extension is not None and tr.direction is not Direction.OUTBOUND:
            # Another extension answered: a queue colleague took the call.
            if tr.state is CallState.RINGING:
                tr.answered_by = _bare_extension(ev.extension)
                self._end(tr, t, out, CallOutcome.ANSWERED_ELSEWHERE, ev.hangup_cause)
            else:
                self._ignored += 1
            return
        filled = self._fill(tr, ev)
        if tr.state is CallState.RINGING:
            tr.state = CallState.ANSWERED
            tr.answered_at = t
            tr.answered_by = ext or tr.extension
            if ext is not None:
                tr.extension = ext
            out.append((tr.snapshot(), CallChange.ANSWERED))
        elif filled:
            out.append((tr.snapshot(), CallChange.UPDATED))
        else:
            self._duplicates += 1

    def _leg_check(self, ev: HangupEvent | DestroyEvent | HoldEvent | UnholdEvent) -> _Track | None:
        """The tracked call of a call-id-only event, unless it names another extension."""
        tr = self._active.get(ev.call_id)
        if tr is None:
            if ev.call_id in self._ended:
                self._late += 1
            else:
                self._ignored += 1
            return None
        if ev.extension is not None and self._own(ev.extension) is None:
            self._ignored += 1  # another leg of a queue call
            return None
        return tr

    def _hangup(self, ev: HangupEvent | DestroyEvent, t: float, out: list[Change]) -> None:
        tr = self._leg_check(ev)
        if tr is None:
            return
        cause = ev.hangup_cause if type(ev) is HangupEvent else None
        self._end(tr, t, out, None, cause)

    def _hold(self, ev: HoldEvent, t: float, out: list[Change]) -> None:
        tr = self._leg_check(ev)
        if tr is None:
            return
        tr.last_at = t
        self._set_hold(tr, True, t, out)

    def _unhold(self, ev: UnholdEvent, t: float, out: list[Change]) -> None:
        tr = self._leg_check(ev)
        if tr is None:
            return
        tr.last_at = t
        self._set_hold(tr, False, t, out)

    def _set_hold(self, tr: _Track, hold: bool, t: float, out: list[Change]) -> None:
        state = tr.state
        changed = state is CallState.RINGING
        if changed:
            # Only an established call can be held: the answer was lost or is late.
            tr.state = CallState.ANSWERED
            tr.answered_at = t
            tr.answered_by = tr.extension
            out.append((tr.snapshot(), CallChange.ANSWERED))
            state = CallState.ANSWERED
        if hold and state is CallState.ANSWERED:
            tr.state = CallState.ON_HOLD
            tr.held_since = t
            out.append((tr.snapshot(), CallChange.HELD))
        elif not hold and state is CallState.ON_HOLD:
            if tr.held_since is not None:
                tr.held_seconds += max(0.0, t - tr.held_since)
            tr.held_since = None
            tr.state = CallState.ANSWERED
            out.append((tr.snapshot(), CallChange.RESUMED))
        elif not changed:
            self._duplicates += 1

    def _end(self, tr: _Track, t: float, out: list[Change], outcome: CallOutcome | None,
             cause: str | None) -> None:
        if outcome is None:
            if tr.answered_at is not None:
                outcome = CallOutcome.ANSWERED
            elif tr.direction is Direction.OUTBOUND:
                outcome = CallOutcome.NOT_ANSWERED
            else:
                outcome = CallOutcome.MISSED
        if tr.held_since is not None:
            tr.held_seconds += max(0.0, t - tr.held_since)
            tr.held_since = None
        tr.state = CallState.ENDED
        tr.outcome = outcome
        tr.ended_at = t
        if cause is not None:
            tr.hangup_cause = cause
        call_id = tr.call_id
        del self._active[call_id]
        self._ended[call_id] = None
        self._trim_ended()
        if tr.synthetic:
            if self._synthetic.get(tr.extension) == call_id:
                del self._synthetic[tr.extension]
        else:
            self._real_ended_at[tr.extension] = t
        if outcome is CallOutcome.MISSED:
            self._missed += 1
        out.append((tr.snapshot(), CallChange.ENDED))

    def _trim_ended(self) -> None:
        if len(self._ended) > self._recent_limit:
            self._ended.popitem(last=False)

    # ------------------------------------------------------------ Tekil ExtensionStatus

    def _real_call_on(self, ext: str, t: float) -> bool:
        """A real call rings on *ext*, or one ended there less than ``status_quiet`` ago."""
        for tr in self._active.values():
            if tr.extension == ext and not tr.synthetic and tr.state is CallState.RINGING:
                return True
        ended = self._real_ended_at.get(ext)
        return ended is not None and t - ended < self.status_quiet

    def _status(self, ev: ExtensionStatusEvent, t: float, out: list[Change]) -> None:
        code = ev.code
        ext = self._own(ev.extension)
        key = ext if ext is not None else _bare_extension(ev.extension)
        states = self._ext_states
        previous = states.get(key)
        if previous is None and len(states) >= MAX_EXTENSION_STATES:
            del states[next(iter(states))]
        states[key] = code
        if ext is None:
            self._ignored += 1
            return
        if previous != code and self._on_extension_state is not None:
            try:
                self._on_extension_state(ext, code)
            except Exception:
                log.exception("on_extension_state callback failed")
        ringing = code >= 0 and bool(code & _RINGING_FLAG)
        in_use = code > 0 and bool(code & _IN_USE_FLAGS)
        syn_id = self._synthetic.get(ext)
        if ringing:
            if syn_id is None and ext not in self._pending and not self._real_call_on(ext, t):
                self._pending[ext] = t
            return
        since = self._pending.pop(ext, None)
        if syn_id is None:
            if since is not None and in_use:
                # Answered within the grace period (auto-answer): still a call.
                self._start_synthetic(ext, since, t, out)
            return
        tr = self._active[syn_id]
        tr.last_at = t
        if not in_use:
            self._end(tr, t, out, None, None)
            return
        hold = bool(code & _HOLD_FLAG)
        if tr.state is CallState.RINGING or hold != (tr.state is CallState.ON_HOLD):
            self._set_hold(tr, hold, t, out)

    def _start_synthetic(self, ext: str, since: float, answered_at: float | None,
                         out: list[Change]) -> None:
        self._synthetic_seq += 1
        call_id = f"{SYNTHETIC_PREFIX}{ext}:{self._synthetic_seq}"
        unknown = self._number("")
        tr = _Track(call_id, ext, unknown, self._number(ext), Direction.UNKNOWN,
                    CallState.RINGING, since)
        tr.synthetic = True
        if answered_at is not None:
            tr.state = CallState.ANSWERED
            tr.answered_at = answered_at
            tr.answered_by = ext
            tr.last_at = answered_at
        self._active[call_id] = tr
        self._synthetic[ext] = call_id
        self._syn_started += 1
        log.debug("synthetic call %s started from ExtensionStatus", call_id)
        out.append((tr.snapshot(), CallChange.STARTED))
