"""Gap filling against the simulator's CDR endpoints, over real HTTP on loopback.

Two Tekil sources that overlap (``/v1/getcdr`` legs and ``/missedcalls``),
live journal rows that overlap both, KobiPBX ``vcdrs`` across several pages:
every call must end up in the journal exactly once, and fetching again must
change nothing.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.call_records import CallQuery
from desktop.core.history_sync import (
    GAP_MARGIN,
    HistorySync,
    HistorySyncError,
    KobiPbxCdrSource,
    TekilCdrSource,
)
from desktop.core.journal import HistoryFilter, HistoryKind, Journal, JournalCall
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from desktop.simulator.records import make_record

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
NOW = time.time()

SimFactory = Callable[..., Awaitable[Simulator]]


@pytest.fixture
async def make_sim() -> AsyncIterator[SimFactory]:
    started: list[Simulator] = []

    async def factory(**kwargs: Any) -> Simulator:
        kwargs.setdefault("random_seed", 5)
        kwargs.setdefault("seed_history", 0)
        sim = Simulator(SimulatorConfig(**kwargs))
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def _leg(ext: str, start: float, end: float, answer: float | None = None,
         disposition: str | None = None) -> dict[str, Any]:
    return {"extension": ext, "start": start, "answer": answer, "end": end,
            "disposition": disposition or ("ANSWERED" if answer else "NO ANSWER"),
            "channel": f"SIP/{ext}-0000{int(start) % 9999:04d}"}


def tekil_records(base: float) -> dict[str, dict[str, Any]]:
    """Calls of one afternoon: what each one must become in the agent's journal."""
    t = base
    records = {
        # answered by us directly; the app also saw it live
        "answered": make_record(call_id=f"{int(t)}.101", uuid="u-1", unique_id=f"{int(t)}.101",
                                kind="direct", direction="inbound", caller="05321234567",
                                called="02242345678", start=t, answer=t + 4, end=t + 64,
                                extension="1001"),
        # a queue call that rang 1001 and 1002; 1002 took it
        "elsewhere": make_record(
            call_id=f"{int(t)}.202", uuid="u-2", unique_id=f"{int(t)}.202", kind="queue",
            direction="inbound", caller="05551112233", called="02242345678", start=t + 600,
            answer=t + 606, end=t + 700, extension="1002", queue="60000",
            legs=[_leg("1001", t + 600, t + 606, disposition="NO ANSWER"),
                  _leg("1002", t + 600, t + 700, answer=t + 606)]),
        # missed on our extension: also listed by /missedcalls (the overlap)
        "missed": make_record(call_id=f"{int(t)}.303", uuid="u-3", unique_id=f"{int(t)}.303",
                              kind="direct", direction="inbound", caller="05429876543",
                              called="02242345678", start=t + 1200, end=t + 1215,
                              extension="1001"),
        # a queue call nobody answered: missed by us (it rang 1001)
        "queue_missed": make_record(
            call_id=f"{int(t)}.404", uuid="u-4", unique_id=f"{int(t)}.404", kind="queue",
            direction="inbound", caller="02125550011", called="02242345678", start=t + 1800,
            end=t + 1830, extension=None, queue="60001",
            legs=[_leg("1001", t + 1800, t + 1830), _leg("1003", t + 1800, t + 1830)]),
        # we called the missed number back
        "callback": make_record(call_id=f"{int(t)}.505", uuid="u-5", unique_id=f"{int(t)}.505",
                                kind="outbound", direction="outbound", caller="1001",
                                called="05429876543", start=t + 2400, answer=t + 2410,
                                end=t + 2500, extension="1001"),
        # a colleague's call: not in our journal
        "not_ours": make_record(call_id=f"{int(t)}.606", uuid="u-6", unique_id=f"{int(t)}.606",
                                kind="direct", direction="inbound", caller="05337778899",
                                called="02242345678", start=t + 3000, answer=t + 3003,
                                end=t + 3100, extension="1003"),
    }
    return records


