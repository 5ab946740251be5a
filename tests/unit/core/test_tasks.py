"""TaskSet keeps tasks referenced; cancel_and_wait never swallows the caller's cancellation."""

from __future__ import annotations

import asyncio
import logging

import pytest

from desktop.core.tasks import TaskSet, cancel_and_wait


async def test_cancel_and_wait_lets_the_callers_cancellation_through() -> None:
    child_started = asyncio.Event()
    continued = []

    async def child() -> None:
        child_started.set()
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.05)  # slow to stop: the caller is still waiting

    async def caller() -> None:
        task = asyncio.ensure_future(child())
        await child_started.wait()
        await cancel_and_wait(task)
        continued.append(True)  # must not be reached when the caller was cancelled

    outer = asyncio.ensure_future(caller())
    await child_started.wait()
    await asyncio.sleep(0)
    outer.cancel()
    await asyncio.wait([outer])
    assert outer.cancelled()
    assert continued == []


async def test_cancel_and_wait_reraises_a_real_failure() -> None:
    async def broken() -> None:
        raise ValueError("boom")

    task = asyncio.ensure_future(broken())
    await asyncio.sleep(0)
    with pytest.raises(ValueError, match="boom"):
        await cancel_and_wait(task)


async def test_taskset_logs_failures_and_forgets_finished_tasks(caplog) -> None:
    tasks = TaskSet("t")

    async def fail() -> None:
        raise RuntimeError("bad")

    with caplog.at_level(logging.ERROR, logger="kobikom.core.tasks"):
        task = tasks.spawn(fail(), name="failing")
        await asyncio.wait([task])
        await asyncio.sleep(0)
    assert len(tasks) == 0
    assert tasks.failures == 1
    assert "task failing failed" in caplog.text
