"""Telling a suspend from a busy event loop, and a quiet line from a dead one.

After the laptop sleeps, the TCP connection to the PBX is usually dead
without either side knowing: the channel must reconnect at once.  The old
watchdog compared the wall clock with the monotonic clock and, worse, took
any long gap between two of its own ticks for a sleep, so a busy event loop
(a flood of calls, a 21 s stall) dropped a working connection and lost the
events queued on it.

A suspend is measured as a suspend here: two clocks, one that stops while
the machine sleeps and one that runs on, and the difference of their
advances is the time spent asleep.  A busy loop advances both equally, so
it is never taken for a sleep, however long it stalls.

=========  =============================  ===================================
System     "awake" clock (stops asleep)   "total" clock (runs on asleep)
=========  =============================  ===================================
Linux      ``CLOCK_MONOTONIC``            ``CLOCK_BOOTTIME``
macOS      ``CLOCK_UPTIME_RAW``           ``CLOCK_MONOTONIC_RAW``
Windows    ``QueryUnbiasedInterruptTime`` ``QueryInterruptTime`` (Windows 10+;
                                          ``GetTickCount64`` before)
other      ``time.monotonic``             ``time.time`` (a wall-clock jump looks
                                          like a sleep; the old behaviour)
=========  =============================  ===================================

Only the Linux pair is exercised by the test-suite; the macOS and Windows
pairs are written from the platforms' documentation and were not run here.

:class:`Watchdog` is the channel's periodic check (sans-I/O: it is given the
clocks and asked ``check()``): a suspend longer than ``clock_jump`` seconds
drops the connection; no byte for ``idle_timeout`` seconds of *awake* time
means a quiet line (see :mod:`desktop.pbx.channels` for what happens then).
Right after a stall the idle verdict waits one more read, so bytes that sat
in the socket buffer while the loop was busy are read before the line is
called quiet.

How often it looks (``ChannelTiming.watchdog_tick``, 10 s): a periodic check
is only needed to notice a resume; asyncio's timers run on the awake clock,
so the channel's read waits would notice it only when they expire.  Ten
seconds keeps an idle app at 0.1 wake-ups per second while a resume is
noticed within ten seconds (sooner when the OS reports the network change:
the app kicks the line then).
"""

from __future__ import annotations

import ctypes
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Protocol

log = logging.getLogger("kobikom.pbx.watchdog")

#: Windows interrupt-time units (100 ns) per second.
_WIN_TICKS: Final = 10_000_000


class SuspendClock(Protocol):
    """Two clocks in seconds: ``awake()`` stops while the machine sleeps, ``total()`` does not."""

    @property
    def name(self) -> str:
        """Short name for logs ("boottime", "uptime-raw", "interrupt-time", "wall")."""

    def awake(self) -> float: ...

    def total(self) -> float: ...


@dataclass(frozen=True, slots=True)
class ClockPair:
    """A :class:`SuspendClock` made of two functions."""

    name: str
    awake_fn: Callable[[], float]
    total_fn: Callable[[], float]
    #: ``total`` is the wall clock: it may also jump backwards (clock set).
    wall_based: bool = False

    def awake(self) -> float:
        return self.awake_fn()

    def total(self) -> float:
        return self.total_fn()


def _posix_pair(name: str, awake_id: int, total_id: int) -> ClockPair | None:
    try:
        time.clock_gettime(awake_id)
        time.clock_gettime(total_id)
    except OSError:
        return None
    return ClockPair(name, lambda: time.clock_gettime(awake_id),
                     lambda: time.clock_gettime(total_id))


