"""What the caller popup shows about one call: a plain, immutable view model.

The core builds a :class:`CallerCard` from the tracked call, the directory
match and the journal's history for the number, and hands a fresh card to
the UI on every change (ringing -> answered -> ended).  The popup never
queries anything itself; it only renders cards.  Everything in a card that
came from outside (names, companies, notes, the PBX's caller name) is
untrusted text and must be rendered as plain text.

Where the number came from matters to the words the popup uses
(:class:`NumberSource`): a caller who withheld the number is not the same
as a PBX that did not send it (Tekil Santral's channel documents only the
extension's state), and a number filled in later from the call records is
the PBX's own.  The agent's own click-to-call gets no popup
(:attr:`CallerCard.shows_popup`): the agent knows whom they are calling.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from desktop.core.numbers import PhoneNumber, parse_number


class CardState(enum.Enum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ON_HOLD = "on_hold"
    #: No longer ringing on the agent's phone: a queue passed the call on to a
    #: colleague; not ended, its verdict (missed or answered elsewhere) comes
    #: later.  Its popup closes at once; only the missed-calls card waits.
    PASSED_ON = "passed_on"
    ENDED = "ended"


class NumberSource(enum.Enum):
    """Where the card's number came from."""

    #: The PBX sent it with the call (it may be withheld: ``NumberKind.ANONYMOUS``).
    PBX = "pbx"
    #: The channel told only that the extension rings (Tekil ``ExtensionStatus``):
    #: the number is unknown, not withheld.
    NOT_SENT = "not_sent"
    #: Filled in afterwards from the PBX's call records (``v1/getcdr``, ``missedcalls``).
    CDR = "cdr"
    #: The agent's own click-to-call: the number the agent dialled.
    DIALLED = "dialled"


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
    #: Where :attr:`number` came from (see :class:`NumberSource`).
    number_source: NumberSource = NumberSource.PBX
    #: The agent's own click-to-call (never incoming, never missed, no popup).
    own_dial: bool = False
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

    @property
    def number_not_sent(self) -> bool:
        """The PBX did not send the caller's number (not the same as withheld)."""
        return self.number_source is NumberSource.NOT_SENT

    @property
    def shows_popup(self) -> bool:
        """A popup is wanted: every call but the agent's own click-to-call."""
        return not self.own_dial


def with_caller(card: CallerCard, number_raw: str, outcome: str | None) -> CallerCard:
    """*card* once the call records named its caller (:mod:`desktop.core.caller_fill`)."""
    return replace(card, number=parse_number(number_raw), number_source=NumberSource.CDR,
                   outcome=CardOutcome(outcome) if outcome else card.outcome)


def with_contact(card: CallerCard, contact_id: int | None, name: str | None,
                 company: str | None, notes: str | None) -> CallerCard:
    """*card* with the directory's match for its number."""
    return replace(card, contact_id=contact_id, name=name or None, company=company or None,
                   notes=notes or None)
