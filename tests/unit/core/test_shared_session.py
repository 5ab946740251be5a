"""The shared REST session: one per account identity, built once, the old one closed."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from desktop.core.account import AccountIncomplete
from desktop.core.shared_session import SharedRestSession
from desktop.core.tasks import TaskSet


class FakeSession:
    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    async def aclose(self) -> None:
        self.closed = True


class FakeAccount:
    """Builds sessions in the worker thread, as the real Account does (keyring, TLS)."""

    def __init__(self) -> None:
        self.built: list[FakeSession] = []
        self.threads: set[int] = set()
        self.user = "a"
        self.incomplete = False

    def rest_session(self) -> FakeSession:
        self.threads.add(threading.get_ident())
        if self.incomplete:
            raise AccountIncomplete("no password")
        session = FakeSession(f"{self.user}-{len(self.built)}")
        self.built.append(session)
        return session


def make(account: FakeAccount, tasks: TaskSet) -> SharedRestSession:
    return SharedRestSession(lambda: account, lambda: (account.user,), tasks)  # type: ignore[arg-type, return-value]


async def test_one_session_for_concurrent_askers_built_off_the_loop_thread() -> None:
    account, tasks = FakeAccount(), TaskSet("t")
    shared = make(account, tasks)
    assert shared.ready() is None
    got = await asyncio.gather(*(shared.get() for _ in range(5)))
    assert len(account.built) == 1
    assert all(s is account.built[0] for s in got)
    assert threading.get_ident() not in account.threads
    assert shared.ready() is account.built[0]


async def test_a_new_identity_builds_a_new_session_and_closes_the_old() -> None:
    account, tasks = FakeAccount(), TaskSet("t")
    shared = make(account, tasks)
    first = await shared.get()
    account.user = "b"
    assert shared.ready() is None  # never the old account's session
    second = await shared.get()
    assert second is not first
    await asyncio.sleep(0)  # the old one is closed in the background
    await asyncio.sleep(0)
    assert first.closed
    assert not second.closed
    await shared.close()
    assert second.closed
    assert shared.ready() is None


async def test_warm_swallows_an_incomplete_account_and_get_raises_it() -> None:
    account, tasks = FakeAccount(), TaskSet("t")
    account.incomplete = True
    shared = make(account, tasks)
    await shared.warm()
    assert shared.ready() is None
    with pytest.raises(AccountIncomplete):
        await shared.get()


async def test_drop_forgets_so_the_next_get_builds_again() -> None:
    account, tasks = FakeAccount(), TaskSet("t")
    shared = make(account, tasks)
    first: Any = await shared.get()
    shared.drop()
    assert shared.ready() is None
    assert await shared.get() is not first
    assert len(account.built) == 2
