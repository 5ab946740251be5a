"""Late contacts: the remote directory's answer for a caller, after the first card.

The phone line (:mod:`desktop.core.phone_line`) builds a call's first card
from the local directory at once.  When the local directory does not know
the number, :class:`LateContacts` asks the remote sources
(:class:`desktop.core.remote_directory.RemoteDirectory`: LDAP, then the HTTP
lookup, each on its time budget) in a task of its own and hands the answer
back through ``on_answer``; the line then publishes one more card of the
call (``UPDATED``) with the name.  An answer already in the cache is put on
the caller at once, so a repeat caller's first card has the name.  Nothing
here waits for the network before a card.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from desktop.core.directory import Contact
from desktop.core.journal import NumberHistory
from desktop.core.numbers import PhoneNumber
from desktop.core.remote_directory import RemoteContact, lookup_key
from desktop.core.tasks import cancel_and_wait

log = logging.getLogger("kobikom.core.line")


class RemoteLookup(Protocol):
    """The remote directory sources (:class:`desktop.core.remote_directory.RemoteDirectory`)."""

    def __bool__(self) -> bool: ...

    def cached(self, number: PhoneNumber) -> tuple[bool, RemoteContact | None]: ...

    async def lookup(self, number: PhoneNumber) -> RemoteContact | None: ...


@dataclass(slots=True)
class KnownCaller:
    """What the line looked up once for a call (the number does not change mid-call)."""

    number: PhoneNumber
    contact: Contact | None
    history: NumberHistory
    notes: str | None
    #: The remote directory's contact (only when the local one knows nothing).
    remote: RemoteContact | None = None
    #: A remote lookup is running for this number.
    pending: bool = False

    @property
    def name(self) -> str | None:
        if self.contact is not None:
            return self.contact.display_name
        return self.remote.display_name if self.remote is not None else None


class LateContacts:
    """Remote lookups for the callers the local directory does not know.

    ``on_answer(caller)`` is called on the event loop when a lookup ends
    (with or without a contact); ``caller.pending`` is False by then.
    """

    def __init__(self, remote: RemoteLookup | None,
                 on_answer: Callable[[KnownCaller], None]) -> None:
        self.remote = remote
        self._on_answer = on_answer
        #: Lookups in flight (kept referenced; cancelled when the line stops).
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, caller: KnownCaller, call_id: str) -> None:
        """Ask the remote sources about *caller*'s number, unless the cache knows already."""
        remote = self.remote
        if not remote or lookup_key(caller.number) is None:
            return
        hit, contact = remote.cached(caller.number)
        if hit:
            caller.remote = contact
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # fed outside the event loop (replays, tests): local directory only
        caller.pending = True
        task = loop.create_task(self._ask(remote, caller), name=f"remote-lookup-{call_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ask(self, remote: RemoteLookup, caller: KnownCaller) -> None:
        try:
            contact = await remote.lookup(caller.number)
        except asyncio.CancelledError:
            raise
        except Exception:  # the directory catches its sources' failures; this is a bug
            log.exception("remote lookup failed")
            contact = None
        caller.remote = contact
        caller.pending = False
        try:
            self._on_answer(caller)
        except Exception:
            log.exception("handling a remote lookup's answer failed")

    async def cancel_all(self) -> None:
        tasks, self._tasks = self._tasks, set()
        for task in tasks:
            await cancel_and_wait(task)
