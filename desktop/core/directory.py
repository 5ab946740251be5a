"""The contact directory: who is calling, in one indexed query.

A SQLite file (``AppPaths.contacts_db``) holds the agent's contacts from
every source: typed in the app (``source="local"``), imported files
(``"csv:<file name>"``, ``"vcard:<file name>"``) and the PBX phonebook
(``"pbx"``).  Every number is stored as entered (``raw``) and by its
normalized key (:attr:`desktop.core.numbers.PhoneNumber.key`: E.164 for
public numbers, bare digits for extensions), so ``05321234567``,
``+90 532 123 45 67``, ``905321234567``, ``00905321234567`` and
``5321234567`` all find the same contact through one index.

API (all methods are synchronous; the GUI thread calls the heavy ones -
:meth:`Directory.merge`, :meth:`Directory.add_many`, large
:meth:`Directory.search` results - with ``asyncio.to_thread``)::

    d = Directory(paths.contacts_db)
    d.lookup("0532 123 45 67")        -> Contact | None (most recently updated)
    d.lookup_all(number)              -> list[Contact]
    d.search("yıl", limit=50)         -> list[Contact]
    d.add(ContactDraft(...))          -> Contact
    d.update(contact_id, draft)       -> Contact   (ContactNotFound)
    d.delete(contact_id)              -> bool
    d.get(contact_id)                 -> Contact | None
    d.count(source=None)              -> int
    d.iter_all()                      -> Iterator[Contact]
    d.merge(source, drafts, ...)      -> MergeResult | None (bulk import / sync)
    d.add_many(drafts)                -> int (bulk insert, no de-duplication)

Threads: one SQLite connection per thread (see :mod:`desktop.core.storage`),
WAL mode, so lookups on the GUI thread run while an import writes in a
worker thread.

Search: names, companies and numbers are folded with
:func:`desktop.core.text.search_fold` (Turkish case rules, no diacritics)
into a search column indexed by an FTS5 *trigram* table (``detail=none``,
queried with ``LIKE``), which makes any substring of three or more
characters an index query.  Queries shorter than three characters match the
start of the name through a B-tree index instead.  A query made of digits
and separators (``"0532 1"``) is a number fragment and is matched on the
digits alone against the national (``05321234567``) and international
(``905321234567``) spellings.

Untrusted text (names from files, the PBX, the agent) is stored as given
but cleaned (:func:`desktop.core.text.clean`) and length-capped.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core import text as _text
from desktop.core.numbers import NumberKind, PhoneNumber, parse_number
from desktop.core.storage import SQLiteStore, run_script

log = logging.getLogger("kobikom.core.directory")

LABELS = ("mobile", "work", "home", "other")
MAX_NUMBERS_PER_CONTACT = 20
#: Rows written per ``executemany`` batch in bulk operations.
BATCH = 5000
#: Shortest query matched anywhere in a name/company/number (trigram index).
MIN_SUBSTRING = 3

_LABEL_WORDS = {
    "mobile": {"mobile", "mobil", "cell", "cellular", "cep", "gsm", "iphone", "cepno"},
    "work": {
        "work",
        "is",
        "business",
        "office",
        "ofis",
        "sirket",
        "isyeri",
        "kurumsal",
        "main",
        "company",
    },
    "home": {"home", "ev", "konut"},
}
_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=1024)
def label_from(text: str | None) -> str | None:
    """Map a vCard TYPE, CSV column word or PBX label to one of :data:`LABELS`.

    ``None`` when *text* says nothing we recognise (``"voice"``, ``"pref"``).
    Mobile wins over work/home (``"work,cell"`` is a work mobile).
    """
    if not text:
        return None
    words = set(_WORD.findall(_text.search_fold(text)))
    for label in ("mobile", "work", "home"):
        if words & _LABEL_WORDS[label]:
            return label
    if words & {"other", "diger", "fax", "faks"}:
        return "other"
    return None


# The same separators numbers.parse_number strips.
_SEPARATORS = re.compile(r"[\s\-./()\u00a0]+")
# Ten-digit Turkish national numbers (geographic 2-4xx, mobile 5xx) in the
# usual spellings.  For these, libphonenumber always answers "+90" + the ten
# digits; tests check the equivalence.  Bulk imports use this fast path
# (~1 µs instead of ~50 µs per number) and leave parse_number's cache to
# the live calls.
_TR_FAST = re.compile(r"(?:\+90|0090|90|0)?([2-5]\d{9})")


@functools.lru_cache(maxsize=1 << 17)
def number_key(raw: str) -> str:
    """The lookup key of *raw*: the same as ``parse_number(raw).key``, faster.

    Cached: an import computes each key twice (validation, then writing).
    """
    match = _TR_FAST.fullmatch(_SEPARATORS.sub("", raw.strip()))
    if match is not None:
        return "+90" + match.group(1)
    return parse_number(raw).key


def default_label(key: str) -> str:
    """``mobile`` for mobile numbers, else ``other`` (when the source gave no label)."""
    if key.startswith("+905"):
        return "mobile"
    if key.startswith("+90"):
        return "other"
    parsed = parse_number(key)
    return "mobile" if parsed.number_type == "MOBILE" else "other"


@dataclass(frozen=True, slots=True)
class ContactNumber:
    """One number of a contact: as entered, its lookup key and a label."""

    raw: str
    key: str
    label: str = "other"

    @classmethod
    def of(cls, raw: str, label: str | None = None) -> ContactNumber:
        """Build from typed/imported text; *label* is any spelling :func:`label_from` knows.

        Without a label, Turkish mobile numbers are labelled ``mobile`` and
        everything else ``other``.
        """
        raw = _text.clean(raw, _text.MAX_NUMBER)
        key = number_key(raw) if raw else ""
        norm = label if label in LABELS else label_from(label)
        if norm is None:
            norm = default_label(key) if key else "other"
        return cls(raw=raw, key=key, label=norm)

    def parsed(self) -> PhoneNumber:
        return parse_number(self.raw)


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """A contact to add or to update with; the directory cleans it on write.

    ``numbers[i].key`` is recomputed from ``raw`` on write, so a draft can
    never store a key that lookups would not find.
    """

    name: str = ""
    company: str = ""
    numbers: tuple[ContactNumber, ...] = ()
    email: str = ""
    notes: str = ""
    source: str = "local"
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    name: str
    company: str
    numbers: tuple[ContactNumber, ...]
    email: str
    notes: str
    source: str
    external_id: str | None
    created_at: float
    updated_at: float

    @property
    def display_name(self) -> str:
        """Name, else company, else the first number (for lists and popups)."""
        if self.name:
            return self.name
        if self.company:
            return self.company
        return self.numbers[0].parsed().display() if self.numbers else ""

    def draft(self) -> ContactDraft:
        """This contact as a draft, e.g. to edit with ``dataclasses.replace``."""
        return ContactDraft(
            name=self.name,
            company=self.company,
            numbers=self.numbers,
            email=self.email,
            notes=self.notes,
            source=self.source,
            external_id=self.external_id,
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What :meth:`Directory.merge` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    #: ``(index, index_of_first)`` for drafts that repeat an earlier draft of the batch.
    duplicates: tuple[tuple[int, int], ...] = field(default_factory=tuple)


class ContactNotFound(KeyError):
    """No contact with that id."""


class _Cancelled(Exception):
    """Raised inside a write transaction to roll it back."""


# ------------------------------------------------------------------ preparing rows
@dataclass(slots=True)
class _Row:
    """A draft cleaned and ready to write (internal, mutable, cheap to build)."""

    name: str
    company: str
    email: str
    notes: str
    source: str
    external_id: str | None
    numbers: list[ContactNumber]
    name_key: str
    ident: int
    fingerprint: int
    search: str


def _hash(*parts: str) -> int:
    """A stable 63-bit hash (stored as an SQLite INTEGER)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _number_search_form(key: str) -> str:
    """Digits searched for a number: Turkish national (``05321234567``), else E.164 digits."""
    if key.startswith("+90"):
        return "0" + key[3:]
    if key.startswith("+"):
        return key[1:]
    return _text.search_fold(key)


