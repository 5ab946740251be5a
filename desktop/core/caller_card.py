"""What the caller popup shows about one call: a plain, immutable view model.

The core builds a :class:`CallerCard` from the tracked call, the directory
match and the journal's history for the number, and hands a fresh card to
the UI on every change (ringing -> answered -> ended).  The popup never
queries anything itself; it only renders cards.  Everything in a card that
came from outside (names, companies, notes, the PBX's caller name) is
untrusted text and must be rendered as plain text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from desktop.core.numbers import PhoneNumber


class CardState(enum.Enum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ON_HOLD = "on_hold"
    ENDED = "ended"


class CardOutcome(enum.Enum):
    ANSWERED = "answered"
    MISSED = "missed"
    ANSWERED_ELSEWHERE = "answered_elsewhere"  # a colleague took the queue call
    NOT_ANSWERED = "not_answered"  # our outgoing call was not answered
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PastCall:
    """One earlier call with the same number (from the journal)."""

    at: float  # wall-clock start
    direction: str  # "inbound" / "outbound" / "local" / "unknown"
    outcome: str  # a CardOutcome value
    talk_seconds: int = 0


@dataclass(frozen=True, slots=True)
class CallerCard:
    call_id: str
    state: CardState
    #: The other party: the caller for incoming calls, the called number for outgoing.
    number: PhoneNumber
    direction: str = "inbound"
    outcome: CardOutcome | None = None
    #: The agent's extension the call rang on.
    extension: str | None = None
    #: The number / DID the caller dialled, when the PBX says.
    called: PhoneNumber | None = None
    #: The queue the call came through, when the PBX says.
    queue: str | None = None
    #: Directory match (None = unknown number).
    contact_id: int | None = None
    name: str | None = None
    company: str | None = None
    notes: str | None = None
    #: Caller name sent by the PBX itself (untrusted).
    pbx_name: str | None = None
    #: Calls with this number before this one (from the journal).
    previous_calls: int = 0
    last_call_at: float | None = None
    recent: tuple[PastCall, ...] = field(default_factory=tuple)
    #: Agent's own notes for this number (journal notes, issue 5).
    number_notes: str | None = None
    ringing_at: float | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    #: True when made up from a Tekil ExtensionStatus without caller details.
    synthetic: bool = False
    #: The (synthetic) call id this card's call replaced: the popup showing
    #: that id must now show this card (one call, one popup).
    replaces: str | None = None
    #: Recording path/URL once the PBX has one (history/recording issues).
    recording: str | None = None
    #: Where ``name``/``company`` came from: "local" (the directory), "ldap" or
    #: "http" (a remote lookup; then ``contact_id`` is None), None if unknown.
    contact_source: str | None = None
    #: A remote directory lookup for the number is running (within its time
    #: budget); a later card of the same call brings its answer.
    lookup_pending: bool = False

    @property
    def known(self) -> bool:
        """The caller is in the local directory (remote contacts cannot be edited)."""
        return self.contact_id is not None

    @property
    def named(self) -> bool:
        """A directory (local, LDAP or the CRM's lookup) knows the caller: show its name."""
        return (self.contact_id is not None or self.contact_source is not None) and \
            bool(self.name or self.company)

    @property
    def missed(self) -> bool:
        return self.outcome is CardOutcome.MISSED

    @property
    def ended(self) -> bool:
        return self.state is CardState.ENDED
