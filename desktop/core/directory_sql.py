"""The directory's SQLite schema, its migrations and the statements that write rows.

Shared by :class:`desktop.core.directory.Directory` and the bulk merge
(:mod:`desktop.core.directory_merge`); nothing here opens a connection or
a transaction - callers pass the connection of their write transaction.

Schema history:

1. contacts, numbers (raw, key, label), the FTS5 trigram search table.
2. ``numbers.ext``: the extension written with a public number.  Every
   stored number is parsed again with the extension-aware parser: forms
   such as ``0212 555 30 30 (103)`` (stored before as the wrong number
   ``+902125553030103``) or ``ext. 104`` (stored as a raw text key) get
   their real key and extension, and numbers that are not phone numbers
   at all (``+90 yok``) are removed - nothing unparseable stays a key.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from typing import Any

from desktop.core.contact_model import Contact, ContactDraft, ContactNumber, Row, prepare_row
from desktop.core.storage import run_script

log = logging.getLogger("kobikom.core.directory")

CONTACT_COLUMNS = "id, name, company, email, notes, source, external_id, created_at, updated_at"
#: Most ``?`` parameters in one statement (SQLite's old default limit is 999).
MAX_SQL_VARS = 900


# ------------------------------------------------------------------ schema
def schema_v1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE contacts (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT NOT NULL DEFAULT '',
            company     TEXT NOT NULL DEFAULT '',
            email       TEXT NOT NULL DEFAULT '',
            notes       TEXT NOT NULL DEFAULT '',
            source      TEXT NOT NULL DEFAULT 'local',
            external_id TEXT,
            -- hash of the contact's identity within its source (re-import, PBX sync)
            ident       INTEGER NOT NULL,
            -- hash of the stored content: tells "updated" from "unchanged"
            fingerprint INTEGER NOT NULL,
            -- search_fold(name or company): prefix search and sorting
            name_key    TEXT NOT NULL,
            created_at  REAL NOT NULL,
            updated_at  REAL NOT NULL
        );
        CREATE INDEX contacts_name_key ON contacts(name_key);
        CREATE INDEX contacts_source ON contacts(source);
        -- WITHOUT ROWID: the primary key is the table, so a number costs two
        -- B-tree entries (this and numbers_key), and numbers_key covers lookups.
        CREATE TABLE numbers (
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            pos        INTEGER NOT NULL,
            raw        TEXT NOT NULL,
            key        TEXT NOT NULL,
            label      TEXT NOT NULL DEFAULT 'other',
            PRIMARY KEY (contact_id, pos)
        ) WITHOUT ROWID;
        CREATE INDEX numbers_key ON numbers(key);
        -- rowid = contacts.id; text = folded name | company | number digits.
        -- Queried with LIKE only: no positions (detail) and no sizes (columnsize).
        CREATE VIRTUAL TABLE contact_search
            USING fts5(text, tokenize = 'trigram', detail = 'none', columnsize = 0);
        """,
    )


def schema_v2(conn: sqlite3.Connection) -> None:
    """Extensions: a column for them, and every stored number parsed again."""
    conn.execute("ALTER TABLE numbers ADD COLUMN ext TEXT NOT NULL DEFAULT ''")
    affected: set[int] = set()
    for cid, raw, key in conn.execute("SELECT contact_id, raw, key FROM numbers"):
        fresh = prepare_row(ContactDraft(numbers=(ContactNumber(raw, key),))).numbers
        if not fresh or fresh[0].key != key or fresh[0].extension:
            affected.add(int(cid))
    if not affected:
        return
    ids = sorted(affected)
    rows: list[tuple[int, Row]] = []
    for start in range(0, len(ids), MAX_SQL_VARS):
        for contact in load_contacts(conn, ids[start: start + MAX_SQL_VARS]):
            rows.append((contact.id, prepare_row(contact.draft(), contact.source)))
    replace_rows(conn, rows, keep_updated_at=True)
    log.info("schema 2: numbers of %d contacts parsed again (extensions, invalid keys)",
             len(rows))


MIGRATIONS = (schema_v1, schema_v2)


