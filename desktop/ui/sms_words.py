"""Words and small helpers shared by the SMS widgets (state names, the counter, recipients)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Final

from PySide6.QtCore import QCoreApplication

from desktop.core.sms_outbox import SmsState
from desktop.core.sms_text import SmsCount, SmsEncoding

_RECIPIENT_SPLIT: Final = re.compile(r"[,;\n]+")


def split_recipients(text: str) -> list[str]:
    """Numbers separated by commas, semicolons or line breaks."""
    return [part.strip() for part in _RECIPIENT_SPLIT.split(text) if part.strip()]


def format_balance(amount: Decimal) -> str:
    """``998.0000`` -> ``998``; ``2.9340`` -> ``2.934`` (the unit is not documented)."""
    text = format(amount.normalize(), "f")
    return text



def state_text(state: SmsState) -> str:
    names = {
        SmsState.QUEUED: QCoreApplication.translate("SmsText", "Waiting to send"),
        SmsState.SENDING: QCoreApplication.translate("SmsText", "Sending…"),
        SmsState.SENT: QCoreApplication.translate("SmsText", "Sent"),
        SmsState.DELIVERED: QCoreApplication.translate("SmsText", "Delivered"),
        SmsState.FAILED: QCoreApplication.translate("SmsText", "Failed"),
        SmsState.UNKNOWN: QCoreApplication.translate("SmsText", "Not confirmed: checking…"),
        SmsState.NEEDS_AGENT: QCoreApplication.translate("SmsText", "Needs your decision"),
        SmsState.CANCELLED: QCoreApplication.translate("SmsText", "Not sent (cancelled)"),
    }
    return names[state]




def encoding_text(count: SmsCount) -> str:
    """"With Turkish characters: 150 characters per SMS" and friends."""
    if count.encoding is SmsEncoding.PLAIN:
        text = QCoreApplication.translate("SmsText", "Plain text: {0} characters per SMS")
    elif count.encoding is SmsEncoding.TURKISH:
        text = QCoreApplication.translate(
            "SmsText", "With Turkish characters: {0} characters per SMS")
    else:
        text = QCoreApplication.translate(
            "SmsText", "Unicode (emoji, special characters): {0} characters per SMS")
    return text.format(count.encoding.single_limit)


def counter_text(count: SmsCount, recipients: int) -> str:
    if count.parts == 1:
        text = QCoreApplication.translate("SmsText", "{0} / {1} characters · 1 SMS").format(
            count.units, count.per_message)
    else:
        text = QCoreApplication.translate(
            "SmsText", "{0} characters · {1} SMS ({2} characters per part)").format(
            count.units, count.parts, count.per_message)
    if recipients > 1:
        text += " " + QCoreApplication.translate("SmsText", "× {0} recipients = {1} SMS").format(
            recipients, count.parts * recipients)
    return text



def context_from_card(card: Any) -> dict[str, str]:
    """Template values from a :class:`~desktop.core.caller_card.CallerCard`."""
    number = card.number
    return {"name": card.name or "", "company": card.company or "",
            "number": number.display() if number is not None else ""}
