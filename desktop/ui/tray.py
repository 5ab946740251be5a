"""The tray icon: the app's face while the agent works in other windows.

:class:`TrayController` wraps a ``QSystemTrayIcon``.  Its icon shows the
connection (and ringing, missed calls, demo mode, see :mod:`.icons`), its
tooltip and menu say the state in words *with the reason* when something is
wrong, so a failing connection is never hidden behind a green-looking icon.

Later features add their entries with :meth:`TrayController.add_action`
into a :class:`MenuSection`, so the tray never has to be edited for them.

The icon is repainted only when what it shows changes (:class:`TrayLook`
holds what is seen, e.g. the badge's "9+", not the raw count), and never
while a popup is about to appear: with a *paint gate* (the popup manager,
:meth:`TrayController.set_paint_gate`) the tray waits until the popup has
painted, so the call's popup reaches the screen first.  The ringing
animation runs only while a call rings (and a minute at most); the
"retrying in N s" countdown only while a retry is pending: with no call
and a steady line, the tray runs no timer at all.
Where the desktop has no tray at all, the app uses
:class:`desktop.ui.no_tray.StatusWindow`, which has the same interface.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable
from typing import Final, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QRect, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui import status_text
from desktop.ui.icons import TrayLook, badge_text, tray_icon

log = logging.getLogger("kobikom.ui.tray")

#: The application's name as the tray shows it (not translated: a product name).
APP_NAME: Final = "Kobikom Desktop"
#: How often the ringing handset wiggles, and for how long at most.
RING_FRAME_MS: Final = 450
RING_ANIMATION_LIMIT_MS: Final = 60_000
#: How often the "retrying in N s" countdown is refreshed.
COUNTDOWN_INTERVAL_MS: Final = 1000
#: How long a tray notification stays (a hint; the desktop may ignore it).
DEFAULT_MESSAGE_MS: Final = 10_000
#: Longest the tray waits for a popup's first paint before it repaints anyway.
PAINT_GATE_MAX_MS: Final = 250
#: Menu lines for what does not work besides the line (LDAP, HTTP lookup, hotkey;
#: more are joined on the last line).
MAX_PROBLEM_LINES: Final = 3


class PaintGate(Protocol):
    """What the tray waits for before it repaints (the popup manager)."""

    @property
    def framesShown(self) -> SignalInstance: ...

    def frame_pending(self) -> bool: ...


class GatedRefresh(QObject):
    """Runs a refresh now, or, while a popup waits for its first paint, after it.

    The tray (and the status window) call :meth:`request` for every change;
    with a gate whose ``frame_pending()`` is true the refresh is held until
    the gate's ``framesShown`` (then one turn of the event loop later, so the
    popup's frame is flushed first), or :data:`PAINT_GATE_MAX_MS` at most.
    """

    def __init__(self, refresh: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._refresh = refresh
        self._gate: PaintGate | None = None
        self._held = False
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.setInterval(PAINT_GATE_MAX_MS)
        self._limit.timeout.connect(self.release)
        self._after_frame = QTimer(self)
        self._after_frame.setSingleShot(True)
        self._after_frame.setInterval(0)
        self._after_frame.timeout.connect(self.request)

    def set_gate(self, gate: PaintGate | None) -> None:
        if self._gate is not None:
            self._gate.framesShown.disconnect(self.release)
        self._gate = gate
        if gate is not None:
            gate.framesShown.connect(self.release)

    def held(self) -> bool:
        return self._held

    def request(self) -> None:
        if self._gate is not None and self._gate.frame_pending():
            if not self._held:
                self._held = True
                self._limit.start()
            return
        self._held = False
        self._limit.stop()
        self._refresh()

    def release(self) -> None:
        """The popups have painted (or waited long enough): refresh soon."""
        if self._held:
            self._held = False
            self._limit.stop()
            self._after_frame.start()


def overflow_text(count: int) -> str:
    """"N more calls without a popup" (the calls the popups had no room for)."""
    if count <= 0:
        return ""
    if count == 1:
        return QCoreApplication.translate("TrayController", "1 more call without a popup")
    return QCoreApplication.translate("TrayController", "%Ln more calls without a popup",
                                      None, count)


class StatusCounters:
    """What the tray icon and its stand-in, the status window, both sum up.

    Each setter stores its value and refreshes the owner (``_refresh``, held
    back by ``_gated`` until the popups have painted).
    """

    _gated: GatedRefresh
    _extension: str
    _missed: int
    _dropped: int
    _overflow: int
    _waiting: int
    _problems: str

    def _refresh(self) -> None:
        raise NotImplementedError

    def set_extension(self, text: str) -> None:
        self._extension = text.strip()
        self._refresh()

    def set_missed(self, count: int) -> None:
        self._missed = max(0, count)
        self._refresh()

    def set_dropped(self, count: int) -> None:
        """Messages from the PBX the client could not use (the tracker logs each kind)."""
        self._dropped = max(0, count)
        self._refresh()

    def set_overflow(self, count: int) -> None:
        """Live calls that have no popup (there was no room): summed up here."""
        self._overflow = max(0, count)
        self._refresh()

    def set_waiting(self, count: int) -> None:
        """Callers waiting in the agent's queues (the team board), 0 for none."""
        self._waiting = max(0, count)
        self._refresh()

    def set_problems(self, text: str) -> None:
        """What does not work besides the line, one line each ("" when all is well)."""
        self._problems = text
        self._refresh()

    def set_paint_gate(self, gate: PaintGate | None) -> None:
        """Repaint only after *gate*'s popups have painted (see the module docstring)."""
        self._gated.set_gate(gate)

    def repaint_held(self) -> bool:
        """Whether a change waits for a popup's first paint."""
        return self._gated.held()


