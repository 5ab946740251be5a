"""The SMS outbox: every message is written down before anything is sent.

A SQLite file (``AppPaths.outbox_db``, WAL, :mod:`desktop.core.storage`).
A message gets its own id when the agent presses Send and is stored in
state ``queued``; every later state change is an atomic, conditional update
(``… WHERE state IN (expected)``) plus a row in ``events``, so two senders
(the app and a ``kobikom-desktop sms send``) can never both send one
message, and the history of each message can be shown and audited::

    queued ──► sending ──► sent ──► delivered
      ▲  │        │          └────► failed (the operator could not deliver)
      │  │        ├──► failed      (refused by the server: nothing was sent)
      │  │        ├──► queued      (nothing went out: no network, bad token)
      │  │        └──► unknown ──► sent (the provider has it)
      │  │                  └────► needs_agent ──► queued ("Send again")
      │  └──► cancelled                     └────► cancelled ("Don't send")
      └──────────── failed ("Retry")

``unknown`` is an ambiguous send (timeout or connection lost after the
request went out, a 5xx): it is never resent automatically; the sender asks
the provider first (:mod:`desktop.core.sms_sender`).  For that, each attempt
stores the provider's message ids listed right before it
(:meth:`SmsOutbox.listed_before`), the provider's clock offset and when the
request gave up; a provider id can confirm only one message of the outbox
(:meth:`SmsOutbox.transition` refuses a second).

``next_at`` says when the sender should look at a message again (send a
queued one, check an unknown one, poll a sent one's delivery); ``None``
means nothing is left to do.  ``call_id`` links a message to the call it
was sent about; :meth:`SmsOutbox.for_call` is what the call history shows.

Templates and a few remembered values (the last sender title) live in the
same file.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from desktop.core import text as _text
from desktop.core.numbers import NumberKind, PhoneNumber, parse_number
from desktop.core.sms_text import (
    DEFAULT_TEMPLATES,
    MAX_PARTS,
    count_sms,
    prepare_text,
    unfilled_placeholders,
)
from desktop.core.storage import SQLiteStore, run_script

log = logging.getLogger("kobikom.core.sms_outbox")

#: Longest text we store (characters); far above MAX_PARTS parts.
MAX_TEXT: Final = 2000
MAX_SENDER: Final = 64
#: libphonenumber types that cannot receive an SMS.
_NO_SMS_TYPES: Final = frozenset({"FIXED_LINE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST",
                                  "UAN", "VOICEMAIL"})


class SmsState(enum.Enum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NEEDS_AGENT = "needs_agent"
    CANCELLED = "cancelled"

    @property
    def final(self) -> bool:
        return self in (SmsState.DELIVERED, SmsState.FAILED, SmsState.CANCELLED)


class OutboxError(ValueError):
    """A message the outbox does not accept (the message says why, in plain words)."""


class InvalidRecipient(OutboxError):
    """A recipient that cannot receive an SMS."""

    def __init__(self, message: str, raw: str) -> None:
        super().__init__(message)
        self.raw = raw


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message in the outbox (one recipient)."""

    id: str
    created_at: float
    updated_at: float
    state: SmsState
    to_raw: str
    to_key: str
    #: The digits we send as ``to`` (``905321234567``).
    to_send: str
    text: str
    sender: str
    encoding: str
    parts: int
    call_id: str | None = None
    contact_name: str | None = None
    source: str = ""
    batch: str | None = None
    provider_id: str | None = None
    provider_status: str | None = None
    #: Which API (``"new https://sms.kobikom.com.tr"``) sent it.
    api: str | None = None
    attempts: int = 0
    sending_at: float | None = None
    sent_at: float | None = None
    delivered_at: float | None = None
    next_at: float | None = None
    checks: int = 0
    #: The last problem or reason, in plain words (shown to the agent).
    error: str | None = None
    #: When the provider's messages to this number were listed right before
    #: the last attempt (None: no list, so an unconfirmed send cannot be tied
    #: to any of them); the ids listed are :meth:`SmsOutbox.listed_before`.
    listed_at: float | None = None
    #: The provider's clock minus ours at that moment (s; None: unknown).
    clock_offset: float | None = None
    #: When the last attempt's request ended without an answer (None: still
    #: open, or interrupted by a crash).
    attempt_ended_at: float | None = None

    @property
    def number(self) -> PhoneNumber:
        return parse_number(self.to_key)


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    at: float
    state: SmsState
    detail: str


