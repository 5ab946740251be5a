"""The app's Integrations: settings applied, problems reported, the hotkey's dial request.

The hotkey backend here is a stand-in (the real X11 one is tested under Xvfb in
test_hotkey_x11.py and in the e2e test); the remote directory is the real one
against a real HTTP lookup server.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from desktop.core.hotkeys import Hotkey
from desktop.core.settings import Settings
from desktop.core.tasks import TaskSet
from desktop.ui.hotkey_backend import TAKEN, HotkeyUnavailable
from desktop.ui.integrations import Integrations
from desktop.ui.tray import MessageKind
from tests.gui.cards import make_card
from tests.helpers.lookup_server import LookupServer
from tests.helpers.qt_asyncio import run_coroutine, run_until


class FakeBackend:
    """Takes any combination but Ctrl+Alt+T (held by "another program")."""

    def __init__(self, on_pressed: Callable[[], None]) -> None:
        self.on_pressed = on_pressed
        self.registered: Hotkey | None = None

    def register(self, hotkey: Hotkey) -> None:
        if hotkey.text == "Ctrl+Alt+T":
            raise HotkeyUnavailable("taken", TAKEN)
        self.registered = hotkey
        BACKENDS.append(self)

    def unregister(self) -> None:
        self.registered = None


BACKENDS: list[FakeBackend] = []


@pytest.fixture
def tasks(qapp) -> Iterator[TaskSet]:
    tasks = TaskSet("integrations-test")
    yield tasks
    run_until(qapp, lambda: len(tasks) == 0, 5000)


class Harness:
    def __init__(self, settings: Settings, tasks: TaskSet) -> None:
        BACKENDS.clear()
        self.dials: list[tuple[str, dict[str, Any]]] = []
        self.notes: list[tuple[str, str, MessageKind]] = []
        self.opened: list[str] = []
        self.problems: list[str] = []
        self.integrations = Integrations(
            settings, None, tasks=tasks,
            dial=lambda text, **kw: self.dials.append((text, kw)),
            notify=lambda *a: self.notes.append(a), hotkey_backend=FakeBackend,
            crm_opener=lambda url: bool(self.opened.append(url)) or True)
        self.integrations.problemsChanged.connect(self.problems.append)


def test_the_hotkey_dials_the_clipboard_with_a_confirmation(qapp, qloop, tasks) -> None:
    h = Harness(Settings(), tasks)
    h.integrations.start()
    assert BACKENDS[-1].registered is not None
    assert BACKENDS[-1].registered.text == "Ctrl+Alt+D"
    QGuiApplication.clipboard().setText("Ayşe: 0532 123 45 67")
    BACKENDS[-1].on_pressed()
    assert h.dials == [("Ayşe: 0532 123 45 67", {"source": "hotkey", "confirm_always": True})]
    QGuiApplication.clipboard().setText("")
    BACKENDS[-1].on_pressed()
    assert len(h.dials) == 1
    assert h.notes[0][0] == "Nothing to call"
    assert h.notes[0][2] is MessageKind.WARNING


def test_a_taken_hotkey_is_a_problem_until_another_is_chosen(qapp, qloop, tasks) -> None:
    settings = Settings()
    settings.hotkey.dial = "Ctrl+Alt+T"
    h = Harness(settings, tasks)
    h.integrations.start()
    assert h.problems == ["Another program already uses this key combination. "
                          "Choose another one."]
    better = copy.deepcopy(settings)
    better.hotkey.dial = "Ctrl+Alt+K"
    h.integrations.apply(better)
    assert h.problems[-1] == ""
    assert BACKENDS[-1].registered is not None
    assert BACKENDS[-1].registered.text == "Ctrl+Alt+K"


def test_new_directory_settings_make_a_new_remote_directory(
        qapp, qloop, tasks, lookup_server: LookupServer) -> None:
    h = Harness(Settings(), tasks)
    assert not h.integrations.remote
    changed: list[Any] = []
    h.integrations.remoteChanged.connect(changed.append)
    settings = Settings()
    settings.http_lookup.url = lookup_server.url()
    h.integrations.apply(settings)
    assert len(changed) == 1
    remote = changed[0]
    assert [s.name for s in remote.sources] == ["http"]
    contact = run_coroutine(qapp, remote.lookup("05551112233"))
    assert contact.name == "Çiğdem Ünlü"
    lookup_server.behaviour = "500"
    remote.clear_cache()
    assert run_coroutine(qapp, remote.lookup("05551112233")) is None
    assert h.problems[-1].startswith("CRM lookup not reachable: 127.0.0.1: HTTP 500")
    h.integrations.apply(copy.deepcopy(settings))  # nothing changed: same directory
    assert len(changed) == 1
    run_coroutine(qapp, h.integrations.close())


def test_the_crm_follows_its_settings(qapp, qloop, tasks) -> None:
    h = Harness(Settings(), tasks)
    assert not h.integrations.crm.enabled
    settings = Settings()
    settings.crm.url = "https://crm.example.com/?p={e164}"
    enabled: list[bool] = []
    h.integrations.crm.enabledChanged.connect(enabled.append)
    h.integrations.apply(settings)
    assert enabled == [True]
    h.integrations.crm.on_card(make_card())
    assert h.opened == ["https://crm.example.com/?p=%2B905321234567"]
