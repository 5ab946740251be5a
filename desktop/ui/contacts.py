"""The contacts window: search, list, add/edit/delete, import, export and PBX sync.

:class:`ContactsWindow` is a normal top-level window: search as you type
(debounced, Turkish-aware through :meth:`Directory.search`), a table on a
:class:`~desktop.ui.contact_table.ContactTableModel`, add/edit/delete
(:class:`~desktop.ui.contact_edit.ContactEditDialog`), import of CSV/vCard
files with progress, cancel and a summary of the rows with problems,
export as CSV or vCard, and sync with the Tekil PBX phonebook.

Everything goes through the :class:`~desktop.ui.contacts_bridge.ContactsBridge`
passed in, which runs the core :class:`~desktop.core.contacts_service.ContactsService`
off the GUI thread.  Untrusted text (names, companies, notes, file names,
server messages) is only ever shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.contact_export import ExportFormat, ExportReport
from desktop.core.contact_import import ImportReport
from desktop.core.contacts_service import (
    BROWSE_LIMIT,
    ContactEdit,
    ContactsService,
    pbx_contact_fields,
    split_name,
)
from desktop.core.directory import Contact, ContactDraft, ContactNumber
from desktop.ui.contact_edit import ContactEditDialog
from desktop.ui.contact_outcome import OutcomeBox, import_summary
from desktop.ui.contact_table import ContactTableModel
from desktop.ui.contacts_bridge import ContactsBridge
from desktop.ui.icons import app_icon
from desktop.ui.notice import NoticeKind

#: Delay between the last key typed in the search box and the search.
SEARCH_DEBOUNCE_MS: Final = 120


class ContactsWindow(QWidget):
    """The contacts window: search, list, add/edit/delete, import, PBX sync.

    Everything goes through the :class:`ContactsBridge` passed in, except
    calls, which click-to-call places:

    Signals:
        callRequested(str): "Call" on the selected contact (its first number, as
            stored); the button shows only after :meth:`enable_calls`.
        smsRequested(str, str): "SMS" on the selected contact (first number, name);
            the button shows only after :meth:`enable_sms`.
    """

    callRequested = Signal(str)
    smsRequested = Signal(str, str)

    def __init__(self, service: ContactsBridge, *, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.service = service
        self.edit_dialog: ContactEditDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self._pbx_groups: list[tuple[str, str]] = []
        self._operation: str | None = None  # "import" / "sync" while running
        self._selected_id: int | None = None
        #: A saved edit also goes to the PBX: its outcome must not be hidden by "Saved".
        self._pbx_pending = False
        self._pbx_outcome_shown = False
        self.setWindowTitle(self.tr("Contacts – Kobikom Desktop"))
        self.setWindowIcon(app_icon())
        self.setObjectName("contactsWindow")

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.refresh)

        self._build()
        self._connect()
        self.resize(860, 560)
        self.refresh()
        self._update_actions()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search by name, company or number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        top.addWidget(self.search_edit, 1)
        self.call_button = self._button(self.tr("Call"), self._call_selected)
        self.call_button.setVisible(False)  # only when click-to-call is there (enable_calls)
        top.addWidget(self.call_button)
        self.sms_button = self._button(self.tr("SMS"), self._sms_selected)
        self.sms_button.setVisible(False)  # only when SMS is there (enable_sms)
        top.addWidget(self.sms_button)
        self.add_button = self._button(self.tr("Add…"), self._add)
        self.edit_button = self._button(self.tr("Edit…"), self._edit_selected)
        self.delete_button = self._button(self.tr("Delete"), self._delete_selected)
        self.import_button = self._button(self.tr("Import…"), self._choose_import_file)
        self.export_button = self._button(self.tr("Export…"), self._choose_export_file)
        self.sync_button = self._button(self.tr("Sync with PBX"), self._sync)
        for button in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        top.addSpacing(10)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        top.addWidget(self.sync_button)
        outer.addLayout(top)

        self.model = ContactTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(ContactTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ContactTableModel.COMPANY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ContactTableModel.NUMBER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ContactTableModel.SOURCE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ContactTableModel.NUMBER, 230)  # room for "dahili 101"
        header.resizeSection(ContactTableModel.SOURCE, 160)
        self.table.doubleClicked.connect(self._edit_index)
        self.table.activated.connect(self._edit_index)

        self.empty_label = QLabel(self)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        palette = self.empty_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self.empty_label.setPalette(palette)
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty_label)
        outer.addWidget(self.list_stack, 1)

        # Progress of an import or sync.
        self.progress_row = QWidget(self)
        progress_layout = QHBoxLayout(self.progress_row)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel(self.progress_row)
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar(self.progress_row)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self.progress_row)
        self.cancel_button.clicked.connect(self.service.cancel_import)
        progress_layout.addWidget(self.progress_label)
        progress_layout.addWidget(self.progress_bar, 1)
        progress_layout.addWidget(self.cancel_button)
        self.progress_row.setVisible(False)
        outer.addWidget(self.progress_row)

        # Outcome of the last operation, with the skipped rows of an import.
        self.result_box = OutcomeBox(self)
        self.problems_button = self.result_box.problems_button
        self.problems_list = self.result_box.problems_list
        outer.addWidget(self.result_box)

        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        palette = self.count_label.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self.count_label.setPalette(palette)
        outer.addWidget(self.count_label)

        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(
            self._focus_search)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(self._add)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_selected)

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _connect(self) -> None:
        s = self.service
        self.search_edit.textChanged.connect(self._search_text_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        s.searchFinished.connect(self._search_finished)
        s.countChanged.connect(self._count_changed)
        s.contactSaved.connect(self._contact_saved)
        s.contactDeleted.connect(self._contact_deleted)
        s.changed.connect(self.refresh)
        s.importProgress.connect(self._progress)
        s.syncProgress.connect(self._progress)
        s.importFinished.connect(self._import_finished)
        s.importFailed.connect(self._operation_failed)
        s.syncFinished.connect(self._sync_finished)
        s.syncFailed.connect(self._operation_failed)
        s.exportFinished.connect(self._export_finished)
        s.exportFailed.connect(self._operation_failed)
        s.pbxContactAdded.connect(self._pbx_added)
        s.pbxAddFailed.connect(self._pbx_add_failed)
        s.pbxGroupsLoaded.connect(self._groups_loaded)
        s.errorOccurred.connect(self._error)
        s.busyChanged.connect(self._update_actions)

    # ------------------------------------------------------------------ search

    def _search_text_changed(self) -> None:
        self._search_timer.start()

    def _focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def refresh(self) -> None:
        """Search again with the current text (after a change, or the debounce)."""
        self._search_timer.stop()
        self.service.search(self.search_edit.text())

    def _search_finished(self, query: str, contacts: list[Contact]) -> None:
        if query != self.search_edit.text():
            return  # typed on since: the debounced search for the new text is coming
        keep = self._selected_id
        self.model.set_contacts(contacts)
        if query.strip():
            self.empty_label.setText(self.tr("No contact matches “{query}”.").format(
                query=query.strip()))
        else:
            self.empty_label.setText(self.tr(
                "No contacts yet.\nAdd one, import a CSV or vCard file, or sync with the PBX "
                "phonebook."))
        self.list_stack.setCurrentWidget(self.table if contacts else self.empty_label)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and query.strip() and contacts:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._update_actions()

    def _count_changed(self, total: int) -> None:
        shown = self.model.rowCount()
        if self.search_edit.text().strip():
            text = self.tr("1 match") if shown == 1 else \
                self.tr("{count} matches").format(count=shown)
        elif shown < total:
            text = self.tr("The first {shown} of {total} contacts: type to find the others."
                           ).format(shown=shown, total=total)
        else:
            text = self.tr("1 contact") if total == 1 else \
                self.tr("{count} contacts").format(count=total)
        self.count_label.setText(text)

    def eventFilter(self, watched: QObject, event: Any) -> bool:
        if watched is self.search_edit and isinstance(event, QKeyEvent) \
                and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down and self.model.rowCount():
                self.table.setFocus()
                if not self.table.selectionModel().hasSelection():
                    self.table.selectRow(0)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._edit_selected()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ selection

    def selected_contact(self) -> Contact | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.contact(rows[0].row()) if rows else None

    def select_contact(self, contact_id: int) -> bool:
        row = self.model.row_of(contact_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _selection_changed(self) -> None:
        contact = self.selected_contact()
        self._selected_id = contact.id if contact is not None else None
        self._update_actions()

    def _update_actions(self) -> None:
        selected = self.selected_contact()
        has = selected is not None
        self.call_button.setEnabled(selected is not None and bool(selected.numbers))
        self.sms_button.setEnabled(selected is not None and bool(selected.numbers))
        busy = self.service.importing or self.service.syncing or self.service.exporting
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.import_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
        pbx = self.service.pbx_available
        self.sync_button.setEnabled(pbx and not busy)
        self.sync_button.setToolTip(
            self.tr("Replace the PBX contacts here with the Tekil Santral phonebook.") if pbx
            else self.service.pbx_unavailable_reason())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_actions()

    def enable_calls(self, enabled: bool = True) -> None:
        """Offer "Call" (click-to-call is wired up; no dead button otherwise)."""
        self.call_button.setVisible(enabled)

    def _call_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None and contact.numbers:
            self.callRequested.emit(contact.numbers[0].raw)

    def enable_sms(self, enabled: bool = True) -> None:
        """Offer "SMS" (the SMS feature is wired up; no dead button otherwise)."""
        self.sms_button.setVisible(enabled)

    def _sms_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None and contact.numbers:
            self.smsRequested.emit(contact.numbers[0].raw, contact.display_name)

    # ------------------------------------------------------------------ editing

    def _open_editor(self, contact: Contact | ContactDraft | None) -> ContactEditDialog:
        if self.edit_dialog is not None and self.edit_dialog.isVisible():
            self.edit_dialog.raise_()
            self.edit_dialog.activateWindow()
            return self.edit_dialog
        pbx = self.service.pbx_available
        dialog = ContactEditDialog.ask(self, contact, pbx_available=pbx)
        dialog.contactAccepted.connect(self._apply_edit)
        dialog.finished.connect(lambda _result, d=dialog: self._editor_closed(d))
        self.edit_dialog = dialog
        if pbx:
            if self._pbx_groups:
                dialog.set_pbx_groups(self._pbx_groups)
            self.service.load_pbx_groups()
        return dialog

    def _apply_edit(self, edit: ContactEdit) -> None:
        self._pbx_pending = edit.add_to_pbx
        self._pbx_outcome_shown = False
        self.service.apply_edit(edit)

    def _editor_closed(self, dialog: ContactEditDialog) -> None:
        if self.edit_dialog is dialog:
            self.edit_dialog = None

    def _groups_loaded(self, groups: list[tuple[str, str]]) -> None:
        if groups:
            self._pbx_groups = list(groups)
        if self.edit_dialog is not None and groups:
            self.edit_dialog.set_pbx_groups(groups)

    def _add(self) -> None:
        self._open_editor(None)

    def add_number(self, raw: str) -> ContactEditDialog:
        """Open a new contact prefilled with *raw* (the popup's "Add to contacts")."""
        return self._open_editor(ContactDraft(numbers=(ContactNumber.of(raw),)))

    def _edit_index(self, index: QModelIndex) -> None:
        contact = self.model.contact(index.row())
        if contact is not None:
            self._open_editor(contact)

    def _edit_selected(self) -> None:
        contact = self.selected_contact()
        if contact is not None:
            self._open_editor(contact)

    def _delete_selected(self) -> None:
        contact = self.selected_contact()
        if contact is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete contact"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("Delete “{name}”?").format(name=contact.display_name))
        box.setInformativeText(self.tr("This cannot be undone."))
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        contact_id = contact.id

        def answered() -> None:
            if box.clickedButton() is delete:
                self.service.delete(contact_id)
            self.confirm_box = None

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _contact_saved(self, contact: Contact) -> None:
        self._selected_id = contact.id
        if self._pbx_outcome_shown:
            return  # the PBX's answer came first and says more
        text = self.tr("Saved “{name}”.").format(name=contact.display_name)
        if self._pbx_pending:
            text += " " + self.tr("Adding it to the PBX phonebook…")
        self._show_result(NoticeKind.SUCCESS, text)

    def _contact_deleted(self, _contact_id: int) -> None:
        self._selected_id = None
        self._show_result(NoticeKind.INFO, self.tr("The contact was deleted."))

    # ------------------------------------------------------------------ import

    def _choose_import_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Import contacts"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([
            self.tr("Contact files (*.csv *.vcf *.vcard)"),
            self.tr("CSV files (*.csv)"),
            self.tr("vCard files (*.vcf *.vcard)"),
            self.tr("All files (*)"),
        ])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(self.start_import)
        dialog.finished.connect(lambda _result: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def start_import(self, path: str) -> None:
        if not path or self.service.importing:
            return
        self._begin(self.tr("Importing {file}…").format(file=Path(path).name), "import")
        self.service.import_file(path)

    def _begin(self, text: str, operation: str) -> None:
        self._operation = operation
        self.result_box.setVisible(False)
        self.progress_label.setText(text)
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.cancel_button.setVisible(operation == "import")
        self.cancel_button.setEnabled(True)
        self.progress_row.setVisible(True)
        self._update_actions()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _end(self) -> None:
        self._operation = None
        self.progress_row.setVisible(False)
        self._update_actions()

    def _import_finished(self, report: ImportReport) -> None:
        self._end()
        kind, title, text, problems = import_summary(report)
        self._show_result(kind, title, text, problems=problems)

    # ------------------------------------------------------------------ export

    def _choose_export_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Export contacts"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        csv_filter = self.tr("CSV for Excel (*.csv)")
        vcard_filter = self.tr("vCard (*.vcf)")
        dialog.setNameFilters([csv_filter, vcard_filter])
        dialog.selectFile(self.tr("contacts") + ".csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.filterSelected.connect(
            lambda chosen: dialog.setDefaultSuffix("vcf" if chosen == vcard_filter else "csv"))
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda path: self.start_export(
            path, ExportFormat.VCARD if dialog.selectedNameFilter() == vcard_filter
            else ExportFormat.CSV))
        dialog.finished.connect(lambda _result: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def start_export(self, path: str, fmt: ExportFormat | None = None) -> None:
        """Write every contact to *path* (the format from *fmt*, else the file name)."""
        if not path or self.service.exporting:
            return
        fmt = ExportFormat.for_path(path) or fmt or ExportFormat.CSV
        self._begin(self.tr("Exporting to {file}…").format(file=Path(path).name), "export")
        self.service.export_file(path, fmt)

    def _export_finished(self, report: ExportReport) -> None:
        self._end()
        self._show_result(NoticeKind.SUCCESS, self.tr("Exported {count} contacts").format(
            count=report.contacts), self.tr("Saved to {path}.").format(path=report.path))

    def _operation_failed(self, message: str) -> None:
        operation = self._operation
        self._end()
        title = {"sync": self.tr("Sync with the PBX failed"),
                 "export": self.tr("Export failed")}.get(operation or "", self.tr("Import failed"))
        self._show_result(NoticeKind.ERROR, title, message)

    # ------------------------------------------------------------------ PBX

    def _sync(self) -> None:
        if not self.service.pbx_available or self.service.syncing:
            return
        self._begin(self.tr("Fetching the PBX phonebook…"), "sync")
        self.service.sync_pbx()

    def _sync_finished(self, report: ImportReport) -> None:
        self._end()
        self._show_result(
            NoticeKind.SUCCESS, self.tr("Synced with the PBX phonebook"),
            self.tr("Added {added}, updated {updated}, unchanged {unchanged}, removed {removed}."
                    ).format(added=report.added, updated=report.updated,
                             unchanged=report.unchanged, removed=report.removed))

    def _pbx_added(self, draft: ContactDraft) -> None:
        self._pbx_outcome_shown, self._pbx_pending = True, False
        self._show_result(NoticeKind.SUCCESS, self.tr("Added to the PBX phonebook"),
                          self.tr("“{name}” is saved here and in the PBX phonebook.").format(
                              name=draft.name or draft.company))

    def _pbx_add_failed(self, message: str) -> None:
        self._pbx_outcome_shown, self._pbx_pending = True, False
        self._show_result(NoticeKind.ERROR, self.tr("Not added to the PBX phonebook"), message)

    def _error(self, message: str) -> None:
        self._show_result(NoticeKind.ERROR, self.tr("Something went wrong"), message)

    # ------------------------------------------------------------------ result box

    def _show_result(self, kind: NoticeKind, title: str, text: str = "", *,
                     problems: Sequence[str] = ()) -> None:
        self.result_box.show_result(kind, title, text, problems=problems)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.edit_dialog is not None:
            self.edit_dialog.close()
        super().closeEvent(event)


__all__ = [
    "BROWSE_LIMIT",
    "SEARCH_DEBOUNCE_MS",
    "ContactEdit",
    "ContactEditDialog",
    "ContactTableModel",
    "ContactsBridge",
    "ContactsService",
    "ContactsWindow",
    "pbx_contact_fields",
    "split_name",
]
