"""Demo mode end to end: tray icon in a real tray host, then a caller popup on screen."""

from __future__ import annotations

import re

import pytest

from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

#: The demo's first call rings 3 s after the line is up.
FIRST_POPUP_TIMEOUT_S = 30.0


def test_demo_popup(launch_app, x_display: XDisplay, screenshot) -> None:
    app = launch_app("--demo")
    app.wait_for_log(r"tray shown \(TrayController\)")
    geometry = app.wait_for_log(r"tray icon geometry: (-?\d+),(-?\d+) (\d+)x(\d+)").match
    x, y, width, height = (int(v) for v in geometry.groups())
    assert width > 0, f"the tray host did not embed the icon: {geometry[0]}"
    assert height > 0, f"the tray host did not embed the icon: {geometry[0]}"
    screen_w, screen_h = x_display.size
    assert 0 <= x < screen_w, geometry[0]
    assert 0 <= y < screen_h, geometry[0]

    app.wait_for_log(r"demo simulator on http://127\.0\.0\.1:\d+ \(tcp \d+\)")
    app.wait_for_log(r"popup shown for call \S+", timeout=FIRST_POPUP_TIMEOUT_S)
    windows = x_display.wait_for_windows(r"Kobikom – \+90", timeout=10)
    assert len(windows) == 1, x_display.window_names()
    title = x_display.window_name(windows[0])
    assert re.search(r"Kobikom – \+90\d{10}\b", title), title
    screenshot(x_display, "popup")

    popup = x_display.window_geometry(windows[0])
    assert popup.width > 0, popup
    assert popup.height > 0, popup
    assert popup.inside(screen_w, screen_h), f"{popup} is not inside {screen_w}x{screen_h}"
