"""Start at login: the native mechanism of each system, behind one small interface.

* **Linux and other freedesktop systems** (:class:`XdgAutostart`): the XDG
  Autostart specification.  The ``.deb`` installs a machine-wide entry in
  ``/etc/xdg/autostart/kobikom-desktop.desktop`` (on for every user).  An
  agent turns it off with a file of the same name in
  ``$XDG_CONFIG_HOME/autostart`` holding ``Hidden=true``, which the
  specification says overrides the machine-wide one; turning it on again
  removes that file.  Without a machine-wide entry (a pip or source
  install) the user file is the entry itself.
* **Windows** (:class:`WindowsRunKey`): the MSI writes a ``Run`` value under
  ``HKLM`` (every user).  An agent turns it off the way Task Manager's
  Startup tab does: a "disabled" ``StartupApproved\\Run`` value under
  ``HKCU``; without a machine-wide value the app writes its own ``HKCU``
  ``Run`` value.
* **macOS** (:class:`LaunchAgent`): a per-user launch agent in
  ``~/Library/LaunchAgents`` (System Settings lists it under Login Items).

Machine-wide entries start the app with ``--autostart``; the app then asks
:meth:`Autostart.enabled` and quits at once if this user switched it off,
so the switch holds even where a desktop or Windows version ignores the
per-user override.

Everything here is blocking file or registry I/O: the GUI calls it in a
worker thread.
"""

from __future__ import annotations

import abc
import configparser
import importlib
import os
import plistlib
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Protocol

#: Command-line flag of launches made by a machine-wide autostart entry.
AUTOSTART_FLAG: Final = "--autostart"
#: The entry's file name (XDG) and value name (Windows).
DESKTOP_FILE: Final = "kobikom-desktop.desktop"
RUN_VALUE: Final = "Kobikom Desktop"
LAUNCH_AGENT_LABEL: Final = "tr.com.kobikom.desktop"
#: Marks the user autostart files this app wrote (it never deletes others' files).
OWN_MARK: Final = "X-Kobikom-Autostart"

_RUN_KEY: Final = r"Software\Microsoft\Windows\CurrentVersion\Run"
_APPROVED_KEY: Final = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
#: Task Manager's StartupApproved data: first byte 2 = enabled, 3 = disabled.
_APPROVED_ENABLED: Final = b"\x02" + bytes(11)
_APPROVED_DISABLED: Final = b"\x03" + bytes(11)


class AutostartError(Exception):
    """The autostart entry could not be changed (the message says where and why)."""


class Autostart(abc.ABC):
    """Start at login for the current user."""

    @abc.abstractmethod
    def enabled(self) -> bool:
        """Whether the app starts when this user logs in."""

    @abc.abstractmethod
    def enable(self) -> None:
        """Start at login (raises :class:`AutostartError`)."""

    @abc.abstractmethod
    def disable(self) -> None:
        """Do not start at login (raises :class:`AutostartError`)."""

    @abc.abstractmethod
    def where(self) -> str:
        """Where the entry lives, for ``autostart status`` and the logs."""

    @property
    def machine_wide(self) -> bool:
        """Whether an installer set up autostart for every user."""
        return False

    def set(self, on: bool) -> None:
        if on:
            self.enable()
        else:
            self.disable()


def launch_command() -> list[str]:
    """How to start this app at login: the frozen executable, else the installed script."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.executable).with_name(
        "kobikom-desktop.exe" if sys.platform.startswith("win") else "kobikom-desktop")
    if script.exists():
        return [str(script)]
    found = shutil.which("kobikom-desktop")
    if found:
        return [found]
    return [sys.executable, "-m", "desktop.cli"]


def for_this_system(command: Sequence[str] | None = None) -> Autostart:
    """The backend of the running system."""
    command = list(command) if command is not None else launch_command()
    if sys.platform.startswith("win"):
        return WindowsRunKey(WinRegistry(), command)
    if sys.platform == "darwin":
        return LaunchAgent(Path.home(), command)
    return XdgAutostart.from_environment(command)


# ---------------------------------------------------------------- freedesktop


def _desktop_quote(arg: str) -> str:
    """One Exec argument, quoted as the Desktop Entry specification asks."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`='):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def _read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except configparser.Error:
        return {}
    return dict(parser["Desktop Entry"]) if parser.has_section("Desktop Entry") else {}


