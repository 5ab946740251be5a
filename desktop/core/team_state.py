"""The team board's mutable records (one per line, agent and queue) and small helpers.

Only :mod:`desktop.core.team` and :mod:`desktop.core.team_queues` use them;
everyone else sees the immutable views of :mod:`desktop.core.team_model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.team_model import WaitingCaller


@dataclass(slots=True)
class LegRecord:
    """One call leg on a colleague's line."""

    state: str  # "ringing" | "up" | "held"
    other: str
    outgoing: bool
    since: float


@dataclass(slots=True, eq=False)
class LineRecord:
    """A colleague's line: registration, Tekil status, legs by id."""

    extension: str
    name: str = ""
    agent_status: str = ""
    registered: bool | None = None
    seen: bool = False
    code: int | None = None
    code_since: float | None = None
    status_text: str = ""
    agent: str | None = None
    legs: dict[str, LegRecord] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class AgentRecord:
    """A call-center agent as the events name it."""

    agent_id: str
    extension: str = ""
    agent_name: str = ""
    status: str = ""
    state: str = ""
    queues: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False)
class QueueRecord:
    """A queue: its count, callers waiting, agents seen in it."""

    extension: str
    name: str = ""
    uuid: str | None = None
    count: int | None = None
    members: dict[str, WaitingCaller] = field(default_factory=dict)
    #: Members an agent took (no longer waiting) until their ``member-queue-end``.
    served: dict[str, WaitingCaller] = field(default_factory=dict)
    agents: dict[str, None] = field(default_factory=dict)  # insertion-ordered set
    static: tuple[str, ...] = ()


def natural_key(number: str) -> tuple[int, int | str]:
    return (0, int(number)) if number.isdigit() else (1, number)


def bare_id(text: str) -> str:
    """``"1001@902242345678.kobipbx.com"`` -> ``"1001"``."""
    return text.split("@", 1)[0].strip()
