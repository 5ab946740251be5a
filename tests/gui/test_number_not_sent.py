"""What the agent reads when the PBX did not send the caller's number, and the
dropped-message counter of the tray and the status window (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from desktop.core.caller_card import (
    CallerCard,
    CardOutcome,
    CardState,
    NumberSource,
    with_caller,
)
from desktop.core.calls import CallTracker
from desktop.core.phone_line import PhoneLine
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.events import ExtensionStatusEvent, RingingEvent
from desktop.ui import status_text
from desktop.ui.i18n import install_translators
from desktop.ui.no_tray import StatusWindow
from desktop.ui.popup import CallerPopup
from tests.gui.cards import FakeClock, make_card


@pytest.fixture
def make_popup(qtbot, clock: FakeClock, english: QLocale):
    def make(card, **kwargs) -> CallerPopup:
        popup = CallerPopup(card, clock=clock, locale=english, translucent=False, **kwargs)
        qtbot.addWidget(popup)
        return popup

    return make


@pytest.fixture
def turkish(qapp) -> Iterator[None]:
    default = QLocale()
    translators = install_translators(qapp, "tr")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(default)


def not_sent(**fields: object):
    return make_card(number="", number_source=NumberSource.NOT_SENT, synthetic=True,
                     extension="1001", **fields)


def test_the_popup_says_the_pbx_did_not_send_the_number(make_popup) -> None:
    popup = make_popup(not_sent())
    assert popup.title_label.text() == "Number not sent"
    assert popup.subtitle_label.text() == "The PBX did not send the caller's number"
    assert "withheld" not in popup.windowTitle().lower()
    withheld = make_popup(make_card(number="anonymous"))
    assert withheld.title_label.text() == "Withheld number"
    assert withheld.subtitle_label.text() == "The caller withheld the number"


def test_in_turkish(make_popup, turkish: None) -> None:
    popup = make_popup(not_sent())
    assert popup.title_label.text() == "Numara iletilmedi"
    assert popup.subtitle_label.text() == "Santral arayanın numarasını iletmedi"


def test_once_the_records_name_the_caller_the_popup_shows_them(make_popup) -> None:
    card = not_sent(state=CardState.ENDED, outcome=CardOutcome.MISSED)
    popup = make_popup(card)
    popup.set_card(with_caller(card, "05321234567", "missed"))
    assert popup.title_label.text() == "0532 123 45 67"
    assert popup.subtitle_label.text() == "Unknown number"


def test_the_status_window_counts_dropped_messages(qtbot) -> None:
    window = StatusWindow()
    qtbot.addWidget(window)
    window.set_connection(ConnectionState(Phase.CONNECTED))
    assert window.dropped_label.isHidden()
    window.set_dropped(3)
    assert not window.dropped_label.isHidden()
    assert window.dropped_label.text() == "3 messages from the PBX could not be used (see the log)"
    window.set_dropped(0)
    assert window.dropped_label.isHidden()


def test_the_tray_tooltip_counts_them_too(turkish: None) -> None:
    tip = status_text.tooltip_text("Kobikom", "1001", ConnectionState(Phase.CONNECTED), 0,
                                   False, 0.0, dropped=1)
    assert tip.splitlines()[-1] == "Santralden gelen 1 mesaj kullanılamadı (günlüğe bakın)"
    assert status_text.dropped_text(0) == ""


def test_the_tray_shows_the_count(qapp, clock: FakeClock) -> None:
    from desktop.ui.tray import TrayController

    tray = TrayController(clock=clock)
    try:
        tray.set_connection(ConnectionState(Phase.CONNECTED))
        assert "could not be used" not in tray.tool_tip()
        tray.set_dropped(2)
        assert tray.tool_tip().endswith(
            "2 messages from the PBX could not be used (see the log)")
    finally:
        tray.hide()


def test_the_missed_calls_card_says_so_then_names_the_caller(make_manager, qtbot) -> None:
    manager = make_manager()
    missed = not_sent(state=CardState.ENDED, outcome=CardOutcome.MISSED)
    manager.show_card(not_sent())
    manager.show_card(missed)
    qtbot.waitUntil(manager.missed_card_visible)
    card = manager.missed_card()
    assert card.caller_labels[0].text().startswith("Number not sent · ")
    # The call records named the caller: the card is refreshed, the call counted once.
    manager.show_card(with_caller(missed, "05427730516", "missed"))
    qtbot.waitUntil(lambda: card.caller_labels[0].text().startswith("0542 773 05 16 · "))
    assert card.title_label.text() == "1 missed call"


def line_cards(*events: object, tick: float | None = None) -> list[CallerCard]:
    """The cards the real phone line makes of these events (and a timer tick)."""
    cards: list[CallerCard] = []
    line = PhoneLine(CallTracker(["1001"]), directory=None, journal=None,
                     on_card=cards.append, on_state=lambda _s: None)
    for event in events:
        line.feed(event)  # type: ignore[arg-type]
    if tick is not None:
        line._publish(line.tracker.tick(tick))  # what the line's timer does
    return cards


def test_a_status_only_call_does_not_say_it_went_to_the_agents_own_extension(
        make_popup) -> None:
    # Tekil ExtensionStatus only: the call is made up from our extension ringing.
    (card,) = line_cards(ExtensionStatusEvent(raw={}, received_at=100.0, extension="1001",
                                              code=8), tick=101.0)
    assert card.synthetic
    popup = make_popup(card)
    assert "1001" not in popup.route_label.text()
    assert popup.route_label.isHidden()  # nothing else is known about where it went


def test_a_legs_call_names_the_did_from_the_callers_leg_not_our_extension(make_popup) -> None:
    trunk = RingingEvent(raw={}, received_at=100.0, call_id="T", extension="60000",
                         caller="05321234567", called="02242345678", queue="60000")
    ours = RingingEvent(raw={}, received_at=100.2, call_id="B1", extension="1001",
                        caller="05321234567", called="1001", queue="60000")
    (card,) = line_cards(trunk, ours)
    popup = make_popup(card)
    assert popup.route_label.text() == "Queue: 60000 · To (0224) 234 56 78"
    (card,) = line_cards(ours)  # only the leg to our phone is known
    assert make_popup(card).route_label.text() == "Queue: 60000"


def test_a_call_passed_on_to_a_colleague_says_so_if_shown_again(make_popup) -> None:
    # Its popup closes when it is passed on; the agent may still ask to see it.
    popup = make_popup(make_card(state=CardState.PASSED_ON, extension="1001"))
    assert popup.state_label.text() == "Passed on to a colleague"
