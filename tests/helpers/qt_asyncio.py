"""asyncio driven by Qt's event loop in widget tests, as in the app.

pytest-qt only spins Qt's event loop (``qtbot.waitSignal``, ``waitUntil``).
The widgets under test start asyncio tasks (``TaskSet.spawn``,
``asyncio.to_thread``), as they do in the app, where qasync runs asyncio
inside Qt's loop (``desktop/ui/loop.py``).  :func:`qt_asyncio_loop` installs
the app's loop (``QtLoop``, qasync's) marked *already running* (qasync's own mode for an
application whose Qt loop is driven by someone else): asyncio callbacks,
tasks, sockets and ``to_thread`` results are then processed whenever Qt
processes events, so the plain ``qtbot.waitSignal``/``waitUntil`` of a
synchronous test drive both, with no nested ``run_until_complete`` and no
sleeps.

Worker threads are qasync's ``QThreadExecutor`` (the loop's default
executor), exactly as in the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import qasync
from PySide6.QtCore import QEventLoop as QtEventLoop
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.ui.loop import QtLoop

T = TypeVar("T")


@contextmanager
def qt_asyncio_loop(app: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop that runs while Qt processes events (see the module docstring)."""
    loop = QtLoop(app, already_running=True)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        # Let tasks that are finishing (cancelled ones included) run to the end.
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            run_until(app, lambda: all(t.done() for t in pending), timeout_ms=5000)
        _drain_callbacks(app, loop)
        app.aboutToQuit.disconnect(loop._after_run_forever)
        # Not loop.stop(): it calls QApplication.exit(), which would end the
        # next test's first nested Qt event loop at once.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        loop._after_run_forever()
        asyncio.events._set_running_loop(None)
        loop.close()


def _drain_callbacks(app: QApplication, loop: qasync.QEventLoop) -> None:
    """Run the callbacks that finished tasks left behind before the loop closes.

    A transport's ``close()`` only schedules the socket's closing
    (``call_soon(_call_connection_lost)``); a loop closed before that callback
    runs drops it, and the socket is then found open by the garbage collector
    (a ``ResourceWarning``, an error under ``filterwarnings = error``) during
    some later test.  Qt events are processed until no new callback runs:
    those left are cancelled or are timers far in the future.
    """
    callbacks = loop._timer._SimpleTimer__callbacks  # type: ignore[attr-defined]

    def live() -> set[int]:
        return {id(handle) for handle in callbacks.values() if not handle.cancelled()}

    before = live()
    for _ in range(50):
        QApplication.processEvents(QtEventLoop.ProcessEventsFlag.AllEvents, 10)
        after = live()
        if not after or after == before:
            return
        before = after


def run_until(app: QApplication, condition: Any, timeout_ms: int = 5000) -> bool:
    """Process Qt (and so asyncio) events until *condition()* is true or time runs out."""
    if condition():
        return True
    waiter = QtEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(waiter.quit)
    timer.start(timeout_ms)
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: waiter.quit() if condition() else None)
    poll.start()
    waiter.exec()
    poll.stop()
    timer.stop()
    return bool(condition())


def run_coroutine(app: QApplication, coro: Coroutine[Any, Any, T], timeout_ms: int = 10000) -> T:
    """Run *coro* as a task on the running qasync loop and wait for its result."""
    task = asyncio.get_running_loop().create_task(coro)
    if not run_until(app, task.done, timeout_ms):
        task.cancel()
        run_until(app, task.done, 2000)
        raise TimeoutError(f"{coro!r} did not finish in {timeout_ms} ms")
    return task.result()
