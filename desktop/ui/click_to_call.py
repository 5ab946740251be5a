"""Click-to-call as the rest of the app sees it: one bridge, a few small dialogs.

:class:`ClickToCallBridge` is what ``app.click_to_call`` is.  Every entry
point ends in :meth:`ClickToCallBridge.dial`: the dialer window, "Call
back" on a popup, a contact's "Call", the tray's "Dial number from
clipboard", a ``tel:``/``callto:``/``sip:`` link given on the command line
or handed over by a second launch (and, on macOS, a link opened with the
app, through Qt's URL handlers: :meth:`ClickToCallBridge.install_url_handler`).  The
flow runs on the event loop (:class:`~desktop.core.dialing.ClickToCall`):
parse, debounce, confirm international and premium-rate numbers with
:class:`~desktop.ui.dial_dialogs.DialConfirmDialog` (opened with ``open()``, never ``exec()``), send
once, and show the result as a tray notification in plain words.

From the popup of a live call on the Tekil WebSocket, :meth:`transfer`
(asks for the extension with
:class:`~desktop.ui.dial_dialogs.TransferDialog`) and :meth:`hang_up`
send ``redirect`` and ``hangup``.

:class:`TelLinkSettings` keeps the desktop's link handlers in line with the
``register_tel_links`` setting: applied at start and whenever the settings
file changes (saved by the Settings dialog or edited by hand).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final, Protocol

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from desktop.core import tel_links
from desktop.core.caller_card import CallerCard, CardState
from desktop.core.dial_search import DialerSearch
from desktop.core.dialing import (
    SCHEMES,
    ClickToCall,
    CommandResult,
    ConfirmReason,
    DialRefusal,
    DialResult,
    DialStatus,
    DialTarget,
    RefusalReason,
)
from desktop.core.policy import load_effective_settings
from desktop.core.settings import SettingsError
from desktop.core.tasks import TaskSet
from desktop.ui.dial_dialogs import DialConfirmDialog, TransferDialog
from desktop.ui.dialer import DialerWindow
from desktop.ui.tray import MessageKind

log = logging.getLogger("kobikom.ui.click_to_call")

#: The dialer's keyboard shortcut while any window of the app is active.
DIALER_SHORTCUT: Final = "Ctrl+D"
#: How long after the settings file changed it is read again (ms): saving
#: writes a temporary file and renames it, which fires several notifications.
SETTINGS_SETTLE_MS: Final = 300

Notify = Callable[[str, str, MessageKind], object]


# ---------------------------------------------------------------- the bridge


class DialogOpener(Protocol):
    def __call__(self, parent: QWidget | None, target: DialTarget) -> QDialog: ...


class TransferOpener(Protocol):
    def __call__(self, parent: QWidget | None, card: CallerCard) -> QDialog: ...


class ClickToCallBridge(QObject):
    """Every way to start a call, and what the agent sees of it (module docstring).

    Signals:
        dialFinished(object): the :class:`~desktop.core.dialing.DialResult` of a request.
        commandFinished(object): the :class:`~desktop.core.dialing.CommandResult`
            of a transfer or hang-up.
        dialerOpened(object): the dialer window was shown (tests, screenshots).
    """

    dialFinished = Signal(object)
    commandFinished = Signal(object)
    dialerOpened = Signal(object)

    def __init__(
        self,
        service: ClickToCall,
        *,
        tasks: TaskSet,
        notify: Notify,
        search: Callable[[], DialerSearch],
        confirm_dialog: DialogOpener = DialConfirmDialog.ask,
        transfer_dialog: TransferOpener = TransferDialog.ask,
        clipboard_text: Callable[[], str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._tasks = tasks
        self._notify = notify
        self._search = search
        self._confirm_dialog = confirm_dialog
        self._transfer_dialog = transfer_dialog
        self._clipboard_text = clipboard_text or _clipboard_text
        self._dialer: DialerWindow | None = None
        self._shortcut: QShortcut | None = None
        self._url_handler: _UrlHandler | None = None
        self.dial_action = QAction(self.tr("Dial…"), self)
        self.dial_action.setShortcut(QKeySequence(DIALER_SHORTCUT))
        self.dial_action.triggered.connect(lambda: self.show_dialer())
        self.clipboard_action = QAction(self.tr("Dial number from clipboard"), self)
        self.clipboard_action.triggered.connect(self.dial_clipboard)

    # -- the interface other features use -------------------------------------------

    def dial(self, text: str, *, source: str, confirm_always: bool = False) -> None:
        """Start the whole safe dial flow for *text* (returns at once).

        *confirm_always*: show the confirmation even for an ordinary number
        (the dial hotkey: the selection it dials is invisible and may be old).
        """
        self._tasks.spawn(self.dial_now(text, source=source, confirm_always=confirm_always),
                          name=f"dial-{source}")

    def show_dialer(self, text: str = "") -> None:
        """Open (or raise) the dialer window."""
        dialer = self._dialer
        if dialer is None:
            # A fresh window each time: it reads the directory and journal in use now
            # (demo mode switches both) and costs a few milliseconds to build.
            dialer = DialerWindow(self._search(), tasks=self._tasks)
            dialer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            dialer.dialRequested.connect(lambda t: self.dial(t, source="dialer"))
            dialer.destroyed.connect(self._dialer_gone)
            self._dialer = dialer
        dialer.open_with(text)
        self.dialerOpened.emit(dialer)

    def dialer(self) -> DialerWindow | None:
        return self._dialer

    def reset_dialer(self) -> None:
        """Forget the dialer window (the directory or journal was reopened)."""
        if self._dialer is not None:
            self._dialer.close()
            self._dialer.deleteLater()
            self._dialer = None

    def _dialer_gone(self) -> None:
        self._dialer = None

    # -- entry points -----------------------------------------------------------------

    def call_back(self, card: CallerCard) -> None:
        """"Call back" on a popup."""
        self.dial(card.number.raw, source="popup")

    def dial_clipboard(self) -> None:
        """"Dial number from clipboard" in the tray menu."""
        text = self._clipboard_text()
        if not text.strip():
            self._notify(self.tr("Nothing to call"),
                         self.tr("The clipboard holds no text."), MessageKind.WARNING)
            return
        self.dial(text, source="clipboard")

    def dial_arguments(self, argv: list[str], *, source: str = "link") -> bool:
        """A ``tel:``/``callto:``/``sip:`` link (or number) given to the app; True if one.

        Only the first argument is dialled: one click, one call.
        """
        for arg in argv:
            if arg.strip():
                if len(argv) > 1:
                    log.info("%d arguments handed over; dialling the first only", len(argv))
                self.dial(arg, source=source)
                return True
        return False

    def install_shortcut(self, app: QGuiApplication) -> QShortcut:
        """The dialer's shortcut (:data:`DIALER_SHORTCUT`) in every window of the app."""
        shortcut = QShortcut(QKeySequence(DIALER_SHORTCUT), app)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda: self.show_dialer())
        self._shortcut = shortcut
        return shortcut

    def install_url_handler(self, app: QGuiApplication, *,
                            platform: str = sys.platform) -> bool:
        """Take the ``tel:``/``callto:``/``sip:`` links macOS opens with the app.

        Only on macOS: elsewhere a clicked link starts the app (or a second
        launch that hands it over) with the link as an argument.  No event
        filter: one on the application would see every event of every
        window (about 400 for each popup).  macOS sends a "get URL" Apple
        event; Qt's Cocoa plugin gives it to the ``QDesktopServices`` URL
        handler registered for its scheme (``QCocoaServices::handleUrl``),
        so the link reaches :meth:`dial` and nothing else is watched.  Not
        run here (no macOS); the handler itself is tested through
        ``QDesktopServices.openUrl``.  Returns whether a handler was installed.
        """
        del app  # kept in the signature: the app is what the links are opened with
        if platform != "darwin" or self._url_handler is not None:
            return False
        self._url_handler = _UrlHandler(self, self)
        for scheme in SCHEMES:
            # PySide takes the slot's name as str, whatever its stub says.
            QDesktopServices.setUrlHandler(scheme, self._url_handler,
                                           "open_url")  # type: ignore[arg-type]
        return True

    def remove_url_handler(self) -> None:
        """Give the link schemes back (the app closes)."""
        if self._url_handler is not None:
            for scheme in SCHEMES:
                QDesktopServices.unsetUrlHandler(scheme)
            self._url_handler = None

    # -- the flow ---------------------------------------------------------------------

    async def dial_now(self, text: str, *, source: str,
                       confirm_always: bool = False) -> DialResult:
        """The flow of :meth:`dial`, awaited (tests)."""
        target: str | DialTarget = text
        if confirm_always:
            found = self.service.target(text)
            if isinstance(found, DialTarget) and found.confirm is None:
                target = dataclasses.replace(found, confirm=ConfirmReason.SELECTION)
        result = await self.service.dial(target, source=source, confirm=self._confirm)
        self._report(result)
        self.dialFinished.emit(result)
        return result

    async def _confirm(self, target: DialTarget) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        dialog = self._confirm_dialog(None, target)

        def finished(code: int) -> None:
            if not future.done():
                future.set_result(code == QDialog.DialogCode.Accepted.value)

        dialog.finished.connect(finished)
        try:
            return await future
        finally:
            if not future.done():  # cancelled (the app quits): do not leave it open
                with contextlib.suppress(RuntimeError):  # already deleted
                    dialog.reject()

    def _report(self, result: DialResult) -> None:
        message = self.result_message(result)
        if message is not None:
            self._notify(*message)

    def result_message(self, result: DialResult) -> tuple[str, str, MessageKind] | None:
        """The tray notification for *result* (None: nothing to say)."""
        status = result.status
        shown = result.target.display if result.target else ""
        server = result.server_message
        if status is DialStatus.STARTED:
            return (self.tr("Calling {number}").format(number=shown),
                    self.tr("Your phone ({extension}) is ringing; then {number} will be "
                            "called.").format(extension=result.extension, number=shown),
                    MessageKind.INFO)
        if status is DialStatus.SENT:
            return (self.tr("Calling {number}").format(number=shown),
                    self.tr("The call was sent to the PBX; your phone ({extension}) should "
                            "ring first.").format(extension=result.extension),
                    MessageKind.INFO)
        if status is DialStatus.REFUSED:
            text = self.tr("The PBX did not place the call: {reason}").format(
                reason=server or self.tr("no reason given"))
            return self.tr("Call not placed"), text, MessageKind.WARNING
        if status is DialStatus.NO_ANSWER:
            return (self.tr("The call may have started"),
                    self.tr("The server did not answer in time; the call may have started — "
                            "check your phone before trying again."), MessageKind.WARNING)
        if status is DialStatus.SERVER_ERROR:
            return (self.tr("The call may have started"),
                    self.tr("The server reported an error; the call may have started — "
                            "check your phone before trying again."), MessageKind.WARNING)
        if status is DialStatus.NOT_SENT:
            return (self.tr("Call not placed"),
                    self.tr("Could not reach the PBX, so nothing was dialled. Check the "
                            "connection and try again."), MessageKind.WARNING)
        if status is DialStatus.AUTH_FAILED:
            return (self.tr("Call not placed"),
                    self.tr("The PBX rejected the login. Check the e-mail and password in "
                            "Settings."), MessageKind.WARNING)
        if status is DialStatus.NOT_SET_UP:
            return (self.tr("Click-to-call is not set up"),
                    self.tr("Open Settings and enter your extension and the panel login "
                            "({detail}).").format(detail=result.detail), MessageKind.WARNING)
        if status is DialStatus.INVALID:
            refusal = result.refusal or DialRefusal(RefusalReason.INVALID)
            return self.tr("Cannot call"), self.refusal_text(refusal), MessageKind.WARNING
        return None  # DUPLICATE (the first request's notification stands), CANCELLED

    def refusal_text(self, refusal: DialRefusal) -> str:
        reason, quoted = refusal.reason, refusal.text
        if reason is RefusalReason.EMPTY:
            return self.tr("There is no number to call.")
        if reason is RefusalReason.TOO_LONG:
            return self.tr("The text is too long to be a phone number; copy just the number.")
        if reason is RefusalReason.NO_NUMBER:
            return self.tr("“{text}” contains no phone number.").format(text=quoted)
        if reason is RefusalReason.SEVERAL_NUMBERS:
            return self.tr("“{text}” contains more than one phone number; choose one.").format(
                text=quoted)
        if reason is RefusalReason.WITHHELD:
            return self.tr("The number was withheld; it cannot be called back.")
        if reason is RefusalReason.BAD_PREFIX:
            return self.tr("The outside-line prefix in the settings may only contain digits, "
                           "* and #.")
        return self.tr("“{text}” is not a valid phone number.").format(text=quoted)

    # -- live calls (Tekil WebSocket) -----------------------------------------------------

    def can_control_calls(self) -> bool:
        return self.service.can_control_calls()

    def transfer(self, card: CallerCard) -> None:
        """"Transfer" on a popup: ask for the extension, then ``redirect``."""
        dialog = self._transfer_dialog(None, card)

        def finished(code: int) -> None:
            extension = getattr(dialog, "extension", "")
            if code == QDialog.DialogCode.Accepted.value and extension:
                self._tasks.spawn(self._command(self.service.transfer(card.call_id, extension),
                                                card), name="transfer")

        dialog.finished.connect(finished)

    def hang_up(self, card: CallerCard) -> None:
        """"Hang up" on a popup: ``hangup`` the call."""
        if card.state is CardState.ENDED:
            return
        self._tasks.spawn(self._command(self.service.hang_up(card.call_id), card),
                          name="hangup")

    async def _command(self, pending: Awaitable[CommandResult], card: CallerCard) -> None:
        result = await pending
        self.commandFinished.emit(result)
        if result.ok:
            return
        what = self.tr("Transfer failed") if result.command == "redirect" \
            else self.tr("Hang-up failed")
        if result.status is DialStatus.REFUSED:
            text = self.tr("The PBX refused: {reason}").format(
                reason=result.server_message or self.tr("no reason given"))
        elif result.status is DialStatus.INVALID:
            text = self.tr("That is not an extension.")
        else:
            text = self.tr("Not connected to the PBX; nothing was sent.")
        self._notify(what, text, MessageKind.WARNING)


