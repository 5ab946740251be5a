"""``listen --capture``, ``replay`` and ``simulator --replay`` as real processes.

The issue's acceptance point: a capture made with ``listen --capture``
against the simulator replays to the same calls, and ``simulator --replay``
serves it so that a client sees the same thing again.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.appprocess import SimulatorProcess, program
from tests.helpers.xserver import stop_process

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
RUN_TIMEOUT = 60
WAIT = 30.0
CALLERS = ("05321234567", "02163347190", "05059998877")


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KOBIKOM_") and k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(KOBIKOM_DESKTOP_HOME=str(home), LANG="C.UTF-8", PYTHONIOENCODING="utf-8",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return env


class Listen:
    """``kobikom-desktop listen`` with its JSON lines collected as they come."""

    def __init__(self, home: Path, sim: SimulatorProcess, *args: str) -> None:
        self.lines: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self.stderr = home / "listen.stderr.txt"
        home.mkdir(parents=True, exist_ok=True)
        with open(self.stderr, "wb") as err:
            self.process = subprocess.Popen(
                [*program(), "listen", "--flavor", "bulut", "--transport", "tcp",
                 "--host", "127.0.0.1", "--port", str(sim.tcp_port), "--extension", "1001",
                 "--domain", sim.domain_uuid, *args],
                env=env_for(home), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=err)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            with self._changed:
                self.lines.append(json.loads(raw))
                self._changed.notify_all()

    def wait(self, done: Callable[[list[dict[str, Any]]], bool]) -> None:
        deadline = time.monotonic() + WAIT
        with self._changed:
            while not done(self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"listen: not there within {WAIT:.0f} s: "
                                         f"{self.lines[-5:]}\n{self.stderr.read_text()}")
                self._changed.wait(min(left, 0.5))

    def stop(self) -> int | None:
        code = stop_process(self.process)  # SIGTERM: an orderly stop, capture closed
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimulatorProcess]:
    # One id per call and a login reply: the expectations below name the
    # simulator's call ids.  The FreeSWITCH-legs reading is replayed in
    # tests/integration/test_capture_replay.py; test_profiles.py has them all.
    process = SimulatorProcess(tmp_path / "sim", env_for(tmp_path / "sim-home"),
                               args=["--tcp-framing", "split"], profile="single").start()
    try:
        yield process
    finally:
        process.stop()


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*program(), *args], env=env_for(home), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)


def hung_up(call_ids: set[str]) -> Callable[[list[dict[str, Any]]], bool]:
    return lambda lines: call_ids <= {x.get("call_id") for x in lines
                                      if x["event"] == "destroy"}


def test_listen_capture_replays_to_the_same_calls_and_the_simulator_serves_it(
        sim: SimulatorProcess, tmp_path: Path) -> None:
    kept, masked = tmp_path / "kept.jsonl", tmp_path / "masked.jsonl"
    listen = Listen(tmp_path / "l1", sim, "--capture", str(kept))
    listen_masked = Listen(tmp_path / "l2", sim, "--capture", str(masked), "--mask-numbers")
    try:
        for lst in (listen, listen_masked):
            lst.wait(lambda lines: any(x["event"] == "reply" and x["ok"] for x in lines))
        answered = sim.ring("1001", CALLERS[0], answer_after=0.3, hangup_after=0.5)
        missed = sim.ring("1001", CALLERS[1], hangup_after=0.6)
        elsewhere = sim.ring("1001", CALLERS[2], queue="60000", other_extensions=["1002"],
                             answered_by="1002", answer_after=0.3, hangup_after=0.3)
        not_ours = sim.ring("1002", "05441112233", hangup_after=0.2)
        for lst in (listen, listen_masked):
            lst.wait(hung_up({answered, missed, elsewhere, not_ours}))
    finally:
        assert listen.stop() == 0
        assert listen_masked.stop() == 0
    live_events = listen.lines

    # The capture holds no secret; the masked one no phone number either.
    kept_text, masked_text = kept.read_text("utf-8"), masked.read_text("utf-8")
    assert DOMAIN not in kept_text
    assert DOMAIN not in masked_text
    assert CALLERS[0] in kept_text
    for number in (*CALLERS, "05441112233", "5321234567"):
        assert number not in masked_text

    # replay: the calls of extension 1001 exactly as the simulator made them.
    expected = {answered: ("answered", CALLERS[0], "1001"),
                missed: ("missed", CALLERS[1], None),
                elsewhere: ("answered_elsewhere", CALLERS[2], "1002")}
    done = run(tmp_path / "r1", "replay", str(kept), "--summary")
    assert done.returncode == 0, done.stderr
    calls = [json.loads(line) for line in done.stdout.splitlines()]
    assert {c["call_id"]: (c["outcome"], c["caller"], c["answered_by"]) for c in calls} == \
        expected
    assert all(c["extension"] == "1001" and c["direction"] == "inbound" for c in calls)
    by_id = {c["call_id"]: c for c in calls}
    assert by_id[answered]["answered_at"] - by_id[answered]["ringing_at"] == \
        pytest.approx(0.3, abs=0.25)  # the recorded receive times, not the replay's

    done = run(tmp_path / "r2", "replay", str(masked), "--summary")
    assert done.returncode == 0, done.stderr
    masked_calls = [json.loads(line) for line in done.stdout.splitlines()]
    assert {c["call_id"]: c["outcome"] for c in masked_calls} == \
        {cid: outcome for cid, (outcome, _, _) in expected.items()}
    assert {c["caller"] for c in masked_calls} == {"05•••••••67", "02•••••••90", "05•••••••77"}

    # One line per change without --summary; no extension named: an error, not a guess.
    changes = run(tmp_path / "r3", "replay", str(kept))
    assert [json.loads(x)["change"] for x in changes.stdout.splitlines()].count("ended") == 3
    other = tmp_path / "not-a-capture.jsonl"
    other.write_text('{"hello": 1}\n')
    refused = run(tmp_path / "r4", "replay", str(other))
    assert refused.returncode == 2
    assert "capture" in refused.stderr

    # simulator --replay: a client sees exactly the events of the live run again.
    replaying = SimulatorProcess(tmp_path / "sim2", env_for(tmp_path / "sim2-home"),
                                 args=["--replay", str(kept), "--replay-speed", "4"]).start()
    try:
        assert replaying.info["replay"] == [str(kept)]
        again = Listen(tmp_path / "l3", replaying)
        try:
            again.wait(lambda lines: len(lines) >= len(live_events))
        finally:
            again.stop()
    finally:
        replaying.stop()
    assert again.lines == live_events
