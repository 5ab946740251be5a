"""The agent-view benchmark's X watcher stamps an event when it arrives, on a real Xvfb.

Not when the watcher gets round to it: a map that arrives while the watcher
is busy with the lookups of an earlier window was stamped late (up to ~15 ms
in bench_agent_view, more often for the app's reused popup window).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from Xlib import X, display

from bench.xwatch import ARRIVED, arrival, stamp_on_arrival
from tests.helpers.xserver import XDisplay, require_programs


@pytest.fixture
def xdisplay(tmp_path: Path) -> Iterator[XDisplay]:
    require_programs("Xvfb")
    server = XDisplay(tmp_path / "x", window_manager=False, tray=False).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_map_is_stamped_when_it_arrives_not_when_it_is_handled(xdisplay: XDisplay) -> None:
    watcher = display.Display(xdisplay.display)
    client = display.Display(xdisplay.display)
    try:
        stamp_on_arrival(watcher)
        root = watcher.screen().root
        root.change_attributes(event_mask=X.SubstructureNotifyMask)
        watcher.sync()
        window = client.screen().root.create_window(0, 0, 50, 50, 0, X.CopyFromParent)
        # The watcher is busy with lookups (round trips) for 0.2 s; the window is
        # mapped in the middle of them.
        mapped_at = 0.0
        started = time.monotonic()
        while time.monotonic() - started < 0.2:
            watcher.get_input_focus()  # a round trip: it reads the events that came too
            if not mapped_at and time.monotonic() - started > 0.05:
                window.map()
                client.sync()
                mapped_at = time.monotonic()
        handled_at = time.monotonic()
        events = [watcher.next_event() for _ in range(watcher.pending_events())]
        maps = [e for e in events if e.type == X.MapNotify and e.window.id == window.id]
        assert len(maps) == 1
        stamp = arrival(maps[0])
        assert maps[0].__dict__.get(ARRIVED) == stamp
        assert mapped_at - 0.01 < stamp < mapped_at + 0.05 < handled_at - 0.05
    finally:
        client.close()
        watcher.close()


def test_an_event_without_a_stamp_is_taken_as_arriving_now() -> None:
    class Event:
        pass

    before = time.monotonic()
    assert before <= arrival(Event()) <= time.monotonic()
