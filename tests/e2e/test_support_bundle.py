"""“Save support bundle…” from the real tray menu of the real app.

The agent recorded the PBX connection (Settings › Diagnostics), a call came
in, and support asks for a bundle: right-click the tray icon, choose the
entry, save.  The zip holds the logs, the settings and the capture, and no
secret; the folder is handed to the desktop's file manager (``xdg-open``,
replaced here by a script that notes what it was asked to open).
"""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from tests.helpers.appprocess import SimulatorProcess, logged_id, write_app_settings
from tests.helpers.xserver import XDisplay

pytestmark = pytest.mark.e2e

TRAY_GEOMETRY = r"tray icon geometry: (-?\d+),(-?\d+) (\d+)x(\d+)"
SAVE_TITLE = "Save support bundle"


def fake_file_manager(folder: Path) -> tuple[Path, Path]:
    """A ``bin`` folder with an ``xdg-open`` that writes its argument to a file."""
    folder.mkdir(parents=True)
    note = folder / "opened.txt"
    script = folder / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{note}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder, note


def app_windows(x_display: XDisplay) -> int:
    """How many visible windows the app has (a menu is one, without a title)."""
    done = x_display.run_tool("xdotool", "search", "--onlyvisible", "--classname",
                              "kobikom-desktop", check=False)
    return len(done.stdout.split())


def test_tray_menu_saves_a_bundle_and_opens_its_folder(
        launch_app, simulator: SimulatorProcess, x_display: XDisplay, screenshot,
        tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = write_app_settings(home, simulator)
    with open(settings, "a", encoding="utf-8") as fh:
        fh.write("\n[capture]\nenabled = true\n")  # numbers masked: the box is not ticked
    bin_dir, opened = fake_file_manager(tmp_path / "bin")
    app = launch_app(home=home, env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    app.wait_for_log(TRAY_GEOMETRY)
    app.wait_for_log(r"bulut-tcp .*: connected, login sent")
    simulator.wait_logged_in()  # no login reply under the default (FreeSWITCH) profile
    call = simulator.ring("1001", "05321234567", hangup_after=0.5)
    app.wait_for_log(rf"call {logged_id(call)} ended")

    # Right-click the tray icon; from the bottom of the menu: Quit, then our entry.
    x, y = x_display.tray_icon_center()
    before = app_windows(x_display)
    x_display.run_tool("xdotool", "mousemove", str(x), str(y), "click", "3")
    deadline = time.monotonic() + 10
    while app_windows(x_display) <= before:  # keys sent before the menu maps are lost
        assert time.monotonic() < deadline, "the tray menu did not open"
        time.sleep(0.05)
    screenshot(x_display, "tray-menu")
    x_display.run_tool("xdotool", "key", "Up", "Up", "Return")
    (dialog,) = x_display.wait_for_windows(SAVE_TITLE, timeout=10)
    target = tmp_path / "for-support" / "bundle.zip"
    target.parent.mkdir()
    x_display.run_tool("xdotool", "windowactivate", "--sync", str(dialog))
    x_display.run_tool("xdotool", "key", "ctrl+a")
    x_display.run_tool("xdotool", "type", "--delay", "5", str(target))
    screenshot(x_display, "save-dialog")
    x_display.run_tool("xdotool", "key", "Return")

    app.wait_for_log(rf"support bundle saved: {target}")
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        content = {name: zf.read(name).decode("utf-8") for name in names}
    assert {"logs/kobikom-desktop.log", "settings.toml", "versions.json",
            "capture/pbx-capture.jsonl"} <= set(names)
    assert '"Qt (run time)"' in content["versions.json"]
    for name, text in content.items():
        assert simulator.domain_uuid not in text, name
        assert "5321234567" not in text, name
    assert '"callUUID":"' in content["capture/pbx-capture.jsonl"].replace("\\", "")
    for _ in range(100):  # the file manager is started asynchronously
        if opened.exists():
            break
        time.sleep(0.05)
    assert opened.read_text().split() == [target.parent.as_uri()]
