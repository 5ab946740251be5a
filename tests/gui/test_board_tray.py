"""The tray icon's waiting-callers badge (the team board's, top left)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from desktop.pbx.connection import ConnectionState, Phase
from desktop.ui.icons import COLOR_WAITING, TrayLook, tray_icon
from desktop.ui.tray import TrayController
from tests.gui.cards import NOW, FakeClock


@pytest.fixture
def tray(qapp, clock: FakeClock):
    controller = TrayController(clock=clock)
    controller.set_extension("1001")
    controller.set_connection(ConnectionState(Phase.CONNECTED, since=NOW))
    yield controller
    controller.hide()


def _image(controller: TrayController, size: int = 32) -> QImage:
    return controller.icon().pixmap(size, size).toImage()


def _amber_top_left(image: QImage) -> bool:
    """The badge's colour in the top-left quarter (where nothing else is amber)."""
    quarter = image.width() // 3
    return any(QColor(image.pixel(x, y)).name() == COLOR_WAITING.name()
               for x in range(quarter) for y in range(quarter))


def test_waiting_callers_badge(tray: TrayController) -> None:
    plain = _image(tray)
    assert not _amber_top_left(plain)
    tray.set_waiting(2)
    two = _image(tray)
    assert tray.look().waiting == "2"
    assert two != plain
    assert _amber_top_left(two)
    assert "2 callers waiting in your queues" in tray.tool_tip()
    tray.set_missed(3)  # the missed-calls badge is another one, top right
    both = _image(tray)
    assert both != two
    assert (tray.look().waiting, tray.look().badge) == ("2", "3")
    tray.set_waiting(25)
    assert tray.look().waiting == "9+"
    assert "25 callers waiting" in tray.tool_tip()
    tray.set_waiting(1)
    assert "1 caller waiting in your queues" in tray.tool_tip()
    tray.set_waiting(0)
    tray.set_missed(0)
    assert _image(tray) == plain
    assert "waiting" not in tray.tool_tip()


def test_the_icon_cache_is_keyed_by_the_waiting_badge_too(tray: TrayController) -> None:
    looks: list[object] = []
    tray.lookChanged.connect(looks.append)
    tray.set_waiting(12)
    key = tray.icon().cacheKey()
    for count in range(13, 60):  # "9+" for all of them: one look, one icon
        tray.set_waiting(count)
    assert len(looks) == 1
    assert tray.icon().cacheKey() == key
    assert tray_icon(TrayLook(waiting="1")) is not tray_icon(TrayLook(waiting="2"))
    assert tray_icon(TrayLook(waiting="1")) is tray_icon(TrayLook(waiting="1"))
