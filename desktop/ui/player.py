"""The recording player: download progress, then playback with QtMultimedia.

One small window per recording.  While the file downloads it shows a
progress bar and Cancel; once the file is in the cache (already checked by
:func:`~desktop.core.recordings.inspect_audio`: a RIFF/WAVE header that
matches its size, so the decoder is never fed garbage) it plays it with
``QMediaPlayer`` + ``QAudioOutput`` (FFmpeg decodes the PBX's WAV49):
play/pause, a seek bar, position/duration, speed 1×/1.5×/2×, volume,
"Save as…" and "Open folder".

It never hangs and never stays silent about a problem: a decoder error
(``errorOccurred``), ``InvalidMedia``, or no verdict within
:data:`LOAD_TIMEOUT_MS` shows a plain message; with no audio output device
(a headless machine, no sound server) the player still opens and shows the
duration, with a note that nothing can be heard here.  When QtMultimedia
itself cannot be loaded (e.g. ``libpulse`` missing), the window still offers
"Save as…".
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.recordings import AudioInfo
from desktop.ui.icons import app_icon
from desktop.ui.notice import NoticeBox, NoticeKind
from desktop.ui.popup import window_title_text

log = logging.getLogger("kobikom.ui.player")

#: Give the decoder this long to open a file before saying it failed (ms).
LOAD_TIMEOUT_MS: Final = 8000
SPEEDS: Final = (1.0, 1.5, 2.0)
DEFAULT_VOLUME: Final = 80

RunBlocking = Callable[..., Awaitable[Any]]
Spawn = Callable[..., Any]


async def _to_thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


def _clock(ms: int) -> str:
    total = max(0, ms // 1000)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def safe_file_name(text: str, suffix: str = ".wav") -> str:
    """A file name from local data (never a server-provided path)."""
    name = re.sub(r"[^\w\- .,+()]+", "_", text, flags=re.UNICODE).strip(" ._") or "recording"
    return name[:80] + suffix


class _Media(QObject):
    """QtMultimedia, loaded on first use (it needs system libraries that may be missing)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

        self.QMediaPlayer = QMediaPlayer
        self.player = QMediaPlayer(self)
        self.output = QAudioOutput(self)
        self.player.setAudioOutput(self.output)
        self.has_output = bool(QMediaDevices.audioOutputs())


