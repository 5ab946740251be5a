"""The dial hotkey on Windows: ``RegisterHotKey`` and ``WM_HOTKEY``.

Written for Windows and checked only as far as Linux allows (it imports,
and its key table is tested); it has not been run on Windows.

``RegisterHotKey(NULL, id, modifiers | MOD_NOREPEAT, vk)`` posts
``WM_HOTKEY`` to the registering thread's message queue (the GUI thread).
Qt's Windows event dispatcher hands every message to the native event
filters as ``"windows_dispatcher_MSG"`` (thread messages) or
``"windows_generic_MSG"``; :class:`_HotkeyFilter` picks ours out by the
message and the id.  ``ERROR_HOTKEY_ALREADY_REGISTERED`` (1409) means
another program holds the combination.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication

from desktop.core.hotkeys import Hotkey
from desktop.ui.hotkey_backend import FAILED, NO_BACKEND, TAKEN, HotkeyUnavailable

log = logging.getLogger("kobikom.ui.hotkey")

WM_HOTKEY: Final = 0x0312
MOD_ALT: Final = 0x0001
MOD_CONTROL: Final = 0x0002
MOD_SHIFT: Final = 0x0004
MOD_WIN: Final = 0x0008
MOD_NOREPEAT: Final = 0x4000
ERROR_HOTKEY_ALREADY_REGISTERED: Final = 1409
#: Our hotkey's id (any value in 0x0000-0xBFFF for an application).
HOTKEY_ID: Final = 0x4B44  # "KD"
MODIFIER_BITS: Final = {"Ctrl": MOD_CONTROL, "Alt": MOD_ALT, "Shift": MOD_SHIFT, "Meta": MOD_WIN}
#: Virtual-key codes of the named keys (letters and digits are their ASCII codes).
VIRTUAL_KEYS: Final = {
    "Space": 0x20, "PageUp": 0x21, "PageDown": 0x22, "End": 0x23, "Home": 0x24,
    "Insert": 0x2D, "Pause": 0x13,
}
_EVENT_TYPES: Final = (b"windows_generic_MSG", b"windows_dispatcher_MSG")


def virtual_key(key: str) -> int:
    if len(key) == 1:
        return ord(key.upper())
    if key.startswith("F") and key[1:].isdigit():
        return 0x70 + int(key[1:]) - 1  # VK_F1 = 0x70 ... VK_F24 = 0x87
    return VIRTUAL_KEYS[key]


def modifier_bits(hotkey: Hotkey) -> int:
    bits = MOD_NOREPEAT
    for name in hotkey.modifiers:
        bits |= MODIFIER_BITS[name]
    return bits


class _HotkeyFilter(QAbstractNativeEventFilter):
    def __init__(self, on_pressed: Callable[[], None]) -> None:
        super().__init__()
        self._on_pressed = on_pressed

    def nativeEventFilter(self, event_type: Any, message: Any) -> Any:
        name = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
        if name in _EVENT_TYPES:
            from ctypes import wintypes

            msg = wintypes.MSG.from_address(int(message))
            if msg.message == WM_HOTKEY and msg.wParam == HOTKEY_ID:
                try:
                    self._on_pressed()
                except Exception:
                    log.exception("the dial hotkey's handler failed")
                return True, 0
        return False, 0


class WindowsHotkey:
    """One combination registered with ``RegisterHotKey`` for the GUI thread."""

    def __init__(self, on_pressed: Callable[[], None]) -> None:
        self._on_pressed = on_pressed
        self._filter: _HotkeyFilter | None = None
        self._registered = False

    def register(self, hotkey: Hotkey) -> None:
        user32: Any = getattr(ctypes, "windll", None)
        if user32 is None:
            raise HotkeyUnavailable("RegisterHotKey exists only on Windows", NO_BACKEND)
        user32 = user32.user32
        app = QCoreApplication.instance()
        if app is None:
            raise HotkeyUnavailable("no Qt application", FAILED)
        if not user32.RegisterHotKey(None, HOTKEY_ID, modifier_bits(hotkey),
                                     virtual_key(hotkey.key)):
            error = int(getattr(ctypes, "GetLastError", lambda: 0)())
            if error == ERROR_HOTKEY_ALREADY_REGISTERED:
                raise HotkeyUnavailable(f"{hotkey} is already taken by another program", TAKEN)
            raise HotkeyUnavailable(f"RegisterHotKey failed (error {error})", FAILED)
        self._registered = True
        self._filter = _HotkeyFilter(self._on_pressed)
        app.installNativeEventFilter(self._filter)

    def unregister(self) -> None:
        app = QCoreApplication.instance()
        if self._filter is not None and app is not None:
            app.removeNativeEventFilter(self._filter)
        self._filter = None
        if self._registered:
            self._registered = False
            windll: Any = getattr(ctypes, "windll", None)
            if windll is not None:
                windll.user32.UnregisterHotKey(None, HOTKEY_ID)
