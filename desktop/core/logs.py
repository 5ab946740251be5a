"""Logging: one logger per layer, a rotating file, no secrets, masked numbers.

Logger names: ``kobikom.pbx.*``, ``kobikom.core.*``, ``kobikom.ui.*``,
``kobikom.app``, ``kobikom.cli``, ``kobikom.simulator.*``.

Two filters protect every handler:

* :class:`RedactingFilter` removes registered secret values (and anything
  shaped like a bearer token or JWT) from messages and arguments, at every
  level.  Code registers a secret with :func:`register_secret` as soon as it
  reads it from the keyring.
* Phone numbers (KVKK): at INFO and above, digit runs of 7+ digits are
  masked to their last two digits.  DEBUG keeps them (``--debug`` is an
  explicit choice for troubleshooting, written to the user's own log file).
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_secret_re: re.Pattern[str] | None = None

_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._|\-~+/=]{8,}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_QUERY_SECRET = re.compile(
    r"(?i)\b(api_token|api_key|apikey|token|password|userpass|a)=([^&\s\"']+)")
# A digit run that is part of an identifier (a UUID such as "12345678-3f39-…", a
# Tekil unique id "1520317155.59", a file name) is not a phone number.
_PHONE = re.compile(r"(?<![\w.\-])(\+?)(\d[\d ]{5,}\d)(?![\w.\-])")


def register_secret(value: str | None) -> None:
    """Never let *value* reach a log record again."""
    global _secret_re
    if not value or len(value) < 4:
        return
    with _secrets_lock:
        if value in _secrets:
            return
        _secrets.add(value)
        alternatives = sorted(_secrets, key=len, reverse=True)
        _secret_re = re.compile("|".join(re.escape(s) for s in alternatives))


def redact(text: str) -> str:
    pattern = _secret_re
    if pattern is not None:
        text = pattern.sub("<secret>", text)
    text = _BEARER.sub(r"\1<secret>", text)
    text = _JWT.sub("<jwt>", text)
    return _QUERY_SECRET.sub(lambda m: f"{m.group(1)}=<secret>", text)


def mask_numbers(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        digits = m.group(2).replace(" ", "")
        if len(digits) < 7:
            return m.group(0)
        return m.group(1) + "*" * (len(digits) - 2) + digits[-2:]

    return _PHONE.sub(repl, text)


class RedactingFilter(logging.Filter):
    """Render the message once, then scrub secrets (all levels) and numbers (INFO+)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        message = redact(message)
        if record.levelno >= logging.INFO:
            message = mask_numbers(message)
        record.msg = message
        record.args = None
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
#: The log file rotates at this size, keeping this many old files.
LOG_MAX_BYTES = 2_000_000
LOG_BACKUPS = 5


class LogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file, without a file-system check per record.

    The standard handler's ``shouldRollover`` stats the file twice and formats
    the record a second time for every line: a ring logs a few lines before
    its popup shows (issue 14).  This one checks that the log is a regular
    file once, when it opens it, and counts what it writes.
    """

    def __init__(self, filename: Path, max_bytes: int = LOG_MAX_BYTES,
                 backups: int = LOG_BACKUPS) -> None:
        self._size = 0
        self._regular = True
        super().__init__(filename, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")

    def _open(self) -> io.TextIOWrapper:
        stream = super()._open()
        path = Path(self.baseFilename)
        self._regular = path.is_file()  # never rotate /dev/null or a pipe (bpo-45401)
        self._size = path.stat().st_size if self._regular else 0
        return stream

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        return self._regular and self.maxBytes > 0 and self._size >= self.maxBytes

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        self._size += len(text.encode("utf-8", "replace")) + len(self.terminator)
        return text


def setup_logging(
    *, log_file: Path | None, debug: bool = False, stderr: bool = True,
    stderr_level: int | None = None,
) -> None:
    """Configure the ``kobikom`` logger tree (idempotent)."""
    root = logging.getLogger("kobikom")
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.propagate = False
    formatter = logging.Formatter(FORMAT)
    scrub = RedactingFilter()
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        fh = LogFile(log_file)
        fh.setFormatter(formatter)
        fh.addFilter(scrub)
        root.addHandler(fh)
        with contextlib.suppress(OSError):
            log_file.chmod(0o600)
    if stderr:
        sh = logging.StreamHandler(sys.stderr)
        sh.setFormatter(formatter)
        sh.addFilter(scrub)
        sh.setLevel(stderr_level if stderr_level is not None else
                    (logging.DEBUG if debug else logging.WARNING))
        root.addHandler(sh)
