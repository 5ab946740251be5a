"""The call journal's values: calls, history rows, filters, and the filter's SQL.

Pure data and pure functions (no database access): :mod:`desktop.core.journal`
stores and reads them, :mod:`desktop.core.journal_schema` holds the tables.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop.core import text as _text
from desktop.core.caller_card import CardOutcome, PastCall

OUTCOMES = frozenset(o.value for o in CardOutcome)
DIRECTIONS = frozenset({"inbound", "outbound", "local", "unknown"})
SOURCES = frozenset({"live", "cdr"})
MAX_NOTE = _text.MAX_NOTES
#: Records of the same number this close in time may be the same call (s).
MATCH_WINDOW = 60.0
#: A Tekil call known only from its extension's status (no number) takes a
#: record only if it rang within the record's time, give or take this (s):
#: clock skew between the PBX and this computer.
STATUS_MATCH_SLACK = 5.0
#: ``journal_meta`` key: when the app last knew the journal was complete.
LAST_SEEN_CONNECTED = "last_seen_connected"
#: SQLite's default limit of host parameters is 999 (older builds): stay below.
CHUNK = 500


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



FIELDS = [f.name for f in dataclasses.fields(JournalCall)]

OPTIONAL_TEXT = {
    "extension": 32,
    "number_raw": _text.MAX_NUMBER,
    "number_key": _text.MAX_NUMBER,
    "called_raw": _text.MAX_NUMBER,
    "queue": _text.MAX_SHORT,
    "contact_name_at_time": _text.MAX_NAME,
    "recording": 1000,
    "cdr_id": _text.MAX_SHORT,
}

ROW_COLUMNS = (
    "c.rowid, c.call_id, c.started_at, c.direction, c.number_raw, c.number_key, "
    "c.contact_name_at_time, c.extension, c.queue, c.outcome, c.talk_seconds, c.recording, "
    "c.source, c.missed_seen, c.called_back_at, n.text, c.ended_at"
)
ROW_FROM = "FROM calls c LEFT JOIN number_notes n ON n.number_key = c.number_key"
_NOT_DIGIT = re.compile(r"\D")
#: What a typed number looks like: digits and the usual separators.
_NUMBERISH = re.compile(r"^[\d\s()+\-./]+$")


def history_row(row: Sequence[object]) -> HistoryRow:
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


def table_for(flt: HistoryFilter) -> str:
    """The table to read: a text search over all calls scans the covering index
    (newest first, no table lookups: 3x faster than SQLite's own choice)."""
    if flt.kind is HistoryKind.ALL and (flt.text.strip() or flt.extra_keys):
        return "calls INDEXED BY calls_search"
    return "calls"


def where_clause(flt: HistoryFilter) -> tuple[str, list[object]]:
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
        keys = list(dict.fromkeys(k for k in flt.extra_keys if k))[:CHUNK]
        if keys:
            alternatives.append(f"number_key IN ({', '.join('?' * len(keys))})")
            params.extend(keys)
        clauses.append("(" + (" OR ".join(alternatives) or "0") + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

