"""A field problem reproduced at a desk: capture, then ``simulator --replay`` to the app.

Live: the app (recording its own capture, numbers kept as the agent ticked)
and ``kobikom-desktop listen --capture`` both follow the simulator while it
makes an answered call, a missed call and a call for another extension.
Replay: ``kobikom-desktop simulator --replay`` serves listen's capture to a
second app, which must show the same popups (same calls, same titles) and
no other; the app's own capture replays to the same calls as listen's.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.helpers.appprocess import (
    AppProcess,
    SimulatorProcess,
    logged_id,
    program,
    write_app_settings,
)
from tests.helpers.xserver import XDisplay, child_environment, stop_process

pytestmark = pytest.mark.e2e

CALLER, CALLER_TITLE = "05321234567", r"Kobikom – \+905321234567"
SECOND, SECOND_TITLE = "02163347190", r"Kobikom – \+902163347190"
OTHER_EXTENSION_CALLER = "05441112233"
WAIT_S = 30.0


def popups(app: AppProcess) -> list[str]:
    """Call ids (as logged) of every popup the app showed, in order."""
    return [m.group(1) for line in app.lines()
            if (m := re.search(r"popup shown for call (\S+)", line))]


def start_app(launch_app, simulator: SimulatorProcess, home: Path, name: str,
              capture: bool = False) -> AppProcess:
    path = write_app_settings(home, simulator, auto_close_seconds=2)
    if capture:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("\n[capture]\nenabled = true\nkeep_numbers = true\n")
    app = launch_app(home=home, name=name)
    app.wait_for_log(r"tray shown \(TrayController\)")
    app.wait_for_log(r"bulut-tcp .*: connected, login sent")
    return app


class Listen:
    """``kobikom-desktop listen --capture`` with its event lines collected."""

    def __init__(self, process: subprocess.Popen[bytes], events: list[dict],
                 reader: threading.Thread) -> None:
        self.process, self.events, self._reader = process, events, reader

    def stop(self) -> int | None:
        code = stop_process(self.process)
        self._reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code


def start_listen(simulator: SimulatorProcess, capture: Path, workdir: Path) -> Listen:
    workdir.mkdir(parents=True, exist_ok=True)
    env = child_environment() | {"KOBIKOM_DESKTOP_HOME": str(workdir / "home"),
                                 "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    with open(workdir / "listen.stderr.txt", "wb") as err:
        process = subprocess.Popen(
            [*program(), "listen", "--flavor", "bulut", "--transport", "tcp", "--host",
             "127.0.0.1", "--port", str(simulator.tcp_port), "--extension", "1001",
             "--domain", simulator.domain_uuid, "--capture", str(capture)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
    lines: list[dict] = []

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            lines.append(json.loads(raw))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return Listen(process, lines, reader)


def wait_until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT_S:.0f} s: {what}")
        time.sleep(0.1)


def replay_calls(capture: Path, home: Path) -> dict[str, str]:
    done = subprocess.run([*program(), "replay", str(capture), "--summary"],
                          env=child_environment() | {"KOBIKOM_DESKTOP_HOME": str(home)},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return {c["call_id"]: c["outcome"] for c in map(json.loads, done.stdout.splitlines())}


def test_simulator_replay_shows_the_same_popups_in_the_app(
        launch_app, simulator: SimulatorProcess, x_display: XDisplay, screenshot,
        tmp_path: Path) -> None:
    # ---- live: the first app and listen --capture follow the simulator
    live_app = start_app(launch_app, simulator, tmp_path / "live", "live", capture=True)
    capture = tmp_path / "listen-capture.jsonl"
    listen = start_listen(simulator, capture, tmp_path / "listen")
    events = listen.events
    try:
        # The app and listen: no login reply under the default (FreeSWITCH) profile.
        simulator.wait_logged_in(count=2)
        answered = simulator.ring("1001", CALLER, answer_after=0.6, hangup_after=1.0)
        live_app.wait_for_log(rf"popup shown for call {logged_id(answered)}")
        x_display.wait_for_windows(CALLER_TITLE, timeout=10)
        missed = simulator.ring("1001", SECOND, hangup_after=1.5)
        not_ours = simulator.ring("1002", OTHER_EXTENSION_CALLER, hangup_after=0.5)
        live_app.wait_for_log(rf"popup shown for call {logged_id(missed)}")
        x_display.wait_for_windows(SECOND_TITLE, timeout=10)
        wait_until(lambda: {answered, missed, not_ours} <= {
            e.get("call_id") for e in events if e["event"] == "destroy"}, "all hung up")
    finally:
        assert listen.stop() == 0
    live_popups = popups(live_app)
    assert len(live_popups) == 2, live_popups  # one per call of 1001, none for 1002
    assert re.fullmatch(logged_id(answered), live_popups[0])
    assert re.fullmatch(logged_id(missed), live_popups[1])
    live_app.stop()  # its capture is complete (and ends with an "end" record)

    # ---- the captures: listen's and the app's own replay to the same calls
    expected = {answered: "answered", missed: "missed"}
    assert replay_calls(capture, tmp_path / "r1") == expected
    app_capture = tmp_path / "live" / "logs" / "pbx-capture.jsonl"
    assert replay_calls(app_capture, tmp_path / "r2") == expected
    assert simulator.domain_uuid not in app_capture.read_text("utf-8")

    # ---- replay: simulator --replay serves listen's capture to a second app
    replaying = SimulatorProcess(tmp_path / "replay-sim", child_environment(),
                                 args=["--replay", str(capture), "--debug"]).start()
    try:
        replay_app = start_app(launch_app, replaying, tmp_path / "replayed", "replayed")
        replay_app.wait_for_log(rf"popup shown for call {logged_id(answered)}", timeout=WAIT_S)
        (window,) = x_display.wait_for_windows(CALLER_TITLE, timeout=10)
        assert "Kobikom – +905321234567" in x_display.window_name(window)
        screenshot(x_display, "replayed-popup")
        replay_app.wait_for_log(rf"popup shown for call {logged_id(missed)}", timeout=WAIT_S)
        x_display.wait_for_windows(SECOND_TITLE, timeout=10)
        # The last recorded event (the missed call's destroy; the call for 1002 ended
        # before it) has been served: every popup the capture can cause was shown.
        replay_app.wait_for_log(rf"DestroyEvent\(.*call_id='{missed}'", timeout=WAIT_S)
        assert popups(replay_app) == live_popups
    finally:
        replaying.stop()
