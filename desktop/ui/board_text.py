"""Words and small icons of the team and queue board (translated; no widgets).

The board shows mod_callcenter's agent statuses and states translated where
they are the documented values (``Available``, ``On Break``, ``Logged
Out``; ``Waiting``, ``Receiving``, ``In a queue call``, ``Idle``) and
verbatim otherwise: a value the PBX invents is still shown, as plain text.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap, QTransform

from desktop.core.team_model import ColleagueView, Presence
from desktop.ui.icons import handset_path

#: Translation context of this module's texts.
CONTEXT: Final = "Board"


def board_tr(text: str) -> str:
    """*text* translated in the board's context (``Board``)."""
    return QCoreApplication.translate(CONTEXT, text)


_tr = board_tr


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # Qt's marker name, for lupdate
    return text


_PRESENCE: Final[dict[Presence, str]] = {
    Presence.UNKNOWN: QT_TRANSLATE_NOOP("Board", "No news yet"),
    Presence.OFFLINE: QT_TRANSLATE_NOOP("Board", "Offline"),
    Presence.FREE: QT_TRANSLATE_NOOP("Board", "Free"),
    Presence.RINGING: QT_TRANSLATE_NOOP("Board", "Ringing"),
    Presence.IN_CALL: QT_TRANSLATE_NOOP("Board", "In a call"),
    Presence.ON_HOLD: QT_TRANSLATE_NOOP("Board", "On hold"),
    Presence.NOT_FOUND: QT_TRANSLATE_NOOP("Board", "Extension not found"),
}

_AGENT: Final[dict[str, str]] = {
    "available": QT_TRANSLATE_NOOP("Board", "Available"),
    "available (on demand)": QT_TRANSLATE_NOOP("Board", "Available (on demand)"),
    "on break": QT_TRANSLATE_NOOP("Board", "On break"),
    "logged out": QT_TRANSLATE_NOOP("Board", "Logged out"),
    "waiting": QT_TRANSLATE_NOOP("Board", "Waiting for a call"),
    "receiving": QT_TRANSLATE_NOOP("Board", "Being offered a call"),
    "in a queue call": QT_TRANSLATE_NOOP("Board", "In a queue call"),
    "idle": QT_TRANSLATE_NOOP("Board", "Idle"),
}

#: The state dot's colour per presence.
COLORS: Final = {
    Presence.UNKNOWN: QColor("#dadce0"),
    Presence.OFFLINE: QColor("#9aa0a6"),
    Presence.FREE: QColor("#1e8e3e"),
    Presence.RINGING: QColor("#f9ab00"),
    Presence.IN_CALL: QColor("#d93025"),
    Presence.ON_HOLD: QColor("#8430ce"),
    Presence.NOT_FOUND: QColor("#5f6368"),
}
COLOR_CALL: Final = QColor("#1e8e3e")
COLOR_TRANSFER: Final = QColor("#1a73e8")
#: Logical size of the board's small icons.
ICON_PX: Final = 14


def presence_text(presence: Presence) -> str:
    return _tr(_PRESENCE[presence])


def agent_text(value: str) -> str:
    """A mod_callcenter status or state, translated when documented; else as sent."""
    known = _AGENT.get(value.strip().casefold())
    return _tr(known) if known else value


def agent_summary(status: str, state: str) -> str:
    return " · ".join(agent_text(v) for v in (status, state) if v)


def duration_text(seconds: float) -> str:
    """``0:42``, ``12:05``, ``1:02:09``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def who_text(number: str, name: str) -> str:
    """A party as one line: the name if known, else the number."""
    return name or number


def with_tooltip(view: ColleagueView) -> str:
    """The other party in full, and which way the call goes (plain text)."""
    who = f"{view.other_name} ({view.other_number})" if view.other_name else view.other_number
    if view.outgoing:
        return QCoreApplication.translate("Board", "Calling {who}").format(who=who)
    if view.presence is Presence.RINGING:
        return QCoreApplication.translate("Board", "Call from {who}").format(who=who)
    return QCoreApplication.translate("Board", "In a call with {who}").format(who=who)


# ---------------------------------------------------------------- icons

_icons: dict[object, QIcon] = {}


def _pixmap(paint: object, ratio: float = 2.0) -> QPixmap:
    size = round(ICON_PX * ratio)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 64.0, size / 64.0)
    paint(painter)  # type: ignore[operator]
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def dot_icon(presence: Presence) -> QIcon:
    """A filled circle in the presence's colour (an outline for "no news yet")."""
    icon = _icons.get(presence)
    if icon is None:
        def paint(painter: QPainter) -> None:
            path = QPainterPath()
            path.addEllipse(QPointF(32, 32), 20, 20)
            if presence is Presence.UNKNOWN:
                painter.setPen(COLORS[presence].darker(140))
                painter.drawPath(path)
            else:
                painter.fillPath(path, COLORS[presence])

        icon = _icons[presence] = _icon(paint)
    return icon


def _icon(paint: object) -> QIcon:
    """Pixmaps at 1x and 2x: drawn once, never scaled while a table paints."""
    icon = QIcon()
    for ratio in (1.0, 2.0):
        icon.addPixmap(_pixmap(paint, ratio))
    return icon


def action_icon(kind: str) -> QIcon:
    """``"call"``: a white handset on green; ``"transfer"``: an arrow on blue."""
    icon = _icons.get(kind)
    if icon is None:
        def paint(painter: QPainter) -> None:
            disc = QPainterPath()
            disc.addEllipse(QRectF(2, 2, 60, 60))
            painter.fillPath(disc, COLOR_CALL if kind == "call" else COLOR_TRANSFER)
            if kind == "call":
                glyph = QTransform().translate(32, 32).scale(0.8, 0.8).translate(-30, -30).map(
                    handset_path())
            else:
                glyph = QPainterPath()
                glyph.addRect(QRectF(14, 27, 22, 10))
                glyph.moveTo(34, 16)
                glyph.lineTo(52, 32)
                glyph.lineTo(34, 48)
                glyph.closeSubpath()
                glyph = glyph.simplified()
            painter.fillPath(glyph, QColor("#ffffff"))

        icon = _icons[kind] = _icon(paint)
    return icon
