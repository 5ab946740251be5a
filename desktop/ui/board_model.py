"""Qt item models of the team and queue board: views onto one :class:`TeamBoard`.

No widget per extension: a table of 1,000 colleagues is one model whose
rows are read from the board's immutable views when the view paints them.
:meth:`ColleagueModel.apply` turns a :class:`~desktop.core.team.BoardChanges`
into one ``dataChanged`` per run of adjacent changed rows (a reset only when
rows came or went), so a burst of events costs a repaint of the rows that
changed and are on screen, nothing more.  The durations' column is repainted
by :meth:`ColleagueModel.tick`, which the window calls once a second while
it is visible.

Everything from outside (names, numbers) is DisplayRole text, which item
views draw as plain text; tooltips with such text go through
:func:`~desktop.ui.labels.rich_tooltip_for_plain`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.core.team import BoardChanges, TeamBoard
from desktop.core.team_model import (
    AbandonedCaller,
    AgentView,
    ColleagueView,
    Presence,
    QueueView,
    WaitingCaller,
)
from desktop.ui.board_text import (
    QT_TRANSLATE_NOOP,
    action_icon,
    agent_summary,
    agent_text,
    board_tr,
    dot_icon,
    duration_text,
    presence_text,
    who_text,
    with_tooltip,
)
from desktop.ui.labels import rich_tooltip_for_plain

Index = QModelIndex | QPersistentModelIndex
_ROOT: Final = QModelIndex()
#: Text of rows nobody can call right now (offline, no news).
_MUTED: Final = QColor("#80868b")
_RIGHT: Final = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTER: Final = int(Qt.AlignmentFlag.AlignCenter)
#: The roles the colleagues' table answers (every other one is None at once).
_ROLES: Final = frozenset(int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.AccessibleTextRole))


def fold(text: str) -> str:
    """Search-folded text: case-free, Turkish dotted and dotless i alike."""
    return text.replace("İ", "i").replace("I", "i").lower().replace("ı", "i").replace("i̇", "i")


def runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted rows as ``(first, last)`` runs of adjacent rows."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return board_tr(self.HEADERS[section]) if self.HEADERS[section] else ""
        return None

    def _changed(self, first: int, last: int, col0: int = 0, col1: int | None = None) -> None:
        self.dataChanged.emit(self.index(first, col0),
                              self.index(last, len(self.HEADERS) - 1 if col1 is None else col1))


class ColleagueModel(_Table):
    """Every colleague: extension, name, state, with whom, for how long, agent, actions."""

    EXT, NAME, STATE, WITH, TIME, AGENT, CALL, TRANSFER = range(8)
    HEADERS = (QT_TRANSLATE_NOOP("Board", "Ext."), QT_TRANSLATE_NOOP("Board", "Name"),
               QT_TRANSLATE_NOOP("Board", "State"), QT_TRANSLATE_NOOP("Board", "With"),
               QT_TRANSLATE_NOOP("Board", "Time"), QT_TRANSLATE_NOOP("Board", "Agent"), "", "")

    def __init__(self, board: TeamBoard, *, own: Callable[[], Sequence[str]] = tuple,
                 clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self.board = board
        self._own = own
        self._clock = clock
        self._now = clock()
        self._query = ""
        self._rows: list[int] = []  # board rows shown, in order
        self._shown: dict[int, int] = {}  # board row -> our row
        #: None: transfer possible; else why not (the Transfer column's tooltip).
        self.transfer_blocked: str | None = ""
        self._refilter()

    # -- the board's changes -------------------------------------------------------

    def _refilter(self) -> None:
        query = fold(self._query.strip())
        views = self.board.colleagues
        self._seen = list(views)  # what the rows show, to tell which columns change
        if query:
            self._rows = [i for i, v in enumerate(views)
                          if query in fold(v.name) or query in v.extension]
        else:
            self._rows = list(range(len(views)))
        self._shown = {board_row: row for row, board_row in enumerate(self._rows)}

    def set_query(self, text: str) -> None:
        """Search as you type: extension digits or any part of the name."""
        if text == self._query:
            return
        self.beginResetModel()
        self._query = text
        self._refilter()
        self.endResetModel()

    def reset(self) -> None:
        self.beginResetModel()
        self._now = self._clock()
        self._refilter()
        self.endResetModel()

    def apply(self, changes: BoardChanges) -> None:
        """Repaint what *changes* says changed (a reset when rows came or went): per
        row, only the columns whose values changed (a view repaints every cell of a
        ``dataChanged`` range it can see)."""
        if changes.structure:
            self.reset()
            return
        if not changes.colleagues:
            return
        self._now = self._clock()
        views = self.board.colleagues
        for board_row in changes.colleagues:
            new = views[board_row]
            old, self._seen[board_row] = self._seen[board_row], new
            row = self._shown.get(board_row)
            if row is None:
                continue
            first, last = _changed_columns(old, new)
            if first <= last:
                self._changed(row, row, first, last)

    def tick(self) -> None:
        """Once a second while visible: the durations move on.  No signal: the window
        repaints the duration column it shows (a range ``dataChanged`` would repaint
        the whole table)."""
        self._now = self._clock()

    def set_transfer(self, blocked: str | None) -> None:
        if blocked != self.transfer_blocked:
            self.transfer_blocked = blocked
            if self._rows:
                self._changed(0, len(self._rows) - 1, self.TRANSFER, self.TRANSFER)

    # -- the model ----------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def view(self, row: int) -> ColleagueView:
        return self.board.colleagues[self._rows[row]]

    def _callable(self, view: ColleagueView) -> str | None:
        """None if the colleague can be called, else why not."""
        if view.extension in self._own():
            return self.tr("This is your own extension.")
        if view.presence in (Presence.OFFLINE, Presence.NOT_FOUND):
            return self.tr("{name} is offline.").format(name=view.name or view.extension)
        return None

    def _transferable(self, view: ColleagueView) -> str | None:
        if self.transfer_blocked is not None:
            return self.transfer_blocked
        if view.extension in self._own():
            return self.tr("This is your own extension.")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.CALL and self._callable(self.view(index.row())) is not None:
            return Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.TRANSFER and \
                self._transferable(self.view(index.row())) is not None:
            return Qt.ItemFlag.ItemIsSelectable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():  # a view asks ~15 roles per cell
            return None
        view = self.view(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.EXT:
                return view.extension
            if column == self.NAME:
                return view.name
            if column == self.STATE:
                return presence_text(view.presence)
            if column == self.WITH:
                return who_text(view.other_number, view.other_name)
            if column == self.TIME:
                return duration_text(self._now - view.since) if view.since is not None else ""
            if column == self.AGENT:
                return agent_summary(view.agent_status, view.agent_state)
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if column == self.STATE:
                return dot_icon(view.presence)
            if column == self.CALL:
                return action_icon("call")
            if column == self.TRANSFER:
                return action_icon("transfer")
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(view, column)
        if role == Qt.ItemDataRole.ForegroundRole and column < self.CALL and \
                view.presence in (Presence.OFFLINE, Presence.UNKNOWN, Presence.NOT_FOUND):
            return _MUTED
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.TIME:
            return _RIGHT
        if role == Qt.ItemDataRole.AccessibleTextRole and column in (self.CALL, self.TRANSFER):
            return self._tooltip(view, column)
        return None

    def _tooltip(self, view: ColleagueView, column: int) -> str | None:
        name = view.name or view.extension
        if column == self.CALL:
            why = self._callable(view)
            text = why or self.tr("Call {name} ({extension})").format(
                name=name, extension=view.extension)
            return rich_tooltip_for_plain(text)
        if column == self.TRANSFER:
            why = self._transferable(view)
            text = why or self.tr("Transfer your call to {name} ({extension})").format(
                name=name, extension=view.extension)
            return rich_tooltip_for_plain(text)
        if column == self.WITH and view.other_number:
            return rich_tooltip_for_plain(with_tooltip(view))
        if column == self.STATE:
            parts = [presence_text(view.presence)]
            if view.status_text:
                parts.append(self.tr("PBX: {text}").format(text=view.status_text))
            if view.registered is False:
                parts.append(self.tr("The phone is not registered."))
            return rich_tooltip_for_plain("\n".join(parts))
        if column == self.NAME and view.name:
            return rich_tooltip_for_plain(view.name)
        return None


def _changed_columns(old: ColleagueView, new: ColleagueView) -> tuple[int, int]:
    """The first and last column of a colleague's row that show a difference."""
    cm = ColleagueModel
    muted = (Presence.OFFLINE, Presence.UNKNOWN, Presence.NOT_FOUND)
    if (old.presence in muted) != (new.presence in muted) or old.extension != new.extension:
        return cm.EXT, cm.CALL  # greyed or not: every text column, and the handset
    columns = []
    if old.name != new.name:
        columns.append(cm.NAME)
    if (old.presence, old.status_text, old.registered) != (
            new.presence, new.status_text, new.registered):
        columns.append(cm.STATE)
    if (old.other_number, old.other_name, old.outgoing) != (
            new.other_number, new.other_name, new.outgoing):
        columns.append(cm.WITH)
    if old.since != new.since:
        columns.append(cm.TIME)
    if (old.agent_status, old.agent_state) != (new.agent_status, new.agent_state):
        columns.append(cm.AGENT)
    return (min(columns), max(columns)) if columns else (1, 0)


