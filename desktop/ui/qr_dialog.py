"""The softphone QR code: put an extension on the agent's mobile phone.

Tekil Santral serves a provisioning QR code per extension and phone app
(digest §6): Zoiper (``GET /central/getQRCodeZoiper/{ext}``) and Grandstream
Wave (``GET /central/getQRCode/{ext}``).  :class:`QrDialog` lets the agent
pick the app and the extension, shows the code large and crisp, and offers
"Save as PNG…" and "Copy", with short instructions for the phone app.

* The PBX's answer is checked in the pbx layer (it must be a real PNG:
  :func:`desktop.pbx.rest.qr_png_from_answer`); here it is decoded on the
  GUI thread (bounded in size: :func:`decode_qr_image` says why not in a
  worker thread) and scaled by a whole factor with
  nearest-neighbour sampling, so every module stays a sharp square (also on
  HiDPI screens, where the factor counts device pixels).
* KobiPBX (Bulut Santral) has no documented QR service: the dialog says so
  instead of showing an empty box.
* The code holds the extension's SIP password: the dialog says so, and the
  payload is never logged.

The dialog gets its data through two coroutine functions (constructor
arguments), so it never opens a socket itself.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.account import AccountIncomplete
from desktop.core.account_check import PbxExtension
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import Flavor
from desktop.pbx.errors import AuthError, NetworkError, PbxError, RequestError
from desktop.ui.icons import app_icon
from desktop.ui.notice import NoticeBox, NoticeKind

log = logging.getLogger("kobikom.ui.qr_dialog")

#: How large the code is shown, in logical pixels (a phone scans it easily).
QR_DISPLAY_SIZE: Final = 400
#: The largest QR image decoded (px per side); the panel's are a few hundred.
QR_MAX_SIDE: Final = 2048
#: Longest error detail shown (an exception may carry a whole answer).
ERROR_TEXT_LIMIT: Final = 300
#: Width of the extension picker, in characters ("101000 – Ayşe Demir").
EXTENSION_COMBO_CHARS: Final = 22
#: The apps, in the order offered.
QR_APPS: Final = ("zoiper", "grandstream")

#: ``(extension, app) -> PNG bytes`` (raises pbx errors / AccountIncomplete).
FetchQr = Callable[[str, str], Awaitable[bytes]]
#: ``() -> the PBX's extensions`` (optional).
FetchExtensions = Callable[[], Awaitable[list[PbxExtension]]]


def integer_scale(image_side: int, target: int) -> int:
    """The largest whole factor that keeps *image_side* within *target* (at least 1)."""
    if image_side <= 0:
        return 1
    return max(1, math.floor(target / image_side))


def decode_qr_image(data: bytes, target_device_px: int) -> tuple[QImage, QImage]:
    """(the decoded image, its crisp enlargement), on the GUI thread.

    Not in a worker thread: PySide keeps the GIL while Qt decodes, and Qt's
    image plugins connect signals inside (the SVG probe's ``QTextStream``),
    which takes a lock from the same pool the GUI thread holds while it
    waits for the GIL in a ``disconnect``: a deadlock, seen once in CI.  The
    cost is bounded instead: only a PNG is read, and its size is read from
    the header first (:data:`QR_MAX_SIDE`); a QR code of a few hundred
    pixels decodes in about a millisecond.

    Raises ``ValueError`` when the PNG is too large or cannot be decoded.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"png")
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > QR_MAX_SIDE:
        raise ValueError(f"the image is too large ({size.width()}x{size.height()} px)")
    image = reader.read()
    buffer.close()
    if image.isNull():
        raise ValueError("the image could not be decoded")
    factor = integer_scale(max(image.width(), image.height()), target_device_px)
    scaled = image.scaled(image.width() * factor, image.height() * factor,
                          Qt.AspectRatioMode.IgnoreAspectRatio,
                          Qt.TransformationMode.FastTransformation)
    return image, scaled


