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
    d.merge(source, drafts, ...)      -> MergeResult | None (bulk import / sync;
                                         drafts may be a generator)
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

Extensions: ``0212 555 12 34 / 101`` is stored with the key of the main
number and the extension ``101`` beside it (:class:`ContactNumber`); a
lookup of ``101`` - a colleague calling from extension 101 - never finds
the outside company.  Only numbers written alone (``101``) are internal.

The values live in :mod:`desktop.core.contact_model`, the schema and the
row-writing statements in :mod:`desktop.core.directory_sql`, the bulk
merge in :mod:`desktop.core.directory_merge`; this module re-exports the
values so callers import from one place.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from desktop.core import text as _text
from desktop.core.contact_model import (
    LABELS,
    MAX_NUMBERS_PER_CONTACT,
    Contact,
    ContactDraft,
    ContactNotFound,
    ContactNumber,
    MergeResult,
    default_label,
    is_fax,
    label_from,
    number_key,
    prepare_row,
)
from desktop.core.directory_merge import BATCH, Cancelled, DirectoryMerge
from desktop.core.directory_sql import (
    MIGRATIONS,
    delete_rows,
    insert_rows,
    load_contacts,
    next_id,
    replace_rows,
)
from desktop.core.numbers import NumberKind, PhoneNumber, clean_number_text, parse_number
from desktop.core.storage import SQLiteStore

log = logging.getLogger("kobikom.core.directory")

__all__ = [
    "BATCH",
    "LABELS",
    "MAX_NUMBERS_PER_CONTACT",
    "MIN_SUBSTRING",
    "Contact",
    "ContactDraft",
    "ContactNotFound",
    "ContactNumber",
    "Directory",
    "MergeResult",
    "default_label",
    "is_fax",
    "label_from",
    "number_key",
]

#: Shortest query matched anywhere in a name/company/number (trigram index).
MIN_SUBSTRING = 3

_NUMBER_QUERY = re.compile(r"[\d\s+\-().]+")
_LIKE_SPECIALS = str.maketrans({"%": " ", "_": " ", "\\": " "})


def _number_query(digits: str) -> str:
    """A typed number fragment in the spelling of the search column.

    ``00`` and ``90`` prefixes are international spellings of a Turkish
    number: ``+90 532 1`` searches ``05321``.
    """
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("90") and len(digits) > MIN_SUBSTRING + 1:
        digits = "0" + digits[2:]
    return digits


class Directory(SQLiteStore):
    """The contact directory in one SQLite file (see the module docstring)."""

    MIGRATIONS = MIGRATIONS

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
        """The key to look up; None for withheld numbers and text that is no number
        (nothing such is ever stored, see :func:`~desktop.core.contact_model.prepare_row`)."""
        parsed = number if isinstance(number, PhoneNumber) else parse_number(number)
        if parsed.kind not in (NumberKind.EXTERNAL, NumberKind.INTERNAL):
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

    def most_numbers(self) -> int:
        """The most numbers any one contact has (0 for an empty directory)."""
        with self.read() as conn:
            row = conn.execute(
                "SELECT max(n) FROM (SELECT count(*) AS n FROM numbers GROUP BY contact_id)"
            ).fetchone()
        return int(row[0] or 0)

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
        number_text = clean_number_text(query)  # a pasted number: bidi marks, odd digits
        if _NUMBER_QUERY.fullmatch(number_text) and any(ch.isdigit() for ch in number_text):
            query = number_text
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

    @staticmethod
    def _load(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Contact]:
        return load_contacts(conn, ids)

    # ------------------------------------------------------------ writing
    def add(self, draft: ContactDraft) -> Contact:
        """Store a new contact (cleaned) and return it."""
        row = prepare_row(draft)
        with self.write() as conn:
            cid = next_id(conn)
            insert_rows(conn, [(cid, row)], time.time())
        contact = self.get(cid)
        assert contact is not None
        return contact

    def update(self, contact_id: int, draft: ContactDraft) -> Contact:
        """Replace a contact's fields and numbers; raises :class:`ContactNotFound`."""
        row = prepare_row(draft)
        with self.write() as conn:
            found = conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone()
            if found is None:
                raise ContactNotFound(contact_id)
            replace_rows(conn, [(contact_id, row)], time.time())
        contact = self.get(contact_id)
        assert contact is not None
        return contact

    def delete(self, contact_id: int) -> bool:
        """Remove a contact; False if there was none."""
        with self.write() as conn:
            return delete_rows(conn, [contact_id]) > 0

    def add_many(self, drafts: Iterable[ContactDraft]) -> int:
        """Bulk insert in one transaction, without de-duplication; returns the count."""
        total = 0
        now = time.time()
        with self.write() as conn:
            first = next_id(conn)
            rows = []
            for draft in drafts:
                rows.append((first + total, prepare_row(draft)))
                total += 1
                if len(rows) >= BATCH:
                    insert_rows(conn, rows, now)
                    rows = []
            if rows:
                insert_rows(conn, rows, now)
        return total

    def merge(
        self,
        source: str,
        drafts: Iterable[ContactDraft],
        *,
        remove_missing: bool = False,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
        total: int | None = None,
        checked_numbers: bool = False,
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

        *drafts* may be any iterable (importers stream a generator);
        *progress* receives ``(drafts done, total)`` where *total* is
        ``len(drafts)`` for a sequence, else the given estimate.
        *checked_numbers*: the drafts' numbers were made by the importers
        from parsed text and are not parsed again.

        Returns None, with nothing changed, when *cancel* gets set.
        """
        source = _text.clean(source, _text.MAX_SHORT) or "local"
        if total is None and isinstance(drafts, Sequence):
            total = len(drafts)
        expected = total or 0
        report = None if progress is None else \
            (lambda done: progress(done, max(done, expected)))
        try:
            with self._merge_lock, self.write() as conn:
                run = DirectoryMerge(conn, source, checked_numbers=checked_numbers)
                result = run.run(drafts, remove_missing=remove_missing, progress=report,
                                 cancel=cancel)
        except Cancelled:
            return None
        if progress is not None:
            progress(run.count, run.count)
        return result
