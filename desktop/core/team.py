"""The team and queue board's domain: colleagues' lines, queues, waiting and abandoned callers.

:class:`TeamBoard` starts from the team the REST API lists
(:mod:`desktop.core.team_directory`) and folds every real-time event into
it (:meth:`TeamBoard.feed`, fed by the line's event fan-out: the same one
connection as the call tracker).  Folding is O(1) per event and touches
nothing but dictionaries; what changed is collected, and
:meth:`TeamBoard.take_changes` turns it into fresh immutable views
(:mod:`desktop.core.team_model`) and the rows to repaint, as often as the
one showing them wants (the Qt side coalesces to a few times a second).

How each reading of the events is folded (see ``desktop/simulator/profiles.py``):

* **Legs.** A colleague's line is the set of call legs that name their
  extension (``ringing``/``answered`` carry ``extension``), keyed by leg
  id.  One id per call (several extensions under one id, a queue ringing
  three phones) and one id per leg (FreeSWITCH: the trunk leg and each
  phone's leg, the losers hung up with ``LOSE_RACE``) both fold the same:
  an ``answered`` naming another extension ends the rings under its id, a
  ``hangup``/``destroy`` ends every leg of its id, ``hold``/``unhold`` (id
  only) apply to the legs of the id.  Legs that name a queue number as
  extension (FreeSWITCH's trunk leg of a queue call) are nobody's.  A
  colleague who is the leg's caller is dialling out: in a call, not ringing.
* **Registration.** ``extension-registration`` says offline or online; a
  colleague seen in a call is online.  KobiPBX sends no snapshot at login,
  so a colleague nobody heard of since we connected is "unknown", not free.
* **Tekil** ``ExtensionStatus`` codes (flags: 1 in use, 2 busy, 4 not
  connected, 8 ringing, 16 on hold, -1 not found) decide the state when
  sent; call events, when the PBX sends them, add with whom.
* **Queues.** ``members-count`` is the number waiting; ``member-queue-start``
  / ``-end`` list the callers (``cidName``; ``queue`` and ``cidNumber`` when
  sent, as mod_callcenter has them).  A member event without a queue (the
  documented key fields only) goes to the queue whose ``members-count``
  rises next, within :data:`PENDING_WINDOW`, else to no queue.  Queues are
  named as FusionPBX does (``60000@domain``), by number, name or UUID.
  A ``Cancel`` end (or a cancel reason) is an abandoned caller: kept for the
  day, one entry per number.
* **Agents** (``agent-status-change``/``-state-change``/``agent-offering``)
  are named by their agent UUID (``list-user-extension``), the extension
  or ``ext@domain``; the queue an event names makes the agent one of its.

Safety nets for missed events (a reconnect may swallow a hangup): a ring
older than :data:`RING_LIMIT` and a call older than :data:`CALL_LIMIT` end.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from desktop.core.team_directory import TeamDirectory
from desktop.core.team_model import (
    AbandonedCaller,
    AgentView,
    ColleagueView,
    Presence,
    QueueView,
    WaitingCaller,
)
from desktop.core.team_queues import PENDING_WINDOW, CallCenter
from desktop.core.team_state import (
    AgentRecord,
    LegRecord,
    LineRecord,
    QueueRecord,
    natural_key,
)
from desktop.pbx import events as ev

log = logging.getLogger("kobikom.core.team")

#: A ring nobody ended is dropped after this long (s; the call tracker's limit too).
RING_LIMIT: Final = 300.0
#: A call nobody ended is dropped after this long (s).
CALL_LIMIT: Final = 4 * 3600.0
#: Names looked up in the directory kept in memory.
NAME_CACHE: Final = 4096
#: Legs and unplaced queue members are checked for their limits at most this often (s).
EXPIRE_EVERY: Final = 1.0


@dataclass(frozen=True, slots=True)
class BoardChanges:
    """What :meth:`TeamBoard.take_changes` found changed since the last call."""

    #: Rows were added or the team was reloaded: re-read everything.
    structure: bool = False
    colleagues: tuple[int, ...] = ()
    queues: tuple[int, ...] = ()
    callers: bool = False
    abandoned: bool = False

    @property
    def empty(self) -> bool:
        return not (self.structure or self.colleagues or self.queues or self.callers
                    or self.abandoned)


class TeamBoard(CallCenter):
    """The live board (see the module docstring).  Not thread-safe: one loop feeds it."""

    def __init__(self, *, name_for: Callable[[str], str | None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._name_for = name_for
        self._clock = clock
        self._reset()

    def clear(self) -> None:
        """Forget everything (another account): the next :meth:`take_changes` says so."""
        self._reset()

    def _reset(self) -> None:
        self._names: dict[str, str] = {}
        self._exts: dict[str, LineRecord] = {}
        self._order: list[str] = []
        self._row: dict[str, int] = {}
        self._views: list[ColleagueView] = []
        self._agent_ids: dict[str, str] = {}  # agent UUID / name -> extension
        self._agents: dict[str, AgentRecord] = {}
        self._queues: dict[str, QueueRecord] = {}
        self._queue_alias: dict[str, str] = {}
        self._queue_views: list[QueueView] = []
        self._queue_row: dict[str, int] = {}
        self._agent_views: dict[str, AgentView] = {}
        self._counts: Counter[Presence] = Counter()
        self._expired_at = 0.0
        self._member_queue: dict[str, str] = {}  # member uuid -> queue ("" pending)
        self._pending: dict[str, WaitingCaller] = {}
        self._leg_exts: dict[str, set[str]] = {}
        self._busy: set[str] = set()  # extensions with legs
        self._abandoned: dict[str, AbandonedCaller] = {}
        self._callers: tuple[WaitingCaller, ...] = ()
        self._day = self._today()
        self._dirty: set[str] = set()
        self._dirty_queues: set[str] = set()
        self._structure = True
        self._callers_changed = False
        self._abandoned_changed = False
        #: Events folded, and those about nothing on the board (diagnostics, tests).
        self.events = 0
        self.ignored = 0
        self.directory = TeamDirectory()

    # -- the team -------------------------------------------------------------------

    def load(self, directory: TeamDirectory) -> None:
        """Set the team from the REST lists; live state of known lines is kept."""
        self.directory = directory
        for colleague in directory.colleagues:
            ext = self._ext(colleague.extension, add=True)
            assert ext is not None
            ext.name = colleague.name
            ext.agent_status = colleague.agent_status or ext.agent_status
            for alias in (colleague.agent_id, colleague.agent_name):
                if alias:
                    self._agent_ids[alias] = colleague.extension
        for info in directory.queues:
            queue = self._queues.get(info.extension)
            if queue is None:
                queue = self._queues[info.extension] = QueueRecord(info.extension)
            queue.name, queue.uuid, queue.static = info.name, info.uuid, info.members
            for alias in (info.uuid, info.name):
                if alias:
                    self._queue_alias[alias.casefold()] = info.extension
        for agent in self._agents.values():  # heard of before the team was read
            if not agent.extension:
                agent.extension = self._agent_extension(agent)
                if agent.extension:
                    self._exts[agent.extension].agent = agent.agent_id
        self._structure = True

    def _ext(self, extension: str, *, add: bool = False) -> LineRecord | None:
        ext = self._exts.get(extension)
        if ext is None and add:
            ext = self._exts[extension] = LineRecord(extension)
            self._structure = True
        return ext

    # -- events -----------------------------------------------------------------------

    def feed(self, event: ev.Event) -> None:
        """Fold one event in (never raises on odd content)."""
        self.events += 1
        handler = _HANDLERS.get(type(event))
        if handler is None or not handler(self, event):
            self.ignored += 1

    def _mark(self, extension: str) -> None:
        self._dirty.add(extension)

    def _line_of(self, event: ev.RingingEvent | ev.AnsweredEvent) -> LineRecord | None:
        for candidate in (event.extension, event.called, event.caller):
            if candidate and candidate in self._exts:
                return self._exts[candidate]
        return None

    def _set_leg(self, ext: LineRecord, call_id: str, state: str, event: ev.RingingEvent |
                 ev.AnsweredEvent) -> None:
        outgoing = event.caller == ext.extension
        other = event.called if outgoing else event.caller
        leg = ext.legs.get(call_id)
        if leg is None:
            ext.legs[call_id] = LegRecord(state, other, outgoing, event.received_at)
            self._leg_exts.setdefault(call_id, set()).add(ext.extension)
            self._busy.add(ext.extension)
        elif state != "ringing" and leg.state == "ringing":
            leg.state, leg.since = state, event.received_at
        else:
            return
        ext.seen = True
        self._mark(ext.extension)

    def _caller_line(self, ext: LineRecord, call_id: str, state: str,
                     event: ev.RingingEvent | ev.AnsweredEvent) -> None:
        """A colleague calling another: the caller's line is busy too (a leg of the
        callee names only the callee's extension)."""
        caller = self._exts.get(event.caller)
        if caller is not None and caller is not ext:
            self._set_leg(caller, call_id, state, event)

    def _ringing(self, event: ev.RingingEvent) -> bool:
        ext = self._line_of(event)
        if ext is None:
            return False
        self._set_leg(ext, event.call_id, "ringing", event)
        self._caller_line(ext, event.call_id, "ringing", event)
        return True

    def _answered(self, event: ev.AnsweredEvent) -> bool:
        ext = self._line_of(event)
        if ext is None:
            return False
        for other in list(self._leg_exts.get(event.call_id, ())):
            leg = self._exts[other].legs.get(event.call_id)
            if other != ext.extension and other != event.caller and leg is not None \
                    and leg.state == "ringing" and not leg.outgoing:
                self._drop_leg(other, event.call_id)  # one id per call: a colleague took it
        self._set_leg(ext, event.call_id, "up", event)
        self._caller_line(ext, event.call_id, "up", event)
        return True

    def _drop_leg(self, extension: str, call_id: str) -> None:
        ext = self._exts[extension]
        if ext.legs.pop(call_id, None) is not None:
            self._mark(extension)
        owners = self._leg_exts.get(call_id)
        if owners is not None:
            owners.discard(extension)
            if not owners:
                del self._leg_exts[call_id]
        if not ext.legs:
            self._busy.discard(extension)

    def _ended(self, event: ev.CallEvent) -> bool:
        owners = self._leg_exts.get(event.call_id)
        if not owners:
            return False
        for extension in list(owners):
            self._drop_leg(extension, event.call_id)
        return True

    def _hold(self, event: ev.CallEvent) -> bool:
        held = isinstance(event, ev.HoldEvent)
        owners = self._leg_exts.get(event.call_id, ())
        for extension in owners:
            leg = self._exts[extension].legs[event.call_id]
            if leg.state in ("up", "held") and (leg.state == "held") != held:
                leg.state = "held" if held else "up"
                self._mark(extension)
        return bool(owners)

    def _registration(self, event: ev.ExtensionRegistrationEvent) -> bool:
        ext = self._ext(event.extension, add=True)
        assert ext is not None
        if ext.registered is not event.registered or not ext.seen:
            ext.registered, ext.seen = event.registered, True
            self._mark(ext.extension)
        return True

    def _status(self, event: ev.ExtensionStatusEvent) -> bool:
        ext = self._ext(event.extension, add=event.found)
        if ext is None:
            return False
        if ext.code != event.code:
            ext.code, ext.code_since, ext.status_text = event.code, event.received_at, event.text
            ext.seen = True
            self._mark(ext.extension)
        return True

    # -- views -------------------------------------------------------------------------

    def _expire(self, now: float) -> None:
        for extension in list(self._busy):
            ext = self._exts[extension]
            for call_id, leg in list(ext.legs.items()):
                limit = RING_LIMIT if leg.state == "ringing" else CALL_LIMIT
                if now - leg.since > limit:
                    log.info("board: leg %s of %s dropped after %.0f s without an end",
                             call_id, extension, now - leg.since)
                    self._drop_leg(extension, call_id)
        for member in [m for m in self._pending.values() if now - m.since > PENDING_WINDOW]:
            # No members-count named its queue: show it under no queue.
            del self._pending[member.member_uuid]
            orphan = self._queue("?")
            assert orphan is not None
            self._add_member(orphan, member)

    def take_changes(self) -> BoardChanges:
        """Bring the views up to date; what changed since the last call."""
        now = self._clock()
        self._roll_day()
        if (self._busy or self._pending) and now - self._expired_at >= EXPIRE_EVERY:
            self._expired_at = now
            self._expire(now)
        structure = self._structure
        if structure:
            self._order = sorted(self._exts, key=natural_key)
            self._row = {ext: i for i, ext in enumerate(self._order)}
            self._views = [self._view(self._exts[e]) for e in self._order]
            self._counts = Counter(v.presence for v in self._views)
            self._agent_views.clear()
            self._queue_row = {key: i for i, key in enumerate(self._queues)}
            self._queue_views = [self._queue_view(q) for q in self._queues.values()]
            rows: tuple[int, ...] = ()
            queue_rows: tuple[int, ...] = ()
        else:
            changed = []
            for extension in self._dirty:
                row = self._row[extension]
                ext = self._exts[extension]
                view = self._view(ext)
                old = self._views[row]
                if view != old:
                    self._views[row] = view
                    self._counts[old.presence] -= 1
                    self._counts[view.presence] += 1
                    changed.append(row)
                if ext.agent:  # an agent's readiness follows its line
                    self._refresh_agent(self._agents[ext.agent])
            rows = tuple(sorted(changed))
            queue_list = []
            for key in self._dirty_queues:
                row = self._queue_row[key]
                self._queue_views[row] = self._queue_view(self._queues[key])
                queue_list.append(row)
            queue_rows = tuple(sorted(queue_list))
        callers = False
        if self._callers_changed or structure or queue_rows:
            waiting = tuple(sorted((m for q in self._queue_views for m in q.callers),
                                   key=lambda m: m.since))
            callers = waiting != self._callers
            self._callers = waiting
        changes = BoardChanges(structure, rows, queue_rows, callers,
                               self._abandoned_changed or structure)
        self._dirty.clear()
        self._dirty_queues.clear()
        self._structure = self._callers_changed = self._abandoned_changed = False
        return changes

    def _name(self, number: str) -> str:
        if not number:
            return ""
        colleague = self._exts.get(number)
        if colleague is not None:
            return colleague.name or ""
        cached = self._names.get(number)
        if cached is None:
            try:
                cached = (self._name_for(number) if self._name_for else None) or ""
            except Exception:  # a directory problem must not stop the board
                log.exception("board: name lookup failed")
                cached = ""
            if len(self._names) >= NAME_CACHE:
                self._names.clear()
            self._names[number] = cached
        return cached

    def forget_names(self) -> None:
        """The directory changed: look numbers up again."""
        self._names.clear()
        self._dirty.update(self._busy)

    def _view(self, ext: LineRecord) -> ColleagueView:
        leg = max(ext.legs.values(), key=lambda g: (_RANK[g.state], g.since), default=None)
        since = leg.since if leg is not None else None
        if ext.code is not None:
            presence = _code_presence(ext.code)
            if leg is None and presence in (Presence.IN_CALL, Presence.ON_HOLD,
                                            Presence.RINGING):
                since = ext.code_since
            elif presence in (Presence.FREE, Presence.OFFLINE, Presence.NOT_FOUND):
                leg, since = None, None
        elif leg is not None:
            presence = Presence.ON_HOLD if leg.state == "held" else (
                Presence.RINGING if leg.state == "ringing" and not leg.outgoing
                else Presence.IN_CALL)
        elif ext.registered is False:
            presence = Presence.OFFLINE
        else:
            presence = Presence.FREE if ext.registered or ext.seen else Presence.UNKNOWN
        agent = self._agents.get(ext.agent) if ext.agent else None
        other = leg.other if leg is not None else ""
        return ColleagueView(
            ext.extension, ext.name, presence, other, self._name(other),
            leg.outgoing if leg is not None else False, since, ext.registered,
            (agent.status if agent is not None and agent.status else ext.agent_status),
            agent.state if agent is not None else "", ext.status_text)

    @property
    def colleagues(self) -> list[ColleagueView]:
        """One view per extension, by number (as of the last :meth:`take_changes`)."""
        return self._views

    @property
    def presence_counts(self) -> Counter[Presence]:
        """How many colleagues are in each state (as of the last :meth:`take_changes`)."""
        return self._counts

    @property
    def queues(self) -> list[QueueView]:
        return self._queue_views

    @property
    def waiting(self) -> tuple[WaitingCaller, ...]:
        """Every waiting caller, longest waiting first."""
        return self._callers

    @property
    def abandoned(self) -> list[AbandonedCaller]:
        """Today's abandoned callers, latest first."""
        return sorted(self._abandoned.values(), key=lambda a: a.at, reverse=True)

    def row_of(self, extension: str) -> int | None:
        return self._row.get(extension)

    def colleague(self, extension: str) -> ColleagueView | None:
        row = self._row.get(extension)
        return self._views[row] if row is not None else None

    def queue(self, text: str) -> QueueView | None:
        for view in self._queue_views:
            if text in (view.extension, view.name):
                return view
        return None

    def snapshot(self) -> dict[str, Any]:
        """The board as plain data (``kobikom-desktop team --json``); it takes the
        changes, so it is for a board nobody else shows."""
        self.take_changes()
        now = self._clock()

        def ago(since: float | None) -> int | None:
            return None if since is None else max(0, round(now - since))

        return {
            "extensions": [{
                "extension": c.extension, "name": c.name, "state": c.presence.value,
                "with": c.other_number or None, "with_name": c.other_name or None,
                "outgoing": c.outgoing if c.other_number else None, "seconds": ago(c.since),
                "registered": c.registered, "agent_status": c.agent_status or None,
                "agent_state": c.agent_state or None, "status_text": c.status_text or None,
            } for c in self._views],
            "queues": [{
                "extension": q.extension, "name": q.name, "waiting": q.waiting,
                "reported": q.reported,
                "callers": [{"number": m.number or None, "name": m.name or None,
                             "seconds": ago(m.since)} for m in q.callers],
                "agents": [{"agent": a.agent_id, "extension": a.extension or None,
                            "name": a.name or None, "status": a.status or None,
                            "state": a.state or None} for a in q.agents],
            } for q in self._queue_views],
            "abandoned": [{"queue": a.queue or None, "number": a.number or None,
                           "name": a.name or None, "at": a.at, "waited": round(a.waited),
                           "times": a.times} for a in self.abandoned],
            "events": self.events,
            "source": self.directory.source or None,
        }


