"""Recording playback: Qt's own decoder on a real WAV49 file, and the player window.

The GSM 6.10 WAV is generated here with soundfile (libsndfile).  This
machine has no audio output device (see ENVIRONMENT.md): the player must
still load the file, show its duration and say why nothing can be heard.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioDecoder, QMediaDevices

from desktop.core.recordings import inspect_audio
from desktop.core.tasks import TaskSet
from desktop.ui import player as player_module
from desktop.ui.player import RecordingPlayer, safe_file_name
from tests.helpers.audio import gsm_wav
from tests.helpers.qt_asyncio import qt_asyncio_loop, run_until


@pytest.fixture
def qloop(qapp: Any) -> Iterator[Any]:
    with qt_asyncio_loop(qapp) as loop:
        yield loop


@pytest.fixture
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "kayit.wav"
    path.write_bytes(gsm_wav(3.0))
    return path


@pytest.mark.parametrize("seconds", [3.0, 12.0])
def test_qt_decodes_wav49_to_the_right_duration(qtbot: Any, tmp_path: Path,
                                                 seconds: float) -> None:
    path = tmp_path / "gsm.wav"
    path.write_bytes(gsm_wav(seconds))
    decoder = QAudioDecoder()
    frames: list[int] = []
    rates: set[int] = set()

    def ready() -> None:
        buffer = decoder.read()
        frames.append(buffer.frameCount())
        rates.add(buffer.format().sampleRate())

    decoder.bufferReady.connect(ready)
    decoder.setSource(QUrl.fromLocalFile(str(path)))
    with qtbot.waitSignal(decoder.finished, timeout=10_000):
        decoder.start()
    assert decoder.error() == QAudioDecoder.Error.NoError
    assert rates == {8000}
    assert sum(frames) == int(seconds * 8000)


def make_player(qtbot: Any, **kwargs: Any) -> RecordingPlayer:
    player = RecordingPlayer(title="Ayşe Yılmaz", subtitle="0532 123 45 67 · 10.03.2024 20:28",
                             **kwargs)
    qtbot.addWidget(player)
    player.show()
    return player


def test_player_loads_shows_duration_and_controls_playback(qtbot: Any, wav: Path) -> None:
    player = make_player(qtbot)
    assert player.state == "downloading"
    assert player.download_row.isVisible()
    player.load(wav, inspect_audio(wav.read_bytes()))
    qtbot.waitUntil(lambda: player.state == "ready", timeout=8000)
    assert player.duration_ms() == 3000
    assert player.time_label.text() == "0:00 / 0:03"
    if not QMediaDevices.audioOutputs():
        assert "No audio output device" in player.notice.text()
        assert player.notice.isVisible()
    assert player.media is not None
    player.set_speed(2.0)
    assert player.media.player.playbackRate() == 2.0
    player.volume.setValue(50)
    assert player.media.output.volume() == pytest.approx(0.5, abs=0.01)
    player.mute_button.setChecked(True)
    assert player.media.output.isMuted()
    player.toggle_play()
    qtbot.waitUntil(lambda: player.playing, timeout=5000)
    player.toggle_play()
    qtbot.waitUntil(lambda: not player.playing, timeout=5000)
    player.set_position(1500)
    qtbot.waitUntil(lambda: abs(player.media.player.position() - 1500) < 200, timeout=5000)
    assert player.time_label.text().startswith("0:01")


def test_a_file_the_decoder_rejects_is_a_message_not_a_hang(qtbot: Any,
                                                            tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x10\x00\x00WAVEfmt " + b"\x00" * 200)
    player = make_player(qtbot)
    player.load(bad)
    qtbot.waitUntil(lambda: player.state == "error", timeout=10_000)
    assert "could not be played" in player.notice.text() or \
        "cannot be played" in player.notice.text()
    assert player.save_button.isEnabled()  # the file can still be saved


class _SilentPlayer(QObject):
    """A decoder that never answers (to prove the timeout)."""

    durationChanged = Signal(int)
    positionChanged = Signal(int)
    mediaStatusChanged = Signal(object)
    errorOccurred = Signal(object, str)
    playbackStateChanged = Signal(object)

    def setSource(self, url: QUrl) -> None:
        pass

    def stop(self) -> None:
        pass


class _SilentMedia(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self.QMediaPlayer = QMediaPlayer
        self.player = _SilentPlayer(self)
        self.output = QAudioOutput(self)
        self.has_output = True


def test_no_answer_from_the_decoder_times_out(qtbot: Any, wav: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(player_module, "_Media", _SilentMedia)
    player = make_player(qtbot, load_timeout_ms=100)
    player.load(wav)
    assert player.state == "loading"
    qtbot.waitUntil(lambda: player.state == "error", timeout=3000)
    assert "gave no answer" in player.notice.text()


def test_without_qtmultimedia_the_recording_can_still_be_saved(
        qtbot: Any, wav: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(parent: QObject) -> None:
        raise ImportError("libpulse.so.0: cannot open shared object file")

    monkeypatch.setattr(player_module, "_Media", missing)
    player = make_player(qtbot)
    player.load(wav)
    assert player.state == "error"
    assert "not available" in player.notice.text()
    assert player.save_button.isEnabled()


def test_download_progress_and_cancel(qtbot: Any) -> None:
    player = make_player(qtbot)
    player.show_progress(500, 1000)
    assert player.progress.value() == 500
    player.show_progress(4096, None)
    assert "4 KB" in player.progress.format()
    with qtbot.waitSignal(player.cancelRequested):
        player.cancel()
    assert player.state == "cancelled"
    assert "cancelled" in player.notice.text()
    assert not player.save_button.isEnabled()


def test_save_as_and_open_folder(qtbot: Any, qloop: Any, qapp: Any, wav: Path,
                                 tmp_path: Path) -> None:
    opened: list[QUrl] = []
    tasks = TaskSet("player-test")
    player = make_player(qtbot, spawn=tasks.spawn, open_url=opened.append,
                         suggested_name=safe_file_name("2024-03-10 20-28 ../05321234567"))
    player.load(wav)
    qtbot.waitUntil(lambda: player.state == "ready", timeout=8000)
    player.save_as()
    assert player.file_dialog is not None
    assert player.suggested_name == "2024-03-10 20-28 .._05321234567.wav"
    player.file_dialog.close()
    target = tmp_path / "out" / "saved.wav"
    target.parent.mkdir()
    player.save_to(str(target))
    run_until(qapp, lambda: len(tasks) == 0)
    assert target.read_bytes() == wav.read_bytes()
    assert "Saved" in player.notice.text()
    player.save_to(str(tmp_path / "missing-dir" / "x.wav"))
    run_until(qapp, lambda: len(tasks) == 0)
    assert "Could not save" in player.notice.text()
    player.open_folder()
    assert opened == [QUrl.fromLocalFile(str(wav.parent))]
    player.close()
