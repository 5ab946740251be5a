"""The floor: a bare popup on the same TCP stream (the agent-view benchmark's B side).

    python bench/bare/bare_popup.py HOST PORT DOMAIN_UUID EXTENSION

Logs in like the app (Bulut TCP handshake), reads newline-delimited JSON and
shows one bare QLabel (the app popup's window flags) per ``ringing`` event
of EXTENSION; ``hangup`` or the window manager's close button closes it.
"""

import json
import sys

from PySide6.QtCore import Qt
from PySide6.QtNetwork import QTcpSocket
from PySide6.QtWidgets import QApplication, QLabel

FLAGS = (Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)

app = QApplication(sys.argv[:1])
host, port, domain, extension = sys.argv[1:5]
labels: dict[str, QLabel] = {}
buffer = bytearray()
sock = QTcpSocket()


def on_ready_read() -> None:
    buffer.extend(sock.readAll().data())
    *lines, rest = bytes(buffer).split(b"\n")
    buffer[:] = rest
    for line in lines:
        event = json.loads(line) if line.strip().startswith(b"{") else {}
        call = str(event.get("callUUID", ""))
        if event.get("event") == "ringing" and event.get("extension") == extension:
            label = QLabel(f"{event.get('callerNumber', '')}", None, FLAGS)
            label.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            label.setWindowTitle("bare popup")
            label.destroyed.connect(lambda _=None, c=call: labels.pop(c, None))
            labels[call] = label
            label.show()
        elif event.get("event") == "hangup" and call in labels:
            labels[call].close()


sock.readyRead.connect(on_ready_read)
sock.connected.connect(lambda: sock.write(json.dumps(
    {"type": "handshake", "domainUuid": domain}).encode() + b"\n"))
sock.connectToHost(host, int(port))
app.setQuitOnLastWindowClosed(False)
sys.exit(app.exec())
