"""The HTTP JSON lookup against a real aiohttp server on loopback (timeouts and 500s too)."""

from __future__ import annotations

import time

import pytest

from desktop.core.numbers import parse_number
from desktop.core.remote_directory import RemoteDirectory, SourceError
from desktop.core.remote_http import MAX_BODY_BYTES, HttpLookupSource, parse_answer
from tests.helpers.lookup_server import LookupServer


async def lookup(source: HttpLookupSource, number: str):  # type: ignore[no-untyped-def]
    try:
        return await source.lookup(parse_number(number))
    finally:
        await source.aclose()


async def test_a_turkish_contact_is_found(lookup_server: LookupServer) -> None:
    source = HttpLookupSource(lookup_server.url(), budget=2.0)
    contact = await lookup(source, "0555 111 22 33")
    assert contact is not None
    assert (contact.name, contact.company, contact.email, contact.notes, contact.source) == (
        "Çiğdem Ünlü", "Güneş Enerji A.Ş.", "cigdem@gunes.com.tr", "Sözleşme yenileme\nhaziran",
        "http")
    request = lookup_server.requests[-1]
    assert request.query == {"phone": "+905551112233"}
    assert request.raw_query == "phone=%2B905551112233"  # '+' encoded, not a space
    assert request.headers["Accept"] == "application/json"
    assert "Authorization" not in request.headers


async def test_the_number_forms_go_where_the_template_says(lookup_server: LookupServer) -> None:
    source = HttpLookupSource(lookup_server.url("/lookup?phone={national}&i={international}"),
                              budget=2.0)
    assert await lookup(source, "+905551112233") is None  # the server knows E.164 only
    assert lookup_server.requests[-1].query == {"phone": "05551112233",
                                                "i": "+90 555 111 22 33"}


@pytest.mark.parametrize("number", ["05559999999", "05550000000"])
async def test_not_known_is_none_not_a_failure(lookup_server: LookupServer, number: str) -> None:
    assert await lookup(HttpLookupSource(lookup_server.url(), budget=2.0), number) is None


async def test_a_list_answer_gives_its_first_contact(lookup_server: LookupServer) -> None:
    contact = await lookup(HttpLookupSource(lookup_server.url(), budget=2.0), "05559998877")
    assert contact is not None
    assert contact.name == "Liste Birinci"


async def test_the_token_is_sent_as_a_bearer(lookup_server: LookupServer) -> None:
    source = HttpLookupSource(lookup_server.url(), budget=2.0, token="t0k-3n.x_Y")
    await lookup(source, "05321234567")
    assert lookup_server.requests[-1].headers["Authorization"] == "Bearer t0k-3n.x_Y"


@pytest.mark.parametrize("token", ["şifre-ÇĞ", "abc\r\nX-Evil: 1"])
async def test_a_token_no_header_can_carry_is_refused_without_showing_it(
        lookup_server: LookupServer, token: str) -> None:
    source = HttpLookupSource(lookup_server.url(), budget=2.0, token=token)
    with pytest.raises(SourceError, match="token") as caught:
        await lookup(source, "05321234567")
    assert token not in str(caught.value)
    assert "şifre" not in str(caught.value)
    assert lookup_server.requests == []


@pytest.mark.parametrize(("behaviour", "words"), [
    ("500", "HTTP 500 Internal Server Error"),
    ("401", "token is missing or refused"),
    ("not-json", "not JSON"),
    ("huge", f"larger than {MAX_BODY_BYTES // 1024} KB"),
    ("redirect", "redirects are not followed"),
])
async def test_a_misbehaving_server_is_a_failure_saying_what(
        lookup_server: LookupServer, behaviour: str, words: str) -> None:
    lookup_server.behaviour = behaviour
    with pytest.raises(SourceError) as caught:
        await lookup(HttpLookupSource(lookup_server.url(), budget=2.0), "05321234567")
    assert words in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
    assert "5321234567" not in str(caught.value)  # the number stays out of the message


