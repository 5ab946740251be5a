"""GUI tests: real widgets on Qt's offscreen platform, driven by pytest-qt.

The platform is chosen here, before any QApplication exists: ``offscreen``
with two side-by-side screens (``left`` 1280x800 at the origin, the primary;
``right`` 1920x1080 to its right), so that placement on "the screen the mouse
is on" can be tested without a display.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SCREENS = [
    {"name": "left", "x": 0, "y": 0, "width": 1280, "height": 800,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    {"name": "right", "x": 1280, "y": 0, "width": 1920, "height": 1080,
     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
]

_config = Path(tempfile.mkdtemp(prefix="kobikom-gui-")) / "screens.json"
_config.write_text(json.dumps({"windowFrameMargins": False, "screens": SCREENS}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
for _name in ("QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "QT_AUTO_SCREEN_SCALE_FACTOR"):
    os.environ.pop(_name, None)

from PySide6.QtCore import QLocale, QPoint  # noqa: E402

from desktop.ui.popup import PopupManager  # noqa: E402
from tests.gui.cards import FakeClock  # noqa: E402

#: A point on the primary ("left") screen.
LEFT_POINT = QPoint(100, 100)
#: A point on the "right" screen.
RIGHT_POINT = QPoint(1500, 300)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def english() -> QLocale:
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


class Cursor:
    """A movable fake mouse position."""

    def __init__(self, point: QPoint) -> None:
        self.point = QPoint(point)

    def __call__(self) -> QPoint:
        return QPoint(self.point)


@pytest.fixture
def cursor() -> Cursor:
    return Cursor(LEFT_POINT)


@pytest.fixture
def make_manager(qapp, clock: FakeClock, english: QLocale,
                 cursor: Cursor) -> Iterator[Callable[..., PopupManager]]:
    """Managers with a fake mouse, clock and locale; their popups are closed afterwards."""
    managers: list[PopupManager] = []

    def make(**kwargs: object) -> PopupManager:
        kwargs.setdefault("cursor_pos", cursor)
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("locale", english)
        kwargs.setdefault("translucent", False)
        kwargs.setdefault("app", qapp)
        manager = PopupManager(**kwargs)  # type: ignore[arg-type]
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.close_all()


@pytest.fixture(scope="session", autouse=True)
def _garbage_collected_on_the_gui_thread(qapp) -> Iterator[None]:
    """As in the app (desktop/launch.py): a worker thread of one test (keyring,
    to_thread) must never collect another test's Qt objects; their timers would
    fire into freed memory later, in whatever test runs then (CI's segfault
    after test_single_instance, 2026-12-06)."""
    from desktop.ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector()
    yield
    collector.stop()


@pytest.fixture(autouse=True)
def _collect_between_tests() -> Iterator[None]:
    """Tests that never let the event loop wait still get their garbage collected."""
    from desktop.ui.gc_guard import collect_if_due

    yield
    collect_if_due()


@pytest.fixture(autouse=True)
def _private_autostart_folders(tmp_path_factory: pytest.TempPathFactory,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    """"Start at login" switches read and write XDG folders of the test, never the
    developer's own ~/.config/autostart or /etc/xdg/autostart."""
    base = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config-home"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(base / "config-dirs"))


# The company-directory servers (a real slapd, a real aiohttp lookup endpoint).
from tests.helpers.directory_servers import lookup_server, slapd  # noqa: E402

__all__ = ["lookup_server", "slapd"]


# -- shared by the dialog and window tests ---------------------------------------------


@pytest.fixture
def qloop(qapp):
    """An asyncio loop running inside Qt's (as the app's qasync loop does)."""
    from tests.helpers.qt_asyncio import qt_asyncio_loop

    with qt_asyncio_loop(qapp) as loop:
        yield loop


@pytest.fixture
def no_env_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """No secret and no user from the environment (they would win over the keyring)."""
    from desktop.core.secrets import SecretName

    for name in SecretName:
        monkeypatch.delenv(name.env_var, raising=False)
    monkeypatch.delenv("KOBIKOM_USER", raising=False)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """Where the agent's settings file of a test lives (not created)."""
    return tmp_path / "config" / "settings.toml"
