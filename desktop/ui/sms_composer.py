"""The SMS composer: write one SMS and send it to one or several recipients.

Recipients (prefilled, editable, several allowed), the sender title from the
account's list (remembered), templates, a live counter of characters and
messages with the encoding named, a warning before a multi-part message, the
balance, and a Send button that cannot send twice (disabled from the click
until the outcome).  Every outcome stays visible in the window: sent, queued
while offline, token rejected (with a field to fix it), refused, and the
question "Was this SMS sent?" after an unconfirmed send.

Exactly once: after a partial failure (some recipients got it, some were
refused) only the refused recipients stay in "To"; the others are listed as
sent and Send never reaches them again from this window
(:mod:`desktop.core.sms_batch`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.core.sms_batch import BatchProgress, Outcome
from desktop.core.sms_outbox import (
    InvalidRecipient,
    OutboxError,
    OutboxMessage,
    SmsState,
    Template,
    sms_recipient,
    validate_text,
)
from desktop.core.sms_sender import ProblemKind, SenderProblem
from desktop.core.sms_text import count_sms, prepare_text, render_template
from desktop.pbx.sms import SenderTitle, SmsBalance
from desktop.ui.labels import plain_label
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.popup import rich_tooltip_for_plain
from desktop.ui.sms_composer_layout import build_composer
from desktop.ui.sms_progress import (
    balance_view,
    counter_hints,
    done_lines,
    pending_notice,
    question_text,
    settled_notice,
)
from desktop.ui.sms_templates import TemplatesDialog
from desktop.ui.sms_words import (
    counter_text,
    encoding_text,
    split_recipients,
)

if TYPE_CHECKING:
    from desktop.ui.sms_service import SmsService

#: A sent composer closes itself after this long (the outcome stays in the history).
CLOSE_AFTER_SENT_MS: Final = 1500


class SmsComposer(QWidget):
    """Write and send one SMS (to one or several recipients).

    Signals:
        sentAll(list): every message of this composer was accepted by the provider.
    """

    # Widgets laid out by :func:`~desktop.ui.sms_composer_layout.build_composer`.
    to_edit: QLineEdit
    to_error: QLabel
    done_label: QLabel
    sender_combo: QComboBox
    balance_label: QLabel
    refresh_button: QToolButton
    template_combo: QComboBox
    edit_templates_button: QPushButton
    text_edit: QPlainTextEdit
    counter_label: QLabel
    encoding_label: QLabel
    hint_label: QLabel
    notice: NoticeBox
    again_button: QPushButton
    dont_button: QPushButton
    token_row: QWidget
    token_edit: QLineEdit
    token_save: QPushButton
    buttons: QDialogButtonBox
    send_button: QPushButton
    close_button: QPushButton

    sentAll = Signal(list)

    def __init__(self, service: SmsService, *, recipients: Sequence[str] = (),
                 context: dict[str, str] | None = None, call_id: str | None = None,
                 source: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.context = dict(context or {})
        self.call_id = call_id
        self.source = source or ("popup" if call_id else "tray")
        self._request_id: str | None = None
        # The send in progress (one message per recipient) ...
        self._messages: dict[str, OutboxMessage] = {}
        # ... and the settled messages of earlier sends from this window.
        self._earlier: dict[str, OutboxMessage] = {}
        self._last_ids: list[str] = []
        self._templates: list[Template] = []
        self._balance: SmsBalance | None = None
        self._count = count_sms("")
        #: Asks before a multi-part message; tests replace it.
        self.confirm_cost: Callable[[str, Callable[[], None]], None] = self._confirm_box
        self.setWindowTitle(self.tr("Send SMS"))
        self.setMinimumWidth(580)
        self._build()
        self.to_edit.setText(", ".join(r for r in recipients if r))
        self._connect()
        self._update_counter()
        self.resize(600, 440)
        self._update_problem(service.problem)
        service.load_templates()
        service.load_senders()
        service.load_balance()
        if not recipients:
            self.to_edit.setFocus()
        else:
            self.text_edit.setFocus()

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        build_composer(self)

    def _plain_label(self) -> QLabel:
        return plain_label(self)

    def _connect(self) -> None:
        s = self.service
        s.templatesLoaded.connect(self._templates_loaded)
        s.sendersLoaded.connect(self._senders_loaded)
        s.sendersFailed.connect(self._senders_failed)
        s.balanceLoaded.connect(self._balance_loaded)
        s.balanceFailed.connect(self._balance_failed)
        s.submitted.connect(self._submitted)
        s.submitFailed.connect(self._submit_failed)
        s.messageChanged.connect(self._message_changed)
        s.problemChanged.connect(self._update_problem)
        s.tokenSaved.connect(self._token_saved)
        self.text_edit.textChanged.connect(self._update_counter)
        self.to_edit.textChanged.connect(self._recipients_edited)
        self.template_combo.activated.connect(self._template_chosen)
        self.edit_templates_button.clicked.connect(self._edit_templates)
        self.refresh_button.clicked.connect(self._refresh)
        self.send_button.clicked.connect(self._send_clicked)
        self.close_button.clicked.connect(self.close)
        self.again_button.clicked.connect(self._send_again)
        self.dont_button.clicked.connect(self._dont_send)
        self.token_save.clicked.connect(self._save_token)
        self.token_edit.returnPressed.connect(self._save_token)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._send_clicked)

    # -- live counter ----------------------------------------------------------

    def recipients(self) -> list[str]:
        return split_recipients(self.to_edit.text())

    def _recipients_edited(self) -> None:
        self.to_error.setVisible(False)
        self._update_counter()

    def _update_counter(self) -> None:
        text = prepare_text(self.text_edit.toPlainText())
        count = self._count = count_sms(text)
        recipients = max(1, len(self.recipients()))
        self.encoding_label.setText(encoding_text(count))
        self.counter_label.setText(counter_text(count, recipients))
        multi = count.parts > 1
        self.counter_label.setStyleSheet("color: #b06000; font-weight: bold;" if multi
                                         else "font-weight: bold;")
        if count.special:
            self.encoding_label.setText(self.tr("{0} (because of {1})").format(
                encoding_text(count), " ".join(count.special)))
        hints = counter_hints(count, self._balance.amount if self._balance else None,
                              self.needed_sms())
        self.hint_label.setText("\n".join(hints))
        self.hint_label.setVisible(bool(hints))
        self._update_balance_text()

    # -- loading ---------------------------------------------------------------

    def _templates_loaded(self, templates: list[Template]) -> None:
        self._templates = list(templates)
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        self.template_combo.addItem(self.tr("Choose a template…"))
        for template in self._templates:
            self.template_combo.addItem(template.title)
            self.template_combo.setItemData(self.template_combo.count() - 1,
                                            rich_tooltip_for_plain(template.body),
                                            Qt.ItemDataRole.ToolTipRole)
        self.template_combo.blockSignals(False)

    def _senders_loaded(self, titles: list[SenderTitle], preferred: str) -> None:
        current = self.sender_combo.currentText() or preferred
        self.sender_combo.clear()
        self.sender_combo.setPlaceholderText(self.tr("No sender titles"))
        for title in titles:
            self.sender_combo.addItem(title.title)
        index = self.sender_combo.findText(current)
        self.sender_combo.setCurrentIndex(index if index >= 0 else 0 if titles else -1)

    def _senders_failed(self, reason: str, preferred: str) -> None:
        self.sender_combo.setPlaceholderText(self.tr("Not available"))
        self.sender_combo.setToolTip(rich_tooltip_for_plain(reason))
        if preferred and self.sender_combo.findText(preferred) < 0:
            self.sender_combo.addItem(preferred)  # the last title used, until the list loads
        if self.sender_combo.currentIndex() < 0 and self.sender_combo.count():
            self.sender_combo.setCurrentIndex(0)

    def _balance_loaded(self, balance: SmsBalance) -> None:
        self._balance = balance
        self._update_counter()

    def _balance_failed(self, reason: str) -> None:
        self._balance = None
        self.balance_label.setText(self.tr("Balance: unknown"))
        self.balance_label.setToolTip(rich_tooltip_for_plain(reason))
        self.balance_label.setStyleSheet("color: #5f6368;")

    def needed_sms(self) -> int:
        return self._count.parts * max(1, len(self.recipients()))

    def balance_too_low(self) -> bool:
        return self._balance is not None and self._balance.amount < self.needed_sms()

    def _update_balance_text(self) -> None:
        if self._balance is None:
            return
        text, style, tooltip = balance_view(self._balance.amount, self.needed_sms())
        self.balance_label.setText(text)
        self.balance_label.setStyleSheet(style)
        self.balance_label.setToolTip(tooltip)

    def _refresh(self) -> None:
        self.service.load_senders()
        self.service.load_balance()

    # -- templates -------------------------------------------------------------

    def _template_chosen(self, index: int) -> None:
        if index <= 0 or index - 1 >= len(self._templates):
            return
        template = self._templates[index - 1]
        values = {"name": self.context.get("name", ""),
                  "company": self.context.get("company", ""),
                  "number": self.context.get("number", ""),
                  "agent": self.service.agent_name()}
        recipients = self.recipients()
        if not values["number"] and len(recipients) == 1:
            values["number"] = recipients[0]
        self.text_edit.setPlainText(render_template(template.body, values))
        self.text_edit.setFocus()
        self.template_combo.setCurrentIndex(0)

    def _edit_templates(self) -> None:
        dialog = TemplatesDialog(self._templates, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.templatesEdited.connect(self.service.save_templates)
        dialog.open()

    # -- sending ---------------------------------------------------------------

    @property
    def in_flight(self) -> bool:
        return self._request_id is not None

    def _send_clicked(self) -> None:
        if self.in_flight or not self.send_button.isEnabled():
            return  # one composer sends once: double clicks and Ctrl+Enter repeats do nothing
        recipients = self.recipients()
        problems = []
        done = BatchProgress.of(self.all_messages()).done_keys
        for raw in recipients:
            try:
                number = sms_recipient(raw)
            except InvalidRecipient as exc:
                problems.append(str(exc))
                continue
            if number.key in done:
                problems.append(self.tr("Already sent to {0} from this window. Remove it from "
                                        "To: an SMS is not sent twice.")
                                .format(number.display()))
        if not recipients:
            problems.append(self.tr("Enter the recipient's number."))
        if problems:
            self.to_error.setText("\n".join(problems))
            self.to_error.setVisible(True)
            self.to_edit.setFocus()
            return
        try:
            validate_text(self.text_edit.toPlainText())
        except OutboxError as exc:
            self.notice.show_message(NoticeKind.WARNING, self.tr("Cannot send yet"), str(exc))
            self.text_edit.setFocus()
            return
        if not self.sender_combo.currentText():
            self.notice.show_message(NoticeKind.WARNING, self.tr("Cannot send yet"),
                                     self.tr("Choose a sender title."))
            return
        needed = self.needed_sms()
        if self._count.parts > 1 or (len(recipients) > 1 and needed > 1):
            question = self.tr("This message costs {0} SMS per recipient, {1} SMS in total. "
                               "Send it?").format(self._count.parts, needed)
            if self.balance_too_low():
                question += "\n\n" + self.tr("Your balance may not be enough.")
            self.send_button.setEnabled(False)  # no second click while the question is open
            self.confirm_cost(question, self._submit)
            return
        self._submit()

    def _confirm_box(self, question: str, proceed: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Send SMS"), question,
                          QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        send = box.addButton(self.tr("Send"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(send)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def done(_result: int) -> None:
            if box.clickedButton() is send:
                proceed()
            elif not self.in_flight:
                self.send_button.setEnabled(True)

        box.finished.connect(done)
        box.open()

    def _submit(self) -> None:
        if self.in_flight:
            return
        self._request_id = uuid.uuid4().hex
        self.send_button.setEnabled(False)
        self.send_button.setText(self.tr("Sending…"))
        for widget in (self.to_edit, self.text_edit, self.sender_combo, self.template_combo):
            widget.setEnabled(False)
        self.notice.setVisible(False)
        self.service.submit(self._request_id, self.recipients(), self.text_edit.toPlainText(),
                            self.sender_combo.currentText(), call_id=self.call_id,
                            contact_name=self.context.get("name") or None, source=self.source)

    def _submit_failed(self, request_id: str, reason: str) -> None:
        if request_id != self._request_id:
            return
        self._request_id = None
        self._unlock()
        self.notice.show_message(NoticeKind.ERROR, self.tr("Not sent"), reason)

    def _unlock(self) -> None:
        self.send_button.setText(self.tr("Send"))
        self.send_button.setEnabled(True)
        for widget in (self.to_edit, self.text_edit, self.sender_combo, self.template_combo):
            widget.setEnabled(True)

    def _submitted(self, request_id: str, messages: list[OutboxMessage]) -> None:
        if request_id != self._request_id:
            return
        self._messages = {m.id: m for m in messages}
        self._show_progress()

    def _message_changed(self, message: OutboxMessage) -> None:
        if message.id in self._messages:
            self._messages[message.id] = message
            self._show_progress()
        elif message.id in self._earlier:  # e.g. delivered later
            self._earlier[message.id] = message
            self._show_done()

    def messages(self) -> list[OutboxMessage]:
        """The messages of the send in progress, or of the last one once it settled."""
        if self._messages:
            return list(self._messages.values())
        return [self._earlier[i] for i in self._last_ids if i in self._earlier]

    def all_messages(self) -> list[OutboxMessage]:
        """Every message this window sent, earlier sends first."""
        return [*self._earlier.values(), *self._messages.values()]

    def _show_progress(self) -> None:
        messages = list(self._messages.values())
        if not messages:
            return
        progress = BatchProgress.of(messages)
        self._show_decision(False)
        self._show_done()
        self.close_button.setText(self.tr("Close"))
        if progress.all_sent:
            self._set_to([m.to_raw for m in messages])
            self.send_button.setText(self.tr("Sent"))
            self.notice.show_message(NoticeKind.SUCCESS, self.tr("Sent"),
                                     self.tr("Kobikom accepted the message. Delivery is shown "
                                             "in the SMS history."))
            if not getattr(self, "_closing", False):
                self._closing = True
                self.sentAll.emit(messages)
                QTimer.singleShot(CLOSE_AFTER_SENT_MS, self, self.close)
            return
        deciding = progress.with_outcome(Outcome.DECIDING)
        pending = progress.with_outcome(Outcome.PENDING)
        # The ones that got it leave "To" at once (it stays locked while in flight).
        self._set_to([m.to_raw for m in progress.with_outcome(
            Outcome.PENDING, Outcome.DECIDING, Outcome.REFUSED)])
        self.send_button.setText(self.tr("Sending…") if pending else self.tr("Send"))
        if deciding:
            self.notice.show_message(NoticeKind.WARNING, self.tr("Was this SMS sent?"),
                                     question_text(deciding, len(messages)))
            self._show_decision(True)
        elif pending:
            self._show_pending(pending)
        else:
            self._settle(progress)

    def _show_pending(self, pending: list[OutboxMessage]) -> None:
        notice = pending_notice(pending, self.service.problem)
        if notice is None:
            self._update_problem(self.service.problem)
        else:
            self.notice.show_message(*notice)

    def _settle(self, progress: BatchProgress) -> None:
        """Nothing is on its way any more and some did not get it: only the
        refused recipients go back into "To"; the window can send again."""
        self._earlier.update(self._messages)
        self._last_ids = list(self._messages)
        self._messages = {}
        self._request_id = None
        retry = progress.retry_recipients
        self._set_to(retry)
        self._unlock()
        self.notice.show_message(*settled_notice(progress))
        self.service.load_balance()  # what the sends cost, before the agent tries again
        if retry:
            self.send_button.setFocus()

    def _set_to(self, recipients: list[str]) -> None:
        text = ", ".join(recipients)
        if text != self.to_edit.text():
            self.to_edit.setText(text)

    def _show_done(self) -> None:
        """List the numbers this window is done with (they are not in "To" any more)."""
        lines = done_lines(self.all_messages())
        current = list(self._messages.values())
        partial = bool(self._earlier) or not BatchProgress.of(current).all_sent
        self.done_label.setText("\n".join(lines))
        self.done_label.setVisible(bool(lines) and partial)

    def _show_decision(self, visible: bool) -> None:
        self.again_button.setVisible(visible)
        self.dont_button.setVisible(visible)

    def _send_again(self) -> None:
        self._show_decision(False)
        for message in self.messages():
            if message.state is SmsState.NEEDS_AGENT:
                self.service.send_again(message.id)

    def _dont_send(self) -> None:
        self._show_decision(False)
        for message in self.messages():
            if message.state is SmsState.NEEDS_AGENT:
                self.service.dont_send(message.id)

    # -- problems and the token --------------------------------------------------

    def _update_problem(self, problem: SenderProblem | None) -> None:
        needs_token = problem is not None and problem.kind in (ProblemKind.AUTH,
                                                               ProblemKind.NOT_CONFIGURED)
        self.token_row.setVisible(needs_token and self.service.can_store_token)
        if problem is None:
            if self.notice.kind is NoticeKind.ERROR and not self.in_flight:
                self.notice.setVisible(False)
            return
        if problem.kind is ProblemKind.AUTH:
            text = self.tr("The SMS token was rejected. Enter the token from the SMS panel "
                           "(Ayarlar > SMS API).")
            if self.in_flight:
                text += " " + self.tr("Your message is kept and will be sent once the token "
                                      "is fixed.")
            self.notice.show_message(NoticeKind.ERROR, self.tr("SMS token rejected"), text)
        elif problem.kind is ProblemKind.NOT_CONFIGURED:
            text = problem.message
            if self.in_flight:
                text += "\n" + self.tr("Your message is kept and will be sent once SMS is "
                                       "set up.")
            self.notice.show_message(NoticeKind.WARNING, self.tr("SMS is not set up"), text)
        elif self.in_flight and self.messages():
            self._show_progress()

    def _save_token(self) -> None:
        self.token_save.setEnabled(False)
        self.service.save_token(self.token_edit.text())

    def _token_saved(self, ok: bool, reason: str) -> None:
        self.token_save.setEnabled(True)
        if ok:
            self.token_edit.clear()
            self.token_row.setVisible(False)
            self.notice.show_message(NoticeKind.SUCCESS, self.tr("Token saved"), "")
        else:
            self.notice.show_message(NoticeKind.ERROR, self.tr("Token not saved"), reason)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing is lost by closing: queued messages stay in the outbox.
        super().closeEvent(event)


