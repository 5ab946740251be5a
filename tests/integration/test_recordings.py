"""Recording downloads from the simulated Tekil panel, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from desktop.core.history_sync import HistorySync, TekilCdrSource
from desktop.core.journal import Journal, JournalCall
from desktop.core.recordings import RecordingCache, RecordingService
from desktop.pbx.rest import TekilSession
from desktop.simulator import Simulator, SimulatorConfig

USER = "demo@kobikom.example"
PASSWORD = "demo-password"


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = Simulator(SimulatorConfig(flavor="tekil", seed_history=0, random_seed=3))
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    j = Journal(tmp_path / "journal.sqlite3")
    yield j
    j.close()


async def _answered_call(sim: Simulator, journal: Journal) -> str:
    call_id = await sim.ring(extension="1001", caller="05321234567", answer_after=0.05,
                             hangup_after=0.1)
    await sim.wait_call_end(call_id)
    journal.record(JournalCall(call_id, extension="1001", direction="inbound",
                               number_raw="05321234567", ringing_at=time.time() - 1,
                               outcome="answered"))  # live row: no recording known yet
    return call_id


async def test_download_after_token_expiry_relogs_in_once_then_uses_the_cache(
        sim: Simulator, journal: Journal, tmp_path: Path) -> None:
    call_id = await _answered_call(sim, journal)
    session = TekilSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        sync = HistorySync(journal, lambda: TekilCdrSource(session, ["1001"]))
        cache = RecordingCache(tmp_path / "recordings")
        service = RecordingService(journal, cache, downloader=lambda: session, lookup=sync)
        await session.login()
        sim.expire_tokens()
        progress: list[int] = []
        recording = await service.fetch(call_id, lambda n, total: progress.append(n))
        assert session.logins == 2  # the one re-login after the 401
        downloads = [r for r in sim.received if r["path"] == "/downloadRecording"]
        lookups = [r for r in sim.received if "getCDRFromUniqueID" in r["path"]]
        assert len(lookups) == 2
        assert [r["status"] for r in lookups] == [401, 200]
        assert [r["status"] for r in downloads] == [200]
        assert downloads[0]["query"]["i"] == sim.cdr[-1]["recording"]
        assert recording.info.codec == "GSM 6.10 (WAV49)"
        assert recording.path.parent == tmp_path / "recordings"
        assert progress
        assert progress[-1] == recording.path.stat().st_size
        assert journal.get(call_id).recording == sim.cdr[-1]["recording"]  # type: ignore[union-attr]

        again = await service.fetch(call_id)
        assert again.from_cache
        assert again.path == recording.path
        assert len([r for r in sim.received if r["path"] == "/downloadRecording"]) == 1
    finally:
        await session.aclose()


async def test_download_401_on_the_file_itself_relogs_in_once(
        sim: Simulator, journal: Journal, tmp_path: Path) -> None:
    call_id = await _answered_call(sim, journal)
    journal.set_recording(call_id, sim.cdr[-1]["recording"])
    session = TekilSession(USER, PASSWORD, base_url=sim.http_base)
    try:
        service = RecordingService(journal, RecordingCache(tmp_path / "r"),
                                   downloader=lambda: session)
        await session.login()
        sim.expire_tokens()
        await service.fetch(call_id)
        statuses = [r["status"] for r in sim.received if r["path"] == "/downloadRecording"]
        assert statuses == [401, 200]
        assert session.logins == 2
    finally:
        await session.aclose()


async def test_cancelling_a_download_leaves_nothing_behind(
        sim: Simulator, journal: Journal, tmp_path: Path) -> None:
    call_id = await _answered_call(sim, journal)
    journal.set_recording(call_id, sim.cdr[-1]["recording"])
    sim.fault("/downloadRecording", "timeout", count=1)
    session = TekilSession(USER, PASSWORD, base_url=sim.http_base)
    cache = RecordingCache(tmp_path / "r")
    try:
        service = RecordingService(journal, cache, downloader=lambda: session)
        task = asyncio.get_running_loop().create_task(service.fetch(call_id))
        async with asyncio.timeout(5):
            # the simulator records requests in a list, there is nothing to await
            while not any(r["path"] == "/downloadRecording" for r in sim.received):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert cache.files() == []
    finally:
        await session.aclose()
