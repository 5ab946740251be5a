"""Quick SMS: the composer, the SMS history, and the service behind them (``app.sms``).

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

import asyncio
import contextlib
import logging
import re
import time
import uuid
from collections.abc import Callable, Coroutine, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.account import AccountIncomplete
from desktop.core.sms_outbox import (
    InvalidRecipient,
    OutboxError,
    OutboxMessage,
    SmsOutbox,
    SmsState,
    Template,
    sms_recipient,
    validate_text,
)
from desktop.core.sms_sender import ProblemKind, SenderProblem, SmsApiConfig, SmsSender
from desktop.core.sms_text import SmsCount, SmsEncoding, count_sms, prepare_text, render_template
from desktop.core.tasks import TaskSet, cancel_and_wait
from desktop.pbx.errors import PbxError
from desktop.pbx.sms import SenderTitle, SmsBalance
from desktop.ui.labels import plain_label
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.popup import rich_tooltip_for_plain

log = logging.getLogger("kobikom.ui.sms")

#: A sent composer closes itself after this long (the outcome stays in the history).
CLOSE_AFTER_SENT_MS: Final = 1500
#: Messages the history window loads.
HISTORY_LIMIT: Final = 500
#: How long closing waits for what the agent asked for (an SMS being written to
#: the outbox, "Send again"/"Don't send", a new token) before stopping it.
CLOSE_WAIT: Final = 5.0
_EFFECTFUL: Final = frozenset({"sms-submit", "sms-send-again", "sms-dont-send",
                               "sms-save-token", "sms-save-templates"})
#: States in which the composer's own job is over.
_SETTLED: Final = frozenset({SmsState.SENT, SmsState.DELIVERED, SmsState.FAILED,
                             SmsState.NEEDS_AGENT, SmsState.CANCELLED})
_RECIPIENT_SPLIT: Final = re.compile(r"[,;\n]+")

Channel = Callable[[], tuple[Path, Callable[[], SmsApiConfig]]]
#: Builds a lane's sender: (outbox, config, on_change, on_problem) -> SmsSender.
SenderFactory = Callable[[SmsOutbox, Callable[[], SmsApiConfig],
                          Callable[[OutboxMessage], None],
                          Callable[[SenderProblem | None], None]], SmsSender]


def split_recipients(text: str) -> list[str]:
    """Numbers separated by commas, semicolons or line breaks."""
    return [part.strip() for part in _RECIPIENT_SPLIT.split(text) if part.strip()]


def format_balance(amount: Decimal) -> str:
    """``998.0000`` -> ``998``; ``2.9340`` -> ``2.934`` (the unit is not documented)."""
    text = format(amount.normalize(), "f")
    return text


class _Lane:
    """One mode's outbox, its sender and the sender's task."""

    def __init__(self, path: Path, outbox: SmsOutbox, sender: SmsSender) -> None:
        self.path = path
        self.outbox = outbox
        self.sender = sender
        self.task: asyncio.Task[None] | None = None


# ---------------------------------------------------------------- the service


class SmsService(QObject):
    """``app.sms``: compose, send through the outbox, follow delivery.

    Signals:
        messageChanged(OutboxMessage): a message of the current outbox changed.
        problemChanged(object): the sender's :class:`SenderProblem`, or None.
        historyLoaded(list): the current outbox's recent messages (newest first).
        templatesLoaded(list): the templates (:class:`Template`).
        sendersLoaded(list, str): sender titles and the one to preselect.
        sendersFailed(str, str): why the titles could not be loaded, and the
            remembered/default title (may be "") to offer meanwhile.
        balanceLoaded(object): :class:`SmsBalance`.
        balanceFailed(str): why the balance could not be loaded.
        submitted(str, list): a composer's request id and its queued messages.
        submitFailed(str, str): a composer's request id and why nothing was queued.
        tokenSaved(bool, str): the SMS token was stored (True) or why not.
        laneChanged(): the current outbox changed (demo mode on/off).
    """

    messageChanged = Signal(object)
    problemChanged = Signal(object)
    historyLoaded = Signal(list)
    templatesLoaded = Signal(list)
    sendersLoaded = Signal(list, str)
    sendersFailed = Signal(str, str)
    balanceLoaded = Signal(object)
    balanceFailed = Signal(str)
    submitted = Signal(str, list)
    submitFailed = Signal(str, str)
    tokenSaved = Signal(bool, str)
    laneChanged = Signal()

    def __init__(self, channel: Channel, *, tasks: TaskSet,
                 store_token: Callable[[str], None] | None = None,
                 agent_name: Callable[[], str] = lambda: "",
                 default_sender: Callable[[], str] = lambda: "",
                 notify: Callable[[str, str], None] | None = None,
                 sender_factory: SenderFactory | None = None,
                 parent: QObject | None = None) -> None:
        """*channel* returns the current outbox path and its account's SMS config.

        *store_token* saves a new SMS token/key (blocking: keyring); *notify*
        shows a tray notification (title, text).
        """
        super().__init__(parent)
        self._channel = channel
        self._tasks = tasks
        self._store_token = store_token
        self._agent_name = agent_name
        self._default_sender = default_sender
        self._notify = notify
        self._sender_factory = sender_factory
        self._lanes: dict[Path, _Lane] = {}
        self._current: Path | None = None
        self._lock = asyncio.Lock()
        #: This service's own tasks (they also live in the app's *tasks*), so that
        #: close() can end them before it closes the outboxes and HTTP clients.
        self._own: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._closed = False
        self._composers: list[SmsComposer] = []
        self._history: SmsHistoryWindow | None = None
        self.problem: SenderProblem | None = None

    # -- app.sms interface -----------------------------------------------------

    def compose(self, recipients: list[str], *, context: dict[str, str] | None = None,
                call_id: str | None = None, source: str = "") -> SmsComposer:
        """Open a composer prefilled with *recipients* (and a call's *context*)."""
        composer = SmsComposer(self, recipients=recipients, context=context or {},
                               call_id=call_id, source=source)
        composer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._composers.append(composer)
        composer.destroyed.connect(lambda *_: self._forget(composer))
        composer.show()
        composer.raise_()
        composer.activateWindow()
        return composer

    def show_history(self) -> SmsHistoryWindow:
        if self._history is None:
            self._history = SmsHistoryWindow(self)
            self._history.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self._history.destroyed.connect(self._history_closed)
        self._history.show()
        self._history.raise_()
        self._history.activateWindow()
        return self._history

    def sms_for_call(self, call_id: str) -> list[OutboxMessage]:
        """The messages sent about *call_id* (one indexed query; fine on the GUI thread)."""
        lane = self._lanes.get(self._current) if self._current is not None else None
        return lane.outbox.for_call(call_id) if lane is not None else []

    def agent_name(self) -> str:
        return self._agent_name()

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        """Open the current outbox and start its sender (also after a mode switch)."""
        self._spawn(self._ensure_lane(), "sms-open-outbox")

    def wake(self) -> None:
        """The network is back / the account changed: every sender looks now."""
        for lane in self._lanes.values():
            lane.sender.wake()

    async def close(self) -> None:
        """Finish what the agent asked for, stop the rest, then close the outboxes.

        A read that was still running (balance, sender titles) would otherwise
        carry on after the close, open the outbox again and build a new HTTP
        client that nobody closes.  Nothing new starts once closing began.
        """
        self._closing = True
        effectful = [t for t in self._own if t.get_name() in _EFFECTFUL and not t.done()]
        if effectful:  # writing an SMS to the outbox, an agent's decision, a new token
            _done, late = await asyncio.wait(effectful, timeout=CLOSE_WAIT)
            for task in late:
                log.warning("%s did not finish within %.0f s; stopping it",
                            task.get_name(), CLOSE_WAIT)
        for task in list(self._own):
            with contextlib.suppress(Exception):  # a failure is logged by the TaskSet
                await cancel_and_wait(task)
        self._closed = True
        for lane in list(self._lanes.values()):
            await lane.sender.aclose()
            lane.outbox.close()
        self._lanes.clear()

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any] | None:
        """Start *coro* in the app's task set, or not at all once closing began."""
        if self._closing:
            coro.close()
            log.debug("SMS service closing: %s not started", name)
            return None
        task = self._tasks.spawn(coro, name=name)
        self._own.add(task)
        task.add_done_callback(self._own.discard)
        return task

    async def _ensure_lane(self) -> _Lane:
        async with self._lock:
            if self._closed:  # unreachable by construction: close() ended every task
                raise RuntimeError("the SMS service is closed")
            path, config = self._channel()
            lane = self._lanes.get(path)
            if lane is None:
                outbox = await asyncio.to_thread(SmsOutbox, path)
                sender = self._make_sender(path, outbox, config)
                lane = _Lane(path, outbox, sender)
                self._lanes[path] = lane
                lane.task = self._spawn(sender.run(), f"sms-sender-{path.parent.name}")
                log.info("SMS outbox open: %s", path)
            if self._current != path:
                self._current = path
                self._set_problem(lane.sender.problem)
                self.laneChanged.emit()
            return lane

    def _make_sender(self, path: Path, outbox: SmsOutbox,
                     config: Callable[[], SmsApiConfig]) -> SmsSender:
        def on_change(message: OutboxMessage) -> None:
            self._changed(path, message)

        def on_problem(problem: SenderProblem | None) -> None:
            self._problem_of(path, problem)

        if self._sender_factory is not None:
            return self._sender_factory(outbox, config, on_change, on_problem)
        return SmsSender(outbox, config, on_change=on_change, on_problem=on_problem)

    def _changed(self, path: Path, message: OutboxMessage) -> None:
        if path != self._current:
            return
        self.messageChanged.emit(message)
        if message.state is SmsState.NEEDS_AGENT and self._notify is not None:
            self._notify(self.tr("SMS not confirmed"),
                         self.tr("Was the SMS to {0} sent? The server did not confirm. "
                                 "Open the SMS history to decide.")
                         .format(message.number.display()))
        elif message.state is SmsState.FAILED and self._notify is not None:
            self._notify(self.tr("SMS failed"),
                         self.tr("The SMS to {0} was not sent: {1}")
                         .format(message.number.display(), message.error or ""))

    def _problem_of(self, path: Path, problem: SenderProblem | None) -> None:
        if path == self._current:
            self._set_problem(problem)

    def _set_problem(self, problem: SenderProblem | None) -> None:
        self.problem = problem
        self.problemChanged.emit(problem)

    def _forget(self, composer: SmsComposer) -> None:
        if composer in self._composers:
            self._composers.remove(composer)

    def _history_closed(self) -> None:
        self._history = None

    # -- requests from the widgets ---------------------------------------------------

    def load_history(self) -> None:
        self._spawn(self._load_history(), "sms-history")

    async def _load_history(self) -> None:
        lane = await self._ensure_lane()
        messages = await asyncio.to_thread(lane.outbox.recent, HISTORY_LIMIT)
        self.historyLoaded.emit(messages)

    def load_templates(self) -> None:
        self._spawn(self._load_templates(), "sms-templates")

    async def _load_templates(self) -> None:
        lane = await self._ensure_lane()
        self.templatesLoaded.emit(await asyncio.to_thread(lane.outbox.templates))

    def save_templates(self, templates: Sequence[tuple[str, str]]) -> None:
        self._spawn(self._save_templates(list(templates)), "sms-save-templates")

    async def _save_templates(self, templates: list[tuple[str, str]]) -> None:
        lane = await self._ensure_lane()
        self.templatesLoaded.emit(await asyncio.to_thread(lane.outbox.save_templates, templates))

    def load_senders(self) -> None:
        self._spawn(self._load_senders(), "sms-senders")

    async def _load_senders(self) -> None:
        lane = await self._ensure_lane()
        remembered = await asyncio.to_thread(lane.outbox.remembered, "last_sender")
        preferred = remembered or self._default_sender()
        try:
            titles = await lane.sender.senders()
        except (AccountIncomplete, PbxError) as exc:
            self.sendersFailed.emit(str(exc), preferred)
            return
        self.sendersLoaded.emit(titles, preferred)

    def load_balance(self) -> None:
        self._spawn(self._load_balance(), "sms-balance")

    async def _load_balance(self) -> None:
        lane = await self._ensure_lane()
        try:
            balance = await lane.sender.balance()
        except (AccountIncomplete, PbxError) as exc:
            self.balanceFailed.emit(str(exc))
            return
        self.balanceLoaded.emit(balance)

    def submit(self, request_id: str, recipients: Sequence[str], text: str, sender: str, *,
               call_id: str | None = None, contact_name: str | None = None,
               source: str = "") -> None:
        """Write the messages to the outbox, then let the sender send them."""
        if self._spawn(self._submit(request_id, list(recipients), text, sender, call_id,
                                    contact_name, source), "sms-submit") is None:
            self.submitFailed.emit(request_id, self.tr(
                "The app is closing: the message was not saved. Send it after the restart."))

    async def _submit(self, request_id: str, recipients: list[str], text: str, sender: str,
                      call_id: str | None, contact_name: str | None, source: str) -> None:
        try:
            lane = await self._ensure_lane()
            messages = await asyncio.to_thread(
                lane.outbox.enqueue, recipients, text, sender, call_id=call_id,
                contact_name=contact_name, source=source)
        except OutboxError as exc:
            self.submitFailed.emit(request_id, str(exc))
            return
        except Exception as exc:
            log.exception("could not write the SMS to the outbox")
            self.submitFailed.emit(request_id, f"{type(exc).__name__}: {exc}")
            return
        for message in messages:
            log.info("SMS %s queued for %s", message.id, message.number.masked())
        self.submitted.emit(request_id, messages)
        for message in messages:
            self.messageChanged.emit(message)
        lane.sender.wake()

    def send_again(self, message_id: str) -> None:
        self._spawn(self._decide(message_id, again=True), "sms-send-again")

    def dont_send(self, message_id: str) -> None:
        self._spawn(self._decide(message_id, again=False), "sms-dont-send")

    async def _decide(self, message_id: str, *, again: bool) -> None:
        lane = await self._ensure_lane()
        if again:
            await lane.sender.send_again(message_id)
        else:
            await lane.sender.dont_send(message_id)

    @property
    def can_store_token(self) -> bool:
        return self._store_token is not None

    def save_token(self, token: str) -> None:
        self._spawn(self._save_token(token.strip()), "sms-save-token")

    async def _save_token(self, token: str) -> None:
        if not token or self._store_token is None:
            self.tokenSaved.emit(False, self.tr("Enter the SMS token."))
            return
        try:
            await asyncio.to_thread(self._store_token, token)
        except Exception as exc:
            self.tokenSaved.emit(False, str(exc))
            return
        self.tokenSaved.emit(True, "")
        self.wake()
        self.load_balance()
        self.load_senders()


