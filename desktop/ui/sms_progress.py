"""The composer's words: how a send is going, what it costs, what the balance says.

Pure functions over :class:`~desktop.core.sms_batch.BatchProgress`: the
composer (:mod:`desktop.ui.sms_composer`) shows what they return.  They
translate in the composer's context (``SmsComposer``); ``lupdate`` only
sees ``QCoreApplication.translate(...)`` spelled out, hence no helper.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from desktop.core.sms_batch import BatchProgress, Outcome, outcome_of
from desktop.core.sms_confirm import Doubt, doubt_of
from desktop.core.sms_outbox import OutboxMessage, SmsState
from desktop.core.sms_setup import ProblemKind, SenderProblem
from desktop.core.sms_text import SmsCount, SmsEncoding
from desktop.ui.notice import NoticeKind
from desktop.ui.sms_words import format_balance, state_text


def question_text(deciding: Sequence[OutboxMessage], batch_size: int) -> str:
    """"Was this SMS sent?": why we could not tell, and for which recipients."""
    doubts = {doubt_of(m.error) for m in deciding}
    if Doubt.SEVERAL in doubts:
        text = QCoreApplication.translate(
            "SmsComposer",
            "The server did not confirm, and several messages at Kobikom could be this one.")
    elif Doubt.UNTIABLE in doubts:
        text = QCoreApplication.translate(
            "SmsComposer",
            "The server did not confirm, and Kobikom's list could not be checked for it.")
    else:
        text = QCoreApplication.translate(
            "SmsComposer", "The server did not confirm, and Kobikom has no record of it.")
    if batch_size > 1:
        numbers = ", ".join(m.number.display() for m in deciding)
        text += " " + QCoreApplication.translate("SmsComposer", "(To {0}.)").format(numbers)
    return text + " " + QCoreApplication.translate(
        "SmsComposer", "Send it again, or leave it unsent?")


def settled_notice(progress: BatchProgress) -> tuple[NoticeKind, str, str]:
    """A batch that did not reach everybody: kind, title and text of the notice."""
    sent = progress.with_outcome(Outcome.SENT)
    missed = progress.with_outcome(Outcome.REFUSED, Outcome.UNDELIVERED)
    lines = [QCoreApplication.translate("SmsComposer", "Not sent to {0}: {1}")
             .format(m.number.display(), m.error or "") for m in missed]
    if sent:
        title = QCoreApplication.translate("SmsComposer", "Sent to {0} of {1}").format(
            len(sent), len(progress.messages))
        if progress.retry_recipients:
            lines += ["", QCoreApplication.translate(
                "SmsComposer", "The others got it and left To. Fix the problem and press "
                "Send: only the numbers in To are sent.")]
    elif missed:
        title = QCoreApplication.translate("SmsComposer", "Not sent")
    else:
        title = state_text(SmsState.CANCELLED)
    return (NoticeKind.ERROR if lines else NoticeKind.INFO), title, "\n".join(lines)


def done_lines(messages: Sequence[OutboxMessage]) -> list[str]:
    """The numbers a composer is done with, by outcome ("Sent: …", "Not delivered: …")."""
    groups = (
        (Outcome.SENT, QCoreApplication.translate("SmsComposer", "Sent: {0}")),
        (Outcome.UNDELIVERED, QCoreApplication.translate("SmsComposer", "Not delivered: {0}")),
        (Outcome.CANCELLED,
         QCoreApplication.translate("SmsComposer", "Not sent (your decision): {0}")),
    )
    lines = []
    for outcome, text in groups:
        numbers = [m.number.display() for m in messages if outcome_of(m) is outcome]
        if numbers:
            lines.append(text.format(", ".join(numbers)))
    return lines


def pending_notice(pending: Sequence[OutboxMessage], problem: SenderProblem | None,
                   ) -> tuple[NoticeKind, str, str] | None:
    """Messages on their way; None when the sender's own problem says it better."""
    if any(m.state is SmsState.UNKNOWN for m in pending):
        return (NoticeKind.INFO, QCoreApplication.translate("SmsComposer", "Checking…"),
                QCoreApplication.translate(
                    "SmsComposer", "The server did not confirm the send. Checking with "
                    "Kobikom whether it went out; it will not be sent twice."))
    queued = [m for m in pending if m.state is SmsState.QUEUED]
    if queued and problem is not None and problem.kind is not ProblemKind.NETWORK:
        return None
    if queued and (problem is not None or any(m.attempts > 0 for m in queued)):
        return (NoticeKind.WARNING, QCoreApplication.translate("SmsComposer", "Queued"),
                QCoreApplication.translate(
                    "SmsComposer", "No connection to the SMS service. The message is saved "
                    "and will be sent when the connection is back."))
    return NoticeKind.INFO, QCoreApplication.translate("SmsComposer", "Sending…"), ""


def balance_view(amount: Decimal, needed: int) -> tuple[str, str, str]:
    """The balance label: text, style sheet and tooltip."""
    shown = format_balance(amount)
    if amount <= 0:
        return (QCoreApplication.translate("SmsComposer", "Balance used up: {0}").format(shown),
                "color: #d93025; font-weight: bold;", "")
    if amount < needed:
        return (QCoreApplication.translate("SmsComposer", "Balance too low: {0}").format(shown),
                "color: #d93025; font-weight: bold;",
                QCoreApplication.translate("SmsComposer", "This message needs {0} SMS.")
                .format(needed))
    return (QCoreApplication.translate("SmsComposer", "Balance: {0}").format(shown),
            "color: #5f6368;", "")


def counter_hints(count: SmsCount, balance: Decimal | None, needed: int) -> list[str]:
    """What the agent should know about the text's cost before sending."""
    hints = []
    if count.encoding is SmsEncoding.UNICODE:
        hints.append(QCoreApplication.translate(
            "SmsComposer", "Kobikom's documents say 75 or 65; we count the stricter 65."))
    if count.parts > 1:
        hints.append(QCoreApplication.translate(
            "SmsComposer", "Each part of a long message costs one SMS."))
    if count.too_long:
        hints.append(QCoreApplication.translate("SmsComposer", "Too long: at most 8 SMS."))
    if balance is not None and balance < needed:
        hints.append(QCoreApplication.translate(
            "SmsComposer", "The balance ({0}) is not enough for this message ({1} SMS).")
            .format(format_balance(balance), needed))
    return hints
