"""Under a real X server and window manager, a popup never takes the keyboard.

Qt's offscreen platform activates every window it shows, so the real check
needs X: Xvfb with openbox (a window manager with focus-stealing
prevention, like the desktops agents use), a child process on Qt's xcb
platform, and xdotool typing and clicking like a user.  A missing program
fails the test with the packages to install (:func:`require_programs`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.xserver import XDisplay, require_programs

#: Longest run of the child process.
CHILD_TIMEOUT_S = 60.0
CHILD = Path(__file__).with_name("x11_focus_child.py")


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh Xvfb display with openbox managing it; the environment to use it."""
    require_programs("Xvfb", "openbox", "xdotool", "xprop")
    display = XDisplay(tmp_path / "x-focus", tray=False).start()
    try:
        yield display.env
    finally:
        display.stop()


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
    assert result["reused_same_window"], result
    assert result["reused_found_by_title"], result
    assert result["x_focus_after_reuse"] == "editor", result
    assert result["typed_after_reuse"] == "abcdefg", result
    assert result["compositing"] is False  # bare openbox: the opaque fallback is used
