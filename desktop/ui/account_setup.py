"""``app.setup``: the first-run wizard and the softphone QR code, as one service.

:class:`AccountSetup` is what the composition root wires (``_wire_setup``)
and what other features call: :meth:`AccountSetup.run_wizard` and
:meth:`AccountSetup.show_qr`.  It owns no state of the account itself: it
reads the settings through callables, stores through the app's
:class:`SecretStore`, and reports through signals:

* ``settingsSaved(Settings)``: the wizard wrote the settings file and the
  secrets; the app reconnects.
* ``demoRequested()``: the agent chose "just show me".

When the account is not configured yet, the settings file in use (the
default one, or ``--config FILE``) is read as an administrator's roll-out
file (:func:`desktop.core.settings_import.read_settings_file`): the values
an administrator decides are greyed out in the wizard, and a file that
cannot be used (a secret in it, an invalid value) is explained on the
wizard's first page.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop.core.account_check import CheckTimeouts, PbxExtension, tekil_extension_list
from desktop.core.autostart import Autostart
from desktop.core.policy import Policy
from desktop.core.secrets import SecretStore
from desktop.core.settings import Settings, SettingsError
from desktop.core.settings_import import read_settings_file
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import Flavor
from desktop.ui.notice import NoticeKind
from desktop.ui.qr_dialog import QrDialog
from desktop.ui.setup_wizard import SetupWizard

log = logging.getLogger("kobikom.ui.account_setup")

#: Wait this long after start before the first-run wizard opens (the tray first).
FIRST_RUN_DELAY_MS: Final = 600


class AccountSetup(QObject):
    """Opens the setup wizard and the QR dialog (one of each at a time).

    Signals:
        settingsSaved(Settings): the wizard saved a new account.
        demoRequested(): the agent chose "just show me" in the wizard.
        wizardShown(object): a :class:`SetupWizard` was opened (tests).
        qrShown(object): a :class:`QrDialog` was opened (tests).
    """

    settingsSaved = Signal(object)
    demoRequested = Signal()
    wizardShown = Signal(object)
    qrShown = Signal(object)

    def __init__(
        self,
        *,
        settings: Callable[[], Settings],
        current_settings: Callable[[], Settings],
        secrets: SecretStore,
        config_path: Path,
        tasks: TaskSet,
        rest_session: Callable[[], Awaitable[Any]],
        check_timeouts: CheckTimeouts | None = None,
        policy: Policy | None = None,
        autostart: Autostart | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``settings``: the saved settings; ``current_settings``: those in effect
        (the demo overlay in demo mode); ``rest_session``: the app's shared
        REST session, awaited (raises ``AccountIncomplete``)."""
        super().__init__(parent)
        self._settings = settings
        self._current = current_settings
        self._secrets = secrets
        self._config_path = Path(config_path)
        self._tasks = tasks
        self._rest_session = rest_session
        self._check_timeouts = check_timeouts
        self._policy = policy if policy is not None else Policy()
        self._autostart = autostart
        self.wizard: SetupWizard | None = None
        self.qr_dialog: QrDialog | None = None
        self._opening = False

    # ------------------------------------------------------------------ wizard

    def run_wizard(self) -> None:
        """Show the setup wizard (brought to the front if it is already open)."""
        if self.wizard is not None:
            _raise(self.wizard)
            return
        if self._opening:
            return
        self._opening = True
        self._tasks.spawn(self._open_wizard(), name="open-setup-wizard")

    async def _open_wizard(self) -> None:
        try:
            settings = self._settings()
            locked: frozenset[str] = frozenset()
            source = ""
            notice: tuple[NoticeKind, str, str] | None = None
            if not settings.configured and self._config_path.is_file():
                try:
                    imported = await asyncio.to_thread(read_settings_file, self._config_path)
                except SettingsError as exc:
                    notice = (NoticeKind.ERROR, self.tr("The settings file cannot be used"),
                              self.tr("{problem}\nSet up the account here; saving replaces "
                                      "the file.").format(problem=str(exc)))
                else:
                    settings = self._policy.enforce(imported.settings)
                    locked = imported.admin_keys
                    source = imported.path.name
                    if imported.warnings:
                        notice = (NoticeKind.WARNING, self.tr("Settings file"),
                                  "\n".join(imported.warnings))
            wizard = SetupWizard(settings, self._secrets, config_path=self._config_path,
                                 tasks=self._tasks, locked=locked, locked_source=source,
                                 notice=notice, check_timeouts=self._check_timeouts,
                                 policy=self._policy, autostart=self._autostart)
        finally:
            self._opening = False
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        wizard.settingsSaved.connect(self.settingsSaved)
        wizard.demoRequested.connect(self.demoRequested)
        wizard.destroyed.connect(self._wizard_gone)
        self.wizard = wizard
        _raise(wizard)
        log.info("setup wizard shown (configured=%s, locked=%d)", settings.configured,
                 len(locked))
        self.wizardShown.emit(wizard)

    def _wizard_gone(self, *_args: object) -> None:
        self.wizard = None

    # ------------------------------------------------------------------ QR

    def show_qr(self) -> None:
        """Show the softphone QR dialog for the account in effect."""
        if self.qr_dialog is not None:
            _raise(self.qr_dialog)
            return
        settings = self._current()
        dialog = QrDialog(flavor=settings.account.flavor,
                          extensions=list(settings.account.extensions),
                          fetch_qr=self._fetch_qr,
                          fetch_extensions=self._fetch_extensions
                          if settings.account.flavor is Flavor.TEKIL else None,
                          tasks=self._tasks)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.destroyed.connect(self._qr_gone)
        self.qr_dialog = dialog
        _raise(dialog)
        self.qrShown.emit(dialog)

    def _qr_gone(self, *_args: object) -> None:
        self.qr_dialog = None

    async def _fetch_qr(self, extension: str, app: str) -> bytes:
        session = await self._rest_session()
        png: bytes = await session.get_qr_code(extension, app)
        return png

    async def _fetch_extensions(self) -> list[PbxExtension]:
        session = await self._rest_session()
        return tekil_extension_list(await session.get_extensions())


def _raise(widget: QWidget) -> None:
    widget.show()
    widget.raise_()
    widget.activateWindow()
