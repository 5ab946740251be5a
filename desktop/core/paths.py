"""Where the app keeps its files.

By default the platform directories (``platformdirs``): on Linux
``~/.config/kobikom-desktop``, ``~/.local/share/kobikom-desktop`` and
``~/.local/state/kobikom-desktop/log``.  ``KOBIKOM_DESKTOP_HOME=/some/dir``
puts all three under one folder (``config/``, ``data/``, ``logs/``), which is
what tests, portable installs and the demo use.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "kobikom-desktop"
HOME_ENV = "KOBIKOM_DESKTOP_HOME"


@dataclass(frozen=True, slots=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def contacts_db(self) -> Path:
        return self.data_dir / "contacts.sqlite3"

    @property
    def journal_db(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def outbox_db(self) -> Path:
        return self.data_dir / "sms-outbox.sqlite3"

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / "recordings"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "kobikom-desktop.log"

    def ensure(self) -> AppPaths:
        """Create the directories, readable by the user only."""
        for path in (self.config_dir, self.data_dir, self.log_dir):
            path.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):  # e.g. a shared folder on Windows
                path.chmod(0o700)
        return self


def app_paths(home: str | os.PathLike[str] | None = None) -> AppPaths:
    """Paths from *home*, else ``$KOBIKOM_DESKTOP_HOME``, else the platform dirs."""
    root = home if home is not None else os.environ.get(HOME_ENV)
    if root:
        base = Path(root).expanduser().resolve()
        return AppPaths(base / "config", base / "data", base / "logs")
    return AppPaths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
