"""The SMS composer and history: real widgets, a real outbox file, the simulator over HTTP.

asyncio runs inside Qt's event loop (``tests/helpers/qt_asyncio.py``), as in
the app, so the service's tasks, the sender and the simulator all run while
``qtbot`` waits.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.sms_outbox import SmsOutbox, SmsState
from desktop.core.sms_sender import (
    SenderClosed,
    SenderTiming,
    SmsApiConfig,
    SmsNotConfigured,
    SmsSender,
)
from desktop.core.tasks import TaskSet
from desktop.simulator import Simulator, SimulatorConfig
from desktop.ui.sms import SmsComposer, SmsService
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_coroutine, run_until

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
FAST = httpx.Timeout(connect=2.0, read=0.5, write=2.0, pool=2.0)
TIMING = SenderTiming(first_retry=0.2, max_retry=0.5, recheck_credentials=0.2,
                      check_delays=(0.05, 0.1, 0.1), poll_delays=(0.2, 0.3),
                      poll_window=30.0, idle=1.0)
TURKISH_LONG = ("Merhaba Ayşe Hanım, sizi aradık ama ulaşamadık. Siparişinizle ilgili "
                "kısa bir bilgi vermek istiyoruz: kargonuz bugün yola çıktı ve yarın öğlene "
                "kadar teslim edilecek. İyi günler dileriz.")


class Env:
    """A simulator, a service on a temp outbox, and what the test changes."""

    def __init__(self, qapp, tmp_path: Path, **sim_options) -> None:
        self.qapp = qapp
        self.sim = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.3,
                                             **sim_options))
        run_coroutine(qapp, self.sim.start())
        self.token = self.sim.cfg.sms_token
        self.tasks = TaskSet("test")
        self.notified: list[tuple[str, str]] = []
        self.service = SmsService(
            self.channel, tasks=self.tasks, store_token=self.store_token,
            agent_name=lambda: "Mehmet", default_sender=lambda: "DEMOFIRMA",
            notify=lambda t, m: self.notified.append((t, m)),
            sender_factory=self.make_sender)
        self.path = tmp_path / "outbox.sqlite3"
        self.windows: list = []
        self.senders: list[SmsSender] = []

    def channel(self):
        return self.path, self.config

    def config(self) -> SmsApiConfig:
        if not self.token:
            raise SmsNotConfigured("the SMS API token is not set")
        return SmsApiConfig("new", self.sim.http_base, self.token)

    def store_token(self, token: str) -> None:
        self.token = token

    def make_sender(self, outbox, config, on_change, on_problem) -> SmsSender:
        sender = SmsSender(outbox, config, on_change=on_change, on_problem=on_problem,
                           timing=TIMING, api_builder=lambda c: c.build(timeout=FAST))
        self.senders.append(sender)
        return sender

    def compose(self, recipients, **kwargs) -> SmsComposer:
        composer = self.service.compose(recipients, **kwargs)
        composer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.windows.append(composer)
        return composer

    def close(self) -> None:
        for window in self.windows:
            window.close()
        run_coroutine(self.qapp, self.service.close())
        run_coroutine(self.qapp, self.tasks.cancel_all())
        run_coroutine(self.qapp, self.sim.stop())


@pytest.fixture
def env(qapp, tmp_path: Path) -> Iterator[Env]:
    with qt_asyncio_loop(qapp):
        environment = Env(qapp, tmp_path)
        try:
            yield environment
        finally:
            environment.close()


def wait(qapp, condition, timeout_ms: int = 8000) -> None:
    assert run_until(qapp, condition, timeout_ms), "condition not met in time"


def loaded(qapp, composer: SmsComposer) -> None:
    wait(qapp, lambda: composer.sender_combo.count() > 0
         and "Balance" in composer.balance_label.text()
         and composer.template_combo.count() > 1)


def shoot(widget, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    QApplication.processEvents()  # let pending layout requests settle
    widget.grab().save(str(ARTIFACTS / name))


def test_the_counter_names_the_encoding_and_the_cost(qapp, env: Env):
    composer = env.compose(["0532 411 80 27"], context={"name": "Ayşe Hanım"})
    loaded(qapp, composer)
    assert composer.sender_combo.currentText() == "DEMOFIRMA"
    assert composer.balance_label.text() == "Balance: 1000"
    composer.text_edit.setPlainText("a" * 155)
    assert "155 / 155" in composer.counter_label.text()
    assert composer.encoding_label.text() == "Plain text: 155 characters per SMS"
    composer.text_edit.setPlainText("a" * 156)
    wait(qapp, lambda: "2 SMS" in composer.counter_label.text())
    composer.text_edit.setPlainText(TURKISH_LONG)
    wait(qapp, lambda: "Turkish" in composer.encoding_label.text())
    assert composer.encoding_label.text().startswith(
        "With Turkish characters: 150 characters per SMS")
    assert "2 SMS (143 characters per part)" in composer.counter_label.text()
    assert "because of ş ı" in composer.encoding_label.text()
    shoot(composer, "sms-composer-turkish-2-parts.png")
    composer.text_edit.setPlainText("Teşekkürler 😊 " * 5)
    wait(qapp, lambda: "Unicode" in composer.encoding_label.text())
    assert "65" in composer.encoding_label.text()
    assert "stricter 65" in composer.hint_label.text()
    assert "74 characters · 2 SMS" in composer.counter_label.text()  # emoji count 2
    shoot(composer, "sms-composer-emoji.png")


def test_a_template_is_filled_in(qapp, env: Env):
    composer = env.compose(["0532 411 80 27"], context={"name": "Ayşe Hanım"})
    loaded(qapp, composer)
    composer.template_combo.activated.emit(1)  # "Ulaşamadık"
    assert composer.text_edit.toPlainText() == (
        "Merhaba Ayşe Hanım, sizi aradık, ulaşamadık. Müsait olduğunuzda bize dönebilir "
        "misiniz? Mehmet")
    composer.template_combo.activated.emit(2)  # "Adres bilgimiz: {adres}"
    composer.send_button.click()
    assert "{adres}" in composer.notice.text()
    assert not composer.in_flight


def test_send_goes_out_once_however_often_it_is_clicked(qapp, env: Env):
    composer = env.compose(["0532 411 80 27"], call_id="call-7")
    loaded(qapp, composer)
    composer.text_edit.setPlainText("Sizi aradık, ulaşamadık.")
    composer.send_button.click()
    composer.send_button.click()
    composer._send_clicked()  # e.g. Ctrl+Enter while the first send is in flight
    assert not composer.send_button.isEnabled()
    wait(qapp, lambda: composer.messages()
         and composer.messages()[0].state in (SmsState.SENT, SmsState.DELIVERED))
    assert len(env.sim.sms) == 1
    assert len([r for r in env.sim.received if r["path"] == "/api/message/send"]) == 1
    assert composer.notice.text().startswith("Sent")
    [message] = env.service.sms_for_call("call-7")
    assert message.to_key == "+905324118027"


def test_a_multi_part_message_is_confirmed_first(qapp, env: Env):
    composer = env.compose(["0532 411 80 27", "0542 773 05 16"])
    loaded(qapp, composer)
    asked: list[str] = []
    composer.confirm_cost = lambda question, proceed: asked.append(question)
    composer.text_edit.setPlainText(TURKISH_LONG)
    wait(qapp, lambda: "4 SMS" in composer.counter_label.text())
    composer.send_button.click()
    assert asked == ["This message costs 2 SMS per recipient, 4 SMS in total. Send it?"]
    assert not env.sim.sms
    proceed: list = []
    composer.confirm_cost = lambda question, go: proceed.append(go)
    composer._request_id = None
    composer.send_button.setEnabled(True)
    composer.send_button.click()
    proceed[0]()
    wait(qapp, lambda: len(env.sim.sms) == 2)
    assert {m["to"] for m in env.sim.sms} == {"+905324118027", "+905427730516"}


def test_an_invalid_number_is_refused_before_anything_is_written(qapp, env: Env):
    composer = env.compose(["1001", "0532 411 80 27"])
    loaded(qapp, composer)
    composer.text_edit.setPlainText("Merhaba")
    composer.send_button.click()
    assert composer.to_error.isVisible() or not composer.to_error.isHidden()
    assert "1001 is an internal number" in composer.to_error.text()
    assert not composer.in_flight
    assert not env.sim.sms


def test_low_balance_is_said_plainly(qapp, tmp_path: Path):
    with qt_asyncio_loop(qapp):
        environment = Env(qapp, tmp_path, sms_balance=1)
        try:
            composer = environment.compose(["0532 411 80 27"])
            loaded(qapp, composer)
            composer.text_edit.setPlainText(TURKISH_LONG)
            wait(qapp, lambda: "too low" in composer.balance_label.text())
            assert composer.balance_label.text() == "Balance too low: 1"
            assert composer.balance_too_low()
            assert "not enough for this message (2 SMS)" in composer.hint_label.text()
            shoot(composer, "sms-composer-low-balance.png")
        finally:
            environment.close()


def test_a_rejected_token_keeps_the_message_until_it_is_fixed(qapp, env: Env):
    env.token = "not-the-token"
    composer = env.compose(["0532 411 80 27"])
    wait(qapp, lambda: "Balance: unknown" in composer.balance_label.text()
         and composer.sender_combo.currentText() == "DEMOFIRMA")
    composer.text_edit.setPlainText("Merhaba")
    composer.send_button.click()
    wait(qapp, lambda: "kept" in composer.notice.text())
    assert composer.token_row.isVisibleTo(composer)
    assert "SMS token rejected" in composer.notice.text()
    [message] = composer.messages()
    assert message.state is SmsState.QUEUED
    assert not env.sim.sms
    shoot(composer, "sms-composer-token-rejected.png")
    composer.token_edit.setText(env.sim.cfg.sms_token)
    composer.token_save.click()
    wait(qapp, lambda: composer.messages()[0].state in (SmsState.SENT, SmsState.DELIVERED))
    assert len(env.sim.sms) == 1


def test_an_unconfirmed_send_asks_the_agent(qapp, env: Env):
    env.sim.fault("/api/message/send", "timeout")
    composer = env.compose(["0532 411 80 27"])
    loaded(qapp, composer)
    composer.text_edit.setPlainText("Merhaba")
    composer.send_button.click()
    wait(qapp, lambda: composer.again_button.isVisibleTo(composer))
    assert "Was this SMS sent?" in composer.notice.text()
    assert env.notified
    assert env.notified[-1][0] == "SMS not confirmed"
    shoot(composer, "sms-composer-not-confirmed.png")
    composer.dont_button.click()
    wait(qapp, lambda: composer.messages()[0].state is SmsState.CANCELLED)
    assert not env.sim.sms


def test_delivery_updates_reach_the_history_list(qapp, env: Env):
    history = env.service.show_history()
    env.windows.append(history)
    composer = env.compose(["0532 411 80 27"], context={"name": "Ayşe Demir"})
    loaded(qapp, composer)
    composer.text_edit.setPlainText("Toplantı yarın 10:00")
    composer.send_button.click()
    model = history.model

    def status() -> str:
        return model.data(model.index(0, 4)) if model.rowCount() else ""

    seen: set[str] = set()
    wait(qapp, lambda: seen.add(status()) or status() == "Delivered")
    assert "Delivered" in seen
    assert {"Sent", "Waiting to send", "Sending…"} & seen  # it went through the states live
    assert model.data(model.index(0, 1)) == "Ayşe Demir (0532 411 80 27)"
    assert model.data(model.index(0, 2)) == "Toplantı yarın 10:00"
    # A failed send and a question for the agent, for the screenshot.
    env.sim.fault("/api/message/send", "timeout")
    second = env.compose(["0542 773 05 16"])
    loaded(qapp, second)
    second.text_edit.setPlainText("Adres bilgimiz: Atatürk Cd. No: 12, Nilüfer/Bursa")
    second.send_button.click()
    wait(qapp, lambda: any(m.state is SmsState.NEEDS_AGENT for m in model.messages()))
    third = env.compose(["0555 123 45 67"])
    loaded(qapp, third)
    third.text_edit.setPlainText("")
    third.text_edit.setPlainText("x" * 10)
    env.sim.cfg.sms_balance = 0
    env.sim._sms_api.credits = 0
    third.send_button.click()
    wait(qapp, lambda: any(m.state is SmsState.FAILED for m in model.messages()))
    row = next(i for i, m in enumerate(model.messages()) if m.state is SmsState.NEEDS_AGENT)
    history.table.selectRow(row)
    wait(qapp, lambda: history.again_button.isVisibleTo(history))
    assert "Was this SMS sent?" in history.detail.text()
    history.resize(820, 460)
    shoot(history, "sms-history.png")
    history.again_button.click()
    env.sim._sms_api.credits = 100
    wait(qapp, lambda: model.messages()[row].state in (SmsState.SENT, SmsState.DELIVERED))


THREE = ["0532 411 80 27", "0542 773 05 16", "0555 123 45 67"]


def sends(env: Env) -> int:
    return len([r for r in env.sim.received if r["path"] == "/api/message/send"])


def test_a_partial_failure_leaves_only_the_refused_in_to_and_never_charges_twice(
        qapp, tmp_path: Path):
    """Credit for two of three: the two leave "To" and show as sent; Send again
    (after a top-up) reaches only the third."""
    with qt_asyncio_loop(qapp):
        environment = Env(qapp, tmp_path, sms_balance=2)
        try:
            sim = environment.sim
            composer = environment.compose(THREE)
            composer.confirm_cost = lambda _question, go: go()
            loaded(qapp, composer)
            composer.text_edit.setPlainText("Kargonuz yola çıktı.")
            composer.send_button.click()
            wait(qapp, lambda: "Sent to 2 of 3" in composer.notice.text())
            # old code: all three stayed in "To", and Send charged the first two again
            assert composer.to_edit.text() == "0555 123 45 67"
            assert composer.to_edit.isEnabled()
            assert composer.send_button.isEnabled()
            assert composer.done_label.isVisibleTo(composer)
            assert composer.done_label.text() == "Sent: 0532 411 80 27, 0542 773 05 16"
            assert "Not sent to 0555 123 45 67: " in composer.notice.text()
            assert "Yetersiz bakiye" in composer.notice.text()
            assert sorted(m["to"] for m in sim.sms) == ["+905324118027", "+905427730516"]
            composer.resize(600, 520)
            shoot(composer, "sms-composer-partial-failure.png")
            # Typing a number that got it back into "To" is refused, not sent twice.
            composer.to_edit.setText("0532 411 80 27, 0555 123 45 67")
            composer.send_button.click()
            assert "Already sent to 0532 411 80 27" in composer.to_error.text()
            assert not composer.in_flight
            assert sends(environment) == 3
            composer.to_edit.setText("0555 123 45 67")
            sim.top_up_sms(10)
            composer.send_button.click()
            wait(qapp, lambda: len(composer.messages()) == 1
                 and composer.messages()[0].state in (SmsState.SENT, SmsState.DELIVERED))
            assert composer.messages()[0].to_key == "+905551234567"
            assert composer.notice.text().startswith("Sent")
            assert sends(environment) == 4
            assert sorted(m["to"] for m in sim.sms) == [
                "+905324118027", "+905427730516", "+905551234567"]
        finally:
            environment.close()


def test_an_unconfirmed_recipient_is_asked_about_and_the_others_leave_to(qapp, env: Env):
    """One of three sends is not confirmed and the provider has nothing: the two that
    went out leave "To"; the agent is asked about the third; nothing is resent."""
    env.sim.fault("/api/message/send", "timeout")  # the first send hangs, nothing is sent
    composer = env.compose(THREE)
    composer.confirm_cost = lambda _question, go: go()
    loaded(qapp, composer)
    composer.text_edit.setPlainText("Randevunuz yarın 14:00.")
    composer.send_button.click()
    wait(qapp, lambda: composer.again_button.isVisibleTo(composer))
    assert composer.to_edit.text() == "0532 411 80 27"
    assert not composer.to_edit.isEnabled()
    assert composer.done_label.text() == "Sent: 0542 773 05 16, 0555 123 45 67"
    assert "Was this SMS sent?" in composer.notice.text()
    assert "(To 0532 411 80 27.)" in composer.notice.text()
    composer.resize(600, 540)
    shoot(composer, "sms-composer-partial-question.png")
    composer.dont_button.click()
    wait(qapp, lambda: composer.to_edit.isEnabled())
    assert composer.to_edit.text() == ""
    assert "Not sent (your decision): 0532 411 80 27" in composer.done_label.text()
    assert sends(env) == 3
    assert len(env.sim.sms) == 2


def test_without_a_token_the_composer_asks_for_it(qapp, env: Env):
    env.token = ""
    composer = env.compose(["0532 411 80 27"])
    wait(qapp, lambda: composer.token_row.isVisibleTo(composer))
    assert "SMS is not set up" in composer.notice.text()
    composer.token_edit.setText(env.sim.cfg.sms_token)
    composer.token_save.click()
    wait(qapp, lambda: composer.balance_label.text() == "Balance: 1000")
    assert not composer.token_row.isVisibleTo(composer)
    assert env.token == env.sim.cfg.sms_token


def test_closing_finishes_the_agents_send_and_leaves_nothing_running(qapp, env: Env):
    """The app quits while a composer is still loading and a send was just clicked:
    the message is in the outbox, the reads stop, and nothing reopens the outbox
    or builds a new HTTP client after the close (a socket leaked that way)."""
    composer = env.compose(["0532 411 80 27"])   # starts senders/balance/template loads
    env.service.submit("req-1", ["0532 411 80 27"], "Kapanmadan önce", "DEMOFIRMA")
    assert any(name.startswith("sms-") for name in env.tasks.names())
    run_coroutine(qapp, env.service.close())
    assert [n for n in env.tasks.names() if n.startswith("sms-")] == []
    env.service.load_balance()
    env.service.start()
    assert [n for n in env.tasks.names() if n.startswith("sms-")] == []
    refused: list = []
    env.service.submitFailed.connect(lambda rid, why: refused.append((rid, why)))
    env.service.submit("req-2", ["0532 411 80 27"], "Çok geç", "DEMOFIRMA")
    assert [rid for rid, _why in refused] == ["req-2"]
    assert "closing" in refused[0][1]
    assert env.senders, "the composer opened the outbox"
    for sender in env.senders:
        with pytest.raises(SenderClosed):
            run_coroutine(qapp, sender.balance())
    outbox = SmsOutbox(env.path)
    try:
        assert [m.text for m in outbox.recent(10)] == ["Kapanmadan önce"]
    finally:
        outbox.close()
    composer.close()
