"""A real X display for end-to-end tests: Xvfb, a window manager and a tray host.

:class:`XDisplay` starts, in order:

* ``Xvfb`` on a display number it picks itself (``-displayfd``: the server
  writes the number to a pipe once it accepts connections, so there is no
  guessing and no race with another test run);
* ``openbox``, a light window manager with the focus-stealing prevention of
  real desktops (ready when it owns the ``WM_S0`` selection);
* ``trayer``, an XEmbed system-tray host (ready when it owns
  ``_NET_SYSTEM_TRAY_S0``, which is exactly what Qt checks for
  ``QSystemTrayIcon.isSystemTrayAvailable()``).

Selection ownership has no notification without XFixes, so readiness is
checked with ``XGetSelectionOwner`` (libX11 through ctypes) every
``READY_POLL_S``; everything else is event-driven.  :meth:`XDisplay.stop`
terminates the three processes (SIGTERM, then SIGKILL).

:func:`require_programs` makes a missing system program a test *failure*
naming the Debian packages to install, unless ``KOBIKOM_ALLOW_SKIP_E2E=1``
turns it into a skip: CI can never pass by silently skipping.

The ``xdotool``/``import`` wrappers at the end find windows by title, read
their geometry and take screenshots.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

#: Which Debian package provides each program we run (``tests/run`` installs them).
DEBIAN_PACKAGES: Final = {
    "Xvfb": "xvfb",
    "openbox": "openbox",
    "trayer": "trayer",
    "xdotool": "xdotool",
    "import": "imagemagick",
    "xprop": "x11-utils",
    "xwininfo": "x11-utils",
    "dbus-daemon": "dbus",
    "gnome-keyring-daemon": "gnome-keyring",
    "slapd": "slapd",
    "xclip": "xclip",
}
#: ``KOBIKOM_ALLOW_SKIP_E2E=1``: skip instead of failing when a program is missing.
ALLOW_SKIP_ENV: Final = "KOBIKOM_ALLOW_SKIP_E2E"

#: Longest wait for Xvfb, the window manager or the tray host to come up.
STARTUP_TIMEOUT_S: Final = 20.0
#: Interval of the selection-owner check (no X event tells us about it).
READY_POLL_S: Final = 0.02
#: How long a process may take to exit after SIGTERM before it is killed.
STOP_TIMEOUT_S: Final = 5.0
#: Longest run of one xdotool/import call.
TOOL_TIMEOUT_S: Final = 20.0
SCREEN_SIZE: Final = (1280, 800)
#: The tray host's panel: a strip at the top right of the screen.
TRAYER_ARGS: Final = ("--edge", "top", "--align", "right", "--widthtype", "pixel",
                      "--width", "200", "--heighttype", "pixel", "--height", "28",
                      "--SetDockType", "true", "--SetPartialStrut", "true")


class XStartError(RuntimeError):
    """A part of the X display did not come up (the message says which and why)."""


def require_programs(*names: str) -> None:
    """Fail (or, with ``KOBIKOM_ALLOW_SKIP_E2E=1``, skip) unless every program exists."""
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    packages = " ".join(sorted({DEBIAN_PACKAGES.get(name, name) for name in missing}))
    message = (f"missing program(s): {', '.join(missing)}. Install them with "
               f"`sudo apt-get install -y {packages}` (tests/run does this); set "
               f"{ALLOW_SKIP_ENV}=1 to skip these tests instead")
    if os.environ.get(ALLOW_SKIP_ENV) == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def child_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The test runner's environment minus everything that ties a child to *our* desktop.

    Qt settings of the GUI tests (offscreen platform), Wayland, the session
    bus (children must never reach the developer's real keyring or tray) and
    the session manager are removed.
    """
    env = dict(os.environ if base is None else base)
    for key in list(env):
        if key.startswith(("QT_", "WAYLAND_")) or key in {
                "DISPLAY", "XAUTHORITY", "XDG_SESSION_TYPE", "DBUS_SESSION_BUS_ADDRESS",
                "SESSION_MANAGER", "DESKTOP_SESSION", "XDG_CURRENT_DESKTOP",
                "PYTHON_KEYRING_BACKEND"}:
            del env[key]
    return env


