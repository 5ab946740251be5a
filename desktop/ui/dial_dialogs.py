"""The small dialogs of click-to-call: confirm a number, ask for a transfer extension.

:class:`DialConfirmDialog` asks before an international or premium-rate
number (and before every number the dial hotkey picked from the screen);
:class:`TransferDialog` asks for the extension a live call goes to.  Both open
with ``open()`` (never ``exec()``, which would block the event loop) and
delete themselves when closed.  Split from :mod:`desktop.ui.click_to_call`,
whose bridge opens them.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop.core.caller_card import CallerCard
from desktop.core.dialing import ConfirmReason, DialTarget
from desktop.ui.icons import app_icon

__all__ = ["DialConfirmDialog", "TransferDialog", "open_modeless"]


class DialConfirmDialog(QDialog):
    """"Call this international / premium-rate number?"  Cancel is the default button.

    Signals: ``finished(int)`` (QDialog): ``Accepted`` means call.
    """

    def __init__(self, target: DialTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.setWindowTitle(self.tr("Confirm call – Kobikom"))
        self.setWindowIcon(app_icon())
        self.setObjectName("dialConfirm")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 12)
        layout.setSpacing(12)
        row = QHBoxLayout()
        row.setSpacing(14)
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        kind = (QStyle.StandardPixmap.SP_MessageBoxQuestion
                if target.confirm is ConfirmReason.SELECTION
                else QStyle.StandardPixmap.SP_MessageBoxWarning)  # costly numbers warn
        icon.setPixmap(self.style().standardIcon(kind, None, self).pixmap(size, size))
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        self.title_label = QLabel(self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        size_f = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size_f * 1.15)
        font.setBold(True)
        self.title_label.setFont(font)
        self.number_label = QLabel(self)
        self.number_label.setTextFormat(Qt.TextFormat.PlainText)
        number_font = self.number_label.font()
        number_font.setPointSizeF(size_f * 1.3)
        self.number_label.setFont(number_font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label = QLabel(self)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        for label in (self.title_label, self.number_label, self.text_label):
            texts.addWidget(label)
        row.addLayout(texts, 1)
        layout.addLayout(row)

        self.buttons = QDialogButtonBox(self)
        self.call_button = QPushButton(self.tr("Call"), self)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.call_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.call_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill()
        self.setMinimumWidth(420)

    def _fill(self) -> None:
        target = self.target
        self.number_label.setText(target.display)
        if target.confirm is ConfirmReason.SELECTION:
            self.title_label.setText(self.tr("Call this number?"))
            self.text_label.setText(self.tr(
                "From the text you selected, or from the clipboard when nothing was "
                "selected."))
            return
        if target.confirm is ConfirmReason.PREMIUM:
            self.title_label.setText(self.tr("Call a premium-rate number?"))
            self.text_label.setText(self.tr(
                "Calls to this number are charged at a premium rate."))
            return
        self.title_label.setText(self.tr("Call an international number?"))
        region = target.number.region or ""
        territory = QLocale.codeToTerritory(region) if region.isalpha() else None
        name = QLocale.territoryToString(territory) \
            if territory not in (None, QLocale.Country.AnyTerritory) else ""
        if name:
            self.text_label.setText(self.tr(
                "This number is in {country}. International calls may cost more.")
                .format(country=name))
        else:
            self.text_label.setText(self.tr(
                "This number is outside Turkey. International calls may cost more."))

    @classmethod
    def ask(cls, parent: QWidget | None, target: DialTarget) -> DialConfirmDialog:
        """Open the dialog without blocking (``open()``); tests replace this."""
        return open_modeless(cls(target, parent))


_D = TypeVar("_D", bound=QDialog)


def open_modeless(dialog: _D) -> _D:
    """Show *dialog* without blocking the loop, in front; it deletes itself when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.open()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class TransferDialog(QDialog):
    """Ask for the extension to transfer a call to (digits only).

    Signals: ``finished(int)`` (QDialog); :attr:`extension` holds the answer.
    """

    def __init__(self, card: CallerCard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = card
        self.setWindowTitle(self.tr("Transfer call – Kobikom"))
        self.setWindowIcon(app_icon())
        layout = QVBoxLayout(self)
        who = card.name or card.number.display() or self.tr("this call")
        label = QLabel(self.tr("Transfer the call with {who} to extension:").format(who=who),
                       self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.extension_edit = QLineEdit(self)
        self.extension_edit.setPlaceholderText(self.tr("e.g. 1002"))
        self.extension_edit.setValidator(QRegularExpressionValidator(r"\d{1,6}", self))
        layout.addWidget(self.extension_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Transfer"))
        ok.setEnabled(False)
        self.extension_edit.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(340)

    @property
    def extension(self) -> str:
        return self.extension_edit.text().strip()

    @classmethod
    def ask(cls, parent: QWidget | None, card: CallerCard) -> TransferDialog:
        """Open the dialog without blocking (``open()``); tests replace this."""
        return open_modeless(cls(card, parent))
