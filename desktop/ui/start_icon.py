"""The tray icon of the first moments: shown before the rest of the app is imported.

An agent logs in and the tray icon should be there at once (issue 14: a
cold start within 1.5x of a bare tray-icon script).  Painting the icon
(:mod:`desktop.ui.icons`) needs QPainter with brushes, whose first use makes
PySide6 build the ``Qt`` namespace type with its ~100 enums (~15 ms), and
the tray controller needs the settings, the translations and the logging.
So :func:`desktop.launch.main` shows *this* icon right after the
QApplication and the single-instance lock, from PNG files: the painted look
of a tray that has not connected yet (``TrayLook()``), rendered ahead by
``tools/render_start_icons.py`` into ``resources/icons/tray-start-*.png``
(``tests/gui/test_icons.py`` fails when they differ from what
:mod:`desktop.ui.icons` paints).  The tray controller then takes the same
``QSystemTrayIcon`` over (:class:`desktop.ui.tray.TrayController`'s *icon*)
and paints every later look itself.

Only ``QIcon`` and ``QSystemTrayIcon`` are used here, and nothing of the app
is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.resources import resource

#: The rendered files: ``tray-start-<size>.png`` and ``tray-start-<size>@2x.png``
#: (Qt reads the device pixel ratio from the ``@2x``).
FILE_PREFIX: Final = "tray-start-"


def start_icon_files(folder: Path | None = None) -> list[Path]:
    """The rendered start icons, smallest first (empty if they are not installed)."""
    folder = folder if folder is not None else resource("icons")
    return sorted(folder.glob(f"{FILE_PREFIX}*.png"))


def show_start_icon(folder: Path | None = None) -> QSystemTrayIcon | None:
    """The start icon in the tray, shown; None without a tray host or icon files."""
    files = start_icon_files(folder)
    if not files or not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    icon = QIcon()
    for path in files:
        icon.addFile(str(path))
    tray = QSystemTrayIcon(icon)
    tray.show()
    return tray
