"""Python's cyclic garbage collector runs on the GUI thread only.

CPython collects in whichever thread happens to allocate when a threshold is
passed: the journal writer, an ``asyncio.to_thread`` worker (keyring, an
import, a save).  A Qt object that has become cyclic garbage (a widget or a
timer owner whose slots refer back to it, a closed qasync loop's timer
object) is then destroyed in that thread.  Qt cannot stop its timers from
there ("QObject::~QObject: Timers cannot be stopped from another thread"),
they stay registered on the GUI thread, and the next one to come due is
delivered to freed memory: a segmentation fault, far from its cause (seen
in the GUI test suite, in pytest-qt's ``processEvents`` after a test that
had nothing to do with it).

So :class:`GuiThreadCollector` switches automatic collection off and
collects on the GUI thread instead, when the counts say a collection is due
(:func:`collect_if_due`, CPython's own thresholds and generations):

when the event loop is about to wait (``QAbstractEventDispatcher.aboutToBlock``):
after the work of a turn, never in the middle of a ring, and with no timer of
its own (idle means asleep, issue 14).  Qt's glib dispatcher emits it on every
turn, even when there is more to do at once (measured: 320,000 turns of a
zero timer, 320,000 signals), so a flood that never waits still collects.

A full collection comes at most every :data:`FULL_AT_MOST_EVERY_S`: CPython
holds those back by a rule Python cannot read (see :func:`collect_if_due`).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QAbstractEventDispatcher, QObject, QThread

#: A full collection (every object not frozen at the start) at most this often (s):
#: it walks everything the app keeps (journal rows, history, the board), ~10 ms.
FULL_AT_MOST_EVERY_S: Final = 30.0


def collect_if_due(thresholds: tuple[int, int, int] | None = None, *,
                   full: bool = True) -> int | None:
    """Collect what CPython would have collected by now; the generation, or None.

    The youngest generation is due when its count passes its threshold; the
    collection then takes the oldest generation whose count has passed its own
    (CPython's rule).  CPython also holds a full collection back until a
    quarter more objects have grown old, which Python cannot see: with
    *full* false the oldest generation waits (the collector's own limit).
    """
    t0, t1, t2 = thresholds if thresholds is not None else gc.get_threshold()
    c0, c1, c2 = gc.get_count()
    if t0 <= 0 or c0 <= t0:
        return None
    generation = 2 if full and 0 < t2 < c2 else 1 if 0 < t1 < c1 else 0
    gc.collect(generation)
    return generation


class GuiThreadCollector(QObject):
    """Automatic collection off; the GUI thread's event loop collects (module docstring).

    Made on the GUI thread.  :meth:`stop` gives the collection back to CPython.
    """

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._full_at = clock()
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        dispatcher = QAbstractEventDispatcher.instance(QThread.currentThread())
        if dispatcher is None:
            raise RuntimeError("GuiThreadCollector needs the GUI thread's event dispatcher")
        self._dispatcher: QAbstractEventDispatcher | None = dispatcher
        gc.disable()
        dispatcher.aboutToBlock.connect(self.collect_if_due)

    def collect_if_due(self) -> int | None:
        now = self._clock()
        generation = collect_if_due(self._thresholds,
                                    full=now - self._full_at >= FULL_AT_MOST_EVERY_S)
        if generation == 2:
            self._full_at = now
        return generation

    def stop(self) -> None:
        dispatcher, self._dispatcher = self._dispatcher, None
        if dispatcher is None:
            return
        dispatcher.aboutToBlock.disconnect(self.collect_if_due)
        if self._was_enabled:
            gc.enable()
