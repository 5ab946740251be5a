"""Transfer and Hang up on the popup of a live call (Tekil WebSocket only)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt

from desktop.core.caller_card import CardState
from desktop.ui.popup import CallerPopup, PopupActions
from tests.gui.cards import FakeClock, known_card, make_card

LIVE = PopupActions(call_back=True, transfer=True, hangup=True)


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


def shown(widget) -> bool:
    return not widget.isHidden()


def test_hidden_unless_the_line_takes_commands(make_popup) -> None:
    popup = make_popup(make_card(state=CardState.ANSWERED, answered_at=1.0))
    assert not shown(popup.transfer_button)
    assert not shown(popup.hangup_button)
    popup.set_actions(LIVE)
    assert shown(popup.transfer_button)
    assert shown(popup.hangup_button)
    assert shown(popup.buttons_row)


@pytest.mark.parametrize(("state", "visible"), [
    (CardState.RINGING, True),
    (CardState.ANSWERED, True),
    (CardState.ON_HOLD, True),
    (CardState.ENDED, False),
])
def test_only_while_the_call_is_live(make_popup, state: CardState, visible: bool) -> None:
    popup = make_popup(make_card(state=state), actions=LIVE)
    assert shown(popup.transfer_button) is visible
    assert shown(popup.hangup_button) is visible
    assert shown(popup.call_back_button) is (state is CardState.ENDED)


def test_not_for_synthetic_calls_without_a_pbx_call_id(make_popup) -> None:
    card = make_card(call_id="ext-status:1001:1", state=CardState.RINGING, synthetic=True)
    popup = make_popup(card, actions=LIVE)
    assert not shown(popup.transfer_button)
    assert not shown(popup.hangup_button)


def test_buttons_disappear_when_the_call_ends(make_popup) -> None:
    popup = make_popup(known_card(state=CardState.ANSWERED, answered_at=1.0), actions=LIVE)
    assert shown(popup.hangup_button)
    popup.set_card(known_card(state=CardState.ENDED))
    assert not shown(popup.hangup_button)
    assert not shown(popup.transfer_button)


@pytest.mark.parametrize(("button", "signal"), [("transfer_button", "transferRequested"),
                                                ("hangup_button", "hangUpRequested")])
def test_buttons_emit_the_card_through_the_manager(make_manager, qtbot, button: str,
                                                   signal: str) -> None:
    manager = make_manager()
    manager.set_actions(transfer=True, hangup=True)
    card = make_card(call_id="1520317155.59", state=CardState.ANSWERED, answered_at=1.0)
    popup = manager.show_card(card)
    assert popup is not None
    qtbot.waitExposed(popup)
    with qtbot.waitSignal(getattr(manager, signal)) as blocker:
        qtbot.mouseClick(getattr(popup, button), Qt.MouseButton.LeftButton)
    assert blocker.args == [card]


def test_manager_switches_them_off_again(make_manager) -> None:
    manager = make_manager()
    manager.set_actions(call_back=True, transfer=True, hangup=True)
    popup = manager.show_card(make_card(state=CardState.RINGING))
    assert popup is not None
    assert shown(popup.hangup_button)
    manager.set_actions(transfer=False, hangup=False)  # the line went down
    assert not shown(popup.hangup_button)
    assert not shown(popup.transfer_button)
    manager.set_actions(sms=True)  # other features' flags leave these alone
    assert not shown(popup.hangup_button)
    assert manager._actions.call_back  # and these leave call back alone
