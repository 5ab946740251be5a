"""SQLiteStore: per-thread connections and a close() that is safe under load."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from desktop.core.storage import SQLiteStore, StorageError


def _schema(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE t (x INTEGER)")


class Store(SQLiteStore):
    MIGRATIONS = (_schema,)


# A statement that keeps a worker thread inside sqlite3_step for a while.
SLOW = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
        "SELECT count(*) FROM n")


def test_each_thread_gets_its_own_connection(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    seen: list[sqlite3.Connection] = []
    worker = threading.Thread(target=lambda: seen.append(store._conn()))
    worker.start()
    worker.join()
    assert len(seen) == 1
    assert seen[0] is not store._conn()
    assert store.journal_mode() == "wal"
    store.close()


def test_close_while_another_thread_is_inside_a_statement(tmp_path: Path) -> None:
    """A cancelled ``asyncio.to_thread`` worker keeps running: close() must not pull its
    connection out from under it (that crashed the interpreter), and the worker's next
    use must get a clear StorageError."""
    store = Store(tmp_path / "s.db")
    with store.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    started = threading.Event()
    results: list[object] = []

    def work() -> None:
        conn = store._conn()
        started.set()
        results.append(conn.execute(SLOW).fetchone()[0])
        try:
            store._conn().execute("SELECT x FROM t").fetchall()
        except StorageError as exc:
            results.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    assert started.wait(5)
    store.close()
    worker.join(30)
    assert not worker.is_alive()
    assert results[0] == 3000000
    assert isinstance(results[1], StorageError)
    assert "closed" in str(results[1])
    with pytest.raises(StorageError):
        store._conn()
    # Nothing was lost: the file opens again with the row in it.
    again = Store(tmp_path / "s.db")
    assert again._conn().execute("SELECT x FROM t").fetchall() == [(1,)]
    again.close()


def test_close_closes_the_callers_connection(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    conn = store._conn()
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