def _number_query(digits: str) -> str:
    """A typed number fragment in the spelling of :func:`_number_search_form`.

    ``00`` and ``90`` prefixes are international spellings of a Turkish
    number: ``+90 532 1`` searches ``05321``.
    """
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("90") and len(digits) > MIN_SUBSTRING + 1:
        digits = "0" + digits[2:]
    return digits


def _prepare(draft: ContactDraft, source: str | None = None) -> _Row:
    """Clean *draft* and compute its keys (the only way rows reach the database)."""
    clean = _text.clean
    numbers: list[ContactNumber] = []
    keys: list[str] = []
    for num in draft.numbers:
        raw = clean(num.raw, _text.MAX_NUMBER)
        if not raw:
            continue
        key = number_key(raw)
        if key in keys:
            continue
        keys.append(key)
        label = num.label if num.label in LABELS else (label_from(num.label) or "other")
        if raw == num.raw and key == num.key and label == num.label:
            numbers.append(num)
        else:
            numbers.append(ContactNumber(raw, key, label))
        if len(numbers) >= MAX_NUMBERS_PER_CONTACT:
            break
    name = clean(draft.name, _text.MAX_NAME)
    company = clean(draft.company, _text.MAX_COMPANY)
    email = clean(draft.email, _text.MAX_EMAIL)
    notes = clean(draft.notes, _text.MAX_NOTES, multiline=True)
    external_id = clean(draft.external_id, _text.MAX_SHORT) or None
    name_fold = _text.search_fold(name)
    company_fold = _text.search_fold(company)
    name_key = name_fold or company_fold
    search = " | ".join([name_fold, company_fold, *map(_number_search_form, keys)])
    if len(keys) > 1:
        keys.sort()
    ident = _hash("x", external_id) if external_id else _hash("n", name_key, *keys)
    fingerprint = _hash(
        name,
        company,
        email,
        notes,
        external_id or "",
        *[part for n in numbers for part in (n.raw, n.key, n.label)],
    )
    return _Row(
        name=name,
        company=company,
        email=email,
        notes=notes,
        source=source or clean(draft.source, _text.MAX_SHORT) or "local",
        external_id=external_id,
        numbers=numbers,
        name_key=name_key,
        ident=ident,
        fingerprint=fingerprint,
        search=search,
    )


