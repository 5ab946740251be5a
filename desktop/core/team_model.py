"""What the team and queue board shows: immutable views, and the value sets they use.

:class:`~desktop.core.team.TeamBoard` keeps the live state and hands out
these frozen snapshots (one per colleague, per queue, per waiting or
abandoned caller) to the Qt models, the command line and the tests.  Times
are epoch seconds; durations are computed by whoever shows them, against
their own clock, so a snapshot never goes stale by itself.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final


class Presence(enum.Enum):
    """A colleague's line as the board shows it."""

    #: No news yet: not in any event since we connected (KobiPBX sends no snapshot).
    UNKNOWN = "unknown"
    #: Not registered (``extension-registration`` false; Tekil ``4`` Bağlı Değil).
    OFFLINE = "offline"
    FREE = "free"
    RINGING = "ringing"
    #: In a call, or dialling out (Tekil ``1`` Kullanımda / ``2`` Meşgul).
    IN_CALL = "in-call"
    ON_HOLD = "on-hold"
    #: Tekil ``-1`` (Dahili Bulunamadı).
    NOT_FOUND = "not-found"


#: mod_callcenter agent statuses that take queue calls.
AVAILABLE_STATUSES: Final = frozenset({"available", "available (on demand)"})
#: mod_callcenter's agent state of an agent waiting for a queue call.
READY_STATE: Final = "waiting"
#: ``member-queue-end`` causes (and cancel reasons) of a caller who was never answered.
ABANDON_CAUSES: Final = frozenset({"cancel", "abandoned", "timeout", "no_agent_timeout",
                                   "break_out", "no-agent-timeout", "break-out"})


@dataclass(frozen=True, slots=True)
class ColleagueView:
    extension: str
    name: str
    presence: Presence
    #: The other party of the call shown (as sent), "" when none.
    other_number: str = ""
    #: A colleague's or a known contact's name for it, "" when unknown.
    other_name: str = ""
    #: The colleague is the caller (dialling out) rather than being called.
    outgoing: bool = False
    #: Since when the state shown holds (ring start, or answer), None without a call.
    since: float | None = None
    #: Registration as last reported (None: not reported since we connected).
    registered: bool | None = None
    agent_status: str = ""
    agent_state: str = ""
    #: Tekil ``ExtensionStatus`` text, verbatim (Turkish), when that is the source.
    status_text: str = ""


@dataclass(frozen=True, slots=True)
class WaitingCaller:
    member_uuid: str
    #: The queue's number (``QueueView.extension``), "" when not known yet.
    queue: str
    number: str
    name: str
    since: float


@dataclass(frozen=True, slots=True)
class AbandonedCaller:
    queue: str
    number: str
    name: str
    #: When the caller gave up (the last time, if several times today).
    at: float
    #: How long they waited that last time (s).
    waited: float
    #: Times today this number gave up.
    times: int = 1
    #: The agent called them back from the board.
    called_back: bool = False

    @property
    def key(self) -> str:
        return self.number or self.name


@dataclass(frozen=True, slots=True)
class AgentView:
    #: The agent as the events name it (UUID, extension or ``ext@domain``).
    agent_id: str
    #: The colleague's extension, "" when the agent could not be matched.
    extension: str
    name: str
    status: str = ""
    state: str = ""
    #: Available and waiting for a queue call (with no state heard yet: a free line).
    ready: bool = False


@dataclass(frozen=True, slots=True)
class QueueView:
    extension: str
    name: str
    #: Callers waiting: ``members-count`` when sent, else the callers we saw join.
    waiting: int
    callers: tuple[WaitingCaller, ...] = ()
    agents: tuple[AgentView, ...] = ()
    #: Waiting counts are reported for this queue (never on Tekil).
    reported: bool = False

    @property
    def longest_since(self) -> float | None:
        return min((c.since for c in self.callers), default=None)

    @property
    def ready_agents(self) -> int:
        return sum(1 for a in self.agents if a.ready)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.extension})" if self.name and self.name != self.extension \
            else self.extension
