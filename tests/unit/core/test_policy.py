"""The administrator's policy: defaults, locks, no secrets, and where each value comes from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.policy import (
    POLICY_ENV,
    Origin,
    default_policy_path,
    load_effective_settings,
    load_policy,
    policy_path,
)
from desktop.core.settings import SettingsError, load_settings, save_settings
from desktop.pbx.connection import Flavor

POLICY = """\
locked = ["account.flavor", "server.host", "popup.enabled"]

[account]
flavor = "tekil"

[server]
host = "pbx.example.com.tr"
port = 57000

[popup]
corner = "top-left"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_policy_sits_where_each_system_keeps_machine_settings() -> None:
    assert default_policy_path("linux", {}) == Path("/etc/kobikom-desktop/policy.toml")
    assert default_policy_path("darwin", {}) == Path(
        "/Library/Application Support/kobikom-desktop/policy.toml")
    assert default_policy_path("win32", {"ProgramData": r"D:\ProgramData"}) == \
        Path(r"D:\ProgramData") / "kobikom-desktop" / "policy.toml"
    assert policy_path({POLICY_ENV: "/srv/try.toml"}) == Path("/srv/try.toml")


def test_a_locked_policy_value_wins_over_the_agents_file(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path / "policy.toml", POLICY))
    agent = write(tmp_path / "settings.toml",
                  '[account]\nflavor = "bulut"\nextensions = ["1001"]\n'
                  '[server]\nhost = "elsewhere.example"\nport = 1234\n'
                  '[popup]\nenabled = false\ncorner = "bottom-left"\n')
    effective = load_effective_settings(agent, policy)
    s = effective.settings
    assert s.account.flavor is Flavor.TEKIL  # locked: the policy's
    assert s.server.host == "pbx.example.com.tr"  # locked: the policy's
    assert s.popup.enabled is True  # locked without a value: the default
    assert s.server.port == 1234  # a policy default the agent may change
    assert s.popup.corner.value == "bottom-left"
    assert s.account.extensions == ["1001"]
    assert effective.origin("server.host") is Origin.POLICY
    assert effective.origin("popup.enabled") is Origin.DEFAULT
    assert effective.origin("server.port") is Origin.AGENT
    assert effective.origin("server.api_base") is Origin.DEFAULT
    assert any("[server] host" in w for w in effective.warnings)


def test_policy_defaults_apply_when_the_agent_sets_nothing(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path / "policy.toml", POLICY))
    effective = load_effective_settings(tmp_path / "none.toml", policy)
    assert effective.settings.server.port == 57000
    assert effective.settings.popup.corner.value == "top-left"
    assert effective.origin("server.port") is Origin.POLICY
    described = effective.describe()
    assert described["server"]["host"] == {"value": "pbx.example.com.tr", "origin": "policy",
                                           "locked": True}
    assert described["server"]["port"]["locked"] is False
    json.dumps(described)  # JSON-ready


def test_secrets_and_bad_entries_in_a_policy_are_ignored_with_warnings(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path / "policy.toml", """\
locked = ["server.host", "server.nonsense", "account.password"]
api_key = "top-level secret"

[account]
password = "hunter2"
flavor = "nimbus"
extensions = ["1001"]

[sms]
token = "abc"
sender = "FIRMA"

[server]
host = "pbx.example.com"
port = 70000
"""))
    text = "\n".join(policy.warnings)
    assert "hunter2" not in text
    assert "abc" not in text.replace("[sms]", "")
    for expected in ("[account] password", "[sms] token", "api_key", "[account] flavor",
                     "[server] port", "'server.nonsense'", "'account.password'"):
        assert expected in text, expected
    assert policy.provided == {"account.extensions", "sms.sender", "server.host"}
    assert policy.locked == {"server.host"}
    assert policy.values.server.port == 0  # the invalid port was not taken


def test_an_unusable_policy_is_loud_but_not_fatal(tmp_path: Path, monkeypatch) -> None:
    broken = load_policy(write(tmp_path / "policy.toml", "locked = [\n"))
    assert not broken.active
    assert "not applied" in broken.warnings[0]
    monkeypatch.setenv(POLICY_ENV, str(tmp_path / "missing.toml"))
    missing = load_policy()
    assert "no such policy file" in missing.warnings[0]
    monkeypatch.delenv(POLICY_ENV)
    assert load_policy(tmp_path / "absent.toml").warnings  # named explicitly: said


def test_the_env_variable_picks_the_policy(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(POLICY_ENV, str(write(tmp_path / "try.toml", POLICY)))
    assert load_policy().locked == {"account.flavor", "server.host", "popup.enabled"}


def test_saving_keeps_policy_values_out_of_the_agents_file(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path / "policy.toml", POLICY))
    agent = tmp_path / "settings.toml"
    settings = load_effective_settings(agent, policy).settings
    settings.account.extensions = ["1002"]
    save_settings(settings, agent, omit=policy.omitted(settings))
    text = agent.read_text()
    assert "pbx.example.com.tr" not in text
    assert "57000" not in text
    assert "1002" in text
    # IT changes a (not locked) policy default later: agents who never changed it follow.
    write(tmp_path / "policy.toml", POLICY.replace("57000", "57001"))
    later = load_effective_settings(agent, load_policy(tmp_path / "policy.toml"))
    assert later.settings.server.port == 57001
    assert load_settings(agent).server.host == ""


def test_the_agents_bad_file_still_names_every_problem(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path / "policy.toml", POLICY))
    agent = write(tmp_path / "settings.toml", '[server]\nport = "x"\n[popup]\nenabled = 3\n')
    with pytest.raises(SettingsError) as caught:
        load_effective_settings(agent, policy)
    assert len(caught.value.problems) == 2
