"""The caller popup's contents, its plain-text rendering, focus, buttons and timer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime, QLocale, QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.caller_card import CardOutcome, CardState
from desktop.ui.popup import (
    CARD_WIDTH,
    COLOR_ANSWERED,
    COLOR_ENDED,
    COLOR_MISSED,
    COLOR_ON_HOLD,
    COLOR_RINGING,
    CallerPopup,
    PlainTextLabel,
    PopupActions,
    accent_color,
    format_duration,
    rich_tooltip_for_plain,
    window_title_text,
)
from tests.gui.cards import HOSTILE, NOW, FakeClock, known_card, make_card


@pytest.fixture
def make_popup(qtbot, clock: FakeClock, english: QLocale):
    def make(card, **kwargs) -> CallerPopup:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("locale", english)
        kwargs.setdefault("translucent", False)
        popup = CallerPopup(card, **kwargs)
        qtbot.addWidget(popup)
        return popup

    return make


def _shown(widget) -> bool:
    """Not hidden explicitly (the popup itself need not be on screen)."""
    return not widget.isHidden()


# ---------------------------------------------------------------- contents


def test_known_caller(make_popup, english: QLocale) -> None:
    popup = make_popup(known_card())
    assert popup.title_label.text() == "Ayşe Yılmaz"
    assert popup.number_label.text() == "0532 123 45 67"
    assert popup.subtitle_label.text() == "Yılmaz Tekstil A.Ş."
    assert popup.route_label.text() == "Queue: Satış · To (0212) 555 00 00"
    last = english.toString(QDateTime.fromSecsSinceEpoch(int(NOW - 3 * 86400)),
                            QLocale.FormatType.ShortFormat)
    assert popup.history_label.text() == f"Called 3 times before, last on {last}"
    assert popup.notes_label.text() == "Fatura adresi değişti."
    assert popup.state_label.text() == "Incoming call"
    assert not _shown(popup.add_contact_button)
    assert not _shown(popup.caller_id_label)
    assert popup.windowTitle() == "Kobikom – +905321234567"
    assert "Ayşe Yılmaz" in popup.accessibleName()
    assert "Yılmaz Tekstil A.Ş." in popup.accessibleDescription()


def test_unknown_caller(make_popup) -> None:
    popup = make_popup(make_card(number="+90 216 333 44 55", pbx_name="ISTANBUL",
                                 previous_calls=1, last_call_at=NOW - 3600))
    assert popup.title_label.text() == "(0216) 333 44 55"
    assert popup.subtitle_label.text() == "Unknown number"
    assert not _shown(popup.number_label)
    assert _shown(popup.add_contact_button)
    assert popup.add_contact_button.text() == "Add to contacts"
    assert popup.caller_id_label.text() == "Caller ID name: ISTANBUL"
    assert popup.history_label.text().startswith("Called once before, last today at ")
    assert not _shown(popup.notes_box)
    assert popup.windowTitle() == "Kobikom – +902163334455"


def test_internal_and_withheld_numbers_use_the_raw_text_in_the_title(make_popup) -> None:
    internal = make_popup(make_card(number="1002"))
    assert internal.windowTitle() == "Kobikom – 1002"
    assert internal.subtitle_label.text() == "Internal call"
    withheld = make_popup(make_card(number="anonymous"))
    assert withheld.windowTitle() == "Kobikom – anonymous"
    assert withheld.title_label.text() == "Withheld number"
    assert not _shown(withheld.add_contact_button)  # nothing to add


def test_window_title_keeps_a_literal_modified_marker(make_popup, qtbot) -> None:
    assert window_title_text("a[*]b\nc") == "a[*][*]b c"
    popup = make_popup(make_card(number="x[*]y"))
    popup.show()
    qtbot.waitExposed(popup)
    assert popup.windowHandle().title() == "Kobikom – x[*]y"


def test_notes_for_the_number_show_for_unknown_callers_too(make_popup) -> None:
    popup = make_popup(make_card(number_notes="Geri aranacak"))
    assert _shown(popup.notes_box)
    assert popup.number_notes_label.text() == "Geri aranacak"
    assert not _shown(popup.notes_label)


# ---------------------------------------------------------------- untrusted text


def _rich_documents(label: QLabel) -> list[QTextDocument]:
    return label.findChildren(QTextDocument)


def test_hostile_text_is_shown_literally(make_popup, qtbot) -> None:
    card = make_card(contact_id=1, name=HOSTILE, company=HOSTILE, notes=HOSTILE,
                     number_notes=HOSTILE, pbx_name="also " + HOSTILE, queue=HOSTILE)
    popup = make_popup(card)
    popup.show()
    qtbot.waitExposed(popup)
    popup.grab()  # paint everything once
    expected = {
        popup.title_label: HOSTILE,
        popup.subtitle_label: HOSTILE,
        popup.notes_label: HOSTILE,
        popup.number_notes_label: HOSTILE,
        popup.route_label: "Queue: " + HOSTILE,
        popup.caller_id_label: "Caller ID name: also " + HOSTILE,
    }
    for label, text in expected.items():
        assert label.textFormat() is Qt.TextFormat.PlainText, label.objectName()
        assert label.text() == text, label.objectName()
        assert label.pixmap().isNull()
        assert _rich_documents(label) == [], label.objectName()
        assert "".join(label.lines()) == text  # painted as is
    for label in popup.findChildren(QLabel):
        assert label.textFormat() is Qt.TextFormat.PlainText, label.objectName()


def test_the_rich_text_check_can_fail(qtbot) -> None:
    """The same string in a rich-text label does build a document (so the check above works)."""
    label = QLabel()
    qtbot.addWidget(label)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(HOSTILE)
    label.sizeHint()
    assert _rich_documents(label)


def test_plain_text_label_refuses_rich_text(qtbot) -> None:
    label = PlainTextLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError):
        label.setTextFormat(Qt.TextFormat.RichText)
    assert label.textFormat() is Qt.TextFormat.PlainText


def test_tooltips_show_untrusted_text_literally() -> None:
    tip = rich_tooltip_for_plain(HOSTILE)
    assert "<b>" not in tip
    assert "<img" not in tip
    assert "&lt;b&gt;x&lt;/b&gt;&lt;img src=x&gt;" in tip


def test_long_texts_are_elided_and_the_popup_stays_small(make_popup) -> None:
    long_name = "Çok Uzun İsimli Bir Müşteri " * 12
    notes = "\n".join(f"Satır {i}: " + "not " * 20 for i in range(40))
    popup = make_popup(make_card(contact_id=3, name=long_name, company=long_name,
                                 notes=notes, number_notes=notes))
    assert popup.title_label.text() == long_name  # the full text is kept
    assert len(popup.title_label.lines()) == 1
    assert popup.title_label.lines()[0].endswith("…")
    assert popup.title_label.is_elided()
    assert len(popup.notes_label.lines()) == 3
    assert popup.notes_label.lines()[-1].endswith("…")
    assert len(popup.number_notes_label.lines()) == 2
    assert popup.width() == CARD_WIDTH
    assert popup.height() < 320


def test_turkish_texts_fit(make_popup) -> None:
    popup = make_popup(make_card(contact_id=2, name="Şükrü Öğüt", company="İğdır Ağaç Ürünleri"))
    assert not popup.title_label.is_elided()
    assert not popup.subtitle_label.is_elided()
    assert popup.height() <= 200


# ---------------------------------------------------------------- state line


@pytest.mark.parametrize(
    ("state", "outcome", "text", "color"),
    [
        (CardState.RINGING, None, "Incoming call", COLOR_RINGING),
        (CardState.ANSWERED, None, "In call", COLOR_ANSWERED),
        (CardState.ON_HOLD, None, "On hold", COLOR_ON_HOLD),
        (CardState.ENDED, CardOutcome.ANSWERED, "Call ended", COLOR_ENDED),
        (CardState.ENDED, CardOutcome.MISSED, "Missed call", COLOR_MISSED),
        (CardState.ENDED, CardOutcome.ANSWERED_ELSEWHERE, "Answered by a colleague",
         COLOR_ENDED),
        (CardState.ENDED, CardOutcome.NOT_ANSWERED, "Not answered", COLOR_ENDED),
    ],
)
def test_state_line(make_popup, state, outcome, text, color) -> None:
    card = make_card(state=state, outcome=outcome, answered_at=NOW - 10, ended_at=NOW)
    popup = make_popup(card)
    assert popup.state_label.text() == text
    assert accent_color(card) == color


def test_outgoing_call_rings_as_calling(make_popup) -> None:
    assert make_popup(make_card(direction="outbound")).state_label.text() == "Calling…"


def test_ringing_pulses_only_while_ringing(make_popup, qtbot) -> None:
    popup = make_popup(make_card())
    popup.show()
    qtbot.waitExposed(popup)
    assert popup.state_dot.is_animating()
    popup.set_card(make_card(state=CardState.ANSWERED, answered_at=NOW))
    assert not popup.state_dot.is_animating()


def test_format_duration() -> None:
    assert format_duration(0) == "00:00"
    assert format_duration(65.9) == "01:05"
    assert format_duration(3600 + 62) == "1:01:02"
    assert format_duration(-3) == "00:00"


def test_answered_timer_runs_every_second(make_popup, clock: FakeClock, qtbot) -> None:
    popup = make_popup(make_card(state=CardState.ANSWERED, answered_at=NOW - 5))
    assert popup.timer_label.text() == "00:05"
    assert not popup.timer_running()  # nothing ticks for a popup nobody sees
    popup.show()
    qtbot.waitExposed(popup)
    assert popup.timer_running()
    clock.advance(60)
    qtbot.waitUntil(lambda: popup.timer_label.text() == "01:05", timeout=3000)
    popup.set_card(make_card(state=CardState.ON_HOLD, answered_at=NOW - 5))
    assert popup.timer_running()
    popup.set_card(make_card(state=CardState.ENDED, outcome=CardOutcome.ANSWERED,
                             answered_at=NOW - 5, ended_at=NOW + 100))
    assert not popup.timer_running()
    assert popup.timer_label.text() == "01:45"


def test_timer_stops_while_hidden_and_resumes_on_show(make_popup, clock: FakeClock,
                                                      qtbot) -> None:
    popup = make_popup(make_card(state=CardState.ANSWERED, answered_at=NOW - 5))
    popup.show()
    qtbot.waitExposed(popup)
    assert popup.timer_running()
    popup.hide()
    assert not popup.timer_running()
    clock.advance(10)
    popup.show()
    assert popup.timer_running()
    assert popup.timer_label.text() == "00:15"


def test_timer_starts_when_answered_without_a_time(make_popup, clock: FakeClock) -> None:
    popup = make_popup(make_card())
    assert popup.timer_label.isHidden()
    clock.advance(30)
    popup.set_card(make_card(state=CardState.ANSWERED))
    assert popup.timer_label.text() == "00:00"


def test_missed_shows_when_it_rang(make_popup, english: QLocale) -> None:
    popup = make_popup(make_card(state=CardState.ENDED, outcome=CardOutcome.MISSED,
                                 ringing_at=NOW - 60, ended_at=NOW - 30))
    expected = english.toString(QDateTime.fromSecsSinceEpoch(int(NOW - 60)).time(),
                                QLocale.FormatType.ShortFormat)
    assert popup.timer_label.text() == expected


# ---------------------------------------------------------------- buttons


def test_feature_buttons_are_hidden_unless_available(make_popup) -> None:
    ended = make_card(state=CardState.ENDED, outcome=CardOutcome.MISSED, recording="r.wav")
    popup = make_popup(ended)
    for button in (popup.call_back_button, popup.sms_button, popup.recording_button):
        assert not _shown(button)
    popup.set_actions(PopupActions(call_back=True, sms=True, recording=True))
    for button in (popup.call_back_button, popup.sms_button, popup.recording_button):
        assert _shown(button)


def test_buttons_only_where_they_can_work(make_popup) -> None:
    actions = PopupActions(call_back=True, sms=True, recording=True)
    ringing = make_popup(make_card(recording="r.wav"), actions=actions)
    assert not _shown(ringing.call_back_button)  # not while it rings
    assert not _shown(ringing.recording_button)
    assert _shown(ringing.sms_button)  # "I'll call you back" while busy
    landline = make_popup(make_card(number="02125550000", state=CardState.ENDED),
                          actions=actions)
    assert not _shown(landline.sms_button)
    assert _shown(landline.call_back_button)
    assert not _shown(landline.recording_button)  # no recording yet
    withheld = make_popup(make_card(number="anonymous", state=CardState.ENDED),
                          actions=actions)
    assert not _shown(withheld.call_back_button)
    assert not _shown(withheld.sms_button)


@pytest.mark.parametrize(
    ("button", "signal"),
    [("add_contact_button", "addContactRequested"), ("call_back_button", "callBackRequested"),
     ("sms_button", "smsRequested"), ("recording_button", "playRecordingRequested")],
)
def test_buttons_emit_the_card(make_popup, qtbot, button: str, signal: str) -> None:
    card = make_card(state=CardState.ENDED, recording="r.wav")
    popup = make_popup(card, actions=PopupActions(call_back=True, sms=True, recording=True))
    popup.show()
    qtbot.waitExposed(popup)
    widget = getattr(popup, button)
    with qtbot.waitSignal(getattr(popup, signal)) as blocker:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    assert blocker.args == [card]


def test_close_button_dismisses(make_popup, qtbot) -> None:
    popup = make_popup(make_card(call_id="c9"))
    popup.show()
    qtbot.waitExposed(popup)
    with qtbot.waitSignal(popup.closed) as blocker:
        qtbot.mouseClick(popup.close_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["c9", True]
    assert popup.close_button.accessibleName() == "Dismiss"


# ---------------------------------------------------------------- focus


def test_window_flags_never_take_focus(make_popup) -> None:
    popup = make_popup(make_card())
    flags = popup.windowFlags()
    for flag in (Qt.WindowType.Tool, Qt.WindowType.FramelessWindowHint,
                 Qt.WindowType.WindowStaysOnTopHint, Qt.WindowType.WindowDoesNotAcceptFocus):
        assert flags & flag == flag, flag
    assert not flags & Qt.WindowType.X11BypassWindowManagerHint
    assert popup.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert popup.focusPolicy() is Qt.FocusPolicy.NoFocus
    buttons = popup.findChildren(QAbstractButton)
    assert len(buttons) >= 5
    for button in buttons:
        assert button.focusPolicy() is Qt.FocusPolicy.NoFocus, button.objectName()


@pytest.fixture
def editor(qtbot):
    """A normal window whose line edit has the keyboard focus."""
    window = QWidget()
    window.setWindowTitle("editor")
    edit = QLineEdit(window)
    QVBoxLayout(window).addWidget(edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    def focus() -> None:
        window.activateWindow()
        edit.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)

    focus()
    return window, edit, focus


def test_qt_refuses_to_activate_the_popup(make_manager, editor, qtbot, qtlog) -> None:
    """Qt itself never gives the popup the keyboard, and typing goes on.

    Qt's offscreen platform activates every window it shows (a real window
    manager honours WindowDoesNotAcceptFocus; test_focus_x11.py checks that
    under X11), so the editor is focused again after the popup appeared;
    from then on nothing may take the focus away from it.
    """
    window, edit, focus = editor
    manager = make_manager()
    popup = manager.show_card(make_card())
    qtbot.waitExposed(popup)
    focus()
    popup.activateWindow()
    popup.windowHandle().requestActivate()
    manager.show_card(make_card(previous_calls=4))  # an update in place
    assert QApplication.focusWidget() is edit
    assert QApplication.activeWindow() is window
    assert any("WindowDoesNotAcceptFocus" in r.message for r in qtlog.records)
    with qtbot.waitSignal(manager.addContactRequested):
        qtbot.mouseClick(popup.add_contact_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "abc")
    assert edit.text() == "abc"
    assert QApplication.focusWidget() is edit


def test_mouse_clicks_on_the_card_do_not_move_focus(make_manager, editor, qtbot) -> None:
    _window, edit, focus = editor
    manager = make_manager()
    popup = manager.show_card(make_card())
    qtbot.waitExposed(popup)
    focus()
    qtbot.mouseClick(popup, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))
    qtbot.mouseClick(popup.title_label, Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is edit


def test_elided_label_tooltip_is_literal(make_popup, qtbot) -> None:
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    long_hostile = HOSTILE * 20
    popup = make_popup(make_card(contact_id=1, name=long_hostile))
    popup.show()
    qtbot.waitExposed(popup)
    label = popup.title_label
    assert label.is_elided()
    center = label.rect().center()
    QApplication.sendEvent(label, QHelpEvent(QHelpEvent.Type.ToolTip, center,
                                             label.mapToGlobal(center)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert "&lt;img src=x&gt;" in QToolTip.text()
    assert "<img" not in QToolTip.text()
    QToolTip.hideText()


def test_a_popup_carries_one_small_window_icon(make_popup, qapp) -> None:
    """The window manager reads a window's whole icon at each map: a popup's is the
    app icon at 16 px only, not the SVG at 16-128 px (~87 KB per popup, issue 14)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    from desktop.resources import resource
    from desktop.ui.popup_window import POPUP_ICON_PX

    previous = qapp.windowIcon()
    qapp.setWindowIcon(QIcon(str(resource("icons", "kobikom-desktop.svg"))))
    try:
        popup = make_popup(make_card())
        assert popup.windowIcon().availableSizes() == [QSize(POPUP_ICON_PX, POPUP_ICON_PX)]
    finally:
        qapp.setWindowIcon(previous)
