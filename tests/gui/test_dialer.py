"""The Dialer window on a 100,000-contact directory (real SQLite, real widgets).

Searches run in worker threads on the qasync loop, as in the app
(:mod:`tests.helpers.qt_asyncio`); the tests type with real key events.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.dial_search import DialerSearch, EntryKind
from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.journal import Journal, JournalCall
from desktop.core.tasks import TaskSet
from desktop.core.text import search_fold
from desktop.ui.dialer import DialerWindow
from tests.helpers.contacts_data import fake_contacts
from tests.helpers.qt_asyncio import run_until

CONTACTS = 100_000
HOSTILE = "<b>x</b><img src=x>"


@pytest.fixture(scope="module")
def big_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory file with 100,000 generated contacts plus a few known ones."""
    path = tmp_path_factory.mktemp("dialer") / "contacts.sqlite3"
    directory = Directory(path)
    drafts, _numbers = fake_contacts(CONTACTS, seed=11)
    directory.add_many(drafts)
    directory.add_many([
        ContactDraft(name="Şule Işıkgün", company="Doğan Eczanesi",
                     numbers=(ContactNumber.of("0555 781 40 26", "mobile"),)),
        ContactDraft(name="İSMAİL ÇELİKKAYA", company="Çelik Yapı Market",
                     numbers=(ContactNumber.of("0505 612 33 48", "work"),)),
        ContactDraft(name=HOSTILE, company="Test & Co",
                     numbers=(ContactNumber.of("0216 414 52 37"),)),
    ])
    directory.close()
    return path


@pytest.fixture
def tasks() -> TaskSet:
    return TaskSet("dialer-test")


@pytest.fixture
def stores(big_directory: Path, tmp_path: Path, qapp, qloop,
           tasks: TaskSet) -> Iterator[tuple[Directory, Journal]]:
    directory = Directory(big_directory)
    journal = Journal(tmp_path / "journal.sqlite3")
    now = time.time()
    journal.record(JournalCall(call_id="r1", direction="inbound", number_raw="05321234567",
                               ringing_at=now - 120, outcome="missed"))
    journal.record(JournalCall(call_id="r2", direction="outbound", number_raw="0555 781 40 26",
                               ringing_at=now - 600, answered_at=now - 590,
                               ended_at=now - 500, outcome="answered"))
    yield directory, journal
    run_until(qapp, lambda: len(tasks) == 0, 10_000)
    directory.close()
    journal.close()


@pytest.fixture
def make_dialer(qtbot, stores: tuple[Directory, Journal],
                tasks: TaskSet) -> Callable[[], DialerWindow]:
    def make() -> DialerWindow:
        directory, journal = stores
        window = DialerWindow(DialerSearch(directory, journal), tasks=tasks,
                              locale=QLocale(QLocale.Language.English,
                                             QLocale.Country.UnitedStates))
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.recentLoaded, timeout=10_000):
            window.open_with()
        qtbot.waitUntil(lambda: window.results() is not None and window.model.rowCount() > 0,
                        timeout=10_000)
        return window

    return make


