"""Caller popups on screen: a few call popups and one missed-calls card, never more.

:class:`PopupManager` is the thin Qt side of
:class:`~desktop.core.popup_queue.PopupQueue`, which decides which calls
have a popup (at most three: ringing first, then calls in progress), which
wait (the tray sums them up, :attr:`PopupManager.overflowChanged`), and
what the one "N missed calls" card says.  The manager only fills, shows,
hides and places windows:

* The windows are made ahead of time (:meth:`PopupManager.prepare_soon`,
  which the app calls once the tray icon is up) and reused: a ring fills in text and
  shows; a closed popup is hidden, not deleted.  However many calls come,
  there are never more windows than :data:`MAX_CALL_POPUPS` plus the
  missed-calls card, so placing and closing cost the same with 3 or 3,000
  calls, and quitting closes four windows at most.
* Showing is immediate (the ring is what the agent waits for) while a
  window is free; hiding what the queue no longer wants, and updating the
  missed-calls card, happen once per turn of the event loop
  (:meth:`PopupManager.flush`, at least every 0.1 s).  In a flood of rings
  and hang-ups every window is soon in use: a ring then waits for the end
  of the turn, where the window of a call just missed is refilled while
  still on screen (not unmapped and mapped again), so a burst costs a few
  refills per turn, not one per call.
* The stack sits in a corner of the screen the mouse is on (the
  missed-calls card nearest the corner), is placed again whenever screens
  come, go or change size, so no popup is ever off-screen, and a new call
  never moves a popup that is already there.
* :meth:`PopupManager.frame_pending` and :attr:`PopupManager.framesShown`
  tell the tray when the popups' new contents are painted: the tray
  repaints after the popup is on screen, never before it.

Placement is pure (:mod:`desktop.ui.popup_placement`); the windows are in
:mod:`desktop.ui.popup_widget` and :mod:`desktop.ui.missed_card`.  The names
other modules imported from here before the split are re-exported.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QLocale, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QGuiApplication, QScreen

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.numbers import parse_number
from desktop.core.popup_actions import PopupActions
from desktop.core.popup_queue import MAX_CALL_POPUPS, PopupQueue
from desktop.core.settings import PopupCorner, PopupSettings
from desktop.ui.labels import (
    PlainTextLabel,
    format_duration,
    rich_tooltip_for_plain,
    window_title_text,
    wrap_plain_text,
)
from desktop.ui.missed_card import MissedCallsCard
from desktop.ui.popup_placement import (
    POPUP_MARGIN,
    POPUP_SPACING,
    compositing_available,
    popup_geometry,
    stack_geometries,
)
from desktop.ui.popup_style import (
    COLOR_ACTION,
    COLOR_ANSWERED,
    COLOR_ENDED,
    COLOR_MISSED,
    COLOR_ON_HOLD,
    COLOR_RINGING,
    accent_color,
    install_popup_style,
)
from desktop.ui.popup_widget import DEFAULT_AUTO_CLOSE_SECONDS, CallerPopup
from desktop.ui.popup_window import CARD_WIDTH, SHADOW_SIZE, PopupWindow

log = logging.getLogger("kobikom.ui.popup")

#: In a flood the end-of-turn flush (hide what went, update the missed-calls card)
#: still happens at least this often.
FLUSH_AT_LEAST_EVERY_S: Final = 0.1

__all__ = [
    "CARD_WIDTH", "COLOR_ACTION", "COLOR_ANSWERED", "COLOR_ENDED", "COLOR_MISSED",
    "COLOR_ON_HOLD", "COLOR_RINGING", "DEFAULT_AUTO_CLOSE_SECONDS", "MAX_CALL_POPUPS",
    "POPUP_MARGIN", "POPUP_SPACING", "SHADOW_SIZE", "CallerPopup", "MissedCallsCard",
    "PlainTextLabel", "PopupActions", "PopupManager", "accent_color", "compositing_available",
    "format_duration", "popup_geometry", "rich_tooltip_for_plain", "stack_geometries",
    "window_title_text", "wrap_plain_text",
]

SettingsSource = PopupSettings | Callable[[], PopupSettings] | None


def _blank_card() -> CallerCard:
    """What a popup made ahead of time holds until its first call (never shown)."""
    return CallerCard(call_id="", state=CardState.ENDED, number=parse_number(""))


class PopupManager(QObject):
    """The popups on screen; see the module docstring.

    Signals:
        popupShown(str): a call's popup became visible (or a visible popup
            was given to this call).  Emitted from the event loop after the
            show: Qt sends the show event *before* it asks the window system
            to map the window, so nothing that listens delays the map.
        dismissed(str): a call's popup went away (dismissed, closed itself
            after the hang-up, missed, made way for a ringing call, or
            :meth:`close_all`).
        missedDismissed(object): the agent dismissed the missed-calls card (or
            a missed call's own popup); the list of call ids it summed up.
        showMissedRequested(): "Show all" on the missed-calls card.
        overflowChanged(int): how many live calls have no popup (for the tray).
        framesShown(): every popup shown or refilled has painted its new contents.
        addContactRequested(object): the card of an unknown caller to add.
        callBackRequested(object): the card to call back.
        smsRequested(object): the card to send an SMS to.
        playRecordingRequested(object): the card whose recording to play.
        transferRequested(object): the live call's card to transfer.
        hangUpRequested(object): the live call's card to hang up.
        crmRequested(object): the card whose CRM page to open.
    """

    popupShown = Signal(str)
    dismissed = Signal(str)
    missedDismissed = Signal(object)
    showMissedRequested = Signal()
    overflowChanged = Signal(int)
    framesShown = Signal()
    addContactRequested = Signal(object)
    callBackRequested = Signal(object)
    smsRequested = Signal(object)
    playRecordingRequested = Signal(object)
    transferRequested = Signal(object)
    hangUpRequested = Signal(object)
    crmRequested = Signal(object)

    def __init__(
        self,
        settings: SettingsSource = None,
        *,
        corner: PopupCorner | None = None,
        auto_close_seconds: float | None = None,
        app: QGuiApplication | None = None,
        cursor_pos: Callable[[], QPoint] = QCursor.pos,
        clock: Callable[[], float] = time.time,
        translucent: bool | None = None,
        locale: QLocale | None = None,
        max_popups: int = MAX_CALL_POPUPS,
        parent: QObject | None = None,
    ) -> None:
        """Keep popups for calls.

        Args:
            settings: the popup settings, or a callable returning the current
                ones (read on every placement, so changes apply at once).
            corner, auto_close_seconds: override the settings (tests, CLI).
            app: whose ``screenAdded``/``screenRemoved`` to follow; defaults
                to the running application, because missing these signals
                is how popups end up off-screen.
            cursor_pos: where the mouse is (picks the screen).
            clock: wall-clock time (the call timer, "today at").
            translucent: soft shadow on a translucent window; None detects
                whether a compositor runs (:func:`compositing_available`).
            locale: for dates and times; default: the default QLocale.
            max_popups: call popups on screen at most.
        """
        super().__init__(parent)
        self._settings = settings
        self._corner = corner
        self._auto_close_seconds = auto_close_seconds
        self._cursor_pos = cursor_pos
        self._clock = clock
        if translucent is None:
            translucent = compositing_available(QGuiApplication.platformName())
        self._translucent = translucent
        self._locale = locale
        self._actions = PopupActions()
        self._queue = PopupQueue(max_popups)
        #: Every call popup made (they are reused, never deleted).
        self._pool: list[CallerPopup] = []
        #: Call id -> its popup, for the calls the queue shows.
        self._assigned: dict[str, CallerPopup] = {}
        #: Popups whose call went, still on screen until the next flush.
        self._leaving: dict[CallerPopup, str] = {}
        self._missed_card: MissedCallsCard | None = None
        self._missed_version = 0
        self._overflow = 0
        self._screen: QScreen | None = None

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self.flush)
        self._flush_asked_at = math.inf
        self._reflow_timer = QTimer(self)
        self._reflow_timer.setSingleShot(True)
        self._reflow_timer.setInterval(0)
        self._reflow_timer.timeout.connect(lambda: self.reflow())

        gui_app = app if app is not None else QGuiApplication.instance()
        if isinstance(gui_app, QGuiApplication):
            gui_app.screenAdded.connect(self._on_screen_added)
            gui_app.screenRemoved.connect(self._on_screen_removed)
            gui_app.primaryScreenChanged.connect(self._schedule_reflow)
        for screen in QGuiApplication.screens():
            self._watch_screen(screen)

    # -- settings ---------------------------------------------------------

    def _current_settings(self) -> PopupSettings:
        if callable(self._settings):
            return self._settings()
        return self._settings if self._settings is not None else PopupSettings()

    def corner(self) -> PopupCorner:
        return self._corner if self._corner is not None else self._current_settings().corner

    def auto_close_ms(self) -> int:
        seconds = self._auto_close_seconds
        if seconds is None:
            seconds = self._current_settings().auto_close_seconds
        return max(0, round(seconds * 1000))

    def set_actions(self, call_back: bool | None = None, sms: bool | None = None,
                    recording: bool | None = None, transfer: bool | None = None,
                    hangup: bool | None = None, missed_list: bool | None = None,
                    crm: bool | None = None) -> None:
        """Which optional buttons popups offer (features that are wired up).

        A flag left as None keeps its current value, so each feature can switch
        on its own button without knowing about the others.  ``transfer`` and
        ``hangup`` only make sense while the live channel takes call commands.
        """
        old = self._actions
        self._actions = PopupActions(
            call_back=old.call_back if call_back is None else call_back,
            sms=old.sms if sms is None else sms,
            recording=old.recording if recording is None else recording,
            transfer=old.transfer if transfer is None else transfer,
            hangup=old.hangup if hangup is None else hangup,
            missed_list=old.missed_list if missed_list is None else missed_list,
            crm=old.crm if crm is None else crm)
        if self._actions == old:
            return
        for popup in self._pool:
            popup.set_actions(self._actions)
        if self._missed_card is not None:
            self._missed_card.set_actions(self._actions)
        self._schedule_reflow()

    # -- the windows --------------------------------------------------------

    def prepare_soon(self) -> None:
        """Make the windows on the coming turns of the event loop, one per turn (the
        app calls this once its tray icon is up, so the start is not delayed)."""
        if len(self._pool) < self._queue.max_popups or self._missed_card is None:
            QTimer.singleShot(0, self, self._prepare_one)

    def _prepare_one(self) -> None:
        if len(self._pool) < self._queue.max_popups:
            self._new_popup()
        elif self._missed_card is None:
            self._missed_widget()
            log.info("popup windows made ahead: %d", len(self.windows()))
        self.prepare_soon()

    def prepare(self) -> None:
        """Make the windows now, before the first ring (native windows included)."""
        install_popup_style()
        while len(self._pool) < self._queue.max_popups:
            self._new_popup()
        self._missed_widget()

    def _prepared(self, window: PopupWindow) -> None:
        window.fit_height()
        window.ensurePolished()
        window.winId()  # the native window now, not at the first ring
        window.framePainted.connect(self._on_frame_painted)

    def _new_popup(self) -> CallerPopup:
        popup = CallerPopup(_blank_card(), actions=self._actions,
                            auto_close_ms=self.auto_close_ms(), translucent=self._translucent,
                            clock=self._clock, locale=self._locale)
        popup.shown.connect(self.popupShown, Qt.ConnectionType.QueuedConnection)
        popup.closed.connect(self._on_popup_closed)
        popup.hovered.connect(lambda inside, p=popup: self._on_hovered(p, inside))
        popup.addContactRequested.connect(self.addContactRequested)
        popup.callBackRequested.connect(self.callBackRequested)
        popup.smsRequested.connect(self.smsRequested)
        popup.playRecordingRequested.connect(self.playRecordingRequested)
        popup.transferRequested.connect(self.transferRequested)
        popup.hangUpRequested.connect(self.hangUpRequested)
        popup.crmRequested.connect(self.crmRequested)
        self._prepared(popup)
        self._pool.append(popup)
        return popup

    def _missed_widget(self) -> MissedCallsCard:
        if self._missed_card is None:
            card = MissedCallsCard(actions=self._actions, translucent=self._translucent,
                                   clock=self._clock, locale=self._locale)
            card.closed.connect(self._on_missed_closed)
            card.callBackRequested.connect(self.callBackRequested)
            card.showAllRequested.connect(self._on_show_all)
            self._prepared(card)
            self._missed_card = card
        return self._missed_card

    def windows(self) -> list[PopupWindow]:
        """Every popup window this manager made (shown or not)."""
        out: list[PopupWindow] = list(self._pool)
        if self._missed_card is not None:
            out.append(self._missed_card)
        return out

    def _take_popup(self, *, reuse_leaving: bool) -> CallerPopup | None:
        """A window for a new call: a hidden one (made now if the pool is not full
        yet), or with *reuse_leaving* one still on screen whose call went; None: the
        call waits for the next :meth:`flush`."""
        if reuse_leaving and self._leaving:
            popup = next(iter(self._leaving))
            self.dismissed.emit(self._leaving.pop(popup))
            return popup
        busy = set(self._assigned.values()) | set(self._leaving)
        for popup in self._pool:
            if popup not in busy and popup.isHidden():
                return popup
        if len(self._pool) < self._queue.max_popups:
            return self._new_popup()
        return None

    # -- popups -----------------------------------------------------------

    def show_card(self, card: CallerCard, *, replaces: str | None = None,
                  force: bool = False) -> CallerPopup | None:
        """Show or update the popup of ``card.call_id``; return it (None: no popup).

        *replaces* is a call id whose popup now belongs to this call (a
        synthetic call merged into the real one): that popup is updated
        instead of a second one appearing.  A call whose popup was closed is
        not shown again by later updates, unless it rings anew after it had
        ended, or *force* (the agent asked for it).  With popups disabled in
        the settings only *force* shows anything.  A missed call goes to the
        missed-calls card (on the next :meth:`flush`).
        """
        if (replaces is not None and replaces != card.call_id and replaces in self._assigned
                and card.call_id not in self._assigned):
            self._assigned[card.call_id] = self._assigned.pop(replaces)
        self._queue.offer(card, replaces=replaces, force=force,
                          enabled=self._current_settings().enabled)
        self._sync()
        self._flush_soon()
        if time.monotonic() - self._flush_asked_at > FLUSH_AT_LEAST_EVERY_S:
            # A flood keeps the event loop too busy for a zero timer (an idle source
            # under glib): flush now and then all the same.
            self.flush()
        return self._assigned.get(card.call_id)

    def _flush_soon(self) -> None:
        if not self._flush_timer.isActive():
            self._flush_asked_at = time.monotonic()
            self._flush_timer.start()

    def _sync(self, *, reuse_leaving: bool = False) -> None:
        """Give the calls the queue shows their windows; show new ones at once.

        A new call gets a hidden window at once.  When every window is still on
        screen (in a flood, the one of a call just missed), the call waits for the
        end of the turn (:meth:`flush`), which refills that window without hiding
        it: a burst of rings and hang-ups costs one refill per turn, not per call.
        """
        wanted = self._queue.shown()
        wanted_ids = {card.call_id for card in wanted}
        for call_id, gone in list(self._assigned.items()):
            if call_id not in wanted_ids:
                del self._assigned[call_id]
                self._leaving[gone] = call_id
                self._flush_soon()
        fresh: list[CallerPopup] = []
        changed = False
        for card in wanted:
            current = self._assigned.get(card.call_id)
            if current is not None:
                if current.card is not card:
                    current.set_card(card)  # its height may change
                    changed = True
                continue
            popup = self._take_popup(reuse_leaving=reuse_leaving)
            if popup is None:
                self._flush_soon()
                continue
            popup.set_auto_close_ms(self.auto_close_ms())
            popup.load(card)
            self._assigned[card.call_id] = popup
            changed = True
            if popup.isVisible():
                self.popupShown.emit(card.call_id)
            else:
                fresh.append(popup)
        if changed:
            self.reflow()
        for popup in fresh:
            popup.show()

    def flush(self) -> None:
        """Hide what the queue no longer shows, update the missed-calls card and the
        count of calls without a popup (once per turn of the event loop)."""
        self._flush_timer.stop()
        self._flush_asked_at = math.inf
        self._sync(reuse_leaving=True)
        leaving, self._leaving = self._leaving, {}
        for popup, call_id in leaving.items():
            popup.hide()
            self.dismissed.emit(call_id)
        self._sync_missed()
        overflow = self._queue.waiting_count()
        if overflow != self._overflow:
            self._overflow = overflow
            self.overflowChanged.emit(overflow)
        if not self._assigned and not self.missed_card_visible():
            self._screen = None
        self.reflow()
        if leaving and not self.frame_pending():
            self.framesShown.emit()

    def _sync_missed(self) -> None:
        version = self._queue.missed_version
        if version == self._missed_version:
            return
        self._missed_version = version
        summary = self._queue.missed()
        if summary.count == 0:
            if self._missed_card is not None:
                self._missed_card.hide()
            return
        card = self._missed_widget()
        card.set_summary(summary)
        if card.isHidden():
            card.reset_closing()
            self.reflow()
            card.show()
        else:
            card.expect_frame()

    def popup(self, call_id: str) -> CallerPopup | None:
        return self._assigned.get(call_id)

    def popups(self) -> list[CallerPopup]:
        """Open call popups in stack order (the first is nearest the corner)."""
        return [self._assigned[card.call_id] for card in self._queue.shown()
                if card.call_id in self._assigned]

    def missed_card(self) -> MissedCallsCard | None:
        """The missed-calls card if it is up."""
        card = self._missed_card
        return card if card is not None and card.isVisible() else None

    def missed_card_visible(self) -> bool:
        return self.missed_card() is not None

    def overflow(self) -> int:
        """Live calls without a popup right now."""
        return self._queue.waiting_count()

    def last_card(self) -> CallerCard | None:
        """The newest card shown (for "show the last popup again")."""
        return self._queue.last_card

    def show_last(self) -> bool:
        """Show the newest card again, even if its popup was closed."""
        card = self._queue.last_card
        if card is None:
            return False
        return self.show_card(card, force=True) is not None

    def dismiss(self, call_id: str) -> None:
        """Close one call's popup (not counted as the agent's dismissal)."""
        popup = self._assigned.get(call_id)
        if popup is not None:
            popup.dismiss(by_user=False)

    def close_all(self) -> None:
        """Close every popup and the missed-calls card (quit, demo switch)."""
        self._queue.clear()
        for popup in [*self._assigned.values(), *self._leaving]:
            popup.dismiss(by_user=False)
        self._assigned.clear()
        self.flush()
        if self._missed_card is not None:
            self._missed_card.dismiss(by_user=False)

    def frame_pending(self) -> bool:
        """Whether a popup shown or refilled has not painted its new contents yet."""
        return any(w.isVisible() and w.frame_due() for w in self.windows())

    # -- reactions ----------------------------------------------------------------

    def _on_popup_closed(self, call_id: str, by_user: bool) -> None:
        popup = self.sender()
        if not isinstance(popup, CallerPopup):
            return
        if popup in self._leaving:
            del self._leaving[popup]
        else:
            if self._assigned.get(call_id) is not popup:
                return
            del self._assigned[call_id]
            self._queue.close(call_id)
        self.dismissed.emit(call_id)
        if by_user and popup.card.missed:
            self.missedDismissed.emit([call_id])
        self.reflow()  # the rest close the gap now
        # The window is hidden once this close event is over: a waiting call gets it
        # at the end of the turn.
        self._flush_soon()

    def _on_missed_closed(self, by_user: bool) -> None:
        ids = self._queue.clear_missed()
        self._missed_version = self._queue.missed_version
        if by_user and ids:
            self.missedDismissed.emit(ids)
        self._schedule_reflow()

    def _on_show_all(self) -> None:
        self.showMissedRequested.emit()
        if self._missed_card is not None:
            self._missed_card.dismiss(by_user=True)

    def _on_hovered(self, popup: CallerPopup, inside: bool) -> None:
        call_id = popup.card.call_id
        if self._assigned.get(call_id) is not popup:
            return
        self._queue.pin(call_id, inside)
        if not inside:
            self._sync()

    def _on_frame_painted(self) -> None:
        if not self.frame_pending():
            self.framesShown.emit()

    # -- placement --------------------------------------------------------

    def _target_screen(self) -> QScreen | None:
        screens = QGuiApplication.screens()
        if self._screen is not None and self._screen in screens:
            return self._screen
        screen = QGuiApplication.screenAt(self._cursor_pos()) or QGuiApplication.primaryScreen()
        self._screen = screen
        return screen

    def available_geometry(self) -> QRect | None:
        """The area the stack lives in (None: no screen at all)."""
        screen = self._target_screen()
        return screen.availableGeometry() if screen is not None else None

    def reflow(self, available: QRect | None = None) -> None:
        """Place every window again (in *available*, default: the stack's screen)."""
        self._reflow_timer.stop()
        stack: list[PopupWindow] = []
        if self._missed_card is not None and (
                self._missed_card.isVisible() or self._queue.missed().count):
            stack.append(self._missed_card)
        stack.extend(self.popups())
        if not stack:
            return
        if available is None:
            available = self.available_geometry()
        if available is None or available.isEmpty():
            return
        shadow = SHADOW_SIZE if self._translucent else 0
        rects = stack_geometries(
            available,
            [w.size() for w in stack],
            self.corner(),
            margin=max(0, POPUP_MARGIN - shadow),
            spacing=max(0, POPUP_SPACING - 2 * shadow),
        )
        for window, rect in zip(stack, rects, strict=True):
            if window.geometry() != rect:
                window.setGeometry(rect)

    def _schedule_reflow(self, *_args: object) -> None:
        self._reflow_timer.start()

    def _watch_screen(self, screen: QScreen) -> None:
        screen.availableGeometryChanged.connect(self._schedule_reflow)
        screen.geometryChanged.connect(self._schedule_reflow)

    def _on_screen_added(self, screen: QScreen) -> None:
        self._watch_screen(screen)
        self._schedule_reflow()

    def _on_screen_removed(self, screen: QScreen) -> None:
        if screen is self._screen:
            log.info("the screen with the popups went away; placing them again")
            self._screen = None
        self._schedule_reflow()
