"""The words of the CRM, directory and hotkey features in the agent's language.

The core says why a template or a key combination is refused with a
``code`` and parameters (:class:`desktop.core.templates.TemplateError`,
:class:`desktop.core.hotkeys.HotkeyError`); the hotkey backends say why a
combination could not be taken (:mod:`desktop.ui.hotkey_backend`); the
remote directory says which source fails and why (its detail is the
server's or the network's own words, shown as they are).  This module
turns each into a translated sentence (context ``IntegrationTexts``).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.ui import hotkey_backend

#: Refused templates and key combinations, by ``code``.
ERROR_TEXTS: Final[dict[str, object]] = {
    "malformed": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "Braces do not match: write a variable as {e164}."),
    "unknown-variable": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "{name} is not a variable here. Known: {known}."),
    "format": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "Write a variable without a format, as {name}."),
    "too-long": QT_TRANSLATE_NOOP("IntegrationTexts", "The address is too long."),
    "spaces": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "The address contains spaces or line breaks."),
    "scheme": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "The address must start with http:// or https://."),
    "host": QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "Write the server's name before any variable, e.g. "
        "https://crm.example.com/?phone={e164}."),
    "ldap-scheme": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "The server must be an ldap:// or ldaps:// address."),
    "ldap-host": QT_TRANSLATE_NOOP("IntegrationTexts", "The address names no server."),
    "ldap-parentheses": QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "An LDAP filter is written in balanced parentheses, e.g. (telephoneNumber={e164})."),
    "ldap-syntax": QT_TRANSLATE_NOOP("IntegrationTexts", "This is not a valid LDAP filter."),
    "no-key": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "Write a key after the modifiers, e.g. Ctrl+Alt+D."),
    "empty-part": QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "Write the combination as modifiers and a key joined by +, e.g. Ctrl+Alt+D."),
    "modifier": QT_TRANSLATE_NOOP(
        "IntegrationTexts", "{part} is not a modifier (Ctrl, Alt, Shift, Meta)."),
    "key": QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "{key} cannot be a hotkey: use a letter, a digit, F1–F24, Space, Insert, Home, End, "
        "PageUp, PageDown or Pause."),
    "weak": QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "Use Ctrl, Alt or Meta in the combination: a global hotkey takes the key away from "
        "every other program."),
}

#: Why the dial hotkey could not be registered, by backend problem code.
HOTKEY_TEXTS: Final[dict[str, object]] = {
    hotkey_backend.TAKEN: QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "Another program already uses this key combination. Choose another one."),
    hotkey_backend.WAYLAND: QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "Wayland lets no application use a global hotkey. Use \"Dial number from "
        "clipboard\" in the tray menu instead."),
    hotkey_backend.NO_BACKEND: QT_TRANSLATE_NOOP(
        "IntegrationTexts", "Global hotkeys are not available on this desktop."),
    hotkey_backend.PERMISSION: QT_TRANSLATE_NOOP(
        "IntegrationTexts",
        "macOS has not allowed this app to watch the keyboard: allow it under System "
        "Settings › Privacy & Security › Input Monitoring."),
    hotkey_backend.NO_KEY: QT_TRANSLATE_NOOP(
        "IntegrationTexts", "This key combination cannot be used."),
    hotkey_backend.FAILED: QT_TRANSLATE_NOOP(
        "IntegrationTexts", "The hotkey could not be set up."),
}


def _tr(text: object) -> str:
    return QCoreApplication.translate("IntegrationTexts", str(text))


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def source_name(source: str) -> str:
    """"LDAP directory", "CRM lookup" for a remote source's name."""
    if source == "ldap":
        return QCoreApplication.translate("IntegrationTexts", "LDAP directory")
    if source == "http":
        return QCoreApplication.translate("IntegrationTexts", "CRM lookup")
    return source


def error_text(exc: ValueError) -> str:
    """A refused template, LDAP filter or key combination, in words."""
    code = str(getattr(exc, "code", ""))
    params: dict[str, str] = dict(getattr(exc, "params", {}))
    text = ERROR_TEXTS.get(code)
    if text is None:
        return str(exc)
    return _fill(_tr(text), {"name": "{" + params.get("name", "") + "}",
                             "known": params.get("known", ""), "part": params.get("part", ""),
                             "key": params.get("key", "")})


def hotkey_problem_text(code: str, detail: str = "") -> str:
    """Why the dial hotkey could not be registered ("" when it works)."""
    if not code:
        return ""
    text = _tr(HOTKEY_TEXTS.get(code, HOTKEY_TEXTS[hotkey_backend.FAILED]))
    return f"{text} ({detail})" if detail and code == hotkey_backend.FAILED else text


def directory_problem_text(problems: dict[str, str | None]) -> str:
    """One line per failing remote source ("" when every source answers)."""
    lines = []
    for source, detail in problems.items():
        if detail:
            line = QCoreApplication.translate("IntegrationTexts",
                                              "{source} not reachable: {detail}")
            lines.append(_fill(line, {"source": source_name(source), "detail": detail}))
    return "\n".join(lines)


__all__ = ["directory_problem_text", "error_text", "hotkey_problem_text", "source_name"]
