"""Call history end to end: the real app, a standalone simulator, a real tray.

* First start: the week's call records are imported (old history, not "new").
* A call missed while the app runs is journaled live and is "new".
* A call missed while the app is closed is found at the next start from the
  PBX's records (gap filling), exactly once, and is "new".
* A left click on the tray icon opens the recent calls, which clears "new".

The journal is read with ``kobikom-desktop history --json`` (WAL: a second
reader while the app runs is fine).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.appprocess import SimulatorProcess, program, write_app_settings
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

#: Logged whether or not the server replies to the login (the default profile does not).
LOGIN = r"bulut-tcp .*: connected, login sent"
FILLED = r"call history filled: (\d+) call record\(s\) .*: (\d+) added, (\d+) merged"
TRAY_GEOMETRY = r"tray icon geometry: (-?\d+),(-?\d+) (\d+)x(\d+)"
RECENT_TITLE = r"^Recent calls"


def history(home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    done = subprocess.run([*program(), "history", "--json"], capture_output=True, text=True,
                          env={**env, "KOBIKOM_DESKTOP_HOME": str(home)}, timeout=30,
                          check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_history_survives_restarts_and_fills_the_gap(
        launch_app, simulator: SimulatorProcess, x_display: XDisplay, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, screenshot) -> None:
    monkeypatch.setitem(x_display.env, "KOBIKOM_USER", "demo@kobikom.example")
    monkeypatch.setitem(x_display.env, "KOBIKOM_PASSWORD", "demo-password")
    home = tmp_path / "home"
    write_app_settings(home, simulator)
    app = launch_app(home=home)
    app.wait_for_log(LOGIN)
    first = app.wait_for_log(FILLED).match
    imported = int(first[2])
    rows = history(home, x_display.env)
    assert len(rows) == imported
    assert not any(r["new"] for r in rows)  # old history is not "new"

    # Missed while the app runs: journaled live, new.
    live = simulator.ring("1001", "05321234567", hangup_after=0.3)
    app.wait_for_log(rf"call {live[:8]}.* ended")
    for _ in range(100):  # the row is queued before the popup, written a moment later
        rows = history(home, x_display.env)
        if any(r["new"] for r in rows):
            break
        time.sleep(0.1)
    assert [r["call_id"] for r in rows if r["new"]] == [live]

    # Missed while the app is closed: found at the next start, once.
    app.stop()
    earlier = len(app.lines())  # the log file is shared: skip the first run's lines
    offline = simulator.ring("1001", "02163347190", hangup_after=0.3)
    for _ in range(100):  # until the PBX has the call's record (it has ended)
        if any(r["call_id"] == offline for r in simulator.get("cdr")):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the simulator never recorded the offline call")
    again = launch_app(home=home, name="app-again")
    again.wait_for_log(LOGIN, since=earlier)
    filled = again.wait_for_log(FILLED, since=earlier).match
    assert int(filled[2]) == 1  # only the offline call is new; the live one merged
    rows = history(home, x_display.env)
    ids = [r["call_id"] for r in rows]
    assert len(ids) == len(set(ids)) == imported + 2
    assert {r["call_id"] for r in rows if r["new"]} == {live, offline}

    # A left click on the tray icon opens the recent calls and clears "new".
    again.wait_for_log(TRAY_GEOMETRY, since=earlier)
    x, y = x_display.tray_icon_center()
    x_display.run_tool("xdotool", "mousemove", str(x), str(y), "click", "1")
    x_display.wait_for_windows(RECENT_TITLE, timeout=10)
    screenshot(x_display, "recent-calls")
    deadline_rows = history(home, x_display.env)
    for _ in range(50):
        if not any(r["new"] for r in deadline_rows):
            break
        deadline_rows = history(home, x_display.env)
    assert not any(r["new"] for r in deadline_rows)
