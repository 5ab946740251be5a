"""The caller popup: who is calling, shown the moment the extension rings.

:class:`CallerPopup` renders one :class:`~desktop.core.caller_card.CallerCard`
in a :class:`~desktop.ui.popup_window.PopupWindow`.  The manager makes a
few of them ahead of time and reuses them: :meth:`CallerPopup.load` puts a
*new* call into a popup (everything of the previous call is reset: texts,
tooltips, timers, the answered time), :meth:`CallerPopup.set_card` updates
the same call as it goes ringing -> answered -> ended.

Everything in a card that came from outside (names, companies, notes, the
PBX's caller name, queue names) is shown with
:class:`~desktop.ui.labels.PlainTextLabel`, which is always ``Qt.PlainText``:
``<b>x</b><img src=x>`` shows as typed.

Timers run only while they have something to do: the talk timer while the
call is in progress and the popup is up, the auto-close countdown after an
(unmissed) hang-up, the ringing pulse while ringing on screen.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QDateTime, QEvent, QLocale, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QEnterEvent,
    QFont,
    QHideEvent,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.numbers import NumberKind, PhoneNumber
from desktop.core.popup_actions import Button, PopupActions, card_buttons
from desktop.ui.labels import PlainTextLabel, format_duration, window_title_text
from desktop.ui.popup_style import accent_color
from desktop.ui.popup_window import PopupWindow

log = logging.getLogger("kobikom.ui.popup")

#: Seconds an ended (not missed) call's popup stays before closing itself.
DEFAULT_AUTO_CLOSE_SECONDS: Final = 8.0
#: The call timer ticks on whole seconds of talk time.
TIMER_INTERVAL_MS: Final = 1000
#: Lines of notes shown before eliding (the full text is in the tooltip).
CONTACT_NOTES_MAX_LINES: Final = 3
NUMBER_NOTES_MAX_LINES: Final = 2


class CallerPopup(PopupWindow):
    """One call's card: who is calling, the call's state, and what to do next.

    Placed and filled by :class:`~desktop.ui.popup.PopupManager`.

    Signals:
        shown(str): the call id; emitted from ``showEvent`` (latency benchmark).
        closed(str, bool): the call id, and whether the user dismissed it
            (False: it closed itself after the hang-up, or the manager closed it).
        addContactRequested(object): the card, from "Add to contacts".
        callBackRequested(object): the card, from "Call back".
        smsRequested(object): the card, from "SMS".
        playRecordingRequested(object): the card, from "Play recording".
        transferRequested(object): the card, from "Transfer" (live calls).
        hangUpRequested(object): the card, from "Hang up" (live calls).
        crmRequested(object): the card, from "Open in CRM".
    """

    shown = Signal(str)
    closed = Signal(str, bool)
    addContactRequested = Signal(object)
    callBackRequested = Signal(object)
    smsRequested = Signal(object)
    playRecordingRequested = Signal(object)
    transferRequested = Signal(object)
    hangUpRequested = Signal(object)
    crmRequested = Signal(object)

    def __init__(
        self,
        card: CallerCard,
        *,
        actions: PopupActions | None = None,
        auto_close_ms: int = int(DEFAULT_AUTO_CLOSE_SECONDS * 1000),
        translucent: bool = True,
        clock: Callable[[], float] = time.time,
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translucent=translucent, parent=parent)
        self._card = card
        self._actions = actions if actions is not None else PopupActions()
        self._auto_close_ms = auto_close_ms
        self._clock = clock
        self._locale = locale if locale is not None else QLocale()
        self._answered_seen_at: float | None = None
        self._first_seen_at = clock()
        self.setObjectName("callerPopup")

        self._tick = QTimer(self)
        self._tick.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick.setSingleShot(True)
        self._tick.timeout.connect(self._update_timer)
        self._auto_close = QTimer(self)
        self._auto_close.setSingleShot(True)
        self._auto_close.timeout.connect(lambda: self.dismiss(by_user=False))

        self._build()
        self.apply_palette()
        self.load(card)

    # -- construction ---------------------------------------------------

    def _build(self) -> None:
        outer = self.outer_layout()
        self.header(outer)

        self.title_label = PlainTextLabel(1, self)
        self.title_label.setObjectName("titleLabel")
        self.subtitle_label = PlainTextLabel(1, self)
        self.subtitle_label.setObjectName("subtitleLabel")
        self.number_label = PlainTextLabel(1, self)
        self.number_label.setObjectName("numberLabel")
        self.caller_id_label = PlainTextLabel(1, self)
        self.caller_id_label.setObjectName("callerIdLabel")
        self.route_label = PlainTextLabel(1, self)
        self.route_label.setObjectName("routeLabel")
        self.history_label = PlainTextLabel(2, self)
        self.history_label.setObjectName("historyLabel")
        for label in (self.title_label, self.number_label, self.subtitle_label,
                      self.caller_id_label, self.route_label, self.history_label):
            outer.addWidget(label)

        self.notes_box = QFrame(self)
        self.notes_box.setObjectName("notesBox")
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.setContentsMargins(8, 5, 8, 6)
        notes_layout.setSpacing(3)
        self.notes_label = PlainTextLabel(CONTACT_NOTES_MAX_LINES, self.notes_box)
        self.notes_label.setObjectName("notesLabel")
        self.number_notes_label = PlainTextLabel(NUMBER_NOTES_MAX_LINES, self.notes_box)
        self.number_notes_label.setObjectName("numberNotesLabel")
        notes_layout.addWidget(self.notes_label)
        notes_layout.addWidget(self.number_notes_label)
        outer.addSpacing(4)
        outer.addWidget(self.notes_box)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.setContentsMargins(0, 6, 0, 0)
        self.add_contact_button = self._action_button(
            self.tr("Add to contacts"), self.addContactRequested)
        self.call_back_button = self._action_button(self.tr("Call back"), self.callBackRequested)
        self.sms_button = self._action_button(self.tr("SMS"), self.smsRequested)
        self.recording_button = self._action_button(
            self.tr("Play recording"), self.playRecordingRequested)
        self.transfer_button = self._action_button(self.tr("Transfer"), self.transferRequested)
        self.hangup_button = self._action_button(self.tr("Hang up"), self.hangUpRequested)
        self.hangup_button.setObjectName("popupHangUp")
        # Short: it sits next to three other buttons on an ended call's card.
        self.crm_button = self._action_button(self.tr("CRM"), self.crmRequested)
        self.crm_button.setToolTip(self.tr("Open in CRM"))
        self.crm_button.setAccessibleName(self.tr("Open in CRM"))
        self._buttons = {
            Button.ADD_CONTACT: self.add_contact_button,
            Button.CALL_BACK: self.call_back_button,
            Button.SMS: self.sms_button,
            Button.RECORDING: self.recording_button,
            Button.TRANSFER: self.transfer_button,
            Button.HANG_UP: self.hangup_button,
            Button.CRM: self.crm_button,
        }
        for button in self._buttons.values():
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons_row = QWidget(self)
        self.buttons_row.setLayout(buttons)
        outer.addWidget(self.buttons_row)

    def _action_button(self, text: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("popupAction")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: signal.emit(self._card))
        return button

    def apply_palette(self) -> None:
        super().apply_palette()
        font = self.scaled_font
        self.title_label.setFont(font(1.45, QFont.Weight.Bold))
        self.number_label.setFont(font(1.12, QFont.Weight.Medium))
        self.subtitle_label.setFont(font(1.0))
        for small in (self.caller_id_label, self.route_label, self.history_label,
                      self.notes_label, self.number_notes_label):
            small.setFont(font(0.9))
        secondary: tuple[QLabel, ...] = (self.subtitle_label, self.caller_id_label,
                                         self.route_label, self.history_label)
        for label in secondary:
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    # -- public API -----------------------------------------------------

    @property
    def card(self) -> CallerCard:
        return self._card

    @property
    def call_id(self) -> str:
        return self._card.call_id

    def set_actions(self, actions: PopupActions) -> None:
        self._actions = actions
        self._update_buttons()
        self.fit_height()

    def set_auto_close_ms(self, auto_close_ms: int) -> None:
        self._auto_close_ms = auto_close_ms
        self._update_auto_close()

    def load(self, card: CallerCard) -> None:
        """Show a *new* call: nothing of the call shown before stays."""
        self._tick.stop()
        self._auto_close.stop()
        self._answered_seen_at = None
        self._first_seen_at = self._clock()
        self.reset_closing()
        self._card = card
        self.set_card(card)
        self.expect_frame()

    def set_card(self, card: CallerCard) -> None:
        """Show *card* (the same call, later state or more details)."""
        if card.call_id != self._card.call_id:
            log.debug("popup re-keyed from %s to %s", self._card.call_id, card.call_id)
        if card.state in (CardState.ANSWERED, CardState.ON_HOLD) and (
                self._answered_seen_at is None):
            self._answered_seen_at = self._clock()
        self._card = card
        self._update_texts()
        self._update_state()
        self._update_buttons()
        self._update_auto_close()
        self.fit_height()

    def auto_close_pending(self) -> bool:
        return self._auto_close.isActive()

    def timer_running(self) -> bool:
        return self._tick.isActive()

    # -- contents ---------------------------------------------------------

    def _who(self) -> str:
        """The caller's name, or the number as people read it."""
        card = self._card
        if card.named and card.name:
            return card.name
        return self._number_text(card.number)

    def _number_text(self, number: PhoneNumber) -> str:
        if self._card.number_not_sent and not number.raw.strip():
            return self.tr("Number not sent")
        if number.kind is NumberKind.ANONYMOUS:
            return self.tr("Withheld number")
        shown = number.display()
        return shown if shown else self.tr("Unknown caller")

    def _title_number(self) -> str:
        number = self._card.number
        if number.e164:
            return number.e164
        raw = number.raw.strip()
        if raw:
            return raw
        withheld = number.kind is NumberKind.ANONYMOUS and not self._card.number_not_sent
        return self.tr("withheld") if withheld else "?"

    def _format_when(self, at: float) -> tuple[str, str]:
        """("today" | "yesterday" | "date", text) for a wall-clock time."""
        when = QDateTime.fromSecsSinceEpoch(int(at))
        today = QDateTime.fromSecsSinceEpoch(int(self._clock())).date()
        time_text = self._locale.toString(when.time(), QLocale.FormatType.ShortFormat)
        if when.date() == today:
            return "today", time_text
        if when.date() == today.addDays(-1):
            return "yesterday", time_text
        return "date", self._locale.toString(when, QLocale.FormatType.ShortFormat)

    def _history_text(self) -> str:
        """"Called 3 times before, last on <date>" (one/other forms spelled out,
        so English reads right without a translation file)."""
        card = self._card
        count = card.previous_calls
        if count <= 0:
            return ""
        once = count == 1
        if card.last_call_at is None:
            if once:
                return self.tr("Called once before", "", count)
            return self.tr("Called %n times before", "", count)
        kind, when = self._format_when(card.last_call_at)
        if kind == "today":
            if once:
                text = self.tr("Called once before, last today at {time}", "", count)
            else:
                text = self.tr("Called %n times before, last today at {time}", "", count)
            return text.format(time=when)
        if kind == "yesterday":
            if once:
                text = self.tr("Called once before, last yesterday at {time}", "", count)
            else:
                text = self.tr("Called %n times before, last yesterday at {time}", "", count)
            return text.format(time=when)
        if once:
            text = self.tr("Called once before, last on {date}", "", count)
        else:
            text = self.tr("Called %n times before, last on {date}", "", count)
        return text.format(date=when)

    def _route_text(self) -> str:
        card = self._card
        parts = []
        if card.queue:
            parts.append(self.tr("Queue: {queue}").format(queue=card.queue))
        if card.called is not None and card.called.raw.strip():
            parts.append(self.tr("To {number}").format(number=card.called.display()))
        return " · ".join(parts)

    def _subtitle_text(self) -> str:
        card = self._card
        if card.named:
            source = {"ldap": self.tr("company directory"), "http": self.tr("CRM")}.get(
                card.contact_source or "")
            return " · ".join(part for part in (card.company or "", source) if part)
        if card.lookup_pending:
            return self.tr("Looking up the name…")
        if card.number.kind is NumberKind.INTERNAL:
            return self.tr("Internal call")
        if card.number_not_sent and not card.number.raw.strip():
            return self.tr("The PBX did not send the caller's number")
        if card.number.kind is NumberKind.ANONYMOUS:
            return self.tr("The caller withheld the number")
        return self.tr("Unknown number")

    @staticmethod
    def _set_line(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _update_texts(self) -> None:
        card = self._card
        who = self._who()
        self.title_label.setText(who)
        number = self._number_text(card.number) if card.named and card.name else ""
        self._set_line(self.number_label, number)
        subtitle = self._subtitle_text()
        self._set_line(self.subtitle_label, subtitle)
        pbx_name = (card.pbx_name or "").strip()
        show_pbx_name = bool(pbx_name) and pbx_name not in (card.name, card.number.raw.strip())
        caller_id = self.tr("Caller ID name: {name}").format(name=pbx_name) if (
            show_pbx_name) else ""
        self._set_line(self.caller_id_label, caller_id)
        route = self._route_text()
        self._set_line(self.route_label, route)
        history = self._history_text()
        self._set_line(self.history_label, history)
        notes = (card.notes or "").strip() if card.named else ""
        number_notes = (card.number_notes or "").strip()
        self._set_line(self.notes_label, notes)
        self._set_line(self.number_notes_label, number_notes)
        self.notes_box.setVisible(bool(notes or number_notes))

        self.setWindowTitle(window_title_text(
            self.tr("Kobikom – {number}").format(number=self._title_number())))
        self.setAccessibleName(self._state_text() + ": " + who)
        details = [t for t in (number, subtitle, caller_id, route, history, notes,
                               number_notes) if t]
        self.setAccessibleDescription("\n".join(details))

    def _state_text(self) -> str:
        card = self._card
        outbound = card.direction == "outbound"
        if card.state is CardState.RINGING:
            return self.tr("Calling…") if outbound else self.tr("Incoming call")
        if card.state is CardState.ANSWERED:
            return self.tr("In call")
        if card.state is CardState.ON_HOLD:
            return self.tr("On hold")
        if card.state is CardState.PASSED_ON:
            # A queue rang our phone and now offers the call to a colleague.
            return self.tr("Passed on to a colleague")
        if card.outcome is CardOutcome.MISSED:
            return self.tr("Missed call")
        if card.outcome is CardOutcome.ANSWERED_ELSEWHERE:
            return self.tr("Answered by a colleague")
        if card.outcome is CardOutcome.NOT_ANSWERED:
            return self.tr("Not answered")
        return self.tr("Call ended")

    def _update_state(self) -> None:
        card = self._card
        self.set_accent(accent_color(card), self._state_text())
        self.state_dot.set_pulsing(card.state is CardState.RINGING)
        if card.state in (CardState.ANSWERED, CardState.ON_HOLD):
            self._update_timer()
        else:
            self._tick.stop()
            self.timer_label.setText(self._static_time_text())
        self.timer_label.setVisible(bool(self.timer_label.text()))

    def _talk_start(self) -> float | None:
        if self._card.answered_at is not None:
            return self._card.answered_at
        return self._answered_seen_at

    def _static_time_text(self) -> str:
        """Ended: the talk time; missed: when it rang; ringing: nothing."""
        card = self._card
        if card.state is not CardState.ENDED:
            return ""
        start = self._talk_start()
        if start is not None and card.outcome in (CardOutcome.ANSWERED, None,
                                                  CardOutcome.UNKNOWN):
            end = card.ended_at if card.ended_at is not None else self._clock()
            return format_duration(end - start)
        rang = card.ringing_at if card.ringing_at is not None else self._first_seen_at
        return self._locale.toString(QDateTime.fromSecsSinceEpoch(int(rang)).time(),
                                     QLocale.FormatType.ShortFormat)

    def _update_timer(self) -> None:
        start = self._talk_start()
        if start is None or self._card.state not in (CardState.ANSWERED, CardState.ON_HOLD):
            self._tick.stop()
            return
        elapsed = max(0.0, self._clock() - start)
        self.timer_label.setText(format_duration(elapsed))
        self.timer_label.setVisible(True)
        if self.isHidden():
            return  # shown again: showEvent restarts it
        # Tick just after the next whole second of talk time, so no second is skipped.
        to_next = TIMER_INTERVAL_MS - int((elapsed * 1000) % TIMER_INTERVAL_MS) + 5
        self._tick.start(to_next)

    def _update_buttons(self) -> None:
        wanted = card_buttons(self._card, self._actions)
        for kind, button in self._buttons.items():
            button.setVisible(kind in wanted)
        self.buttons_row.setVisible(bool(wanted))

    def _update_auto_close(self) -> None:
        card = self._card
        wanted = card.ended and not card.missed and self._auto_close_ms > 0
        if not wanted:
            self._auto_close.stop()
        elif not self._auto_close.isActive() and not self.underMouse():
            self._auto_close.start(self._auto_close_ms)

    # -- events -----------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_timer()
        self.shown.emit(self._card.call_id)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._tick.stop()
        self._auto_close.stop()  # hidden by the manager: nothing left to close

    def enterEvent(self, event: QEnterEvent) -> None:
        super().enterEvent(event)
        self._auto_close.stop()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        card = self._card
        if card.ended and not card.missed and self._auto_close_ms > 0:
            self._auto_close.start(self._auto_close_ms)

    def _closed_now(self, by_user: bool) -> None:
        self._tick.stop()
        self._auto_close.stop()
        self.closed.emit(self._card.call_id, by_user)
