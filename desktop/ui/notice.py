"""An inline notice: a coloured box with a bold title and plain text.

Windows and dialogs show outcomes and problems in place (keyring missing,
saving failed, import summary) rather than in message boxes that would
need a nested event loop or pile up.  The text is always ``Qt.PlainText``:
it may carry a file name, a server message or a contact's name.
"""

from __future__ import annotations

import enum
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget


class NoticeKind(enum.Enum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


#: (background, border) per kind: the popup's accent colours, lightened.
_COLORS: Final = {
    NoticeKind.INFO: ("#e8f0fe", "#1a73e8"),
    NoticeKind.SUCCESS: ("#e6f4ea", "#188038"),
    NoticeKind.WARNING: ("#fef7e0", "#f9ab00"),
    NoticeKind.ERROR: ("#fce8e6", "#d93025"),
}


class NoticeBox(QFrame):
    """A title and a plain-text message in a coloured frame; hidden until shown.

    Signals:
        dismissed(): the agent closed the notice with its × button.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None, *, closable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBox")
        self.kind = NoticeKind.INFO
        outer = QHBoxLayout(self)
        outer.setContentsMargins(10, 8, 6 if closable else 10, 8)
        outer.setSpacing(6)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.title_label = QLabel(self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.text_label = QLabel(self)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.title_label)
        column.addWidget(self.text_label)
        #: Extra widgets (buttons, lists) go here, under the text.
        self.extra = QVBoxLayout()
        self.extra.setSpacing(4)
        column.addLayout(self.extra)
        outer.addLayout(column, 1)
        self.close_button: QToolButton | None = None
        if closable:
            self.close_button = QToolButton(self)
            self.close_button.setText("×")
            self.close_button.setAutoRaise(True)
            self.close_button.setToolTip(self.tr("Close"))
            self.close_button.clicked.connect(self._dismiss)
            outer.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._style(NoticeKind.INFO)
        self.setVisible(False)

    def _style(self, kind: NoticeKind) -> None:
        background, border = _COLORS[kind]
        self.setStyleSheet(
            f"QFrame#noticeBox {{ background: {background}; border: 1px solid {border};"
            " border-radius: 6px; }"
            " QFrame#noticeBox > QLabel { color: #202124; background: transparent; }")

    def show_message(self, kind: NoticeKind, title: str, text: str = "") -> None:
        self.kind = kind
        self._style(kind)
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.text_label.setVisible(bool(text))
        self.setVisible(True)

    def text(self) -> str:
        """Title and message, for tests and screen readers."""
        return "\n".join(t for t in (self.title_label.text(), self.text_label.text()) if t)

    def _dismiss(self) -> None:
        self.setVisible(False)
        self.dismissed.emit()
