"""Wiring of the quick SMS: composer, durable outbox, delivery status (issue 6).

Part of the composition root (:mod:`desktop.app.application`).  Demo mode
keeps its own outbox and the simulator's SMS API; the live mode uses the
agent's account.  Queued messages go out as soon as the network or the PBX
link is back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtNetwork import QNetworkInformation

from desktop.core.account import Account
from desktop.core.caller_card import CallerCard
from desktop.core.secrets import SecretName
from desktop.ui.tray import MenuSection, MessageKind

if TYPE_CHECKING:
    from desktop.app.application import Application
    from desktop.ui.sms import SmsService


class SmsWiring:
    """The glue between the SMS service and the rest of the app."""

    def __init__(self, app: Application) -> None:
        self.app = app

    def wire(self) -> SmsService:
        from desktop.ui.sms import SmsService

        app = self.app
        sms = SmsService(
            self.channel, tasks=app.tasks, store_token=self.store_token,
            agent_name=lambda: app.current_settings().sms.agent_name,
            default_sender=lambda: app.current_settings().sms.sender,
            notify=lambda title, text: app.tray.show_message(title, text, MessageKind.WARNING),
            parent=app)
        sms.start()
        app.popups.set_actions(sms=True)
        app.popups.smsRequested.connect(lambda card: self.for_card(sms, card))
        compose = QAction(QCoreApplication.translate("Application", "Send SMS…"), app)
        compose.triggered.connect(lambda: sms.compose([], source="tray"))
        app.tray.add_action(compose, MenuSection.CALLS)
        history = QAction(QCoreApplication.translate("Application", "SMS history…"), app)
        history.triggered.connect(sms.show_history)
        app.tray.add_action(history, MenuSection.WINDOWS)
        # After the demo switch (connected earlier): open the new mode's outbox.
        app.tray.demoToggled.connect(lambda _on: sms.start())
        # Queued messages go out as soon as the network or the PBX link is back
        # (not on every quiet refresh of a silent line: that would read the outbox
        # every 90 s for nothing).
        app.bridge.lineUp.connect(sms.wake)
        if QNetworkInformation.loadDefaultBackend() and QNetworkInformation.instance():
            QNetworkInformation.instance().reachabilityChanged.connect(
                lambda r: sms.wake() if r == QNetworkInformation.Reachability.Online else None)
        return sms

    def channel(self) -> tuple[Path, Any]:
        """The current mode's outbox and its account's SMS API (demo mode keeps its own)."""
        app = self.app
        demo = app.demo
        return (app.data_dir() / app.paths.outbox_db.name, lambda: self.config(demo))

    def config(self, demo: bool) -> Any:
        """The SMS API of one mode (runs in a worker thread: reads the keyring)."""
        from desktop.core.sms_sender import SmsNotConfigured, sms_api_config

        app = self.app
        if demo:
            if not app.demo or not app.demo_mode.running:
                raise SmsNotConfigured("demo mode is not running")
            return sms_api_config(Account(app.demo_mode.overlay(app.settings),
                                          app.demo_mode.secrets))
        return sms_api_config(Account(app.settings, app.secrets))

    def store_token(self, token: str) -> None:
        """Save the SMS token (new API) or API key (old API); blocking (keyring)."""
        app = self.app
        name = SecretName.SMS_API_KEY if app.current_settings().sms.api == "old" \
            else SecretName.SMS_TOKEN
        store = app.demo_mode.secrets if app.demo else app.secrets
        store.set(name, token)

    @staticmethod
    def for_card(sms: SmsService, card: CallerCard) -> None:
        from desktop.ui.sms import context_from_card

        sms.compose([card.number.raw], context=context_from_card(card),
                    call_id=card.call_id, source="popup")
