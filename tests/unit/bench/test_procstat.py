"""The agent-view benchmark's /proc readers, on real child processes."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.agentview.procstat import (
    IdleSample,
    Summary,
    SwitchMeter,
    context_switches,
    cpu_seconds,
    idle_delta,
    meter_delta,
    percentile,
    ratio,
    rss_bytes,
)

#: A child that, on each line of stdin, runs the named action and answers "ok".
CHILD = r"""
import sys, threading, time
blob = None
for line in sys.stdin:
    verb, _, arg = line.strip().partition(" ")
    if verb == "napper":               # a second thread that wakes up every 2 ms
        def naps():
            while True:
                time.sleep(0.002)
        threading.Thread(target=naps, daemon=True).start()
    elif verb == "burst":              # a thread that naps every 2 ms for N ms, then ends
        def burst(ms=int(arg)):
            end = time.monotonic() + ms / 1000
            while time.monotonic() < end:
                time.sleep(0.002)
        threading.Thread(target=burst, daemon=True).start()
    elif verb == "spin":               # burn CPU for N ms
        end = time.process_time() + int(arg) / 1000
        while time.process_time() < end:
            pass
    elif verb == "grow":               # hold N MiB
        blob = bytearray(int(arg) << 20)
        blob[::4096] = b"x" * len(blob[::4096])
    print("ok", flush=True)
"""


class Child:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    @property
    def pid(self) -> int:
        return self.process.pid

    def do(self, command: str) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "ok"


@pytest.fixture
def child() -> Iterator[Child]:
    c = Child()
    c.do("noop")
    yield c
    c.process.kill()
    c.process.wait()
    for pipe in (c.process.stdin, c.process.stdout):
        if pipe is not None:
            pipe.close()


def sample(pid: int, seconds: float) -> IdleSample:
    before, cpu = context_switches(pid), cpu_seconds(pid)
    started = time.monotonic()
    time.sleep(seconds)
    return idle_delta(before, context_switches(pid), cpu, cpu_seconds(pid),
                      time.monotonic() - started)


def wait_blocked(pid: int) -> None:
    """Until *pid* sleeps (state S) twice in a row: it has gone back to reading stdin."""
    deadline = time.monotonic() + 5
    asleep = 0
    while asleep < 2 and time.monotonic() < deadline:
        text = (Path("/proc") / str(pid) / "stat").read_text()
        asleep = asleep + 1 if text[text.rindex(")") + 2] == "S" else 0
        time.sleep(0.02)


def test_an_idle_process_does_not_wake_up(child: Child) -> None:
    wait_blocked(child.pid)
    idle = sample(child.pid, 0.5)
    assert idle.wakeups == 0  # blocked reading stdin
    assert idle.threads == (1, 1)
    assert idle.cpu_percent < 5


def test_wake_ups_of_every_thread_are_counted(child: Child) -> None:
    child.do("napper")
    busy = sample(child.pid, 0.5)
    assert busy.threads == (2, 2)
    # ~250 naps of 2 ms in 0.5 s; a loaded machine makes them longer, not fewer than 50
    assert busy.wakeups >= 50
    assert busy.wakeups_per_s == busy.wakeups / busy.seconds


def test_a_thread_that_ends_inside_the_interval_keeps_its_wake_ups(child: Child) -> None:
    wait_blocked(child.pid)
    meter, cpu = SwitchMeter(child.pid), cpu_seconds(child.pid)
    started = time.monotonic()
    child.do("burst 400")  # ~200 naps of 2 ms, then the thread ends
    deadline = started + 5
    while time.monotonic() < deadline:
        time.sleep(0.1)
        meter.sample()
        if meter.exited:
            break
    idle = meter_delta(meter, cpu, cpu_seconds(child.pid), time.monotonic() - started)
    assert (idle.born, idle.exited) == (1, 1)
    assert idle.threads == (1, 1)
    # Summing the threads alive at both ends loses the ended thread's naps (and
    # can go negative); the meter keeps what it saw at its last sample.
    assert idle.wakeups >= 40
    # Who woke, and when: the ended thread is named and its naps are on the timeline.
    by_thread = meter.by_thread()
    assert sum(by_thread.values()) == idle.wakeups
    assert sum(count for _at, _tid, count in meter.timeline) == idle.wakeups
    ended = [key for key in by_thread if not key.endswith(f"/{child.pid}")]
    assert len(ended) == 1
    assert by_thread[ended[0]] >= 40
    assert not ended[0].startswith("?/")  # named while it was alive


def test_cpu_time_counts_what_the_process_burns(child: Child) -> None:
    before = cpu_seconds(child.pid)
    child.do("spin 300")
    used = cpu_seconds(child.pid) - before
    assert 0.25 <= used <= 1.0


def test_rss_follows_memory_in_use(child: Child) -> None:
    before = rss_bytes(child.pid)
    child.do("grow 64")
    assert rss_bytes(child.pid) - before >= 60 << 20


def test_percentiles_and_summary() -> None:
    values = [float(v) for v in range(1, 201)]  # 1..200
    assert percentile(values, 0.5) == 100
    assert percentile(values, 0.99) == 198
    assert percentile([7.0], 0.99) == 7
    assert percentile([3.0, 1.0, 2.0], 1.0) == 3
    summary = Summary.of([5.0, 1.0, 3.0])
    assert (summary.p50, summary.p99, summary.max, summary.n) == (3.0, 5.0, 5.0, 3)
    with pytest.raises(ValueError):
        percentile([], 0.5)
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(1.0, 0.0) == float("inf")
