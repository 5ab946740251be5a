"""The About dialog."""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion

import desktop
from desktop.ui.about import AboutDialog


def test_versions_paths_and_license(qtbot, tmp_path: Path) -> None:
    opened: list[QUrl] = []
    dialog = AboutDialog(data_dir=tmp_path / "data", log_dir=tmp_path / "log",
                         config_file=tmp_path / "cfg" / "settings.toml", open_url=opened.append)
    qtbot.addWidget(dialog)
    assert dialog.version_label.text() == f"Version {desktop.__version__}"
    assert dialog.value_labels["Qt"].text() == qVersion()
    assert dialog.value_labels["PySide6"].text() == PySide6.__version__
    assert dialog.value_labels["Data folder"].text() == str(tmp_path / "data")
    assert "LGPL" in dialog.license_label.text()
    qtbot.mouseClick(dialog.open_buttons["Log folder"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_buttons["Settings file"], Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "log")),
                      QUrl.fromLocalFile(str(tmp_path / "cfg"))]


def test_ask_does_not_block(qtbot) -> None:
    dialog = AboutDialog.ask()
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert "Data folder" not in dialog.value_labels
