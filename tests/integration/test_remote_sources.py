"""The remote directory from the settings: LDAP first, then HTTP; the bind password from the
real keyring (gnome-keyring on a private D-Bus) or KOBIKOM_LDAP_PASSWORD."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.numbers import parse_number
from desktop.core.remote_sources import lookup_everywhere, remote_directory
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings
from tests.helpers.ldap_server import PEOPLE_DN, READER_DN, READER_PASSWORD, SlapdServer
from tests.helpers.lookup_server import LookupServer
from tests.helpers.secret_service import SecretService
from tests.helpers.xserver import require_programs


def settings_for(slapd: SlapdServer | None, lookup: LookupServer | None) -> Settings:
    settings = Settings()
    if slapd is not None:
        settings.ldap.url = slapd.url
        settings.ldap.base_dn = PEOPLE_DN
        settings.ldap.bind_dn = READER_DN
    if lookup is not None:
        settings.http_lookup.url = lookup.url()
    return settings


def to_json(contact: object) -> dict[str, object]:
    from desktop.core.contact_commands import contact_to_json

    return dict(contact_to_json(contact))  # type: ignore[arg-type]


@pytest.fixture
def keyring_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretService]:
    require_programs("dbus-daemon", "gnome-keyring-daemon")
    import keyring.backend
    import keyring.core

    service = SecretService(tmp_path_factory.mktemp("secret-service")).start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DBUS_SESSION_BUS_ADDRESS", service.address)
            mp.delenv("PYTHON_KEYRING_BACKEND", raising=False)
            mp.delenv("KOBIKOM_LDAP_PASSWORD", raising=False)
            with contextlib.suppress(KeyError):
                keyring.backend.get_all_keyring.reset()
            keyring.core.init_backend()
            yield service
    finally:
        service.stop()
        with contextlib.suppress(KeyError):
            keyring.backend.get_all_keyring.reset()
        keyring.core.init_backend()


@pytest.mark.keyring
async def test_the_bind_password_comes_from_the_real_keyring(
        keyring_service: SecretService, slapd: SlapdServer) -> None:
    store = SecretStore(use_env=False)
    assert store.available, store.problem
    assert store.set(SecretName.LDAP_PASSWORD, READER_PASSWORD, READER_DN)
    remote = remote_directory(settings_for(slapd, None), store)
    try:
        contact = await remote.lookup("0532 123 45 67")
    finally:
        await remote.aclose()
    assert contact is not None
    assert contact.name == "Şükrü Çağlayan (Satış)"


async def test_the_bind_password_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                      slapd: SlapdServer) -> None:
    monkeypatch.setenv("KOBIKOM_LDAP_PASSWORD", READER_PASSWORD)
    remote = remote_directory(settings_for(slapd, None), SecretStore(session_only=True))
    try:
        contact = await remote.lookup("+90 533 765 43 21")
    finally:
        await remote.aclose()
    assert contact is not None
    assert contact.name == "İpek Öztürk"


async def test_every_source_in_order_with_the_local_directory_first(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, slapd: SlapdServer,
        lookup_server: LookupServer) -> None:
    monkeypatch.setenv("KOBIKOM_LDAP_PASSWORD", READER_PASSWORD)
    directory = Directory(tmp_path / "contacts.sqlite3")
    directory.add(ContactDraft(name="Yerel Ayşe", numbers=(ContactNumber.of("05449998877"),)))
    remote = remote_directory(settings_for(slapd, lookup_server), SecretStore(session_only=True))
    assert [s.name for s in remote.sources] == ["ldap", "http"]
    try:
        answers = {number: await lookup_everywhere(parse_number(number), directory, remote,
                                                   to_json)
                   for number in ("05449998877", "05321234567", "05551112233", "05000000000")}
    finally:
        await remote.aclose()
        directory.close()
    assert answers["05449998877"].contact is not None
    assert answers["05449998877"].contact["source"] == "local"
    assert answers["05449998877"].contact["name"] == "Yerel Ayşe"
    assert answers["05321234567"].contact is not None
    assert answers["05321234567"].contact["source"] == "ldap"
    assert answers["05551112233"].contact is not None
    assert answers["05551112233"].contact["source"] == "http"
    assert answers["05551112233"].contact["name"] == "Çiğdem Ünlü"
    assert answers["05000000000"].contact is None
    assert [(o.source, o.result) for o in answers["05000000000"].outcomes] == [
        ("local", "not_found"), ("ldap", "not_found"), ("http", "not_found")]


async def test_settings_ldap3_refuses_are_reported_not_fatal(lookup_server: LookupServer
                                                             ) -> None:
    settings = settings_for(None, lookup_server)
    settings.ldap.url = "ldap://127.0.0.1:1"
    settings.ldap.filter = "(&)(x={e164})"  # balanced, but not a filter ldap3 accepts
    problems: list[tuple[str, str | None]] = []
    remote = remote_directory(settings, None, on_problem=lambda s, t: problems.append((s, t)))
    try:
        assert [s.name for s in remote.sources] == ["http"]
        assert await remote.lookup("05551112233") is not None
    finally:
        await remote.aclose()
    assert problems[0][0] == "ldap"
    assert "LDAP settings cannot work" in (problems[0][1] or "")


def test_no_sources_configured_is_an_empty_directory() -> None:
    remote = remote_directory(Settings(), None)
    assert not remote
    assert remote.sources == ()