async def test_tekil_getcdr_and_missedcalls_merge_with_live_rows_once(
        make_sim: SimFactory, journal: Journal) -> None:
    sim = await make_sim(flavor="tekil")
    base = NOW - 6 * 3600
    records = tekil_records(base)
    sim.cdr.extend(records.values())
    # The line saw the first call live (Tekil's live id is the unique id).
    live = records["answered"]
    journal.record(JournalCall(live["unique_id"], extension="1001", direction="inbound",
                               number_raw="05321234567", ringing_at=base + 0.4,
                               answered_at=base + 4.2, ended_at=base + 64.1,
                               outcome="answered", source="live"))
    session = TekilSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        source = TekilCdrSource(session, ["1001"], name_for=lambda n: (
            "Ayşe Yılmaz" if n.endswith("9876543") else None))
        sync = HistorySync(journal, lambda: source)
        report = await sync.fill(base - 60, NOW)
        assert report is not None
        rows = {r.call_id: r for r in journal.history_rows()}
        assert len(rows) == 5, sorted(rows)
        uid = {name: rec["unique_id"] for name, rec in records.items()}
        assert uid["not_ours"] not in rows
        answered = rows[uid["answered"]]
        assert (answered.source, answered.outcome, answered.talk_seconds) == (
            "live", "answered", 60)
        assert answered.recording == live["recording"]  # completed from the record
        assert rows[uid["elsewhere"]].outcome == "answered_elsewhere"
        assert rows[uid["elsewhere"]].queue == "60000"
        missed = rows[uid["missed"]]
        assert (missed.outcome, missed.contact_name) == ("missed", "Ayşe Yılmaz")
        assert missed.called_back_at is not None  # the later outbound call
        assert rows[uid["queue_missed"]].outcome == "missed"
        assert rows[uid["callback"]].direction == "outbound"
        assert journal.unseen_missed_ids() == [uid["queue_missed"]]
        # /missedcalls listed the missed call too: it merged, no second row
        assert journal.count(HistoryFilter(kind=HistoryKind.MISSED)) == 2
        paths = [r["path"] for r in sim.received]
        assert "/v1/getcdr" in paths
        assert "/missedcalls" in paths
        query = next(r for r in sim.received if r["path"] == "/v1/getcdr")["query"]
        assert query["type"] == "0"
        assert query["exclude"] == "true"
        assert set(query) >= {"dateStart", "dateEnd", "timeStart", "timeEnd"}

        # fetching the same period again changes nothing
        again = await sync.fill(base - 60, NOW)
        assert again is not None
        assert again.merge.added == 0
        assert journal.count() == 5
    finally:
        await session.aclose()


async def test_a_short_kobipbx_window_uses_the_time_filters(make_sim: SimFactory,
                                                             journal: Journal) -> None:
    """A reconnect after a few quiet minutes asks for those minutes, not the whole day."""
    sim = await make_sim(flavor="bulut")
    noon = 1_800_000_000.0  # 11:00 in Turkey: the window stays within one day
    for i in range(30):  # five hours of calls, one every ten minutes
        start = noon - 5 * 3600 + i * 600 + 30
        sim.cdr.append(make_record(
            call_id=f"q-{i:02d}", uuid=f"q-{i:02d}", unique_id=f"{int(start)}.{i}",
            kind="direct", direction="inbound", caller=f"0532{i:07d}", called="1001",
            start=start, answer=None, end=start + 20, extension="1001"))
    session = KobiPbxSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        sync = HistorySync(journal, lambda: KobiPbxCdrSource(session, DOMAIN, ["1001"]))
        report = await sync.fill(noon - 900, noon)
        assert report is not None
        queries = [r["query"] for r in sim.received if r["path"].startswith("/api/v1/vcdrs/")]
        assert len(queries) == 1  # one small page, not every page of the day
        assert (queries[0]["startDate"], queries[0]["endDate"]) == ("2027-01-15", "2027-01-15")
        assert (queries[0]["timeStart"], queries[0]["timeEnd"]) == ("10:45:00", "11:00:00")
        assert report.fetched == 1  # only the call of those fifteen minutes
    finally:
        await session.aclose()


