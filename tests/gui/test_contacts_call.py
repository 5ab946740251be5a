""""Call" on a contact in the contacts window (click-to-call entry point)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.tasks import TaskSet
from desktop.ui.contacts import ContactsBridge, ContactsWindow
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_until


@pytest.fixture
def window(qtbot, qapp, tmp_path: Path) -> Iterator[ContactsWindow]:
    with qt_asyncio_loop(qapp):
        tasks = TaskSet("contacts-call-test")
        directory = Directory(tmp_path / "contacts.sqlite3")
        directory.add(ContactDraft(name="Ayşe Yılmaz", numbers=(
            ContactNumber.of("0532 412 18 75"), ContactNumber.of("0212 356 44 10"))))
        directory.add(ContactDraft(name="Numarasız Kişi"))
        win = ContactsWindow(ContactsBridge.for_directory(directory, tasks=tasks))
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.model.rowCount() == 2)
        yield win
        win.close()
        run_until(qapp, lambda: len(tasks) == 0)
        directory.close()


def test_no_call_button_without_click_to_call(window: ContactsWindow) -> None:
    assert window.call_button.isHidden()


def test_call_emits_the_first_number(qtbot, window: ContactsWindow) -> None:
    window.enable_calls()
    assert not window.call_button.isHidden()
    row = next(r for r in range(2) if window.model.contact(r).name == "Ayşe Yılmaz")
    window.table.selectRow(row)
    assert window.call_button.isEnabled()
    with qtbot.waitSignal(window.callRequested) as called:
        qtbot.mouseClick(window.call_button, Qt.MouseButton.LeftButton)
    assert called.args == ["0532 412 18 75"]


def test_a_contact_without_numbers_cannot_be_called(window: ContactsWindow) -> None:
    window.enable_calls()
    row = next(r for r in range(2) if window.model.contact(r).name == "Numarasız Kişi")
    window.table.selectRow(row)
    assert not window.call_button.isEnabled()


def test_no_sms_button_without_the_sms_feature(window: ContactsWindow) -> None:
    assert window.sms_button.isHidden()


def test_sms_emits_the_first_number_and_the_name(qtbot, window: ContactsWindow) -> None:
    window.enable_sms()
    assert not window.sms_button.isHidden()
    row = next(r for r in range(2) if window.model.contact(r).name == "Ayşe Yılmaz")
    window.table.selectRow(row)
    with qtbot.waitSignal(window.smsRequested) as asked:
        qtbot.mouseClick(window.sms_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["0532 412 18 75", "Ayşe Yılmaz"]