def _entry_active(entry: Mapping[str, str]) -> bool:
    if entry.get("Hidden", "").strip().lower() == "true":
        return False
    return entry.get("X-GNOME-Autostart-enabled", "true").strip().lower() != "false"


class XdgAutostart(Autostart):
    """XDG Autostart: a user entry in ``$XDG_CONFIG_HOME/autostart`` overrides the
    machine-wide ones in ``$XDG_CONFIG_DIRS/autostart``."""

    def __init__(self, config_home: Path, config_dirs: Sequence[Path],
                 command: Sequence[str]) -> None:
        self.user_file = config_home / "autostart" / DESKTOP_FILE
        self.system_files = [Path(d) / "autostart" / DESKTOP_FILE for d in config_dirs]
        self.command = list(command)

    @classmethod
    def from_environment(cls, command: Sequence[str],
                         environ: Mapping[str, str] | None = None) -> XdgAutostart:
        environ = os.environ if environ is None else environ
        home = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        dirs = [d for d in (environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":") if d]
        return cls(Path(home), [Path(d) for d in dirs], command)

    def _system_entry(self) -> Path | None:
        """The machine-wide entry that applies (the first one found), if it is active."""
        for path in self.system_files:
            if path.is_file():
                return path if _entry_active(_read_entry(path)) else None
        return None

    @property
    def machine_wide(self) -> bool:
        return self._system_entry() is not None

    def enabled(self) -> bool:
        if self.user_file.is_file():
            return _entry_active(_read_entry(self.user_file))
        return self._system_entry() is not None

    def enable(self) -> None:
        if self._system_entry() is not None:
            self._remove_user_file()  # the machine-wide entry applies again
        else:
            self._write_user_file(hidden=False)

    def disable(self) -> None:
        if self._system_entry() is not None:
            self._write_user_file(hidden=True)  # overrides the machine-wide entry
        else:
            self._remove_user_file()

    def where(self) -> str:
        system = self._system_entry()
        if self.user_file.is_file() or system is None:
            return str(self.user_file)
        return str(system)

    def _write_user_file(self, *, hidden: bool) -> None:
        lines = ["[Desktop Entry]", "Type=Application", "Name=Kobikom Desktop",
                 "Comment=Caller popups and click-to-call for Kobikom PBX agents",
                 "Exec=" + " ".join(_desktop_quote(a) for a in [*self.command, AUTOSTART_FLAG]),
                 "Icon=kobikom-desktop", "Terminal=false", "StartupNotify=false",
                 "NoDisplay=true", f"X-GNOME-Autostart-enabled={'false' if hidden else 'true'}",
                 f"{OWN_MARK}=true"]
        if hidden:
            lines.insert(1, "Hidden=true")
        try:
            self.user_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.user_file.with_name(f".{DESKTOP_FILE}.tmp")
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(tmp, self.user_file)
        except OSError as exc:
            raise AutostartError(f"cannot write {self.user_file}: {exc.strerror or exc}") \
                from None

    def _remove_user_file(self) -> None:
        try:
            self.user_file.unlink(missing_ok=True)
        except OSError as exc:
            raise AutostartError(f"cannot remove {self.user_file}: {exc.strerror or exc}") \
                from None


# ---------------------------------------------------------------- Windows


class Registry(Protocol):
    """The few registry operations the Windows backend needs (``hive`` is "HKCU"/"HKLM")."""

    def get(self, hive: str, key: str, name: str) -> object | None: ...

    def set_string(self, hive: str, key: str, name: str, value: str) -> None: ...

    def set_binary(self, hive: str, key: str, name: str, value: bytes) -> None: ...

    def delete(self, hive: str, key: str, name: str) -> None: ...


def _winreg() -> Any:
    """The ``winreg`` module (Windows only; typed loosely so Linux type checks pass)."""
    return importlib.import_module("winreg")


