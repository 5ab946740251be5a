"""A second launch (e.g. a clicked ``tel:`` link) hands its argument over and exits."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.appprocess import program
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

#: "Quickly": the second process only connects to a local socket and writes one line.
HAND_OVER_LIMIT_S = 10.0


def test_second_instance_hands_over(launch_app, x_display: XDisplay, tmp_path: Path) -> None:
    first = launch_app()
    first.wait_for_log(r"tray shown \(TrayController\)")
    first.wait_for_log(r"no account configured")

    env = dict(first.env)
    started = time.monotonic()
    second = subprocess.run([*program(), "--debug", "tel:+905321234567"], env=env,
                            cwd=tmp_path, capture_output=True, text=True,
                            timeout=HAND_OVER_LIMIT_S * 3, check=False)
    took = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    assert took < HAND_OVER_LIMIT_S, f"the second instance took {took:.1f} s to hand over"
    assert "another instance is running; arguments handed over" in second.stderr, second.stderr
    # The lock was the first one's: the second launch never showed a tray icon.
    assert "start icon shown" not in second.stderr, second.stderr
    first.wait_for_log(r"another instance is running; arguments handed over")
    first.wait_for_log(r"second launch handed over 1 argument\(s\)")
    assert first.running


@pytest.mark.parametrize("round_", range(3))
def test_two_launches_at_the_same_moment_make_one_instance(
        launch_app, x_display: XDisplay, tmp_path: Path, round_: int) -> None:
    """The issue: both found no server; the second took the first one's socket."""
    home = tmp_path / "home"
    first = launch_app(home=home, name="first")
    second = launch_app(home=home, name="second")  # same user, same data folder, same instant
    apps = [first, second]
    deadline = time.monotonic() + HAND_OVER_LIMIT_S * 3
    while time.monotonic() < deadline and all(app.running for app in apps):
        time.sleep(0.1)
    running = [app for app in apps if app.running]
    assert len(running) == 1, "exactly one instance must stay"
    gone = next(app for app in apps if not app.running)
    assert gone.process is not None
    assert gone.process.returncode == 0
    gone.wait_for_log(r"another instance is running; arguments handed over")
    # Both write the same log file (same data folder): one start icon, the winner's.
    assert sum("start icon shown" in line for line in gone.lines()) == 1
    running[0].wait_for_log(r"tray shown \(TrayController\)")
    running[0].wait_for_log(r"second launch handed over 0 argument\(s\)")
    assert len(x_display.find_windows(r"^Kobikom")) <= 1  # no second status window either
