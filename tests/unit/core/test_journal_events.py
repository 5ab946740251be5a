"""The journal fed by scripted event sequences, through CallTracker and PhoneLine.

Real SQLite file, real tracker and line; the events are the parsed form of
the documented messages.  Every card is checked against the journal at the
moment it is published (queued before show: flushing the journal's writer
queue at that moment finds the row).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.calls import CallTracker
from desktop.core.journal import HistoryFilter, HistoryKind, Journal
from desktop.core.phone_line import PhoneLine
from desktop.pbx.events import parse_message

DOMAIN = "firma.kobipbx.com"
CUSTOMER = "05321234567"
KEY = "+905321234567"
DID = "02242123456"


class Script:
    """A phone line for extension 1001 with a journal; records cards as published."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.journal = Journal(path)
        self.now = 1000.0
        self.cards: list[CallerCard] = []
        self.journal_at_show: list[Any] = []
        tracker = CallTracker(("1001",), DOMAIN, clock=lambda: self.now)
        self.line = PhoneLine(tracker, directory=None, journal=self.journal,
                              on_card=self._card, on_state=lambda s: None,
                              clock=lambda: self.now)

    def _card(self, card: CallerCard) -> None:
        self.cards.append(card)
        assert self.journal.flush(5.0)
        self.journal_at_show.append(self.journal.get(card.call_id))

    def event(self, t: float, **msg: Any) -> None:
        self.now = t
        msg.setdefault("domain", DOMAIN)
        self.line.feed(parse_message(msg, received_at=t))

    def ring(self, t: float, call: str, caller: str = CUSTOMER, ext: str = "1001",
             **extra: Any) -> None:
        self.event(t, event="ringing", callUUID=call, extension=ext, callerNumber=caller,
                   calledNumber=DID, **extra)

    def answer(self, t: float, call: str, ext: str = "1001", caller: str = CUSTOMER,
               direction: str = "inbound") -> None:
        self.event(t, event="answered", callUUID=call, extension=ext, callerNumber=caller,
                   calledNumber=DID, direction=direction)

    def hangup(self, t: float, call: str) -> None:
        self.event(t, event="hangup", callUUID=call, hangupCause="NORMAL_CLEARING")

    def close(self) -> None:
        self.journal.close()


@pytest.fixture
def script(tmp_path: Path) -> Iterator[Script]:
    s = Script(tmp_path / "journal.sqlite3")
    yield s
    s.close()


def test_answered_call_is_journaled_before_every_card(script: Script) -> None:
    script.ring(1000.0, "c1", queue="60000")
    script.answer(1004.0, "c1")
    script.hangup(1064.0, "c1")
    assert [c.state for c in script.cards] == [CardState.RINGING, CardState.ANSWERED,
                                               CardState.ENDED]
    for card, stored in zip(script.cards, script.journal_at_show, strict=True):
        assert stored is not None, "the journal must be written before the card is shown"
        assert stored.ringing_at == card.ringing_at
        assert stored.answered_at == card.answered_at
    call = script.journal.get("c1")
    assert call is not None
    assert (call.direction, call.number_key, call.extension, call.called_raw) == (
        "inbound", KEY, "1001", DID)
    assert (call.outcome, call.talk_seconds, call.source) == ("answered", 60, "live")
    assert (call.ringing_at, call.answered_at, call.ended_at) == (1000.0, 1004.0, 1064.0)
    assert script.journal.unseen_missed_count() == 0


def test_missed_call_is_new_until_seen_and_survives_a_restart(script: Script) -> None:
    script.ring(1000.0, "m1")
    script.hangup(1012.0, "m1")
    assert script.journal.get("m1").outcome == "missed"  # type: ignore[union-attr]
    assert script.journal.unseen_missed_count() == 1
    script.close()
    again = Journal(script.path)
    try:
        assert again.unseen_missed_count() == 1
        assert [r.call_id for r in again.history_rows(HistoryFilter(
            kind=HistoryKind.MISSED))] == ["m1"]
    finally:
        again.close()


def test_queue_call_taken_by_a_colleague_is_not_missed(script: Script) -> None:
    script.ring(1000.0, "q1", queue="60000")
    script.answer(1003.0, "q1", ext="1002")
    script.hangup(1100.0, "q1")
    call = script.journal.get("q1")
    assert call is not None
    assert call.outcome == "answered_elsewhere"
    assert script.journal.unseen_missed_count() == 0


def test_calling_back_marks_the_missed_call(script: Script) -> None:
    script.ring(1000.0, "m1")
    script.hangup(1010.0, "m1")
    script.event(1200.0, event="ringing", callUUID="o1", extension="1001",
                 callerNumber="1001", calledNumber=CUSTOMER, direction="outbound")
    script.answer(1205.0, "o1", caller="1001", direction="outbound")
    script.hangup(1300.0, "o1")
    out = script.journal.get("o1")
    assert out is not None
    assert out.direction == "outbound"
    assert out.number_key == KEY
    row = script.journal.row_for("m1")
    assert row is not None
    assert row.called_back_at == 1200.0
    assert script.journal.unseen_missed_count() == 0


def test_note_and_history_show_on_the_next_popup(script: Script) -> None:
    script.ring(1000.0, "c1")
    script.hangup(1010.0, "c1")
    script.journal.set_note(KEY, "Fatura itirazı var, muhasebeye aktar")
    script.ring(2000.0, "c2")
    card = script.cards[-1]
    assert card.call_id == "c2"
    assert card.number_notes == "Fatura itirazı var, muhasebeye aktar"
    assert card.previous_calls == 1
    assert card.recent[0].outcome == "missed"


def test_a_crash_mid_call_keeps_the_call(script: Script) -> None:
    script.ring(1000.0, "c1")
    script.answer(1002.0, "c1")
    # no hang-up: the app dies here
    script.close()
    again = Journal(script.path)
    try:
        call = again.get("c1")
        assert call is not None
        assert call.answered_at == 1002.0
        assert call.outcome == "unknown"
    finally:
        again.close()