class RecordingPlayer(QWidget):
    """Plays one call's recording (see the module docstring).

    Signals:
        cancelRequested(): the agent cancelled the download (or closed the window).
        stateChanged(str): ``downloading``, ``loading``, ``ready``, ``error``,
            ``cancelled``.
    """

    cancelRequested = Signal()
    stateChanged = Signal(str)

    def __init__(self, *, title: str, subtitle: str = "", suggested_name: str = "recording",
                 spawn: Spawn | None = None, run_blocking: RunBlocking = _to_thread,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 load_timeout_ms: int = LOAD_TIMEOUT_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("recordingPlayer")
        self.setWindowTitle(window_title_text(self.tr("Recording – {0}").format(title)))
        self.setWindowIcon(app_icon())
        self._spawn = spawn
        self._run_blocking = run_blocking
        self._open_url = open_url
        self._load_timeout_ms = load_timeout_ms
        self.suggested_name = suggested_name
        self.state = ""
        self.path: Path | None = None
        self.info: AudioInfo | None = None
        self.media: _Media | None = None
        self.media_error: str | None = None
        self.file_dialog: QFileDialog | None = None
        self._duration_ms = 0
        self._dragging = False
        self._build(title, subtitle)
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.timeout.connect(self._load_timed_out)
        self.resize(460, 0)
        self._set_state("downloading")

    # -- building ---------------------------------------------------------------------

    def _build(self, title: str, subtitle: str) -> None:
        outer = QVBoxLayout(self)
        outer.setSpacing(8)
        self.title_label = QLabel(title, self)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title_label.setFont(font)
        outer.addWidget(self.title_label)
        self.subtitle_label = QLabel(subtitle, self)
        self.subtitle_label.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle_label.setStyleSheet("color: #5f6368;")
        self.subtitle_label.setVisible(bool(subtitle))
        outer.addWidget(self.subtitle_label)

        self.download_row = QWidget(self)
        download = QHBoxLayout(self.download_row)
        download.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar(self.download_row)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(True)
        self.progress.setFormat(self.tr("Downloading…"))
        download.addWidget(self.progress, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self.download_row)
        self.cancel_button.clicked.connect(self.cancel)
        download.addWidget(self.cancel_button)
        outer.addWidget(self.download_row)

        self.notice = NoticeBox(self)
        outer.addWidget(self.notice)

        self.controls = QWidget(self)
        controls = QVBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(4)
        seek_row = QHBoxLayout()
        self.play_button = QToolButton(self.controls)
        self.play_button.setIconSize(QSize(22, 22))
        self.play_button.setMinimumSize(36, 32)
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play"))
        self.play_button.setAccessibleName(self.tr("Play"))
        self.play_button.clicked.connect(self.toggle_play)
        seek_row.addWidget(self.play_button)
        self.seek = QSlider(Qt.Orientation.Horizontal, self.controls)
        self.seek.setRange(0, 0)
        self.seek.setAccessibleName(self.tr("Position"))
        self.seek.sliderPressed.connect(lambda: setattr(self, "_dragging", True))
        self.seek.sliderReleased.connect(self._seek_released)
        self.seek.sliderMoved.connect(self._seek_moved)
        seek_row.addWidget(self.seek, 1)
        self.time_label = QLabel("0:00 / 0:00", self.controls)
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00 / 00:00") + 8)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        seek_row.addWidget(self.time_label)
        controls.addLayout(seek_row)

        options = QHBoxLayout()
        speed_label = QLabel(self.tr("Speed"), self.controls)
        options.addWidget(speed_label)
        self.speed_combo = QComboBox(self.controls)
        for speed in SPEEDS:
            self.speed_combo.addItem(f"{speed:g}×", speed)
        self.speed_combo.currentIndexChanged.connect(self._speed_changed)
        speed_label.setBuddy(self.speed_combo)
        options.addWidget(self.speed_combo)
        options.addSpacing(12)
        self.mute_button = QToolButton(self.controls)
        self.mute_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume))
        self.mute_button.setCheckable(True)
        self.mute_button.setToolTip(self.tr("Mute"))
        self.mute_button.toggled.connect(self._mute_toggled)
        options.addWidget(self.mute_button)
        self.volume = QSlider(Qt.Orientation.Horizontal, self.controls)
        self.volume.setRange(0, 100)
        self.volume.setValue(DEFAULT_VOLUME)
        self.volume.setMaximumWidth(120)
        self.volume.setAccessibleName(self.tr("Volume"))
        self.volume.valueChanged.connect(self._volume_changed)
        options.addWidget(self.volume)
        options.addStretch(1)
        controls.addLayout(options)
        outer.addWidget(self.controls)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save as…"), self)
        self.save_button.clicked.connect(self.save_as)
        self.folder_button = QPushButton(self.tr("Open folder"), self)
        self.folder_button.clicked.connect(self.open_folder)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.close_button)
        outer.addLayout(buttons)

    # -- state ------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        downloading = state == "downloading"
        self.download_row.setVisible(downloading)
        ready = state in ("loading", "ready")
        self.controls.setEnabled(state == "ready")
        self.controls.setVisible(ready or (state == "error" and self.path is not None))
        have_file = self.path is not None and state != "downloading"
        self.save_button.setEnabled(have_file)
        self.folder_button.setEnabled(have_file)
        self.stateChanged.emit(state)
        self._fit()

    def _fit(self) -> None:
        """Height to the content (a notice appeared or went, controls shown or hidden)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        if layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(self.width())
        else:
            height = layout.totalSizeHint().height()
        self.resize(self.width(), max(height, layout.totalMinimumSize().height()))

    def _notice(self, kind: NoticeKind, title: str, text: str = "") -> None:
        self.notice.show_message(kind, title, text)
        self._fit()

    def show_progress(self, received: int, total: int | None) -> None:
        """Download progress (bytes so far, total if the server said)."""
        if total:
            self.progress.setRange(0, 1000)
            self.progress.setValue(min(1000, received * 1000 // max(1, total)))
            self.progress.setFormat(self.tr("Downloading… %p%"))
        else:
            self.progress.setRange(0, 0)
            kib = received // 1024
            self.progress.setFormat(self.tr("Downloading… {0} KB").format(kib))

    def cancel(self) -> None:
        if self.state == "downloading":
            self.cancelRequested.emit()
            self.show_cancelled()

    def show_cancelled(self) -> None:
        self._notice(NoticeKind.INFO, self.tr("Download cancelled"))
        self._set_state("cancelled")

    def show_error(self, title: str, text: str = "") -> None:
        """A problem, in plain words (the window stays open)."""
        self._load_timer.stop()
        if self.media is not None:
            self.media.player.stop()
        self._notice(NoticeKind.ERROR, title, text)
        self._set_state("error")

    # -- loading ----------------------------------------------------------------------

    def load(self, path: Path, info: AudioInfo | None = None) -> None:
        """Play *path* (a checked file in the cache)."""
        self.path = path
        self.info = info
        if info is not None and info.duration is not None:
            self._set_duration(int(info.duration * 1000))
        try:
            self.media = _Media(self)
        except Exception as exc:  # ImportError, or a missing system library
            self.media_error = str(exc) or type(exc).__name__
            log.warning("QtMultimedia is not available: %s", self.media_error)
            self._notice(
                NoticeKind.WARNING, self.tr("Playback is not available on this computer"),
                self.tr("The recording was downloaded; use “Save as…” to open it in another "
                        "program. ({0})").format(self.media_error))
            self._set_state("error")
            return
        media = self.media
        media.output.setVolume(self.volume.value() / 100)
        media.output.setMuted(self.mute_button.isChecked())
        media.player.durationChanged.connect(self._duration_changed)
        media.player.positionChanged.connect(self._position_changed)
        media.player.mediaStatusChanged.connect(self._status_changed)
        media.player.errorOccurred.connect(self._media_error)
        media.player.playbackStateChanged.connect(self._playback_changed)
        if not media.has_output:
            self._notice(
                NoticeKind.WARNING, self.tr("No audio output device"),
                self.tr("Nothing can be heard on this computer right now (no speakers or "
                        "headset found). Use “Save as…” to keep the recording."))
        else:
            self.notice.setVisible(False)
        self._set_state("loading")
        self._load_timer.start(self._load_timeout_ms)
        media.player.setSource(QUrl.fromLocalFile(str(path)))

    def _status_changed(self, status: Any) -> None:
        if self.media is None:
            return
        enum = self.media.QMediaPlayer.MediaStatus
        if status == enum.InvalidMedia:
            self.show_error(self.tr("This file cannot be played"),
                            self.tr("It is not a recording the player understands."))
        elif status in (enum.LoadedMedia, enum.BufferedMedia, enum.BufferingMedia) and \
                self.state == "loading":
            self._load_timer.stop()
            self._set_state("ready")
        elif status == enum.EndOfMedia:
            self.media.player.setPosition(0)

    def _media_error(self, error: Any, message: str) -> None:
        if self.media is None or error == self.media.QMediaPlayer.Error.NoError:
            return
        log.warning("recording playback failed: %s", message)
        self.show_error(self.tr("The recording could not be played"), message)

    def _load_timed_out(self) -> None:
        if self.state == "loading":
            self.show_error(self.tr("The recording could not be opened"),
                            self.tr("The media decoder gave no answer."))

    # -- playback -------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        if self.media is None:
            return False
        return bool(self.media.player.playbackState()
                    == self.media.QMediaPlayer.PlaybackState.PlayingState)

    def toggle_play(self) -> None:
        if self.media is None or self.state != "ready":
            return
        if self.playing:
            self.media.player.pause()
        else:
            self.media.player.play()

    def _playback_changed(self, _state: Any) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if self.playing else \
            QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        text = self.tr("Pause") if self.playing else self.tr("Play")
        self.play_button.setToolTip(text)
        self.play_button.setAccessibleName(text)

    def _set_duration(self, ms: int) -> None:
        if ms <= 0:
            return
        self._duration_ms = ms
        self.seek.setRange(0, ms)
        self._show_time(self.seek.value())

    def _duration_changed(self, ms: int) -> None:
        self._set_duration(int(ms))

    def _position_changed(self, ms: int) -> None:
        if not self._dragging:
            self.seek.setValue(int(ms))
        self._show_time(int(ms))

    def _show_time(self, ms: int) -> None:
        self.time_label.setText(f"{_clock(ms)} / {_clock(self._duration_ms)}")

    def _seek_moved(self, ms: int) -> None:
        self._show_time(ms)

    def _seek_released(self) -> None:
        self._dragging = False
        self.set_position(self.seek.value())

    def set_position(self, ms: int) -> None:
        if self.media is not None:
            self.media.player.setPosition(max(0, int(ms)))
        self.seek.setValue(int(ms))
        self._show_time(int(ms))

    def duration_ms(self) -> int:
        return self._duration_ms

    def _speed_changed(self) -> None:
        if self.media is not None:
            self.media.player.setPlaybackRate(float(self.speed_combo.currentData()))

    def set_speed(self, speed: float) -> None:
        index = self.speed_combo.findData(speed)
        if index >= 0:
            self.speed_combo.setCurrentIndex(index)

    def _volume_changed(self, value: int) -> None:
        if self.media is not None:
            self.media.output.setVolume(value / 100)

    def _mute_toggled(self, muted: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else \
            QStyle.StandardPixmap.SP_MediaVolume
        self.mute_button.setIcon(self.style().standardIcon(icon))
        if self.media is not None:
            self.media.output.setMuted(muted)

    # -- files ------------------------------------------------------------------------

    def save_as(self) -> None:
        if self.path is None:
            return
        dialog = QFileDialog(self, self.tr("Save recording"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("WAV audio (*.wav)"))
        dialog.setDefaultSuffix("wav")
        dialog.selectFile(self.suggested_name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.fileSelected.connect(self.save_to)
        self.file_dialog = dialog
        dialog.open()

    def save_to(self, target: str) -> None:
        """Copy the recording to *target* (in a worker thread)."""
        if self.path is None or not target:
            return
        source = self.path
        if self._spawn is None:
            self._saved(target, self._copy(source, Path(target)))
            return

        async def copy() -> None:
            error = await self._run_blocking(self._copy, source, Path(target))
            self._saved(target, error)

        self._spawn(copy(), name="save-recording")

    @staticmethod
    def _copy(source: Path, target: Path) -> str | None:
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def _saved(self, target: str, error: str | None) -> None:
        if error is None:
            self._notice(NoticeKind.SUCCESS, self.tr("Saved"), target)
        else:
            self._notice(NoticeKind.ERROR, self.tr("Could not save the recording"),
                                     f"{target}: {error}")

    def open_folder(self) -> None:
        if self.path is not None:
            self._open_url(QUrl.fromLocalFile(str(self.path.parent)))

    # -- closing ----------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        if self.state == "downloading":
            self.cancelRequested.emit()
        self._load_timer.stop()
        if self.media is not None:
            self.media.player.stop()
            self.media.player.setSource(QUrl())
        super().closeEvent(event)