class QueueModel(_Table):
    """The queues: name, number, callers waiting, the longest wait, ready agents."""

    NAME, NUMBER, WAITING, LONGEST, AGENTS = range(5)
    HEADERS = (QT_TRANSLATE_NOOP("Board", "Queue"), QT_TRANSLATE_NOOP("Board", "Number"),
               QT_TRANSLATE_NOOP("Board", "Waiting"), QT_TRANSLATE_NOOP("Board", "Longest wait"),
               QT_TRANSLATE_NOOP("Board", "Ready agents"))

    def __init__(self, board: TeamBoard, *, clock: Callable[[], float] = time.time,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.board = board
        self._clock = clock
        self._now = clock()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.board.queues)

    def queue_name(self, view: QueueView) -> str:
        if view.extension == "?":
            return self.tr("Queue not named")
        return view.name or view.extension

    def apply(self, changes: BoardChanges) -> None:
        self._now = self._clock()
        if changes.structure:
            self.beginResetModel()
            self.endResetModel()
            return
        for first, last in runs(changes.queues):
            self._changed(first, last)

    def tick(self) -> None:
        self._now = self._clock()  # the window repaints the column (see ColleagueModel.tick)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        view = self.board.queues[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return self.queue_name(view)
            if column == self.NUMBER:
                return view.extension if view.extension != "?" else ""
            if column == self.WAITING:
                return str(view.waiting) if view.reported or view.callers else "–"
            if column == self.LONGEST:
                since = view.longest_since
                return duration_text(self._now - since) if since is not None else ""
            if column == self.AGENTS:
                return f"{view.ready_agents} / {len(view.agents)}" if view.agents else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.WAITING and not (view.reported or view.callers):
                return self.tr("The PBX does not report the callers waiting in this queue.")
            if column == self.AGENTS:
                return self.tr("Agents available and waiting for a call / agents seen in "
                               "this queue")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                self.WAITING, self.LONGEST, self.AGENTS):
            return _RIGHT
        return None


