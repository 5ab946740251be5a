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

One change to qasync (:class:`QtLoop`): a socket that became readable is
read in the socket notifier's own slot.  qasync schedules that read with
``call_soon`` -- a Qt timer and one more turn of Qt's event loop, on the way
of every ringing event to its popup (issue 14).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable, Coroutine
from typing import Any

import qasync
from PySide6.QtCore import QSocketNotifier
from PySide6.QtWidgets import QApplication

log = logging.getLogger("kobikom.ui.loop")


class QtLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync is untyped
    """qasync's event loop, reading a readable socket at once (see the module docstring).

    As in asyncio's own loop, the reader runs as a :class:`asyncio.Handle` (an
    exception goes to the loop's exception handler) while its socket stays
    readable (level-triggered): the notifier is not switched off meanwhile,
    because nothing runs between the notifier and the read.
    """

    def _add_reader(self, fd: Any, callback: Callable[..., object], *args: Any) -> None:
        self._check_closed()
        existing = self._read_notifiers.pop(fd, None)
        if existing is not None:
            existing.setEnabled(False)
            existing.activated["int"].disconnect()
        fileno = fd if isinstance(fd, int) else fd.fileno()
        notifier = QSocketNotifier(fileno, QSocketNotifier.Type.Read)
        handle = asyncio.Handle(callback, args, self)
        # ["int"]: qasync's _remove_reader and close() disconnect that overload
        activated: Any = notifier.activated  # the stubs know no overload index
        activated["int"].connect(lambda *_: self._reader_ready(fd, notifier, handle))
        notifier.setEnabled(True)
        self._read_notifiers[fd] = notifier

    def _reader_ready(self, fd: Any, notifier: QSocketNotifier, handle: asyncio.Handle) -> None:
        notifiers = self._read_notifiers
        if notifiers is None or notifiers.get(fd) is not notifier:
            notifier.setEnabled(False)  # removed or replaced since Qt queued this
            return
        handle._run()


def run(app: QApplication, main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run ``main()`` on a Qt-integrated asyncio loop until it returns an exit code."""
    loop = QtLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return int(loop.run_until_complete(main()))
    except RuntimeError as exc:
        if "stopped before Future completed" not in str(exc):
            raise
        # Qt left its event loop under us: the display connection broke or the
        # session ended.  Not a crash of ours; say so and exit with an error status.
        log.warning("Qt's event loop ended before the app finished (display lost?)")
        return 1
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


def quit_on_signals(app: QApplication, request_quit: Callable[[], None],
                    signals: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM),
                    ) -> _SignalWatch:
    """Call *request_quit* on SIGINT/SIGTERM (logout, ``kill``, Ctrl+C).

    The app then shuts down in order (channel closed, databases closed) and
    its main coroutine returns; calling ``QApplication.quit()`` directly would
    stop the loop under the shutdown.

    Python runs signal handlers only when the interpreter gets control, which
    may not happen while Qt waits in C++.  ``signal.set_wakeup_fd`` writes to a
    socket pair that a ``QSocketNotifier`` watches, so Qt wakes up at once.
    Keep the returned object alive while the app runs; ``close()`` it at exit.
    """
    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)
    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.set_wakeup_fd(wsock.fileno())
        for sig in signals:
            signal.signal(sig, lambda *_: None)  # the wakeup fd does the work
    notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read, app)

    def woke() -> None:
        with contextlib.suppress(OSError):
            data = rsock.recv(64)
            if data:
                log.info("signal %s received: quitting", ",".join(str(b) for b in data))
                request_quit()

    notifier.activated.connect(woke)
    return _SignalWatch(rsock, wsock, notifier)


class _SignalWatch:
    """Keeps the wakeup sockets alive; :meth:`close` restores the defaults."""

    def __init__(self, rsock: socket.socket, wsock: socket.socket,
                 notifier: QSocketNotifier) -> None:
        self._socks = (rsock, wsock)
        self._notifier = notifier

    def close(self) -> None:
        self._notifier.setEnabled(False)
        with contextlib.suppress(ValueError):
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
        for sock in self._socks:
            sock.close()


__all__ = ["QtLoop", "qasync", "quit_future", "quit_on_signals", "run"]