async def test_kobipbx_vcdrs_every_page_once(make_sim: SimFactory, journal: Journal) -> None:
    sim = await make_sim(flavor="bulut")
    base = NOW - 3 * 3600
    for i in range(31):
        ours = i % 3 != 0
        answer = base + i * 60 + 5 if i % 4 else None
        sim.cdr.append(make_record(
            call_id=f"uuid-{i:02d}", uuid=f"uuid-{i:02d}", unique_id=f"{int(base)}.{i}",
            kind="direct", direction="inbound", caller=f"0532{i:07d}", called="1001" if ours
            else "1003", start=base + i * 60, answer=answer, end=base + i * 60 + 40,
            extension="1001" if ours else "1003"))
    # the line saw call 1 live, under the same id (KobiPBX callUUID)
    journal.record(JournalCall("uuid-01", extension="1001", direction="inbound",
                               number_raw="05320000001", ringing_at=base + 60.5,
                               answered_at=base + 65.0, ended_at=base + 100.0,
                               outcome="answered"))
    session = KobiPbxSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        source = KobiPbxCdrSource(session, DOMAIN, ["1001"], per_page=7)
        sync = HistorySync(journal, lambda: source)
        report = await sync.fill(base - 60, NOW)
        assert report is not None
        pages = [r["query"].get("page") for r in sim.received
                 if r["path"].startswith("/api/v1/vcdrs/")]
        assert pages == ["1", "2", "3", "4", "5"]  # 31 records, 7 per page
        expected = sum(1 for i in range(31) if i % 3 != 0)
        assert journal.count() == expected
        assert report.merge.added == expected - 1
        assert report.merge.merged == 1
        missed = journal.history_rows(HistoryFilter(kind=HistoryKind.MISSED))
        assert {r.call_id for r in missed} == {f"uuid-{i:02d}" for i in range(31)
                                               if i % 3 and not i % 4}
        again = await sync.fill(base - 60, NOW)
        assert again is not None
        assert again.merge.added == 0
        assert journal.count() == expected
    finally:
        await session.aclose()


async def test_empty_vcdrs_404_is_no_records(make_sim: SimFactory, journal: Journal) -> None:
    sim = await make_sim(flavor="bulut")
    session = KobiPbxSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        sync = HistorySync(journal, lambda: KobiPbxCdrSource(session, DOMAIN, ["1001"]))
        report = await sync.fill(NOW - 3600, NOW)
        assert report is not None
        assert report.fetched == 0
        assert journal.count() == 0
    finally:
        await session.aclose()


async def test_gap_since_last_connection_is_kept_until_it_was_filled(
        make_sim: SimFactory, journal: Journal) -> None:
    sim = await make_sim(flavor="tekil")
    offline_from = NOW - 2 * 3600
    journal.set_last_seen_connected(offline_from)
    sim.cdr.append(make_record(call_id="1.1", uuid="u", unique_id=f"{int(offline_from)}.77",
                               kind="direct", direction="inbound", caller="05321234567",
                               called="02242345678", start=offline_from + 600,
                               end=offline_from + 620, extension="1001"))
    session = TekilSession(USER, PASSWORD, base_url=sim.http_base, retry_delay=0.01)
    clock = [NOW]
    try:
        sync = HistorySync(journal, lambda: TekilCdrSource(session, ["1001"]),
                           clock=lambda: clock[0], fill_interval=0.0)
        sim.fault("/v1/getcdr", "500", count=1)  # a 500 is not retried
        with pytest.raises(HistorySyncError):
            await sync.line_connected()
        assert journal.count() == 0
        assert journal.last_seen_connected() == NOW  # connected now...
        # ...but the gap is still pending: the next connection fetches it.
        sim.expire_tokens()  # and the token expired meanwhile: one re-login
        clock[0] = NOW + 30
        logins = session.logins
        report = await sync.line_connected()
        assert report is not None
        assert report.merge.added == 1
        assert session.logins == logins + 1
        assert report.gap.since == pytest.approx(offline_from - GAP_MARGIN)
        assert journal.unseen_missed_count() == 1  # a missed call while offline is new
        # a third connection only looks at the short gap since the last one
        clock[0] = NOW + 90
        third = await sync.line_connected()
        assert third is not None
        assert third.gap.since == pytest.approx(NOW + 30 - GAP_MARGIN)
    finally:
        await session.aclose()


