"""The support bundle: one zip with what support needs, and no secret.

"Save support bundle…" (tray menu, About box) writes one zip:

``README.txt``      what is inside and when it was made;
``versions.json``   the app, Python, the libraries, Qt (given by the UI) and
                    the platform;
``status.json``     the connection state and counters the UI hands in;
``settings.toml``   the settings as the app reads them: no secrets (they
                    live in the keyring), the domain UUID replaced by
                    ``<domain-uuid>``;
``logs/…``          the log files, each line redacted again (registered
                    secrets, tokens, the domain UUID) and phone numbers
                    masked at every level;
``capture/…``       the last capture of the event channel
                    (:mod:`desktop.pbx.capture`), if one was recorded: it is
                    redacted when written; the secrets are scrubbed again
                    here, and phone numbers stay only if the agent chose to
                    keep them when recording.

:func:`build_support_bundle` does blocking file work: call it in a worker
thread.  The zip is written to a temporary file next to the target and
renamed, so a half-written bundle never has the final name.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import platform
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import tomli_w

from desktop import __version__
from desktop.core.logs import mask_numbers, redact
from desktop.core.settings import SettingsError, load_settings
from desktop.pbx.capture import capture_files
from desktop.pbx.redact import DOMAIN_UUID, SECRET

#: File name of a new bundle: ``kobikom-support-20261206-154501.zip``.
BUNDLE_NAME_FORMAT: Final = "kobikom-support-%Y%m%d-%H%M%S.zip"
#: Libraries whose versions support asks about.
PACKAGES: Final = ("PySide6-Essentials", "PySide6-Addons", "qasync", "httpx", "websockets",
                   "keyring", "phonenumbers", "aiohttp", "platformdirs", "segno")
_LOG_NAME = re.compile(r"\.log(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class BundleSources:
    """Where the bundle's parts come from."""

    log_dir: Path
    config_file: Path
    #: The capture file; its rotated older parts (``FILE.1``, …) come along.
    capture_file: Path | None = None
    #: The account's domain UUID (shown as ``<domain-uuid>``).
    domain_uuid: str | None = None
    #: Other values that must not appear in the bundle (shown as ``<secret>``).
    secrets: Sequence[str] = ()
    #: Extra versions from the UI layer (Qt, PySide6 at run time).
    versions: Mapping[str, str] = field(default_factory=dict)
    #: The app's state as the UI sees it (connection, counters).
    status: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BundleReport:
    path: Path
    #: Names of the files in the zip.
    members: tuple[str, ...]
    size: int


def default_bundle_name(now: float | None = None) -> str:
    return time.strftime(BUNDLE_NAME_FORMAT, time.localtime(now))


def build_support_bundle(target: Path, sources: BundleSources) -> BundleReport:
    """Write the bundle to *target* (blocking; raises ``OSError``)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scrub = _Scrubber({**{s: SECRET for s in sources.secrets},
                       **({sources.domain_uuid: DOMAIN_UUID} if sources.domain_uuid else {})})
    fd, tmp = tempfile.mkstemp(prefix=".kobikom-support-", suffix=".zip", dir=target.parent)
    os.close(fd)
    members: list[str] = []
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            def put(name: str, text: str) -> None:
                zf.writestr(name, text)
                members.append(name)

            put("versions.json", json.dumps(versions(sources.versions), indent=2))
            put("status.json", scrub.line(json.dumps(dict(sources.status), indent=2,
                                                     ensure_ascii=False, default=str)))
            put("settings.toml", scrub.line(_settings_text(sources.config_file)))
            for path in _log_files(sources.log_dir):
                put(f"logs/{path.name}", "".join(scrub.log_line(line)
                                                  for line in _lines(path)))
            for path in _capture_files(sources.capture_file):
                put(f"capture/{path.name}", "".join(scrub.line(line) for line in _lines(path)))
            put("README.txt", _readme(members))
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return BundleReport(target, tuple(members), target.stat().st_size)


def versions(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    out = {
        "kobikom-desktop": __version__,
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "platform": platform.platform(),
        "machine": platform.machine(),
        "sys.platform": sys.platform,
    }
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[name] = importlib.metadata.version(name)
    out.update(extra or {})
    return out


class _Scrubber:
    """Replaces known secrets (any case) by their placeholders; log lines also
    lose their phone numbers."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._lookup = {k.lower(): v for k, v in secrets.items() if k and len(k) >= 4}
        values = sorted(self._lookup, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, values)), re.IGNORECASE) \
            if values else None

    def line(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self._lookup[m.group().lower()], text)
        return redact(text)

    def log_line(self, text: str) -> str:
        return mask_numbers(self.line(text))


def _settings_text(config_file: Path) -> str:
    try:
        settings = load_settings(config_file)
    except SettingsError as exc:
        return f"# the settings file could not be read: {exc}\n"
    if not config_file.exists():
        return "# no settings file: the defaults are in use\n"
    data = settings.to_dict()
    account = data.get("account", {})
    if account.get("domain_uuid"):
        account["domain_uuid"] = DOMAIN_UUID
    return f"# {config_file.name}, as the app reads it (secrets live in the keyring)\n" + \
        tomli_w.dumps(data)


def _log_files(log_dir: Path) -> list[Path]:
    try:
        files = [p for p in log_dir.iterdir() if p.is_file() and _LOG_NAME.search(p.name)]
    except OSError:
        return []
    return sorted(files, key=lambda p: p.name)


def _capture_files(capture_file: Path | None) -> list[Path]:
    return [] if capture_file is None else capture_files(capture_file)


def _lines(path: Path) -> Iterable[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            yield from fh
    except OSError as exc:
        yield f"<cannot read {path.name}: {exc.strerror or exc}>\n"


def _readme(members: list[str]) -> str:
    made = time.strftime("%Y-%m-%d %H:%M:%S %z")
    return (
        f"Kobikom Desktop {__version__} support bundle, made {made}.\n\n"
        "No passwords, API keys or tokens are in it: they live in the system keyring and\n"
        "are removed from every file here; the domain UUID is shown as <domain-uuid>.\n"
        "Phone numbers in the logs are masked; the capture keeps them only if the agent\n"
        "chose so in Settings.\n\n"
        "Files:\n" + "".join(f"  {name}\n" for name in members))
