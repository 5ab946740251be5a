"""The Settings dialog's "Diagnostics" tab: recording what the PBX sends.

Kobikom documents little of its event stream, so an agent whose popups
misbehave can record it for support (:mod:`desktop.pbx.capture`): the
``[capture]`` settings.  Passwords, keys and the domain UUID are never
recorded; phone numbers only when the agent ticks the box that says so.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QSpinBox, QWidget

from desktop.core.capture import MIN_CAPTURE_MB
from desktop.core.settings import CaptureSettings
from desktop.ui.labels import help_label, plain_label

# The largest size cap of the recording (MB).
MAX_CAPTURE_MB: Final = 500


class CapturePage(QWidget):
    """Record the PBX connection, keep numbers or not, and how much.

    Signals: none; the dialog reads the values with :meth:`apply`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("capturePage")
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setContentsMargins(14, 14, 14, 10)
        grid.setColumnStretch(1, 1)

        self.record_check = QCheckBox(self.tr("Record what the PBX sends (for Kobikom support)"))
        self.record_help = help_label(self, self.tr(
            "Every message of the call connection is saved in the log folder, for the "
            "support bundle. Passwords, keys and the domain UUID are never saved."))
        self.numbers_check = QCheckBox(self.tr("Keep phone numbers in the recording"))
        self.numbers_help = help_label(self, self.tr(
            "Without this tick, phone numbers are masked (05•••••••67). Tick it only when "
            "support asks for them: the recording then holds your callers' numbers."))
        self.size_spin = QSpinBox(self)
        self.size_spin.setRange(MIN_CAPTURE_MB, MAX_CAPTURE_MB)
        self.size_spin.setSuffix(self.tr(" MB"))
        size_title = plain_label(self, self.tr("Keep at most:"))
        size_title.setBuddy(self.size_spin)
        self.size_help = help_label(self, self.tr(
            "The oldest part of the recording is removed beyond this size."))

        grid.addWidget(self.record_check, 0, 0, 1, 2)
        grid.addWidget(self.record_help, 1, 0, 1, 2)
        grid.addWidget(self._gap(), 2, 0)
        grid.addWidget(self.numbers_check, 3, 0, 1, 2)
        grid.addWidget(self.numbers_help, 4, 0, 1, 2)
        grid.addWidget(self._gap(), 5, 0)
        grid.addWidget(size_title, 6, 0, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.size_spin, 6, 1, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.size_help, 7, 1)
        grid.setRowStretch(8, 1)
        self.record_check.toggled.connect(self._update)
        self._update()

    def title(self) -> str:
        return self.tr("Diagnostics")

    def _gap(self) -> QLabel:
        gap = QLabel(self)
        gap.setFixedHeight(8)
        return gap

    def fill(self, capture: CaptureSettings) -> None:
        self.record_check.setChecked(capture.enabled)
        self.numbers_check.setChecked(capture.keep_numbers)
        self.size_spin.setValue(capture.max_mb)
        self._update()

    def apply(self, capture: CaptureSettings) -> None:
        """Write the values shown into *capture*."""
        capture.enabled = self.record_check.isChecked()
        capture.keep_numbers = self.numbers_check.isChecked()
        capture.max_mb = self.size_spin.value()

    def _update(self) -> None:
        on = self.record_check.isChecked()
        for widget in (self.numbers_check, self.size_spin):
            widget.setEnabled(on)
