"""Benchmark: the company directory beyond the local file (issue 15 §3).

    .venv/bin/python bench/bench_remote_lookup.py [--calls 200]

Starts a real OpenLDAP server (slapd, 1,000 generated Turkish entries) and a
real HTTP lookup server (aiohttp) on loopback, then measures:

* the first caller card with remote sources configured vs. none: the
  popup must never wait for the network (goal: the same, < 1 ms p99);
* the time from the first card to the card with the remote name (LDAP hit,
  HTTP hit after an LDAP miss), goal well under the ~1 s the issue allows;
* a cache hit (the same caller again): the name is on the first card.

Needs Debian's ``slapd`` (tests/run installs it).  Prints one line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.caller_card import CallerCard
from desktop.core.calls import CallTracker
from desktop.core.phone_line import PhoneLine
from desktop.core.remote_directory import RemoteDirectory
from desktop.core.remote_http import HttpLookupSource
from desktop.core.remote_ldap import LdapConfig, LdapSource
from desktop.pbx.events import HangupEvent, RingingEvent
from tests.helpers.ldap_server import PEOPLE_DN, READER_DN, READER_PASSWORD, Person, SlapdServer
from tests.helpers.lookup_server import LookupServer

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
FIRST_NAMES = ("Ayşe", "Mehmet", "Şükrü", "Çiğdem", "Gül", "İpek", "Oğuz", "Ümit", "Işıl")
LAST_NAMES = ("Yılmaz", "Öztürk", "Çağlayan", "Ağaoğlu", "Şahin", "Doğan", "Güneş")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(value: float) -> str:
    return f"{value * 1000:.2f} ms"


def ldap_number(i: int) -> str:
    return f"+90 532 {100 + i // 10000:03d} {i // 100 % 100:02d} {i % 100:02d}"


def http_number(i: int) -> str:
    return f"+9055{i:08d}"


class Line:
    def __init__(self, remote: RemoteDirectory | None) -> None:
        self.cards: list[tuple[float, CallerCard]] = []
        self.line = PhoneLine(CallTracker(["1001"], DOMAIN), directory=None, journal=None,
                              on_card=lambda c: self.cards.append((time.perf_counter(), c)),
                              on_state=lambda s: None, remote=remote)

    def ring(self, call_id: str, caller: str) -> float:
        started = time.perf_counter()
        self.line.feed(RingingEvent(raw={}, received_at=time.time(), call_id=call_id,
                                    extension="1001", caller=caller, called="02242345678",
                                    domain=DOMAIN))
        return time.perf_counter() - started

    def hang_up(self, call_id: str) -> None:
        self.line.feed(HangupEvent(raw={}, received_at=time.time(), call_id=call_id,
                                   extension="1001", domain=DOMAIN))

    async def named_after(self, call_id: str, since: float) -> float:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            for at, card in self.cards:
                if card.call_id == call_id and not card.lookup_pending and card.name:
                    return at - since
            await asyncio.sleep(0.001)
        raise RuntimeError(f"no name for {call_id}")


async def run(calls: int, people: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-ldap-"))
    slapd = SlapdServer(root).start()
    lookup = LookupServer().start()
    try:
        slapd.add_people(Person(f"p{i}", f"{FIRST_NAMES[i % 9]} {LAST_NAMES[i % 7]} {i}",
                                LAST_NAMES[i % 7], phones=(ldap_number(i),),
                                company=f"Örnek {i % 50} A.Ş.") for i in range(people))
        for i in range(calls):
            lookup.contacts[http_number(i)] = {"name": f"CRM Kişi {i}", "company": "CRM A.Ş."}
        ldap = LdapSource(LdapConfig(url=slapd.url, base_dn=PEOPLE_DN, bind_dn=READER_DN,
                                     budget=0.8), password=lambda: READER_PASSWORD)
        http = HttpLookupSource(lookup.url(), budget=0.8)
        remote = RemoteDirectory([ldap, http])
        await remote.prepare()

        bare = Line(None)
        first_bare = [bare.ring(f"b{i}", http_number(i)) for i in range(calls)]
        with_remote = Line(remote)
        first_remote, to_ldap, to_http, cached = [], [], [], []
        for i in range(calls):
            started = time.perf_counter()
            first_remote.append(with_remote.ring(f"l{i}", ldap_number(i)))
            to_ldap.append(await with_remote.named_after(f"l{i}", started))
            with_remote.hang_up(f"l{i}")
            started = time.perf_counter()
            with_remote.ring(f"h{i}", http_number(i))
            to_http.append(await with_remote.named_after(f"h{i}", started))
            with_remote.hang_up(f"h{i}")
        for i in range(calls):
            elapsed = with_remote.ring(f"c{i}", ldap_number(i))
            card = next(c for _at, c in with_remote.cards if c.call_id == f"c{i}")
            if not card.name or card.lookup_pending:
                raise RuntimeError(f"a repeat caller waited for the network: {card}")
            cached.append(elapsed)
            with_remote.hang_up(f"c{i}")
        await remote.aclose()
    finally:
        lookup.stop()
        slapd.stop()
    print(f"{people} LDAP entries, {calls} calls of each kind (loopback servers)")
    print(f"first card, no remote sources:   p50 {ms(statistics.median(first_bare))}  "
          f"p99 {ms(pct(first_bare, 0.99))}")
    print(f"first card, LDAP+HTTP configured: p50 {ms(statistics.median(first_remote))}  "
          f"p99 {ms(pct(first_remote, 0.99))}  (goal: no network wait, < 1 ms p99)")
    print(f"name on the popup, LDAP hit:      p50 {ms(statistics.median(to_ldap))}  "
          f"p99 {ms(pct(to_ldap, 0.99))}  (goal: < 1 s)")
    print(f"name on the popup, HTTP after an LDAP miss: p50 {ms(statistics.median(to_http))}  "
          f"p99 {ms(pct(to_http, 0.99))}")
    print(f"repeat caller (cache), first card with the name: p50 "
          f"{ms(statistics.median(cached))}  p99 {ms(pct(cached, 0.99))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.calls, args.people))


if __name__ == "__main__":
    main()
