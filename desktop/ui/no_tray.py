"""A small window that stands in for the tray where the desktop has none.

GNOME without the "AppIndicator and KStatusNotifierItem Support" extension
(and some minimal window managers) has no system tray, and an app that
lives in the tray would be invisible there: no status, no menu, no way to
quit.  :class:`StatusWindow` says so plainly, explains the fix, and offers
the tray menu's entries as buttons.  It has the same interface as
:class:`desktop.ui.tray.TrayController`, so the app uses one or the other.
Its window icon is the tray icon, so the taskbar shows the state too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui import status_text
from desktop.ui.icons import TrayLook, badge_text, tray_icon
from desktop.ui.labels import plain_label
from desktop.ui.tray import (
    APP_NAME,
    COUNTDOWN_INTERVAL_MS,
    GatedRefresh,
    MenuSection,
    MessageKind,
    StatusActions,
    StatusCounters,
    overflow_text,
    waiting_text,
)

#: Size of the state icon at the top of the window (logical px).
STATE_ICON_SIZE: Final = 48


def _plain_label(parent: QWidget, *, wrap: bool = True) -> QLabel:
    return plain_label(parent, wrap=wrap, selectable=True)


class StatusWindow(StatusCounters, QWidget):
    """The app's status and menu in a normal window (for desktops without a tray).

    Closing the window minimizes it; "Quit" ends the app.

    Signals:
        settingsRequested(), contactsRequested(), demoToggled(bool),
        aboutRequested(), quitRequested(): as in the tray menu.
        activated(): "Show last call" was pressed (the tray's left click).
        messageClicked(): never emitted (notifications show in the window);
            present for interface parity with the tray.
        lookChanged(object): the state icon was repainted with this look.
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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._app_name = app_name
        self._clock = clock
        self._extension = ""
        self._state: ConnectionState | None = None
        self._ringing = False
        self._missed = 0
        self._dropped = 0
        self._overflow = 0
        self._waiting = 0
        self._problems = ""
        self._demo = False
        self._look: TrayLook | None = None
        self._quitting = False
        self._gated = GatedRefresh(self._refresh_now, self)

        # The title says why this window exists (taskbars and Alt+Tab show it).
        self.setWindowTitle(self.tr("{0} – no system tray").format(app_name))
        self.setObjectName("statusWindow")
        self.status_actions = StatusActions(self)
        self.status_actions.settingsRequested.connect(self.settingsRequested)
        self.status_actions.contactsRequested.connect(self.contactsRequested)
        self.status_actions.demoToggled.connect(self._on_demo_toggled)
        self.status_actions.aboutRequested.connect(self.aboutRequested)
        self.status_actions.quitRequested.connect(self._on_quit)

        self._countdown_timer_id = 0
        self._build()
        self._refresh()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)

        header = QHBoxLayout()
        header.setSpacing(12)
        self.state_icon = QLabel(self)
        self.state_icon.setFixedSize(STATE_ICON_SIZE, STATE_ICON_SIZE)
        header.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignTop)
        lines = QVBoxLayout()
        lines.setSpacing(2)
        self.title_label = _plain_label(self, wrap=False)
        title_font = QFont(self.font())
        title_font.setPointSizeF(max(title_font.pointSizeF(), 9.0) * 1.25)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setText(self._app_name)
        self.status_label = _plain_label(self)
        self.reason_label = _plain_label(self)
        self.missed_label = _plain_label(self)
        self.dropped_label = _plain_label(self)
        self.overflow_label = _plain_label(self)
        self.waiting_label = _plain_label(self)
        self.problems_label = _plain_label(self)
        for label in (self.title_label, self.status_label, self.reason_label, self.missed_label,
                      self.overflow_label, self.dropped_label, self.waiting_label,
                      self.problems_label):
            lines.addWidget(label)
        header.addLayout(lines, 1)
        layout.addLayout(header)

        self.notice = QFrame(self)
        self.notice.setObjectName("noTrayNotice")
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        notice_layout = QVBoxLayout(self.notice)
        notice_layout.setContentsMargins(10, 8, 10, 8)
        self.notice_title = _plain_label(self.notice)
        bold = QFont(self.font())
        bold.setBold(True)
        self.notice_title.setFont(bold)
        self.notice_title.setText(self.tr("This desktop has no system tray"))
        self.notice_text = _plain_label(self.notice)
        self.notice_text.setText(" ".join([
            self.tr("Kobikom Desktop normally lives in the system tray (notification area), "
                    "but this desktop does not offer one, so this window shows the status "
                    "and the menu instead. Caller popups work as usual."),
            self.tr("On GNOME, install and enable the \"AppIndicator and KStatusNotifierItem "
                    "Support\" extension (Debian/Ubuntu package "
                    "gnome-shell-extension-appindicator), then log out and back in."),
            self.tr("Closing this window minimizes it; use Quit to exit."),
        ]))
        notice_layout.addWidget(self.notice_title)
        notice_layout.addWidget(self.notice_text)
        layout.addWidget(self.notice)

        self.message_title = _plain_label(self)
        self.message_title.setFont(bold)
        self.message_text = _plain_label(self)
        self.message_title.hide()
        self.message_text.hide()
        layout.addWidget(self.message_title)
        layout.addWidget(self.message_text)

        self._calls_row = QHBoxLayout()
        self.last_call_button = QPushButton(self.tr("Show last call"), self)
        self.last_call_button.clicked.connect(self.activated)
        self._calls_row.addWidget(self.last_call_button)
        self._calls_row.addStretch(1)
        layout.addLayout(self._calls_row)

        self._app_row = QHBoxLayout()
        self.buttons: dict[QAction, QToolButton] = {}
        entries = self.status_actions
        for action in (entries.settings, entries.contacts, entries.demo, entries.about):
            self._app_row.addWidget(self._button_for(action))
        self._app_row.addStretch(1)
        self._app_row.addWidget(self._button_for(entries.quit))
        layout.addLayout(self._app_row)
        layout.addStretch(1)

    def _button_for(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.buttons[action] = button
        return button

    # -- the controller interface ----------------------------------------

    def set_connection(self, state: ConnectionState) -> None:
        self._state = state
        counting = state.retry_in is not None and state.phase in (
            Phase.RECONNECTING, Phase.AUTH_FAILED)
        if counting and not self._countdown_timer_id:
            self._countdown_timer_id = self.startTimer(COUNTDOWN_INTERVAL_MS)
        elif not counting and self._countdown_timer_id:
            self.killTimer(self._countdown_timer_id)
            self._countdown_timer_id = 0
        self._refresh()

    def set_ringing(self, ringing: bool) -> None:
        self._ringing = ringing
        self._refresh()

    def set_demo(self, demo: bool) -> None:
        self._demo = demo
        self.status_actions.set_demo_checked(demo)
        self._refresh()

    def add_action(self, action: QAction, section: MenuSection = MenuSection.CALLS) -> None:
        """Offer a later feature's entry as a button (the caller owns the action)."""
        button = self._button_for(action)
        if section is MenuSection.CALLS:
            self._calls_row.insertWidget(self._calls_row.count() - 1, button)
        else:
            # Before the stretch that separates "Quit".
            self._app_row.insertWidget(self._app_row.count() - 2, button)

    def show_message(self, title: str, text: str, kind: MessageKind = MessageKind.INFO,
                     timeout_ms: int = 0) -> bool:
        """Show a notification inside the window (plain text)."""
        self.message_title.setText(title)
        self.message_text.setText(text)
        self.message_title.setVisible(bool(title))
        self.message_text.setVisible(bool(text))
        if kind is not MessageKind.INFO:
            QApplication.alert(self)
        return True

    @staticmethod
    def is_available() -> bool:
        return True

    def is_visible(self) -> bool:
        return self.isVisible()

    def icon(self) -> QIcon:
        return self.windowIcon()

    def look(self) -> TrayLook:
        assert self._look is not None
        return self._look

    def status_text(self) -> str:
        return self.status_label.text()

    def reason_text(self) -> str:
        return self.reason_label.text() if not self.reason_label.isHidden() else ""

    def sizeHint(self) -> QSize:
        return QSize(460, super().sizeHint().height())

    # -- internals --------------------------------------------------------

    def _on_demo_toggled(self, demo: bool) -> None:
        self._demo = demo
        self._refresh()
        self.demoToggled.emit(demo)

    def _on_quit(self) -> None:
        self._quitting = True
        self.quitRequested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quitting:
            super().closeEvent(event)
            return
        # Without a tray this window is the app's only handle: keep it.
        event.ignore()
        self.showMinimized()

    def timerEvent(self, event: object) -> None:
        self._refresh()

    def _refresh(self) -> None:
        self._gated.request()

    def _refresh_now(self) -> None:
        now = self._clock()
        look = TrayLook(status=status_text.link_status(self._state), ringing=self._ringing,
                        badge=badge_text(self._missed), demo=self._demo,
                        waiting=badge_text(self._waiting))
        if look != self._look:
            self._look = look
            icon = tray_icon(look)
            self.setWindowIcon(icon)
            self.state_icon.setPixmap(icon.pixmap(QSize(STATE_ICON_SIZE, STATE_ICON_SIZE),
                                                  self.devicePixelRatioF()))
            self.lookChanged.emit(look)
        title = self._app_name
        if self._demo:
            title += " " + self.tr("(demo mode)")
        self.title_label.setText(title)
        self.status_label.setText(status_text.status_line(self._extension, self._state))
        reason = status_text.reason_line(self._state, now)
        self.reason_label.setText(reason)
        self.reason_label.setVisible(bool(reason))
        missed = status_text.missed_text(self._missed)
        self.missed_label.setText(missed)
        self.missed_label.setVisible(bool(missed))
        dropped = status_text.dropped_text(self._dropped)
        self.dropped_label.setText(dropped)
        self.dropped_label.setVisible(bool(dropped))
        overflow = overflow_text(self._overflow)
        self.overflow_label.setText(overflow)
        self.overflow_label.setVisible(bool(overflow))
        waiting = waiting_text(self._waiting) if self._waiting else ""
        self.waiting_label.setText(waiting)
        self.waiting_label.setVisible(bool(waiting))
        self.problems_label.setText(self._problems)
        self.problems_label.setVisible(bool(self._problems))

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:  # after the layout took the change in
            self._fit_height()
        return handled

    def _fit_height(self) -> None:
        """Grow when new lines (a problem, a reason) need room: wrapped labels only ask
        for a height at a given width, which the window's minimum size does not know."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)