# ------------------------------------------------------------------ schema
def _schema_v1(conn: sqlite3.Connection) -> None:
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


_CONTACT_COLUMNS = "id, name, company, email, notes, source, external_id, created_at, updated_at"
_NUMBER_QUERY = re.compile(r"[\d\s+\-().]+")
_LIKE_SPECIALS = str.maketrans({"%": " ", "_": " ", "\\": " "})
_MAX_SQL_VARS = 900


class Directory(SQLiteStore):
    """The contact directory in one SQLite file (see the module docstring)."""

    MIGRATIONS = (_schema_v1,)

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self._merge_lock = threading.Lock()

    # ------------------------------------------------------------ reading
    def lookup(self, number: str | PhoneNumber) -> Contact | None:
        """The contact with this number (the most recently updated if several)."""
        key = self._key_of(number)
        if key is None:
            return None
        with self.read() as conn:
            row = conn.execute(
                "SELECT c.id FROM numbers n JOIN contacts c ON c.id = n.contact_id "
                "WHERE n.key = ? ORDER BY c.updated_at DESC, c.id DESC LIMIT 1",
                (key,),
            ).fetchone()
            found = [] if row is None else self._load(conn, [int(row[0])])
        return found[0] if found else None

    def lookup_all(self, number: str | PhoneNumber) -> list[Contact]:
        """Every contact with this number, most recently updated first."""
        key = self._key_of(number)
        if key is None:
            return []
        with self.read() as conn:
            ids = [
                int(r[0])
                for r in conn.execute(
                    "SELECT DISTINCT c.id, c.updated_at FROM numbers n "
                    "JOIN contacts c ON c.id = n.contact_id "
                    "WHERE n.key = ? ORDER BY c.updated_at DESC, c.id DESC",
                    (key,),
                )
            ]
            return self._load(conn, ids)

    @staticmethod
    def _key_of(number: str | PhoneNumber) -> str | None:
        parsed = number if isinstance(number, PhoneNumber) else parse_number(number)
        if parsed.kind is NumberKind.ANONYMOUS:
            return None
        return parsed.key or None

    def get(self, contact_id: int) -> Contact | None:
        with self.read() as conn:
            found = self._load(conn, [contact_id])
        return found[0] if found else None

    def count(self, source: str | None = None) -> int:
        conn = self._conn()
        if source is None:
            return int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
        return int(
            conn.execute("SELECT count(*) FROM contacts WHERE source = ?", (source,)).fetchone()[0]
        )

    def iter_all(self, *, batch: int = 1000) -> Iterator[Contact]:
        """Every contact by id, read in batches (no transaction is held between them)."""
        last = 0
        while True:
            with self.read() as conn:
                ids = [
                    int(r[0])
                    for r in conn.execute(
                        "SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
                    )
                ]
                contacts = self._load(conn, ids)
            if not ids:
                return
            yield from contacts
            last = ids[-1]

    def search(self, text: str, limit: int = 50) -> list[Contact]:
        """Contacts whose name, company or number contains *text*.

        Case- and diacritic-insensitive the Turkish way (``ismail`` finds
        ``İSMAİL``, ``ışık`` and ``isik`` find ``IŞIK``).  Every word of
        *text* must occur.  Names that start with *text* come first (in
        alphabetical order), then other matches.  Fewer than three
        characters only match the start of a name; a number fragment needs
        three digits.
        """
        if limit <= 0:
            return []
        query = _text.clean(text, 100)
        if not query:
            return []
        with self.read() as conn:
            return self._search(conn, query, limit)

    def _search(self, conn: sqlite3.Connection, query: str, limit: int) -> list[Contact]:
        if _NUMBER_QUERY.fullmatch(query) and any(ch.isdigit() for ch in query):
            digits = _number_query("".join(ch for ch in query if ch.isdigit()))
            if len(digits) < MIN_SUBSTRING:
                return []
            ids = self._substring_ids(conn, [digits], limit)
            return self._sorted(self._load(conn, ids))
        folded = " ".join(_text.search_fold(query).translate(_LIKE_SPECIALS).split())
        if not folded:
            return []
        ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM contacts WHERE name_key >= ? AND name_key < ? "
                "ORDER BY name_key LIMIT ?",
                (folded, folded + "\U0010ffff", limit),
            )
        ]
        words = folded.split()
        if len(ids) < limit and any(len(w) >= MIN_SUBSTRING for w in words):
            seen = set(ids)
            more = [i for i in self._substring_ids(conn, words, limit + len(ids)) if i not in seen]
            rest = self._sorted(self._load(conn, more[: limit - len(ids)]))
            return self._load(conn, ids) + rest
        return self._load(conn, ids)

    @staticmethod
    def _substring_ids(conn: sqlite3.Connection, words: Sequence[str], limit: int) -> list[int]:
        long_words = [w for w in words if len(w) >= MIN_SUBSTRING]
        short_words = [w for w in words if len(w) < MIN_SUBSTRING]
        # LIKE constraints go to the FTS5 trigram index; short words cannot
        # use it, so they only filter the candidates (instr is not pushed down).
        where = " AND ".join(
            ["text LIKE ?"] * len(long_words) + ["instr(text, ?) > 0"] * len(short_words)
        )
        params: list[object] = [f"%{w}%" for w in long_words]
        params.extend(short_words)
        params.append(limit)
        sql = f"SELECT rowid FROM contact_search WHERE {where} LIMIT ?"
        return [int(r[0]) for r in conn.execute(sql, params)]

    @staticmethod
    def _sorted(contacts: list[Contact]) -> list[Contact]:
        return sorted(contacts, key=lambda c: (_text.search_fold(c.display_name), c.id))

    def _load(self, conn: sqlite3.Connection, ids: Sequence[int]) -> list[Contact]:
        """Contacts by id, in the order of *ids* (missing ids are skipped)."""
        if not ids:
            return []
        rows: dict[int, tuple[Any, ...]] = {}
        numbers: dict[int, list[ContactNumber]] = {}
        for start in range(0, len(ids), _MAX_SQL_VARS):
            chunk = list(ids[start : start + _MAX_SQL_VARS])
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE id IN ({marks})", chunk
            ):
                rows[int(row[0])] = tuple(row)
            for cid, raw, key, label in conn.execute(
                f"SELECT contact_id, raw, key, label FROM numbers "
                f"WHERE contact_id IN ({marks}) ORDER BY contact_id, pos",
                chunk,
            ):
                numbers.setdefault(int(cid), []).append(ContactNumber(raw, key, label))
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

    # ------------------------------------------------------------ writing
    def add(self, draft: ContactDraft) -> Contact:
        """Store a new contact (cleaned) and return it."""
        row = _prepare(draft)
        with self.write() as conn:
            cid = self._next_ids(conn, 1)
            self._insert(conn, [(cid, row)], time.time())
        contact = self.get(cid)
        assert contact is not None
        return contact

    def update(self, contact_id: int, draft: ContactDraft) -> Contact:
        """Replace a contact's fields and numbers; raises :class:`ContactNotFound`."""
        row = _prepare(draft)
        with self.write() as conn:
            found = conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone()
            if found is None:
                raise ContactNotFound(contact_id)
            self._replace(conn, [(contact_id, row)], time.time())
        contact = self.get(contact_id)
        assert contact is not None
        return contact

    def delete(self, contact_id: int) -> bool:
        """Remove a contact; False if there was none."""
        with self.write() as conn:
            return self._delete(conn, [contact_id]) > 0

    def add_many(self, drafts: Iterable[ContactDraft]) -> int:
        """Bulk insert in one transaction, without de-duplication; returns the count."""
        total = 0
        now = time.time()
        with self.write() as conn:
            batch: list[_Row] = []
            for draft in drafts:
                batch.append(_prepare(draft))
                if len(batch) >= BATCH:
                    total += self._insert_batch(conn, batch, now)
                    batch = []
            if batch:
                total += self._insert_batch(conn, batch, now)
        return total

    @staticmethod
    def _write(
        conn: sqlite3.Connection,
        inserts: list[tuple[int, _Row]],
        replaces: list[tuple[int, _Row]],
        now: float,
    ) -> None:
        if inserts:
            Directory._insert(conn, inserts, now)
        if replaces:
            Directory._replace(conn, replaces, now)

    def _insert_batch(self, conn: sqlite3.Connection, rows: list[_Row], now: float) -> int:
        first = self._next_ids(conn, len(rows))
        self._insert(conn, list(enumerate(rows, start=first)), now)
        return len(rows)

    def merge(
        self,
        source: str,
        drafts: Sequence[ContactDraft],
        *,
        remove_missing: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> MergeResult | None:
        """Bring the contacts of *source* in line with *drafts*, in one transaction.

        A draft is the same contact as a stored one of *source* when their
        ``external_id`` match, else when their folded name and set of number
        keys match; else, when a name occurs once among both the unmatched
        drafts and the unmatched stored contacts, by that name (a contact
        whose number changed).  Matched contacts are updated when their
        content differs.  With *remove_missing*, stored contacts of *source*
        that no draft matched are deleted (PBX phonebook sync); other
        sources are never touched.  Drafts that repeat an earlier draft are
        reported in :attr:`MergeResult.duplicates` and not stored twice.
        The drafts' own ``source`` is ignored: they all get *source*.

        Returns None, with nothing changed, when *cancel* gets set.
        """
        source = _text.clean(source, _text.MAX_SHORT) or "local"
        try:
            with self._merge_lock, self.write() as conn:
                result = _Merge(conn, source).run(
                    drafts, remove_missing=remove_missing, progress=progress, cancel=cancel
                )
        except _Cancelled:
            return None
        if progress is not None:
            progress(len(drafts), len(drafts))
        return result

    # ------------------------------------------------------------ SQL helpers
    @staticmethod
    def _next_ids(conn: sqlite3.Connection, n: int) -> int:
        """First of *n* fresh ids (we hold the write lock; ids are never reused)."""
        row = conn.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0), "
            "coalesce((SELECT max(id) FROM contacts), 0))"
        ).fetchone()
        return int(row[0]) + 1

    @staticmethod
    def _insert(conn: sqlite3.Connection, items: list[tuple[int, _Row]], now: float) -> None:
        conn.executemany(
            "INSERT INTO contacts (id, name, company, email, notes, source, external_id, "
            "ident, fingerprint, name_key, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    cid,
                    r.name,
                    r.company,
                    r.email,
                    r.notes,
                    r.source,
                    r.external_id,
                    r.ident,
                    r.fingerprint,
                    r.name_key,
                    now,
                    now,
                )
                for cid, r in items
            ],
        )
        Directory._insert_numbers(conn, items)

    @staticmethod
    def _insert_numbers(conn: sqlite3.Connection, items: list[tuple[int, _Row]]) -> None:
        conn.executemany(
            "INSERT INTO numbers (contact_id, pos, raw, key, label) VALUES (?,?,?,?,?)",
            [
                (cid, pos, n.raw, n.key, n.label)
                for cid, r in items
                for pos, n in enumerate(r.numbers)
            ],
        )
        conn.executemany(
            "INSERT INTO contact_search (rowid, text) VALUES (?, ?)",
            [(cid, r.search) for cid, r in items],
        )

    @staticmethod
    def _replace(conn: sqlite3.Connection, items: list[tuple[int, _Row]], now: float) -> None:
        conn.executemany(
            "UPDATE contacts SET name = ?, company = ?, email = ?, notes = ?, source = ?, "
            "external_id = ?, ident = ?, fingerprint = ?, name_key = ?, updated_at = ? "
            "WHERE id = ?",
            [
                (
                    r.name,
                    r.company,
                    r.email,
                    r.notes,
                    r.source,
                    r.external_id,
                    r.ident,
                    r.fingerprint,
                    r.name_key,
                    now,
                    cid,
                )
                for cid, r in items
            ],
        )
        ids = [(cid,) for cid, _r in items]
        conn.executemany("DELETE FROM numbers WHERE contact_id = ?", ids)
        conn.executemany("DELETE FROM contact_search WHERE rowid = ?", ids)
        Directory._insert_numbers(conn, items)

    @staticmethod
    def _delete(conn: sqlite3.Connection, contact_ids: Sequence[int]) -> int:
        ids = [(cid,) for cid in contact_ids]
        conn.executemany("DELETE FROM contact_search WHERE rowid = ?", ids)
        conn.executemany("DELETE FROM numbers WHERE contact_id = ?", ids)
        return conn.executemany("DELETE FROM contacts WHERE id = ?", ids).rowcount


