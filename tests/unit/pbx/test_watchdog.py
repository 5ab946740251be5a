"""The sleep/quiet-line watchdog: suspend measured as a suspend, never a busy loop."""

from __future__ import annotations

import sys
import time

import pytest

from desktop.pbx.watchdog import ClockPair, Watchdog, linux_clock, system_clock


class FakeClocks:
    """``awake`` and ``total`` moved by hand: a stall moves both, a suspend only ``total``."""

    name = "fake"

    def __init__(self) -> None:
        self.a = 1000.0
        self.t = 5000.0

    def awake(self) -> float:
        return self.a

    def total(self) -> float:
        return self.t

    def run(self, seconds: float) -> None:
        self.a += seconds
        self.t += seconds

    def suspend(self, seconds: float) -> None:
        self.t += seconds


def dog(clocks: FakeClocks, idle: float | None = 90.0) -> Watchdog:
    return Watchdog(clocks, tick=10.0, clock_jump=15.0, idle_timeout=idle)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CLOCK_BOOTTIME is Linux's")
def test_linux_uses_boottime_against_monotonic() -> None:
    pair = linux_clock()
    assert pair is not None
    assert system_clock().name == "boottime"
    # asyncio's timers run on time.monotonic(): the awake clock is that clock.
    assert abs(pair.awake() - time.monotonic()) < 0.05
    assert abs(pair.total() - time.clock_gettime(time.CLOCK_BOOTTIME)) < 0.05
    # Awake, both advance alike (a busy CPU included).
    a0, t0 = pair.awake(), pair.total()
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:
        pass
    assert abs((pair.total() - t0) - (pair.awake() - a0)) < 0.01


def test_a_long_stall_is_not_a_sleep() -> None:
    clocks = FakeClocks()
    watchdog = dog(clocks)
    clocks.run(21.0)  # the 21 s stall of a busy loop
    assert watchdog.check() is None
    clocks.run(600.0)  # even ten minutes of it
    assert watchdog.check() is None
    assert watchdog.longest_stall == 600.0


def test_a_suspend_is_a_sleep() -> None:
    clocks = FakeClocks()
    watchdog = dog(clocks)
    clocks.run(3.0)
    clocks.suspend(3600.0)
    verdict = watchdog.check()
    assert verdict == ("asleep", "the computer was asleep for 3600 s; reconnecting")


def test_a_short_suspend_below_the_threshold_is_ignored() -> None:
    clocks = FakeClocks()
    watchdog = dog(clocks)
    clocks.suspend(10.0)
    assert watchdog.check() is None


def test_the_quiet_line_counts_awake_time_and_waits_a_read_after_a_stall() -> None:
    clocks = FakeClocks()
    watchdog = dog(clocks, idle=90.0)
    clocks.run(89.0)
    assert watchdog.check() is None
    assert watchdog.wait() == pytest.approx(1.0)
    clocks.run(30.0)  # a stall across the deadline: read what is buffered first
    assert watchdog.check() is None
    assert watchdog.check() is None  # the read after the stall brought nothing ...
    assert watchdog.check() == ("idle", "no data for 90 s (half-open connection?)")


def test_data_keeps_the_line_from_being_quiet() -> None:
    clocks = FakeClocks()
    watchdog = dog(clocks, idle=90.0)
    for _ in range(20):
        clocks.run(9.0)
        watchdog.received()
        assert watchdog.check() is None
    assert watchdog.wait() == 10.0  # the tick, not the idle deadline


def test_without_an_idle_timeout_only_the_tick_paces_the_checks() -> None:
    clocks = FakeClocks()
    watchdog = dog(clocks, idle=None)
    clocks.run(10_000.0)
    assert watchdog.check() is None
    assert watchdog.check() is None
    assert watchdog.wait() == 10.0


def test_the_wall_clock_fallback_reports_jumps_both_ways() -> None:
    state = {"mono": 100.0, "wall": 1_800_000_000.0}
    pair = ClockPair("wall", lambda: state["mono"], lambda: state["wall"], wall_based=True)
    watchdog = Watchdog(pair, tick=10.0, clock_jump=15.0, idle_timeout=None)
    state["wall"] -= 3600.0  # the clock was set back an hour
    verdict = watchdog.check()
    assert verdict is not None
    assert verdict[1].startswith("the clock jumped by -3600 s")
