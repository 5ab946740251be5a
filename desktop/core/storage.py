"""Small SQLite plumbing shared by the directory and the call journal.

Thread-safety story: a :class:`SQLiteStore` opens **one connection per
thread** (kept in a ``threading.local``), so the GUI thread, the
``asyncio.to_thread`` workers and an import thread never share a
connection.  The database runs in WAL mode: readers never block the writer
and the writer never blocks readers.  Writers of one store in this process
take turns in arrival order (:class:`WriteTurns`: a writer waiting while a long
merge runs gets in at the merge's next chunk boundary, not whenever SQLite's
busy handler happens to retry); writers in other processes queue on
``busy_timeout``.  Connections are in autocommit mode and every write goes
through :meth:`SQLiteStore.write`, which takes the write lock up front
(``BEGIN IMMEDIATE``) so a read-then-write never fails half way with
"database is locked".

Schemas are versioned with ``PRAGMA user_version``: a store lists its
migrations in order and the first connection applies the missing ones.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("kobikom.core.storage")

#: How long a writer waits for another writer before giving up (ms).
BUSY_TIMEOUT_MS = 10_000

class WriteTurns:
    """A first-come, first-served lock for one store's writers in this process.

    ``threading.Lock`` is not fair: a merge that commits a chunk and begins the
    next one at once would win again and again.  Here a release hands the turn
    straight to the oldest waiter.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held and not self._waiters:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as we gave up: it is ours
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # the turn passes on; still held
            else:
                self._held = False


Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run several statements inside the current transaction.

    (``executescript`` would COMMIT first, which breaks a migration's
    all-or-nothing transaction.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


class StorageError(Exception):
    """The database cannot be used (newer schema, not a database...)."""


class SQLiteStore:
    """Per-thread connections to one SQLite file with a versioned schema.

    Subclasses set :attr:`MIGRATIONS`: ``MIGRATIONS[i]`` upgrades a schema
    from version ``i`` to ``i + 1``.
    """

    MIGRATIONS: Sequence[Migration] = ()
    #: Page cache per connection (KiB, SQLite's negative ``cache_size``).
    CACHE_KIB = 16_384

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._closed = False
        self._turns = WriteTurns()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn()  # open, configure and migrate now: errors surface here

    # ------------------------------------------------------------ connections
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self._closed:
            raise StorageError(f"{self.path.name} is closed")
        # Each connection is used by its own thread only (see close()).
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - e.g. a read-only medium
                log.warning("%s: journal_mode is %s, not WAL", self.path.name, mode)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA cache_size = -{self.CACHE_KIB}")
            conn.execute("PRAGMA temp_store = MEMORY")
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StorageError(f"cannot open {self.path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        self._local.conn = conn
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        target = len(self.MIGRATIONS)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version == target:
            return
        if version > target:
            raise StorageError(
                f"{self.path.name} has schema version {version}, this version of the app "
                f"knows up to {target}; it was written by a newer kobikom-desktop"
            )
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another thread may have migrated.
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            for step in range(version, target):
                log.info("%s: migrating schema %d -> %d", self.path.name, step, step + 1)
                self.MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on error)."""
        conn = self._conn()
        if not self._turns.acquire(BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError(
                f"{self.path.name}: another writer of this app held the database for "
                f"{BUSY_TIMEOUT_MS / 1000:.0f} s")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            self._turns.release()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads (a deferred transaction)."""
        conn = self._conn()
        if conn.in_transaction:  # nested in write()/read(): reuse it
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def journal_mode(self) -> str:
        return str(self._conn().execute("PRAGMA journal_mode").fetchone()[0]).lower()

    def schema_version(self) -> int:
        return int(self._conn().execute("PRAGMA user_version").fetchone()[0])

    def release(self) -> None:
        """Close the calling thread's connection (for short-lived worker threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        conn.close()

    def close(self) -> None:
        """Close the store: no thread can open or reuse a connection after this.

        The calling thread's connection is closed now.  Another thread's
        connection is only *dropped*: closing a connection from a foreign
        thread while that thread is inside ``execute`` crashes the
        interpreter (a worker of ``asyncio.to_thread`` keeps running after
        its task was cancelled).  A connection is closed by CPython as soon
        as its last reference goes: at once for an idle thread (its
        ``threading.local`` slot dies with the old local), right after the
        statement for a busy one (its ``execute`` holds a reference).
        """
        self._closed = True
        own: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local = threading.local()
        if own is not None:
            try:
                own.close()
            except sqlite3.Error:  # pragma: no cover
                log.debug("closing a connection failed", exc_info=True)

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