class _ListModel(_Table):
    """A small list re-read whole when it changes (tens of rows at most)."""

    def __init__(self, *, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._now = clock()
        self._items: list[Any] = []

    def set_items(self, items: Sequence[Any]) -> None:
        self._now = self._clock()
        items = list(items)
        if len(items) == len(self._items):
            self._items = items
            if items:
                self._changed(0, len(items) - 1)
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def tick(self) -> None:
        self._now = self._clock()  # the window repaints the column (see ColleagueModel.tick)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def item(self, row: int) -> Any:
        return self._items[row]


class WaitingModel(_ListModel):
    """Every caller waiting, longest first."""

    CALLER, QUEUE, WAITED = range(3)
    # "Waited so far", not "Waiting": Turkish needs two words where English has one
    # (the queues' count of callers is "Bekleyen", a caller's wait is "Bekleme süresi").
    HEADERS = (QT_TRANSLATE_NOOP("Board", "Caller"), QT_TRANSLATE_NOOP("Board", "Queue"),
               QT_TRANSLATE_NOOP("Board", "Waited so far"))

    def __init__(self, queue_name: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._queue_name = queue_name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        caller: WaitingCaller = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CALLER:
                return who_text(caller.number, caller.name) or self.tr("Unknown caller")
            if column == self.QUEUE:
                return self._queue_name(caller.queue)
            if column == self.WAITED:
                return duration_text(self._now - caller.since)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CALLER and caller.name:
            return rich_tooltip_for_plain(f"{caller.name}\n{caller.number}".strip())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.WAITED:
            return _RIGHT
        return None


class AgentModel(_ListModel):
    """The agents of one queue with their status and state."""

    EXT, NAME, STATUS, STATE = range(4)
    HEADERS = (QT_TRANSLATE_NOOP("Board", "Agent"), QT_TRANSLATE_NOOP("Board", "Name"),
               QT_TRANSLATE_NOOP("Board", "Status"), QT_TRANSLATE_NOOP("Board", "Call state"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        agent: AgentView = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.EXT:
                return agent.extension or agent.agent_id
            if column == self.NAME:
                return agent.name
            if column == self.STATUS:
                return agent_text(agent.status)
            if column == self.STATE:
                return agent_text(agent.state)
        if role == Qt.ItemDataRole.DecorationRole and column == self.EXT:
            return dot_icon(Presence.FREE if agent.ready else Presence.UNKNOWN)
        return None


class AbandonedModel(_ListModel):
    """Today's callers who gave up waiting, latest first, each with a call-back button."""

    CALLER, QUEUE, AT, WAITED, CALLBACK = range(5)
    HEADERS = (QT_TRANSLATE_NOOP("Board", "Caller"), QT_TRANSLATE_NOOP("Board", "Queue"),
               QT_TRANSLATE_NOOP("Board", "Gave up at"), QT_TRANSLATE_NOOP("Board", "Waited"), "")

    def __init__(self, queue_name: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._queue_name = queue_name

    def tick(self) -> None:  # nothing here moves with time
        pass

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.column() == self.CALLBACK:
            gone: AbandonedCaller = self._items[index.row()]
            if not gone.number:
                return Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        gone: AbandonedCaller = self._items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.CALLER:
                who = who_text(gone.number, gone.name) or self.tr("Unknown caller")
                return who if gone.times == 1 else self.tr("{who} ({times} times)").format(
                    who=who, times=gone.times)
            if column == self.QUEUE:
                return self._queue_name(gone.queue)
            if column == self.AT:
                return time.strftime("%H:%M", time.localtime(gone.at))
            if column == self.WAITED:
                return duration_text(gone.waited)
            if column == self.CALLBACK:
                return self.tr("Called back") if gone.called_back else self.tr("Call back")
        if role == Qt.ItemDataRole.DecorationRole and column == self.CALLBACK and \
                not gone.called_back:
            return action_icon("call")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.CALLBACK:
                text = self.tr("Call {who} back").format(who=gone.number) if gone.number \
                    else self.tr("The PBX did not send the caller's number.")
                return rich_tooltip_for_plain(text)
            if column == self.CALLER and gone.name:
                return rich_tooltip_for_plain(f"{gone.name}\n{gone.number}".strip())
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.AT, self.WAITED):
            return _RIGHT if column == self.WAITED else _CENTER
        return None
