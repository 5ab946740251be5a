"""The journal's writer thread: the caller never waits for the disk, and nothing is reordered.

Real SQLite files throughout.  "The disk is busy" is another connection
holding SQLite's write lock (``BEGIN IMMEDIATE``), as a long history merge or
a second process does; nothing is mocked.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.caller_card import CallerCard
from desktop.core.calls import CallTracker
from desktop.core.journal import CdrEntry, Journal, JournalCall, WriterClosed
from desktop.core.phone_line import PhoneLine
from desktop.pbx.events import parse_message

KEY = "+905321234567"
DOMAIN = "firma.kobipbx.com"
#: Generous deadline for "eventually" (the machine may be loaded): never a speed goal.
DEADLINE = 20.0


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


class Locker:
    """Another connection that holds the journal's write lock until released."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA busy_timeout = 10000")
        self.held = False

    def hold(self, rows: int = 0) -> None:
        """Take the lock, with *rows* uncommitted rows written under it (a merge in progress)."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.held = True
        self.conn.executemany(
            "INSERT INTO calls (call_id, number_key, started_at, updated_at) "
            "VALUES (?, ?, ?, 0)", [(f"merge-{i}", KEY, 500.0 + i) for i in range(rows)])

    def release(self) -> None:
        if self.held:
            self.conn.execute("ROLLBACK")
            self.held = False

    def close(self) -> None:
        self.release()
        self.conn.close()


@pytest.fixture
def locker(journal: Journal) -> Iterator[Locker]:
    lock = Locker(journal.path)
    yield lock
    lock.close()


def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def call(call_id: str, at: float, **fields: Any) -> JournalCall:
    return JournalCall(call_id, extension="1001", direction="inbound", number_raw="05321234567",
                       ringing_at=at, **fields)


def test_enqueue_returns_while_the_disk_is_locked_and_the_row_lands_after(
        journal: Journal, locker: Locker) -> None:
    journal.record(call("old", 100.0, outcome="answered", ended_at=130.0))
    journal.set_note(KEY, "VIP müşteri")
    locker.hold(rows=5000)
    journal.enqueue(call("live", 1000.0))  # old code: record() here waited 10 s, then failed
    # Reads go on too (WAL): the last committed state, not the merge's open rows.
    history = journal.history(KEY, exclude_call_id="live")
    assert history.count == 1
    assert journal.notes_for(KEY) == "VIP müşteri"
    assert journal.get("live") is None
    assert not journal.flush(0.2), "the row cannot be on disk while the lock is held"
    locker.release()
    assert journal.flush(DEADLINE)
    stored = journal.get("live")
    assert stored is not None
    assert stored.ringing_at == 1000.0


def test_a_calls_rows_are_written_in_order(journal: Journal) -> None:
    for n in range(300):
        journal.enqueue(call(f"c{n}", 1000.0 + n))
        journal.enqueue(JournalCall(f"c{n}", answered_at=1002.0 + n))
        journal.enqueue(JournalCall(f"c{n}", ended_at=1060.0 + n, outcome="answered"))
    assert journal.flush(DEADLINE)
    for n in (0, 150, 299):
        stored = journal.get(f"c{n}")
        assert stored is not None
        assert (stored.ringing_at, stored.answered_at, stored.ended_at, stored.outcome,
                stored.talk_seconds) == (1000.0 + n, 1002.0 + n, 1060.0 + n, "answered", 58)
    assert journal.writer.written == 900
    assert journal.writer.lost == 0


def test_a_flood_is_written_whole(journal: Journal) -> None:
    for n in range(2000):
        journal.enqueue(call(f"f{n}", 2000.0 + n / 1000, outcome="missed", ended_at=2001.0))
    assert journal.flush(DEADLINE)
    assert journal.count() == 2000
    assert journal.unseen_missed_count() == 2000


def test_a_bad_row_is_refused_on_the_callers_thread(journal: Journal) -> None:
    with pytest.raises(ValueError, match="unknown outcome"):
        journal.enqueue(JournalCall("x", outcome="exploded"))
    assert journal.writer.pending == 0


def test_live_rows_go_in_between_the_chunks_of_a_long_merge(journal: Journal) -> None:
    """A call that arrives during a history merge is on disk before the merge ends."""
    chunk = 50
    seen_mid_merge: list[bool] = []

    def records() -> Iterator[CdrEntry]:
        for n in range(4 * chunk):
            if n == chunk:  # the first chunk is committed: a call rings now
                journal.enqueue(call("live-during-merge", 9000.0))
            if n == 2 * chunk:  # the second chunk is committed too
                seen_mid_merge.append(journal.get("live-during-merge") is not None)
            yield CdrEntry(JournalCall(f"cdr-{n}", direction="inbound",
                                       number_raw=f"0532{n:07d}", ringing_at=100.0 + n,
                                       outcome="answered", ended_at=130.0 + n))

    report = journal.submit(lambda: journal.merge_cdr(records(), chunk=chunk)).result(DEADLINE)
    assert report.added == 4 * chunk
    assert seen_mid_merge == [True], "the live row waited for the whole merge"
    assert journal.flush(DEADLINE)
    assert journal.count() == 4 * chunk + 1


def test_the_card_is_published_while_the_disk_is_locked(journal: Journal,
                                                         locker: Locker) -> None:
    """The popup path: a ringing event gives its card at once, the row follows."""
    order: list[str] = []
    cards: list[CallerCard] = []

    def on_card(card: CallerCard) -> None:
        order.append("card")
        cards.append(card)

    line = PhoneLine(CallTracker(("1001",), DOMAIN, clock=lambda: 1000.0), directory=None,
                     journal=journal, on_card=on_card, on_state=lambda _s: None,
                     clock=lambda: 1000.0)
    locker.hold(rows=5000)
    releaser = threading.Timer(DEADLINE, locker.release)  # never hang the suite
    releaser.start()
    try:
        line.feed(parse_message({"event": "ringing", "callUUID": "ring-1", "extension": "1001",
                                 "callerNumber": "05321234567", "calledNumber": "02242123456",
                                 "domain": DOMAIN}, received_at=1000.0))
        order.append("released")
    finally:
        releaser.cancel()
        locker.release()
    assert order == ["card", "released"]
    assert cards[0].call_id == "ring-1"
    assert journal.flush(DEADLINE)
    stored = journal.get("ring-1")  # old code: "database is locked", the row was lost
    assert stored is not None
    assert stored.number_key == KEY


def test_close_writes_what_is_queued(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    for n in range(500):
        journal.enqueue(call(f"q{n}", 3000.0 + n))
    journal.close(timeout=DEADLINE)
    with pytest.raises(WriterClosed):
        journal.enqueue(call("late", 4000.0))
    again = Journal(path)
    try:
        assert again.count() == 500
    finally:
        again.close()


def test_close_gives_up_after_its_timeout_and_says_what_was_lost(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    locker = Locker(path)
    try:
        locker.hold()
        journal.enqueue(call("stuck", 5000.0))
        wait_for(lambda: journal.writer.busy and journal.writer.queued == 0)  # in hand, locked
        for n in range(10):
            journal.enqueue(call(f"behind-{n}", 5001.0 + n))
        done = threading.Event()
        closer = threading.Thread(target=lambda: (journal.close(timeout=0.3), done.set()))
        closer.start()
        # close() returns although the lock is still held: quitting never hangs on the disk.
        assert done.wait(DEADLINE), "close() waited for the disk"
        assert locker.held
        assert journal.lost_rows >= 10
    finally:
        locker.close()


async def test_run_write_awaits_a_write_on_the_writer_thread(journal: Journal) -> None:
    threads: list[str] = []

    def note() -> None:
        threads.append(threading.current_thread().name)
        journal.set_note(KEY, "geri ara")

    await journal.run_write(note)
    assert threads
    assert threads[0].startswith("journal-writer")
    assert journal.notes_for(KEY) == "geri ara"
    with pytest.raises(ZeroDivisionError):
        await journal.run_write(lambda: 1 / 0)


async def test_written_returns_once_the_rows_queued_before_are_on_disk(
        journal: Journal, locker: Locker) -> None:
    await journal.written()  # nothing queued: at once
    locker.hold()
    journal.enqueue(call("late", 6000.0, outcome="missed", ended_at=6010.0))
    waiting = asyncio.ensure_future(journal.written())
    await asyncio.sleep(0.2)
    assert not waiting.done(), "the row cannot be on disk while the lock is held"
    locker.release()
    await asyncio.wait_for(waiting, DEADLINE)
    assert journal.unseen_missed_count() == 1


def test_written_does_not_wait_for_a_whole_merge(journal: Journal) -> None:
    """The badge refresh after a missed call waits for one merge chunk, not the merge."""
    chunk = 50
    resolved_mid_merge: list[bool] = []

    def records() -> Iterator[CdrEntry]:
        mark = None
        for n in range(4 * chunk):
            if n == chunk:
                journal.enqueue(call("missed-during-merge", 9100.0, outcome="missed",
                                     ended_at=9110.0))
                mark = journal.writer.barrier()
            if n == 2 * chunk:
                resolved_mid_merge.append(mark is not None and mark.done())
            yield CdrEntry(JournalCall(f"cdr-{n}", direction="inbound",
                                       number_raw=f"0533{n:07d}", ringing_at=100.0 + n,
                                       outcome="answered", ended_at=130.0 + n))

    journal.submit(lambda: journal.merge_cdr(records(), chunk=chunk)).result(DEADLINE)
    assert resolved_mid_merge == [True]


def test_a_small_write_from_another_thread_goes_in_between_merge_chunks(
        journal: Journal) -> None:
    """The GUI thread's own writes (a missed call marked seen) wait for one merge
    chunk, not for the merge (SQLite's busy handler alone missed the gaps)."""
    chunk = 200
    chunks_done = [0]
    started = threading.Event()

    def records() -> Iterator[CdrEntry]:
        for n in range(30 * chunk):
            if n % chunk == 0:
                chunks_done[0] = n // chunk
                if n == 2 * chunk:
                    started.set()
            yield CdrEntry(JournalCall(f"cdr-{n}", direction="inbound",
                                       number_raw=f"0534{n:07d}", ringing_at=100.0 + n,
                                       outcome="answered", ended_at=130.0 + n))

    merging = journal.submit(lambda: journal.merge_cdr(records(), chunk=chunk))
    assert started.wait(DEADLINE)
    before = chunks_done[0]
    journal.set_note(KEY, "geri aranacak")  # a direct write on this thread
    waited = chunks_done[0] - before
    merging.result(DEADLINE)
    assert waited <= 2, f"the write waited {waited} merge chunks"
    assert journal.notes_for(KEY) == "geri aranacak"


def test_a_closed_journal_refuses_rows_even_if_it_never_wrote(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.close()
    with pytest.raises(WriterClosed):
        journal.enqueue(call("after-close", 7000.0))


def test_a_waiter_that_gave_up_does_not_break_the_writer(
        journal: Journal, locker: Locker) -> None:
    """``written()`` cancelled at shutdown cancels its future; resolving it later is no error."""
    errors: list[BaseException] = []
    previous = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)  # type: ignore[assignment]
    try:
        locker.hold()
        journal.enqueue(call("queued", 1000.0))

        async def give_up() -> None:
            waiter = asyncio.ensure_future(journal.written())
            await asyncio.sleep(0.05)
            waiter.cancel()  # what a task cancelled at quit does to the barrier's future
            with pytest.raises(asyncio.CancelledError):
                await waiter

        asyncio.run(give_up())
        gone = journal.submit(lambda: "late")
        gone.cancel()
        locker.release()
        assert journal.flush(DEADLINE)
        assert journal.get("queued") is not None
        journal.enqueue(call("after", 1001.0))  # the writer thread is still alive and writing
        assert journal.flush(DEADLINE)
        assert journal.get("after") is not None
    finally:
        threading.excepthook = previous
    assert errors == []


def test_write_turns_go_in_arrival_order_and_time_out_cleanly() -> None:
    from desktop.core.storage import WriteTurns

    turns = WriteTurns()
    assert turns.acquire(1.0)
    assert not turns.acquire(0.05), "held: a second writer times out"
    order: list[str] = []
    started = threading.Barrier(3)

    def writer(name: str, delay: float) -> None:
        started.wait()
        time.sleep(delay)
        assert turns.acquire(DEADLINE)
        order.append(name)
        turns.release()

    threads = [threading.Thread(target=writer, args=(n, d)) for n, d in (("a", 0.0), ("b", 0.1))]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.3)  # both wait now, a before b
    turns.release()
    for t in threads:
        t.join(DEADLINE)
    assert order == ["a", "b"]
    assert turns.acquire(0.05), "free again after the last turn"


