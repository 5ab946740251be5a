"""``kobikom-desktop dial`` as a real process against the simulator as a real process.

Exit codes as documented: 0 the PBX accepted, 2 invalid number (nothing
sent), 3 credentials rejected, 4 server or network failure (nothing
retried).  What the simulator received is checked after every run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.appprocess import SimulatorProcess, program

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
RUN_TIMEOUT = 60


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOBIKOM_")}
    env.update(KOBIKOM_DESKTOP_HOME=str(home), LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    return env


@pytest.fixture(params=["tekil", "bulut"])
def sim(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SimulatorProcess]:
    process = SimulatorProcess(tmp_path / "sim", base_env(tmp_path / "sim-home"),
                               flavor=request.param).start()
    try:
        yield process
    finally:
        process.stop()


def dial(sim: SimulatorProcess, tmp_path: Path, *args: str, password: str = PASSWORD,
         extension: str = "1001") -> subprocess.CompletedProcess[str]:
    env = base_env(tmp_path / "home")
    env.update(KOBIKOM_USER=USER, KOBIKOM_PASSWORD=password)
    flavor = sim.argv[sim.argv.index("--flavor") + 1]
    return subprocess.run(
        [*program(), "dial", "--flavor", flavor, "--api-base", sim.info["http_base"],
         "--extension", extension, "--domain", DOMAIN, *args],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=RUN_TIMEOUT, check=False)


def dials(sim: SimulatorProcess) -> list[dict[str, Any]]:
    return [r for r in sim.get("received")
            if r["path"] in ("/central/dial", "/api/v1/clicktocall")]


def dialled_number(request: dict[str, Any]) -> str:
    return request["form"].get("number") or request["json"]["destinationNumber"]


def test_success_prints_the_servers_answer(sim: SimulatorProcess, tmp_path: Path) -> None:
    done = dial(sim, tmp_path, "tel:+90-532-123-45-67")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in ("Arama Başladı", "Click-to-call oturumu başarıyla başlatıldı")
    [request] = dials(sim)
    assert dialled_number(request) == "05321234567"


def test_invalid_number_exit_2_nothing_sent(sim: SimulatorProcess, tmp_path: Path) -> None:
    done = dial(sim, tmp_path, "0532 123 45 6")
    assert done.returncode == 2
    assert "not a valid phone number" in done.stderr
    assert "Nothing was sent" in done.stderr
    assert sim.get("received") == []  # not even a login


def test_rejected_credentials_exit_3(sim: SimulatorProcess, tmp_path: Path) -> None:
    done = dial(sim, tmp_path, "05321234567", password="wrong-password")
    assert done.returncode == 3
    assert "rejected the login" in done.stderr
    assert dials(sim) == []


@pytest.mark.parametrize("fault", ["500", "disconnect", "garbage"])
def test_server_failure_exit_4_never_retried(sim: SimulatorProcess, tmp_path: Path,
                                             fault: str) -> None:
    flavor = sim.argv[sim.argv.index("--flavor") + 1]
    path = "/central/dial" if flavor == "tekil" else "/api/v1/clicktocall"
    sim.post("fault", {"path": path, "kind": fault, "count": 3})
    done = dial(sim, tmp_path, "05321234567")
    assert done.returncode == 4
    assert "may have started" in done.stderr
    assert len(dials(sim)) == 1


def test_unknown_extension_exit_4_with_the_servers_words(sim: SimulatorProcess,
                                                         tmp_path: Path) -> None:
    done = dial(sim, tmp_path, "05321234567", extension="4242")
    assert done.returncode == 4
    assert "Dahili bulunamadı" in done.stderr


def test_international_needs_yes_without_a_terminal(sim: SimulatorProcess,
                                                    tmp_path: Path) -> None:
    refused = dial(sim, tmp_path, "+44 20 7946 0958")
    assert refused.returncode == 2
    assert "pass --yes" in refused.stderr
    assert dials(sim) == []
    done = dial(sim, tmp_path, "--yes", "+44 20 7946 0958")
    assert done.returncode == 0, done.stderr
    assert [dialled_number(r) for r in dials(sim)] == ["00442079460958"]


def test_unreachable_server_exit_4(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    env.update(KOBIKOM_USER=USER, KOBIKOM_PASSWORD=PASSWORD)
    done = subprocess.run(
        [*program(), "dial", "--flavor", "tekil", "--api-base", "http://127.0.0.1:9",
         "--extension", "1001", "05321234567"],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=RUN_TIMEOUT, check=False)
    assert done.returncode == 4
    assert "nothing was dialled" in done.stderr
