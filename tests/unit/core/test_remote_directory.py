"""The remote directory chain: order, budgets, rest after failure, cache (sources faked here;
the real LDAP and HTTP servers are in tests/integration/test_remote_*.py)."""

from __future__ import annotations

import asyncio
import time

import pytest

from desktop.core.numbers import PhoneNumber, parse_number
from desktop.core.remote_directory import (
    AnswerCache,
    RemoteContact,
    RemoteDirectory,
    SourceError,
    clean_text,
)


class FakeSource:
    def __init__(self, name: str, answers: dict[str, RemoteContact | None] | None = None, *,
                 budget: float = 0.2, delay: float = 0.0, error: str | None = None) -> None:
        self.name = name
        self.budget = budget
        self.answers = answers or {}
        self.delay = delay
        self.error = error
        self.asked: list[str] = []
        self.closed = False

    async def lookup(self, number: PhoneNumber) -> RemoteContact | None:
        self.asked.append(number.key)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error == "bug":
            raise KeyError("oops")
        if self.error:
            raise SourceError(self.error)
        return self.answers.get(number.key)

    async def aclose(self) -> None:
        self.closed = True


AYSE = RemoteContact("Ayşe Yılmaz", "Örnek A.Ş.", source="ldap")
KEY = "+905321234567"


async def test_the_first_source_that_knows_wins() -> None:
    ldap = FakeSource("ldap", {KEY: AYSE})
    http = FakeSource("http", {KEY: RemoteContact("Other", source="http")})
    chain = RemoteDirectory([ldap, http])
    assert await chain.lookup("0532 123 45 67") == AYSE
    assert http.asked == []
    contact, outcomes = await chain.lookup_verbose("+90 532 999 99 99")
    assert contact is None
    assert [(o.source, o.result) for o in outcomes] == [("ldap", "not_found"),
                                                        ("http", "not_found")]


async def test_a_source_over_its_budget_is_left_and_the_next_asked() -> None:
    slow = FakeSource("ldap", {KEY: AYSE}, budget=0.1, delay=5.0)
    http = FakeSource("http", {KEY: RemoteContact("Ayşe (CRM)", source="http")})
    problems: list[tuple[str, str | None]] = []
    chain = RemoteDirectory([slow, http], on_problem=lambda s, t: problems.append((s, t)))
    started = time.monotonic()
    contact, outcomes = await chain.lookup_verbose(KEY)
    assert time.monotonic() - started < 1.0
    assert contact is not None
    assert contact.source == "http"
    assert outcomes[0].result == "failed"
    assert "100 ms" in outcomes[0].error
    assert problems == [("ldap", "no answer within 100 ms")]


async def test_a_failed_source_rests_then_is_tried_again_and_recovery_is_reported() -> None:
    now = [1000.0]
    source = FakeSource("ldap", {KEY: AYSE}, error="ldap://dc1: cannot connect")
    problems: list[tuple[str, str | None]] = []
    chain = RemoteDirectory([source], on_problem=lambda s, t: problems.append((s, t)),
                            rest_after_failure=30.0, clock=lambda: now[0])
    assert await chain.lookup(KEY) is None
    assert await chain.lookup(KEY) is None  # resting: not asked
    assert len(source.asked) == 1
    _c, outcomes = await chain.lookup_verbose(KEY)
    assert outcomes[0].result == "resting"
    _c, outcomes = await chain.lookup_verbose(KEY, ignore_rest=True)  # the CLI asks anyway
    assert outcomes[0].result == "failed"
    assert len(source.asked) == 2
    source.error = None
    now[0] += 31.0
    assert await chain.lookup(KEY) == AYSE
    assert problems == [("ldap", "ldap://dc1: cannot connect"), ("ldap", None)]
    assert chain.problems == {"ldap": None}


async def test_a_bug_in_a_source_is_a_failure_not_a_crash(caplog: pytest.LogCaptureFixture) -> None:
    chain = RemoteDirectory([FakeSource("http", error="bug")])
    with caplog.at_level("ERROR"):
        contact, outcomes = await chain.lookup_verbose(KEY)
    assert contact is None
    assert outcomes[0].result == "failed"
    assert "KeyError" in outcomes[0].error


async def test_answers_are_cached_found_and_not_found_failures_not() -> None:
    now = [0.0]
    source = FakeSource("ldap", {KEY: AYSE})
    chain = RemoteDirectory([source], cache_ttl=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert await chain.lookup("05321234567") == AYSE
        assert await chain.lookup("05329999999") is None
    assert source.asked == [KEY, "+905329999999"]
    _c, outcomes = await chain.lookup_verbose(KEY)
    assert outcomes[0].cached
    now[0] += 61.0
    await chain.lookup(KEY)
    assert source.asked.count(KEY) == 2
    failing = FakeSource("http", error="HTTP 500")
    chain2 = RemoteDirectory([failing], rest_after_failure=0.0)
    await chain2.lookup(KEY)
    await chain2.lookup(KEY)
    assert len(failing.asked) == 2


@pytest.mark.parametrize("number", ["anonymous", "", "abc", "gizli"])
async def test_withheld_and_invalid_numbers_are_never_sent(number: str) -> None:
    source = FakeSource("http")
    assert await RemoteDirectory([source]).lookup(parse_number(number)) is None
    assert source.asked == []


async def test_close_closes_every_source() -> None:
    sources = [FakeSource("ldap"), FakeSource("http")]
    await RemoteDirectory(sources).aclose()
    assert all(s.closed for s in sources)


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache = AnswerCache(ttl=100, size=3, clock=lambda: 0.0)
    for key in "abcd":
        cache.put(key, None)
    assert len(cache) == 3
    assert cache.get("a") == (False, None)
    cache.get("b")
    cache.put("e", AYSE)
    assert cache.get("c") == (False, None)
    assert cache.get("b") == (True, None)
    assert cache.get("e") == (True, AYSE)


@pytest.mark.parametrize(("value", "text"), [
    ("  Ayşe\n\tYılmaz\x00 ", "Ayşe Yılmaz"),
    (["Şükrü", "x"], "Şükrü"),
    ([], ""),
    (None, ""),
    (True, ""),
    ({"a": 1}, ""),
    (42, "42"),
    ("x" * 500, "x" * 200),
    (b"\xc3\x87a\xc4\x9flar", "Çağlar"),
])
def test_remote_text_is_one_clean_line(value: object, text: str) -> None:
    assert clean_text(value) == text
