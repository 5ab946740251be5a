"""What the tray and the no-tray status window say about the connection.

Both surfaces show the same words, so they are made here once.  The
connection's ``reason`` is English text from the PBX layer (and may quote a
server); it is never interpreted as markup: :func:`shell_safe` turns angle
brackets into look-alikes for the places (tray tooltips, desktop
notifications) where some platforms render HTML.
"""

from __future__ import annotations

import math
import re
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui.icons import LinkStatus

#: Longest reason shown (Windows cuts tray tooltips at 127 characters).
MAX_REASON_CHARS: Final = 80
#: From this many seconds on, the retry countdown is given in minutes.
MINUTES_FROM_SECONDS: Final = 120

def link_status(state: ConnectionState | None) -> LinkStatus:
    """The icon's connection look for *state*."""
    if state is None or state.phase is Phase.DISCONNECTED:
        return LinkStatus.DISCONNECTED
    if state.phase is Phase.CONNECTED:
        return LinkStatus.CONNECTED
    if state.phase is Phase.AUTH_FAILED:
        return LinkStatus.AUTH_FAILED
    return LinkStatus.CONNECTING


def phase_text(state: ConnectionState | None) -> str:
    """"Connected", "Connecting…", "Not connected", "Login rejected", "Disconnected"."""
    phase = state.phase if state is not None else Phase.DISCONNECTED
    if phase is Phase.CONNECTED:
        return QCoreApplication.translate("StatusText", "Connected")
    if phase is Phase.CONNECTING:
        return QCoreApplication.translate("StatusText", "Connecting…")
    if phase is Phase.RECONNECTING:
        return QCoreApplication.translate("StatusText", "Not connected")
    if phase is Phase.AUTH_FAILED:
        return QCoreApplication.translate("StatusText", "Login rejected")
    return QCoreApplication.translate("StatusText", "Disconnected")


def status_line(extension: str, state: ConnectionState | None) -> str:
    """"Extension 1001 · Connected" (just the phase when no extension is set)."""
    phase = phase_text(state)
    if not extension:
        return phase
    text = QCoreApplication.translate("StatusText", "Extension {extension} · {state}")
    return text.format(extension=extension, state=phase)


def retry_text(state: ConnectionState, now: float) -> str:
    """"retrying in 5 s" / "retrying in 3 min" / "retrying now…", counted down from *now*."""
    if state.retry_in is None:
        return ""
    remaining = state.since + state.retry_in - now
    if remaining < 1:
        return QCoreApplication.translate("StatusText", "retrying now…")
    if remaining >= MINUTES_FROM_SECONDS:
        minutes = math.ceil(remaining / 60)
        return QCoreApplication.translate("StatusText", "retrying in %n min", None, minutes)
    seconds = math.ceil(remaining)
    return QCoreApplication.translate("StatusText", "retrying in %n s", None, seconds)


