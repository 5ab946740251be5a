"""``app.call_history``: missed-call badge, gap filling on (re)connect, recordings.

A real journal file and real widgets; the PBX is a fake record source and a
fake downloader serving a real GSM 6.10 WAV (the simulator-backed flows are
in ``tests/integration``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.journal import CdrEntry, HistoryKind, Journal, JournalCall
from desktop.core.numbers import parse_number
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui import call_history as call_history_module
from desktop.ui.call_history import CallHistory
from tests.helpers.audio import gsm_wav
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_until

NOW = time.time()


@pytest.fixture
def qloop(qapp: Any) -> Iterator[Any]:
    with qt_asyncio_loop(qapp) as loop:
        yield loop


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


class FakeSource:
    """Call records of the time offline; ``fail`` makes the next fetch fail."""

    def __init__(self) -> None:
        self.entries: list[CdrEntry] = []
        self.fetches: list[tuple[float, float]] = []
        self.fail: str | None = None
        self.recordings: dict[str, str] = {}

    async def fetch(self, since: float, until: float) -> list[CdrEntry]:
        self.fetches.append((since, until))
        if self.fail:
            message, self.fail = self.fail, None
            raise RuntimeError(message)
        return list(self.entries)

    async def lookup(self, call_id: str) -> CdrEntry | None:
        recording = self.recordings.get(call_id)
        if recording is None:
            return None
        return CdrEntry(JournalCall(call_id, recording=recording, outcome="answered"))


class FakeDownloader:
    """Serves *data* in chunks; with ``hold`` it waits until cancelled."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.hold = False
        self.requests: list[str] = []

    async def download_recording(self, recording: str, sink: Callable[[bytes], None], *,
                                 progress: Any = None, max_bytes: Any = None) -> None:
        self.requests.append(recording)
        if self.hold:
            await asyncio.Event().wait()
        for start in range(0, len(self.data), 1024):
            chunk = self.data[start:start + 1024]
            sink(chunk)
            if progress is not None:
                progress(start + len(chunk), len(self.data))
            await asyncio.sleep(0)


#: The tests' pacing of call-record fetches (the app's is minutes).
FILL_INTERVAL_S = 1.0


@pytest.fixture
def parts(qloop: Any, qapp: Any, journal: Journal, tmp_path: Path) -> Iterator[dict[str, Any]]:
    tasks = TaskSet("call-history-test")
    source = FakeSource()
    downloader = FakeDownloader(gsm_wav(3.0))
    popups: list[CallerCard] = []
    notes: list[tuple[str, str]] = []
    history = CallHistory(
        journal=lambda: journal, tasks=tasks, source_factory=lambda: source,
        downloader=lambda: downloader, recordings_dir=lambda: tmp_path / "recordings",
        cache_bytes=lambda: 50 * 1024 * 1024, update_popup=popups.append,
        notify=lambda title, text: notes.append((title, text)),
        sync_options={"fill_interval": FILL_INTERVAL_S})
    counts: list[int] = []
    history.missedChanged.connect(counts.append)
    yield {"history": history, "tasks": tasks, "source": source, "downloader": downloader,
           "popups": popups, "notes": notes, "counts": counts, "dir": tmp_path / "recordings"}
    history.close_windows()
    run_until(qapp, lambda: len(tasks) == 0)


def missed(call_id: str, at: float, number: str = "05321234567") -> JournalCall:
    return JournalCall(call_id, extension="1001", direction="inbound", number_raw=number,
                       ringing_at=at, ended_at=at + 10, outcome="missed")


def test_badge_counts_the_journals_unseen_missed_calls(parts: dict[str, Any],
                                                       journal: Journal, qtbot: Any) -> None:
    history: CallHistory = parts["history"]
    journal.record_many([missed("m1", NOW - 300), missed("m2", NOW - 200, "02122223344")])
    assert history.refresh_missed() == 2
    assert parts["counts"] == [2]
    history.missed_popup_dismissed("m1")
    assert parts["counts"] == [2, 1]
    journal.record(missed("m3", NOW - 100, "05429998877"))
    card = CallerCard("m3", CardState.ENDED, parse_number("05429998877"),
                      outcome=CardOutcome.MISSED)
    history.on_card(card)
    assert parts["counts"][-1] == 2
    # opening the list clears "new"; the window still shows which were new
    history.show(missed_only=True)
    assert parts["counts"][-1] == 0
    assert journal.unseen_missed_count() == 0
    window = history.window
    assert window is not None
    assert window.kind() is HistoryKind.MISSED
    assert history.model is not None
    assert history.model.highlight == {"m2", "m3"}
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)  # type: ignore[union-attr]


