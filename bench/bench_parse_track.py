"""Benchmark: bytes -> JSON -> typed events -> normalized numbers -> calls.

Run: ``.venv/bin/python bench/bench_parse_track.py [--events N] [--profile]``

The stream is synthetic but shaped like a busy Bulut tenant as one agent's
client sees it (assumptions, all adjustable below):

* 95% of call events are for our extension(s) (``1001``/``1002``), 5% for
  colleagues (``1003``..``1040``), as the brief asks; ~15% of all messages are
  agent/queue events (agent-status-change, members-count, member-queue-*).
* Up to 8 calls are in flight at once, their events interleaved.
* A call: ringing (repeated once in 10% of calls, as the server's cache may
  let through), then answered (75%) or hangup without answer (25%); 20% of
  answered calls are held and resumed; then hangup and destroy.  10% of calls
  are queue calls that also ring a colleague (half answered by the colleague).
* Callers come from 5,000 distinct Turkish numbers (mobile 05xx, Istanbul and
  Bursa land lines, 0850) in mixed notations (``0532...``, ``90532...``,
  ``+90 532 ...``); 40% of calls come from a "regular" set of 300 numbers
  (repeat callers), the rest uniformly from the pool.
* The number cache is cleared before every run, so each run pays for parsing
  every distinct number once, as a freshly started client would.

It measures, best of 3, on one thread:
(a) NDJSON bytes in 64 KiB reads -> framing + parse + normalize + track,
(b) the same with objects back to back and no separator,
(c) already-decoded dicts -> parse + normalize + track,
(d) live-traffic shape: one message per read, every 10th split across two
    reads (exercises the incremental validator), for information.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.core.calls import CallTracker
from desktop.core.numbers import parse_number
from desktop.pbx.events import parse_message
from desktop.pbx.framing import JsonStreamDecoder

DOMAIN = "firma.kobipbx.com"
DOMAIN_UUID = "97df2222-c948-492c-a1b2-0123456789ab"
OURS = ("1001", "1002")
COLLEAGUES = tuple(str(n) for n in range(1003, 1041))
READ_SIZE = 65536
GOAL = 50_000


def _number_pool(rng: random.Random, size: int) -> list[str]:
    prefixes = ["532", "533", "535", "541", "542", "505", "506", "555", "212", "216", "224", "850"]
    pool = []
    for _ in range(size):
        national = rng.choice(prefixes) + f"{rng.randrange(10**7):07d}"
        style = rng.random()
        if style < 0.6:
            pool.append("0" + national)
        elif style < 0.85:
            pool.append("90" + national)
        else:
            pool.append(f"+90 {national[:3]} {national[3:6]} {national[6:8]} {national[8:]}")
    return pool


def _call_events(rng: random.Random, n: int, caller: str) -> list[dict[str, Any]]:
    cid = f"{rng.getrandbits(32):08x}-{n:04x}-4c3d-9e8f-{rng.getrandbits(48):012x}"
    ours = rng.random() < 0.95
    ext = rng.choice(OURS) if ours else rng.choice(COLLEAGUES)
    base = {"callUUID": cid, "domain": DOMAIN}
    ring = {"event": "ringing", **base, "extension": ext, "callerNumber": caller,
            "calledNumber": "02242123456"}
    events = [ring]
    if rng.random() < 0.1:
        events.append(dict(ring))
    queue = rng.random() < 0.1
    if queue:
        events.append({**ring, "extension": rng.choice(COLLEAGUES)})
    roll = rng.random()
    if roll < 0.75:
        answer_ext = rng.choice(COLLEAGUES) if queue and rng.random() < 0.5 else ext
        events.append({"event": "answered", **base, "extension": answer_ext,
                       "callerNumber": caller, "calledNumber": "02242123456",
                       "direction": "inbound", "channelCallState": "ACTIVE",
                       "hangupCause": ""})
        if rng.random() < 0.2:
            events.append({"event": "hold", **base})
            events.append({"event": "unhold", **base})
    events.append({"event": "hangup", **base, "hangupCause": "NORMAL_CLEARING"})
    events.append({"event": "destroy", **base})
    return events


def _agent_event(rng: random.Random) -> dict[str, Any]:
    kind = rng.randrange(4)
    agent = rng.choice(OURS + COLLEAGUES)
    if kind == 0:
        return {"event": "agent-status-change", "agent": agent, "agentName": "Ayşe Yılmaz",
                "status": rng.choice(["Available", "On Break", "Logged Out"]),
                "queue": "destek", "queueExtension": "60000", "domainUuid": DOMAIN_UUID}
    if kind == 1:
        return {"event": "members-count", "queue": "destek", "count": rng.randrange(12),
                "domainUuid": DOMAIN_UUID}
    if kind == 2:
        return {"event": "member-queue-start", "memberUUID": f"{rng.getrandbits(64):016x}",
                "cidName": "Şükrü Öztürk", "domainUuid": DOMAIN_UUID}
    return {"event": "member-queue-end", "memberUUID": f"{rng.getrandbits(64):016x}",
            "cidName": "Çiğdem Güler", "cause": "Cancel", "domainUuid": DOMAIN_UUID}


def generate(total: int, seed: int = 1) -> list[dict[str, Any]]:
    """About *total* messages, interleaving up to 8 calls at a time."""
    rng = random.Random(seed)
    pool = _number_pool(rng, 5000)
    regulars = pool[:300]
    out: list[dict[str, Any]] = []
    in_flight: list[Iterator[dict[str, Any]]] = []
    n = 0
    t0 = 1_714_550_400.0
    while len(out) < total:
        while len(in_flight) < 8:
            caller = rng.choice(regulars) if rng.random() < 0.4 else rng.choice(pool)
            in_flight.append(iter(_call_events(rng, n, caller)))
            n += 1
        if rng.random() < 0.15:
            msg = _agent_event(rng)
        else:
            i = rng.randrange(len(in_flight))
            msg = next(in_flight[i], None)  # type: ignore[arg-type]
            if msg is None:
                in_flight.pop(i)
                continue
        msg["timestamp"] = f"{t0 + len(out) * 0.05:.3f}"
        out.append(msg)
    return out


def _chunks(data: bytes) -> list[bytes]:
    return [data[i : i + READ_SIZE] for i in range(0, len(data), READ_SIZE)]


def _live_reads(messages: list[dict[str, Any]]) -> list[bytes]:
    reads = []
    for i, m in enumerate(messages):
        frame = (json.dumps(m, ensure_ascii=False) + "\n").encode()
        if i % 10 == 0:
            reads += [frame[: len(frame) // 2], frame[len(frame) // 2 :]]
        else:
            reads.append(frame)
    return reads


def run_bytes(chunks: list[bytes]) -> tuple[int, CallTracker]:
    tracker = CallTracker(OURS, DOMAIN)
    decoder = JsonStreamDecoder()
    feed = tracker.feed
    count = 0
    now = 1_714_550_400.0
    for chunk in chunks:
        now += 0.01
        for value in decoder.feed(chunk):
            feed(parse_message(value, received_at=now))
            count += 1
    return count, tracker


def run_dicts(messages: list[dict[str, Any]]) -> tuple[int, CallTracker]:
    tracker = CallTracker(OURS, DOMAIN)
    feed = tracker.feed
    now = 1_714_550_400.0
    for i, value in enumerate(messages):
        feed(parse_message(value, received_at=now + i * 0.001))
    return len(messages), tracker


def best_of(label: str, fn: Callable[[], tuple[int, CallTracker]], runs: int = 3) -> float:
    best = float("inf")
    count = 0
    tracker: CallTracker | None = None
    for _ in range(runs):
        parse_number.cache_clear()
        start = time.perf_counter()
        count, tracker = fn()
        best = min(best, time.perf_counter() - start)
    rate = count / best
    assert tracker is not None
    st = tracker.stats
    verdict = "ok" if rate >= GOAL else "BELOW GOAL"
    print(f"{label:<44} {rate:>10,.0f} events/s {best / count * 1e6:7.2f} µs/event  [{verdict}]")
    print(f"{'':<44} changes={st.changes} missed={tracker.missed_count} "
          f"active={len(tracker.active_calls())} ignored={st.ignored} dup={st.duplicates} "
          f"late={st.late} unknown={st.unknown}")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--profile", action="store_true", help="cProfile run (a) once")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    messages = generate(args.events)
    ndjson = b"".join(
        (json.dumps(m, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        for m in messages)
    packed = b"".join(json.dumps(m, ensure_ascii=False).encode() for m in messages)
    decoded = [json.loads(json.dumps(m)) for m in messages]
    calls = sum(1 for m in messages if m.get("event") == "destroy")
    print(f"{len(messages):,} messages, {calls:,} calls, NDJSON {len(ndjson) / 1e6:.1f} MB, "
          f"Python {sys.version.split()[0]}")

    if args.profile:
        parse_number.cache_clear()
        prof = cProfile.Profile()
        prof.runcall(run_bytes, _chunks(ndjson))
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        return 0

    rates = [
        best_of("(a) NDJSON bytes -> framing+parse+track", lambda: run_bytes(_chunks(ndjson))),
        best_of("(b) back-to-back bytes -> framing+parse+track",
                lambda: run_bytes(_chunks(packed))),
        best_of("(c) decoded dicts -> parse+track", lambda: run_dicts(decoded)),
    ]
    live = _live_reads(messages)
    best_of("(d) one read per message, 10% split", lambda: run_bytes(live))
    return 0 if min(rates) >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
