"""The dial-anything hotkey: its key combination, and which text it dials.

Settings (``[hotkey]``)::

    dial = "Ctrl+Alt+D"     # empty: no global hotkey

A combination is modifiers and one key joined by ``+`` (case does not
matter): modifiers ``Ctrl``, ``Alt``, ``Shift``, ``Meta`` (the Windows or
Super key; ``Super``, ``Win`` and ``Cmd`` mean the same); keys ``A``–``Z``,
``0``–``9``, ``F1``–``F24``, ``Space``, ``Insert``, ``Home``, ``End``,
``PageUp``, ``PageDown``, ``Pause``.  A global hotkey takes the key away
from every other program, so at least one of Ctrl, Alt or Meta is required
(a bare letter would make it impossible to type).

Pressing it dials the selected text (on X11 the PRIMARY selection: what is
highlighted anywhere) or, when nothing is selected, the clipboard, through
the usual dial flow (numbers found in free text, extensions, ``tel:``
links) with a confirmation that shows the number first: the selection is
invisible and may be old.  The platform backends live in
``desktop/ui/hotkey*.py``.

An "answer" or "hang up" hotkey is not offered: Kobikom's APIs cannot
answer a call on the agent's phone (no such command exists on either
service), and hanging up exists only on the Tekil WebSocket (the popup's
button).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

DEFAULT_DIAL_HOTKEY: Final = "Ctrl+Alt+D"

#: Spellings of each modifier -> its canonical name.
MODIFIERS: Final = {
    "ctrl": "Ctrl", "control": "Ctrl", "ctl": "Ctrl",
    "alt": "Alt", "option": "Alt",
    "shift": "Shift",
    "meta": "Meta", "super": "Meta", "win": "Meta", "windows": "Meta", "cmd": "Meta",
    "command": "Meta",
}
#: Canonical order in the text form.
MODIFIER_ORDER: Final = ("Ctrl", "Alt", "Shift", "Meta")
#: Named keys -> canonical name.
NAMED_KEYS: Final = {
    "space": "Space", "insert": "Insert", "ins": "Insert", "home": "Home", "end": "End",
    "pageup": "PageUp", "pgup": "PageUp", "pagedown": "PageDown", "pgdown": "PageDown",
    "pause": "Pause",
}
#: Modifiers of which a hotkey needs at least one.
STRONG_MODIFIERS: Final = frozenset({"Ctrl", "Alt", "Meta"})
_FKEY = re.compile(r"f([1-9]|1\d|2[0-4])")


class HotkeyError(ValueError):
    """A key combination cannot be used.

    The message says why in English; ``code`` and ``params`` let the UI say
    it in the agent's language.
    """

    def __init__(self, message: str, code: str = "invalid", **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Hotkey:
    """A parsed key combination."""

    modifiers: frozenset[str]
    #: ``"D"``, ``"7"``, ``"F9"``, ``"Space"``...
    key: str

    @property
    def text(self) -> str:
        """Canonical form (``Ctrl+Alt+D``): what the settings file and the UI show."""
        mods = [m for m in MODIFIER_ORDER if m in self.modifiers]
        return "+".join([*mods, self.key])

    def __str__(self) -> str:
        return self.text


def parse_hotkey(text: str) -> Hotkey | None:
    """The combination in *text*; None when empty (off); HotkeyError when unusable."""
    text = text.strip()
    if not text:
        return None
    parts = [part.strip() for part in text.split("+")]
    if text.endswith("+"):
        raise HotkeyError(f"{text!r}: write the key by name (e.g. Ctrl+Alt+D)", "no-key")
    if any(not part for part in parts):
        raise HotkeyError(f"{text!r} has an empty part", "empty-part")
    *mod_parts, key_part = parts
    modifiers: set[str] = set()
    for part in mod_parts:
        name = MODIFIERS.get(part.lower())
        if name is None:
            raise HotkeyError(f"{part!r} is not a modifier (Ctrl, Alt, Shift, Meta)",
                              "modifier", part=part)
        modifiers.add(name)
    key = _key_name(key_part)
    if key is None:
        if key_part.lower() in MODIFIERS:
            raise HotkeyError(f"{text!r} has no key after the modifiers", "no-key")
        raise HotkeyError(f"{key_part!r} is not a key that can be a hotkey "
                          "(letters, digits, F1–F24, Space, Insert, Home, End, "
                          "PageUp, PageDown, Pause)", "key", key=key_part)
    if not modifiers & STRONG_MODIFIERS:
        raise HotkeyError(f"{text!r} needs Ctrl, Alt or Meta: a global hotkey takes the key "
                          "away from every other program", "weak")
    return Hotkey(frozenset(modifiers), key)


def check_hotkey(text: str) -> str:
    """The canonical text of a combination ("" = off), or HotkeyError."""
    hotkey = parse_hotkey(text)
    return hotkey.text if hotkey is not None else ""


def _key_name(part: str) -> str | None:
    lowered = part.lower()
    if len(part) == 1 and part.isascii() and part.isalnum():
        return part.upper()
    if _FKEY.fullmatch(lowered):
        return lowered.upper()
    return NAMED_KEYS.get(lowered)


def text_to_dial(selection: str | None, clipboard: str | None) -> tuple[str, str] | None:
    """``(text, "selection" | "clipboard")``: the selection if it has text, else the clipboard.

    The text goes to the dial flow as it is (stripped): that finds the one
    number in it or says why it cannot (none, several, too long).  None when
    both are empty.
    """
    for text, origin in ((selection, "selection"), (clipboard, "clipboard")):
        stripped = (text or "").strip()
        if stripped:
            return stripped, origin
    return None
