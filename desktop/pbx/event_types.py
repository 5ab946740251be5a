"""The typed, frozen events of Kobikom's real-time channels (no parsing here).

:mod:`desktop.pbx.events` turns messages into these classes and re-exports
them; import them from there.  Call events carry one *leg*'s id
(``call_id``): FreeSWITCH and Asterisk give every leg its own id, and
``other_leg`` carries the id of the leg it is bridged to or of the whole
call (``otherLegUUID``, ``linkedid``), when the PBX sends one.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from desktop.pbx.timestamps import parse_timestamp

# ---------------------------------------------------------------- base classes


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Anything that arrived on an event channel."""

    #: The decoded message as received (a dict for JSON objects).
    raw: Any = field(repr=False, compare=False)
    #: Wall-clock time (``time.time()``) when we parsed it.
    received_at: float = field(default=0.0, compare=False)
    #: The server's ``timestamp`` field, verbatim (format undocumented).
    timestamp: str | None = field(default=None, compare=False)
    #: ``domain`` / ``domainUuid`` as sent, when present: the domain UUID, the
    #: domain *name* (``902245320088.kobipbx.com``), anything; never a reason
    #: to drop an event (the server already filters by domain).
    domain: str | None = None

    @property
    def sent_at(self) -> float | None:
        """``timestamp`` as epoch seconds (every plausible form; see
        :func:`~desktop.pbx.timestamps.parse_timestamp`), None if absent or unreadable."""
        return parse_timestamp(self.timestamp)


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEvent(Event):
    """An event about one call leg, identified by ``callUUID`` (or a variant)."""

    call_id: str
    #: The id of the leg this one is bridged to, or of the whole call
    #: (``otherLegUUID``, ``Other-Leg-Unique-ID``, ``linkedid``, ...), if sent.
    other_leg: str | None = None


# ---------------------------------------------------------------- call events


class Direction(enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    LOCAL = "local"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, kw_only=True)
class RingingEvent(CallEvent):
    """``ringing``: the call starts ringing on ``extension``."""

    extension: str | None = None
    #: Caller and called number exactly as sent (normalization is core's job).
    caller: str = ""
    called: str = ""
    direction: Direction = Direction.UNKNOWN
    #: Queue the call came through, when the message says so (Tekil variants).
    queue: str | None = None
    #: Caller name if the PBX sent one (``callerName`` / ``cidName``).
    caller_name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnsweredEvent(CallEvent):
    """``answered``: the call was answered."""

    extension: str | None = None
    caller: str = ""
    called: str = ""
    direction: Direction = Direction.UNKNOWN
    channel_call_state: str | None = None
    hangup_cause: str | None = None
    queue: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HangupEvent(CallEvent):
    """``hangup``: the call (leg) was terminated.

    The documented key fields are only the id and the cause; a server that
    sends the leg's fields too (as FreeSWITCH channel events have them) fills
    ``caller``/``called``/``direction``, which lets a hangup with no
    ``ringing`` before it still be placed.
    """

    hangup_cause: str | None = None
    extension: str | None = None
    caller: str = ""
    called: str = ""
    direction: Direction = Direction.UNKNOWN
    queue: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DestroyEvent(CallEvent):
    """``destroy``: the channel was destroyed (always after hangup)."""

    extension: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldEvent(CallEvent):
    """``hold``: the call was put on hold."""

    extension: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UnholdEvent(CallEvent):
    """``unhold``: the call was taken off hold."""

    extension: str | None = None


