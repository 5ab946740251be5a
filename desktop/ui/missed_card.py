"""The one "N missed calls" card: it updates, it never stacks.

Missed calls do not get a popup each (30 missed calls over lunch were 30
windows on top of everything).  :class:`MissedCallsCard` shows the
:class:`~desktop.core.popup_queue.MissedSummary`: how many calls were
missed since the agent last dismissed the card, the newest callers (plain
text: names come from outside), "Call back" for the newest one and "Show
all" (the call history's missed calls).  Dismissing it is the agent saying
"seen" for all of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from desktop.core.caller_card import CallerCard
from desktop.core.numbers import NumberKind
from desktop.core.popup_actions import PopupActions, dialable
from desktop.core.popup_queue import MissedSummary
from desktop.ui.labels import PlainTextLabel, window_title_text
from desktop.ui.popup_style import COLOR_MISSED
from desktop.ui.popup_window import PopupWindow

#: Caller lines on the card (the summary keeps this many of the newest).
CALLER_LINES: Final = 3


class MissedCallsCard(PopupWindow):
    """The missed-calls summary window; see the module docstring.

    Signals:
        closed(bool): the card closed; True if the agent dismissed it.
        callBackRequested(object): the newest missed call's card, from "Call back".
        showAllRequested(): "Show all" (the missed calls in the history).
    """

    closed = Signal(bool)
    callBackRequested = Signal(object)
    showAllRequested = Signal()

    def __init__(
        self,
        *,
        actions: PopupActions | None = None,
        translucent: bool = True,
        clock: Callable[[], float] = time.time,
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translucent=translucent, parent=parent)
        self._actions = actions if actions is not None else PopupActions()
        self._clock = clock
        self._locale = locale if locale is not None else QLocale()
        self._summary = MissedSummary()
        self.setObjectName("missedCallsCard")
        self._build()
        self.apply_palette()
        self.set_summary(self._summary)

    def _build(self) -> None:
        outer = self.outer_layout()
        self.header(outer)
        self.title_label = PlainTextLabel(1, self)
        self.title_label.setObjectName("titleLabel")
        outer.addWidget(self.title_label)
        self.caller_labels = [PlainTextLabel(1, self) for _ in range(CALLER_LINES)]
        for label in self.caller_labels:
            label.setObjectName("callerLine")
            outer.addWidget(label)
        self.more_label = PlainTextLabel(1, self)
        self.more_label.setObjectName("moreLabel")
        outer.addWidget(self.more_label)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.setContentsMargins(0, 6, 0, 0)
        self.call_back_button = self._button(self.tr("Call back"))
        self.call_back_button.clicked.connect(self._call_back)
        self.show_all_button = self._button(self.tr("Show all"))
        self.show_all_button.clicked.connect(self.showAllRequested)
        buttons.addWidget(self.call_back_button)
        buttons.addWidget(self.show_all_button)
        buttons.addStretch(1)
        self.buttons_row = QWidget(self)
        self.buttons_row.setLayout(buttons)
        outer.addWidget(self.buttons_row)
        self.state_dot.set_pulsing(False)

    def _button(self, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("popupAction")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoDefault(False)
        return button

    def apply_palette(self) -> None:
        super().apply_palette()
        self.title_label.setFont(self.scaled_font(1.3, QFont.Weight.Bold))
        for label in (*self.caller_labels, self.more_label):
            label.setFont(self.scaled_font(0.95))
        self.more_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    # -- contents -------------------------------------------------------------------

    @property
    def summary(self) -> MissedSummary:
        return self._summary

    def set_actions(self, actions: PopupActions) -> None:
        self._actions = actions
        self._update_buttons()
        self.fit_height()

    def set_summary(self, summary: MissedSummary) -> None:
        """Show *summary* (the count and the newest callers)."""
        self._summary = summary
        count = summary.count
        title = self._count_text(count)
        self.set_accent(COLOR_MISSED, self.tr("Missed calls"))
        newest = summary.newest
        self.timer_label.setText(self._when(newest) if newest is not None else "")
        self.timer_label.setVisible(newest is not None)
        self.title_label.setText(title)
        lines = [self._caller_line(card) for card in summary.latest[:CALLER_LINES]]
        for index, label in enumerate(self.caller_labels):
            text = lines[index] if index < len(lines) else ""
            label.setText(text)
            label.setVisible(bool(text))
        more = count - len(lines)
        self.more_label.setText(self.tr("and {count} more", "", more).format(
            count=self._locale.toString(more)) if more > 0 else "")
        self.more_label.setVisible(more > 0)
        self._update_buttons()
        self.setWindowTitle(window_title_text(self.tr("Kobikom – {count}").format(count=title)))
        self.setAccessibleName(title)
        self.setAccessibleDescription("\n".join(lines))
        self.fit_height()
        self.update()

    def _count_text(self, count: int) -> str:
        if count == 1:
            return self.tr("1 missed call")
        return self.tr("{count} missed calls", "", count).format(
            count=self._locale.toString(count))

    def _who(self, card: CallerCard) -> str:
        if card.named and card.name:
            return card.name
        if card.number_not_sent and not card.number.raw.strip():
            return self.tr("Number not sent")
        if card.number.kind is NumberKind.ANONYMOUS:
            return self.tr("Withheld number")
        return card.number.display() or self.tr("Unknown caller")

    def _when(self, card: CallerCard) -> str:
        at = card.ringing_at or card.ended_at or self._clock()
        when = QDateTime.fromSecsSinceEpoch(int(at))
        today = QDateTime.fromSecsSinceEpoch(int(self._clock())).date()
        if when.date() == today:
            return self._locale.toString(when.time(), QLocale.FormatType.ShortFormat)
        return self._locale.toString(when, QLocale.FormatType.ShortFormat)

    def _caller_line(self, card: CallerCard) -> str:
        return f"{self._who(card)} · {self._when(card)}"

    def _update_buttons(self) -> None:
        newest = self._summary.newest
        call_back = self._actions.call_back and newest is not None and dialable(newest)
        self.call_back_button.setVisible(call_back)
        self.show_all_button.setVisible(self._actions.missed_list)
        self.buttons_row.setVisible(call_back or self._actions.missed_list)

    def _call_back(self) -> None:
        newest = self._summary.newest
        if newest is not None:
            self.callBackRequested.emit(newest)

    def _closed_now(self, by_user: bool) -> None:
        self.closed.emit(by_user)
