"""``kobikom-desktop team`` as a real process against the simulator process.

It reads the team over REST, follows the events for ``--timeout`` seconds
on its own connection (as ``listen`` does) and prints the board; the states
are driven through the simulator's ``/_sim`` control routes meanwhile.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.appprocess import SimulatorProcess, program

WAIT = 30.0


def env_for(home: Path, *, password: bool = True) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KOBIKOM_") and k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(KOBIKOM_DESKTOP_HOME=str(home), LANG="C.UTF-8", PYTHONIOENCODING="utf-8",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
               KOBIKOM_USER="demo@kobikom.example")
    if password:
        env["KOBIKOM_PASSWORD"] = "demo-password"
    return env


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimulatorProcess]:
    process = SimulatorProcess(tmp_path / "sim", env_for(tmp_path / "sim-home")).start()
    try:
        yield process
    finally:
        process.stop()


def team(sim: SimulatorProcess, home: Path, *args: str, password: bool = True,
         port: int | None = None) -> subprocess.Popen[str]:
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [*program(), "team", "--flavor", "bulut", "--transport", "tcp", "--host", "127.0.0.1",
         "--port", str(port or sim.tcp_port), "--domain", sim.domain_uuid,
         "--api-base", sim.info["http_base"], "--extension", "1001", *args],
        env=env_for(home, password=password), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def connected(sim: SimulatorProcess, count: int = 1) -> None:
    deadline = time.monotonic() + WAIT
    while sum(1 for c in sim.clients() if c["authenticated"]) < count:
        assert time.monotonic() < deadline, "team never connected"
        time.sleep(0.05)


def test_team_json_prints_the_board_it_followed(sim: SimulatorProcess, tmp_path: Path) -> None:
    process = team(sim, tmp_path / "home", "--json", "--timeout", "6")
    connected(sim)
    sim.post("register", {"extension": "1003", "registered": False})
    sim.ring("1002", "05324118027", answer_after=0.2)
    sim.post("agent-status", {"extension": "1002", "status": "On Break", "queue": "60001"})
    sim.post("queue-wait", {"queue": "60000", "caller": "05321112233"})
    gone = sim.post("queue-wait", {"queue": "60000", "caller": "05449998877"})["member"]
    time.sleep(0.5)
    sim.post("queue-leave", {"member": gone})
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    board = json.loads(out)
    ext = {e["extension"]: e for e in board["extensions"]}
    assert ext["1003"]["state"] == "offline"
    assert (ext["1002"]["state"], ext["1002"]["with"], ext["1002"]["name"]) == (
        "in-call", "05324118027", "Mehmet Kaya")
    assert ext["1002"]["agent_status"] == "On Break"
    assert ext["1001"]["state"] == "unknown"  # nothing was heard of it
    queues = {q["extension"]: q for q in board["queues"]}
    assert queues["60000"]["waiting"] == 1
    assert [c["number"] for c in queues["60000"]["callers"]] == ["05321112233"]
    assert [a["extension"] for a in queues["60001"]["agents"]] == ["1002"]
    assert [(a["number"], a["queue"]) for a in board["abandoned"]] == [("05449998877", "60000")]
    assert board["source"] == "kobipbx"
    assert "state: connected" in err


def test_team_text_and_a_team_list_that_cannot_be_read(sim: SimulatorProcess,
                                                        tmp_path: Path) -> None:
    process = team(sim, tmp_path / "home", "--timeout", "3", password=False)
    connected(sim)
    sim.post("register", {"extension": "1002", "registered": True})
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert "the team list is not read" in err
    lines = out.splitlines()
    assert lines[0] == "Extensions (1)"  # only what the events named
    assert lines[1].split() == ["1002", "free"]
    assert "Queues (0)" in lines


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_team_never_connected_exits_4(sim: SimulatorProcess, tmp_path: Path) -> None:
    process = team(sim, tmp_path / "home", "--timeout", "1", port=free_port())
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 4
    assert "never connected" in err
    assert out == ""
