"""The call-history feature as the app sees it: ``app.call_history``.

:class:`CallHistory` is the bridge between the asyncio/SQLite side
(:class:`~desktop.core.journal.Journal`,
:class:`~desktop.core.history_sync.HistorySync`,
:class:`~desktop.core.recordings.RecordingService`) and the widgets
(:class:`~desktop.ui.history.HistoryWindow`,
:class:`~desktop.ui.player.RecordingPlayer`).  It knows nothing of the app:
the composition root hands it plain callables.

What it does:

* **Missed calls.** The journal's unseen missed count is the single source
  of truth for the tray badge (it survives restarts and includes calls
  found by gap filling): re-read after every call change (an indexed count,
  microseconds) and emitted as ``missedChanged``.  Opening the history
  marks every missed call seen (the window still shows the ones that were
  new in bold); dismissing a missed call's popup marks that call seen;
  calling a number back marks its missed calls (the journal does that).
* **Gap filling.** :meth:`line_state` follows the phone line: on every
  transition to CONNECTED the records of the time offline are fetched in
  the background (TaskSet), paced by
  :class:`~desktop.core.history_sync.HistorySync` (at most one fetch every
  few minutes; a quiet refresh of the connection fetches nothing unless the
  journal has not been known complete for ten minutes).  Every call change
  tells the sync that the line was working; a heartbeat persists that mark
  a minute later (single shot: a quiet line wakes nothing up).
  A failure is logged and shown in the history window (with "Try again"),
  never as a modal box.
* **Recordings.** :meth:`play_recording` opens a player window at once and
  downloads (progress, cancel) in the background; an answered call's
  recording reference is also looked up a few seconds after it ended, so
  its popup can offer "Play recording".
* **Callers the PBX did not send** (Tekil status-only calls): once such a
  call ended, its record is asked for until it appears
  (:func:`~desktop.core.caller_fill.fill_caller`); the journal row and the
  popup then show the caller.

Signals:
    missedChanged(int): unseen missed calls.
    historyChanged(): journal rows were added or changed.
    syncFailed(str): gap filling failed (the message says why).
    syncFinished(object): gap filling merged records (a ``SyncReport``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.core.caller_card import CallerCard, CardOutcome, with_caller
from desktop.core.caller_fill import fill_caller
from desktop.core.history_sync import HistorySync, HistorySyncError, SyncReport
from desktop.core.journal import HistoryKind, Journal, WriterClosed
from desktop.core.recordings import (
    Recording,
    RecordingCache,
    RecordingError,
    RecordingService,
)
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui.history import HistoryActions, HistoryModel, HistoryWindow, display_number
from desktop.ui.notice import NoticeKind
from desktop.ui.player import RecordingPlayer, safe_file_name

log = logging.getLogger("kobikom.ui.call_history")

#: While connected, the journal's "complete until" mark is persisted this long after
#: a call change (ms; one write for all the changes in between, none while quiet).
HEARTBEAT_MS: Final = 60_000
#: Wait this long after an answered call ended before asking for its record (s).
ENRICH_DELAY: Final = 3.0
#: Coalesce bursts of call changes before the open window re-queries (ms).
REFRESH_DEBOUNCE_MS: Final = 300


class _CurrentJournal:
    """The model's source: whichever journal the app has open right now."""

    def __init__(self, journal: Callable[[], Journal | None]) -> None:
        self._journal = journal

    def _get(self) -> Journal:
        journal = self._journal()
        if journal is None:
            raise RuntimeError("the call journal is not open")
        return journal

    def select_ids(self, flt: Any = None, limit: int | None = None) -> list[int]:
        return self._get().select_ids(flt, limit)

    def rows(self, row_ids: Any) -> list[Any]:
        return self._get().rows(row_ids)


