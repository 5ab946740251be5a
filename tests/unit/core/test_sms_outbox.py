"""The outbox file: validation before writing, atomic state changes, templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.sms_confirm import (
    CLOCK_SLACK,
    MAX_REQUEST_SECONDS,
    Attempt,
    MatchResult,
    attempt_of,
    match_sent,
    same_text,
)
from desktop.core.sms_outbox import InvalidRecipient, OutboxError, SmsOutbox, SmsState
from desktop.core.sms_text import DEFAULT_TEMPLATES
from desktop.pbx.sms import DeliveryState, SmsMessage


@pytest.fixture
def outbox(tmp_path: Path):
    store = SmsOutbox(tmp_path / "outbox.sqlite3")
    yield store
    store.close()


@pytest.mark.parametrize(("raw", "why"), [
    ("1001", "internal number"),
    ("abc", "not a phone number"),
    ("", "not a phone number"),
    ("0224 532 04 44", "cannot receive SMS"),  # a Bursa landline
])
def test_bad_recipients_are_refused_and_nothing_is_written(outbox, raw, why):
    with pytest.raises(InvalidRecipient, match=why):
        outbox.enqueue(["0532 411 80 27", raw], "Merhaba", "DEMOFIRMA")
    assert outbox.recent() == []


@pytest.mark.parametrize(("text", "why"), [
    ("   ", "empty"),
    ("Adres: {adres}", r"fill in \{adres\}"),
    ("x" * 1500, "too long"),
])
def test_bad_texts_are_refused(outbox, text, why):
    with pytest.raises(OutboxError, match=why):
        outbox.enqueue(["0532 411 80 27"], text, "DEMOFIRMA")


def test_enqueue_writes_one_message_per_number_and_remembers_the_sender(outbox):
    messages = outbox.enqueue(["0532 411 80 27", "+90 532 411 8027", "05427730516"],
                              "Merhaba\r\n", "DEMOFIRMA", call_id="c1", contact_name="Ayşe")
    assert [m.to_send for m in messages] == ["905324118027", "905427730516"]
    assert {m.state for m in messages} == {SmsState.QUEUED}
    assert messages[0].batch is not None
    assert messages[0].batch == messages[1].batch
    assert outbox.get(messages[0].id).text == "Merhaba"
    assert outbox.remembered("last_sender") == "DEMOFIRMA"
    assert [m.id for m in outbox.for_call("c1")] == [m.id for m in messages]
    assert outbox.find(messages[0].id[:12]).id == messages[0].id


def test_transitions_are_conditional(outbox):
    [message] = outbox.enqueue(["0532 411 80 27"], "Merhaba", "DEMOFIRMA")
    first = outbox.transition(message.id, [SmsState.QUEUED], SmsState.SENDING)
    second = outbox.transition(message.id, [SmsState.QUEUED], SmsState.SENDING)
    assert first is not None
    assert first.state is SmsState.SENDING
    assert second is None  # a second sender cannot claim it
    assert [e.state for e in outbox.events(message.id)] == [SmsState.QUEUED, SmsState.SENDING]
    with pytest.raises(ValueError):
        outbox.transition(message.id, [SmsState.SENDING], SmsState.SENT, bogus=1)


def test_templates_are_seeded_editable_and_restorable(outbox):
    assert [t.title for t in outbox.templates()] == [t for t, _ in DEFAULT_TEMPLATES]
    saved = outbox.save_templates([("Kısa", "Merhaba {name}"), ("", "ignored")])
    assert [(t.title, t.body) for t in saved] == [("Kısa", "Merhaba {name}")]
    assert len(outbox.restore_default_templates()) == len(DEFAULT_TEMPLATES)


def test_matching_a_provider_copy(outbox):
    [message] = outbox.enqueue(["0532 411 80 27"], "Toplantı yarın", "DEMOFIRMA")

    def row(pid: str, text: str | None, at: float | None, sender: str = "DEMOFIRMA",
            **raw: str) -> SmsMessage:
        return SmsMessage(pid, "+905324118027", sender, text, "PENDING",
                          DeliveryState.PENDING, created_at=at, raw=raw)

    t = message.created_at
    attempt = Attempt(listed_before=frozenset({"old"}), window=(t - 2, t + 32))
    rows = [row("a", "Toplantı yarın B035", t + 1), row("b", "Başka", t + 1),
            row("c", "Toplantı yarın", t - 7200), row("old", "Toplantı yarın", t),
            row("later", "Toplantı yarın", t + 300), row("timeless", "Toplantı yarın", None),
            row("other-title", "Toplantı yarın", t + 1, sender="BASKA")]
    found = match_sent(message, rows, set(), attempt, lists_text=True)
    assert found[0] is MatchResult.FOUND
    assert found[1] is not None
    assert found[1].provider_id == "a"
    # another of our messages owns it: nothing else qualifies
    assert match_sent(message, rows, {"a"}, attempt, lists_text=True)[0] is MatchResult.NONE
    # two that qualify: the agent decides (never "the earliest")
    twins = [*rows, row("a2", "Toplantı yarın", t + 3)]
    assert match_sent(message, twins, set(), attempt, lists_text=True)[0] is \
        MatchResult.SEVERAL
    no_text = [row("x", None, t), row("y", None, t + 5), row("bulk", None, t + 1,
                                                              send_by="sender")]
    assert match_sent(message, no_text, set(), attempt,
                      lists_text=False)[0] is MatchResult.SEVERAL
    assert match_sent(message, no_text, {"y"}, attempt, lists_text=False)[1].provider_id == "x"
    # without the list from before the attempt, or without the provider's clock: untiable
    for blind in (Attempt(None, (t - 2, t + 32)), Attempt(frozenset(), None)):
        assert match_sent(message, rows, set(), blind, lists_text=True) == (
            MatchResult.UNTIABLE, None)
    assert same_text("Merhaba", "Merhaba  B035")
    assert not same_text("Merhaba", "Merhaba dünya nasılsın")


def test_the_attempt_window_is_on_the_providers_clock(outbox):
    [message] = outbox.enqueue(["0532 411 80 27"], "Merhaba", "DEMOFIRMA")
    sending = outbox.transition(message.id, [SmsState.QUEUED], SmsState.SENDING,
                                sending_at=1000.0, listed_at=999.5, clock_offset=420.0,
                                listed=["p1", "p2", ""])
    assert outbox.listed_before(message.id) == {"p1", "p2"}
    attempt = attempt_of(sending, outbox.listed_before(message.id))
    assert attempt.listed_before == {"p1", "p2"}
    assert attempt.window == (1000.0 + 420 - CLOCK_SLACK,
                              1000.0 + MAX_REQUEST_SECONDS + 420 + CLOCK_SLACK)
    ended = outbox.transition(message.id, [SmsState.SENDING], SmsState.UNKNOWN,
                              attempt_ended_at=1030.0)
    assert attempt_of(ended, set()).window == (1420.0 - CLOCK_SLACK, 1450.0 + CLOCK_SLACK)
    unlisted = outbox.transition(message.id, [SmsState.UNKNOWN], SmsState.UNKNOWN,
                                 listed_at=None)
    assert attempt_of(unlisted, {"p1"}).listed_before is None


def test_one_provider_message_never_confirms_two_of_ours(outbox):
    first, second = outbox.enqueue(["0532 411 80 27", "0542 773 05 16"], "Merhaba",
                                   "DEMOFIRMA")
    for m in (first, second):
        outbox.transition(m.id, [SmsState.QUEUED], SmsState.UNKNOWN)
    assert outbox.transition(first.id, [SmsState.UNKNOWN], SmsState.SENT,
                             provider_id="uuid-1") is not None
    assert outbox.transition(second.id, [SmsState.UNKNOWN], SmsState.SENT,
                             provider_id="uuid-1") is None
    assert outbox.get(second.id).state is SmsState.UNKNOWN
