"""Where popups go: pure placement functions, and whether windows can be translucent.

:func:`popup_geometry` places one window in a corner of the available
area, :func:`stack_geometries` a whole stack (a new column toward the
centre when one is full); both clamp into the area, so no popup is ever
off-screen.  They take sizes and rectangles only, so they are tested
without screens.  :func:`compositing_available` tells whether a soft
shadow on a translucent window will look right.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QPoint, QRect, QSize

from desktop.core.settings import PopupCorner

#: Gap between the screen's available area and the cards (logical px).
POPUP_MARGIN: Final = 16
#: Gap between two stacked cards (logical px).
POPUP_SPACING: Final = 10


# ---------------------------------------------------------------- placement


def _clamp(rect: QRect, available: QRect) -> QRect:
    """*rect* moved (not resized) into *available*; its top-left always stays inside."""
    x = min(rect.x(), available.x() + available.width() - rect.width())
    y = min(rect.y(), available.y() + available.height() - rect.height())
    x = max(x, available.x())
    y = max(y, available.y())
    return QRect(x, y, rect.width(), rect.height())


def popup_geometry(
    available: QRect,
    size: QSize,
    corner: PopupCorner,
    offset: int = 0,
    margin: int = POPUP_MARGIN,
    *,
    column_offset: int = 0,
) -> QRect:
    """Where a window of *size* goes in *corner* of the *available* area.

    *offset* moves it vertically away from the corner (the height of the
    popups stacked before it), *column_offset* horizontally toward the
    screen's centre (for a second column).  The result is clamped into
    *available*; a window bigger than the area starts at its top-left edge
    so that its top (the caller's name and number) is always visible.
    """
    left = corner in (PopupCorner.TOP_LEFT, PopupCorner.BOTTOM_LEFT)
    top = corner in (PopupCorner.TOP_LEFT, PopupCorner.TOP_RIGHT)
    if left:
        x = available.x() + margin + column_offset
    else:
        x = available.x() + available.width() - margin - column_offset - size.width()
    if top:
        y = available.y() + margin + offset
    else:
        y = available.y() + available.height() - margin - offset - size.height()
    return _clamp(QRect(QPoint(x, y), size), available)


def stack_geometries(
    available: QRect,
    sizes: Sequence[QSize],
    corner: PopupCorner,
    margin: int = POPUP_MARGIN,
    spacing: int = POPUP_SPACING,
) -> list[QRect]:
    """Geometries of a stack of windows; the first one is nearest *corner*.

    When the next window would cross the far edge of the area, it starts a
    new column next to the previous one, toward the centre.  Everything is
    clamped into *available*, so with very many popups on a small screen the
    last columns overlap rather than leave the screen.
    """
    rects: list[QRect] = []
    usable = available.height() - 2 * margin
    offset = 0
    column_offset = 0
    column_width = 0
    for size in sizes:
        if offset > 0 and offset + size.height() > usable:
            column_offset += column_width + spacing
            offset = 0
            column_width = 0
        rects.append(popup_geometry(available, size, corner, offset, margin,
                                    column_offset=column_offset))
        offset += size.height() + spacing
        column_width = max(column_width, size.width())
    return rects


# ---------------------------------------------------------------- compositing


def compositing_available(platform_name: str) -> bool:
    """Whether translucent windows look right on this platform.

    Windows, macOS and Wayland always composite; on X11 a compositing
    manager may or may not run (it owns the ``_NET_WM_CM_Sn`` selection).
    Without one, a translucent window's transparent pixels show black, so
    the popup falls back to an opaque card with a rounded window mask.
    """
    if platform_name in ("windows", "cocoa", "offscreen") or platform_name.startswith("wayland"):
        return True
    if platform_name == "xcb":
        return _x11_compositor_running()
    return False


def _x11_compositor_running() -> bool:
    """Ask the X server whether ``_NET_WM_CM_S<screen>`` has an owner (False when unsure)."""
    try:
        libx11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    except OSError:
        return False
    libx11.XOpenDisplay.restype = ctypes.c_void_p
    libx11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    libx11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    libx11.XInternAtom.restype = ctypes.c_ulong
    libx11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    libx11.XGetSelectionOwner.restype = ctypes.c_ulong
    libx11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    libx11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = libx11.XOpenDisplay(None)
    if not display:
        return False
    try:
        screen = libx11.XDefaultScreen(display)
        atom = libx11.XInternAtom(display, b"_NET_WM_CM_S%d" % screen, 0)
        return bool(libx11.XGetSelectionOwner(display, atom))
    finally:
        libx11.XCloseDisplay(display)
