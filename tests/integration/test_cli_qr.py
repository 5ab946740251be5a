"""``kobikom-desktop qr`` as a real process against the simulator on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import zxingcpp

from desktop.simulator import Simulator, SimulatorConfig, assets
from tests.unit.simulator import png

RUN_TIMEOUT = 60.0


@pytest.fixture
async def tekil() -> AsyncIterator[Simulator]:
    sim = Simulator(SimulatorConfig(flavor="tekil", seed_history=0))
    await sim.start()
    yield sim
    await sim.stop()


async def qr(tmp_path: Path, *args: str, password: str = "demo-password",
             ) -> tuple[int, str, str]:
    env = {**os.environ, "KOBIKOM_DESKTOP_HOME": str(tmp_path / "home"),
           "KOBIKOM_USER": "demo@kobikom.example", "KOBIKOM_PASSWORD": password,
           "QT_QPA_PLATFORM": "offscreen"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "desktop.cli", "qr", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), RUN_TIMEOUT)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


@pytest.mark.parametrize("app", ["zoiper", "grandstream"])
async def test_saves_the_code_that_decodes_to_the_payload(tekil: Simulator, tmp_path: Path,
                                                          app: str) -> None:
    out = tmp_path / f"{app}.png"
    code, stdout, stderr = await qr(tmp_path, "--flavor", "tekil", "--api-base",
                                    tekil.http_base, "--extension", "1003", "--app", app,
                                    "--out", str(out))
    assert code == 0, stderr
    info = json.loads(stdout)
    assert info == {"file": str(out), "app": app, "extension": "1003", "width": 200,
                    "height": 200, "bytes": out.stat().st_size}
    barcodes = zxingcpp.read_barcodes(png.decode(out.read_bytes()))
    assert [b.text for b in barcodes] == [assets.qr_payload(tekil.cfg, app, "1003")]
    assert out.stat().st_mode & 0o077 == 0  # it holds the SIP password
    assert "demo-password" not in stdout + stderr


async def test_the_extension_comes_from_the_settings_file(tekil: Simulator,
                                                          tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text(f'[account]\nflavor = "tekil"\nextensions = ["1002", "1001"]\n'
                      f'[server]\napi_base = "{tekil.http_base}"\n')
    out = tmp_path / "qr.png"
    code, stdout, stderr = await qr(tmp_path, "--config", str(config), "--app", "zoiper",
                                    "--out", str(out))
    assert code == 0, stderr
    assert json.loads(stdout)["extension"] == "1002"
    assert "/central/getQRCodeZoiper/1002" in [r["path"] for r in tekil.received]


@pytest.mark.parametrize(("args", "password", "code", "words"), [
    (["--flavor", "bulut", "--extension", "1001"], "demo-password", 2,
     "only available for Tekil Santral"),
    (["--flavor", "tekil"], "demo-password", 2, "no extension"),
    (["--flavor", "tekil", "--extension", "9999"], "demo-password", 1,
     "the PBX has no extension 9999"),
    (["--flavor", "tekil", "--extension", "1001"], "wrong", 3, "login rejected"),
], ids=["kobipbx", "no-extension", "unknown-extension", "wrong-password"])
async def test_exit_codes(tekil: Simulator, tmp_path: Path, args: list[str], password: str,
                          code: int, words: str) -> None:
    out = tmp_path / "qr.png"
    result, stdout, stderr = await qr(tmp_path, "--api-base", tekil.http_base, *args,
                                      "--app", "zoiper", "--out", str(out), password=password)
    assert result == code
    assert words in stderr
    assert stdout == ""
    assert not out.exists()


async def test_an_answer_that_is_not_a_png_exits_4_and_writes_nothing(tekil: Simulator,
                                                                      tmp_path: Path) -> None:
    tekil.fault("/central/getQRCode/1001", "garbage")
    out = tmp_path / "qr.png"
    code, _, stderr = await qr(tmp_path, "--flavor", "tekil", "--api-base", tekil.http_base,
                               "--extension", "1001", "--app", "grandstream", "--out", str(out))
    assert code == 4
    assert "the answer is not a PNG image" in stderr
    assert not out.exists()
    assert await asyncio.to_thread(lambda: list(tmp_path.glob(".qr-*"))) == []


async def test_an_unreachable_panel_exits_4(tmp_path: Path) -> None:
    code, _, stderr = await qr(tmp_path, "--flavor", "tekil", "--api-base",
                               "http://127.0.0.1:9", "--extension", "1001", "--app", "zoiper",
                               "--out", str(tmp_path / "qr.png"))
    assert code == 4
    assert "cannot connect" in stderr
