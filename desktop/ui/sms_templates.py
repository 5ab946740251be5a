"""Editing the SMS templates (title + text)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.sms_outbox import Template


class TemplatesDialog(QDialog):
    """Edit the SMS templates (title + text).

    Signals:
        templatesEdited(list): the new list of (title, body) pairs.
    """

    templatesEdited = Signal(list)

    def __init__(self, templates: Sequence[Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("SMS templates"))
        self.setMinimumSize(520, 340)
        self._items: list[list[str]] = [[t.title, t.body] for t in templates]
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget(self)
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(self.tr("Name"))
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setPlaceholderText(self.tr("Text"))
        help_label = QLabel(self.tr("Filled in: {name} {number} {company} {agent}. Any other "
                                    "{word} must be filled in before sending."), self)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        help_label.setWordWrap(True)
        help_label.setStyleSheet("color: #5f6368;")
        right.addWidget(self.title_edit)
        right.addWidget(self.body_edit, 1)
        right.addWidget(help_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        right.addWidget(buttons)
        layout.addLayout(right, 2)
        for title, _body in self._items:
            self.list.addItem(QListWidgetItem(title))
        self.list.currentRowChanged.connect(self._select)
        self.title_edit.textEdited.connect(self._edited)
        self.body_edit.textChanged.connect(self._edited)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self._loading = False
        if self._items:
            self.list.setCurrentRow(0)
        else:
            self._select(-1)

    def _select(self, row: int) -> None:
        self._loading = True
        valid = 0 <= row < len(self._items)
        self.title_edit.setEnabled(valid)
        self.body_edit.setEnabled(valid)
        self.remove_button.setEnabled(valid)
        self.title_edit.setText(self._items[row][0] if valid else "")
        self.body_edit.setPlainText(self._items[row][1] if valid else "")
        self._loading = False

    def _edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._items):
            return
        self._items[row] = [self.title_edit.text(), self.body_edit.toPlainText()]
        item = self.list.item(row)
        if item is not None:
            item.setText(self.title_edit.text())

    def _add(self) -> None:
        self._items.append([self.tr("New template"), ""])
        self.list.addItem(QListWidgetItem(self._items[-1][0]))
        self.list.setCurrentRow(len(self._items) - 1)
        self.title_edit.selectAll()
        self.title_edit.setFocus()

    def _remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._items):
            del self._items[row]
            self.list.takeItem(row)

    def templates(self) -> list[tuple[str, str]]:
        return [(t.strip(), b.strip()) for t, b in self._items if t.strip() and b.strip()]

    def _save(self) -> None:
        self.templatesEdited.emit(self.templates())
        self.accept()


