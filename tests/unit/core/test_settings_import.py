"""Importing an administrator's settings file: valid, with a secret, with bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.settings import Settings, SettingsError, load_settings, save_settings
from desktop.core.settings_import import (
    ADMIN_KEYS,
    apply_provided,
    import_settings_file,
    read_settings_file,
)
from desktop.pbx.connection import Flavor, Transport

ROLL_OUT = """\
# Prepared by IT for every agent of the office.
[account]
flavor = "bulut"
transport = "ws"
domain_uuid = "97df2222-c948-492c-8a1b-0123456789ab"

[server]
host = "wss.kobipbx.com"
port = 443
ca_file = "company-ca.pem"

[sms]
api = "new"
sender = "DEMOFIRMA"

[popup]
corner = "top-right"
"""


def write(tmp_path: Path, text: str, name: str = "kobikom.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_roll_out_file_is_read_and_says_what_it_provides(tmp_path: Path) -> None:
    (tmp_path / "company-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    result = read_settings_file(write(tmp_path, ROLL_OUT))
    s = result.settings
    assert s.account.flavor is Flavor.BULUT
    assert s.account.transport is Transport.WS
    assert s.account.domain_uuid == "97df2222-c948-492c-8a1b-0123456789ab"
    assert s.server.port == 443
    # A relative CA file is next to the settings file.
    assert s.server.ca_file == str(tmp_path / "company-ca.pem")
    assert result.provided == {"account.flavor", "account.transport", "account.domain_uuid",
                               "server.host", "server.port", "server.ca_file", "sms.api",
                               "sms.sender", "popup.corner"}
    assert result.admin_keys == result.provided - {"popup.corner"}
    assert result.admin_keys <= ADMIN_KEYS
    assert result.warnings == ()
    assert not s.configured  # the agent still has to pick an extension
    assert import_settings_file(result.path).to_dict() == s.to_dict()


def test_the_agent_values_of_a_per_agent_file_are_provided_but_not_locked(tmp_path) -> None:
    path = write(tmp_path, '[account]\nflavor = "tekil"\nuser = "ayse@firma.com.tr"\n'
                           'extensions = ["101000"]\n')
    result = read_settings_file(path)
    assert result.settings.configured
    assert {"account.user", "account.extensions"} <= result.provided
    assert result.admin_keys == {"account.flavor"}


@pytest.mark.parametrize(("text", "where"), [
    ('[account]\nflavor = "tekil"\npassword = "hunter2"\n', "[account] password"),
    ('[account]\napi_key = "abc"\n', "[account] api_key"),
    ('[sms]\ntoken = "abc"\n', "[sms] token"),
    ('[sms]\napi-token = "abc"\n', "[sms] api-token"),
    ('[company]\nname = "Demo"\n[company.sip]\nApiKey = "x"\n', "[company.sip] ApiKey"),
    ('[secrets]\nkobikom = "abc"\n', "[secrets]"),
    ('[credentials]\nuser = "x"\n', "[credentials]"),
    ('userpass = "x"\n', "userpass"),
], ids=["password", "api_key", "token", "dashes", "nested", "section", "credentials",
        "top-level"])
def test_a_file_with_a_secret_is_refused_naming_it(tmp_path: Path, text: str,
                                                   where: str) -> None:
    with pytest.raises(SettingsError) as info:
        read_settings_file(write(tmp_path, text))
    message = str(info.value)
    assert where in message
    assert "must not be in a settings file" in message
    assert "keyring" in message
    assert "hunter2" not in message


def test_a_known_switch_with_token_in_its_name_is_not_a_secret(tmp_path: Path) -> None:
    result = read_settings_file(write(tmp_path, "[account]\nws_login_with_token = true\n"))
    assert result.settings.account.ws_login_with_token is True


@pytest.mark.parametrize(("text", "message"), [
    ('[account]\nflavor = "cloud"\n', "[account] flavor: invalid value 'cloud'"),
    ('[server]\nport = 70000\n', "[server] port: 70000 is not a port number"),
    ('[server]\nport = "eighty"\n', "[server] port: invalid value 'eighty'"),
    ('[server]\ntls = "yes"\n', "[server] tls: 'yes' must be"),
    ('[server]\napi_base = "panelapi.kobikom.com.tr"\n', "[server] api_base:"),
    ('[server]\nhost = "wss://wss.kobipbx.com/"\n', "[server] host:"),
    ('[server]\nca_file = "missing.pem"\n', "[server] ca_file:"),
    ('[sms]\napi = "newest"\n', "[sms] api: 'newest' must be"),
    ('[sms]\nbase = "ftp://x"\n', "[sms] base:"),
    ('[account]\nextensions = ["1001", "Ayşe"]\n', "[account] extensions: 'Ayşe'"),
    ('[popup]\nenabled = "evet"\n', "[popup] enabled: invalid value 'evet'"),
    ("[account\nflavor = 1\n", "is not a valid settings file"),
])
def test_invalid_values_name_their_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError) as info:
        read_settings_file(write(tmp_path, text))
    assert message in str(info.value)
    assert "kobikom.toml" in str(info.value)


def test_unknown_keys_and_sections_are_warnings(tmp_path: Path) -> None:
    result = read_settings_file(write(
        tmp_path, '[account]\nflavor = "bulut"\ndomian_uuid = "x"\n[theme]\ndark = true\n'
                  '[account.extra]\n'))
    assert result.warnings == ("unknown setting [account] domian_uuid ignored",
                               "unknown setting [account] extra ignored",
                               "unknown section [theme] ignored")
    assert result.settings.account.domain_uuid == ""


def test_soft_problems_are_warnings(tmp_path: Path) -> None:
    result = read_settings_file(write(
        tmp_path, '[account]\ndomain_uuid = "97df2222-xxxx"\nuser = "ayse"\n'))
    assert any("does not look like a UUID" in w for w in result.warnings)
    assert any("is not an e-mail address" in w for w in result.warnings)


@pytest.mark.parametrize("setup", ["missing", "folder", "binary", "huge"])
def test_unreadable_files(tmp_path: Path, setup: str) -> None:
    path = tmp_path / "kobikom.toml"
    if setup == "folder":
        path.mkdir()
    elif setup == "binary":
        path.write_bytes(b"\xff\xfe\x00junk")
    elif setup == "huge":
        path.write_text("# " + "x" * 300_000)
    with pytest.raises(SettingsError, match=r"kobikom\.toml"):
        read_settings_file(path)


def test_a_file_the_app_saved_imports_cleanly(tmp_path: Path) -> None:
    settings = Settings()
    settings.account.flavor = Flavor.TEKIL
    settings.account.extensions = ["101000"]
    path = tmp_path / "saved.toml"
    save_settings(settings, path)
    result = read_settings_file(path)
    assert result.warnings == ()
    assert result.settings.to_dict() == load_settings(path).to_dict()


def test_apply_provided_changes_only_what_the_file_sets(tmp_path: Path) -> None:
    base = Settings()
    base.account.user = "ayse@firma.com.tr"
    base.account.extensions = ["1001"]
    base.popup.auto_close_seconds = 20
    imported = read_settings_file(write(tmp_path, '[account]\nflavor = "tekil"\n'
                                                  '[server]\napi_base = "https://p.test"\n'))
    merged = apply_provided(base, imported)
    assert merged.account.flavor is Flavor.TEKIL
    assert merged.server.api_base == "https://p.test"
    assert merged.account.user == "ayse@firma.com.tr"
    assert merged.account.extensions == ["1001"]
    assert merged.popup.auto_close_seconds == 20
    assert base.account.flavor is Flavor.BULUT  # the base is not modified
