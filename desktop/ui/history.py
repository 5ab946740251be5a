"""The call history window: filters, the table of calls and actions on a call.

:class:`HistoryWindow` is the recent-calls window: the filter bar
(``history_filters``: all / missed / incoming / outgoing, a date range, a
search box for a name or any part of a number, Turkish-aware), the table
(``history_model``: the journal read a page at a time) and actions on the
selected call (call back, SMS, play recording, add to contacts, copy
number, note).  It talks to the rest of the app only through the
:class:`HistoryActions` it is given and the
:class:`~desktop.ui.call_history.CallHistory` service's signals.

Untrusted text (contact names, numbers, notes, server messages) is shown as
plain text only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.caller_card import CardOutcome
from desktop.core.history_query import DateRange
from desktop.core.journal import HistoryFilter, HistoryKind, HistoryRow
from desktop.core.numbers import NumberKind, PhoneNumber, parse_number
from desktop.ui.history_filters import SEARCH_DEBOUNCE_MS, HistoryFilterBar
from desktop.ui.history_model import (
    ICON_SIZE,
    PAGE_SIZE,
    HistoryModel,
    call_icon,
    display_number,
)
from desktop.ui.icons import app_icon
from desktop.ui.notice import NoticeBox, NoticeKind

__all__ = ["DIRECTORY_MATCHES", "PAGE_SIZE", "SEARCH_DEBOUNCE_MS", "DateRange",
           "HistoryActions", "HistoryModel", "HistoryWindow", "NoteDialog", "call_icon",
           "display_number", "with_highlight"]

log = logging.getLogger("kobikom.ui.history")

#: Most matching directory contacts whose numbers a name search also finds.
DIRECTORY_MATCHES: Final = 200

#: libphonenumber types that can receive an SMS (as in the popup).
_SMS_TYPES: Final = frozenset({"MOBILE", "FIXED_LINE_OR_MOBILE"})


# ---------------------------------------------------------------- actions


@dataclass
class HistoryActions:
    """What the window can ask of the rest of the app (None = not available).

    Looked up when the window opens (features are wired in order), called
    when the agent clicks.
    """

    call_back: Callable[[str], None] | None = None
    send_sms: Callable[[str, str], None] | None = None  # (number, call id)
    play_recording: Callable[[str], None] | None = None
    add_contact: Callable[[str], None] | None = None
    set_note: Callable[[str, str], None] | None = None  # (number key, text)
    copy_text: Callable[[str], None] | None = None
    #: Search the directory: number keys of contacts whose name matches.
    directory_keys: Callable[[str], list[str]] | None = None
    #: The CRM's page for a call (None: no CRM address is set).
    open_in_crm: Callable[[HistoryRow], None] | None = None


class NoteDialog(QDialog):
    """The agent's note on one number (shown on the next popup for it).

    Signals:
        noteSaved(str, str): the number key and the note ("" removes it).
    """

    noteSaved = Signal(str, str)

    def __init__(self, number_key: str, number_text: str, note: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number_key = number_key
        self.setWindowTitle(self.tr("Note on {0}").format(number_text))
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("Shown on the next popup for {0}:").format(number_text), self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlainText(note)
        self.editor.setPlaceholderText(self.tr("e.g. prefers calls after 14:00"))
        layout.addWidget(self.editor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(380, 200)

    def _save(self) -> None:
        self.noteSaved.emit(self.number_key, self.editor.toPlainText())
        self.accept()


# ---------------------------------------------------------------- the window


class HistoryWindow(QWidget):
    """Recent calls: filters, search, the table and row actions.

    Signals:
        opened(): the window was shown (the service clears "new" missed calls).
        syncRequested(): "Check the PBX now" was clicked.
    """

    opened = Signal()
    syncRequested = Signal()

    def __init__(self, model: HistoryModel, actions: HistoryActions, *,
                 clock: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.model = model
        self.history_actions = actions
        self._clock = clock
        self.note_dialog: NoteDialog | None = None
        self._queried = False
        self.setWindowTitle(self.tr("Recent calls – Kobikom Desktop"))
        self.setWindowIcon(app_icon())
        self.setObjectName("historyWindow")
        self._build()
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.resize(900, 580)
        self._update_actions()

    # -- building -------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        self.filter_bar = HistoryFilterBar(clock=self._clock, parent=self)
        self.filter_bar.directory_keys = self.history_actions.directory_keys
        self.filter_bar.changed.connect(self.apply_filter)
        filters = self.filter_bar
        # The controls, as the window's own attributes (tests, screenshots, call_history).
        self.kind_buttons, self.range_combo = filters.kind_buttons, filters.range_combo
        self.from_edit, self.to_edit = filters.from_edit, filters.to_edit
        self.search_edit = filters.search_edit
        outer.addWidget(filters)

        self.notice = NoticeBox(self, closable=True)
        self.retry_button = QPushButton(self.tr("Try again"), self.notice)
        self.retry_button.clicked.connect(self.syncRequested)
        self.notice.extra.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.notice)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(24)
        m = HistoryModel
        for column, width in ((m.TIME, 130), (m.DIRECTION, 30), (m.NUMBER, 150),
                              (m.DURATION, 70), (m.OUTCOME, 190), (m.RECORDING, 30)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed
                                        if column in (m.DIRECTION, m.RECORDING)
                                        else QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(m.CONTACT, QHeaderView.ResizeMode.Stretch)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        outer.addWidget(self.table, 1)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.call_back_button = self._button(self.tr("Call back"), self.call_back)
        self.sms_button = self._button(self.tr("Send SMS"), self.send_sms)
        self.play_button = self._button(self.tr("Play recording"), self.play_recording)
        self.add_contact_button = self._button(self.tr("Add to contacts"), self.add_contact)
        self.copy_button = self._button(self.tr("Copy number"), self.copy_number)
        self.note_button = self._button(self.tr("Note…"), self.edit_note)
        self.crm_button = self._button(self.tr("Open in CRM"), self.open_in_crm)
        self.crm_button.setVisible(self.history_actions.open_in_crm is not None)
        self.row_buttons = [self.call_back_button, self.sms_button, self.play_button,
                            self.add_contact_button, self.copy_button, self.note_button,
                            self.crm_button]
        for row_button in self.row_buttons:
            bar.addWidget(row_button)
        self.sms_button.setVisible(self.history_actions.send_sms is not None)
        self.call_back_button.setVisible(self.history_actions.call_back is not None)
        bar.addStretch(1)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setStyleSheet("color: #5f6368;")
        bar.addWidget(self.status_label)
        outer.addLayout(bar)

        copy = QAction(self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.triggered.connect(self.copy_number)
        self.addAction(copy)

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    # -- filters --------------------------------------------------------------------

    def set_kind(self, kind: HistoryKind) -> None:
        self.filter_bar.set_kind(kind)

    def kind(self) -> HistoryKind:
        return self.filter_bar.kind()

    def current_filter(self) -> HistoryFilter:
        return self.filter_bar.current_filter()

    def apply_filter(self) -> None:
        self._queried = True
        self.filter_bar.stop_pending_search()
        self.model.set_filter(self.current_filter())
        self.status_label.setText(self.tr("Loading…"))

    def _loaded(self, count: int) -> None:
        if count == 1:
            text = self.tr("1 call")
        else:
            text = self.tr("{0} calls").format(self.model.locale.toString(count))
        self.status_label.setText(text)
        self._update_actions()

    def _failed(self, message: str) -> None:
        self.status_label.setText("")
        self.show_notice(NoticeKind.ERROR, self.tr("The call history could not be read"),
                         message, retry=False)

    def show_notice(self, kind: NoticeKind, title: str, text: str = "", *,
                    retry: bool = False) -> None:
        self.retry_button.setVisible(retry)
        self.notice.show_message(kind, title, text)

    def hide_notice(self) -> None:
        self.notice.setVisible(False)

    # -- selection and actions --------------------------------------------------------

    def selected_row(self) -> HistoryRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_at(indexes[0].row())

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _number_of(self, row: HistoryRow | None) -> PhoneNumber | None:
        if row is None or not row.number_raw:
            return None
        number = parse_number(row.number_raw)
        if number.kind in (NumberKind.ANONYMOUS, NumberKind.INVALID):
            return None
        return number

    def _update_actions(self) -> None:
        row = self.selected_row()
        number = self._number_of(row)
        dialable = number is not None
        self.call_back_button.setEnabled(dialable and self.history_actions.call_back is not None)
        self.sms_button.setEnabled(
            number is not None and number.kind is NumberKind.EXTERNAL
            and number.number_type in _SMS_TYPES and self.history_actions.send_sms is not None)
        self.play_button.setEnabled(
            row is not None and self.history_actions.play_recording is not None
            and (bool(row.recording) or row.outcome == CardOutcome.ANSWERED.value))
        self.add_contact_button.setEnabled(
            number is not None and self.history_actions.add_contact is not None)
        self.copy_button.setEnabled(number is not None)
        self.note_button.setEnabled(
            row is not None and bool(row.number_key) and self.history_actions.set_note is not None)
        self.crm_button.setEnabled(
            number is not None and self.history_actions.open_in_crm is not None)

    def call_back(self) -> None:
        row = self.selected_row()
        if self._number_of(row) is not None and self.history_actions.call_back is not None:
            assert row is not None
            assert row.number_raw
            self.history_actions.call_back(row.number_raw)

    def send_sms(self) -> None:
        row = self.selected_row()
        if self._number_of(row) is not None and self.history_actions.send_sms is not None:
            assert row is not None
            assert row.number_raw
            self.history_actions.send_sms(row.number_raw, row.call_id)

    def play_recording(self) -> None:
        row = self.selected_row()
        if row is not None and self.history_actions.play_recording is not None:
            self.history_actions.play_recording(row.call_id)

    def add_contact(self) -> None:
        row = self.selected_row()
        if self._number_of(row) is not None and self.history_actions.add_contact is not None:
            assert row is not None
            assert row.number_raw
            self.history_actions.add_contact(row.number_raw)

    def copy_number(self) -> None:
        number = self._number_of(self.selected_row())
        if number is None:
            return
        text = number.national() or number.e164 or number.raw
        if self.history_actions.copy_text is not None:
            self.history_actions.copy_text(text)
        else:
            QGuiApplication.clipboard().setText(text)
        self.status_label.setText(self.tr("Copied {0}").format(display_number(text)))

    def open_in_crm(self) -> None:
        row = self.selected_row()
        if self._number_of(row) is not None and self.history_actions.open_in_crm is not None:
            assert row is not None
            self.history_actions.open_in_crm(row)

    def edit_note(self) -> None:
        row = self.selected_row()
        if row is None or not row.number_key or self.history_actions.set_note is None:
            return
        dialog = NoteDialog(row.number_key, display_number(row.number_raw) or row.number_key,
                            row.note or "", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.noteSaved.connect(self._note_saved)
        self.note_dialog = dialog
        dialog.open()

    def _note_saved(self, key: str, text: str) -> None:
        if self.history_actions.set_note is not None:
            self.history_actions.set_note(key, text)

    def _context_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        for button in (self.call_back_button, self.sms_button, self.play_button,
                       self.add_contact_button, self.copy_button, self.note_button,
                       self.crm_button):
            if button.isVisible() or (button is self.sms_button and self.history_actions.send_sms):
                action = menu.addAction(button.text())
                action.setEnabled(button.isEnabled())
                action.triggered.connect(button.click)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._queried:
            self.apply_filter()
        self.opened.emit()


def with_highlight(model: HistoryModel, call_ids: Sequence[str]) -> None:
    """Show these missed calls as "new" although they are now marked seen."""
    model.highlight = frozenset(call_ids)

