"""Screenshots of the real app's popups before and after a flood of calls, under Xvfb.

    .venv/bin/python tools/screenshot_flood.py [--language tr|en] [--calls 2000]

Starts Xvfb with openbox and trayer (a real tray host), ``kobikom-desktop
simulator`` and the app (tests/helpers), then takes, into ``artifacts/``:

1. ``flood-1-stacked-<lang>.png``: five calls ring at once: three popups
   stack in the corner, the other two are summed up in the tray;
2. ``flood-2-missed-<lang>.png``: two of them are missed: the missed-calls
   card, under the ringing popups;
3. ``flood-3-during-<lang>.png``: half-way through a flood of *calls*
   ringing+hangup pairs in 2 s;
4. ``flood-4-after-<lang>.png``: the flood summed up on the one card, and a
   new ring next to it.

``artifacts/`` is git-ignored.  Look at the PNGs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
sys.path.insert(0, str(ROOT))

from tests.helpers.appprocess import (  # noqa: E402
    AppProcess,
    SimulatorProcess,
    logged_id,
    write_app_settings,
)
from tests.helpers.xserver import XDisplay, child_environment  # noqa: E402


def _count_regex(count: int) -> str:
    """*count* as the card's title writes it, with or without a group separator."""
    if count < 1000:
        return rf"Kobikom – {count} "
    return rf"Kobikom – {count // 1000}[,.]?{count % 1000:03d} "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", choices=("tr", "en"), default="tr")
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    lang = args.language
    work = Path(tempfile.mkdtemp(prefix="kobikom-flood-shots-"))
    display = XDisplay(work / "x").start()
    sim = SimulatorProcess(work / "sim", child_environment()).start()
    app: AppProcess | None = None
    shots: list[Path] = []

    def shot(name: str) -> None:
        shots.append(display.screenshot(ARTIFACTS / f"flood-{name}-{lang}.png"))

    try:
        home = work / "home"
        settings = write_app_settings(home, sim, auto_close_seconds=8)
        with settings.open("a", encoding="utf-8") as fh:
            fh.write(f'\n[ui]\nlanguage = "{lang}"\n')
        app = AppProcess(home, display.env, name="app").start()
        app.wait_for_log(r"login accepted")
        app.wait_for_log(r"tray icon geometry")
        callers = ["05321234567", "02163347190", "05059998877", "05551112233", "03124445566"]
        ids = [sim.ring("1001", caller) for caller in callers]
        app.wait_for_log(rf"popup shown for call {logged_id(ids[2])}")
        time.sleep(1.0)
        shot("1-stacked")
        sim.hangup(ids[0])
        sim.hangup(ids[1])
        app.wait_for_log(rf"popup shown for call {logged_id(ids[4])}")
        time.sleep(1.0)
        shot("2-missed")
        for call_id in ids[2:]:
            sim.hangup(call_id)
        flood = threading.Thread(target=lambda: sim.post("flood", {
            "extension": "1001", "count": args.calls, "seconds": 2.0}), daemon=True)
        flood.start()
        time.sleep(1.0)
        shot("3-during")
        flood.join()
        total = args.calls + len(callers)  # every call so far was missed
        display.wait_for_windows(_count_regex(total), timeout=60)
        sim.ring("1001", "05321234567")
        time.sleep(1.5)
        shot("4-after")
    finally:
        if app is not None:
            app.stop()
        sim.stop()
        display.stop()
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
