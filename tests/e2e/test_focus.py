"""A caller popup must never take the keyboard from the window the agent types in.

Under openbox (real focus handling), a small Qt program with a focused line
edit stands in for the agent's CRM.  A call pops up; xdotool then types like
a user, and the text must arrive in that program, which must still be the
active window.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.appprocess import SimulatorProcess, logged_id, write_app_settings
from tests.helpers.xserver import XDisplay, stop_process

pytestmark = pytest.mark.e2e

EDITOR = Path(__file__).with_name("focus_editor.py")
#: Longest wait for the editor to report focus or typed text.
EDITOR_TIMEOUT_S = 15.0
TYPED = "kobikom 42"


class Editor:
    """The focus_editor.py process and the JSON lines it prints."""

    def __init__(self, env: dict[str, str], stderr: Path) -> None:
        with open(stderr, "wb") as err:
            self.process = subprocess.Popen([sys.executable, str(EDITOR)], env=env,
                                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=err, text=True)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.messages.put(json.loads(line))

    def wait_for(self, accept: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        seen = []
        while True:
            try:
                message = self.messages.get(timeout=EDITOR_TIMEOUT_S)
            except queue.Empty:
                raise AssertionError(f"the editor did not report it; it said {seen}") from None
            seen.append(message)
            if accept(message):
                return message

    def stop(self) -> None:
        stop_process(self.process)  # type: ignore[arg-type]
        self._reader.join(timeout=5)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def editor(x_display: XDisplay, tmp_path: Path) -> Iterator[Editor]:
    started = Editor(x_display.env, tmp_path / "editor.stderr.txt")
    try:
        yield started
    finally:
        started.stop()


def test_no_focus_steal(launch_app, simulator: SimulatorProcess, x_display: XDisplay,
                        editor: Editor, screenshot, tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_app_settings(home, simulator)
    app = launch_app(home=home)
    app.wait_for_log(r"bulut-tcp .*: connected, login sent")
    simulator.wait_logged_in()  # no login reply under the default (FreeSWITCH) profile

    window = editor.wait_for(lambda m: bool(m.get("ready")))["window"]
    assert x_display.active_window() == window, "the editor is not the active X window"

    call = simulator.ring("1001", "05321234567")
    app.wait_for_log(rf"popup shown for call {logged_id(call)}")
    x_display.wait_for_windows(r"Kobikom – \+905321234567", timeout=10)
    assert x_display.active_window() == window, "the popup took the focus"

    x_display.run_tool("xdotool", "type", "--delay", "15", TYPED)
    editor.wait_for(lambda m: m.get("text") == TYPED)
    assert x_display.active_window() == window, "the focus moved while typing"
    screenshot(x_display, "typed-under-popup")