class CallHistory(QObject):
    """``app.call_history`` (see the module docstring for what it does and its signals)."""

    missedChanged = Signal(int)
    historyChanged = Signal()
    syncFailed = Signal(str)
    syncFinished = Signal(object)

    def __init__(
        self,
        *,
        journal: Callable[[], Journal | None],
        tasks: TaskSet,
        source_factory: Callable[[], Any],
        downloader: Callable[[], Any],
        recordings_dir: Callable[[], Path],
        cache_bytes: Callable[[], int],
        actions: Callable[[], HistoryActions] = HistoryActions,
        name_for: Callable[[str], str | None] | None = None,
        update_popup: Callable[[CallerCard], None] | None = None,
        notify: Callable[[str, str], None] | None = None,
        clock: Callable[[], float] = time.time,
        sync_options: dict[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """*sync_options* are extra keyword arguments of the HistorySync (tests)."""
        super().__init__(parent)
        self._journal = journal
        self.tasks = tasks
        self._source_factory = source_factory
        self._downloader = downloader
        self._recordings_dir = recordings_dir
        self._cache_bytes = cache_bytes
        self._actions = actions
        self._name_for = name_for
        self._update_popup = update_popup
        self._notify = notify
        self._clock = clock
        self._sync: HistorySync | None = None
        self._sync_journal: Journal | None = None
        self._sync_task: asyncio.Task[Any] | None = None
        self._beat_task: asyncio.Task[Any] | None = None
        self._phase: Phase | None = None
        self._connection = 0
        self._sync_options = dict(sync_options or {})
        self.window: HistoryWindow | None = None
        self.model: HistoryModel | None = None
        self.players: dict[str, RecordingPlayer] = {}
        self._downloads: dict[str, asyncio.Task[Any]] = {}
        self._missed = -1
        self.last_sync_error: str | None = None
        # Single shot, started by a call change while connected: a quiet line
        # has nothing new to note, so an idle app does not wake up for it.
        self._heartbeat = QTimer(self)
        self._heartbeat.setSingleShot(True)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._beat)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DEBOUNCE_MS)
        self._refresh_timer.timeout.connect(self._refresh_window)
        self.historyChanged.connect(self._refresh_timer.start)

    # ------------------------------------------------------------------ plumbing

    def journal(self) -> Journal | None:
        return self._journal()

    def sync(self) -> HistorySync | None:
        """The gap filler of the journal now open (a new one when the journal changes)."""
        journal = self._journal()
        if journal is None:
            return None
        if self._sync is None or self._sync_journal is not journal:
            self._sync = HistorySync(journal, self._source_factory, clock=self._clock,
                                     name_for=self._name_for, **self._sync_options)
            self._sync_journal = journal
        return self._sync

    def recordings(self) -> RecordingService | None:
        journal = self._journal()
        if journal is None:
            return None
        cache = RecordingCache(self._recordings_dir(), self._cache_bytes())
        return RecordingService(journal, cache, downloader=self._downloader,
                                lookup=self.sync())

    # ------------------------------------------------------------------ missed calls

    def refresh_missed(self) -> int:
        """Re-read the unseen missed count; emit ``missedChanged`` when it changed."""
        journal = self._journal()
        count = 0
        if journal is not None:
            try:
                count = journal.unseen_missed_count()
            except Exception:
                log.exception("counting missed calls failed")
                return max(0, self._missed)
        if count != self._missed:
            self._missed = count
            self.missedChanged.emit(count)
        return count

    @property
    def missed(self) -> int:
        return max(0, self._missed)

    def mark_seen(self, call_ids: list[str] | None = None) -> None:
        """These missed calls (default: all) were seen by the agent."""
        journal = self._journal()
        if journal is None:
            return
        try:
            journal.mark_missed_seen(call_ids)
        except Exception:
            log.exception("marking missed calls seen failed")
        self.refresh_missed()

    def missed_popup_dismissed(self, call_id: str) -> None:
        self.mark_seen([call_id])

    # ------------------------------------------------------------------ the line

    def on_card(self, card: CallerCard) -> None:
        """A call changed.  Its journal row was queued before the card was shown
        (the journal's writer thread writes it): the badge and the history follow
        now, and again once the row is on disk."""
        sync = self.sync()
        if sync is not None:
            sync.note_event(self._clock())  # the line was working just now
            if self._phase is Phase.CONNECTED and not self._heartbeat.isActive():
                self._heartbeat.start()  # noted in the journal within HEARTBEAT_MS
        self.refresh_missed()
        self.historyChanged.emit()
        journal = self._journal()
        if journal is not None and not journal.flush(0):
            self.tasks.spawn(self._after_written(journal), name="journal-written")
        if card.ended and card.outcome is CardOutcome.ANSWERED and not card.synthetic \
                and not card.recording and self._update_popup is not None:
            self.tasks.spawn(self._find_recording(card), name="recording-lookup")
        if card.ended and card.number_not_sent and card.extension:
            self.tasks.spawn(self._fill_caller(card), name="caller-fill")

    async def _fill_caller(self, card: CallerCard) -> None:
        sync = self.sync()
        started = card.ringing_at or card.answered_at or card.ended_at
        if sync is None or started is None or not card.extension:
            return
        row = await fill_caller(sync, card.call_id, card.extension, started, card.ended_at)
        if row is None or not row.number_raw:
            return
        self.refresh_missed()
        self.historyChanged.emit()
        if self._update_popup is not None:
            self._update_popup(with_caller(card, row.number_raw, row.outcome))

    async def _after_written(self, journal: Journal) -> None:
        try:
            await journal.written()
        except WriterClosed:  # the journal closed meanwhile (quit, mode switch)
            return
        self.refresh_missed()
        self.historyChanged.emit()

    async def _find_recording(self, card: CallerCard) -> None:
        await asyncio.sleep(ENRICH_DELAY)
        sync = self.sync()
        if sync is None:
            return
        try:
            call = await sync.lookup(card.call_id)
        except Exception as exc:  # a read: try again when the agent asks
            log.info("no recording reference for call %s yet: %s", card.call_id, exc)
            return
        if call is None or not call.recording:
            return
        self.historyChanged.emit()
        if self._update_popup is not None:
            self._update_popup(replace(card, recording=call.recording))

    def line_state(self, state: ConnectionState) -> None:
        """Follow the line: fill the gap on (re)connection, heartbeat while connected."""
        previous, self._phase = self._phase, state.phase
        connection, self._connection = self._connection, state.connection
        if state.phase is Phase.CONNECTED:
            if previous is not Phase.CONNECTED:
                self.refresh_missed()  # the journal may have been reopened (demo mode)
                self.sync_now(paced=True)
            elif state.connection != connection:
                self.sync_now(quiet=True)  # refreshed without a loss: usually nothing
        elif previous is Phase.CONNECTED:
            self._heartbeat.stop()
            self._beat()  # the journal was complete until now

    def _beat(self) -> None:
        sync = self.sync()
        if sync is not None:
            self._beat_task = self.tasks.spawn(self._heartbeat_once(sync),
                                               name="history-heartbeat")

    @staticmethod
    async def _heartbeat_once(sync: HistorySync) -> None:
        try:
            await sync.heartbeat()
        except Exception as exc:  # e.g. the journal was closed by a mode switch
            log.info("could not note the connection time in the journal: %s", exc)

    def sync_now(self, *, paced: bool = False, quiet: bool = False) -> asyncio.Task[Any] | None:
        """Fetch the records of the time not yet covered (one run at a time).

        *paced*: wait for the sync's fill interval (line events); the agent's
        "Try again" is not paced.  *quiet*: a quiet refresh of the line, which
        fetches only when the journal is long unconfirmed.  Requests made
        while a run waits or works join it.
        """
        running = self._sync_task
        if running is not None and not running.done():
            if paced or quiet:
                return running
            running.cancel()  # the agent asked: do not make them wait for the pacing
        sync = self.sync()
        if sync is None:
            return None
        self._sync_task = self.tasks.spawn(self._run_sync(sync, paced=paced, quiet=quiet),
                                           name="history-sync")
        return self._sync_task

    async def _run_sync(self, sync: HistorySync, *, paced: bool = False,
                        quiet: bool = False) -> SyncReport | None:
        try:
            if quiet:
                report = await sync.line_refreshed()
            else:
                report = await sync.line_connected(paced=paced)
        except (HistorySyncError, Exception) as exc:
            if not isinstance(exc, HistorySyncError):
                log.warning("filling the call history failed", exc_info=True)
            self.last_sync_error = str(exc) or type(exc).__name__
            if self.window is not None:
                self.window.show_notice(
                    NoticeKind.WARNING,
                    self.tr("Calls from while the app was offline could not be fetched"),
                    self.last_sync_error, retry=True)
            self.syncFailed.emit(self.last_sync_error)
            return None
        self.last_sync_error = None
        if self.window is not None:
            self.window.hide_notice()
        if report is None:
            return None
        if report.merge.added or report.merge.merged:
            self.historyChanged.emit()
        before = self.missed
        after = self.refresh_missed()
        if after > before and not report.gap.first_run and self._notify is not None:
            new = after - before
            text = self.tr("1 call was missed while the app was offline.") if new == 1 \
                else self.tr("{0} calls were missed while the app was offline.").format(new)
            self._notify(self.tr("Missed calls"), text)
        self.syncFinished.emit(report)
        return report

    # ------------------------------------------------------------------ the window

    def show(self, missed_only: bool = False) -> None:
        """Open (or raise) the recent-calls window; opening it clears "new"."""
        if self.window is None:
            self.model = HistoryModel(_CurrentJournal(self._journal), spawn=self.tasks.spawn,
                                      name_for=self._name_for, clock=self._clock)
            window = HistoryWindow(self.model, self._actions(), clock=self._clock)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            window.syncRequested.connect(self.sync_now)
            window.destroyed.connect(self._window_closed)
            self.window = window
            if self.last_sync_error:
                window.show_notice(
                    NoticeKind.WARNING,
                    self.tr("Calls from while the app was offline could not be fetched"),
                    self.last_sync_error, retry=True)
        window = self.window
        assert self.model is not None
        journal = self._journal()
        if journal is not None:
            try:
                self.model.highlight = frozenset(journal.unseen_missed_ids())
            except Exception:
                log.exception("reading the new missed calls failed")
        self.mark_seen()
        if missed_only:
            window.set_kind(HistoryKind.MISSED)
        window.apply_filter()
        window.show()
        window.raise_()
        window.activateWindow()

    def _window_closed(self) -> None:
        self.window = None
        self.model = None

    def _refresh_window(self) -> None:
        if self.model is not None:
            self.model.refresh()

    def set_note(self, number_key: str, text: str) -> None:
        """Save the agent's note on a number (shown on the next popup for it)."""
        journal = self._journal()
        if journal is None:
            return

        async def save() -> None:
            await asyncio.to_thread(journal.set_note, number_key, text)
            self.historyChanged.emit()

        self.tasks.spawn(save(), name="save-note")

    # ------------------------------------------------------------------ recordings

    def play_recording(self, call_id: str) -> None:
        """Open the player for a call's recording; download it if needed."""
        player = self.players.get(call_id)
        if player is not None:
            player.show()
            player.raise_()
            player.activateWindow()
            if player.state not in ("cancelled", "error"):
                return
            player.close()
        title, subtitle, name = self._describe(call_id)
        player = RecordingPlayer(title=title, subtitle=subtitle, suggested_name=name,
                                 spawn=self.tasks.spawn)
        player.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        player.cancelRequested.connect(lambda: self._cancel_download(call_id))
        player.destroyed.connect(lambda *_: self._player_closed(call_id, player))
        self.players[call_id] = player
        player.show()
        self._downloads[call_id] = self.tasks.spawn(self._download(call_id, player),
                                                    name="recording-download")

    def _describe(self, call_id: str) -> tuple[str, str, str]:
        journal = self._journal()
        row = None
        if journal is not None:
            with contextlib.suppress(Exception):
                row = journal.row_for(call_id)
        if row is None:
            return call_id, "", safe_file_name(f"recording {call_id}")
        number = display_number(row.number_raw)
        title = row.contact_name or number or call_id
        when = ""
        if row.started_at is not None:
            moment = time.localtime(row.started_at)
            when = time.strftime("%d.%m.%Y %H:%M", moment)
        subtitle = " · ".join(p for p in (number if row.contact_name else "", when) if p)
        stamp = time.strftime("%Y-%m-%d %H-%M", time.localtime(row.started_at or 0))
        return title, subtitle, safe_file_name(f"{stamp} {row.number_raw or call_id}")

    async def _download(self, call_id: str, player: RecordingPlayer) -> None:
        service = self.recordings()
        try:
            if service is None:
                raise RecordingError("The call journal is not open.", kind="other")
            recording: Recording = await service.fetch(call_id, player.show_progress)
        except asyncio.CancelledError:
            if _alive(player):
                player.show_cancelled()
            raise
        except RecordingError as exc:
            log.info("recording of call %s: %s", call_id, exc)
            if _alive(player):
                title, text = self.error_text(exc)
                player.show_error(title, text)
            return
        finally:
            self._downloads.pop(call_id, None)
        self.historyChanged.emit()
        if _alive(player):
            player.load(recording.path, recording.info)

    def error_text(self, exc: RecordingError) -> tuple[str, str]:
        """The agent's words for a recording problem (title, details)."""
        kind = exc.kind
        if kind == "truncated":
            if exc.have and exc.want:
                return (self.tr("The recording is incomplete"),
                        self.tr("Only {0} of {1} arrived. Try again later.").format(
                            exc.have, exc.want))
            return self.tr("The recording is incomplete"), self.tr("Try again later.")
        if kind == "not_audio":
            return (self.tr("The server did not send a recording"),
                    self.tr("What arrived is not an audio file."))
        if kind == "damaged":
            return self.tr("The recording is damaged"), str(exc)
        if kind == "no_recording":
            return (self.tr("No recording"),
                    self.tr("The PBX has no recording of this call."))
        if kind == "unknown_call":
            return self.tr("No recording"), self.tr("This call is not in the call history.")
        if kind == "no_account":
            return (self.tr("Recordings need the PBX account"),
                    self.tr("Enter the panel e-mail and password in Settings."))
        if kind == "download":
            return self.tr("The recording could not be downloaded"), exc.detail or str(exc)
        return self.tr("The recording is not available"), str(exc)

    def _cancel_download(self, call_id: str) -> None:
        task = self._downloads.pop(call_id, None)
        if task is not None and not task.done():
            task.cancel()

    def _player_closed(self, call_id: str, player: RecordingPlayer) -> None:
        if self.players.get(call_id) is player:
            del self.players[call_id]
        self._cancel_download(call_id)

    async def close(self) -> None:
        """App shutdown (the line is already stopped): note the time, close windows."""
        self._heartbeat.stop()
        self._refresh_timer.stop()
        beat = self._beat_task
        if beat is not None and not beat.done():
            # "Complete until now" must reach the journal before it closes.
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(beat), 2.0)
        for task in list(self._downloads.values()):
            task.cancel()
        self.close_windows()

    def close_windows(self) -> None:
        for player in list(self.players.values()):
            player.close()
        if self.window is not None:
            self.window.close()


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # the C++ object is gone (the window was closed)
        return False
    return True
