"""Click-to-call in the real app: tel: links clicked while it runs (second launches).

The app runs in demo mode (its embedded simulator, KobiPBX flavour); a second
``kobikom-desktop tel:…`` process hands the link over, the running app
dials it over HTTP, and the same link again moments later is not dialled
twice.  Synchronised on the app's log lines (numbers are masked there).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers.appprocess import AppProcess, program
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

HAND_OVER_TIMEOUT_S = 30


def hand_over(app: AppProcess, link: str, cwd: Path) -> None:
    done = subprocess.run([*program(), link], env=dict(app.env), cwd=cwd, capture_output=True,
                          text=True, timeout=HAND_OVER_TIMEOUT_S, check=False)
    assert done.returncode == 0, done.stderr


def test_tel_link_to_the_running_app_dials_once(launch_app, x_display: XDisplay,
                                                tmp_path: Path) -> None:
    app = launch_app("--demo")
    app.wait_for_log(r"demo simulator on http://127\.0\.0\.1:\d+")
    app.wait_for_log(r"tray shown")
    hand_over(app, "tel:+90-532-123-45-67", tmp_path)
    app.wait_for_log(r"dial \+90\*+67 from link via kobipbx: started")
    hand_over(app, "callto:+905321234567", tmp_path)  # the same number, delivered again
    app.wait_for_log(r"dial \+90\*+67 from link ignored: dialled moments ago")
    assert sum("from link via kobipbx: started" in line for line in app.lines()) == 1
    hand_over(app, "tel:0532 123 45 6", tmp_path)  # invalid: never reaches the PBX
    app.wait_for_log(r"dial request from link refused: invalid")
    assert app.running
