"""The call journal: every call this agent's extensions saw, kept locally.

A SQLite file (``AppPaths.journal_db``, WAL, ``synchronous=NORMAL``: a
committed call survives an app crash; only a power cut within the last WAL
checkpoint window could lose the latest rows, which the next start-up's gap
filling from the PBX's call records brings back).  The app writes *before* it
shows (write-before-show): on every change of a tracked call it calls
:meth:`Journal.record` with what it knows so far, then updates the popup, so
a crash never loses a call the agent saw.  ``record`` is an upsert by the
PBX's call id that only overwrites the fields it is given (``None`` means
"unknown, keep what is stored"); it costs well under a millisecond.

For the popup, :meth:`Journal.history` gives the earlier calls with the
same number (count, last time, the most recent few) and
:meth:`Journal.notes_for` the agent's own note on that number.

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

Every id that was merged into a row is kept as an alias, so fetching the
same records again changes nothing.  A live row is only *completed* by a
record (a missing outcome, end, talk time or recording); a row that came
from records is updated by newer records.

Missed calls: ``missed_seen`` is 0 until the agent sees the call (opens
the history, dismisses its popup, or calls the number back);
:meth:`unseen_missed_count` is the single source of truth for the tray's
badge (it survives restarts and includes gap-filled calls).  When an
outgoing call to a number is journaled, the earlier missed calls from it
are marked called back (``called_back_at``).

The history window reads through :meth:`select_ids` (every matching row id
in display order: one indexed query, run off the GUI thread) and
:meth:`rows` (one page of rows by id, well under a millisecond).
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.core import text as _text
from desktop.core.caller_card import CardOutcome, PastCall
from desktop.core.numbers import NumberKind, parse_number
from desktop.core.storage import SQLiteStore, run_script

log = logging.getLogger("kobikom.core.journal")

OUTCOMES = frozenset(o.value for o in CardOutcome)
DIRECTIONS = frozenset({"inbound", "outbound", "local", "unknown"})
SOURCES = frozenset({"live", "cdr"})
MAX_NOTE = _text.MAX_NOTES
#: Records of the same number this close in time may be the same call (s).
MATCH_WINDOW = 60.0
#: ``journal_meta`` key: when the app last knew the journal was complete.
LAST_SEEN_CONNECTED = "last_seen_connected"
#: SQLite's default limit of host parameters is 999 (older builds): stay below.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class JournalCall:
    """What is known about one call; ``None`` fields are left as stored.

    ``number_key`` is derived from ``number_raw`` when not given.
    ``talk_seconds`` is derived from ``answered_at``/``ended_at`` when not
    given.  Times are wall-clock seconds (``time.time()``).
    """

    call_id: str
    extension: str | None = None
    direction: str | None = None  # inbound / outbound / local / unknown
    number_raw: str | None = None  # the other party as the PBX sent it
    number_key: str | None = None
    called_raw: str | None = None  # the DID / number the caller dialled
    queue: str | None = None
    contact_name_at_time: str | None = None
    ringing_at: float | None = None
    answered_at: float | None = None
    ended_at: float | None = None
    outcome: str | None = None  # a CardOutcome value
    talk_seconds: int | None = None
    source: str | None = None  # "live" (default for new rows) or "cdr"
    recording: str | None = None
    #: The PBX's call-record id once a record was merged (None: none yet).
    cdr_id: str | None = None

    @property
    def started_at(self) -> float | None:
        times = [t for t in (self.ringing_at, self.answered_at, self.ended_at) if t is not None]
        return min(times) if times else None


@dataclass(frozen=True, slots=True)
class NumberHistory:
    """Earlier calls with one number, for the popup."""

    count: int = 0
    last_at: float | None = None
    recent: tuple[PastCall, ...] = ()


@dataclass(frozen=True, slots=True)
class CdrEntry:
    """One call rebuilt from the PBX's records, for :meth:`Journal.merge_cdr`.

    ``call.call_id`` is the record's id; ``strong`` says it is the PBX's own
    call id (not one made up from the row's fields); with ``insert=False``
    the entry only completes a matching row and is dropped otherwise.
    """

    call: JournalCall
    strong: bool = True
    insert: bool = True


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What :meth:`Journal.merge_cdr` did."""

    added: int = 0
    merged: int = 0
    skipped: int = 0
    #: Call ids of the rows that were added (for notifications).
    added_ids: tuple[str, ...] = ()


class HistoryKind(enum.Enum):
    """The history window's direction/outcome filter."""

    ALL = "all"
    MISSED = "missed"
    INBOUND = "inbound"
    OUTBOUND = "outbound"


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which calls the history shows.

    ``text`` matches any part of the number (digits; a leading ``0``/``+90``
    is ignored) or, word by word and Turkish-folded, the contact name
    recorded with the call; ``extra_keys`` adds numbers (e.g. of directory
    contacts whose current name matches ``text``).  ``since``/``until`` are
    wall-clock seconds (``until`` exclusive).
    """

    kind: HistoryKind = HistoryKind.ALL
    since: float | None = None
    until: float | None = None
    text: str = ""
    extra_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One call as the history window and ``kobikom-desktop history`` show it."""

    row_id: int
    call_id: str
    started_at: float | None
    direction: str
    number_raw: str | None
    number_key: str | None
    contact_name: str | None
    extension: str | None
    queue: str | None
    outcome: str
    talk_seconds: int
    recording: str | None
    source: str
    missed_seen: bool
    called_back_at: float | None
    note: str | None
    ended_at: float | None = None

    @property
    def is_missed(self) -> bool:
        return self.outcome == CardOutcome.MISSED.value

    @property
    def is_new_missed(self) -> bool:
        return self.is_missed and not self.missed_seen

    def to_json(self) -> dict[str, object]:
        return {
            "call_id": self.call_id, "started_at": self.started_at,
            "direction": self.direction, "number": self.number_raw,
            "number_key": self.number_key, "contact": self.contact_name,
            "extension": self.extension, "queue": self.queue, "outcome": self.outcome,
            "talk_seconds": self.talk_seconds, "recording": bool(self.recording),
            "source": self.source, "new": self.is_new_missed,
            "called_back_at": self.called_back_at, "note": self.note,
        }


class JournalError(ValueError):
    """A value the journal does not accept (the message says which)."""


_FIELDS = [f.name for f in dataclasses.fields(JournalCall)]
_UPDATABLE = [f for f in _FIELDS if f not in ("call_id", "talk_seconds")]


def _schema_v1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE calls (
            call_id              TEXT PRIMARY KEY,
            extension            TEXT,
            direction            TEXT,
            number_raw           TEXT,
            number_key           TEXT,
            called_raw           TEXT,
            queue                TEXT,
            contact_name_at_time TEXT,
            ringing_at           REAL,
            answered_at          REAL,
            ended_at             REAL,
            -- the earliest known of ringing/answered/ended: the call's time
            started_at           REAL,
            outcome              TEXT NOT NULL DEFAULT 'unknown',
            talk_seconds         INTEGER NOT NULL DEFAULT 0,
            source               TEXT NOT NULL DEFAULT 'live',
            recording            TEXT,
            updated_at           REAL NOT NULL
        );
        CREATE INDEX calls_number ON calls(number_key, started_at);
        CREATE INDEX calls_started ON calls(started_at);
        CREATE TABLE number_notes (
            number_key TEXT PRIMARY KEY,
            text       TEXT NOT NULL,
            updated_at REAL NOT NULL
        );
        """,
    )


def _schema_v2(conn: sqlite3.Connection) -> None:
    """Gap filling, missed calls and the history window (issue 5)."""
    run_script(
        conn,
        """
        ALTER TABLE calls ADD COLUMN cdr_id TEXT;
        ALTER TABLE calls ADD COLUMN name_fold TEXT;
        ALTER TABLE calls ADD COLUMN missed_seen INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE calls ADD COLUMN called_back_at REAL;
        -- calls journaled before this version are not "new" missed calls
        UPDATE calls SET missed_seen = 1;
        CREATE UNIQUE INDEX calls_cdr_id ON calls(cdr_id) WHERE cdr_id IS NOT NULL;
        CREATE INDEX calls_outcome ON calls(outcome, started_at);
        CREATE INDEX calls_direction ON calls(direction, started_at);
        CREATE INDEX calls_unseen_missed ON calls(number_key)
            WHERE outcome = 'missed' AND missed_seen = 0;
        CREATE TABLE call_aliases (
            alias   TEXT PRIMARY KEY,
            call_id TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE journal_meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )
    rows = conn.execute(
        "SELECT rowid, contact_name_at_time FROM calls WHERE contact_name_at_time IS NOT NULL"
    ).fetchall()
    conn.executemany("UPDATE calls SET name_fold = ? WHERE rowid = ?",
                     [(_text.search_fold(name), rowid) for rowid, name in rows])


def _schema_v3(conn: sqlite3.Connection) -> None:
    """Searching names and numbers reads this index only, newest first.

    (``IF NOT EXISTS``: development builds of schema 2 already had it.)
    """
    conn.execute("CREATE INDEX IF NOT EXISTS calls_search "
                 "ON calls(started_at, number_key, name_fold)")


#: Values a new row gets for fields the first record() did not give.
_NEW_ROW_DEFAULTS = {
    "outcome": "'unknown'",
    # max() of a NULL is NULL in SQLite: 0 until both times are known.
    "talk_seconds": "max(0, CAST(round(:ended_at - :answered_at) AS INTEGER)), 0",
    "source": "'live'",
}


def _upsert_sql() -> str:
    columns = [*_FIELDS, "started_at", "name_fold", "updated_at"]
    values = [
        f"coalesce(:{c}, {_NEW_ROW_DEFAULTS[c]})" if c in _NEW_ROW_DEFAULTS else f":{c}"
        for c in columns
    ]
    sets = [f"{c} = coalesce(:{c}, {c})" for c in [*_UPDATABLE, "name_fold"]]
    sets.append(
        "started_at = min(coalesce(:started_at, started_at), coalesce(started_at, :started_at))"
    )
    # An explicit talk time wins; else derive it once both times are known.
    sets.append(
        "talk_seconds = coalesce(:talk_seconds, CASE "
        "WHEN coalesce(:answered_at, answered_at) IS NOT NULL "
        "AND coalesce(:ended_at, ended_at) IS NOT NULL "
        "THEN max(0, CAST(round(coalesce(:ended_at, ended_at) "
        "- coalesce(:answered_at, answered_at)) AS INTEGER)) "
        "ELSE talk_seconds END)"
    )
    sets.append("updated_at = :updated_at")
    return (
        f"INSERT INTO calls ({', '.join(columns)}) VALUES ({', '.join(values)}) "
        f"ON CONFLICT(call_id) DO UPDATE SET {', '.join(sets)}"
    )


_UPSERT = _upsert_sql()

#: A record completes a live row: it never overrides what the event channel saw.
_COMPLETE_LIVE = """
UPDATE calls SET
    outcome = CASE WHEN outcome = 'unknown' THEN coalesce(:outcome, outcome) ELSE outcome END,
    talk_seconds = CASE WHEN talk_seconds = 0 THEN coalesce(:talk_seconds, 0)
                        ELSE talk_seconds END,
    direction = CASE WHEN direction IS NULL OR direction = 'unknown'
                     THEN coalesce(:direction, direction) ELSE direction END,
    recording = coalesce(recording, :recording),
    queue = coalesce(queue, :queue),
    called_raw = coalesce(called_raw, :called_raw),
    extension = coalesce(extension, :extension),
    number_raw = coalesce(number_raw, :number_raw),
    number_key = coalesce(number_key, :number_key),
    ended_at = coalesce(ended_at, :ended_at),
    started_at = coalesce(started_at, :started_at),
    contact_name_at_time = coalesce(contact_name_at_time, :contact_name_at_time),
    name_fold = coalesce(name_fold, :name_fold),
    cdr_id = coalesce(cdr_id, :cdr_id),
    updated_at = :updated_at
WHERE call_id = :target
"""

#: Earlier missed calls from a number that was later called: called back.
#: (``+column`` keeps SQLite on the number index, a handful of rows, instead of
#: the outcome/direction indexes, thousands.)
_MARK_CALLED_BACK = """
UPDATE calls SET
    called_back_at = (SELECT min(o.started_at) FROM calls o
                      WHERE o.number_key = calls.number_key AND +o.direction = 'outbound'
                        AND o.started_at > calls.started_at),
    missed_seen = 1
WHERE number_key = :key AND +outcome = 'missed' AND called_back_at IS NULL
  AND started_at IS NOT NULL
  AND EXISTS (SELECT 1 FROM calls o
              WHERE o.number_key = calls.number_key AND +o.direction = 'outbound'
                AND o.started_at > calls.started_at)
"""
#: The unseen missed calls, through their small partial index.
_UNSEEN = "calls INDEXED BY calls_unseen_missed WHERE outcome = 'missed' AND missed_seen = 0"

_OPTIONAL_TEXT = {
    "extension": 32,
    "number_raw": _text.MAX_NUMBER,
    "number_key": _text.MAX_NUMBER,
    "called_raw": _text.MAX_NUMBER,
    "queue": _text.MAX_SHORT,
    "contact_name_at_time": _text.MAX_NAME,
    "recording": 1000,
    "cdr_id": _text.MAX_SHORT,
}

_ROW_COLUMNS = (
    "c.rowid, c.call_id, c.started_at, c.direction, c.number_raw, c.number_key, "
    "c.contact_name_at_time, c.extension, c.queue, c.outcome, c.talk_seconds, c.recording, "
    "c.source, c.missed_seen, c.called_back_at, n.text, c.ended_at"
)
_ROW_FROM = "FROM calls c LEFT JOIN number_notes n ON n.number_key = c.number_key"
_NOT_DIGIT = re.compile(r"\D")
#: What a typed number looks like: digits and the usual separators.
_NUMBERISH = re.compile(r"^[\d\s()+\-./]+$")


def _history_row(row: Sequence[object]) -> HistoryRow:
    (rowid, call_id, started, direction, raw, key, name, ext, queue, outcome, talk,
     recording, source, seen, called_back, note, ended) = row
    return HistoryRow(
        row_id=int(rowid),  # type: ignore[call-overload]
        call_id=str(call_id),
        started_at=None if started is None else float(started),  # type: ignore[arg-type]
        direction=str(direction or "unknown"),
        number_raw=None if raw is None else str(raw),
        number_key=None if key is None else str(key),
        contact_name=None if name is None else str(name),
        extension=None if ext is None else str(ext),
        queue=None if queue is None else str(queue),
        outcome=str(outcome or "unknown"),
        talk_seconds=int(talk or 0),  # type: ignore[call-overload]
        recording=None if not recording else str(recording),
        source=str(source or "live"),
        missed_seen=bool(seen),
        called_back_at=None if called_back is None else float(called_back),  # type: ignore[arg-type]
        note=None if note is None else str(note),
        ended_at=None if ended is None else float(ended),  # type: ignore[arg-type]
    )


def number_fragment(text: str) -> str | None:
    """The digits to look for inside stored numbers, or None if *text* is no number.

    Leading zeros (``0`` trunk prefix, ``00`` international prefix) are
    dropped, so ``0532 12`` finds ``+90532 12…`` and ``1001`` an extension.
    """
    cleaned = text.strip()
    digits = _NOT_DIGIT.sub("", cleaned)
    if len(digits) < 2 or not _NUMBERISH.match(cleaned):
        return None
    stripped = digits.lstrip("0")
    return stripped if len(stripped) >= 2 else digits


def _source(flt: HistoryFilter) -> str:
    """The table to read: a text search over all calls scans the covering index
    (newest first, no table lookups: 3x faster than SQLite's own choice)."""
    if flt.kind is HistoryKind.ALL and (flt.text.strip() or flt.extra_keys):
        return "calls INDEXED BY calls_search"
    return "calls"


def _where(flt: HistoryFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.kind is HistoryKind.MISSED:
        clauses.append("outcome = 'missed'")
    elif flt.kind is HistoryKind.INBOUND:
        clauses.append("direction = 'inbound'")
    elif flt.kind is HistoryKind.OUTBOUND:
        clauses.append("direction = 'outbound'")
    if flt.since is not None:
        clauses.append("started_at >= ?")
        params.append(flt.since)
    if flt.until is not None:
        clauses.append("started_at < ?")
        params.append(flt.until)
    text = _text.clean(flt.text, 100)
    if text or flt.extra_keys:
        alternatives: list[str] = []
        fragment = number_fragment(text) if text else None
        if fragment is not None:
            alternatives.append("instr(number_key, ?) > 0")
            params.append(fragment)
        words = _text.search_fold(text).split() if text else []
        if words:
            alternatives.append("(" + " AND ".join("instr(name_fold, ?) > 0" for _ in words)
                                + ")")
            params.extend(words)
        keys = list(dict.fromkeys(k for k in flt.extra_keys if k))[:_CHUNK]
        if keys:
            alternatives.append(f"number_key IN ({', '.join('?' * len(keys))})")
            params.extend(keys)
        clauses.append("(" + (" OR ".join(alternatives) or "0") + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class Journal(SQLiteStore):
    """The call journal in one SQLite file (see the module docstring)."""

    MIGRATIONS = (_schema_v1, _schema_v2, _schema_v3)

    # ------------------------------------------------------------------ writing

    def record(self, call: JournalCall) -> None:
        """Insert or update *call* by ``call_id`` (fields that are None are kept)."""
        values = self._values(call)
        with self.write() as conn:
            conn.execute(_UPSERT, values)
            if call.direction == "outbound" or call.outcome == CardOutcome.MISSED.value:
                self._mark_called_back(conn, values["call_id"])

    def record_many(self, calls: Iterable[JournalCall]) -> int:
        """:meth:`record` for many calls in one transaction (imports, tests, benchmarks)."""
        rows = [self._values(call) for call in calls]
        with self.write() as conn:
            conn.executemany(_UPSERT, rows)
            keys = {r["number_key"] for r in rows
                    if r["direction"] == "outbound" or r["outcome"] == "missed"}
            for key in keys:
                if key:
                    conn.execute(_MARK_CALLED_BACK, {"key": key})
        return len(rows)

    @staticmethod
    def _mark_called_back(conn: sqlite3.Connection, call_id: object) -> None:
        row = conn.execute("SELECT number_key FROM calls WHERE call_id = ?",
                           (call_id,)).fetchone()
        if row is not None and row[0]:
            conn.execute(_MARK_CALLED_BACK, {"key": row[0]})

    @staticmethod
    def _values(call: JournalCall) -> dict[str, object]:
        call_id = _text.clean(call.call_id, _text.MAX_SHORT)
        if not call_id:
            raise JournalError("a journal entry needs a call id")
        if call.direction is not None and call.direction not in DIRECTIONS:
            raise JournalError(f"unknown direction {call.direction!r}")
        if call.outcome is not None and call.outcome not in OUTCOMES:
            raise JournalError(f"unknown outcome {call.outcome!r}")
        if call.source is not None and call.source not in SOURCES:
            raise JournalError(f"unknown source {call.source!r}")
        values: dict[str, object] = {f: getattr(call, f) for f in _FIELDS}
        values["call_id"] = call_id
        for name, limit in _OPTIONAL_TEXT.items():
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
                  seen: bool = False) -> MergeReport:
        """Merge calls rebuilt from the PBX's records (see the module docstring).

        Idempotent: merging the same entries again changes nothing.  With
        *seen*, added missed calls are not "new" (a first import of old
        history).  One write transaction for all entries.
        """
        added: list[str] = []
        merged = skipped = 0
        with self.write() as conn:
            for entry in entries:
                values = self._values(entry.call)
                values["source"] = "cdr"
                if entry.strong and values["cdr_id"] is None:
                    values["cdr_id"] = values["call_id"]
                if not entry.strong:
                    values["cdr_id"] = None
                target = self._match(conn, values, entry.strong, window)
                if target is None:
                    if not entry.insert:
                        skipped += 1
                        continue
                    conn.execute(_UPSERT, values)
                    if seen:
                        conn.execute("UPDATE calls SET missed_seen = 1 WHERE call_id = ?",
                                     (values["call_id"],))
                    added.append(str(values["call_id"]))
                    target_id = str(values["call_id"])
                else:
                    target_id, source = target
                    if source == "cdr":
                        conn.execute(_UPSERT, {**values, "call_id": target_id,
                                               "cdr_id": None if not entry.strong
                                               else values["cdr_id"]})
                    else:
                        conn.execute(_COMPLETE_LIVE, {**values, "target": target_id})
                    merged += 1
                if values["call_id"] != target_id:
                    conn.execute("INSERT OR IGNORE INTO call_aliases (alias, call_id) "
                                 "VALUES (?, ?)", (values["call_id"], target_id))
                if values["direction"] == "outbound" or values["outcome"] == "missed":
                    self._mark_called_back(conn, target_id)
        return MergeReport(len(added), merged, skipped, tuple(added))

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
        if values["extension"]:
            # A Tekil call seen only as an extension status (no number yet).
            row = conn.execute(
                "SELECT call_id, source FROM calls WHERE number_key IS NULL AND extension = ? "
                "AND call_id LIKE 'ext-status:%' AND started_at BETWEEN ? AND ? "
                "ORDER BY abs(started_at - ?) LIMIT 1",
                (values["extension"], t - window, t + window, t)).fetchone()
            if row is not None:
                return str(row[0]), str(row[1])
        if not key:
            return None
        direction = values["direction"]
        sql = ("SELECT call_id, source FROM calls WHERE number_key = ? "
               "AND started_at BETWEEN ? AND ? "
               "AND (direction IS NULL OR direction = 'unknown' OR ? IS NULL OR direction = ?)")
        if strong:
            sql += " AND cdr_id IS NULL"
        sql += " ORDER BY abs(started_at - ?) LIMIT 1"
        row = conn.execute(sql, (key, t - window, t + window, direction, direction,
                                 t)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def set_recording(self, call_id: str, recording: str) -> None:
        """Remember the recording of a call (found later in its call record)."""
        with self.write() as conn:
            conn.execute("UPDATE calls SET recording = ?, updated_at = ? WHERE call_id = ?",
                         (_text.clean(recording, 1000), time.time(), call_id))

    # ------------------------------------------------------------------ reading

    def get(self, call_id: str) -> JournalCall | None:
        row = (
            self._conn()
            .execute(f"SELECT {', '.join(_FIELDS)} FROM calls WHERE call_id = ?", (call_id,))
            .fetchone()
        )
        if row is None:
            return None
        return JournalCall(**dict(zip(_FIELDS, row, strict=True)))

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
        where, params = _where(flt or HistoryFilter())
        return int(self._conn().execute(f"SELECT count(*) FROM calls{where}",
                                        params).fetchone()[0])

    def select_ids(self, flt: HistoryFilter | None = None,
                   limit: int | None = None) -> list[int]:
        """Row ids of the matching calls, newest first (feed them to :meth:`rows`).

        With *limit*, only the first ones: the scan of the index stops there
        (the history window's first page, see ``desktop.core.history_query``).
        """
        flt = flt or HistoryFilter()
        where, params = _where(flt)
        sql = f"SELECT rowid FROM {_source(flt)}{where} ORDER BY started_at DESC, rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, max(0, limit)]
        return [r[0] for r in self._conn().execute(sql, params)]

    def rows(self, row_ids: Sequence[int]) -> list[HistoryRow]:
        """The calls with these row ids, in the order given (missing ones left out)."""
        found: dict[int, HistoryRow] = {}
        with self.read() as conn:
            for start in range(0, len(row_ids), _CHUNK):
                chunk = list(row_ids[start:start + _CHUNK])
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(
                        f"SELECT {_ROW_COLUMNS} {_ROW_FROM} WHERE c.rowid IN ({marks})", chunk):
                    item = _history_row(row)
                    found[item.row_id] = item
        return [found[i] for i in row_ids if i in found]

    def history_rows(self, flt: HistoryFilter | None = None,
                     limit: int | None = None) -> list[HistoryRow]:
        """Matching calls, newest first (the command line's listing)."""
        where, params = _where(flt or HistoryFilter())
        sql = (f"SELECT {_ROW_COLUMNS} {_ROW_FROM} WHERE c.rowid IN "
               f"(SELECT rowid FROM calls{where}) ORDER BY c.started_at DESC, c.rowid DESC")
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, max(0, limit)]
        return [_history_row(r) for r in self._conn().execute(sql, params)]

    def row_for(self, call_id: str) -> HistoryRow | None:
        row = self._conn().execute(
            f"SELECT {_ROW_COLUMNS} {_ROW_FROM} WHERE c.call_id = ?", (call_id,)).fetchone()
        return None if row is None else _history_row(row)

    # ------------------------------------------------------------------ missed calls

    def unseen_missed_count(self) -> int:
        """Missed calls the agent has not seen yet (the tray's badge)."""
        return int(self._conn().execute(f"SELECT count(*) FROM {_UNSEEN}").fetchone()[0])

    def unseen_missed_ids(self, limit: int = 1000) -> list[str]:
        return [str(r[0]) for r in self._conn().execute(
            f"SELECT call_id FROM {_UNSEEN} ORDER BY started_at DESC LIMIT ?", (limit,))]

    def mark_missed_seen(self, call_ids: Iterable[str] | None = None) -> int:
        """Mark these missed calls (default: all) as seen; return how many changed."""
        with self.write() as conn:
            if call_ids is None:
                return conn.execute(
                    "UPDATE calls INDEXED BY calls_unseen_missed SET missed_seen = 1 "
                    "WHERE outcome = 'missed' AND missed_seen = 0").rowcount
            changed = 0
            ids = list(call_ids)
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
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
