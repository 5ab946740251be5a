"""The floor of a cold start: a bare tray-icon script (the agent-view benchmark's B side).

    python bench/bare/bare_tray.py

Shows one tray icon (a filled square) and waits; nothing else.
"""

import sys

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

app = QApplication(sys.argv[:1])
pixmap = QPixmap(22, 22)
pixmap.fill(QColor("#1a73e8"))
tray = QSystemTrayIcon(QIcon(pixmap))
tray.show()
sys.exit(app.exec())
