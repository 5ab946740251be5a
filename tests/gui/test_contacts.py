"""The contacts window, the edit dialog and the contacts bridge (real SQLite, real simulator).

Async: the service runs directory work with ``asyncio.to_thread`` and talks
HTTP with httpx on the app's qasync loop.  These tests install the same
kind of loop, marked "already running" (:mod:`tests.helpers.qt_asyncio`),
so ``qtbot.waitSignal``/``waitUntil`` drive asyncio, worker threads and
the simulator's aiohttp server alike.  No sleeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.tasks import TaskSet
from desktop.pbx.rest import TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from desktop.ui.contacts import (
    ContactEdit,
    ContactEditDialog,
    ContactsBridge,
    ContactsWindow,
    ContactTableModel,
    pbx_contact_fields,
    split_name,
)
from tests.helpers.qt_asyncio import run_coroutine

HOSTILE = "<b>x</b><img src=x>"
PANEL_USER = "demo@kobikom.example"
PANEL_PASSWORD = "demo-password"


@pytest.fixture
def tasks() -> TaskSet:
    return TaskSet("contacts-test")


@pytest.fixture
def directory(tmp_path: Path, qapp, qloop, tasks: TaskSet) -> Iterator[Directory]:
    store = Directory(tmp_path / "contacts.sqlite3")
    yield store
    from tests.helpers.qt_asyncio import run_until

    run_until(qapp, lambda: len(tasks) == 0)
    store.close()


def add(directory: Directory, name: str, number: str = "", company: str = "",
        label: str | None = None) -> int:
    numbers = (ContactNumber.of(number, label),) if number else ()
    return directory.add(ContactDraft(name=name, company=company, numbers=numbers)).id


@pytest.fixture
def make_window(qtbot, qloop, directory: Directory, tasks: TaskSet
                ) -> Callable[..., ContactsWindow]:
    def make(pbx: Callable[[], TekilSession | None] | None = None) -> ContactsWindow:
        service = ContactsBridge.for_directory(directory, tasks=tasks, pbx=pbx)
        window = ContactsWindow(service)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.count_label.text() != "")
        return window

    return make


def names(window: ContactsWindow) -> list[str]:
    model = window.model
    return [model.data(model.index(r, ContactTableModel.NAME)) for r in range(model.rowCount())]


@pytest.fixture
def tekil(qapp, qloop) -> Iterator[tuple[Simulator, TekilSession]]:
    sim = Simulator(SimulatorConfig(flavor="tekil"))
    run_coroutine(qapp, sim.start())
    session = TekilSession(PANEL_USER, PANEL_PASSWORD, base_url=sim.http_base)
    yield sim, session
    run_coroutine(qapp, session.aclose())
    run_coroutine(qapp, sim.stop())


# ------------------------------------------------------------------ search


def test_search_as_you_type_folds_turkish(qtbot, monkeypatch: pytest.MonkeyPatch,
                                          directory: Directory, make_window) -> None:
    add(directory, "İSMAİL ÇELİK", "0505 612 33 48", "Çelik Yapı")
    add(directory, "Ayşe Yılmaz", "0532 412 18 75")
    add(directory, "IŞIK Demir", "0216 414 52 37")
    window = make_window()
    assert sorted(names(window)) == ["Ayşe Yılmaz", "IŞIK Demir", "İSMAİL ÇELİK"]
    assert window.count_label.text() == "3 contacts"

    issued: list[str] = []
    search = window.service.search
    monkeypatch.setattr(window.service, "search",
                        lambda text: (issued.append(text), search(text)))
    with qtbot.waitSignal(window.service.searchFinished, timeout=3000):
        qtbot.keyClicks(window.search_edit, "ismail")
    assert issued == ["ismail"]  # debounced: one search for six keys
    assert names(window) == ["İSMAİL ÇELİK"]
    assert window.count_label.text() == "1 match"
    number = window.model.data(window.model.index(0, ContactTableModel.NUMBER))
    assert number == "0505 612 33 48"

    window.search_edit.setText("isik")
    qtbot.waitUntil(lambda: names(window) == ["IŞIK Demir"])
    window.search_edit.setText("0532 41")
    qtbot.waitUntil(lambda: names(window) == ["Ayşe Yılmaz"])
    window.search_edit.setText("zzz")
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.empty_label)
    assert "zzz" in window.empty_label.text()


def test_an_older_search_result_is_dropped(qtbot, qloop, directory: Directory,
                                           tasks: TaskSet) -> None:
    add(directory, "Ayşe Yılmaz", "0532 412 18 75")
    add(directory, "Mehmet Öztürk", "0542 318 27 64")
    service = ContactsBridge.for_directory(directory, tasks=tasks)
    results: list[tuple[str, list[str]]] = []
    service.searchFinished.connect(lambda q, c: results.append((q, [x.name for x in c])))
    service.search("ayşe")
    service.search("mehmet")
    qtbot.waitUntil(lambda: len(tasks) == 0 and bool(results))
    assert results == [("mehmet", ["Mehmet Öztürk"])]


# ------------------------------------------------------------------ add / edit / delete


def test_add_edit_delete_round_trip(qtbot, directory: Directory, make_window) -> None:
    window = make_window()
    assert window.list_stack.currentWidget() is window.empty_label
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    dialog = window.edit_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.contact_id is None
    dialog.name_edit.setText("Gülşen Kaya")
    dialog.company_edit.setText("Kaya Mimarlık")
    qtbot.keyClicks(dialog.number_rows[0].edit, "05321234567")
    assert dialog.number_rows[0].hint.text() == "0532 123 45 67"
    dialog.add_number_row(None).edit.setText("0212 356 44 10")
    dialog.number_rows[1].label_combo.setCurrentIndex(
        dialog.number_rows[1].label_combo.findData("work"))
    dialog.email_edit.setText("gulsen@kaya.com.tr")
    dialog.notes_edit.setPlainText("Perşembe arar")
    with qtbot.waitSignal(window.service.contactSaved, timeout=3000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    contact = saved.args[0]
    stored = directory.get(contact.id)
    assert stored is not None
    assert (stored.name, stored.company, stored.email, stored.notes) == (
        "Gülşen Kaya", "Kaya Mimarlık", "gulsen@kaya.com.tr", "Perşembe arar")
    assert [(n.key, n.label) for n in stored.numbers] == [
        ("+905321234567", "mobile"), ("+902123564410", "work")]
    qtbot.waitUntil(lambda: names(window) == ["Gülşen Kaya"])
    assert window.selected_contact() is not None
    assert "Gülşen Kaya" in window.result_box.text()

    # Edit: double-click the row.
    index = window.model.index(0, ContactTableModel.NAME)
    rect = window.table.visualRect(index)
    # A real double-click: press, release, then the double-click event.
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = window.edit_dialog
    assert dialog is not None
    assert dialog.contact_id == contact.id
    assert dialog.name_edit.text() == "Gülşen Kaya"
    assert [row.raw() for row in dialog.number_rows] == ["05321234567", "0212 356 44 10"]
    dialog.company_edit.setText("Kaya Mimarlık Ltd.")
    qtbot.mouseClick(dialog.number_rows[1].remove_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.service.contactSaved, timeout=3000):
        dialog.save_button.click()
    stored = directory.get(contact.id)
    assert stored is not None
    assert stored.company == "Kaya Mimarlık Ltd."
    assert [n.key for n in stored.numbers] == ["+905321234567"]
    assert directory.count() == 1

    # Delete, with confirmation: Cancel keeps it, Delete removes it.
    window.select_contact(contact.id)
    window.delete_button.click()
    box = window.confirm_box
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert directory.count() == 1
    window.delete_button.click()
    box = window.confirm_box
    assert box is not None
    delete = next(b for b in box.buttons()
                  if box.buttonRole(b) is QMessageBox.ButtonRole.DestructiveRole)
    with qtbot.waitSignal(window.service.contactDeleted, timeout=3000) as deleted:
        delete.click()
    assert deleted.args == [contact.id]
    assert directory.count() == 0
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)


def test_edit_dialog_validates_numbers_as_you_type(qtbot) -> None:
    dialog = ContactEditDialog(None)
    qtbot.addWidget(dialog)
    accepted: list[ContactEdit] = []
    dialog.contactAccepted.connect(accepted.append)
    row = dialog.number_rows[0]
    row.edit.setText("+90 532 123 45 67")
    assert row.hint.text() == "0532 123 45 67"
    assert row.label_combo.currentData() == "mobile"
    row.edit.setText("1001")
    assert row.hint.text() == "extension 1001"
    row.edit.setText("0532-abc")
    assert row.hint.text() == "not a phone number"
    assert row.hint.property("error") is True
    dialog.email_edit.setText("not an address")
    dialog.save_button.click()
    assert accepted == []
    assert "not a phone number" in dialog.numbers_message.text()
    assert "e-mail" in dialog.email_message.text()

    row.edit.setText("")
    dialog.email_edit.setText("")
    dialog.save_button.click()
    assert accepted == []
    assert dialog.message.text() == "Enter at least a name or a number."

    row.edit.setText("0212 444 55 66")
    assert row.label_combo.currentData() == "work"
    dialog.save_button.click()
    assert len(accepted) == 1
    assert accepted[0].contact_id is None
    assert accepted[0].add_to_pbx is False
    assert [n.key for n in accepted[0].draft.numbers] == ["+902124445566"]


def test_add_number_prefills_a_new_contact(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.add_number("905321234567")
    assert window.edit_dialog is dialog
    assert dialog.contact_id is None
    assert dialog.number_rows[0].raw() == "905321234567"
    assert dialog.number_rows[0].hint.text() == "0532 123 45 67"
    assert dialog.windowTitle() == "New contact"


# ------------------------------------------------------------------ hostile text


def test_hostile_name_is_shown_literally(qtbot, directory: Directory, make_window) -> None:
    cid = add(directory, HOSTILE, "0532 111 22 33", company="<i>Şirket</i>")
    window = make_window()
    assert names(window) == [HOSTILE]
    assert window.model.data(window.model.index(0, ContactTableModel.COMPANY)) == "<i>Şirket</i>"

    window.select_contact(cid)
    window.edit_button.click()
    dialog = window.edit_dialog
    assert dialog is not None
    assert dialog.name_edit.text() == HOSTILE
    assert HOSTILE in dialog.windowTitle()

    window.delete_button.click()
    box = window.confirm_box
    assert box is not None
    assert box.textFormat() is Qt.TextFormat.PlainText
    assert HOSTILE in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()

    def plain_only(widget) -> int:
        """Labels showing the name: all must be plain text; returns how many."""
        found = [label for label in widget.findChildren(QLabel) if HOSTILE in label.text()]
        for label in found:
            assert label.textFormat() is Qt.TextFormat.PlainText, label.objectName()
        return len(found)

    plain_only(dialog)
    with qtbot.waitSignal(window.service.contactSaved, timeout=3000):
        dialog.save_button.click()
    assert plain_only(window) >= 1  # "Saved “<b>x</b>…”."


# ------------------------------------------------------------------ import


def write_csv(path: Path) -> Path:
    path.write_text(
        "Ad;Soyad;Firma;Cep Telefonu\n"
        "Ayşe;Yılmaz;Yıldız Lojistik;0532 412 18 75\n"
        ";;;abc\n"
        "Mehmet;Öztürk;Özkan Tekstil;0542 318 27 64\n",
        encoding="utf-8")
    return path


def test_import_csv_reports_the_bad_row_and_lists_the_good_ones(
        qtbot, tmp_path: Path, directory: Directory, make_window) -> None:
    window = make_window()
    qtbot.mouseClick(window.import_button, Qt.MouseButton.LeftButton)
    chooser = window.file_dialog
    assert chooser is not None
    assert chooser.isVisible()
    path = write_csv(tmp_path / "rehber.csv")
    with qtbot.waitSignal(window.service.importFinished, timeout=5000) as finished:
        chooser.fileSelected.emit(str(path))
        assert window.progress_row.isVisible()
    report = finished.args[0]
    assert (report.added, report.skipped) == (2, 1)
    assert not window.progress_row.isVisible()
    summary = window.result_box.text()
    assert "Imported rehber.csv" in summary
    assert "Added 2, updated 0, unchanged 0, skipped 1." in summary
    assert window.problems_button.isVisible()
    assert not window.problems_list.isVisible()
    window.problems_button.click()
    assert window.problems_list.isVisible()
    assert window.problems_list.count() == 1
    assert window.problems_list.item(0).text().startswith("Row 3, column “Cep Telefonu”:")
    qtbot.waitUntil(lambda: sorted(names(window)) == ["Ayşe Yılmaz", "Mehmet Öztürk"])
    source = window.model.data(window.model.index(0, ContactTableModel.SOURCE))
    assert source == "rehber.csv (CSV)"


def test_import_can_be_cancelled(qtbot, tmp_path: Path, directory: Directory,
                                 make_window) -> None:
    window = make_window()
    path = write_csv(tmp_path / "rehber.csv")
    with qtbot.waitSignal(window.service.importFinished, timeout=5000) as finished:
        window.start_import(str(path))
        assert window.cancel_button.isVisible()
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].cancelled
    assert directory.count() == 0
    assert "Import cancelled" in window.result_box.text()
    assert window.import_button.isEnabled()


def test_an_unreadable_file_fails_in_plain_words(qtbot, tmp_path: Path, make_window) -> None:
    window = make_window()
    with qtbot.waitSignal(window.service.importFailed, timeout=5000) as failed:
        window.start_import(str(tmp_path / "missing.csv"))
    assert "missing.csv" in failed.args[0]
    assert "Import failed" in window.result_box.text()
    assert window.result_box.kind.value == "error"


def test_the_import_summary_counts_rows_and_numbers(qtbot, tmp_path: Path, make_window
                                                    ) -> None:
    window = make_window()
    path = tmp_path / "excel.csv"
    path.write_bytes("Adı Soyadı;Telefon;Dahili\r\nHüseyin Çakır;0224 443 22 11;105\r\n"
                     "Büşra Güneş;5,35123E+09;\r\n".encode("cp1254"))
    with qtbot.waitSignal(window.service.importFinished, timeout=5000):
        window.start_import(str(path))
    summary = window.result_box.text()
    assert "Added 2, updated 0, unchanged 0, skipped 0." in summary
    assert "2 rows read; 1 numbers saved, 1 dropped, 0 fax skipped." in summary
    assert window.result_box.kind.value == "warning"  # a number was dropped
    window.problems_button.click()
    assert window.problems_list.item(0).text().startswith(
        "Row 3, column “Telefon”: Excel scientific notation '5,35123E+09'")
    qtbot.waitUntil(lambda: "Hüseyin Çakır" in names(window))
    row = names(window).index("Hüseyin Çakır")
    number = window.model.data(window.model.index(row, ContactTableModel.NUMBER))
    assert number == "(0224) 443 22 11 ext. 105"  # the main number, the extension shown


def test_export_from_the_window(qtbot, tmp_path: Path, directory: Directory,
                                make_window) -> None:
    add(directory, "Ayşe Yılmaz", "0212 555 12 34 / 101", "=Yıldız")
    add(directory, "Mehmet Öztürk", "+90 542 318 27 64")
    window = make_window()
    assert window.export_button.isEnabled()
    qtbot.mouseClick(window.export_button, Qt.MouseButton.LeftButton)
    chooser = window.file_dialog
    assert chooser is not None
    assert chooser.isVisible()
    target = tmp_path / "kisiler.csv"
    with qtbot.waitSignal(window.service.exportFinished, timeout=5000) as finished:
        chooser.fileSelected.emit(str(target))
    report = finished.args[0]
    assert (report.contacts, report.numbers, report.path) == (2, 2, str(target))
    assert "Exported 2 contacts" in window.result_box.text()
    text = target.read_bytes().decode("utf-8-sig")
    assert "'=Yıldız" in text  # escaped for Excel
    assert "'+90 542 318 27 64" in text
    assert "0212 555 12 34 / 101" in text
    vcard = tmp_path / "kisiler.vcf"
    with qtbot.waitSignal(window.service.exportFinished, timeout=5000):
        window.start_export(str(vcard))
    assert vcard.read_bytes().startswith(b"BEGIN:VCARD\r\n")


def test_an_export_that_cannot_be_written_fails_in_plain_words(qtbot, tmp_path: Path,
                                                               make_window) -> None:
    window = make_window()
    with qtbot.waitSignal(window.service.exportFailed, timeout=5000) as failed:
        window.start_export(str(tmp_path / "yok" / "kisiler.csv"))
    assert "no such folder" in failed.args[0]
    assert "Export failed" in window.result_box.text()
    assert window.export_button.isEnabled()


# ------------------------------------------------------------------ PBX phonebook


def test_sync_with_the_tekil_simulator(qtbot, directory: Directory, make_window,
                                       tekil: tuple[Simulator, TekilSession]) -> None:
    sim, session = tekil
    local = add(directory, "Yerel Kişi", "0532 000 11 22")
    window = make_window(pbx=lambda: session)
    assert window.sync_button.isEnabled()
    with qtbot.waitSignal(window.service.syncFinished, timeout=10000) as finished:
        qtbot.mouseClick(window.sync_button, Qt.MouseButton.LeftButton)
        assert window.progress_row.isVisible()
        assert not window.cancel_button.isVisible()
    report = finished.args[0]
    assert report.added == len(sim.contacts) > 0
    assert directory.count(source="pbx") == len(sim.contacts)
    assert directory.get(local) is not None  # local contacts are never touched
    exports = [r for r in sim.received if r["path"].startswith("/contacts/export/")]
    assert len(exports) == 1
    assert exports[0]["path"].split("/")[-1].count(".") == 2  # the panel JWT
    # The simulator's Yealink XML names an entry "Ad Soyad (Firma)".
    expected = {" ".join(p for p in (c["ad"], c.get("soyad")) if p)
                + (f" ({c['firma']})" if c.get("firma") else "") for c in sim.contacts}
    qtbot.waitUntil(lambda: set(names(window)) == expected | {"Yerel Kişi"})
    first_pbx = window.model.row_of(next(c.id for c in window.model.contacts()
                                         if c.source == "pbx"))
    assert window.model.data(window.model.index(first_pbx, ContactTableModel.SOURCE)) == \
        "PBX phonebook"
    assert "Synced with the PBX phonebook" in window.result_box.text()

    # An expired token in the path: one fresh login, then the same phonebook.
    sim.expire_tokens()
    with qtbot.waitSignal(window.service.syncFinished, timeout=10000) as again:
        window.sync_button.click()
    assert (again.args[0].added, again.args[0].unchanged) == (0, len(sim.contacts))


def test_add_to_pbx_sends_exactly_the_documented_fields(
        qtbot, directory: Directory, make_window, tekil: tuple[Simulator, TekilSession]) -> None:
    sim, session = tekil
    window = make_window(pbx=lambda: session)
    window.add_button.click()
    dialog = window.edit_dialog
    assert dialog is not None
    assert not dialog.pbx_check.isHidden()
    qtbot.waitUntil(lambda: dialog.pbx_group_combo.count() == len(sim.groups))
    dialog.name_edit.setText("Ayşe Nur Demir")
    dialog.company_edit.setText("Demir Hukuk")
    dialog.number_rows[0].edit.setText("0532 123 45 67")
    dialog.number_rows[0].label_combo.setCurrentIndex(
        dialog.number_rows[0].label_combo.findData("work"))
    dialog.email_edit.setText("ayse@demirhukuk.com.tr")
    dialog.notes_edit.setPlainText("Öğleden sonra arayın")
    dialog.pbx_check.setChecked(True)
    with qtbot.waitSignals([window.service.pbxContactAdded, window.service.contactSaved],
                           timeout=10000):
        dialog.save_button.click()
    posts = [r for r in sim.received if r["path"] == "/createContact"]
    assert len(posts) == 1
    assert posts[0]["method"] == "POST"
    assert posts[0]["form"] == {
        "firma": "Demir Hukuk",
        "ad": "Ayşe Nur",
        "soyad": "Demir",
        "telefon": "905321234567",
        "eposta": "ayse@demirhukuk.com.tr",
        "diger": "Öğleden sonra arayın",
        "tur": "2",
        "grup": sim.groups[0]["id"],
    }
    assert sim.contacts[-1]["ad"] == "Ayşe Nur"
    assert directory.count() == 1
    assert "Added to the PBX phonebook" in window.result_box.text()


def test_add_to_pbx_failure_is_reported_and_not_retried(
        qtbot, qloop, directory: Directory, tasks: TaskSet,
        tekil: tuple[Simulator, TekilSession]) -> None:
    sim, session = tekil
    service = ContactsBridge.for_directory(directory, tasks=tasks, pbx=lambda: session)
    sim.fault("/createContact", "500")
    draft = ContactDraft(name="Ali Veli", numbers=(ContactNumber.of("0532 000 00 01"),))
    with qtbot.waitSignal(service.pbxAddFailed, timeout=10000) as failed:
        service.add_to_pbx(draft, "2601")
    # A 500 after the form went out: the panel may have added it before failing.
    assert "may or may not have been added" in failed.args[0]
    assert "HTTP 500" in failed.args[0]
    assert len([r for r in sim.received if r["path"] == "/createContact"]) == 1

    with qtbot.waitSignal(service.pbxAddFailed, timeout=10000) as refused:
        service.add_to_pbx(draft, "9999")  # unknown group: the panel says so
    assert refused.args[0] == "The PBX did not add the contact: Group not found"


def test_kobipbx_has_no_phonebook_sync(qtbot, make_window) -> None:
    window = make_window(pbx=lambda: None)
    assert not window.sync_button.isEnabled()
    assert "KobiPBX" in window.sync_button.toolTip()
    window.add_button.click()
    dialog = window.edit_dialog
    assert dialog is not None
    assert dialog.pbx_check.isHidden()


# ------------------------------------------------------------------ pure helpers


def test_pbx_fields_of_a_draft() -> None:
    assert split_name("Ayşe Nur Demir") == ("Ayşe Nur", "Demir")
    assert split_name("Cher") == ("Cher", "")
    draft = ContactDraft(company="Kobikom", numbers=(ContactNumber.of("0850 888 14 44", "home"),))
    fields = pbx_contact_fields(draft, "698")
    assert fields["ad"] == "Kobikom"
    assert fields["soyad"] == ""
    assert fields["telefon"] == "908508881444"
    assert fields["tur"] == "1"
    assert fields["grup"] == "698"
    with pytest.raises(ValueError):
        pbx_contact_fields(ContactDraft(name="No Number"), "698")
