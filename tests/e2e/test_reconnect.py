"""The line comes back by itself after the PBX drops it, and calls pop up again.

Two ways to lose the server: the simulator restarts its event listeners
(``POST /_sim/restart``: the connection is closed, the port stays open), or
the whole simulator process goes away and a new one starts on the same
ports a moment later (connection refused in between).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.appprocess import SimulatorProcess, logged_id, write_app_settings
from tests.helpers.xserver import XDisplay, child_environment

pytestmark = pytest.mark.e2e

#: Backoff: the first retry comes within 1 s (desktop/pbx/backoff.py).
FIRST_RETRY_S = 1.0
#: With the server away for a moment the second or third retry gets through.
PROCESS_RESTART_RECONNECT_S = 10.0
#: Logged whether or not the server replies to the login (the default profile does not).
LOGIN = r"bulut-tcp .*: connected, login sent"
DROPPED = r"bulut-tcp .*: disconnected: "
#: The state change logged when the next attempt starts (no "retrying in" any more).
RETRYING_NOW = r"bulut-tcp: reconnecting \([^)]*\): (?!.*retrying in)"


@pytest.mark.parametrize("how", ["control-restart", "process-restart"])
def test_reconnect_after_simulator_restart(launch_app, simulator: SimulatorProcess,
                                          x_display: XDisplay, tmp_path: Path,
                                          how: str) -> None:
    home = tmp_path / "home"
    write_app_settings(home, simulator)
    app = launch_app(home=home)
    app.wait_for_log(LOGIN)
    mark = app.mark()

    replacement = None
    if how == "control-restart":
        assert simulator.restart_listeners()["tcp"] == simulator.tcp_port
        dropped = app.wait_for_log(DROPPED, since=mark)
        retry = app.wait_for_log(RETRYING_NOW, since=dropped.index)
        back = app.wait_for_log(LOGIN, since=retry.index)
        # The first retry is jittered below 1 s (+ timer and log resolution).
        assert retry.timestamp - dropped.timestamp < FIRST_RETRY_S + 0.1, (dropped.text,
                                                                            retry.text)
        current = simulator
    else:
        tcp, http = simulator.tcp_port, simulator.http_port
        simulator.stop()
        dropped = app.wait_for_log(DROPPED, since=mark)
        app.wait_for_log(r"bulut-tcp .*: cannot connect: ", since=dropped.index)
        replacement = SimulatorProcess(tmp_path / "simulator-2", child_environment(),
                                       tcp_port=tcp, http_port=http).start()
        back = app.wait_for_log(LOGIN, since=dropped.index,
                                timeout=PROCESS_RESTART_RECONNECT_S)
        current = replacement
    try:
        current.wait_logged_in()
        assert len([c for c in current.clients() if c["authenticated"]]) == 1
        call = current.ring("1001", "05321234567")
        app.wait_for_log(rf"popup shown for call {logged_id(call)}", since=back.index)
        x_display.wait_for_windows(r"Kobikom – \+905321234567", timeout=10)
    finally:
        if replacement is not None:
            replacement.stop()
