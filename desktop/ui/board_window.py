"""The team and queue board's widgets: the window, and the compact queue strip.

:class:`BoardWindow` has two tabs: **Colleagues** (search as you type, one
row per extension; a click on a row's green handset calls the colleague,
on its blue arrow transfers the agent's current call there) and **Queues**
(the queues, the callers waiting, the agents of the selected queue, and
today's abandoned callers with "Call back").  :class:`BoardStrip` sums the
queues up in one line; it sits at the top of the window, or, undocked,
floats on its own above every other window (a small tool window).

The widgets only show and ask: what a click means is the
:class:`~desktop.ui.board_service.BoardService`'s, through signals.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QHideEvent,
    QKeySequence,
    QRegion,
    QResizeEvent,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.team import TeamBoard
from desktop.core.team_model import Presence, QueueView
from desktop.ui.board_model import (
    AbandonedModel,
    AgentModel,
    ColleagueModel,
    QueueModel,
    WaitingModel,
)
from desktop.ui.board_text import duration_text
from desktop.ui.labels import plain_label, rich_tooltip_for_plain, window_title_text

#: The window's first size (logical px).
WINDOW_SIZE: Final = (900, 620)
#: Queues the strip names one by one; more are summed up.
STRIP_QUEUES: Final = 4


def _table(model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return view


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" when it does not fit (the full text
    in the tooltip), and asks a layout for no room of its own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.full_text = ""

    def set_full_text(self, text: str) -> None:
        if text != self.full_text:
            self.full_text = text
            self._elide()

    def text_width(self) -> int:
        return self.fontMetrics().horizontalAdvance(self.full_text) + 8

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                              max(0, self.contentsRect().width()))
        self.setText(shown)
        self.setToolTip(rich_tooltip_for_plain(self.full_text) if shown != self.full_text
                        else "")


class BoardStrip(QFrame):
    """One line: the agent's queues (callers waiting, the longest wait) and the team.

    Signals: ``dockToggled()`` (the dock/undock button), ``openRequested()``
    (the undocked strip's "board" button), ``visibilityChanged(bool)``.
    """

    dockToggled = Signal()
    openRequested = Signal()
    visibilityChanged = Signal(bool)

    def __init__(self, board: TeamBoard, *, queues: Callable[[], list[str]],
                 clock: Callable[[], float] = time.time, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self._queues = queues
        self._clock = clock
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("boardStrip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.queue_label = ElidedLabel(self)  # the queues' line never widens the board
        self.team_label = plain_label(self)
        self.team_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # A fixed size (room for counts as long as the team's size): a new count then
        # repaints the label alone, never the strip's layout (the counts change with
        # almost every update on a busy domain).
        self._digits = 0
        self.open_button = QToolButton(self)
        self.open_button.setText(self.tr("Board"))
        self.open_button.setToolTip(self.tr("Open the team and queue board"))
        self.open_button.clicked.connect(self.openRequested)
        self.dock_button = QToolButton(self)
        self.dock_button.clicked.connect(self.dockToggled)
        layout.addWidget(self.queue_label, 1)
        layout.addWidget(self.team_label)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dock_button)
        self.set_floating(False)

    @property
    def floating(self) -> bool:
        return self.isWindow()

    def set_floating(self, floating: bool) -> None:
        """Only the looks; :meth:`BoardWindow.undock_strip` moves the widget."""
        self.open_button.setVisible(floating)
        self.dock_button.setText(self.tr("Dock") if floating else self.tr("Undock"))
        self.dock_button.setToolTip(
            self.tr("Put the strip back into the board window") if floating else
            self.tr("Keep this strip on top of every window"))

    def refresh(self) -> None:
        now = self._clock()
        wanted = set(self._queues())
        mine = [q for q in self.board.queues if q.extension in wanted]
        parts = []
        for queue in mine[:STRIP_QUEUES]:
            parts.append(self._queue_text(queue, now))
        rest = mine[STRIP_QUEUES:]
        if rest:
            parts.append(self.tr("{count} more queues: {waiting} waiting").format(
                count=len(rest), waiting=sum(q.waiting for q in rest)))
        self.queue_label.set_full_text("   ·   ".join(parts) or self.tr("No queues"))
        counts = self.board.presence_counts
        busy = counts[Presence.IN_CALL] + counts[Presence.ON_HOLD] + counts[Presence.RINGING]
        digits = len(str(len(self.board.colleagues)))
        if digits != self._digits:  # the team's size changed: once, not per update
            self._digits = digits
            widest = self._team_text(*(int("8" * digits),) * 3)
            label = self.team_label
            label.setFixedSize(label.fontMetrics().horizontalAdvance(widest) + 4,
                               label.sizeHint().height())
        self.team_label.setText(self._team_text(counts[Presence.FREE], busy,
                                                counts[Presence.OFFLINE]))

    def _team_text(self, free: int, busy: int, offline: int) -> str:
        return self.tr("Team: {free} free, {busy} busy, {off} offline").format(
            free=free, busy=busy, off=offline)

    def _queue_text(self, queue: QueueView, now: float) -> str:
        name = queue.name or queue.extension
        if not (queue.reported or queue.callers):
            return name
        since = queue.longest_since
        if queue.waiting and since is not None:
            return self.tr("{queue}: {count} waiting, longest {time}").format(
                queue=name, count=queue.waiting, time=duration_text(now - since))
        return self.tr("{queue}: {count} waiting").format(queue=name, count=queue.waiting)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.visibilityChanged.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.visibilityChanged.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.floating:  # closing the floating strip docks it back
            event.ignore()
            self.dockToggled.emit()
            return
        super().closeEvent(event)


class BoardWindow(QWidget):
    """The board (see the module docstring).

    Signals: ``callRequested(str)`` (an extension), ``transferRequested(str)``,
    ``callBackRequested(str)`` (an abandoned caller's key), ``visibilityChanged(bool)``.
    """

    callRequested = Signal(str)
    transferRequested = Signal(str)
    callBackRequested = Signal(str)
    visibilityChanged = Signal(bool)

    def __init__(self, board: TeamBoard, *, own: Callable[[], list[str]],
                 my_queues: Callable[[], list[str]], clock: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.board = board
        self._clock = clock
        self.setWindowTitle(window_title_text(self.tr("Team and queues – Kobikom Desktop")))
        self.resize(*WINDOW_SIZE)
        self.colleagues = ColleagueModel(board, own=own, clock=clock, parent=self)
        self.queue_model = QueueModel(board, clock=clock, parent=self)
        name = self._queue_name
        self.waiting_model = WaitingModel(name, clock=clock, parent=self)
        self.agent_model = AgentModel(clock=clock, parent=self)
        self.abandoned_model = AbandonedModel(name, clock=clock, parent=self)

        layout = QVBoxLayout(self)
        self.strip = BoardStrip(board, queues=my_queues, clock=clock, parent=self)
        self.strip.dockToggled.connect(self.toggle_strip)
        self.strip.openRequested.connect(self.open)
        layout.addWidget(self.strip)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        self._build_colleagues()
        self._build_queues()
        self.status = plain_label(self)
        layout.addWidget(self.status)
        self._team_problem = ""

    # -- building -------------------------------------------------------------------

    def _build_colleagues(self) -> None:
        page = QWidget(self.tabs)
        box = QVBoxLayout(page)
        self.search = QLineEdit(page)
        self.search.setPlaceholderText(self.tr("Search by name or extension"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.colleagues.set_query)
        self.search.textChanged.connect(lambda _text: self.update_status())
        box.addWidget(self.search)
        self.colleague_view = view = _table(self.colleagues, page)
        # Widths from the font, never "resize to contents": that reads every row of a
        # thousand on each change (the benchmark's first finding).
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ColleagueModel.WITH, QHeaderView.ResizeMode.Stretch)
        for column in (ColleagueModel.CALL, ColleagueModel.TRANSFER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        em = view.fontMetrics().horizontalAdvance("0")
        for column, chars in ((ColleagueModel.EXT, 7), (ColleagueModel.NAME, 24),
                              (ColleagueModel.STATE, 16), (ColleagueModel.TIME, 8),
                              (ColleagueModel.AGENT, 30), (ColleagueModel.CALL, 4),
                              (ColleagueModel.TRANSFER, 4)):
            view.setColumnWidth(column, em * chars)
        view.clicked.connect(self._colleague_clicked)
        call = QShortcut(QKeySequence(Qt.Key.Key_Return), view)
        call.setContext(Qt.ShortcutContext.WidgetShortcut)
        call.activated.connect(self._call_selected)
        self.search.returnPressed.connect(self._call_selected)
        box.addWidget(view, 1)
        self.tabs.addTab(page, self.tr("Colleagues"))

    def _build_queues(self) -> None:
        page = QWidget(self.tabs)
        box = QVBoxLayout(page)
        split = QSplitter(Qt.Orientation.Vertical, page)
        self.queue_view = _table(self.queue_model, split)
        header = self.queue_view.horizontalHeader()
        header.setSectionResizeMode(QueueModel.NAME, QHeaderView.ResizeMode.Stretch)
        em = self.queue_view.fontMetrics().horizontalAdvance("0")
        for column, chars in ((QueueModel.NUMBER, 9), (QueueModel.WAITING, 11),
                              (QueueModel.LONGEST, 17), (QueueModel.AGENTS, 16)):
            self.queue_view.setColumnWidth(column, em * chars)
        self.queue_view.selectionModel().currentRowChanged.connect(self._queue_selected)
        middle = QSplitter(Qt.Orientation.Horizontal, split)
        self.waiting_view = self._titled(middle, self.tr("Callers waiting"), self.waiting_model)
        self.agent_view = self._titled(middle, self.tr("Agents of the selected queue"),
                                       self.agent_model)
        self.abandoned_view = self._titled(split, self.tr("Gave up waiting today"),
                                           self.abandoned_model)
        self.abandoned_view.clicked.connect(self._abandoned_clicked)
        # The column with the longest text takes the room: the caller, the agent's name.
        # The others get widths from the font and their header, never "resize to
        # contents": that reads every row again after each change, even on a hidden tab
        # (the benchmark's second finding).
        for view, wide, widths in (
                (self.waiting_view, WaitingModel.CALLER,
                 ((WaitingModel.QUEUE, 22), (WaitingModel.WAITED, 8))),
                (self.agent_view, AgentModel.NAME,
                 ((AgentModel.EXT, 8), (AgentModel.STATUS, 14), (AgentModel.STATE, 18))),
                (self.abandoned_view, AbandonedModel.CALLER,
                 ((AbandonedModel.QUEUE, 22), (AbandonedModel.AT, 8), (AbandonedModel.WAITED, 8),
                  (AbandonedModel.CALLBACK, 14)))):
            header = view.horizontalHeader()
            header.setSectionResizeMode(wide, QHeaderView.ResizeMode.Stretch)
            em = view.fontMetrics().horizontalAdvance("0")
            for column, chars in widths:
                view.setColumnWidth(column, max(em * chars, header.sectionSizeHint(column)))
        box.addWidget(split, 1)
        self.tabs.addTab(page, self.tr("Queues"))

    def _titled(self, parent: QWidget, title: str, model: Any) -> QTableView:
        holder = QWidget(parent)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(plain_label(holder, title))
        view = _table(model, holder)
        box.addWidget(view, 1)
        return view

    # -- showing the board --------------------------------------------------------------

    def _queue_name(self, extension: str) -> str:
        view = self.board.queue(extension) if extension else None
        return self.queue_model.queue_name(view) if view is not None else (
            extension or self.tr("Queue not named"))

    def refresh_lists(self) -> None:
        """The small lists (waiting, agents of the selected queue, abandoned)."""
        self.waiting_model.set_items(self.board.waiting)
        self._queue_selected(self.queue_view.currentIndex())
        self.abandoned_model.set_items(self.board.abandoned)

    def _queue_selected(self, current: QModelIndex, _previous: Any = None) -> None:
        queues = self.board.queues
        row = current.row() if current.isValid() else -1
        self.agent_model.set_items(queues[row].agents if 0 <= row < len(queues) else ())

    def tick(self) -> None:
        """Once a second while shown: the durations move on; only their columns are
        repainted, and only where they are on screen."""
        for model in (self.colleagues, self.queue_model, self.waiting_model):
            model.tick()
        self._tick_colleagues()
        for view, column in ((self.queue_view, QueueModel.LONGEST),
                             (self.waiting_view, WaitingModel.WAITED)):
            if view.isVisible() and not view.isColumnHidden(column):
                viewport = view.viewport()
                viewport.update(view.columnViewportPosition(column), 0,
                                view.columnWidth(column), viewport.height())

    def _tick_colleagues(self) -> None:
        """Repaint the durations of the colleagues on screen who have one (of a
        thousand rows, a few dozen show, and most of them have no call)."""
        view, model = self.colleague_view, self.colleagues
        if not view.isVisible() or not model.rowCount():
            return
        viewport = view.viewport()
        top = view.rowAt(0)
        if top < 0:
            return
        bottom = view.rowAt(viewport.height() - 1)
        if bottom < 0:
            bottom = model.rowCount() - 1
        x, width = view.columnViewportPosition(ColleagueModel.TIME), \
            view.columnWidth(ColleagueModel.TIME)
        region = QRegion()
        for row in range(top, bottom + 1):
            if model.view(row).since is not None:
                region += QRect(x, view.rowViewportPosition(row), width, view.rowHeight(row))
        if not region.isEmpty():
            viewport.update(region)

    def set_transfer(self, supported: bool, blocked: str | None) -> None:
        """The Transfer column is absent where the channel cannot transfer, else
        enabled or disabled (the tooltip says why)."""
        self.colleague_view.setColumnHidden(ColleagueModel.TRANSFER, not supported)
        self.colleagues.set_transfer(blocked if supported else "")

    def set_team_problem(self, text: str) -> None:
        self._team_problem = text
        self.update_status()

    def update_status(self) -> None:
        views = self.board.colleagues
        shown = self.colleagues.rowCount()
        if shown != len(views):  # a search narrows the list
            text = self.tr("{shown} of {count} colleagues").format(shown=shown,
                                                                   count=len(views))
        else:
            text = self.tr("{count} colleagues").format(count=len(views))
        if self._team_problem:
            text += " – " + self._team_problem
        self.status.setText(text)

    def toggle_strip(self) -> None:
        """Undock the strip into a small always-on-top window, or dock it back."""
        strip = self.strip
        if strip.floating:
            strip.hide()
            strip.setParent(self)
            strip.setWindowFlags(Qt.WindowType.Widget)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(0, strip)
            strip.set_floating(False)
            strip.show()
        else:
            strip.hide()
            strip.setParent(None)
            strip.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
            strip.setWindowTitle(window_title_text(self.tr("Queues – Kobikom Desktop")))
            strip.set_floating(True)
            # The queues' line asks for no room in a layout (ElidedLabel): add its text.
            strip.resize(max(strip.sizeHint().width() + strip.queue_label.text_width(), 520),
                         strip.sizeHint().height())
            strip.show()

    def open(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()

    # -- clicks ----------------------------------------------------------------------

    def _colleague_clicked(self, index: QModelIndex) -> None:
        if not index.isValid() or not (self.colleagues.flags(index) &
                                       Qt.ItemFlag.ItemIsEnabled):
            return
        extension = self.colleagues.view(index.row()).extension
        if index.column() == ColleagueModel.CALL:
            self.callRequested.emit(extension)
        elif index.column() == ColleagueModel.TRANSFER:
            self.transferRequested.emit(extension)

    def _call_selected(self) -> None:
        index = self.colleague_view.currentIndex()
        if not index.isValid() and self.colleagues.rowCount() == 1:
            index = self.colleagues.index(0, 0)  # search narrowed it to one: Enter calls
        if index.isValid():
            self._colleague_clicked(self.colleagues.index(index.row(), ColleagueModel.CALL))

    def _abandoned_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() == AbandonedModel.CALLBACK and \
                self.abandoned_model.flags(index) & Qt.ItemFlag.ItemIsEnabled:
            gone = self.abandoned_model.item(index.row())
            if not gone.called_back:
                self.callBackRequested.emit(gone.key)

    # -- visibility -------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.visibilityChanged.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.visibilityChanged.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # the board is kept (its models follow the line); just hide it
        self.hide()
