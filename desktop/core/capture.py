"""Starting a capture of the event channel from the settings (app and ``listen``).

The capture itself (format, redaction, rotation) is
:mod:`desktop.pbx.capture`; this module decides where it goes and how big it
may grow.  In the app it runs while ``[capture] enabled`` is on and keeps
phone numbers only when ``[capture] keep_numbers`` is (the agent ticked the
box in Settings); ``listen --capture FILE`` keeps them unless
``--mask-numbers``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from desktop import __version__
from desktop.core.paths import AppPaths
from desktop.core.settings import Settings
from desktop.pbx.capture import DEFAULT_BACKUPS, CaptureInfo, CaptureWriter, capture_secrets
from desktop.pbx.channels import Credentials

#: The app's capture file, in the log folder (the support bundle takes it from there).
CAPTURE_FILE_NAME: Final = "pbx-capture.jsonl"
#: Smallest size cap that still holds a useful stretch of traffic.
MIN_CAPTURE_MB: Final = 1


def app_capture_path(paths: AppPaths) -> Path:
    return paths.log_dir / CAPTURE_FILE_NAME


def start_capture(path: Path, settings: Settings, credentials: Credentials, *,
                  keep_numbers: bool, total_mb: int,
                  backups: int = DEFAULT_BACKUPS) -> CaptureWriter:
    """A writer for the account's channel; at most *total_mb* MiB over all its files.

    Raises ``OSError`` when the file cannot be created.
    """
    total = max(MIN_CAPTURE_MB, total_mb) * 1024 * 1024
    account = settings.account
    info = CaptureInfo(
        flavor=account.flavor.value, transport=account.transport.value,
        endpoint=settings.endpoint().describe(), extensions=tuple(account.extensions),
        has_domain=bool(credentials.domain_uuid), app=f"kobikom-desktop {__version__}")
    return CaptureWriter(path, info, secrets=capture_secrets(credentials),
                         domain_uuid=credentials.domain_uuid, keep_numbers=keep_numbers,
                         max_bytes=total // (backups + 1), backups=backups)
