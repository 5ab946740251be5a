"""Fixtures of the end-to-end tests: a real X display, the real app, the simulator.

* ``x_display`` (session): Xvfb + openbox + trayer, shared by the tests; a
  test's windows go away with its app process.
* ``bare_x_display``: a second Xvfb with openbox but *no* tray host.
* ``launch_app``: starts ``kobikom-desktop`` processes (see
  :class:`tests.helpers.appprocess.AppProcess`); after the test they are
  terminated and their logs must be free of ERROR/CRITICAL/Traceback lines.
  When a test fails, each app's log tail is attached to the report.
* ``simulator``: ``kobikom-desktop simulator`` on free loopback ports.
* ``screenshot``: saves the screen to ``test-artifacts/<test>-<what>.png``.
* ``compiled_locales``: ``localedef`` output for a ``LANG`` the machine has
  not generated (Debian images ship only C.UTF-8), handed to the app with
  ``LOCPATH``, so a Turkish test really runs under ``tr_TR.UTF-8`` instead of
  Qt falling back to "C".

A missing system program fails the tests with the ``apt-get`` line to run
(``KOBIKOM_ALLOW_SKIP_E2E=1`` skips instead): see ``require_programs``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.appprocess import AppProcess, SimulatorProcess
from tests.helpers.xserver import XDisplay, child_environment, require_programs

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
PROGRAMS = ("Xvfb", "openbox", "trayer", "xdotool", "import", "xprop")

_APPS = pytest.StashKey[list[AppProcess]]()


@pytest.fixture(scope="session")
def x_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XDisplay]:
    require_programs(*PROGRAMS)
    display = XDisplay(tmp_path_factory.mktemp("x-tray")).start()
    try:
        yield display
    finally:
        display.stop()


@pytest.fixture
def bare_x_display(tmp_path: Path) -> Iterator[XDisplay]:
    """An X display with a window manager but no system tray."""
    require_programs(*PROGRAMS)
    display = XDisplay(tmp_path / "x-no-tray", tray=False).start()
    try:
        yield display
    finally:
        display.stop()


class CompiledLocales:
    """Locales compiled on demand into one folder (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._done: dict[str, bool] = {}

    def env_for(self, lang: str) -> dict[str, str]:
        """``{"LOCPATH": ...}`` if *lang* had to be compiled, else nothing."""
        name, _, charset = lang.partition(".")
        if name in ("C", "POSIX") or shutil.which("localedef") is None:
            return {}
        if lang not in self._done:
            done = subprocess.run(["localedef", "-i", name, "-f", charset or "UTF-8",
                                   str(self.root / lang)], capture_output=True, timeout=60,
                                  check=False)
            self._done[lang] = (self.root / lang).is_dir() and done.returncode in (0, 1)
        return {"LOCPATH": str(self.root)} if self._done[lang] else {}


@pytest.fixture(scope="session")
def compiled_locales(tmp_path_factory: pytest.TempPathFactory) -> CompiledLocales:
    return CompiledLocales(tmp_path_factory.mktemp("locales"))


@pytest.fixture
def launch_app(request: pytest.FixtureRequest, x_display: XDisplay,
               compiled_locales: CompiledLocales,
               tmp_path: Path) -> Iterator[Callable[..., AppProcess]]:
    """``launch_app(*args, home=None, lang="C.UTF-8", display=x_display, name="app",
    env=None)``; *env* adds to (or overrides) the display's environment."""
    apps: list[AppProcess] = []
    request.node.stash[_APPS] = apps

    def launch(*args: str, home: Path | None = None, lang: str = "C.UTF-8",
               display: XDisplay | None = None, name: str = "app",
               env: dict[str, str] | None = None) -> AppProcess:
        env = (display or x_display).env | compiled_locales.env_for(lang) | (env or {})
        app = AppProcess(home or tmp_path / f"home-{len(apps)}", env, args=args, lang=lang,
                         name=name)
        apps.append(app)
        return app.start()

    yield launch
    problems: list[str] = []
    for app in apps:
        was_running = app.running
        code = app.stop()
        if was_running:
            # SIGTERM must give an orderly shutdown (channel and databases closed).
            if code != 0:
                problems.append(f"{app.name}: exit status {code} after SIGTERM")
            if not any("kobikom.app: stopped" in line for line in app.lines()):
                problems.append(f"{app.name}: no orderly shutdown after SIGTERM")
    problems += [f"{app.name}: {line}" for app in apps for line in app.problems()]
    if problems:
        pytest.fail("unexpected errors in the app's log:\n" + "\n".join(problems),
                    pytrace=False)


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SimulatorProcess]:
    sim = SimulatorProcess(tmp_path / "simulator", child_environment()).start()
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[XDisplay, str], Path]:
    """``screenshot(display, "what")`` -> ``test-artifacts/<test>-<what>.png``."""
    test = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(display: XDisplay, what: str) -> Path:
        return display.screenshot(ARTIFACTS / f"{test}-{what}.png")

    return take


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.failed:
        for app in item.stash.get(_APPS, []):
            report.sections.append((f"kobikom-desktop log ({app.name})", app.tail()))
    return report


# The company-directory servers (a real slapd, a real aiohttp lookup endpoint).
from tests.helpers.directory_servers import lookup_server, slapd  # noqa: E402

__all__ = ["lookup_server", "slapd"]
