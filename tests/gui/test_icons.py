"""Painted icons: every state distinct, crisp at 2x, and the SVG app icon ships."""

from __future__ import annotations

from PySide6.QtSvg import QSvgRenderer

from desktop.ui.icons import (
    LinkStatus,
    TrayLook,
    app_icon,
    app_icon_svg,
    badge_text,
    tray_icon,
    tray_pixmap,
)


def test_badge_text() -> None:
    assert [badge_text(n) for n in (-1, 0, 1, 9, 10, 250)] == ["", "", "1", "9", "9+", "9+"]


def test_looks_are_distinct_at_16_px(qapp) -> None:
    looks = [TrayLook(status) for status in LinkStatus] + [
        TrayLook(LinkStatus.CONNECTED, ringing=True),
        TrayLook(LinkStatus.CONNECTED, badge="1"),
        TrayLook(LinkStatus.CONNECTED, demo=True),
    ]
    images = [tray_pixmap(look, 16).toImage() for look in looks]
    for i, a in enumerate(images):
        for b in images[i + 1:]:
            assert a != b


def test_two_x_pixmaps_are_painted_not_scaled(qapp) -> None:
    one = tray_pixmap(TrayLook(LinkStatus.CONNECTED, badge="3"), 24, 1.0)
    two = tray_pixmap(TrayLook(LinkStatus.CONNECTED, badge="3"), 24, 2.0)
    assert (two.width(), two.devicePixelRatio()) == (48, 2.0)
    upscaled = one.toImage().scaled(48, 48)
    assert two.toImage() != upscaled


def test_icons_are_cached_per_look(qapp) -> None:
    assert tray_icon(TrayLook(badge="2")).cacheKey() == tray_icon(TrayLook(badge="2")).cacheKey()
    assert tray_icon(TrayLook(badge="2")).cacheKey() != tray_icon(TrayLook(badge="3")).cacheKey()


def test_looks_are_what_is_shown_so_ten_and_250_missed_are_one_icon(qapp) -> None:
    ten = TrayLook(badge=badge_text(10))
    many = TrayLook(badge=badge_text(250))
    assert ten == many
    assert tray_icon(ten).cacheKey() == tray_icon(many).cacheKey()


def test_app_icon_and_svg(qapp) -> None:
    assert not app_icon().isNull()
    svg = app_icon_svg()
    assert svg is not None
    assert svg.name == "kobikom-desktop.svg"
    assert QSvgRenderer(str(svg)).isValid()


def test_the_shipped_start_icons_are_the_painted_start_look(qapp) -> None:
    """resources/icons/tray-start-*.png (shown before the app can paint) are exactly what
    the painter draws for a tray that has not connected yet: run
    tools/render_start_icons.py after changing the icon's design."""
    from PySide6.QtGui import QImage

    from desktop.ui.icons import DEVICE_PIXEL_RATIOS, ICON_SIZES
    from desktop.ui.start_icon import start_icon_files

    files = {path.name: path for path in start_icon_files()}
    assert len(files) == len(ICON_SIZES) * len(DEVICE_PIXEL_RATIOS)
    for size in ICON_SIZES:
        for ratio in DEVICE_PIXEL_RATIOS:
            name = f"tray-start-{size}{'' if ratio == 1.0 else f'@{ratio:g}x'}.png"
            shipped = QImage(str(files[name]))
            painted = tray_pixmap(TrayLook(), size, ratio).toImage()
            assert shipped.devicePixelRatio() == ratio, name
            fmt = QImage.Format.Format_ARGB32
            assert shipped.convertToFormat(fmt) == painted.convertToFormat(fmt), (
                f"{name} differs from the painted start look: run tools/render_start_icons.py")
