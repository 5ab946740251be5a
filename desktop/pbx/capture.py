"""Recording what the PBX really sends: raw frames in a size-bounded file.

Kobikom leaves much undocumented (framing, timestamps, legs, domain form),
so the first real installation has to tell us.  A :class:`CaptureWriter`
is tapped into an event channel (``on_frame`` and ``on_state``) and writes
every frame as received, with its receive time, to a rotating file; the
``replay`` command (:mod:`desktop.core.replay`) and ``simulator --replay``
(:mod:`desktop.simulator.replay`) play it back.

The capture format, version 1 (the simulator reads it with its own code, see
:mod:`desktop.simulator.replay`; ``tests/unit/pbx/test_capture_roundtrip.py``
proves both sides agree).  A capture is a UTF-8 file of JSON lines:

``{"kind":"header","format":"kobikom-capture","version":1,"session":"…",``
``"app":"…","flavor":"bulut","transport":"tcp","endpoint":"host:port",``
``"extensions":["1001"],"domain":"<domain-uuid>"|null,"numbers":"kept"|"masked",``
``"mono":…,"wall":…}``
    Starts every file, and every recording (a file may hold several; a new
    ``session`` value starts a new one, a rotated file repeats its header).
``{"kind":"open","conn":1,"transport":"tcp","mono":…,"wall":…}``
    The channel connected and sent its login (connections count from 1 in
    each session).
``{"kind":"frame","conn":1,"transport":"tcp","mono":…,"wall":…,"text":"…"}``
    Data received: ``"text"``, or ``"b64"`` (base64) for TCP bytes that are
    not valid UTF-8 and for binary WebSocket messages.
``{"kind":"close","conn":1,"mono":…,"wall":…,"reason":"…","stopped":false}``
    The connection ended (the reason as the tray showed it); ``stopped`` is
    true when the app itself stopped the channel (quit, settings changed),
    i.e. the server did not end it.
``{"kind":"end","mono":…,"wall":…}``
    The recording stopped (the connection may have been up still).

``mono`` is ``time.monotonic()`` and ``wall`` is ``time.time()`` at receipt,
in seconds.  Readers ignore keys they do not know.

What one frame is:

* WebSocket: one message.
* TCP: the bytes of the stream, in order.  A read that ends inside a JSON
  string or token (a secret or a phone number cut in two by the network) is
  held back up to its last structural character (``, { } [ ]`` or a newline
  outside a string), so the redaction always sees whole tokens; the held
  bytes go out with the next read (at most :data:`HOLD_LIMIT` are held).
  The frames of a connection, concatenated, are the stream exactly, apart
  from the redaction.

Redaction (:class:`~desktop.pbx.redact.FrameRedaction`), always: the domain
UUID, the API key and the token (``<domain-uuid>``, ``<api-key>``,
``<token>``), any value keyed like a secret, JWTs and bearer tokens.  Phone
numbers are masked unless the writer is told to keep them (the agent ticked
the box in Settings; ``listen --capture`` keeps them unless
``--mask-numbers``).

Size: :data:`DEFAULT_MAX_BYTES` per file and :data:`DEFAULT_BACKUPS` older
files (``FILE.1`` is the newest of those), so at most
``(backups + 1) * (max_bytes + one frame)`` bytes on disk.  Files are
readable by the user only.

The tap is called on the event loop; it only queues.  Redaction, JSON and
disk writes happen in one writer thread, so a slow disk never holds up a
popup.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import json
import logging
import logging.handlers
import os
import queue
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from desktop.pbx.channels import Credentials, StateCallback
from desktop.pbx.connection import ConnectionState, Phase
from desktop.pbx.redact import DOMAIN_UUID, FrameRedaction

log = logging.getLogger("kobikom.pbx.capture")

CAPTURE_FORMAT: Final = "kobikom-capture"
CAPTURE_VERSION: Final = 1
#: Size of one capture file before it rotates, and how many older files are kept.
DEFAULT_MAX_BYTES: Final = 5 * 1024 * 1024
DEFAULT_BACKUPS: Final = 3
#: Most bytes of a TCP read held back waiting for the end of a token.
HOLD_LIMIT: Final = 64 * 1024
#: Longest wait for the writer thread to write what is queued when closing.
CLOSE_TIMEOUT: Final = 5.0
#: Placeholders of the secrets a channel logs in with.
API_KEY: Final = "<api-key>"
TOKEN: Final = "<token>"

Data = bytes | str

_CUT_CHARS: Final = ",{}[]"
#: A complete JSON string (never across a raw newline), or a quote that opens
#: one which does not end in this text.
_SCAN: Final = re.compile(r'"(?:[^"\\\n]|\\.)*"|(?P<open>")')


def capture_secrets(credentials: Credentials) -> dict[str, str]:
    """The secrets of *credentials*, each with its placeholder."""
    out: dict[str, str] = {}
    for value, placeholder in ((credentials.api_key, API_KEY), (credentials.token, TOKEN),
                               (credentials.domain_uuid, DOMAIN_UUID)):
        if value:
            out[value] = placeholder
    return out


# ---------------------------------------------------------------- sans-I/O redaction


def safe_cut(text: str) -> int:
    """Index after the last structural character of *text* outside a JSON string.

    0 when there is none.  A string still open at the end of *text* (it may
    continue in the next read) ends the search; a raw newline ends any
    string (JSON strings cannot hold one), so the usual newline-terminated
    read is cut at its end at once.
    """
    end = len(text)
    start = text.rfind("\n") + 1
    if start == end:
        return end
    gaps: list[tuple[int, int]] = []  # the parts outside strings
    pos = start
    for match in _SCAN.finditer(text, start):
        gaps.append((pos, match.start()))
        if match.group("open") is not None:  # open until the end of the read
            break
        pos = match.end()
    else:
        gaps.append((pos, end))
    for a, b in reversed(gaps):
        last = max(text.rfind(c, a, b) for c in _CUT_CHARS)
        if last >= 0:
            return last + 1
    return start


class StreamRedactor:
    """Redacts one TCP connection's byte stream without splitting a token.

    Bytes that are not UTF-8 pass unchanged (``surrogateescape``), so the
    output is the input byte for byte apart from the redaction.
    """

    def __init__(self, redaction: FrameRedaction, hold_limit: int = HOLD_LIMIT) -> None:
        self._redaction = redaction
        self._hold_limit = hold_limit
        self._utf8 = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._pending = ""

    @property
    def held(self) -> int:
        """Characters held back, waiting for the rest of their token."""
        return len(self._pending)

    def feed(self, data: bytes) -> bytes:
        """What can be written now (maybe ``b""``)."""
        text = self._pending + self._utf8.decode(data)
        cut = safe_cut(text)
        if len(text) - cut > self._hold_limit:
            cut = len(text)
        self._pending = text[cut:]
        return self._encode(text[:cut])

    def flush(self) -> bytes:
        """Everything still held (the connection ended)."""
        text = self._pending + self._utf8.decode(b"", final=True)
        self._pending = ""
        return self._encode(text)

    def _encode(self, text: str) -> bytes:
        if not text:
            return b""
        return self._redaction.apply(text).encode("utf-8", "surrogateescape")


def redact_message(data: Data, redaction: FrameRedaction) -> Data:
    """One WebSocket message, redacted (a binary message stays bytes)."""
    if isinstance(data, str):
        return redaction.apply(data)
    text = data.decode("utf-8", "surrogateescape")
    return redaction.apply(text).encode("utf-8", "surrogateescape")


def frame_payload(data: Data, transport: str) -> dict[str, str]:
    """``{"text": …}`` or ``{"b64": …}`` for a frame record.

    TCP bytes are written as text when they are UTF-8 (the reader encodes
    them back); a WebSocket binary message is always ``b64``, so that it is
    replayed as a binary message.
    """
    if isinstance(data, bytes) and transport != "tcp":
        return {"b64": base64.b64encode(data).decode("ascii")}
    if isinstance(data, bytes):
        try:
            return {"text": data.decode("utf-8")}
        except UnicodeDecodeError:
            return {"b64": base64.b64encode(data).decode("ascii")}
    return {"text": data}


def record_line(record: Mapping[str, Any]) -> str:
    """One record as the line written (without the newline)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- the file


