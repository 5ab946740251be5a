"""Run by test_focus_x11.py on a real X server: does a popup leave the keyboard alone?

A normal window with a focused line edit is shown, then a caller popup.
xdotool types into whatever has the X input focus and clicks the popup's
"Add to contacts" button with the real pointer; then the next call reuses the
window and the same is checked again.  The results are printed as
one JSON object on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.numbers import parse_number
from desktop.ui.popup import PopupManager, compositing_available

#: Longest wait for any one condition (the window manager, xdotool, Qt).
CONDITION_TIMEOUT_S = 10.0


def wait_for(condition: Callable[[], bool], timeout: float = CONDITION_TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        QTest.qWait(20)
    return bool(condition())


def xdotool(*args: str) -> str:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True,
                          check=False).stdout.strip()


def main() -> int:
    app = QApplication(sys.argv[:1])
    result: dict[str, object] = {"platform": app.platformName(),
                                 "compositing": compositing_available(app.platformName())}
    window = QWidget()
    window.setWindowTitle("editor")
    edit = QLineEdit(window)
    QVBoxLayout(window).addWidget(edit)
    window.setGeometry(100, 100, 400, 100)
    window.show()
    window.activateWindow()
    edit.setFocus()
    result["editor_focused"] = wait_for(
        lambda: app.focusWidget() is edit and xdotool("getwindowfocus", "getwindowname")
        == "editor")

    manager = PopupManager(cursor_pos=lambda: QPoint(150, 150), app=app)
    added: list[str] = []
    manager.addContactRequested.connect(lambda card: added.append(card.call_id))
    popup = manager.show_card(CallerCard(call_id="c1", state=CardState.RINGING,
                                         number=parse_number("05321234567")))
    # Mapped and managed: the window manager has made its focus decision.
    result["popup_found_by_title"] = wait_for(lambda: bool(xdotool(
        "search", "--onlyvisible", "--name", r"^Kobikom – \+905321234567$")))
    result["x_focus_after_popup"] = xdotool("getwindowfocus", "getwindowname")
    result["qt_focus_is_edit"] = app.focusWidget() is edit
    result["popup_active"] = popup.isActiveWindow()

    xdotool("type", "--delay", "10", "abc")
    result["typed"] = wait_for(lambda: edit.text() == "abc") and edit.text()

    button = popup.add_contact_button
    center = button.mapToGlobal(button.rect().center())
    xdotool("mousemove", str(center.x()), str(center.y()), "click", "1")
    result["click_reached_button"] = wait_for(lambda: added == ["c1"])
    result["x_focus_after_click"] = xdotool("getwindowfocus", "getwindowname")
    xdotool("type", "--delay", "10", "de")
    result["typed_after_click"] = wait_for(lambda: edit.text() == "abcde") and edit.text()

    # The next call reuses the window (hidden, refilled, shown again): same manners.
    popup.dismiss(by_user=True)
    again = manager.show_card(CallerCard(call_id="c2", state=CardState.RINGING,
                                         number=parse_number("02163347190")))
    result["reused_same_window"] = again is popup
    result["reused_found_by_title"] = wait_for(lambda: bool(xdotool(
        "search", "--onlyvisible", "--name", r"^Kobikom – \+902163347190$")))
    result["x_focus_after_reuse"] = xdotool("getwindowfocus", "getwindowname")
    xdotool("type", "--delay", "10", "fg")
    result["typed_after_reuse"] = wait_for(lambda: edit.text() == "abcdefg") and edit.text()

    manager.close_all()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
