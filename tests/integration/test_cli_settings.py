"""``kobikom-desktop settings --json``, ``autostart on|off|status`` and the login guard,
run as the real installed command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers.appprocess import program
from tests.helpers.xserver import child_environment

POLICY = """\
locked = ["account.flavor", "server.host"]
[account]
flavor = "tekil"
[server]
host = "pbx.example.com.tr"
port = 57000
"""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = child_environment()
    env.update(KOBIKOM_DESKTOP_HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-home"),
               XDG_CONFIG_DIRS=str(tmp_path / "xdg-system"),
               KOBIKOM_DESKTOP_POLICY=os.devnull)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*program(), *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_settings_json_gives_each_value_its_origin_and_lock(tmp_path: Path, env) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    agent = tmp_path / "agent.toml"
    agent.write_text('[account]\nflavor = "bulut"\nextensions = ["1001"]\n'
                     '[server]\nhost = "mine.example"\n[popup]\nmood = "happy"\n',
                     encoding="utf-8")
    env["KOBIKOM_DESKTOP_POLICY"] = str(policy)
    done = run(env, "settings", "--json", "--config", str(agent))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    s = data["settings"]
    assert s["account"]["flavor"] == {"value": "tekil", "origin": "policy", "locked": True}
    assert s["server"]["host"] == {"value": "pbx.example.com.tr", "origin": "policy",
                                   "locked": True}
    assert s["server"]["port"] == {"value": 57000, "origin": "policy", "locked": False}
    assert s["account"]["extensions"] == {"value": ["1001"], "origin": "agent",
                                          "locked": False}
    assert s["popup"]["corner"]["origin"] == "default"
    assert data["policy_file"] == str(policy)
    # The agent's ignored keys are named, in the JSON and on stderr.
    assert any("[popup] mood" in w for w in data["warnings"])
    assert any("[server] host" in w and "administrator" in w for w in data["warnings"])
    assert "[popup] mood" in done.stderr
    assert "Traceback" not in done.stderr


def test_settings_reports_every_bad_value_at_once(tmp_path: Path, env) -> None:
    agent = tmp_path / "agent.toml"
    agent.write_text('[server]\nport = "x"\ntls = []\n[popup]\nenabled = 1\n', encoding="utf-8")
    done = run(env, "settings", "--config", str(agent))
    assert done.returncode == 2
    for key in ("[server] port", "[server] tls", "[popup] enabled"):
        assert key in done.stderr
    assert "Traceback" not in done.stderr


def test_autostart_on_off_status(tmp_path: Path, env) -> None:
    entry = tmp_path / "xdg-home" / "autostart" / "kobikom-desktop.desktop"
    assert run(env, "autostart", "status").stdout.startswith("off")
    done = run(env, "autostart", "on")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("on")
    assert entry.is_file()
    assert "--autostart" in entry.read_text()
    done = run(env, "autostart", "off")
    assert done.stdout.startswith("off")
    assert not entry.exists()  # turning it off removes the entry


def test_a_login_start_quits_when_the_agent_switched_it_off(tmp_path: Path, env) -> None:
    system = tmp_path / "xdg-system" / "autostart"
    system.mkdir(parents=True)
    (system / "kobikom-desktop.desktop").write_text(
        "[Desktop Entry]\nType=Application\nName=Kobikom Desktop\n"
        "Exec=kobikom-desktop --autostart\n", encoding="utf-8")
    assert run(env, "autostart", "status").stdout.startswith("on")
    assert run(env, "autostart", "off").returncode == 0
    # No display on purpose: had the guard not stopped it, the app would exit 2.
    done = run(env, "--autostart")
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "home" / "logs" / "kobikom-desktop.log").read_text()
    assert "starting at login is off for this user" in log


def test_no_display_is_said_plainly_with_exit_2(env) -> None:
    done = run(env, "--demo")
    assert done.returncode == 2
    assert "no display found" in done.stderr
    assert "xcb" not in done.stderr.lower()
