"""The real app under the simulator's profiles: one popup per customer call.

Lean on purpose (the integration matrix, ``tests/integration/test_profiles.py``,
covers every scenario under every profile): one app against a Bulut
simulator whose profile is switched at runtime, one app against Tekil as
documented (``ExtensionStatus`` only).  Popups are counted on the real X
display by their title, which carries the caller's number.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.appprocess import AppProcess, SimulatorProcess, program, write_app_settings
from tests.helpers.xserver import XDisplay, child_environment

pytestmark = pytest.mark.e2e

#: Leaves the popups of ended calls up long enough to count them.
AUTO_CLOSE_S = 3
#: After a popup appeared, a second one for the same call would come by now.
SECOND_POPUP_S = 1.0
BULUT_PROFILES = ("freeswitch", "single", "bridged", "sparse", "noisy")
PASSWORD_ENV = {"KOBIKOM_USER": "demo@kobikom.example", "KOBIKOM_PASSWORD": "demo-password"}


def title(number: str) -> str:
    return rf"Kobikom – \{number}"


def popups_for(x_display: XDisplay, number: str) -> int:
    return len(x_display.find_windows(title(number)))


def test_one_popup_per_call_under_every_bulut_profile(
        launch_app, simulator: SimulatorProcess, x_display: XDisplay, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, screenshot) -> None:
    for name, value in PASSWORD_ENV.items():
        monkeypatch.setitem(x_display.env, name, value)
    home = tmp_path / "home"
    write_app_settings(home, simulator, auto_close_seconds=AUTO_CLOSE_S)
    app = launch_app(home=home)
    app.wait_for_log(r"bulut-tcp .*: connected, login sent")
    simulator.wait_logged_in()

    for n, profile in enumerate(BULUT_PROFILES):
        assert simulator.set_profile(profile)["name"] == profile
        number = f"+9053241180{20 + n}"
        mark = app.mark()
        # Answered after a while, so that even "sparse" (no ringing) pops up mid-call.
        simulator.ring("1001", "0" + number[3:], answer_after=0.6, hangup_after=1.5)
        app.wait_for_log(r"popup shown for call ", since=mark)
        x_display.wait_for_windows(title(number), timeout=10)
        time.sleep(SECOND_POPUP_S)
        assert popups_for(x_display, number) == 1, profile
        if profile == "freeswitch":
            screenshot(x_display, "freeswitch-call")
        app.wait_for_log(r"call \S+ ended", since=mark)
        assert popups_for(x_display, number) == 1, profile
        shown = [line for line in app.lines()[mark:] if "popup shown for call" in line]
        assert len(shown) == 1, (profile, shown)

    # The agent's own click-to-call (FreeSWITCH: their phone rings "from" the
    # customer): no popup, not missed.
    simulator.set_profile("freeswitch")
    mark = app.mark()
    dialled_at = time.time()
    done = subprocess.run([*program(), "tel:+90-224-221-98-54"], env=dict(app.env),
                          cwd=tmp_path, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    app.wait_for_log(r"dial \+90\*+54 from link via kobipbx: started", since=mark)
    started = app.wait_for_log(r"call (\S+) started", since=mark)
    deadline = time.monotonic() + 10
    while True:  # the agent's phone rings, then the customer's, who answers
        (call,) = [c for c in simulator.calls() if c["called"] == "02242219854"]
        if call["state"] == "up" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert (call["origin"], call["state"]) == ("c2c", "up")
    time.sleep(SECOND_POPUP_S)
    assert simulator.hangup(call["call_id"])
    app.wait_for_log(rf"call {started.match[1]} ended", since=mark)
    assert popups_for(x_display, "+902242219854") == 0
    assert not any("popup shown for call" in line for line in app.lines()[mark:])
    # The simulator's seeded past (an hour ago and older, first start imports it) may
    # hold calls with this contact too: only this dial's rows count.
    rows = [r for r in history(home, x_display.env) if r["number_key"] == "+902242219854"
            and r["started_at"] >= dialled_at - 30]
    assert [(r["direction"], r["outcome"]) for r in rows] == [("outbound", "answered")]


def history(home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    done = subprocess.run([*program(), "history", "--json"], capture_output=True, text=True,
                          env={**env, "KOBIKOM_DESKTOP_HOME": str(home)}, timeout=30,
                          check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def write_tekil_settings(home: Path, simulator: SimulatorProcess) -> None:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[account]\n"
        'flavor = "tekil"\n'
        'transport = "tcp"\n'
        'extensions = ["1001"]\n'
        "\n[server]\n"
        'host = "127.0.0.1"\n'
        f"port = {simulator.tcp_port}\n"
        f'api_base = "{simulator.info["http_base"]}"\n'
        "\n[popup]\n"
        "auto_close_seconds = 60\n",
        encoding="utf-8")


def test_tekil_as_documented_the_popup_says_so_then_the_records_name_the_caller(
        launch_app, x_display: XDisplay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        screenshot) -> None:
    for name, value in {**PASSWORD_ENV, "KOBIKOM_API_KEY": "demo-api-key"}.items():
        monkeypatch.setitem(x_display.env, name, value)
    simulator = SimulatorProcess(tmp_path / "simulator", child_environment(), flavor="tekil",
                                 profile="status-only").start()
    try:
        home = tmp_path / "home"
        write_tekil_settings(home, simulator)
        app: AppProcess = launch_app(home=home, lang="tr_TR.UTF-8")
        app.wait_for_log(r"tekil-tcp .*: connected, login sent")
        simulator.wait_logged_in()
        mark = app.mark()
        simulator.ring("1001", "05427730516", hangup_after=2.5)  # rings out: missed
        app.wait_for_log(r"popup shown for call ext-status:", since=mark)
        # The number is unknown, not withheld: the title has no number and no "gizli".
        x_display.wait_for_windows(r"Kobikom – \?", timeout=10)
        screenshot(x_display, "number-not-sent")
        # The call ends (the missed-calls card takes it); its record names the caller.
        app.wait_for_log(r"caller of call ext-status:\S+ filled in from its call record",
                         since=mark, timeout=20)
        x_display.wait_for_windows(r"Kobikom – 1 cevapsız arama", timeout=10)
        time.sleep(SECOND_POPUP_S)  # the card's next refresh
        screenshot(x_display, "caller-from-the-records")
        rows = [r for r in history(home, x_display.env) if r["call_id"].startswith("ext-")]
        assert [(r["number_key"], r["outcome"], r["direction"]) for r in rows] == [
            ("+905427730516", "missed", "inbound")]  # the live row, completed
        shown = [line for line in app.lines()[mark:] if "popup shown for call" in line]
        assert len(shown) == 1, shown
    finally:
        simulator.stop()