def test_reconnect_fills_the_gap_and_reports_new_missed_calls(
        parts: dict[str, Any], journal: Journal, qapp: Any) -> None:
    history: CallHistory = parts["history"]
    source: FakeSource = parts["source"]
    journal.set_last_seen_connected(NOW - 3600)
    source.entries = [CdrEntry(missed("1700.1", NOW - 1800)),
                      CdrEntry(JournalCall("1700.2", direction="outbound",
                                           number_raw="05551112233", ringing_at=NOW - 1700,
                                           outcome="answered", talk_seconds=30))]
    history.line_state(ConnectionState(Phase.CONNECTING))
    assert source.fetches == []
    history.line_state(ConnectionState(Phase.CONNECTED))
    run_until(qapp, lambda: journal.count() == 2)
    run_until(qapp, lambda: parts["notes"] != [])
    assert source.fetches[0][0] == pytest.approx(NOW - 3600 - 300)
    assert parts["counts"][-1] == 1
    assert parts["notes"][0][0] == "Missed calls"
    # connected and quiet: no heartbeat (an idle app sleeps); a call change starts
    # one (single shot); a drop records the moment
    assert not history._heartbeat.isActive()
    history.on_card(CallerCard("h1", CardState.RINGING, parse_number("05321234567")))
    assert history._heartbeat.isActive()
    assert history._heartbeat.isSingleShot()
    history.line_state(ConnectionState(Phase.RECONNECTING))
    assert not history._heartbeat.isActive()
    run_until(qapp, lambda: (journal.last_seen_connected() or 0) >= NOW)
    # the next connection only fetches since then, and not sooner than the pacing allows
    history.line_state(ConnectionState(Phase.CONNECTED))
    assert not run_until(qapp, lambda: len(source.fetches) == 2, timeout_ms=300)
    assert run_until(qapp, lambda: len(source.fetches) == 2)
    assert source.fetches[1][0] >= NOW - 300


def test_a_quiet_refresh_fetches_nothing_while_the_journal_is_recent(
        parts: dict[str, Any], journal: Journal, qapp: Any) -> None:
    history: CallHistory = parts["history"]
    source: FakeSource = parts["source"]
    journal.set_last_seen_connected(NOW - 3600)
    history.line_state(ConnectionState(Phase.CONNECTED, connection=1))
    assert run_until(qapp, lambda: len(source.fetches) == 1)
    for number in range(2, 8):  # six quiet refreshes of a silent line
        history.line_state(ConnectionState(Phase.CONNECTED, connection=number))
    assert not run_until(qapp, lambda: len(source.fetches) > 1, timeout_ms=FILL_INTERVAL_S
                         * 1500)
    # ... but a journal not known complete for ten minutes is checked once.
    journal.set_last_seen_connected(time.time() - 601)  # as if confirmed long ago
    history.line_state(ConnectionState(Phase.CONNECTED, connection=9))
    assert run_until(qapp, lambda: len(source.fetches) == 2)


def test_a_failed_gap_fill_shows_a_notice_and_can_be_retried(
        parts: dict[str, Any], journal: Journal, qapp: Any, qtbot: Any) -> None:
    history: CallHistory = parts["history"]
    source: FakeSource = parts["source"]
    source.fail = "panelapi.kobikom.com.tr GET /v1/getcdr: cannot connect"
    source.entries = [CdrEntry(missed("1700.9", NOW - 60))]
    history.show()
    history.line_state(ConnectionState(Phase.CONNECTED))
    window = history.window
    assert window is not None
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "cannot connect" in window.notice.text()
    assert journal.count() == 0
    window.retry_button.click()
    run_until(qapp, lambda: journal.count() == 1)
    qtbot.waitUntil(lambda: not window.notice.isVisible())
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


