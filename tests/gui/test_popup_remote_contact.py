"""The popup with the company directory and the CRM: the number at once, the name when the
remote answer comes (a later card of the same call), and "Open in CRM"."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt

from desktop.core.caller_card import CardState
from desktop.core.popup_actions import PopupActions
from desktop.ui.popup_widget import CallerPopup
from tests.gui.cards import HOSTILE, FakeClock, make_card

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


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


def test_the_number_first_then_the_remote_name(make_popup, qtbot) -> None:
    first = make_card(number="05551112233", lookup_pending=True)
    popup = make_popup(first)
    popup.show()
    qtbot.waitExposed(popup)
    assert popup.title_label.text() == "0555 111 22 33"
    assert popup.subtitle_label.text() == "Looking up the name…"
    ARTIFACTS.mkdir(exist_ok=True)
    popup.grab().save(str(ARTIFACTS / "popup-remote-pending.png"))
    late = dataclasses.replace(first, lookup_pending=False, name="Çiğdem Ünlü",
                               company="Güneş Enerji A.Ş.", notes="Sözleşme yenileme",
                               contact_source="http")
    popup.set_card(late)
    assert popup.title_label.text() == "Çiğdem Ünlü"
    assert popup.number_label.text() == "0555 111 22 33"
    assert popup.subtitle_label.text() == "Güneş Enerji A.Ş. · CRM"
    assert popup.notes_label.text() == "Sözleşme yenileme"
    assert not popup.add_contact_button.isHidden()  # not in the local directory: can be added
    assert "Çiğdem Ünlü" in popup.accessibleName()
    popup.grab().save(str(ARTIFACTS / "popup-remote-named.png"))


def test_the_ldap_directory_is_named_and_a_failed_lookup_says_unknown(make_popup) -> None:
    ldap = make_popup(make_card(name="Şükrü Çağlayan", contact_source="ldap"))
    assert ldap.title_label.text() == "Şükrü Çağlayan"
    assert ldap.subtitle_label.text() == "company directory"
    failed = make_popup(make_card(lookup_pending=False))  # the answer came: nobody knows
    assert failed.subtitle_label.text() == "Unknown number"


def test_remote_text_is_plain(make_popup) -> None:
    popup = make_popup(make_card(name=HOSTILE, company=HOSTILE, notes=HOSTILE,
                                 contact_source="http"))
    for label in (popup.title_label, popup.subtitle_label, popup.notes_label):
        assert label.textFormat() is Qt.TextFormat.PlainText


def test_open_in_crm_only_when_a_crm_is_set(make_popup, qtbot) -> None:
    card = make_card()
    without = make_popup(card)
    assert without.crm_button.isHidden()
    popup = make_popup(card, actions=PopupActions(crm=True))
    assert not popup.crm_button.isHidden()
    assert popup.crm_button.text() == "CRM"
    assert popup.crm_button.toolTip() == "Open in CRM"
    popup.show()
    qtbot.waitExposed(popup)
    ARTIFACTS.mkdir(exist_ok=True)
    popup.grab().save(str(ARTIFACTS / "popup-crm-ringing.png"))
    with qtbot.waitSignal(popup.crmRequested) as blocker:
        qtbot.mouseClick(popup.crm_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [card]
    withheld = make_popup(make_card(number="anonymous"), actions=PopupActions(crm=True))
    assert withheld.crm_button.isHidden()
    ended = make_popup(make_card(state=CardState.ENDED),
                       actions=PopupActions(crm=True, call_back=True, sms=True))
    assert not ended.crm_button.isHidden()  # after the call too (notes in the CRM)
    ended.show()
    qtbot.waitExposed(ended)
    ended.grab().save(str(ARTIFACTS / "popup-crm-ended.png"))
    row = ended.buttons_row
    for button in (ended.add_contact_button, ended.call_back_button, ended.sms_button,
                   ended.crm_button):  # four buttons side by side, none cut off
        assert not button.isHidden()
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() <= row.width()


def test_the_manager_passes_the_crm_request_on(make_manager, qtbot) -> None:
    manager = make_manager()
    manager.set_actions(crm=True)
    card = make_card()
    manager.show_card(card)
    qtbot.waitUntil(lambda: any(isinstance(p, CallerPopup) and p.isVisible()
                                for p in manager.windows()))
    popup = next(p for p in manager.windows() if isinstance(p, CallerPopup) and p.isVisible())
    requested: list[object] = []
    manager.crmRequested.connect(requested.append)
    popup.crm_button.click()
    assert requested == [card]
