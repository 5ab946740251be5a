"""The dial hotkey on macOS: pynput's ``GlobalHotKeys`` (a Quartz event tap).

Written for macOS and checked only as far as Linux allows (its key
spelling is tested); it has not been run on macOS.

macOS lets an application see global key presses only with the "Input
Monitoring" permission (System Settings → Privacy & Security); without it
the listener starts but hears nothing, so the backend reports the missing
permission (pynput's ``IS_TRUSTED``) instead of pretending to work.  The
listener runs in pynput's own thread; ``on_pressed`` emits a Qt signal,
which Qt delivers on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from desktop.core.hotkeys import Hotkey
from desktop.ui.hotkey_backend import NO_BACKEND, PERMISSION, HotkeyUnavailable

log = logging.getLogger("kobikom.ui.hotkey")

#: Our modifier names -> pynput's.
PYNPUT_MODIFIERS: Final = {"Ctrl": "<ctrl>", "Alt": "<alt>", "Shift": "<shift>", "Meta": "<cmd>"}
PYNPUT_KEYS: Final = {
    "Space": "<space>", "Insert": "<insert>", "Home": "<home>", "End": "<end>",
    "PageUp": "<page_up>", "PageDown": "<page_down>", "Pause": "<pause>",
}
MODIFIER_ORDER: Final = ("Ctrl", "Alt", "Shift", "Meta")


def pynput_combination(hotkey: Hotkey) -> str:
    """``Ctrl+Alt+D`` -> ``<ctrl>+<alt>+d`` (pynput's HotKey.parse spelling)."""
    mods = [PYNPUT_MODIFIERS[m] for m in MODIFIER_ORDER if m in hotkey.modifiers]
    key = hotkey.key
    if len(key) == 1:
        name = key.lower()
    elif key.startswith("F") and key[1:].isdigit():
        name = f"<{key.lower()}>"
    else:
        name = PYNPUT_KEYS[key]
    return "+".join([*mods, name])


class MacHotkey:
    def __init__(self, on_pressed: Callable[[], None]) -> None:
        self._on_pressed = on_pressed
        self._listener: Any = None

    def register(self, hotkey: Hotkey) -> None:
        try:
            from pynput import keyboard
        except Exception as exc:  # ImportError, or pynput finding no usable backend
            raise HotkeyUnavailable(f"pynput is not usable: {exc}", NO_BACKEND) from None
        listener = keyboard.GlobalHotKeys({pynput_combination(hotkey): self._pressed})
        listener.start()
        listener.wait()
        if getattr(listener, "IS_TRUSTED", True) is False:
            listener.stop()
            raise HotkeyUnavailable(
                "macOS has not given this app the Input Monitoring permission", PERMISSION)
        self._listener = listener

    def _pressed(self) -> None:
        try:
            self._on_pressed()
        except Exception:
            log.exception("the dial hotkey's handler failed")

    def unregister(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
