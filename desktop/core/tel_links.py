"""Make the desktop open ``tel:``, ``callto:`` and ``sip:`` links with this app.

Only when the agent asks for it (``UiSettings.register_tel_links``), and
undone when they switch it off.

Linux and other freedesktop systems: a desktop entry
``kobikom-desktop.desktop`` in ``$XDG_DATA_HOME/applications`` (default
``~/.local/share/applications``) whose ``MimeType`` lists
``x-scheme-handler/tel`` (and ``callto``, ``sip``), then
``xdg-mime default kobikom-desktop.desktop x-scheme-handler/<scheme>`` to
make it the default handler, and ``update-desktop-database`` when present.
Undo removes the entry (only if we wrote it: it carries
``X-Kobikom-Tel-Links=true``) and our entries in ``mimeapps.list``, so the
desktop falls back to the handler it had before.

Windows and macOS register URL schemes at install time (a registry key under
``HKCU\\Software\\Classes``, ``CFBundleURLTypes`` in ``Info.plist``): see
``packaging/``.  Nothing is done there at run time.

Everything here blocks (files, subprocesses): the app calls it with
``asyncio.to_thread``.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

log = logging.getLogger("kobikom.core.tel_links")

DESKTOP_ID: Final = "kobikom-desktop.desktop"
#: The URI schemes the app handles.
SCHEMES: Final = ("tel", "callto", "sip")
MIME_TYPES: Final = tuple(f"x-scheme-handler/{s}" for s in SCHEMES)
#: Marks a desktop entry as ours (we only ever remove our own file).
MARKER: Final = "X-Kobikom-Tel-Links=true"
#: How long ``xdg-mime`` / ``update-desktop-database`` may take.
TOOL_TIMEOUT: Final = 15.0

#: Characters that force quoting of an ``Exec`` argument (Desktop Entry Spec, "Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


class TelLinkError(Exception):
    """The links could not be (un)registered; the message says why."""


@dataclass(frozen=True, slots=True)
class TelLinkResult:
    enabled: bool
    #: The desktop entry written or removed (None: nothing on disk changed).
    desktop_file: Path | None = None
    #: Problems that did not stop the rest (a missing ``xdg-mime``…), in plain words.
    notes: tuple[str, ...] = ()


def supported(platform: str = sys.platform) -> bool:
    """Whether the app registers the links itself here (freedesktop systems)."""
    return platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def launch_command() -> list[str]:
    """How the desktop starts this app: the running or installed script, else ``python -m``."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "kobikom-desktop" and argv0.is_file():
        return [str(argv0.resolve())]
    script = shutil.which("kobikom-desktop")
    if script:
        return [os.path.abspath(script)]
    return [sys.executable, "-m", "desktop.cli"]


def exec_argument(arg: str) -> str:
    """One ``Exec`` argument, quoted and escaped as the Desktop Entry Spec asks."""
    if "\n" in arg or "\r" in arg:
        raise TelLinkError(f"cannot put a line break into a desktop entry: {arg!r}")
    if arg and not (_RESERVED & set(arg)):
        quoted = arg
    else:
        inner = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
        quoted = '"' + inner.replace("$", "\\$") + '"'
    # Field codes start with %; the string-value escaping doubles backslashes again.
    return quoted.replace("%", "%%").replace("\\", "\\\\")


def desktop_entry(command: Sequence[str], icon: str | None = None) -> str:
    """The text of our desktop entry."""
    exec_line = " ".join(exec_argument(a) for a in command) + " %u"
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=Kobikom Desktop",
        "GenericName=Click-to-call",
        "Comment=Call phone numbers through your Kobikom PBX",
        "Comment[tr]=Telefon numaralarını Kobikom santraliniz üzerinden arayın",
        f"Exec={exec_line}",
        "Terminal=false",
        "StartupNotify=false",
        "Categories=Network;Telephony;",
        "MimeType=" + "".join(f"{m};" for m in MIME_TYPES),
        MARKER,
    ]
    if icon:
        lines.insert(8, f"Icon={icon}")
    return "\n".join(lines) + "\n"


def _data_home(env: Mapping[str, str]) -> Path:
    value = env.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def _config_home(env: Mapping[str, str]) -> Path:
    value = env.get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                          check=False)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kobikom-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _tool(name: str, args: Sequence[str], run: Runner, notes: list[str]) -> bool:
    exe = shutil.which(name)
    if exe is None:
        note = f"{name} is not installed"
        if note not in notes:
            notes.append(note)
        return False
    try:
        done = run([exe, *args])
    except (OSError, subprocess.SubprocessError) as exc:
        notes.append(f"{name} failed: {exc}")
        return False
    if done.returncode != 0:
        notes.append(f"{name} {' '.join(args[:1])} failed: "
                     f"{(done.stderr or done.stdout or '').strip()[:200]}")
        return False
    return True


def _remove_defaults(mimeapps: Path) -> bool:
    """Drop our desktop id from ``mimeapps.list``; True if the file changed."""
    try:
        text = mimeapps.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError) as exc:
        raise TelLinkError(f"cannot read {mimeapps}: {exc}") from exc
    out: list[str] = []
    changed = False
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in MIME_TYPES:
            ids = [v for v in value.split(";") if v.strip()]
            kept = [v for v in ids if v.strip() != DESKTOP_ID]
            if kept != ids:
                changed = True
                if not kept:
                    continue
                line = f"{key}={';'.join(kept)};"
        out.append(line)
    if changed:
        _write_atomically(mimeapps, "\n".join(out) + "\n")
    return changed


def apply(enable: bool, *, command: Sequence[str] | None = None, icon: str | None = None,
          env: Mapping[str, str] | None = None, run: Runner = _run,
          platform: str = sys.platform) -> TelLinkResult:
    """Register (or, with ``enable=False``, unregister) the link handlers.

    Idempotent: disabling when nothing is registered touches nothing.
    Raises :class:`TelLinkError` when the desktop entry cannot be written or
    removed; a missing ``xdg-mime`` is only a note.
    """
    if not supported(platform):
        return TelLinkResult(enable, notes=("registered by the installer on this system",))
    env = os.environ if env is None else env
    applications = _data_home(env) / "applications"
    path = applications / DESKTOP_ID
    notes: list[str] = []
    if enable:
        text = desktop_entry(command or launch_command(), icon)
        try:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                _write_atomically(path, text)
        except OSError as exc:
            raise TelLinkError(f"cannot write {path}: {exc.strerror or exc}") from exc
        _tool("update-desktop-database", [str(applications)], run, notes)
        for mime in MIME_TYPES:
            _tool("xdg-mime", ["default", DESKTOP_ID, mime], run, notes)
        log.info("tel:, callto: and sip: links open with %s (%s)", path,
                 "; ".join(notes) or "default handler set")
        return TelLinkResult(True, path, tuple(notes))
    removed: Path | None = None
    try:
        if path.exists():
            if MARKER not in path.read_text(encoding="utf-8", errors="replace"):
                notes.append(f"{path} was not written by this app; left alone")
            else:
                path.unlink()
                removed = path
        _remove_defaults(_config_home(env) / "mimeapps.list")
    except OSError as exc:
        raise TelLinkError(f"cannot remove {path}: {exc.strerror or exc}") from exc
    if removed is not None:
        _tool("update-desktop-database", [str(applications)], run, notes)
        log.info("tel:, callto: and sip: links no longer open with this app")
    return TelLinkResult(False, removed, tuple(notes))