def test_play_recording_downloads_once_then_plays_from_the_cache(
        parts: dict[str, Any], journal: Journal, qtbot: Any) -> None:
    history: CallHistory = parts["history"]
    journal.record(JournalCall("a1", direction="inbound", number_raw="05321234567",
                               contact_name_at_time="Ayşe Yılmaz", ringing_at=NOW - 60,
                               outcome="answered", recording="2024/03/10/q-1.WAV"))
    history.play_recording("a1")
    player = history.players["a1"]
    assert player.title_label.text() == "Ayşe Yılmaz"
    qtbot.waitUntil(lambda: player.state == "ready", timeout=10_000)
    assert player.duration_ms() == 3000
    assert parts["downloader"].requests == ["2024/03/10/q-1.WAV"]
    cached = list(parts["dir"].glob("*.wav"))
    assert len(cached) == 1
    assert oct(cached[0].stat().st_mode & 0o777) == "0o600"
    player.close()
    qtbot.waitUntil(lambda: "a1" not in history.players)
    history.play_recording("a1")
    qtbot.waitUntil(lambda: history.players["a1"].state == "ready", timeout=10_000)
    assert parts["downloader"].requests == ["2024/03/10/q-1.WAV"]  # the cache was reused


def test_a_recording_cut_short_is_explained(parts: dict[str, Any], journal: Journal,
                                            qtbot: Any) -> None:
    history: CallHistory = parts["history"]
    data = gsm_wav(3.0)
    parts["downloader"].data = data[: len(data) // 3]
    journal.record(JournalCall("a2", number_raw="05321234567", ringing_at=NOW,
                               outcome="answered", recording="2024/x.WAV"))
    history.play_recording("a2")
    player = history.players["a2"]
    qtbot.waitUntil(lambda: player.state == "error", timeout=10_000)
    assert "incomplete" in player.notice.text()
    assert "of 0:03" in player.notice.text()
    assert list(parts["dir"].glob("*.wav")) == []


def test_cancelling_a_download(parts: dict[str, Any], journal: Journal, qtbot: Any,
                               qapp: Any) -> None:
    history: CallHistory = parts["history"]
    parts["downloader"].hold = True
    journal.record(JournalCall("a3", number_raw="05321234567", ringing_at=NOW,
                               outcome="answered", recording="2024/y.WAV"))
    history.play_recording("a3")
    player = history.players["a3"]
    qtbot.waitUntil(lambda: parts["downloader"].requests == ["2024/y.WAV"])
    player.cancel_button.click()
    assert player.state == "cancelled"
    run_until(qapp, lambda: len(parts["tasks"]) == 0)
    assert list(parts["dir"].glob("*")) == []


def test_an_ended_answered_call_gets_its_recording_on_the_popup(
        parts: dict[str, Any], journal: Journal, qapp: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(call_history_module, "ENRICH_DELAY", 0.0)
    history: CallHistory = parts["history"]
    parts["source"].recordings["c9"] = "2024/03/10/exten-1001-1.WAV"
    journal.record(JournalCall("c9", direction="inbound", number_raw="05321234567",
                               ringing_at=NOW - 30, answered_at=NOW - 25, ended_at=NOW,
                               outcome="answered"))
    card = CallerCard("c9", CardState.ENDED, parse_number("05321234567"),
                      outcome=CardOutcome.ANSWERED)
    history.on_card(card)
    run_until(qapp, lambda: parts["popups"] != [])
    assert parts["popups"][0].recording == "2024/03/10/exten-1001-1.WAV"
    assert journal.get("c9").recording == "2024/03/10/exten-1001-1.WAV"  # type: ignore[union-attr]


def test_shutdown_notes_when_the_journal_was_last_complete(
        parts: dict[str, Any], journal: Journal, qapp: Any) -> None:
    from tests.helpers.qt_asyncio import run_coroutine

    history: CallHistory = parts["history"]
    journal.set_last_seen_connected(NOW - 3600)
    history.line_state(ConnectionState(Phase.CONNECTED))
    run_until(qapp, lambda: len(parts["source"].fetches) == 1)
    filled = journal.last_seen_connected() or 0
    assert filled >= NOW  # the fill made the journal complete up to then
    time.sleep(0.05)
    # Being connected proves nothing (a half-open line looks the same): a heartbeat
    # without events keeps the mark; an event moves it.
    run_coroutine(qapp, history._heartbeat_once(history.sync()))
    assert journal.last_seen_connected() == filled
    before = time.time()
    history.on_card(CallerCard("e1", CardState.RINGING, parse_number("05321234567")))
    # the app's shutdown: the line stops (DISCONNECTED), then the feature closes
    history.line_state(ConnectionState(Phase.DISCONNECTED, reason="stopped"))
    run_coroutine(qapp, history.close())
    assert (journal.last_seen_connected() or 0) >= before
    assert not history._heartbeat.isActive()
