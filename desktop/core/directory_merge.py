"""Bulk merge of one source's contacts (file import, PBX phonebook sync) into the directory.

:class:`DirectoryMerge` runs inside the write transaction of
:meth:`desktop.core.directory.Directory.merge`.  Drafts arrive as an
iterable - the importers stream them, so a 200,000-row file never has all
its contacts in memory at once - and are prepared (cleaned, folded,
hashed), matched against the stored contacts of the source and written in
batches of :data:`BATCH`.  Writing from a second thread while preparing
does not pay: SQLite gives the GIL back on every row and the two threads
convoy.

Matching: a draft is the same contact as a stored one of the source when
their ``external_id`` match, else when their folded name and set of
numbers match; else, when a name occurs once among both the unmatched
drafts and the unmatched stored contacts, by that name (a contact whose
number changed).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable

from desktop.core.contact_model import ContactDraft, MergeResult, Row, prepare_row
from desktop.core.directory_sql import delete_rows, insert_rows, next_id, replace_rows

#: Drafts prepared and written per ``executemany`` batch.
BATCH = 5000


class Cancelled(Exception):
    """Raised inside the write transaction to roll it back."""


class DirectoryMerge:
    """One merge run inside its write transaction."""

    def __init__(self, conn: sqlite3.Connection, source: str, *,
                 checked_numbers: bool = False) -> None:
        self.conn = conn
        self.source = source
        self.checked_numbers = checked_numbers
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
        self.next_id = next_id(conn)
        self.matched: set[int] = set()
        self.first_of: dict[int, int] = {}  # ident -> index of its first draft
        self.duplicates: list[tuple[int, int]] = []
        # Unmatched drafts whose name a stored contact has: decided at the end.
        self.deferred: list[Row] = []
        self.added = self.updated = self.unchanged = 0
        self.count = 0

    def run(
        self,
        drafts: Iterable[ContactDraft],
        *,
        remove_missing: bool,
        progress: Callable[[int], None] | None,
        cancel: threading.Event | None,
    ) -> MergeResult:
        inserts: list[tuple[int, Row]] = []
        replaces: list[tuple[int, Row]] = []
        for index, draft in enumerate(drafts):
            row = prepare_row(draft, self.source, checked=self.checked_numbers)
            self._plan(index, row, inserts, replaces)
            self.count = index + 1
            if self.count % BATCH == 0:
                self._write(inserts, replaces)
                inserts, replaces = [], []
                if cancel is not None and cancel.is_set():
                    raise Cancelled
                if progress is not None:
                    progress(self.count)
        self._write(inserts, replaces)
        if cancel is not None and cancel.is_set():
            raise Cancelled
        self._write(*self._resolve_deferred())
        removed = 0
        if remove_missing:
            gone = sorted(set(self.fingerprints) - self.matched)
            removed = delete_rows(self.conn, gone)
        return MergeResult(
            self.added, self.updated, self.unchanged, removed, tuple(self.duplicates)
        )

    def _write(self, inserts: list[tuple[int, Row]], replaces: list[tuple[int, Row]]) -> None:
        if inserts:
            insert_rows(self.conn, inserts, self.now)
        if replaces:
            replace_rows(self.conn, replaces, self.now)

    def _plan(
        self,
        index: int,
        row: Row,
        inserts: list[tuple[int, Row]],
        replaces: list[tuple[int, Row]],
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

    def _match(self, cid: int, row: Row, replaces: list[tuple[int, Row]]) -> None:
        self.matched.add(cid)
        if self.fingerprints.get(cid) == row.fingerprint:
            self.unchanged += 1
        else:
            replaces.append((cid, row))
            self.updated += 1

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _resolve_deferred(self) -> tuple[list[tuple[int, Row]], list[tuple[int, Row]]]:
        """A contact whose numbers changed: the same name once among the
        unmatched drafts and once among the unmatched stored contacts."""
        inserts: list[tuple[int, Row]] = []
        replaces: list[tuple[int, Row]] = []
        per_name: dict[str, int] = {}
        for row in self.deferred:
            per_name[row.name_key] = per_name.get(row.name_key, 0) + 1
        for row in self.deferred:
            candidates = [c for c in self.by_name[row.name_key] if c not in self.matched]
            if per_name[row.name_key] == 1 and len(candidates) == 1:
                self._match(candidates[0], row, replaces)
            else:
                inserts.append((self._new_id(), row))
                self.added += 1
        return inserts, replaces
