"""The caller popup: who is calling, shown the moment the extension rings.

:class:`CallerPopup` renders one :class:`~desktop.core.caller_card.CallerCard`
in a small frameless card that stays on top and never takes the keyboard
focus; :class:`PopupManager` keeps one popup per call id, stacks them in a
corner of the screen the mouse is on, and re-places them whenever screens
come, go or change size, so that no popup is ever off-screen.

Focus: the agent is typing somewhere else when a call rings, so a popup
must never take the keyboard.  The window is a ``Qt.Tool`` (no taskbar
entry) with ``Qt.WindowDoesNotAcceptFocus`` (X11: ``WM_HINTS.input`` false,
Windows: ``WS_EX_NOACTIVATE``; Qt itself refuses ``requestActivate()`` for
it) and ``WA_ShowWithoutActivating`` (X11: ``_NET_WM_USER_TIME`` 0).  Its
buttons take mouse clicks without focus.  ``X11BypassWindowManagerHint`` is
not used: window managers honour the hints above, and an unmanaged window
would fall behind the next window raised over it.

Everything in a card that came from outside (names, companies, notes, the
PBX's caller name, queue names) is shown with :class:`PlainTextLabel`,
which is always ``Qt.PlainText``: ``<b>x</b><img src=x>`` shows as typed.

Placement is a pure function, :func:`popup_geometry` (and
:func:`stack_geometries` for a whole stack), so it can be tested without
screens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import html
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import (
    QDateTime,
    QElapsedTimer,
    QEvent,
    QLocale,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QCloseEvent,
    QColor,
    QCursor,
    QEnterEvent,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QHelpEvent,
    QHideEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
    QResizeEvent,
    QScreen,
    QShowEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop.core.caller_card import CallerCard, CardOutcome, CardState
from desktop.core.numbers import NumberKind, PhoneNumber
from desktop.core.settings import PopupCorner, PopupSettings

log = logging.getLogger("kobikom.ui.popup")

#: Seconds an ended (not missed) call's popup stays before closing itself.
DEFAULT_AUTO_CLOSE_SECONDS: Final = 8.0
#: Width of the card in logical pixels (the window adds the shadow around it).
CARD_WIDTH: Final = 360
#: Gap between the screen's available area and the cards (logical px).
POPUP_MARGIN: Final = 16
#: Gap between two stacked cards (logical px).
POPUP_SPACING: Final = 10
#: Soft shadow around the card when the window can be translucent.
SHADOW_SIZE: Final = 8
CARD_RADIUS: Final = 10.0
ACCENT_WIDTH: Final = 4.0
#: The call timer ticks on whole seconds of talk time.
TIMER_INTERVAL_MS: Final = 1000
#: Frame interval and period of the ringing pulse.
PULSE_FRAME_MS: Final = 40
PULSE_PERIOD_MS: Final = 1400
#: Lines of notes shown before eliding (the full text is in the tooltip).
CONTACT_NOTES_MAX_LINES: Final = 3
NUMBER_NOTES_MAX_LINES: Final = 2
#: How many closed call ids are remembered so late updates do not reopen them.
CLOSED_MEMORY: Final = 256

#: Accent colours by state.
COLOR_RINGING: Final = QColor("#1a73e8")
COLOR_ANSWERED: Final = QColor("#188038")
COLOR_ON_HOLD: Final = QColor("#e37400")
COLOR_MISSED: Final = QColor("#d93025")
COLOR_ENDED: Final = QColor("#80868b")
#: Colour of the action buttons (the brand blue, independent of the state).
COLOR_ACTION: Final = QColor("#1a73e8")

#: libphonenumber types that can receive an SMS.
_SMS_TYPES: Final = frozenset({"MOBILE", "FIXED_LINE_OR_MOBILE"})


# ---------------------------------------------------------------- placement


def _clamp(rect: QRect, available: QRect) -> QRect:
    """*rect* moved (not resized) into *available*; its top-left always stays inside."""
    x = min(rect.x(), available.x() + available.width() - rect.width())
    y = min(rect.y(), available.y() + available.height() - rect.height())
    x = max(x, available.x())
    y = max(y, available.y())
    return QRect(x, y, rect.width(), rect.height())


def popup_geometry(
    available: QRect,
    size: QSize,
    corner: PopupCorner,
    offset: int = 0,
    margin: int = POPUP_MARGIN,
    *,
    column_offset: int = 0,
) -> QRect:
    """Where a window of *size* goes in *corner* of the *available* area.

    *offset* moves it vertically away from the corner (the height of the
    popups stacked before it), *column_offset* horizontally toward the
    screen's centre (for a second column).  The result is clamped into
    *available*; a window bigger than the area starts at its top-left edge
    so that its top (the caller's name and number) is always visible.
    """
    left = corner in (PopupCorner.TOP_LEFT, PopupCorner.BOTTOM_LEFT)
    top = corner in (PopupCorner.TOP_LEFT, PopupCorner.TOP_RIGHT)
    if left:
        x = available.x() + margin + column_offset
    else:
        x = available.x() + available.width() - margin - column_offset - size.width()
    if top:
        y = available.y() + margin + offset
    else:
        y = available.y() + available.height() - margin - offset - size.height()
    return _clamp(QRect(QPoint(x, y), size), available)


def stack_geometries(
    available: QRect,
    sizes: Sequence[QSize],
    corner: PopupCorner,
    margin: int = POPUP_MARGIN,
    spacing: int = POPUP_SPACING,
) -> list[QRect]:
    """Geometries of a stack of windows; the first one is nearest *corner*.

    When the next window would cross the far edge of the area, it starts a
    new column next to the previous one, toward the centre.  Everything is
    clamped into *available*, so with very many popups on a small screen the
    last columns overlap rather than leave the screen.
    """
    rects: list[QRect] = []
    usable = available.height() - 2 * margin
    offset = 0
    column_offset = 0
    column_width = 0
    for size in sizes:
        if offset > 0 and offset + size.height() > usable:
            column_offset += column_width + spacing
            offset = 0
            column_width = 0
        rects.append(popup_geometry(available, size, corner, offset, margin,
                                    column_offset=column_offset))
        offset += size.height() + spacing
        column_width = max(column_width, size.width())
    return rects


# ---------------------------------------------------------------- compositing


def compositing_available(platform_name: str) -> bool:
    """Whether translucent windows look right on this platform.

    Windows, macOS and Wayland always composite; on X11 a compositing
    manager may or may not run (it owns the ``_NET_WM_CM_Sn`` selection).
    Without one, a translucent window's transparent pixels show black, so
    the popup falls back to an opaque card with a rounded window mask.
    """
    if platform_name in ("windows", "cocoa", "offscreen") or platform_name.startswith("wayland"):
        return True
    if platform_name == "xcb":
        return _x11_compositor_running()
    return False


def _x11_compositor_running() -> bool:
    """Ask the X server whether ``_NET_WM_CM_S<screen>`` has an owner (False when unsure)."""
    try:
        libx11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    except OSError:
        return False
    libx11.XOpenDisplay.restype = ctypes.c_void_p
    libx11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    libx11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    libx11.XInternAtom.restype = ctypes.c_ulong
    libx11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    libx11.XGetSelectionOwner.restype = ctypes.c_ulong
    libx11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    libx11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = libx11.XOpenDisplay(None)
    if not display:
        return False
    try:
        screen = libx11.XDefaultScreen(display)
        atom = libx11.XInternAtom(display, b"_NET_WM_CM_S%d" % screen, 0)
        return bool(libx11.XGetSelectionOwner(display, atom))
    finally:
        libx11.XCloseDisplay(display)


# ---------------------------------------------------------------- small helpers


def rich_tooltip_for_plain(text: str) -> str:
    """A tooltip that shows *text* literally (tooltips auto-detect rich text)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def window_title_text(text: str) -> str:
    """*text* made safe for ``setWindowTitle`` (``[*]`` is Qt's modified marker)."""
    return " ".join(text.split()).replace("[*]", "[*][*]")


def format_duration(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` from one hour on."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """*a* moved fraction *t* toward *b*."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def _with_alpha(color: QColor, alpha: float) -> QColor:
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


@dataclass(frozen=True, slots=True)
class PopupActions:
    """Which optional features the popup offers buttons for (no dead buttons)."""

    call_back: bool = False
    sms: bool = False
    recording: bool = False
    #: Live-call control (Tekil WebSocket only): transfer to an extension, hang up.
    transfer: bool = False
    hangup: bool = False


# ---------------------------------------------------------------- widgets


def wrap_plain_text(text: str, font: QFont, width: float, max_lines: int) -> list[str]:
    """*text* broken into at most *max_lines* lines of *width*; the last one elided.

    Blank lines are dropped.  When the text does not fit, the last line
    holds the rest of it (following paragraphs joined by spaces) elided
    with "…".
    """
    metrics = QFontMetricsF(font)
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    width = max(1.0, width)
    lines: list[str] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    for index, paragraph in enumerate(paragraphs):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        try:
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(width)
                start, length = line.textStart(), line.textLength()
                if len(lines) == max_lines - 1:
                    rest = " ".join([paragraph[start:], *paragraphs[index + 1:]])
                    lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
                    return lines
                lines.append(paragraph[start:start + length].rstrip())
        finally:
            layout.endLayout()
    return lines


class PlainTextLabel(QLabel):
    """A label for untrusted text: always plain text, at most *max_lines* lines.

    QLabel cannot elide, and a word-wrapping QLabel grows without bound.
    This one keeps ``text()`` the full string (screen readers read it) and
    paints only the lines that fit, eliding the last; the full text is in
    the tooltip when something was cut.  ``setTextFormat`` is pinned to
    ``Qt.PlainText``: nothing here ever parses markup.
    """

    def __init__(self, max_lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        super().setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._max_lines = max(1, max_lines)
        self._cache: tuple[tuple[str, str, int], list[str]] | None = None
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        """Refuse anything but plain text (see the class docstring)."""
        if fmt is not Qt.TextFormat.PlainText:
            raise ValueError("PlainTextLabel shows untrusted text and is always Qt.PlainText")

    def lines(self, width: int | None = None) -> list[str]:
        """The lines painted at *width* (default: the current contents width)."""
        if width is None:
            width = self.contentsRect().width()
        key = (self.text(), self.font().key(), width)
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, wrap_plain_text(self.text(), self.font(), width, self._max_lines))
        return self._cache[1]

    def is_elided(self) -> bool:
        shown = " ".join(self.lines())
        return shown != " ".join(p.strip() for p in self.text().split("\n") if p.strip())

    def _line_height(self) -> float:
        return QFontMetricsF(self.font()).lineSpacing()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        count = max(1, len(self.lines(inner)))
        return math.ceil(count * self._line_height()) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(self.font())
        widest = max((metrics.horizontalAdvance(p) for p in self.text().split("\n")), default=0.0)
        margins = self.contentsMargins()
        width = math.ceil(widest) + margins.left() + margins.right()
        return QSize(width, self.heightForWidth(max(width, 1)))

    def minimumSizeHint(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(0, math.ceil(self._line_height()) + margins.top() + margins.bottom())

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            if self.is_elided():
                QToolTip.showText(event.globalPos(), rich_tooltip_for_plain(self.text()), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        metrics = QFontMetricsF(self.font())
        y = rect.top() + metrics.ascent()
        for line in self.lines(rect.width()):
            painter.drawText(QPointF(rect.left(), y), line)
            y += metrics.lineSpacing()
        painter.end()


class _CloseButton(QAbstractButton):
    """A vector-painted "×" that never takes focus."""

    SIZE: Final = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedSize(self.SIZE, self.SIZE)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)

    def sizeHint(self) -> QSize:
        return QSize(self.SIZE, self.SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = self.palette().color(QPalette.ColorRole.PlaceholderText)
        rect = QRectF(self.rect())
        if self.underMouse() or self.isDown():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_with_alpha(self.palette().color(QPalette.ColorRole.Text),
                                         0.16 if self.isDown() else 0.08))
            painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
            color = self.palette().color(QPalette.ColorRole.Text)
        pen = QPen(color, 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        inset = rect.width() * 0.34
        cross = rect.adjusted(inset, inset, -inset, -inset)
        painter.drawLine(cross.topLeft(), cross.bottomRight())
        painter.drawLine(cross.topRight(), cross.bottomLeft())
        painter.end()


class _StateDot(QWidget):
    """The state's colour as a dot; while ringing, a ring pulses out of it."""

    SIZE: Final = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(self.SIZE, self.SIZE)
        self._color = QColor(COLOR_ENDED)
        self._pulsing = False
        self._clock = QElapsedTimer()
        self._frames = QTimer(self)
        self._frames.setInterval(PULSE_FRAME_MS)
        self._frames.timeout.connect(self.update)

    def set_color(self, color: QColor) -> None:
        self._color = QColor(color)
        self.update()

    def set_pulsing(self, pulsing: bool) -> None:
        self._pulsing = pulsing
        if pulsing and self.isVisible():
            self._clock.start()
            self._frames.start()
        else:
            self._frames.stop()
        self.update()

    def is_animating(self) -> bool:
        return self._frames.isActive()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.set_pulsing(self._pulsing)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._frames.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        center = QRectF(self.rect()).center()
        core = 4.0
        if self._pulsing and self._clock.isValid():
            phase = (self._clock.elapsed() % PULSE_PERIOD_MS) / PULSE_PERIOD_MS
            radius = core + phase * (self.SIZE / 2 - core)
            painter.setBrush(_with_alpha(self._color, 0.45 * (1.0 - phase)))
            painter.drawEllipse(center, radius, radius)
        painter.setBrush(self._color)
        painter.drawEllipse(center, core, core)
        painter.end()


class CallerPopup(QWidget):
    """One call's card: who is calling, the call's state, and what to do next.

    Created and positioned by :class:`PopupManager`; :meth:`set_card`
    updates it in place as the call goes ringing -> answered -> ended.

    Signals:
        shown(str): the call id; emitted from ``showEvent`` (latency benchmark).
        closed(str, bool): the call id, and whether the user dismissed it
            (False: it closed itself after the hang-up, or the manager closed it).
        addContactRequested(object): the card, from "Add to contacts".
        callBackRequested(object): the card, from "Call back".
        smsRequested(object): the card, from "SMS".
        playRecordingRequested(object): the card, from "Play recording".
        transferRequested(object): the card, from "Transfer" (live calls).
        hangUpRequested(object): the card, from "Hang up" (live calls).
    """

    shown = Signal(str)
    closed = Signal(str, bool)
    addContactRequested = Signal(object)
    callBackRequested = Signal(object)
    smsRequested = Signal(object)
    playRecordingRequested = Signal(object)
    transferRequested = Signal(object)
    hangUpRequested = Signal(object)

    WINDOW_FLAGS: Final = (
        Qt.WindowType.Tool
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
        | Qt.WindowType.WindowDoesNotAcceptFocus
    )

    def __init__(
        self,
        card: CallerCard,
        *,
        actions: PopupActions = PopupActions(),
        auto_close_ms: int = int(DEFAULT_AUTO_CLOSE_SECONDS * 1000),
        translucent: bool = True,
        clock: Callable[[], float] = time.time,
        locale: QLocale | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, self.WINDOW_FLAGS)
        self._card = card
        self._actions = actions
        self._auto_close_ms = auto_close_ms
        self._translucent = translucent
        self._clock = clock
        self._locale = locale if locale is not None else QLocale()
        self._answered_seen_at: float | None = None
        self._first_seen_at = clock()
        self._closing = False
        self._closed_by_user = True  # a close we did not start ourselves is the user's

        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips)
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, translucent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setObjectName("callerPopup")

        self._tick = QTimer(self)
        self._tick.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick.timeout.connect(self._update_timer)
        self._auto_close = QTimer(self)
        self._auto_close.setSingleShot(True)
        self._auto_close.timeout.connect(lambda: self.dismiss(by_user=False))

        self._build()
        self._apply_palette()
        self.set_card(card)

    # -- construction ---------------------------------------------------

    def _build(self) -> None:
        shadow = SHADOW_SIZE if self._translucent else 0
        outer = QVBoxLayout(self)
        outer.setContentsMargins(shadow + int(ACCENT_WIDTH) + 14, shadow + 10,
                                 shadow + 10, shadow + 12)
        outer.setSpacing(2)

        header = QHBoxLayout()
        header.setSpacing(6)
        self.state_dot = _StateDot(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("stateLabel")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("timerLabel")
        self.timer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = _CloseButton(self)
        self.close_button.setAccessibleName(self.tr("Dismiss"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(lambda: self.dismiss(by_user=True))
        header.addWidget(self.state_dot)
        header.addWidget(self.state_label)
        header.addStretch(1)
        header.addWidget(self.timer_label)
        header.addSpacing(2)
        header.addWidget(self.close_button)
        outer.addLayout(header)
        outer.addSpacing(2)

        self.title_label = PlainTextLabel(1, self)
        self.title_label.setObjectName("titleLabel")
        self.subtitle_label = PlainTextLabel(1, self)
        self.subtitle_label.setObjectName("subtitleLabel")
        self.number_label = PlainTextLabel(1, self)
        self.number_label.setObjectName("numberLabel")
        self.caller_id_label = PlainTextLabel(1, self)
        self.caller_id_label.setObjectName("callerIdLabel")
        self.route_label = PlainTextLabel(1, self)
        self.route_label.setObjectName("routeLabel")
        self.history_label = PlainTextLabel(2, self)
        self.history_label.setObjectName("historyLabel")
        for label in (self.title_label, self.number_label, self.subtitle_label,
                      self.caller_id_label, self.route_label, self.history_label):
            outer.addWidget(label)

        self.notes_box = QFrame(self)
        self.notes_box.setObjectName("notesBox")
        notes_layout = QVBoxLayout(self.notes_box)
        notes_layout.setContentsMargins(8, 5, 8, 6)
        notes_layout.setSpacing(3)
        self.notes_label = PlainTextLabel(CONTACT_NOTES_MAX_LINES, self.notes_box)
        self.notes_label.setObjectName("notesLabel")
        self.number_notes_label = PlainTextLabel(NUMBER_NOTES_MAX_LINES, self.notes_box)
        self.number_notes_label.setObjectName("numberNotesLabel")
        notes_layout.addWidget(self.notes_label)
        notes_layout.addWidget(self.number_notes_label)
        outer.addSpacing(4)
        outer.addWidget(self.notes_box)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.setContentsMargins(0, 6, 0, 0)
        self.add_contact_button = self._action_button(
            self.tr("Add to contacts"), self.addContactRequested)
        self.call_back_button = self._action_button(self.tr("Call back"), self.callBackRequested)
        self.sms_button = self._action_button(self.tr("SMS"), self.smsRequested)
        self.recording_button = self._action_button(
            self.tr("Play recording"), self.playRecordingRequested)
        self.transfer_button = self._action_button(self.tr("Transfer"), self.transferRequested)
        self.hangup_button = self._action_button(self.tr("Hang up"), self.hangUpRequested)
        self.hangup_button.setObjectName("popupHangUp")
        for button in (self.add_contact_button, self.call_back_button, self.sms_button,
                       self.recording_button, self.transfer_button, self.hangup_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.buttons_row = QWidget(self)
        self.buttons_row.setLayout(buttons)
        outer.addWidget(self.buttons_row)

    def _action_button(self, text: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("popupAction")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: signal.emit(self._card))
        return button

    def _apply_palette(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        secondary = _mix(text, base, 0.38)
        palette.setColor(QPalette.ColorRole.Window, base)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        palette.setColor(QPalette.ColorRole.PlaceholderText, secondary)
        self.setPalette(palette)

        base_font = self.font()
        size = base_font.pointSizeF() if base_font.pointSizeF() > 0 else 10.0

        def font(scale: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
            out = QFont(base_font)
            out.setPointSizeF(size * scale)
            out.setWeight(weight)
            return out

        self.title_label.setFont(font(1.45, QFont.Weight.Bold))
        self.number_label.setFont(font(1.12, QFont.Weight.Medium))
        self.subtitle_label.setFont(font(1.0))
        for small in (self.caller_id_label, self.route_label, self.history_label):
            small.setFont(font(0.9))
        self.state_label.setFont(font(0.9, QFont.Weight.DemiBold))
        self.timer_label.setFont(font(0.9, QFont.Weight.DemiBold))
        self.notes_label.setFont(font(0.9))
        self.number_notes_label.setFont(font(0.9))
        secondary_labels: tuple[QLabel, ...] = (self.subtitle_label, self.caller_id_label,
                                                self.route_label, self.history_label,
                                                self.timer_label)
        for label in secondary_labels:
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        tint = _mix(base, text, 0.05)
        action = COLOR_ACTION.name()
        self.setStyleSheet(
            f"""
            QFrame#notesBox {{ background: {tint.name()}; border-radius: 6px; }}
            QPushButton#popupAction {{
                color: {action}; background: transparent;
                border: 1px solid {_with_alpha(COLOR_ACTION, 0.45).name(QColor.NameFormat.HexArgb)};
                border-radius: 6px; padding: 3px 10px;
            }}
            QPushButton#popupAction:hover {{
                background: {_with_alpha(COLOR_ACTION, 0.08).name(QColor.NameFormat.HexArgb)};
            }}
            QPushButton#popupAction:pressed {{
                background: {_with_alpha(COLOR_ACTION, 0.18).name(QColor.NameFormat.HexArgb)};
            }}
            QPushButton#popupHangUp {{
                color: {COLOR_MISSED.name()}; background: transparent;
                border: 1px solid {_with_alpha(COLOR_MISSED, 0.45).name(QColor.NameFormat.HexArgb)};
                border-radius: 6px; padding: 3px 10px;
            }}
            QPushButton#popupHangUp:hover {{
                background: {_with_alpha(COLOR_MISSED, 0.08).name(QColor.NameFormat.HexArgb)};
            }}
            """
        )

    # -- public API -----------------------------------------------------

    @property
    def card(self) -> CallerCard:
        return self._card

    @property
    def call_id(self) -> str:
        return self._card.call_id

    def set_actions(self, actions: PopupActions) -> None:
        self._actions = actions
        self._update_buttons()
        self.fit_height()

    def set_auto_close_ms(self, auto_close_ms: int) -> None:
        self._auto_close_ms = auto_close_ms
        self._update_auto_close()

    def set_card(self, card: CallerCard) -> None:
        """Show *card* (the same call, later state or more details)."""
        if card.call_id != self._card.call_id:
            log.debug("popup re-keyed from %s to %s", self._card.call_id, card.call_id)
        if card.state in (CardState.ANSWERED, CardState.ON_HOLD) and (
                self._answered_seen_at is None):
            self._answered_seen_at = self._clock()
        self._card = card
        self._update_texts()
        self._update_state()
        self._update_buttons()
        self._update_auto_close()
        self.fit_height()
        self.update()

    def auto_close_pending(self) -> bool:
        return self._auto_close.isActive()

    def timer_running(self) -> bool:
        return self._tick.isActive()

    def dismiss(self, *, by_user: bool) -> None:
        """Close the popup; ``closed`` tells whether the user did it."""
        if self._closing:
            return
        self._closed_by_user = by_user
        self.close()

    def fit_height(self) -> None:
        """Fix the window to the card width and the height its contents need."""
        shadow = SHADOW_SIZE if self._translucent else 0
        width = CARD_WIDTH + 2 * shadow
        layout = self.layout()
        assert layout is not None
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else (
            layout.totalSizeHint().height())
        self.setFixedSize(width, max(height, layout.totalMinimumSize().height()))
        layout.activate()  # lay the children out now, even before the first show

    def card_rect(self) -> QRectF:
        """The card inside the window (the rest is the shadow)."""
        shadow = SHADOW_SIZE if self._translucent else 0
        return QRectF(self.rect()).adjusted(shadow, shadow, -shadow, -shadow)

    # -- contents ---------------------------------------------------------

    def _who(self) -> str:
        """The caller's name, or the number as people read it."""
        card = self._card
        if card.known and card.name:
            return card.name
        return self._number_text(card.number)

    def _number_text(self, number: PhoneNumber) -> str:
        if self._card.number_not_sent and not number.raw.strip():
            return self.tr("Number not sent")
        if number.kind is NumberKind.ANONYMOUS:
            return self.tr("Withheld number")
        shown = number.display()
        return shown if shown else self.tr("Unknown caller")

    def _title_number(self) -> str:
        number = self._card.number
        if number.e164:
            return number.e164
        raw = number.raw.strip()
        if raw:
            return raw
        withheld = number.kind is NumberKind.ANONYMOUS and not self._card.number_not_sent
        return self.tr("withheld") if withheld else "?"

    def _format_when(self, at: float) -> tuple[str, str]:
        """("today" | "yesterday" | "date", text) for a wall-clock time."""
        when = QDateTime.fromSecsSinceEpoch(int(at))
        today = QDateTime.fromSecsSinceEpoch(int(self._clock())).date()
        time_text = self._locale.toString(when.time(), QLocale.FormatType.ShortFormat)
        if when.date() == today:
            return "today", time_text
        if when.date() == today.addDays(-1):
            return "yesterday", time_text
        return "date", self._locale.toString(when, QLocale.FormatType.ShortFormat)

    def _history_text(self) -> str:
        """"Called 3 times before, last on <date>" (one/other forms spelled out,
        so English reads right without a translation file)."""
        card = self._card
        count = card.previous_calls
        if count <= 0:
            return ""
        once = count == 1
        if card.last_call_at is None:
            if once:
                return self.tr("Called once before", "", count)
            return self.tr("Called %n times before", "", count)
        kind, when = self._format_when(card.last_call_at)
        if kind == "today":
            if once:
                text = self.tr("Called once before, last today at {time}", "", count)
            else:
                text = self.tr("Called %n times before, last today at {time}", "", count)
            return text.format(time=when)
        if kind == "yesterday":
            if once:
                text = self.tr("Called once before, last yesterday at {time}", "", count)
            else:
                text = self.tr("Called %n times before, last yesterday at {time}", "", count)
            return text.format(time=when)
        if once:
            text = self.tr("Called once before, last on {date}", "", count)
        else:
            text = self.tr("Called %n times before, last on {date}", "", count)
        return text.format(date=when)

    def _route_text(self) -> str:
        card = self._card
        parts = []
        if card.queue:
            parts.append(self.tr("Queue: {queue}").format(queue=card.queue))
        if card.called is not None and card.called.raw.strip():
            parts.append(self.tr("To {number}").format(number=card.called.display()))
        return " · ".join(parts)

    def _subtitle_text(self) -> str:
        card = self._card
        if card.known:
            return card.company or ""
        if card.number.kind is NumberKind.INTERNAL:
            return self.tr("Internal call")
        if card.number_not_sent and not card.number.raw.strip():
            return self.tr("The PBX did not send the caller's number")
        if card.number.kind is NumberKind.ANONYMOUS:
            return self.tr("The caller withheld the number")
        return self.tr("Unknown number")

    def _update_texts(self) -> None:
        card = self._card
        who = self._who()
        self.title_label.setText(who)
        number = self._number_text(card.number) if card.known and card.name else ""
        self.number_label.setText(number)
        self.number_label.setVisible(bool(number))
        subtitle = self._subtitle_text()
        self.subtitle_label.setText(subtitle)
        self.subtitle_label.setVisible(bool(subtitle))
        pbx_name = (card.pbx_name or "").strip()
        show_pbx_name = bool(pbx_name) and pbx_name not in (card.name, card.number.raw.strip())
        caller_id = self.tr("Caller ID name: {name}").format(name=pbx_name)
        self.caller_id_label.setText(caller_id if show_pbx_name else "")
        self.caller_id_label.setVisible(show_pbx_name)
        route = self._route_text()
        self.route_label.setText(route)
        self.route_label.setVisible(bool(route))
        history = self._history_text()
        self.history_label.setText(history)
        self.history_label.setVisible(bool(history))
        notes = (card.notes or "").strip() if card.known else ""
        number_notes = (card.number_notes or "").strip()
        self.notes_label.setText(notes)
        self.notes_label.setVisible(bool(notes))
        self.number_notes_label.setText(number_notes)
        self.number_notes_label.setVisible(bool(number_notes))
        self.notes_box.setVisible(bool(notes or number_notes))

        self.setWindowTitle(window_title_text(
            self.tr("Kobikom – {number}").format(number=self._title_number())))
        self.setAccessibleName(self._state_text() + ": " + who)
        details = [t for t in (number, subtitle, caller_id if show_pbx_name else "", route,
                               history, notes, number_notes) if t]
        self.setAccessibleDescription("\n".join(details))

    def _state_text(self) -> str:
        card = self._card
        outbound = card.direction == "outbound"
        if card.state is CardState.RINGING:
            return self.tr("Calling…") if outbound else self.tr("Incoming call")
        if card.state is CardState.ANSWERED:
            return self.tr("In call")
        if card.state is CardState.ON_HOLD:
            return self.tr("On hold")
        if card.outcome is CardOutcome.MISSED:
            return self.tr("Missed call")
        if card.outcome is CardOutcome.ANSWERED_ELSEWHERE:
            return self.tr("Answered by a colleague")
        if card.outcome is CardOutcome.NOT_ANSWERED:
            return self.tr("Not answered")
        return self.tr("Call ended")

    def _update_state(self) -> None:
        card = self._card
        accent = accent_color(card)
        self.state_label.setText(self._state_text())
        state_palette = self.state_label.palette()
        state_palette.setColor(QPalette.ColorRole.WindowText, accent.darker(115))
        self.state_label.setPalette(state_palette)
        self.state_dot.set_color(accent)
        self.state_dot.set_pulsing(card.state is CardState.RINGING)
        if card.state in (CardState.ANSWERED, CardState.ON_HOLD):
            self._update_timer()
        else:
            self._tick.stop()
            self.timer_label.setText(self._static_time_text())
        self.timer_label.setVisible(bool(self.timer_label.text()))

    def _talk_start(self) -> float | None:
        if self._card.answered_at is not None:
            return self._card.answered_at
        return self._answered_seen_at

    def _static_time_text(self) -> str:
        """Ended: the talk time; missed: when it rang; ringing: nothing."""
        card = self._card
        if card.state is not CardState.ENDED:
            return ""
        start = self._talk_start()
        if start is not None and card.outcome in (CardOutcome.ANSWERED, None,
                                                  CardOutcome.UNKNOWN):
            end = card.ended_at if card.ended_at is not None else self._clock()
            return format_duration(end - start)
        rang = card.ringing_at if card.ringing_at is not None else self._first_seen_at
        return self._locale.toString(QDateTime.fromSecsSinceEpoch(int(rang)).time(),
                                     QLocale.FormatType.ShortFormat)

    def _update_timer(self) -> None:
        start = self._talk_start()
        if start is None or self._card.state not in (CardState.ANSWERED, CardState.ON_HOLD):
            self._tick.stop()
            return
        elapsed = max(0.0, self._clock() - start)
        self.timer_label.setText(format_duration(elapsed))
        self.timer_label.setVisible(True)
        # Tick just after the next whole second of talk time, so no second is skipped.
        to_next = TIMER_INTERVAL_MS - int((elapsed * 1000) % TIMER_INTERVAL_MS) + 5
        self._tick.start(to_next)

    def _update_buttons(self) -> None:
        card = self._card
        number = card.number
        dialable = number.kind in (NumberKind.EXTERNAL, NumberKind.INTERNAL)
        self.add_contact_button.setVisible(
            not card.known and number.kind in (NumberKind.EXTERNAL, NumberKind.INTERNAL))
        self.call_back_button.setVisible(self._actions.call_back and dialable and card.ended)
        self.sms_button.setVisible(
            self._actions.sms and number.kind is NumberKind.EXTERNAL
            and number.number_type in _SMS_TYPES)
        self.recording_button.setVisible(
            self._actions.recording and bool(card.recording) and card.ended)
        # Commands need the PBX's call id: not for synthetic (ExtensionStatus-only) calls.
        live = not card.ended and not card.synthetic and bool(card.call_id)
        self.transfer_button.setVisible(self._actions.transfer and live)
        self.hangup_button.setVisible(self._actions.hangup and live)
        self.buttons_row.setVisible(any(
            not b.isHidden() for b in (self.add_contact_button, self.call_back_button,
                                       self.sms_button, self.recording_button,
                                       self.transfer_button, self.hangup_button)))

    def _update_auto_close(self) -> None:
        card = self._card
        wanted = card.ended and not card.missed and self._auto_close_ms > 0
        if not wanted:
            self._auto_close.stop()
        elif not self._auto_close.isActive() and not self.underMouse():
            self._auto_close.start(self._auto_close_ms)

    # -- events -----------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit(self._card.call_id)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def enterEvent(self, event: QEnterEvent) -> None:
        super().enterEvent(event)
        self._auto_close.stop()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        card = self._card
        if card.ended and not card.missed and self._auto_close_ms > 0:
            self._auto_close.start(self._auto_close_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self._closing = True
            self._tick.stop()
            self._auto_close.stop()
            self.state_dot.set_pulsing(False)
            self.closed.emit(self._card.call_id, self._closed_by_user)
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._in_palette_change:
            self._in_palette_change = True
            try:
                self._apply_palette()
            finally:
                self._in_palette_change = False

    _in_palette_change = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._translucent:
            # No compositor: cut the window itself to the rounded card.
            path = QPainterPath()
            path.addRoundedRect(QRectF(self.rect()), CARD_RADIUS, CARD_RADIUS)
            self.setMask(QRegion(path.toFillPolygon().toPolygon()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = self.card_rect()
        if self._translucent:
            painter.setPen(Qt.PenStyle.NoPen)
            for step in range(SHADOW_SIZE, 0, -1):
                alpha = 0.055 * (1.0 - step / (SHADOW_SIZE + 1)) ** 2
                painter.setBrush(QColor.fromRgbF(0, 0, 0, alpha))
                grown = card.adjusted(-step, -step + 2, step, step + 2)
                painter.drawRoundedRect(grown, CARD_RADIUS + step, CARD_RADIUS + step)
        path = QPainterPath()
        path.addRoundedRect(card, CARD_RADIUS, CARD_RADIUS)
        painter.fillPath(path, self.palette().color(QPalette.ColorRole.Base))
        painter.save()
        painter.setClipPath(path)
        accent = QRectF(card.left(), card.top(), ACCENT_WIDTH, card.height())
        painter.fillRect(accent, accent_color(self._card))
        painter.restore()
        border = _with_alpha(self.palette().color(QPalette.ColorRole.Text), 0.14)
        painter.setPen(QPen(border, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), CARD_RADIUS - 0.5,
                                CARD_RADIUS - 0.5)
        painter.end()


# ---------------------------------------------------------------- the manager


SettingsSource = PopupSettings | Callable[[], PopupSettings] | None


class PopupManager(QObject):
    """One popup per call, stacked in a corner of the screen the mouse is on.

    The first popup of a stack goes to the corner; later ones stack away
    from it (existing popups never move when a new call arrives, so a
    button is never pulled away from under the agent's mouse).  When a
    popup closes, the rest move up to fill the gap.  The stack stays on the
    screen it started on until it is empty; when that screen goes away or
    changes size, the stack is placed again on a screen that exists.

    Signals:
        popupShown(str): a call's popup became visible (from its showEvent).
        dismissed(str): a call's popup went away (dismissed, closed itself
            after the hang-up, or :meth:`close_all`).
        missedDismissed(str): the agent dismissed a missed call's popup.
        addContactRequested(object): the card of an unknown caller to add.
        callBackRequested(object): the card to call back.
        smsRequested(object): the card to send an SMS to.
        playRecordingRequested(object): the card whose recording to play.
        transferRequested(object): the live call's card to transfer.
        hangUpRequested(object): the live call's card to hang up.
    """

    popupShown = Signal(str)
    dismissed = Signal(str)
    missedDismissed = Signal(str)
    addContactRequested = Signal(object)
    callBackRequested = Signal(object)
    smsRequested = Signal(object)
    playRecordingRequested = Signal(object)
    transferRequested = Signal(object)
    hangUpRequested = Signal(object)

    def __init__(
        self,
        settings: SettingsSource = None,
        *,
        corner: PopupCorner | None = None,
        auto_close_seconds: float | None = None,
        app: QGuiApplication | None = None,
        cursor_pos: Callable[[], QPoint] = QCursor.pos,
        clock: Callable[[], float] = time.time,
        translucent: bool | None = None,
        locale: QLocale | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Keep popups for calls.

        Args:
            settings: the popup settings, or a callable returning the current
                ones (read on every placement, so changes apply at once).
            corner, auto_close_seconds: override the settings (tests, CLI).
            app: whose ``screenAdded``/``screenRemoved`` to follow; defaults
                to the running application, because missing these signals
                is how popups end up off-screen.
            cursor_pos: where the mouse is (picks the screen).
            clock: wall-clock time (the call timer, "today at").
            translucent: soft shadow on a translucent window; None detects
                whether a compositor runs (:func:`compositing_available`).
            locale: for dates and times; default: the default QLocale.
        """
        super().__init__(parent)
        self._settings = settings
        self._corner = corner
        self._auto_close_seconds = auto_close_seconds
        self._cursor_pos = cursor_pos
        self._clock = clock
        if translucent is None:
            translucent = compositing_available(QGuiApplication.platformName())
        self._translucent = translucent
        self._locale = locale
        self._actions = PopupActions()
        self._popups: dict[str, CallerPopup] = {}
        self._closed: OrderedDict[str, CardState] = OrderedDict()
        self._last_card: CallerCard | None = None
        self._screen: QScreen | None = None

        self._reflow_timer = QTimer(self)
        self._reflow_timer.setSingleShot(True)
        self._reflow_timer.setInterval(0)
        self._reflow_timer.timeout.connect(lambda: self.reflow())

        gui_app = app if app is not None else QGuiApplication.instance()
        if isinstance(gui_app, QGuiApplication):
            gui_app.screenAdded.connect(self._on_screen_added)
            gui_app.screenRemoved.connect(self._on_screen_removed)
            gui_app.primaryScreenChanged.connect(self._schedule_reflow)
        for screen in QGuiApplication.screens():
            self._watch_screen(screen)

    # -- settings ---------------------------------------------------------

    def _current_settings(self) -> PopupSettings:
        if callable(self._settings):
            return self._settings()
        return self._settings if self._settings is not None else PopupSettings()

    def corner(self) -> PopupCorner:
        return self._corner if self._corner is not None else self._current_settings().corner

    def auto_close_ms(self) -> int:
        seconds = self._auto_close_seconds
        if seconds is None:
            seconds = self._current_settings().auto_close_seconds
        return max(0, round(seconds * 1000))

    def set_actions(self, call_back: bool | None = None, sms: bool | None = None,
                    recording: bool | None = None, transfer: bool | None = None,
                    hangup: bool | None = None) -> None:
        """Which optional buttons popups offer (features that are wired up).

        A flag left as None keeps its current value, so each feature can switch
        on its own button without knowing about the others.  ``transfer`` and
        ``hangup`` only make sense while the live channel takes call commands.
        """
        old = self._actions
        self._actions = PopupActions(
            call_back=old.call_back if call_back is None else call_back,
            sms=old.sms if sms is None else sms,
            recording=old.recording if recording is None else recording,
            transfer=old.transfer if transfer is None else transfer,
            hangup=old.hangup if hangup is None else hangup)
        for popup in self._popups.values():
            popup.set_actions(self._actions)
        self._schedule_reflow()

    # -- popups -----------------------------------------------------------

    def show_card(self, card: CallerCard, *, replaces: str | None = None,
                  force: bool = False) -> CallerPopup | None:
        """Show or update the popup of ``card.call_id``; return it (None: not shown).

        *replaces* is a call id whose popup now belongs to this call (a
        synthetic call merged into the real one): that popup is updated
        instead of a second one appearing.  A call whose popup was closed is
        not shown again by later updates, unless it rings anew after it had
        ended, or *force* (the agent asked for it).  With popups disabled in
        the settings only *force* shows anything.
        """
        self._last_card = card
        call_id = card.call_id
        if replaces is not None and replaces != call_id and replaces in self._popups:
            if call_id in self._popups:
                self._popups.pop(replaces).dismiss(by_user=False)
            else:
                self._popups = {
                    (call_id if key == replaces else key): popup
                    for key, popup in self._popups.items()
                }
        popup = self._popups.get(call_id)
        if popup is not None:
            popup.set_card(card)
            self.reflow()
            return popup
        if not force:
            if not self._current_settings().enabled:
                return None
            closed_state = self._closed.get(call_id)
            reopens = card.state is CardState.RINGING and closed_state is CardState.ENDED
            if closed_state is not None and not reopens:
                self._closed[call_id] = card.state  # so a later new ring is recognised
                return None
        self._closed.pop(call_id, None)
        popup = CallerPopup(
            card,
            actions=self._actions,
            auto_close_ms=self.auto_close_ms(),
            translucent=self._translucent,
            clock=self._clock,
            locale=self._locale,
        )
        popup.shown.connect(self.popupShown)
        popup.closed.connect(self._on_popup_closed)
        popup.addContactRequested.connect(self.addContactRequested)
        popup.callBackRequested.connect(self.callBackRequested)
        popup.smsRequested.connect(self.smsRequested)
        popup.playRecordingRequested.connect(self.playRecordingRequested)
        popup.transferRequested.connect(self.transferRequested)
        popup.hangUpRequested.connect(self.hangUpRequested)
        self._popups[call_id] = popup
        self.reflow()
        popup.show()
        return popup

    def popup(self, call_id: str) -> CallerPopup | None:
        return self._popups.get(call_id)

    def popups(self) -> list[CallerPopup]:
        """Open popups in stack order (the first is nearest the corner)."""
        return list(self._popups.values())

    def last_card(self) -> CallerCard | None:
        """The newest card shown (for "show the last popup again")."""
        return self._last_card

    def show_last(self) -> bool:
        """Show the newest card again, even if its popup was closed."""
        if self._last_card is None:
            return False
        return self.show_card(self._last_card, force=True) is not None

    def dismiss(self, call_id: str) -> None:
        """Close one call's popup (not counted as the agent's dismissal)."""
        popup = self._popups.get(call_id)
        if popup is not None:
            popup.dismiss(by_user=False)

    def close_all(self) -> None:
        for popup in list(self._popups.values()):
            popup.dismiss(by_user=False)

    def _on_popup_closed(self, call_id: str, by_user: bool) -> None:
        popup = self._popups.get(call_id)
        if popup is None:
            # Re-keyed or replaced: find it by identity.
            for key, candidate in self._popups.items():
                if candidate is self.sender():
                    call_id, popup = key, candidate
                    break
        if popup is None:
            return
        del self._popups[call_id]
        card = popup.card
        self._closed[call_id] = card.state
        self._closed.move_to_end(call_id)
        while len(self._closed) > CLOSED_MEMORY:
            self._closed.popitem(last=False)
        if not self._popups:
            self._screen = None
        self.reflow()
        self.dismissed.emit(call_id)
        if by_user and card.missed:
            self.missedDismissed.emit(call_id)

    # -- placement --------------------------------------------------------

    def _target_screen(self) -> QScreen | None:
        screens = QGuiApplication.screens()
        if self._screen is not None and self._screen in screens:
            return self._screen
        screen = QGuiApplication.screenAt(self._cursor_pos()) or QGuiApplication.primaryScreen()
        self._screen = screen
        return screen

    def available_geometry(self) -> QRect | None:
        """The area the stack lives in (None: no screen at all)."""
        screen = self._target_screen()
        return screen.availableGeometry() if screen is not None else None

    def reflow(self, available: QRect | None = None) -> None:
        """Place every popup again (in *available*, default: the stack's screen)."""
        self._reflow_timer.stop()
        if not self._popups:
            return
        if available is None:
            available = self.available_geometry()
        if available is None or available.isEmpty():
            return
        shadow = SHADOW_SIZE if self._translucent else 0
        popups = list(self._popups.values())
        rects = stack_geometries(
            available,
            [p.size() for p in popups],
            self.corner(),
            margin=max(0, POPUP_MARGIN - shadow),
            spacing=max(0, POPUP_SPACING - 2 * shadow),
        )
        for popup, rect in zip(popups, rects, strict=True):
            if popup.geometry() != rect:
                popup.setGeometry(rect)

    def _schedule_reflow(self, *_args: object) -> None:
        self._reflow_timer.start()

    def _watch_screen(self, screen: QScreen) -> None:
        screen.availableGeometryChanged.connect(self._schedule_reflow)
        screen.geometryChanged.connect(self._schedule_reflow)

    def _on_screen_added(self, screen: QScreen) -> None:
        self._watch_screen(screen)
        self._schedule_reflow()

    def _on_screen_removed(self, screen: QScreen) -> None:
        if screen is self._screen:
            log.info("the screen with the popups went away; placing them again")
            self._screen = None
        self._schedule_reflow()
