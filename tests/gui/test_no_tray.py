"""The status window that stands in for a missing tray."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui.no_tray import StatusWindow
from desktop.ui.tray import MenuSection, MessageKind, TrayController
from tests.gui.cards import HOSTILE, NOW, FakeClock

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def window(qtbot, clock: FakeClock) -> StatusWindow:
    status = StatusWindow(clock=clock)
    qtbot.addWidget(status)
    status.set_extension("1001")
    status.show()
    qtbot.waitExposed(status)
    return status


def test_says_plainly_why_it_is_there(window: StatusWindow) -> None:
    assert window.notice_title.text() == "This desktop has no system tray"
    text = window.notice_text.text()
    assert "AppIndicator and KStatusNotifierItem Support" in text
    assert "gnome-shell-extension-appindicator" in text
    assert "Quit" in text
    assert window.windowTitle() == "Kobikom Desktop – no system tray"


def test_shows_state_and_reason(window: StatusWindow) -> None:
    window.set_connection(ConnectionState(Phase.RECONNECTING, reason="connection refused",
                                          retry_in=5, since=NOW))
    assert window.status_text() == "Extension 1001 · Not connected"
    assert window.reason_text() == "connection refused; retrying in 5 s"
    reconnecting = window.windowIcon().pixmap(32, 32).toImage()
    window.set_connection(ConnectionState(Phase.CONNECTED, since=NOW))
    assert window.reason_text() == ""
    assert window.windowIcon().pixmap(32, 32).toImage() != reconnecting
    window.set_missed(2)
    assert window.missed_label.text() == "2 missed calls"
    assert window.waiting_label.isHidden()
    window.set_waiting(3)  # the team board's callers waiting in the agent's queues
    assert window.waiting_label.text() == "3 callers waiting in your queues"
    assert window.look().waiting == "3"
    window.set_waiting(0)
    assert window.waiting_label.isHidden()
    assert window.look().waiting == ""


def test_offers_the_menu_as_buttons(window: StatusWindow, qtbot) -> None:
    # Tool buttons show an action's icon text: its text without the trailing "…".
    buttons = {button.text(): button for button in window.buttons.values()}
    assert set(buttons) == {"Settings", "Contacts", "Demo mode", "About", "Quit"}
    for text, signal in (("Settings", window.settingsRequested),
                         ("Contacts", window.contactsRequested),
                         ("About", window.aboutRequested)):
        with qtbot.waitSignal(signal):
            qtbot.mouseClick(buttons[text], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.demoToggled) as blocker:
        qtbot.mouseClick(buttons["Demo mode"], Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    assert "(demo mode)" in window.title_label.text()
    with qtbot.waitSignal(window.activated):
        qtbot.mouseClick(window.last_call_button, Qt.MouseButton.LeftButton)


def test_closing_minimizes_and_quit_quits(window: StatusWindow, qtbot) -> None:
    window.close()
    assert window.isVisible()
    assert window.isMinimized()
    with qtbot.waitSignal(window.quitRequested):
        window.status_actions.quit.trigger()
    window.close()
    assert not window.isVisible()


def test_later_features_get_buttons(window: StatusWindow) -> None:
    dial = QAction("Dial…")
    window.add_action(dial, MenuSection.CALLS)
    window.add_action(QAction("Check for updates"), MenuSection.APP)
    assert window.buttons[dial].defaultAction() is dial
    assert len(window.buttons) == 7


def test_messages_show_in_the_window_as_plain_text(window: StatusWindow) -> None:
    assert window.show_message("Missed call", HOSTILE, MessageKind.WARNING)
    assert window.message_text.text() == HOSTILE
    assert window.message_text.textFormat() is Qt.TextFormat.PlainText
    assert not window.message_text.isHidden()


def test_same_interface_as_the_tray() -> None:
    public = {name for name in dir(TrayController) if not name.startswith("_")}
    missing = {name for name in public if not hasattr(StatusWindow, name)}
    # The tray-only helpers (its QMenu and tooltip) have no window counterpart.
    assert missing <= {"menu", "tool_tip"}, missing


def test_what_does_not_work_besides_the_line_is_shown(window: StatusWindow, qtbot) -> None:
    assert window.problems_label.isHidden()
    window.set_problems("CRM lookup not reachable: 127.0.0.1: HTTP 500 <b>x</b>")
    assert not window.problems_label.isHidden()
    assert window.problems_label.text() == "CRM lookup not reachable: 127.0.0.1: HTTP 500 <b>x</b>"
    window.set_problems("LDAP directory not reachable: ldap://dc1.example.com.tr: no answer "
                        "within 800 ms\nAnother program already uses this key combination. "
                        "Choose another one.")
    assert not window.problems_label.isHidden()
    ARTIFACTS.mkdir(exist_ok=True)
    labels = (window.problems_label, window.notice_text)
    # The window grows for the new lines: none cut off (the layout settles, then the WM).
    qtbot.waitUntil(lambda: all(label.height() >= label.heightForWidth(label.width())
                                for label in labels))
    window.grab().save(str(ARTIFACTS / "status-window-problems.png"))
    window.set_problems("")
    assert window.problems_label.isHidden()
