"""The call history window and its table model.

:class:`HistoryModel` shows the journal without ever loading it into
widgets: a filter change asks the journal (in a worker thread) for the
*row ids* of every matching call, newest first -- one indexed query, a
plain list of integers even for 100,000 calls -- and rows are read by id a
page (:data:`PAGE_SIZE`) at a time when the view paints them (a primary-key
lookup, well under a millisecond), keeping a few pages cached.  The
scrollbar is exact from the start, jumping to the end costs one page, and
a new call at the top is an insert of one row, not a reset.

:class:`HistoryWindow` is the recent-calls window: filters (all / missed /
incoming / outgoing), a date range, a search box (name or any part of a
number, Turkish-aware), and actions on the selected call (call back, SMS,
play recording, add to contacts, copy number, note).  It talks to the rest
of the app only through the :class:`HistoryActions` it is given and the
:class:`~desktop.ui.call_history.CallHistory` service's signals.

Untrusted text (contact names, numbers, notes, server messages) is shown as
plain text only: models return plain strings, tooltips go through
:func:`~desktop.ui.popup.rich_tooltip_for_plain`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.caller_card import CardOutcome
from desktop.core.journal import HistoryFilter, HistoryKind, HistoryRow
from desktop.core.numbers import NumberKind, PhoneNumber, parse_number
from desktop.ui.icons import app_icon
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.popup import format_duration, rich_tooltip_for_plain

log = logging.getLogger("kobikom.ui.history")

#: Rows read from the journal per page.
PAGE_SIZE: Final = 200
#: Pages kept in memory (a screenful needs one or two).
CACHED_PAGES: Final = 24
#: Search-as-you-type waits this long after the last key (ms).
SEARCH_DEBOUNCE_MS: Final = 180
#: Most matching directory contacts whose numbers a name search also finds.
DIRECTORY_MATCHES: Final = 200
ICON_SIZE: Final = 16

COLOR_INBOUND: Final = QColor("#188038")
COLOR_OUTBOUND: Final = QColor("#1a73e8")
COLOR_MISSED: Final = QColor("#d93025")
COLOR_LOCAL: Final = QColor("#80868b")
COLOR_CALLED_BACK: Final = QColor("#188038")

#: libphonenumber types that can receive an SMS (as in the popup).
_SMS_TYPES: Final = frozenset({"MOBILE", "FIXED_LINE_OR_MOBILE"})


class HistorySource(Protocol):
    """What the model reads (the journal)."""

    def select_ids(self, flt: HistoryFilter | None = None) -> list[int]: ...

    def rows(self, row_ids: Sequence[int]) -> list[HistoryRow]: ...


Spawn = Callable[..., Any]
RunBlocking = Callable[..., Awaitable[Any]]


async def _to_thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


# ---------------------------------------------------------------- icons


def _arrow(painter: QPainter, color: QColor, *, inward: bool, size: float) -> None:
    """A diagonal arrow: into the corner (incoming) or out of it (outgoing)."""
    pen = QPen(color, size * 0.13, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    lo, hi = size * 0.25, size * 0.75
    if inward:  # from top-right down to bottom-left, head at bottom-left
        painter.drawLine(QPointF(hi, lo), QPointF(lo, hi))
        head = QPainterPath(QPointF(lo, hi - size * 0.3))
        head.lineTo(QPointF(lo, hi))
        head.lineTo(QPointF(lo + size * 0.3, hi))
    else:  # from bottom-left up to top-right, head at top-right
        painter.drawLine(QPointF(lo, hi), QPointF(hi, lo))
        head = QPainterPath(QPointF(hi - size * 0.3, lo))
        head.lineTo(QPointF(hi, lo))
        head.lineTo(QPointF(hi, lo + size * 0.3))
    painter.drawPath(head)


def _paint_call_icon(kind: str, size: int, ratio: float) -> QPixmap:
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    if kind == "inbound":
        _arrow(painter, COLOR_INBOUND, inward=True, size=s)
    elif kind == "outbound":
        _arrow(painter, COLOR_OUTBOUND, inward=False, size=s)
    elif kind == "missed":
        _arrow(painter, COLOR_MISSED, inward=True, size=s)
        pen = QPen(COLOR_MISSED, s * 0.11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(s * 0.62, s * 0.62), QPointF(s * 0.9, s * 0.9))
        painter.drawLine(QPointF(s * 0.9, s * 0.62), QPointF(s * 0.62, s * 0.9))
    elif kind == "local":
        pen = QPen(COLOR_LOCAL, s * 0.12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(s * 0.2, s * 0.5), QPointF(s * 0.8, s * 0.5))
        painter.drawLine(QPointF(s * 0.2, s * 0.5), QPointF(s * 0.38, s * 0.32))
        painter.drawLine(QPointF(s * 0.2, s * 0.5), QPointF(s * 0.38, s * 0.68))
        painter.drawLine(QPointF(s * 0.8, s * 0.5), QPointF(s * 0.62, s * 0.32))
        painter.drawLine(QPointF(s * 0.8, s * 0.5), QPointF(s * 0.62, s * 0.68))
    elif kind == "note":
        painter.setPen(QPen(QColor("#b06000"), s * 0.07))
        painter.setBrush(QColor("#fde293"))
        painter.drawRoundedRect(QRectF(s * 0.18, s * 0.12, s * 0.64, s * 0.76), s * 0.08,
                                s * 0.08)
        for y in (0.34, 0.5, 0.66):
            painter.drawLine(QPointF(s * 0.3, s * y), QPointF(s * 0.7, s * y))
    elif kind == "recording":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(COLOR_OUTBOUND)
        painter.drawEllipse(QRectF(s * 0.08, s * 0.08, s * 0.84, s * 0.84))
        triangle = QPainterPath(QPointF(s * 0.4, s * 0.3))
        triangle.lineTo(QPointF(s * 0.72, s * 0.5))
        triangle.lineTo(QPointF(s * 0.4, s * 0.7))
        triangle.closeSubpath()
        painter.setBrush(QColor("#ffffff"))
        painter.drawPath(triangle)
    painter.end()
    return pixmap


_ICONS: dict[str, QIcon] = {}


def call_icon(kind: str) -> QIcon:
    """The history's small icons: ``inbound``, ``outbound``, ``missed``, ``local``,
    ``recording``, ``note``."""
    icon = _ICONS.get(kind)
    if icon is None:
        icon = QIcon()
        for ratio in (1.0, 2.0):
            icon.addPixmap(_paint_call_icon(kind, ICON_SIZE, ratio))
        _ICONS[kind] = icon
    return icon


def icon_kind(row: HistoryRow) -> str:
    if row.is_missed:
        return "missed"
    if row.direction in ("inbound", "outbound", "local"):
        return row.direction
    return "inbound"


# ---------------------------------------------------------------- the model


class HistoryModel(QAbstractTableModel):
    """Calls from the journal, newest first, read a page at a time (module docstring).

    Signals:
        loaded(int): a query finished; the number of matching calls.
        failed(str): the journal could not be read (the message says why).
    """

    TIME, DIRECTION, NUMBER, CONTACT, DURATION, OUTCOME, RECORDING = range(7)
    COLUMN_COUNT = 7
    #: ``data(index, ROW_ROLE)`` is the row's :class:`HistoryRow`.
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, source: HistorySource, *, spawn: Spawn,
                 run_blocking: RunBlocking = _to_thread,
                 name_for: Callable[[str], str | None] | None = None,
                 locale: QLocale | None = None, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self._spawn = spawn
        self._run_blocking = run_blocking
        self._name_for = name_for
        self.locale = locale or QLocale()
        self._clock = clock
        self._filter = HistoryFilter()
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[HistoryRow | None]] = OrderedDict()
        self._names: dict[str, str | None] = {}
        #: Display texts by (row id, column): formatting a number costs more than painting.
        self._texts: dict[tuple[int, int], str | None] = {}
        self._last_page: tuple[int, list[HistoryRow | None]] | None = None
        self._generation = 0
        self._pending: Any = None
        #: Call ids shown as "new" (missed and unseen when the window opened).
        self.highlight: frozenset[str] = frozenset()
        #: Pages read from the journal (diagnostics, tests, the benchmark).
        self.page_reads = 0
        self.loading = False

    # -- querying ---------------------------------------------------------------

    @property
    def current_filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, flt: HistoryFilter) -> None:
        """Show the calls matching *flt* (queried in a worker thread)."""
        self._filter = flt
        self.refresh()

    def refresh(self) -> None:
        """Query again (new calls appear at the top, the rest stays in place)."""
        self._generation += 1
        generation = self._generation
        self.loading = True
        self._pending = self._spawn(self._load(generation, self._filter),
                                    name="history-query")

    async def _load(self, generation: int, flt: HistoryFilter) -> None:
        try:
            ids = await self._run_blocking(self.source.select_ids, flt)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("reading the call history failed: %s", exc)
            if generation == self._generation:
                self.loading = False
                self.failed.emit(str(exc) or type(exc).__name__)
            return
        if generation != self._generation:
            return  # a newer query was started meanwhile
        self.apply_ids(ids)

    def apply_ids(self, ids: list[int]) -> None:
        """Show these row ids (the result of ``select_ids``)."""
        old = self._ids
        self._pages.clear()
        self._names.clear()
        self._texts.clear()
        self._last_page = None
        added = len(ids) - len(old)
        if old and added > 0 and ids[added:] == old:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._ids = ids
            self.endInsertRows()
            self._rows_changed()
        elif ids == old:
            self._rows_changed()
        else:
            self.beginResetModel()
            self._ids = ids
            self.endResetModel()
        self.loading = False
        self.loaded.emit(len(ids))

    def _rows_changed(self) -> None:
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.COLUMN_COUNT - 1))

    # -- rows -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def row_at(self, row: int) -> HistoryRow | None:
        """The call shown in *row* (reads its page on first use)."""
        if not 0 <= row < len(self._ids):
            return None
        page_no, offset = divmod(row, PAGE_SIZE)
        last = self._last_page
        if last is not None and last[0] == page_no:
            page = last[1]
        else:
            cached = self._pages.get(page_no)
            if cached is None:
                page = self._read_page(page_no)
            else:
                self._pages.move_to_end(page_no)
                page = cached
            self._last_page = (page_no, page)
        return page[offset] if offset < len(page) else None

    def _read_page(self, page_no: int) -> list[HistoryRow | None]:
        ids = self._ids[page_no * PAGE_SIZE:(page_no + 1) * PAGE_SIZE]
        try:
            found = {r.row_id: r for r in self.source.rows(ids)}
        except Exception as exc:
            log.warning("reading a page of the call history failed: %s", exc)
            found = {}
        page: list[HistoryRow | None] = [found.get(i) for i in ids]
        self.page_reads += 1
        self._pages[page_no] = page
        while len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def call_ids(self) -> int:
        return len(self._ids)

    def row_of(self, call_id: str) -> int | None:
        """The row showing *call_id* among the cached pages (tests, selection)."""
        for page_no, page in self._pages.items():
            for offset, item in enumerate(page):
                if item is not None and item.call_id == call_id:
                    return page_no * PAGE_SIZE + offset
        return None

    def _contact(self, row: HistoryRow) -> str:
        if row.contact_name:
            return row.contact_name
        key = row.number_key
        if not key or self._name_for is None:
            return ""
        if key not in self._names:
            try:
                self._names[key] = self._name_for(key)
            except Exception:
                log.exception("contact lookup failed")
                self._names[key] = None
        return self._names[key] or ""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            key = (row.row_id, column)
            if key not in self._texts:
                if len(self._texts) > CACHED_PAGES * PAGE_SIZE * self.COLUMN_COUNT:
                    self._texts.clear()
                self._texts[key] = self._display(row, column)
            return self._texts[key]
        if role == Qt.ItemDataRole.DecorationRole:
            if column == self.DIRECTION:
                return call_icon(icon_kind(row))
            if column == self.RECORDING and row.recording:
                return call_icon("recording")
            if column == self.CONTACT and row.note:
                return call_icon("note")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.FontRole and self._is_new(row) and column in (
                self.NUMBER, self.CONTACT, self.TIME):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.OUTCOME and row.is_missed:
                return COLOR_CALLED_BACK if row.called_back_at else COLOR_MISSED
            if column == self.NUMBER and row.is_missed and self._is_new(row):
                return COLOR_MISSED
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                self.DURATION, self.DIRECTION, self.RECORDING):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(row, column) or self._tooltip(row, column)
        return None

    def _is_new(self, row: HistoryRow) -> bool:
        return row.is_new_missed or (row.is_missed and row.call_id in self.highlight)

    def _display(self, row: HistoryRow, column: int) -> str | None:
        if column == self.TIME:
            return self.format_time(row.started_at)
        if column == self.NUMBER:
            if row.number_raw and parse_number(row.number_raw).kind is NumberKind.ANONYMOUS:
                return self.tr("Withheld number")
            return display_number(row.number_raw)
        if column == self.CONTACT:
            return self._contact(row)
        if column == self.DURATION:
            return format_duration(row.talk_seconds) if row.talk_seconds > 0 else "–"
        if column == self.OUTCOME:
            return self.outcome_text(row)
        return None

    def _tooltip(self, row: HistoryRow, column: int) -> str | None:
        if column == self.DIRECTION:
            return direction_text(row)
        if column == self.RECORDING:
            return self.tr("Recording available") if row.recording else None
        parts = []
        if column in (self.NUMBER, self.CONTACT) and row.note:
            parts.append(self.tr("Note: {0}").format(row.note))
        if column == self.OUTCOME and row.called_back_at is not None:
            parts.append(self.tr("Called back {0}").format(self.format_time(row.called_back_at)))
        if row.queue and column == self.NUMBER:
            parts.append(self.tr("Queue {0}").format(row.queue))
        return rich_tooltip_for_plain("\n".join(parts)) if parts else None

    def outcome_text(self, row: HistoryRow) -> str:
        outcome = row.outcome
        if outcome == CardOutcome.MISSED.value:
            if row.called_back_at is not None:
                return self.tr("Missed · called back")
            return self.tr("Missed")
        return {
            CardOutcome.ANSWERED.value: self.tr("Answered"),
            CardOutcome.ANSWERED_ELSEWHERE.value: self.tr("Answered by a colleague"),
            CardOutcome.NOT_ANSWERED.value: self.tr("Not answered"),
        }.get(outcome, self.tr("Unknown"))

    def format_time(self, ts: float | None) -> str:
        if ts is None:
            return ""
        moment = QDateTime.fromSecsSinceEpoch(int(ts))
        today = QDateTime.fromSecsSinceEpoch(int(self._clock())).date()
        clock = self.locale.toString(moment.time(), "HH:mm")
        if moment.date() == today:
            return self.tr("Today {0}").format(clock)
        if moment.date() == today.addDays(-1):
            return self.tr("Yesterday {0}").format(clock)
        return self.locale.toString(moment.date(), "dd.MM.yyyy") + " " + clock

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.TIME: self.tr("Time"), self.DIRECTION: "", self.NUMBER: self.tr("Number"),
            self.CONTACT: self.tr("Contact"), self.DURATION: self.tr("Duration"),
            self.OUTCOME: self.tr("Outcome"), self.RECORDING: "",
        }.get(section)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def display_number(raw: str | None) -> str:
    if not raw:
        return ""
    number = parse_number(raw)
    return number.display() or raw


def direction_text(row: HistoryRow) -> str:
    if row.is_missed:
        return QCoreApplication.translate("CallDirection", "Missed call")
    names = {"inbound": QCoreApplication.translate("CallDirection", "Incoming call"),
             "outbound": QCoreApplication.translate("CallDirection", "Outgoing call"),
             "local": QCoreApplication.translate("CallDirection", "Internal call")}
    return names.get(row.direction) or QCoreApplication.translate("CallDirection", "Call")


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


class DateRange:
    ANY, TODAY, WEEK, MONTH, CUSTOM = range(5)


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
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self._build()
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.resize(900, 580)
        self._update_actions()

    # -- building -------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        top = QHBoxLayout()
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
        self.range_combo.addItem(self.tr("Any time"), DateRange.ANY)
        self.range_combo.addItem(self.tr("Today"), DateRange.TODAY)
        self.range_combo.addItem(self.tr("Last 7 days"), DateRange.WEEK)
        self.range_combo.addItem(self.tr("Last 30 days"), DateRange.MONTH)
        self.range_combo.addItem(self.tr("Dates…"), DateRange.CUSTOM)
        self.range_combo.currentIndexChanged.connect(self._range_changed)
        top.addWidget(self.range_combo)
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-7), self)
        self.to_edit = QDateEdit(today, self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setVisible(False)
            edit.dateChanged.connect(self.apply_filter)
            top.addWidget(edit)
        top.addSpacing(10)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search name or number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filter)
        top.addWidget(self.search_edit, 1)
        outer.addLayout(top)

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
        self.row_buttons = [self.call_back_button, self.sms_button, self.play_button,
                            self.add_contact_button, self.copy_button, self.note_button]
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

    def _kind_toggled(self, _button: object, checked: bool) -> None:
        if checked:
            self.apply_filter()

    def _range_changed(self) -> None:
        custom = self.range_combo.currentData() == DateRange.CUSTOM
        self.from_edit.setVisible(custom)
        self.to_edit.setVisible(custom)
        self.apply_filter()

    def set_kind(self, kind: HistoryKind) -> None:
        self.kind_buttons[kind].setChecked(True)

    def kind(self) -> HistoryKind:
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return HistoryKind.ALL

    def current_filter(self) -> HistoryFilter:
        since: float | None = None
        until: float | None = None
        today = datetime.fromtimestamp(self._clock()).replace(hour=0, minute=0, second=0,
                                                               microsecond=0)
        choice = self.range_combo.currentData()
        if choice == DateRange.TODAY:
            since = today.timestamp()
        elif choice == DateRange.WEEK:
            since = (today - timedelta(days=6)).timestamp()
        elif choice == DateRange.MONTH:
            since = (today - timedelta(days=29)).timestamp()
        elif choice == DateRange.CUSTOM:
            start, end = self.from_edit.date(), self.to_edit.date()
            if end < start:
                start, end = end, start
            since = QDateTime(start, QTime(0, 0)).toSecsSinceEpoch()
            until = QDateTime(end.addDays(1), QTime(0, 0)).toSecsSinceEpoch()
        text = self.search_edit.text().strip()
        keys: tuple[str, ...] = ()
        lookup = self.history_actions.directory_keys
        if text and lookup is not None and any(c.isalpha() for c in text):
            try:
                keys = tuple(lookup(text))
            except Exception:
                log.exception("directory search for the history failed")
        return HistoryFilter(kind=self.kind(), since=since, until=until, text=text,
                             extra_keys=keys)

    def apply_filter(self) -> None:
        self._queried = True
        self._search_timer.stop()
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
                       self.add_contact_button, self.copy_button, self.note_button):
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

