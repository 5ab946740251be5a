"""Beyond the popup, in the app: CRM screen-pop, remote directory and the dial hotkey.

:class:`Integrations` owns the three features and follows the settings
(``[crm]``, ``[ldap]``, ``[http_lookup]``, ``[hotkey]``) so that the
composition root only wires its signals:

* ``crm`` (:class:`~desktop.ui.crm.CrmBridge`) gets every caller card and
  opens the CRM page; the popup's and history's buttons call it;
* ``remote`` is the :class:`~desktop.core.remote_directory.RemoteDirectory`
  the phone line asks about unknown callers; new settings make a new one
  (``remoteChanged``), the old one is closed in the background;
* ``hotkey`` (:class:`~desktop.ui.hotkey.GlobalHotkey`): pressing it reads
  the selection or the clipboard and starts the dial flow with a
  confirmation.

Failing remote sources and a hotkey that could not be registered are
reported through ``problemsChanged`` (translated text for the tray tooltip
and the status window; "" when all is well).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.crm import CrmFields
from desktop.core.journal import HistoryRow
from desktop.core.remote_directory import RemoteDirectory
from desktop.core.remote_sources import SecretReader, remote_directory
from desktop.core.settings import Settings
from desktop.core.tasks import TaskSet
from desktop.ui.crm import CrmBridge, open_in_browser
from desktop.ui.hotkey import BackendFactory, GlobalHotkey, default_backend, hotkey_text
from desktop.ui.integration_texts import directory_problem_text, hotkey_problem_text
from desktop.ui.tray import MessageKind

log = logging.getLogger("kobikom.ui.integrations")

#: ``dial(text, source=..., confirm_always=...)``: the click-to-call bridge's entry point.
Dial = Callable[..., None]
Notify = Callable[[str, str, MessageKind], None]


class Integrations(QObject):
    """CRM, remote directory and dial hotkey for the current settings.

    Signals:
        remoteChanged(object): a new RemoteDirectory (the settings changed).
        problemsChanged(str): what does not work (translated; "" = nothing).
        hotkeyDialled(str): the hotkey handed text to the dial flow ("selection"
            or "clipboard"; tests, logs).
    """

    remoteChanged = Signal(object)
    problemsChanged = Signal(str)
    hotkeyDialled = Signal(str)

    def __init__(self, settings: Settings, secrets: SecretReader | None, *, tasks: TaskSet,
                 dial: Dial, notify: Notify,
                 hotkey_backend: BackendFactory = default_backend,
                 crm_opener: Callable[[str], bool] = open_in_browser,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._secrets = secrets
        self._tasks = tasks
        self._dial = dial
        self._notify = notify
        self._directory_problems: dict[str, str | None] = {}
        self._problems = ""
        self.crm = CrmBridge(settings.crm, opener=crm_opener, parent=self)
        self.remote = self._make_remote(settings)
        self.hotkey = GlobalHotkey(hotkey_backend, parent=self)
        self.hotkey.activated.connect(self._hotkey_pressed)
        self.hotkey.problemChanged.connect(lambda _code, _text: self._refresh_problems())

    def start(self) -> None:
        """Register the hotkey, warm the directory sources up (after the tray is up)."""
        self.hotkey.set_hotkey(self._settings.hotkey.dial)
        if self.remote:
            self._tasks.spawn(self.remote.prepare(), name="prepare-remote-directory")

    @property
    def problems(self) -> str:
        return self._problems

    def _make_remote(self, settings: Settings) -> RemoteDirectory:
        self._directory_problems = {}
        remote = remote_directory(settings, self._secrets, on_problem=self._directory_problem)
        return remote

    def apply(self, settings: Settings) -> None:
        """New settings: change only what changed."""
        old, self._settings = self._settings, settings
        if settings.crm != old.crm:
            self.crm.apply(settings.crm)
        if (settings.ldap, settings.http_lookup) != (old.ldap, old.http_lookup):
            stale, self.remote = self.remote, self._make_remote(settings)
            self._refresh_problems()
            self.remoteChanged.emit(self.remote)
            self._tasks.spawn(stale.aclose(), name="close-remote-directory")
            if self.remote:
                self._tasks.spawn(self.remote.prepare(), name="prepare-remote-directory")
        if settings.hotkey.dial != old.hotkey.dial:
            self.hotkey.set_hotkey(settings.hotkey.dial)

    async def close(self) -> None:
        """Release the hotkey, close the directory connections (app shutdown)."""
        self.hotkey.stop()
        await self.remote.aclose()

    def show_hotkey_problem(self, pages: Any) -> None:
        """Keep the Settings dialog's hotkey row told whether the hotkey works."""
        def update(code: str, detail: str) -> None:
            with contextlib.suppress(RuntimeError):  # the dialog is gone
                pages.set_hotkey_problem(hotkey_problem_text(code, detail))

        update(*self.hotkey.problem)
        self.hotkey.problemChanged.connect(update)
        pages.destroyed.connect(lambda: self._disconnect(update))

    def _disconnect(self, slot: Callable[[str, str], None]) -> None:
        with contextlib.suppress(RuntimeError, TypeError):
            self.hotkey.problemChanged.disconnect(slot)

    def open_history_row(self, row: HistoryRow) -> None:
        """The history's "Open in CRM" button."""
        self.crm.open_fields(CrmFields.from_history(row))

    # -- problems ----------------------------------------------------------------------

    def _directory_problem(self, source: str, text: str | None) -> None:
        self._directory_problems[source] = text
        self._refresh_problems()

    def _refresh_problems(self) -> None:
        lines = [directory_problem_text(self._directory_problems),
                 hotkey_problem_text(*self.hotkey.problem) if hasattr(self, "hotkey") else ""]
        text = "\n".join(line for line in lines if line)
        if text != self._problems:
            self._problems = text
            self.problemsChanged.emit(text)

    # -- the hotkey ----------------------------------------------------------------------

    def _hotkey_pressed(self) -> None:
        picked = hotkey_text()
        if picked is None:
            log.info("dial hotkey: nothing selected or copied")
            self._notify(self.tr("Nothing to call"),
                         self.tr("Select a phone number (or copy it), then press the hotkey "
                                 "again."), MessageKind.WARNING)
            return
        text, origin = picked
        log.info("dial hotkey: dialling the %s", origin)
        self.hotkeyDialled.emit(origin)
        self._dial(text, source="hotkey", confirm_always=True)


__all__ = ["Integrations"]