# The pbx layer's reasons are English on purpose (logs, the CLI).  The shapes it
# produces (desktop/pbx/channel_setup.py describe_error/describe_close, watchdog.py) are
# translated here; what the server itself said stays verbatim in {0}.
_REASONS: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), str(template)) for pattern, template in (
        (r"^connection refused$",
         QT_TRANSLATE_NOOP("ConnectionReason", "connection refused")),
        (r"^connection timed out$",
         QT_TRANSLATE_NOOP("ConnectionReason", "connection timed out")),
        (r"^connection reset by the server$",
         QT_TRANSLATE_NOOP("ConnectionReason", "connection reset by the server")),
        (r"^connection lost$",
         QT_TRANSLATE_NOOP("ConnectionReason", "connection lost")),
        (r"^network unreachable$",
         QT_TRANSLATE_NOOP("ConnectionReason", "network unreachable")),
        (r"^server unreachable$",
         QT_TRANSLATE_NOOP("ConnectionReason", "server unreachable")),
        (r"^stopped$",
         QT_TRANSLATE_NOOP("ConnectionReason", "stopped")),
        (r"^reconnect requested$",
         QT_TRANSLATE_NOOP("ConnectionReason", "reconnect requested")),
        (r"^credentials changed$",
         QT_TRANSLATE_NOOP("ConnectionReason", "credentials changed")),
        (r"^server closed the connection$",
         QT_TRANSLATE_NOOP("ConnectionReason", "server closed the connection")),
        (r"^server closed the connection \((.*)\)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "server closed the connection ({0})")),
        (r"^login rejected: (.*)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "login rejected: {0}")),
        (r"^TLS certificate not trusted: (.*)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "TLS certificate not trusted: {0}")),
        (r"^TLS handshake failed: (.*)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "TLS handshake failed: {0}")),
        (r"^server name not found \((.*)\)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "server name not found ({0})")),
        (r"^frame larger than (.*)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "message from the server larger than {0}")),
        (r"^no data for (\S+) s \(half-open connection\?\)$",
         QT_TRANSLATE_NOOP("ConnectionReason", "no data for {0} s (the connection may be dead)")),
        (r"^the clock jumped by .*$",
         QT_TRANSLATE_NOOP("ConnectionReason", "the computer slept or its clock changed")),
        (r"^the computer was asleep for (\S+) s; reconnecting$",
         QT_TRANSLATE_NOOP("ConnectionReason",
                           "the computer was asleep for {0} s; reconnecting")),
    ))


def translate_reason(reason: str) -> str:
    """The pbx layer's English reason in the UI language (unknown shapes unchanged)."""
    for pattern, template in _REASONS:
        match = pattern.match(reason)
        if match:
            text = QCoreApplication.translate("ConnectionReason", template)
            return text.format(*match.groups())
    return reason


def reason_line(state: ConnectionState | None, now: float) -> str:
    """"connection refused; retrying in 5 s"; empty when connected or nothing to say."""
    if state is None or state.phase is Phase.CONNECTED:
        return ""
    parts = []
    if state.reason:
        reason = translate_reason(" ".join(state.reason.split()))
        if len(reason) > MAX_REASON_CHARS:
            reason = reason[:MAX_REASON_CHARS - 1] + "…"
        parts.append(reason)
    retry = retry_text(state, now)
    if retry:
        parts.append(retry)
    return "; ".join(parts)


def missed_text(missed: int) -> str:
    if missed <= 0:
        return ""
    if missed == 1:
        return QCoreApplication.translate("StatusText", "1 missed call", None, missed)
    return QCoreApplication.translate("StatusText", "%n missed calls", None, missed)


def dropped_text(dropped: int) -> str:
    """"3 messages from the PBX could not be used" (nothing when none were dropped)."""
    if dropped <= 0:
        return ""
    if dropped == 1:
        return QCoreApplication.translate(
            "StatusText", "1 message from the PBX could not be used (see the log)", None,
            dropped)
    return QCoreApplication.translate(
        "StatusText", "%n messages from the PBX could not be used (see the log)", None, dropped)


def tooltip_text(app_name: str, extension: str, state: ConnectionState | None, missed: int,
                 demo: bool, now: float, dropped: int = 0) -> str:
    """The tray tooltip: app, extension and state with the reason, missed calls, demo,
    and messages from the PBX that could not be used."""
    lines = [app_name + (" " + QCoreApplication.translate("StatusText", "(demo mode)")
                         if demo else "")]
    state_text = status_line(extension, state)
    reason = reason_line(state, now)
    lines.append(state_text + (": " + reason if reason else ""))
    if missed > 0:
        lines.append(missed_text(missed))
    if dropped > 0:
        lines.append(dropped_text(dropped))
    return shell_safe("\n".join(lines))


def shell_safe(text: str) -> str:
    """*text* that no tray host or notification server can take for markup."""
    return text.replace("<", "‹").replace(">", "›")


__all__ = [
    "dropped_text",
    "link_status",
    "missed_text",
    "phase_text",
    "reason_line",
    "retry_text",
    "shell_safe",
    "status_line",
    "tooltip_text",
]
