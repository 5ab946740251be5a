"""Benchmark: how often an idle, connected app wakes up (issue 14: "idle means asleep").

    .venv/bin/python bench/bench_idle_wakeups.py [--seconds 60]

Needs Xvfb, openbox and trayer (``tests/run`` installs them).  The real app
runs under its own display with a tray host, connected (Bulut over TCP) to a
standalone simulator that sends nothing; no call, no window open.  After a
settling pause, the app's context switches are read from
``/proc/<pid>/status`` (voluntary ones: the process went to sleep and was
woken) over *seconds*, for the main thread and for all threads.

Target: < 0.5 wake-ups per second for the main thread.  What remains is the
channel's watchdog (every 10 s, :mod:`desktop.pbx.watchdog`), the TCP line's
quiet refresh (every 90 s), the call history's heartbeat (every 60 s) and
whatever Qt, the tray host and the X server ask of the process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.appprocess import AppProcess, SimulatorProcess, write_app_settings
from tests.helpers.xserver import XDisplay, child_environment, require_programs

SETTLE_S = 10.0
TARGET_PER_S = 0.5


def switches(pid: int, tid: int | None = None) -> int:
    base = Path(f"/proc/{pid}") if tid is None else Path(f"/proc/{pid}/task/{tid}")
    for line in (base / "status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    raise RuntimeError("no voluntary_ctxt_switches in /proc status")


def all_threads(pid: int) -> dict[int, int]:
    """Voluntary switches per thread id (threads that end meanwhile drop out)."""
    counts: dict[int, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            counts[int(task.name)] = switches(pid, int(task.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return counts


def grown(before: dict[int, int], after: dict[int, int]) -> int:
    return sum(count - before.get(tid, 0) for tid, count in after.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    require_programs("Xvfb", "openbox", "trayer")
    with tempfile.TemporaryDirectory(prefix="kobikom-idle-") as tmp:
        work = Path(tmp)
        display = XDisplay(work / "x").start()
        sim = SimulatorProcess(work / "sim", child_environment()).start()
        app = AppProcess(work / "home", display.env | {"KOBIKOM_USER": "demo@kobikom.example",
                                                        "KOBIKOM_PASSWORD": "demo-password"},
                         name="idle")
        write_app_settings(app.home, sim)
        try:
            app.start()
            app.wait_for_log(r"bulut-tcp .*: login accepted", timeout=30)
            time.sleep(SETTLE_S)
            assert app.process is not None
            pid = app.process.pid
            main_before, all_before = switches(pid, pid), all_threads(pid)
            started = time.monotonic()
            time.sleep(args.seconds)
            took = time.monotonic() - started
            main_rate = (switches(pid, pid) - main_before) / took
            all_rate = grown(all_before, all_threads(pid)) / took
        finally:
            app.stop()
            sim.stop()
            display.stop()
    verdict = "ok" if main_rate < TARGET_PER_S else "ABOVE TARGET"
    print(f"idle app, connected, {took:.0f} s: main thread {main_rate:.2f} wake-ups/s "
          f"({verdict}, target < {TARGET_PER_S}); threads alive at the end: {all_rate:.2f}/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