class WinRegistry:
    """:class:`Registry` over ``winreg`` (Windows only; the 64-bit view)."""

    def _open(self, hive: str, key: str, write: bool) -> Any:
        winreg = _winreg()
        root = winreg.HKEY_CURRENT_USER if hive == "HKCU" else winreg.HKEY_LOCAL_MACHINE
        access = (winreg.KEY_SET_VALUE if write else winreg.KEY_READ) | winreg.KEY_WOW64_64KEY
        if write:
            return winreg.CreateKeyEx(root, key, 0, access)
        return winreg.OpenKey(root, key, 0, access)

    def get(self, hive: str, key: str, name: str) -> object | None:
        try:
            with self._open(hive, key, False) as handle:
                value: object = _winreg().QueryValueEx(handle, name)[0]
                return value
        except OSError:
            return None

    def set_string(self, hive: str, key: str, name: str, value: str) -> None:
        winreg = _winreg()
        with self._open(hive, key, True) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def set_binary(self, hive: str, key: str, name: str, value: bytes) -> None:
        winreg = _winreg()
        with self._open(hive, key, True) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_BINARY, value)

    def delete(self, hive: str, key: str, name: str) -> None:
        try:
            with self._open(hive, key, True) as handle:
                _winreg().DeleteValue(handle, name)
        except FileNotFoundError:
            pass


def _windows_quote(args: Sequence[str]) -> str:
    return " ".join(f'"{a}"' if " " in a or not a else a for a in args)


class WindowsRunKey(Autostart):
    """``Run`` values: the installer's under HKLM, the agent's switch under HKCU."""

    def __init__(self, registry: Registry, command: Sequence[str]) -> None:
        self.registry = registry
        self.command = list(command)

    @property
    def machine_wide(self) -> bool:
        return self.registry.get("HKLM", _RUN_KEY, RUN_VALUE) is not None

    def _switched_off(self) -> bool:
        data = self.registry.get("HKCU", _APPROVED_KEY, RUN_VALUE)
        return isinstance(data, bytes) and bool(data) and bool(data[0] & 1)

    def enabled(self) -> bool:
        present = self.machine_wide or \
            self.registry.get("HKCU", _RUN_KEY, RUN_VALUE) is not None
        return present and not self._switched_off()

    def enable(self) -> None:
        try:
            if self.registry.get("HKCU", _APPROVED_KEY, RUN_VALUE) is not None:
                self.registry.set_binary("HKCU", _APPROVED_KEY, RUN_VALUE, _APPROVED_ENABLED)
            if not self.machine_wide:
                self.registry.set_string("HKCU", _RUN_KEY, RUN_VALUE,
                                         _windows_quote([*self.command, AUTOSTART_FLAG]))
        except OSError as exc:
            raise AutostartError(f"cannot write HKCU\\{_RUN_KEY}: {exc}") from None

    def disable(self) -> None:
        try:
            self.registry.delete("HKCU", _RUN_KEY, RUN_VALUE)
            if self.machine_wide:
                self.registry.set_binary("HKCU", _APPROVED_KEY, RUN_VALUE, _APPROVED_DISABLED)
        except OSError as exc:
            raise AutostartError(f"cannot write HKCU\\{_RUN_KEY}: {exc}") from None

    def where(self) -> str:
        hive = "HKLM" if self.machine_wide else "HKCU"
        return f"{hive}\\{_RUN_KEY}\\{RUN_VALUE}"


# ---------------------------------------------------------------- macOS


class LaunchAgent(Autostart):
    """A per-user launch agent that runs the app at login."""

    def __init__(self, home: Path, command: Sequence[str]) -> None:
        self.path = home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
        self.command = list(command)

    def enabled(self) -> bool:
        try:
            with self.path.open("rb") as fh:
                data = plistlib.load(fh)
        except (OSError, plistlib.InvalidFileException, ValueError):
            return False
        return bool(data.get("RunAtLoad")) and not data.get("Disabled", False)

    def enable(self) -> None:
        agent = {"Label": LAUNCH_AGENT_LABEL,
                 "ProgramArguments": [*self.command, AUTOSTART_FLAG],
                 "RunAtLoad": True, "ProcessType": "Interactive",
                 "LimitLoadToSessionType": "Aqua"}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("wb") as fh:
                plistlib.dump(agent, fh)
        except OSError as exc:
            raise AutostartError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def disable(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise AutostartError(f"cannot remove {self.path}: {exc.strerror or exc}") from None

    def where(self) -> str:
        return str(self.path)
