"""The dial hotkey's X11 backend under a real X server (Xvfb), pressed with xdotool.

The backend opens its own X connection to the Xvfb display (the test's Qt
runs offscreen; the hotkey does not need Qt's own display), grabs the key
on the root window, and xdotool presses keys through XTEST like a keyboard.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.hotkeys import parse_hotkey
from desktop.ui.hotkey import GlobalHotkey
from desktop.ui.hotkey_backend import TAKEN, HotkeyUnavailable
from desktop.ui.hotkey_x11 import X11Hotkey
from tests.helpers.xserver import XDisplay, require_programs

SIGNAL_TIMEOUT_MS = 5000


@pytest.fixture
def xvfb(tmp_path: Path) -> Iterator[XDisplay]:
    require_programs("Xvfb", "xdotool")
    display = XDisplay(tmp_path / "x-hotkey", window_manager=False, tray=False).start()
    try:
        yield display
    finally:
        display.stop()


def press(display: XDisplay, *keys: str) -> None:
    display.run_tool("xdotool", "key", "--clearmodifiers", *keys)


def make_hotkey(xvfb: XDisplay, presses: list[int]) -> X11Hotkey:
    return X11Hotkey(lambda: presses.append(1), display=xvfb.display)


def test_the_combination_is_heard_and_other_keys_are_not(qtbot: QtBot, xvfb: XDisplay) -> None:
    presses: list[int] = []
    hotkey = make_hotkey(xvfb, presses)
    hotkey.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    try:
        press(xvfb, "ctrl+d", "alt+d", "d", "ctrl+shift+alt+d", "ctrl+alt+e")
        press(xvfb, "ctrl+alt+d")  # the one that counts, after the others
        qtbot.waitUntil(lambda: len(presses) >= 1, timeout=SIGNAL_TIMEOUT_MS)
        qtbot.wait(200)  # anything late from the other presses would arrive by now
        assert len(presses) == 1
        assert hotkey.presses == 1
    finally:
        hotkey.unregister()


def test_caps_lock_and_num_lock_do_not_matter(qtbot: QtBot, xvfb: XDisplay) -> None:
    presses: list[int] = []
    hotkey = make_hotkey(xvfb, presses)
    hotkey.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    try:
        press(xvfb, "Num_Lock")
        press(xvfb, "ctrl+alt+d")
        qtbot.waitUntil(lambda: len(presses) == 1, timeout=SIGNAL_TIMEOUT_MS)
        press(xvfb, "Caps_Lock")
        press(xvfb, "ctrl+alt+d")
        qtbot.waitUntil(lambda: len(presses) == 2, timeout=SIGNAL_TIMEOUT_MS)
    finally:
        hotkey.unregister()


@pytest.mark.parametrize(("text", "keys"), [
    ("Ctrl+Shift+F9", "ctrl+shift+F9"),
    ("Alt+Meta+Space", "alt+super+space"),
    ("Ctrl+Alt+PageDown", "ctrl+alt+Next"),
    ("Ctrl+Alt+7", "ctrl+alt+7"),
])
def test_other_combinations(qtbot: QtBot, xvfb: XDisplay, text: str, keys: str) -> None:
    presses: list[int] = []
    hotkey = make_hotkey(xvfb, presses)
    hotkey.register(parse_hotkey(text))  # type: ignore[arg-type]
    try:
        press(xvfb, keys)
        qtbot.waitUntil(lambda: len(presses) == 1, timeout=SIGNAL_TIMEOUT_MS)
    finally:
        hotkey.unregister()


def test_a_combination_another_program_holds_is_reported_taken(qtbot: QtBot,
                                                               xvfb: XDisplay) -> None:
    first_presses: list[int] = []
    other = make_hotkey(xvfb, first_presses)  # "another program": its own X connection
    other.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    try:
        ours = make_hotkey(xvfb, [])
        with pytest.raises(HotkeyUnavailable) as caught:
            ours.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
        assert caught.value.code == TAKEN
        assert "already taken" in str(caught.value)
        # The failed attempt left the other program's grab alone.
        press(xvfb, "ctrl+alt+d")
        qtbot.waitUntil(lambda: len(first_presses) == 1, timeout=SIGNAL_TIMEOUT_MS)
    finally:
        other.unregister()
    # Released: now it can be ours.
    presses: list[int] = []
    ours = make_hotkey(xvfb, presses)
    ours.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    try:
        press(xvfb, "ctrl+alt+d")
        qtbot.waitUntil(lambda: len(presses) == 1, timeout=SIGNAL_TIMEOUT_MS)
    finally:
        ours.unregister()


def test_global_hotkey_signals_and_problems(qtbot: QtBot, xvfb: XDisplay) -> None:
    holder = make_hotkey(xvfb, [])
    holder.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    hotkey = GlobalHotkey(lambda pressed: X11Hotkey(pressed, display=xvfb.display))
    try:
        with qtbot.waitSignal(hotkey.problemChanged, timeout=SIGNAL_TIMEOUT_MS) as problem:
            assert not hotkey.set_hotkey("Ctrl+Alt+D")
        assert problem.args[0] == TAKEN
        assert hotkey.set_hotkey("Ctrl+Alt+K")
        assert hotkey.problem == ("", "")
        assert str(hotkey.hotkey) == "Ctrl+Alt+K"
        with qtbot.waitSignal(hotkey.activated, timeout=SIGNAL_TIMEOUT_MS):
            press(xvfb, "ctrl+alt+k")
        assert not hotkey.set_hotkey("K")  # refused before it reaches the server
        assert hotkey.problem[0] == "no-key"
        assert hotkey.set_hotkey("")  # off: no problem, nothing grabbed
        assert hotkey.hotkey is None
    finally:
        hotkey.stop()
        holder.unregister()


def test_the_x_server_going_away_is_not_a_crash(qtbot: QtBot, tmp_path: Path) -> None:
    require_programs("Xvfb")
    display = XDisplay(tmp_path / "x-gone", window_manager=False, tray=False).start()
    hotkey = X11Hotkey(lambda: None, display=display.display)
    hotkey.register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    display.stop()
    qtbot.waitUntil(lambda: hotkey._display is None, timeout=SIGNAL_TIMEOUT_MS)
    hotkey.unregister()  # nothing left to release; no error


# python-xlib leaves its half-made socket to the garbage collector when it cannot connect.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_no_x_server_is_unavailable_not_a_crash() -> None:
    with pytest.raises(HotkeyUnavailable) as caught:
        X11Hotkey(lambda: None, display=":4242").register(parse_hotkey("Ctrl+Alt+D"))  # type: ignore[arg-type]
    assert caught.value.code == "no-backend"
    gc.collect()  # collect python-xlib's sockets here, not in a later test
