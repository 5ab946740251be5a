"""Wiring of the integrations: CRM screen-pop, LDAP/HTTP directory lookups, dial hotkey
(issue 15 §2-4).

Part of the composition root (:mod:`desktop.app.application`).  The remote
directory reaches the line through the supervisor's ``remote`` hook (and
:meth:`~desktop.core.phone_line.PhoneLine.set_remote` when it changes); what
does not work is shown in the tray (or the status window) and logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from desktop.app.application import Application
    from desktop.ui.integrations import Integrations

log = logging.getLogger("kobikom.app")


class IntegrationsWiring:
    """The glue between the integrations and the rest of the app."""

    def __init__(self, app: Application) -> None:
        self.app = app

    def wire(self) -> Integrations:
        from desktop.ui.integrations import Integrations

        app = self.app
        integrations = Integrations(
            app.settings, app.secrets, tasks=app.tasks,
            dial=app.click_to_call.dial, notify=app._dial_notify, parent=app)
        app.bridge.cardChanged.connect(integrations.crm.on_card)
        app.popups.set_actions(crm=integrations.crm.enabled)
        integrations.crm.enabledChanged.connect(lambda on: app.popups.set_actions(crm=on))
        app.popups.crmRequested.connect(integrations.crm.open_card)
        integrations.remoteChanged.connect(self.remote_changed)
        integrations.problemsChanged.connect(self.problems)
        self.problems(integrations.problems)
        QTimer.singleShot(0, integrations.start)  # the hotkey, once the loop runs
        return integrations

    def remote_changed(self, remote: Any) -> None:
        line = self.app.line
        if line is not None:
            line.set_remote(remote)

    def problems(self, text: str) -> None:
        self.app.tray.set_problems(text)
        if text:
            log.info("not working: %s", text.replace("\n", "; "))
