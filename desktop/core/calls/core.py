"""The tracker's state and the operations every kind of event shares.

:class:`_TrackerCore` holds the active calls and their indexes (by leg id,
by customer and extension, by hint), ends calls, publishes changes, counts
and answers queries.  ``status.py`` adds the Tekil ``ExtensionStatus`` rules
on top, ``tracker.py`` the call events; :class:`~desktop.core.calls.CallTracker`
is the result.  Nothing here sleeps, starts tasks or imports Qt.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Final

from desktop.core.calls.dials import RecentDials
from desktop.core.calls.model import (
    Call,
    CallChange,
    CallOutcome,
    CallState,
    Change,
    OnChange,
    OnDropped,
    OnExtensionState,
    TrackerStats,
    _Track,
    bare_extension,
)
from desktop.core.numbers import DEFAULT_REGION, NumberKind, PhoneNumber, parse_number
from desktop.pbx.events import AnsweredEvent, Direction, Event, HangupEvent, RingingEvent

log = logging.getLogger("kobikom.core.calls")

#: Seconds a Tekil RINGING status may wait for a real ``ringing`` event
#: before a synthetic call is started.
DEFAULT_GRACE: Final = 0.5
#: How many ended call/leg ids are remembered to drop late repeats.
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
#: A new leg with the customer and extension of an *answered* incoming call
#: belongs to it only this soon after the call started (later it is a second
#: call from the same number: call waiting).  Ringing and outgoing calls take
#: their legs whenever they come.
GROUP_WINDOW: Final = 10.0
#: A hangup of an unknown leg this soon after a call of the same customer on
#: the same extension ended is that call's other leg, not a new call.
LATE_LEG_WINDOW: Final = 10.0
#: How many (customer, extension) pairs of ended calls are remembered for that.
MAX_RECENT_PARTIES: Final = 1024
#: Hangup causes that mean "another phone took the call" (FreeSWITCH): not missed.
ELSEWHERE_CAUSES: Final = frozenset({"LOSE_RACE", "PICKED_OFF"})
#: Drop reasons logged at WARNING (each once); more kinds are only counted.
MAX_DROP_REASONS: Final = 32
#: Distinct foreign ``domain`` values logged (each once).
MAX_DOMAINS_LOGGED: Final = 8

SYNTHETIC_PREFIX: Final = "ext-status:"

Party = tuple[str, str]
#: Call events that carry a leg's numbers.
Detailed = RingingEvent | AnsweredEvent | HangupEvent


def party_key(number: PhoneNumber) -> str:
    """The key legs of one call are grouped on ("" for withheld or junk numbers)."""
    if number.kind is NumberKind.EXTERNAL or number.kind is NumberKind.INTERNAL:
        return number.key
    return ""


class _TrackerCore:
    """State and shared operations of the call tracker (see the module docstring)."""

    def __init__(
        self,
        extensions: Iterable[str] = (),
        domain: str | Iterable[str] | None = None,
        *,
        on_change: OnChange | None = None,
        on_extension_state: OnExtensionState | None = None,
        on_dropped: OnDropped | None = None,
        dials: RecentDials | None = None,
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
        self._on_dropped = on_dropped
        #: The agent's own click-to-calls (shared with the dialer); None: none known.
        self.dials = dials
        self._clock = clock
        self._region = region
        self.grace = grace
        self.ring_timeout = ring_timeout
        self.stale_after = stale_after
        self.status_quiet = status_quiet
        self._recent_limit = max(1, recent_limit)
        self._extensions: frozenset[str] = frozenset()
        self._domains: frozenset[str] = frozenset()
        #: call id -> the active call
        self._active: dict[str, _Track] = {}
        #: leg id -> the active call it belongs to
        self._by_leg: dict[str, _Track] = {}
        #: (customer key, our extension) -> the active call
        self._by_party: dict[Party, _Track] = {}
        #: an id other legs named (otherLegUUID / linkedid) -> the active call
        self._by_link: dict[str, _Track] = {}
        #: ended call and leg ids (bounded LRU)
        self._ended: OrderedDict[str, None] = OrderedDict()
        #: (customer key, our extension) of recently ended calls -> when
        self._party_ended: OrderedDict[Party, float] = OrderedDict()
        self._missed = 0
        self._events = self._changes = self._ignored = self._duplicates = 0
        self._late = self._unknown = self._syn_started = self._syn_merged = self._expired = 0
        self._dropped = self._grouped = self._other_domain = 0
        self._dropped_notified = 0
        self._drop_reasons: set[str] = set()
        self._domains_logged: set[str] = set()
        self._setup()
        self.configure(extensions, domain)

    def _setup(self) -> None:
        """Hook: subclasses set up their own state here (before :meth:`configure`)."""

    # ------------------------------------------------------------ configuration

    def configure(
        self, extensions: Iterable[str], domain: str | Iterable[str] | None = None
    ) -> None:
        """Set the agent's extensions and the domain identifier(s) we expect.

        *domain* is only compared for diagnostics: an event whose ``domain``
        is not among them (the domain *name* where the UUID is configured, a
        value never seen) is still used, counted in ``stats.other_domain``
        and logged once per value; the server already filters by domain.
        """
        if isinstance(extensions, str):
            extensions = (extensions,)
        self._extensions = frozenset(bare_extension(e) for e in extensions if e.strip())
        if domain is None:
            self._domains = frozenset()
        else:
            names = (domain,) if isinstance(domain, str) else tuple(domain)
            self._domains = frozenset(d.strip().lower() for d in names if d.strip())

    @property
    def extensions(self) -> frozenset[str]:
        return self._extensions

    @property
    def domains(self) -> frozenset[str]:
        """Expected domain identifiers, lower-cased (diagnostics only)."""
        return self._domains

    # ------------------------------------------------------------ queries

    def active_calls(self) -> list[Call]:
        """Snapshots of the calls not yet ended, oldest first."""
        return [tr.snapshot() for tr in self._active.values()]

    def get(self, call_id: str) -> Call | None:
        """The active call with this id (or with a leg of this id), if any."""
        tr = self._active.get(call_id) or self._by_leg.get(call_id)
        return None if tr is None else tr.snapshot()

    @property
    def missed_count(self) -> int:
        """Missed calls since creation or :meth:`clear_missed`."""
        return self._missed

    def clear_missed(self) -> None:
        self._missed = 0

    @property
    def stats(self) -> TrackerStats:
        return TrackerStats(
            events=self._events, changes=self._changes, ignored=self._ignored,
            duplicates=self._duplicates, late=self._late, unknown=self._unknown,
            synthetic_started=self._syn_started, synthetic_merged=self._syn_merged,
            expired=self._expired, dropped=self._dropped, legs_grouped=self._grouped,
            other_domain=self._other_domain,
        )

    @property
    def dropped(self) -> int:
        """Events thrown away because they could not be used (status window)."""
        return self._dropped

    @property
    def recent_ended_count(self) -> int:
        """Size of the bounded recently-ended id set (for tests and diagnostics)."""
        return len(self._ended)

    # ------------------------------------------------------------ accounting

    def _drop(self, reason: str) -> None:
        """Count an event we cannot use; log each kind of reason once at WARNING."""
        self._dropped += 1
        kind = reason.partition(":")[0][:80]
        if kind not in self._drop_reasons and len(self._drop_reasons) < MAX_DROP_REASONS:
            self._drop_reasons.add(kind)
            log.warning("dropped a message the client cannot use (%s); each kind is logged "
                        "once, all are counted in the status window", reason[:200])
        if self._dropped_notified == 0:
            self._notify_dropped()

    def _notify_dropped(self) -> None:
        if self._dropped == self._dropped_notified:
            return
        self._dropped_notified = self._dropped
        if self._on_dropped is not None:
            try:
                self._on_dropped(self._dropped)
            except Exception:
                log.exception("on_dropped callback failed")

    def _check_domain(self, event: Event) -> None:
        domain = event.domain
        if domain is None or not self._domains or domain in self._domains:
            return
        folded = domain.strip().lower()
        if folded in self._domains:
            return
        self._other_domain += 1
        if folded not in self._domains_logged and len(self._domains_logged) < MAX_DOMAINS_LOGGED:
            self._domains_logged.add(folded)
            log.info("events name the domain %r, not the one configured; used all the same "
                     "(the server filters by domain)", domain[:80])

    # ------------------------------------------------------------ publishing

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

    # ------------------------------------------------------------ helpers

    def _own(self, ext: str | None) -> str | None:
        """*ext* as one of our extensions, or None."""
        if ext is None:
            return None
        if ext in self._extensions:
            return ext
        bare = bare_extension(ext)
        return bare if bare in self._extensions else None

    def _number(self, raw: str) -> PhoneNumber:
        return parse_number(raw, self._region)

    def _pair(self, ev: Detailed) -> tuple[PhoneNumber, PhoneNumber]:
        """The caller and called number of *ev*, parsed (libphonenumber, cached)."""
        region = self._region
        return parse_number(ev.caller, region), parse_number(ev.called, region)

    def _ours(self, number: PhoneNumber) -> bool:
        return number.kind is NumberKind.INTERNAL and number.key in self._extensions

    def _link(self, tr: _Track, leg_id: str, other: str | None) -> None:
        """Index *leg_id* (and the id it named) as belonging to *tr*."""
        self._by_leg[leg_id] = tr
        tr.add_leg(leg_id)
        if other and other not in tr.links:
            tr.links.add(other)
            self._by_link[other] = tr

    def _index_party(self, tr: _Track) -> None:
        if tr.customer_key:
            for ext in tr.offered:
                self._by_party[(tr.customer_key, ext)] = tr

    def _linked(self, other: str | None) -> _Track | None:
        if not other:
            return None
        return self._by_leg.get(other) or self._by_link.get(other)

    def _position(self, tr: _Track, ext: str, caller: PhoneNumber, called: PhoneNumber,
                  t: float) -> None:
        """Set *tr*'s direction, numbers and customer from where *ext* stands.

        The PBX's ``direction`` is per leg and says nothing about the agent
        (FreeSWITCH calls the leg that rings the agent's phone "outbound"), so
        it is not used: the agent's own recent click-to-call (the PBX may
        present its first leg with the customer as the caller) is outgoing;
        so is a call whose caller is one of our extensions; a colleague's
        extension calling is LOCAL; anything else ringing our extension is
        INBOUND.  Outgoing calls get our extension as ``caller`` and the
        customer as ``called``.
        """
        ours = self._extensions
        note = None
        dials = self.dials
        if dials is not None and dials.pending:
            keys = [k for k in (party_key(caller), party_key(called)) if k and k not in ours]
            note = dials.match(ext, keys, t) if keys else None
        if note is not None:
            note.claimed = True
            tr.own_dial = True
            tr.direction = Direction.OUTBOUND
            customer = note.number
            if party_key(called) in note.keys:
                customer = called
            elif party_key(caller) in note.keys:
                customer = caller
            tr.caller = self._number(ext)
            tr.called = customer
            tr.customer_key = party_key(customer)
            return
        if self._ours(caller):
            tr.direction = Direction.OUTBOUND
            tr.caller, tr.called = caller, called
            tr.customer_key = party_key(called)
            return
        tr.direction = Direction.LOCAL if caller.kind is NumberKind.INTERNAL else Direction.INBOUND
        tr.caller, tr.called = caller, called
        tr.customer_key = party_key(caller)

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

    # ------------------------------------------------------------ ending

    def _end(self, tr: _Track, t: float, out: list[Change], outcome: CallOutcome | None,
             cause: str | None) -> None:
        if outcome is None:
            if tr.answered_at is None and tr.picked_up_at is not None \
                    and len(tr.seen_legs) <= 1:
                # Own click-to-call with one id for the whole call: its only
                # "answered" was the conversation itself.
                tr.answered_at = tr.picked_up_at
                tr.answered_by = tr.extension
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
        tr.pending_end = None
        if cause is not None:
            tr.hangup_cause = cause
        self._forget(tr, t)
        if outcome is CallOutcome.MISSED:
            self._missed += 1
        out.append((tr.snapshot(), CallChange.ENDED))

    def _forget(self, tr: _Track, t: float) -> None:
        """Take an ended call out of every index; remember its ids as ended."""
        call_id = tr.call_id
        self._active.pop(call_id, None)
        ended = self._ended
        by_leg = self._by_leg
        ended[call_id] = None
        for leg in tr.seen_legs:
            ended[leg] = None
            if by_leg.get(leg) is tr:
                del by_leg[leg]
        if tr.links:
            for link in tr.links:
                if self._by_link.get(link) is tr:
                    del self._by_link[link]
        while len(ended) > self._recent_limit:
            ended.popitem(last=False)
        key = tr.customer_key
        parties = self._party_ended
        by_party = self._by_party
        for ext in tr.offered:
            party = (key, ext)
            if key and by_party.get(party) is tr:
                del by_party[party]
            parties.pop(party, None)
            parties[party] = t
        if len(parties) > MAX_RECENT_PARTIES:
            parties.popitem(last=False)
        self._forget_synthetic(tr, t)
        self._forget_held(tr)

    def _forget_synthetic(self, tr: _Track, t: float) -> None:
        """Hook for the Tekil status rules (``status.py``)."""

    def _forget_held(self, tr: _Track) -> None:
        """Hook for the queue verdict rules (``queues.py``)."""

    def _recently_ended(self, keys: Iterable[str], ext: str, t: float) -> bool:
        """A call of one of these customers (or an unknown one) ended on *ext* just now."""
        parties = self._party_ended
        for key in (*keys, ""):
            ended = parties.get((key, ext))
            if ended is not None and 0.0 <= t - ended <= LATE_LEG_WINDOW:
                return True
        return False

    # ------------------------------------------------------------ timers

    def _expire(self, t: float, out: list[Change]) -> None:
        for tr in list(self._active.values()):
            idle = t - tr.last_at
            ringing = tr.state is CallState.RINGING and tr.picked_up_at is None
            if (ringing and idle > self.ring_timeout) or idle > self.stale_after:
                self._expired += 1
                self._end(tr, t, out, CallOutcome.UNKNOWN, "expired")

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

    def settle(self, call_id: str, ended_at: float, outcome: CallOutcome | None = None, *,
               answered_at: float | None = None, cause: str | None = None) -> list[Change]:
        """End the active call *call_id* as the PBX's record says it ended.

        For a call whose end the line did not see (a reconnect).  *outcome* is
        the record's, from the agent's point of view; it is made to fit the
        call (an outgoing call is never missed, an incoming one never "not
        answered").  An answer the line missed is taken from *answered_at*.
        A queue call passed on ends when it stopped ringing here."""
        tr = self._active.get(call_id) or self._by_leg.get(call_id)
        if tr is None:
            return []
        outgoing = tr.own_dial or tr.direction is Direction.OUTBOUND
        if outcome is CallOutcome.ANSWERED:
            if tr.answered_at is None:
                tr.answered_at = min(max(answered_at or ended_at, tr.started_at), ended_at)
                tr.answered_by = tr.extension
        elif outgoing and outcome in (CallOutcome.MISSED, CallOutcome.ANSWERED_ELSEWHERE):
            outcome = CallOutcome.NOT_ANSWERED
        elif not outgoing and outcome is CallOutcome.NOT_ANSWERED:
            outcome = CallOutcome.MISSED
        if tr.passed_at is not None and outcome is not CallOutcome.ANSWERED:
            ended_at = tr.passed_at
        out: list[Change] = []
        self._end(tr, max(ended_at, tr.started_at), out, outcome, cause)
        self._publish(out)
        return out

    def end_all(self, now: float | None = None, cause: str = "reset") -> list[Change]:
        """End every active call with outcome UNKNOWN (e.g. after a long outage)."""
        t = self._clock() if now is None else now
        out: list[Change] = []
        self._reset_status()
        for tr in list(self._active.values()):
            self._end(tr, t, out, CallOutcome.UNKNOWN, cause)
        if out:
            self._publish(out)
        return out

    def _reset_status(self) -> None:
        """Hook for the Tekil status rules (``status.py``)."""