class _CaptureFile(logging.handlers.RotatingFileHandler):
    """A rotating file of JSON lines whose every file starts with a header.

    The standard library's rotation, measured in bytes (not characters), the
    files made private, and write errors reported once instead of printed.
    """

    def __init__(self, path: Path, *, max_bytes: int, backups: int,
                 header: Callable[[], str]) -> None:
        self._header = header
        self._failed = False
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        self.setFormatter(logging.Formatter("%(message)s"))

    def _open(self) -> Any:
        stream = super()._open()
        with contextlib.suppress(OSError):
            os.chmod(self.baseFilename, 0o600)
        return stream

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        size = len(self.format(record).encode("utf-8")) + 1
        self.stream.seek(0, os.SEEK_END)
        position = self.stream.tell()
        return position > 0 and position + size > self.maxBytes

    def doRollover(self) -> None:
        super().doRollover()
        if self.stream is None:
            self.stream = self._open()
        self.stream.write(self._header() + "\n")

    def write_line(self, line: str) -> None:
        self.handle(logging.makeLogRecord({"msg": line, "args": None}))

    def handleError(self, record: logging.LogRecord) -> None:
        if not self._failed:
            self._failed = True
            log.warning("capture: cannot write %s: %s (later failures are not logged)",
                        self.baseFilename, sys.exc_info()[1])


