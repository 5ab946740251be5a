"""The call-center part of the team board: agents, queues, waiting and abandoned callers.

:class:`CallCenter` is the base class of :class:`~desktop.core.team.TeamBoard`:
it folds ``agent-status-change``, ``agent-state-change``, ``agent-offering``,
``bridge-agent-start``, ``members-count`` and ``member-queue-start``/``-end``
(see that module's docstring for how each reading is folded) and builds the
queue and agent views.  It shares the board's records (lines, agents,
queues), which :meth:`TeamBoard._reset` creates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Final

from desktop.core.team_model import (
    ABANDON_CAUSES,
    AVAILABLE_STATUSES,
    READY_STATE,
    AbandonedCaller,
    AgentView,
    QueueView,
    WaitingCaller,
)
from desktop.core.team_state import AgentRecord, LineRecord, QueueRecord, bare_id
from desktop.pbx import events as ev

#: A member event without a queue waits this long for a ``members-count`` to rise (s).
PENDING_WINDOW: Final = 3.0
#: Abandoned callers kept (the oldest go first).
ABANDONED_LIMIT: Final = 500
_QUEUE_IN_NAME: Final = re.compile(r"\((\d+)\)\s*$")
_NUMBERISH: Final = re.compile(r"^[+0-9][0-9 ()+\-]{2,}$")


class CallCenter:
    """Agents and queues of the board (see the module docstring)."""

    _clock: Callable[[], float]
    _exts: dict[str, LineRecord]
    _agent_ids: dict[str, str]
    _agents: dict[str, AgentRecord]
    _queues: dict[str, QueueRecord]
    _queue_alias: dict[str, str]
    _queue_views: list[QueueView]
    _agent_views: dict[str, AgentView]
    _member_queue: dict[str, str]
    _pending: dict[str, WaitingCaller]
    _abandoned: dict[str, AbandonedCaller]
    _day: date
    _dirty_queues: set[str]
    _structure: bool
    _callers_changed: bool
    _abandoned_changed: bool

    def _mark(self, extension: str) -> None:
        raise NotImplementedError

    def _today(self) -> date:
        return datetime.fromtimestamp(self._clock()).date()

    def _roll_day(self) -> None:
        today = self._today()
        if today != self._day:
            self._day = today
            if self._abandoned:
                self._abandoned.clear()
                self._abandoned_changed = True

    def _agent(self, agent_id: str, agent_name: str | None = None) -> AgentRecord:
        agent = self._agents.get(agent_id)
        if agent is None:
            agent = self._agents[agent_id] = AgentRecord(agent_id, agent_name=agent_name or "")
        if not agent.extension:
            agent.extension = self._agent_extension(agent)
        if agent.extension:
            ext = self._exts.get(agent.extension)
            if ext is not None and ext.agent != agent_id:
                ext.agent = agent_id
        return agent

    def _agent_extension(self, agent: AgentRecord) -> str:
        """The colleague an agent is: by agent UUID, extension, ``ext@domain`` or name."""
        for candidate in (agent.agent_id, bare_id(agent.agent_id), agent.agent_name,
                          bare_id(agent.agent_name)):
            if not candidate:
                continue
            if candidate in self._agent_ids:
                return self._agent_ids[candidate]
            if candidate in self._exts:
                return candidate
        return ""

    def _touch_agent(self, agent: AgentRecord) -> None:
        if agent.extension:
            self._mark(agent.extension)
        self._agent_views.pop(agent.agent_id, None)
        self._dirty_queues.update(agent.queues)

    def _refresh_agent(self, agent: AgentRecord) -> None:
        """The agent's line changed: its queues change only if its view does."""
        before = self._agent_views.get(agent.agent_id)
        if before is not None and self._agent_view(agent) != before:
            self._dirty_queues.update(agent.queues)

    def _join(self, agent: AgentRecord, queue_text: str | None) -> None:
        queue = self._queue(queue_text)
        if queue is not None and agent.agent_id not in queue.agents:
            queue.agents[agent.agent_id] = None
            agent.queues.add(queue.extension)
            self._dirty_queues.add(queue.extension)

    def _agent_status(self, event: ev.AgentStatusChangeEvent) -> bool:
        agent = self._agent(event.agent, event.agent_name)
        agent.status = event.status
        self._join(agent, event.queue_extension or event.queue)
        self._touch_agent(agent)
        return True

    def _agent_state(self, event: ev.AgentStateChangeEvent) -> bool:
        agent = self._agent(event.agent)
        agent.state = event.state
        self._touch_agent(agent)
        return True

    def _offering(self, event: ev.AgentOfferingEvent) -> bool:
        self._join(self._agent(event.agent), event.queue)
        return True

    def _queue(self, text: str | None) -> QueueRecord | None:
        """The queue an event names (number, ``number@domain``, name, UUID); new if unknown."""
        if not text:
            return None
        text = text.strip()
        key = text if text in self._queues else self._queue_alias.get(text.casefold())
        if key is None:
            bare = bare_id(text)
            if bare in self._queues:
                key = bare
            else:
                match = _QUEUE_IN_NAME.search(text)
                key = match.group(1) if match and match.group(1) in self._queues else None
        if key is not None:
            return self._queues[key]
        bare = bare_id(text) or text
        queue = self._queues[bare] = QueueRecord(bare, "" if bare == text else text)
        self._queue_alias[text.casefold()] = bare
        self._structure = True
        return queue

    def _members_count(self, event: ev.MembersCountEvent) -> bool:
        queue = self._queue(event.queue)
        assert queue is not None
        before = queue.count if queue.count is not None else len(queue.members)
        queue.count = max(0, event.count)
        rises = queue.count - before
        while rises > 0 and self._pending:
            member = min(self._pending.values(), key=lambda m: m.since)
            if event.received_at - member.since > PENDING_WINDOW:
                break
            del self._pending[member.member_uuid]
            self._add_member(queue, member)
            rises -= 1
        self._dirty_queues.add(queue.extension)
        return True

    def _serve(self, queue: QueueRecord, member_uuid: str) -> None:
        member = queue.members.pop(member_uuid, None)
        if member is not None:
            queue.served[member_uuid] = member
            self._dirty_queues.add(queue.extension)
            self._callers_changed = True

    def _bridged(self, event: ev.BridgeAgentStartEvent) -> bool:
        key = self._member_queue.get(event.member_uuid or "")
        if not key:
            return False
        self._serve(self._queues[key], event.member_uuid or "")
        return True

    def _add_member(self, queue: QueueRecord, member: WaitingCaller) -> None:
        placed = WaitingCaller(member.member_uuid, queue.extension, member.number, member.name,
                               member.since)
        queue.members[member.member_uuid] = placed
        self._member_queue[member.member_uuid] = queue.extension
        self._dirty_queues.add(queue.extension)
        self._callers_changed = True

    def _caller(self, cid_name: str | None, cid_number: str | None) -> tuple[str, str]:
        name = (cid_name or "").strip()
        number = (cid_number or "").strip()
        if not number and _NUMBERISH.match(name):
            number, name = name, ""
        if name == number:
            name = ""
        return number, name

    def _member_start(self, event: ev.MemberQueueStartEvent) -> bool:
        number, name = self._caller(event.cid_name, event.cid_number)
        member = WaitingCaller(event.member_uuid, "", number, name, event.received_at)
        self._leave(event.member_uuid)  # a repeat: joins again
        queue = self._queue(event.queue)
        if queue is None:
            self._pending[event.member_uuid] = member
            self._member_queue[event.member_uuid] = ""
            self._callers_changed = True
        else:
            self._add_member(queue, member)
        return True

    def _leave(self, member_uuid: str) -> WaitingCaller | None:
        key = self._member_queue.pop(member_uuid, None)
        if key is None:
            return None
        self._callers_changed = True
        if key == "":
            return self._pending.pop(member_uuid, None)
        queue = self._queues[key]
        self._dirty_queues.add(key)
        return queue.members.pop(member_uuid, None) or queue.served.pop(member_uuid, None)

    def _member_end(self, event: ev.MemberQueueEndEvent) -> bool:
        member = self._leave(event.member_uuid)
        causes = {(event.cause or "").casefold(), (event.cancel_reason or "").casefold()}
        if causes & ABANDON_CAUSES and "terminated" not in causes:
            number, name = self._caller(event.cid_name, event.cid_number)
            queue = self._queue(event.queue)
            self._abandon(
                queue=member.queue if member is not None and member.queue else
                (queue.extension if queue is not None else ""),
                number=number or (member.number if member else ""),
                name=name or (member.name if member else ""),
                at=event.received_at,
                waited=event.received_at - member.since if member is not None else 0.0)
        return member is not None or bool(causes & ABANDON_CAUSES)

    def _abandon(self, *, queue: str, number: str, name: str, at: float,
                 waited: float) -> None:
        self._roll_day()
        entry = AbandonedCaller(queue, number, name, at, max(0.0, waited))
        earlier = self._abandoned.pop(entry.key, None)
        if earlier is not None:
            entry = AbandonedCaller(queue, number, name or earlier.name, at, entry.waited,
                                    times=earlier.times + 1)
        self._abandoned[entry.key] = entry
        while len(self._abandoned) > ABANDONED_LIMIT:
            del self._abandoned[next(iter(self._abandoned))]
        self._abandoned_changed = True

    def mark_called_back(self, key: str) -> bool:
        """The agent called this abandoned caller back from the board."""
        entry = self._abandoned.get(key)
        if entry is None or entry.called_back:
            return False
        self._abandoned[key] = AbandonedCaller(entry.queue, entry.number, entry.name,
                                               entry.at, entry.waited, entry.times, True)
        self._abandoned_changed = True
        return True

    def _queue_view(self, queue: QueueRecord) -> QueueView:
        agents = []
        seen: set[str] = set()
        for agent_id in queue.agents:
            view = self._agent_views.get(agent_id) or self._agent_view(self._agents[agent_id])
            agents.append(view)
            seen.add(view.extension)
        for extension in queue.static:  # Tekil: the queue's members by configuration
            if extension not in seen:
                ext = self._exts.get(extension)
                agents.append(AgentView(extension, extension, ext.name if ext else "",
                                        ext.status_text if ext else "",
                                        ready=ext is not None and ext.code == 0))
        callers = tuple(sorted(queue.members.values(), key=lambda m: m.since))
        if queue.count is not None and len(callers) > queue.count:
            # Fewer wait than we list: agents took the longest waiting (mod_callcenter
            # serves in order) and no bridge-agent-start said whom; or an end is on its
            # way.  The member events settle it; until then show the count's worth.
            callers = callers[len(callers) - queue.count:]
        waiting = queue.count if queue.count is not None else len(callers)
        return QueueView(queue.extension, queue.name, waiting, callers, tuple(agents),
                         reported=queue.count is not None)

    def _agent_view(self, agent: AgentRecord) -> AgentView:
        ext = self._exts.get(agent.extension) if agent.extension else None
        status = agent.status or (ext.agent_status if ext else "")
        # Ready: available and waiting for a call; with no state heard yet, a free line.
        free = ext is not None and not ext.legs and ext.registered is not False and \
            (ext.code is None or ext.code == 0)
        ready = status.casefold() in AVAILABLE_STATUSES and (
            agent.state.casefold() == READY_STATE if agent.state else free)
        view = self._agent_views[agent.agent_id] = AgentView(
            agent.agent_id, agent.extension, ext.name if ext else "", status, agent.state, ready)
        return view

    def my_queues(self, extensions: Iterable[str], chosen: Iterable[str] = ()) -> list[str]:
        """The agent's queues: *chosen* (numbers or names) if any, else the queues the
        agent's extensions are known to answer, else every queue."""
        names = {text.strip().casefold() for text in chosen if text.strip()}
        if names:
            return [q.extension for q in self._queues.values()
                    if q.extension.casefold() in names or q.name.casefold() in names]
        mine = [e for e in extensions if e in self._exts]
        found: set[str] = set()
        for extension in mine:
            agent_id = self._exts[extension].agent
            if agent_id:
                found |= self._agents[agent_id].queues
        known = [q.extension for q in self._queues.values()
                 if q.extension in found or any(e in q.static for e in mine)]
        return known or [q.extension for q in self._queues.values() if q.extension != "?"]

    def waiting_for(self, extensions: Iterable[str], chosen: Iterable[str] = ()) -> int:
        """Callers waiting in the agent's queues (the tray badge)."""
        wanted = set(self.my_queues(extensions, chosen))
        return sum(v.waiting for v in self._queue_views if v.extension in wanted)
