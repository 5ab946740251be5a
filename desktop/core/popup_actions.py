"""Which buttons a caller popup offers for a card (no dead buttons).

:class:`PopupActions` says which features are wired up (the app switches
each on as it wires the feature); :func:`card_buttons` says which of them
make sense for one card.  Pure functions: the popup widget only shows what
this returns.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from desktop.core.caller_card import CallerCard
from desktop.core.numbers import NumberKind

#: libphonenumber types that can receive an SMS.
SMS_TYPES: Final = frozenset({"MOBILE", "FIXED_LINE_OR_MOBILE"})


@dataclass(frozen=True, slots=True)
class PopupActions:
    """Which optional features the popups offer buttons for."""

    call_back: bool = False
    sms: bool = False
    recording: bool = False
    #: Live-call control (Tekil WebSocket only): transfer to an extension, hang up.
    transfer: bool = False
    hangup: bool = False
    #: "Show all" on the missed-calls card (the call history is wired).
    missed_list: bool = False
    #: "Open in CRM" (a CRM address is set).
    crm: bool = False


class Button(enum.Enum):
    ADD_CONTACT = "add_contact"
    CALL_BACK = "call_back"
    SMS = "sms"
    RECORDING = "recording"
    TRANSFER = "transfer"
    HANG_UP = "hang_up"
    CRM = "crm"


def dialable(card: CallerCard) -> bool:
    return card.number.kind in (NumberKind.EXTERNAL, NumberKind.INTERNAL)


def card_buttons(card: CallerCard, actions: PopupActions) -> frozenset[Button]:
    """The buttons a popup showing *card* offers."""
    number = card.number
    buttons: set[Button] = set()
    if not card.known and dialable(card):
        buttons.add(Button.ADD_CONTACT)
    if actions.call_back and dialable(card) and card.ended:
        buttons.add(Button.CALL_BACK)
    if actions.sms and number.kind is NumberKind.EXTERNAL and number.number_type in SMS_TYPES:
        buttons.add(Button.SMS)
    if actions.recording and bool(card.recording) and card.ended:
        buttons.add(Button.RECORDING)
    # Commands need the PBX's call id: not for synthetic (ExtensionStatus-only) calls.
    live = not card.ended and not card.synthetic and bool(card.call_id)
    if actions.transfer and live:
        buttons.add(Button.TRANSFER)
    if actions.hangup and live:
        buttons.add(Button.HANG_UP)
    if actions.crm and dialable(card):
        buttons.add(Button.CRM)
    return frozenset(buttons)