#: A hold no test waits for: what ends it early is what is tested.
LONG_HOLD = 60.0


@pytest.fixture
def held_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Journal]:
    import functools

    import desktop.core.journal as journal_module
    from desktop.core.journal_writer import JournalWriter

    monkeypatch.setattr(journal_module, "JournalWriter",
                        functools.partial(JournalWriter, hold=LONG_HOLD))
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def test_live_rows_wait_while_the_gui_thread_shows_the_popup(held_journal: Journal) -> None:
    """The writer does not start on a row at once (it would take the GIL from the
    popup being shown); a barrier waits with it: the history refresh is no hurry."""
    held_journal.enqueue(call("ringing-now", 9000.0))
    mark = held_journal.writer.barrier()
    time.sleep(0.3)
    assert held_journal.get("ringing-now") is None
    assert not mark.done()
    assert held_journal.writer.pending == 2  # the row and the barrier, both still queued


def test_a_synchronous_flush_or_close_ends_the_hold(held_journal: Journal,
                                                    tmp_path: Path) -> None:
    held_journal.enqueue(call("flushed", 9000.0))
    assert held_journal.flush(0) is False  # only asks: no hurry, still held
    started = time.monotonic()
    assert held_journal.flush(DEADLINE)
    assert time.monotonic() - started < LONG_HOLD
    assert held_journal.get("flushed") is not None
    held_journal.enqueue(call("closed", 9001.0))
    held_journal.close(timeout=DEADLINE)
    reopened = Journal(tmp_path / "journal.sqlite3")
    try:
        assert reopened.get("closed") is not None
    finally:
        reopened.close()
