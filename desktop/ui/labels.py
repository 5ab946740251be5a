"""Plain-text labels: the one way the UI puts words on screen.

Text from outside (caller names, CRM fields, server messages, SMS) must
never be read as Qt rich text, so every label is built here with
``Qt.TextFormat.PlainText`` and nobody has to remember it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QLabel, QWidget

#: Help notes are this much smaller than the body text.
HELP_FONT_SCALE: Final = 0.92


def plain_label(parent: QWidget, text: str = "", *, wrap: bool = False,
                selectable: bool = False, bold: bool = False,
                hidden: bool = False) -> QLabel:
    """A QLabel that shows *text* literally (never as rich text)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    if hidden:
        label.setVisible(False)
    return label


def style_as_help(label: QLabel) -> QLabel:
    """Make *label* a help note: the palette's placeholder colour, a little smaller."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText,
                     palette.color(QPalette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * HELP_FONT_SCALE)
    label.setFont(font)
    return label


def help_label(parent: QWidget, text: str) -> QLabel:
    """A grey, slightly smaller, word-wrapped plain-text note."""
    return style_as_help(plain_label(parent, text, wrap=True))