async def test_a_slow_server_costs_the_budget_and_no_more(lookup_server: LookupServer) -> None:
    lookup_server.behaviour = "slow"
    lookup_server.delay = 5.0
    started = time.monotonic()
    with pytest.raises(SourceError, match="no answer in time"):
        await lookup(HttpLookupSource(lookup_server.url(), budget=0.3), "05321234567")
    assert time.monotonic() - started < 2.0


async def test_a_server_that_is_gone_fails_fast(lookup_server: LookupServer) -> None:
    url = lookup_server.url()
    lookup_server.stop()
    started = time.monotonic()
    with pytest.raises(SourceError, match="ConnectError"):
        await lookup(HttpLookupSource(url, budget=2.0), "05321234567")
    assert time.monotonic() - started < 1.5


async def test_the_chain_reports_a_500_and_recovers(lookup_server: LookupServer) -> None:
    problems: list[tuple[str, str | None]] = []
    source = HttpLookupSource(lookup_server.url(), budget=2.0)
    chain = RemoteDirectory([source], rest_after_failure=0.0,
                            on_problem=lambda s, t: problems.append((s, t)))
    try:
        lookup_server.behaviour = "500"
        assert await chain.lookup("05321234567") is None
        lookup_server.behaviour = "normal"
        contact = await chain.lookup("05321234567")
    finally:
        await chain.aclose()
    assert contact is not None
    assert contact.name == "Şükrü Çağlayan (CRM)"
    assert [p[0] for p in problems] == ["http", "http"]
    assert "HTTP 500" in (problems[0][1] or "")
    assert problems[1][1] is None


@pytest.mark.parametrize(("body", "name"), [
    (b"", None), (b"null", None), (b"{}", None), (b"[]", None), (b'[1, {"name": "A"}]', "A"),
    (b'{"company": "Yaln\\u0131z \\u015eirket"}', ""), (b'\xef\xbb\xbf{"name": "BOM"}', "BOM"),
    (b'{"name": "<b>x</b>", "extra": {"a": 1}}', "<b>x</b>"),
])
def test_answer_shapes(body: bytes, name: str | None) -> None:
    contact = parse_answer(body)
    assert (contact.name if contact else None) == name


@pytest.mark.parametrize("body", [b'"text"', b"42", b"{bad", b"\xff\xfe"])
def test_malformed_answers(body: bytes) -> None:
    with pytest.raises(SourceError):
        parse_answer(body)


async def test_a_token_from_the_keyring_is_read_once_off_the_loop(
        lookup_server: LookupServer) -> None:
    import threading

    reads: list[str] = []

    def read() -> str:
        reads.append(threading.current_thread().name)
        return "from-keyring"

    source = HttpLookupSource(lookup_server.url(), budget=2.0, token=read)
    try:
        await source.lookup(parse_number("05321234567"))
        await source.lookup(parse_number("05551112233"))
    finally:
        await source.aclose()
    assert len(reads) == 1
    assert reads[0] != threading.main_thread().name
    assert [r.headers["Authorization"] for r in lookup_server.requests] == [
        "Bearer from-keyring"] * 2


async def test_a_lookup_during_the_warm_up_shares_its_token_read(
        lookup_server: LookupServer) -> None:
    import asyncio
    import threading

    reads: list[int] = []
    release = threading.Event()

    def slow_read() -> str:
        reads.append(1)
        release.wait(5)  # the keyring takes its time
        return "shared"

    source = HttpLookupSource(lookup_server.url(), budget=5.0, token=slow_read)
    try:
        prepare = asyncio.ensure_future(source.prepare())
        lookup_task = asyncio.ensure_future(source.lookup(parse_number("05321234567")))
        await asyncio.sleep(0.1)
        release.set()
        await prepare
        await lookup_task
    finally:
        await source.aclose()
    assert reads == [1]
    assert lookup_server.requests[-1].headers["Authorization"] == "Bearer shared"
