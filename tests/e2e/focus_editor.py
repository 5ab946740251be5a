"""A stand-in for the agent's work: a window with a focused line edit.

Run by ``test_focus.py`` under the test's X display (Qt's xcb platform).  It
prints one JSON line per change on stdout: ``{"ready": true, "window": id}``
once the line edit has the keyboard focus in an active window, then
``{"text": "..."}`` for every edit, so the test reads exactly what the
keyboard delivered here.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

TITLE = "kobikom-e2e-editor"


def say(**data: object) -> None:
    print(json.dumps(data), flush=True)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle(TITLE)
    edit = QLineEdit(window)
    QVBoxLayout(window).addWidget(edit)
    window.setGeometry(80, 120, 480, 90)
    edit.textChanged.connect(lambda text: say(text=text))
    window.show()
    window.activateWindow()
    edit.setFocus()

    announced = []

    def check_ready(*_widgets: object) -> None:
        if not announced and window.isActiveWindow() and app.focusWidget() is edit:
            announced.append(True)
            say(ready=True, window=int(window.winId()))

    app.focusChanged.connect(check_ready)
    check_ready()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
