"""``kobikom-desktop history`` and ``recording save``: the real CLI entry point.

The history command reads a real journal file under ``KOBIKOM_DESKTOP_HOME``;
``recording save`` downloads from the simulator (running on its own loop in
a thread, since the CLI runs ``asyncio.run`` itself) over loopback HTTP.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop import cli
from desktop.cli import common
from desktop.core.journal import Journal, JournalCall
from desktop.core.recordings import inspect_audio
from desktop.simulator import Simulator, SimulatorConfig

NOW = time.time()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KOBIKOM_DESKTOP_HOME", str(tmp_path))
    for name in ("KOBIKOM_USER", "KOBIKOM_PASSWORD", "KOBIKOM_TOKEN", "KOBIKOM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _fill(home: Path) -> None:
    journal = Journal(home / "data" / "journal.sqlite3")
    journal.record(JournalCall("c1", extension="1001", direction="inbound",
                               number_raw="05321234567", contact_name_at_time="Ayşe Yılmaz",
                               ringing_at=NOW - 3 * 86400, answered_at=NOW - 3 * 86400 + 5,
                               ended_at=NOW - 3 * 86400 + 125, outcome="answered",
                               recording="2024/01/x.WAV"))
    journal.record(JournalCall("c2", extension="1001", direction="inbound",
                               number_raw="02122223344", ringing_at=NOW - 3600,
                               ended_at=NOW - 3590, outcome="missed"))
    journal.record(JournalCall("c3", extension="1001", direction="outbound",
                               number_raw="05429998877", ringing_at=NOW - 60,
                               outcome="not_answered"))
    journal.close()


def test_history_table_json_and_filters(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["history"]) == common.EXIT_NOT_FOUND
    assert "no call history yet" in capsys.readouterr().err
    _fill(home)
    assert cli.main(["history"]) == common.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["TIME", "NUMBER"]
    assert [line.split()[-1] for line in lines[1:]] == ["c3", "c2", "c1"]
    assert "0532 123 45 67" in lines[3]
    assert "Ayşe Yılmaz" in lines[3]
    assert "2:00" in lines[3]
    assert "MISSED (new)" in lines[2]
    assert "rec" in lines[3]

    assert cli.main(["history", "--json", "--missed"]) == common.EXIT_OK
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["call_id"] for r in rows] == ["c2"]
    assert rows[0]["number_key"] == "+902122223344"
    assert rows[0]["new"] is True

    assert cli.main(["history", "--json", "--since", "1d"]) == common.EXIT_OK
    assert [json.loads(x)["call_id"] for x in capsys.readouterr().out.splitlines()] == [
        "c3", "c2"]
    assert cli.main(["history", "--json", "--limit", "1"]) == common.EXIT_OK
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert cli.main(["history", "--since", "geçen hafta"]) == common.EXIT_USAGE
    assert "not a date" in capsys.readouterr().err


class SimThread:
    """The simulator on its own event loop in a background thread."""

    def __init__(self, **config: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.sim = Simulator(SimulatorConfig(**config))
        self.run(self.sim.start())

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=20)

    def stop(self) -> None:
        self.run(self.sim.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


@pytest.fixture
def tekil() -> Iterator[SimThread]:
    sim = SimThread(flavor="tekil", seed_history=0, random_seed=9)
    yield sim
    sim.stop()


def test_recording_save_downloads_checks_and_writes(
        home: Path, tekil: SimThread, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    sim = tekil.sim

    async def call() -> str:
        call_id = await sim.ring(extension="1001", caller="05321234567", answer_after=0.05,
                                 hangup_after=0.1)
        await sim.wait_call_end(call_id)
        return call_id

    call_id = tekil.run(call())
    monkeypatch.setenv("KOBIKOM_USER", sim.cfg.panel_user)
    monkeypatch.setenv("KOBIKOM_PASSWORD", sim.cfg.panel_password)
    options = ["--flavor", "tekil", "--api-base", sim.http_base, "--extension", "1001"]
    out = tmp_path / "kayit.wav"
    # the call is not in the local journal: found by its PBX id
    assert cli.main(["recording", "save", call_id, "--out", str(out), *options]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["codec"] == "GSM 6.10 (WAV49)"
    assert not summary["from_cache"]
    assert inspect_audio(out.read_bytes()).duration == pytest.approx(summary["seconds"])
    # again: from the cache, no second download
    assert cli.main(["recording", "save", call_id, "--out", str(out), *options]) == 0
    assert json.loads(capsys.readouterr().out)["from_cache"] is True
    assert len([r for r in sim.received if r["path"] == "/downloadRecording"]) == 1

    assert cli.main(["recording", "save", "1.2", "--out", str(out), *options]) == \
        common.EXIT_NOT_FOUND
    assert "no recording" in capsys.readouterr().err.lower()
    monkeypatch.setenv("KOBIKOM_PASSWORD", "wrong")
    assert cli.main(["recording", "save", "3.4", "--out", str(out), *options]) == \
        common.EXIT_AUTH
    assert "giris basarisiz" in capsys.readouterr().err
