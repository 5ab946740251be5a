"""The call journal on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.caller_card import PastCall
from desktop.core.journal import (
    CdrEntry,
    HistoryFilter,
    HistoryKind,
    Journal,
    JournalCall,
    JournalError,
    NumberHistory,
    number_fragment,
)
from desktop.core.journal_schema import schema_v1
from desktop.core.storage import SQLiteStore

KEY = "+905321234567"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def test_wal_mode(journal: Journal) -> None:
    assert journal.journal_mode() == "wal"
    assert journal.schema_version() == 3


def test_record_is_an_upsert_that_keeps_known_fields(journal: Journal) -> None:
    journal.record(
        JournalCall(
            "1700000000.1",
            extension="1001",
            direction="inbound",
            number_raw="0532 123 45 67",
            called_raw="08508881444",
            queue="60000",
            contact_name_at_time="Ayşe Yılmaz",
            ringing_at=1000.0,
        )
    )
    first = journal.get("1700000000.1")
    assert first is not None
    assert first.number_key == KEY
    assert first.outcome == "unknown"
    assert first.source == "live"
    assert first.talk_seconds == 0
    journal.record(JournalCall("1700000000.1", answered_at=1004.0, outcome="answered"))
    journal.record(JournalCall("1700000000.1", ended_at=1069.6, recording="2024/01/x.wav"))
    call = journal.get("1700000000.1")
    assert call == JournalCall(
        "1700000000.1",
        extension="1001",
        direction="inbound",
        number_raw="0532 123 45 67",
        number_key=KEY,
        called_raw="08508881444",
        queue="60000",
        contact_name_at_time="Ayşe Yılmaz",
        ringing_at=1000.0,
        answered_at=1004.0,
        ended_at=1069.6,
        outcome="answered",
        talk_seconds=66,
        source="live",
        recording="2024/01/x.wav",
    )


def test_explicit_talk_time_and_outcome_win(journal: Journal) -> None:
    journal.record(JournalCall("c", number_raw="1001", answered_at=10.0, ended_at=20.0))
    journal.record(JournalCall("c", talk_seconds=7, outcome="answered_elsewhere", source="cdr"))
    call = journal.get("c")
    assert call is not None
    assert (call.talk_seconds, call.outcome, call.source) == (7, "answered_elsewhere", "cdr")
    assert call.number_key == "1001"


@pytest.mark.parametrize(
    "bad",
    [
        JournalCall(""),
        JournalCall("c", direction="sideways"),
        JournalCall("c", outcome="great"),
        JournalCall("c", source="guess"),
    ],
)
def test_bad_values_are_refused(journal: Journal, bad: JournalCall) -> None:
    with pytest.raises(JournalError):
        journal.record(bad)


def test_history_excludes_the_current_call(journal: Journal) -> None:
    journal.record(
        JournalCall(
            "a",
            direction="inbound",
            number_raw="05321234567",
            ringing_at=100.0,
            answered_at=101.0,
            ended_at=161.0,
            outcome="answered",
        )
    )
    journal.record(
        JournalCall(
            "b",
            direction="outbound",
            number_raw="+90 532 123 45 67",
            ringing_at=200.0,
            outcome="not_answered",
        )
    )
    journal.record(
        JournalCall(
            "c", direction="inbound", number_raw="905321234567", ringing_at=300.0, outcome="missed"
        )
    )
    journal.record(JournalCall("other", number_raw="05429999999", ringing_at=400.0))
    journal.record(
        JournalCall("now", direction="inbound", number_raw="5321234567", ringing_at=500.0)
    )
    history = journal.history(KEY, limit=2, exclude_call_id="now")
    assert history == NumberHistory(
        count=3,
        last_at=300.0,
        recent=(
            PastCall(300.0, "inbound", "missed", 0),
            PastCall(200.0, "outbound", "not_answered", 0),
        ),
    )
    assert journal.history(KEY).count == 4
    assert journal.history(KEY, limit=5, exclude_call_id="now").recent[-1] == PastCall(
        100.0, "inbound", "answered", 60
    )


def test_history_of_unknown_and_withheld_numbers(journal: Journal) -> None:
    journal.record(JournalCall("x", number_raw="Anonymous", ringing_at=1.0))
    journal.record(JournalCall("y", number_raw="gizli", ringing_at=2.0))
    assert journal.history("") == NumberHistory()
    assert journal.history("anonymous") == NumberHistory()
    assert journal.history(KEY) == NumberHistory()
    call = journal.get("x")
    assert call is not None
    assert call.number_key is None


def test_call_time_is_the_earliest_known(journal: Journal) -> None:
    journal.record(JournalCall("c", number_raw=KEY, ended_at=90.0))
    journal.record(JournalCall("c", ringing_at=50.0))
    journal.record(JournalCall("c", answered_at=60.0))
    assert journal.history(KEY).last_at == 50.0


def test_notes(journal: Journal) -> None:
    assert journal.notes_for(KEY) is None
    journal.set_note(KEY, "Borcu var\x00, önce muhasebeye\r\nbağla")
    assert journal.notes_for(KEY) == "Borcu var, önce muhasebeye\nbağla"
    journal.set_note(KEY, "Güncel not")
    assert journal.notes_for(KEY) == "Güncel not"
    journal.set_note(KEY, "   ")
    assert journal.notes_for(KEY) is None
    assert journal.notes_for("") is None
    with pytest.raises(JournalError):
        journal.set_note("", "x")


def test_data_survives_reopen(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.db")
    j.record(JournalCall("c", number_raw=KEY, ringing_at=1.0))
    j.set_note(KEY, "not")
    j.close()
    again = Journal(tmp_path / "j.db")
    assert again.history(KEY).count == 1
    assert again.notes_for(KEY) == "not"
    again.close()


# ---------------------------------------------------------------- schema v2 (issue 5)


class _V1(SQLiteStore):
    MIGRATIONS = (schema_v1,)


def test_migration_from_v1_keeps_calls_and_marks_old_missed_calls_seen(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = _V1(path)
    with old.write() as conn:
        conn.execute(
            "INSERT INTO calls (call_id, direction, number_raw, number_key, outcome, "
            "started_at, contact_name_at_time, updated_at) VALUES "
            "('m', 'inbound', '05321234567', ?, 'missed', 10.0, 'IŞIK Çağrı', 0)", (KEY,))
    old.close()
    journal = Journal(path)
    try:
        assert journal.schema_version() == 3
        assert journal.get("m") is not None
        assert journal.unseen_missed_count() == 0
        assert journal.count(HistoryFilter(text="isik cagri")) == 1
        row = journal.history_rows()[0]
        assert (row.call_id, row.is_missed, row.missed_seen) == ("m", True, True)
    finally:
        journal.close()


def _live(call_id: str, number: str = "05321234567", at: float = 1000.0,
          outcome: str | None = "answered", direction: str = "inbound",
          **kw: object) -> JournalCall:
    return JournalCall(call_id, extension="1001", direction=direction, number_raw=number,
                       ringing_at=at, answered_at=at + 5 if outcome == "answered" else None,
                       ended_at=at + 65, outcome=outcome, source="live", **kw)  # type: ignore[arg-type]


def _cdr(call_id: str, number: str = "05321234567", at: float = 1000.0,
         outcome: str = "answered", direction: str = "inbound", **kw: object) -> JournalCall:
    return JournalCall(call_id, extension="1001", direction=direction, number_raw=number,
                       ringing_at=at, ended_at=at + 70, outcome=outcome,
                       talk_seconds=60 if outcome == "answered" else 0, source="cdr", **kw)  # type: ignore[arg-type]


def test_record_with_the_same_id_completes_a_live_row(journal: Journal) -> None:
    journal.record(_live("u1"))
    report = journal.merge_cdr([CdrEntry(_cdr("u1", recording="2024/01/a.WAV"))])
    assert (report.added, report.merged) == (0, 1)
    assert journal.count() == 1
    call = journal.get("u1")
    assert call is not None
    assert (call.source, call.recording, call.cdr_id, call.talk_seconds) == (
        "live", "2024/01/a.WAV", "u1", 60)
    assert call.ringing_at == 1000.0  # what the line saw is kept


def test_live_and_record_with_different_ids_merge_by_number_and_time(journal: Journal) -> None:
    journal.record(_live("callUUID-1", at=1000.0, outcome=None))
    journal.merge_cdr([CdrEntry(_cdr("1700.1", at=1003.0, outcome="missed"))])
    assert journal.count() == 1
    call = journal.get("callUUID-1")
    assert call is not None
    assert call.outcome == "missed"
    assert call.cdr_id == "1700.1"
    assert journal.resolve("1700.1") == call
    # the same record again: nothing changes
    report = journal.merge_cdr([CdrEntry(_cdr("1700.1", at=1003.0, outcome="missed"))])
    assert (report.added, report.merged, journal.count()) == (0, 1, 1)


def test_two_calls_a_minute_apart_stay_two(journal: Journal) -> None:
    journal.merge_cdr([CdrEntry(_cdr("a", at=1000.0, outcome="missed")),
                       CdrEntry(_cdr("b", at=1040.0, outcome="missed"))])
    assert journal.count() == 2


def test_weak_records_merge_into_any_matching_row_and_are_idempotent(journal: Journal) -> None:
    journal.merge_cdr([CdrEntry(_cdr("u9", at=2000.0, outcome="missed"))])
    weak = CdrEntry(_cdr("cdr-abc", at=2001.0, outcome="missed"), strong=False)
    assert journal.merge_cdr([weak]).merged == 1
    assert journal.merge_cdr([weak]).merged == 1
    assert journal.count() == 1
    # a weak record first, the strong one later: still one call
    journal.merge_cdr([CdrEntry(_cdr("cdr-zzz", number="05429998877", at=3000.0,
                                    outcome="missed"), strong=False)])
    journal.merge_cdr([CdrEntry(_cdr("u10", number="05429998877", at=3002.0,
                                    outcome="missed"))])
    journal.merge_cdr([CdrEntry(_cdr("cdr-zzz", number="05429998877", at=3000.0,
                                    outcome="missed"), strong=False)])
    assert journal.count() == 2
    assert journal.resolve("u10") == journal.resolve("cdr-zzz")


def test_enrich_only_entries_are_dropped_when_nothing_matches(journal: Journal) -> None:
    report = journal.merge_cdr([CdrEntry(_cdr("cdr-q", outcome="missed"), strong=False,
                                         insert=False)])
    assert (report.added, report.skipped, journal.count()) == (0, 1, 0)


def test_status_only_tekil_call_gets_its_number_from_the_record(journal: Journal) -> None:
    journal.record(JournalCall("ext-status:1001:1", extension="1001", direction="inbound",
                               ringing_at=500.0, ended_at=520.0, outcome="missed"))
    journal.merge_cdr([CdrEntry(_cdr("1600.5", at=501.0, outcome="missed"))])
    assert journal.count() == 1
    call = journal.get("ext-status:1001:1")
    assert call is not None
    assert call.number_key == KEY


def test_missed_calls_new_until_seen(journal: Journal) -> None:
    journal.record(_live("m1", outcome="missed", at=100.0))
    journal.record(_live("m2", number="05429998877", outcome="missed", at=200.0))
    journal.record(_live("a1", number="05429998877", at=300.0))
    assert journal.unseen_missed_count() == 2
    assert journal.unseen_missed_ids() == ["m2", "m1"]
    assert journal.mark_missed_seen(["m1", "a1"]) == 1
    assert journal.unseen_missed_count() == 1
    assert journal.mark_missed_seen() == 1
    assert journal.unseen_missed_count() == 0
    # gap-filled missed calls count too, unless imported as old history
    journal.merge_cdr([CdrEntry(_cdr("g1", number="05001112233", at=400.0, outcome="missed"))])
    journal.merge_cdr([CdrEntry(_cdr("g2", number="05001112234", at=500.0, outcome="missed"))],
                      seen=True)
    assert journal.unseen_missed_ids() == ["g1"]


def test_calling_back_marks_earlier_missed_calls(journal: Journal) -> None:
    journal.record(_live("m1", outcome="missed", at=100.0))
    journal.record(_live("m2", outcome="missed", at=200.0))
    journal.record(_live("other", number="05429998877", outcome="missed", at=210.0))
    journal.record(JournalCall("out1", extension="1001", direction="outbound",
                               number_raw="+90 532 123 45 67", ringing_at=300.0))
    rows = {r.call_id: r for r in journal.history_rows()}
    assert rows["m1"].called_back_at == 300.0
    assert rows["m2"].called_back_at == 300.0
    assert rows["other"].called_back_at is None
    assert journal.unseen_missed_ids() == ["other"]
    # a missed call after the call back is not called back
    journal.record(_live("m3", outcome="missed", at=400.0))
    assert journal.row_for("m3").called_back_at is None  # type: ignore[union-attr]
    # an outbound call found in the records marks it too
    journal.merge_cdr([CdrEntry(_cdr("out2", direction="outbound", at=500.0))])
    assert journal.row_for("m3").called_back_at == 500.0  # type: ignore[union-attr]


@pytest.fixture
def filled(journal: Journal) -> Journal:
    calls = [
        _live("1", number="05321234567", at=100.0, contact_name_at_time="Ayşe Yılmaz"),
        _live("2", number="02122223344", at=200.0, outcome="missed",
              contact_name_at_time="IŞIK Lojistik A.Ş."),
        _live("3", number="05421112233", at=300.0, direction="outbound",
              outcome="not_answered"),
        _live("4", number="1002", at=400.0, direction="local"),
        _live("5", number="05321234567", at=500.0, outcome="missed",
              contact_name_at_time="Ayşe Yılmaz"),
    ]
    for call in calls:
        journal.record(call)
    return journal


@pytest.mark.parametrize(("flt", "expected"), [
    (HistoryFilter(), ["5", "4", "3", "2", "1"]),
    (HistoryFilter(kind=HistoryKind.MISSED), ["5", "2"]),
    (HistoryFilter(kind=HistoryKind.INBOUND), ["5", "2", "1"]),
    (HistoryFilter(kind=HistoryKind.OUTBOUND), ["3"]),
    (HistoryFilter(since=200.0, until=400.0), ["3", "2"]),
    (HistoryFilter(text="ayse"), ["5", "1"]),
    (HistoryFilter(text="AYŞE yıl"), ["5", "1"]),
    (HistoryFilter(text="isik"), ["2"]),
    (HistoryFilter(text="ışık lojistik"), ["2"]),
    (HistoryFilter(text="0532 123"), ["5", "1"]),
    (HistoryFilter(text="+90 542"), ["3"]),
    (HistoryFilter(text="45 67"), ["5", "1"]),
    (HistoryFilter(text="2223"), ["2"]),
    (HistoryFilter(text="1002"), ["4"]),
    (HistoryFilter(text="mehmet"), []),
    (HistoryFilter(text="mehmet", extra_keys=("+905421112233",)), ["3"]),
    (HistoryFilter(kind=HistoryKind.MISSED, text="ayşe"), ["5"]),
])
def test_history_filters_and_search(filled: Journal, flt: HistoryFilter,
                                    expected: list[str]) -> None:
    ids = filled.select_ids(flt)
    assert [r.call_id for r in filled.rows(ids)] == expected
    assert filled.count(flt) == len(expected)
    assert [r.call_id for r in filled.history_rows(flt)] == expected


def test_rows_keep_the_given_order_and_carry_notes(filled: Journal) -> None:
    filled.set_note(KEY, "VIP müşteri")
    ids = filled.select_ids()
    rows = filled.rows([ids[4], ids[0], 999_999])
    assert [r.call_id for r in rows] == ["1", "5"]
    assert rows[0].note == "VIP müşteri"
    assert rows[0].contact_name == "Ayşe Yılmaz"
    assert rows[1].is_new_missed
    assert rows[0].to_json()["number_key"] == KEY


@pytest.mark.parametrize(("text", "fragment"), [
    ("0532 123", "532123"), ("+90 (532) 123-45", "9053212345"), ("00905", "905"),
    ("1002", "1002"), ("7", None), ("ayşe", None), ("a1b2", None),
])
def test_number_fragment(text: str, fragment: str | None) -> None:
    assert number_fragment(text) == fragment


def test_last_seen_connected_survives_reopen(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.db")
    assert j.last_seen_connected() is None
    j.set_last_seen_connected(1234.5)
    j.close()
    again = Journal(tmp_path / "j.db")
    assert again.last_seen_connected() == 1234.5
    again.close()
