"""The dial hotkey in the real app under Xvfb: select a number anywhere, press Ctrl+Alt+D.

Another program owns the X selection (``xclip``, as a terminal or a browser
would); xdotool presses the keys through XTEST like a keyboard.  The app
(demo mode: its embedded simulator) shows the confirmation with the number,
and dials only after "Call".  With nothing selected it dials the clipboard.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.appprocess import AppProcess
from tests.helpers.xserver import XDisplay, require_programs, stop_process

pytestmark = pytest.mark.e2e

CONFIRM_TITLE = "Confirm call"
WINDOW_TIMEOUT_S = 20.0
SELECTION_TIMEOUT_S = 10.0


class SelectionOwner:
    """``xclip -quiet``: owns an X selection with *text* until stopped."""

    def __init__(self, display: XDisplay, selection: str, text: str) -> None:
        require_programs("xclip")
        self.display = display
        self.selection = selection
        self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
            ["xclip", "-quiet", "-selection", selection], env=display.env,
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode())
        self.process.stdin.close()
        deadline = time.monotonic() + SELECTION_TIMEOUT_S
        while self.read() != text:  # xclip owns it once it answers
            assert time.monotonic() < deadline, f"xclip did not take the {selection} selection"
            time.sleep(0.05)

    def read(self) -> str:
        done = self.display.run_tool("xclip", "-o", "-selection", self.selection, check=False)
        return done.stdout

    def stop(self) -> None:
        process, self.process = self.process, None
        stop_process(process)  # type: ignore[arg-type]


@pytest.fixture
def own_selection(x_display: XDisplay) -> Iterator[Callable[[str, str], SelectionOwner]]:
    owners: list[SelectionOwner] = []

    def own(selection: str, text: str) -> SelectionOwner:
        owner = SelectionOwner(x_display, selection, text)
        owners.append(owner)
        return owner

    yield own
    for owner in owners:
        owner.stop()


def press_hotkey(display: XDisplay) -> None:
    display.run_tool("xdotool", "key", "--clearmodifiers", "ctrl+alt+d")


def confirm_window(display: XDisplay) -> int:
    return display.wait_for_windows(CONFIRM_TITLE, WINDOW_TIMEOUT_S)[0]


def start_app(launch_app: Callable[..., AppProcess]) -> AppProcess:
    app = launch_app("--demo")
    app.wait_for_log(r"tray shown")
    app.wait_for_log(r"dial hotkey Ctrl\+Alt\+D registered")
    app.wait_for_log(r"demo simulator on http://127\.0\.0\.1:\d+")
    return app


def test_the_hotkey_dials_the_selected_number_after_the_confirmation(
        launch_app: Callable[..., AppProcess], x_display: XDisplay,
        own_selection: Callable[[str, str], SelectionOwner],
        screenshot: Callable[[XDisplay, str], Path]) -> None:
    app = start_app(launch_app)
    own_selection("clipboard", "1002")  # the selection wins over the clipboard
    own_selection("primary", "Müşteri Ayşe Hanım – 0 (532) 123 45 67, öğleden sonra")
    mark = app.mark()
    press_hotkey(x_display)
    app.wait_for_log(r"dial hotkey: dialling the selection", since=mark)
    window = confirm_window(x_display)
    screenshot(x_display, "confirm")
    assert "Confirm call" in x_display.window_name(window)
    assert not any("from hotkey via" in line for line in app.lines())  # nothing sent yet
    # The agent clicks "Call": activate the dialog, Tab from Cancel (the default) to Call.
    x_display.run_tool("xdotool", "windowactivate", "--sync", str(window))
    x_display.run_tool("xdotool", "key", "Tab", "space")
    app.wait_for_log(r"dial \+90\*+67 from hotkey via kobipbx: started", since=mark)


def test_without_a_selection_the_clipboard_is_dialled_and_cancel_sends_nothing(
        launch_app: Callable[..., AppProcess], x_display: XDisplay,
        own_selection: Callable[[str, str], SelectionOwner]) -> None:
    app = start_app(launch_app)
    own_selection("clipboard", " 1002\n")
    mark = app.mark()
    press_hotkey(x_display)
    app.wait_for_log(r"dial hotkey: dialling the clipboard", since=mark)
    window = confirm_window(x_display)
    x_display.run_tool("xdotool", "windowactivate", "--sync", str(window))
    x_display.run_tool("xdotool", "key", "Escape")
    app.wait_for_log(r"dial 1002 from hotkey cancelled by the agent", since=mark)
    assert not any("from hotkey via" in line for line in app.lines())


def test_nothing_selected_nothing_copied_says_so(launch_app: Callable[..., AppProcess],
                                                 x_display: XDisplay) -> None:
    app = start_app(launch_app)
    mark = app.mark()
    press_hotkey(x_display)
    app.wait_for_log(r"dial hotkey: nothing selected or copied", since=mark)
    assert not x_display.find_windows(CONFIRM_TITLE)
