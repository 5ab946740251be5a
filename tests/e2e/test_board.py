"""The team and queue board in the real app, opened from the real tray menu.

The app runs in demo mode: its embedded simulator (KobiPBX, FreeSWITCH
profile) plays a team of twelve with three queues.  The board reads the
team over HTTP when the line connects (one connection: it hears the line's
events through the supervisor's fan-out), and the tray menu's entry opens
its window, in English and in Turkish (the entry's mnemonic: ``T`` /
``E``).  The screenshots land in ``test-artifacts/`` to be looked at.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

TRAY_GEOMETRY = r"tray icon geometry: (-?\d+),(-?\d+) (\d+)x(\d+)"
MENU_TIMEOUT_S = 10
WINDOW_TIMEOUT_S = 15


def app_windows(x_display: XDisplay) -> int:
    """How many visible windows the app has (a menu is one, without a title)."""
    done = x_display.run_tool("xdotool", "search", "--onlyvisible", "--classname",
                              "kobikom-desktop", check=False)
    return len(done.stdout.split())


@pytest.mark.parametrize(("lang", "key", "title"), [
    ("C.UTF-8", "t", "Team and queues – Kobikom Desktop"),
    ("tr_TR.UTF-8", "e", "Ekip ve kuyruklar – Kobikom Desktop"),
], ids=["en", "tr"])
def test_the_tray_menu_opens_the_board_of_the_demo_team(
        launch_app, x_display: XDisplay, screenshot, lang: str, key: str, title: str) -> None:
    app = launch_app("--demo", lang=lang)
    app.wait_for_log(TRAY_GEOMETRY)
    app.wait_for_log(r"board: 12 colleague\(s\), 3 queue\(s\) from the kobipbx lists")
    assert x_display.find_windows(title) == []

    x, y = x_display.tray_icon_center()
    before = app_windows(x_display)
    x_display.run_tool("xdotool", "mousemove", str(x), str(y), "click", "3")
    deadline = time.monotonic() + MENU_TIMEOUT_S
    while app_windows(x_display) <= before:  # keys sent before the menu maps are lost
        assert time.monotonic() < deadline, "the tray menu did not open"
        time.sleep(0.05)
    screenshot(x_display, "tray-menu")
    x_display.run_tool("xdotool", "key", key)
    (window,) = x_display.wait_for_windows(title, timeout=WINDOW_TIMEOUT_S)
    geometry = x_display.window_geometry(window)
    assert geometry.width >= 600
    assert geometry.height >= 400
    time.sleep(2)  # the demo's calls and a duration tick on screen
    screenshot(x_display, "board")
    assert app.running
