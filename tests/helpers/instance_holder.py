"""Another process on the single-instance name, for tests/gui/test_single_instance.py.

``python -m tests.helpers.instance_holder NAME LOCK MODE [DELAY]`` where MODE is

``listen``          listen on NAME without the lock (an older version of the app);
``lock-then-listen`` take LOCK, wait DELAY seconds, then listen (an instance starting);
``lock-only``       take LOCK and never listen (a hung instance);
``lock-and-listen`` take LOCK and listen at once (a normal instance).

It prints ``ready`` once set up, and every hand-over message it receives as one
JSON line, until killed.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import QCoreApplication, QLockFile, QTimer
from PySide6.QtNetwork import QLocalServer


def main() -> int:
    name, lock_path, mode = sys.argv[1:4]
    delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    app = QCoreApplication(sys.argv[:1])
    lock = QLockFile(lock_path)
    if mode.startswith("lock") and not lock.tryLock(0):
        print("lock-busy", flush=True)
        return 1
    server = QLocalServer()

    def accept() -> None:
        while server.hasPendingConnections():
            sock = server.nextPendingConnection()
            sock.readyRead.connect(
                lambda s=sock: print(json.dumps({"got": bytes(s.readAll().data()).decode()}),
                                     flush=True))

    server.newConnection.connect(accept)

    def listen() -> None:
        if not server.listen(name):
            print(f"listen-failed {server.errorString()}", flush=True)
            app.exit(2)
            return
        print("listening", flush=True)

    print("ready", flush=True)
    if mode == "listen" or mode == "lock-and-listen":
        listen()
    elif mode == "lock-then-listen":
        QTimer.singleShot(int(delay * 1000), listen)
    elif mode != "lock-only":
        raise SystemExit(f"unknown mode {mode}")
    time.sleep(0)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
