"""The popups' colours, and their one style sheet for the whole application.

A style sheet set on each popup cost about 1.4 ms and 225 KiB per popup
(Qt parses and keeps one per widget tree).  The popups' rules live instead
in one block of the *application's* style sheet, installed once by
:func:`install_popup_style` (again only if the palette changes it), and
scoped by object names that only popup widgets carry (``notesBox``,
``popupAction``, ``popupHangUp``).
"""

from __future__ import annotations

import re
from typing import Final

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop.core.caller_card import CallerCard, CardState

#: Accent colours by state.
COLOR_RINGING: Final = QColor("#1a73e8")
COLOR_ANSWERED: Final = QColor("#188038")
COLOR_ON_HOLD: Final = QColor("#e37400")
COLOR_MISSED: Final = QColor("#d93025")
COLOR_ENDED: Final = QColor("#80868b")
#: Colour of the action buttons (the brand blue, independent of the state).
COLOR_ACTION: Final = QColor("#1a73e8")

#: The popups' block in the application style sheet starts and ends with these.
_BEGIN: Final = "/* kobikom-popups { */"
_END: Final = "/* } kobikom-popups */"
_BLOCK: Final = re.compile(re.escape(_BEGIN) + r".*?" + re.escape(_END), re.DOTALL)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """*a* moved fraction *t* toward *b*."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def with_alpha(color: QColor, alpha: float) -> QColor:
    out = QColor(color)
    out.setAlphaF(alpha)
    return out


def accent_color(card: CallerCard) -> QColor:
    """The card's accent: blue ringing, green talking, amber held, red missed, grey ended."""
    if card.state is CardState.RINGING:
        return COLOR_RINGING
    if card.state is CardState.ANSWERED:
        return COLOR_ANSWERED
    if card.state is CardState.ON_HOLD:
        return COLOR_ON_HOLD
    if card.missed:
        return COLOR_MISSED
    return COLOR_ENDED


def _argb(color: QColor, alpha: float) -> str:
    return with_alpha(color, alpha).name(QColor.NameFormat.HexArgb)


def popup_style_sheet(palette: QPalette) -> str:
    """The popups' rules for a palette (the notes box is tinted from it)."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    tint = mix(base, text, 0.05).name()
    action, hang_up = COLOR_ACTION.name(), COLOR_MISSED.name()
    return (
        f"{_BEGIN}\n"
        f"QFrame#notesBox {{ background: {tint}; border-radius: 6px; }}\n"
        f"QPushButton#popupAction {{ color: {action}; background: transparent;"
        f" border: 1px solid {_argb(COLOR_ACTION, 0.45)}; border-radius: 6px;"
        f" padding: 3px 10px; }}\n"
        f"QPushButton#popupAction:hover {{ background: {_argb(COLOR_ACTION, 0.08)}; }}\n"
        f"QPushButton#popupAction:pressed {{ background: {_argb(COLOR_ACTION, 0.18)}; }}\n"
        f"QPushButton#popupHangUp {{ color: {hang_up}; background: transparent;"
        f" border: 1px solid {_argb(COLOR_MISSED, 0.45)}; border-radius: 6px;"
        f" padding: 3px 10px; }}\n"
        f"QPushButton#popupHangUp:hover {{ background: {_argb(COLOR_MISSED, 0.08)}; }}\n"
        f"{_END}"
    )


def install_popup_style(app: QGuiApplication | None = None) -> bool:
    """Put the popups' block into the application style sheet; True if it changed.

    Other rules of the application's style sheet are kept; the block is
    replaced in place when the palette changed, and left alone otherwise
    (setting a style sheet re-polishes every widget, so it is never done for
    nothing).
    """
    app = app if app is not None else QGuiApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        return False
    block = popup_style_sheet(app.palette())
    current = app.styleSheet()
    if _BLOCK.search(current):
        wanted = _BLOCK.sub(lambda _m: block, current)
    else:
        wanted = f"{current}\n{block}" if current else block
    if wanted == current:
        return False
    app.setStyleSheet(wanted)
    return True
