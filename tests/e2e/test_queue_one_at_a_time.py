"""The real app and a queue that rings one agent at a time (mod_callcenter's default).

Under Xvfb with a tray host, against the simulator's ``callcenter`` profile
(FreeSWITCH legs, queues offering a caller to one agent at a time): the
popup of a queue call closes as soon as our phone stops ringing; when a
colleague then answers, no missed-calls card ever appears and the journal
says "answered elsewhere"; when the caller gives up while a colleague's
phone rings, it is one missed call.  The popup names the number the
customer dialled, never the agent's own extension.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.appprocess import SimulatorProcess, program, write_app_settings
from tests.helpers.xserver import XDisplay, child_environment

pytestmark = pytest.mark.e2e

PASSWORD_ENV = {"KOBIKOM_USER": "demo@kobikom.example", "KOBIKOM_PASSWORD": "demo-password"}
#: Each agent's phone rings this long before the queue offers the caller to the next.
OFFER_S = 3.0
MISSED_CARD = r"Kobikom – (1 missed call|\d+ missed calls)"


def history(home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    done = subprocess.run([*program(), "history", "--json"], capture_output=True, text=True,
                          env={**env, "KOBIKOM_DESKTOP_HOME": str(home)}, timeout=30,
                          check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def wait_gone(x_display: XDisplay, regex: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while x_display.find_windows(regex):
        assert time.monotonic() < deadline, f"still on screen: {regex}"
        time.sleep(0.05)


def test_a_colleague_answering_after_our_phone_gave_up_is_no_missed_call(
        launch_app, x_display: XDisplay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        screenshot) -> None:
    for name, value in PASSWORD_ENV.items():
        monkeypatch.setitem(x_display.env, name, value)
    simulator = SimulatorProcess(tmp_path / "simulator", child_environment(),
                                 profile="callcenter",
                                 args=["--queue-offer-timeout", str(OFFER_S)]).start()
    try:
        home = tmp_path / "home"
        write_app_settings(home, simulator, auto_close_seconds=30)
        app = launch_app(home=home)
        app.wait_for_log(r"bulut-tcp .*: connected, login sent")
        simulator.wait_logged_in()

        # Ours rings for OFFER_S, then 1002's, who answers.
        mark = app.mark()
        taken = "+905301112233"
        simulator.ring("1001", "0" + taken[3:], queue="60000", other_extensions=["1002"],
                       answered_by="1002", answer_after=1.5, hangup_after=2.0)
        shown = app.wait_for_log(r"popup shown for call (\S+)", since=mark)
        call_id = shown.match[1]
        x_display.wait_for_windows(rf"Kobikom – \{taken}", timeout=10)
        screenshot(x_display, "ringing-here")
        passed = app.wait_for_log(rf"call {call_id} passed_on", since=mark, timeout=OFFER_S + 10)
        # No longer ringing here: its popup goes at once, while 1002's phone rings.
        wait_gone(x_display, rf"Kobikom – \{taken}", timeout=3)
        screenshot(x_display, "passed-on-to-a-colleague")
        ended = app.wait_for_log(rf"call {call_id} ended", since=mark, timeout=OFFER_S + 10)
        assert ended.index > passed.index
        time.sleep(1.0)  # a missed-calls card would be up by now
        assert x_display.find_windows(MISSED_CARD) == []
        assert x_display.find_windows(rf"Kobikom – \{taken}") == []
        screenshot(x_display, "answered-by-a-colleague")

        # Ours rings, then 1002's; the caller gives up while 1002's rings: one missed call.
        mark = app.mark()
        left = "+905302223344"
        simulator.ring("1001", "0" + left[3:], queue="60000", other_extensions=["1002"],
                       hangup_after=OFFER_S * 1.5)
        shown = app.wait_for_log(r"popup shown for call (\S+)", since=mark)
        app.wait_for_log(rf"call {shown.match[1]} passed_on", since=mark, timeout=OFFER_S + 10)
        wait_gone(x_display, rf"Kobikom – \{left}", timeout=3)
        assert x_display.find_windows(MISSED_CARD) == []  # the verdict is not in yet
        app.wait_for_log(rf"call {shown.match[1]} ended", since=mark, timeout=OFFER_S + 10)
        x_display.wait_for_windows(r"Kobikom – 1 missed call", timeout=10)
        screenshot(x_display, "the-caller-gave-up")

        rows = {r["number_key"]: r for r in history(home, x_display.env)}
        assert (rows[taken]["outcome"], rows[left]["outcome"]) == ("answered_elsewhere",
                                                                   "missed")
        assert [r["number_key"] for r in history(home, x_display.env)].count(taken) == 1
    finally:
        simulator.stop()
