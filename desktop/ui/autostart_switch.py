"""The "Start at login" check box of the Settings dialog and the setup wizard.

It shows and changes :mod:`desktop.core.autostart` (XDG autostart, the
Windows Run key, a macOS launch agent) for the current user.  Reading and
writing are file or registry I/O, so both run in a worker thread: the box is
disabled until the state is known, and :meth:`StartAtLogin.apply` is awaited
by the window's save.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtWidgets import QCheckBox, QWidget

from desktop.core.autostart import Autostart, AutostartError, for_this_system
from desktop.core.tasks import TaskSet

log = logging.getLogger("kobikom.ui.autostart")


class StartAtLogin(QCheckBox):
    """A check box bound to an :class:`Autostart` backend."""

    def __init__(self, autostart: Autostart | None, tasks: TaskSet, *,
                 default: bool | None = None, parent: QWidget | None = None) -> None:
        """*default*: check it regardless of the current state (the wizard: on)."""
        super().__init__(parent)
        self.setText(self.tr("Start Kobikom Desktop when I log in"))
        self.setObjectName("startAtLogin")
        self.autostart = autostart if autostart is not None else for_this_system()
        self._default = default
        #: The state read from the system (None: not read yet).
        self.current: bool | None = None
        self.setEnabled(False)
        self._task = tasks.spawn(self._read(), name="autostart-read")

    async def _read(self) -> None:
        try:
            state = await asyncio.to_thread(self.autostart.enabled)
        except OSError as exc:
            log.warning("reading the autostart entry failed: %s", exc)
            state = False
        self.current = state
        self.setChecked(state if self._default is None else self._default)
        self.setEnabled(True)
        self.setToolTip(self.autostart.where())

    async def ready(self) -> None:
        """Wait until the current state is known (tests)."""
        await asyncio.shield(self._task)

    async def apply(self) -> str | None:
        """Make the system match the box; returns a problem to show, or None."""
        if self.current is None:
            return None  # never read: leave the system as it is
        wanted = self.isChecked()
        if wanted == self.current:
            return None
        try:
            await asyncio.to_thread(self.autostart.set, wanted)
        except AutostartError as exc:
            log.warning("changing the autostart entry failed: %s", exc)
            return str(exc)
        self.current = wanted
        log.info("start at login %s (%s)", "on" if wanted else "off", self.autostart.where())
        return None
