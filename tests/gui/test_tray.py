"""The tray icon, its tooltip and menu (QSystemTrayIcon works offscreen, only invisibly)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui.tray import PAINT_GATE_MAX_MS, MenuSection, TrayController
from tests.gui.cards import NOW, FakeClock, make_card


@pytest.fixture
def tray(qapp, clock: FakeClock):
    controller = TrayController(clock=clock)
    controller.set_extension("1001")
    yield controller
    controller.hide()


def _image(controller: TrayController, size: int = 32) -> QImage:
    return controller.icon().pixmap(size, size).toImage()


def _entries(controller: TrayController) -> list[tuple[str, bool]]:
    """(text, enabled) of the visible menu entries; separators as "---"."""
    out = []
    for action in controller.menu().actions():
        if not action.isVisible():
            continue
        out.append(("---", False) if action.isSeparator() else (action.text(), action.isEnabled()))
    return out


# ---------------------------------------------------------------- the icon


def test_icon_says_the_connection_state(tray: TrayController) -> None:
    images = {}
    for phase in Phase:
        tray.set_connection(ConnectionState(phase, since=NOW))
        images[phase] = _image(tray)
        assert not tray.icon().isNull()
    assert images[Phase.CONNECTING] == images[Phase.RECONNECTING]
    distinct = [images[p] for p in (Phase.CONNECTED, Phase.CONNECTING, Phase.DISCONNECTED,
                                    Phase.AUTH_FAILED)]
    for i, a in enumerate(distinct):
        for b in distinct[i + 1:]:
            assert a != b


def test_icon_has_every_size_at_1x_and_2x(tray: TrayController) -> None:
    icon = tray.icon()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(s, s) for s in (16, 22, 24, 32, 48, 64)} <= sizes
    crisp = icon.pixmap(QSize(32, 32), 2.0)
    assert crisp.devicePixelRatio() == 2.0
    assert crisp.width() == 64


def test_missed_badge(tray: TrayController) -> None:
    tray.set_connection(ConnectionState(Phase.CONNECTED, since=NOW))
    plain = _image(tray)
    tray.set_missed(3)
    three = _image(tray)
    tray.set_missed(12)
    many = _image(tray)
    assert plain != three != many
    assert tray.look().badge == "9+"
    assert "12 missed calls" in tray.tool_tip()
    assert ("12 missed calls", False) in _entries(tray)
    tray.set_missed(0)
    assert _image(tray) == plain
    assert "missed" not in tray.tool_tip()


def test_demo_marker(tray: TrayController) -> None:
    plain = _image(tray)
    tray.set_demo(True)
    assert _image(tray) != plain
    assert "(demo mode)" in tray.tool_tip()


def test_ringing_animates_and_stops(tray: TrayController, qtbot) -> None:
    tray.set_connection(ConnectionState(Phase.CONNECTED, since=NOW))
    idle = _image(tray)
    tray.set_ringing(True)
    first = _image(tray)
    assert first != idle
    qtbot.waitUntil(lambda: tray.look().ring_frame == 1, timeout=3000)
    assert _image(tray) != first
    tray.set_ringing(False)
    assert _image(tray) == idle


# ---------------------------------------------------------------- words


def test_tooltip_and_menu_give_the_reason(tray: TrayController, clock: FakeClock,
                                          qtbot) -> None:
    tray.set_connection(ConnectionState(Phase.RECONNECTING, reason="connection refused",
                                        retry_in=5, endpoint="pbx:8990", since=clock.now))
    tip = tray.tool_tip()
    assert tip.startswith("Kobikom Desktop\n")
    assert "Extension 1001 · Not connected: connection refused; retrying in 5 s" in tip
    assert tray.status_text() == "Extension 1001 · Not connected"
    assert tray.reason_text() == "connection refused; retrying in 5 s"
    clock.advance(3)
    qtbot.waitUntil(lambda: "retrying in 2 s" in tray.tool_tip(), timeout=3000)
    clock.advance(5)
    qtbot.waitUntil(lambda: "retrying now…" in tray.reason_text(), timeout=3000)


def test_connected_has_no_reason_line(tray: TrayController) -> None:
    tray.set_connection(ConnectionState(Phase.CONNECTED, endpoint="pbx:8990", since=NOW))
    assert tray.status_text() == "Extension 1001 · Connected"
    assert tray.reason_text() == ""
    assert tray.tool_tip() == "Kobikom Desktop\nExtension 1001 · Connected"


def test_login_rejected_counts_in_minutes(tray: TrayController) -> None:
    tray.set_connection(ConnectionState(Phase.AUTH_FAILED, reason="login rejected: bad key",
                                        retry_in=300, since=NOW))
    assert tray.status_text() == "Extension 1001 · Login rejected"
    assert tray.reason_text() == "login rejected: bad key; retrying in 5 min"


def test_reason_is_never_markup(tray: TrayController) -> None:
    tray.set_connection(ConnectionState(Phase.RECONNECTING, reason="<b>R&D</b> said no",
                                        since=NOW))
    assert "<" not in tray.tool_tip()
    assert "‹b›R&D‹/b› said no" in tray.tool_tip()
    assert tray.reason_text() == "<b>R&D</b> said no"  # menus show text literally...
    assert "&&" in tray.menu().actions()[1].text()  # ...once "&" is not a mnemonic


def test_long_reasons_are_shortened(tray: TrayController) -> None:
    tray.set_connection(ConnectionState(Phase.RECONNECTING, reason="x" * 500, since=NOW))
    assert len(tray.reason_text()) <= 80
    assert tray.reason_text().endswith("…")


def test_menu_entries(tray: TrayController) -> None:
    tray.set_connection(ConnectionState(Phase.CONNECTING, since=NOW))
    assert _entries(tray) == [
        ("Extension 1001 · Connecting…", False),
        ("---", False),
        ("---", False),
        ("Settings…", True),
        ("Contacts…", True),
        ("Demo mode", True),
        ("About", True),
        ("---", False),
        ("Quit", True),
    ]
    demo = tray.status_actions.demo
    assert demo.isCheckable()
    assert not demo.isChecked()


@pytest.mark.parametrize(
    ("action", "signal"),
    [("settings", "settingsRequested"), ("contacts", "contactsRequested"),
     ("about", "aboutRequested"), ("quit", "quitRequested")],
)
def test_menu_entries_emit(tray: TrayController, qtbot, action: str, signal: str) -> None:
    with qtbot.waitSignal(getattr(tray, signal)):
        getattr(tray.status_actions, action).trigger()


def test_demo_toggle(tray: TrayController, qtbot) -> None:
    with qtbot.waitSignal(tray.demoToggled) as blocker:
        tray.status_actions.demo.trigger()
    assert blocker.args == [True]
    assert tray.look().demo
    with qtbot.assertNotEmitted(tray.demoToggled):
        tray.set_demo(False)  # the app reflecting the state is not a toggle
    assert not tray.status_actions.demo.isChecked()


def test_left_click_activates(tray: TrayController, qtbot) -> None:
    with qtbot.waitSignal(tray.activated):
        tray._tray.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.assertNotEmitted(tray.activated):
        tray._tray.activated.emit(QSystemTrayIcon.ActivationReason.Context)


def test_later_features_plug_into_sections(tray: TrayController) -> None:
    dial = QAction("Dial…")
    recent = QAction("Recent calls…")
    log = QAction("Open log folder")
    update = QAction("Check for updates")
    tray.add_action(dial)
    tray.add_action(recent, MenuSection.CALLS)
    tray.add_action(log, MenuSection.WINDOWS)
    tray.add_action(update, MenuSection.APP)
    assert [text for text, _ in _entries(tray)] == [
        "Extension 1001 · Disconnected", "---", "Dial…", "Recent calls…", "---", "Settings…",
        "Contacts…", "Open log folder", "Demo mode", "About", "Check for updates", "---",
        "Quit",
    ]


def test_messages_need_a_tray(tray: TrayController) -> None:
    # Offscreen there is no tray: the controller says so instead of failing silently.
    assert not tray.is_available()
    assert tray.show_message("Missed call", "0532 123 45 67") is False


# ---------------------------------------------------------------- cost: repaint only what is seen


class FakeGate(QObject):
    """A popup manager as the tray sees it: a frame may be pending."""

    framesShown = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.pending = False

    def frame_pending(self) -> bool:
        return self.pending


def test_the_icon_is_not_repainted_for_a_count_it_does_not_show(tray: TrayController) -> None:
    looks: list[object] = []
    tray.lookChanged.connect(looks.append)
    tray.set_missed(10)
    icon = tray.icon().cacheKey()
    for count in range(11, 300):
        tray.set_missed(count)
    assert len(looks) == 1  # "9+" for all of them: one repaint
    assert tray.icon().cacheKey() == icon
    assert "299 missed calls" in tray.tool_tip()  # the words still say the number


def test_the_tray_waits_for_the_popup_to_paint(tray: TrayController, qtbot) -> None:
    gate = FakeGate()
    tray.set_paint_gate(gate)
    gate.pending = True
    tray.set_ringing(True)
    assert tray.repaint_held()
    assert not tray.look().ringing  # not before the popup is on screen
    gate.pending = False
    gate.framesShown.emit()
    assert not tray.look().ringing  # one turn of the event loop later: after the flush
    qtbot.waitUntil(lambda: tray.look().ringing, timeout=1000)
    assert not tray.repaint_held()


def test_the_tray_waits_for_a_popup_only_so_long(tray: TrayController, qtbot) -> None:
    gate = FakeGate()
    tray.set_paint_gate(gate)
    gate.pending = True  # a popup that never paints (e.g. hidden at once)
    tray.set_missed(2)
    assert tray.look().badge == ""
    gate.pending = False
    qtbot.waitUntil(lambda: tray.look().badge == "2", timeout=PAINT_GATE_MAX_MS * 4)


def test_the_tray_repaints_after_a_real_popup_painted(tray: TrayController, qtbot, qapp,
                                                      make_manager) -> None:
    manager = make_manager()
    tray.set_paint_gate(manager)
    order: list[str] = []
    manager.framesShown.connect(lambda: order.append("popup painted"))
    tray.lookChanged.connect(lambda look: order.append(f"tray ringing={look.ringing}"))
    popup = manager.show_card(make_card("c1"))
    assert manager.frame_pending()
    tray.set_ringing(True)  # what the app does right after show_card
    qtbot.waitUntil(lambda: tray.look().ringing, timeout=2000)
    assert order[:2] == ["popup painted", "tray ringing=True"], order
    assert popup.isVisible()


def test_calls_without_a_popup_are_summed_up(tray: TrayController) -> None:
    tray.set_overflow(1)
    assert ("1 more call without a popup", False) in _entries(tray)
    tray.set_overflow(2)
    assert "2 more calls without a popup" in tray.tool_tip()
    tray.set_overflow(0)
    assert "without a popup" not in tray.tool_tip()
    assert not any("without a popup" in text for text, _ in _entries(tray))


def test_no_timer_runs_while_no_call_rings(tray: TrayController, qtbot) -> None:
    tray.set_connection(ConnectionState(Phase.CONNECTED, since=NOW))
    tray.set_ringing(True)
    assert any(t.isActive() for t in tray.findChildren(QTimer))
    tray.set_ringing(False)
    tray.set_missed(3)
    qtbot.wait(10)
    assert [t for t in tray.findChildren(QTimer) if t.isActive()] == []


def test_what_does_not_work_besides_the_line_is_shown(tray: TrayController) -> None:
    """A failing company directory or an unavailable hotkey: in the tooltip and the menu."""
    text = ("LDAP directory not reachable: ldap://dc1: cannot connect\n"
            "Another program already uses this key combination. Choose another one.")
    tray.set_problems(text)
    assert "LDAP directory not reachable: ldap://dc1: cannot connect" in tray.tool_tip()
    assert "Another program already uses this key combination" in tray.tool_tip()
    entries = _entries(tray)
    for line in text.splitlines():  # one menu line each: the menu stays narrow
        assert (line, False) in entries
    many = "\n".join(f"problem {n}" for n in range(5))
    tray.set_problems(many)
    entries = _entries(tray)
    assert ("problem 0", False) in entries
    assert ("problem 2; problem 3; problem 4", False) in entries  # none lost
    tray.set_problems("")
    assert "not reachable" not in tray.tool_tip()
    assert not any("not reachable" in entry for entry, _ in _entries(tray))
