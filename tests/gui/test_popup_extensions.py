"""Colleagues calling from extensions never pop up as an outside contact.

The whole path a call takes: exporters' files imported into a real directory,
PBX events through the real tracker and phone line, and the cards they make
rendered by the real caller popup.  Before, ``0216 555 44 33 / 101`` stored
``101`` as an internal number of the outside company, and a colleague
calling from extension 101 popped up as that company.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from desktop.core.calls import CallTracker
from desktop.core.contact_import import import_contacts
from desktop.core.directory import Directory
from desktop.core.journal import Journal
from desktop.core.phone_line import PhoneLine
from desktop.pbx.events import RingingEvent
from desktop.ui.popup import CallerPopup

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "contacts"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
OUR_EXTENSION = "1001"


@pytest.fixture
def line(tmp_path: Path) -> Iterator[tuple[PhoneLine, list]]:
    directory = Directory(tmp_path / "contacts.sqlite3")
    journal = Journal(tmp_path / "journal.sqlite3")
    for name in ("google-current.csv", "apple.vcf", "android-nokia.vcf", "outlook-tr.csv",
                 "google-legacy.csv", "excel-tr.csv"):
        import_contacts(directory, FIXTURES / name)
    cards: list = []
    clock = [1_800_000_000.0]
    phone_line = PhoneLine(CallTracker([OUR_EXTENSION], DOMAIN, clock=lambda: clock[0]),
                           directory=directory, journal=journal, on_card=cards.append,
                           on_state=lambda _s: None, on_missed=lambda _n: None,
                           clock=lambda: clock[0])
    yield phone_line, cards
    directory.close()
    journal.close()


def ring(phone_line: PhoneLine, call_id: str, caller: str) -> None:
    phone_line.feed(RingingEvent(raw={}, received_at=1_800_000_000.0, call_id=call_id,
                                 extension=OUR_EXTENSION, caller=caller, called=OUR_EXTENSION,
                                 domain=DOMAIN))


@pytest.mark.parametrize("extension", ["101", "102", "103", "104", "105", "106", "205"])
def test_a_colleague_on_an_extension_is_nobody_from_outside(qtbot, line, extension: str
                                                            ) -> None:
    phone_line, cards = line
    ring(phone_line, "c1", extension)
    card = cards[-1]
    assert (card.contact_id, card.name, card.company) == (None, None, None)
    popup = CallerPopup(card, locale=QLocale(QLocale.Language.English), translucent=False)
    qtbot.addWidget(popup)
    assert popup.title_label.text() == extension
    assert popup.subtitle_label.text() == "Internal call"
    for outside in ("Öztürk", "Şahin", "Demir", "Işıkçı", "Kaya", "Arslan", "Yılmaz"):
        assert outside not in popup.title_label.text() + popup.subtitle_label.text()


def test_a_colleague_written_alone_is_found(qtbot, line) -> None:
    phone_line, cards = line
    ring(phone_line, "c1", "201")  # "Selin Koç" with only "Dahili 201": internal
    assert cards[-1].name == "Selin Koç"


def test_the_outside_number_of_a_switchboard_finds_the_company(qtbot, line) -> None:
    phone_line, cards = line
    ring(phone_line, "c1", "02245553030")  # Öğün Gıda, "0224 555 30 30 (103)"
    card = cards[-1]
    assert (card.name, card.company) == ("Şükrü Işıkçı", "Öğün Gıda Ltd. Şti.")
    popup = CallerPopup(card, locale=QLocale(QLocale.Language.English), translucent=False)
    qtbot.addWidget(popup)
    assert popup.title_label.text() == "Şükrü Işıkçı"
    assert popup.subtitle_label.text() == "Öğün Gıda Ltd. Şti."
