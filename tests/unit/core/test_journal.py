"""The call journal on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.caller_card import PastCall
from desktop.core.journal import Journal, JournalCall, JournalError, NumberHistory

KEY = "+905321234567"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def test_wal_mode(journal: Journal) -> None:
    assert journal.journal_mode() == "wal"
    assert journal.schema_version() == 1


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
