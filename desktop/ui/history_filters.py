"""The history window's filter bar: all / missed / incoming / outgoing, dates, search.

:class:`HistoryFilterBar` only holds the controls; what they mean is decided
in ``desktop.core.history_query.build_filter`` (date ranges from local
midnight, directory names in a search).  It emits :attr:`HistoryFilterBar.changed`
when the agent changes a filter -- at once for buttons, the range and the
dates, ``SEARCH_DEBOUNCE_MS`` after the last key in the search box, at once
on Enter.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop.core.history_query import DateRange, build_filter
from desktop.core.journal import HistoryFilter, HistoryKind
from desktop.ui.history_model import call_icon

#: Search-as-you-type waits this long after the last key (ms).
SEARCH_DEBOUNCE_MS = 180
#: Days before today that the custom range starts at when first shown.
CUSTOM_DAYS_BACK = 7


class HistoryFilterBar(QWidget):
    """The row of filter controls above the history table.

    Signals:
        changed(): the agent changed a filter (read :meth:`current_filter`).
    """

    changed = Signal()

    def __init__(self, *, clock: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        #: Number keys of directory contacts whose name matches (None: no directory).
        self.directory_keys: Callable[[str], Iterable[str]] | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.changed)
        self._build()

    def _build(self) -> None:
        top = QHBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[HistoryKind, QToolButton] = {}
        for kind, text in ((HistoryKind.ALL, self.tr("All")),
                           (HistoryKind.MISSED, self.tr("Missed")),
                           (HistoryKind.INBOUND, self.tr("Incoming")),
                           (HistoryKind.OUTBOUND, self.tr("Outgoing"))):
            button = QToolButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            if kind is not HistoryKind.ALL:
                button.setIcon(call_icon({HistoryKind.MISSED: "missed",
                                          HistoryKind.INBOUND: "inbound",
                                          HistoryKind.OUTBOUND: "outbound"}[kind]))
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            top.addWidget(button)
        self.kind_buttons[HistoryKind.ALL].setChecked(True)
        self.kind_group.buttonToggled.connect(self._kind_toggled)
        top.addSpacing(10)
        self.range_combo = QComboBox(self)
        self.range_combo.addItem(self.tr("Any time"), int(DateRange.ANY))
        self.range_combo.addItem(self.tr("Today"), int(DateRange.TODAY))
        self.range_combo.addItem(self.tr("Last 7 days"), int(DateRange.WEEK))
        self.range_combo.addItem(self.tr("Last 30 days"), int(DateRange.MONTH))
        self.range_combo.addItem(self.tr("Dates…"), int(DateRange.CUSTOM))
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        top.addWidget(self.range_combo)
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-CUSTOM_DAYS_BACK), self)
        self.to_edit = QDateEdit(today, self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setVisible(False)
            edit.dateChanged.connect(self.changed)
            top.addWidget(edit)
        top.addSpacing(10)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search name or number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.changed)
        top.addWidget(self.search_edit, 1)

    def _kind_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def _range_changed(self) -> None:
        custom = self.date_range() is DateRange.CUSTOM
        self.from_edit.setVisible(custom)
        self.to_edit.setVisible(custom)
        self.changed.emit()

    def stop_pending_search(self) -> None:
        """A query is starting now: the debounced search need not fire."""
        self._search_timer.stop()

    def set_kind(self, kind: HistoryKind) -> None:
        self.kind_buttons[kind].setChecked(True)

    def kind(self) -> HistoryKind:
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return HistoryKind.ALL

    def set_date_range(self, choice: DateRange) -> None:
        self.range_combo.setCurrentIndex(self.range_combo.findData(int(choice)))

    def date_range(self) -> DateRange:
        data = self.range_combo.currentData()
        return DateRange(int(data)) if data is not None else DateRange.ANY

    def current_filter(self) -> HistoryFilter:
        custom = None
        if self.date_range() is DateRange.CUSTOM:
            start, end = self.from_edit.date(), self.to_edit.date()
            custom = (date(start.year(), start.month(), start.day()),
                      date(end.year(), end.month(), end.day()))
        return build_filter(self.kind(), self.date_range(), self._clock(),
                            self.search_edit.text(), custom=custom,
                            directory_keys=self.directory_keys)
