"""Benchmark: popup latency while 5,000-row history merges keep the journal busy.

    .venv/bin/python bench/bench_popup_during_merge.py [--calls 200] [--merge-rows 5000]
                                                            [--contacts 100000] [--keep DIR]

The machinery of ``bench_popup_latency.py`` (one qasync process: the
simulator on real TCP, a directory of N contacts, the journal, a
:class:`PhoneLine` on a real channel, a :class:`PopupManager`; the clock runs
from the ringing event's last byte on the socket to the popup's
``showEvent``), plus a background task that merges history as the app's gap
filling does (:meth:`HistorySync.merge_async`: names looked up in a worker
thread, then ``Journal.merge_cdr`` on the journal's writer thread), one
*merge-rows* batch of fresh call records after another, for the whole run.

Before issue 11 a call's journal row was written on the GUI thread and
waited behind such a merge (1.15 s seen); ``--old`` measures that path
(rows written on the GUI thread, one transaction per merge).  Now the row
is queued and the merge lets it in between two chunks.  The report gives the popup latency of
the calls rung while a merge was running, how long each merge took, and how
long the live rows waited in the writer's queue.  Goal: p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_popup_latency import Bench, stats
from PySide6.QtWidgets import QApplication

from desktop.core.history_sync import HistorySync
from desktop.core.journal import CdrEntry, Journal, JournalCall
from desktop.simulator import Simulator
from desktop.ui import loop as qtloop
from tests.helpers import history_data


class SyncJournal:
    """The journal as the line used it before issue 11: written on the GUI thread."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def enqueue(self, call: JournalCall) -> None:
        self.journal.record(call)

    def history(self, *args: Any, **kwargs: Any) -> Any:
        return self.journal.history(*args, **kwargs)

    def notes_for(self, key: str) -> str | None:
        return self.journal.notes_for(key)


class MergeBench(Bench):
    """:class:`Bench` with history merges running all the time."""

    def __init__(self, app: QApplication, work: Path, contacts: int, calls: int,
                 merge_rows: int, *, old: bool = False) -> None:
        super().__init__(app, work, contacts, calls)
        self.merge_rows = merge_rows
        self.old = old
        if old:
            self.line_journal = SyncJournal(self.journal)
        self.sync = HistorySync(self.journal, lambda: None,
                                name_for=self._name_for)
        self.merging = False
        self.merge_seconds: list[float] = []
        self.during_merge: set[str] = set()
        self.queue_waits: list[float] = []
        self._batches: list[list[CdrEntry]] = []

    def _name_for(self, number: str) -> str | None:
        contact = self.directory.lookup(number)
        return contact.name if contact is not None else None

    def prepare(self, rounds: int) -> None:
        """Make the records of *rounds* merges now, so that making them does not
        load the measured process (the gap filling's own cost is the merge)."""
        for tag in range(1, rounds + 1):
            self._batches.append([
                CdrEntry(dataclasses.replace(call, call_id=f"m{tag}-{call.call_id}",
                                             source="cdr"))
                for call in history_data.generate(self.merge_rows, seed=tag)])

    async def _merge_forever(self) -> None:
        # After the prepared batches, the same records again: merging them into
        # the rows they made is a 5,000-row write too.
        for entries in itertools.cycle(self._batches):
            started = time.perf_counter()
            self.merging = True
            try:
                if self.old:  # one transaction in a worker thread, as before issue 11
                    report = await asyncio.to_thread(self.journal.merge_cdr, entries,
                                                     chunk=len(entries))
                else:
                    report = await self.sync.merge_async(entries)
            finally:
                self.merging = False
            self.merge_seconds.append(time.perf_counter() - started)
            assert report.added + report.merged == len(entries), report

    async def _probe_queue(self) -> None:
        """How long a queued live row waits for the disk while merges run."""
        for n in itertools.count():
            await asyncio.sleep(0.05)
            if not self.merging:
                continue
            call_id = f"probe-{n}"
            started = time.perf_counter()
            self.journal.enqueue(JournalCall(call_id, direction="inbound",
                                             number_raw="05001112233", ringing_at=time.time()))
            await asyncio.to_thread(self._wait_row, call_id)
            self.queue_waits.append(time.perf_counter() - started)

    def _wait_row(self, call_id: str) -> None:
        deadline = time.monotonic() + 10
        while self.journal.get(call_id) is None and time.monotonic() < deadline:
            time.sleep(0.001)

    async def _one_call(self, sim: Simulator) -> str:
        while not self.merging:  # measure only while a merge is running  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        call_id = await super()._one_call(sim)
        if call_id in self.carded and self.merging:
            self.during_merge.add(call_id)
        return call_id

    async def run(self) -> int:
        self.tasks.spawn(self._merge_forever(), name="bench-merges")
        self.tasks.spawn(self._probe_queue(), name="bench-queue-probe")
        return await super().run()

    def report(self, ids: list[str], warm: list[str]) -> None:
        super().report(ids, warm)
        overlapped = [i for i in ids if i in self.during_merge]
        print(f"\nwhile merging {self.merge_rows:,}-row batches "
              f"({len(self.merge_seconds)} merges, each "
              f"{statistics.median(self.merge_seconds) * 1000:.0f} ms median):")
        if overlapped:
            print(stats("popup, call within a merge", [self.shown[i] - self.sent[i]
                                                        for i in overlapped]))
        if self.queue_waits:
            print(stats("live row queued -> on disk", self.queue_waits))
        print(f"journal rows: {self.journal.count():,}; rows lost: {self.journal.lost_rows}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--merge-rows", type=int, default=5000)
    parser.add_argument("--old", action="store_true",
                        help="the line writes its rows on the GUI thread and a merge is one "
                        "transaction, as before issue 11 (for comparison)")
    parser.add_argument("--rounds", type=int, default=20,
                        help="batches of records prepared (merged in turn, again and again)")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder for the directory (reused)")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="kobikom-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        journal_file = work / "journal.sqlite3"
        for leftover in work.glob("journal.sqlite3*"):
            leftover.unlink()  # a kept folder: start from an empty journal
        bench = MergeBench(app, work, args.contacts, args.calls, args.merge_rows,
                           old=args.old)
        started = time.perf_counter()
        bench.prepare(args.rounds)
        print(f"{args.rounds} merges of {args.merge_rows:,} records prepared in "
              f"{time.perf_counter() - started:.1f} s")
        try:
            return qtloop.run(app, bench.run)
        finally:
            bench.popups.close_all()
            bench.directory.close()
            bench.journal.close()
            print(f"(journal was {journal_file})")


if __name__ == "__main__":
    raise SystemExit(main())
