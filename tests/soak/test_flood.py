"""Soak: a flood of calls against the real app on a real X display (issue 11).

The installed ``kobikom-desktop`` runs as the agent runs it (Qt's xcb
platform on Xvfb, openbox, trayer as the tray host, its own home folder),
against ``kobikom-desktop simulator`` (Bulut, TCP) on loopback:

1. 2,000 ringing+hangup pairs for the agent's extension in 2 s
   (``POST /_sim/flood``: each call hangs up unanswered as soon as it rang);
2. the app must fall back to idle CPU within 10 s of the flood's end;
3. then 30 missed calls spread over a minute (each rings 1 s, then the
   caller hangs up: each pops up while it rings);
4. then one normal ring, which must pop up.

Throughout, a watcher thread samples every 0.2 s: the app's popup windows
on the X display (``xdotool search --onlyvisible``, titles "Kobikom – …"),
its RSS and its CPU time.  The app's own log gives the exact number of call
popups open at any moment ("popup shown/closed for call …").

It asserts: at most 4 popup windows on screen at any time (3 call popups
and the missed-calls card); exactly one missed-calls card, reading 2,030;
the normal ring's popup on screen; all 2,031 calls in the journal; peak RSS
(``VmHWM``) under 250 MB; idle CPU within 10 s; SIGTERM exits (status 0,
orderly) within 2 s with the popups up; nothing logged at ERROR.  The
timeline is printed (``-s``) and screenshots are saved under
``test-artifacts/``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import psutil
import pytest

from desktop.core.journal import Journal
from tests.helpers.appprocess import AppProcess, SimulatorProcess, write_app_settings
from tests.helpers.xserver import XDisplay, child_environment, require_programs

pytestmark = pytest.mark.soak

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
EXTENSION: Final = "1001"
FLOOD_CALLS: Final = 2000
FLOOD_SECONDS: Final = 2.0
LATER_MISSED: Final = 30
LATER_OVER_S: Final = 60.0
#: How long each of the later missed calls rings before the caller gives up.
LATER_RING_S: Final = 1.0
NORMAL_CALLER: Final = "05321234567"
NORMAL_TITLE: Final = r"Kobikom – \+905321234567"
POPUP_TITLES: Final = r"^Kobikom – "
MISSED_TITLE: Final = r"missed calls"

# The acceptance bounds of issue 11.
MAX_WINDOWS: Final = 4
RSS_LIMIT_MB: Final = 250.0
IDLE_WITHIN_S: Final = 10.0
QUIT_WITHIN_S: Final = 2.0
#: "Idle": below this share of one core over IDLE_WINDOW_S (the app idles near 0 %;
#: the margin is for a loaded 2-core CI machine).
IDLE_CPU_PERCENT: Final = 5.0
IDLE_WINDOW_S: Final = 1.0
SAMPLE_EVERY_S: Final = 0.2
#: Longest wait for the app to sum up the flood on the card.
CATCH_UP_S: Final = 60.0


@dataclass(frozen=True)
class Sample:
    t: float  # monotonic
    windows: int
    rss_mb: float
    cpu_s: float


class Watcher(threading.Thread):
    """Samples the app's popup windows, RSS and CPU time (see the module docstring)."""

    def __init__(self, display: XDisplay, pid: int) -> None:
        super().__init__(name="soak-watcher", daemon=True)
        self.display = display
        self.process = psutil.Process(pid)
        self.samples: list[Sample] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                times = self.process.cpu_times()
                rss = self.process.memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                return
            windows = len(self.display.find_windows(POPUP_TITLES))
            self.samples.append(Sample(time.monotonic(), windows, rss, times.user + times.system))
            self._halt.wait(SAMPLE_EVERY_S)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)

    def idle_at(self, since: float) -> float | None:
        """The first time after *since* that starts IDLE_WINDOW_S of idle CPU."""
        samples = [s for s in self.samples if s.t >= since]
        for i, first in enumerate(samples):
            for later in samples[i + 1:]:
                if later.t - first.t >= IDLE_WINDOW_S:
                    share = (later.cpu_s - first.cpu_s) / (later.t - first.t) * 100
                    if share < IDLE_CPU_PERCENT:
                        return first.t
                    break
        return None

    def table(self, t0: float, every: float = 2.0) -> str:
        lines = ["     t  windows   rss MB   cpu %"]
        last: Sample | None = None
        for sample in self.samples:
            if last is not None and sample.t - last.t < every:
                continue
            cpu = 0.0 if last is None else (sample.cpu_s - last.cpu_s) / (sample.t - last.t) * 100
            lines.append(f"{sample.t - t0:6.1f} {sample.windows:8d} {sample.rss_mb:8.1f} "
                         f"{cpu:7.1f}")
            last = sample
        return "\n".join(lines)


def open_call_popups(lines: list[str]) -> int:
    """The most call popups the app had open at once, from its log."""
    shown = re.compile(r"popup shown for call (\S+)")
    closed = re.compile(r"popup closed for call (\S+)")
    open_now: set[str] = set()
    # "shown" is logged by a queued slot after the show, so a popup shown and closed
    # within one turn of the event loop (a flood) logs its close first: that close
    # cancels the "shown" that follows.
    closed_first: set[str] = set()
    most = 0
    for line in lines:
        if found := shown.search(line):
            call_id = found.group(1)
            if call_id in closed_first:
                closed_first.discard(call_id)
                continue
            open_now.add(call_id)
            most = max(most, len(open_now))
        elif found := closed.search(line):
            call_id = found.group(1)
            if call_id in open_now:
                open_now.discard(call_id)
            else:
                closed_first.add(call_id)
    return most


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    assert found, status
    return int(found.group(1)) / 1024