def type_text(widget: QWidget, text: str) -> None:
    """Real key events, one per character (``QTest.keyClicks`` aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))
        QApplication.processEvents()


def wait_for(qtbot, window: DialerWindow, query: str) -> None:
    qtbot.waitUntil(lambda: (window.results() is not None
                             and window.results().query == query), timeout=10_000)


def test_empty_box_lists_recent_calls(make_dialer) -> None:
    window = make_dialer()
    entries = window.model.entries()
    assert [e.kind for e in entries] == [EntryKind.RECENT, EntryKind.RECENT]
    assert entries[0].number.display() == "0532 123 45 67"
    assert window.row_texts(entries[0]).detail == "Missed call"
    assert window.row_texts(entries[1]).title == "Şule Işıkgün"  # the contact's name
    assert window.section_label.text() == "Recent calls"


@pytest.mark.parametrize(("typed", "expected"), [
    ("ışıkgün", "Şule Işıkgün"),
    ("ISIKGUN", "Şule Işıkgün"),
    ("şule ışık", "Şule Işıkgün"),
    ("ismail çelikkaya", "İSMAİL ÇELİKKAYA"),
    ("İsmail Celikkaya", "İSMAİL ÇELİKKAYA"),
    ("ISMAIL CELIKKAYA", "İSMAİL ÇELİKKAYA"),
])
def test_turkish_search_as_you_type_on_100k_contacts(qtbot, make_dialer, typed: str,
                                                     expected: str) -> None:
    window = make_dialer()
    shown: list[str] = []
    window.resultsShown.connect(lambda q, _n: shown.append(q))
    type_text(window.search_box, typed)
    wait_for(qtbot, window, typed)
    names = [e.name for e in window.model.entries()]
    assert expected in names
    folded = search_fold(typed).split()
    for entry in window.model.entries():
        haystack = search_fold(f"{entry.name} {entry.company}")
        assert all(word in haystack for word in folded), entry
    # results of text typed past are never shown after newer ones
    lengths = [len(q) for q in shown]
    assert lengths == sorted(lengths)
    assert shown[-1] == typed


def test_any_part_of_a_number(qtbot, make_dialer) -> None:
    window = make_dialer()
    type_text(window.search_box, "781 40")
    wait_for(qtbot, window, "781 40")
    displays = [e.number.display() for e in window.model.entries()]
    assert "0555 781 40 26" in displays
    assert all("78140" in e.number.national().replace(" ", "")  # type: ignore[union-attr]
               for e in window.model.entries())


def test_company_search(qtbot, make_dialer) -> None:
    window = make_dialer()
    type_text(window.search_box, "doğan eczanesi")
    wait_for(qtbot, window, "doğan eczanesi")
    assert "Şule Işıkgün" in [e.name for e in window.model.entries()]


def test_enter_dials_the_top_row(qtbot, make_dialer) -> None:
    window = make_dialer()
    type_text(window.search_box, "ışıkgün")
    wait_for(qtbot, window, "ışıkgün")
    assert window.selected_entry() is not None
    with qtbot.waitSignal(window.dialRequested) as dialled:
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert dialled.args == [window.model.entries()[0].dial_text]
    assert dialled.args == ["0555 781 40 26"]
    assert not window.isVisible()


def test_arrow_keys_then_enter(qtbot, make_dialer) -> None:
    window = make_dialer()  # recent calls: 0532…, then Şule
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert window.selected_entry() == window.model.entries()[1]
    with qtbot.waitSignal(window.dialRequested) as dialled:
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert dialled.args == ["0555 781 40 26"]


def test_a_typed_number_is_the_first_row_and_enter_dials_it_at_once(qtbot,
                                                                    make_dialer) -> None:
    window = make_dialer()
    with qtbot.waitSignal(window.dialRequested, timeout=2000) as dialled:
        window.search_box.setText("0 (532) 999 88 77")
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)  # before any result came
    assert dialled.args == ["0 (532) 999 88 77"]


def test_enter_before_the_results_waits_for_them(qtbot, make_dialer) -> None:
    window = make_dialer()
    requested: list[str] = []
    window.dialRequested.connect(requested.append)
    window.search_box.setText("ismail çelikkaya")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(requested), timeout=10_000)
    assert requested == ["0505 612 33 48"]  # the current text's top row, never a stale one


def test_double_click_dials_that_row(qtbot, make_dialer) -> None:
    window = make_dialer()
    view = window.list_view
    rect = view.visualRect(window.model.index(1))
    # A real double-click is press, release, then the double-click press (QTest's
    # mouseDClick alone lacks the first press, which the view needs).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.dialRequested) as dialled:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialled.args == ["0555 781 40 26"]


def test_invalid_number_says_why_and_dials_nothing(qtbot, make_dialer) -> None:
    window = make_dialer()
    requested: list[str] = []
    window.dialRequested.connect(requested.append)
    type_text(window.search_box, "0532 999 88 7")
    wait_for(qtbot, window, "0532 999 88 7")
    assert window.model.rowCount() == 0
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.hint_label.isVisible()
    assert window.hint_label.text() == "“0532 999 88 7” is not a valid phone number."
    assert requested == []
    assert window.isVisible()


def test_no_match_is_said_in_the_list(qtbot, make_dialer) -> None:
    window = make_dialer()
    type_text(window.search_box, "zzqqxx")
    wait_for(qtbot, window, "zzqqxx")
    assert window.stack.currentWidget() is window.empty_label
    assert window.empty_label.text() == "No contact matches “zzqqxx”."


def test_hostile_names_stay_plain_text(qtbot, make_dialer) -> None:
    window = make_dialer()
    type_text(window.search_box, "img src")
    wait_for(qtbot, window, "img src")
    entry = window.model.entries()[0]
    assert window.row_texts(entry).title == HOSTILE
    index = window.model.index(0)
    assert HOSTILE in window.model.data(index)
    assert window.empty_label.textFormat() == Qt.TextFormat.PlainText


def test_escape_closes(qtbot, make_dialer) -> None:
    window = make_dialer()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert not window.isVisible()
