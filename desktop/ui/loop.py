"""The one place where asyncio meets Qt's event loop.

We run asyncio *inside* Qt's loop with qasync, so sockets, HTTP and timers
of the asyncio services and the widgets share one thread and no locks are
needed.  qasync has known problems on Windows (qasync #8: hangs with the
proactor loop; #121: handle exhaustion with many sockets).  Everything that
depends on qasync is in this module, so the integration can be replaced
(for example by a second thread running a plain asyncio loop and Qt signals
crossing threads) without touching any other file.

Rules kept elsewhere because of this design:

* nothing blocks the loop: keyring, bulk SQL, decoding and QR rendering go
  through ``asyncio.to_thread`` or Qt's asynchronous APIs;
* every task is referenced (:class:`desktop.core.tasks.TaskSet`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtWidgets import QApplication

log = logging.getLogger("kobikom.ui.loop")


def run(app: QApplication, main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run ``main()`` on a Qt-integrated asyncio loop until it returns an exit code."""
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return int(loop.run_until_complete(main()))
    finally:
        asyncio.set_event_loop(None)


def quit_future() -> asyncio.Future[None]:
    """A future that completes when the QApplication is about to quit."""
    fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    app = QApplication.instance()
    assert app is not None

    def done() -> None:
        if not fut.done():
            fut.set_result(None)

    app.aboutToQuit.connect(done)
    return fut


__all__ = ["qasync", "quit_future", "run"]
