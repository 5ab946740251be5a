"""What a process costs, read from outside through ``/proc``; and the summaries.

* :func:`cpu_seconds`: ``utime + stime`` of the whole process (all threads)
  from ``/proc/PID/stat`` (fields 14 and 15, in clock ticks);
* :func:`rss_bytes`: ``VmRSS`` from ``/proc/PID/status``;
* :func:`context_switches`: voluntary and involuntary context switches summed
  over every thread (``/proc/PID/task/*/status``): a thread that sleeps and
  is woken up counts one voluntary switch, so over an idle interval the
  voluntary count is the number of wake-ups.  A thread that exits inside the
  interval takes its counts with it (:class:`IdleSample` reports how many
  threads there were at both ends, so that shows).
"""

from __future__ import annotations

import os
import statistics
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


@dataclass(frozen=True)
class IdleSample:
    """Wake-ups and CPU of one process over an idle interval."""

    seconds: float
    wakeups: int
    involuntary: int
    cpu_s: float
    threads: tuple[int, int]

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
