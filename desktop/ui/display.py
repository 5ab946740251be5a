"""Is there a screen to show the tray on?  Checked before Qt starts.

Without a display Qt's xcb plugin aborts the process with a misleading hint
("xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform
plugin"), which sent newcomers installing libraries they already had.  The
app asks first and says plainly that no display was found (exit 2).

Only X11/Wayland systems are checked: Windows and macOS always have their
window server, and a ``QT_QPA_PLATFORM`` that needs no display (``offscreen``,
``minimal``, ``vnc``...) is respected.  An X display named by ``DISPLAY`` is
also tried (``xcb_connect`` through ctypes, the library Qt itself uses), so
an unreachable server gets the same plain message.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping
from typing import Final

#: libxcb's soname (stable since 2008); ``ctypes.util.find_library`` is asked only
#: when it does not load, because it runs ``ldconfig -p`` (~5 ms of every start).
XCB_SONAME: Final = "libxcb.so.1"
#: Qt platforms that draw without a display server.
HEADLESS_PLATFORMS: Final = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def display_problem(environ: Mapping[str, str] | None = None,
                    platform: str | None = None) -> str | None:
    """None if a display can be used, else a plain sentence saying what is missing."""
    environ = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform.startswith(("win", "darwin")):
        return None
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if qpa in HEADLESS_PLATFORMS:
        return None
    display = environ.get("DISPLAY", "").strip()
    wayland = environ.get("WAYLAND_DISPLAY", "").strip()
    if qpa.startswith("wayland"):
        return None if wayland else "no Wayland display found (WAYLAND_DISPLAY is not set)"
    if not display:
        if wayland and qpa != "xcb":
            return None
        return "no display found (DISPLAY is not set)"
    if not _x_reachable(display):
        if wayland and qpa != "xcb":
            return None
        return f"no display found: cannot connect to the X display {display!r}"
    return None


def _x_reachable(display: str) -> bool:
    """Whether an X server answers on *display* (True when libxcb is not there to ask)."""
    try:
        xcb = ctypes.CDLL(XCB_SONAME)
    except OSError:
        from ctypes.util import find_library

        name = find_library("xcb")
        if not name:
            return True
        try:
            xcb = ctypes.CDLL(name)
        except OSError:
            return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)
