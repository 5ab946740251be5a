"""What every dial-hotkey backend offers (:mod:`desktop.ui.hotkey`), and how it fails."""

from __future__ import annotations

from typing import Final, Protocol

from desktop.core.hotkeys import Hotkey

#: Problem codes (:attr:`HotkeyUnavailable.code`); the UI words each one.
TAKEN: Final = "taken"
NO_BACKEND: Final = "no-backend"
WAYLAND: Final = "wayland"
NO_KEY: Final = "no-key"
PERMISSION: Final = "permission"
FAILED: Final = "failed"


class HotkeyUnavailable(Exception):
    """The combination cannot be registered (``code`` says why; the message in English)."""

    def __init__(self, message: str, code: str = FAILED) -> None:
        super().__init__(message)
        self.code = code


class HotkeyBackend(Protocol):
    """One system's way of taking a global key combination."""

    def register(self, hotkey: Hotkey) -> None:
        """Take *hotkey* (HotkeyUnavailable if it cannot); calls ``on_pressed`` when pressed."""

    def unregister(self) -> None: ...
