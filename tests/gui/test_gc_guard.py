"""Garbage is collected on the GUI thread only (desktop.ui.gc_guard).

The crash it prevents is played for real, in a child process each (it is a
segmentation fault): a QObject with a running timer, in a reference cycle,
collected by a worker thread that happens to allocate; the GUI thread then
delivers the timer's event to freed memory.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer

from desktop.ui.gc_guard import (
    FULL_AT_MOST_EVERY_S,
    GuiThreadCollector,
    collect_if_due,
)

REPO = Path(__file__).resolve().parents[2]

#: A Qt object with a running timer in a reference cycle; a worker thread allocates
#: enough to pass the collector's threshold; then the GUI thread's loop runs on.
CHILD = textwrap.dedent("""
    import gc, sys, threading, time
    from PySide6.QtCore import QCoreApplication, QObject, QTimer
    app = QCoreApplication([])
    if sys.argv[1] == "guarded":
        from desktop.ui.gc_guard import GuiThreadCollector
        collector = GuiThreadCollector(app)

    class Cycle:
        pass

    def garbage():
        owner = QObject()
        owner.startTimer(200)
        cycle = Cycle()
        cycle.owner, cycle.me = owner, cycle

    garbage()

    def worker():  # e.g. the journal writer: it allocates, CPython collects here
        junk = [[] for _ in range(50_000)]

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    time.sleep(0.3)
    QTimer.singleShot(300, app.quit)
    app.exec()
    print("survived", gc.isenabled(), flush=True)
""")


def run_child(mode: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="")
    return subprocess.run([sys.executable, "-c", CHILD, mode], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_without_the_guard_a_worker_thread_collects_a_qt_object_and_the_app_dies() -> None:
    """The hazard is real (if this ever passes, CPython or Qt changed, not us)."""
    done = run_child("bare")
    assert done.returncode != 0
    assert "Timers cannot be stopped from another thread" in done.stderr


def test_with_the_guard_the_gui_thread_collects_and_the_app_lives() -> None:
    done = run_child("guarded")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["survived", "False"]
    assert "another thread" not in done.stderr


def test_collect_if_due_follows_cpythons_thresholds() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        assert collect_if_due((1_000_000, 10, 10)) is None  # nothing due yet
        keep = [[] for _ in range(2_000)]
        assert collect_if_due((1_000, 10, 10)) == 0
        assert gc.get_count()[0] < 1_000
        assert keep
    finally:
        if was_enabled:
            gc.enable()


def test_the_collector_takes_over_and_gives_back(qapp) -> None:
    was_enabled = gc.isenabled()
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled()
        seen: list[str] = []
        thread = threading.Thread(target=lambda: seen.append(str(gc.isenabled())))
        thread.start()
        thread.join()
        assert seen == ["False"]  # no thread collects on its own
        keep = [[] for _ in range(2 * gc.get_threshold()[0])]
        turn = QEventLoop()
        QTimer.singleShot(5, turn.quit)
        turn.exec()  # the loop waits for the timer: it collects before it waits
        assert gc.get_count()[0] < gc.get_threshold()[0]
        assert keep
    finally:
        collector.stop()
    assert gc.isenabled() == was_enabled


def test_collection_switched_off_by_thresholds_stays_off() -> None:
    assert collect_if_due((0, 10, 10)) is None


def test_a_full_collection_comes_at_most_every_thirty_seconds(qapp) -> None:
    now = [1000.0]
    old_thresholds = gc.get_threshold()
    gc.set_threshold(1, 1, 1)
    collector = GuiThreadCollector(clock=lambda: now[0])
    try:
        hold: list[list[list[int]]] = []  # the counts are of objects alive, so keep them

        def generations(rounds: int) -> set[int | None]:
            seen = set()
            for _ in range(rounds):
                hold.append([[] for _ in range(10)])
                seen.add(collector.collect_if_due())
            return seen

        assert 2 not in generations(50)  # young ones only, however often they are due
        assert 1 in generations(50)
        now[0] += FULL_AT_MOST_EVERY_S
        assert 2 in generations(50)
        assert 2 not in generations(50)  # and then not again for thirty seconds
    finally:
        collector.stop()
        gc.set_threshold(*old_thresholds)
