"""Benchmark, in-process: placing and closing popups with 4, 300 and 3,000 calls up.

    .venv/bin/python bench/bench_popup_scale.py [--ops 300]

For each number N of live calls (all ringing, so three have a popup and the
rest, at least one, wait in the tray's count: every close shows the next), a
:class:`PopupManager` is filled with N calls, then three operations are timed
*ops* times each:

* ``ring + miss``: a new call rings and is missed at once (``show_card``
  twice, then the end-of-turn :meth:`PopupManager.flush`);
* ``update``: a shown call's card changes (answered);
* ``close``: the agent dismisses the first popup, the oldest waiting call
  takes the freed window (and a new call keeps N constant).

Goal: the same cost with 4 or 3,000 calls (ratio near 1).  Qt's xcb
platform when ``DISPLAY`` is set, else offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.numbers import parse_number
from desktop.ui.popup import PopupManager

SIZES = (4, 300, 3000)


def card(call_id: str, state: CardState = CardState.RINGING,
         outcome: CardOutcome | None = None) -> CallerCard:
    return CallerCard(call_id=call_id, state=state, number=parse_number("05321234567"),
                      outcome=outcome, name="Ayşe Yılmaz", contact_id=1,
                      company="Yılmaz Tekstil")


def timed(samples: list[float], action: Callable[[], object]) -> None:
    started = time.perf_counter()
    action()
    samples.append(time.perf_counter() - started)


def measure(app: QApplication, calls: int, ops: int) -> dict[str, list[float]]:
    manager = PopupManager(auto_close_seconds=0, translucent=False, app=app)
    manager.prepare()
    for i in range(calls):
        manager.show_card(card(f"live-{i}"))
    manager.flush()
    app.processEvents()
    out: dict[str, list[float]] = {"ring + miss": [], "update": [], "close": []}
    for n in range(ops):
        def ring_and_miss(n: int = n) -> None:
            manager.show_card(card(f"flood-{n}"))
            manager.show_card(card(f"flood-{n}", CardState.ENDED, CardOutcome.MISSED))
            manager.flush()

        timed(out["ring + miss"], ring_and_miss)
        first = manager.popups()[0]
        state = CardState.ANSWERED if n % 2 else CardState.RINGING
        timed(out["update"], lambda first=first, state=state: manager.show_card(
            card(first.call_id, state)))
        timed(out["close"], lambda first=first: (first.dismiss(by_user=True), manager.flush()))
        manager.show_card(card(f"more-{n}"))  # keep N calls up
        if n % 20 == 0:
            app.processEvents()
    manager.close_all()
    return out


def ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=300)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    results = {n: measure(app, n, args.ops) for n in SIZES}
    print(f"popup cost by live calls (in-process, Qt platform {app.platformName()}), "
          f"{args.ops} operations each:")
    for op in results[SIZES[0]]:
        base = statistics.median(results[SIZES[0]][op])
        for n in SIZES:
            samples = results[n][op]
            print(f"  {op:<12} {n:>5} calls  p50 {ms(samples, 0.5):6.3f} ms  "
                  f"p99 {ms(samples, 0.99):6.3f} ms  (x{statistics.median(samples) / base:4.2f})")
    worst = max(statistics.median(results[SIZES[-1]][op]) / statistics.median(
        results[SIZES[0]][op]) for op in results[SIZES[0]])
    print(f"goal: the same cost with {SIZES[-1]:,} calls as with {SIZES[0]}: "
          f"{'met' if worst < 2 else 'MISSED'} (worst ratio x{worst:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
