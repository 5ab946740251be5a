"""Kobikom's SMS APIs: the values both clients return, and the interface the outbox uses.

See :mod:`desktop.pbx.sms` for the requests and the choices made where the
documents are silent.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final, Protocol

#: The old API's dates are Turkish local time (TRT, UTC+3 all year since 2016).
TURKEY: Final = timezone(timedelta(hours=3), "TRT")
_FAILED_WORDS: Final = frozenset({
    "FAILED", "FAIL", "UNDELIVERED", "UNDELIVERABLE", "REJECTED", "EXPIRED", "ERROR",
    "BLOCKED", "BLACKLIST", "BLACKLISTED", "CANCELLED", "CANCELED", "INVALID"})
_DELIVERED_WORDS: Final = frozenset({"DELIVERED", "SUCCESS", "DELIVRD"})


class SmsCoding(enum.Enum):
    """How a text is encoded; the value is the old API's ``unicode`` parameter."""

    PLAIN = "0"
    TURKISH = "turkish"
    UNICODE = "1"


class DeliveryState(enum.Enum):
    """The provider's verdict on a message it accepted."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SentSms:
    """A send the provider accepted."""

    #: New API ``uuid``; old API ``message_id``.
    provider_id: str
    status: str = ""
    #: Credits charged, when the answer says (old API ``cost``).
    cost: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class SmsMessage:
    """One message as the provider lists it."""

    provider_id: str
    to: str
    sender: str
    #: The text as stored by the provider (may carry a suffix such as `` B035``);
    #: None where the listing has no text (old API history).
    text: str | None
    status: str
    state: DeliveryState
    #: Epoch seconds; None when absent or unreadable.
    created_at: float | None = None
    delivered_at: float | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class SenderTitle:
    """A sender title (başlık) the account may send with."""

    title: str
    #: New API ``type``: ``"title"`` (alphanumeric) or ``"number"``; "" if unknown.
    kind: str = ""


@dataclass(frozen=True, slots=True)
class SmsBalance:
    """The account's SMS balance.  The unit is not documented (credits or money)."""

    amount: Decimal
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class OldBulkItem:
    """One entry of the old API's multiple-send body."""

    to: str
    text: str
    sender: str
    coding: SmsCoding = SmsCoding.PLAIN



@dataclass(frozen=True, slots=True)
class SentListing:
    """What :meth:`SmsApi.listing` found, and the provider's clock when it answered."""

    rows: list[SmsMessage]
    #: The provider's clock minus ours (seconds), measured from the answer's
    #: ``Date`` header (whole seconds, so about ±1 s); None without one.
    clock_offset: float | None


class SmsApi(Protocol):
    """What the outbox needs from either SMS API."""

    #: "new" or "old".
    kind: str
    #: The host, as named in messages.
    service: str
    base_url: str
    #: True when :meth:`find_sent` results carry the message text.
    lists_text: bool

    async def send(self, to: str, text: str, sender: str, *,
                   coding: SmsCoding = SmsCoding.PLAIN) -> SentSms: ...

    async def status(self, provider_id: str, *, sent_at: float | None = None,
                     ) -> SmsMessage | None: ...

    async def find_sent(self, to: str, sender: str, *, since: float,
                        until: float) -> list[SmsMessage]: ...

    async def senders(self) -> list[SenderTitle]: ...

    async def balance(self) -> SmsBalance: ...

    async def aclose(self) -> None: ...


    async def listing(self, to: str, sender: str, *, since: float,
                      until: float) -> SentListing: ...


def delivery_state(status: str) -> DeliveryState:
    """Map a provider status word to a :class:`DeliveryState` (see the module docstring)."""
    word = status.strip().upper()
    if word in _DELIVERED_WORDS:
        return DeliveryState.DELIVERED
    if word in _FAILED_WORDS:
        return DeliveryState.FAILED
    return DeliveryState.PENDING


def iso_time(value: Any) -> float | None:
    """``2022-07-07T17:14:52.000000Z`` -> epoch seconds."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def turkish_time(value: Any) -> float | None:
    """Old API ``2021-04-16 12:03:40`` (Turkish time) -> epoch seconds."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return parsed.replace(tzinfo=TURKEY).timestamp()


def turkish_stamp(moment: datetime) -> str:
    """*moment* as the old API writes dates (naive values are taken as Turkish time)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(TURKEY)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def as_text(value: Any) -> str:
    return "" if value is None else str(value)

