"""“Save support bundle…” (tray menu, About box) and the Diagnostics settings tab."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from desktop.core.secrets import SecretStore
from desktop.core.settings import Settings, load_settings
from desktop.core.support_bundle import BundleSources
from desktop.core.tasks import TaskSet
from desktop.ui.about import AboutDialog
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.support import SupportBundle

DOMAIN = "97df2222-c948-492c-8a1b-0123456789ab"


class FileManager(QObject):
    """Receives what QDesktopServices.openUrl would hand to the file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def file_manager(qapp) -> Iterator[FileManager]:
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "open")
    try:
        yield manager
    finally:
        QDesktopServices.unsetUrlHandler("file")


@pytest.fixture
def sources(tmp_path: Path) -> BundleSources:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kobikom-desktop.log").write_text(f"INFO kobikom.app: domain {DOMAIN}\n")
    return BundleSources(log_dir=logs, config_file=tmp_path / "settings.toml",
                         domain_uuid=DOMAIN)


def make_support(sources: BundleSources, folder: Path,
                 notes: list[tuple[str, str, bool]]) -> SupportBundle:
    return SupportBundle(lambda: sources, tasks=TaskSet("test-support"),
                         notify=lambda title, text, ok: notes.append((title, text, ok)),
                         folder=lambda: folder)


def test_save_asks_where_builds_off_the_gui_thread_and_opens_the_folder(
        qtbot, qloop, sources: BundleSources, file_manager: FileManager,
        tmp_path: Path) -> None:
    notes: list[tuple[str, str, bool]] = []
    folder = tmp_path / "Documents"
    folder.mkdir()
    support = make_support(sources, folder, notes)
    support.action.trigger()
    dialog = support.ask()  # a second request shows the same dialog
    assert isinstance(dialog, QFileDialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    assert Path(dialog.directory().absolutePath()) == folder
    target = folder / "for-support.zip"
    with qtbot.waitSignal(support.saved, timeout=10_000) as saved:
        dialog.selectFile(str(target))
        dialog.accept()  # what the Save button does
    assert saved.args == [target]
    assert not support.busy
    assert support.action.isEnabled()
    assert file_manager.opened == [QUrl.fromLocalFile(str(folder))]
    assert notes == [("Support bundle saved", "Send for-support.zip to Kobikom support.", True)]
    with zipfile.ZipFile(target) as zf:
        assert DOMAIN not in zf.read("logs/kobikom-desktop.log").decode()


def test_the_default_name_is_dated(qtbot, qloop, sources: BundleSources,
                                   tmp_path: Path) -> None:
    support = make_support(sources, tmp_path, [])
    dialog = support.ask()
    qtbot.addWidget(dialog)
    (chosen,) = dialog.selectedFiles()
    assert Path(chosen).name.startswith("kobikom-support-")
    assert chosen.endswith(".zip")
    dialog.reject()


def test_a_failure_is_said_and_nothing_is_opened(qtbot, qloop, sources: BundleSources,
                                                 file_manager: FileManager,
                                                 tmp_path: Path) -> None:
    notes: list[tuple[str, str, bool]] = []
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    support = make_support(sources, tmp_path, notes)
    with qtbot.waitSignal(support.failed, timeout=10_000):
        support.save(blocker / "bundle.zip")
    assert file_manager.opened == []
    assert [(title, ok) for title, _text, ok in notes] == [("Support bundle not saved", False)]
    assert str(blocker / "bundle.zip") in notes[0][1]
    assert support.action.isEnabled()


def test_about_box_offers_the_bundle_only_when_it_can_be_saved(qtbot) -> None:
    asked: list[object] = []
    dialog = AboutDialog(save_support_bundle=asked.append)
    qtbot.addWidget(dialog)
    assert dialog.support_button is not None
    assert dialog.support_button.text() == "Save support bundle…"
    qtbot.mouseClick(dialog.support_button, Qt.MouseButton.LeftButton)
    assert asked == [dialog]
    plain = AboutDialog()
    qtbot.addWidget(plain)
    assert plain.support_button is None


def test_diagnostics_tab_saves_the_capture_settings(qtbot, qloop, memory_keyring,
                                                    tmp_path: Path) -> None:
    config = tmp_path / "config" / "settings.toml"
    original = Settings()
    original.account.extensions = ["1001"]
    original.account.domain_uuid = DOMAIN
    dialog = SettingsDialog(original, SecretStore(use_env=False), config_path=config)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.secrets_loaded)
    page = dialog.capture_page
    assert dialog.tabs.tabText(dialog.tabs.indexOf(page)) == "Diagnostics"
    assert not page.record_check.isChecked()
    assert not page.numbers_check.isEnabled(), "numbers can only be kept in a recording"
    page.record_check.setChecked(True)
    assert page.numbers_check.isEnabled()
    assert not page.numbers_check.isChecked()
    page.numbers_check.setChecked(True)
    page.size_spin.setValue(50)
    with qtbot.waitSignal(dialog.settingsSaved, timeout=5000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = load_settings(config).capture
    assert (saved.enabled, saved.keep_numbers, saved.max_mb) == (True, True, 50)
    assert "[capture]" in config.read_text()
