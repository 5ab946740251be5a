"""The dial hotkey on X11: ``XGrabKey`` on the root window (python-xlib).

The backend opens its own connection to the X server (``$DISPLAY``), grabs
the key with the combination's modifiers on the root window, and watches
the connection's socket with a ``QSocketNotifier``: a key press is read on
the GUI thread when it arrives, and nothing waits or polls in between.

The grab is made four times, with and without Caps Lock and Num Lock, so
that the hotkey works whatever the lock keys are.  If another program
already holds the combination, the X server answers ``BadAccess`` and the
backend says the combination is taken (the agent can choose another).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QObject, QSocketNotifier

from desktop.core.hotkeys import Hotkey
from desktop.ui.hotkey_backend import NO_BACKEND, NO_KEY, TAKEN, HotkeyUnavailable

log = logging.getLogger("kobikom.ui.hotkey")

#: Our names of keys -> X keysym names (letters and digits are their own lowercase name).
KEYSYM_NAMES: Final = {
    "Space": "space", "Insert": "Insert", "Home": "Home", "End": "End", "PageUp": "Prior",
    "PageDown": "Next", "Pause": "Pause",
}


def keysym_name(key: str) -> str:
    if len(key) == 1:
        return key.lower()
    return KEYSYM_NAMES.get(key, key)  # F1..F24 are spelled the same


class X11Hotkey(QObject):
    """One grabbed combination on the X server named by ``display`` (default ``$DISPLAY``)."""

    def __init__(self, on_pressed: Callable[[], None], *, display: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_pressed = on_pressed
        self._display_name = display
        self._display: Any = None
        self._notifier: QSocketNotifier | None = None
        self._keycode = 0
        self._modifiers = 0
        #: Modifier bits that must not matter (Caps Lock, Num Lock).
        self._ignored = 0
        self._grabs: list[int] = []
        #: Presses seen (tests, diagnostics).
        self.presses = 0

    def register(self, hotkey: Hotkey) -> None:
        try:
            from Xlib import XK, X, error
            from Xlib import display as xdisplay
        except ImportError:
            raise HotkeyUnavailable("python-xlib is not installed", NO_BACKEND) from None
        problem = ""
        try:
            display = xdisplay.Display(self._display_name)
        except Exception as exc:  # DisplayNameError, DisplayConnectionError, ...
            problem = f"cannot connect to the X server: {exc}"
        if problem:  # raised here: no chain keeps python-xlib's half-made socket alive
            raise HotkeyUnavailable(problem, NO_BACKEND)
        keysym = XK.string_to_keysym(keysym_name(hotkey.key))
        keycode = display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            display.close()
            raise HotkeyUnavailable(f"the keyboard has no {hotkey.key} key", NO_KEY)
        modifiers = 0
        for name, bit in (("Ctrl", X.ControlMask), ("Alt", X.Mod1Mask),
                          ("Shift", X.ShiftMask), ("Meta", X.Mod4Mask)):
            if name in hotkey.modifiers:
                modifiers |= bit
        num_lock = _num_lock_mask(display, XK, X)
        root = display.screen().root
        catcher = error.CatchError(error.BadAccess)
        variants = sorted({0, X.LockMask, num_lock, X.LockMask | num_lock})
        for extra in variants:
            root.grab_key(keycode, modifiers | extra, True, X.GrabModeAsync, X.GrabModeAsync,
                          onerror=catcher)
        display.sync()
        if catcher.get_error() is not None:
            for extra in variants:
                root.ungrab_key(keycode, modifiers | extra)
            display.close()
            raise HotkeyUnavailable(f"{hotkey} is already taken by another program", TAKEN)
        self._display = display
        self._keycode = keycode
        self._modifiers = modifiers
        self._ignored = X.LockMask | num_lock
        self._grabs = [modifiers | extra for extra in variants]
        notifier = QSocketNotifier(display.fileno(), QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._read)
        self._notifier = notifier
        log.debug("X11: grabbed keycode %d with modifiers %#x", keycode, modifiers)

    def _read(self) -> None:
        display = self._display
        if display is None:
            return
        from Xlib import X

        try:
            while display.pending_events():
                event = display.next_event()
                if (event.type == X.KeyPress and event.detail == self._keycode
                        and event.state & ~self._ignored & 0xFF == self._modifiers):
                    self.presses += 1
                    try:
                        self._on_pressed()
                    except Exception:
                        log.exception("the dial hotkey's handler failed")
        except Exception as exc:  # the X server went away
            log.warning("X11 hotkey connection lost: %s", type(exc).__name__)
            self._close(ungrab=False)

    def unregister(self) -> None:
        self._close(ungrab=True)

    def _close(self, *, ungrab: bool) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        display, self._display = self._display, None
        if display is None:
            return
        try:
            if ungrab:
                root = display.screen().root
                for modifiers in self._grabs:
                    root.ungrab_key(self._keycode, modifiers)
                display.sync()
            display.close()
        except Exception as exc:  # the server is gone: close our end of the socket
            log.debug("closing the X11 hotkey connection: %s", type(exc).__name__)
            sock = getattr(getattr(display, "display", None), "socket", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()


def _num_lock_mask(display: Any, XK: Any, X: Any) -> int:
    """The modifier bit Num Lock is mapped to on this server (usually Mod2)."""
    num_lock = display.keysym_to_keycode(XK.string_to_keysym("Num_Lock"))
    if not num_lock:
        return 0
    for index, keycodes in enumerate(display.get_modifier_mapping()):
        if num_lock in keycodes:
            return int(1 << index)
    return 0
