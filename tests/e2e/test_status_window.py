"""Without a system tray the app shows a status window instead of vanishing."""

from __future__ import annotations

import pytest

from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

#: The StatusWindow's title names the app and why it is shown (desktop/ui/no_tray.py).
STATUS_TITLE = r"^Kobikom Desktop – no system tray"


def test_no_tray_window(bare_x_display: XDisplay, launch_app, screenshot) -> None:
    # bare_x_display first: pytest tears fixtures down in reverse, so the app is
    # stopped (and checked for an orderly shutdown) before its display goes away.
    app = launch_app(display=bare_x_display)
    app.wait_for_log(r"no system tray on this desktop: showing a status window instead")
    app.wait_for_log(r"tray shown \(StatusWindow\)")
    app.wait_for_log(r"no account configured")
    (window,) = bare_x_display.wait_for_windows(STATUS_TITLE, timeout=10)
    assert bare_x_display.window_name(window).startswith("Kobikom Desktop – no system tray")
    geometry = bare_x_display.window_geometry(window)
    assert geometry.width > 200, geometry
    assert geometry.height > 100, geometry
    screenshot(bare_x_display, "status-window")
