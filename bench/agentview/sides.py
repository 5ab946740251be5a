"""The two sides of the agent-view benchmark, as subprocesses.

* :class:`AppSide`: the installed ``kobikom-desktop`` (no ``--debug``: an
  agent's desktop runs without it), with its own ``KOBIKOM_DESKTOP_HOME``
  whose settings point at the benchmark's simulator and whose directory is a
  copy of a pre-built one (N contacts);
* :class:`ScriptSide`: one of the bare scripts in ``bench/bare/``.

Both get the benchmark's X display (``XDisplay.env``) and an explicit
``LANG``.  :meth:`Side.stop` sends SIGTERM and waits (SIGKILL after
``STOP_TIMEOUT_S``), so the next side never overlaps with this one.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
from pathlib import Path
from typing import Final

from tests.helpers.appprocess import program

BARE: Final = Path(__file__).resolve().parents[1] / "bare"
STOP_TIMEOUT_S: Final = 10.0
LANG: Final = "C.UTF-8"


class Side:
    """One process under test."""

    label = "?"

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = dict(env, LANG=LANG, LC_ALL=LANG)
        self.env.pop("LANGUAGE", None)
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    def argv(self) -> list[str]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Set up the working folder before a start."""
        self.workdir.mkdir(parents=True, exist_ok=True)

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.label} is not running"
        return self.process.pid

    async def start(self) -> int:
        self.prepare()
        self.starts += 1
        out = self.workdir / f"{self.label}-{self.starts}.out.txt"
        with open(out, "wb") as sink:  # noqa: ASYNC230 - a log file, opened once
            self.process = await asyncio.create_subprocess_exec(
                *self.argv(), env=self.env, cwd=self.workdir, stdin=asyncio.subprocess.DEVNULL,
                stdout=sink, stderr=sink)
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def stop(self) -> int | None:
        process, self.process = self.process, None
        if process is None:
            return None
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
            except TimeoutError:
                process.kill()
                await process.wait()
        return process.returncode


class AppSide(Side):
    """The real ``kobikom-desktop`` against the benchmark's simulator."""

    label = "app"

    def __init__(self, workdir: Path, env: dict[str, str], *, contacts_db: Path | None,
                 host: str, port: int, domain_uuid: str, api_base: str,
                 extension: str) -> None:
        super().__init__(workdir, env)
        self.env["KOBIKOM_DESKTOP_HOME"] = str(workdir)
        self.contacts_db = contacts_db
        self.settings = (
            "[account]\n"
            'flavor = "bulut"\n'
            'transport = "tcp"\n'
            f'extensions = ["{extension}"]\n'
            f'domain_uuid = "{domain_uuid}"\n'
            "\n[server]\n"
            f'host = "{host}"\n'
            f"port = {port}\n"
            f'api_base = "{api_base}"\n')

    def argv(self) -> list[str]:
        return program()

    def prepare(self) -> None:
        super().prepare()
        settings = self.workdir / "config" / "settings.toml"
        if not settings.exists():
            settings.parent.mkdir(parents=True, exist_ok=True)
            settings.write_text(self.settings, encoding="utf-8")
            if self.contacts_db is not None:
                data = self.workdir / "data"
                data.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.contacts_db, data / "contacts.sqlite3")


class ScriptSide(Side):
    """``python bench/bare/<script> ARGS...``."""

    def __init__(self, workdir: Path, env: dict[str, str], script: str, *args: str) -> None:
        super().__init__(workdir, env)
        self.script = BARE / script
        self.args = list(args)
        self.label = self.script.stem

    def argv(self) -> list[str]:
        return [sys.executable, str(self.script), *self.args]
