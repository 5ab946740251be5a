"""Turning call records into the agent's calls, and the gap bookkeeping (no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.call_records import _window
from desktop.core.history_sync import (
    GAP_MARGIN,
    INITIAL_LOOKBACK,
    PENDING_GAP,
    HistorySync,
    TekilCdrSource,
    missed_entry,
    tekil_call,
    vcdr_call,
)
from desktop.core.journal import CdrEntry, Journal, JournalCall
from desktop.pbx.cdr import (
    MissedCall,
    Parsed,
    group_legs,
    parse_local_time,
    parse_tekil_cdr,
    parse_vcdr,
)
from desktop.pbx.errors import RequestError

EXT = frozenset({"1001"})


def legs(*rows: dict[str, str]) -> list[Any]:
    base = {"queue": "from-internal", "dstchannel": "", "recording": "",
            "dispositionn": "NO ANSWER", "disposition": "CEVAPSIZ", "duration": "00:00:10",
            "uniqueId": "1710000000.1"}
    parsed = parse_tekil_cdr([{**base, **row} for row in rows]).items
    (group,) = group_legs(parsed).values()
    return group


def test_queue_call_taken_by_a_colleague() -> None:
    call = tekil_call(legs(
        {"calldate": "2024-03-10 15:39:55", "src": "05381234500", "dst": "60000",
         "queue": "ext-queues", "dstchannel": "Local/1002@from-queue-00000c32;1",
         "duration": "00:02:40", "dispositionn": "ANSWERED", "disposition": "CEVAPLANDI",
         "recording": "2024/03/10/q-60000-05381234500-20240310-154028-1710074395.43676.WAV"},
        {"calldate": "2024-03-10 15:39:55", "src": "05381234500", "dst": "1001",
         "dstchannel": "SIP/1001-0000923d", "duration": "00:00:08"},
        {"calldate": "2024-03-10 15:39:56", "src": "05381234500", "dst": "1002",
         "dstchannel": "SIP/1002-0000923e", "duration": "00:02:39",
         "dispositionn": "ANSWERED"}), EXT)
    assert call is not None
    assert call.strong
    c = call.call
    assert (c.direction, c.outcome, c.queue, c.extension, c.number_raw) == (
        "inbound", "answered_elsewhere", "60000", "1001", "05381234500")
    assert c.talk_seconds == 0
    assert c.recording is not None
    assert c.ringing_at == parse_local_time("2024-03-10 15:39:55")


def test_ivr_then_our_extension_unanswered_is_missed() -> None:
    call = tekil_call(legs(
        {"calldate": "2024-03-10 12:28:37", "src": "05430000085", "dst": "s",
         "queue": "ivr-18", "duration": "00:00:25", "dispositionn": "ANSWERED"},
        {"calldate": "2024-03-10 12:28:50", "src": "05430000085", "dst": "1001",
         "dstchannel": "SIP/1001-00009240", "dispositionn": "BUSY", "disposition": "MEŞGUL"}),
        EXT)
    assert call is not None
    assert call.call.outcome == "missed"


def test_outbound_from_our_extension() -> None:
    call = tekil_call(legs(
        {"calldate": "2024-03-10 20:28:44", "src": "1001", "dst": "05410000047",
         "queue": "DEMOCC", "dstchannel": "SIP/kobikom-00009241", "duration": "00:05:06",
         "dispositionn": "ANSWERED",
         "recording": "2024/03/10/out-05410000047-1001-20240310-202844-1710091724.43696.WAV"}),
        EXT)
    assert call is not None
    c = call.call
    assert (c.direction, c.outcome, c.number_raw, c.called_raw, c.talk_seconds) == (
        "outbound", "answered", "05410000047", "1001", 306)


def test_calls_of_other_extensions_are_not_ours() -> None:
    rows = legs({"calldate": "2024-03-10 10:00:00", "src": "05321234567", "dst": "1003",
                 "dstchannel": "SIP/1003-1", "dispositionn": "ANSWERED"})
    assert tekil_call(rows, EXT) is None
    assert tekil_call(rows, EXT, require_ours=False) is not None


def test_missed_calls_rows_are_weak_and_added_only_when_they_rang_us() -> None:
    ours = missed_entry(MissedCall("cdr-x", 100.0, "05321234567", "1001", 8), EXT)
    queue = missed_entry(MissedCall("cdr-y", 100.0, "05321234567", "10000", 8), EXT)
    assert not ours.strong
    assert ours.insert
    assert ours.call.extension == "1001"
    assert not queue.insert
    assert queue.call.queue == "10000"


@pytest.mark.parametrize(("row", "expected"), [
    ({"direction": "inbound", "caller_number": "05321234567", "caller_destination": "1001",
      "responder": "1001", "talk_time": "00:01:00", "missed_call": False}, "answered"),
    ({"direction": "inbound", "caller_number": "05321234567", "caller_destination": "1001",
      "responder": "", "talk_time": "00:00:00", "missed_call": True}, "missed"),
    ({"direction": "inbound", "caller_number": "05321234567", "caller_destination": "1001",
      "last_entry_destination": "60000", "responder": "1002", "talk_time": "00:01:00",
      "missed_call": False}, "answered_elsewhere"),
    ({"direction": "outbound", "caller_number": "1001", "caller_destination": "05321234567",
      "responder": "", "talk_time": "00:00:00", "missed_call": False}, "not_answered"),
])
def test_vcdr_rows(row: dict[str, Any], expected: str) -> None:
    record = parse_vcdr({"uuid": "u-1", "start_stamp": "2024-12-05T06:07:37.000000Z",
                         "total_call_time": "0:01:10", **row})
    assert record is not None
    entry = vcdr_call(record, EXT)
    assert entry is not None
    assert entry.call.outcome == expected
    assert entry.call.number_raw == "05321234567"


def test_vcdr_of_a_colleague_is_not_ours() -> None:
    record = parse_vcdr({"uuid": "u", "start_stamp": "2024-12-05T06:07:37Z",
                         "direction": "inbound", "caller_number": "05321234567",
                         "caller_destination": "1003", "responder": "1003"})
    assert record is not None
    assert vcdr_call(record, EXT) is None


def test_query_window_in_turkish_time() -> None:
    day = parse_local_time("2024-03-10 09:00:00")
    assert day is not None
    assert _window(day, day + 3600) == {"date_start": "2024-03-10", "date_end": "2024-03-10",
                                        "time_start": "09:00:00", "time_end": "10:00:00"}
    assert _window(day, day + 2 * 86400) == {
        "date_start": "2024-03-10", "date_end": "2024-03-12", "time_start": "00:00:00",
        "time_end": "23:59:59"}


class FakeTekil:
    def __init__(self) -> None:
        self.paths: list[bool] = []

    async def get_cdr(self, **kwargs: Any) -> Parsed[Any]:
        self.paths.append(kwargs["v1"])
        if kwargs["v1"]:
            raise RequestError("GET /v1/getcdr: refused (HTTP 404)", status=404)
        return Parsed(tuple(legs({"calldate": "2024-03-10 09:30:00", "src": "05321234567",
                                  "dst": "1001", "dstchannel": "SIP/1001-1"})))

    async def get_missed_calls(self, **kwargs: Any) -> Parsed[Any]:
        return Parsed(())

    async def get_cdr_by_unique_id(self, unique_id: str) -> tuple[Any, ...]:
        return ()


async def test_tekil_source_falls_back_to_the_v0_path() -> None:
    api = FakeTekil()
    source = TekilCdrSource(api, ["1001"])
    start = parse_local_time("2024-03-10 09:00:00")
    assert start is not None
    entries = await source.fetch(start, start + 3600)
    assert [e.call.outcome for e in entries] == ["missed"]
    await source.fetch(start, start + 3600)
    assert api.paths == [True, False, False]  # v0 from then on


# ---------------------------------------------------------------- bookkeeping


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "j.sqlite3")
    yield j
    j.close()


class ListSource:
    def __init__(self, entries: list[CdrEntry]) -> None:
        self.entries = entries

    async def fetch(self, since: float, until: float) -> list[CdrEntry]:
        return [e for e in self.entries if since <= (e.call.started_at or 0) <= until]

    async def lookup(self, call_id: str) -> CdrEntry | None:
        return None


def test_gap_bookkeeping(journal: Journal) -> None:
    sync = HistorySync(journal, lambda: None)
    first = sync.open_gap(10_000_000.0)
    assert first.first_run
    assert first.since == 10_000_000.0 - INITIAL_LOOKBACK
    # not closed (the fetch failed): the next gap still starts there
    second = sync.open_gap(10_000_600.0)
    assert second.since == first.since
    assert second.first_run
    sync.close_gap(second)
    assert journal.get_meta(PENDING_GAP) == ""
    third = sync.open_gap(10_001_000.0)
    assert not third.first_run
    assert third.since == 10_000_600.0 - GAP_MARGIN
    # a month offline: at most MAX_GAP back
    far = sync.open_gap(10_001_000.0 + 90 * 86400)
    assert far.until - far.since == pytest.approx(31 * 86400)


async def test_names_come_from_the_directory_at_merge_time(journal: Journal) -> None:
    entry = CdrEntry(JournalCall("u1", direction="inbound", number_raw="05321234567",
                                 ringing_at=500.0, outcome="missed", source="cdr"))
    sync = HistorySync(journal, lambda: ListSource([entry]),
                       name_for=lambda n: "Ayşe Yılmaz" if n == "05321234567" else None)
    report = await sync.fill(0.0, 1000.0)
    assert report is not None
    assert report.merge.added == 1
    assert journal.get("u1").contact_name_at_time == "Ayşe Yılmaz"  # type: ignore[union-attr]


async def test_a_silent_line_without_records_is_not_asked_every_refresh(
        journal: Journal) -> None:
    """A quiet refresh (every 90 s on a silent TCP line) asks for records once per
    ``quiet_after`` at most, also when the account cannot fetch any (no panel
    password): it used to try after every refresh, the journal never being
    known complete."""
    asked: list[float] = []
    now = [1000.0]

    def no_source() -> None:
        asked.append(now[0])

    async def no_wait(_seconds: float) -> None:
        return None

    sync = HistorySync(journal, no_source, quiet_after=600.0, fill_interval=180.0,
                       monotonic=lambda: now[0], sleep=no_wait)
    assert await sync.line_connected() is None
    assert asked == [1000.0]
    for _ in range(6):  # six refreshes, 90 s apart
        now[0] += 90.0
        assert await sync.line_refreshed() is None
    assert asked == [1000.0]
    now[0] += 90.0  # 630 s after the attempt: once more
    assert await sync.line_refreshed() is None
    assert asked == [1000.0, 1630.0]


async def test_a_quiet_refresh_after_a_recent_call_reads_nothing(journal: Journal) -> None:
    reads: list[str] = []

    async def counting(fn: Any, *args: Any) -> Any:
        reads.append(fn.__name__)
        return fn(*args)

    sync = HistorySync(journal, lambda: ListSource([]), quiet_after=600.0,
                       run_blocking=counting, clock=lambda: 5000.0)
    sync.note_event(4900.0)
    assert await sync.line_refreshed() is None
    assert reads == []  # known from memory: no worker thread, no journal read
    sync.note_event(4000.0)  # an older event does not move the mark back
    assert await sync.line_refreshed() is None
    assert reads == []
    # A call 1,000 s ago is old: the journal is read, and the gap filled.
    old = HistorySync(journal, lambda: ListSource([]), quiet_after=600.0,
                      run_blocking=counting, clock=lambda: 5000.0)
    old.note_event(4000.0)
    assert await old.line_refreshed() is not None  # not known complete: it fills
    assert "complete_until" in reads
