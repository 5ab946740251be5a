"""The About dialog: versions, where the app keeps its data and logs, the license.

Support asks for exactly this when an agent calls in, so every value can be
selected and copied, the folders can be opened from here, and "Save support
bundle…" puts it all (with the logs and the last capture) in one zip
(:mod:`desktop.ui.support`).
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import desktop
from desktop.ui.icons import app_icon
from desktop.ui.labels import plain_label
from desktop.ui.tray import APP_NAME

#: Size of the icon in the dialog (logical px).
ICON_SIZE = 64


def _plain(text: str, parent: QWidget) -> QLabel:
    return plain_label(parent, text, selectable=True)


class AboutDialog(QDialog):
    """Version, Qt/PySide/Python versions, data and log folders, license.

    Signals: none (it only shows information).
    """

    def __init__(
        self,
        *,
        data_dir: Path | str | None = None,
        log_dir: Path | str | None = None,
        config_file: Path | str | None = None,
        version: str = desktop.__version__,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        save_support_bundle: Callable[[QWidget], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_url = open_url
        self.setWindowTitle(self.tr("About {app}").format(app=APP_NAME))
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        icon = QLabel(self)
        icon.setPixmap(app_icon().pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatioF()))
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        self.name_label = _plain(APP_NAME, self)
        font = self.name_label.font()
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.4)
        font.setBold(True)
        self.name_label.setFont(font)
        self.version_label = _plain(self.tr("Version {version}").format(version=version), self)
        self.tagline_label = _plain(
            self.tr("Caller popups and call tools for Kobikom PBX agents."), self)
        for label in (self.name_label, self.version_label, self.tagline_label):
            titles.addWidget(label)
        header.addLayout(titles, 1)
        layout.addLayout(header)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        rows: list[tuple[str, str, Path | None]] = [
            (self.tr("Qt"), qVersion(), None),
            (self.tr("PySide6"), PySide6.__version__, None),
            (self.tr("Python"), f"{platform.python_version()} ({sys.platform})", None),
        ]
        if data_dir is not None:
            rows.append((self.tr("Data folder"), str(data_dir), Path(data_dir)))
        if log_dir is not None:
            rows.append((self.tr("Log folder"), str(log_dir), Path(log_dir)))
        if config_file is not None:
            rows.append((self.tr("Settings file"), str(config_file), Path(config_file).parent))
        self.value_labels: dict[str, QLabel] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        for row, (title, value, folder) in enumerate(rows):
            grid.addWidget(_plain(title, self), row, 0, Qt.AlignmentFlag.AlignTop)
            value_label = _plain(value, self)
            value_label.setWordWrap(True)
            self.value_labels[title] = value_label
            grid.addWidget(value_label, row, 1)
            if folder is not None:
                button = QPushButton(self.tr("Open"), self)
                button.clicked.connect(
                    lambda _checked=False, f=folder: self._open_url(QUrl.fromLocalFile(str(f))))
                self.open_buttons[title] = button
                grid.addWidget(button, row, 2)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.license_label = _plain(
            self.tr("Proprietary software. Uses Qt and PySide6 under the GNU LGPL version 3."),
            self)
        self.license_label.setWordWrap(True)
        layout.addWidget(self.license_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.support_button: QPushButton | None = None
        if save_support_bundle is not None:
            self.support_button = buttons.addButton(
                self.tr("Save support bundle…"), QDialogButtonBox.ButtonRole.ActionRole)
            self.support_button.setAutoDefault(False)
            self.support_button.clicked.connect(lambda: save_support_bundle(self))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None = None,
        *,
        data_dir: Path | str | None = None,
        log_dir: Path | str | None = None,
        config_file: Path | str | None = None,
        save_support_bundle: Callable[[QWidget], object] | None = None,
    ) -> AboutDialog:
        """Show the dialog without blocking (the agent never waits); tests replace this."""
        dialog = cls(data_dir=data_dir, log_dir=log_dir, config_file=config_file,
                     save_support_bundle=save_support_bundle, parent=parent)
        dialog.show()
        return dialog
