"""The call tracker: call events (legs) in, the agent's calls out.

See :mod:`desktop.core.calls` for the rules; this module applies them to
``ringing``/``answered``/``hangup``/``destroy``/``hold``/``unhold``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from desktop.core.calls.core import ELSEWHERE_CAUSES, GROUP_WINDOW, Detailed, party_key
from desktop.core.calls.model import (
    CallChange,
    CallOutcome,
    CallState,
    Change,
    _Track,
    bare_extension,
)
from desktop.core.calls.queues import _QueueCalls
from desktop.core.numbers import NumberKind, PhoneNumber
from desktop.pbx.events import (
    AgentStatusChangeEvent,
    AnsweredEvent,
    BridgeAgentStartEvent,
    DestroyEvent,
    Direction,
    Event,
    ExtensionStatusEvent,
    HangupEvent,
    HoldEvent,
    MemberQueueEndEvent,
    MemberQueueStartEvent,
    RingingEvent,
    UnholdEvent,
    UnknownEvent,
)

log = logging.getLogger("kobikom.core.calls")

Handler = Callable[[Any, float, list[Change]], None]


class CallTracker(_QueueCalls):
    """Follows the calls of the agent's extension(s) through the event stream.

    ``on_change(call, change)`` is called for every change, in order, after
    the tracker's state is updated; an exception in it is logged and does not
    disturb the tracker.  The same changes are returned by :meth:`feed` and
    :meth:`tick`, so callers may use either.  ``on_extension_state(ext,
    code)`` is called when the Tekil status code of one of our extensions
    changes (``-1``: the PBX does not know the extension).  ``on_dropped(n)``
    is told the number of events thrown away (the first at once, later ones
    at the next :meth:`tick`).  ``dials`` is the app's record of its own
    click-to-calls (:class:`~desktop.core.calls.dials.RecentDials`).

    Not thread-safe: feed it from one thread (the event loop).
    """

    def _setup(self) -> None:
        super()._setup()
        self._handlers: dict[type[Event], Handler] = {
            RingingEvent: self._ringing,
            AnsweredEvent: self._answered,
            HangupEvent: self._hangup,
            DestroyEvent: self._hangup,
            HoldEvent: self._hold,
            UnholdEvent: self._unhold,
            ExtensionStatusEvent: self._status,
            MemberQueueStartEvent: self._member_start,
            MemberQueueEndEvent: self._member_end,
            BridgeAgentStartEvent: self._bridge_start,
            AgentStatusChangeEvent: self._agent_status,
        }

    # ------------------------------------------------------------ input

    def feed(self, event: Event) -> list[Change]:
        """Apply one event; return the changes it caused (often none)."""
        self._events += 1
        handler = self._handlers.get(type(event))
        if handler is None:
            if isinstance(event, UnknownEvent):
                self._unknown += 1
                self._drop(event.reason)
            else:
                self._ignored += 1
            return []
        domain = event.domain
        if domain is not None and self._domains and domain not in self._domains:
            self._check_domain(event)
        out: list[Change] = []
        handler(event, event.received_at or self._clock(), out)
        if out:
            self._publish(out)
        return out

    def tick(self, now: float | None = None) -> list[Change]:
        """Start due synthetic calls and expire stale ones; call a few times a second."""
        t = self._clock() if now is None else now
        out: list[Change] = []
        self._tick_status(t, out)
        self._tick_queues(t, out)
        self._expire(t, out)
        if out:
            self._publish(out)
        self._notify_dropped()
        return out

    # ------------------------------------------------------------ legs -> calls

    def _find(self, caller: PhoneNumber, called: PhoneNumber, ext: str, other: str | None,
              t: float, *, ringing: bool = False) -> _Track | None:
        """The active call a new leg on *ext* belongs to: named by a hint, or the
        same customer on the same extension (see :data:`GROUP_WINDOW`).  A leg
        that starts *ringing* while that customer's call to us is already
        answered is a new call (call waiting), not one of its legs."""
        linked = self._linked(other)
        if linked is not None:
            return linked
        if not self._by_party:
            return None
        ours = self._extensions
        for key in (party_key(caller), party_key(called)):
            if not key or key in ours:
                continue
            tr = self._by_party.get((key, ext))
            if tr is not None and (tr.state is CallState.RINGING
                                   or tr.state is CallState.PASSED_ON
                                   or tr.direction is Direction.OUTBOUND
                                   or (not ringing and t - tr.started_at <= GROUP_WINDOW)):
                return tr
        return None

    def _join(self, tr: _Track, ev: Detailed, ext: str, caller: PhoneNumber,
              called: PhoneNumber, t: float) -> bool:
        """Add the leg of *ev* to *tr*; True if the call learnt something."""
        self._grouped += 1
        self._link(tr, ev.call_id, ev.other_leg)
        tr.last_at = t
        changed = self._fill(tr, ev, caller, called)
        if ext not in tr.offered:
            tr.offered = tr.offered | {ext}
            self._index_party(tr)
            changed = True
        return changed

    def _create(self, ev: Detailed, ext: str, caller: PhoneNumber, called: PhoneNumber,
                state: CallState, t: float, out: list[Change]) -> _Track:
        tr = _Track(ev.call_id, ext, caller, called, Direction.INBOUND, state, t)
        self._position(tr, ext, caller, called, t)
        if state is CallState.ANSWERED and tr.own_dial:
            # Own click-to-call: the first leg answered is the agent's own phone.
            tr.state = CallState.RINGING
            tr.ringing_at, tr.answered_at, tr.answered_by = t, None, None
            tr.picked_up_at = t
        tr.queue = ev.queue
        if type(ev) is RingingEvent:
            tr.caller_name = ev.caller_name
        if self._caller_legs and tr.customer_key and tr.direction is not Direction.OUTBOUND:
            self._from_caller_leg(tr)
        self._active[ev.call_id] = tr
        self._link(tr, ev.call_id, ev.other_leg)
        tr.legs[ev.call_id] = state is CallState.ANSWERED
        self._index_party(tr)
        out.append((tr.snapshot(), CallChange.STARTED))
        return tr

    def _fill(self, tr: _Track, ev: Detailed, caller: PhoneNumber, called: PhoneNumber) -> bool:
        """Fill details the call lacks from *ev*; True if anything changed."""
        changed = False
        ours = self._extensions
        if tr.direction is not Direction.OUTBOUND:
            if not tr.caller.raw and caller.raw and not self._ours(caller):
                tr.caller = caller
                tr.customer_key = party_key(caller)
                self._index_party(tr)
                changed = True
            # A leg to the phone says "called 1001"; the trunk leg knows the DID.
            if called.raw and called.key not in ours and party_key(called) != tr.customer_key \
                    and (not tr.called.raw or tr.called.key in ours):
                tr.called = called
                changed = True
        elif not tr.called.raw:
            customer = caller if called.key in ours else called
            if customer.raw and not self._ours(customer):
                tr.called = customer
                tr.customer_key = party_key(customer)
                self._index_party(tr)
                changed = True
        queue = ev.queue
        if queue and tr.queue is None:
            tr.queue = queue
            changed = True
        if type(ev) is RingingEvent and ev.caller_name and tr.caller_name is None:
            tr.caller_name = ev.caller_name
            changed = True
        return changed

    def _merge_synthetic(self, ext: str, ev: Detailed, caller: PhoneNumber,
                         called: PhoneNumber, t: float, out: list[Change]) -> _Track | None:
        """Re-key the synthetic call on *ext* as the real call *ev*."""
        syn_id = self._synthetic.get(ext)
        if syn_id is None:
            return None
        tr = self._active[syn_id]
        if tr.pending_end is not None:
            self._end(tr, t, out, None, None)  # it rang out; this is another call
            return None
        del self._synthetic[ext]
        del self._active[syn_id]
        own_dial = tr.own_dial
        tr.call_id = ev.call_id
        tr.synthetic = False
        tr.replaces = syn_id
        tr.last_at = t
        if not own_dial:
            self._position(tr, ext, caller, called, t)
        else:
            tr.customer_key = party_key(tr.called)
        tr.queue = ev.queue
        if type(ev) is RingingEvent:
            tr.caller_name = ev.caller_name
        self._active[ev.call_id] = tr
        self._link(tr, ev.call_id, ev.other_leg)
        self._index_party(tr)
        self._ended[syn_id] = None
        self._syn_merged += 1
        log.debug("synthetic call %s merged into %s", syn_id, ev.call_id)
        out.append((tr.snapshot(), CallChange.UPDATED))
        return tr

    # ------------------------------------------------------------ call events

    def _ringing(self, ev: RingingEvent, t: float, out: list[Change]) -> None:
        ext = self._own(ev.extension)
        leg = ev.call_id
        if self._held_ids:
            held = self._held_ids.get(leg)
            if held is not None and not self._held_id_event(held, ev, ext, t, out):
                self._again(held, leg, ev.other_leg, t, out)  # one id: it rings us again
                return
        if ext is None:
            self._ignored += 1
            self._foreign_ringing(ev, t)
            return
        if leg in self._ended:
            self._late += 1
            return
        if self._pending:
            self._pending.pop(ext, None)
        tr = self._by_leg.get(leg)
        if tr is None:
            caller, called = self._pair(ev)
            tr = self._find(caller, called, ext, ev.other_leg, t, ringing=True)
            if tr is not None:
                changed = self._join(tr, ev, ext, caller, called, t)
                if tr.state is CallState.PASSED_ON:
                    self._unpass(tr)  # the queue came round to us again
                    changed = True
                if changed:
                    out.append((tr.snapshot(), CallChange.UPDATED))
                return
            if self._synthetic and self._merge_synthetic(ext, ev, caller, called, t, out):
                return
            self._create(ev, ext, caller, called, CallState.RINGING, t, out)
            return
        tr.last_at = t
        changed = self._fill(tr, ev, *self._pair(ev))
        if ext not in tr.offered:
            tr.offered = tr.offered | {ext}
            self._index_party(tr)
            changed = True
        if changed:
            out.append((tr.snapshot(), CallChange.UPDATED))
        else:
            self._duplicates += 1

    def _answered(self, ev: AnsweredEvent, t: float, out: list[Change]) -> None:
        leg = ev.call_id
        ext = self._own(ev.extension)
        if self._held_ids:
            held = self._held_ids.get(leg)
            if held is not None:
                if self._held_id_event(held, ev, ext, t, out):
                    return
                self._again(held, leg, ev.other_leg, t, None)  # one id: we answer it after all
        if leg in self._ended:
            self._late += 1
            return
        tr = self._by_leg.get(leg)
        filled = False
        if tr is None:
            if ext is None:
                linked = self._linked(ev.other_leg)
                if linked is not None:
                    self._answered_by_colleague(linked, ev, t, out)
                elif not self._foreign_answered(ev, t, out):
                    self._ignored += 1
                return
            if self._pending:
                self._pending.pop(ext, None)
            caller, called = self._pair(ev)
            tr = self._find(caller, called, ext, ev.other_leg, t)
            if tr is not None:
                filled = self._join(tr, ev, ext, caller, called, t)
            else:
                if self._synthetic:
                    tr = self._merge_synthetic(ext, ev, caller, called, t, out)
                if tr is None:
                    self._create(ev, ext, caller, called, CallState.ANSWERED, t, out)
                    return
        tr.last_at = t
        if ext is None and ev.extension is not None and tr.direction is not Direction.OUTBOUND:
            # One id for the whole call, and another extension answered it.
            self._answered_by_colleague(tr, ev, t, out)
            return
        if tr.state is CallState.PASSED_ON:
            self._unpass(tr)  # the queue came round to us again, and we answer
        tr.legs[leg] = True
        if not filled:
            filled = self._fill(tr, ev, *self._pair(ev))
        if tr.own_dial and tr.state is CallState.RINGING and tr.seen_legs[:1] == [leg]:
            # The agent picked up their own phone; the customer has not answered.
            if tr.picked_up_at is None:
                tr.picked_up_at = t
                filled = True
            if filled:
                out.append((tr.snapshot(), CallChange.UPDATED))
            else:
                self._duplicates += 1
            return
        if tr.state is CallState.RINGING:
            tr.state = CallState.ANSWERED
            tr.answered_at = t
            tr.answered_by = ext or tr.extension
            if ext is not None and tr.direction is not Direction.OUTBOUND:
                tr.extension = ext
            out.append((tr.snapshot(), CallChange.ANSWERED))
        elif filled:
            out.append((tr.snapshot(), CallChange.UPDATED))
        else:
            self._duplicates += 1

    def _answered_by_colleague(self, tr: _Track | None, ev: AnsweredEvent, t: float,
                               out: list[Change]) -> None:
        """Another extension answered: a call that rings us was taken by a colleague."""
        if tr is None or tr.direction is Direction.OUTBOUND or ev.extension is None \
                or tr.state not in (CallState.RINGING, CallState.PASSED_ON):
            self._ignored += 1
            return
        if tr.state is CallState.PASSED_ON:
            self._verdict(tr, CallOutcome.ANSWERED_ELSEWHERE, out,
                          answered_by=bare_extension(ev.extension))
            return
        tr.answered_by = bare_extension(ev.extension)
        self._end(tr, t, out, CallOutcome.ANSWERED_ELSEWHERE, ev.hangup_cause)

    def _hangup(self, ev: HangupEvent | DestroyEvent, t: float, out: list[Change]) -> None:
        leg = ev.call_id
        tr = self._by_leg.get(leg)
        if tr is None:
            held = self._held_ids.get(leg) if self._held_ids else None
            if held is not None and leg not in self._ended:
                # A leg the call's legs named (the caller's): the customer call ended.
                self._held_id_event(held, ev, None, t, out)
            elif leg in self._ended:
                self._late += 1
            elif type(ev) is HangupEvent and self._own(ev.extension) is not None:
                self._orphan_hangup(ev, t, out)
            elif not self._foreign_hangup(ev, t, out):
                self._ignored += 1
            return
        if ev.extension is not None and self._own(ev.extension) is None \
                and self._number(ev.extension).kind is NumberKind.INTERNAL:
            self._ignored += 1  # one id per call: a colleague's side of a queue call
            return
        self._leg_over(tr, leg, ev.hangup_cause if type(ev) is HangupEvent else None, t, out)

    def _leg_over(self, tr: _Track, leg: str, cause: str | None, t: float,
                  out: list[Change]) -> None:
        """One leg of *tr* hung up: the call ends, or goes on without it."""
        tr.last_at = t
        answered = tr.legs.pop(leg, False)
        if self._by_leg.get(leg) is tr:
            del self._by_leg[leg]
        self._ended[leg] = None
        if tr.state is CallState.RINGING:
            outcome = None
            if cause in ELSEWHERE_CAUSES and tr.direction is not Direction.OUTBOUND:
                outcome = CallOutcome.ANSWERED_ELSEWHERE
            elif tr.direction is not Direction.OUTBOUND and self._pass_on(tr, cause, t, out):
                return  # a queue that rings one agent at a time: the verdict waits
            self._end(tr, t, out, outcome, cause)
        elif tr.state is CallState.PASSED_ON:
            # The queue offered it to us once more, and again nobody answered here.
            tr.verdict_due = max(tr.verdict_due, t + self.queue_verdict_timeout)
            self._duplicates += 1
        elif answered or not any(tr.legs.values()):
            self._end(tr, t, out, None, cause)
        else:
            self._duplicates += 1  # another phone of ours that only rang

    def _orphan_hangup(self, ev: HangupEvent, t: float, out: list[Change]) -> None:
        """A hangup for a leg never seen ringing (profiles without ``ringing``)."""
        ext = self._own(ev.extension)
        if ext is None:
            self._ignored += 1
            return
        mark = len(out)
        caller, called = self._pair(ev)
        tr = self._find(caller, called, ext, ev.other_leg, t)
        if tr is not None:
            self._join(tr, ev, ext, caller, called, t)
            self._leg_over(tr, ev.call_id, ev.hangup_cause, t, out)
            return
        if self._synthetic:
            # Tekil: the extension's status already made a call of it.
            tr = self._merge_synthetic(ext, ev, caller, called, t, out)
        if tr is None:
            if ev.hangup_cause in ELSEWHERE_CAUSES:
                self._ignored += 1  # it rang us and a colleague took it: nothing to show
                return
            if self._recently_ended((party_key(caller), party_key(called)), ext, t):
                self._late += 1  # the other leg of a call that just ended
                return
            tr = self._create(ev, ext, caller, called, CallState.RINGING, t, out)
        self._leg_over(tr, ev.call_id, ev.hangup_cause, t, out)
        if tr.state is CallState.PASSED_ON and len(out) == mark + 2 \
                and out[mark][1] is CallChange.STARTED:
            # Nothing said it rang: it starts passed on (no popup flashes up).
            out[mark:] = [(tr.snapshot(), CallChange.STARTED)]

    def _again(self, tr: _Track, leg: str, other: str | None, t: float,
               out: list[Change] | None) -> None:
        """A passed-on call's own id rings (or is answered) on our phone again."""
        self._ended.pop(leg, None)
        self._unpass(tr)
        self._link(tr, leg, other)
        tr.last_at = t
        if out is not None:
            out.append((tr.snapshot(), CallChange.UPDATED))

    def _hold(self, ev: HoldEvent, t: float, out: list[Change]) -> None:
        tr = self._leg_check(ev)
        if tr is not None:
            tr.last_at = t
            self._set_hold(tr, True, t, out)

    def _unhold(self, ev: UnholdEvent, t: float, out: list[Change]) -> None:
        tr = self._leg_check(ev)
        if tr is not None:
            tr.last_at = t
            self._set_hold(tr, False, t, out)

    def _leg_check(self, ev: HoldEvent | UnholdEvent) -> _Track | None:
        """The tracked call of a hold/unhold, unless it names another extension."""
        tr = self._by_leg.get(ev.call_id)
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
