"""Labelled form rows shared by the Settings dialog and the setup wizard.

:class:`FormRows` lays out rows in a two-column grid (a ``QFormLayout``
mis-sizes word-wrapped help texts): the label on the left; on the right the
editor, a grey help text, an inline validation message and, for a value the
administrator's policy locks, a note "Set by your administrator".

Rows can name the settings key they edit (``"server.host"``):
:meth:`FormRows.lock` then greys out every widget of the locked rows and
shows the note; :meth:`FormRows.enforce_locks` re-applies that after code
that enables widgets on its own (a field that depends on the account type).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.labels import plain_label, style_as_help

#: Colours of the inline messages (the popup's palette).
COLOR_ERROR: Final = "#d93025"
COLOR_WARNING: Final = "#b06000"
#: Most rows of one grid (the stretch row goes below them).
MAX_ROWS: Final = 14


class Level(enum.Enum):
    ERROR = "error"  # Save is refused
    WARNING = "warning"  # shown, Save allowed


def locked_note() -> str:
    """The note under a field the administrator's policy locks."""
    return QCoreApplication.translate("FormRows", "Set by your administrator")


@dataclass(slots=True)
class Row:
    """One labelled field."""

    name: str
    title: QLabel
    box: QWidget
    help: QLabel
    message: QLabel
    lock_note: QLabel
    focus: QWidget
    #: Every widget to grey out when the row is locked.
    widgets: list[QWidget] = field(default_factory=list)
    #: The settings key the row edits ("section.key"), if any.
    key: str | None = None


class FormRows:
    """Rows in a two-column grid on *page* (see the module docstring)."""

    def __init__(self, page: QWidget, *, margins: tuple[int, int, int, int] = (14, 14, 14, 10)
                 ) -> None:
        self.page = page
        self.grid = QGridLayout(page)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(10)
        self.grid.setContentsMargins(*margins)
        self.grid.setColumnStretch(1, 1)
        self.grid.setRowStretch(MAX_ROWS, 1)
        self.rows: dict[str, Row] = {}
        self._locked: dict[str, str] = {}

    def add(self, name: str, label: str, editor: QWidget | QHBoxLayout, help_text: str = "",
            *, focus: QWidget | None = None, key: str | None = None,
            widgets: Sequence[QWidget] = ()) -> QLabel:
        """Add a row; returns its help label.  *focus*: the widget the label points to
        (needed when *editor* is a layout); *widgets*: what a lock greys out
        (default: the focus widget)."""
        box = QWidget(self.page)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(editor, QHBoxLayout):
            column.addLayout(editor)
        else:
            column.addWidget(editor)
            focus = focus or editor
        assert focus is not None, "a row made of a layout needs its focus widget"
        help_label = QLabel(help_text, box)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        help_label.setWordWrap(True)
        help_label.setObjectName(f"{name}Help")
        style_as_help(help_label)
        help_label.setVisible(bool(help_text))
        column.addWidget(help_label)
        message = plain_label(box, wrap=True, hidden=True)
        message.setObjectName(f"{name}Message")
        column.addWidget(message)
        note = plain_label(box, wrap=True, hidden=True)
        note.setObjectName(f"{name}Locked")
        style_as_help(note)
        column.addWidget(note)
        title = QLabel(label, self.page)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setBuddy(focus)
        title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        title.setMinimumHeight(focus.sizeHint().height())
        row = len(self.rows)
        self.grid.addWidget(title, row, 0,
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(box, row, 1)
        self.rows[name] = Row(name, title, box, help_label, message, note, focus,
                              list(widgets) or [focus], key)
        return help_label

    # -- visibility and messages --------------------------------------------------

    def set_visible(self, name: str, visible: bool) -> None:
        row = self.rows[name]
        row.title.setVisible(visible)
        row.box.setVisible(visible)

    def visible(self, name: str) -> bool:
        return not self.rows[name].box.isHidden()

    def set_message(self, name: str, level: Level | None, text: str = "") -> None:
        label = self.rows[name].message
        if level is None or not text:
            label.setVisible(False)
            label.setText("")
            label.setProperty("level", "")
            return
        label.setStyleSheet(f"color: {COLOR_ERROR if level is Level.ERROR else COLOR_WARNING};")
        label.setText(text)
        label.setProperty("level", level.value)
        label.setVisible(True)

    def message(self, name: str) -> tuple[Level | None, str]:
        label = self.rows[name].message
        if not label.text():
            return None, ""
        return Level(label.property("level")), label.text()

    # -- locks ------------------------------------------------------------------

    def lock(self, keys: Collection[str] | Mapping[str, str], note: str | None = None) -> None:
        """Lock the rows whose settings key is in *keys* (others are unlocked).

        *note* is shown under each (default: "Set by your administrator"); a
        mapping of key to note gives each its own.
        """
        notes = dict(keys) if isinstance(keys, Mapping) else dict.fromkeys(keys, "")
        default = note or locked_note()
        before = set(self._locked)
        self._locked = {row.name: notes[row.key] or default for row in self.rows.values()
                        if row.key is not None and row.key in notes}
        for name in before - set(self._locked):
            for widget in self.rows[name].widgets:
                widget.setEnabled(True)  # the owner's next update may disable it again
        for row in self.rows.values():
            locked = row.name in self._locked
            text = self._locked.get(row.name, "")
            row.lock_note.setText(text)
            row.lock_note.setVisible(locked)
            for widget in row.widgets:
                widget.setToolTip(text)
        self.enforce_locks()

    def enforce_locks(self) -> None:
        """Grey out the locked rows again (call after enabling widgets elsewhere)."""
        for name in self._locked:
            for widget in self.rows[name].widgets:
                widget.setEnabled(False)

    def is_locked(self, name: str) -> bool:
        return name in self._locked

    def locked_rows(self) -> list[str]:
        return list(self._locked)