class _Merge:
    """One :meth:`Directory.merge` run inside its write transaction.

    Drafts are prepared (cleaned, folded, hashed), matched against the
    stored contacts of the source and written in batches.  (Writing from a
    second thread while preparing does not pay: SQLite gives the GIL back
    on every row and the two threads convoy.)
    """

    def __init__(self, conn: sqlite3.Connection, source: str) -> None:
        self.conn = conn
        self.source = source
        self.now = time.time()
        self.existing: dict[int, int] = {}  # ident -> contact id (first of a kind)
        self.fingerprints: dict[int, int] = {}  # contact id -> fingerprint
        self.by_name: dict[str, list[int]] = {}  # name_key -> contact ids
        for cid, ident, fp, name_key in conn.execute(
            "SELECT id, ident, fingerprint, name_key FROM contacts WHERE source = ?", (source,)
        ):
            self.existing.setdefault(int(ident), int(cid))
            self.fingerprints[int(cid)] = int(fp)
            if name_key:
                self.by_name.setdefault(name_key, []).append(int(cid))
        self.next_id = Directory._next_ids(conn, 1)
        self.matched: set[int] = set()
        self.first_of: dict[int, int] = {}  # ident -> index of its first draft
        self.duplicates: list[tuple[int, int]] = []
        # Unmatched drafts whose name a stored contact has: decided at the end.
        self.deferred: list[_Row] = []
        self.added = self.updated = self.unchanged = 0

    def run(
        self,
        drafts: Sequence[ContactDraft],
        *,
        remove_missing: bool,
        progress: Callable[[int, int], None] | None,
        cancel: threading.Event | None,
    ) -> MergeResult:
        total = len(drafts)
        for start in range(0, total, BATCH):
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            inserts: list[tuple[int, _Row]] = []
            replaces: list[tuple[int, _Row]] = []
            for index in range(start, min(start + BATCH, total)):
                self._plan(index, _prepare(drafts[index], self.source), inserts, replaces)
            Directory._write(self.conn, inserts, replaces, self.now)
            if progress is not None:
                progress(min(start + BATCH, total), total)
        if cancel is not None and cancel.is_set():
            raise _Cancelled
        inserts, replaces = self._resolve_deferred()
        Directory._write(self.conn, inserts, replaces, self.now)
        removed = 0
        if remove_missing:
            gone = sorted(set(self.fingerprints) - self.matched)
            removed = Directory._delete(self.conn, gone)
        return MergeResult(
            self.added, self.updated, self.unchanged, removed, tuple(self.duplicates)
        )

    def _plan(
        self,
        index: int,
        row: _Row,
        inserts: list[tuple[int, _Row]],
        replaces: list[tuple[int, _Row]],
    ) -> None:
        first = self.first_of.setdefault(row.ident, index)
        if first != index:
            self.duplicates.append((index, first))
            return
        cid = self.existing.get(row.ident)
        if cid is not None and cid not in self.matched:
            self._match(cid, row, replaces)
        elif row.name_key in self.by_name:
            self.deferred.append(row)
        else:
            inserts.append((self._new_id(), row))
            self.added += 1

    def _match(self, cid: int, row: _Row, replaces: list[tuple[int, _Row]]) -> None:
        self.matched.add(cid)
        if self.fingerprints.get(cid) == row.fingerprint:
            self.unchanged += 1
        else:
            replaces.append((cid, row))
            self.updated += 1

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _resolve_deferred(self) -> tuple[list[tuple[int, _Row]], list[tuple[int, _Row]]]:
        """A contact whose numbers changed: the same name once among the
        unmatched drafts and once among the unmatched stored contacts."""
        inserts: list[tuple[int, _Row]] = []
        replaces: list[tuple[int, _Row]] = []
        per_name: dict[str, list[_Row]] = {}
        for row in self.deferred:
            per_name.setdefault(row.name_key, []).append(row)
        for row in self.deferred:
            candidates = [c for c in self.by_name[row.name_key] if c not in self.matched]
            if len(per_name[row.name_key]) == 1 and len(candidates) == 1:
                self._match(candidates[0], row, replaces)
            else:
                inserts.append((self._new_id(), row))
                self.added += 1
        return inserts, replaces
