"""The call journal: every call this agent's extensions saw, kept locally.

A SQLite file (``AppPaths.journal_db``, WAL).  The app writes *before* it
shows (write-before-show): on every change of a tracked call it calls
:meth:`Journal.record` with what it knows so far, then updates the popup,
so a crash never loses a call the agent saw.  ``record`` is an upsert by
the PBX's call id that only overwrites the fields it is given (``None``
means "unknown, keep what is stored"); it costs well under a millisecond.

For the popup, :meth:`Journal.history` gives the earlier calls with the
same number (count, last time, the most recent few) and
:meth:`Journal.notes_for` the agent's own note on that number.

Designed to grow: ``source`` tells live rows (from the event channel) from
rows filled in later from the PBX's call records (``"cdr"``); a later
version will fill gaps from CDRs with the same upsert.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import time
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


#: Values a new row gets for fields the first record() did not give.
_NEW_ROW_DEFAULTS = {
    "outcome": "'unknown'",
    # max() of a NULL is NULL in SQLite: 0 until both times are known.
    "talk_seconds": "max(0, CAST(round(:ended_at - :answered_at) AS INTEGER)), 0",
    "source": "'live'",
}


def _upsert_sql() -> str:
    columns = [*_FIELDS, "started_at", "updated_at"]
    values = [
        f"coalesce(:{c}, {_NEW_ROW_DEFAULTS[c]})" if c in _NEW_ROW_DEFAULTS else f":{c}"
        for c in columns
    ]
    sets = [f"{c} = coalesce(:{c}, {c})" for c in _UPDATABLE]
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
_OPTIONAL_TEXT = {
    "extension": 32,
    "number_raw": _text.MAX_NUMBER,
    "number_key": _text.MAX_NUMBER,
    "called_raw": _text.MAX_NUMBER,
    "queue": _text.MAX_SHORT,
    "contact_name_at_time": _text.MAX_NAME,
    "recording": 1000,
}


class Journal(SQLiteStore):
    """The call journal in one SQLite file (see the module docstring)."""

    MIGRATIONS = (_schema_v1,)

    def record(self, call: JournalCall) -> None:
        """Insert or update *call* by ``call_id`` (fields that are None are kept)."""
        values = self._values(call)
        with self.write() as conn:
            conn.execute(_UPSERT, values)

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
        values["started_at"] = call.started_at
        values["updated_at"] = time.time()
        return values

    def get(self, call_id: str) -> JournalCall | None:
        row = (
            self._conn()
            .execute(f"SELECT {', '.join(_FIELDS)} FROM calls WHERE call_id = ?", (call_id,))
            .fetchone()
        )
        if row is None:
            return None
        return JournalCall(**dict(zip(_FIELDS, row, strict=True)))

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