def _clipboard_text() -> str:
    clipboard = QGuiApplication.clipboard()
    return clipboard.text() if clipboard is not None else ""


class _UrlHandler(QObject):
    """The ``QDesktopServices`` handler of our link schemes (macOS)."""

    def __init__(self, bridge: ClickToCallBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        if url.scheme().lower() in SCHEMES:
            self._bridge.dial(url.toString(), source="link")


# ---------------------------------------------------------------- tel: link settings


class TelLinkSettings(QObject):
    """Keeps the desktop's ``tel:`` handlers in line with ``UiSettings.register_tel_links``.

    Signals:
        applied(object): a :class:`~desktop.core.tel_links.TelLinkResult`.
        failed(str): registering or unregistering failed (plain words).
    """

    applied = Signal(object)
    failed = Signal(str)

    def __init__(self, config_path: Path, *, tasks: TaskSet, icon: str | None = None,
                 apply: Callable[..., tel_links.TelLinkResult] = tel_links.apply,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = config_path
        self._tasks = tasks
        self._icon = icon
        self._apply = apply
        self._applied: bool | None = None
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTINGS_SETTLE_MS)
        self._settle.timeout.connect(self._reread)
        self._watcher.fileChanged.connect(lambda _p: self._settle.start())
        self._watcher.directoryChanged.connect(lambda _p: self._settle.start())

    def start(self, enabled: bool) -> None:
        """Apply *enabled* now and follow the settings file from then on."""
        folder = self._path.parent
        if folder.is_dir():
            self._watcher.addPath(str(folder))
        if self._path.exists():
            self._watcher.addPath(str(self._path))
        self.set_enabled(enabled)

    def set_enabled(self, enabled: bool) -> None:
        if enabled == self._applied:
            return
        self._applied = enabled
        self._tasks.spawn(self._run(enabled), name="tel-links")

    async def _run(self, enabled: bool) -> None:
        try:
            result = await asyncio.to_thread(self._apply, enabled, icon=self._icon)
        except tel_links.TelLinkError as exc:
            log.warning("tel: links: %s", exc)
            self._applied = None
            self.failed.emit(str(exc))
            return
        self.applied.emit(result)  # the notes are logged by tel_links

    def _reread(self) -> None:
        if self._path.exists() and str(self._path) not in self._watcher.files():
            self._watcher.addPath(str(self._path))  # replaced by an atomic save
        self._tasks.spawn(self._reread_async(), name="tel-links-settings")

    async def _reread_async(self) -> None:
        try:
            # The administrator's policy may lock the switch: the settings in effect.
            effective = await asyncio.to_thread(load_effective_settings, self._path)
            settings = effective.settings
        except SettingsError as exc:
            log.info("settings file not readable now (%s); tel: links unchanged", exc)
            return
        self.set_enabled(settings.ui.register_tel_links)
