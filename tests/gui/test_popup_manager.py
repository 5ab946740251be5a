"""One popup per call, stacked on the mouse's screen, never off-screen, closing on time."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QEnterEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.core.caller_card import CardOutcome, CardState
from desktop.core.settings import PopupCorner, PopupSettings
from desktop.ui.popup import POPUP_MARGIN, CallerPopup, PopupManager
from tests.gui.cards import NOW, known_card, make_card
from tests.gui.conftest import LEFT_POINT, RIGHT_POINT


def _screen(name: str):
    return next(s for s in QGuiApplication.screens() if s.name() == name)


def _no_overlap(popups: list[CallerPopup]) -> None:
    for i, a in enumerate(popups):
        for b in popups[i + 1:]:
            assert not a.geometry().intersects(b.geometry())


def _enter(popup: CallerPopup) -> None:
    pos = QPointF(10, 10)
    QApplication.sendEvent(popup, QEnterEvent(pos, pos, QPointF(popup.mapToGlobal(pos))))


def _leave(popup: CallerPopup) -> None:
    QApplication.sendEvent(popup, QEvent(QEvent.Type.Leave))


# ---------------------------------------------------------------- one popup per call


def test_one_popup_per_call(make_manager, qtbot) -> None:
    manager = make_manager()
    shown: list[str] = []
    manager.popupShown.connect(shown.append)
    first = manager.show_card(make_card("c1"))
    qtbot.waitExposed(first)
    qtbot.waitUntil(lambda: shown == ["c1"])  # emitted from the event loop after the show
    again = manager.show_card(make_card("c1", pbx_name="offered again"))
    answered = manager.show_card(make_card("c1", CardState.ANSWERED, answered_at=NOW))
    QApplication.processEvents()  # a queued second popupShown would arrive now
    assert first is again is answered
    assert manager.popups() == [first]
    assert first.state_label.text() == "In call"
    assert shown == ["c1"]


def test_popup_shown_signal_comes_from_show(make_manager, qtbot) -> None:
    manager = make_manager()
    with qtbot.waitSignal(manager.popupShown) as blocker:
        popup = manager.show_card(make_card("c7"))
    assert blocker.args == ["c7"]
    assert popup.isVisible()


def test_popup_shown_listeners_run_after_the_show_not_inside_it(make_manager, qtbot) -> None:
    """Qt sends the show event before it maps the window: a listener run from the
    show event (a log line is a write) would delay every popup (issue 14)."""
    manager = make_manager()
    returned: list[bool] = []
    seen: list[bool] = []
    manager.popupShown.connect(lambda _call_id: seen.append(bool(returned)))
    popup = manager.show_card(make_card("c9"))
    returned.append(True)
    assert popup is not None
    assert popup.isVisible()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [True]


def test_several_calls_stack_without_overlap(make_manager, qtbot) -> None:
    manager = make_manager()
    popups = [manager.show_card(known_card(f"c{i}")) for i in range(3)]
    available = _screen("left").availableGeometry()
    assert manager.popups() == popups
    for popup in popups:
        qtbot.waitExposed(popup)
        assert available.contains(popup.geometry())
    _no_overlap(popups)
    # Bottom-right by default; the first is nearest the corner and never moves.
    first = popups[0].geometry()
    assert first.right() == available.right() - POPUP_MARGIN
    assert first.bottom() == available.bottom() - POPUP_MARGIN
    assert popups[1].geometry().bottom() < first.top()


def test_closing_one_reflows_the_rest(make_manager, qtbot) -> None:
    manager = make_manager()
    popups = [manager.show_card(make_card(f"c{i}")) for i in range(3)]
    corner_spot = popups[0].geometry()
    with qtbot.waitSignal(manager.dismissed) as blocker:
        popups[0].dismiss(by_user=True)
    assert blocker.args == ["c0"]
    assert manager.popups() == popups[1:]
    assert popups[1].geometry().bottomRight() == corner_spot.bottomRight()
    _no_overlap(popups[1:])


def test_growing_popup_pushes_the_next_one(make_manager) -> None:
    manager = make_manager()
    first = manager.show_card(make_card("c1"))
    second = manager.show_card(make_card("c2"))
    manager.show_card(make_card("c1", notes="x\n" * 5, number_notes="a much longer note"))
    _no_overlap([first, second])


def test_corner_from_live_settings(make_manager) -> None:
    settings = PopupSettings(corner=PopupCorner.TOP_LEFT)
    manager = make_manager(settings=lambda: settings)
    popup = manager.show_card(make_card("c1"))
    available = _screen("left").availableGeometry()
    assert popup.geometry().topLeft() == available.topLeft() + QPoint(POPUP_MARGIN, POPUP_MARGIN)
    settings.corner = PopupCorner.TOP_RIGHT
    manager.reflow()
    assert popup.geometry().right() == available.right() - POPUP_MARGIN


# ---------------------------------------------------------------- screens


def test_popups_go_to_the_screen_with_the_mouse(make_manager, cursor) -> None:
    cursor.point = RIGHT_POINT
    manager = make_manager()
    popup = manager.show_card(make_card("c1"))
    right = _screen("right").availableGeometry()
    assert right.contains(popup.geometry())
    assert popup.geometry().bottomRight() == right.bottomRight() - QPoint(POPUP_MARGIN,
                                                                          POPUP_MARGIN)
    # The stack stays together while it is open, even if the mouse moves...
    cursor.point = LEFT_POINT
    second = manager.show_card(make_card("c2"))
    assert right.contains(second.geometry())
    # ...and a new stack starts where the mouse is.
    manager.close_all()
    third = manager.show_card(make_card("c3"))
    assert _screen("left").availableGeometry().contains(third.geometry())


def test_popups_leave_a_screen_that_goes_away(make_manager, cursor, qapp, qtbot) -> None:
    cursor.point = RIGHT_POINT
    manager = make_manager()
    popups = [manager.show_card(make_card(f"c{i}")) for i in range(2)]
    cursor.point = LEFT_POINT
    qapp.screenRemoved.emit(_screen("right"))  # what Qt emits when a monitor is unplugged
    left = _screen("left").availableGeometry()
    qtbot.waitUntil(lambda: all(left.contains(p.geometry()) for p in popups))
    _no_overlap(popups)


def test_geometry_change_puts_popups_back_on_screen(make_manager, qtbot) -> None:
    manager = make_manager()
    popup = manager.show_card(make_card("c1"))
    popup.move(-5000, -5000)  # as if the screen under it had shrunk
    screen = _screen("left")
    screen.availableGeometryChanged.emit(screen.availableGeometry())
    qtbot.waitUntil(lambda: screen.availableGeometry().contains(popup.geometry()))


def test_reflow_into_a_smaller_area(make_manager, qtbot) -> None:
    manager = make_manager()
    popups = [manager.show_card(known_card(f"c{i}")) for i in range(3)]
    manager.show_card(make_card("m1", CardState.ENDED, outcome=CardOutcome.MISSED))
    qtbot.waitUntil(manager.missed_card_visible)
    windows = [manager.missed_card(), *popups]
    small = QRect(0, 0, 800, 420)
    manager.reflow(small)
    for window in windows:
        assert small.contains(window.geometry().topLeft())
        assert small.contains(window.geometry())
    _no_overlap(windows)


def test_popup_taller_than_the_screen_starts_on_screen(make_manager) -> None:
    manager = make_manager()
    popup = manager.show_card(known_card("c1"))
    tiny = QRect(1280, 0, 200, 60)
    manager.reflow(tiny)
    assert popup.geometry().topLeft() == tiny.topLeft()


# ---------------------------------------------------------------- closing


def test_auto_close_after_hangup(make_manager, qtbot) -> None:
    manager = make_manager(auto_close_seconds=0.05)
    popup = manager.show_card(make_card("c1", CardState.ANSWERED, answered_at=NOW))
    assert not popup.auto_close_pending()
    with qtbot.waitSignal(manager.dismissed, timeout=2000) as blocker:
        manager.show_card(make_card("c1", CardState.ENDED, outcome=CardOutcome.ANSWERED,
                                    answered_at=NOW, ended_at=NOW + 30))
    assert blocker.args == ["c1"]
    assert manager.popups() == []


def test_answered_elsewhere_closes_itself_too(make_manager, qtbot) -> None:
    manager = make_manager(auto_close_seconds=0.05)
    manager.show_card(make_card("c1"))
    with qtbot.waitSignal(manager.dismissed, timeout=2000):
        manager.show_card(make_card("c1", CardState.ENDED,
                                    outcome=CardOutcome.ANSWERED_ELSEWHERE))


def test_hover_pauses_auto_close(make_manager, qtbot) -> None:
    manager = make_manager(auto_close_seconds=0.05)
    popup = manager.show_card(make_card("c1"))
    qtbot.waitExposed(popup)
    _enter(popup)
    manager.show_card(make_card("c1", CardState.ENDED))  # hung up while the mouse is on it
    assert not popup.auto_close_pending()
    _leave(popup)
    assert popup.auto_close_pending()
    _enter(popup)
    assert not popup.auto_close_pending()
    _leave(popup)
    with qtbot.waitSignal(manager.dismissed, timeout=2000):
        pass


def test_missed_call_goes_to_the_card_that_stays_until_dismissed(make_manager, qtbot) -> None:
    manager = make_manager(auto_close_seconds=0.05)
    dismissed: list[str] = []
    manager.dismissed.connect(dismissed.append)
    ringing = manager.show_card(make_card("c1"))
    assert ringing is not None
    assert manager.show_card(make_card("c1", CardState.ENDED, outcome=CardOutcome.MISSED)) \
        is None
    qtbot.waitUntil(manager.missed_card_visible)
    assert manager.popups() == []
    assert dismissed == ["c1"]  # the ringing popup went; the card sums the call up
    card = manager.missed_card()
    assert card.title_label.text() == "1 missed call"
    qtbot.wait(200)  # four times the auto-close delay
    assert card.isVisible()
    missed: list[object] = []
    manager.missedDismissed.connect(missed.append)
    qtbot.mouseClick(card.close_button, Qt.MouseButton.LeftButton)
    assert missed == [["c1"]]
    assert manager.missed_card() is None
    # Counting starts anew; the call already summed up is not counted twice.
    manager.show_card(make_card("c1", CardState.ENDED, outcome=CardOutcome.MISSED))
    manager.show_card(make_card("c2", CardState.ENDED, outcome=CardOutcome.MISSED))
    qtbot.waitUntil(manager.missed_card_visible)
    assert manager.missed_card().title_label.text() == "1 missed call"


def test_closing_the_missed_card_from_code_is_not_the_agents_dismissal(make_manager,
                                                                       qtbot) -> None:
    manager = make_manager()
    manager.show_card(make_card("c1", CardState.ENDED, outcome=CardOutcome.MISSED))
    qtbot.waitUntil(manager.missed_card_visible)
    with qtbot.assertNotEmitted(manager.missedDismissed):
        manager.close_all()
    assert manager.missed_card() is None


def test_auto_close_zero_keeps_popups(make_manager) -> None:
    manager = make_manager(settings=PopupSettings(auto_close_seconds=0))
    popup = manager.show_card(make_card("c1", CardState.ENDED))
    assert not popup.auto_close_pending()


def test_default_auto_close_is_eight_seconds(make_manager) -> None:
    assert make_manager().auto_close_ms() == 8000


# ---------------------------------------------------------------- closed calls and the last card


def test_a_closed_call_does_not_come_back_with_late_updates(make_manager) -> None:
    manager = make_manager()
    manager.show_card(make_card("c1")).dismiss(by_user=True)
    assert manager.show_card(make_card("c1", CardState.ANSWERED)) is None
    assert manager.show_card(make_card("c1", CardState.ENDED, recording="r.wav")) is None
    assert manager.last_card().recording == "r.wav"
    # Ringing anew after it ended is a new offer: it shows.
    assert manager.show_card(make_card("c1")) is not None


def test_show_last_reopens_the_newest_card(make_manager) -> None:
    manager = make_manager()
    assert manager.last_card() is None
    assert not manager.show_last()
    manager.show_card(make_card("c1"))
    manager.show_card(make_card("c2")).dismiss(by_user=True)
    assert manager.last_card().call_id == "c2"
    assert manager.show_last()
    assert [p.call_id for p in manager.popups()] == ["c1", "c2"]


def test_disabled_popups_show_only_on_request(make_manager) -> None:
    manager = make_manager(settings=PopupSettings(enabled=False))
    assert manager.show_card(make_card("c1")) is None
    assert manager.last_card().call_id == "c1"
    assert manager.show_last()


def test_synthetic_call_merges_into_the_real_one(make_manager) -> None:
    manager = make_manager()
    synthetic = manager.show_card(make_card("ext-status:1001:1", number="", synthetic=True))
    real = manager.show_card(known_card("real-1"), replaces="ext-status:1001:1")
    assert real is synthetic
    assert [p.call_id for p in manager.popups()] == ["real-1"]
    assert real.title_label.text() == "Ayşe Yılmaz"


def test_actions_reach_open_and_new_popups(make_manager, qtbot) -> None:
    manager = make_manager()
    popup = manager.show_card(make_card("c1", CardState.ENDED))
    assert popup.call_back_button.isHidden()
    manager.set_actions(call_back=True)
    assert not popup.call_back_button.isHidden()
    with qtbot.waitSignal(manager.callBackRequested) as blocker:
        qtbot.mouseClick(popup.call_back_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].call_id == "c1"


def test_features_switch_on_their_own_buttons_independently(make_manager) -> None:
    manager = make_manager(settings=PopupSettings(auto_close_seconds=0))
    popup = manager.show_card(make_card("c1", CardState.ENDED))
    manager.set_actions(call_back=True)  # the click-to-call feature
    manager.set_actions(sms=True)  # the SMS feature, wired later, must not undo it
    assert not popup.call_back_button.isHidden()
    assert not popup.sms_button.isHidden()
    manager.set_actions(call_back=False)
    assert popup.call_back_button.isHidden()
    assert not popup.sms_button.isHidden()


def test_add_contact_reaches_the_manager(make_manager, qtbot) -> None:
    manager = make_manager()
    card = make_card("c1")
    popup = manager.show_card(card)
    with qtbot.waitSignal(manager.addContactRequested) as blocker:
        qtbot.mouseClick(popup.add_contact_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [card]


def test_translucent_popups_keep_the_card_margin(qapp, cursor, clock, english) -> None:
    manager = PopupManager(translucent=True, cursor_pos=cursor, clock=clock, locale=english,
                           app=qapp)
    try:
        popup = manager.show_card(make_card("c1"))
        available = _screen("left").availableGeometry()
        card = popup.card_rect().toRect().translated(popup.geometry().topLeft())
        assert card.right() == available.right() - POPUP_MARGIN
        assert card.bottom() == available.bottom() - POPUP_MARGIN
        assert popup.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    finally:
        manager.close_all()


def test_without_compositor_the_popup_is_opaque(make_manager) -> None:
    popup = make_manager(translucent=False).show_card(make_card("c1"))
    assert not popup.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
    assert popup.card_rect() == popup.rect().toRectF()
