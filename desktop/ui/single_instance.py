"""One app instance per user session.

The first instance listens on a ``QLocalServer`` (a Unix socket / named
pipe).  A second launch connects, hands over its arguments (e.g. a
``tel:`` link clicked in the browser) as one JSON line and exits; the first
instance emits :attr:`SingleInstance.messageReceived` with them.

The server name includes the user and the data folder, so two users on one
machine, or a test with its own ``KOBIKOM_DESKTOP_HOME``, never collide.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
from typing import Any, Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("kobikom.ui.instance")

#: How long a second instance waits for the first one to answer.
CONNECT_TIMEOUT_MS: Final = 800
WRITE_TIMEOUT_MS: Final = 2000
#: A hand-over message larger than this is dropped (argv is small).
MAX_MESSAGE: Final = 64 * 1024


def server_name(scope: str) -> str:
    digest = hashlib.sha256(f"{getpass.getuser()}\0{scope}".encode()).hexdigest()[:16]
    return f"kobikom-desktop-{digest}"


def hand_over(name: str, argv: list[str]) -> bool:
    """Send *argv* to a running instance; True if one took it."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(CONNECT_TIMEOUT_MS):
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

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytearray] = {}

    def listen(self) -> bool:
        """Start listening; removes a stale socket left by a crashed instance."""
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        ok = self._server.listen(self.name)
        if not ok:
            log.warning("single-instance server not listening: %s", self._server.errorString())
        return ok

    def close(self) -> None:
        self._server.close()

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
        self.messageReceived.emit(message)
