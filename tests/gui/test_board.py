"""The team and queue board's window, live against the simulator (issue 15 §1).

Wired as the app wires it (``desktop/app.py``: ``_wire_board``): the line
supervisor runs a real channel to an in-process simulator on loopback, the
board hears its events through the supervisor's fan-out, reads the team
over real HTTP, and the window, the strip and a real tray controller show
it.  States are driven through the simulator; clicks go through the views
(``QTest`` on the cells, as an agent clicks them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QPaintEvent, QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from desktop.core.calls import RecentDials
from desktop.core.dialing import ClickToCall
from desktop.core.line_supervisor import LineSpec, LineSupervisor
from desktop.core.settings import Settings
from desktop.core.tasks import TaskSet
from desktop.core.team_model import Presence
from desktop.pbx.channels import ChannelTiming, Credentials
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from desktop.ui.board_model import AbandonedModel, ColleagueModel, QueueModel
from desktop.ui.board_service import BoardService
from desktop.ui.board_window import ElidedLabel
from desktop.ui.bridges import LineBridge
from desktop.ui.tray import TrayController
from tests.helpers.qt_asyncio import run_coroutine, run_until

USER, PASSWORD, API_KEY = "demo@kobikom.example", "demo-password", "demo-api-key"
CUSTOMER = "05324118027"
TIMING = ChannelTiming(connect_timeout=5.0, write_timeout=5.0, idle_timeout=None,
                       ping_interval=None, ping_timeout=None, watchdog_tick=0.1,
                       early_close_window=2.0, auth_reply_window=2.0)
WAIT_MS = 15_000


@dataclass
class Harness:
    sim: Simulator
    service: BoardService
    supervisor: LineSupervisor
    tray: TrayController
    settings: Settings
    dialled: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def window(self) -> Any:
        return self.service.window

    def row(self, extension: str) -> int:
        model = self.window.colleagues
        return next(r for r in range(model.rowCount())
                    if model.view(r).extension == extension)

    def text(self, extension: str, column: int) -> str:
        model = self.window.colleagues
        return str(model.data(model.index(self.row(extension), column)) or "")

    def presence(self, extension: str) -> Presence | None:
        view = self.service.board.colleague(extension)
        return view.presence if view is not None else None


async def settled(request: Any) -> None:
    """Await a supervisor request (a future) as a coroutine for run_coroutine."""
    await request


def _harness(qapp, flavor: str) -> Iterator[Harness]:
    tekil = flavor == "tekil"
    sim = Simulator(SimulatorConfig(flavor=flavor, profile="freeswitch",  # type: ignore[arg-type]
                                    seed_history=0, random_seed=3, panel_user=USER,
                                    panel_password=PASSWORD, kobipbx_user=USER,
                                    kobipbx_password=PASSWORD, api_key=API_KEY,
                                    dial_answer_after=0.3, dial_hangup_after=30.0))
    run_coroutine(qapp, sim.start())
    settings = Settings()
    settings.account.flavor = Flavor(flavor)
    settings.account.extensions = ["1001"]
    settings.account.domain_uuid = sim.cfg.domain_uuid
    session: Any = (TekilSession(USER, PASSWORD, base_url=sim.http_base) if tekil
                    else KobiPbxSession(USER, PASSWORD, base_url=sim.http_base))
    spec = LineSpec(mode="live", flavor=Flavor(flavor),
                    transport=Transport.WS if tekil else Transport.TCP,
                    endpoint=Endpoint("127.0.0.1", sim.ports["ws" if tekil else "tcp"],
                                      tls=False),
                    credentials=Credentials(domain_uuid=sim.cfg.domain_uuid, api_key=API_KEY,
                                            crm_id="t"),
                    extensions=("1001",), domain=sim.cfg.domain_uuid)

    async def resolve() -> Any:
        return spec

    async def rest() -> Any:
        return session

    tasks = TaskSet("board-test")
    bridge = LineBridge()
    supervisor = LineSupervisor(resolve=resolve, stores=lambda: (None, None),
                                on_card=bridge.on_card, on_state=bridge.on_state,
                                channel_options=lambda: {"timing": TIMING})
    c2c = ClickToCall(settings=lambda: settings, session=rest, line=lambda: supervisor.line,
                      dials=RecentDials())
    harness_box: list[Harness] = []
    service = BoardService(
        settings=lambda: settings, session=rest, identity=lambda: (flavor,),
        line=lambda: supervisor.line, tasks=tasks,
        dial=lambda number: harness_box[0].dialled.append(number), transfer=c2c.transfer,
        notify=lambda title, text: harness_box[0].notes.append((title, text)),
        name_for={CUSTOMER: "Yıldız Lojistik"}.get)
    tray = TrayController()
    service.waitingChanged.connect(tray.set_waiting)
    supervisor.add_event_listener(service.feed)
    bridge.stateChanged.connect(service.line_state)
    bridge.cardChanged.connect(service.on_card)
    harness = Harness(sim, service, supervisor, tray, settings)
    harness_box.append(harness)
    try:
        run_coroutine(qapp, settled(supervisor.reconfigure("start")))
        assert run_until(qapp, lambda: supervisor.line is not None and
                         supervisor.line.state.phase is Phase.CONNECTED and
                         any(c["authenticated"] for c in sim.connected_clients()), WAIT_MS)
        assert run_until(qapp, lambda: service.board.directory.source != "", WAIT_MS)
        yield harness
    finally:
        run_coroutine(qapp, supervisor.close())
        service.close()
        tray.hide()
        run_coroutine(qapp, tasks.cancel_all())
        run_coroutine(qapp, session.aclose())
        run_coroutine(qapp, sim.stop())


@pytest.fixture
def bulut(qapp, qloop) -> Iterator[Harness]:
    yield from _harness(qapp, "bulut")


@pytest.fixture
def tekil(qapp, qloop) -> Iterator[Harness]:
    yield from _harness(qapp, "tekil")


def click(view: QTableView, index: QModelIndex) -> None:
    view.scrollTo(index)
    rect = view.visualRect(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rect.center())


def test_the_board_follows_the_simulator_and_its_buttons_act(qapp, qtbot, bulut: Harness) -> None:
    h, sim = bulut, bulut.sim
    h.service.show()
    window = h.window
    qtbot.waitExposed(window)
    model = window.colleagues
    assert [model.view(r).extension for r in range(model.rowCount())] == ["1001", "1002", "1003"]
    assert h.text("1002", ColleagueModel.NAME) == "Mehmet Kaya"
    assert h.text("1003", ColleagueModel.STATE) == "No news yet"

    # Registration, a call with a known contact, hold.
    sim.switch.register("1003", False)
    qtbot.waitUntil(lambda: h.text("1003", ColleagueModel.STATE) == "Offline", timeout=WAIT_MS)
    run_coroutine(qapp, sim.ring("1002", CUSTOMER, answer_after=0.2, hold_for=(0.8, 60)))
    qtbot.waitUntil(lambda: h.text("1002", ColleagueModel.STATE) == "In a call",
                    timeout=WAIT_MS)
    assert h.text("1002", ColleagueModel.WITH) == "Yıldız Lojistik"
    tip = model.data(model.index(h.row("1002"), ColleagueModel.WITH), Qt.ItemDataRole.ToolTipRole)
    assert "In a call with Yıldız Lojistik (05324118027)" in tip
    qtbot.waitUntil(lambda: h.text("1002", ColleagueModel.STATE) == "On hold", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: h.text("1002", ColleagueModel.TIME) not in ("", "0:00"),
                    timeout=WAIT_MS)  # the duration ticks while the window shows

    # One click on a colleague's handset calls them; one's own is disabled.
    view = window.colleague_view
    click(view, model.index(h.row("1002"), ColleagueModel.CALL))
    click(view, model.index(h.row("1001"), ColleagueModel.CALL))
    click(view, model.index(h.row("1003"), ColleagueModel.CALL))  # offline
    assert h.dialled == ["1002"]
    # KobiPBX cannot transfer: the column is absent.
    assert view.isColumnHidden(ColleagueModel.TRANSFER)

    # Search as you type (Turkish letters fold).
    window.search.setText("ZEYNEP çel")
    assert model.rowCount() == 1
    assert model.view(0).extension == "1003"
    assert window.status.text() == "1 of 3 colleagues"
    window.search.setText("100")
    assert model.rowCount() == 3
    assert window.status.text() == "3 colleagues"
    window.search.clear()

    # Queues: callers waiting (the tray badge), one gives up, "Call back".
    team = sim.switch.team
    team.wait("60000", "05321112233")
    gone = team.wait("60000", "05449998877")
    queues = window.queue_model
    qtbot.waitUntil(lambda: queues.rowCount() == 2 and
                    queues.data(queues.index(0, QueueModel.WAITING)) == "2", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: h.tray.look().waiting == "2", timeout=WAIT_MS)
    assert window.waiting_model.rowCount() == 2
    team.leave(gone.member)
    qtbot.waitUntil(lambda: window.abandoned_model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: h.tray.look().waiting == "1", timeout=WAIT_MS)
    window.tabs.setCurrentIndex(1)
    abandoned = window.abandoned_model
    callback = abandoned.index(0, AbandonedModel.CALLBACK)
    assert abandoned.data(callback) == "Call back"
    click(window.abandoned_view, callback)
    assert h.dialled == ["1002", "05449998877"]
    qtbot.waitUntil(lambda: abandoned.data(abandoned.index(0, AbandonedModel.CALLBACK)) ==
                    "Called back", timeout=WAIT_MS)
    click(window.abandoned_view, abandoned.index(0, AbandonedModel.CALLBACK))
    assert h.dialled == ["1002", "05449998877"]  # never twice

    # The badge can be switched off.
    h.settings.board.waiting_badge = False
    h.service.settings_changed()
    assert h.tray.look().waiting == ""


def test_the_strip_undocks_on_top_and_docks_back(qapp, qtbot, bulut: Harness) -> None:
    h = bulut
    h.sim.switch.team.wait("60001", "05321112233")
    h.service.show()
    window = h.window
    qtbot.waitUntil(lambda: "DESTEK-KUYRUKQ: 1 waiting" in window.strip.queue_label.full_text,
                    timeout=WAIT_MS)
    h.service.strip_action.setChecked(True)
    strip = window.strip
    assert strip.isWindow()
    assert strip.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    window.hide()
    assert strip.isVisible()  # the strip stays when the board is closed
    assert h.service._tick_timer.isActive()  # it still shows durations
    strip.close()  # closing the floating strip docks it back
    assert not strip.isWindow()
    assert not h.service.strip_action.isChecked()
    assert not h.service._tick_timer.isActive()  # nothing visible: no timer


def test_an_idle_board_runs_no_timer_and_a_hidden_one_catches_up(qapp, qtbot,
                                                                  bulut: Harness) -> None:
    h, sim = bulut, bulut.sim
    h.service.show()
    h.window.hide()
    before = h.service.flushes
    for ext in ("1002", "1003"):
        for registered in (False, True, False):
            sim.switch.register(ext, registered)
    qtbot.waitUntil(lambda: h.presence("1002") is Presence.OFFLINE and
                    h.presence("1003") is Presence.OFFLINE, timeout=WAIT_MS)
    assert h.service.flushes - before <= 2  # six events, coalesced
    qtbot.waitUntil(lambda: not h.service._flush_timer.isActive(), timeout=WAIT_MS)
    assert not h.service._tick_timer.isActive()
    # Hidden, the window's rows did not follow; shown again, they are current.
    h.service.show()
    assert h.text("1002", ColleagueModel.STATE) == "Offline"
    assert h.text("1003", ColleagueModel.STATE) == "Offline"


def test_transfer_on_the_tekil_websocket(qapp, qtbot, tekil: Harness) -> None:
    h, sim = tekil, tekil.sim
    h.service.show()
    window = h.window
    model, view = window.colleagues, window.colleague_view
    assert not view.isColumnHidden(ColleagueModel.TRANSFER)
    transfer = model.index(h.row("1002"), ColleagueModel.TRANSFER)
    assert not model.flags(transfer) & Qt.ItemFlag.ItemIsEnabled
    assert "You have no call to transfer." in model.data(transfer, Qt.ItemDataRole.ToolTipRole)
    call = run_coroutine(qapp, sim.ring("1001", CUSTOMER, answer_after=0.2))
    qtbot.waitUntil(lambda: bool(model.flags(model.index(h.row("1002"),
                                                         ColleagueModel.TRANSFER))
                                 & Qt.ItemFlag.ItemIsEnabled), timeout=WAIT_MS)
    own = model.index(h.row("1001"), ColleagueModel.TRANSFER)
    assert not model.flags(own) & Qt.ItemFlag.ItemIsEnabled
    click(view, model.index(h.row("1002"), ColleagueModel.TRANSFER))
    qtbot.waitUntil(lambda: any(c.get("command") == "redirect" for c in sim.commands),
                    timeout=WAIT_MS)
    (redirect,) = [c for c in sim.commands if c.get("command") == "redirect"]
    assert (redirect["exten"], redirect["unique_id"]) == ("1002", call)
    qtbot.waitUntil(lambda: h.presence("1002") is Presence.IN_CALL and
                    h.presence("1001") is Presence.FREE, timeout=WAIT_MS)
    assert h.notes == []
    window.tabs.setCurrentIndex(1)
    queues = window.queue_model
    assert queues.data(queues.index(0, QueueModel.WAITING)) == "–"  # Tekil reports none


class PaintSpy(QObject):
    """Records the regions a widget is asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.region = QRegion()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            assert isinstance(event, QPaintEvent)
            self.region += event.region()
            self.paints += 1
        return False


