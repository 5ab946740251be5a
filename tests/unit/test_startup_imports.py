"""The tray app's start imports only what the tray needs (issue 14: a fast cold start).

Checked in a fresh interpreter each (``sys.modules`` of the test run is full):
the command line deciding to start the app, and ``desktop.launch`` (which
shows the tray), must not have imported the HTTP/WebSocket clients,
libphonenumber, QtMultimedia, the simulator's aiohttp or the rest of the app:
those come after the tray is shown (``desktop.launch.LATE_MODULES``).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Imported only after the tray is shown.
LATE = ("httpx", "websockets", "phonenumbers", "aiohttp", "PySide6.QtMultimedia",
        "keyring", "desktop.app", "desktop.ui.popup", "desktop.pbx.rest",
        "desktop.pbx.channels", "desktop.core.directory", "desktop.core.journal",
        "desktop.simulator", "desktop.cli.contacts", "desktop.cli.sms",
        # asyncio alone is ~20 ms of a cold start (its event loop, ssl, concurrent.futures)
        "asyncio", "qasync")


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("code", [
    "import desktop.launch",
    # what the console script does for `kobikom-desktop --demo`, up to the launch
    "import desktop.cli as c; assert c._is_app_launch(['--demo']); import desktop.launch",
    "import desktop.cli as c; assert c._is_app_launch([])",
])
def test_the_tray_path_imports_nothing_heavy(code: str) -> None:
    modules = loaded_after(code)
    assert not {m for m in LATE if m in modules}


def test_every_late_module_exists_and_the_app_is_last() -> None:
    from desktop.launch import LATE_MODULES

    modules = loaded_after("import importlib, desktop.launch as l\n"
                           "for m in l.LATE_MODULES: importlib.import_module(m)")
    assert set(LATE_MODULES) <= modules
    assert LATE_MODULES[-1] == "desktop.app"
    assert {"httpx", "websockets", "phonenumbers"} <= modules


def test_sub_commands_are_still_found() -> None:
    from desktop.cli import _is_app_launch

    assert not _is_app_launch(["contacts", "import", "x.csv"])
    assert not _is_app_launch(["--help"])
    assert not _is_app_launch(["--version"])
    assert _is_app_launch(["tel:+905321234567"])
    assert _is_app_launch(["05321234567"])
    assert _is_app_launch(["--debug", "--demo"])


def test_what_the_start_made_is_frozen_out_of_the_collectors_sight() -> None:
    """A full collection walked every module and Qt wrapper of the app in the middle
    of a ring (60 ms measured, issue 14): the launch freezes them (fresh interpreter)."""
    probe = ("import gc, json, desktop.launch as l\n"
             "before = gc.get_freeze_count()\n"
             "l.freeze_long_lived()\n"
             "print(json.dumps([before, gc.get_freeze_count(), len(gc.get_objects(2))]))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    before, frozen, oldest = json.loads(done.stdout.splitlines()[-1])
    assert before == 0
    assert frozen > 10_000  # the modules' functions, classes, constants...
    assert oldest < frozen / 10  # the oldest generation a full collection walks: nearly empty
