"""The window every popup card is: on top, frameless, never taking the focus.

:class:`PopupWindow` is the base of the caller popup
(:mod:`desktop.ui.popup_widget`) and of the missed-calls card
(:mod:`desktop.ui.missed_card`).  It owns what they share: the window
flags, the card painted with its accent stripe (and a soft shadow when a
compositor runs), the header with the state dot and the close button, and
the bookkeeping the manager needs: *hovered* (the mouse is on it: pause,
do not move it) and *framePainted* (the first paint after the window was
shown or refilled: it is on screen, so the tray may repaint now).

Focus: the agent is typing somewhere else when a call rings, so a popup
must never take the keyboard.  The window is a ``Qt.Tool`` (no taskbar
entry) with ``Qt.WindowDoesNotAcceptFocus`` (X11: ``WM_HINTS.input`` false,
Windows: ``WS_EX_NOACTIVATE``; Qt itself refuses ``requestActivate()`` for
it) and ``WA_ShowWithoutActivating`` (X11: ``_NET_WM_USER_TIME`` 0).  Its
buttons take mouse clicks without focus.  ``X11BypassWindowManagerHint`` is
not used: window managers honour the hints above, and an unmanaged window
would fall behind the next window raised over it.

The windows are made once and reused (hidden, never closed: a closed
window loses its native window in Qt 6): a ring only fills in text and shows.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QEnterEvent,
    QFont,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.ui.popup_style import COLOR_ENDED, install_popup_style, mix, with_alpha

#: The popups' window icon, in pixels: one small size (see :func:`popup_icon`).
POPUP_ICON_PX: Final = 16
#: Width of the card in logical pixels (the window adds the shadow around it).
CARD_WIDTH: Final = 360
#: Soft shadow around the card when the window can be translucent.
SHADOW_SIZE: Final = 8
CARD_RADIUS: Final = 10.0
ACCENT_WIDTH: Final = 4.0
#: Frame interval and period of the ringing pulse (10 frames a second at most).
PULSE_FRAME_MS: Final = 100
PULSE_PERIOD_MS: Final = 1400


class CloseButton(QAbstractButton):
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
            painter.setBrush(with_alpha(self.palette().color(QPalette.ColorRole.Text),
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


class StateDot(QWidget):
    """The state's colour as a dot; while ringing *and on screen*, a ring pulses out of it."""

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
        if color != self._color:
            self._color = QColor(color)
            self.update()

    def set_pulsing(self, pulsing: bool) -> None:
        self._pulsing = pulsing
        if pulsing and self.isVisible():
            if not self._frames.isActive():
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
            painter.setBrush(with_alpha(self._color, 0.45 * (1.0 - phase)))
            painter.drawEllipse(center, radius, radius)
        painter.setBrush(self._color)
        painter.drawEllipse(center, core, core)
        painter.end()


def popup_icon() -> QIcon:
    """The application's icon at :data:`POPUP_ICON_PX` only (null without one).

    A frameless tool window shows no icon, yet the window manager reads the
    window's whole ``_NET_WM_ICON`` each time it maps it, and Qt fills that
    with the application icon (an SVG) at 16, 32, 64 and 128 px: ~87 KB
    copied and converted on the way of every popup to the screen (issue 14).
    """
    app_icon = QGuiApplication.windowIcon()
    if app_icon.isNull():
        return QIcon()
    return QIcon(app_icon.pixmap(POPUP_ICON_PX, POPUP_ICON_PX))