@dataclass(frozen=True, slots=True)
class Template:
    id: int
    title: str
    body: str


_FIELDS: Final = [f.name for f in dataclasses.fields(OutboxMessage)]
_COLUMNS: Final = ", ".join(_FIELDS)


def _schema_v1(conn: sqlite3.Connection) -> None:
    run_script(conn, """
        CREATE TABLE messages (
            id               TEXT PRIMARY KEY,
            created_at       REAL NOT NULL,
            updated_at       REAL NOT NULL,
            state            TEXT NOT NULL,
            to_raw           TEXT NOT NULL,
            to_key           TEXT NOT NULL,
            to_send          TEXT NOT NULL,
            text             TEXT NOT NULL,
            sender           TEXT NOT NULL,
            encoding         TEXT NOT NULL,
            parts            INTEGER NOT NULL,
            call_id          TEXT,
            contact_name     TEXT,
            source           TEXT NOT NULL DEFAULT '',
            batch            TEXT,
            provider_id      TEXT,
            provider_status  TEXT,
            api              TEXT,
            attempts         INTEGER NOT NULL DEFAULT 0,
            sending_at       REAL,
            sent_at          REAL,
            delivered_at     REAL,
            next_at          REAL,
            checks           INTEGER NOT NULL DEFAULT 0,
            error            TEXT
        );
        CREATE INDEX messages_next ON messages(next_at) WHERE next_at IS NOT NULL;
        CREATE INDEX messages_call ON messages(call_id) WHERE call_id IS NOT NULL;
        CREATE INDEX messages_created ON messages(created_at);
        CREATE INDEX messages_to ON messages(to_key, created_at);
        CREATE TABLE events (
            id          INTEGER PRIMARY KEY,
            message_id  TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            at          REAL NOT NULL,
            state       TEXT NOT NULL,
            detail      TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX events_message ON events(message_id, at);
        CREATE TABLE templates (
            id        INTEGER PRIMARY KEY,
            position  INTEGER NOT NULL,
            title     TEXT NOT NULL,
            body      TEXT NOT NULL
        );
        CREATE TABLE kv (
            key    TEXT PRIMARY KEY,
            value  TEXT NOT NULL
        );
    """)
    for position, (title, body) in enumerate(DEFAULT_TEMPLATES):
        conn.execute("INSERT INTO templates (position, title, body) VALUES (?, ?, ?)",
                     (position, title, body))


def _schema_v2(conn: sqlite3.Connection) -> None:
    """Exactly-once confirmation (issue 11): what the provider had before an attempt."""
    run_script(conn, """
        ALTER TABLE messages ADD COLUMN listed_at REAL;
        ALTER TABLE messages ADD COLUMN clock_offset REAL;
        ALTER TABLE messages ADD COLUMN attempt_ended_at REAL;
        CREATE TABLE listed_before (
            message_id   TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            provider_id  TEXT NOT NULL,
            PRIMARY KEY (message_id, provider_id)
        ) WITHOUT ROWID;
        CREATE INDEX messages_provider ON messages(provider_id) WHERE provider_id IS NOT NULL;
    """)


