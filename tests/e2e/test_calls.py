"""Calls rung through the simulator's control API pop up, close, and stack.

The app runs in Turkish (``LANG=tr_TR.UTF-8``) against a standalone
``kobikom-desktop simulator``; the popup is found on the real X display by
its title, which carries the caller's E.164 number.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers.appprocess import SimulatorProcess, logged_id, write_app_settings
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

AUTO_CLOSE_S = 2
CALLER = "05321234567"
CALLER_TITLE = r"Kobikom – \+905321234567"
SECOND_CALLER = "02163347190"
SECOND_TITLE = r"Kobikom – \+902163347190"


def _start(launch_app, simulator: SimulatorProcess, tmp_path, lang: str = "tr_TR.UTF-8"):
    home = tmp_path / "home"
    write_app_settings(home, simulator, auto_close_seconds=AUTO_CLOSE_S)
    app = launch_app(home=home, lang=lang)
    app.wait_for_log(r"tray shown \(TrayController\)")
    app.wait_for_log(r"bulut-tcp .*: connected, login sent")
    simulator.wait_logged_in()  # no login reply under the default (FreeSWITCH) profile
    return app


def test_call_via_simulator_control(launch_app, simulator: SimulatorProcess,
                                    x_display: XDisplay, screenshot, tmp_path) -> None:
    app = _start(launch_app, simulator, tmp_path)

    # One call: it pops up, is answered, hung up, and closes itself after the delay.
    call = simulator.ring("1001", CALLER, answer_after=0.5)
    app.wait_for_log(rf"popup shown for call {logged_id(call)}")
    window = x_display.wait_for_windows(CALLER_TITLE, timeout=10)
    assert len(window) == 1
    assert "Kobikom – +905321234567" in x_display.window_name(window[0])
    screenshot(x_display, "ringing")
    app.wait_for_log(rf"call {logged_id(call)} answered")
    assert simulator.hangup(call)
    hung_up = time.time()
    closed = app.wait_for_log(rf"popup closed for call {logged_id(call)}",
                              timeout=AUTO_CLOSE_S + 10)
    assert closed.timestamp - hung_up >= AUTO_CLOSE_S - 0.5, "closed before the auto-close delay"
    assert x_display.find_windows(CALLER_TITLE) == []

    # Two calls at once: two popups, one above the other, not overlapping.
    first = simulator.ring("1001", CALLER)
    app.wait_for_log(rf"popup shown for call {logged_id(first)}")
    second = simulator.ring("1001", SECOND_CALLER)
    app.wait_for_log(rf"popup shown for call {logged_id(second)}")
    (one,) = x_display.wait_for_windows(CALLER_TITLE, timeout=10)
    (two,) = x_display.wait_for_windows(SECOND_TITLE, timeout=10)
    screenshot(x_display, "two-calls")
    a, b = x_display.window_geometry(one), x_display.window_geometry(two)
    width, height = x_display.size
    assert a.inside(width, height), a
    assert b.inside(width, height), b
    assert not a.overlaps(b), (a, b)
    assert a.x == b.x, f"popups not in one column: {a} {b}"
    assert b.bottom <= a.y, f"second popup not stacked above the first: {a} {b}"

    for call_id in (first, second):
        assert simulator.answer(call_id)
        app.wait_for_log(rf"call {logged_id(call_id)} answered")
        assert simulator.hangup(call_id)
    for call_id in (first, second):
        app.wait_for_log(rf"popup closed for call {logged_id(call_id)}",
                         timeout=AUTO_CLOSE_S + 10)
    assert x_display.find_windows(r"Kobikom – \+90") == []
