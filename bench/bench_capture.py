"""Benchmark: what recording the event channel costs (desktop.pbx.capture).

Run: ``.venv/bin/python bench/bench_capture.py [--frames N]``

Two figures, best of 3:

(a) the tap on the event loop: microseconds per ``CaptureWriter.frame()``
    call (it only queues; this is what a popup could ever wait for);
(b) the writer thread: frames per second redacted (secrets always, phone
    numbers masked) and written to the rotating file, from the first frame
    queued to ``close()`` returning.

Frames are Bulut TCP reads shaped like live traffic: one ~300-byte event
per read (ringing/answered/hangup with a caller number, a Turkish name and
the domain UUID), every 10th split across two reads.  Target: (a) well
under 10 µs, (b) far above any PBX's event rate (thousands per second).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.pbx.capture import CaptureInfo, CaptureWriter
from desktop.pbx.connection import ConnectionState, Phase

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
NAMES = ("Ayşe Yılmaz", "Mehmet Öztürk", "Şükrü Çelik", "Zeynep Güneş")


def reads(count: int, rng: random.Random) -> list[bytes]:
    out: list[bytes] = []
    for n in range(count):
        event = rng.choice(("ringing", "answered", "hangup"))
        data = json.dumps({
            "event": event, "callUUID": f"{n:08x}-1d2f-4a6b-9c3d-00000000{n % 9999:04d}",
            "extension": "1001", "callerNumber": f"0532{rng.randrange(10**7):07d}",
            "calledNumber": "02242345678", "callerName": rng.choice(NAMES),
            "direction": "inbound", "domain": DOMAIN,
            "timestamp": "2026-12-06T12:49:58.575Z"}, ensure_ascii=False).encode() + b"\n"
        if n % 10 == 9:
            cut = rng.randrange(1, len(data))
            out += [data[:cut], data[cut:]]
        else:
            out.append(data)
    return out


def run(frames: list[bytes], folder: Path) -> tuple[float, float]:
    writer = CaptureWriter(folder / "cap.jsonl", CaptureInfo(flavor="bulut", transport="tcp"),
                           secrets={DOMAIN: "<domain-uuid>"}, domain_uuid=DOMAIN,
                           keep_numbers=False, max_bytes=2 * 1024 * 1024, backups=2)
    writer.state(ConnectionState(Phase.CONNECTED))
    start = time.perf_counter()
    for data in frames:
        writer.frame(data)
    tapped = time.perf_counter() - start
    writer.close()
    total = time.perf_counter() - start
    return tapped / len(frames) * 1e6, len(frames) / total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20_000)
    args = parser.parse_args()
    frames = reads(args.frames, random.Random(1))
    best_tap, best_rate = float("inf"), 0.0
    for _ in range(3):
        with tempfile.TemporaryDirectory(prefix="kobikom-bench-capture-") as folder:
            tap, rate = run(frames, Path(folder))
        best_tap, best_rate = min(best_tap, tap), max(best_rate, rate)
    print(f"frames: {len(frames)} reads ({args.frames} events)")
    print(f"(a) tap on the event loop: {best_tap:.2f} µs per frame")
    print(f"(b) writer thread: {best_rate:,.0f} frames/s redacted, masked and written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
