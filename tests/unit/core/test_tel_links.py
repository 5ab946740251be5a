"""Registering the tel:/callto:/sip: handlers on a freedesktop system, and undoing it.

Runs against temporary ``XDG_DATA_HOME``/``XDG_CONFIG_HOME`` folders.  The
``xdg-mime`` and ``update-desktop-database`` found on ``PATH`` are small
scripts written by the test that record their arguments (real processes,
so the subprocess handling is exercised too).
"""

from __future__ import annotations

import configparser
import os
import stat
from pathlib import Path

import pytest

from desktop.core import tel_links
from desktop.core.tel_links import (
    DESKTOP_ID,
    MARKER,
    MIME_TYPES,
    TelLinkError,
    apply,
    desktop_entry,
    exec_argument,
)

COMMAND = ["/opt/kobikom desktop/bin/kobikom-desktop"]


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    data = tmp_path / "data"
    config = tmp_path / "config"
    tools = tmp_path / "bin"
    tools.mkdir()
    log = tmp_path / "tools.log"
    for name in ("xdg-mime", "update-desktop-database"):
        script = tools / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n')
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    return {"XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(config), "LOG": str(log)}


def tool_calls(env: dict[str, str]) -> list[str]:
    path = Path(env["LOG"])
    return path.read_text().splitlines() if path.exists() else []


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_enable_writes_the_desktop_entry_and_sets_the_defaults(xdg: dict[str, str]) -> None:
    result = apply(True, command=COMMAND, icon="/opt/kobikom/icon.svg", env=xdg,
                   platform="linux")
    path = Path(xdg["XDG_DATA_HOME"]) / "applications" / DESKTOP_ID
    assert result.enabled
    assert result.desktop_file == path
    entry = read_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Kobikom Desktop"
    assert entry["Exec"] == '"/opt/kobikom desktop/bin/kobikom-desktop" %u'
    assert entry["MimeType"] == ("x-scheme-handler/tel;x-scheme-handler/callto;"
                                 "x-scheme-handler/sip;")
    assert entry["Icon"] == "/opt/kobikom/icon.svg"
    assert entry["Terminal"] == "false"
    assert MARKER in path.read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    calls = tool_calls(xdg)
    for mime in MIME_TYPES:
        assert f"xdg-mime default {DESKTOP_ID} {mime}" in calls
    assert f"update-desktop-database {path.parent}" in calls
    assert result.notes == ()


def test_enable_twice_changes_nothing_on_disk(xdg: dict[str, str]) -> None:
    apply(True, command=COMMAND, env=xdg, platform="linux")
    path = Path(xdg["XDG_DATA_HOME"]) / "applications" / DESKTOP_ID
    before = path.stat().st_mtime_ns, path.read_text()
    apply(True, command=COMMAND, env=xdg, platform="linux")
    assert (path.stat().st_mtime_ns, path.read_text()) == before


def test_disable_removes_our_entry_and_our_defaults_only(xdg: dict[str, str]) -> None:
    apply(True, command=COMMAND, env=xdg, platform="linux")
    mimeapps = Path(xdg["XDG_CONFIG_HOME"]) / "mimeapps.list"
    mimeapps.parent.mkdir(parents=True, exist_ok=True)
    mimeapps.write_text(
        "[Default Applications]\n"
        f"x-scheme-handler/tel={DESKTOP_ID}\n"
        f"x-scheme-handler/callto=other.desktop;{DESKTOP_ID};\n"
        f"x-scheme-handler/sip={DESKTOP_ID};\n"
        "text/html=firefox.desktop\n"
        "\n[Added Associations]\n"
        "x-scheme-handler/tel=linphone.desktop;\n")
    result = apply(False, env=xdg, platform="linux")
    path = Path(xdg["XDG_DATA_HOME"]) / "applications" / DESKTOP_ID
    assert not path.exists()
    assert result.desktop_file == path
    assert mimeapps.read_text() == (
        "[Default Applications]\n"
        "x-scheme-handler/callto=other.desktop;\n"
        "text/html=firefox.desktop\n"
        "\n[Added Associations]\n"
        "x-scheme-handler/tel=linphone.desktop;\n")


def test_disable_when_nothing_was_registered_touches_nothing(xdg: dict[str, str]) -> None:
    result = apply(False, env=xdg, platform="linux")
    assert result.desktop_file is None
    assert not Path(xdg["XDG_DATA_HOME"]).exists()
    assert tool_calls(xdg) == []


def test_a_foreign_entry_with_our_name_is_left_alone(xdg: dict[str, str]) -> None:
    path = Path(xdg["XDG_DATA_HOME"]) / "applications" / DESKTOP_ID
    path.parent.mkdir(parents=True)
    path.write_text("[Desktop Entry]\nType=Application\nName=Packaged\nExec=x\n")
    result = apply(False, env=xdg, platform="linux")
    assert path.exists()
    assert result.desktop_file is None
    assert any("not written by this app" in n for n in result.notes)


def test_missing_xdg_mime_is_a_note_not_a_failure(xdg: dict[str, str],
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = apply(True, command=COMMAND, env=xdg, platform="linux")
    assert result.desktop_file is not None
    assert result.desktop_file.exists()
    assert "xdg-mime is not installed" in result.notes


def test_unwritable_folder_raises_a_clear_error(xdg: dict[str, str], tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    env = dict(xdg, XDG_DATA_HOME=str(blocker))
    with pytest.raises(TelLinkError, match="cannot write"):
        apply(True, command=COMMAND, env=env, platform="linux")


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_other_systems_leave_it_to_the_installer(xdg: dict[str, str], platform: str) -> None:
    result = apply(True, command=COMMAND, env=xdg, platform=platform)
    assert result.desktop_file is None
    assert not Path(xdg["XDG_DATA_HOME"]).exists()
    assert result.notes == ("registered by the installer on this system",)


@pytest.mark.parametrize(("arg", "written"), [
    ("/usr/bin/kobikom-desktop", "/usr/bin/kobikom-desktop"),
    ("/home/a b/kobikom-desktop", '"/home/a b/kobikom-desktop"'),
    ("/p/$HOME", '"/p/\\\\$HOME"'),
    ("/p/100%", "/p/100%%"),
    ('/p/"q"', '"/p/\\\\"q\\\\""'),
    ("/p/back\\slash", '"/p/back\\\\\\\\slash"'),
    ("-m", "-m"),
])
def test_exec_quoting(arg: str, written: str) -> None:
    assert exec_argument(arg) == written


def test_exec_refuses_line_breaks() -> None:
    with pytest.raises(TelLinkError):
        exec_argument("/p/a\nb")


def test_python_module_fallback_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tel_links.shutil, "which", lambda _name: None)
    monkeypatch.setattr(tel_links.sys, "argv", ["pytest"])
    command = tel_links.launch_command()
    assert command[1:] == ["-m", "desktop.cli"]
    assert "Exec=" in desktop_entry(command)
