"""The line in the real app: an oversized frame is skipped, a quiet line costs nothing.

* A 2 MiB frame followed by a ringing event: the popup appears and the
  connection is not dropped (issue 11).
* A silent line for ten minutes makes no more than two call-record requests
  and the tray never shows "disconnected".  Ten minutes pass in twelve
  seconds with ``KOBIKOM_LINE_TIME_SCALE=0.02`` (every waiting timeout of the
  line and of gap filling shrinks by that factor; connects stay real).  Set
  ``KOBIKOM_QUIET_LINE_SCALE=1`` to run the real ten minutes (soak runs).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.helpers.appprocess import SimulatorProcess, logged_id, write_app_settings
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

#: Logged whether or not the server replies to the login (the default profile does not);
#: ``simulator.wait_logged_in()`` then says when the simulator has the client in.
LOGIN = r"bulut-tcp .*: connected, login sent"
#: The phases the channel logs when they change; after the first "connected" none may come.
PHASE_CHANGE = re.compile(r" INFO +kobikom\.pbx\.channel: bulut-tcp: (connecting|reconnecting|"
                          r"disconnected|auth failed|connected) ")
QUIET_MINUTES = 10.0
QUIET_SCALE = float(os.environ.get("KOBIKOM_QUIET_LINE_SCALE", "0.02"))
#: The idle timeout of the TCP line (desktop/pbx/channel_setup.py), in real seconds.
IDLE_TIMEOUT_S = 90.0


def test_a_2_mib_frame_then_a_ringing_event(launch_app, simulator: SimulatorProcess,
                                           x_display: XDisplay, tmp_path: Path,
                                           screenshot) -> None:
    home = tmp_path / "home"
    write_app_settings(home, simulator, auto_close_seconds=30)
    app = app_started = launch_app(home=home)
    app.wait_for_log(LOGIN)
    simulator.wait_logged_in()
    mark = app_started.mark()
    assert simulator.emit_oversized(2 << 20) == 1
    call = simulator.ring("1001", "05321234567")
    app.wait_for_log(r"skipped a 209\d{4}-byte message, larger than the 1 MiB limit",
                     since=mark)
    app.wait_for_log(rf"popup shown for call {logged_id(call)}", since=mark)
    x_display.wait_for_windows(r"Kobikom – \+905321234567", timeout=10)
    screenshot(x_display, "popup-after-2-MiB-frame")
    lines = app.lines()[mark:]
    assert not [line for line in lines if PHASE_CHANGE.search(line)], \
        "the connection must not be dropped"
    assert [c for c in simulator.clients() if c["authenticated"]].__len__() == 1


def test_a_quiet_line_for_ten_minutes(launch_app, simulator: SimulatorProcess,
                                      x_display: XDisplay, tmp_path: Path, screenshot) -> None:
    home = tmp_path / "home"
    write_app_settings(home, simulator)
    app = launch_app(home=home, env={"KOBIKOM_LINE_TIME_SCALE": repr(QUIET_SCALE),
                                     # the simulator's KobiPBX login: call records work
                                     "KOBIKOM_USER": "demo@kobikom.example",
                                     "KOBIKOM_PASSWORD": "demo-password"})
    app.wait_for_log(LOGIN)
    simulator.wait_logged_in()
    connected = app.wait_for_log(r" INFO +kobikom\.pbx\.channel: bulut-tcp: connected ")
    first_fill = app.wait_for_log(r"call history filled: ")
    start = time.monotonic()
    quiet_for = QUIET_MINUTES * 60 * QUIET_SCALE
    deadline = start + quiet_for
    while time.monotonic() < deadline:  # nothing happens on the line: that is the test
        time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        assert app.running
    lines = app.lines()
    cdr = [r for r in simulator.received() if r["path"].startswith("/api/v1/vcdrs/")]
    refreshes = [line for line in lines if "refreshing the connection quietly" in line]
    # The line really went quiet and was refreshed, many times ...
    assert len(refreshes) >= int(QUIET_MINUTES * 60 / IDLE_TIMEOUT_S) - 2, len(refreshes)
    # ... without the tray ever hearing of it: the one "connected" and no other phase.
    phases = [line for line in lines[connected.index:] if PHASE_CHANGE.search(line)]
    assert phases == [connected.text], phases
    # At most two requests for call records: the fill at start-up, and one check of the
    # journal's quiet ten minutes.
    assert 1 <= len(cdr) <= 2, [r["query"] for r in cdr]
    for request in cdr:  # and each asks for a time window, not whole days of the domain
        assert "timeStart" in request["query"], request["query"]
    assert first_fill.index < len(lines)
    screenshot(x_display, "tray-after-a-quiet-line")
    # Still a working line: a call now pops up.
    call = simulator.ring("1001", "05321234567")
    app.wait_for_log(rf"popup shown for call {logged_id(call)}")


def test_a_call_whose_hangup_was_lost_is_settled_by_its_record(
        launch_app, simulator: SimulatorProcess, x_display: XDisplay, tmp_path: Path,
        screenshot) -> None:
    """Issue 10 §2: across a reconnect the call stays open (popup and buttons), and the
    PBX's call record settles it; nothing is ended on a guess."""
    home = tmp_path / "home"
    write_app_settings(home, simulator, auto_close_seconds=30)
    app = launch_app(home=home, env={"KOBIKOM_USER": "demo@kobikom.example",
                                     "KOBIKOM_PASSWORD": "demo-password"})
    app.wait_for_log(LOGIN)
    simulator.wait_logged_in()
    call = simulator.ring("1001", "05321234567")
    app.wait_for_log(rf"popup shown for call {logged_id(call)}")
    assert simulator.answer(call)
    app.wait_for_log(rf"call {logged_id(call)} answered")
    mark = app.mark()
    simulator.post("silent", {"silent": True})  # a half-open line: the hangup never comes
    assert simulator.hangup(call)
    simulator.post("silent", {"silent": False})
    simulator.restart_listeners()  # the line notices and reconnects
    app.wait_for_log(r"1 call\(s\) in progress across a reconnection", since=mark)
    settled = app.wait_for_log(rf"call {logged_id(call)} settled from its call record",
                               since=mark)
    ended = app.wait_for_log(rf"call {logged_id(call)} ended", since=mark)
    assert ended.index > settled.index
    screenshot(x_display, "settled-call-popup")
