"""Call recordings: download, check, cache.

The PBX keeps recordings; the app downloads one when the agent wants to
hear it and keeps it in a local cache (``AppPaths.recordings_dir``):

* the directory is ``0700`` and every file ``0600`` (recordings are
  personal data);
* file names are a hash of the call id, never a name the server sent (the
  ``Content-Disposition`` of ``downloadRecording`` is a *path*, digest §4.7:
  following it would be a path traversal);
* the cache is size-capped (:attr:`RecordingCache.max_bytes`); the least
  recently *used* files go first (a cache hit refreshes the file's mtime);
* a download is written to the cache only after it was checked
  (:func:`inspect_audio`), so a half-downloaded or non-audio answer never
  poisons the cache.

The PBX sends WAV49: GSM 6.10 in a RIFF/WAVE container (format tag
``0x0031``, 8 kHz mono, 65-byte blocks of 320 samples).  :func:`inspect_audio`
reads the RIFF header and says "not an audio file" or "cut short" in plain
words before anything is handed to a media player (a decoder fed garbage
may hang or crash).  Other containers a PBX might serve (MP3, Ogg) pass
with an unknown duration.

:class:`RecordingService` is the whole flow for one call: cache hit, or
find the recording's reference (journal, else the call's record at the
PBX), download (a read: the REST session re-logs in once on a 401),
check, store, evict.  The body is collected in memory (WAV49 is 1.6 kB per
second: an hour is under 6 MB; :data:`MAX_DOWNLOAD_BYTES` caps it) and all
file work runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import inspect
import logging
import os
import secrets
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

log = logging.getLogger("kobikom.core.recordings")

#: Default cache size cap (bytes).
DEFAULT_CACHE_BYTES: Final = 500 * 1024 * 1024
#: Largest recording we accept (bytes): about 30 hours of WAV49.
MAX_DOWNLOAD_BYTES: Final = 200 * 1024 * 1024
WAVE_FORMAT_PCM: Final = 0x0001
WAVE_FORMAT_ALAW: Final = 0x0006
WAVE_FORMAT_MULAW: Final = 0x0007
WAVE_FORMAT_GSM610: Final = 0x0031
WAVE_FORMAT_MP3: Final = 0x0055
WAVE_FORMAT_EXTENSIBLE: Final = 0xFFFE
#: Samples in one GSM 6.10 (WAV49) block of 65 bytes.
GSM610_SAMPLES_PER_BLOCK: Final = 320
_KNOWN_FORMATS: Final = {
    WAVE_FORMAT_PCM: "PCM", WAVE_FORMAT_ALAW: "A-law", WAVE_FORMAT_MULAW: "µ-law",
    WAVE_FORMAT_GSM610: "GSM 6.10 (WAV49)", WAVE_FORMAT_MP3: "MP3",
    WAVE_FORMAT_EXTENSIBLE: "PCM",
}
_SUFFIX = ".wav"
_PARTIAL = ".partial-"


class RecordingError(Exception):
    """A recording cannot be had or played; the message is for the agent.

    ``kind`` lets the UI show its own (translated) words: ``not_audio``,
    ``truncated``, ``damaged``, ``no_recording``, ``unknown_call``,
    ``no_account``, ``download``; ``detail`` is the technical part (the
    server's or the network's words), ``have``/``want`` the durations of a
    recording that was cut short (``m:ss``).
    """

    def __init__(self, message: str, *, kind: str = "other", detail: str = "",
                 have: str = "", want: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.detail = detail
        self.have = have
        self.want = want


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """What :func:`inspect_audio` found out about a file."""

    container: str  # "wav", "mp3", "ogg"
    codec: str
    channels: int = 0
    sample_rate: int = 0
    #: Sample frames in the file (None when unknown, e.g. MP3).
    frames: int | None = None

    @property
    def duration(self) -> float | None:
        if self.frames is None or self.sample_rate <= 0:
            return None
        return self.frames / self.sample_rate


def _chunks(data: bytes, start: int) -> dict[bytes, tuple[int, int]]:
    """RIFF chunk id -> (offset of its data, declared size), first occurrence."""
    found: dict[bytes, tuple[int, int]] = {}
    pos = start
    while pos + 8 <= len(data):
        chunk_id = data[pos:pos + 4]
        size = struct.unpack_from("<I", data, pos + 4)[0]
        found.setdefault(chunk_id, (pos + 8, size))
        if chunk_id == b"data":
            break  # the audio runs to the end; nothing we need comes after it
        pos += 8 + size + (size & 1)
    return found


def inspect_audio(data: bytes) -> AudioInfo:
    """Check that *data* is a whole audio file; raise :class:`RecordingError` if not."""
    if len(data) < 12:
        raise RecordingError("The recording is empty or not an audio file.", kind="not_audio")
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _inspect_wav(data)
    if data[:3] == b"ID3" or _mpeg_frame_header(data):
        return AudioInfo("mp3", "MP3")
    if data[:4] == b"OggS":
        return AudioInfo("ogg", "Ogg")
    head = data[:64].lstrip().lower()
    if head.startswith((b"<", b"{", b"[")):
        raise RecordingError("The server sent a page or a message instead of a recording.",
                             kind="not_audio")
    raise RecordingError("The file is not an audio recording.", kind="not_audio")


def _mpeg_frame_header(data: bytes) -> bool:
    """Whether *data* starts with a plausible MPEG audio frame header.

    Only a sniff (the decoder, FFmpeg, does the real work): 11 sync bits, and none
    of the reserved values in version, layer, bitrate or sample rate, so that
    random bytes starting with 0xFF are not taken for MP3.
    """
    if data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return False
    version, layer = (data[1] >> 3) & 0b11, (data[1] >> 1) & 0b11
    bitrate, rate = data[2] >> 4, (data[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate not in (0b0000, 0b1111) and rate != 0b11


def _inspect_wav(data: bytes) -> AudioInfo:
    chunks = _chunks(data, 12)
    if b"fmt " not in chunks:
        raise RecordingError("The recording is damaged: its format header is missing.",
                             kind="damaged")
    fmt_at, fmt_size = chunks[b"fmt "]
    if fmt_size < 16 or fmt_at + 16 > len(data):
        raise RecordingError("The recording is cut short (in its format header).",
                             kind="truncated")
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from(
        "<HHIIHH", data, fmt_at)
    if tag not in _KNOWN_FORMATS:
        raise RecordingError(f"The recording uses an unknown audio format (0x{tag:04x}).",
                             kind="damaged", detail=f"0x{tag:04x}")
    if channels < 1 or rate < 1 or block_align < 1:
        raise RecordingError("The recording is damaged: its format header is invalid.",
                             kind="damaged")
    if b"data" not in chunks:
        raise RecordingError("The recording is cut short: it has no audio data.",
                             kind="truncated")
    data_at, data_size = chunks[b"data"]
    available = len(data) - data_at
    streamed = data_size in (0, 0xFFFFFFFF)  # written while recording: size unknown
    if not streamed and available < data_size:
        have = _seconds(tag, available, rate, block_align, bits, channels, data, fmt_at,
                        fmt_size)
        want = _seconds(tag, data_size, rate, block_align, bits, channels, data, fmt_at,
                        fmt_size)
        if have is None or want is None:
            raise RecordingError("The recording is cut short.", kind="truncated")
        raise RecordingError(
            f"The recording is cut short: only {_clock(have)} of {_clock(want)} arrived.",
            kind="truncated", have=_clock(have), want=_clock(want))
    if streamed:
        data_size = available
    if data_size <= 0:
        raise RecordingError("The recording is empty.", kind="not_audio")
    frames = _frames(tag, data_size, block_align, bits, channels, data, fmt_at, fmt_size)
    fact = chunks.get(b"fact")
    if tag == WAVE_FORMAT_GSM610 and fact is not None and fact[1] >= 4 \
            and fact[0] + 4 <= len(data):
        declared = struct.unpack_from("<I", data, fact[0])[0]
        if 0 < declared <= (frames or 0) + GSM610_SAMPLES_PER_BLOCK:
            frames = declared
    return AudioInfo("wav", _KNOWN_FORMATS[tag], channels, rate, frames)


def _frames(tag: int, size: int, block_align: int, bits: int, channels: int, data: bytes,
            fmt_at: int, fmt_size: int) -> int | None:
    if tag == WAVE_FORMAT_GSM610:
        per_block = GSM610_SAMPLES_PER_BLOCK
        if fmt_size >= 20 and fmt_at + 20 <= len(data):
            extra = struct.unpack_from("<HH", data, fmt_at + 16)
            if extra[0] >= 2 and extra[1] > 0:
                per_block = extra[1]
        return (size // block_align) * per_block
    if tag == WAVE_FORMAT_MP3:
        return None
    return size // block_align


def _seconds(tag: int, size: int, rate: int, block_align: int, bits: int, channels: int,
             data: bytes, fmt_at: int, fmt_size: int) -> float | None:
    frames = _frames(tag, size, block_align, bits, channels, data, fmt_at, fmt_size)
    return None if frames is None else frames / rate


def _clock(seconds: float) -> str:
    total = max(0, int(seconds))
    return f"{total // 60}:{total % 60:02d}"


# ---------------------------------------------------------------- the cache


class RecordingCache:
    """Checked recordings on disk, by call id (see the module docstring). Blocking."""

    def __init__(self, directory: Path, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.directory = Path(directory)
        self.max_bytes = max(0, max_bytes)

    def _ensure_dir(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # e.g. a shared folder on Windows
            self.directory.chmod(0o700)

    def path_for(self, call_id: str) -> Path:
        """The cache file of *call_id*: a hash, never a server-provided name."""
        digest = hashlib.sha256(call_id.encode("utf-8")).hexdigest()[:40]
        return self.directory / f"{digest}{_SUFFIX}"

    def get(self, call_id: str) -> Path | None:
        """The cached file of *call_id* (its use time refreshed), or None."""
        path = self.path_for(call_id)
        try:
            if path.stat().st_size <= 0:
                return None
            os.utime(path)
        except OSError:
            return None
        return path

    def store(self, call_id: str, data: bytes) -> Path:
        """Write *data* (already checked) as *call_id*'s file; then keep within the cap."""
        self._ensure_dir()
        target = self.path_for(call_id)
        temp = self.directory / f"{_PARTIAL}{secrets.token_hex(8)}"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(OSError):
                temp.chmod(0o600)
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self.evict(keep=target)
        return target

    def files(self) -> list[Path]:
        try:
            return [p for p in self.directory.iterdir()
                    if p.is_file() and p.suffix == _SUFFIX and not p.name.startswith(".")]
        except FileNotFoundError:
            return []

    def size(self) -> int:
        total = 0
        for path in self.files():
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Delete the least recently used files until the cache fits its cap."""
        entries: list[tuple[float, int, Path]] = []
        for path in self.files():
            try:
                st = path.stat()
            except OSError:
                continue
            entries.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        removed: list[Path] = []
        for _mtime, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            if keep is not None and path == keep:
                continue
            try:
                path.unlink()
            except OSError:
                log.warning("could not remove cached recording %s", path.name)
                continue
            total -= size
            removed.append(path)
        # Leftovers of a crash mid-write (older than a minute).
        for partial in self.directory.glob(f"{_PARTIAL}*") if self.directory.exists() else ():
            with contextlib.suppress(OSError):
                if partial.stat().st_mtime < time.time() - 60:
                    partial.unlink()
        if removed:
            log.info("recording cache: removed %d old file(s) to stay within %d MB",
                     len(removed), self.max_bytes // (1024 * 1024))
        return removed


# ---------------------------------------------------------------- the service


class RecordingDownloader(Protocol):
    """What a REST session offers for recordings (both flavors)."""

    async def download_recording(
        self, recording: str, sink: Callable[[bytes], None], *,
        progress: Callable[[int, int | None], None] | None = ...,
        max_bytes: int | None = ...,
    ) -> Any: ...


class CallLookup(Protocol):
    """Finds a call's record at the PBX (``HistorySync.lookup``)."""

    async def lookup(self, call_id: str, *, merge: bool = ...) -> Any: ...