class PopupWindow(QWidget):
    """A popup card window; see the module docstring.

    Subclasses build their contents under :meth:`header` and react to
    :meth:`_closed_now` (the window closed: by the agent or by the app).

    Signals:
        hovered(bool): the mouse entered (True) or left (False) the card.
        framePainted(): the first paint since the window was shown or refilled.
    """

    hovered = Signal(bool)
    framePainted = Signal()

    WINDOW_FLAGS: Final = (
        Qt.WindowType.Tool
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
        | Qt.WindowType.WindowDoesNotAcceptFocus
    )

    def __init__(self, *, translucent: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent, self.WINDOW_FLAGS)
        self._translucent = translucent
        self._accent = QColor(COLOR_ENDED)
        self._closing = False
        self._closed_by_user = True  # a close we did not start ourselves is the user's
        self._frame_due = False
        self._in_palette_change = False
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_AlwaysShowToolTips)
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, translucent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        icon = popup_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)

    # -- building -------------------------------------------------------------------

    def outer_layout(self) -> QVBoxLayout:
        shadow = self.shadow()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(shadow + int(ACCENT_WIDTH) + 14, shadow + 10,
                                 shadow + 10, shadow + 12)
        outer.setSpacing(2)
        return outer

    def header(self, outer: QVBoxLayout) -> None:
        """The state dot and text, a time on the right, and the close button."""
        header = QHBoxLayout()
        header.setSpacing(6)
        self.state_dot = StateDot(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("stateLabel")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("timerLabel")
        self.timer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.close_button = CloseButton(self)
        dismiss = QCoreApplication.translate("PopupWindow", "Dismiss")
        self.close_button.setAccessibleName(dismiss)
        self.close_button.setToolTip(dismiss)
        self.close_button.clicked.connect(lambda: self.dismiss(by_user=True))
        header.addWidget(self.state_dot)
        header.addWidget(self.state_label)
        header.addStretch(1)
        header.addWidget(self.timer_label)
        header.addSpacing(2)
        header.addWidget(self.close_button)
        outer.addLayout(header)
        outer.addSpacing(2)

    def apply_palette(self) -> None:
        """Colours and fonts from the palette (again when it changes)."""
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        palette.setColor(QPalette.ColorRole.Window, base)
        palette.setColor(QPalette.ColorRole.WindowText, text)
        palette.setColor(QPalette.ColorRole.PlaceholderText, mix(text, base, 0.38))
        self.setPalette(palette)
        self.state_label.setFont(self.scaled_font(0.9, QFont.Weight.DemiBold))
        self.timer_label.setFont(self.scaled_font(0.9, QFont.Weight.DemiBold))
        self.timer_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        install_popup_style()

    def scaled_font(self, scale: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        base_font = self.font()
        size = base_font.pointSizeF() if base_font.pointSizeF() > 0 else 10.0
        out = QFont(base_font)
        out.setPointSizeF(size * scale)
        out.setWeight(weight)
        return out

    def set_accent(self, color: QColor, state_text: str) -> None:
        """The accent stripe, the state dot and the state line."""
        self.state_label.setText(state_text)
        if color != self._accent:
            self._accent = QColor(color)
            state_palette = self.state_label.palette()
            state_palette.setColor(QPalette.ColorRole.WindowText, color.darker(115))
            self.state_label.setPalette(state_palette)
            self.update()
        self.state_dot.set_color(color)

    # -- geometry -------------------------------------------------------------------

    def shadow(self) -> int:
        return SHADOW_SIZE if self._translucent else 0

    def fit_height(self) -> None:
        """Fix the window to the card width and the height its contents need."""
        width = CARD_WIDTH + 2 * self.shadow()
        layout = self.layout()
        assert layout is not None
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else (
            layout.totalSizeHint().height())
        size = QSize(width, max(height, layout.totalMinimumSize().height()))
        if size != self.size() or self.minimumSize() != size or self.maximumSize() != size:
            self.setFixedSize(size)
        layout.activate()  # lay the children out now, even before the first show

    def card_rect(self) -> QRectF:
        """The card inside the window (the rest is the shadow)."""
        shadow = self.shadow()
        return QRectF(self.rect()).adjusted(shadow, shadow, -shadow, -shadow)

    # -- closing --------------------------------------------------------------------

    def dismiss(self, *, by_user: bool) -> None:
        """Close the window (it is hidden, kept for the next call)."""
        if self._closing or self.isHidden():
            return
        self._closed_by_user = by_user
        self.close()

    def reset_closing(self) -> None:
        """Ready for new contents: the next close is the agent's unless said otherwise."""
        self._closing = False
        self._closed_by_user = True

    def _closed_now(self, by_user: bool) -> None:
        """The window closed (subclasses stop their timers and tell their manager)."""

    def expect_frame(self) -> None:
        """New contents: report the next paint (:attr:`framePainted`)."""
        self._frame_due = True
        self.update()

    def frame_due(self) -> bool:
        return self._frame_due

    # -- events ---------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._frame_due = True

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._frame_due = False

    def enterEvent(self, event: QEnterEvent) -> None:
        super().enterEvent(event)
        self.hovered.emit(True)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self.hovered.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self._closing = True
            self.state_dot.set_pulsing(False)
            self._closed_now(self._closed_by_user)
        # Hidden, never closed: Qt 6 destroys the native window of a widget whose
        # close event is accepted (``close()``, the close button, the window
        # manager's close), and the next ring would have to create it again: the
        # window made ahead of time was lost at every dismissal (seen with strace
        # in bench_agent_view: one ring in three created its X window anew).
        event.ignore()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._in_palette_change:
            self._in_palette_change = True
            try:
                self.apply_palette()
            finally:
                self._in_palette_change = False

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
        painter.fillRect(accent, self._accent)
        painter.restore()
        border = with_alpha(self.palette().color(QPalette.ColorRole.Text), 0.14)
        painter.setPen(QPen(border, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), CARD_RADIUS - 0.5,
                                CARD_RADIUS - 0.5)
        painter.end()
        if self._frame_due:
            self._frame_due = False
            self.framePainted.emit()