def sms_recipient(raw: str) -> PhoneNumber:
    """*raw* as an SMS recipient, or :class:`InvalidRecipient` saying why not."""
    number = parse_number(raw)
    shown = raw.strip() or "(empty)"
    if number.kind is NumberKind.INTERNAL:
        raise InvalidRecipient(f"{shown} is an internal number; an SMS needs a mobile number",
                               raw)
    if number.kind is not NumberKind.EXTERNAL or number.e164 is None:
        raise InvalidRecipient(f"{shown} is not a phone number", raw)
    if number.number_type in _NO_SMS_TYPES:
        raise InvalidRecipient(f"{number.display()} cannot receive SMS (not a mobile number)",
                               raw)
    return number


def validate_text(text: str) -> str:
    """The text to send (see :func:`prepare_text`) or :class:`OutboxError`."""
    prepared = prepare_text(text)
    if not prepared:
        raise OutboxError("the message is empty")
    blanks = unfilled_placeholders(prepared)
    if blanks:
        raise OutboxError(f"fill in {', '.join(blanks)} before sending")
    if len(prepared) > MAX_TEXT or count_sms(prepared).too_long:
        raise OutboxError(f"the message is too long (at most {MAX_PARTS} SMS)")
    return prepared


class SmsOutbox(SQLiteStore):
    """The outbox in one SQLite file (see the module docstring)."""

    MIGRATIONS = (_schema_v1, _schema_v2)

    # -- writing new messages ------------------------------------------------

    def enqueue(self, recipients: Sequence[str], text: str, sender: str, *,
                call_id: str | None = None, contact_name: str | None = None,
                source: str = "", now: float | None = None) -> list[OutboxMessage]:
        """Store one ``queued`` message per recipient (all or nothing) and return them.

        Raises :class:`InvalidRecipient` / :class:`OutboxError`: nothing is
        stored then.  Duplicate recipients (the same number twice) are sent once.
        """
        body = validate_text(text)
        title = _text.clean(sender, MAX_SENDER)
        if not title:
            raise OutboxError("choose a sender title")
        numbers: list[tuple[str, PhoneNumber]] = []
        seen: set[str] = set()
        for raw in recipients:
            number = sms_recipient(raw)
            if number.key not in seen:
                seen.add(number.key)
                numbers.append((raw, number))
        if not numbers:
            raise OutboxError("add at least one recipient")
        count = count_sms(body)
        at = time.time() if now is None else now
        batch = uuid.uuid4().hex if len(numbers) > 1 else None
        messages = [
            OutboxMessage(
                id=uuid.uuid4().hex, created_at=at, updated_at=at, state=SmsState.QUEUED,
                to_raw=_text.clean(raw, _text.MAX_NUMBER), to_key=number.key,
                to_send=number.key.lstrip("+"), text=body, sender=title,
                encoding=count.encoding.value, parts=count.parts,
                call_id=_text.clean(call_id, _text.MAX_SHORT) or None,
                contact_name=_text.clean(contact_name, _text.MAX_NAME) or None,
                source=_text.clean(source, 32), batch=batch, next_at=at)
            for raw, number in numbers]
        with self.write() as conn:
            for message in messages:
                values = dataclasses.asdict(message)
                values["state"] = message.state.value
                conn.execute(f"INSERT INTO messages ({_COLUMNS}) VALUES "
                             f"({', '.join(':' + f for f in _FIELDS)})", values)
                conn.execute("INSERT INTO events (message_id, at, state, detail) "
                             "VALUES (?, ?, ?, ?)", (message.id, at, "queued", "written"))
            conn.execute("INSERT INTO kv (key, value) VALUES ('last_sender', ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (title,))
        return messages

    # -- state changes -------------------------------------------------------

    def transition(self, message_id: str, expected: Iterable[SmsState], state: SmsState, *,
                   detail: str = "", now: float | None = None,
                   listed: Iterable[str] | None = None, **fields: Any,
                   ) -> OutboxMessage | None:
        """Move a message from one of *expected* to *state*, setting *fields*.

        Atomic and conditional: returns None (and changes nothing) when the
        message is not in an expected state (someone else got there first),
        or when a ``provider_id`` it is given already belongs to another
        message (one provider message never confirms two of ours).  With
        *listed*, the provider ids seen right before this attempt replace the
        ones stored for the message (:meth:`listed_before`), in the same
        transaction.
        """
        at = time.time() if now is None else now
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown outbox fields {sorted(unknown)}")
        expected_values = [s.value for s in expected]
        sets = ["state = :state", "updated_at = :updated_at",
                *(f"{name} = :{name}" for name in fields)]
        values: dict[str, Any] = {**fields, "state": state.value, "updated_at": at,
                                  "id": message_id}
        marks = ", ".join(f":e{i}" for i in range(len(expected_values)))
        values.update({f"e{i}": v for i, v in enumerate(expected_values)})
        unclaimed = ""
        if fields.get("provider_id") is not None:
            unclaimed = (" AND NOT EXISTS (SELECT 1 FROM messages other "
                         "WHERE other.provider_id = :provider_id AND other.id != :id)")
        with self.write() as conn:
            cursor = conn.execute(
                f"UPDATE messages SET {', '.join(sets)} WHERE id = :id AND state IN ({marks})"
                f"{unclaimed}", values)
            if cursor.rowcount != 1:
                return None
            conn.execute("INSERT INTO events (message_id, at, state, detail) VALUES (?, ?, ?, ?)",
                         (message_id, at, state.value, _text.clean(detail, 500)))
            if listed is not None:
                conn.execute("DELETE FROM listed_before WHERE message_id = ?", (message_id,))
                conn.executemany(
                    "INSERT OR IGNORE INTO listed_before (message_id, provider_id) VALUES (?, ?)",
                    [(message_id, pid) for pid in listed if pid])
            row = conn.execute(f"SELECT {_COLUMNS} FROM messages WHERE id = ?",
                               (message_id,)).fetchone()
        return _message(row)

    def update(self, message_id: str, *, now: float | None = None, **fields: Any,
               ) -> OutboxMessage | None:
        """Change bookkeeping fields (``next_at``, ``checks``, ``error``…), not the state."""
        unknown = set(fields) - set(_FIELDS) | ({"state", "id"} & set(fields))
        if unknown:
            raise ValueError(f"cannot update outbox fields {sorted(unknown)}")
        at = time.time() if now is None else now
        sets = ", ".join(["updated_at = :updated_at", *(f"{k} = :{k}" for k in fields)])
        with self.write() as conn:
            conn.execute(f"UPDATE messages SET {sets} WHERE id = :id",
                         {**fields, "updated_at": at, "id": message_id})
            row = conn.execute(f"SELECT {_COLUMNS} FROM messages WHERE id = ?",
                               (message_id,)).fetchone()
        return None if row is None else _message(row)

    # -- reading -------------------------------------------------------------

    def get(self, message_id: str) -> OutboxMessage | None:
        row = self._conn().execute(f"SELECT {_COLUMNS} FROM messages WHERE id = ?",
                                   (message_id,)).fetchone()
        return None if row is None else _message(row)

    def find(self, id_or_prefix: str) -> OutboxMessage | None:
        """A message by its id or an unambiguous prefix of it (``sms list`` shows 12)."""
        key = id_or_prefix.strip().lower()
        if not key:
            return None
        exact = self.get(key)
        if exact is not None:
            return exact
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM messages WHERE substr(id, 1, ?) = ? LIMIT 2",
            (len(key), key)).fetchall()
        return _message(rows[0]) if len(rows) == 1 else None

    def recent(self, limit: int = 200) -> list[OutboxMessage]:
        """Newest first."""
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM messages ORDER BY created_at DESC, rowid DESC LIMIT ?",
            (max(0, limit),)).fetchall()
        return [_message(r) for r in rows]

    def for_call(self, call_id: str) -> list[OutboxMessage]:
        """The messages sent about one call (oldest first), for the call history."""
        if not call_id:
            return []
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM messages WHERE call_id = ? ORDER BY created_at",
            (call_id,)).fetchall()
        return [_message(r) for r in rows]

    def due(self, now: float | None = None, *, only: Iterable[str] | None = None,
            ) -> list[OutboxMessage]:
        """Messages whose ``next_at`` has come, oldest first."""
        at = time.time() if now is None else now
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM messages WHERE next_at IS NOT NULL AND next_at <= ? "
            "ORDER BY next_at, created_at", (at,)).fetchall()
        wanted = None if only is None else set(only)
        return [m for m in map(_message, rows) if wanted is None or m.id in wanted]

    def next_due_at(self, *, only: Iterable[str] | None = None) -> float | None:
        """The earliest ``next_at``, or None when nothing is scheduled."""
        if only is None:
            row = self._conn().execute("SELECT min(next_at) FROM messages").fetchone()
            return None if row[0] is None else float(row[0])
        ids = list(only)
        if not ids:
            return None
        marks = ", ".join("?" for _ in ids)
        row = self._conn().execute(
            f"SELECT min(next_at) FROM messages WHERE id IN ({marks})", ids).fetchone()
        return None if row[0] is None else float(row[0])

    def stale_sending(self, older_than: float) -> list[OutboxMessage]:
        """``sending`` messages whose request started before *older_than* (a crash mid-send)."""
        rows = self._conn().execute(
            f"SELECT {_COLUMNS} FROM messages WHERE state = 'sending' AND "
            "coalesce(sending_at, updated_at) < ?", (older_than,)).fetchall()
        return [_message(r) for r in rows]

    def claimed_provider_ids(self, to_key: str, *, exclude: str | None = None) -> set[str]:
        """Provider ids other messages to *to_key* already own (not to be matched twice)."""
        rows = self._conn().execute(
            "SELECT provider_id FROM messages WHERE to_key = ? AND provider_id IS NOT NULL "
            "AND id != ?", (to_key, exclude or "")).fetchall()
        return {str(r[0]) for r in rows}

    def listed_before(self, message_id: str) -> set[str]:
        """The provider's message ids listed right before this message's last attempt."""
        rows = self._conn().execute(
            "SELECT provider_id FROM listed_before WHERE message_id = ?",
            (message_id,)).fetchall()
        return {str(r[0]) for r in rows}

    def events(self, message_id: str) -> list[OutboxEvent]:
        rows = self._conn().execute(
            "SELECT at, state, detail FROM events WHERE message_id = ? ORDER BY at, id",
            (message_id,)).fetchall()
        return [OutboxEvent(float(at), SmsState(state), str(detail)) for at, state, detail in rows]

    def counts(self) -> dict[SmsState, int]:
        rows = self._conn().execute(
            "SELECT state, count(*) FROM messages GROUP BY state").fetchall()
        return {SmsState(state): int(n) for state, n in rows}

    # -- templates and remembered values -------------------------------------

    def templates(self) -> list[Template]:
        rows = self._conn().execute(
            "SELECT id, title, body FROM templates ORDER BY position, id").fetchall()
        return [Template(int(i), str(t), str(b)) for i, t, b in rows]

    def save_templates(self, templates: Sequence[tuple[str, str]]) -> list[Template]:
        """Replace every template with *templates* (title, body), in this order."""
        cleaned = []
        for title, body in templates:
            t = _text.clean(title, 80)
            b = _text.clean(body, MAX_TEXT, multiline=True)
            if t and b:
                cleaned.append((t, b))
        with self.write() as conn:
            conn.execute("DELETE FROM templates")
            for position, (title, body) in enumerate(cleaned):
                conn.execute("INSERT INTO templates (position, title, body) VALUES (?, ?, ?)",
                             (position, title, body))
        return self.templates()

    def restore_default_templates(self) -> list[Template]:
        return self.save_templates(DEFAULT_TEMPLATES)

    def remembered(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def remember(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute("INSERT INTO kv (key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def _message(row: Sequence[Any]) -> OutboxMessage:
    values = dict(zip(_FIELDS, row, strict=True))
    values["state"] = SmsState(values["state"])
    return OutboxMessage(**values)
