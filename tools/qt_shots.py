"""What the live screenshot tools share: ``--language``, the QApplication, Turkish
translators and a qasync loop that runs the tool's ``shoot`` coroutine."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any


def run_shots(description: str, artifacts: Path, shoot: Callable[[], Coroutine[Any, Any, None]],
              set_prefix: Callable[[str], None]) -> int:
    """Parse ``--language en|tr``, start Qt (Turkish: our .qm and Qt's, file names
    ``tr-…`` through *set_prefix*), run *shoot* on a qasync loop; the exit code."""
    import qasync
    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--language", choices=("en", "tr"), default="en")
    args = parser.parse_args()
    artifacts.mkdir(exist_ok=True)
    app = QApplication(sys.argv[:1])
    translators = []
    if args.language == "tr":
        from desktop.ui.i18n import install_translators

        set_prefix("tr-")
        translators = install_translators(app, "tr")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(shoot())
    del translators  # kept alive until here
    print(f"screenshots in {artifacts}")
    return 0
