"""The journal's writer thread: callers queue writes, one thread does the disk work.

A call's journal row used to be written on the GUI thread before its popup
could show; behind a 5,000-row history merge that write waited over a
second.  Now :meth:`JournalWriter.enqueue` only appends the row to an
in-memory queue (microseconds, never a lock on the database) and this
module's single thread writes it.

What we chose, and why:

* **One writer thread per journal.**  Every in-process write of the journal
  goes through it (live rows, gap-filling merges, notes, bookkeeping), so
  writes never contend for SQLite's write lock inside the app and their
  order is the order they were queued in.
* **Live rows first.**  Each round writes every queued live row (oldest
  first, in one transaction: a flood of 2,000 calls is a handful of
  commits, not 2,000), then runs at most one queued job.  A long job (the
  history merge) calls :meth:`JournalWriter.drain_live` between its
  chunks, so a live row waits for at most one chunk (a few milliseconds),
  never for the whole merge.
* **Live rows wait a moment** (:data:`LIVE_HOLD`, 50 ms) before the thread
  writes them.  A ring queues its row right before the popup is filled and
  shown; a thread that starts writing at once takes Python's GIL away from
  the GUI thread whenever that one makes a system call (a log line, the
  X request of the show) and hands it back only at its own next blocking
  call or after the 5 ms switch interval: the popup waited for the disk
  after all (issue 14 measured up to 2 ms of a ring in ``enqueue`` and the
  log line after it).  Held, the rows are written once the popup is on
  screen, and a flood's rows are written in fewer transactions.  A
  synchronous :meth:`JournalWriter.flush` and :meth:`JournalWriter.close`
  cut the wait short; barriers and jobs do not (they are awaited).
* **Durability.**  A row is on disk once its transaction committed (WAL,
  ``synchronous=NORMAL``: it survives an app crash).  A crash loses what
  was still queued: normally the rows of the last :data:`LIVE_HOLD`, at
  worst those queued during one merge chunk.  The next gap filling from the
  PBX's call records brings such calls back.
* **Quit flushes, bounded.**  :meth:`JournalWriter.close` writes what is
  queued for at most its *timeout* (default :data:`CLOSE_TIMEOUT`), then
  gives up and logs how many rows were lost: quitting never hangs on a
  broken disk.
* **A failed write is retried once** (e.g. another process held the lock
  past the busy timeout), then the rows are written one by one so a single
  bad row cannot take the others with it; what still fails is logged as an
  error and counted in :attr:`JournalWriter.lost`.

Readers are not affected: in WAL mode a reader on another thread (the
popup's history and notes, the history window) reads the last committed
state and never waits for this thread's open transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

log = logging.getLogger("kobikom.core.journal")


def _settle(future: Future[Any], result: Any = None, exc: BaseException | None = None) -> None:
    """Resolve *future* unless its waiter already gave up on it (cancelled at shutdown)."""
    try:
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass  # cancelled by its waiter: nobody is left to tell

T = TypeVar("T")

#: How long closing the journal waits for queued writes (s).
CLOSE_TIMEOUT: Final = 1.0
#: At most this many live rows in one transaction.
LIVE_BATCH: Final = 1000
#: How long queued live rows wait before the thread writes them (s; see the
#: module docstring: the GUI thread shows the popup meanwhile).
LIVE_HOLD: Final = 0.05
#: Pause before retrying a failed write (s).
RETRY_DELAY: Final = 0.2

Row = dict[str, object]


class RowSink(Protocol):
    """Where the rows go: the journal, on the writer thread."""

    def write_rows(self, rows: list[Row]) -> None: ...


class WriterClosed(RuntimeError):
    """The journal is closing or closed: nothing more can be queued."""


@dataclass(slots=True)
class _Barrier:
    """A mark in the live queue: done once every row queued before it was written."""

    future: Future[None] = field(default_factory=Future)


@dataclass(slots=True)
class _Job:
    fn: Callable[[], Any]
    future: Future[Any] = field(default_factory=Future)


class JournalWriter:
    """One thread that writes a journal's queued rows and jobs (see the module docstring)."""

    def __init__(self, sink: RowSink, *, name: str = "journal-writer",
                 hold: float = LIVE_HOLD) -> None:
        self._sink = sink
        self._name = name
        self._hold = hold
        #: Set to end a hold early (a synchronous flush, closing).
        self._hurry = threading.Event()
        self._cond = threading.Condition()
        self._live: deque[Row | _Barrier] = deque()
        self._jobs: deque[_Job] = deque()
        self._busy = False
        self._closing = False
        self._thread: threading.Thread | None = None
        #: Rows written, and rows that could not be written (logged).
        self.written = 0
        self.lost = 0

    # -- queueing (any thread) -------------------------------------------------

    def enqueue(self, row: Row) -> None:
        """Queue one prepared live row; returns at once."""
        with self._cond:
            self._check_open()
            self._live.append(row)
            self._start()
            self._cond.notify_all()

    def barrier(self) -> Future[None]:
        """A future done once every live row queued so far was written (or given up).

        Rows go before jobs, so this does not wait for a merge in progress
        beyond its current chunk.
        """
        mark = _Barrier()
        with self._cond:
            self._check_open()
            if not self._live and not self._busy:
                _settle(mark.future)
                return mark.future
            self._live.append(mark)
            self._start()
            self._cond.notify_all()
        return mark.future

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run *fn* on the writer thread (after the live rows queued so far)."""
        job = _Job(fn)
        with self._cond:
            self._check_open()
            self._jobs.append(job)
            self._start()
            self._cond.notify_all()
        return job.future

    @property
    def queued(self) -> int:
        """Rows and jobs waiting for the thread (not counting the one in hand)."""
        with self._cond:
            return len(self._live) + len(self._jobs)

    @property
    def busy(self) -> bool:
        """The thread is writing rows or running a job right now."""
        with self._cond:
            return self._busy

    @property
    def pending(self) -> int:
        """Rows and jobs queued and not done yet."""
        with self._cond:
            return len(self._live) + len(self._jobs) + (1 if self._busy else 0)

    def on_writer_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far is written; False on timeout.

        Called on the writer thread itself (from a job) it returns at once.
        """
        if self.on_writer_thread():
            return True
        if timeout is None or timeout > 0:
            self._hurry.set()  # somebody waits: no hold (flush(0) only asks)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._live or self._jobs or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = CLOSE_TIMEOUT) -> bool:
        """Refuse new work, write what is queued for at most *timeout*, stop the thread.

        Returns True when everything queued was written.
        """
        with self._cond:
            self._closing = True
            self._hurry.set()
            self._cond.notify_all()
            thread = self._thread
        if thread is None or thread is threading.current_thread():
            return not self._live and not self._jobs
        thread.join(timeout)
        with self._cond:
            left = list(self._live)
            left_jobs = list(self._jobs)
            self._live.clear()
            self._jobs.clear()
        left_rows = sum(1 for item in left if not isinstance(item, _Barrier))
        for item in left:
            if isinstance(item, _Barrier):
                _settle(item.future)
        for job in left_jobs:
            _settle(job.future, exc=WriterClosed("the journal closed before this write ran"))
        if left_rows or left_jobs or thread.is_alive():
            self.lost += left_rows
            log.error("the journal closed with %d call row(s) and %d job(s) not written "
                      "(the disk did not keep up within %.1f s)", left_rows, len(left_jobs),
                      timeout)
            return False
        return True

    # -- the writer thread --------------------------------------------------------

    def drain_live(self) -> int:
        """Write the live rows queued right now (the merge calls this between chunks).

        Only on the writer thread; elsewhere it does nothing.  Returns how many.
        """
        if not self.on_writer_thread():
            return 0
        with self._cond:
            rows, marks = self._take_live()
        self._write_and_mark(rows, marks)
        return len(rows)

    def _check_open(self) -> None:
        if self._closing:
            raise WriterClosed("the journal is closed")

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def _take_live(self) -> tuple[list[Row], list[_Barrier]]:
        """The next rows to write, up to the first barrier (taken with them)."""
        rows: list[Row] = []
        marks: list[_Barrier] = []
        while self._live and len(rows) < LIVE_BATCH:
            item = self._live.popleft()
            if isinstance(item, _Barrier):
                marks.append(item)
                break
            rows.append(item)
        return rows, marks

    def _write_and_mark(self, rows: list[Row], marks: list[_Barrier]) -> None:
        try:
            if rows:
                self._write(rows)
        finally:
            for mark in marks:
                _settle(mark.future)

    def _hold_live(self) -> None:
        """Let live rows wait :data:`LIVE_HOLD` (not a job, nor when hurried)."""
        with self._cond:
            hold = bool(self._live) and not self._jobs and not self._closing
        if hold and self._hold > 0:
            self._hurry.wait(self._hold)
        self._hurry.clear()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._live and not self._jobs and not self._closing:
                    self._cond.wait()
            self._hold_live()
            with self._cond:
                if not self._live and not self._jobs:
                    if not self._closing:
                        continue
                    self._cond.notify_all()
                    return  # closing, and nothing left
                rows, marks = self._take_live()
                job = self._jobs.popleft() if not rows and not marks and self._jobs else None
                self._busy = True
            try:
                if rows or marks:
                    self._write_and_mark(rows, marks)
                elif job is not None:
                    self._run_job(job)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _run_job(self, job: _Job) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            result = job.fn()
        except BaseException as exc:  # handed to whoever waits on the future
            _settle(job.future, exc=exc)
        else:
            _settle(job.future, result)

    def _write(self, rows: list[Row]) -> None:
        try:
            self._sink.write_rows(rows)
        except Exception as first:
            log.warning("writing %d call row(s) to the journal failed (%s); retrying",
                        len(rows), first)
            time.sleep(RETRY_DELAY)
            try:
                self._sink.write_rows(rows)
            except Exception:
                self._write_one_by_one(rows)
                return
        self.written += len(rows)

    def _write_one_by_one(self, rows: list[Row]) -> None:
        for row in rows:
            try:
                self._sink.write_rows([row])
            except Exception:
                self.lost += 1
                log.exception("could not write call %s to the journal", row.get("call_id"))
            else:
                self.written += 1
