"""Quick SMS: the composer, the SMS history, and the service behind them (``app.sms``).

This module gathers the pieces: :mod:`desktop.ui.sms_service` (the bridge),
:mod:`desktop.ui.sms_composer`, :mod:`desktop.ui.sms_history`,
:mod:`desktop.ui.sms_templates` and :mod:`desktop.ui.sms_words`.

:class:`SmsService` owns the durable outbox (:mod:`desktop.core.sms_outbox`)
and its sender (:mod:`desktop.core.sms_sender`) and turns their callbacks
into Qt signals.  Widgets only call its methods and connect to its signals;
every database access and request runs in a worker thread or on the asyncio
loop through the app's :class:`~desktop.core.tasks.TaskSet`.

The app keeps one outbox per mode (the agent's real one, and demo mode's
under ``data/demo``), each with its own sender bound to that mode's account,
so a demo message can never go to Kobikom and a real one never to the
simulator.  ``channel()`` tells the service which one is current.

:class:`SmsComposer`: recipients (prefilled, editable, several allowed),
the sender title from the account's list (remembered), templates, a live
counter of characters and messages with the encoding named, a warning
before a multi-part message, the balance, and a Send button that cannot
send twice (disabled from the click until the outcome).  Every outcome
stays visible in the window: sent, queued while offline, token rejected
(with a field to fix it), refused, and the question "Was this SMS sent?"
after an unconfirmed send.

:class:`SmsHistoryWindow`: every message with its live state; the agent
answers the "Was this SMS sent?" question there too.

Text from outside (the message text, names, server messages) is shown as
plain text only.
"""

from __future__ import annotations

from desktop.ui.sms_composer import SmsComposer
from desktop.ui.sms_history import SmsHistoryWindow, SmsTableModel
from desktop.ui.sms_service import SmsService
from desktop.ui.sms_templates import TemplatesDialog
from desktop.ui.sms_words import (
    context_from_card,
    counter_text,
    encoding_text,
    format_balance,
    split_recipients,
    state_text,
)

__all__ = [
    "SmsComposer",
    "SmsHistoryWindow",
    "SmsService",
    "SmsTableModel",
    "TemplatesDialog",
    "context_from_card",
    "counter_text",
    "encoding_text",
    "format_balance",
    "split_recipients",
    "state_text",
]