def write_file_atomically(path: Path, data: bytes) -> None:
    """Runs in a worker thread: write *data* to *path* via a temp file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".qr-", suffix=".png", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class QrDialog(QDialog):
    """Pick the phone app and the extension; see, save or copy the QR code.

    Signals:
        qrShown(str, str): a code is on screen (app, extension).
        qrFailed(str): loading failed; the plain-text message shown.
        saved(str): the PNG was written to this path.
    """

    qrShown = Signal(str, str)
    qrFailed = Signal(str)
    saved = Signal(str)

    def __init__(
        self,
        *,
        flavor: Flavor,
        extensions: list[str],
        fetch_qr: FetchQr,
        fetch_extensions: FetchExtensions | None = None,
        tasks: TaskSet | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._flavor = flavor
        self._fetch_qr = fetch_qr
        self._fetch_extensions = fetch_extensions
        self._tasks = tasks if tasks is not None else TaskSet("qr-dialog")
        self._load_task: asyncio.Task[None] | None = None
        self._file_dialog: QFileDialog | None = None
        #: The PNG as the PBX sent it, and the image on screen.
        self.png: bytes | None = None
        self.image: QImage | None = None
        self.shown_for: tuple[str, str] | None = None

        self.setWindowTitle(self.tr("Softphone QR code"))
        self.setWindowIcon(app_icon())
        self.setObjectName("qrDialog")
        self._build(extensions)
        if flavor is not Flavor.TEKIL:
            self._not_available()
        else:
            if fetch_extensions is not None:
                self._tasks.spawn(self._load_extensions(), name="qr-extensions")
            self.reload()

    # ------------------------------------------------------------------ building

    def _build(self, extensions: list[str]) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        choices = QGridLayout()
        choices.setHorizontalSpacing(8)
        choices.setVerticalSpacing(6)
        self.app_combo = QComboBox(self)
        self.app_combo.addItem(self.tr("Zoiper"), "zoiper")
        self.app_combo.addItem(self.tr("Grandstream Wave"), "grandstream")
        self.extension_combo = QComboBox(self)
        self.extension_combo.setEditable(True)
        self.extension_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.extension_combo.setMinimumContentsLength(EXTENSION_COMBO_CHARS)
        self.extension_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for extension in extensions:
            self.extension_combo.addItem(extension, extension)
        app_label = QLabel(self.tr("Phone app:"), self)
        app_label.setBuddy(self.app_combo)
        ext_label = QLabel(self.tr("Extension:"), self)
        ext_label.setBuddy(self.extension_combo)
        choices.addWidget(app_label, 0, 0)
        choices.addWidget(self.app_combo, 0, 1)
        choices.addWidget(ext_label, 0, 2)
        choices.addWidget(self.extension_combo, 0, 3)
        choices.setColumnStretch(1, 1)
        choices.setColumnStretch(3, 1)
        outer.addLayout(choices)

        self.image_label = QLabel(self)
        self.image_label.setObjectName("qrImage")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setMinimumSize(QSize(QR_DISPLAY_SIZE + 24, QR_DISPLAY_SIZE + 24))
        self.image_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.image_label.setStyleSheet("QLabel#qrImage { background: #ffffff; color: #80868b; }")
        self.image_label.setTextFormat(Qt.TextFormat.PlainText)
        self.image_label.setWordWrap(True)
        outer.addWidget(self.image_label, 1)

        self.notice = NoticeBox(self)
        outer.addWidget(self.notice)

        self.instructions = QLabel(self)
        self.instructions.setTextFormat(Qt.TextFormat.PlainText)
        self.instructions.setWordWrap(True)
        outer.addWidget(self.instructions)
        self.warning = QLabel(self.tr(
            "The code contains your extension's password: scan it only with your own phone, "
            "and do not share or print it."), self)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b06000;")
        outer.addWidget(self.warning)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save as PNG…"), self)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.browse_save)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        self.status_label = QLabel(self)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(box)
        outer.addLayout(buttons)

        self.app_combo.currentIndexChanged.connect(self._app_changed)
        self.extension_combo.activated.connect(lambda _i: self.reload())
        line_edit = self.extension_combo.lineEdit()
        if line_edit is not None:
            line_edit.editingFinished.connect(self._extension_edited)
        self._show_instructions()
        self._set_image_actions(False)

    def _set_image_actions(self, enabled: bool) -> None:
        self.save_button.setEnabled(enabled)
        self.copy_button.setEnabled(enabled)

    def _show_instructions(self) -> None:
        if self.app() == "zoiper":
            text = self.tr("On your phone, open Zoiper and add an account by scanning a QR "
                           "code (usually: Settings → Accounts → + → Scan QR code). Names "
                           "of the menus vary between versions.")
        else:
            text = self.tr("On your phone, open Grandstream Wave and add an account by "
                           "scanning a QR code (usually: Settings → Account Settings → + → "
                           "Scan QR code). Names of the menus vary between versions.")
        self.instructions.setText(text)

    def _not_available(self) -> None:
        for widget in (self.app_combo, self.extension_combo):
            widget.setEnabled(False)
        self._set_image_actions(False)
        self.instructions.setVisible(False)
        self.warning.setVisible(False)
        self.image_label.setVisible(False)
        self.image_label.setMinimumSize(QSize(0, 0))
        self.notice.show_message(
            NoticeKind.INFO, self.tr("No QR code for KobiPBX accounts"),
            self.tr("Kobikom documents QR codes only for Tekil Santral. For Bulut Santral "
                    "(KobiPBX), ask Kobikom's technical team for your extension's SIP "
                    "settings and enter them in the phone app by hand."))
        self.adjustSize()

    # ------------------------------------------------------------------ values

    def app(self) -> str:
        return str(self.app_combo.currentData() or "zoiper")

    def extension(self) -> str:
        combo = self.extension_combo
        index = combo.currentIndex()
        data = combo.itemData(index) if index >= 0 else None
        if isinstance(data, str) and combo.currentText() == combo.itemText(index):
            return data
        return combo.currentText().strip()

    def select(self, app: str | None = None, extension: str | None = None) -> None:
        """Choose the app and/or the extension and load the code (tests, callers)."""
        if app is not None:
            blocked = self.app_combo.blockSignals(True)
            self.app_combo.setCurrentIndex(max(0, self.app_combo.findData(app)))
            self.app_combo.blockSignals(blocked)
            self._show_instructions()
        if extension is not None:
            index = self.extension_combo.findData(extension)
            if index >= 0:
                self.extension_combo.setCurrentIndex(index)
            else:
                self.extension_combo.setEditText(extension)
        self.reload()

    def _app_changed(self, _index: int) -> None:
        self._show_instructions()
        self.reload()

    def _extension_edited(self) -> None:
        if self.shown_for is None or self.shown_for[1] != self.extension():
            self.reload()

    # ------------------------------------------------------------------ loading

    async def _load_extensions(self) -> None:
        assert self._fetch_extensions is not None
        try:
            extensions = await self._fetch_extensions()
        except (PbxError, AccountIncomplete) as exc:
            log.info("QR dialog: extension list not available: %s", exc)
            return
        combo = self.extension_combo
        known = {combo.itemData(i) for i in range(combo.count())}
        current = self.extension()
        blocked = combo.blockSignals(True)
        for index in range(combo.count()):
            number = combo.itemData(index)
            match = next((e for e in extensions if e.number == number), None)
            if match is not None:
                combo.setItemText(index, match.label())
        for extension in extensions:
            if extension.number not in known:
                combo.addItem(extension.label(), extension.number)
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)
        combo.blockSignals(blocked)

    def reload(self) -> None:
        """Fetch and show the code for the current app and extension."""
        if self._flavor is not Flavor.TEKIL:
            return
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        extension, app = self.extension(), self.app()
        self._set_image_actions(False)
        self.png = self.image = None
        self.shown_for = None
        self.notice.setVisible(False)
        self.status_label.clear()
        if not extension:
            self.image_label.setPixmap(QPixmap())
            self.image_label.setText(self.tr("Choose an extension."))
            return
        self.image_label.setPixmap(QPixmap())
        self.image_label.setText(self.tr("Loading the QR code…"))
        self._load_task = self._tasks.spawn(self._load(extension, app), name="qr-load")

    async def _load(self, extension: str, app: str) -> None:
        dpr = self.devicePixelRatioF()
        try:
            png = await self._fetch_qr(extension, app)
            image, scaled = decode_qr_image(png, round(QR_DISPLAY_SIZE * dpr))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failed(extension, exc)
            return
        pixmap = QPixmap.fromImage(scaled)
        pixmap.setDevicePixelRatio(dpr)
        self.image_label.setText("")
        self.image_label.setPixmap(pixmap)
        self.png, self.image = png, image
        self.shown_for = (app, extension)
        self._set_image_actions(True)
        log.info("QR code shown (%s, %dx%d, shown at %dx%d device px)", app, image.width(),
                 image.height(), scaled.width(), scaled.height())
        self.qrShown.emit(app, extension)

    def _failed(self, extension: str, exc: BaseException) -> None:
        if isinstance(exc, AccountIncomplete):
            title = self.tr("Set up your account first")
            text = self.tr("The QR code needs your panel e-mail and password.")
        elif isinstance(exc, AuthError):
            title = self.tr("Sign-in failed")
            text = self.tr("The panel rejected your e-mail or password. Check them in "
                           "Settings.")
        elif isinstance(exc, RequestError) and exc.status == 404:
            title = self.tr("Extension not found")
            text = self.tr("The PBX has no extension {extension}.").format(extension=extension)
        elif isinstance(exc, NetworkError):
            title = self.tr("The panel cannot be reached")
            text = str(exc)
        elif isinstance(exc, PbxError):
            title = self.tr("The panel did not send a QR code")
            text = str(exc)
        elif isinstance(exc, ValueError):
            title = self.tr("The QR code could not be shown")
            text = str(exc)[:ERROR_TEXT_LIMIT]
        else:
            log.error("QR code failed unexpectedly", exc_info=exc)
            title = self.tr("The QR code could not be shown")
            text = f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]
        log.info("QR code for the extension not shown: %s", exc)
        self.image_label.setPixmap(QPixmap())
        self.image_label.setText(self.tr("No QR code to show."))
        self.notice.show_message(NoticeKind.ERROR, title, text)
        self.qrFailed.emit(f"{title}\n{text}")

    # ------------------------------------------------------------------ save, copy

    def default_file_name(self) -> str:
        app, extension = self.shown_for or (self.app(), self.extension())
        return f"kobikom-{app}-{extension}.png"

    def browse_save(self) -> None:
        """Ask where to save, without a nested event loop (tests call :meth:`save_to`)."""
        dialog = QFileDialog(self, self.tr("Save the QR code"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr("PNG images (*.png)")])
        dialog.setDefaultSuffix("png")
        dialog.selectFile(self.default_file_name())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(lambda path: self.save_to(Path(path)))
        self._file_dialog = dialog
        dialog.open()

    def save_to(self, path: Path) -> asyncio.Task[None] | None:
        """Write the PNG exactly as the PBX sent it (in a worker thread)."""
        if self.png is None:
            return None
        return self._tasks.spawn(self._save(path, self.png), name="qr-save")

    async def _save(self, path: Path, data: bytes) -> None:
        try:
            await asyncio.to_thread(write_file_atomically, path, data)
        except OSError as exc:
            self.notice.show_message(NoticeKind.ERROR, self.tr("The file could not be saved"),
                                     f"{path}: {exc.strerror or exc}")
            return
        self.status_label.setText(self.tr("Saved as {name}").format(name=path.name))
        log.info("QR code saved (%d bytes)", len(data))
        self.saved.emit(str(path))

    def copy(self) -> None:
        """Put the enlarged code on the clipboard (pastes crisp into documents and chats)."""
        if self.image is None:
            return
        factor = integer_scale(max(self.image.width(), self.image.height()), QR_DISPLAY_SIZE)
        big = self.image.scaled(self.image.width() * factor, self.image.height() * factor,
                                Qt.AspectRatioMode.IgnoreAspectRatio,
                                Qt.TransformationMode.FastTransformation)
        clipboard = QGuiApplication.clipboard()
        clipboard.setImage(big)
        self.status_label.setText(self.tr("Copied"))

    def done(self, result: int) -> None:
        if self._load_task is not None and not self._load_task.done():
            self._load_task.cancel()
        super().done(result)