def test_the_tick_repaints_only_the_durations_on_screen(qapp, qtbot, bulut: Harness) -> None:
    h, sim = bulut, bulut.sim
    h.service.show()
    window = h.window
    qtbot.waitExposed(window)
    run_coroutine(qapp, sim.ring("1002", CUSTOMER, answer_after=0.2))
    qtbot.waitUntil(lambda: h.text("1002", ColleagueModel.STATE) == "In a call",
                    timeout=WAIT_MS)
    view, model = window.colleague_view, window.colleagues
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    try:
        qtbot.wait(300)  # what the call's events asked for is painted
        spy.region, spy.paints = QRegion(), 0
        window.tick()
        qtbot.waitUntil(lambda: spy.paints > 0, timeout=WAIT_MS)
    finally:
        view.viewport().removeEventFilter(spy)
    busy = view.visualRect(model.index(h.row("1002"), ColleagueModel.TIME))
    free = view.visualRect(model.index(h.row("1001"), ColleagueModel.TIME))
    name = view.visualRect(model.index(h.row("1002"), ColleagueModel.NAME))
    assert spy.region.contains(busy.center())
    assert not spy.region.contains(free.center())  # no duration: nothing to move
    assert not spy.region.contains(name.center())  # only the duration column


def test_the_strip_counts_agree_with_the_table_between_ticks(qapp, qtbot,
                                                             bulut: Harness) -> None:
    h, sim = bulut, bulut.sim
    h.service.show()
    window = h.window
    qtbot.waitExposed(window)
    h.service._tick_timer.stop()  # no tick: the updates alone must carry the strip along
    sim.switch.register("1001", True)
    sim.switch.register("1003", False)
    qtbot.waitUntil(lambda: h.text("1003", ColleagueModel.STATE) == "Offline", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.strip.team_label.text() ==
                    "Team: 1 free, 0 busy, 1 offline", timeout=WAIT_MS)
    assert h.text("1001", ColleagueModel.STATE) == "Free"