_RANK: Final = {"ringing": 0, "up": 1, "held": 2}


def _code_presence(code: int) -> Presence:
    if code < 0:
        return Presence.NOT_FOUND
    if code & ev.ExtensionState.ON_HOLD:
        return Presence.ON_HOLD
    if code & (ev.ExtensionState.IN_USE | ev.ExtensionState.BUSY):
        return Presence.IN_CALL
    if code & ev.ExtensionState.RINGING:
        return Presence.RINGING
    if code & ev.ExtensionState.UNAVAILABLE:
        return Presence.OFFLINE
    return Presence.FREE


_HANDLERS: Final[dict[type, Callable[[TeamBoard, Any], bool]]] = {
    ev.RingingEvent: TeamBoard._ringing,
    ev.AnsweredEvent: TeamBoard._answered,
    ev.HangupEvent: TeamBoard._ended,
    ev.DestroyEvent: TeamBoard._ended,
    ev.HoldEvent: TeamBoard._hold,
    ev.UnholdEvent: TeamBoard._hold,
    ev.ExtensionRegistrationEvent: TeamBoard._registration,
    ev.ExtensionStatusEvent: TeamBoard._status,
    ev.AgentStatusChangeEvent: TeamBoard._agent_status,
    ev.AgentStateChangeEvent: TeamBoard._agent_state,
    ev.AgentOfferingEvent: TeamBoard._offering,
    ev.BridgeAgentStartEvent: TeamBoard._bridged,
    ev.MembersCountEvent: TeamBoard._members_count,
    ev.MemberQueueStartEvent: TeamBoard._member_start,
    ev.MemberQueueEndEvent: TeamBoard._member_end,
}
