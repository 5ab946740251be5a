"""The setup wizard's check rows: status badges and what each check found.

:class:`CheckRow` shows one check of :mod:`desktop.core.account_check` (an
icon, what happened, how to fix it, all plain text); :func:`status_pixmap`
draws the badges.  The check texts are the account check's English
templates, translated in the ``AccountCheck`` context.  :class:`FieldBlock`
is the wizard's label-above-editor row.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.core.account_check_results import CheckResult, CheckStatus, fill
from desktop.ui.labels import help_label, plain_label

#: How-to-fix lines: darker than the grey help notes (they matter more).
COLOR_FIX: Final = QColor("#5f6368")
STATUS_ICON_SIZE: Final = 20
COLOR_OK: Final = QColor("#188038")
COLOR_WARNING: Final = QColor("#e37400")
COLOR_FAILED: Final = QColor("#d93025")
COLOR_SKIPPED: Final = QColor("#80868b")
COLOR_RUNNING: Final = QColor("#1a73e8")


# ---------------------------------------------------------------- status icons


def status_pixmap(status: CheckStatus | None, size: int = STATUS_ICON_SIZE,
                  device_pixel_ratio: float = 1.0) -> QPixmap:
    """A round status badge: ✓ ok, ! warning, ✕ failed, – skipped, ··· running (None)."""
    pixmap = QPixmap(round(size * device_pixel_ratio), round(size * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    color = {CheckStatus.OK: COLOR_OK, CheckStatus.WARNING: COLOR_WARNING,
             CheckStatus.FAILED: COLOR_FAILED, CheckStatus.SKIPPED: COLOR_SKIPPED,
             None: COLOR_RUNNING}[status]
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    if status is None:
        painter.setPen(QPen(color, s * 0.09))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(s * 0.08, s * 0.08, s * 0.84, s * 0.84))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for x in (0.32, 0.5, 0.68):
            painter.drawEllipse(QPointF(s * x, s * 0.5), s * 0.06, s * 0.06)
        painter.end()
        return pixmap
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(QRectF(0.0, 0.0, s, s))
    pen = QPen(QColor("#ffffff"), s * 0.13, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
               Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    if status is CheckStatus.OK:
        path.moveTo(s * 0.28, s * 0.52)
        path.lineTo(s * 0.44, s * 0.68)
        path.lineTo(s * 0.73, s * 0.35)
    elif status is CheckStatus.FAILED:
        path.moveTo(s * 0.33, s * 0.33)
        path.lineTo(s * 0.67, s * 0.67)
        path.moveTo(s * 0.67, s * 0.33)
        path.lineTo(s * 0.33, s * 0.67)
    elif status is CheckStatus.WARNING:
        path.moveTo(s * 0.5, s * 0.25)
        path.lineTo(s * 0.5, s * 0.56)
        painter.drawPath(path)
        path = QPainterPath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(QPointF(s * 0.5, s * 0.74), s * 0.075, s * 0.075)
    else:
        path.moveTo(s * 0.3, s * 0.5)
        path.lineTo(s * 0.7, s * 0.5)
    painter.drawPath(path)
    painter.end()
    return pixmap


# ---------------------------------------------------------------- small widgets


def _help_label(text: str, parent: QWidget) -> QLabel:
    return help_label(parent, text)


def _plain(text: str, parent: QWidget, *, bold: bool = False) -> QLabel:
    return plain_label(parent, text, wrap=True, bold=bold)


class FieldBlock(QWidget):
    """A label above its editor and a help note below (room for long Turkish labels)."""

    def __init__(self, label: str, editor: QWidget | QHBoxLayout, help_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        self.label = _plain(label, self, bold=True)
        column.addWidget(self.label)
        if isinstance(editor, QHBoxLayout):
            column.addLayout(editor)
            item = editor.itemAt(0)
            first = item.widget() if item is not None else None
            if first is not None:
                self.label.setBuddy(first)
        else:
            column.addWidget(editor)
            self.label.setBuddy(editor)
        self.help = _help_label(help_text, self)
        self.help.setVisible(bool(help_text))
        column.addWidget(self.help)

    def set_help(self, text: str) -> None:
        self.help.setText(text)
        self.help.setVisible(bool(text))


class CheckRow(QFrame):
    """One check: status icon, title, what happened and how to fix it (plain text)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkRow")
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        self.icon = QLabel(self)
        self.icon.setFixedSize(STATUS_ICON_SIZE, STATUS_ICON_SIZE)
        grid.addWidget(self.icon, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        self.title = _plain(title, self, bold=True)
        grid.addWidget(self.title, 0, 1)
        self.message = _plain("", self)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.message, 1, 1)
        self.fix = _help_label("", self)
        palette = self.fix.palette()
        palette.setColor(QPalette.ColorRole.WindowText, COLOR_FIX)
        self.fix.setPalette(palette)
        self.fix.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.fix, 2, 1)
        grid.setColumnStretch(1, 1)
        self.status: CheckStatus | None = None
        self.result: CheckResult | None = None
        self.set_idle()

    def _icon(self, status: CheckStatus | None) -> None:
        self.icon.setPixmap(status_pixmap(status, STATUS_ICON_SIZE, self.devicePixelRatioF()))

    def set_idle(self) -> None:
        self.status, self.result = None, None
        self.icon.clear()
        self.message.setText(self.tr("Not tested yet."))
        self.fix.setVisible(False)

    def set_running(self) -> None:
        self.status, self.result = None, None
        self._icon(None)
        self.message.setText(self.tr("Checking…"))
        self.fix.setVisible(False)

    def set_result(self, result: CheckResult) -> None:
        self.status, self.result = result.status, result
        self._icon(result.status)
        self.message.setText(check_message(result))
        fix = check_fix(result)
        self.fix.setText(fix)
        self.fix.setVisible(bool(fix))

    def text(self) -> str:
        """Everything the row says (tests, screen readers)."""
        parts = [self.title.text(), self.message.text()]
        if self.fix.isVisibleTo(self):
            parts.append(self.fix.text())
        return "\n".join(parts)


def check_message(result: CheckResult) -> str:
    """The result's message in the UI language (the AccountCheck context)."""
    return fill(QCoreApplication.translate("AccountCheck", result.message_template),
                result.facts)


def check_fix(result: CheckResult) -> str:
    if not result.fix_template:
        return ""
    return fill(QCoreApplication.translate("AccountCheck", result.fix_template), result.facts)