# ---------------------------------------------------------------- registration / agents


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtensionRegistrationEvent(Event):
    """``extension-registration``: a phone registered, or failed to."""

    extension: str
    registered: bool
    status_text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentStatusChangeEvent(Event):
    """``agent-status-change``."""

    agent: str
    status: str = ""
    agent_name: str | None = None
    queue: str | None = None
    queue_extension: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentStateChangeEvent(Event):
    """``agent-state-change``."""

    agent: str
    state: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeAgentStartEvent(Event):
    """``bridge-agent-start``: an agent was bridged to a queue caller."""

    agent: str
    agent_uuid: str | None = None
    #: Not in the documented key fields (mod_callcenter has them as
    #: ``CC-Member-UUID``, ``CC-Member-CID-Number``, ``CC-Queue``); taken when present.
    member_uuid: str | None = None
    caller: str | None = None
    queue: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeAgentEndEvent(Event):
    """``bridge-agent-end``."""

    agent: str
    agent_uuid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BridgeAgentFailEvent(Event):
    """``bridge-agent-fail``."""

    agent: str
    fail_cause: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AgentOfferingEvent(Event):
    """``agent-offering``: a queue call is offered to an agent."""

    agent: str
    queue: str | None = None
    #: Not in the documented key fields; taken when present.
    call_id: str | None = None
    caller: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MembersCountEvent(Event):
    """``members-count``: number of callers waiting in a queue."""

    queue: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberQueueStartEvent(Event):
    """``member-queue-start``: a caller joined a queue.

    The documented key fields are ``memberUUID`` and ``cidName`` only;
    mod_callcenter's event also names the queue (``CC-Queue``) and the
    caller's number (``CC-Member-CID-Number``): taken when present.
    """

    member_uuid: str
    cid_name: str | None = None
    #: Not in the documented key fields; taken when present (``cidNumber``...).
    cid_number: str | None = None
    queue: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberQueueEndEvent(Event):
    """``member-queue-end``: a caller left a queue.

    mod_callcenter's ``cause`` is ``Terminated`` (the caller was served) or
    ``Cancel`` (the caller left unserved; ``cancelReason`` says why)."""

    member_uuid: str
    cid_name: str | None = None
    cause: str | None = None
    cid_number: str | None = None
    queue: str | None = None
    cancel_reason: str | None = None


# ---------------------------------------------------------------- Tekil ExtensionStatus


class ExtensionState(enum.IntFlag):
    """Tekil ``ExtensionStatus`` codes (they are Asterisk's extension states)."""

    IDLE = 0  # Boşta Hazır
    IN_USE = 1  # Kullanımda
    BUSY = 2  # Meşgul
    UNAVAILABLE = 4  # Bağlı Değil
    RINGING = 8  # Çalıyor
    ON_HOLD = 16  # Beklemede


#: ``status`` -1: "Dahili Bulunamadı" (extension not found) is not a flag.
EXTENSION_NOT_FOUND: Final = -1

EXTENSION_STATUS_TEXT: Final[Mapping[int, str]] = {
    -1: "Dahili Bulunamadı",
    0: "Boşta Hazır",
    1: "Kullanımda",
    2: "Meşgul",
    4: "Bağlı Değil",
    8: "Çalıyor",
    16: "Beklemede",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtensionStatusEvent(Event):
    """Tekil ``ExtensionStatus``: the state of one extension."""

    extension: str
    #: The code as an int (``-1`` .. ``16``, or a documented-code sum).
    code: int

    @property
    def found(self) -> bool:
        return self.code != EXTENSION_NOT_FOUND

    @property
    def state(self) -> ExtensionState | None:
        """Flags for known codes; ``None`` for -1 (not found)."""
        if self.code < 0:
            return None
        return ExtensionState(self.code & 0x1F)

    @property
    def ringing(self) -> bool:
        st = self.state
        return st is not None and bool(st & ExtensionState.RINGING)

    @property
    def text(self) -> str:
        if self.code in EXTENSION_STATUS_TEXT:
            return EXTENSION_STATUS_TEXT[self.code]
        parts = [EXTENSION_STATUS_TEXT[int(f)] for f in ExtensionState if f and self.code & f]
        return " + ".join(parts) or str(self.code)


# ---------------------------------------------------------------- protocol-level messages


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyEvent(Event):
    """The server's answer to our login/handshake/command (undocumented shape).

    ``ok`` is True/False when the message says so, None when it only echoes.
    """

    command: str | None = None
    ok: bool | None = None
    message: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class KeepAliveEvent(Event):
    """A ``ping``/``pong``/heartbeat message on the application level."""


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownEvent(Event):
    """Anything we could not make sense of; logged and counted, never fatal."""

    reason: str = ""


