"""The composition root: build every service and widget and wire them.

Nothing else in the package constructs services for the GUI; widgets get
what they need through their constructors.  Starting the process (logging,
the QApplication, single-instance, translations, the crash hook and the
tray icon, shown before this module is even imported) is
:mod:`desktop.launch`; then :class:`Application`:

1. on the asyncio loop (qasync, :mod:`desktop.ui.loop`): the directory and
   the journal (opened in worker threads), the tray it was given (or, built
   here, the tray or a status window), the popups, and the agent's line,
   owned by one :class:`~desktop.core.line_supervisor.LineSupervisor`
   (start, settings changes, the demo switch and stop all go through it,
   one at a time);
2. in demo mode (``--demo`` or the tray's "Demo mode"), the simulator runs
   in-process on free loopback ports with sample contacts and rings the
   demo extension every so often (:mod:`desktop.core.demo_mode`).

Shutdown cancels every task (``TaskSet``), stops the line and the simulator.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import time
from dataclasses import astuple
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon, QWidget

from desktop.app.board import BoardWiring
from desktop.app.dialing import DialingWiring
from desktop.app.history import HistoryWiring
from desktop.app.integrations import IntegrationsWiring
from desktop.app.sms import SmsWiring
from desktop.app.support import SupportWiring
from desktop.core.account import Account, AccountIncomplete
from desktop.core.call_records import CallEnd, CallQuery
from desktop.core.caller_card import CallerCard, CardState
from desktop.core.calls import RecentDials, TrackerFactory
from desktop.core.demo_mode import DemoMode
from desktop.core.directory import Directory
from desktop.core.journal import Journal
from desktop.core.line_supervisor import (
    LinePlan,
    LineProblem,
    LineSupervisor,
    line_spec,
)
from desktop.core.paths import AppPaths
from desktop.core.phone_line import PhoneLine
from desktop.core.policy import fallback_settings, load_effective_settings, load_policy
from desktop.core.secrets import SecretStore
from desktop.core.settings import Settings, SettingsError
from desktop.core.shared_session import SharedRestSession
from desktop.core.tasks import TaskSet
from desktop.pbx.connection import ConnectionState, Flavor, Phase
from desktop.resources import resource
from desktop.ui.bridges import LineBridge
from desktop.ui.popup import PopupManager
from desktop.ui.single_instance import SingleInstance
from desktop.ui.tray import MessageKind, TrayController

log = logging.getLogger("kobikom.app")

DEMO_CONTACTS: Final = resource("sample-data", "contacts-demo.csv")
#: How often, and how many times, to look again for the tray icon's place while the
#: tray host has not embedded it yet (the log line is what the end-to-end tests click).
TRAY_EMBED_CHECK_MS: Final = 250
TRAY_EMBED_CHECKS: Final = 20


class Application(QObject):
    """Owns every long-lived object of the running app."""

    def __init__(self, qapp: QApplication, *, options: argparse.Namespace, paths: AppPaths,
                 config_path: Path, instance: SingleInstance, started_at: float,
                 tray: Any = None) -> None:
        """*tray*: the tray (or status window) ``desktop.launch`` showed before
        importing the app; None builds one here."""
        super().__init__()
        self.qapp = qapp
        self.options = options
        self.paths = paths
        self.config_path = config_path
        self.instance = instance
        self.started_at = started_at
        self.tasks = TaskSet("app", on_error=self._task_failed)
        self.secrets = SecretStore()
        self.settings = Settings()
        #: The administrator's machine-wide policy (defaults and locks), read once.
        self.policy = load_policy()
        self._settings_notes: list[str] = []
        self.demo = bool(options.demo)
        self.bridge = LineBridge(self)
        # The app's own click-to-calls, shared by the dialer and every call tracker
        # (their legs are never incoming calls).
        self.dials = RecentDials()
        self.directory: Directory | None = None
        self.journal: Journal | None = None
        self.demo_mode = DemoMode(DEMO_CONTACTS)
        # Support bundle and connection capture (the supervisor taps new channels).
        self._support = SupportWiring(self)
        self.supervisor = LineSupervisor(
            resolve=self._line_plan, stores=lambda: (self.directory, self.journal),
            on_card=self.bridge.on_card, on_state=self.bridge.on_state,
            on_missed=self.bridge.on_missed, settle=self._call_ended_at,
            tracker_factory=TrackerFactory(self.dials, on_dropped=self.bridge.on_dropped),
            channel_taps=self._support.channel_taps,
            remote=lambda: self.integrations.remote if self.integrations is not None else None)
        self._quit = asyncio.Event()
        self._windows: list[QWidget] = []
        self.tray: Any = tray
        self.popups = PopupManager(lambda: self.settings.popup, app=qapp, parent=self)
        #: The account's REST session, shared by every feature.
        self.sessions = SharedRestSession(self.account, self._session_identity, self.tasks)
        # How each feature is wired to the rest (desktop/app/<feature>.py).
        self._dialing = DialingWiring(self)
        self._history = HistoryWiring(self)
        self._integrations = IntegrationsWiring(self)
        self._board = BoardWiring(self)
        self._sms = SmsWiring(self)
        # Feature services, set by the _wire_* methods below (None = feature absent,
        # so other features hide the buttons that would use it: no dead buttons).
        self.click_to_call: Any = None  # click-to-call (issue 4)
        self.call_history: Any = None  # call history, recordings (issue 5)
        self.sms: Any = None  # quick SMS (issue 6)
        self.setup: Any = None  # first-run wizard, QR provisioning (issue 7)
        self.support: Any = None  # support bundle (issue 10 §3)
        self.board: Any = None  # team and queue board (issue 15 §1)
        self.integrations: Any = None  # CRM, remote directory, dial hotkey (issue 15 §2-4)

    # ------------------------------------------------------------------ start

    async def run(self) -> int:
        self._load_settings()
        self.directory, self.journal = await asyncio.gather(
            asyncio.to_thread(Directory, self.data_dir() / "contacts.sqlite3"),
            asyncio.to_thread(Journal, self.data_dir() / "journal.sqlite3"))
        self._build_tray()
        self._report_settings_notes()
        self._connect_signals()
        self.click_to_call = self._dialing.wire()
        self.integrations = self._integrations.wire()
        self.call_history = self._history.wire()
        self.sms = self._sms.wire()
        self._wire_setup()
        self.support = self._support.wire()
        self.board = self._board.wire()
        self._watch_network()
        if self.demo:
            self.supervisor.switch(self._enter_mode, "starting in demo mode")
        else:
            self.supervisor.reconfigure("starting")
        self.qapp.aboutToQuit.connect(self._qt_quitting)
        await self._quit.wait()
        await self._shutdown()
        return 0

    @property
    def line(self) -> PhoneLine | None:
        """The agent's line now (None while it is not running)."""
        return self.supervisor.line

    def data_dir(self) -> Path:
        """Demo mode keeps its sample data apart from the agent's real data."""
        path = self.paths.data_dir / "demo" if self.demo else self.paths.data_dir
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _load_settings(self) -> None:
        """Defaults, the administrator's policy, then the agent's file (locks enforced)."""
        try:
            effective = load_effective_settings(self.config_path, self.policy)
        except SettingsError as exc:
            log.error("%s", exc)
            effective = fallback_settings(self.config_path, self.policy)
            message = str(exc)
            QTimer.singleShot(0, lambda: self._error(self.tr("Settings file"), message))
        self.settings = effective.settings
        self._settings_notes = [*self.policy.warnings, *effective.warnings]

    def _report_settings_notes(self) -> None:
        """Ignored settings (unknown keys, bad policy entries): a tray warning, not a box."""
        if self._settings_notes:
            self.tray.show_message(self.tr("Some settings were ignored"),
                                   "\n".join(self._settings_notes), MessageKind.WARNING)

    def _build_tray(self) -> None:
        if self.tray is None:  # else shown by desktop.launch before the app was imported
            if QSystemTrayIcon.isSystemTrayAvailable():
                self.tray = TrayController(parent=self)
            else:
                from desktop.ui.no_tray import StatusWindow

                log.warning("no system tray on this desktop: showing a status window instead")
                self.tray = StatusWindow()
            self.tray.set_demo(self.demo)
            self.tray.set_extension(", ".join(self.settings.account.extensions))
            self.tray.show()
            elapsed = time.monotonic() - self.started_at
            log.info("tray shown (%s) %.0f ms after start", type(self.tray).__name__,
                     elapsed * 1000)
        # The tray repaints after a popup is on screen, and sums up the calls the
        # popups had no room for; the popup windows are made before the first ring.
        self.tray.set_paint_gate(self.popups)
        self.popups.overflowChanged.connect(self.tray.set_overflow)
        self.popups.prepare_soon()
        if isinstance(self.tray, TrayController):
            # A tray host needs a moment to embed the icon; log its geometry for tests.
            QTimer.singleShot(500, self._log_tray_geometry)

    def _log_tray_geometry(self, attempt: int = 0) -> None:
        geo = self.tray.geometry() if hasattr(self.tray, "geometry") else None
        if geo is None:
            return
        if geo.topLeft().isNull() and attempt < TRAY_EMBED_CHECKS:
            # Not embedded yet (a busy tray host): Qt reports the origin until it is.
            QTimer.singleShot(TRAY_EMBED_CHECK_MS, lambda: self._log_tray_geometry(attempt + 1))
            return
        log.info("tray icon geometry: %d,%d %dx%d", geo.x(), geo.y(), geo.width(),
                 geo.height())

    def _connect_signals(self) -> None:
        b = self.bridge
        b.cardChanged.connect(self._on_card)
        b.stateChanged.connect(self.tray.set_connection)
        b.droppedChanged.connect(self.tray.set_dropped)
        self.popups.popupShown.connect(lambda cid: log.info("popup shown for call %s", cid))
        # Test hook: the end-to-end tests (tests/e2e) wait for this line to know a
        # popup went away (auto-close after the hang-up, dismissal).
        self.popups.dismissed.connect(lambda cid: log.info("popup closed for call %s", cid))
        self.popups.addContactRequested.connect(self._add_contact)
        t = self.tray
        t.quitRequested.connect(self.request_quit)
        t.demoToggled.connect(self._set_demo)
        t.activated.connect(self.popups.show_last)
        t.aboutRequested.connect(self._about)
        t.settingsRequested.connect(self._open_settings)
        t.contactsRequested.connect(self.open_contacts)
        self.instance.messageReceived.connect(self._handed_over)
        self.instance.release()  # links clicked while we started are handled now

    def _watch_network(self) -> None:
        """Reconnect at once when the network comes back (wake from sleep, Wi-Fi)."""
        if not QNetworkInformation.loadDefaultBackend():
            return
        info = QNetworkInformation.instance()
        if info is None:
            return

        def changed(reachability: QNetworkInformation.Reachability) -> None:
            if reachability == QNetworkInformation.Reachability.Online:
                self.supervisor.kick("network is back")

        info.reachabilityChanged.connect(changed)

    # ------------------------------------------------------------------ features
    # Each feature is wired in its own method, so the composition stays readable
    # and features can be added without touching each other's wiring.

    def _dial_notify(self, title: str, text: str, kind: MessageKind) -> None:
        """A click-to-call result as a tray notification; problems never go unseen."""
        shown = self.tray is not None and self.tray.show_message(title, text, kind)
        if not shown and kind is not MessageKind.INFO:
            self._error(title, text)

    def _wire_setup(self) -> None:
        """First-run wizard and softphone QR provisioning (issue 7)."""
        from PySide6.QtGui import QAction

        from desktop.ui.account_setup import FIRST_RUN_DELAY_MS, AccountSetup
        from desktop.ui.tray import MenuSection

        self.setup = AccountSetup(
            settings=lambda: self.settings, current_settings=self.current_settings,
            secrets=self.secrets, config_path=self.config_path, tasks=self.tasks,
            rest_session=self.rest_session, policy=self.policy, parent=self)
        self.setup.settingsSaved.connect(self._setup_saved)
        self.setup.demoRequested.connect(lambda: self._set_demo(True))
        wizard_action = QAction(self.tr("Set up account…"), self)
        wizard_action.triggered.connect(self.setup.run_wizard)
        self.tray.add_action(wizard_action, MenuSection.APP)
        qr_action = QAction(self.tr("Softphone QR code…"), self)
        qr_action.triggered.connect(self.setup.show_qr)
        self.tray.add_action(qr_action, MenuSection.WINDOWS)
        self._setup_actions = (wizard_action, qr_action)
        if not self.settings.configured and not self.demo:
            log.info("no account configured: opening the setup wizard")
            QTimer.singleShot(FIRST_RUN_DELAY_MS, self.setup.run_wizard)

    @Slot(object)
    def _setup_saved(self, settings: Settings) -> None:
        """The wizard saved an account: new REST session, out of demo mode, reconnect."""
        self._settings_saved(settings)  # drops the cached REST session too
        if self.demo:
            self._set_demo(False)

    def current_settings(self) -> Settings:
        """The settings in effect (the demo overlay in demo mode)."""
        if self.demo and self.demo_mode.running:
            return self.demo_mode.overlay(self.settings)
        return self.settings

    def account(self) -> Account:
        """The account in effect (demo mode: the simulator's, with session-only secrets)."""
        if self.demo and self.demo_mode.running:
            return Account(self.current_settings(), self.demo_mode.secrets)
        return Account(self.current_settings(), self.secrets)

    async def rest_session(self) -> Any:
        """The account's REST session (Tekil panel or KobiPBX), shared by all features
        (:class:`~desktop.core.shared_session.SharedRestSession`; raises
        ``AccountIncomplete``)."""
        return await self.sessions.get()

    def ready_rest_session(self) -> Any:
        """The REST session if it is already built for the current account, else None
        (for synchronous callers on the GUI thread: never reads the keyring)."""
        return self.sessions.ready()

    def _session_identity(self) -> tuple[Any, ...]:
        settings = self.current_settings()
        acct = settings.account
        return (self.demo, acct.flavor, acct.user, settings.api_base())

    def _drop_rest_session(self) -> None:
        self.sessions.drop()

    def contact_name(self, number: str) -> str | None:
        """The directory's name for a number (any thread: per-thread connections)."""
        directory = self.directory
        contact = directory.lookup(number) if directory is not None else None
        return (contact.name or contact.company or None) if contact is not None else None

    # ------------------------------------------------------------------ the line
    # The line itself is the supervisor's (desktop/core/line_supervisor.py); the app
    # only says what the settings mean (_line_plan) and switches the stores (_enter_mode).

    async def _line_plan(self) -> LinePlan:
        """What the line should be now (the supervisor's ``resolve``; on its worker)."""
        settings = self.current_settings()
        self.tray.set_demo(self.demo)
        self.tray.set_extension(", ".join(settings.account.extensions))
        if not settings.configured:
            log.info("no account configured")
            return LineProblem(ConnectionState(Phase.DISCONNECTED, reason=self.tr(
                "not set up yet: open Settings… or try Demo mode")))
        account = self.account()
        try:
            token_provider = None
            if settings.account.flavor is Flavor.TEKIL and settings.account.ws_login_with_token:
                await self.rest_session()  # raises AccountIncomplete without a panel login
                token_provider = self._panel_token
            credentials = await asyncio.to_thread(account.channel_credentials,
                                                  token_provider=token_provider)
        except AccountIncomplete as exc:
            log.warning("cannot connect: %s", exc)
            return LineProblem(ConnectionState(Phase.AUTH_FAILED, reason=str(exc)))
        self.tasks.spawn(self.sessions.warm(), name="warm-rest-session")
        # The capture settings are part of the channel: a change restarts it (not the calls).
        return line_spec(settings, credentials, mode="demo" if self.demo else "live",
                         taps=astuple(settings.capture) if settings.capture.enabled else None)

    async def _panel_token(self) -> str:
        """The panel JWT for a Tekil WebSocket login, from the current shared session
        (so a password changed later is used without restarting the line)."""
        session = await self.rest_session()
        token: str = await session.token()
        return token

    async def _call_ended_at(self, query: CallQuery) -> CallEnd | None:
        """How the PBX's call record says a call ended (the supervisor settles it)."""
        sync = self.call_history.sync() if self.call_history is not None else None
        return await sync.end_of(query) if sync is not None else None

    async def _enter_mode(self, *, reopen: bool = False) -> None:
        """The supervisor's mode switch (the line is stopped): stores and simulator."""
        await self.demo_mode.stop()
        if reopen:
            for store in (self.directory, self.journal):
                if store is not None:
                    store.close()
            self.directory, self.journal = await asyncio.gather(
                asyncio.to_thread(Directory, self.data_dir() / "contacts.sqlite3"),
                asyncio.to_thread(Journal, self.data_dir() / "journal.sqlite3"))
        if self.demo:
            assert self.directory is not None
            await self.demo_mode.start(self.directory)

    @Slot(bool)
    def _set_demo(self, on: bool) -> None:
        if on == self.demo:
            return
        self.demo = on
        log.info("demo mode %s", "on" if on else "off")
        self.popups.close_all()
        self.supervisor.switch(lambda: self._enter_mode(reopen=True),
                               f"demo mode {'on' if on else 'off'}")

    # ------------------------------------------------------------------ reactions

    @Slot(object)
    def _on_card(self, card: CallerCard) -> None:
        # The agent's own click-to-call rings their phone: no popup for that.
        if self.settings.popup.enabled and card.shows_popup:
            self.popups.show_card(card, replaces=card.replaces)
        active = self.line.tracker.active_calls() if self.line else []
        self.tray.set_ringing(any(c.state.value == CardState.RINGING.value and not c.own_dial
                                  for c in active))

    @Slot(object)
    def _add_contact(self, card: CallerCard) -> None:
        self.open_contacts(prefill=card)

    @Slot(dict)
    def _handed_over(self, message: dict[str, Any]) -> None:
        argv = message.get("argv", [])
        log.info("second launch handed over %d argument(s)", len(argv))
        if argv and self.click_to_call is not None and \
                self.click_to_call.dial_arguments([str(a) for a in argv]):
            return  # a tel: link clicked while we run: the dial flow shows the result
        if self.tray is not None:
            self.tray.show_message("Kobikom", self.tr("Kobikom Desktop is already running."),
                                   MessageKind.INFO)

    def _about(self) -> None:
        from desktop.ui.about import AboutDialog

        AboutDialog.ask(None, data_dir=self.paths.data_dir, log_dir=self.paths.log_dir,
                        config_file=self.config_path,
                        save_support_bundle=self.support.ask if self.support else None)

    def _open_settings(self) -> None:
        try:
            from desktop.ui.settings_dialog import SettingsDialog
        except ImportError:
            self._error(self.tr("Settings"), self.tr("The settings window is not available."))
            return
        dialog = SettingsDialog.ask(None, self.settings, self.secrets,
                                    config_path=self.config_path, policy=self.policy)
        dialog.settingsSaved.connect(self._settings_saved)
        if self.integrations is not None:
            self.integrations.show_hotkey_problem(dialog.integration_pages)

    @Slot(object)
    def _settings_saved(self, settings: Settings) -> None:
        self.settings = settings
        log.info("settings saved")
        self._drop_rest_session()  # the password may have changed for the same e-mail
        if self.sms is not None:
            self.sms.wake()  # a new SMS token/API: waiting messages go out now, not in 60 s
        if self.board is not None:
            self.board.settings_changed()  # the waiting badge's switch and queues
        self._dialing.settings_saved(settings.ui.register_tel_links)
        # The supervisor changes only what the line's settings changed (a popup
        # corner changes nothing there) and never ends a call in progress.
        self.supervisor.reconfigure("settings saved")
        if self.integrations is not None:
            self.integrations.apply(settings)

    def open_contacts(self, prefill: CallerCard | None = None) -> None:
        try:
            from desktop.core.contacts_service import ContactsService
            from desktop.ui.contacts import ContactsBridge, ContactsWindow
        except ImportError:
            self._error(self.tr("Contacts"), self.tr("The contacts window is not available."))
            return
        assert self.directory is not None
        service = ContactsBridge(ContactsService(self.directory, pbx=self._phonebook_session),
                                 tasks=self.tasks, parent=self)
        service.changed.connect(self._directory_changed)
        window = ContactsWindow(service)
        if self.click_to_call is not None:
            window.enable_calls()
            window.callRequested.connect(
                lambda number: self.click_to_call.dial(number, source="contacts"))
        if self.sms is not None:
            window.enable_sms()
            window.smsRequested.connect(
                lambda number, name: self.sms.compose([number], context={"name": name}))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._keep_window(window)
        window.show()
        if prefill is not None and hasattr(window, "add_number"):
            window.add_number(prefill.number.raw)

    def _phonebook_session(self) -> Any:
        """The Tekil panel session for PBX phonebook sync; None for KobiPBX (no API)."""
        if self.current_settings().account.flavor is not Flavor.TEKIL:
            return None
        return self.ready_rest_session()  # built at line start; no keyring reads here

    def _directory_changed(self) -> None:
        if self.line is not None:
            self.line.forget_contact()
        if self.board is not None:
            self.board.forget_names()

    def _error(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self._keep_window(box)
        box.open()

    def _keep_window(self, window: QWidget) -> None:
        """Keep a parentless window alive until it is closed (and deleted)."""
        self._windows.append(window)
        window.destroyed.connect(
            lambda *_: self._windows.remove(window) if window in self._windows else None)

    def _task_failed(self, exc: BaseException) -> None:
        self._error(self.tr("Unexpected error"),
                    self.tr("Something went wrong: {0}\n\nDetails are in the log file:\n{1}")
                    .format(type(exc).__name__, self.paths.log_file))

    # ------------------------------------------------------------------ stop

    @Slot()
    def _qt_quitting(self) -> None:
        """Qt quits on its own (display connection lost, session ended): the async
        shutdown cannot run any more, so close what must not be left open now."""
        if self._quit.is_set():
            return
        log.warning("Qt is quitting on its own; closing the databases")
        for store in (self.directory, self.journal):
            if store is not None:
                with contextlib.suppress(Exception):
                    store.close()

    @Slot()
    def request_quit(self) -> None:
        """Quit after an orderly shutdown (tray Quit, SIGTERM, Ctrl+C)."""
        self._quit.set()

    async def _shutdown(self) -> None:
        log.info("shutting down")
        self.popups.close_all()
        if self.board is not None:
            self.board.close()  # its window and strip, before Qt tears widgets down
        await self.supervisor.close()
        await self.demo_mode.stop()
        # Features close their own databases and senders (e.g. the SMS outbox).
        for service in (self.click_to_call, self.call_history, self.sms, self.setup,
                        self.integrations):
            close = getattr(service, "close", None)
            if close is not None and asyncio.iscoroutinefunction(close):
                try:
                    await close()
                except Exception:
                    log.exception("closing %s failed", type(service).__name__)
        await self.tasks.cancel_all()
        await self.sessions.close()
        for store in (self.directory, self.journal):
            if store is not None:
                store.close()
        self.instance.close()
        if self.tray is not None:
            self.tray.hide()