# ------------------------------------------------------------------ reading
def load_contacts(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Contact]:
    """Contacts by id, in the order of *ids* (missing ids are skipped)."""
    if not ids:
        return []
    rows: dict[int, tuple[Any, ...]] = {}
    numbers: dict[int, list[ContactNumber]] = {}
    for start in range(0, len(ids), MAX_SQL_VARS):
        chunk = list(ids[start: start + MAX_SQL_VARS])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            f"SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN ({marks})", chunk
        ):
            rows[int(row[0])] = tuple(row)
        for cid, raw, key, label, ext in conn.execute(
            f"SELECT contact_id, raw, key, label, ext FROM numbers "
            f"WHERE contact_id IN ({marks}) ORDER BY contact_id, pos",
            chunk,
        ):
            numbers.setdefault(int(cid), []).append(
                ContactNumber(raw, key, label, str(ext) or None))
    out: list[Contact] = []
    for cid in ids:
        row = rows.get(cid)
        if row is None:
            continue
        out.append(
            Contact(
                id=cid,
                name=str(row[1]),
                company=str(row[2]),
                numbers=tuple(numbers.get(cid, ())),
                email=str(row[3]),
                notes=str(row[4]),
                source=str(row[5]),
                external_id=None if row[6] is None else str(row[6]),
                created_at=float(row[7]),
                updated_at=float(row[8]),
            )
        )
    return out


# ------------------------------------------------------------------ writing
def next_id(conn: sqlite3.Connection) -> int:
    """The first fresh contact id (the caller holds the write lock; ids are never reused)."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0), "
        "coalesce((SELECT max(id) FROM contacts), 0))"
    ).fetchone()
    return int(row[0]) + 1


def insert_rows(conn: sqlite3.Connection, items: list[tuple[int, Row]], now: float) -> None:
    conn.executemany(
        "INSERT INTO contacts (id, name, company, email, notes, source, external_id, "
        "ident, fingerprint, name_key, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (cid, r.name, r.company, r.email, r.notes, r.source, r.external_id, r.ident,
             r.fingerprint, r.name_key, now, now)
            for cid, r in items
        ],
    )
    _insert_numbers(conn, items)


def _insert_numbers(conn: sqlite3.Connection, items: list[tuple[int, Row]]) -> None:
    conn.executemany(
        "INSERT INTO numbers (contact_id, pos, raw, key, label, ext) VALUES (?,?,?,?,?,?)",
        [
            (cid, pos, n.raw, n.key, n.label, n.extension or "")
            for cid, r in items
            for pos, n in enumerate(r.numbers)
        ],
    )
    conn.executemany(
        "INSERT INTO contact_search (rowid, text) VALUES (?, ?)",
        [(cid, r.search) for cid, r in items],
    )


def replace_rows(conn: sqlite3.Connection, items: list[tuple[int, Row]],
                 now: float | None = None, *, keep_updated_at: bool = False) -> None:
    """Rewrite contacts and their numbers (``updated_at`` = *now* unless kept)."""
    conn.executemany(
        "UPDATE contacts SET name = ?, company = ?, email = ?, notes = ?, source = ?, "
        "external_id = ?, ident = ?, fingerprint = ?, name_key = ?, "
        "updated_at = CASE WHEN ? THEN updated_at ELSE ? END WHERE id = ?",
        [
            (r.name, r.company, r.email, r.notes, r.source, r.external_id, r.ident,
             r.fingerprint, r.name_key, keep_updated_at, now, cid)
            for cid, r in items
        ],
    )
    ids = [(cid,) for cid, _r in items]
    conn.executemany("DELETE FROM numbers WHERE contact_id = ?", ids)
    conn.executemany("DELETE FROM contact_search WHERE rowid = ?", ids)
    _insert_numbers(conn, items)


def delete_rows(conn: sqlite3.Connection, contact_ids: Sequence[int]) -> int:
    ids = [(cid,) for cid in contact_ids]
    conn.executemany("DELETE FROM contact_search WHERE rowid = ?", ids)
    conn.executemany("DELETE FROM numbers WHERE contact_id = ?", ids)
    return conn.executemany("DELETE FROM contacts WHERE id = ?", ids).rowcount