# ---------------------------------------------------------------- the writer


@dataclass(frozen=True, slots=True)
class CaptureInfo:
    """What the header of a capture says about where it was recorded."""

    flavor: str
    transport: str
    endpoint: str = ""
    extensions: tuple[str, ...] = ()
    has_domain: bool = False
    app: str = ""


class CaptureWriter:
    """Writes one channel's frames to a capture file (see the module docstring).

    Pass :meth:`frame` as the channel's ``on_frame`` and wrap its
    ``on_state`` with :meth:`tap_state`.  Both taps only queue and never
    raise.  The recording ends by itself when the channel stops (state
    DISCONNECTED: the writer thread writes what is queued, then closes the
    file); :meth:`close` ends it earlier and waits for the file.
    """

    def __init__(
        self,
        path: Path,
        info: CaptureInfo,
        *,
        secrets: Mapping[str, str] | None = None,
        domain_uuid: str | None = None,
        keep_numbers: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        backups: int = DEFAULT_BACKUPS,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if max_bytes <= 0 or backups < 0:
            raise ValueError("a capture needs a positive size and zero or more backups")
        self.path = Path(path)
        self.info = info
        self.keep_numbers = keep_numbers
        self._redaction = FrameRedaction(secrets or {}, mask_numbers=not keep_numbers,
                                         domain_uuid=domain_uuid)
        self._clock = clock
        self._wall = wall_clock
        self._session = uuid.uuid4().hex[:12]
        self._file = _CaptureFile(self.path, max_bytes=max_bytes, backups=backups,
                                  header=self._header_line)
        self._queue: queue.SimpleQueue[tuple[str, float, float, Any] | None] = \
            queue.SimpleQueue()
        self._conn = 0
        self._open = False
        self._stream: StreamRedactor | None = None
        self._closed = False
        #: Frame records written so far (writer thread).
        self.frames_written = 0
        self._thread = threading.Thread(target=self._drain, name="capture-writer", daemon=True)
        self._file.write_line(self._header_line())
        self._thread.start()
        log.info("capturing raw %s frames to %s (numbers %s)", info.transport, self.path,
                 "kept" if keep_numbers else "masked")

    def __repr__(self) -> str:
        return f"<CaptureWriter {self.path} conn={self._conn}>"

    # -- taps (event loop) -------------------------------------------------------

    def frame(self, data: Data) -> None:
        """The channel received *data* (a TCP read or a WebSocket message)."""
        if not self._closed:
            self._queue.put(("frame", self._clock(), self._wall(), data))

    def state(self, state: ConnectionState) -> None:
        """The channel's state changed: opens and closes connections in the file."""
        if not self._closed:
            self._queue.put(("state", self._clock(), self._wall(), state))
            if state.phase is Phase.DISCONNECTED:  # the channel stopped
                self.finish()

    def tap_state(self, on_state: StateCallback) -> StateCallback:
        """*on_state*, which also tells this writer."""
        def tapped(state: ConnectionState) -> None:
            self.state(state)
            on_state(state)

        return tapped

    def finish(self) -> None:
        """Stop recording: the writer thread writes what is queued and an ``end``
        record, then closes the file.  Does not wait."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(("end", self._clock(), self._wall(), None))
        self._queue.put(None)

    def close(self) -> None:
        """:meth:`finish` and wait (at most :data:`CLOSE_TIMEOUT`) for the file."""
        self.finish()
        self._thread.join(CLOSE_TIMEOUT)
        if self._thread.is_alive():
            log.warning("capture: the writer did not finish within %.0f s", CLOSE_TIMEOUT)

    @property
    def finished(self) -> bool:
        """Everything is written and the file is closed."""
        return self._closed and not self._thread.is_alive()

    # -- the writer thread -------------------------------------------------------

    def _header_line(self) -> str:
        info = self.info
        return record_line({
            "kind": "header", "format": CAPTURE_FORMAT, "version": CAPTURE_VERSION,
            "session": self._session, "app": info.app, "flavor": info.flavor,
            "transport": info.transport, "endpoint": info.endpoint,
            "extensions": list(info.extensions),
            "domain": DOMAIN_UUID if info.has_domain else None,
            "numbers": "kept" if self.keep_numbers else "masked",
            "mono": round(self._clock(), 6), "wall": round(self._wall(), 6),
        })

    def _drain(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                self._file.close()
                return
            try:
                self._write(*item)
            except Exception:  # never let one bad frame stop the capture
                log.exception("capture: cannot record a %s", item[0])

    def _write(self, kind: str, mono: float, wall: float, payload: Any) -> None:
        times = {"mono": round(mono, 6), "wall": round(wall, 6)}
        if kind == "frame":
            if self.info.transport == "tcp" and isinstance(payload, bytes):
                if self._stream is None:
                    self._stream = StreamRedactor(self._redaction)
                data: Data = self._stream.feed(payload)
            else:
                data = redact_message(payload, self._redaction)
            if data:
                self._write_frame(data, times)
        elif kind == "state":
            self._on_state(payload, times)
        elif kind == "end":
            self._finish_connection(times, reason=None)
            self._file.write_line(record_line({"kind": "end", **times}))

    def _write_frame(self, data: Data, times: dict[str, float]) -> None:
        self._file.write_line(record_line({"kind": "frame", "conn": self._conn,
                                           "transport": self.info.transport, **times,
                                           **frame_payload(data, self.info.transport)}))
        self.frames_written += 1

    def _on_state(self, state: ConnectionState, times: dict[str, float]) -> None:
        if state.phase is Phase.CONNECTED:
            if self._open:
                return
            self._conn += 1
            self._open = True
            self._stream = StreamRedactor(self._redaction)
            self._file.write_line(record_line({"kind": "open", "conn": self._conn,
                                               "transport": self.info.transport, **times}))
        elif self._open:
            reason = state.reason or state.phase.value
            self._finish_connection(times, reason=self._redaction.apply_text(reason),
                                    stopped=state.phase is Phase.DISCONNECTED)

    def _finish_connection(self, times: dict[str, float], *, reason: str | None,
                           stopped: bool = False) -> None:
        if self._stream is not None:
            rest = self._stream.flush()
            if rest:
                self._write_frame(rest, times)
        if reason is not None and self._open:
            self._file.write_line(record_line({"kind": "close", "conn": self._conn, **times,
                                               "reason": reason, "stopped": stopped}))
            self._open = False
            self._stream = None


# ---------------------------------------------------------------- reading


class CaptureError(Exception):
    """A file that is not a capture (the message names the file and line)."""


@dataclass(frozen=True, slots=True)
class CaptureRecord:
    """One record of a capture, as read back.

    ``data`` is ``bytes`` for TCP frames and binary WebSocket messages, ``str``
    for WebSocket text messages, ``None`` for other kinds.  ``session`` and
    ``conn`` together name a connection.
    """

    kind: str
    session: str
    conn: int
    transport: str
    mono: float
    wall: float
    data: Data | None = None
    reason: str | None = None
    #: ``close`` records: the app stopped the channel (the server did not end it).
    stopped: bool = False
    header: Mapping[str, Any] | None = None


class CaptureReader:
    """Reads capture files in the order given (oldest first).

    A line that is not valid JSON (a write cut short by a crash) is skipped
    and listed in :attr:`problems`; a file without a single capture record
    raises :class:`CaptureError`.
    """

    def __init__(self, paths: Sequence[Path] | Path) -> None:
        self.paths = [paths] if isinstance(paths, Path) else list(paths)
        self.problems: list[str] = []
        self.headers: list[Mapping[str, Any]] = []

    def records(self) -> Iterator[CaptureRecord]:
        for path in self.paths:
            yield from self._read(path)

    def _read(self, path: Path) -> Iterator[CaptureRecord]:
        session = ""
        transport = ""
        found = False
        try:
            fh = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
        except OSError as exc:
            raise CaptureError(f"cannot read {path}: {exc.strerror or exc}") from None
        with fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except ValueError:
                    self.problems.append(f"{path}:{number}: not a JSON line (skipped)")
                    continue
                if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
                    self.problems.append(f"{path}:{number}: not a capture record (skipped)")
                    continue
                kind = item["kind"]
                if kind == "header":
                    if item.get("format") != CAPTURE_FORMAT:
                        raise CaptureError(f"{path}:{number}: not a kobikom-desktop capture")
                    if int(item.get("version", 0)) > CAPTURE_VERSION:
                        raise CaptureError(f"{path}:{number}: capture version "
                                           f"{item.get('version')} is newer than this program")
                    session = str(item.get("session", ""))
                    transport = str(item.get("transport", ""))
                    self.headers.append(item)
                elif not found and not session:
                    raise CaptureError(f"{path}:{number}: no capture header before the records")
                found = True
                yield self._record(kind, item, session, transport, path, number)
        if not found:
            raise CaptureError(f"{path}: no capture records in this file")

    def _record(self, kind: str, item: dict[str, Any], session: str, transport: str,
                path: Path, number: int) -> CaptureRecord:
        transport = str(item.get("transport", transport))
        data: Data | None = None
        if kind == "frame":
            if "b64" in item:
                try:
                    data = base64.b64decode(str(item["b64"]), validate=True)
                except ValueError:
                    self.problems.append(f"{path}:{number}: bad base64 (frame skipped)")
                    data = b""
            else:
                text = str(item.get("text", ""))
                data = text.encode("utf-8") if transport == "tcp" else text
        return CaptureRecord(
            kind=kind, session=session, conn=int(item.get("conn", 0) or 0), transport=transport,
            mono=float(item.get("mono", 0.0) or 0.0), wall=float(item.get("wall", 0.0) or 0.0),
            data=data, reason=item.get("reason"), stopped=bool(item.get("stopped", False)),
            header=item if kind == "header" else None)


def capture_files(path: Path) -> list[Path]:
    """*path* and its rotated older files, oldest first (``FILE.3``, …, ``FILE``)."""
    older = sorted((p for p in path.parent.glob(path.name + ".*")
                    if p.name[len(path.name) + 1:].isdigit()),
                   key=lambda p: int(p.name[len(path.name) + 1:]), reverse=True)
    return [*older, path] if path.exists() else older