# ---------------------------------------------------------------- words for states


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


_STATE_COLORS: Final = {
    SmsState.DELIVERED: "#188038",
    SmsState.SENT: "#1a73e8",
    SmsState.FAILED: "#d93025",
    SmsState.NEEDS_AGENT: "#b06000",
    SmsState.UNKNOWN: "#b06000",
    SmsState.CANCELLED: "#80868b",
}


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


# ---------------------------------------------------------------- the composer


class SmsComposer(QWidget):
    """Write and send one SMS (to one or several recipients).

    Signals:
        sentAll(list): every message of this composer was accepted by the provider.
    """

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
        self._messages: dict[str, OutboxMessage] = {}
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 12)
        layout.setSpacing(8)
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        self.to_edit = QLineEdit(self)
        self.to_edit.setPlaceholderText(self.tr("0532 123 45 67, 0542 …"))
        self.to_edit.setToolTip(self.tr("Separate several numbers with commas"))
        self.to_error = self._plain_label()
        self.to_error.setStyleSheet("color: #d93025;")
        self.to_error.setVisible(False)
        to_column = QVBoxLayout()
        to_column.setSpacing(2)
        to_column.addWidget(self.to_edit)
        to_column.addWidget(self.to_error)
        form.addRow(self.tr("To:"), to_column)

        self.sender_combo = QComboBox(self)
        self.sender_combo.setMinimumContentsLength(14)
        self.sender_combo.setPlaceholderText(self.tr("Loading…"))
        self.balance_label = self._plain_label()
        self.balance_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                        | Qt.AlignmentFlag.AlignVCenter)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setText("↻")
        self.refresh_button.setToolTip(self.tr("Reload sender titles and balance"))
        self.refresh_button.setAutoRaise(True)
        sender_row = QHBoxLayout()
        sender_row.addWidget(self.sender_combo, 1)
        sender_row.addWidget(self.balance_label, 1)
        sender_row.addWidget(self.refresh_button)
        form.addRow(self.tr("From:"), sender_row)

        self.template_combo = QComboBox(self)
        self.template_combo.addItem(self.tr("Choose a template…"))
        self.edit_templates_button = QPushButton(self.tr("Edit templates…"), self)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(self.edit_templates_button)
        form.addRow(self.tr("Template:"), template_row)
        layout.addLayout(form)

        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(self.tr("Your message"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(110)
        layout.addWidget(self.text_edit, 1)

        self.counter_label = self._plain_label()
        self.encoding_label = self._plain_label()
        self.encoding_label.setStyleSheet("color: #3c4043;")
        self.hint_label = self._plain_label()
        self.hint_label.setStyleSheet("color: #5f6368;")
        for label in (self.counter_label, self.encoding_label, self.hint_label):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        counter_box = QVBoxLayout()
        counter_box.setSpacing(2)
        counter_box.addWidget(self.counter_label)
        counter_box.addWidget(self.encoding_label)
        counter_box.addWidget(self.hint_label)
        layout.addLayout(counter_box)

        self.notice = NoticeBox(self)
        layout.addWidget(self.notice)
        self.again_button = QPushButton(self.tr("Send again"), self)
        self.dont_button = QPushButton(self.tr("Don't send"), self)
        decide_row = QHBoxLayout()
        decide_row.addStretch(1)
        decide_row.addWidget(self.dont_button)
        decide_row.addWidget(self.again_button)
        self.notice.extra.addLayout(decide_row)
        self._show_decision(False)

        self.token_row = QWidget(self)
        token_layout = QHBoxLayout(self.token_row)
        token_layout.setContentsMargins(0, 0, 0, 0)
        self.token_edit = QLineEdit(self.token_row)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("SMS API token from the SMS panel"))
        self.token_save = QPushButton(self.tr("Save token"), self.token_row)
        token_layout.addWidget(QLabel(self.tr("SMS token:"), self.token_row))
        token_layout.addWidget(self.token_edit, 1)
        token_layout.addWidget(self.token_save)
        self.token_row.setVisible(False)
        layout.addWidget(self.token_row)

        self.buttons = QDialogButtonBox(self)
        self.send_button = self.buttons.addButton(self.tr("Send"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setDefault(True)
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.close_button = self.buttons.addButton(self.tr("Cancel"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)

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
        hints = []
        if count.encoding is SmsEncoding.UNICODE:
            hints.append(self.tr("Kobikom's documents say 75 or 65; we count the stricter 65."))
        if multi:
            hints.append(self.tr("Each part of a long message costs one SMS."))
        if count.too_long:
            hints.append(self.tr("Too long: at most 8 SMS."))
        if self.balance_too_low() and self._balance is not None:
            hints.append(self.tr("The balance ({0}) is not enough for this message ({1} SMS).")
                         .format(format_balance(self._balance.amount), self.needed_sms()))
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
        amount = self._balance.amount
        self.balance_label.setToolTip("")
        if amount <= 0:
            self.balance_label.setText(self.tr("Balance used up: {0}")
                                       .format(format_balance(amount)))
            self.balance_label.setStyleSheet("color: #d93025; font-weight: bold;")
        elif self.balance_too_low():
            self.balance_label.setText(self.tr("Balance too low: {0}")
                                       .format(format_balance(amount)))
            self.balance_label.setStyleSheet("color: #d93025; font-weight: bold;")
            self.balance_label.setToolTip(self.tr("This message needs {0} SMS.")
                                          .format(self.needed_sms()))
        else:
            self.balance_label.setText(self.tr("Balance: {0}").format(format_balance(amount)))
            self.balance_label.setStyleSheet("color: #5f6368;")

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
        for raw in recipients:
            try:
                sms_recipient(raw)
            except InvalidRecipient as exc:
                problems.append(str(exc))
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

    def messages(self) -> list[OutboxMessage]:
        return list(self._messages.values())

    def _show_progress(self) -> None:
        messages = self.messages()
        if not messages:
            return
        states = [m.state for m in messages]
        self._show_decision(False)
        if all(s in (SmsState.SENT, SmsState.DELIVERED) for s in states):
            self.send_button.setText(self.tr("Sent"))
            self.notice.show_message(NoticeKind.SUCCESS, self.tr("Sent"),
                                     self.tr("Kobikom accepted the message. Delivery is shown "
                                             "in the SMS history."))
            self.close_button.setText(self.tr("Close"))
            if not getattr(self, "_closing", False):
                self._closing = True
                self.sentAll.emit(messages)
                QTimer.singleShot(CLOSE_AFTER_SENT_MS, self, self.close)
            return
        needs = [m for m in messages if m.state is SmsState.NEEDS_AGENT]
        failed = [m for m in messages if m.state is SmsState.FAILED]
        queued = [m for m in messages if m.state is SmsState.QUEUED]
        unknown = [m for m in messages if m.state is SmsState.UNKNOWN]
        self.close_button.setText(self.tr("Close"))
        self.send_button.setText(self.tr("Sending…") if unknown or
                                 any(s is SmsState.SENDING for s in states) else self.tr("Send"))
        if needs:
            self.notice.show_message(
                NoticeKind.WARNING, self.tr("Was this SMS sent?"),
                self.tr("The server did not confirm, and Kobikom has no record of it. "
                        "Send it again, or leave it unsent?"))
            self._show_decision(True)
        elif failed:
            self.notice.show_message(NoticeKind.ERROR, self.tr("Not sent"),
                                     "\n".join(m.error or "" for m in failed))
            if all(s in _SETTLED for s in states):
                self._request_id = None
                self._messages = {}
                self._unlock()
        elif unknown:
            self.notice.show_message(
                NoticeKind.INFO, self.tr("Checking…"),
                self.tr("The server did not confirm the send. Checking with Kobikom "
                        "whether it went out; it will not be sent twice."))
        elif queued:
            problem = self.service.problem
            if problem is not None and problem.kind is not ProblemKind.NETWORK:
                self._update_problem(problem)
            elif problem is not None or any(m.attempts > 0 for m in queued):
                self.notice.show_message(
                    NoticeKind.WARNING, self.tr("Queued"),
                    self.tr("No connection to the SMS service. The message is saved and will "
                            "be sent when the connection is back."))
            else:
                self.notice.show_message(NoticeKind.INFO, self.tr("Sending…"), "")
        else:
            self.notice.show_message(NoticeKind.INFO, self.tr("Sending…"), "")

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


# ---------------------------------------------------------------- templates dialog


class TemplatesDialog(QDialog):
    """Edit the SMS templates (title + text).

    Signals:
        templatesEdited(list): the new list of (title, body) pairs.
    """

    templatesEdited = Signal(list)

    def __init__(self, templates: Sequence[Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("SMS templates"))
        self.setMinimumSize(520, 340)
        self._items: list[list[str]] = [[t.title, t.body] for t in templates]
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget(self)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("Name"))
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setPlaceholderText(self.tr("Text"))
        help_label = QLabel(self.tr("Filled in: {name} {number} {company} {agent}. Any other "
                                    "{word} must be filled in before sending."), self)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #5f6368;")
        right.addWidget(self.title_edit)
        right.addWidget(self.body_edit, 1)
        right.addWidget(help_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        right.addWidget(buttons)
        layout.addLayout(right, 2)
        for title, _body in self._items:
            self.list.addItem(QListWidgetItem(title))
        self.list.currentRowChanged.connect(self._select)
        self.title_edit.textEdited.connect(self._edited)
        self.body_edit.textChanged.connect(self._edited)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self._loading = False
        if self._items:
            self.list.setCurrentRow(0)
        else:
            self._select(-1)

    def _select(self, row: int) -> None:
        self._loading = True
        valid = 0 <= row < len(self._items)
        self.title_edit.setEnabled(valid)
        self.body_edit.setEnabled(valid)
        self.remove_button.setEnabled(valid)
        self.title_edit.setText(self._items[row][0] if valid else "")
        self.body_edit.setPlainText(self._items[row][1] if valid else "")
        self._loading = False

    def _edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._items):
            return
        self._items[row] = [self.title_edit.text(), self.body_edit.toPlainText()]
        item = self.list.item(row)
        if item is not None:
            item.setText(self.title_edit.text())

    def _add(self) -> None:
        self._items.append([self.tr("New template"), ""])
        self.list.addItem(QListWidgetItem(self._items[-1][0]))
        self.list.setCurrentRow(len(self._items) - 1)
        self.title_edit.selectAll()
        self.title_edit.setFocus()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._items):
            del self._items[row]
            self.list.takeItem(row)

    def templates(self) -> list[tuple[str, str]]:
        return [(t.strip(), b.strip()) for t, b in self._items if t.strip() and b.strip()]

    def _save(self) -> None:
        self.templatesEdited.emit(self.templates())
        self.accept()


# ---------------------------------------------------------------- history


class SmsTableModel(QAbstractTableModel):
    """Outbox messages, newest first, updated in place."""

    COLUMNS: Final = ("time", "to", "text", "sender", "state")

    def __init__(self, parent: QObject | None = None, *, locale: QLocale | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self._rows: list[OutboxMessage] = []
        self._locale = locale or QLocale()
        self._clock = clock

    def set_messages(self, messages: Sequence[OutboxMessage]) -> None:
        self.beginResetModel()
        self._rows = sorted(messages, key=lambda m: m.created_at, reverse=True)
        self.endResetModel()

    def upsert(self, message: OutboxMessage) -> None:
        for row, existing in enumerate(self._rows):
            if existing.id == message.id:
                self._rows[row] = message
                self.dataChanged.emit(self.index(row, 0),
                                      self.index(row, len(self.COLUMNS) - 1))
                return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, message)
        self.endInsertRows()

    def message(self, row: int) -> OutboxMessage | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def messages(self) -> list[OutboxMessage]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Time"), self.tr("To"), self.tr("Message"), self.tr("From"),
                  self.tr("Status"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        message = self.message(index.row())
        if message is None:
            return None
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "time":
                return self._time(message.created_at)
            if column == "to":
                shown = message.number.display()
                return f"{message.contact_name} ({shown})" if message.contact_name else shown
            if column == "text":
                return " ".join(message.text.split())
            if column == "sender":
                return message.sender
            return state_text(message.state)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "text":
                return rich_tooltip_for_plain(message.text)
            if column == "state" and message.error:
                return rich_tooltip_for_plain(message.error)
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            color = _STATE_COLORS.get(message.state)
            return QBrush(QColor(color)) if color else None
        if role == Qt.ItemDataRole.BackgroundRole and message.state is SmsState.NEEDS_AGENT:
            return QBrush(QColor("#fef7e0"))
        return None

    def _time(self, at: float) -> str:
        moment = QDateTime.fromSecsSinceEpoch(int(at))
        today = QDateTime.fromSecsSinceEpoch(int(self._clock())).date()
        if moment.date() == today:
            return self._locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
        return self._locale.toString(moment, QLocale.FormatType.ShortFormat)


class SmsHistoryWindow(QWidget):
    """Every SMS in the outbox with its live state; the agent's decisions are taken here."""

    def __init__(self, service: SmsService, parent: QWidget | None = None, *,
                 locale: QLocale | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.setWindowTitle(self.tr("SMS history"))
        self.resize(760, 440)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        self.problem_notice = NoticeBox(self)
        layout.addWidget(self.problem_notice)
        self.model = SmsTableModel(self, locale=locale)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 80)
        header.resizeSection(1, 210)
        header.resizeSection(3, 100)
        header.resizeSection(4, 150)
        layout.addWidget(self.table, 1)

        self.detail = NoticeBox(self)
        self.detail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        row = QHBoxLayout()
        row.addStretch(1)
        self.copy_button = QPushButton(self.tr("Copy text"), self)
        self.cancel_button = QPushButton(self.tr("Don't send"), self)
        self.again_button = QPushButton(self.tr("Send again"), self)
        row.addWidget(self.copy_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.again_button)
        self.detail.extra.addLayout(row)
        layout.addWidget(self.detail)
        self.empty_label = QLabel(self.tr("No SMS sent yet."), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.empty_label)

        service.historyLoaded.connect(self._loaded)
        service.messageChanged.connect(self._changed)
        service.problemChanged.connect(self._problem)
        service.laneChanged.connect(service.load_history)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.copy_button.clicked.connect(self._copy)
        self.cancel_button.clicked.connect(self._dont_send)
        self.again_button.clicked.connect(self._send_again)
        self._problem(service.problem)
        self._show_detail(None)
        self._update_empty()
        service.load_history()

    def _loaded(self, messages: list[OutboxMessage]) -> None:
        self.model.set_messages(messages)
        self._update_empty()
        for row, message in enumerate(self.model.messages()):
            if message.state is SmsState.NEEDS_AGENT:
                self.table.selectRow(row)
                break

    def _changed(self, message: OutboxMessage) -> None:
        self.model.upsert(message)
        self._update_empty()
        current = self.current()
        if current is not None and current.id == message.id:
            self._show_detail(message)

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty)
        self.table.setVisible(not empty)

    def current(self) -> OutboxMessage | None:
        index = self.table.currentIndex()
        return self.model.message(index.row()) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(self.model.message(current.row()) if current.isValid() else None)

    def _show_detail(self, message: OutboxMessage | None) -> None:
        if message is None:
            self.detail.setVisible(False)
            return
        kind = {SmsState.FAILED: NoticeKind.ERROR, SmsState.NEEDS_AGENT: NoticeKind.WARNING,
                SmsState.DELIVERED: NoticeKind.SUCCESS}.get(message.state, NoticeKind.INFO)
        if message.state is SmsState.NEEDS_AGENT:
            title = self.tr("Was this SMS sent? The server did not confirm.")
        else:
            title = state_text(message.state)
        lines = [message.text, ""]
        if message.state is SmsState.NEEDS_AGENT:
            lines.append(self.tr("Kobikom has no record of it. Send it again, or leave it "
                                 "unsent?") if "no record" in (message.error or "")
                         else self.tr("Several messages at Kobikom could be this one. Send it "
                                      "again, or leave it unsent?"))
        elif message.error and message.state not in (SmsState.SENT, SmsState.DELIVERED):
            lines.append(message.error[:1].upper() + message.error[1:])
        else:
            lines.pop()
        self.detail.show_message(kind, title, "\n".join(lines))
        self.again_button.setVisible(message.state in (SmsState.NEEDS_AGENT, SmsState.FAILED))
        self.again_button.setText(self.tr("Send again") if message.state is SmsState.NEEDS_AGENT
                                  else self.tr("Retry"))
        self.cancel_button.setVisible(message.state in (SmsState.NEEDS_AGENT, SmsState.QUEUED))
        self.cancel_button.setText(self.tr("Don't send") if message.state is SmsState.NEEDS_AGENT
                                   else self.tr("Cancel sending"))

    def _problem(self, problem: SenderProblem | None) -> None:
        if problem is None:
            self.problem_notice.setVisible(False)
        elif problem.kind is ProblemKind.NETWORK:
            self.problem_notice.show_message(
                NoticeKind.WARNING, self.tr("No connection to the SMS service"),
                self.tr("Waiting messages are kept and sent when the connection is back."))
        elif problem.kind is ProblemKind.AUTH:
            self.problem_notice.show_message(
                NoticeKind.ERROR, self.tr("SMS token rejected"),
                self.tr("Waiting messages are kept. Fix the token (Send SMS… window or "
                        "settings) and they will be sent."))
        else:
            self.problem_notice.show_message(NoticeKind.WARNING,
                                             self.tr("SMS is not set up"), problem.message)

    def _copy(self) -> None:
        message = self.current()
        if message is not None:
            QApplication.clipboard().setText(message.text)

    def _send_again(self) -> None:
        message = self.current()
        if message is not None:
            self.again_button.setVisible(False)
            self.service.send_again(message.id)

    def _dont_send(self) -> None:
        message = self.current()
        if message is not None:
            self.cancel_button.setVisible(False)
            self.service.dont_send(message.id)


def context_from_card(card: Any) -> dict[str, str]:
    """Template values from a :class:`~desktop.core.caller_card.CallerCard`."""
    number = card.number
    return {"name": card.name or "", "company": card.company or "",
            "number": number.display() if number is not None else ""}
