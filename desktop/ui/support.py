"""“Save support bundle…”: the tray entry and the About box button.

:class:`SupportBundle` asks where to save (a non-modal save dialog, named
``kobikom-support-<date>-<time>.zip`` in the Documents folder), builds the
zip in a worker thread (:func:`desktop.core.support_bundle.build_support_bundle`:
logs, settings, capture, versions), then opens the folder in the file
manager with the new file in it.  The agent never waits for it, and a
failure is said in words.

Signals:
    saved(Path): the bundle is written (its path).
    failed(str): it could not be written (the reason).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.support_bundle import (
    BundleReport,
    BundleSources,
    build_support_bundle,
    default_bundle_name,
)
from desktop.core.tasks import TaskSet

log = logging.getLogger("kobikom.ui.support")

Notify = Callable[[str, str, bool], None]


def qt_versions() -> dict[str, str]:
    """The Qt the app runs on (the core cannot ask Qt itself)."""
    return {"Qt (run time)": qVersion(), "PySide6 (run time)": PySide6.__version__}


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class SupportBundle(QObject):
    """Saves support bundles; see the module docstring.

    *sources* is called on the GUI thread when saving starts (cheap: paths,
    the state); *notify(title, text, ok)* tells the agent the outcome.
    """

    saved = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        sources: Callable[[], BundleSources],
        *,
        tasks: TaskSet,
        notify: Notify,
        folder: Callable[[], Path] = documents_folder,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sources = sources
        self._tasks = tasks
        self._notify = notify
        self._folder = folder
        self._open_url = open_url
        self._dialog: QFileDialog | None = None
        self._busy = False
        self.action = QAction(self.tr("Save support bundle…"), self)
        self.action.setToolTip(self.tr(
            "One zip file for Kobikom support: logs, settings and the last recording of "
            "the PBX connection, without passwords."))
        self.action.triggered.connect(lambda: self.ask())

    @property
    def busy(self) -> bool:
        return self._busy

    def ask(self, parent: QWidget | None = None) -> QFileDialog:
        """Show the save dialog (non-modal); choosing a file starts :meth:`save`."""
        if self._dialog is not None:
            self._dialog.raise_()
            self._dialog.activateWindow()
            return self._dialog
        dialog = QFileDialog(parent, self.tr("Save support bundle"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters([self.tr("Zip files (*.zip)")])
        dialog.setDefaultSuffix("zip")
        dialog.setDirectory(str(self._folder()))
        dialog.selectFile(default_bundle_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(lambda path: self.save(Path(path)))
        dialog.destroyed.connect(self._dialog_gone)
        self._dialog = dialog
        # Not modal: a popup that rings meanwhile must stay clickable.
        dialog.setModal(False)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _dialog_gone(self, *_args: Any) -> None:
        self._dialog = None

    def save(self, path: Path) -> asyncio.Task[BundleReport | None]:
        """Build the bundle at *path* off the GUI thread."""
        return self._tasks.spawn(self._save(Path(path)), name="support-bundle")

    async def _save(self, path: Path) -> BundleReport | None:
        self._busy = True
        self.action.setEnabled(False)
        try:
            sources = self._sources()
            report = await asyncio.to_thread(build_support_bundle, path, sources)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            log.warning("support bundle not saved to %s: %s", path, reason)
            self._notify(self.tr("Support bundle not saved"),
                         self.tr("{file} could not be written: {reason}").format(
                             file=str(path), reason=reason), False)
            self.failed.emit(reason)
            return None
        finally:
            self._busy = False
            self.action.setEnabled(True)
        log.info("support bundle saved: %s (%d files, %d bytes)", report.path,
                 len(report.members), report.size)
        self._open_url(QUrl.fromLocalFile(str(report.path.parent)))
        self._notify(self.tr("Support bundle saved"),
                     self.tr("Send {file} to Kobikom support.").format(file=report.path.name),
                     True)
        self.saved.emit(report.path)
        return report
