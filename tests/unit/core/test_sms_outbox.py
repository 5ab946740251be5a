"""The outbox file: validation before writing, atomic state changes, templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.sms_outbox import InvalidRecipient, OutboxError, SmsOutbox, SmsState
from desktop.core.sms_sender import match_sent, same_text
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

    def row(pid: str, text: str | None, at: float, sender: str = "DEMOFIRMA") -> SmsMessage:
        return SmsMessage(pid, "+905324118027", sender, text, "PENDING",
                          DeliveryState.PENDING, created_at=at)

    t = message.created_at
    rows = [row("a", "Toplantı yarın B035", t), row("b", "Başka", t),
            row("c", "Toplantı yarın", t - 7200)]
    found = match_sent(message, rows, set(), lists_text=True, since=t - 60, until=t + 60)
    assert found[1] is not None
    assert found[1].provider_id == "a"
    assert match_sent(message, rows, {"a"}, lists_text=True, since=t - 60,
                      until=t + 60)[0].value == "none"
    no_text = [row("x", None, t), row("y", None, t + 5)]
    assert match_sent(message, no_text, set(), lists_text=False, since=t - 60,
                      until=t + 60)[0].value == "several"
    assert match_sent(message, no_text, {"y"}, lists_text=False, since=t - 60,
                      until=t + 60)[1].provider_id == "x"
    assert same_text("Merhaba", "Merhaba  B035")
    assert not same_text("Merhaba", "Merhaba dünya nasılsın")
