"""``kobikom-desktop lookup NUMBER`` as a real process: local, then LDAP (a real slapd), then the
HTTP lookup (a real aiohttp server), printing where the contact came from."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers.appprocess import program
from tests.helpers.ldap_server import PEOPLE_DN, READER_DN, READER_PASSWORD, SlapdServer
from tests.helpers.lookup_server import LookupServer

RUN_TIMEOUT = 60


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOBIKOM_")}
    env.update(KOBIKOM_DESKTOP_HOME=str(home), LANG="C.UTF-8", PYTHONIOENCODING="utf-8",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **extra)
    return env


def write_config(home: Path, slapd: SlapdServer | None, lookup: LookupServer | None) -> Path:
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = ""
    if slapd is not None:
        text += (f'[ldap]\nurl = "{slapd.url}"\nbase_dn = "{PEOPLE_DN}"\n'
                 f'bind_dn = "{READER_DN}"\ntimeout_ms = 2000\n\n')
    if lookup is not None:
        text += f'[http_lookup]\nurl = "{lookup.url()}"\ntimeout_ms = 2000\n'
    path.write_text(text, encoding="utf-8")
    return path


def lookup(home: Path, number: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*program(), "lookup", number, *args],
                          env=env_for(home, **env), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)


@pytest.fixture
def home(tmp_path: Path, slapd: SlapdServer, lookup_server: LookupServer) -> Path:
    home = tmp_path / "home"
    write_config(home, slapd, lookup_server)
    csv = tmp_path / "rehber.csv"
    csv.write_text("Ad,Telefon\nYerel Ayşe,0544 999 88 77\n", encoding="utf-8")
    done = subprocess.run([*program(), "contacts", "import", str(csv)], env=env_for(home),
                          capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    return home


@pytest.mark.parametrize(("number", "source", "name"), [
    ("0544 999 88 77", "local", "Yerel Ayşe"),
    ("+90 532 123 45 67", "ldap", "Şükrü Çağlayan (Satış)"),
    ("05551112233", "http", "Çiğdem Ünlü"),
])
def test_every_source_in_order(home: Path, number: str, source: str, name: str) -> None:
    done = lookup(home, number, KOBIKOM_LDAP_PASSWORD=READER_PASSWORD)
    assert done.returncode == 0, done.stderr
    contact = json.loads(done.stdout)
    assert contact["source"] == source
    assert contact["name"] == name
    assert done.stderr == ""


def test_not_found_anywhere_is_exit_1(home: Path) -> None:
    done = lookup(home, "05000000000", KOBIKOM_LDAP_PASSWORD=READER_PASSWORD)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "no contact for 0500 000 00 00" in done.stderr


def test_a_failing_source_is_named_and_the_next_one_asked(home: Path,
                                                          lookup_server: LookupServer) -> None:
    done = lookup(home, "05551112233", KOBIKOM_LDAP_PASSWORD="yanlış")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["source"] == "http"
    assert "ldap: " in done.stderr
    assert "invalidCredentials" in done.stderr
    assert "yanlış" not in done.stderr
    lookup_server.behaviour = "500"
    failed = lookup(home, "05551112233", KOBIKOM_LDAP_PASSWORD=READER_PASSWORD)
    assert failed.returncode == 4  # not found while a source failed: the answer is unsure
    assert "http: 127.0.0.1: HTTP 500" in failed.stderr


def test_a_bad_template_in_the_settings_is_refused_naming_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[http_lookup]\nurl = "ftp://crm.example.com/{e164}"\n', encoding="utf-8")
    done = lookup(home, "05551112233")
    assert done.returncode == 2
    assert "[http_lookup] url" in done.stderr
    assert "http:// or https://" in done.stderr


def test_without_remote_sources_only_the_local_directory(tmp_path: Path) -> None:
    done = lookup(tmp_path / "empty-home", "05551112233")
    assert done.returncode == 1
    assert "no contact" in done.stderr
