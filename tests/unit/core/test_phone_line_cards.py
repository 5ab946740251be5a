"""Cards of calls the PBX told little about: Tekil status-only calls, own click-to-calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.caller_card import CallerCard, NumberSource
from desktop.core.calls import STATUS_PAIR_WINDOW, CallTracker, RecentDials
from desktop.core.journal import Journal
from desktop.core.phone_line import PhoneLine
from desktop.pbx.events import ExtensionStatusEvent, HangupEvent, RingingEvent

T = 1_800_000_000.0


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


def make_line(journal: Journal, dials: RecentDials | None = None,
              ) -> tuple[PhoneLine, list[CallerCard]]:
    cards: list[CallerCard] = []
    tracker = CallTracker(["1001"], clock=lambda: T, dials=dials)
    line = PhoneLine(tracker, directory=None, journal=journal, on_card=cards.append,
                     on_state=lambda _s: None, clock=lambda: T)
    return line, cards


def status(code: int, t: float) -> ExtensionStatusEvent:
    return ExtensionStatusEvent(raw={}, received_at=t, extension="1001", code=code)


def test_a_status_only_call_says_the_pbx_did_not_send_the_number(journal: Journal) -> None:
    line, cards = make_line(journal)
    line.feed(status(8, T))
    line._publish(line.tracker.tick(T + 1))  # what the line's timer does
    line.feed(status(0, T + 9))
    line._publish(line.tracker.tick(T + 9 + STATUS_PAIR_WINDOW))
    assert [c.state.value for c in cards] == ["ringing", "passed_on", "ended"]
    journal.flush()  # the line queues its rows for the journal's writer thread
    assert all(c.number_source is NumberSource.NOT_SENT and c.number_not_sent for c in cards)
    assert all(c.shows_popup for c in cards)
    row = journal.get(cards[0].call_id)
    assert row is not None
    # "Not known", so the call records can fill it in (not "", which is a value).
    assert (row.number_raw, row.number_key, row.outcome) == (None, None, "missed")


def test_a_withheld_number_is_not_a_number_not_sent(journal: Journal) -> None:
    line, cards = make_line(journal)
    line.feed(RingingEvent(raw={}, received_at=T, call_id="c1", extension="1001",
                           caller="anonymous"))
    assert cards[0].number_source is NumberSource.PBX
    assert not cards[0].number_not_sent


def test_the_agents_own_click_to_call_makes_no_popup(journal: Journal) -> None:
    dials = RecentDials(clock=lambda: T)
    dials.note("1001", "05321234567")
    line, cards = make_line(journal, dials)
    # FreeSWITCH presents the first leg with the destination as the caller.
    line.feed(RingingEvent(raw={}, received_at=T, call_id="c1", extension="1001",
                           caller="05321234567", called="1001"))
    line.feed(HangupEvent(raw={}, received_at=T + 20, call_id="c1",
                          hangup_cause="NO_ANSWER"))
    assert [c.own_dial for c in cards] == [True, True]
    assert not any(c.shows_popup for c in cards)
    assert {c.direction for c in cards} == {"outbound"}
    assert cards[0].number_source is NumberSource.DIALLED
    assert cards[0].number.key == "+905321234567"
    journal.flush()
    row = journal.get("c1")
    assert row is not None
    assert (row.direction, row.outcome, row.number_key) == ("outbound", "not_answered",
                                                            "+905321234567")
    assert journal.unseen_missed_count() == 0