@pytest.fixture
def display(tmp_path: Path) -> Iterator[XDisplay]:
    require_programs("Xvfb", "openbox", "trayer", "xdotool", "import")
    x = XDisplay(tmp_path / "x").start()
    try:
        yield x
    finally:
        x.stop()


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SimulatorProcess]:
    sim = SimulatorProcess(tmp_path / "simulator", child_environment()).start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.mark.timeout(600)
def test_flood_then_missed_calls_then_a_ring(display: XDisplay, simulator: SimulatorProcess,
                                            tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_app_settings(home, simulator, auto_close_seconds=2, extension=EXTENSION)
    app = AppProcess(home, display.env, name="soak-app")
    app.args = []  # no --debug: the agent's app logs INFO, and so does this one
    app.start()
    watcher: Watcher | None = None
    try:
        app.wait_for_log(r"tray shown \(TrayController\)")
        app.wait_for_log(r"connected, login sent")
        simulator.wait_logged_in()  # no login reply under the default (FreeSWITCH) profile
        app.wait_for_log(r"tray icon geometry")
        app.wait_for_log(rf"popup windows made ahead: {MAX_WINDOWS}")
        assert app.process is not None
        pid = app.process.pid
        watcher = Watcher(display, pid)
        watcher.start()
        t0 = time.monotonic()

        # 1. The flood.
        flood = simulator.post("flood", {"extension": EXTENSION, "count": FLOOD_CALLS,
                                         "seconds": FLOOD_SECONDS, "hangup_after": 0.0})
        flood_end = time.monotonic()
        flood_ids: list[str] = flood["call_ids"]
        assert len(set(flood_ids)) == FLOOD_CALLS
        display.screenshot(ARTIFACTS / "soak-flood-1-after-flood.png")
        display.wait_for_windows(rf"Kobikom – 2[,.]?000 {MISSED_TITLE}", timeout=CATCH_UP_S)
        caught_up = time.monotonic()
        display.screenshot(ARTIFACTS / "soak-flood-2-caught-up.png")

        # 2. Back to idle.
        deadline = flood_end + IDLE_WITHIN_S + 2 * IDLE_WINDOW_S
        while time.monotonic() < deadline and watcher.idle_at(flood_end) is None:
            time.sleep(SAMPLE_EVERY_S)
        idle_at = watcher.idle_at(flood_end)

        # 3. Thirty missed calls over a minute, each popping up while it rings.
        later_ids = []
        start = time.monotonic()
        for n in range(LATER_MISSED):
            time.sleep(max(0.0, start + n * LATER_OVER_S / LATER_MISSED - time.monotonic()))
            later_ids.append(simulator.ring(EXTENSION, f"0533{1000000 + n:07d}",
                                            hangup_after=LATER_RING_S))
        display.wait_for_windows(rf"Kobikom – 2[,.]?030 {MISSED_TITLE}", timeout=CATCH_UP_S)

        # 4. One normal ring: it pops up.
        normal = simulator.ring(EXTENSION, NORMAL_CALLER)
        display.wait_for_windows(NORMAL_TITLE, timeout=10)
        time.sleep(3 * SAMPLE_EVERY_S)
        display.screenshot(ARTIFACTS / "soak-flood-3-ring-after-the-flood.png")
        cards = display.find_windows(MISSED_TITLE)
        card_titles = [display.window_name(w) for w in cards]
        windows_at_end = display.find_windows(POPUP_TITLES)
        peak = peak_rss_mb(pid)

        # SIGTERM with the popups up.
        watcher.stop()
        asked = time.monotonic()
        app.process.terminate()
        code = app.process.wait(timeout=30)
        quit_s = time.monotonic() - asked
    finally:
        if watcher is not None:
            watcher.stop()
        app.stop()

    lines = app.lines()
    most_windows = max(s.windows for s in watcher.samples)
    most_popups = open_call_popups(lines)
    max_rss = max(s.rss_mb for s in watcher.samples)
    idle_after = None if idle_at is None else idle_at - flood_end
    journal = Journal(home / "data" / "journal.sqlite3")
    try:
        all_ids = [*flood_ids, *later_ids, normal]
        missing = [call_id for call_id in all_ids if journal.get(call_id) is None]
    finally:
        journal.close()
    report = (
        f"\n{watcher.table(t0)}\n"
        f"flood sent in {flood['seconds']:.2f} s; the card read 2,000 "
        f"{caught_up - flood_end:.1f} s after the flood's end; idle "
        f"{'never' if idle_after is None else f'{idle_after:.1f} s'} after it\n"
        f"windows on screen at most {most_windows} (sampled), call popups open at most "
        f"{most_popups} (log); at the end {len(windows_at_end)} windows, cards {card_titles}\n"
        f"RSS max sampled {max_rss:.0f} MB, peak (VmHWM) {peak:.0f} MB; "
        f"SIGTERM -> exit {code} in {quit_s:.2f} s; journal missing {len(missing)}")
    print(report)

    assert most_windows <= MAX_WINDOWS, report
    assert most_popups <= MAX_WINDOWS - 1, report
    assert len(cards) == 1, report
    assert re.search(r"2[,.]?030 missed calls", card_titles[0]), report
    assert len(windows_at_end) == 2, report  # the card and the normal ring
    assert missing == [], f"{missing[:5]}…\n{report}"
    assert peak < RSS_LIMIT_MB, report
    assert idle_after is not None, report
    assert idle_after <= IDLE_WITHIN_S, report
    assert code == 0, report
    assert quit_s < QUIT_WITHIN_S, report
    assert any("kobikom.app: stopped" in line for line in lines), report
    assert app.problems() == [], "\n".join(app.problems())
