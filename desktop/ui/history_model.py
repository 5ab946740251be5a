"""The call history's table model, its icons and display helpers.

:class:`HistoryModel` shows the journal without ever loading it into
widgets: a filter change asks the journal (in a worker thread) first for the
head of the result -- the first page of matching calls, painted at once --
and then for the *row ids* of every matching call, newest first (one indexed
query, a plain list of integers even for 100,000 calls; see
``desktop.core.history_query``).  Rows are read by id a page
(:data:`PAGE_SIZE`) at a time when the view paints them (a primary-key
lookup, well under a millisecond), keeping a few pages cached.  The
scrollbar is exact once the ids are in, jumping to the end costs one page,
and a new call at the top is an insert of one row, not a reset.

Untrusted text (contact names, numbers, notes) is returned as plain strings;
tooltips go through :func:`~desktop.ui.popup.rich_tooltip_for_plain`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

from desktop.core.caller_card import CardOutcome
from desktop.core.history_query import HEAD_ROWS, HistoryHead, HistorySource, read_head
from desktop.core.journal import HistoryFilter, HistoryRow
from desktop.core.numbers import NumberKind, parse_number
from desktop.ui.popup import format_duration, rich_tooltip_for_plain

log = logging.getLogger("kobikom.ui.history")

#: Rows read from the journal per page (the first page is the filter's head read).
PAGE_SIZE: Final = HEAD_ROWS
#: Event-loop turns between showing a filter's head and reading its ids.
PAINT_TURNS: Final = 2
#: Pages kept in memory (a screenful needs one or two).
CACHED_PAGES: Final = 24
ICON_SIZE: Final = 16

COLOR_INBOUND: Final = QColor("#188038")
COLOR_OUTBOUND: Final = QColor("#1a73e8")
COLOR_MISSED: Final = QColor("#d93025")
COLOR_LOCAL: Final = QColor("#80868b")
COLOR_CALLED_BACK: Final = QColor("#188038")

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

    A filter change reads in two steps (``desktop.core.history_query``): the
    head (the first page of rows, painted at once; :attr:`loading` turns
    False) and then every matching row id (the rows below the first page are
    inserted; :attr:`complete` turns True and :attr:`loaded` is emitted).
    :meth:`refresh` (a new call, a sync) reads the ids only, so the rows on
    screen stay put and new calls are inserted at the top.

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
        #: The rows shown are only the head of the result (the ids follow).
        self._head_only = False
        #: Call ids shown as "new" (missed and unseen when the window opened).
        self.highlight: frozenset[str] = frozenset()
        #: Pages read from the journal (diagnostics, tests, the benchmark).
        self.page_reads = 0
        #: A query is running and nothing of its result is shown yet.
        self.loading = False
        #: Every matching row is in the model (the last query has finished).
        self.complete = True

    # -- querying ---------------------------------------------------------------

    @property
    def current_filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, flt: HistoryFilter) -> None:
        """Show the calls matching *flt* (queried in a worker thread, head first)."""
        self._filter = flt
        self._start(head=True)

    def refresh(self) -> None:
        """Query again (new calls appear at the top, the rest stays in place)."""
        self._start(head=False)

    def _start(self, *, head: bool) -> None:
        self._generation += 1
        self.loading = True
        self.complete = False
        self._pending = self._spawn(self._load(self._generation, self._filter, head),
                                    name="history-query")

    async def _load(self, generation: int, flt: HistoryFilter, head: bool) -> None:
        try:
            if head:
                first: HistoryHead = await self._run_blocking(read_head, self.source, flt,
                                                              PAGE_SIZE)
                if generation != self._generation:
                    return  # a newer query was started meanwhile
                self.apply_head(first)
                if not first.more:
                    self._finish(len(first.ids))
                    return
                # Let the view paint the head before the id list (a worker
                # building 100,000 ints) competes with it for the GIL: Qt
                # delivers the posted paint request before the loop resumes us.
                for _ in range(PAINT_TURNS):
                    await asyncio.sleep(0)
                if generation != self._generation:
                    return
            ids = await self._run_blocking(self.source.select_ids, flt)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("reading the call history failed: %s", exc)
            if generation == self._generation:
                self.loading = False
                self.complete = True
                self._head_only = False
                self.failed.emit(str(exc) or type(exc).__name__)
            return
        if generation != self._generation:
            return
        self.apply_ids(ids)

    def _clear_caches(self) -> None:
        self._pages.clear()
        self._names.clear()
        self._texts.clear()
        self._last_page = None

    def apply_head(self, head: HistoryHead) -> None:
        """Show the first page of a new filter's result (the rest follows)."""
        self.beginResetModel()
        self._clear_caches()
        self._ids = list(head.ids)
        self._pages[0] = list(head.rows)
        self._head_only = head.more
        self.endResetModel()
        self.loading = False

    def _finish(self, count: int) -> None:
        self._head_only = False
        self.loading = False
        self.complete = True
        self.loaded.emit(count)

    def apply_ids(self, ids: list[int]) -> None:
        """Show these row ids (the result of ``select_ids``)."""
        old = self._ids
        if self._head_only and ids[:len(old)] == old:
            # The rest of a filter's result below its head: rows appended, the
            # head's rows (and the page read for them) stay.
            if len(ids) > len(old):
                self.beginInsertRows(QModelIndex(), len(old), len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
            self._finish(len(ids))
            return
        self._clear_caches()
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
        self._finish(len(ids))

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
        # A view asks ~15 roles per cell while painting; most are none of ours.
        if role not in _ROLES or not index.isValid():
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


_ROLES: Final = frozenset({
    HistoryModel.ROW_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.AccessibleTextRole})


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
