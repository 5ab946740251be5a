"""The agent's settings file: every unknown key warned, every bad value reported at once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from desktop.core.settings import (
    PopupCorner,
    Settings,
    SettingsError,
    all_keys,
    load_settings,
    parse_settings,
    read_settings,
    save_settings,
)
from desktop.pbx.connection import Flavor, Transport


def test_unknown_keys_are_warnings_that_name_the_key(tmp_path: Path, caplog) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[account]\nflavor = "tekil"\ndomian_uuid = "x"\n[theme]\ndark = true\n',
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kobikom.core.settings"):
        settings = load_settings(path)
    assert settings.account.flavor is Flavor.TEKIL
    messages = [r.getMessage() for r in caplog.records]
    assert any("[account] domian_uuid" in m and "unknown setting" in m for m in messages)
    assert any("unknown section [theme]" in m for m in messages)


def test_all_wrong_types_are_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[account]\nflavor = "cloud"\nextensions = 5\n'
                    '[server]\nport = "eighty"\n[popup]\nenabled = "yes"\n'
                    'auto_close_seconds = 2.5\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    problems = caught.value.problems
    assert len(problems) == 5, problems
    text = str(caught.value)
    for key in ("[account] flavor", "[account] extensions", "[server] port",
                "[popup] enabled", "[popup] auto_close_seconds"):
        assert key in text
    assert "expected one of: tekil, bulut" in text


def test_a_secret_in_the_file_is_refused_with_the_other_problems() -> None:
    parsed = parse_settings({"account": {"password": "hunter2", "extensions": {}}},
                            source="f.toml")
    assert len(parsed.errors) == 2
    assert any("password" in e and "keyring" in e for e in parsed.errors)
    # A known switch whose name contains "token" is not a secret.
    assert not parse_settings({"account": {"ws_login_with_token": True}}).errors


def test_values_are_converted_like_before() -> None:
    parsed = parse_settings({"account": {"extensions": "1001, 1002", "transport": "WS"},
                             "server": {"port": "8990", "tls": True},
                             "popup": {"corner": "top-left"}})
    s = parsed.settings
    assert s.account.extensions == ["1001", "1002"]
    assert s.account.transport is Transport.WS
    assert s.server.port == 8990
    assert s.server.tls == "true"
    assert s.popup.corner is PopupCorner.TOP_LEFT
    assert parsed.provided == {"account.extensions", "account.transport", "server.port",
                               "server.tls", "popup.corner"}


def test_locked_keys_keep_the_base_value_with_a_warning() -> None:
    base = Settings()
    base.server.host = "pbx.example.com"
    parsed = parse_settings({"server": {"host": "evil.example.com", "port": 1234}},
                            source="mine.toml", base=base, locked={"server.host"})
    assert parsed.settings.server.host == "pbx.example.com"
    assert parsed.settings.server.port == 1234
    assert any("[server] host" in w and "administrator" in w for w in parsed.warnings)


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SettingsError, match="not a text file"):
        read_settings(tmp_path / "bin.toml")
    with pytest.raises(SettingsError, match="is a folder"):
        read_settings(tmp_path)
    assert read_settings(tmp_path / "missing.toml").settings == Settings()


def test_save_leaves_out_the_omitted_keys(tmp_path: Path) -> None:
    settings = Settings()
    settings.server.host = "pbx.example.com"
    settings.account.user = "ayse@example.com"
    path = tmp_path / "settings.toml"
    save_settings(settings, path, omit={"server.host"})
    text = path.read_text()
    assert "pbx.example.com" not in text
    assert "ayse@example.com" in text
    assert load_settings(path).account.user == "ayse@example.com"


def test_every_key_is_registered_once() -> None:
    keys = all_keys()
    assert len(keys) == len(set(keys))
    assert "server.host" in keys
    assert "popup.corner" in keys