class MenuSection(enum.Enum):
    """Where :meth:`TrayController.add_action` puts an entry."""

    #: Below the status lines: "Dial…", "Dial number from clipboard", "Send SMS…", "Recent calls…".
    CALLS = "calls"
    #: With "Settings…" and "Contacts…".
    WINDOWS = "windows"
    #: With "Demo mode" and "About".
    APP = "app"


class MessageKind(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


_TRAY_MESSAGE_ICONS: Final = {
    MessageKind.INFO: QSystemTrayIcon.MessageIcon.Information,
    MessageKind.WARNING: QSystemTrayIcon.MessageIcon.Warning,
    MessageKind.CRITICAL: QSystemTrayIcon.MessageIcon.Critical,
}


class StatusActions(QObject):
    """The entries both the tray menu and the status window offer.

    Signals:
        settingsRequested(), contactsRequested(), demoToggled(bool),
        aboutRequested(), quitRequested(): the agent chose that entry.
    """

    settingsRequested = Signal()
    contactsRequested = Signal()
    demoToggled = Signal(bool)
    aboutRequested = Signal()
    quitRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = QAction(self.tr("Settings…"), self)
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings.triggered.connect(self.settingsRequested)
        self.contacts = QAction(self.tr("Contacts…"), self)
        self.contacts.triggered.connect(self.contactsRequested)
        self.demo = QAction(self.tr("Demo mode"), self)
        self.demo.setCheckable(True)
        self.demo.setToolTip(self.tr("Simulated calls, no connection to Kobikom"))
        self.demo.toggled.connect(self.demoToggled)
        self.about = QAction(self.tr("About"), self)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.about.triggered.connect(self.aboutRequested)
        self.quit = QAction(self.tr("Quit"), self)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit.triggered.connect(self.quitRequested)

    def set_demo_checked(self, demo: bool) -> None:
        """Reflect the demo state without emitting ``demoToggled``."""
        blocked = self.demo.blockSignals(True)
        try:
            self.demo.setChecked(demo)
        finally:
            self.demo.blockSignals(blocked)


class TrayController(StatusCounters, QObject):
    """The tray icon, its tooltip and its menu.

    Signals:
        settingsRequested(): "Settings…" was chosen.
        contactsRequested(): "Contacts…" was chosen.
        demoToggled(bool): "Demo mode" was switched on or off.
        aboutRequested(): "About" was chosen.
        quitRequested(): "Quit" was chosen.
        activated(): the icon was clicked (left click / trigger); the app
            decides what opens (recent calls, until then the last popup).
        messageClicked(): the agent clicked the last tray notification.
        lookChanged(object): the icon was repainted with this :class:`TrayLook`.
    """

    settingsRequested = Signal()
    contactsRequested = Signal()
    demoToggled = Signal(bool)
    aboutRequested = Signal()
    quitRequested = Signal()
    activated = Signal()
    messageClicked = Signal()
    lookChanged = Signal(object)

    def __init__(
        self,
        *,
        app_name: str = APP_NAME,
        clock: Callable[[], float] = time.time,
        icon: QSystemTrayIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        """*icon*: a tray icon already shown (the launch's start icon,
        :mod:`desktop.ui.start_icon`) to take over instead of making one."""
        super().__init__(parent)
        self._app_name = app_name
        self._clock = clock
        self._extension = ""
        self._state: ConnectionState | None = None
        self._ringing = False
        self._ring_frame = 0
        self._missed = 0
        self._dropped = 0
        self._overflow = 0
        self._waiting = 0
        #: What does not work besides the line (a remote directory, the hotkey).
        self._problems = ""
        self._demo = False
        self._look: TrayLook | None = None
        self._gated = GatedRefresh(self._refresh_now, self)

        self.status_actions = StatusActions(self)
        self.status_actions.settingsRequested.connect(self.settingsRequested)
        self.status_actions.contactsRequested.connect(self.contactsRequested)
        self.status_actions.demoToggled.connect(self._on_demo_toggled)
        self.status_actions.aboutRequested.connect(self.aboutRequested)
        self.status_actions.quitRequested.connect(self.quitRequested)

        self._menu = QMenu()
        self._menu.setSeparatorsCollapsible(True)
        self._status_action = self._menu.addAction("")
        self._status_action.setEnabled(False)
        self._reason_action = self._menu.addAction("")
        self._reason_action.setEnabled(False)
        self._missed_action = self._menu.addAction("")
        self._missed_action.setEnabled(False)
        self._overflow_action = self._menu.addAction("")
        self._overflow_action.setEnabled(False)
        self._overflow_action.setVisible(False)
        self._problem_actions = []
        for _ in range(MAX_PROBLEM_LINES):  # one line each: a narrow menu
            action = self._menu.addAction("")
            action.setEnabled(False)
            action.setVisible(False)
            self._problem_actions.append(action)
        self._menu.addSeparator()
        self._calls_anchor = self._menu.addSeparator()
        self._menu.addAction(self.status_actions.settings)
        self._menu.addAction(self.status_actions.contacts)
        self._windows_anchor = self.status_actions.demo
        self._menu.addAction(self.status_actions.demo)
        self._menu.addAction(self.status_actions.about)
        self._app_anchor = self._menu.addSeparator()
        self._menu.addAction(self.status_actions.quit)

        if icon is not None:
            icon.setParent(self)
            self._tray = icon
        else:
            self._tray = QSystemTrayIcon(self)
        self._tray.setContextMenu(self._menu)
        self._tray.activated.connect(self._on_activated)
        self._tray.messageClicked.connect(self.messageClicked)

        self._ring_timer = QTimer(self)
        self._ring_timer.setInterval(RING_FRAME_MS)
        self._ring_timer.timeout.connect(self._next_ring_frame)
        self._ring_limit = QTimer(self)
        self._ring_limit.setSingleShot(True)
        self._ring_limit.setInterval(RING_ANIMATION_LIMIT_MS)
        self._ring_limit.timeout.connect(self._ring_timer.stop)
        self._countdown = QTimer(self)
        self._countdown.setInterval(COUNTDOWN_INTERVAL_MS)
        self._countdown.timeout.connect(self._refresh)

        self._refresh()

    # -- state ------------------------------------------------------------

    def set_connection(self, state: ConnectionState) -> None:
        self._state = state
        counting = state.retry_in is not None and state.phase in (
            Phase.RECONNECTING, Phase.AUTH_FAILED)
        if counting:
            self._countdown.start()
        else:
            self._countdown.stop()
        self._refresh()

    def set_ringing(self, ringing: bool) -> None:
        if ringing == self._ringing:
            return
        self._ringing = ringing
        self._ring_frame = 0
        if ringing:
            self._ring_timer.start()
            self._ring_limit.start()
        else:
            self._ring_timer.stop()
            self._ring_limit.stop()
        self._refresh()

    def set_demo(self, demo: bool) -> None:
        self._demo = demo
        self.status_actions.set_demo_checked(demo)
        self._refresh()

    # -- menu extension point ---------------------------------------------

    def add_action(self, action: QAction, section: MenuSection = MenuSection.CALLS) -> None:
        """Add a later feature's entry to *section* of the menu (the caller owns it)."""
        anchor = {
            MenuSection.CALLS: self._calls_anchor,
            MenuSection.WINDOWS: self._windows_anchor,
            MenuSection.APP: self._app_anchor,
        }[section]
        self._menu.insertAction(anchor, action)

    # -- the icon itself --------------------------------------------------

    def show(self) -> None:
        self._tray.show()

    def hide(self) -> None:
        self._tray.hide()

    def is_visible(self) -> bool:
        return self._tray.isVisible()

    def geometry(self) -> QRect:
        """Where the tray host put the icon, in screen coordinates (empty if unknown).

        ``app.py`` logs it once after start ("tray icon geometry: ..."); the
        end-to-end tests wait for that line to know the icon really is in a tray.
        """
        return self._tray.geometry()

    @staticmethod
    def is_available() -> bool:
        """Whether the desktop has a tray to show the icon in."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show_message(self, title: str, text: str, kind: MessageKind = MessageKind.INFO,
                     timeout_ms: int = DEFAULT_MESSAGE_MS) -> bool:
        """Show a desktop notification (plain text); False if the tray cannot."""
        if not (self._tray.isVisible() and QSystemTrayIcon.supportsMessages()):
            log.info("tray notification not shown (no tray or no notifications): %s", title)
            return False
        self._tray.showMessage(status_text.shell_safe(title), status_text.shell_safe(text),
                               _TRAY_MESSAGE_ICONS[kind], timeout_ms)
        return True

    # -- for the app and tests --------------------------------------------

    def menu(self) -> QMenu:
        return self._menu

    def icon(self) -> QIcon:
        return self._tray.icon()

    def look(self) -> TrayLook:
        assert self._look is not None
        return self._look

    def tool_tip(self) -> str:
        return self._tray.toolTip()

    def status_text(self) -> str:
        """The menu's status line as shown."""
        return self._status_action.text().replace("&&", "&")

    def reason_text(self) -> str:
        """The menu's reason line as shown ("" when hidden)."""
        if not self._reason_action.isVisible():
            return ""
        return self._reason_action.text().replace("&&", "&")

    # -- internals --------------------------------------------------------

    def _on_demo_toggled(self, demo: bool) -> None:
        self._demo = demo
        self._refresh()
        self.demoToggled.emit(demo)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            self.activated.emit()

    def _next_ring_frame(self) -> None:
        self._ring_frame ^= 1
        self._refresh()

    def _refresh(self) -> None:
        self._gated.request()

    def _refresh_now(self) -> None:
        now = self._clock()
        look = TrayLook(status=status_text.link_status(self._state), ringing=self._ringing,
                        ring_frame=self._ring_frame, badge=badge_text(self._missed),
                        demo=self._demo, waiting=badge_text(self._waiting))
        if look != self._look:
            self._look = look
            self._tray.setIcon(tray_icon(look))
            self.lookChanged.emit(look)
        tooltip = status_text.tooltip_text(self._app_name, self._extension, self._state,
                                           self._missed, self._demo, now, self._dropped)
        overflow = overflow_text(self._overflow)
        if overflow:
            tooltip += "\n" + overflow
        if self._waiting:
            tooltip += "\n" + waiting_text(self._waiting)
        if self._problems:
            tooltip += "\n" + status_text.shell_safe(self._problems)
        if tooltip != self._tray.toolTip():
            self._tray.setToolTip(tooltip)
        self._status_action.setText(
            menu_text(status_text.status_line(self._extension, self._state)))
        reason = status_text.reason_line(self._state, now)
        self._reason_action.setText(menu_text(reason))
        self._reason_action.setVisible(bool(reason))
        missed = status_text.missed_text(self._missed)
        self._missed_action.setText(missed)
        self._missed_action.setVisible(bool(missed))
        self._overflow_action.setText(overflow)
        self._overflow_action.setVisible(bool(overflow))
        lines = [line for line in self._problems.splitlines() if line.strip()]
        if len(lines) > MAX_PROBLEM_LINES:
            lines[MAX_PROBLEM_LINES - 1:] = ["; ".join(lines[MAX_PROBLEM_LINES - 1:])]
        for index, action in enumerate(self._problem_actions):
            line = lines[index] if index < len(lines) else ""
            action.setText(menu_text(line))
            action.setVisible(bool(line))
        if self._state is not None and self._state.retry_in is not None and (
                self._state.since + self._state.retry_in < now - 1):
            self._countdown.stop()  # the next attempt is due; its state will come


def waiting_text(count: int) -> str:
    """"3 callers waiting in your queues" (the team board's badge, in the tooltip)."""
    if count == 1:
        return QCoreApplication.translate("TrayController", "1 caller waiting in your queues")
    return QCoreApplication.translate("TrayController", "%n callers waiting in your queues",
                                      None, count)


def menu_text(text: str) -> str:
    """*text* for a menu entry: ``&`` is a mnemonic marker there, so double it."""
    return text.replace("&", "&&")