async def test_first_start_imports_old_history_as_seen(make_sim: SimFactory,
                                                       journal: Journal) -> None:
    sim = await make_sim(flavor="bulut", seed_history=12)
    session = KobiPbxSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        sync = HistorySync(journal, lambda: KobiPbxCdrSource(
            session, DOMAIN, sim.cfg.extensions))
        report = await sync.line_connected()
        assert report is not None
        assert report.gap.first_run
        assert journal.count() == 12
        assert journal.unseen_missed_count() == 0
    finally:
        await session.aclose()


async def test_lookup_by_unique_id_finds_the_recording(make_sim: SimFactory,
                                                       journal: Journal) -> None:
    sim = await make_sim(flavor="tekil")
    call_id = await sim.ring(extension="1001", caller="05321234567", answer_after=0.05,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    journal.record(JournalCall(call_id, extension="1001", direction="inbound",
                               number_raw="05321234567", ringing_at=time.time() - 1,
                               outcome="answered"))
    session = TekilSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        sync = HistorySync(journal, lambda: TekilCdrSource(session, ["1001"]))
        found = await sync.lookup(call_id)
        assert found is not None
        assert found.recording == sim.cdr[-1]["recording"]
        assert journal.get(call_id).recording == found.recording  # type: ignore[union-attr]
        assert any(r["path"] == f"/v1/getCDRFromUniqueID/{call_id}" for r in sim.received)
    finally:
        await session.aclose()


async def test_the_end_of_an_unsettled_call_comes_from_its_record(make_sim: SimFactory,
                                                                  journal: Journal) -> None:
    """What the line supervisor asks after a reconnect (one request per call)."""
    sim = await make_sim(flavor="bulut")
    start = NOW - 600
    sim.cdr.append(make_record(call_id="done-1", uuid="done-1", unique_id=f"{int(start)}.1",
                               kind="direct", direction="inbound", caller="05321234567",
                               called="1001", start=start, answer=start + 5, end=start + 95,
                               extension="1001"))
    session = KobiPbxSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        sync = HistorySync(journal, lambda: KobiPbxCdrSource(session, DOMAIN, ["1001"]))
        end = await sync.end_of(CallQuery(("done-1",), "05321234567", start))
        assert end is not None
        assert end.ended_at == pytest.approx(start + 95, abs=1)
        assert (end.outcome, end.record_id) == ("answered", "done-1")
        assert end.answered_at == pytest.approx(start + 5, abs=1)
        # no record yet: stays open
        assert await sync.end_of(CallQuery(("still-talking",), "05427730516", NOW)) is None
        # Under FreeSWITCH legs the call's id is the agent's leg, not the record's: the
        # record is found by another of its legs' ids ...
        end = await sync.end_of(CallQuery(("leg-b", "done-1"), "05321234567", start))
        assert end is not None
        assert end.record_id == "done-1"
        # ... or, when no id the line saw is the record's, by number and time (a queue
        # caller's record starts before our phone rang).
        end = await sync.end_of(CallQuery(("leg-b",), "0532 123 45 67", start + 40))
        assert end is not None
        assert end.record_id == "done-1"
        assert await sync.end_of(CallQuery(("leg-b",), "05427730516", start + 40)) is None
        # ... never a call with that number that ended before ours started
        assert await sync.end_of(CallQuery(("leg-c",), "05321234567", start + 400)) is None
        assert sync.fetches == 6
        assert journal.count() == 0  # nothing merged: the line settles the call first
    finally:
        await session.aclose()
