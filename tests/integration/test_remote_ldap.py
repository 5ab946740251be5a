"""LDAP lookups against a real OpenLDAP server (slapd on loopback, Turkish names in UTF-8)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest

from desktop.core.numbers import parse_number
from desktop.core.remote_directory import RemoteContact, RemoteDirectory, SourceError
from desktop.core.remote_ldap import LdapConfig, LdapSource, attribute_names, check_filter
from desktop.core.templates import TemplateError
from tests.helpers.ldap_server import (
    BASE_DN,
    PEOPLE_DN,
    READER_DN,
    READER_PASSWORD,
    SlapdServer,
    free_port,
)
from tests.helpers.lookup_server import LookupServer

Factory = Callable[..., LdapSource]


@pytest.fixture
async def make_source(slapd: SlapdServer) -> AsyncIterator[Factory]:
    made: list[LdapSource] = []

    def make(*, password: str | None = READER_PASSWORD, url: str | None = None,
             budget: float = 2.0, **config: object) -> LdapSource:
        values: dict[str, object] = {"url": url or slapd.url, "base_dn": PEOPLE_DN,
                                     "bind_dn": READER_DN, "budget": budget}
        values.update(config)
        source = LdapSource(LdapConfig(**values), password=lambda: password)  # type: ignore[arg-type]
        made.append(source)
        return source

    yield make
    for source in made:
        await source.aclose()


async def find(source: LdapSource, number: str) -> RemoteContact | None:
    return await source.lookup(parse_number(number))


async def test_a_formatted_number_is_found_by_its_e164_form(make_source: Factory) -> None:
    contact = await find(make_source(), "0532 123 45 67")
    assert contact == RemoteContact(name="Şükrü Çağlayan (Satış)",
                                    company="Örnek Dış Ticaret A.Ş.", source="ldap")


async def test_mobile_numbers_and_attribute_fallbacks(make_source: Factory) -> None:
    source = make_source()
    ipek = await find(source, "+90 533 765 43 21")
    assert ipek is not None
    assert (ipek.name, ipek.company) == ("İpek Öztürk", "Işık Gıda Ltd. Şti.")
    gul = await find(source, "0212 555 12 34")  # no displayName, no company: cn, ""
    assert gul is not None
    assert (gul.name, gul.company) == ("Gül Ağaoğlu", "")
    assert await find(source, "0532 000 00 00") is None
    assert source.binds == 1  # one connection, kept and reused


async def test_a_shared_number_gives_the_first_entry(make_source: Factory) -> None:
    contact = await find(make_source(), "0212 444 00 00")
    assert contact is not None
    assert contact.name in ("Santral Bir", "Santral İki")


async def test_the_filter_and_attributes_are_the_admins(make_source: Factory) -> None:
    source = make_source(filter="(&(objectClass=inetOrgPerson)(mobile={international}))",
                         name_attributes=attribute_names("sn"),
                         company_attributes=attribute_names("nosuchattribute"))
    contact = await find(source, "05337654321")
    assert contact is not None
    assert (contact.name, contact.company) == ("Öztürk", "")
    assert await find(source, "05321234567") is None  # a telephoneNumber, not a mobile


async def test_values_are_escaped_not_filter_syntax(make_source: Factory, slapd: SlapdServer
                                                    ) -> None:
    # "{number}" carries the text as received: an extension such as "*97"
    # must be looked up literally, not as a wildcard matching everyone.
    source = make_source(filter="(telephoneNumber={number})")
    assert await find(source, "*97") is None
    source_all = make_source(filter="(telephoneNumber=*)")
    assert await find(source_all, "*97") is not None  # the wildcard would have matched


async def test_a_wrong_password_is_a_clear_failure_without_the_password(
        make_source: Factory, caplog: pytest.LogCaptureFixture) -> None:
    source = make_source(password="yanlış-şifre-123")
    problems: list[tuple[str, str | None]] = []
    chain = RemoteDirectory([source], on_problem=lambda s, t: problems.append((s, t)))
    with caplog.at_level("DEBUG"):
        contact, outcomes = await chain.lookup_verbose("05321234567")
    assert contact is None
    assert "invalidCredentials" in outcomes[0].error
    assert problems
    assert "invalidCredentials" in (problems[0][1] or "")
    assert "yanlış-şifre-123" not in caplog.text
    assert READER_PASSWORD not in caplog.text


async def test_no_stored_password_says_so(make_source: Factory) -> None:
    with pytest.raises(SourceError, match="KOBIKOM_LDAP_PASSWORD"):
        await find(make_source(password=None), "05321234567")


async def test_a_bind_user_without_rights_or_a_wrong_base_is_a_failure_saying_so(
        make_source: Factory) -> None:
    # This server refuses anonymous reads (as most company directories do).
    with pytest.raises(SourceError, match="insufficientAccessRights"):
        await find(make_source(bind_dn="", password=None), "05321234567")
    with pytest.raises(SourceError, match="base DN does not exist"):
        await find(make_source(base_dn="ou=nobody," + BASE_DN), "05321234567")


async def test_a_server_that_is_not_there_fails_fast(make_source: Factory) -> None:
    source = make_source(url=f"ldap://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(SourceError, match="cannot connect"):
        await find(source, "05321234567")
    assert time.monotonic() - started < 1.5


async def test_a_hung_server_costs_the_budget_then_the_next_source_answers(
        make_source: Factory, slapd: SlapdServer, lookup_server: LookupServer) -> None:
    from desktop.core.remote_http import HttpLookupSource

    ldap = make_source(budget=0.5)
    assert await find(ldap, "05321234567") is not None  # connected
    http = HttpLookupSource(lookup_server.url(), budget=1.0)
    problems: list[tuple[str, str | None]] = []
    chain = RemoteDirectory([ldap, http], rest_after_failure=0.0,
                            on_problem=lambda s, t: problems.append((s, t)))
    slapd.pause()
    try:
        started = time.monotonic()
        contact = await chain.lookup("05321234567")
        elapsed = time.monotonic() - started
    finally:
        slapd.resume()
    await http.aclose()
    assert contact is not None
    assert contact.source == "http"
    assert 0.45 <= elapsed < 1.5
    assert problems == [("ldap", "no answer within 500 ms")]
    # The server is back: the source reconnects by itself (its kept connection was dropped).
    deadline = time.monotonic() + 10
    found = None
    while time.monotonic() < deadline and found is None:
        try:
            found = await asyncio.wait_for(find(ldap, "05321234567"), 2.0)
        except (SourceError, TimeoutError):
            await asyncio.sleep(0.2)
    assert found is not None
    assert found.source == "ldap"


async def test_a_restarted_server_is_reconnected_within_one_lookup(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    from tests.helpers.directory_servers import PEOPLE

    server = SlapdServer(tmp_path_factory.mktemp("slapd-restart")).start()
    try:
        server.add_people(PEOPLE[:1])
        source = LdapSource(LdapConfig(url=server.url, base_dn=PEOPLE_DN, bind_dn=READER_DN,
                                       budget=3.0), password=lambda: READER_PASSWORD)
        try:
            assert await find(source, "05321234567") is not None
            port = server.port
            server.stop()
            server.port = port
            restarted = server.restart_same_port()
            assert restarted
            contact = await find(source, "05321234567")  # the old connection is dead
            assert contact is not None
            assert source.binds == 2
        finally:
            await source.aclose()
    finally:
        server.stop()


async def test_the_blocking_client_never_blocks_the_loop(make_source: Factory,
                                                         slapd: SlapdServer) -> None:
    source = make_source(budget=1.0)
    assert await find(source, "05321234567") is not None
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    task = asyncio.get_running_loop().create_task(ticker())
    slapd.pause()
    try:
        with pytest.raises((SourceError, TimeoutError)):
            await asyncio.wait_for(find(source, "05321234567"), 0.6)
    finally:
        slapd.resume()
        task.cancel()
    assert ticks >= 20  # the loop kept turning while the LDAP thread waited


@pytest.mark.parametrize(("template", "code"), [
    ("(telephoneNumber={e164})", None),
    ("(|(telephoneNumber={e164})(mobile={national})(homePhone={international}))", None),
    ("telephoneNumber={e164}", "ldap-parentheses"),
    ("((telephoneNumber={e164})", "ldap-parentheses"),
    ("(telephoneNumber={e164}))(", "ldap-parentheses"),
    ("(telephoneNumber={call_id})", "unknown-variable"),
    ("(&)(x=1)", "ldap-syntax"),
])
def test_filter_checks(template: str, code: str | None) -> None:
    if code is None:
        assert check_filter(template) == template
        return
    with pytest.raises(TemplateError) as caught:
        check_filter(template)
    assert caught.value.code == code


def test_the_base_is_the_directorys() -> None:
    assert PEOPLE_DN.endswith(BASE_DN)


async def test_prepare_connects_and_binds_before_the_first_call(make_source: Factory) -> None:
    reads: list[int] = []
    source = make_source()
    source._password = lambda: reads.append(1) or READER_PASSWORD  # type: ignore[method-assign]
    chain = RemoteDirectory([source])
    await chain.prepare()
    assert source.binds == 1
    assert reads == [1]
    contact, _outcomes = await chain.lookup_verbose("05321234567")
    assert contact is not None
    assert source.binds == 1  # the call used the prepared connection
    assert reads == [1]


async def test_prepare_of_a_server_that_is_not_there_is_quiet(make_source: Factory) -> None:
    source = make_source(url=f"ldap://127.0.0.1:{free_port()}")
    await RemoteDirectory([source]).prepare()  # no exception, no problem reported yet
    with pytest.raises(SourceError, match="cannot connect"):
        await find(source, "05321234567")
