"""The X watcher (``bench/xwatch.py``) as an asyncio subprocess.

Every JSON line it prints is kept in :attr:`XWatch.events`; :meth:`XWatch.wait`
returns the first event at index >= *since* that a predicate accepts,
waking on each new line (no polling).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

WATCHER: Final = Path(__file__).resolve().parents[1] / "xwatch.py"
READY_TIMEOUT_S: Final = 20.0

Event = dict[str, Any]


class XWatch:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.events: list[Event] = []
        self._changed = asyncio.Condition()
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> XWatch:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, str(WATCHER), env=self.env, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE)
        self._reader = asyncio.create_task(self._read(), name="xwatch-reader")
        await self.wait(lambda e: e["ev"] == "ready", timeout=READY_TIMEOUT_S)
        return self

    async def _read(self) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        async for line in self._process.stdout:
            event = json.loads(line)
            async with self._changed:
                self.events.append(event)
                self._changed.notify_all()
        async with self._changed:
            self.events.append({"ev": "eof"})
            self._changed.notify_all()

    def mark(self) -> int:
        """Pass as ``since`` to wait only for events after this moment."""
        return len(self.events)

    async def wait(self, accept: Callable[[Event], bool], *, since: int = 0,
                   timeout: float) -> Event:
        async def find() -> Event:
            checked = since
            async with self._changed:
                while True:
                    for event in self.events[checked:]:
                        if event["ev"] == "eof":
                            raise RuntimeError("the X watcher exited")
                        if accept(event):
                            return event
                    checked = len(self.events)
                    await self._changed.wait()
        return await asyncio.wait_for(find(), timeout)

    def close_window(self, window: int) -> None:
        """Ask the watcher to send ``WM_DELETE_WINDOW`` to *window*'s client."""
        assert self._process is not None
        assert self._process.stdin is not None
        self._process.stdin.write(f"close {window}\n".encode())

    async def stop(self) -> None:
        if self._process is None:
            return
        if self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()
        if self._reader is not None:
            await self._reader
