"""How a click-to-call request or a call command ended, in words the agent reads.

:class:`DialStatus` says what happened and whether the PBX may be ringing a
phone already (:attr:`DialStatus.may_have_started`: then nothing is ever
tried again without asking the agent); :class:`DialResult` and
:class:`CommandResult` carry it to the tray, the popup and the command
line.  Split from ``dialing.py``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from desktop.core.dial_targets import DialRefusal, DialTarget

# ---------------------------------------------------------------- results


class DialStatus(enum.Enum):
    """How a dial request ended."""

    STARTED = "started"  # the PBX accepted: the agent's phone rings first
    SENT = "sent"  # originate sent on the WebSocket; the PBX did not reply
    REFUSED = "refused"  # the PBX said no; nothing happened
    NO_ANSWER = "no-answer"  # timeout / connection lost after sending: may have started
    SERVER_ERROR = "server-error"  # 5xx or an unreadable answer: may have started
    NOT_SENT = "not-sent"  # the PBX could not be reached; nothing happened
    AUTH_FAILED = "auth-failed"  # the login was rejected; nothing happened
    NOT_SET_UP = "not-set-up"  # extension, password or domain missing
    INVALID = "invalid"  # the number was refused before anything was sent
    DUPLICATE = "duplicate"  # the same number was just dialled: ignored
    CANCELLED = "cancelled"  # the agent did not confirm

    @property
    def may_have_started(self) -> bool:
        """The PBX may be ringing the phone: never try again without asking the agent."""
        return self in (DialStatus.STARTED, DialStatus.SENT, DialStatus.NO_ANSWER,
                        DialStatus.SERVER_ERROR)


#: Results after which a deliberate retry is allowed at once.
NOTHING_HAPPENED: Final = frozenset({DialStatus.REFUSED, DialStatus.NOT_SENT,
                                      DialStatus.AUTH_FAILED, DialStatus.NOT_SET_UP})


@dataclass(frozen=True, slots=True)
class DialResult:
    """The outcome of one dial request, for the tray notification and the CLI."""

    status: DialStatus
    target: DialTarget | None = None
    #: The agent's extension that rings first.
    extension: str = ""
    #: ``tekil-rest``, ``kobipbx`` or ``tekil-ws`` (diagnostics).
    backend: str = ""
    #: The PBX's own words (plain text, may be Turkish).
    server_message: str = ""
    #: Technical detail for logs and the CLI (no secrets).
    detail: str = ""
    refusal: DialRefusal | None = None

    @property
    def ok(self) -> bool:
        return self.status in (DialStatus.STARTED, DialStatus.SENT)

    @property
    def message(self) -> str:
        """The result in plain English (the UI words it through Qt's translations)."""
        shown = self.target.display if self.target else ""
        status = self.status
        if status is DialStatus.STARTED:
            return f"Your phone ({self.extension}) is ringing; then {shown} will be called."
        if status is DialStatus.SENT:
            return (f"The call to {shown} was sent to the PBX; your phone ({self.extension}) "
                    "should ring first.")
        if status is DialStatus.REFUSED:
            return f"The PBX did not place the call: {self.server_message or 'no reason given'}."
        if status is DialStatus.NO_ANSWER:
            return ("The server did not answer in time; the call may have started — "
                    "check your phone before trying again.")
        if status is DialStatus.SERVER_ERROR:
            return ("The server reported an error; the call may have started — "
                    "check your phone before trying again.")
        if status is DialStatus.NOT_SENT:
            return f"Could not reach the PBX; nothing was dialled ({self.detail})."
        if status is DialStatus.AUTH_FAILED:
            return ("The PBX rejected the login; nothing was dialled. Check the e-mail and "
                    "password in Settings.")
        if status is DialStatus.NOT_SET_UP:
            return f"Click-to-call is not set up: {self.detail}."
        if status is DialStatus.INVALID:
            return self.refusal.message if self.refusal else "Not a valid phone number."
        if status is DialStatus.DUPLICATE:
            return f"Already calling {shown}; the repeated request was ignored."
        return "The call was cancelled."


@dataclass(frozen=True, slots=True)
class CommandResult:
    """The outcome of a call command (``redirect``/``hangup``).

    ``status`` is STARTED (the PBX confirmed), SENT (no reply came; the
    replies are undocumented), REFUSED, NOT_SENT or INVALID.
    """

    command: str
    status: DialStatus
    server_message: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (DialStatus.STARTED, DialStatus.SENT)
