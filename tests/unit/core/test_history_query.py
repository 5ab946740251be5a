"""The history window's filters and its head read, on a real journal file."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop.core.history_query import (
    HEAD_ROWS,
    DateRange,
    build_filter,
    date_bounds,
    read_head,
)
from desktop.core.journal import HistoryFilter, HistoryKind, Journal, JournalCall

#: 2026-03-18 15:30 UTC: 18:30 in Istanbul.
NOW = datetime(2026, 3, 18, 15, 30, tzinfo=UTC).timestamp()


@pytest.fixture(autouse=True)
def istanbul_time() -> Iterator[None]:
    """Local midnight is Istanbul's (UTC+3, no DST), whatever the machine's zone is."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Istanbul"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


def local(*parts: int) -> float:
    return datetime(*parts).timestamp()  # type: ignore[arg-type]


def test_ranges_start_at_local_midnight() -> None:
    now = local(2026, 3, 18, 15, 30)
    assert date_bounds(DateRange.ANY, now) == (None, None)
    assert date_bounds(DateRange.TODAY, now) == (local(2026, 3, 18), None)
    # "last 7 days" is today and the 6 days before it
    assert date_bounds(DateRange.WEEK, now) == (local(2026, 3, 12), None)
    assert date_bounds(DateRange.MONTH, now) == (local(2026, 2, 17), None)
    # Istanbul is UTC+3 all year: today's midnight is 21:00 UTC the day before
    assert local(2026, 3, 18) == datetime(2026, 3, 17, 21, 0, tzinfo=UTC).timestamp()


def test_a_custom_range_includes_both_days_in_either_order() -> None:
    now = local(2026, 3, 18, 15, 30)
    bounds = (local(2026, 3, 1), local(2026, 3, 6))
    assert date_bounds(DateRange.CUSTOM, now, (date(2026, 3, 1), date(2026, 3, 5))) == bounds
    assert date_bounds(DateRange.CUSTOM, now, (date(2026, 3, 5), date(2026, 3, 1))) == bounds
    # no dates given: today only
    assert date_bounds(DateRange.CUSTOM, now) == (local(2026, 3, 18), local(2026, 3, 19))


def test_build_filter_asks_the_directory_only_for_names() -> None:
    asked: list[str] = []

    def keys(text: str) -> list[str]:
        asked.append(text)
        return ["+905321111111", "+905322222222"]

    by_name = build_filter(HistoryKind.MISSED, DateRange.TODAY, NOW, "  Işık ", directory_keys=keys)
    assert by_name == HistoryFilter(kind=HistoryKind.MISSED, since=local(2026, 3, 18),
                                    text="Işık",
                                    extra_keys=("+905321111111", "+905322222222"))
    by_number = build_filter(HistoryKind.ALL, DateRange.ANY, NOW, "0532 4", directory_keys=keys)
    assert by_number == HistoryFilter(text="0532 4")
    assert asked == ["Işık"]


def test_a_failing_directory_lookup_leaves_the_journal_names(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(text: str) -> list[str]:
        raise OSError("database is locked")

    flt = build_filter(HistoryKind.ALL, DateRange.ANY, NOW, "yılmaz", directory_keys=broken)
    assert flt == HistoryFilter(text="yılmaz")
    assert "directory search for the history failed" in caplog.text


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def fill(journal: Journal, count: int) -> None:
    journal.record_many(
        JournalCall(f"c{i}", direction="inbound" if i % 3 else "outbound",
                    number_raw=f"0532{i:07d}", ringing_at=NOW - 60 * i,
                    answered_at=NOW - 60 * i + 5, ended_at=NOW - 60 * i + 65)
        for i in range(count))


def test_the_head_is_the_start_of_the_full_result(journal: Journal) -> None:
    fill(journal, HEAD_ROWS * 2 + 7)
    for flt in (HistoryFilter(), HistoryFilter(kind=HistoryKind.OUTBOUND),
                HistoryFilter(text="0532 00001")):
        full = journal.select_ids(flt)
        head = read_head(journal, flt)
        assert head.ids == full[:HEAD_ROWS]
        assert head.more == (len(full) > HEAD_ROWS)
        assert [row.row_id for row in head.rows if row is not None] == head.ids
        assert journal.select_ids(flt, limit=3) == full[:3]
    # newest first: c0 is the latest call
    first = read_head(journal, HistoryFilter()).rows[0]
    assert first is not None
    assert first.call_id == "c0"


def test_a_short_result_is_all_in_the_head(journal: Journal) -> None:
    fill(journal, 12)
    head = read_head(journal, HistoryFilter(kind=HistoryKind.OUTBOUND), size=4)
    assert not head.more
    assert len(head.ids) == 4  # c0, c3, c6, c9
    assert [r.call_id for r in head.rows if r is not None] == ["c0", "c3", "c6", "c9"]
    assert read_head(journal, HistoryFilter(kind=HistoryKind.OUTBOUND), size=3).more
    empty = read_head(journal, HistoryFilter(text="9999999"))
    assert (empty.ids, empty.rows, empty.more) == ([], [], False)
