"""The missed-call badge follows a call whose journal row is still queued.

The phone line queues a call's row for the journal's writer thread before the
card is shown (the popup never waits for the disk).  Here the disk is busy
(another connection holds SQLite's write lock) when a missed call ends: the
popup's card arrives at once, and the tray badge counts the call as soon as
its row is on disk, with no further event.  Real journal file, real
:class:`PhoneLine`, real :class:`CallHistory`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.calls import CallTracker
from desktop.core.journal import Journal
from desktop.core.phone_line import PhoneLine
from desktop.core.tasks import TaskSet
from desktop.pbx.events import parse_message
from desktop.ui.call_history import CallHistory
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_until

DOMAIN = "firma.kobipbx.com"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def test_the_badge_counts_a_missed_call_once_its_queued_row_is_written(
        qapp: Any, journal: Journal, tmp_path: Path) -> None:
    with qt_asyncio_loop(qapp):
        tasks = TaskSet("queue-badge-test")
        history = CallHistory(
            journal=lambda: journal, tasks=tasks, source_factory=lambda: None,
            downloader=lambda: None, recordings_dir=lambda: tmp_path / "recordings",
            cache_bytes=lambda: 1024 * 1024)
        counts: list[int] = []
        history.missedChanged.connect(counts.append)
        cards: list[CallerCard] = []

        def on_card(card: CallerCard) -> None:
            cards.append(card)
            history.on_card(card)

        now = [1000.0]
        line = PhoneLine(CallTracker(("1001",), DOMAIN, clock=lambda: now[0]), directory=None,
                         journal=journal, on_card=on_card, on_state=lambda _s: None,
                         clock=lambda: now[0])
        lock = sqlite3.connect(journal.path, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")  # the disk is busy (a long merge, another process)
            for event, at in (("ringing", 1000.0), ("hangup", 1012.0)):
                now[0] = at
                line.feed(parse_message({
                    "event": event, "callUUID": "m-1", "extension": "1001",
                    "callerNumber": "05321234567", "calledNumber": "02242123456",
                    "hangupCause": "NO_ANSWER", "domain": DOMAIN}, received_at=at))
            assert [c.state for c in cards] == [CardState.RINGING, CardState.ENDED]
            assert 1 not in counts  # the row is not on disk yet: nothing to count
            lock.execute("ROLLBACK")  # the disk is free again
            assert run_until(qapp, lambda: counts[-1:] == [1], 20_000), counts
        finally:
            lock.close()
            history.close_windows()
            run_until(qapp, lambda: len(tasks) == 0)
