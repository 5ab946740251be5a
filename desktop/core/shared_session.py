"""The account's REST session, shared by every feature (click-to-call, history, QR, board…).

Created on first use and recreated when the account changes (its *identity*:
demo or live, flavour, user, API base); it logs in lazily and logs in again on
its own (:mod:`desktop.pbx.rest`).  Building it reads the keyring and loads
the CA bundle, so that happens in a worker thread; the shared attributes are
only ever assigned on the event loop, under one lock, so two features asking
at once share one session and one keyring read.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Hashable
from typing import Any

from desktop.core.account import Account, AccountIncomplete
from desktop.core.tasks import TaskSet

__all__ = ["SharedRestSession"]


class SharedRestSession:
    """One REST session for the account in effect (see the module docstring)."""

    def __init__(self, account: Callable[[], Account], identity: Callable[[], tuple[Hashable, ...]],
                 tasks: TaskSet) -> None:
        """*account*: the account in effect now; *identity*: what makes two accounts the
        same session (a change builds a new one and closes the old one)."""
        self._account = account
        self._identity = identity
        self._tasks = tasks
        self._session: Any = None
        self._key: tuple[Hashable, ...] | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Any:
        """The session for the current account (raises ``AccountIncomplete``)."""
        async with self._lock:
            key = self._identity()
            if self._session is None or self._key != key:
                session = await asyncio.to_thread(self._account().rest_session)
                self.drop()
                self._session, self._key = session, key
            return self._session

    def ready(self) -> Any:
        """The session if it is already built for the current account, else None (for
        synchronous callers on the GUI thread: never reads the keyring)."""
        if self._session is not None and self._key == self._identity():
            return self._session
        return None

    def drop(self) -> None:
        """Forget the session (closed in the background); the next :meth:`get` builds one."""
        old, self._session, self._key = self._session, None, None
        if old is not None:
            self._tasks.spawn(old.aclose(), name="close-old-session")

    async def warm(self) -> None:
        """Build the session ahead of need, so the first click-to-call, QR code or
        phonebook sync is instant (and available to synchronous callers)."""
        with contextlib.suppress(AccountIncomplete):
            await self.get()

    async def close(self) -> None:
        """Close the session now (at shutdown, when no task is left to close it)."""
        old, self._session, self._key = self._session, None, None
        if old is not None:
            await old.aclose()
