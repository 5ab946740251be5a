"""The call journal's tables (versioned migrations) and its write statements."""

from __future__ import annotations

import sqlite3

from desktop.core import text as _text
from desktop.core.journal_model import FIELDS
from desktop.core.storage import run_script

_UPDATABLE = [f for f in FIELDS if f not in ("call_id", "talk_seconds")]


def schema_v1(conn: sqlite3.Connection) -> None:
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


def schema_v2(conn: sqlite3.Connection) -> None:
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


def schema_v3(conn: sqlite3.Connection) -> None:
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
    columns = [*FIELDS, "started_at", "name_fold", "updated_at"]
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


UPSERT = _upsert_sql()

#: A record completes a live row: it never overrides what the event channel saw.
COMPLETE_LIVE = """
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
MARK_CALLED_BACK = """
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
UNSEEN = "calls INDEXED BY calls_unseen_missed WHERE outcome = 'missed' AND missed_seen = 0"


MIGRATIONS = (schema_v1, schema_v2, schema_v3)
