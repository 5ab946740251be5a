"""The [crm], [ldap], [http_lookup] and [hotkey] settings: defaults, round trip, checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.settings import (
    CrmOpenOn,
    Settings,
    SettingsError,
    load_settings,
    save_settings,
)


def test_defaults() -> None:
    settings = Settings()
    assert settings.crm.url == ""
    assert settings.crm.open_on is CrmOpenOn.RING
    assert settings.ldap.url == ""
    assert settings.ldap.timeout_ms == 800
    assert settings.ldap.name_attribute == "displayName,cn"
    assert settings.http_lookup.url == ""
    assert settings.hotkey.dial == "Ctrl+Alt+D"


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('''
[crm]
url = "https://crm.example.com/s?p={e164}&n={name}"
open_on = "answer"

[ldap]
url = "ldap://127.0.0.1:3890"
base_dn = "ou=people,dc=example,dc=com,dc=tr"
bind_dn = "cn=reader,dc=example,dc=com,dc=tr"
filter = "(|(telephoneNumber={e164})(mobile={international}))"
name_attribute = "cn"
company_attribute = "o"
timeout_ms = 1500

[http_lookup]
url = "http://127.0.0.1:8080/lookup?phone={national}"

[hotkey]
dial = "alt+ctrl+f9"
''', encoding="utf-8")
    settings = load_settings(path)
    assert settings.crm.open_on is CrmOpenOn.ANSWER
    assert settings.ldap.timeout_ms == 1500
    assert settings.ldap.filter == "(|(telephoneNumber={e164})(mobile={international}))"
    assert settings.http_lookup.url.endswith("phone={national}")
    assert settings.hotkey.dial == "Ctrl+Alt+F9"  # canonical
    save_settings(settings, tmp_path / "again.toml")
    assert load_settings(tmp_path / "again.toml") == settings


@pytest.mark.parametrize(("section", "line", "words"), [
    ("crm", 'url = "ftp://crm.example.com/{e164}"', "http:// or https://"),
    ("crm", 'url = "https://{name}.example.com/"', "host"),
    ("crm", 'url = "https://crm.example.com/?q={phone}"', "unknown variable {phone}"),
    ("crm", 'open_on = "always"', "open_on"),
    ("ldap", 'url = "http://dc1.example.com"', "ldap://"),
    ("ldap", 'filter = "telephoneNumber={e164}"', "parentheses"),
    ("ldap", 'filter = "(|(telephoneNumber={e164})"', "parentheses"),
    ("ldap", 'filter = "(telephoneNumber={name})"', "unknown variable {name}"),
    ("ldap", "timeout_ms = 60000", "100 to 5000"),
    ("http_lookup", 'url = "https://crm.example.com/?q={call_id}"', "unknown variable"),
    ("http_lookup", 'url = "javascript:x({e164})"', "http://"),
    ("hotkey", 'dial = "D"', "Ctrl, Alt or Meta"),
])
def test_bad_values_are_refused_at_load_naming_the_key(tmp_path: Path, section: str, line: str,
                                                       words: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"[{section}]\n{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    key = line.split(" ", 1)[0]
    assert f"[{section}] {key}" in str(caught.value)
    assert words in str(caught.value)


def test_a_bind_password_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[ldap]\nbind_password = "x"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="keyring"):
        load_settings(path)


def test_the_policy_file_takes_the_same_keys_and_refuses_bad_ones(tmp_path: Path) -> None:
    from desktop.core.policy import load_effective_settings, load_policy

    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(
        'locked = ["crm.url", "ldap.url"]\n'
        '[crm]\nurl = "https://crm.firma.com.tr/?tel={e164}"\nopen_on = "click"\n'
        '[ldap]\nurl = "ldap://dc.firma.com.tr"\nbase_dn = "dc=firma"\n'
        'bind_password = "never"\n'
        '[http_lookup]\nurl = "javascript:alert({e164})"\n'
        '[hotkey]\ndial = "Ctrl+Alt+F9"\n', encoding="utf-8")
    agent = tmp_path / "settings.toml"
    agent.write_text('[crm]\nurl = "https://kendi.example/?{e164}"\n'
                     '[ldap]\nbind_dn = "cn=ajan"\n', encoding="utf-8")
    policy = load_policy(policy_file)
    effective = load_effective_settings(agent, policy).settings
    assert effective.crm.url == "https://crm.firma.com.tr/?tel={e164}"  # locked: the policy's
    assert effective.crm.open_on is CrmOpenOn.CLICK
    assert (effective.ldap.url, effective.ldap.bind_dn) == ("ldap://dc.firma.com.tr", "cn=ajan")
    assert effective.hotkey.dial == "Ctrl+Alt+F9"
    assert effective.http_lookup.url == ""  # refused, not applied
    warnings = "\n".join(policy.warnings)
    assert "[http_lookup] url" in warnings
    assert "http:// or https://" in warnings
    assert "bind_password" in warnings
