"""The global dial hotkey (default Ctrl+Alt+D): press it anywhere, the selected number is dialled.

:class:`GlobalHotkey` registers one key combination with the desktop
through a backend per system and emits ``activated`` on the GUI thread
when it is pressed:

* **X11** (:mod:`desktop.ui.hotkey_x11`): ``XGrabKey`` on the root window
  through python-xlib, with its own X connection watched by a
  ``QSocketNotifier`` (no thread).  Tested under Xvfb with ``xdotool``.
* **Windows** (:mod:`desktop.ui.hotkey_windows`): ``RegisterHotKey`` and
  ``WM_HOTKEY`` through a native event filter.  Written for Windows, not
  run here (no Windows on these machines).
* **macOS** (:mod:`desktop.ui.hotkey_macos`): pynput's ``GlobalHotKeys``
  (a Quartz event tap), which needs the "Input Monitoring" permission.
  Written for macOS, not run here.
* **Wayland** has no way for an application to take a global key (a grab
  through XWayland hears keys only while an X11 window has the focus): the
  hotkey reports itself unavailable there, with the reason; the tray's
  "Dial number from clipboard" does the same job.

:func:`hotkey_text` reads what to dial: on X11 the PRIMARY selection (the
text highlighted in any program), else the clipboard
(:func:`desktop.core.hotkeys.text_to_dial`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from desktop.core.hotkeys import Hotkey, HotkeyError, parse_hotkey, text_to_dial
from desktop.ui.hotkey_backend import (
    FAILED,
    NO_KEY,
    WAYLAND,
    HotkeyBackend,
    HotkeyUnavailable,
)

log = logging.getLogger("kobikom.ui.hotkey")

BackendFactory = Callable[[Callable[[], None]], HotkeyBackend]


def default_backend(on_pressed: Callable[[], None]) -> HotkeyBackend:
    """The backend for this system and Qt platform (HotkeyUnavailable if there is none)."""
    if sys.platform == "win32":
        from desktop.ui.hotkey_windows import WindowsHotkey

        return WindowsHotkey(on_pressed)
    if sys.platform == "darwin":
        from desktop.ui.hotkey_macos import MacHotkey

        return MacHotkey(on_pressed)
    if wayland_session():
        # The app runs on XWayland there (see desktop.launch), but a grab made through
        # XWayland only hears keys while an X11 window has the focus: say so, do not pretend.
        raise HotkeyUnavailable("Wayland lets no application take a global hotkey", WAYLAND)
    from desktop.ui.hotkey_x11 import X11Hotkey

    return X11Hotkey(on_pressed)


def wayland_session(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE", "") == "wayland" \
        or QGuiApplication.platformName().startswith("wayland")


class GlobalHotkey(QObject):
    """The dial hotkey, registered with the desktop.

    Signals:
        activated(): the combination was pressed (GUI thread).
        problemChanged(str, str): ``(code, English text)`` when it could not be
            registered; ``("", "")`` when it works again.
    """

    activated = Signal()
    problemChanged = Signal(str, str)

    def __init__(self, backend_factory: BackendFactory = default_backend,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = backend_factory
        self._backend: HotkeyBackend | None = None
        self.hotkey: Hotkey | None = None
        self.problem: tuple[str, str] = ("", "")

    def set_hotkey(self, text: str) -> bool:
        """Register *text* (``"Ctrl+Alt+D"``; empty: none).  False if it could not be."""
        self.stop()
        try:
            hotkey = parse_hotkey(text)
        except HotkeyError as exc:
            self._set_problem(NO_KEY, str(exc))
            return False
        if hotkey is None:
            self._set_problem("", "")
            return True
        try:
            backend = self._factory(self._pressed)
            backend.register(hotkey)
        except HotkeyUnavailable as exc:
            log.warning("the dial hotkey %s is not available: %s", hotkey, exc)
            self._set_problem(exc.code, str(exc))
            return False
        except Exception as exc:  # a platform API failing must not stop the app
            log.exception("registering the dial hotkey %s failed", hotkey)
            self._set_problem(FAILED, f"{type(exc).__name__}: {exc}")
            return False
        self._backend = backend
        self.hotkey = hotkey
        log.info("dial hotkey %s registered", hotkey)
        self._set_problem("", "")
        return True

    def stop(self) -> None:
        backend, self._backend = self._backend, None
        self.hotkey = None
        if backend is not None:
            try:
                backend.unregister()
            except Exception:
                log.exception("releasing the dial hotkey failed")

    def _pressed(self) -> None:
        log.debug("dial hotkey pressed")
        self.activated.emit()

    def _set_problem(self, code: str, text: str) -> None:
        if self.problem != (code, text):
            self.problem = (code, text)
            self.problemChanged.emit(code, text)


def hotkey_text(clipboard: QClipboard | None = None) -> tuple[str, str] | None:
    """``(text, "selection" | "clipboard")`` to dial, or None when both are empty."""
    clipboard = clipboard or QGuiApplication.clipboard()
    if clipboard is None:
        return None
    selection = (clipboard.text(QClipboard.Mode.Selection)
                 if clipboard.supportsSelection() else None)
    return text_to_dial(selection, clipboard.text(QClipboard.Mode.Clipboard))
