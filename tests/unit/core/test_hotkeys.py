"""The dial hotkey's key combinations and which text it dials."""

from __future__ import annotations

import pytest

from desktop.core.hotkeys import (
    DEFAULT_DIAL_HOTKEY,
    Hotkey,
    HotkeyError,
    check_hotkey,
    parse_hotkey,
    text_to_dial,
)


@pytest.mark.parametrize(("text", "canonical"), [
    ("Ctrl+Alt+D", "Ctrl+Alt+D"),
    ("ctrl+alt+d", "Ctrl+Alt+D"),
    (" Alt + Control + d ", "Ctrl+Alt+D"),
    ("Super+Shift+F9", "Shift+Meta+F9"),
    ("win+7", "Meta+7"),
    ("Ctrl+Shift+Space", "Ctrl+Shift+Space"),
    ("Ctrl+Alt+pgdown", "Ctrl+Alt+PageDown"),
    ("Cmd+Option+F24", "Alt+Meta+F24"),
])
def test_combinations_are_read_in_any_spelling(text: str, canonical: str) -> None:
    hotkey = parse_hotkey(text)
    assert hotkey is not None
    assert hotkey.text == canonical
    assert parse_hotkey(canonical) == hotkey


def test_the_default_is_ctrl_alt_d() -> None:
    assert parse_hotkey(DEFAULT_DIAL_HOTKEY) == Hotkey(frozenset({"Ctrl", "Alt"}), "D")


def test_empty_means_off() -> None:
    assert parse_hotkey("") is None
    assert check_hotkey("  ") == ""


@pytest.mark.parametrize(("text", "code"), [
    ("D", "weak"),
    ("Shift+D", "weak"),
    ("Ctrl+Alt+", "no-key"),
    ("Ctrl+Alt", "no-key"),
    ("Ctrl++D", "empty-part"),
    ("Hyper+D", "modifier"),
    ("Ctrl+Alt+Ş", "key"),
    ("Ctrl+Alt+F25", "key"),
    ("Ctrl+Alt+Escape", "key"),
    ("Ctrl+Alt+DD", "key"),
])
def test_unusable_combinations_say_why(text: str, code: str) -> None:
    with pytest.raises(HotkeyError) as caught:
        parse_hotkey(text)
    assert caught.value.code == code


def test_the_selection_wins_over_the_clipboard() -> None:
    assert text_to_dial(" 0532 123 45 67\n", "1001") == ("0532 123 45 67", "selection")
    assert text_to_dial("  \n", "Ara: 0212 555 12 34") == ("Ara: 0212 555 12 34", "clipboard")
    assert text_to_dial(None, "1001") == ("1001", "clipboard")
    assert text_to_dial("", "") is None
    assert text_to_dial(None, None) is None
