"""One app instance per user session.

The first instance listens on a ``QLocalServer`` (a Unix socket / named
pipe).  A second launch connects, hands over its arguments (e.g. a
``tel:`` link clicked in the browser) as one JSON line and exits; the first
instance emits :attr:`SingleInstance.messageReceived` with them.

The server name includes the user and the data folder, so two users on one
machine, or a test with its own ``KOBIKOM_DESKTOP_HOME``, never collide.

**No races** (:func:`claim`).  Two launches at the same moment used to both
find no server, and the second, failing to listen, deleted the first one's
socket as "stale": two tray apps.  Now:

* who may become the instance is decided by a lock file held for the whole
  life of the instance (``QLockFile``: an OS lock plus the holder's PID, so
  the lock of a crashed instance is recognised as stale and taken over);
* a launch that does not get the lock hands its arguments over to the
  holder, retrying while the holder is still starting to listen;
* the holder, if listening fails, first asks whether something answers on
  the name (an instance without the lock, e.g. an older version), and hands
  over to it; only a socket nobody answers on is removed as stale.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop.ui.instance_lock import instance_lock

log = logging.getLogger("kobikom.ui.instance")

#: How long a second instance waits for the first one to answer.
CONNECT_TIMEOUT_MS: Final = 800
WRITE_TIMEOUT_MS: Final = 2000
#: A hand-over message larger than this is dropped (argv is small).
MAX_MESSAGE: Final = 64 * 1024
#: How long a launch that lost the race keeps trying to hand over while the
#: instance that holds the lock starts listening.
CLAIM_WAIT_S: Final = 15.0
#: Pause between two hand-over attempts while waiting.
CLAIM_RETRY_S: Final = 0.1
#: "Is anybody there?" connects give up this soon (a stale socket refuses at once).
PROBE_TIMEOUT_MS: Final = 300


class InstanceError(Exception):
    """Another instance holds the lock but never took the hand-over."""


def server_name(scope: str) -> str:
    digest = hashlib.sha256(f"{getpass.getuser()}\0{scope}".encode()).hexdigest()[:16]
    return f"kobikom-desktop-{digest}"


def hand_over(name: str, argv: list[str], *, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Send *argv* to a running instance; True if one took it."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(timeout_ms):
        return False
    payload = json.dumps({"argv": argv, "cwd": os.getcwd()}).encode() + b"\n"
    sock.write(payload)
    ok = sock.waitForBytesWritten(WRITE_TIMEOUT_MS)
    sock.disconnectFromServer()
    return bool(ok)


class SingleInstance(QObject):
    """The listening side.

    Signals:
        messageReceived(dict): ``{"argv": [...], "cwd": "..."}`` from a second launch.
    """

    messageReceived = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None, *,
                 lock: QLockFile | None = None, hold: bool = False) -> None:
        """*hold*: keep messages until :meth:`release` (the app is still starting:
        a ``tel:`` link clicked meanwhile must not be lost)."""
        super().__init__(parent)
        self.name = name
        #: The instance lock (see :func:`claim`), held until :meth:`close`.
        self._lock = lock
        self._held: list[dict[str, Any]] | None = [] if hold else None
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        """Start listening.  False when another instance answers on the name.

        A socket left by a crashed instance is removed, but only when nothing
        answers on it: a live instance's socket is never deleted.  (Asked
        first: with socket options set, Qt binds in a temporary folder and
        *renames* the socket onto the name, so ``listen`` would silently take
        the name from a running instance instead of failing.)
        """
        if answers(self.name):
            log.info("another instance answers on %s", self.name)
            return False
        if self._server.listen(self.name):
            return True
        log.info("removing a stale single-instance socket (nothing answers on it)")
        QLocalServer.removeServer(self.name)
        ok = self._server.listen(self.name)
        if not ok:
            log.warning("single-instance server not listening: %s", self._server.errorString())
        return ok

    def close(self) -> None:
        self._server.close()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = bytearray()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._finish(s))

    def _read(self, sock: QLocalSocket) -> None:
        buf = self._buffers.get(sock)
        if buf is None:
            return
        buf.extend(bytes(sock.readAll().data()))
        if len(buf) > MAX_MESSAGE:
            log.warning("dropping an oversized hand-over message")
            self._buffers.pop(sock, None)
            sock.abort()
            return
        if b"\n" in buf:
            self._deliver(bytes(buf).split(b"\n", 1)[0])
            buf.clear()

    def _finish(self, sock: QLocalSocket) -> None:
        buf = self._buffers.pop(sock, None)
        if buf:
            self._deliver(bytes(buf))
        sock.deleteLater()

    def _deliver(self, data: bytes) -> None:
        try:
            message: Any = json.loads(data)
        except ValueError:
            log.warning("ignoring a malformed hand-over message")
            return
        if not isinstance(message, dict) or not isinstance(message.get("argv"), list):
            log.warning("ignoring a hand-over message of the wrong shape")
            return
        message["argv"] = [str(a) for a in message["argv"]][:16]
        log.info("arguments handed over by a second launch: %d", len(message["argv"]))
        if self._held is not None:
            self._held.append(message)
            return
        self.messageReceived.emit(message)

    def release(self) -> None:
        """Deliver the messages held so far, and every later one at once."""
        held, self._held = self._held, None
        for message in held or ():
            self.messageReceived.emit(message)


def answers(name: str) -> bool:
    """Something accepts connections on *name* (a live instance, not a stale socket)."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    ok = sock.waitForConnected(PROBE_TIMEOUT_MS)
    if ok:
        sock.disconnectFromServer()
    return bool(ok)


def claim(name: str, argv: list[str], lock_path: Path, *,
          wait: float = CLAIM_WAIT_S, lock: QLockFile | None = None) -> SingleInstance | None:
    """Become the single instance, or hand *argv* over to the one that is.

    Returns the listening :class:`SingleInstance` (it holds the lock until
    closed, and the messages until :meth:`SingleInstance.release`), or None
    when a running instance took *argv*.  Raises
    :class:`InstanceError` when an instance holds the lock but has not
    answered within *wait* seconds (it is hung): never a second instance.
    *lock* is the lock at *lock_path* if the caller made it already (and
    maybe took it: :func:`desktop.launch.main` does, to show its tray icon
    before anything else).
    """
    if lock is None:
        lock = instance_lock(lock_path)
    deadline = time.monotonic() + wait
    while True:
        if lock.isLocked() or lock.tryLock(0):
            instance = SingleInstance(name, lock=lock, hold=True)
            if instance.listen():
                return instance
            # An instance without our lock answers (an older version): it is the one.
            instance.close()
            if hand_over(name, argv):
                return None
        elif hand_over(name, argv):
            return None
        if time.monotonic() >= deadline:
            owner = lock.getLockInfo()
            pid = owner[0] if isinstance(owner, tuple) and owner else "?"
            raise InstanceError(f"another instance (pid {pid}) holds {lock_path} but does "
                                f"not answer on {name}")
        time.sleep(CLAIM_RETRY_S)
