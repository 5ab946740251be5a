"""What a process costs, read from outside through ``/proc``; and the summaries.

* :func:`cpu_seconds`: ``utime + stime`` of the whole process (all threads)
  from ``/proc/PID/stat`` (fields 14 and 15, in clock ticks);
* :func:`rss_bytes`: ``VmRSS`` from ``/proc/PID/status``;
* :func:`context_switches`: voluntary and involuntary context switches summed
  over every thread (``/proc/PID/task/*/status``): a thread that sleeps and
  is woken up counts one voluntary switch, so over an idle interval the
  voluntary count is the number of wake-ups;
* :class:`SwitchMeter`: the same per thread over an interval, sampled now and
  then, so a thread that exits inside the interval (a thread pool's idle
  worker expiring) keeps the switches seen at its last sample instead of
  taking them away from the total, and a thread born inside it counts from
  zero (:class:`IdleSample` reports both); it also keeps each thread's name
  and a timeline of who woke in which sample (:meth:`SwitchMeter.by_thread`,
  :attr:`SwitchMeter.timeline`).
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")
PROC: Final = Path("/proc")


def cpu_seconds(pid: int, proc: Path = PROC) -> float:
    """User + system CPU time of *pid* (all its threads), in seconds."""
    text = (proc / str(pid) / "stat").read_text()
    # The command name (field 2) may contain spaces and parentheses: split after it.
    fields = text[text.rindex(")") + 2:].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / CLOCK_TICKS


def _status_value(text: str, key: str) -> int:
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name == key:
            return int(value.split()[0])
    raise KeyError(key)


def rss_bytes(pid: int, proc: Path = PROC) -> int:
    """Resident set size of *pid*."""
    return _status_value((proc / str(pid) / "status").read_text(), "VmRSS") * 1024


@dataclass(frozen=True)
class Switches:
    voluntary: int
    involuntary: int
    threads: int


def context_switches(pid: int, proc: Path = PROC) -> Switches:
    """Context switches summed over all threads of *pid*."""
    voluntary = involuntary = threads = 0
    for task in (proc / str(pid) / "task").iterdir():
        try:
            text = (task / "status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we listed them
        voluntary += _status_value(text, "voluntary_ctxt_switches")
        involuntary += _status_value(text, "nonvoluntary_ctxt_switches")
        threads += 1
    return Switches(voluntary, involuntary, threads)


def thread_name(pid: int, tid: int, proc: Path = PROC) -> str:
    """The kernel's name of thread *tid* (``comm``), or ``?`` once it has ended."""
    try:
        return (proc / str(pid) / "task" / str(tid) / "comm").read_text().strip()
    except (FileNotFoundError, ProcessLookupError):
        return "?"


def thread_switches(pid: int, proc: Path = PROC) -> dict[int, tuple[int, int]]:
    """(voluntary, involuntary) context switches of each thread of *pid*, by thread id."""
    out: dict[int, tuple[int, int]] = {}
    for task in (proc / str(pid) / "task").iterdir():
        try:
            text = (task / "status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we listed them
        out[int(task.name)] = (_status_value(text, "voluntary_ctxt_switches"),
                               _status_value(text, "nonvoluntary_ctxt_switches"))
    return out


class SwitchMeter:
    """Context switches of every thread of *pid* from now on; call :meth:`sample` now and
    then (a thread that exits between two samples loses only what it did since the last)."""

    def __init__(self, pid: int, proc: Path = PROC) -> None:
        self.pid = pid
        self.proc = proc
        self.first = thread_switches(pid, proc)
        self.last = dict(self.first)
        self.threads_at_start = len(self.first)
        self.alive = set(self.first)
        self.exited = 0
        self.born = 0
        self.started = time.monotonic()
        self.names = {tid: thread_name(pid, tid, proc) for tid in self.first}
        #: (seconds since the start, thread id, voluntary switches since the previous sample)
        self.timeline: list[tuple[float, int, int]] = []

    def sample(self) -> None:
        now = thread_switches(self.pid, self.proc)
        at = time.monotonic() - self.started
        self.exited += len(self.alive - now.keys())
        self.alive = set(now)
        for tid, counts in now.items():
            if tid not in self.first:
                self.first[tid] = (0, 0)  # born inside the interval: everything it did
                self.names[tid] = thread_name(self.pid, tid, self.proc)
                self.born += 1
            previous = self.last.get(tid, self.first[tid])
            if counts[0] > previous[0]:
                self.timeline.append((round(at, 1), tid, counts[0] - previous[0]))
            self.last[tid] = counts

    def by_thread(self) -> dict[str, int]:
        """Voluntary switches of each thread that woke at all, keyed ``name/tid``."""
        out = {f"{self.names.get(tid, '?')}/{tid}": self.last[tid][0] - first[0]
               for tid, first in self.first.items()}
        return {k: v for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v}

    def totals(self) -> tuple[int, int]:
        """(voluntary, involuntary) switches since the start, over every thread seen."""
        voluntary = sum(self.last[tid][0] - first[0] for tid, first in self.first.items())
        involuntary = sum(self.last[tid][1] - first[1] for tid, first in self.first.items())
        return voluntary, involuntary


@dataclass(frozen=True)
class IdleSample:
    """Wake-ups and CPU of one process over an idle interval."""

    seconds: float
    wakeups: int
    involuntary: int
    cpu_s: float
    threads: tuple[int, int]
    #: Threads that ended / began inside the interval (their switches are counted).
    exited: int = 0
    born: int = 0

    @property
    def wakeups_per_s(self) -> float:
        return self.wakeups / self.seconds

    @property
    def cpu_percent(self) -> float:
        return 100.0 * self.cpu_s / self.seconds


def idle_delta(before: Switches, after: Switches, cpu_before: float, cpu_after: float,
               seconds: float) -> IdleSample:
    return IdleSample(seconds, after.voluntary - before.voluntary,
                      after.involuntary - before.involuntary, cpu_after - cpu_before,
                      (before.threads, after.threads))


def meter_delta(meter: SwitchMeter, cpu_before: float, cpu_after: float,
                seconds: float) -> IdleSample:
    """The idle sample of a :class:`SwitchMeter` sampled up to the end of the interval."""
    voluntary, involuntary = meter.totals()
    return IdleSample(seconds, voluntary, involuntary, cpu_after - cpu_before,
                      (meter.threads_at_start, len(meter.alive)), meter.exited, meter.born)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of *values*."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil(n * fraction), at least 1
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Summary:
    p50: float
    p99: float
    max: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Summary:
        return cls(statistics.median(values), percentile(values, 0.99), max(values),
                   len(values))


def ratio(a: float, b: float) -> float:
    """*a* / *b*, infinite when *b* is zero (a side that cost nothing)."""
    return a / b if b else float("inf")
