"""Wiring of the call history: window, missed calls, gap filling, recordings (issue 5).

Part of the composition root (:mod:`desktop.app.application`): builds the
:class:`~desktop.ui.call_history.CallHistory` service and connects it to the
tray, the popups and the line.  Other features are looked up at click time,
so a feature that is absent never leaves a dead button.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction

from desktop.core.account import AccountIncomplete
from desktop.core.caller_card import CallerCard, CardState, NumberSource, with_contact
from desktop.pbx.connection import Flavor
from desktop.ui.tray import MenuSection, MessageKind, TrayController

if TYPE_CHECKING:
    from desktop.app.application import Application
    from desktop.ui.call_history import CallHistory

log = logging.getLogger("kobikom.app")


class HistoryWiring:
    """The glue between the call history and the rest of the app."""

    def __init__(self, app: Application) -> None:
        self.app = app

    def wire(self) -> CallHistory:
        from desktop.ui.call_history import CallHistory

        app = self.app
        history = CallHistory(
            journal=lambda: app.journal, tasks=app.tasks,
            source_factory=self.source, downloader=self.session,
            recordings_dir=lambda: app.data_dir() / app.paths.recordings_dir.name,
            cache_bytes=lambda: max(1, app.current_settings().history.recordings_cache_mb)
            * 1024 * 1024,
            actions=self.actions, name_for=app.contact_name,
            update_popup=self.popup_update,
            notify=lambda title, text: app.tray.show_message(title, text, MessageKind.INFO),
            parent=app)
        # The badge counts the journal's unseen missed calls: they survive restarts
        # and include calls found while offline (the tracker's count does neither).
        history.missedChanged.connect(app.tray.set_missed)
        app.bridge.cardChanged.connect(history.on_card)
        app.bridge.stateChanged.connect(history.line_state)
        # Dismissing the missed-calls card is the agent seeing all the calls it sums up.
        app.popups.missedDismissed.connect(lambda ids: history.mark_seen(list(ids)))
        app.popups.showMissedRequested.connect(lambda: history.show(missed_only=True))
        app.popups.set_actions(recording=True, missed_list=True)
        app.popups.playRecordingRequested.connect(
            lambda card: history.play_recording(card.call_id))
        # A left click on the tray icon opens the recent calls (the status window
        # of desktops without a tray keeps its "Show last call" button).
        if isinstance(app.tray, TrayController):
            with contextlib.suppress(RuntimeError, TypeError):
                app.tray.activated.disconnect(app.popups.show_last)
            app.tray.activated.connect(lambda: history.show())
        recent = QAction(QCoreApplication.translate("Application", "Recent calls…"), app)
        recent.triggered.connect(lambda: history.show())
        app.tray.add_action(recent, MenuSection.WINDOWS)
        missed = QAction(QCoreApplication.translate("Application", "Missed calls…"), app)
        missed.triggered.connect(lambda: history.show(missed_only=True))
        app.tray.add_action(missed, MenuSection.WINDOWS)
        self.menu_actions = (recent, missed)
        # A mode switch reopens the journal: its windows and badge follow.
        app.tray.demoToggled.connect(lambda _on: history.close_windows())
        history.refresh_missed()
        return history

    async def session(self) -> Any:
        """The REST session for call records and recordings (None: no account)."""
        try:
            return await self.app.rest_session()
        except AccountIncomplete as exc:
            log.info("call records unavailable: %s", exc)
            return None

    async def source(self) -> Any:
        """The account's call-record source for gap filling (None: cannot fetch)."""
        from desktop.core.history_sync import KobiPbxCdrSource, TekilCdrSource

        settings = self.app.current_settings()
        if not settings.configured:
            return None
        session = await self.session()
        if session is None:
            return None
        extensions = settings.account.extensions
        if settings.account.flavor is Flavor.TEKIL:
            return TekilCdrSource(session, extensions)
        return KobiPbxCdrSource(session, settings.account.domain_uuid, extensions)

    def actions(self) -> Any:
        """What the history window can do; other features are looked up at click time."""
        from desktop.ui.history import HistoryActions

        app = self.app
        history = app.call_history
        return HistoryActions(
            call_back=(lambda number: app.click_to_call.dial(number, source="history"))
            if app.click_to_call is not None else None,
            send_sms=(lambda number, call_id: app.sms.compose(
                [number], call_id=call_id, source="history"))
            if app.sms is not None else None,
            play_recording=history.play_recording, add_contact=self.add_contact,
            set_note=history.set_note, directory_keys=self.directory_keys,
            open_in_crm=app.integrations.open_history_row
            if app.integrations is not None and app.integrations.crm.enabled else None)

    def add_contact(self, number: str) -> None:
        from desktop.core.numbers import parse_number

        self.app.open_contacts(prefill=CallerCard(call_id="", state=CardState.ENDED,
                                                  number=parse_number(number)))

    def directory_keys(self, text: str) -> list[str]:
        """Numbers of the contacts whose name matches *text* (the history's search)."""
        from desktop.ui.history import DIRECTORY_MATCHES

        directory = self.app.directory
        if directory is None:
            return []
        return [n.key for contact in directory.search(text, DIRECTORY_MATCHES)
                for n in contact.numbers if n.key]

    def popup_update(self, card: CallerCard) -> None:
        """A recording (or the caller the PBX had not sent) was found for an ended
        call: its popup, if still open, shows it; so does the missed-calls card."""
        app = self.app
        popup = app.popups.popup(card.call_id)
        filled = card.number_source is NumberSource.CDR
        if filled or (popup is not None and popup.isVisible()):
            if filled and app.directory is not None:
                contact = app.directory.lookup(card.number)
                if contact is not None:
                    card = with_contact(card, contact.id, contact.name, contact.company,
                                        contact.notes)
            app.popups.show_card(card)
