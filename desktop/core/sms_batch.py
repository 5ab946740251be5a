"""What one composer's sends came to: who got the SMS, and who may be sent it again.

A composer sends one text to several recipients as one batch of outbox
messages.  When some of them fail, the agent must be able to fix the cause
(top up the balance, correct a number) and press Send again **without
charging the others twice**.  :class:`BatchProgress` sorts the messages:

* ``sent``: the provider accepted it (sent or delivered);
* ``undelivered``: accepted (and charged), then the operator could not
  deliver it: sending again is a new, paid message, so not from "To";
* ``refused``: refused before anything went out (invalid number,
  insufficient balance): nothing was charged, it may be sent again;
* ``deciding``: the server did not confirm and the provider's list could not
  settle it: only the agent's "Send again"/"Don't send" moves it;
* ``cancelled``: the agent chose not to send it;
* ``pending``: still on its way (queued, sending, being checked).

Only ``refused`` recipients go back into "To"; everybody else is done for
this window (:attr:`BatchProgress.done_keys`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.core.sms_outbox import OutboxMessage, SmsState


class Outcome(enum.Enum):
    SENT = "sent"
    UNDELIVERED = "undelivered"
    REFUSED = "refused"
    DECIDING = "deciding"
    CANCELLED = "cancelled"
    PENDING = "pending"


def outcome_of(message: OutboxMessage) -> Outcome:
    state = message.state
    if state in (SmsState.SENT, SmsState.DELIVERED):
        return Outcome.SENT
    if state is SmsState.FAILED:
        # A provider id means it was accepted (and charged) before failing.
        return Outcome.UNDELIVERED if message.provider_id else Outcome.REFUSED
    if state is SmsState.NEEDS_AGENT:
        return Outcome.DECIDING
    if state is SmsState.CANCELLED:
        return Outcome.CANCELLED
    return Outcome.PENDING


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """One batch's messages, sorted by :class:`Outcome` (see the module docstring)."""

    messages: tuple[OutboxMessage, ...]

    @classmethod
    def of(cls, messages: Iterable[OutboxMessage]) -> BatchProgress:
        return cls(tuple(messages))

    def with_outcome(self, *outcomes: Outcome) -> list[OutboxMessage]:
        return [m for m in self.messages if outcome_of(m) in outcomes]

    @property
    def all_sent(self) -> bool:
        return bool(self.messages) and all(outcome_of(m) is Outcome.SENT
                                           for m in self.messages)

    @property
    def settled(self) -> bool:
        """Nothing is on its way and no question is open."""
        return all(outcome_of(m) not in (Outcome.PENDING, Outcome.DECIDING)
                   for m in self.messages)

    @property
    def partial(self) -> bool:
        """Some recipients got it and some did not (yet)."""
        return bool(self.with_outcome(Outcome.SENT)) and not self.all_sent

    @property
    def retry_recipients(self) -> list[str]:
        """The refused recipients, as the agent typed them: they go back into "To"."""
        return [m.to_raw for m in self.with_outcome(Outcome.REFUSED)]

    @property
    def done_keys(self) -> set[str]:
        """Numbers this batch must never send to again on its own."""
        return {m.to_key for m in self.messages if outcome_of(m) is not Outcome.REFUSED}
