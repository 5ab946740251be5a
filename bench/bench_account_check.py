"""How long "Test connection" takes, and the QR code from request to pixels.

    .venv/bin/python bench/bench_account_check.py [--runs 20]

Against the simulator on loopback (so this measures our side: sessions, TLS
context, channel handshake, parsing), with the default :class:`CheckTimeouts`:

* the whole account check (login, event channel, extension list, SMS
  balance, concurrently) for a Tekil WebSocket and a KobiPBX TCP account,
  p50/p95 (goal: well under the one-minute first-run budget; each check's
  own time limit is 15 s);
* the same when the event server accepts silently (the check then waits
  ``events_settle`` = 3 s by design);
* the QR code: ``get_qr_code`` + PNG checks + ``QImage`` decode + the crisp
  enlargement, p50/p95 (goal < 100 ms on loopback).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.core.account import Account
from desktop.core.account_check import CheckStatus, run_account_check
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings
from desktop.pbx.connection import Flavor, Transport
from desktop.pbx.rest import TekilSession
from desktop.simulator import Simulator, SimulatorConfig


def account(sim: Simulator, flavor: Flavor, transport: Transport) -> Account:
    s = Settings()
    s.account.flavor, s.account.transport = flavor, transport
    s.account.user = sim.cfg.panel_user
    s.account.extensions = ["1001"]
    s.account.domain_uuid = sim.cfg.domain_uuid
    s.server.host, s.server.port, s.server.tls = "127.0.0.1", sim.ports[transport.value], "false"
    s.server.api_base = s.sms.base = sim.http_base
    store = SecretStore(use_env=False, session_only=True)
    store.set(SecretName.PASSWORD, sim.cfg.panel_password, s.account.user)
    store.set(SecretName.API_KEY, sim.cfg.api_key)
    store.set(SecretName.SMS_TOKEN, sim.cfg.sms_token)
    return Account(s, store)


def stats(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(f"{name:<44} p50 {statistics.median(samples) * 1000:8.1f} ms   "
          f"p95 {p95 * 1000:8.1f} ms   (n={len(samples)})")


async def check_times(flavor: Flavor, transport: Transport, runs: int, **cfg: object) -> None:
    sim = Simulator(SimulatorConfig(flavor=flavor.value, seed_history=0, **cfg))  # type: ignore[arg-type]
    await sim.start()
    try:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            report = await run_account_check(account(sim, flavor, transport))
            times.append(time.perf_counter() - started)
            assert all(r.status is CheckStatus.OK for r in report.results.values()), report
        label = f"account check {flavor.value}/{transport.value}"
        if cfg:
            label += " (silent handshake)"
        stats(label, times)
    finally:
        await sim.stop()


async def qr_times(runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.qr_dialog import QR_DISPLAY_SIZE, decode_qr_image

    _app = QApplication.instance() or QApplication([])
    sim = Simulator(SimulatorConfig(flavor="tekil", seed_history=0))
    await sim.start()
    session = TekilSession(sim.cfg.panel_user, sim.cfg.panel_password, base_url=sim.http_base)
    try:
        await session.login()
        times = []
        for i in range(runs):
            started = time.perf_counter()
            png = await session.get_qr_code(f"100{1 + i % 3}", "grandstream")
            image, scaled = await asyncio.to_thread(decode_qr_image, png, QR_DISPLAY_SIZE)
            times.append(time.perf_counter() - started)
            assert scaled.width() == 2 * image.width()
        stats("QR code: fetch + check + decode + enlarge", times)
    finally:
        await session.aclose()
        await sim.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    await check_times(Flavor.TEKIL, Transport.WS, args.runs)
    await check_times(Flavor.BULUT, Transport.TCP, args.runs)
    await check_times(Flavor.BULUT, Transport.TCP, max(3, args.runs // 5), handshake_ack=False)
    await qr_times(args.runs)


if __name__ == "__main__":
    asyncio.run(main())
