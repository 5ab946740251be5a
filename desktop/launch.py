"""Start the tray app: the tray first, everything else while it is already showing.

An agent logs in and the tray icon should be there at once.  Importing the
whole app (httpx, websockets, libphonenumber's metadata, the popup, the
directory, the journal ...) takes several hundred milliseconds, and even
the tray's own controller needs the logging, the settings and the
translations first, so :func:`main` goes in this order:

1. the display check, the paths; the QApplication, and garbage collection
   confined to its thread (:mod:`desktop.ui.gc_guard`);
2. the single-instance lock (:func:`~desktop.ui.instance_lock.instance_lock`,
   race-free: a lock file decides).  The launch that holds it shows the
   tray's start icon at once (:mod:`desktop.ui.start_icon`: PNG files of the
   painted look, nothing of the app imported yet); a second launch shows
   nothing;
3. logging, then single-instance (:func:`~desktop.ui.single_instance.claim`):
   a second launch hands its arguments (e.g. a ``tel:`` link) to the
   running instance and exits without ever showing a tray;
4. settings, translations, the crash hook;
5. the tray controller, which takes the start icon over (or, without a
   tray host, the status window), shown;
6. on the asyncio loop (qasync, :mod:`desktop.ui.loop`, itself imported
   only now): the rest of the app is imported one heavy module group at a
   time (:data:`LATE_MODULES`), giving the event loop a turn between them;
   then :class:`desktop.app.Application` (the composition root) is built
   around the tray that is already there and runs.

(Every Qt class a module imports costs at its first import -- PySide6 builds
its Python type then -- and once PySide6 is imported its import hook reads
the source of every module imported after it, looking for "PySide6": so
this module imports only what steps 1 and 2 need at the top, and the rest
where it is used.)

SIGINT/SIGTERM during step 6 quit as soon as the app exists.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from desktop import __version__
from desktop.core.paths import app_paths
from desktop.resources import resource
from desktop.ui.display import display_problem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QSystemTrayIcon

    from desktop.core.settings import Settings

log = logging.getLogger("kobikom.app")

APP_ICON: Final = resource("icons", "kobikom-desktop.svg")
#: Exit status when there is no display to show the tray on (a usage problem).
EXIT_NO_DISPLAY: Final = 2
#: When the objects made after the start (popups made ahead, the line's) are
#: frozen too (s after the app is built; see :func:`freeze_long_lived`).
GC_FREEZE_AGAIN_S: Final = 5.0
#: The single-instance lock, in the data folder (per user and data folder).
INSTANCE_LOCK: Final = "instance.lock"
#: Imported after the tray is shown, one group per event-loop turn, heaviest
#: first (``python -X importtime``: the REST and event clients bring httpx and
#: websockets, the numbers bring libphonenumber's metadata).
LATE_MODULES: Final = (
    "desktop.pbx.rest",
    "desktop.pbx.channels",
    "desktop.core.numbers",
    "desktop.core.account",
    "desktop.ui.popup",
    "desktop.core.directory",
    "desktop.core.journal",
    "desktop.core.phone_line",
    "desktop.app",
)


def install_crash_hook(log_file: Path) -> None:
    """Uncaught exceptions: logged (scrubbed) and shown once, never a silent death."""
    shown = [False]

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("uncaught exception:\n%s",
                     "".join(traceback.format_exception(exc_type, exc, tb)))
        from PySide6.QtWidgets import QApplication

        if not shown[0] and QApplication.instance() is not None:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QMessageBox

            shown[0] = True
            box = QMessageBox(QMessageBox.Icon.Critical, "Kobikom Desktop",
                              f"An unexpected error occurred ({exc_type.__name__}).\n"
                              f"The details are in {log_file}.")
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.open()

    sys.excepthook = hook


def prefer_xcb_on_wayland() -> str | None:
    """Qt on Wayland can neither place frameless popups nor keep them on top.

    Returns what to log (the logging is set up later), None when nothing changed.
    """
    if (os.environ.get("XDG_SESSION_TYPE") == "wayland" and "QT_QPA_PLATFORM" not in os.environ
            and os.environ.get("DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        return "Wayland session: using XWayland so popups can be placed and kept on top"
    return None


def show_tray(settings: Settings, *, demo: bool, started_at: float,
              start_icon: QSystemTrayIcon | None = None) -> Any:
    """The tray icon (or the status window without a tray host), shown.

    The tray controller takes *start_icon* over (the same icon in the tray,
    painted by the controller from now on).
    """
    from PySide6.QtWidgets import QSystemTrayIcon

    from desktop.ui.tray import TrayController

    tray: Any
    if start_icon is not None or QSystemTrayIcon.isSystemTrayAvailable():
        tray = TrayController(icon=start_icon)
    else:
        from desktop.ui.no_tray import StatusWindow

        log.warning("no system tray on this desktop: showing a status window instead")
        tray = StatusWindow()
    tray.set_demo(demo)
    tray.set_extension(", ".join(settings.account.extensions))
    tray.show()
    elapsed = time.monotonic() - started_at
    log.info("tray shown (%s) %.0f ms after start", type(tray).__name__, elapsed * 1000)
    return tray


class _Quit:
    """SIGINT/SIGTERM before the app exists are remembered and honoured once it does."""

    def __init__(self) -> None:
        self.app: Any = None
        self.requested = False

    def __call__(self) -> None:
        self.requested = True
        if self.app is not None:
            self.app.request_quit()


def freeze_long_lived() -> None:
    """Move what the app holds for good out of the garbage collector's sight.

    The start makes a few hundred thousand objects (modules, Qt wrappers,
    metadata, the popups made ahead) that live as long as the app.  A full
    collection walked them all, in the middle of whatever ran then: 60 ms
    measured during a ring (issue 14's p99), 12 ms once they are frozen.
    """
    gc.collect(1)  # the young garbage of the start, not frozen with the rest
    gc.freeze()


async def _run(qapp: QApplication, tray: Any, quit_request: _Quit, **kwargs: Any) -> int:
    import asyncio

    for name in LATE_MODULES:
        importlib.import_module(name)
        await asyncio.sleep(0)  # a loop turn: the tray host embeds, the icon paints
    from desktop.app import Application

    app = Application(qapp, tray=tray, **kwargs)
    freeze_long_lived()
    # Again once the popups are made ahead and the line is up.
    asyncio.get_running_loop().call_later(GC_FREEZE_AGAIN_S, freeze_long_lived)
    quit_request.app = app
    if quit_request.requested:
        app.request_quit()
    return await app.run()


def main(options: argparse.Namespace) -> int:
    started = time.monotonic()
    problem = display_problem()
    if problem is not None:
        # Before Qt: its xcb plugin would abort with a misleading libxcb-cursor0 hint.
        print(f"kobikom-desktop: {problem}. The tray app needs a graphical desktop session; "
              "the command-line tools (kobikom-desktop --help) work without one.",
              file=sys.stderr)
        return EXIT_NO_DISPLAY
    paths = app_paths().ensure()
    wayland = prefer_xcb_on_wayland()

    from PySide6.QtWidgets import QApplication

    from desktop.ui.instance_lock import instance_lock
    from desktop.ui.start_icon import show_start_icon

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("kobikom-desktop")
    qapp.setApplicationDisplayName("Kobikom Desktop")
    qapp.setApplicationVersion(__version__)
    qapp.setQuitOnLastWindowClosed(False)
    from desktop.ui.gc_guard import GuiThreadCollector

    # Before any worker thread runs Python: garbage is collected on this thread only.
    collector = GuiThreadCollector(qapp)
    # The lock decides who the instance is (claim() below, which also hands a
    # second launch's link over): its holder shows the tray icon now.
    lock_path = paths.data_dir / INSTANCE_LOCK
    lock = instance_lock(lock_path)
    start_icon = show_start_icon() if lock.tryLock(0) else None
    if start_icon is not None:
        qapp.processEvents()  # the dock request goes out before the imports that follow
    start_icon_ms = (time.monotonic() - started) * 1000

    from PySide6.QtGui import QIcon

    from desktop.core.logs import setup_logging
    from desktop.core.policy import load_effective_settings, load_policy
    from desktop.core.settings import SettingsError
    from desktop.ui.i18n import choose_language, install_translators
    from desktop.ui.single_instance import InstanceError, claim, server_name

    setup_logging(log_file=paths.log_file, debug=bool(getattr(options, "debug", False)))
    log.info("kobikom-desktop %s starting (demo=%s)", __version__, bool(options.demo))
    if start_icon is not None:
        log.info("start icon shown %.0f ms after start", start_icon_ms)
    if wayland:
        log.info("%s", wayland)
    config_path = Path(options.config) if options.config else paths.config_file
    if APP_ICON.exists():
        qapp.setWindowIcon(QIcon(str(APP_ICON)))

    name = server_name(str(paths.data_dir))
    argv = [a for a in (options.uri,) if a]
    try:
        instance = claim(name, argv, lock_path, lock=lock)
    except InstanceError as exc:
        log.error("not starting: %s", exc)
        return 1
    if instance is None:
        log.info("another instance is running; arguments handed over")
        return 0

    try:  # defaults, the administrator's policy, the agent's file
        settings = load_effective_settings(config_path).settings
    except SettingsError:  # the app reports the broken file once it runs
        settings = load_policy().base()
    translators = install_translators(qapp, choose_language(settings.ui.language))
    install_crash_hook(paths.log_file)
    tray = show_tray(settings, demo=bool(options.demo), started_at=started,
                     start_icon=start_icon)
    qapp.processEvents()

    # asyncio and qasync (~40 ms of imports) are not needed to show the tray.
    from desktop.ui import loop as qtloop

    quit_request = _Quit()
    signals = qtloop.quit_on_signals(qapp, quit_request)
    try:
        return qtloop.run(qapp, lambda: _run(
            qapp, tray, quit_request, options=options, paths=paths, config_path=config_path,
            instance=instance, started_at=started))
    finally:
        signals.close()
        collector.stop()
        del translators
        log.info("stopped")
