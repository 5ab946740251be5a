"""The real ``kobikom-desktop`` and its simulator as subprocesses of a test.

:class:`AppProcess` runs the tray app the way an agent's desktop does (the
installed console script, Qt's xcb platform on the test's X display) with
its own ``KOBIKOM_DESKTOP_HOME``, ``--debug`` and an explicit ``LANG``.
Tests synchronise on its log lines (:meth:`AppProcess.wait_for_log`), never
on sleeps: with ``--debug`` every record the app writes to its log file also
goes to stderr, so a thread reading stderr wakes the waiters exactly when
the log file has grown, and they read the new lines from the file.

After the test, :meth:`AppProcess.stop` terminates the app and
:meth:`AppProcess.problems` lists log lines that should never appear
(``ERROR``, ``CRITICAL``, ``Traceback``; qutebrowser's "logfail"), minus
those a test declared with :meth:`AppProcess.expect_error`.

:class:`SimulatorProcess` runs ``kobikom-desktop simulator`` and drives it
through its ``/_sim/`` control API.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import httpx

from tests.helpers.xserver import stop_process

#: Default longest wait for one log line.
LOG_TIMEOUT_S: Final = 20.0
#: Waiters re-read the log file at least this often even without stderr output
#: (a safety net: the stderr notification is what normally wakes them).
LOG_RECHECK_S: Final = 0.5
#: Lines of log shown in failure messages.
TAIL_LINES: Final = 60
#: Longest wait for the simulator's "ready" JSON line.
SIMULATOR_READY_S: Final = 20.0
#: Log records that fail a test unless expected.
_BAD_LEVEL = re.compile(r"^\S+ \S+ (ERROR|CRITICAL)\b")
_BAD_TEXT = re.compile(r"Traceback \(most recent call last\)|Fatal Python error")


def program() -> list[str]:
    """The installed ``kobikom-desktop`` script of this venv, else ``python -m desktop.cli``."""
    script = Path(sys.executable).with_name("kobikom-desktop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli"]


def logged_id(call_id: str) -> str:
    """A regex for *call_id* as an INFO log line shows it.

    The log's phone-number masking (``desktop.core.logs.mask_numbers``) also
    hits a call id whose UUID groups are all decimal digits ("95905397-3f39-…"
    is logged as "******97-3f39-…"), so every digit may appear as ``*``.
    """
    return "".join(f"[{c}*]" if c.isdigit() else re.escape(c) for c in call_id) + r"(?!\S)"


@dataclass(frozen=True)
class LogLine:
    index: int
    text: str
    match: re.Match[str]

    @property
    def timestamp(self) -> float:
        """Seconds since the epoch, from the line's ``YYYY-MM-DD HH:MM:SS,mmm`` prefix."""
        stamp = time.strptime(self.text[:19], "%Y-%m-%d %H:%M:%S")
        return time.mktime(stamp) + int(self.text[20:23]) / 1000


