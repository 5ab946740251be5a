"""The contacts table model and how a contact's numbers read in the agent's language.

Untrusted text (names, companies) is returned as plain strings: views never
interpret markup in ``DisplayRole``; tooltips go through
:func:`~desktop.ui.popup.rich_tooltip_for_plain`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.core.directory import LABELS, Contact, ContactNumber
from desktop.core.numbers import PhoneNumber
from desktop.ui.popup import rich_tooltip_for_plain


def with_extension(main: str, extension: str | None) -> str:
    """``0212 555 12 34`` and ``101`` as the agent reads it (``… ext. 101`` / ``… dahili 101``)."""
    if not extension:
        return main
    return QCoreApplication.translate("NumberText", "{number} ext. {extension}").format(
        number=main, extension=extension)


def number_text(number: ContactNumber | PhoneNumber) -> str:
    """A stored or parsed number for display, with its extension."""
    parsed = number.parsed() if isinstance(number, ContactNumber) else number
    return with_extension(parsed.display(), number.extension)


class ContactTableModel(QAbstractTableModel):
    """Contacts as rows: name, company, first number, source (all plain strings)."""

    NAME, COMPANY, NUMBER, SOURCE = range(4)
    #: ``data(index, ContactIdRole)``: the contact's id.
    ContactIdRole: Final = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._contacts: list[Contact] = []
        self._numbers: dict[int, str] = {}

    def set_contacts(self, contacts: Sequence[Contact]) -> None:
        self.beginResetModel()
        self._contacts = list(contacts)
        self._numbers = {}
        self.endResetModel()

    def contacts(self) -> list[Contact]:
        return list(self._contacts)

    def contact(self, row: int) -> Contact | None:
        return self._contacts[row] if 0 <= row < len(self._contacts) else None

    def row_of(self, contact_id: int) -> int:
        for row, contact in enumerate(self._contacts):
            if contact.id == contact_id:
                return row
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Name"), self.tr("Company"), self.tr("Number"),
                self.tr("Source"))[section] if 0 <= section < 4 else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        contact = self.contact(index.row()) if index.isValid() else None
        if contact is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return contact.name or contact.company or ""
            if column == self.COMPANY:
                return contact.company if contact.name else ""
            if column == self.NUMBER:
                return self._first_number(contact)
            if column == self.SOURCE:
                return self.source_text(contact.source)
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == self.NUMBER and len(contact.numbers) > 1:
                return rich_tooltip_for_plain("\n".join(
                    f"{number_text(n)} ({self.label_text(n.label)})"
                    for n in contact.numbers))
            if column == self.SOURCE and ":" in contact.source:
                return rich_tooltip_for_plain(contact.source.split(":", 1)[1])
        elif role == self.ContactIdRole:
            return contact.id
        return None

    def _first_number(self, contact: Contact) -> str:
        cached = self._numbers.get(contact.id)
        if cached is not None:
            return cached
        if not contact.numbers:
            text = ""
        else:
            text = number_text(contact.numbers[0])
            if len(contact.numbers) > 1:
                text += f"  (+{len(contact.numbers) - 1})"
        self._numbers[contact.id] = text
        return text

    def source_text(self, source: str) -> str:
        """``"csv:rehber.csv"`` -> ``"rehber.csv (CSV)"``, ``"pbx"`` -> "PBX phonebook"."""
        if source == "local":
            return self.tr("Added here")
        if source == "pbx":
            return self.tr("PBX phonebook")
        kind, _, name = source.partition(":")
        if kind == "csv" and name:
            return self.tr("{file} (CSV)").format(file=name)
        if kind == "vcard" and name:
            return self.tr("{file} (vCard)").format(file=name)
        return source

    def label_text(self, label: str) -> str:
        return label_names().get(label, label)


def label_names() -> dict[str, str]:
    """The directory's number labels (:data:`LABELS`, in order) as the agent reads them."""
    names = {"mobile": QCoreApplication.translate("NumberLabel", "Mobile"),
             "work": QCoreApplication.translate("NumberLabel", "Work"),
             "home": QCoreApplication.translate("NumberLabel", "Home"),
             "other": QCoreApplication.translate("NumberLabel", "Other")}
    return {label: names.get(label, label) for label in LABELS}
