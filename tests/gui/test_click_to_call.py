"""The click-to-call bridge: notifications, confirmation, entry points, links.

Real widgets and a real qasync loop; the sessions are small fakes that
record the dial requests, except in the hand-over test, where a real second
process hands a ``tel:`` link over a real ``QLocalServer`` and the dial goes
to the simulator over real HTTP.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFileOpenEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

from desktop.core.caller_card import CardState
from desktop.core.dial_search import DialerSearch
from desktop.core.dialing import ClickToCall, CommandResult, DialStatus, DialTarget
from desktop.core.paths import app_paths
from desktop.core.settings import Settings
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import Flavor
from desktop.pbx.errors import AmbiguousError
from desktop.pbx.events import ReplyEvent
from desktop.pbx.rest import DialAnswer, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from desktop.ui.click_to_call import DIALER_SHORTCUT, ClickToCallBridge
from desktop.ui.dial_dialogs import DialConfirmDialog, TransferDialog
from desktop.ui.dialer import DialerWindow
from desktop.ui.single_instance import SingleInstance, server_name
from desktop.ui.tray import MessageKind
from tests.gui.cards import make_card
from tests.helpers.qt_asyncio import run_coroutine, run_until

USER = "demo@kobikom.example"
PASSWORD = "demo-password"


class FakeSession(TekilSession):
    def __init__(self, *outcomes: object) -> None:
        super().__init__(USER, PASSWORD, base_url="http://pbx.invalid")
        self.calls: list[tuple[str, str]] = []
        self.outcomes = list(outcomes)

    async def dial(self, extension: str, number: str, *, timeouts: object = None) -> DialAnswer:
        self.calls.append((extension, number))
        outcome = self.outcomes.pop(0) if self.outcomes else DialAnswer("Arama Başladı")
        if isinstance(outcome, BaseException):
            raise outcome
        assert isinstance(outcome, DialAnswer)
        return outcome


class FakeLine:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []
        self.reply: ReplyEvent | None = ReplyEvent(raw={}, command="redirect", ok=True)

    supports_commands = True
    connected = True

    async def send_command(self, command: dict[str, str], *,
                           reply_timeout: float | None = None) -> ReplyEvent | None:
        self.sent.append(dict(command))
        return self.reply


def tekil_settings() -> Settings:
    s = Settings()
    s.account.flavor = Flavor.TEKIL
    s.account.extensions = ["1001"]
    return s


@pytest.fixture
def tasks(qapp) -> Iterator[TaskSet]:
    tasks = TaskSet("click-to-call-test")
    yield tasks
    run_until(qapp, lambda: len(tasks) == 0, 5000)


class Harness:
    def __init__(self, bridge: ClickToCallBridge, session: Any, notes: list[tuple[str, str,
                 MessageKind]], dialogs: list[QDialog]) -> None:
        self.bridge = bridge
        self.session = session
        self.notes = notes
        self.dialogs = dialogs


@pytest.fixture
def make_bridge(qtbot, qloop, tasks: TaskSet) -> Callable[..., Harness]:
    def make(session: Any = None, *, settings: Settings | None = None, line: Any = None,
             clipboard: str = "") -> Harness:
        session = session if session is not None else FakeSession()
        settings = settings or tekil_settings()
        notes: list[tuple[str, str, MessageKind]] = []
        dialogs: list[QDialog] = []

        async def provide() -> Any:
            return session

        def confirm(parent: QWidget | None, target: DialTarget) -> QDialog:
            dialog = DialConfirmDialog.ask(parent, target)  # deletes itself when closed
            dialogs.append(dialog)
            return dialog

        def transfer(parent: QWidget | None, card: Any) -> QDialog:
            dialog = TransferDialog.ask(parent, card)
            dialogs.append(dialog)
            return dialog

        service = ClickToCall(settings=lambda: settings, session=provide, line=lambda: line)
        bridge = ClickToCallBridge(
            service, tasks=tasks, notify=lambda t, x, k: notes.append((t, x, k)),
            search=lambda: DialerSearch(None, None), confirm_dialog=confirm,
            transfer_dialog=transfer, clipboard_text=lambda: clipboard)
        return Harness(bridge, session, notes, dialogs)

    return make


def dial(qtbot, harness: Harness, text: str, source: str = "test") -> Any:
    with qtbot.waitSignal(harness.bridge.dialFinished, timeout=10_000) as finished:
        harness.bridge.dial(text, source=source)
    return finished.args[0]


# ---------------------------------------------------------------- results as notifications


def test_started_call_is_announced(qtbot, make_bridge) -> None:
    h = make_bridge()
    result = dial(qtbot, h, "tel:+90-532-123-45-67")
    assert result.status is DialStatus.STARTED
    assert h.session.calls == [("1001", "05321234567")]
    assert h.notes == [("Calling 0532 123 45 67",
                        "Your phone (1001) is ringing; then 0532 123 45 67 will be called.",
                        MessageKind.INFO)]


def test_may_have_started_is_a_warning_in_plain_words(qtbot, make_bridge) -> None:
    h = make_bridge(FakeSession(AmbiguousError("no answer in time")))
    dial(qtbot, h, "05321234567")
    assert h.notes == [("The call may have started",
                        "The server did not answer in time; the call may have started — "
                        "check your phone before trying again.", MessageKind.WARNING)]
    assert len(h.session.calls) == 1


def test_invalid_input_says_why_and_sends_nothing(qtbot, make_bridge) -> None:
    h = make_bridge()
    dial(qtbot, h, "0532 123 45 6")
    dial(qtbot, h, "Merhaba, yarın ararım")
    assert h.session.calls == []
    assert h.notes == [
        ("Cannot call", "“0532 123 45 6” is not a valid phone number.", MessageKind.WARNING),
        ("Cannot call", "“Merhaba, yarın ararım” contains no phone number.",
         MessageKind.WARNING),
    ]


def test_call_back_twice_dials_once_and_announces_once(qtbot, make_bridge) -> None:
    h = make_bridge()
    card = make_card(state=CardState.ENDED, number="905321234567")
    results: list[Any] = []
    h.bridge.dialFinished.connect(results.append)
    h.bridge.call_back(card)
    h.bridge.call_back(card)  # the double-click
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10_000)
    assert sorted(r.status.value for r in results) == ["duplicate", "started"]
    assert h.session.calls == [("1001", "05321234567")]
    assert len(h.notes) == 1


# ---------------------------------------------------------------- confirmation


def test_international_number_asks_first_then_calls(qtbot, make_bridge) -> None:
    h = make_bridge()
    results: list[Any] = []
    h.bridge.dialFinished.connect(results.append)
    h.bridge.dial("+44 20 7946 0958", source="dialer")
    qtbot.waitUntil(lambda: bool(h.dialogs) and h.dialogs[0].isVisible())
    dialog = h.dialogs[0]
    assert isinstance(dialog, DialConfirmDialog)
    assert dialog.title_label.text() == "Call an international number?"
    assert dialog.number_label.text() == "+44 20 7946 0958"
    assert dialog.text_label.text() == ("This number is in United Kingdom. International calls "
                                        "may cost more.")
    assert dialog.cancel_button.isDefault()
    # open(), not exec(): no nested event loop, and the rest of the app stays usable
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    assert h.session.calls == []  # nothing before the agent says yes
    qtbot.mouseClick(dialog.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results[0].status is DialStatus.STARTED
    assert h.session.calls == [("1001", "00442079460958")]


def test_premium_number_cancelled_sends_nothing(qtbot, make_bridge) -> None:
    h = make_bridge()
    results: list[Any] = []
    h.bridge.dialFinished.connect(results.append)
    h.bridge.dial("0900 123 45 67", source="clipboard")
    qtbot.waitUntil(lambda: bool(h.dialogs) and h.dialogs[0].isVisible())
    dialog = h.dialogs[0]
    assert isinstance(dialog, DialConfirmDialog)
    assert dialog.title_label.text() == "Call a premium-rate number?"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results[0].status is DialStatus.CANCELLED
    assert h.session.calls == []
    assert h.notes == []


def test_confirmation_can_be_switched_off(qtbot, make_bridge) -> None:
    settings = tekil_settings()
    settings.dial.confirm_international = False
    h = make_bridge(settings=settings)
    result = dial(qtbot, h, "+44 20 7946 0958")
    assert result.status is DialStatus.STARTED
    assert h.dialogs == []


def test_confirm_always_asks_even_for_an_ordinary_number(qtbot, make_bridge) -> None:
    """The dial hotkey: the agent sees the selected number before the phone rings."""
    h = make_bridge()
    results: list[Any] = []
    h.bridge.dialFinished.connect(results.append)
    h.bridge.dial("Ayşe: 0 (532) 123 45 67", source="hotkey", confirm_always=True)
    qtbot.waitUntil(lambda: bool(h.dialogs) and h.dialogs[0].isVisible())
    dialog = h.dialogs[0]
    assert isinstance(dialog, DialConfirmDialog)
    assert dialog.title_label.text() == "Call this number?"
    assert dialog.number_label.text() == "0532 123 45 67"
    assert dialog.cancel_button.isDefault()
    assert h.session.calls == []
    qtbot.mouseClick(dialog.call_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results[0].status is DialStatus.STARTED
    assert h.session.calls == [("1001", "05321234567")]


def test_confirm_always_keeps_the_costly_warning(qtbot, make_bridge) -> None:
    h = make_bridge()
    h.bridge.dial("+44 20 7946 0958", source="hotkey", confirm_always=True)
    qtbot.waitUntil(lambda: bool(h.dialogs) and h.dialogs[0].isVisible())
    assert h.dialogs[0].title_label.text() == "Call an international number?"
    h.dialogs[0].reject()


def test_confirm_always_still_refuses_text_without_a_number(qtbot, make_bridge) -> None:
    h = make_bridge()
    results: list[Any] = []
    h.bridge.dialFinished.connect(results.append)
    h.bridge.dial("merhaba dünya", source="hotkey", confirm_always=True)
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    assert results[0].status is DialStatus.INVALID
    assert h.dialogs == []
    assert h.notes  # the agent is told why


# ---------------------------------------------------------------- entry points


def test_dial_number_from_clipboard(qtbot, make_bridge) -> None:
    h = make_bridge(clipboard="Müşteri: Ayşe Hanım, 0 (532) 123 45 67, öğleden sonra")
    assert h.bridge.clipboard_action.text() == "Dial number from clipboard"
    with qtbot.waitSignal(h.bridge.dialFinished, timeout=10_000):
        h.bridge.clipboard_action.trigger()
    assert h.session.calls == [("1001", "05321234567")]


def test_empty_clipboard_says_so(make_bridge) -> None:
    h = make_bridge(clipboard="  ")
    h.bridge.dial_clipboard()
    assert h.notes == [("Nothing to call", "The clipboard holds no text.",
                        MessageKind.WARNING)]


def test_dialer_action_and_shortcut_open_the_dialer(qtbot, qapp, make_bridge) -> None:
    h = make_bridge()
    assert h.bridge.dial_action.text() == "Dial…"
    assert h.bridge.dial_action.shortcut().toString() == DIALER_SHORTCUT
    shortcut = h.bridge.install_shortcut(qapp)
    other = QLineEdit()  # any window of the app that has the focus
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    other.setFocus()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    with qtbot.waitSignal(h.bridge.dialerOpened) as opened:
        QTest.keyClick(other, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialer = opened.args[0]
    assert isinstance(dialer, DialerWindow)
    qtbot.addWidget(dialer)
    assert dialer.isVisible()
    shortcut.setEnabled(False)


def test_dialer_request_goes_through_the_flow(qtbot, make_bridge) -> None:
    h = make_bridge()
    h.bridge.show_dialer("05321234567")
    dialer = h.bridge.dialer()
    assert dialer is not None
    qtbot.addWidget(dialer)
    with qtbot.waitSignal(h.bridge.dialFinished, timeout=10_000):
        dialer.dialRequested.emit("05321234567")
    assert h.session.calls == [("1001", "05321234567")]


def test_link_arguments_dial_the_first_only(qtbot, make_bridge) -> None:
    h = make_bridge()
    with qtbot.waitSignal(h.bridge.dialFinished, timeout=10_000):
        assert h.bridge.dial_arguments(["callto:+905321234567", "tel:+905331234567"])
    assert h.session.calls == [("1001", "05321234567")]
    assert not h.bridge.dial_arguments([])
    assert not h.bridge.dial_arguments(["   "])


def test_no_link_handler_outside_macos(qtbot, qapp, make_bridge) -> None:
    """Elsewhere links come as arguments: nothing is installed, nothing watches events."""
    h = make_bridge()
    assert not h.bridge.install_url_handler(qapp, platform="linux")
    with qtbot.assertNotEmitted(h.bridge.dialFinished, wait=200):
        QApplication.sendEvent(qapp, QFileOpenEvent(QUrl("tel:+90-532-123-45-67")))
    assert h.session.calls == []


def test_macos_links_reach_the_dialer_without_an_event_filter(qtbot, qapp,
                                                              make_bridge) -> None:
    """On macOS Qt hands an opened link to the URL handler of its scheme."""
    h = make_bridge()
    assert h.bridge.install_url_handler(qapp, platform="darwin")
    try:
        with qtbot.waitSignal(h.bridge.dialFinished, timeout=10_000):
            assert QDesktopServices.openUrl(QUrl("tel:+90-532-123-45-67"))
        assert h.session.calls == [("1001", "05321234567")]
    finally:
        h.bridge.remove_url_handler()


# ---------------------------------------------------------------- live-call commands


def test_transfer_asks_for_the_extension(qtbot, make_bridge) -> None:
    line = FakeLine()
    h = make_bridge(line=line)
    card = make_card(call_id="1520317155.59", state=CardState.ANSWERED, name="Ayşe Yılmaz",
                     contact_id=1)
    h.bridge.transfer(card)
    dialog = h.dialogs[0]
    assert isinstance(dialog, TransferDialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.extension_edit, "10a02")  # letters are not accepted
    assert dialog.extension == "1002"
    with qtbot.waitSignal(h.bridge.commandFinished, timeout=10_000) as done:
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    result: CommandResult = done.args[0]
    assert result.ok
    assert line.sent == [{"command": "redirect", "exten": "1002",
                          "unique_id": "1520317155.59", "crm_id": ""}]
    assert h.notes == []


def test_hang_up_refused_is_shown(qtbot, make_bridge) -> None:
    line = FakeLine()
    line.reply = ReplyEvent(raw={}, command="hangup", ok=False, message="Çağrı bulunamadı")
    h = make_bridge(line=line)
    with qtbot.waitSignal(h.bridge.commandFinished, timeout=10_000):
        h.bridge.hang_up(make_card(call_id="1.2", state=CardState.ANSWERED))
    assert line.sent == [{"command": "hangup", "unique_id": "1.2", "crm_id": ""}]
    assert h.notes == [("Hang-up failed", "The PBX refused: Çağrı bulunamadı",
                        MessageKind.WARNING)]


# ---------------------------------------------------------------- tel: from a second launch


@pytest.fixture
def tekil_sim(qapp, qloop) -> Iterator[Simulator]:
    sim = Simulator(SimulatorConfig(flavor="tekil"))
    run_coroutine(qapp, sim.start())
    yield sim
    run_coroutine(qapp, sim.stop())


def test_tel_link_from_a_second_process_is_dialled_by_the_running_instance(
        qtbot, qapp, make_bridge, tekil_sim: Simulator, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("KOBIKOM_DESKTOP_HOME", str(home))
    name = server_name(str(app_paths().ensure().data_dir))
    instance = SingleInstance(name)
    assert instance.listen()
    session = TekilSession(USER, PASSWORD, base_url=tekil_sim.http_base)
    h = make_bridge(session)
    results: list[Any] = []
    h.bridge.dialFinished.connect(results.append)
    instance.messageReceived.connect(lambda message: h.bridge.dial_arguments(message["argv"]))
    env = dict(os.environ, KOBIKOM_DESKTOP_HOME=str(home))
    second = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "tel:+90-532-123-45-67"], env=env,
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        assert run_until(qapp, lambda: second.poll() is not None, 30_000)
        _out, err = second.communicate()
        assert second.returncode == 0, err
        assert time.monotonic() - started < 30
        qtbot.waitUntil(lambda: bool(results), timeout=15_000)
    finally:
        if second.poll() is None:
            second.kill()
            second.wait()
        instance.close()
        run_coroutine(qapp, session.aclose())
    assert results[0].status is DialStatus.STARTED
    dials = [r for r in tekil_sim.received if r["path"] == "/central/dial"]
    assert [d["form"] for d in dials] == [{"extension": "1001", "number": "05321234567"}]
    assert h.notes[0][0] == "Calling 0532 123 45 67"


def test_second_launch_without_account_shows_not_set_up(qtbot, make_bridge) -> None:
    settings = tekil_settings()
    settings.account.extensions = []
    h = make_bridge(settings=settings)
    dial(qtbot, h, "tel:+905321234567", source="link")
    assert h.notes[0][0] == "Click-to-call is not set up"
    assert QGuiApplication.instance() is not None


# ---------------------------------------------------------------- tel: link registration


def test_tel_link_setting_follows_the_settings_file(qtbot, qloop, tasks: TaskSet,
                                                    tmp_path: Path) -> None:
    from desktop.core.settings import save_settings
    from desktop.core.tel_links import TelLinkResult
    from desktop.ui.click_to_call import TelLinkSettings

    calls: list[bool] = []

    def apply(enable: bool, *, icon: str | None = None) -> TelLinkResult:
        calls.append(enable)
        return TelLinkResult(enable)

    config = tmp_path / "settings.toml"
    settings = Settings()
    save_settings(settings, config)
    links = TelLinkSettings(config, tasks=tasks, apply=apply)
    with qtbot.waitSignal(links.applied, timeout=5000):
        links.start(False)
    settings.ui.register_tel_links = True
    with qtbot.waitSignal(links.applied, timeout=5000) as applied:
        save_settings(settings, config)  # what the Settings dialog does (atomic rename)
    assert applied.args[0].enabled
    settings.ui.register_tel_links = False
    with qtbot.waitSignal(links.applied, timeout=5000):
        save_settings(settings, config)
    assert calls == [False, True, False]
    save_settings(settings, config)  # unchanged: nothing applied again
    qtbot.wait(600)
    assert calls == [False, True, False]


def test_tel_link_failure_is_reported(qtbot, qloop, tasks: TaskSet, tmp_path: Path) -> None:
    from desktop.core.tel_links import TelLinkError
    from desktop.ui.click_to_call import TelLinkSettings

    def apply(enable: bool, *, icon: str | None = None) -> Any:
        raise TelLinkError("cannot write /x/kobikom-desktop.desktop: Permission denied")

    links = TelLinkSettings(tmp_path / "none.toml", tasks=tasks, apply=apply)
    with qtbot.waitSignal(links.failed, timeout=5000) as failed:
        links.start(True)
    assert "Permission denied" in failed.args[0]