class AppProcess:
    """One ``kobikom-desktop`` process; see the module docstring."""

    def __init__(self, home: Path, env: dict[str, str], *, args: Sequence[str] = (),
                 lang: str = "C.UTF-8", name: str = "app",
                 command: Sequence[str] | None = None) -> None:
        """*command* replaces the program (e.g. ``python -X importtime -m desktop.cli``)."""
        self.home = home
        self.name = name
        self.command = list(command) if command is not None else program()
        self.args = ["--debug", *args]
        self.env = dict(env)
        self.env.update(KOBIKOM_DESKTOP_HOME=str(home), LANG=lang, LC_ALL=lang,
                        PYTHONFAULTHANDLER="1",
                        # "Start at login" (the wizard turns it on) writes here, never to
                        # the machine's own ~/.config/autostart or /etc/xdg/autostart.
                        XDG_CONFIG_HOME=str(home / "xdg-config"),
                        XDG_CONFIG_DIRS=str(home / "xdg-config-dirs"))
        self.env.pop("LANGUAGE", None)
        self.log_file = home / "logs" / "kobikom-desktop.log"
        self.stdout_file = home / f"{name}.stdout.txt"
        self.stderr_file = home / f"{name}.stderr.txt"
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self._lines: list[str] = []
        self._offset = 0
        self._partial = b""
        self._changed = threading.Condition()
        self._reader: threading.Thread | None = None
        self._expected: list[re.Pattern[str]] = []

    def __repr__(self) -> str:
        pid = self.process.pid if self.process else None
        return f"<AppProcess {self.name} pid={pid} home={self.home}>"

    # -- life ---------------------------------------------------------------------

    def start(self) -> AppProcess:
        self.home.mkdir(parents=True, exist_ok=True)
        stdout = open(self.stdout_file, "wb")  # noqa: SIM115 - the child keeps it
        try:
            self.started_at = time.monotonic()
            self.process = subprocess.Popen([*self.command, *self.args], env=self.env,
                                            cwd=self.home, stdin=subprocess.DEVNULL,
                                            stdout=stdout, stderr=subprocess.PIPE)
        finally:
            stdout.close()
        self._reader = threading.Thread(target=self._pump_stderr, name=f"{self.name}-stderr",
                                        daemon=True)
        self._reader.start()
        return self

    def _pump_stderr(self) -> None:
        assert self.process is not None
        assert self.process.stderr is not None
        with open(self.stderr_file, "wb") as copy:
            for chunk in iter(self.process.stderr.readline, b""):
                copy.write(chunk)
                copy.flush()
                with self._changed:
                    self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def stop(self) -> int | None:
        """Terminate (SIGTERM, then SIGKILL); returns the exit status."""
        code = stop_process(self.process)
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        return code

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # -- the log ------------------------------------------------------------------

    def _read_new(self) -> None:
        try:
            with open(self.log_file, "rb") as fh:
                fh.seek(self._offset)
                data = fh.read()
        except FileNotFoundError:
            return
        self._offset += len(data)
        data = self._partial + data
        *complete, self._partial = data.split(b"\n")
        self._lines.extend(line.decode("utf-8", "replace") for line in complete)

    def lines(self) -> list[str]:
        self._read_new()
        return list(self._lines)

    def mark(self) -> int:
        """The number of log lines so far: pass as ``since`` to wait for a *new* line."""
        self._read_new()
        return len(self._lines)

    def wait_for_log(self, pattern: str, timeout: float = LOG_TIMEOUT_S,
                     since: int = 0) -> LogLine:
        """The first log line at index >= *since* that *pattern* matches (re.search)."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        checked = since
        while True:
            with self._changed:
                self._read_new()
                for index in range(checked, len(self._lines)):
                    found = regex.search(self._lines[index])
                    if found:
                        return LogLine(index, self._lines[index], found)
                checked = max(checked, len(self._lines))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name}: no log line /{pattern}/ within "
                                         f"{timeout:.0f} s\n{self.tail()}")
                if not self.running:
                    self._read_new()
                    if not any(regex.search(line) for line in self._lines[checked:]):
                        raise AssertionError(
                            f"{self.name} exited ({self.process and self.process.returncode}) "
                            f"without logging /{pattern}/\n{self.tail()}")
                    continue
                self._changed.wait(min(left, LOG_RECHECK_S))

    def expect_error(self, pattern: str) -> None:
        """An ERROR/CRITICAL line matching *pattern* is part of this test, not a failure."""
        self._expected.append(re.compile(pattern))

    def problems(self) -> list[str]:
        """Log lines (and stderr lines) that should not be there."""
        bad = []
        for line in self.lines():
            if (_BAD_LEVEL.search(line) or _BAD_TEXT.search(line)) and not any(
                    p.search(line) for p in self._expected):
                bad.append(line)
        if self.stderr_file.exists():
            for line in self.stderr_file.read_text("utf-8", "replace").splitlines():
                if _BAD_TEXT.search(line) and not any(p.search(line) for p in self._expected):
                    bad.append(f"stderr: {line}")
        return bad

    def tail(self, count: int = TAIL_LINES) -> str:
        lines = self.lines()[-count:]
        out = [f"--- last {len(lines)} line(s) of {self.log_file}"]
        out += [line[:400] for line in lines]
        if self.stderr_file.exists():
            qt = [line for line in self.stderr_file.read_text("utf-8", "replace").splitlines()
                  if not re.match(r"^\d{4}-\d\d-\d\d ", line)][-15:]
            if qt:
                out.append(f"--- stderr lines that are not log records ({self.stderr_file})")
                out += qt
        return "\n".join(out)


class SimulatorProcess:
    """``kobikom-desktop simulator`` on loopback, driven through ``/_sim/``."""

    def __init__(self, workdir: Path, env: dict[str, str], *, flavor: str = "bulut",
                 tcp_port: int = 0, ws_port: int = 0, http_port: int = 0,
                 args: Sequence[str] = (), profile: str | None = None) -> None:
        """*args* are more options of ``kobikom-desktop simulator`` (e.g. ``--replay``);
        *profile* its ``--profile`` (None: the simulator's default, FreeSWITCH legs)."""
        self.workdir = workdir
        self.env = env
        self.argv = [*program(), "simulator", "--flavor", flavor, "--tcp-port", str(tcp_port),
                     "--ws-port", str(ws_port), "--http-port", str(http_port), *args]
        if profile is not None:
            self.argv += ["--profile", profile]
        self.process: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}
        self._client: httpx.Client | None = None

    def start(self) -> SimulatorProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.workdir / "simulator.stderr.txt", "ab") as err:
            self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=err)
        assert self.process.stdout is not None
        line: list[bytes] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()),
                                  daemon=True)
        reader.start()
        reader.join(SIMULATOR_READY_S)
        if not line or not line[0].strip():
            stop_process(self.process)
            raise AssertionError(f"the simulator printed no ready line within "
                                 f"{SIMULATOR_READY_S:.0f} s (exit {self.process.returncode}); "
                                 f"see {self.workdir / 'simulator.stderr.txt'}")
        self.info = json.loads(line[0])
        self._client = httpx.Client(base_url=self.info["http_base"], timeout=10.0)
        return self

    def stop(self) -> int | None:
        if self._client is not None:
            self._client.close()
            self._client = None
        code = stop_process(self.process)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        return code

    @property
    def tcp_port(self) -> int:
        return int(self.info["tcp"])

    @property
    def http_port(self) -> int:
        return int(self.info["http"])

    @property
    def domain_uuid(self) -> str:
        return str(self.info["domain_uuid"])

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        assert self._client is not None, "simulator not started"
        response = self._client.post(f"/_sim/{path}", json=body or {})
        response.raise_for_status()
        return response.json()

    def get(self, path: str) -> Any:
        assert self._client is not None, "simulator not started"
        response = self._client.get(f"/_sim/{path}")
        response.raise_for_status()
        return response.json()

    def ring(self, extension: str = "1001", caller: str = "05321234567", **kwargs: Any) -> str:
        return str(self.post("ring", {"extension": extension, "caller": caller, **kwargs})
                   ["call_id"])

    def answer(self, call_id: str) -> bool:
        return bool(self.post("answer", {"call_id": call_id})["ok"])

    def hangup(self, call_id: str) -> bool:
        return bool(self.post("hangup", {"call_id": call_id})["ok"])

    def emit_oversized(self, size: int) -> int:
        """A valid JSON event frame of *size* bytes to every TCP client (made there)."""
        return int(self.post("emit-oversized", {"bytes": size})["delivered"])

    def received(self, *, clear: bool = False) -> list[dict[str, Any]]:
        """The REST requests the simulator answered so far."""
        return list(self.get("received" + ("?clear=1" if clear else "")))

    def restart_listeners(self) -> dict[str, int]:
        return dict(self.post("restart")["ports"])

    def clients(self) -> list[dict[str, Any]]:
        return list(self.get("clients"))

    def wait_logged_in(self, count: int = 1, timeout: float = 10.0) -> None:
        """Until *count* clients are logged in.  The login reply is undocumented
        and the default profile sends none, so the app's log cannot say it."""
        deadline = time.monotonic() + timeout
        while sum(1 for c in self.clients() if c["authenticated"]) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"not {count} logged-in client(s): {self.clients()}")
            time.sleep(0.05)

    def calls(self) -> list[dict[str, Any]]:
        """The calls in progress on the simulated switch."""
        return list(self.get("calls"))

    def set_profile(self, name: str) -> dict[str, Any]:
        return dict(self.post("profile", {"profile": name})["profile"])


def write_app_settings(home: Path, simulator: SimulatorProcess, *,
                       auto_close_seconds: int = 2, extension: str = "1001") -> Path:
    """A settings file that points the app at *simulator* (Bulut over TCP)."""
    path = home / "config" / "settings.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[account]\n"
        'flavor = "bulut"\n'
        'transport = "tcp"\n'
        f'extensions = ["{extension}"]\n'
        f'domain_uuid = "{simulator.domain_uuid}"\n'
        "\n[server]\n"
        'host = "127.0.0.1"\n'
        f"port = {simulator.tcp_port}\n"
        f'api_base = "{simulator.info["http_base"]}"\n'
        "\n[popup]\n"
        f"auto_close_seconds = {auto_close_seconds}\n",
        encoding="utf-8")
    return path