Progress = Callable[[int, int | None], None]
Runner = Callable[..., Awaitable[Any]]


async def _to_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(fn, *args, **kwargs)


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording ready to play: the cached file and what is known about it."""

    call_id: str
    path: Path
    info: AudioInfo
    from_cache: bool


class RecordingService:
    """Gets a call's recording into the cache (see the module docstring).

    ``journal`` resolves call ids (``resolve(call_id)`` with ``.recording``);
    ``downloader()`` gives (or is a coroutine giving) the account's REST
    session, a :class:`RecordingDownloader` (raises or gives None when there
    is no account); ``lookup`` asks the PBX for a call's
    record when the journal has no recording reference yet.
    """

    def __init__(self, journal: Any, cache: RecordingCache, *,
                 downloader: Callable[[], Any],
                 lookup: CallLookup | None = None, run_blocking: Runner = _to_thread,
                 max_bytes: int = MAX_DOWNLOAD_BYTES) -> None:
        self.journal = journal
        self.cache = cache
        self.downloader = downloader
        self.lookup = lookup
        self.run_blocking = run_blocking
        self.max_bytes = max_bytes

    async def reference(self, call_id: str) -> tuple[str, str]:
        """``(journal call id, recording reference)`` of a call; RecordingError if none."""
        call = await self.run_blocking(self.journal.resolve, call_id)
        key = call.call_id if call is not None else call_id
        if call is not None and call.recording:
            return key, str(call.recording)
        if self.lookup is not None:
            try:
                found = await self.lookup.lookup(call_id, merge=call is not None)
            except Exception as exc:
                raise RecordingError(
                    f"Could not ask the PBX for this call's recording: {exc}",
                    kind="download", detail=str(exc)) from exc
            if found is not None and getattr(found, "recording", None):
                return key, str(found.recording)
        if call is None:
            raise RecordingError("This call is not in the call history, and the PBX has no "
                                 "recording under that id.", kind="unknown_call")
        raise RecordingError("The PBX has no recording of this call.", kind="no_recording")

    async def cached(self, call_id: str) -> Recording | None:
        call = await self.run_blocking(self.journal.resolve, call_id)
        key = call.call_id if call is not None else call_id
        path = await self.run_blocking(self.cache.get, key)
        if path is None:
            return None
        try:
            data = await self.run_blocking(path.read_bytes)
            info = await self.run_blocking(inspect_audio, data)
        except (OSError, RecordingError):
            log.warning("a cached recording was unreadable; downloading it again")
            await self.run_blocking(path.unlink, True)
            return None
        return Recording(key, path, info, True)

    async def fetch(self, call_id: str, progress: Progress | None = None) -> Recording:
        """The call's recording, from the cache or downloaded now.

        Raises :class:`RecordingError` with a message for the agent;
        cancelling the task stops the download and leaves nothing behind.
        """
        hit = await self.cached(call_id)
        if hit is not None:
            return hit
        key, reference = await self.reference(call_id)
        hit = await self.cached(key)
        if hit is not None:
            return hit
        try:
            downloader = self.downloader()
            if inspect.isawaitable(downloader):
                downloader = await downloader
        except Exception as exc:
            raise RecordingError(f"Recordings need the PBX account: {exc}", kind="no_account",
                                 detail=str(exc)) from exc
        if downloader is None:
            raise RecordingError("Recordings need the PBX account (Settings).",
                                 kind="no_account")
        buffer = bytearray()
        try:
            await downloader.download_recording(reference, buffer.extend, progress=progress,
                                                max_bytes=self.max_bytes)
        except RecordingError:
            raise
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            raise RecordingError(f"The recording could not be downloaded: {message}",
                                 kind="download", detail=message) from exc
        data = bytes(buffer)
        info = await self.run_blocking(inspect_audio, data)
        path = await self.run_blocking(self.cache.store, key, data)
        log.info("recording of call %s downloaded (%d bytes, %s)", key, len(data), info.codec)
        return Recording(key, path, info, False)
