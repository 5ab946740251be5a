"""The team and queue board as the app sees it: ``app.board``.

:class:`BoardService` owns the :class:`~desktop.core.team.TeamBoard`, feeds
it from the line's event fan-out (the supervisor's one connection), reads
the team over REST, and keeps the window, the strip and the tray badge up
to date.  It knows nothing of the app: the composition root hands it plain
callables.

Cost, with 1,000 extensions and 200 events a second (``bench/bench_board.py``):

* an event is only queued when it comes (the loop wakes up for every
  event; folding it then, with cold caches, costs ten times what folding a
  batch does): at most every :data:`FLUSH_MS` while events arrive, the
  queue is folded into the board (dictionary updates, no Qt) and the
  widgets hear what changed: one single-shot timer, started by the first
  event after a quiet spell, so an idle board runs no timer at all;
* while the window and the strip are hidden, only the tray badge follows;
  the window catches up in one reset when it is shown again;
* durations tick once a second (:data:`TICK_MS`) only while the window or
  the strip is visible; the strip's line follows every update too (so its
  counts agree with the table), a label repaints only when its text changed.

Events that arrive while the team is being read stay queued (at most
:data:`BACKLOG_LIMIT`) and are folded once the list is in, so a colleague's
ring right after connecting is not lost to an unknown extension.

Actions: a colleague's handset calls them through the app's click-to-call
(the usual confirmation, never sent twice); the arrow transfers the agent's
current call (``redirect``, Tekil WebSocket only; elsewhere the column is
absent); "Call back" on an abandoned caller dials them and marks the entry.

Signals:
    waitingChanged(int): callers waiting in the agent's queues, 0 when the
        badge is switched off (``[board] waiting_badge``).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction

from desktop.core.caller_card import CallerCard
from desktop.core.calls import CallState
from desktop.core.settings import Settings
from desktop.core.tasks import TaskSet
from desktop.core.team import BoardChanges, TeamBoard
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.errors import PbxError
from desktop.pbx.events import Event

log = logging.getLogger("kobikom.ui.board")

#: The widgets follow the events at most this often (ms) while they arrive: twice a
#: second reads as live on a board, and halves the folding and painting of 4 Hz
#: (bench_board: 17.2 -> 4.5-6.5 ms of GUI work per second of events).
FLUSH_MS: Final = 500
#: Durations move on this often while the board or the strip is visible (ms).
TICK_MS: Final = 1000
#: Events held while the team list is read.
BACKLOG_LIMIT: Final = 20_000
#: The team list is read again when the board opens and it is older than this (s).
LIST_MAX_AGE: Final = 15 * 60.0
#: A quiet refresh of the line retries a team list that failed this long ago (s).
PROBLEM_RETRY: Final = 10 * 60.0


class BoardService(QObject):
    """See the module docstring."""

    waitingChanged = Signal(int)

    def __init__(
        self,
        *,
        settings: Callable[[], Settings],
        session: Callable[[], Awaitable[Any]],
        identity: Callable[[], tuple[Any, ...]],
        line: Callable[[], Any],
        tasks: TaskSet,
        dial: Callable[[str], None] | None = None,
        transfer: Callable[[str, str], Awaitable[Any]] | None = None,
        notify: Callable[[str, str], None] | None = None,
        name_for: Callable[[str], str | None] | None = None,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._session = session
        self._identity = identity
        self._line = line
        self._tasks = tasks
        self._dial = dial
        self._transfer = transfer
        self._notify = notify
        self._clock = clock
        self.board = TeamBoard(name_for=name_for, clock=clock)
        self._loaded_for: tuple[Any, ...] | None = None
        self._loaded_at = 0.0
        self._line_phase: Phase | None = None
        self._loading = False
        #: Events not folded yet (at most one FLUSH_MS's worth, or those that came while
        #: the team list was read).
        self._inbox: deque[Event] = deque(maxlen=BACKLOG_LIMIT)
        self._scheduled = False
        self._dropped = False
        self._problem = ""
        self._waiting = 0
        self._stale = True
        self.window: Any = None
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self.flush)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_MS)
        self._tick_timer.timeout.connect(self._tick)
        # "&T": the tray menu's keyboard users (and the end-to-end test) reach it by a key.
        self.board_action = QAction(self.tr("&Team and queues…"), self)
        self.board_action.triggered.connect(self.show)
        self.strip_action = QAction(self.tr("Queue strip on top"), self)
        self.strip_action.setCheckable(True)
        self.strip_action.toggled.connect(self._strip_wanted)
        #: Flushes so far (diagnostics, the benchmark).
        self.flushes = 0

    # -- the events ------------------------------------------------------------------------

    def feed(self, event: Event) -> None:
        """The supervisor's event listener: queue it; :meth:`flush` folds and shows."""
        inbox = self._inbox
        if len(inbox) == BACKLOG_LIMIT and not self._dropped:
            log.warning("board: more than %d events waiting for the team list; the oldest "
                        "are dropped", BACKLOG_LIMIT)
            self._dropped = True
        inbox.append(event)
        if not self._scheduled:
            self._scheduled = True
            self._flush_timer.start()

    def _fold(self) -> None:
        """Fold the queued events in one go (warm caches: a few µs each), unless the
        team list is being read (then they wait for it)."""
        inbox, board = self._inbox, self.board
        while inbox and not self._loading:
            board.feed(inbox.popleft())

    def flush(self) -> None:
        """Fold the queued events; hand what changed to the widgets (and the badge)."""
        self._flush_timer.stop()
        self._scheduled = False
        self.flushes += 1
        self._fold()
        changes = self.board.take_changes()
        window = self.window
        if window is not None and window.isVisible() and not self._stale:
            window.colleagues.apply(changes)
            window.queue_model.apply(changes)
            if changes.callers or changes.abandoned or changes.queues or changes.structure:
                window.refresh_lists()
            if changes.structure:
                window.update_status()
        elif not changes.empty:
            self._stale = True
        if window is not None and window.strip.isVisible() and not changes.empty:
            window.strip.refresh()  # its counts agree with the table (labels skip same text)
        self._update_badge()

    def _tick(self) -> None:
        self.flush()
        window = self.window
        if window is None:
            return
        if window.isVisible():
            window.tick()
        if window.strip.isVisible():
            window.strip.refresh()

    def _update_badge(self) -> None:
        settings = self._settings()
        count = self.board.waiting_for(settings.account.extensions, settings.board.queues) \
            if settings.board.waiting_badge else 0
        if count != self._waiting:
            self._waiting = count
            self.waitingChanged.emit(count)

    @property
    def waiting(self) -> int:
        return self._waiting

    def my_queues(self) -> list[str]:
        settings = self._settings()
        return self.board.my_queues(settings.account.extensions, settings.board.queues)

    def settings_changed(self) -> None:
        self._update_badge()
        self._refresh_transfer()

    def forget_names(self) -> None:
        """The directory changed: names of callers are looked up again."""
        self.board.forget_names()
        self.flush()

    # -- the team list ---------------------------------------------------------------------

    def line_state(self, state: ConnectionState) -> None:
        """Connected (again): read the team if the account changed or it is missing.

        A quiet refresh of a silent line (still connected, a new connection)
        retries a team list that could not be read only once it is
        :data:`PROBLEM_RETRY` old: a missing password does not come back every
        90 s, and neither should the request and its warning.
        """
        self._refresh_transfer()
        previous, self._line_phase = self._line_phase, state.phase
        if state.phase is not Phase.CONNECTED:
            return
        retry = bool(self._problem) and (
            previous is not Phase.CONNECTED or self._clock() - self._loaded_at >= PROBLEM_RETRY)
        if retry or self._identity() != self._loaded_for:
            self.load()

    def load(self) -> None:
        """Read the team over REST in the background (events meanwhile are held)."""
        if self._loading:
            return
        identity = self._identity()
        if identity != self._loaded_for:
            self.board.clear()
            self._stale = True
        self._loading = True
        self._tasks.spawn(self._load(identity), name="board-team-list")

    async def _load(self, identity: tuple[Any, ...]) -> None:
        from desktop.core.account import AccountIncomplete
        from desktop.core.team_directory import load_team

        problem = ""
        try:
            session = await self._session()
            team = await load_team(session, self._settings().account.domain_uuid)
        except (PbxError, AccountIncomplete) as exc:
            problem = exc.message if isinstance(exc, PbxError) else str(exc)
            log.warning("board: the team list could not be read: %s", problem)
        else:
            self.board.load(team)
            problem = team.problem
            log.info("board: %d colleague(s), %d queue(s) from the %s lists",
                     len(team.colleagues), len(team.queues), team.source)
        finally:
            self._loading = False
            self._dropped = False
        self._loaded_for = identity
        self._loaded_at = self._clock()
        self._problem = problem
        if self.window is not None:
            self.window.set_team_problem(
                self.tr("the team list could not be read: {why}").format(why=problem)
                if problem else "")
        self.flush()

    # -- the window and the strip --------------------------------------------------------------

    def _ensure_window(self) -> Any:
        if self.window is None:
            from desktop.ui.board_window import BoardWindow

            settings = self._settings
            window = BoardWindow(self.board, own=lambda: list(settings().account.extensions),
                                 my_queues=self.my_queues, clock=self._clock)
            window.callRequested.connect(self.call)
            window.transferRequested.connect(self.transfer)
            window.callBackRequested.connect(self.call_back)
            window.visibilityChanged.connect(self._visibility)
            window.strip.visibilityChanged.connect(self._visibility)
            window.strip.dockToggled.connect(self._strip_docked_changed)
            if self._problem:
                window.set_team_problem(self.tr("the team list could not be read: {why}")
                                        .format(why=self._problem))
            self.window = window
        return self.window

    def show(self) -> None:
        """Open (or raise) the board window."""
        window = self._ensure_window()
        if self._clock() - self._loaded_at > LIST_MAX_AGE or self._problem:
            line = self._line()
            if line is not None and line.connected:
                self.load()
        window.open()

    def _visibility(self, _visible: bool) -> None:
        window = self.window
        if window is None:
            return
        board_visible = window.isVisible()
        if board_visible and self._stale:
            self._stale = False
            self._fold()
            self.board.take_changes()
            window.colleagues.reset()
            window.queue_model.apply(BoardChanges(structure=True))
            window.refresh_lists()
            window.update_status()
            self._refresh_transfer()
        if board_visible or window.strip.isVisible():
            if not self._tick_timer.isActive():
                self._tick_timer.start()
        else:
            self._tick_timer.stop()

    def _strip_wanted(self, on: bool) -> None:
        window = self._ensure_window()
        if on != window.strip.floating:
            window.toggle_strip()

    def _strip_docked_changed(self) -> None:
        window = self.window
        if window is not None:
            blocked = self.strip_action.blockSignals(True)
            self.strip_action.setChecked(window.strip.floating)
            self.strip_action.blockSignals(blocked)

    def close(self) -> None:
        """Stop the timers and close the window and the strip for good."""
        self._flush_timer.stop()
        self._tick_timer.stop()
        window, self.window = self.window, None
        if window is not None:
            window.visibilityChanged.disconnect(self._visibility)
            window.strip.visibilityChanged.disconnect(self._visibility)
            window.strip.hide()
            window.hide()
            window.strip.deleteLater()
            window.deleteLater()

    # -- actions ---------------------------------------------------------------------------

    def call(self, extension: str) -> None:
        if self._dial is not None:
            self._dial(extension)

    def call_back(self, key: str) -> None:
        gone = next((a for a in self.board.abandoned if a.key == key), None)
        if gone is None or not gone.number or self._dial is None:
            return
        self._dial(gone.number)
        self.board.mark_called_back(key)
        self.flush()

    def current_call(self) -> str | None:
        """The agent's call a transfer would move: the latest answered or held one,
        else the latest ringing one."""
        line = self._line()
        if line is None:
            return None
        calls = [c for c in line.tracker.active_calls()
                 if c.state in (CallState.ANSWERED, CallState.ON_HOLD, CallState.RINGING)]
        if not calls:
            return None
        calls.sort(key=lambda c: (c.state is not CallState.RINGING,
                                  c.answered_at or c.started_at))
        return str(calls[-1].call_id)

    def transfer_status(self) -> tuple[bool, str | None]:
        """(the channel can transfer at all, None if possible now else why not)."""
        line = self._line()
        if line is None or not line.supports_commands:
            return False, self.tr("Only the Tekil Santral WebSocket connection can transfer "
                                  "calls.")
        if not line.connected:
            return True, self.tr("Not connected to the PBX.")
        if self.current_call() is None:
            return True, self.tr("You have no call to transfer.")
        return True, None

    def _refresh_transfer(self) -> None:
        if self.window is not None:
            self.window.set_transfer(*self.transfer_status())

    def on_card(self, _card: CallerCard) -> None:
        """The agent's calls changed: the transfer buttons follow."""
        self._refresh_transfer()

    def transfer(self, extension: str) -> None:
        call_id = self.current_call()
        if call_id is None or self._transfer is None:
            return
        self._tasks.spawn(self._do_transfer(call_id, extension), name="board-transfer")

    async def _do_transfer(self, call_id: str, extension: str) -> None:
        assert self._transfer is not None
        result = await self._transfer(call_id, extension)
        if getattr(result, "ok", False):
            return
        message = getattr(result, "server_message", "") or getattr(result, "detail", "")
        if self._notify is not None:
            self._notify(self.tr("Transfer failed"),
                         self.tr("The call was not transferred to {extension}: {why}").format(
                             extension=extension, why=message or self.tr("no reason given")))
