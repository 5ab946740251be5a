"""The SMS history: every message in the outbox with its live state.

The agent answers the "Was this SMS sent?" question here too.  Text from
outside (the message text, names, server messages) is shown as plain text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.sms_confirm import Doubt, doubt_of
from desktop.core.sms_outbox import (
    OutboxMessage,
    SmsState,
)
from desktop.core.sms_sender import ProblemKind, SenderProblem
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.popup import rich_tooltip_for_plain
from desktop.ui.sms_words import state_text

if TYPE_CHECKING:
    from desktop.ui.sms_service import SmsService

HISTORY_LIMIT: Final = 500


_STATE_COLORS: Final = {
    SmsState.DELIVERED: "#188038",
    SmsState.SENT: "#1a73e8",
    SmsState.FAILED: "#d93025",
    SmsState.NEEDS_AGENT: "#b06000",
    SmsState.UNKNOWN: "#b06000",
    SmsState.CANCELLED: "#80868b",
}



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
            doubt = doubt_of(message.error)
            if doubt is Doubt.SEVERAL:
                lines.append(self.tr("Several messages at Kobikom could be this one. Send it "
                                     "again, or leave it unsent?"))
            elif doubt is Doubt.UNTIABLE:
                lines.append(self.tr("Kobikom's list could not be checked for it. Send it "
                                     "again, or leave it unsent?"))
            else:
                lines.append(self.tr("Kobikom has no record of it. Send it again, or leave it "
                                     "unsent?"))
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


