"""Under a real X server and window manager, a popup never takes the keyboard.

Qt's offscreen platform activates every window it shows, so the real check
needs X: Xvfb with openbox (a window manager with focus-stealing
prevention, like the desktops agents use), a child process on Qt's xcb
platform, and xdotool typing and clicking like a user.  Skipped where those
programs are not installed (``tests/run`` installs them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TOOLS = ("Xvfb", "openbox", "xdotool", "xprop")
#: Longest wait for the X server and the window manager to come up.
STARTUP_TIMEOUT_S = 15.0
#: Longest run of the child process.
CHILD_TIMEOUT_S = 60.0
CHILD = Path(__file__).with_name("x11_focus_child.py")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in TOOLS),
    reason="needs " + ", ".join(TOOLS))


def _wait(condition, what: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def x_display() -> Iterator[dict[str, str]]:
    """A fresh Xvfb display with openbox managing it; the environment to use it."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    wm = None
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not report a display"
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("QT_", "WAYLAND"))}
        env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
        wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

        def wm_ready() -> bool:
            out = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                                 capture_output=True, text=True, check=False).stdout
            return "window id" in out

        _wait(wm_ready, "openbox")
        yield env
    finally:
        for process in (wm, xvfb):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def test_popup_leaves_focus_and_typing_alone(x_display: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, str(CHILD)], env=x_display, capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["platform"] == "xcb"
    assert result["editor_focused"], result
    assert result["popup_found_by_title"], result  # xdotool/screen readers find it by number
    assert result["x_focus_after_popup"] == "editor", result
    assert result["qt_focus_is_edit"], result
    assert not result["popup_active"], result
    assert result["typed"] == "abc", result
    assert result["click_reached_button"], result  # buttons still take mouse clicks
    assert result["x_focus_after_click"] == "editor", result
    assert result["typed_after_click"] == "abcde", result
    assert result["compositing"] is False  # bare openbox: the opaque fallback is used