def stop_process(process: subprocess.Popen[bytes] | None,
                 timeout: float = STOP_TIMEOUT_S) -> int | None:
    """SIGTERM, wait, then SIGKILL; returns the exit status (None if never started)."""
    if process is None:
        return None
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
    return process.returncode


class _Xlib:
    """Just enough libX11 to ask who owns a selection."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("X11") or "libX11.so.6"
        lib = ctypes.CDLL(name)
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        lib.XInternAtom.restype = ctypes.c_ulong
        lib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        lib.XGetSelectionOwner.restype = ctypes.c_ulong
        lib.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.lib = lib

    def wait_for_owner(self, display: str, selection: str, timeout: float,
                       alive: subprocess.Popen[bytes]) -> None:
        dpy = self.lib.XOpenDisplay(display.encode())
        if not dpy:
            raise XStartError(f"cannot open X display {display}")
        try:
            atom = self.lib.XInternAtom(dpy, selection.encode(), 0)
            deadline = time.monotonic() + timeout
            while self.lib.XGetSelectionOwner(dpy, atom) == 0:
                if alive.poll() is not None:
                    raise XStartError(f"{alive.args[0]} exited with status {alive.returncode} "
                                      f"before owning {selection}")
                if time.monotonic() > deadline:
                    raise XStartError(f"nobody owns {selection} on {display} after {timeout:.0f} s")
                time.sleep(READY_POLL_S)
        finally:
            self.lib.XCloseDisplay(dpy)


@dataclass(frozen=True)
class Geometry:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    def inside(self, width: int, height: int) -> bool:
        return self.x >= 0 and self.y >= 0 and self.right <= width and self.bottom <= height

    def overlaps(self, other: Geometry) -> bool:
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)


class XDisplay:
    """Xvfb (+ openbox, + trayer); see the module docstring.

    ``env`` is the environment for child processes: ``DISPLAY``, Qt's xcb
    platform and a private ``XDG_RUNTIME_DIR``.
    """

    def __init__(self, workdir: Path, *, window_manager: bool = True, tray: bool = True,
                 size: tuple[int, int] = SCREEN_SIZE) -> None:
        self.workdir = workdir
        self.window_manager = window_manager
        self.tray = tray
        self.size = size
        self.display = ""
        self.env: dict[str, str] = {}
        self._processes: list[subprocess.Popen[bytes]] = []

    def __repr__(self) -> str:
        parts = ["Xvfb", "openbox" if self.window_manager else "", "trayer" if self.tray else ""]
        return f"<XDisplay {self.display or '(not started)'} {'+'.join(p for p in parts if p)}>"

    def start(self) -> XDisplay:
        self.workdir.mkdir(parents=True, exist_ok=True)
        runtime = self.workdir / "xdg-runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        try:
            self._start_xvfb()
            self.env = child_environment()
            self.env.update(DISPLAY=self.display, QT_QPA_PLATFORM="xcb",
                            XDG_RUNTIME_DIR=str(runtime), XDG_SESSION_TYPE="x11")
            xlib = _Xlib()
            if self.window_manager:
                wm = self._spawn("openbox", "--sm-disable")
                xlib.wait_for_owner(self.display, "WM_S0", STARTUP_TIMEOUT_S, wm)
            if self.tray:
                tray = self._spawn("trayer", *TRAYER_ARGS)
                xlib.wait_for_owner(self.display, "_NET_SYSTEM_TRAY_S0", STARTUP_TIMEOUT_S, tray)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_xvfb(self) -> None:
        read_fd, write_fd = os.pipe()
        width, height = self.size
        log = open(self.workdir / "Xvfb.log", "wb")  # noqa: SIM115 - closed below
        try:
            xvfb = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=log, stderr=subprocess.STDOUT)
        finally:
            os.close(write_fd)
            log.close()
        self._processes.append(xvfb)
        with os.fdopen(read_fd) as pipe:
            ready, _, _ = select.select([pipe], [], [], STARTUP_TIMEOUT_S)
            number = pipe.readline().strip() if ready else ""
        if not number:
            raise XStartError(f"Xvfb reported no display within {STARTUP_TIMEOUT_S:.0f} s "
                              f"(see {self.workdir / 'Xvfb.log'})")
        self.display = f":{number}"

    def _spawn(self, *argv: str) -> subprocess.Popen[bytes]:
        with open(self.workdir / f"{argv[0]}.log", "wb") as log:
            process = subprocess.Popen(list(argv), env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self._processes.append(process)
        return process

    def stop(self) -> None:
        """Stop trayer, openbox and Xvfb (in that order)."""
        for process in reversed(self._processes):
            stop_process(process)
        self._processes.clear()

    # -- windows ----------------------------------------------------------------

    def run_tool(self, *argv: str, check: bool = True,
                 timeout: float = TOOL_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(argv), env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed ({done.returncode}): "
                                 f"{done.stderr.strip()}")
        return done

    def find_windows(self, name_regex: str) -> list[int]:
        """Visible windows whose title matches *name_regex* (xdotool's POSIX regex)."""
        done = self.run_tool("xdotool", "search", "--onlyvisible", "--name", name_regex,
                             check=False)
        return [int(line) for line in done.stdout.split()]

    def wait_for_windows(self, name_regex: str, timeout: float, count: int = 1) -> list[int]:
        """Block until at least *count* visible windows match (``xdotool search --sync``)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                done = subprocess.run(
                    ["xdotool", "search", "--sync", "--onlyvisible", "--name", name_regex],
                    env=self.env, capture_output=True, text=True, timeout=max(0.1, left),
                    check=False)
            except subprocess.TimeoutExpired:
                done = None
            found = [int(line) for line in done.stdout.split()] if done is not None else []
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(f"no {count} visible window(s) named /{name_regex}/ after "
                                     f"{timeout:.0f} s (found {len(found)}); windows: "
                                     f"{self.window_names()}")

    def window_name(self, window: int) -> str:
        return self.run_tool("xdotool", "getwindowname", str(window)).stdout.rstrip("\n")

    def window_names(self) -> list[str]:
        """Titles of every visible named window (for failure messages)."""
        names = []
        for window in self.find_windows("."):
            with contextlib.suppress(AssertionError):
                names.append(self.window_name(window))
        return names

    def window_geometry(self, window: int) -> Geometry:
        out = self.run_tool("xdotool", "getwindowgeometry", "--shell", str(window)).stdout
        values = dict(re.findall(r"^(\w+)=(-?\d+)$", out, re.MULTILINE))
        return Geometry(int(values["X"]), int(values["Y"]), int(values["WIDTH"]),
                        int(values["HEIGHT"]))

    def tray_icon_center(self, classname: str = "kobikom-desktop",
                         timeout: float = 10.0) -> tuple[int, int]:
        """Where the app's icon sits in the tray, once the tray host has embedded it.

        (The geometry an app logs at start may still be the unembedded 0,0 on a
        busy machine, and a click there lands on the window manager's root menu.)
        """
        deadline = time.monotonic() + timeout
        while True:
            done = self.run_tool("xdotool", "search", "--onlyvisible", "--classname",
                                 classname, check=False)
            for window in map(int, done.stdout.split()):
                with contextlib.suppress(AssertionError, KeyError):
                    g = self.window_geometry(window)
                    if g.width <= 64 and g.height <= 64 and (g.x, g.y) != (0, 0):
                        return g.x + g.width // 2, g.y + g.height // 2
            assert time.monotonic() < deadline, f"no embedded {classname} tray icon"
            time.sleep(0.1)

    def active_window(self) -> int | None:
        done = self.run_tool("xdotool", "getactivewindow", check=False)
        return int(done.stdout) if done.returncode == 0 and done.stdout.strip() else None

    def screenshot(self, path: Path) -> Path:
        """The whole screen as PNG (imagemagick ``import -window root``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.run_tool("import", "-window", "root", str(path))
        return path
