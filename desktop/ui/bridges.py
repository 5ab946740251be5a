"""Bridges: asyncio services seen from the widgets, as Qt signals.

The core publishes through plain callbacks; these small QObjects turn them
into signals so widgets only ever connect to signals (and so a future
two-thread loop integration would deliver them on the GUI thread through
queued connections without any widget changing).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.core.caller_card import CallerCard
from desktop.pbx.connection import ConnectionState, Phase


class LineBridge(QObject):
    """The agent's phone line (:class:`desktop.core.phone_line.PhoneLine`).

    Signals:
        cardChanged(CallerCard): a call rang, was answered, held, ended...
        stateChanged(ConnectionState): the real-time connection's state (also on a
            quiet refresh of a silent TCP line: same phase, a new ``connection``).
        lineUp(): the line became connected after it was not (never on a quiet
            refresh: a line that stayed up brings nothing back to do).
        missedChanged(int): missed calls not yet seen.
        droppedChanged(int): events the client could not use (the status window
            shows the count; the tracker logs each kind once).
    """

    cardChanged = Signal(object)
    stateChanged = Signal(object)
    lineUp = Signal()
    missedChanged = Signal(int)
    droppedChanged = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._phase: Phase | None = None

    def on_card(self, card: CallerCard) -> None:
        self.cardChanged.emit(card)

    def on_state(self, state: ConnectionState) -> None:
        previous, self._phase = self._phase, state.phase
        self.stateChanged.emit(state)
        if state.phase is Phase.CONNECTED and previous is not Phase.CONNECTED:
            self.lineUp.emit()

    def on_missed(self, count: int) -> None:
        self.missedChanged.emit(count)

    def on_dropped(self, count: int) -> None:
        self.droppedChanged.emit(count)
