"""Fixtures for the simulator tests: real servers on loopback, real clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from desktop.simulator import Simulator, SimulatorConfig

SimFactory = Callable[..., Awaitable[Simulator]]


@pytest.fixture
async def make_sim() -> AsyncIterator[SimFactory]:
    """Start simulators with ``SimulatorConfig(**kwargs)``; all are stopped afterwards.

    These tests check the simulator's channels, REST and scripts under the
    ``single`` profile (one id per call, login acknowledged) unless they ask
    for another; ``test_profiles.py`` checks what each profile puts on the wire.
    """
    started: list[Simulator] = []

    async def factory(**kwargs: Any) -> Simulator:
        kwargs.setdefault("random_seed", 7)
        kwargs.setdefault("seed_history", 0)
        kwargs.setdefault("profile", "single")
        sim = Simulator(SimulatorConfig(**kwargs))
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
