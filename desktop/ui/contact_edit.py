"""Editing one contact: name, company, numbers with labels and extensions, e-mail, notes.

:class:`ContactEditDialog` is also used, prefilled with the caller's number,
by the popup's "Add to contacts".  It emits a
:class:`~desktop.core.contacts_service.ContactEdit`; the contacts bridge
stores it.  Each number row shows how the number was understood: the
number as the agent reads it, an extension written after it (``0212 555 12
34 / 101``: the main number is matched, the extension kept), an internal
extension, or "not a phone number".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.contacts_service import ContactEdit
from desktop.core.directory import MAX_NUMBERS_PER_CONTACT, Contact, ContactDraft, ContactNumber
from desktop.core.numbers import NumberKind, parse_number
from desktop.ui.contact_table import label_names, with_extension
from desktop.ui.icons import app_icon
from desktop.ui.labels import plain_label
from desktop.ui.popup import window_title_text

#: Inline error text (the popup's "missed" red).
COLOR_ERROR: Final = "#d93025"


class _NumberRow(QWidget):
    """One number of the edit dialog: label, number, its normalized form, remove."""

    def __init__(self, number: ContactNumber | None, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.label_combo = QComboBox(self)
        for label, text in label_names().items():
            self.label_combo.addItem(text, label)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("0532 123 45 67"))
        self.hint = QLabel(self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setMinimumWidth(150)
        palette = self.hint.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorRole.PlaceholderText))
        self.hint.setPalette(palette)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setToolTip(self.tr("Remove this number"))
        self.remove_button.setAutoRaise(True)
        layout.addWidget(self.label_combo)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.remove_button)
        self._label_chosen = number is not None
        if number is not None:
            self.edit.setText(number.raw)
            self.label_combo.setCurrentIndex(max(0, self.label_combo.findData(number.label)))
        else:
            self.label_combo.setCurrentIndex(self.label_combo.findData("mobile"))
        self.label_combo.activated.connect(self._label_activated)
        self.edit.textChanged.connect(self._update_hint)
        self._update_hint()

    def _label_activated(self) -> None:
        self._label_chosen = True

    def raw(self) -> str:
        return self.edit.text().strip()

    def valid(self) -> bool:
        raw = self.raw()
        return not raw or parse_number(raw).storable

    def number(self) -> ContactNumber | None:
        raw = self.raw()
        if not raw:
            return None
        return ContactNumber.of(raw, str(self.label_combo.currentData()))

    def _update_hint(self) -> None:
        raw = self.raw()
        error = False
        if not raw:
            text = ""
        else:
            parsed = parse_number(raw)
            if parsed.kind is NumberKind.EXTERNAL:
                text = with_extension(parsed.display(), parsed.extension)
                if not self._label_chosen:
                    label = "mobile" if parsed.number_type == "MOBILE" else "work"
                    self.label_combo.setCurrentIndex(self.label_combo.findData(label))
            elif parsed.kind is NumberKind.INTERNAL:
                text = self.tr("extension {number}").format(number=parsed.display())
            else:
                text = self.tr("not a phone number")
                error = True
        self.hint.setStyleSheet(f"color: {COLOR_ERROR};" if error else "")
        self.hint.setProperty("error", error)
        self.hint.setText(text)


class ContactEditDialog(QDialog):
    """Edit one contact: name, company, numbers with labels, e-mail, notes.

    Signals:
        contactAccepted(ContactEdit): the agent pressed Save and the input is
            valid; store it with :meth:`ContactsBridge.apply_edit`.
    """

    contactAccepted = Signal(object)

    def __init__(
        self,
        contact: Contact | ContactDraft | None = None,
        *,
        pbx_available: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._contact_id = contact.id if isinstance(contact, Contact) else None
        self._base = contact.draft() if isinstance(contact, Contact) else \
            (contact or ContactDraft())
        self._pbx_available = pbx_available
        self.number_rows: list[_NumberRow] = []
        self.setWindowIcon(app_icon())
        if self._contact_id is None:
            self.setWindowTitle(self.tr("New contact"))
        else:
            self.setWindowTitle(self.tr("Edit contact – {name}").format(
                name=window_title_text(self._base.name or self._base.company)))
        self._build()
        self._fill(self._base)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        contact: Contact | ContactDraft | None = None,
        *,
        pbx_available: bool = False,
    ) -> ContactEditDialog:
        """Show the dialog without blocking; the result comes as ``contactAccepted``."""
        dialog = cls(contact, pbx_available=pbx_available, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    @property
    def contact_id(self) -> int | None:
        return self._contact_id

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.source_label = QLabel(self)
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        self.source_label.setWordWrap(True)
        self.source_label.setVisible(False)
        outer.addWidget(self.source_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(8)
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("First and last name"))
        form.addRow(self.tr("Name:"), self.name_edit)
        self.company_edit = QLineEdit(self)
        form.addRow(self.tr("Company:"), self.company_edit)

        numbers_box = QWidget(self)
        self.numbers_layout = QVBoxLayout(numbers_box)
        self.numbers_layout.setContentsMargins(0, 0, 0, 0)
        self.numbers_layout.setSpacing(4)
        self.add_number_button = QPushButton(self.tr("Add number"), numbers_box)
        self.add_number_button.setAutoDefault(False)
        self.add_number_button.clicked.connect(lambda: self.add_number_row(None, focus=True))
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_number_button)
        add_row.addStretch(1)
        self.numbers_layout.addLayout(add_row)
        self.numbers_message = self._message_label(numbers_box)
        self.numbers_layout.addWidget(self.numbers_message)
        form.addRow(self.tr("Numbers:"), numbers_box)

        self.email_edit = QLineEdit(self)
        self.email_edit.setPlaceholderText(self.tr("name@company.com.tr"))
        email_box = QWidget(self)
        email_column = QVBoxLayout(email_box)
        email_column.setContentsMargins(0, 0, 0, 0)
        email_column.setSpacing(2)
        email_column.addWidget(self.email_edit)
        self.email_message = self._message_label(email_box)
        email_column.addWidget(self.email_message)
        form.addRow(self.tr("E-mail:"), email_box)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form.addRow(self.tr("Notes:"), self.notes_edit)
        outer.addLayout(form)

        pbx_row = QHBoxLayout()
        self.pbx_check = QCheckBox(self.tr("Also add to the PBX phonebook"), self)
        self.pbx_check.setToolTip(self.tr(
            "Adds the name and the first number to the Tekil Santral phonebook, so desk "
            "phones show the name too."))
        self.pbx_group_combo = QComboBox(self)
        self.pbx_group_combo.addItem(self.tr("First group"), None)
        self.pbx_group_combo.setEnabled(False)
        self.pbx_check.toggled.connect(self.pbx_group_combo.setEnabled)
        pbx_row.addWidget(self.pbx_check)
        pbx_row.addWidget(self.pbx_group_combo)
        pbx_row.addStretch(1)
        self.pbx_check.setVisible(self._pbx_available)
        self.pbx_group_combo.setVisible(self._pbx_available)
        outer.addLayout(pbx_row)

        self.message = self._message_label(self)
        outer.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._save_clicked)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.setMinimumWidth(560)

    @staticmethod
    def _message_label(parent: QWidget) -> QLabel:
        label = plain_label(parent, wrap=True, hidden=True)
        label.setStyleSheet(f"color: {COLOR_ERROR};")
        return label

    def _fill(self, draft: ContactDraft) -> None:
        self.name_edit.setText(draft.name)
        self.company_edit.setText(draft.company)
        self.email_edit.setText(draft.email)
        self.notes_edit.setPlainText(draft.notes)
        for number in draft.numbers:
            self.add_number_row(number)
        if not draft.numbers:
            self.add_number_row(None)
        source = draft.source
        if self._contact_id is not None and source == "pbx":
            self.source_label.setText(self.tr(
                "From the PBX phonebook: the next sync with the PBX replaces changes made "
                "here."))
            self.source_label.setVisible(True)
        elif self._contact_id is not None and ":" in source:
            self.source_label.setText(self.tr(
                "Imported from {file}: importing that file again replaces changes made "
                "here.").format(file=source.split(":", 1)[1]))
            self.source_label.setVisible(True)
        (self.number_rows[0].edit if draft.numbers and not draft.name
         else self.name_edit).setFocus()

    def add_number_row(self, number: ContactNumber | None, *, focus: bool = False) -> _NumberRow:
        row = _NumberRow(number, self)
        row.remove_button.clicked.connect(lambda: self._remove_row(row))
        row.edit.textChanged.connect(self._clear_numbers_message)
        self.numbers_layout.insertWidget(len(self.number_rows), row)
        self.number_rows.append(row)
        self._update_number_buttons()
        if focus:
            row.edit.setFocus()
        return row

    def _remove_row(self, row: _NumberRow) -> None:
        if row in self.number_rows:
            self.number_rows.remove(row)
            self.numbers_layout.removeWidget(row)
            row.deleteLater()
        if not self.number_rows:
            self.add_number_row(None)
        self._update_number_buttons()

    def _update_number_buttons(self) -> None:
        self.add_number_button.setEnabled(len(self.number_rows) < MAX_NUMBERS_PER_CONTACT)

    def _clear_numbers_message(self) -> None:
        self.numbers_message.setVisible(False)

    def set_pbx_groups(self, groups: Sequence[tuple[str, str]]) -> None:
        """Offer the PBX phonebook groups (``[(id, name)]``); the first is the default."""
        current = self.pbx_group_combo.currentData()
        self.pbx_group_combo.clear()
        for group_id, name in groups:
            self.pbx_group_combo.addItem(name, group_id)
        if not groups:
            self.pbx_group_combo.addItem(self.tr("First group"), None)
        index = self.pbx_group_combo.findData(current)
        self.pbx_group_combo.setCurrentIndex(max(0, index))

    def draft(self) -> ContactDraft:
        """The contact as entered (source and PBX id of an edited contact are kept)."""
        numbers = tuple(n for n in (row.number() for row in self.number_rows) if n is not None)
        return dataclasses.replace(
            self._base,
            name=self.name_edit.text().strip(),
            company=self.company_edit.text().strip(),
            numbers=numbers,
            email=self.email_edit.text().strip(),
            notes=self.notes_edit.toPlainText().strip(),
        )

    def _show(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def validate(self) -> bool:
        """Show what is wrong inline; True when the contact can be saved."""
        ok = True
        bad = [row for row in self.number_rows if not row.valid()]
        draft = self.draft()
        if bad:
            self._show(self.numbers_message, self.tr(
                "Correct or remove the numbers marked “not a phone number”."))
            bad[0].edit.setFocus()
            ok = False
        elif self.pbx_check.isChecked() and self._pbx_available and not draft.numbers:
            self._show(self.numbers_message, self.tr("The PBX phonebook needs a phone number."))
            ok = False
        else:
            self._show(self.numbers_message, "")
        email = draft.email
        if email and ("@" not in email or " " in email):
            self._show(self.email_message, self.tr("This does not look like an e-mail address."))
            ok = False
        else:
            self._show(self.email_message, "")
        if not (draft.name or draft.company or draft.numbers):
            self._show(self.message, self.tr("Enter at least a name or a number."))
            ok = False
        else:
            self._show(self.message, "")
        return ok

    def _save_clicked(self) -> None:
        if not self.validate():
            return
        group = self.pbx_group_combo.currentData()
        edit = ContactEdit(
            contact_id=self._contact_id,
            draft=self.draft(),
            add_to_pbx=self._pbx_available and self.pbx_check.isChecked(),
            pbx_group=str(group) if group else None,
        )
        self.contactAccepted.emit(edit)
        self.accept()
