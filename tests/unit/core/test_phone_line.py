"""PhoneLine: events -> calls -> journal (written first) -> caller cards; connection losses."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.caller_card import CardOutcome, CardState
from desktop.core.calls import CallTracker
from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.journal import Journal
from desktop.core.phone_line import RECONNECT_RING_GRACE, RECONNECT_TALK_GRACE, PhoneLine
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.events import AnsweredEvent, HangupEvent, RingingEvent

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def stores(tmp_path: Path):
    directory = Directory(tmp_path / "contacts.sqlite3")
    journal = Journal(tmp_path / "journal.sqlite3")
    yield directory, journal
    directory.close()
    journal.close()


def make_line(stores, clock, *, journal_log=None):
    directory, journal = stores
    cards, states, missed = [], [], []

    class RecordingJournal:
        """The real journal, with the order of writes recorded."""

        def enqueue(self, call):
            if journal_log is not None:
                journal_log.append(("journal", call.call_id))
            journal.enqueue(call)
            journal.flush()  # the tests read the journal right after the event

        def history(self, *a, **kw):
            return journal.history(*a, **kw)

        def notes_for(self, key):
            return journal.notes_for(key)

    def on_card(card):
        if journal_log is not None:
            journal_log.append(("card", card.call_id))
        cards.append(card)

    line = PhoneLine(CallTracker(["1001"], DOMAIN, clock=clock), directory=directory,
                     journal=RecordingJournal(), on_card=on_card, on_state=states.append,
                     on_missed=missed.append, clock=clock)
    return line, cards, states, missed


def ringing(call_id: str, t: float, caller: str = "05321234567") -> RingingEvent:
    return RingingEvent(raw={}, received_at=t, call_id=call_id, extension="1001",
                        caller=caller, called="02242345678", domain=DOMAIN)


def test_known_caller_card_with_history_and_journal_written_before_the_card(stores, clock):
    directory, journal = stores
    directory.add(ContactDraft(name="Ayşe Yılmaz", company="Yıldız Lojistik A.Ş.",
                               numbers=(ContactNumber.of("0532 123 45 67"),), notes="VIP"))
    order: list[tuple[str, str]] = []
    line, cards, _, _ = make_line(stores, clock, journal_log=order)
    line.feed(ringing("c1", clock.now, caller="+905321234567"))
    line.feed(HangupEvent(raw={}, received_at=clock.now + 5, call_id="c1", domain=DOMAIN))
    line.feed(ringing("c2", clock.now + 60, caller="905321234567"))
    assert order[:2] == [("journal", "c1"), ("card", "c1")]
    first, second = cards[0], cards[-1]
    assert (first.name, first.company, first.notes) == ("Ayşe Yılmaz", "Yıldız Lojistik A.Ş.",
                                                        "VIP")
    assert first.number.e164 == "+905321234567"
    assert second.call_id == "c2"
    assert second.previous_calls == 1
    assert journal.get("c1").outcome == "missed"


def test_unknown_caller_and_missed_count(stores, clock):
    line, cards, _, missed = make_line(stores, clock)
    line.feed(ringing("c1", clock.now, caller="05559998877"))
    line.feed(HangupEvent(raw={}, received_at=clock.now + 3, call_id="c1", domain=DOMAIN))
    assert cards[0].contact_id is None
    assert cards[0].name is None
    assert cards[-1].state is CardState.ENDED
    assert cards[-1].outcome is CardOutcome.MISSED
    assert missed == [1]
    line.clear_missed()
    assert missed == [1, 0]


def _lose_and_regain(line, clock, lost_after: float, back_after: float) -> None:
    line._state_changed(ConnectionState(Phase.CONNECTED))
    clock.now += lost_after
    line._state_changed(ConnectionState(Phase.RECONNECTING, reason="server closed"))
    clock.now += back_after
    line._state_changed(ConnectionState(Phase.CONNECTED))


def test_ringing_call_whose_hangup_was_lost_ends_after_reconnect(stores, clock):
    line, _cards, _, _ = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED))
    line.feed(ringing("c1", clock.now))
    _lose_and_regain(line, clock, 1, 5)
    clock.now += RECONNECT_RING_GRACE - 1
    assert line._recover(clock.now) == []
    clock.now += 2
    ended = line._recover(clock.now)
    assert [(c.call_id, c.outcome.value) for c, _ in ended] == [("c1", "unknown")]
    assert line.tracker.active_calls() == []


def test_call_with_events_after_reconnect_is_kept(stores, clock):
    line, _, _, _ = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED))
    line.feed(ringing("c1", clock.now))
    _lose_and_regain(line, clock, 1, 5)
    line.feed(AnsweredEvent(raw={}, received_at=clock.now + 1, call_id="c1", extension="1001",
                            caller="05321234567", domain=DOMAIN))
    clock.now += RECONNECT_RING_GRACE + 1
    assert line._recover(clock.now) == []
    assert [c.call_id for c in line.tracker.active_calls()] == ["c1"]


def test_answered_call_silent_since_the_loss_ends_after_the_long_grace(stores, clock):
    line, _, _, _ = make_line(stores, clock)
    line._state_changed(ConnectionState(Phase.CONNECTED))
    line.feed(AnsweredEvent(raw={}, received_at=clock.now, call_id="c1", extension="1001",
                            caller="05321234567", domain=DOMAIN))
    _lose_and_regain(line, clock, 60, 5)
    clock.now += RECONNECT_RING_GRACE + 1
    assert line._recover(clock.now) == []  # a conversation makes no events
    clock.now += RECONNECT_TALK_GRACE
    assert [c.call_id for c, _ in line._recover(clock.now)] == ["c1"]


def test_no_recovery_bookkeeping_without_active_calls(stores, clock):
    line, _, _, _ = make_line(stores, clock)
    _lose_and_regain(line, clock, 1, 1)
    assert line._recoveries == []