def linux_clock() -> ClockPair | None:
    """``CLOCK_MONOTONIC`` (what asyncio's timers use) vs ``CLOCK_BOOTTIME``."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is None:
        return None
    return _posix_pair("boottime", time.CLOCK_MONOTONIC, boottime)


def macos_clock() -> ClockPair | None:
    """``CLOCK_UPTIME_RAW`` stops while asleep, ``CLOCK_MONOTONIC_RAW`` runs on.

    (macOS ``man clock_gettime``.)
    """
    uptime = getattr(time, "CLOCK_UPTIME_RAW", None)
    raw = getattr(time, "CLOCK_MONOTONIC_RAW", None)
    if uptime is None or raw is None:
        return None
    return _posix_pair("uptime-raw", uptime, raw)


def windows_clock() -> ClockPair | None:  # pragma: no cover - not run on Linux
    """Unbiased interrupt time (stops asleep) vs interrupt time (runs on)."""
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return None
    kernel32 = windll.kernel32
    unbiased = getattr(kernel32, "QueryUnbiasedInterruptTime", None)
    if unbiased is None:
        return None

    def awake() -> float:
        value = ctypes.c_ulonglong(0)
        unbiased(ctypes.byref(value))
        return value.value / _WIN_TICKS

    interrupt = None
    for dll in ("kernelbase", "kernel32"):
        interrupt = getattr(getattr(windll, dll, None), "QueryInterruptTime", None)
        if interrupt is not None:
            break
    if interrupt is not None:
        query = interrupt

        def total() -> float:
            value = ctypes.c_ulonglong(0)
            query(ctypes.byref(value))
            return value.value / _WIN_TICKS

        return ClockPair("interrupt-time", awake, total)
    ticks = kernel32.GetTickCount64
    ticks.restype = ctypes.c_ulonglong
    return ClockPair("tick-count", awake, lambda: ticks() / 1000.0)


def system_clock() -> ClockPair:
    """The best pair this system has (see the module docstring)."""
    pair: ClockPair | None = None
    if sys.platform.startswith("linux"):
        pair = linux_clock()
    elif sys.platform == "darwin":
        pair = macos_clock()
    elif sys.platform == "win32":
        pair = windows_clock()
    if pair is None:
        pair = ClockPair("wall", time.monotonic, time.time, wall_based=True)
    return pair


@dataclass(slots=True)
class _Marks:
    awake: float
    total: float


class Watchdog:
    """One connection's periodic check: suspend, quiet line (sans-I/O).

    ``clock`` is a :class:`SuspendClock`; ``tick`` how often :meth:`check`
    is called; ``clock_jump`` the shortest sleep that drops the connection;
    ``idle_timeout`` the silence (awake seconds, None = never) that makes
    the line quiet.  :meth:`received` notes incoming bytes.
    """

    def __init__(self, clock: SuspendClock, *, tick: float, clock_jump: float,
                 idle_timeout: float | None) -> None:
        self.clock = clock
        self.tick = tick
        self.clock_jump = clock_jump
        self.idle_timeout = idle_timeout
        now = _Marks(clock.awake(), clock.total())
        self._last = now
        self.last_rx = now.awake
        self._recheck_idle = False
        #: Longest stall of the loop seen between two checks (diagnostics).
        self.longest_stall = 0.0

    def received(self) -> None:
        self.last_rx = self.clock.awake()

    def wait(self) -> float:
        """How long the next read may wait before :meth:`check` must run."""
        wait = self.tick
        if self.idle_timeout is not None:
            left = self.last_rx + self.idle_timeout - self.clock.awake()
            wait = min(wait, max(left, 0.0))
        return max(wait, 0.001)

    def check(self) -> tuple[str, str] | None:
        """``("asleep" | "idle", reason)`` when the connection must go, else None."""
        now = _Marks(self.clock.awake(), self.clock.total())
        d_awake = now.awake - self._last.awake
        d_total = now.total - self._last.total
        self._last = now
        slept = d_total - d_awake
        wall = getattr(self.clock, "wall_based", False)
        if slept > self.clock_jump or (wall and -slept > self.clock_jump):
            if wall:
                return "asleep", (f"the clock jumped by {slept:+.0f} s "
                                  "(resumed from sleep?); reconnecting")
            return "asleep", f"the computer was asleep for {slept:.0f} s; reconnecting"
        stalled = d_awake > 2 * self.tick + 1.0
        if stalled:
            # The loop was busy (not asleep: both clocks moved alike).  Data may be
            # waiting in the socket: read it before calling the line quiet.
            self.longest_stall = max(self.longest_stall, d_awake)
            log.debug("event loop stalled for %.1f s (busy, not asleep)", d_awake)
            self._recheck_idle = True
            return None
        if self._recheck_idle:
            self._recheck_idle = False
            return None
        idle = self.idle_timeout
        if idle is not None and now.awake - self.last_rx >= idle:
            return "idle", f"no data for {idle:g} s (half-open connection?)"
        return None
