"""The soak test runs widgets on Qt's offscreen platform (chosen before any QApplication)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
