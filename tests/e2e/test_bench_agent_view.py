"""The agent-view benchmark really measures what reaches the screen, on both sides.

A tiny run (1 round, 3 calls, 300 contacts, 3 s idle) of
``bench/bench_agent_view.py`` in its own process, with its own X display:
every call of both sides must be seen as a ``MapNotify`` of that process's
window (the watcher found it, the popup went away after the close message),
every figure must be a plausible measurement, and the tray icons of both
cold starts must have been seen.  The figures themselves are not judged
here (speed goals belong to the benchmark's own output).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.xserver import require_programs

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CALLS = 3


def test_a_small_run_measures_both_sides(tmp_path: Path) -> None:
    require_programs("Xvfb", "openbox", "trayer")
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_agent_view.py"), "--rounds", "1",
         "--calls", str(CALLS), "--contacts", "300", "--idle", "3", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=REPO, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text())
    for side in ("app", "bare"):
        latency = figures["latency_ms"][side]
        assert latency["n"] == CALLS
        # write -> MapNotify: after the write, and well within the call timeout
        assert 0 < latency["p50"] <= latency["p99"] <= latency["max"] < 15_000
        screen = figures["on_screen_ms"][side]
        assert screen["p50"] >= latency["p50"]  # the frame is mapped after the window
        # clock ticks are 10 ms: the bare script's 3 calls may round to zero
        assert figures["cpu_per_call_ms"][side] >= 0
        assert figures["rss_mb"][side] > 20
        idle = figures["idle"][side]
        assert idle["seconds"] >= 3
        assert idle["cpu_percent"] >= 0
        assert 0 < figures["start_ms"][side][0] < 60_000
    assert figures["cpu_per_call_ms"]["app"] > 0
    # the bare script is the floor: it cannot need more memory than the whole app
    assert figures["rss_mb"]["bare"] < figures["rss_mb"]["app"]
    assert "popup latency, server write -> the popup window's MapNotify" in done.stdout
    assert "cold start to tray icon" in done.stdout
    # the closing table: one line per goal, each judged
    assert "=== issue 14 goals:" in done.stdout
    goals = {row["name"]: row for row in figures["goals"]}
    assert {"popup latency p50", "popup latency p99", "CPU per call",
            "cold start to tray (median)"} <= goals.keys()
    assert all(row["verdict"] in ("PASS", "FAIL") for row in goals.values())
