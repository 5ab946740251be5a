"""``kobikom-desktop sms …`` as a real process against the simulator over HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from desktop.simulator import Simulator, SimulatorConfig

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    simulator = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.2))
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


async def cli(home: Path, *args: str, token: str | None = "demo-sms-token",
              ) -> tuple[int, list[dict], str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KOBIKOM_") and k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(KOBIKOM_DESKTOP_HOME=str(home),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    if token is not None:
        env["KOBIKOM_SMS_TOKEN"] = token
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop.cli", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    rows = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    return process.returncode or 0, rows, err.decode()


async def test_send_writes_sends_and_reports(sim, tmp_path: Path):
    code, rows, err = await cli(tmp_path, "sms", "send", "--to", "0532 411 80 27", "--text",
                                "Sizi aradık, ulaşamadık.", "--from", "DEMOFIRMA",
                                "--sms-base", sim.http_base, "--wait", "5")
    assert code == 0, err
    assert [r["state"] for r in rows] == ["delivered"]
    assert rows[0]["encoding"] == "turkish"
    assert len(sim.sms) == 1
    assert rows[0]["provider_id"] == sim.sms[0]["uuid"]
    code, listed, _ = await cli(tmp_path, "sms", "list", "--json")
    assert code == 0
    assert [r["id"] for r in listed] == [rows[0]["id"]]
    log = (tmp_path / "logs" / "kobikom-desktop.log").read_text()
    assert "demo-sms-token" not in log
    assert "05324118027" not in log
    assert "5324118027" not in log


async def test_without_from_the_first_title_of_the_account_is_used(sim, tmp_path: Path):
    code, rows, err = await cli(tmp_path, "sms", "send", "--to", "05324118027", "--text", "Hi",
                                "--sms-base", sim.http_base, "--wait", "0")
    assert code == 0, err
    assert rows[0]["sender"] == sim.cfg.sms_senders[0]


async def test_an_invalid_number_is_exit_2_and_writes_nothing(sim, tmp_path: Path):
    code, rows, err = await cli(tmp_path, "sms", "send", "--to", "1001", "--text", "x",
                                "--from", "DEMOFIRMA", "--sms-base", sim.http_base)
    assert code == 2
    assert "invalid number" in err
    assert not rows
    _, listed, _ = await cli(tmp_path, "sms", "list", "--json")
    assert listed == []


async def test_a_missing_token_is_exit_3(sim, tmp_path: Path):
    code, _, err = await cli(tmp_path, "sms", "send", "--to", "05324118027", "--text", "x",
                             "--from", "DEMOFIRMA", "--sms-base", sim.http_base, token=None)
    assert code == 3
    assert "KOBIKOM_SMS_TOKEN" in err


async def test_a_rejected_token_is_exit_3_and_the_message_is_kept(sim, tmp_path: Path):
    code, rows, err = await cli(tmp_path, "sms", "send", "--to", "05324118027", "--text", "x",
                                "--from", "DEMOFIRMA", "--sms-base", sim.http_base,
                                token="wrong-token-123")
    assert code == 3, err
    assert rows[0]["state"] == "queued"
    assert "kept in the outbox" in err
    assert "wrong-token-123" not in err
    assert not sim.sms
    code, rows, err = await cli(tmp_path, "sms", "flush", "--sms-base", sim.http_base,
                                "--wait", "5")
    assert code == 0, err
    assert rows[0]["state"] == "delivered"
    assert len(sim.sms) == 1


async def test_no_network_queues_it_and_flush_sends_it_later(tmp_path: Path):
    sim = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.2))
    await sim.start()
    port, base = sim.ports["http"], sim.http_base
    await sim.stop()
    code, rows, err = await cli(tmp_path, "sms", "send", "--to", "05324118027", "--text",
                                "Adres bilgimiz: Bursa", "--from", "DEMOFIRMA",
                                "--sms-base", base, "--wait", "1")
    assert code == 4
    assert "queued, will be sent when the connection is back" in err
    assert rows[0]["state"] == "queued"
    sim = Simulator(SimulatorConfig(seed_history=0, http_port=port, sms_delivery_delay=0.2))
    await sim.start()
    try:
        code, rows, err = await cli(tmp_path, "sms", "flush", "--sms-base", base, "--wait", "5")
        assert code == 0, err
        assert rows[0]["state"] == "delivered"
        assert len(sim.sms) == 1
    finally:
        await sim.stop()


async def test_unconfirmed_is_exit_4_never_resent_and_can_be_cancelled(sim, tmp_path: Path):
    sim.fault("/api/message/send", "disconnect")  # the connection drops after the request
    code, rows, err = await cli(tmp_path, "sms", "send", "--to", "05324118027", "--text", "x",
                                "--from", "DEMOFIRMA", "--sms-base", sim.http_base,
                                "--wait", "1")
    assert code == 4
    assert "NOT sent again" in err
    assert rows[0]["state"] in ("unknown", "needs_agent")
    code, cancelled, _ = await cli(tmp_path, "sms", "cancel", rows[0]["id"][:12])
    assert code == 0
    assert cancelled[0]["state"] == "cancelled"
    assert len([r for r in sim.received if r["path"] == "/api/message/send"]) == 1


async def test_a_partial_failure_names_the_one_to_resend_and_resend_sends_only_it(
        tmp_path: Path):
    sim = Simulator(SimulatorConfig(seed_history=0, sms_delivery_delay=0.2, sms_balance=1))
    await sim.start()
    try:
        code, rows, err = await cli(tmp_path, "sms", "send", "--to", "05324118027", "--to",
                                    "05427730516", "--text", "Kargonuz yolda",
                                    "--from", "DEMOFIRMA", "--sms-base", sim.http_base,
                                    "--wait", "5")
        assert code == 4
        assert [r["state"] for r in rows] == ["delivered", "failed"]
        refused = rows[1]["id"]
        assert f"'sms resend {refused}' tries this one again" in err
        sim.top_up_sms(5)
        code, again, err = await cli(tmp_path, "sms", "resend", refused[:12],
                                     "--sms-base", sim.http_base, "--wait", "5")
        assert code == 0, err
        assert again[0]["state"] == "delivered"
        assert sorted(m["to"] for m in sim.sms) == ["+905324118027", "+905427730516"]
        assert len([r for r in sim.received if r["path"] == "/api/message/send"]) == 3
    finally:
        await sim.stop()
