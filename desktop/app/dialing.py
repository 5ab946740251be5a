"""Wiring of click-to-call: dialer window, popup/contact "Call back", tel: links (issue 4).

Part of the composition root (:mod:`desktop.app.application`).  The service
(:class:`~desktop.core.dialing.ClickToCall`) shares the app's REST session
and the app's :class:`~desktop.core.calls.RecentDials` with every call
tracker, so the agent's own dials never show as incoming calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from desktop.pbx.connection import ConnectionState
from desktop.resources import resource
from desktop.ui.tray import MenuSection, MessageKind

if TYPE_CHECKING:
    from desktop.app.application import Application
    from desktop.ui.click_to_call import ClickToCallBridge, TelLinkSettings

APP_ICON = resource("icons", "kobikom-desktop.svg")


class DialingWiring:
    """The glue between click-to-call and the rest of the app."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.tel_links: TelLinkSettings | None = None

    def wire(self) -> ClickToCallBridge:
        from desktop.core.dial_search import DialerSearch
        from desktop.core.dialing import ClickToCall
        from desktop.ui.click_to_call import ClickToCallBridge, TelLinkSettings

        app = self.app
        service = ClickToCall(settings=app.current_settings, session=self.session,
                              line=lambda: app.line, dials=app.dials)
        bridge = ClickToCallBridge(
            service, tasks=app.tasks, notify=app._dial_notify,
            search=lambda: DialerSearch(app.directory, app.journal), parent=app)
        app.tray.add_action(bridge.dial_action, MenuSection.CALLS)
        app.tray.add_action(bridge.clipboard_action, MenuSection.CALLS)
        bridge.install_shortcut(app.qapp)
        bridge.install_url_handler(app.qapp)
        app.popups.set_actions(call_back=True)
        app.popups.callBackRequested.connect(bridge.call_back)
        app.popups.transferRequested.connect(bridge.transfer)
        app.popups.hangUpRequested.connect(bridge.hang_up)
        app.bridge.stateChanged.connect(self.line_changed)
        tel_links = TelLinkSettings(
            app.config_path, tasks=app.tasks,
            icon=str(APP_ICON) if APP_ICON.exists() else None, parent=app)
        tel_links.failed.connect(lambda why: app._dial_notify(
            QCoreApplication.translate("Application", "Telephone links"), why,
            MessageKind.WARNING))
        tel_links.start(app.settings.ui.register_tel_links)
        self.tel_links = tel_links
        uri = getattr(app.options, "uri", None)
        if uri:
            QTimer.singleShot(0, lambda: bridge.dial_arguments([uri]))
        return bridge

    async def session(self) -> Any:
        """The shared REST session (raises AccountIncomplete with the reason)."""
        return await self.app.rest_session()

    def line_changed(self, _state: ConnectionState) -> None:
        """Transfer and Hang up on popups only while the line takes call commands."""
        app = self.app
        line = app.line
        live = line is not None and line.supports_commands and line.connected
        app.popups.set_actions(transfer=live, hangup=live)

    def settings_saved(self, register_tel_links: bool) -> None:
        """Also when the settings folder is not being watched."""
        if self.tel_links is not None:
            self.tel_links.set_enabled(register_tel_links)
