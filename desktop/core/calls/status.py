"""Tekil ``ExtensionStatus``: calls the channel only hints at.

Tekil Santral documents one real-time message, ``ExtensionStatus``
(extension, status code).  When our extension reports RINGING and no real
call event rings there, a *synthetic* call (``ext-status:<ext>:<n>``, caller
unknown: the PBX did not send it) is started after ``grace`` seconds.  A
real ``ringing``/``answered`` for that extension later merges into it (one
call, one popup: ``UPDATED`` with ``replaces`` set).  IN_USE means answered,
ON_HOLD held; IDLE/UNAVAILABLE ends it.

Ending a synthetic call that was never answered: if a colleague's
extension went from RINGING to IN_USE within :data:`STATUS_PAIR_WINDOW`
seconds, a colleague took the call (ring-all): answered elsewhere, not
missed.  Otherwise the call is ``PASSED_ON`` (no longer ringing here: its
popup closes) and the verdict waits:

* a colleague whose phone rang with ours goes IN_USE within the window
  (its status may come a moment later): answered elsewhere;
* a colleague's phone starts ringing within the window after ours stopped:
  the call moved on (a queue ringing one agent at a time) and is followed
  there: that phone going IN_USE means answered elsewhere; that phone
  stopping means it moved on again (followed once more within the window)
  or the caller left;
* nothing within the window (at most ``ring_timeout`` while following):
  missed.

This relies on the channel reporting every extension's status, which the
simulator does; with only our own extension's, such calls are missed until
the call records (gap filling, caller fill-in) say otherwise; so are calls
that take longer than the window to move on (Asterisk's queue ``retry``
waits 5 s between members by default).  A RINGING
status shortly after the agent's own click-to-call is that dial (outgoing,
the number known from :class:`~desktop.core.calls.dials.RecentDials`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Final, TypeVar

from desktop.core.calls.core import MAX_EXTENSION_STATES, SYNTHETIC_PREFIX, _TrackerCore
from desktop.core.calls.model import CallChange, CallOutcome, CallState, Change, _Track
from desktop.pbx.events import Direction, ExtensionState, ExtensionStatusEvent

log = logging.getLogger("kobikom.core.calls")

#: A colleague's answer this close to our phone stopping means they took our call.
STATUS_PAIR_WINDOW: Final = 1.5

_IN_USE_FLAGS: Final = int(ExtensionState.IN_USE | ExtensionState.BUSY | ExtensionState.ON_HOLD)
_RINGING_FLAG: Final = int(ExtensionState.RINGING)
_HOLD_FLAG: Final = int(ExtensionState.ON_HOLD)

V = TypeVar("V")


class _StatusCalls(_TrackerCore):
    """The Tekil ``ExtensionStatus`` rules (see the module docstring)."""

    def _setup(self) -> None:
        super()._setup()
        self._ext_states: dict[str, int] = {}
        #: our extension -> time its RINGING status was first seen (no call yet)
        self._pending: dict[str, float] = {}
        #: our extension -> id of its active, not yet merged synthetic call
        self._synthetic: dict[str, str] = {}
        #: our extension -> when a real call on it last ended
        self._real_ended_at: dict[str, float] = {}
        #: any extension -> since when it rings (by status)
        self._ringing_since: dict[str, float] = {}
        #: a colleague's extension -> (when it went from ringing to in use, rang since)
        self._picked_up: dict[str, tuple[float, float]] = {}
        self._synthetic_seq = 0

    def configure(self, extensions: Iterable[str],
                  domain: str | Iterable[str] | None = None) -> None:
        super().configure(extensions, domain)
        for ext in [e for e in self._pending if e not in self._extensions]:
            del self._pending[ext]

    # ------------------------------------------------------------ queries

    def extension_state(self, extension: str) -> int | None:
        """Last Tekil status code of *extension* (``-1`` = not found), or None."""
        return self._ext_states.get(extension.strip().partition("@")[0])

    def extension_states(self) -> dict[str, int]:
        """A copy of every extension's last Tekil status code."""
        return dict(self._ext_states)

    # ------------------------------------------------------------ hooks of the core

    def _forget_synthetic(self, tr: _Track, t: float) -> None:
        if tr.synthetic:
            if self._synthetic.get(tr.extension) == tr.call_id:
                del self._synthetic[tr.extension]
        else:
            self._real_ended_at[tr.extension] = t

    def _reset_status(self) -> None:
        self._pending.clear()

    # ------------------------------------------------------------ events

    def _real_call_on(self, ext: str, t: float) -> bool:
        """A real call rings on *ext*, or one ended there less than ``status_quiet`` ago."""
        for tr in self._active.values():
            if tr.extension == ext and not tr.synthetic and tr.state is CallState.RINGING:
                return True
        ended = self._real_ended_at.get(ext)
        return ended is not None and t - ended < self.status_quiet

    @staticmethod
    def _bounded_set(table: dict[str, V], key: str, value: V) -> None:
        if key not in table and len(table) >= MAX_EXTENSION_STATES:
            del table[next(iter(table))]
        table[key] = value

    def _status(self, ev: ExtensionStatusEvent, t: float, out: list[Change]) -> None:
        code = ev.code
        ext = self._own(ev.extension)
        key = ext if ext is not None else ev.extension.strip().partition("@")[0]
        previous = self._ext_states.get(key)
        self._bounded_set(self._ext_states, key, code)
        ringing = code >= 0 and bool(code & _RINGING_FLAG)
        in_use = code > 0 and bool(code & _IN_USE_FLAGS)
        if ringing:
            if key not in self._ringing_since:
                self._bounded_set(self._ringing_since, key, t)
                if ext is None and self._synthetic:
                    self._colleague_rings(key, t)
        else:
            rang = self._ringing_since.pop(key, None)
            if rang is not None and ext is None:
                if in_use:
                    self._bounded_set(self._picked_up, key, (t, rang))
                    self._colleague_answered(key, rang, t, out)
                elif self._synthetic:
                    self._colleague_stopped(key, t)
        if ext is None:
            self._ignored += 1
            return
        if previous != code and self._on_extension_state is not None:
            try:
                self._on_extension_state(ext, code)
            except Exception:
                log.exception("on_extension_state callback failed")
        syn_id = self._synthetic.get(ext)
        if ringing:
            if syn_id is not None and self._active[syn_id].pending_end is not None:
                tr = self._active[syn_id]
                if tr.follow is not None:
                    # Followed round the colleagues' phones, back to ours: the same call.
                    tr.state = CallState.RINGING
                    tr.pending_end = tr.passed_at = tr.follow = None
                    tr.last_at = t
                    out.append((tr.snapshot(), CallChange.UPDATED))
                    return
                # The last call rang out; this is a new one.
                self._end(tr, t, out, CallOutcome.MISSED, None)
                syn_id = None
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
            if tr.state is CallState.RINGING and not tr.own_dial:
                self._rang_out(tr, t, out)
            else:
                self._end(tr, t, out, None, None)
            return
        hold = bool(code & _HOLD_FLAG)
        if tr.pending_end is not None:
            return
        if tr.state is CallState.RINGING or hold != (tr.state is CallState.ON_HOLD):
            self._set_hold(tr, hold, t, out)

    def _rang_out(self, tr: _Track, t: float, out: list[Change]) -> None:
        """Our phone stopped ringing unanswered: missed, or taken by a colleague?"""
        taker = self._taker(tr, t)
        if taker is not None:
            tr.answered_by = taker
            self._end(tr, t, out, CallOutcome.ANSWERED_ELSEWHERE, None)
            return
        # Not ringing here any more; wait for a colleague's status (see the docstring).
        tr.pending_end = t
        tr.verdict_due = t + STATUS_PAIR_WINDOW
        tr.follow = None
        tr.state = CallState.PASSED_ON
        tr.passed_at = t
        out.append((tr.snapshot(), CallChange.PASSED_ON))

    def _taker(self, tr: _Track, t: float) -> str | None:
        for key, (at, rang) in self._picked_up.items():
            if abs(t - at) <= STATUS_PAIR_WINDOW \
                    and abs(rang - tr.started_at) <= STATUS_PAIR_WINDOW:
                return key
        return None

    def _colleague_answered(self, key: str, rang: float, t: float, out: list[Change]) -> None:
        for syn_id in list(self._synthetic.values()):
            tr = self._active.get(syn_id)
            if tr is not None and tr.pending_end is not None and (
                    tr.follow == key
                    or (t - tr.pending_end <= STATUS_PAIR_WINDOW
                        and abs(rang - tr.started_at) <= STATUS_PAIR_WINDOW)):
                tr.answered_by = key
                self._end(tr, tr.pending_end, out, CallOutcome.ANSWERED_ELSEWHERE, None)

    def _colleague_rings(self, key: str, t: float) -> None:
        """A colleague's phone starts ringing: a call that just left ours moved there?"""
        for syn_id in self._synthetic.values():
            tr = self._active.get(syn_id)
            if tr is not None and tr.pending_end is not None and not tr.follow \
                    and t <= tr.verdict_due:
                tr.follow = key
                tr.verdict_due = tr.pending_end + self.ring_timeout
                return

    def _colleague_stopped(self, key: str, t: float) -> None:
        """A colleague's phone stopped ringing unanswered: a followed call moves on, or ends."""
        for syn_id in self._synthetic.values():
            tr = self._active.get(syn_id)
            if tr is not None and tr.follow == key:
                tr.follow = ""  # between two phones: followed again if another rings soon
                tr.verdict_due = min(t + STATUS_PAIR_WINDOW,
                                     (tr.pending_end or t) + self.ring_timeout)

    def _start_synthetic(self, ext: str, since: float, answered_at: float | None,
                         out: list[Change]) -> None:
        self._synthetic_seq += 1
        call_id = f"{SYNTHETIC_PREFIX}{ext}:{self._synthetic_seq}"
        unknown = self._number("")
        tr = _Track(call_id, ext, unknown, self._number(ext), Direction.INBOUND,
                    CallState.RINGING, since)
        tr.synthetic = True
        note = self.dials.match_extension(ext, since) if self.dials is not None else None
        if note is not None:
            # The agent's own click-to-call rings their phone first.
            note.claimed = True
            tr.own_dial = True
            tr.direction = Direction.OUTBOUND
            tr.caller, tr.called = self._number(ext), note.number
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

    # ------------------------------------------------------------ timers

    def _tick_status(self, t: float, out: list[Change]) -> None:
        if self._pending:
            for ext, since in list(self._pending.items()):
                if t - since >= self.grace:
                    del self._pending[ext]
                    if not self._real_call_on(ext, t):
                        self._start_synthetic(ext, since, None, out)
        if self._synthetic:
            for syn_id in list(self._synthetic.values()):
                tr = self._active.get(syn_id)
                if tr is not None and tr.pending_end is not None and t >= tr.verdict_due:
                    self._end(tr, tr.pending_end, out, CallOutcome.MISSED, None)
