"""Callers the PBX did not send, filled in from the call records (a real SQLite journal)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.caller_card import CallerCard, CardOutcome, CardState, NumberSource, with_caller
from desktop.core.caller_fill import complete_caller, fill_caller
from desktop.core.history_sync import HistorySync
from desktop.core.journal import CdrEntry, Journal, JournalCall
from desktop.core.numbers import parse_number

T = 1_800_000_000.0


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def status_row(journal: Journal, call_id: str, at: float, outcome: str = "missed") -> None:
    """What the phone line journals for a Tekil call seen only as extension states."""
    journal.record(JournalCall(call_id, extension="1001", direction="inbound",
                               number_raw=None, ringing_at=at, ended_at=at + 10,
                               outcome=outcome, source="live"))


def record(call_id: str, number: str, at: float, *, outcome: str = "missed",
           strong: bool = True, extension: str = "1001", seconds: float = 12) -> CdrEntry:
    return CdrEntry(JournalCall(call_id, extension=extension, direction="inbound",
                                number_raw=number, ringing_at=at, ended_at=at + seconds,
                                outcome=outcome, talk_seconds=0, source="cdr"), strong=strong)


def test_the_record_the_call_rang_during_completes_the_row(journal: Journal) -> None:
    status_row(journal, "ext-status:1001:1", T + 1)
    entries = [record("1.1", "05321111111", T - 40, seconds=20),  # over before ours rang
               record("1.2", "05322222222", T),  # ours: rang during it
               record("1.3", "05323333333", T + 30),  # later
               record("1.4", "05324444444", T, extension="1002")]  # another extension
    row = complete_caller(journal, "ext-status:1001:1", "1001", T + 1, entries,
                          name_for=lambda n: "Ahmet Yıldız" if n.endswith("2222") else None)
    assert row is not None
    assert (row.number_raw, row.number_key) == ("05322222222", "+905322222222")
    assert row.contact_name_at_time == "Ahmet Yıldız"
    assert row.cdr_id == "1.2"
    assert (row.ringing_at, row.ended_at) == (T + 1, T + 11)  # the channel's own times
    # Fetching the records again later (gap filling) finds the row, adds nothing.
    report = journal.merge_cdr(entries[1:2])
    assert (report.added, report.merged) == (0, 1)
    assert journal.count() == 1


def test_the_records_verdict_wins_for_such_a_call(journal: Journal) -> None:
    status_row(journal, "ext-status:1001:1", T, outcome="missed")
    assert journal.unseen_missed_count() == 1
    complete_caller(journal, "ext-status:1001:1", "1001", T,
                    [record("1.2", "05322222222", T, outcome="answered_elsewhere")])
    row = journal.get("ext-status:1001:1")
    assert row is not None
    assert row.outcome == "answered_elsewhere"
    assert journal.unseen_missed_count() == 0


def test_a_record_another_row_has_is_not_taken(journal: Journal) -> None:
    status_row(journal, "ext-status:1001:1", T)
    status_row(journal, "ext-status:1001:2", T + 2)
    entries = [record("1.2", "05322222222", T)]
    assert complete_caller(journal, "ext-status:1001:1", "1001", T, entries) is not None
    assert complete_caller(journal, "ext-status:1001:2", "1001", T + 2, entries) is None


def test_a_strong_record_beats_a_made_up_one(journal: Journal) -> None:
    status_row(journal, "ext-status:1001:1", T)
    entries = [record("missed:x", "05329999999", T, strong=False),
               record("1.2", "05322222222", T + 1)]
    row = complete_caller(journal, "ext-status:1001:1", "1001", T, entries)
    assert row is not None
    assert row.number_raw == "05322222222"


class Source:
    """A CDR source whose record appears only on the third ask."""

    def __init__(self) -> None:
        self.asks = 0

    async def fetch(self, since: float, until: float) -> list[CdrEntry]:
        self.asks += 1
        assert since <= T <= until
        return [record("1.2", "05322222222", T)] if self.asks >= 3 else []

    async def lookup(self, call_id: str) -> CdrEntry | None:
        return None


async def test_the_records_are_asked_again_until_the_call_appears(journal: Journal) -> None:
    status_row(journal, "ext-status:1001:1", T)
    source = Source()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    sync = HistorySync(journal, lambda: source)
    row = await fill_caller(sync, "ext-status:1001:1", "1001", T, T + 10,
                            delays=(1.0, 2.0, 4.0, 8.0), sleep=sleep)
    assert row is not None
    assert row.number_key == "+905322222222"
    assert (source.asks, waits) == (3, [1.0, 2.0, 4.0])


async def test_no_record_in_time_gives_none(journal: Journal) -> None:
    status_row(journal, "ext-status:1001:1", T)

    async def sleep(seconds: float) -> None:
        return None

    sync = HistorySync(journal, lambda: Source())
    assert await fill_caller(sync, "ext-status:1001:1", "1001", T, delays=(0, 0),
                             sleep=sleep) is None
    assert await fill_caller(HistorySync(journal, lambda: None), "x", "1001", T,
                             delays=(0,), sleep=sleep) is None


def test_the_card_then_shows_the_caller() -> None:
    card = CallerCard(call_id="ext-status:1001:1", state=CardState.ENDED,
                      number=parse_number(""), outcome=CardOutcome.MISSED,
                      number_source=NumberSource.NOT_SENT, synthetic=True)
    assert card.number_not_sent
    filled = with_caller(card, "05322222222", "answered_elsewhere")
    assert not filled.number_not_sent
    assert (filled.number.key, filled.number_source, filled.outcome) == (
        "+905322222222", NumberSource.CDR, CardOutcome.ANSWERED_ELSEWHERE)
