"""Settling an unconfirmed SMS: is one of the provider's messages *ours*?

A send whose answer was lost (timeout, dropped connection, a 5xx) may or
may not have gone out, and sending it again may charge the customer's
account twice.  Kobikom's SMS APIs take no idempotency key and the lost
answer carried the only id that would prove it, so the outbox asks the
provider for its messages to that number and looks for ours.  A message
counts as ours only when we can tie it to our attempt:

1. **It was not there before.**  Right before every attempt the sender lists
   the provider's messages to that number (:meth:`SmsApi.listing`) and
   stores their ids with the message; those are never ours.  Without that
   list (it failed, or an outbox written by an older version) nothing can be
   tied and the agent decides.
2. **It was created while our request was open**, by the provider's clock:
   between the attempt's start and the moment our request gave up, shifted
   by the provider's clock offset (measured from the ``Date`` header of the
   listing), with :data:`CLOCK_SLACK` either side.  A look-alike sent a
   minute before or after ours is not ours, however skewed the two clocks
   are.  A message without a creation time cannot be tied.
3. **It looks like ours**: same number, same sender title (when listed),
   same text (new API; the provider may append a short tag such as
   `` B035``) or, where the listing has no text (old API), sent through the
   API (``send_by=api``).
4. **It is not already another message's** (its provider id is not on any
   other message in the outbox).

Exactly one such message: it is ours.  Several: the agent decides (never the
"earliest").  None: ask again later, then the agent decides.  The one case
no listing can tell apart is somebody else's identical message to the same
number created within the same request window while ours did not go out;
it is then counted as ours (the customer did get that text at that moment).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

from desktop.core.numbers import normalize
from desktop.core.sms_outbox import OutboxMessage
from desktop.pbx.sms import SMS_TIMEOUT, SmsMessage

#: Slack on the provider's clock either side of our request window (s): the
#: ``Date`` header has whole seconds, old API times too, plus the latency.
CLOCK_SLACK: Final = 2.0
#: Longest an attempt's request can have been open when we do not know when it
#: ended (the app crashed while sending): every timeout of the request, added.
MAX_REQUEST_SECONDS: Final = float(sum(
    t or 0.0 for t in (SMS_TIMEOUT.connect, SMS_TIMEOUT.write, SMS_TIMEOUT.read,
                       SMS_TIMEOUT.pool)))

_SUFFIX: Final = re.compile(r"\s+\S{1,12}")


class Doubt(enum.Enum):
    """Why an unconfirmed message waits for the agent."""

    NO_RECORD = "no_record"
    SEVERAL = "several"
    UNTIABLE = "untiable"


#: The ``error`` stored with a ``needs_agent`` message, per doubt (also in logs).
DOUBT_ERRORS: Final = {
    Doubt.NO_RECORD: "the server did not confirm, and Kobikom has no record of it",
    Doubt.SEVERAL: "several messages to this number could be this one; the server did "
                   "not confirm which",
    Doubt.UNTIABLE: "the server did not confirm, and the list from before the attempt is "
                    "missing, so no message at Kobikom can be tied to this one",
}


def doubt_of(error: str | None) -> Doubt | None:
    """The doubt a ``needs_agent`` message's ``error`` names (None: another reason)."""
    for doubt, text in DOUBT_ERRORS.items():
        if error and error.startswith(text):
            return doubt
    return None


class MatchResult(enum.Enum):
    FOUND = "found"
    NONE = "none"
    SEVERAL = "several"
    #: Nothing can be tied to this attempt (no list from before it, no clock).
    UNTIABLE = "untiable"


@dataclass(frozen=True, slots=True)
class Attempt:
    """What we know about our last attempt to send one message."""

    #: Provider ids listed right before it (None: no list was taken).
    listed_before: frozenset[str] | None
    #: Our request window on the provider's clock (None: the clock is unknown).
    window: tuple[float, float] | None


def attempt_of(message: OutboxMessage, listed_before: Collection[str]) -> Attempt:
    """The attempt stored with *message* (see the module docstring)."""
    listed = frozenset(listed_before) if message.listed_at is not None else None
    window = None
    if message.clock_offset is not None and message.sending_at is not None:
        ended = message.attempt_ended_at
        if ended is None:  # interrupted (crash, quit): as long as a request can last
            ended = message.sending_at + MAX_REQUEST_SECONDS
        window = (message.sending_at + message.clock_offset - CLOCK_SLACK,
                  ended + message.clock_offset + CLOCK_SLACK)
    return Attempt(listed, window)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def same_text(ours: str, theirs: str) -> bool:
    """The provider's copy of our text (it may append a short tag, e.g. `` B035``)."""
    a, b = _norm(ours), _norm(theirs)
    if a == b:
        return True
    return b.startswith(a) and _SUFFIX.fullmatch(" " + b[len(a):].strip()) is not None \
        and len(b) - len(a) <= 14


def match_sent(message: OutboxMessage, rows: Sequence[SmsMessage], claimed: Collection[str],
               attempt: Attempt, *, lists_text: bool,
               ) -> tuple[MatchResult, SmsMessage | None]:
    """Decide whether the provider's *rows* contain *message* (see the module docstring)."""
    if attempt.listed_before is None or attempt.window is None:
        return MatchResult.UNTIABLE, None
    start, end = attempt.window
    candidates = []
    for row in rows:
        if not row.provider_id or row.provider_id in claimed \
                or row.provider_id in attempt.listed_before:
            continue
        if row.created_at is None or not start <= row.created_at <= end:
            continue
        if row.to and normalize(row.to) != message.to_key:
            continue
        if row.sender and message.sender and row.sender.casefold() != message.sender.casefold():
            continue
        if lists_text:
            if row.text is None or not same_text(message.text, row.text):
                continue
        elif str(row.raw.get("send_by", "api")).lower() not in ("api", ""):
            continue
        candidates.append(row)
    if not candidates:
        return MatchResult.NONE, None
    if len(candidates) == 1:
        return MatchResult.FOUND, candidates[0]
    return MatchResult.SEVERAL, None
