"""Benchmarks for quick SMS: the live counter, the outbox writes, a send round trip.

    .venv/bin/python bench/bench_sms.py

Prints:

* ``count_sms`` per keystroke while typing a 600-character Turkish message
  with emoji (p50/p99; goal p99 < 1 ms, it runs on the GUI thread);
* ``SmsOutbox.enqueue`` of one message and a state ``transition`` (p50/p99;
  goal < 5 ms: the message is on disk before the Send button's work is done);
* ``SmsOutbox.recent(500)`` for the history window (goal < 20 ms);
* queued -> sent against the simulator on loopback (p50 of 50 sends).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.core.sms_outbox import SmsOutbox, SmsState
from desktop.core.sms_sender import SmsApiConfig, SmsSender
from desktop.core.sms_text import count_sms
from desktop.simulator import Simulator, SimulatorConfig

TEXT = ("Merhaba Ayşe Hanım, siparişiniz yola çıktı 😊 " * 20)[:600]


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def report(name: str, samples: list[float], unit: str = "ms") -> None:
    factor = 1000.0 if unit == "ms" else 1_000_000.0
    print(f"{name:<44} p50 {statistics.median(samples) * factor:8.3f} {unit}   "
          f"p99 {pct(samples, 0.99) * factor:8.3f} {unit}   (n={len(samples)})")


def bench_counter() -> None:
    samples = []
    for end in range(1, len(TEXT) + 1):
        started = time.perf_counter()
        count_sms(TEXT[:end])
        samples.append(time.perf_counter() - started)
    report("count_sms per keystroke (600 chars)", samples, "µs")


def bench_outbox(path: Path) -> None:
    outbox = SmsOutbox(path)
    writes, moves = [], []
    for i in range(300):
        started = time.perf_counter()
        [message] = outbox.enqueue([f"0532 411 {i // 100:02d} {i % 100:02d}"], "Merhaba",
                                   "DEMOFIRMA")
        writes.append(time.perf_counter() - started)
        started = time.perf_counter()
        outbox.transition(message.id, [SmsState.QUEUED], SmsState.SENDING)
        moves.append(time.perf_counter() - started)
    report("SmsOutbox.enqueue (1 message)", writes)
    report("SmsOutbox.transition", moves)
    reads = []
    for _ in range(50):
        started = time.perf_counter()
        outbox.recent(500)
        reads.append(time.perf_counter() - started)
    report("SmsOutbox.recent(500)", reads)
    outbox.close()


async def bench_round_trip(path: Path) -> None:
    sim = Simulator(SimulatorConfig(seed_history=0, sms_balance=100_000))
    await sim.start()
    outbox = SmsOutbox(path)
    cfg = SmsApiConfig("new", sim.http_base, sim.cfg.sms_token)
    sender = SmsSender(outbox, lambda: cfg)
    samples = []
    try:
        for _ in range(50):
            [message] = outbox.enqueue(["0532 411 80 27"], "Merhaba", "DEMOFIRMA")
            started = time.perf_counter()
            await sender.drive([message.id], deadline=time.time() + 10,
                               done=lambda ms: ms[0].state is SmsState.SENT)
            samples.append(time.perf_counter() - started)
    finally:
        await sender.aclose()
        outbox.close()
        await sim.stop()
    report("queued -> sent (simulator, loopback)", samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench_counter()
        bench_outbox(Path(tmp) / "bench-outbox.sqlite3")
        asyncio.run(bench_round_trip(Path(tmp) / "bench-round-trip.sqlite3"))


if __name__ == "__main__":
    main()
