"""Tray and window icons, painted with QPainter at every size (no image files).

The tray icon says the state at a glance:

* a rounded tile with a white phone handset: blue when connected or
  connecting, grey when disconnected or the login was rejected, green
  (and wiggling, see :attr:`TrayLook.ring_frame`) while a call rings;
* a dot in the bottom-right corner: green connected, amber connecting or
  reconnecting, red with "!" when the login was rejected, none when
  disconnected or while ringing;
* a red badge in the top-right corner with the number of missed calls
  ("9+" above nine);
* a purple "D" in the bottom-left corner in demo mode;
* an amber badge in the top-left corner with the number of callers waiting
  in the agent's queues (the team board's, ``[board] waiting_badge``).

Everything is drawn in a 64-unit design square scaled to the target size,
into pixmaps of every usual tray size at device pixel ratios 1 and 2, so
the icon is crisp on HiDPI screens without any bitmap scaling.
``resources/icons/kobikom-desktop.svg`` is the same tile and handset as a
file for desktop entries and installers.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QImage,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPixmap,
    QTransform,
)

#: Logical sizes the icons are painted at (tray hosts ask for 16 to 64).
ICON_SIZES: Final = (16, 22, 24, 32, 48, 64)
DEVICE_PIXEL_RATIOS: Final = (1.0, 2.0)
#: Edge of the design square all coordinates below are in.
DESIGN: Final = 64.0
#: Icons kept (each holds a pixmap per size and ratio, about 60 KiB): looks are
#: what is shown, so a day of calls uses a handful of them.
TRAY_ICON_CACHE: Final = 32
#: Below this many device pixels the missed badge is a dot without a number.
BADGE_TEXT_MIN_PX: Final = 20
#: Where the handset's centre sits on the tile, and how big it is.
GLYPH_CENTER: Final = (30.0, 30.0)
GLYPH_SCALE: Final = 0.88
#: Degrees the handset tilts either way while ringing.
RING_TILT_DEGREES: Final = 14.0

COLOR_TILE: Final = QColor("#1a73e8")
COLOR_TILE_OFF: Final = QColor("#80868b")
COLOR_TILE_FAILED: Final = QColor("#5f6368")
COLOR_TILE_RINGING: Final = QColor("#12a150")
COLOR_CONNECTED: Final = QColor("#1e8e3e")
COLOR_CONNECTING: Final = QColor("#f9ab00")
COLOR_FAILED: Final = QColor("#d93025")
COLOR_BADGE: Final = QColor("#d93025")
COLOR_DEMO: Final = QColor("#8430ce")
COLOR_WAITING: Final = QColor("#f9ab00")
COLOR_WAITING_TEXT: Final = QColor("#202124")
COLOR_GLYPH: Final = QColor("#ffffff")

#: Where the SVG app icon lives, relative to the repository / installed package.
APP_ICON_SVG: Final = Path("resources") / "icons" / "kobikom-desktop.svg"


class LinkStatus(enum.Enum):
    """The connection part of the tray icon."""

    CONNECTED = "connected"
    CONNECTING = "connecting"  # connecting or reconnecting
    DISCONNECTED = "disconnected"
    AUTH_FAILED = "auth_failed"


@dataclass(frozen=True, slots=True)
class TrayLook:
    """Everything the tray icon shows; equal looks give the same cached icon.

    Every field is what is *seen*, never the raw state behind it: the badge
    is its text ("9+" for 10 or 250 missed calls), so 10 and 250 missed
    calls are one look, one cached icon and no repaint.
    """

    status: LinkStatus = LinkStatus.DISCONNECTED
    ringing: bool = False
    #: Animation frame while ringing (0 or 1: the handset tilts one way or the other).
    ring_frame: int = 0
    #: The missed-calls badge as shown (:func:`badge_text`; "" for none).
    badge: str = ""
    demo: bool = False
    #: Callers waiting in the agent's queues as shown (:func:`badge_text`; "" for none).
    waiting: str = ""
    #: Only the tile and handset (the application icon).
    plain: bool = False


def badge_text(missed: int) -> str:
    """What the missed-calls badge says: "" for none, "1".."9", then "9+"."""
    if missed <= 0:
        return ""
    return str(missed) if missed <= 9 else "9+"


@functools.cache
def handset_path() -> QPainterPath:
    """The phone handset in design units: a curved grip with ear and mouth pieces.

    The grip is a quarter circle around (44, 20); the two pieces are mirror
    images across the circle's diagonal, so the glyph is symmetric.
    """
    grip = QPainterPath()
    circle = QRectF(44 - 22, 20 - 22, 44, 44)
    grip.arcMoveTo(circle, 180)
    grip.arcTo(circle, 180, 90)
    stroker = QPainterPathStroker()
    stroker.setWidth(9)
    stroker.setCapStyle(Qt.PenCapStyle.FlatCap)
    path = stroker.createStroke(grip)
    ear = QPainterPath()
    ear.addRoundedRect(QRectF(17.5, 10, 13, 15), 4.5, 4.5)
    mouth = QPainterPath()
    mouth.addRoundedRect(QRectF(39, 33.5, 15, 13), 4.5, 4.5)
    path = path.united(ear).united(mouth).simplified()
    # Up and left of the tile's centre, clear of the status dot in the corner.
    bounds = path.boundingRect()
    place = QTransform().translate(*GLYPH_CENTER).scale(GLYPH_SCALE, GLYPH_SCALE)
    return place.translate(-bounds.center().x(), -bounds.center().y()).map(path)


def _cutout(painter: QPainter, shape: QPainterPath) -> None:
    """Clear *shape* (a transparent ring separates a badge from the tile)."""
    painter.save()
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Clear)
    painter.fillPath(shape, Qt.GlobalColor.transparent)
    painter.restore()


def _pill(center: QPointF, width: float, height: float) -> QPainterPath:
    path = QPainterPath()
    rect = QRectF(center.x() - width / 2, center.y() - height / 2, width, height)
    path.addRoundedRect(rect, height / 2, height / 2)
    return path


def _draw_text(painter: QPainter, center: QPointF, text: str, pixel_size: float,
               color: QColor) -> None:
    font = QFont()
    font.setPixelSize(max(1, round(pixel_size)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(color)
    metrics = QFontMetricsF(font)
    rect = QRectF(center.x() - 32, center.y() - metrics.height() / 2, 64, metrics.height())
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _tile_color(look: TrayLook) -> QColor:
    if look.ringing:
        return COLOR_TILE_RINGING
    if look.plain or look.status in (LinkStatus.CONNECTED, LinkStatus.CONNECTING):
        return COLOR_TILE
    if look.status is LinkStatus.AUTH_FAILED:
        return COLOR_TILE_FAILED
    return COLOR_TILE_OFF


def paint_tray_icon(painter: QPainter, size: float, look: TrayLook, *,
                    device_px: float | None = None) -> None:
    """Paint *look* into the square (0, 0, size, size) of *painter*.

    *device_px* (the square's size in device pixels, default *size*) decides
    whether small details such as the badge's number still fit.
    """
    device_px = size if device_px is None else device_px
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(size / DESIGN, size / DESIGN)

    tile = QPainterPath()
    tile.addRoundedRect(QRectF(2, 2, 60, 60), 14, 14)
    painter.fillPath(tile, _tile_color(look))

    glyph = handset_path()
    if look.ringing:
        tilt = RING_TILT_DEGREES if look.ring_frame % 2 else -RING_TILT_DEGREES
        cx, cy = GLYPH_CENTER
        glyph = QTransform().translate(cx, cy).rotate(tilt).translate(-cx, -cy).map(glyph)
    painter.fillPath(glyph, COLOR_GLYPH)

    if not look.plain:
        dot_center = QPointF(50, 50)
        dot_color = {
            LinkStatus.CONNECTED: COLOR_CONNECTED,
            LinkStatus.CONNECTING: COLOR_CONNECTING,
            LinkStatus.AUTH_FAILED: COLOR_FAILED,
        }.get(look.status)
        if look.ringing and look.status is not LinkStatus.AUTH_FAILED:
            dot_color = None  # the green tile says it all; a green dot on it would not show
        radius = 13.0 if look.status is LinkStatus.AUTH_FAILED else 10.0
        if dot_color is not None:
            ring = QPainterPath()
            ring.addEllipse(dot_center, radius + 3.0, radius + 3.0)
            _cutout(painter, ring)
            dot = QPainterPath()
            dot.addEllipse(dot_center, radius, radius)
            painter.fillPath(dot, dot_color)
            if look.status is LinkStatus.AUTH_FAILED:
                _draw_text(painter, dot_center + QPointF(0, 0.5), "!", 22, COLOR_GLYPH)

        text = look.badge
        if text:
            with_text = device_px >= BADGE_TEXT_MIN_PX
            height = 26.0 if with_text else 22.0
            width = height if len(text) == 1 or not with_text else 36.0
            center = QPointF(62 - width / 2, 2 + height / 2)
            _cutout(painter, _pill(center, width + 7, height + 7))
            painter.fillPath(_pill(center, width, height), COLOR_BADGE)
            if with_text:
                _draw_text(painter, center, text, 21, COLOR_GLYPH)

        if look.waiting:
            with_text = device_px >= BADGE_TEXT_MIN_PX
            height = 26.0 if with_text else 22.0
            width = height if len(look.waiting) == 1 or not with_text else 36.0
            center = QPointF(2 + width / 2, 2 + height / 2)
            _cutout(painter, _pill(center, width + 7, height + 7))
            painter.fillPath(_pill(center, width, height), COLOR_WAITING)
            if with_text:
                _draw_text(painter, center, look.waiting, 21, COLOR_WAITING_TEXT)

        if look.demo:
            center = QPointF(13, 51)
            _cutout(painter, _pill(center, 29, 29))
            painter.fillPath(_pill(center, 22, 22), COLOR_DEMO)
            _draw_text(painter, center, "D", 17, COLOR_GLYPH)
    painter.restore()


def tray_pixmap(look: TrayLook, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """*look* painted at *size* logical pixels for a screen of *device_pixel_ratio*."""
    pixels = max(1, round(size * device_pixel_ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    paint_tray_icon(painter, pixels, look, device_px=pixels)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


@functools.lru_cache(maxsize=TRAY_ICON_CACHE)
def tray_icon(look: TrayLook) -> QIcon:
    """A QIcon of *look* with pixmaps for every size in :data:`ICON_SIZES` at 1x and 2x."""
    icon = QIcon()
    for size in ICON_SIZES:
        for ratio in DEVICE_PIXEL_RATIOS:
            icon.addPixmap(tray_pixmap(look, size, ratio))
    return icon


def app_icon() -> QIcon:
    """The application icon (window icon, About dialog): the tile and handset only."""
    return tray_icon(TrayLook(plain=True))


def app_icon_svg(package_dir: Path | None = None) -> Path | None:
    """The SVG app icon file if it is installed next to the package, else None."""
    here = package_dir if package_dir is not None else Path(__file__).resolve().parent.parent
    for base in (here, here.parent):
        candidate = base / APP_ICON_SVG
        if candidate.is_file():
            return candidate
    return None


def icon_sheet(sizes: tuple[int, ...] = (16, 24, 32, 64), scale: int = 4) -> QImage:
    """A preview of the icon states at several sizes (for screenshots), each enlarged."""
    looks = [
        TrayLook(LinkStatus.CONNECTED),
        TrayLook(LinkStatus.CONNECTING),
        TrayLook(LinkStatus.DISCONNECTED),
        TrayLook(LinkStatus.AUTH_FAILED),
        TrayLook(LinkStatus.CONNECTED, ringing=True, ring_frame=0),
        TrayLook(LinkStatus.CONNECTED, ringing=True, ring_frame=1),
        TrayLook(LinkStatus.CONNECTED, badge=badge_text(3)),
        TrayLook(LinkStatus.CONNECTED, badge=badge_text(12)),
        TrayLook(LinkStatus.CONNECTING, demo=True, badge=badge_text(1)),
        TrayLook(plain=True),
    ]
    cell = max(sizes) * 2 + 16
    image = QImage(cell * len(looks), cell * len(sizes), QImage.Format.Format_ARGB32)
    image.fill(QColor("#f1f3f4"))
    painter = QPainter(image)
    for column, look in enumerate(looks):
        for row, size in enumerate(sizes):
            shown = min(size * scale, cell - 8)
            pixmap = tray_pixmap(look, size).scaled(
                shown, shown, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation)
            painter.drawPixmap(column * cell + (cell - shown) // 2,
                               row * cell + (cell - shown) // 2, pixmap)
    painter.end()
    return image
