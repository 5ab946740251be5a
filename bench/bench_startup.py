"""Benchmark: how fast the tray app starts, and how much memory it keeps.

    .venv/bin/python bench/bench_startup.py [--runs 10] [--contacts 100000]

Needs Xvfb, openbox and trayer (``tests/run`` installs them); the benchmark
starts its own display with a tray host (``tests.helpers.xserver``).

1. Start time: ``kobikom-desktop --demo`` is spawned *runs* times, each with
   a fresh ``KOBIKOM_DESKTOP_HOME``; measured from just before ``Popen`` to
   the timestamp of the app's "tray shown" log line.  The app's own figure
   (from ``main()``, i.e. without interpreter start and the ``cli`` imports)
   is shown beside it.  Goal: < 2 s.
2. Import time: one more start under ``python -X importtime``; the modules
   with the largest cumulative and self import times.
3. Memory: the app (not in demo mode) against a standalone simulator, with
   N contacts pre-built in its directory; RSS (and USS) 5 s after the tray is
   shown, next to the same with an empty directory.  Goal: < 150 MB.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil

from desktop.core.directory import Directory
from tests.helpers.appprocess import (
    AppProcess,
    SimulatorProcess,
    write_app_settings,
)
from tests.helpers.contacts_data import fake_contacts
from tests.helpers.xserver import XDisplay, child_environment, require_programs

TRAY_SHOWN = r"tray shown \((\w+)\) (\d+) ms after start"
#: "wait 5 s after the tray is shown" before reading the memory.
SETTLE_S = 5.0
START_TIMEOUT_S = 30.0


def start_times(display: XDisplay, work: Path, runs: int) -> None:
    walls: list[float] = []
    inside: list[float] = []
    for n in range(runs):
        app = AppProcess(work / f"start-{n}", display.env, args=["--demo"], name=f"start-{n}")
        before = time.time()
        app.start()
        try:
            line = app.wait_for_log(TRAY_SHOWN, timeout=START_TIMEOUT_S)
        finally:
            app.stop()
        walls.append(line.timestamp - before)
        inside.append(int(line.match[2]) / 1000)
    print(f"start to 'tray shown' ({runs} runs, --demo, fresh home each):")
    print(f"  wall (before Popen -> log line): median {statistics.median(walls):.2f} s, "
          f"max {max(walls):.2f} s, min {min(walls):.2f} s   goal < 2 s")
    print(f"  inside main() (the app's own figure): median {statistics.median(inside):.2f} s, "
          f"max {max(inside):.2f} s")


def import_times(display: XDisplay, work: Path, top: int = 12) -> None:
    app = AppProcess(work / "importtime", display.env, args=["--demo"], name="importtime",
                     command=[sys.executable, "-X", "importtime", "-m", "desktop.cli"])
    app.start()
    try:
        app.wait_for_log(TRAY_SHOWN, timeout=START_TIMEOUT_S)
    finally:
        app.stop()
    rows = []
    pattern = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
    for line in app.stderr_file.read_text("utf-8", "replace").splitlines():
        found = pattern.match(line)
        if found:
            rows.append((int(found[1]), int(found[2]), len(found[3]), found[4]))
    total_top = sum(cum for _, cum, depth, _ in rows if depth == 1)
    print(f"\nimport time (-X importtime): {total_top / 1e6:.2f} s for top-level imports")
    print("  largest cumulative, top-level:")
    for _self, cum, _depth, name in sorted((r for r in rows if r[2] == 1),
                                           key=lambda r: -r[1])[:top]:
        print(f"    {cum / 1000:8.1f} ms  {name}")
    print("  largest self time, any level:")
    for own, _cum, _depth, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"    {own / 1000:8.1f} ms  {name}")


def resident_memory(display: XDisplay, work: Path, contacts: int) -> None:
    sim = SimulatorProcess(work / "simulator", child_environment()).start()
    try:
        results = {}
        for label, count in (("empty directory", 0), (f"{contacts:,} contacts", contacts)):
            home = work / f"rss-{count}"
            write_app_settings(home, sim)
            if count:
                started = time.perf_counter()
                directory = Directory(home / "data" / "contacts.sqlite3")
                directory.add_many(fake_contacts(count)[0])
                directory.close()
                print(f"\n(pre-built {count:,} contacts in {time.perf_counter() - started:.1f} s)")
            app = AppProcess(home, display.env, name=f"rss-{count}")
            app.start()
            try:
                app.wait_for_log(TRAY_SHOWN, timeout=START_TIMEOUT_S)
                app.wait_for_log(r"bulut-tcp .*: login accepted", timeout=START_TIMEOUT_S)
                time.sleep(SETTLE_S)  # the brief: read the memory 5 s after the tray is shown
                assert app.process is not None
                info = psutil.Process(app.process.pid).memory_full_info()
                results[label] = (info.rss / 2**20, info.uss / 2**20)
            finally:
                app.stop()
        print("\nresident memory 5 s after start (not demo, line connected):")
        for label, (rss, uss) in results.items():
            print(f"  {label:<20} RSS {rss:6.1f} MB   USS {uss:6.1f} MB")
        worst = max(rss for rss, _ in results.values())
        print(f"  goal RSS < 150 MB: {'met' if worst < 150 else 'MISSED'}")
    finally:
        sim.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    require_programs("Xvfb", "openbox", "trayer")
    with tempfile.TemporaryDirectory(prefix="kobikom-bench-start-") as tmp:
        work = Path(tmp)
        display = XDisplay(work / "x").start()
        try:
            start_times(display, work, args.runs)
            import_times(display, work)
            resident_memory(display, work, args.contacts)
        finally:
            display.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
