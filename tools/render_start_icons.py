"""Render the tray's start icon into ``resources/icons/tray-start-*.png``.

    .venv/bin/python tools/render_start_icons.py

The app shows these files in the tray before it has imported anything it
paints with (see :mod:`desktop.ui.start_icon`); they are the look
:mod:`desktop.ui.icons` paints for a tray that has not connected yet
(``TrayLook()``), at every size of :data:`desktop.ui.icons.ICON_SIZES`, at
1x and 2x.  Run this after changing the icon's design:
``tests/gui/test_icons.py`` fails while the files differ from the painted
icon.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui.icons import DEVICE_PIXEL_RATIOS, ICON_SIZES, TrayLook, tray_pixmap  # noqa: E402
from desktop.ui.start_icon import FILE_PREFIX  # noqa: E402

FOLDER = ROOT / "resources" / "icons"


def file_name(size: int, ratio: float) -> str:
    suffix = "" if ratio == 1.0 else f"@{ratio:g}x"
    return f"{FILE_PREFIX}{size}{suffix}.png"


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    for stale in FOLDER.glob(f"{FILE_PREFIX}*.png"):
        stale.unlink()
    for size in ICON_SIZES:
        for ratio in DEVICE_PIXEL_RATIOS:
            path = FOLDER / file_name(size, ratio)
            if not tray_pixmap(TrayLook(), size, ratio).save(str(path), "PNG"):
                print(f"could not write {path}", file=sys.stderr)
                return 1
            print(path.relative_to(ROOT))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
