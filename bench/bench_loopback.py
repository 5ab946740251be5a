"""Benchmark: simulator -> loopback TCP -> channel -> framing -> parse -> normalize -> track.

Run: ``.venv/bin/python bench/bench_loopback.py [--rate 25000] [--seconds 10]``

The simulator runs in its own process (``--serve``, started by this script),
so the client's event loop measured here does only what the app's would: the
real :class:`~desktop.pbx.channels.BulutTcpChannel` (handshake, keepalive,
idle watchdog, ``JsonStreamDecoder``), ``parse_message``, ``parse_number`` and
the :class:`~desktop.core.calls.CallTracker`.  The traffic is
``bench_parse_track.generate``'s busy-tenant stream (interleaved calls,
repeats, colleagues' calls, agent/queue events, Turkish numbers in mixed
notations), addressed to the simulator's domain.

The simulator paces the stream at ``--rate`` messages per second for
``--seconds``, writing every 2 ms tick's messages as NDJSON in one write (as a
busy server's socket buffer would deliver them).  Reported:

* events received vs. sent (goal: zero lost) and the achieved rate
  (goal: >= 20,000 events/s sustained for 10 s);
* event-loop lag while it runs: a task that sleeps 5 ms in a loop records how
  late it wakes up (goal: p99 < 20 ms);
* the tracker's counters, as a sanity check that the calls were built.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse_track import OURS, generate

from desktop.core.calls import CallTracker
from desktop.pbx.channels import Credentials, open_channel
from desktop.pbx.connection import Endpoint, Flavor, Transport
from desktop.pbx.events import KeepAliveEvent, ReplyEvent, UnknownEvent

RATE_GOAL = 20_000
LAG_GOAL_MS = 20.0
TICK = 0.002
LAG_PROBE = 0.005


def _addressed(messages: list[dict[str, Any]], domain: str) -> list[bytes]:
    frames = []
    for msg in messages:
        if "domain" in msg:
            msg["domain"] = domain
        if "domainUuid" in msg:
            msg["domainUuid"] = domain
        frames.append(json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
    return frames


# ---------------------------------------------------------------- the server process


async def serve(rate: int, seconds: float, seed: int) -> None:
    from desktop.simulator import Simulator, SimulatorConfig

    cfg = SimulatorConfig(flavor="bulut", handshake_ack=False, tcp_framing="ndjson")
    sim = Simulator(cfg)
    await sim.start()
    frames = _addressed(generate(int(rate * seconds), seed), cfg.domain_uuid)
    loop = asyncio.get_running_loop()
    print(json.dumps({"tcp": sim.ports["tcp"], "domain": cfg.domain_uuid,
                      "total": len(frames)}), flush=True)
    # The simulator has no login hook for Bulut clients: look every 10 ms.
    async with asyncio.timeout(30):  # the measuring process is gone: do not linger
        while not any(c.get("authenticated") for c in sim.connected_clients()):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    start = loop.time()
    sent = 0
    while sent < len(frames):
        due = min(len(frames), int((loop.time() - start) * rate) + 1)
        if due > sent:
            sim.emit_raw(b"".join(frames[sent:due]))
            sent = due
        await asyncio.sleep(TICK)
    emitted_in = loop.time() - start
    print(json.dumps({"sent": sent, "seconds": emitted_in}), flush=True)
    # Stay up until the client has read everything and closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    await sim.stop()


# ---------------------------------------------------------------- the client (measured)


async def measure(rate: int, seconds: float, seed: int) -> int:
    child = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", "--rate", str(rate), "--seconds", str(seconds),
        "--seed", str(seed), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert child.stdout is not None
    assert child.stdin is not None
    hello = json.loads(await child.stdout.readline())
    total, domain = int(hello["total"]), str(hello["domain"])

    tracker = CallTracker(OURS, domain)
    loop = asyncio.get_running_loop()
    got = {"events": 0, "unknown": 0, "first": 0.0, "last": 0.0}
    everything = asyncio.Event()

    def on_event(event: Any) -> None:
        if isinstance(event, (ReplyEvent, KeepAliveEvent)):
            return
        if isinstance(event, UnknownEvent):
            got["unknown"] += 1
        tracker.feed(event)
        got["events"] += 1
        now = loop.time()
        if got["events"] == 1:
            got["first"] = now
        got["last"] = now
        if got["events"] >= total:
            everything.set()

    states: list[str] = []
    channel = open_channel(Flavor.BULUT, Transport.TCP, Endpoint("127.0.0.1", int(hello["tcp"])),
                           Credentials(domain_uuid=domain), on_event=on_event,
                           on_state=lambda s: states.append(s.describe()))
    lags: list[float] = []
    measuring = True

    async def probe() -> None:
        while measuring:
            before = loop.time()
            await asyncio.sleep(LAG_PROBE)
            if got["events"]:
                lags.append(max(0.0, loop.time() - before - LAG_PROBE))

    runner = asyncio.create_task(channel.run(), name="bench-channel")
    prober = asyncio.create_task(probe(), name="bench-lag")
    sent_line = asyncio.create_task(child.stdout.readline())
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(everything.wait(), timeout=seconds * 3 + 20)
    measuring = False
    report = json.loads(await asyncio.wait_for(sent_line, 10))
    await asyncio.sleep(0.5)  # anything beyond the expected count would show up now
    runner.cancel()
    await asyncio.gather(runner, prober, return_exceptions=True)
    child.stdin.close()
    await child.wait()

    received, sent = got["events"], int(report["sent"])
    span = got["last"] - got["first"]
    rate_got = received / span if span > 0 else 0.0
    lags_ms = sorted(x * 1000 for x in lags)
    p50 = statistics.median(lags_ms) if lags_ms else 0.0
    p99 = lags_ms[int(len(lags_ms) * 0.99) - 1] if lags_ms else 0.0
    st = tracker.stats
    ok_lost = received == sent
    ok_rate = rate_got >= RATE_GOAL and span >= seconds * 0.95
    ok_lag = p99 < LAG_GOAL_MS
    print(f"sent {sent:,} in {report['seconds']:.2f} s by the simulator; "
          f"received {received:,} in {span:.2f} s -> {rate_got:,.0f} events/s "
          f"[{'ok' if ok_rate else 'BELOW GOAL'}]")
    print(f"lost {sent - received:,}  unknown {got['unknown']}  "
          f"[{'ok' if ok_lost else 'EVENTS LOST'}]")
    print(f"event-loop lag over {len(lags_ms):,} probes: p50 {p50:.2f} ms  p99 {p99:.2f} ms  "
          f"max {lags_ms[-1] if lags_ms else 0:.2f} ms  [{'ok' if ok_lag else 'OVER GOAL'}]")
    print(f"tracker: changes={st.changes} missed={tracker.missed_count} "
          f"active={len(tracker.active_calls())} ignored={st.ignored} dup={st.duplicates}")
    print(f"connection states: {' -> '.join(dict.fromkeys(states))}")
    return 0 if ok_lost and ok_rate and ok_lag else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=25_000, help="messages per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.rate, args.seconds, args.seed))
        return 0
    started = time.perf_counter()
    code = asyncio.run(measure(args.rate, args.seconds, args.seed))
    print(f"(whole run {time.perf_counter() - started:.1f} s)")
    return code


if __name__ == "__main__":
    sys.exit(main())
