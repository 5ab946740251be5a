"""The call journal: every call this agent's extensions saw, kept locally.

A SQLite file (``AppPaths.journal_db``, WAL, ``synchronous=NORMAL``: a
committed call survives an app crash; only a power cut within the last WAL
checkpoint window could lose the latest rows, which the next start-up's gap
filling from the PBX's call records brings back).

Live calls are *queued* before they are shown (queue-before-show): on every
change of a tracked call the phone line calls :meth:`Journal.enqueue` with
what it knows so far, then updates the popup.  ``enqueue`` checks and
prepares the row on the caller's thread (a bad value raises there) and hands
it to the journal's writer thread (:mod:`desktop.core.journal_writer`), so
the popup never waits for the disk; a crash loses only what was queued in
the last instant.  Each row is an upsert by the PBX's call id that only
overwrites the fields it is given (``None`` means "unknown, keep what is
stored").  :meth:`Journal.record` writes one synchronously (the command
line, tests); inside the app every write goes through the writer thread
(:meth:`Journal.submit` / :meth:`Journal.run_write`), so writes never
contend for SQLite's lock and keep their order.  :meth:`Journal.close`
flushes the queue for at most :data:`~desktop.core.journal_writer.CLOSE_TIMEOUT`.

For the popup, :meth:`Journal.history` gives the earlier calls with the
same number (count, last time, the most recent few) and
:meth:`Journal.notes_for` the agent's own note on that number.  They read
on the caller's thread: in WAL mode a read never waits for a write in
progress (it sees the last committed state).

Filling gaps from the PBX's call records (:mod:`desktop.core.history_sync`)
goes through :meth:`Journal.merge_cdr`, which never duplicates a call:

1. a record whose id is already known (as a row's ``call_id``, as its
   ``cdr_id``, or as an alias recorded by an earlier merge) updates that row;
2. otherwise it is matched to a row with the same number that started
   within ``window`` seconds (nearest first): a *strong* record (a real PBX
   call id) only to a row not yet tied to another PBX id (two calls from one
   number a minute apart stay two calls), a *weak* one (an id made up from
   the row's fields, e.g. ``missedcalls``) to any row;
3. otherwise it is added (unless it only enriches, ``insert=False``).

A merge commits every :data:`MERGE_CHUNK` records and, on the writer
thread, writes the live rows queued meanwhile between two chunks.  Every id
that was merged into a row is kept as an alias, so fetching the same
records again changes nothing (a merge interrupted between chunks is simply
completed by the next one).  A live row is only *completed* by a record (a
missing outcome, end, talk time or recording); a row that came from records
is updated by newer records.

Missed calls: ``missed_seen`` is 0 until the agent sees the call (opens
the history, dismisses its popup, or calls the number back);
:meth:`unseen_missed_count` is the single source of truth for the tray's
badge (it survives restarts and includes gap-filled calls).  When an
outgoing call to a number is journaled, the earlier missed calls from it
are marked called back (``called_back_at``).

The history window reads through :meth:`select_ids` (every matching row id
in display order: one indexed query, run off the GUI thread) and
:meth:`rows` (one page of rows by id, well under a millisecond).

The values live in :mod:`desktop.core.journal_model`, the tables in
:mod:`desktop.core.journal_schema`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Final, TypeVar

from desktop.core import text as _text
from desktop.core.caller_card import PastCall
from desktop.core.journal_model import (
    CHUNK,
    DIRECTIONS,
    FIELDS,
    LAST_SEEN_CONNECTED,
    MATCH_WINDOW,
    MAX_NOTE,
    OPTIONAL_TEXT,
    OUTCOMES,
    ROW_COLUMNS,
    ROW_FROM,
    SOURCES,
    STATUS_MATCH_SLACK,
    CdrEntry,
    HistoryFilter,
    HistoryKind,
    HistoryRow,
    JournalCall,
    JournalError,
    MergeReport,
    NumberHistory,
    history_row,
    number_fragment,
    table_for,
    where_clause,
)
from desktop.core.journal_schema import (
    COMPLETE_LIVE,
    MARK_CALLED_BACK,
    MIGRATIONS,
    UNSEEN,
    UPSERT,
)
from desktop.core.journal_writer import CLOSE_TIMEOUT, JournalWriter, Row, WriterClosed
from desktop.core.numbers import NumberKind, parse_number
from desktop.core.storage import SQLiteStore

__all__ = [
    "LAST_SEEN_CONNECTED",
    "MATCH_WINDOW",
    "MERGE_CHUNK",
    "STATUS_MATCH_SLACK",
    "CdrEntry",
    "HistoryFilter",
    "HistoryKind",
    "HistoryRow",
    "Journal",
    "JournalCall",
    "JournalError",
    "MergeReport",
    "NumberHistory",
    "WriterClosed",
    "number_fragment",
]

log = logging.getLogger("kobikom.core.journal")

T = TypeVar("T")

#: Records merged per transaction; live rows queued meanwhile go in between.
MERGE_CHUNK: Final = 200


class Journal(SQLiteStore):
    """The call journal in one SQLite file (see the module docstring)."""

    MIGRATIONS = MIGRATIONS

    def __init__(self, path: str | Path) -> None:
        self._writer: JournalWriter | None = None
        self._writer_lock = threading.Lock()
        super().__init__(path)

    # ------------------------------------------------------------------ the writer thread

    @property
    def writer(self) -> JournalWriter:
        """The journal's writer thread (started on first use)."""
        with self._writer_lock:
            if self._writer is None:
                if self._closed:
                    raise WriterClosed(f"{self.path.name} is closed")
                self._writer = JournalWriter(self, name=f"journal-writer-{self.path.stem}")
            return self._writer

    def enqueue(self, call: JournalCall) -> None:
        """Queue *call* for the writer thread; returns at once.

        The row is checked and prepared here: a bad value raises
        :class:`JournalError` on the caller's thread.  Raises
        :class:`~desktop.core.journal_writer.WriterClosed` after :meth:`close`.
        """
        self.writer.enqueue(self._values(call))

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run *fn* (a write: merge, note, bookkeeping) on the writer thread."""
        return self.writer.submit(fn)

    async def run_write(self, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
        """Await ``fn(*args, **kwargs)`` run on the writer thread."""
        return await asyncio.wrap_future(self.submit(lambda: fn(*args, **kwargs)))

    async def written(self) -> None:
        """Return once every row queued so far is on disk (or was given up)."""
        await asyncio.wrap_future(self.writer.barrier())

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued write is done; False on timeout."""
        writer = self._writer
        return True if writer is None else writer.flush(timeout)

    @property
    def lost_rows(self) -> int:
        """Queued rows that could not be written (each one logged as an error)."""
        writer = self._writer
        return 0 if writer is None else writer.lost

    def write_rows(self, rows: list[Row]) -> None:
        """Write prepared live rows in one transaction, in order (the writer's sink)."""
        with self.write() as conn:
            self._write_rows(conn, rows)

    def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Write what is queued (for at most *timeout* seconds), then close the file."""
        with self._writer_lock:
            writer = self._writer
        if writer is not None:
            writer.close(timeout)
        super().close()

    # ------------------------------------------------------------------ writing

    def record(self, call: JournalCall) -> None:
        """Insert or update *call* by ``call_id`` now (fields that are None are kept).

        Blocks on the disk: inside the app use :meth:`enqueue`.
        """
        with self.write() as conn:
            self._write_rows(conn, [self._values(call)])

    def record_many(self, calls: Iterable[JournalCall]) -> int:
        """:meth:`record` for many calls in one transaction (imports, tests, benchmarks)."""
        rows = [self._values(call) for call in calls]
        with self.write() as conn:
            self._write_rows(conn, rows)
        return len(rows)

    @staticmethod
    def _write_rows(conn: sqlite3.Connection, rows: list[Row]) -> None:
        conn.executemany(UPSERT, rows)
        keys: set[object] = set()
        for row in rows:
            if row["direction"] == "outbound" or row["outcome"] == "missed":
                if row["number_key"]:
                    keys.add(row["number_key"])
                else:  # an update without the number: the stored one
                    found = conn.execute("SELECT number_key FROM calls WHERE call_id = ?",
                                         (row["call_id"],)).fetchone()
                    if found is not None and found[0]:
                        keys.add(found[0])
        for key in keys:
            conn.execute(MARK_CALLED_BACK, {"key": key})

    @staticmethod
    def _mark_called_back(conn: sqlite3.Connection, call_id: object) -> None:
        row = conn.execute("SELECT number_key FROM calls WHERE call_id = ?",
                           (call_id,)).fetchone()
        if row is not None and row[0]:
            conn.execute(MARK_CALLED_BACK, {"key": row[0]})

    @staticmethod
    def _values(call: JournalCall) -> Row:
        call_id = _text.clean(call.call_id, _text.MAX_SHORT)
        if not call_id:
            raise JournalError("a journal entry needs a call id")
        if call.direction is not None and call.direction not in DIRECTIONS:
            raise JournalError(f"unknown direction {call.direction!r}")
        if call.outcome is not None and call.outcome not in OUTCOMES:
            raise JournalError(f"unknown outcome {call.outcome!r}")
        if call.source is not None and call.source not in SOURCES:
            raise JournalError(f"unknown source {call.source!r}")
        values: Row = {f: getattr(call, f) for f in FIELDS}
        values["call_id"] = call_id
        for name, limit in OPTIONAL_TEXT.items():
            value = values[name]
            if value is not None:
                values[name] = _text.clean(value, limit)
        if call.number_key is None and call.number_raw is not None:
            parsed = parse_number(call.number_raw)
            # Withheld numbers have no history: never lump them together.
            if parsed.kind is not NumberKind.ANONYMOUS:
                values["number_key"] = parsed.key
        contact = values["contact_name_at_time"]
        values["name_fold"] = _text.search_fold(str(contact)) if contact else None
        values["started_at"] = call.started_at
        values["updated_at"] = time.time()
        return values

    def merge_cdr(self, entries: Iterable[CdrEntry], *, window: float = MATCH_WINDOW,
                  seen: bool = False, chunk: int = MERGE_CHUNK) -> MergeReport:
        """Merge calls rebuilt from the PBX's records (see the module docstring).

        Idempotent: merging the same entries again changes nothing.  With
        *seen*, added missed calls are not "new" (a first import of old
        history).  One transaction per *chunk* entries (taken from *entries*
        lazily); on the writer thread the live rows queued meanwhile are
        written between two chunks.
        """
        added: list[str] = []
        merged = skipped = 0
        source = iter(entries)
        while True:
            batch = list(itertools.islice(source, max(1, chunk)))
            if not batch:
                break
            prepared = [(entry, self._values(entry.call)) for entry in batch]
            with self.write() as conn:
                for entry, values in prepared:
                    outcome = self._merge_one(conn, entry, values, window, seen)
                    if outcome is None:
                        skipped += 1
                    elif outcome:
                        added.append(str(values["call_id"]))
                    else:
                        merged += 1
            if self._writer is not None:
                self._writer.drain_live()
        return MergeReport(len(added), merged, skipped, tuple(added))

    def _merge_one(self, conn: sqlite3.Connection, entry: CdrEntry, values: Row,
                   window: float, seen: bool) -> bool | None:
        """Merge one record: True added, False merged into a row, None skipped."""
        values["source"] = "cdr"
        if entry.strong and values["cdr_id"] is None:
            values["cdr_id"] = values["call_id"]
        if not entry.strong:
            values["cdr_id"] = None
        target = self._match(conn, values, entry.strong, window)
        added = target is None
        if target is None:
            if not entry.insert:
                return None
            conn.execute(UPSERT, values)
            if seen:
                conn.execute("UPDATE calls SET missed_seen = 1 WHERE call_id = ?",
                             (values["call_id"],))
            target_id = str(values["call_id"])
        else:
            target_id, source = target
            if source == "cdr":
                conn.execute(UPSERT, {**values, "call_id": target_id,
                                      "cdr_id": None if not entry.strong
                                      else values["cdr_id"]})
            else:
                conn.execute(COMPLETE_LIVE, {**values, "target": target_id})
        if values["call_id"] != target_id:
            conn.execute("INSERT OR IGNORE INTO call_aliases (alias, call_id) "
                         "VALUES (?, ?)", (values["call_id"], target_id))
        if values["direction"] == "outbound" or values["outcome"] == "missed":
            self._mark_called_back(conn, target_id)
        return added

    @staticmethod
    def _match(conn: sqlite3.Connection, values: dict[str, object], strong: bool,
               window: float) -> tuple[str, str] | None:
        """The row an incoming record belongs to: ``(call_id, source)`` or None."""
        record_id = values["call_id"]
        row = conn.execute(
            "SELECT call_id, source FROM calls WHERE call_id = ? "
            "UNION ALL SELECT c.call_id, c.source FROM call_aliases a "
            "JOIN calls c ON c.call_id = a.call_id WHERE a.alias = ? "
            "UNION ALL SELECT call_id, source FROM calls WHERE cdr_id = ? LIMIT 1",
            (record_id, record_id, record_id)).fetchone()
        if row is not None:
            return str(row[0]), str(row[1])
        key, started = values["number_key"], values["started_at"]
        if started is None:
            return None
        t = float(started)  # type: ignore[arg-type]
        if key:
            # The same number at about the same time (a row that already has it,
            # e.g. completed from this very call's record, comes first).
            direction = values["direction"]
            sql = ("SELECT call_id, source FROM calls WHERE number_key = ? "
                   "AND started_at BETWEEN ? AND ? "
                   "AND (direction IS NULL OR direction = 'unknown' OR ? IS NULL "
                   "OR direction = ?)")
            if strong:
                sql += " AND cdr_id IS NULL"
            sql += " ORDER BY abs(started_at - ?) LIMIT 1"
            row = conn.execute(sql, (key, t - window, t + window, direction, direction,
                                     t)).fetchone()
            if row is not None:
                return str(row[0]), str(row[1])
        if values["extension"]:
            # A Tekil call seen only as an extension status (no number yet): it
            # must have rung while the recorded call lasted.
            ended = values["ended_at"]
            end = float(ended) if ended is not None else t  # type: ignore[arg-type]
            slack = STATUS_MATCH_SLACK
            row = conn.execute(
                "SELECT call_id, source FROM calls WHERE number_key IS NULL AND extension = ? "
                "AND call_id LIKE 'ext-status:%' AND started_at BETWEEN ? AND ? "
                "AND coalesce(ended_at, started_at) >= ? "
                "ORDER BY abs(started_at - ?) LIMIT 1",
                (values["extension"], t - slack, end + slack, t - slack, t)).fetchone()
            if row is not None:
                return str(row[0]), str(row[1])
        return None

    def set_recording(self, call_id: str, recording: str) -> None:
        """Remember the recording of a call (found later in its call record)."""
        with self.write() as conn:
            conn.execute("UPDATE calls SET recording = ?, updated_at = ? WHERE call_id = ?",
                         (_text.clean(recording, 1000), time.time(), call_id))

    # ------------------------------------------------------------------ reading

    def get(self, call_id: str) -> JournalCall | None:
        row = (
            self._conn()
            .execute(f"SELECT {', '.join(FIELDS)} FROM calls WHERE call_id = ?", (call_id,))
            .fetchone()
        )
        if row is None:
            return None
        return JournalCall(**dict(zip(FIELDS, row, strict=True)))

    def resolve(self, any_id: str) -> JournalCall | None:
        """The call known under *any_id*: its own id, its PBX record id or an alias."""
        call = self.get(any_id)
        if call is not None:
            return call
        row = self._conn().execute(
            "SELECT call_id FROM call_aliases WHERE alias = ? "
            "UNION ALL SELECT call_id FROM calls WHERE cdr_id = ? LIMIT 1",
            (any_id, any_id)).fetchone()
        return None if row is None else self.get(str(row[0]))

    def history(
        self, number_key: str, limit: int = 5, *, exclude_call_id: str | None = None
    ) -> NumberHistory:
        """Earlier calls with *number_key*, newest first, without *exclude_call_id*."""
        if not number_key:
            return NumberHistory()
        exclude = exclude_call_id or ""
        with self.read() as conn:
            count, last_at = conn.execute(
                "SELECT count(*), max(started_at) FROM calls WHERE number_key = ? AND call_id != ?",
                (number_key, exclude),
            ).fetchone()
            rows = conn.execute(
                "SELECT started_at, direction, outcome, talk_seconds FROM calls "
                "WHERE number_key = ? AND call_id != ? "
                "ORDER BY started_at DESC LIMIT ?",
                (number_key, exclude, max(0, limit)),
            ).fetchall()
        recent = tuple(
            PastCall(
                at=float(at or 0.0),
                direction=str(direction or "unknown"),
                outcome=str(outcome or "unknown"),
                talk_seconds=int(talk or 0),
            )
            for at, direction, outcome, talk in rows
        )
        return NumberHistory(int(count), None if last_at is None else float(last_at), recent)

    def count(self, flt: HistoryFilter | None = None) -> int:
        where, params = where_clause(flt or HistoryFilter())
        return int(self._conn().execute(f"SELECT count(*) FROM calls{where}",
                                        params).fetchone()[0])

    def select_ids(self, flt: HistoryFilter | None = None,
                   limit: int | None = None) -> list[int]:
        """Row ids of the matching calls, newest first (feed them to :meth:`rows`).

        With *limit*, only the first ones: the scan of the index stops there
        (the history window's first page, see ``desktop.core.history_query``).
        """
        flt = flt or HistoryFilter()
        where, params = where_clause(flt)
        sql = f"SELECT rowid FROM {table_for(flt)}{where} ORDER BY started_at DESC, rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, max(0, limit)]
        return [r[0] for r in self._conn().execute(sql, params)]

    def rows(self, row_ids: Sequence[int]) -> list[HistoryRow]:
        """The calls with these row ids, in the order given (missing ones left out)."""
        found: dict[int, HistoryRow] = {}
        with self.read() as conn:
            for start in range(0, len(row_ids), CHUNK):
                chunk = list(row_ids[start:start + CHUNK])
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(
                        f"SELECT {ROW_COLUMNS} {ROW_FROM} WHERE c.rowid IN ({marks})", chunk):
                    item = history_row(row)
                    found[item.row_id] = item
        return [found[i] for i in row_ids if i in found]

    def history_rows(self, flt: HistoryFilter | None = None,
                     limit: int | None = None) -> list[HistoryRow]:
        """Matching calls, newest first (the command line's listing)."""
        where, params = where_clause(flt or HistoryFilter())
        sql = (f"SELECT {ROW_COLUMNS} {ROW_FROM} WHERE c.rowid IN "
               f"(SELECT rowid FROM calls{where}) ORDER BY c.started_at DESC, c.rowid DESC")
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, max(0, limit)]
        return [history_row(r) for r in self._conn().execute(sql, params)]

    def row_for(self, call_id: str) -> HistoryRow | None:
        row = self._conn().execute(
            f"SELECT {ROW_COLUMNS} {ROW_FROM} WHERE c.call_id = ?", (call_id,)).fetchone()
        return None if row is None else history_row(row)

    # ------------------------------------------------------------------ missed calls

    def unseen_missed_count(self) -> int:
        """Missed calls the agent has not seen yet (the tray's badge)."""
        return int(self._conn().execute(f"SELECT count(*) FROM {UNSEEN}").fetchone()[0])

    def unseen_missed_ids(self, limit: int = 1000) -> list[str]:
        return [str(r[0]) for r in self._conn().execute(
            f"SELECT call_id FROM {UNSEEN} ORDER BY started_at DESC LIMIT ?", (limit,))]

    def mark_missed_seen(self, call_ids: Iterable[str] | None = None) -> int:
        """Mark these missed calls (default: all) as seen; return how many changed."""
        with self.write() as conn:
            if call_ids is None:
                return conn.execute(
                    "UPDATE calls INDEXED BY calls_unseen_missed SET missed_seen = 1 "
                    "WHERE outcome = 'missed' AND missed_seen = 0").rowcount
            changed = 0
            ids = list(call_ids)
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start:start + CHUNK]
                marks = ", ".join("?" * len(chunk))
                changed += conn.execute(
                    f"UPDATE calls SET missed_seen = 1 WHERE outcome = 'missed' "
                    f"AND missed_seen = 0 AND call_id IN ({marks})", chunk).rowcount
            return changed

    # ------------------------------------------------------------------ notes

    def notes_for(self, number_key: str) -> str | None:
        """The agent's note on this number, if any."""
        if not number_key:
            return None
        row = (
            self._conn()
            .execute("SELECT text FROM number_notes WHERE number_key = ?", (number_key,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def set_note(self, number_key: str, text: str) -> None:
        """Set (or, with blank *text*, remove) the agent's note on a number."""
        if not number_key:
            raise JournalError("a note needs a number")
        note = _text.clean(text, MAX_NOTE, multiline=True)
        with self.write() as conn:
            if note:
                conn.execute(
                    "INSERT INTO number_notes (number_key, text, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(number_key) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (number_key, note, time.time()),
                )
            else:
                conn.execute("DELETE FROM number_notes WHERE number_key = ?", (number_key,))

    # ------------------------------------------------------------------ bookkeeping

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM journal_meta WHERE key = ?",
                                   (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT INTO journal_meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def last_seen_connected(self) -> float | None:
        """When the journal was last known complete (the line was connected)."""
        value = self.get_meta(LAST_SEEN_CONNECTED)
        try:
            return None if value is None else float(value)
        except ValueError:
            return None

    def set_last_seen_connected(self, when: float) -> None:
        self.set_meta(LAST_SEEN_CONNECTED, repr(float(when)))