def test_the_queues_line_ends_in_an_ellipsis_where_it_does_not_fit(qtbot) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    text = "SATIŞ-KUYRUKQ: 2 waiting, longest 0:42   ·   <b>DESTEK</b>: 1 waiting"
    label.set_full_text(text)
    label.resize(120, 20)
    label.show()
    qtbot.waitExposed(label)
    assert label.text().endswith("…")
    assert len(label.text()) < len(text)
    assert label.full_text == text
    assert "&lt;b&gt;DESTEK&lt;/b&gt;" in label.toolTip()  # the whole line, as plain text
    label.resize(label.text_width() + 10, 20)
    qtbot.waitUntil(lambda: label.text() == text)
    assert label.toolTip() == ""
    assert label.textFormat() is Qt.TextFormat.PlainText


def test_a_quiet_refresh_retries_a_failed_team_list_only_when_it_is_old(qloop, qapp) -> None:
    """A silent TCP line is refreshed every 90 s (a new connection, still
    connected): a team list that failed for want of a panel password is not
    asked for again, nor warned about, on each refresh; a real reconnection
    and a ten-minute-old failure are retried."""
    from desktop.core.account import AccountIncomplete
    from desktop.pbx.connection import ConnectionState
    from desktop.ui.board_service import PROBLEM_RETRY

    asked: list[float] = []
    now = [1_000_000.0]

    async def no_password() -> Any:
        asked.append(now[0])
        raise AccountIncomplete("the panel e-mail and password are not set")

    tasks = TaskSet("board-quiet-test")
    service = BoardService(settings=Settings, session=no_password, identity=lambda: ("x",),
                           line=lambda: None, tasks=tasks, clock=lambda: now[0])
    try:
        def connected(n: int) -> None:
            service.line_state(ConnectionState(Phase.CONNECTED, connection=n))
            assert run_until(qapp, lambda: not service._loading and len(tasks) == 0)

        connected(1)
        assert len(asked) == 1
        assert service._problem
        for n in range(2, 8):  # six quiet refreshes, 90 s apart
            now[0] += 90.0
            connected(n)
        assert len(asked) == 1
        now[0] += PROBLEM_RETRY  # long enough: once more
        connected(8)
        assert len(asked) == 2
        service.line_state(ConnectionState(Phase.RECONNECTING))  # a real loss...
        connected(9)  # ...and back: at once
        assert len(asked) == 3
    finally:
        service.close()


def test_the_line_bridge_says_line_up_only_when_the_line_comes_back(qapp) -> None:
    from desktop.pbx.connection import ConnectionState

    bridge = LineBridge()
    ups: list[int] = []
    bridge.lineUp.connect(lambda: ups.append(1))
    for state in (ConnectionState(Phase.CONNECTING), ConnectionState(Phase.CONNECTED),
                  ConnectionState(Phase.CONNECTED, connection=2),  # a quiet refresh
                  ConnectionState(Phase.RECONNECTING), ConnectionState(Phase.CONNECTED,
                                                                      connection=3)):
        bridge.on_state(state)
    assert len(ups) == 2
