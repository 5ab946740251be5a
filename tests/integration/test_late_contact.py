"""The line's late contact: the first card never waits, the remote name follows in an UPDATED card.

Real parts: the local directory and journal (SQLite files), the remote
directory chain with the HTTP lookup against a real aiohttp server and LDAP
against a real slapd.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.calls import CallTracker
from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.journal import Journal
from desktop.core.phone_line import PhoneLine
from desktop.core.remote_directory import RemoteDirectory
from desktop.core.remote_http import HttpLookupSource
from desktop.core.remote_ldap import LdapConfig, LdapSource
from desktop.pbx.events import AnsweredEvent, HangupEvent, RingingEvent
from tests.helpers.ldap_server import PEOPLE_DN, READER_DN, READER_PASSWORD, SlapdServer
from tests.helpers.lookup_server import LookupServer

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
WAIT_S = 5.0


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Directory, Journal]]:
    directory = Directory(tmp_path / "contacts.sqlite3")
    journal = Journal(tmp_path / "journal.sqlite3")
    yield directory, journal
    directory.close()
    journal.close()


class Line:
    def __init__(self, stores: tuple[Directory, Journal], remote: RemoteDirectory) -> None:
        self.directory, self.journal = stores
        self.remote = remote
        self.cards: list[CallerCard] = []
        self.line = PhoneLine(CallTracker(["1001"], DOMAIN), directory=self.directory,
                              journal=self.journal, on_card=self.cards.append,
                              on_state=lambda s: None, remote=remote)

    def ring(self, call_id: str, caller: str) -> None:
        self.line.feed(RingingEvent(raw={}, received_at=time.time(), call_id=call_id,
                                    extension="1001", caller=caller, called="02242345678",
                                    domain=DOMAIN))

    def answer(self, call_id: str) -> None:
        self.line.feed(AnsweredEvent(raw={}, received_at=time.time(), call_id=call_id,
                                     extension="1001", domain=DOMAIN))

    def hang_up(self, call_id: str) -> None:
        self.line.feed(HangupEvent(raw={}, received_at=time.time(), call_id=call_id,
                                   extension="1001", domain=DOMAIN))

    def of(self, call_id: str) -> list[CallerCard]:
        return [c for c in self.cards if c.call_id == call_id]

    async def wait_cards(self, call_id: str, count: int) -> list[CallerCard]:
        deadline = time.monotonic() + WAIT_S
        while len(self.of(call_id)) < count:
            assert time.monotonic() < deadline, self.of(call_id)
            await asyncio.sleep(0.01)
        return self.of(call_id)


@pytest.fixture
async def http_line(stores: tuple[Directory, Journal], lookup_server: LookupServer
                    ) -> AsyncIterator[Line]:
    remote = RemoteDirectory([HttpLookupSource(lookup_server.url(), budget=1.0)],
                             rest_after_failure=0.0)
    line = Line(stores, remote)
    yield line
    await remote.aclose()


async def test_the_first_card_is_at_once_and_the_name_follows(http_line: Line,
                                                              lookup_server: LookupServer) -> None:
    lookup_server.behaviour = "slow"
    lookup_server.delay = 0.3  # a server that takes its time, within the budget
    started = time.monotonic()
    http_line.ring("c1", "0555 111 22 33")
    first = http_line.of("c1")
    assert time.monotonic() - started < 0.2  # no network in between
    assert len(first) == 1
    assert first[0].lookup_pending
    assert first[0].name is None
    assert first[0].state is CardState.RINGING
    cards = await http_line.wait_cards("c1", 2)
    late = cards[1]
    assert (late.name, late.company, late.notes) == ("Çiğdem Ünlü", "Güneş Enerji A.Ş.",
                                                      "Sözleşme yenileme\nhaziran")
    assert late.contact_source == "http"
    assert late.contact_id is None
    assert not late.lookup_pending
    assert late.state is CardState.RINGING
    # The name stays on the call's next cards, and the journal has it.
    http_line.answer("c1")
    http_line.hang_up("c1")
    assert [c.name for c in http_line.of("c1")[2:]] == ["Çiğdem Ünlü", "Çiğdem Ünlü"]
    assert len(lookup_server.requests) == 1  # once per call
    assert http_line.journal.flush(5.0)
    row = http_line.journal.get("c1")
    assert row is not None
    assert row.contact_name_at_time == "Çiğdem Ünlü"


async def test_a_repeat_caller_has_the_name_on_the_first_card(http_line: Line,
                                                              lookup_server: LookupServer) -> None:
    http_line.ring("c1", "05551112233")
    await http_line.wait_cards("c1", 2)
    http_line.hang_up("c1")
    http_line.ring("c2", "+90 555 111 22 33")
    first = http_line.of("c2")[0]
    assert first.name == "Çiğdem Ünlü"
    assert not first.lookup_pending
    assert len(lookup_server.requests) == 1  # from the cache


async def test_a_local_contact_is_never_looked_up_remotely(http_line: Line,
                                                           lookup_server: LookupServer) -> None:
    http_line.directory.add(ContactDraft(name="Yerel Kişi", numbers=(
        ContactNumber.of("0555 111 22 33"),)))
    http_line.ring("c1", "05551112233")
    card = http_line.of("c1")[0]
    assert (card.name, card.contact_source, card.lookup_pending) == ("Yerel Kişi", "local",
                                                                     False)
    await asyncio.sleep(0.2)
    assert lookup_server.requests == []
    assert len(http_line.of("c1")) == 1


async def test_withheld_numbers_are_not_sent_anywhere(http_line: Line,
                                                      lookup_server: LookupServer) -> None:
    http_line.ring("c1", "anonymous")
    assert not http_line.of("c1")[0].lookup_pending
    await asyncio.sleep(0.2)
    assert lookup_server.requests == []
    assert len(http_line.of("c1")) == 1


async def test_a_failing_source_ends_the_wait_without_a_name(http_line: Line,
                                                             lookup_server: LookupServer) -> None:
    problems: list[tuple[str, str | None]] = []
    http_line.remote._on_problem = lambda s, t: problems.append((s, t))
    lookup_server.behaviour = "500"
    http_line.ring("c1", "05551112233")
    cards = await http_line.wait_cards("c1", 2)
    assert cards[1].name is None
    assert not cards[1].lookup_pending  # the popup stops waiting
    assert problems
    assert "HTTP 500" in (problems[0][1] or "")


async def test_a_timeout_ends_the_wait_within_the_budget(http_line: Line,
                                                         lookup_server: LookupServer) -> None:
    lookup_server.behaviour = "slow"
    lookup_server.delay = 10.0
    started = time.monotonic()
    http_line.ring("c1", "05551112233")
    cards = await http_line.wait_cards("c1", 2)
    assert 0.9 <= time.monotonic() - started < 2.5
    assert not cards[1].lookup_pending


async def test_a_call_that_ends_first_gets_no_card_after_its_end(http_line: Line,
                                                                 lookup_server: LookupServer
                                                                 ) -> None:
    lookup_server.behaviour = "slow"
    lookup_server.delay = 0.3
    http_line.ring("c1", "05551112233")
    http_line.hang_up("c1")
    deadline = time.monotonic() + WAIT_S
    while http_line.line.remote_lookups:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.02)
    cards = http_line.of("c1")
    assert cards[-1].state is CardState.ENDED
    assert len(cards) == 2


async def test_ldap_then_http_in_order(stores: tuple[Directory, Journal], slapd: SlapdServer,
                                       lookup_server: LookupServer) -> None:
    ldap = LdapSource(LdapConfig(url=slapd.url, base_dn=PEOPLE_DN, bind_dn=READER_DN,
                                 budget=1.0), password=lambda: READER_PASSWORD)
    remote = RemoteDirectory([ldap, HttpLookupSource(lookup_server.url(), budget=1.0)])
    line = Line(stores, remote)
    try:
        line.ring("c1", "0532 123 45 67")  # both know it: LDAP comes first
        line.ring("c2", "0555 111 22 33")  # only the CRM knows it
        c1 = (await line.wait_cards("c1", 2))[1]
        c2 = (await line.wait_cards("c2", 2))[1]
    finally:
        await remote.aclose()
    assert (c1.name, c1.contact_source) == ("Şükrü Çağlayan (Satış)", "ldap")
    assert (c2.name, c2.contact_source) == ("Çiğdem Ünlü", "http")
    assert [r.query["phone"] for r in lookup_server.requests] == ["+905551112233"]
