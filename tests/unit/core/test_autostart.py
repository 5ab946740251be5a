"""Start at login: XDG autostart for real on a temp tree; the Windows and macOS logic."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from desktop.core.autostart import (
    AUTOSTART_FLAG,
    DESKTOP_FILE,
    AutostartError,
    LaunchAgent,
    WindowsRunKey,
    XdgAutostart,
)

COMMAND = ["/opt/kobikom desktop/kobikom-desktop"]
SYSTEM_ENTRY = """\
[Desktop Entry]
Type=Application
Name=Kobikom Desktop
Exec=kobikom-desktop --autostart
"""


def xdg(tmp_path: Path, *, system: bool) -> XdgAutostart:
    system_dir = tmp_path / "etc-xdg"
    if system:
        (system_dir / "autostart").mkdir(parents=True)
        (system_dir / "autostart" / DESKTOP_FILE).write_text(SYSTEM_ENTRY)
    return XdgAutostart(tmp_path / "home-config", [tmp_path / "other", system_dir], COMMAND)


def test_without_an_installer_entry_the_user_file_is_the_switch(tmp_path: Path) -> None:
    auto = xdg(tmp_path, system=False)
    assert not auto.enabled()
    assert not auto.machine_wide
    auto.enable()
    assert auto.enabled()
    text = auto.user_file.read_text()
    assert f'Exec="/opt/kobikom desktop/kobikom-desktop" {AUTOSTART_FLAG}' in text
    assert "Hidden" not in text
    auto.disable()
    assert not auto.user_file.exists()  # turning it off removes the entry
    assert not auto.enabled()


def test_the_agent_switches_off_the_installers_entry_with_a_hidden_override(
        tmp_path: Path) -> None:
    auto = xdg(tmp_path, system=True)
    assert auto.machine_wide
    assert auto.enabled()  # on by default after install
    auto.disable()
    assert not auto.enabled()
    assert "Hidden=true" in auto.user_file.read_text()
    system_file = tmp_path / "etc-xdg" / "autostart" / DESKTOP_FILE
    assert system_file.read_text() == SYSTEM_ENTRY  # the package's file is untouched
    auto.enable()
    assert not auto.user_file.exists()
    assert auto.enabled()


def test_a_hidden_system_entry_is_off(tmp_path: Path) -> None:
    auto = xdg(tmp_path, system=True)
    (tmp_path / "etc-xdg" / "autostart" / DESKTOP_FILE).write_text(SYSTEM_ENTRY + "Hidden=true\n")
    assert not auto.enabled()
    auto.enable()
    assert auto.enabled()
    assert "Hidden" not in auto.user_file.read_text()


def test_xdg_paths_come_from_the_environment(tmp_path: Path) -> None:
    auto = XdgAutostart.from_environment(
        COMMAND, {"XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_CONFIG_DIRS": "/a:/b"})
    assert auto.user_file == tmp_path / "c" / "autostart" / DESKTOP_FILE
    assert auto.system_files == [Path("/a/autostart") / DESKTOP_FILE,
                                 Path("/b/autostart") / DESKTOP_FILE]


def test_an_unwritable_autostart_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    auto = xdg(tmp_path, system=False)
    (tmp_path / "home-config").write_text("a file, not a folder")
    with pytest.raises(AutostartError, match="home-config"):
        auto.enable()


class FakeRegistry:
    """The registry as a dict: Windows cannot run here (see the module docstring)."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, str], object] = {}

    def get(self, hive: str, key: str, name: str) -> object | None:
        return self.values.get((hive, key, name))

    def set_string(self, hive: str, key: str, name: str, value: str) -> None:
        self.values[(hive, key, name)] = value

    def set_binary(self, hive: str, key: str, name: str, value: bytes) -> None:
        self.values[(hive, key, name)] = value

    def delete(self, hive: str, key: str, name: str) -> None:
        self.values.pop((hive, key, name), None)


RUN = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"


def test_windows_machine_wide_entry_is_switched_off_per_user() -> None:
    reg = FakeRegistry()
    reg.set_string("HKLM", RUN, "Kobikom Desktop", r'"C:\Program Files\Kobikom\k.exe"')
    auto = WindowsRunKey(reg, [r"C:\Program Files\Kobikom\k.exe"])
    assert auto.enabled()
    auto.disable()
    assert not auto.enabled()
    assert reg.get("HKLM", RUN, "Kobikom Desktop") is not None  # the MSI's value stays
    assert reg.get("HKCU", APPROVED, "Kobikom Desktop") == b"\x03" + bytes(11)
    auto.enable()
    assert auto.enabled()
    assert reg.get("HKCU", RUN, "Kobikom Desktop") is None  # no second entry


def test_windows_without_the_installer_writes_the_users_run_value() -> None:
    reg = FakeRegistry()
    auto = WindowsRunKey(reg, [r"C:\Users\a\k.exe"])
    auto.enable()
    assert reg.get("HKCU", RUN, "Kobikom Desktop") == rf"C:\Users\a\k.exe {AUTOSTART_FLAG}"
    auto.disable()
    assert reg.get("HKCU", RUN, "Kobikom Desktop") is None
    assert not auto.enabled()


def test_macos_login_item_is_a_launch_agent(tmp_path: Path) -> None:
    auto = LaunchAgent(tmp_path, ["/Applications/Kobikom Desktop.app/Contents/MacOS/k"])
    assert not auto.enabled()
    auto.enable()
    with auto.path.open("rb") as fh:
        agent = plistlib.load(fh)
    assert agent["RunAtLoad"] is True
    assert agent["ProgramArguments"][-1] == AUTOSTART_FLAG
    assert auto.enabled()
    auto.disable()
    assert not auto.path.exists()
