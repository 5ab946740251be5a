"""The account check against the simulator: real HTTP, real event channels, real TLS.

Every check is seen passing, and failing for each of its reasons: wrong
password, wrong API key, wrong domain UUID, unreachable server (a closed
port), TLS problem (a trustme CA the client is not given), extension not
found, SMS token rejected, SMS balance low, a server that hangs up right
after the login, and no answer in time.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import trustme

from desktop.core.account import Account
from desktop.core.account_check import (
    CheckId,
    CheckResult,
    CheckStatus,
    CheckTimeouts,
    PbxExtension,
    Problem,
    run_account_check,
)
from desktop.core.secrets import SecretName, SecretStore
from desktop.core.settings import Settings
from desktop.pbx.connection import Flavor, Transport
from desktop.simulator import Simulator, SimulatorConfig

FAST = CheckTimeouts(rest_connect=3.0, rest_read=3.0, login=5.0, extension=5.0,
                     events_connect=3.0, events_settle=0.5, events_total=6.0, sms=5.0)
WRONG_DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-00000000dead"

SimFactory = Callable[..., Awaitable[Simulator]]


@pytest.fixture
async def make_sim() -> AsyncIterator[SimFactory]:
    started: list[Simulator] = []

    async def factory(**kwargs: Any) -> Simulator:
        kwargs.setdefault("seed_history", 0)
        kwargs.setdefault("random_seed", 3)
        sim = Simulator(SimulatorConfig(**kwargs))
        await sim.start()
        started.append(sim)
        return sim

    yield factory
    for sim in started:
        await sim.stop()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def account_for(sim: Simulator, flavor: Flavor, transport: Transport, *,
                password: str = "demo-password", api_key: str | None = "demo-api-key",
                domain: str | None = None, extensions: tuple[str, ...] = ("1001",),
                sms_token: str | None = "demo-sms-token", sms_api: str = "new",
                event_port: int | None = None, api_base: str | None = None,
                tls: bool = False, ca_file: str = "") -> Account:
    settings = Settings()
    acct, server = settings.account, settings.server
    acct.flavor, acct.transport = flavor, transport
    acct.user = "demo@kobikom.example"
    acct.extensions = list(extensions)
    acct.domain_uuid = sim.cfg.domain_uuid if domain is None else domain
    server.host = "127.0.0.1"
    server.port = event_port or sim.ports[transport.value]
    server.tls = "true" if tls else "false"
    server.ca_file = ca_file
    server.api_base = api_base or sim.http_base
    settings.sms.api = sms_api
    settings.sms.base = api_base or sim.http_base
    store = SecretStore(use_env=False, session_only=True)
    store.set(SecretName.PASSWORD, password, acct.user)
    if api_key:
        store.set(SecretName.API_KEY, api_key)
    if sms_token:
        store.set(SecretName.SMS_API_KEY if sms_api == "old" else SecretName.SMS_TOKEN,
                  sms_token)
    return Account(settings, store)


async def check(account: Account, **kwargs: Any) -> tuple[dict[CheckId, CheckResult], Any]:
    seen: list[CheckResult] = []
    report = await run_account_check(account, on_result=seen.append, timeouts=FAST, **kwargs)
    # Exactly one result per check, delivered as it came.
    assert sorted(r.check.value for r in seen) == sorted(c.value for c in CheckId)
    assert {r.check: r for r in seen} == report.results
    return report.results, report


def only(results: dict[CheckId, CheckResult], failing: CheckId) -> None:
    """Every check passed except *failing* (the SMS check may be skipped)."""
    for check_id, result in results.items():
        if check_id is failing:
            assert result.status is CheckStatus.FAILED, result
        else:
            assert result.status in (CheckStatus.OK, CheckStatus.SKIPPED), result


@pytest.mark.parametrize(("flavor", "transport"), [
    (Flavor.TEKIL, Transport.WS), (Flavor.TEKIL, Transport.TCP),
    (Flavor.BULUT, Transport.TCP), (Flavor.BULUT, Transport.WS)],
    ids=["tekil-ws", "tekil-tcp", "bulut-tcp", "bulut-ws"])
async def test_everything_passes_and_the_extensions_come_back(make_sim, flavor, transport):
    sim = await make_sim(flavor=flavor.value)
    results, report = await check(account_for(sim, flavor, transport))
    assert all(r.status is CheckStatus.OK for r in results.values()), results
    events = results[CheckId.EVENTS].message()
    # No login reply is documented: the default (FreeSWITCH) profile sends none.
    # Tekil's snapshot of extension states proves the login all the same.
    if sim.profile.login_ack or flavor is Flavor.TEKIL:
        assert "accepted the login" in events
    else:
        assert "did not object to the login" in events
    assert results[CheckId.LOGIN].message() == \
        f"Signed in to 127.0.0.1:{sim.ports['http']} as demo@kobikom.example."
    assert report.extensions == [PbxExtension("1001", "Ayşe Demir"),
                                 PbxExtension("1002", "Mehmet Kaya"),
                                 PbxExtension("1003", "Zeynep Çelik")]
    assert "1001 – Ayşe Demir" in results[CheckId.EXTENSION].message()
    assert report.sms_balance == 1000
    assert report.passed
    # The checks really talked to the servers: the login, the extension list, the balance.
    paths = [r["path"] for r in sim.received]
    login = "/login" if flavor is Flavor.TEKIL else "/api/v1/login"
    listing = "/getCentralData/extension" if flavor is Flavor.TEKIL else \
        f"/api/v1/list-user-extension/{sim.cfg.domain_uuid}"
    assert login in paths
    assert listing in paths
    assert "/api/balance" in paths


@pytest.mark.parametrize("flavor", [Flavor.TEKIL, Flavor.BULUT])
async def test_wrong_password(make_sim, flavor):
    sim = await make_sim(flavor=flavor.value)
    results, _ = await check(account_for(sim, flavor, Transport.WS, password="nope"))
    login = results[CheckId.LOGIN]
    assert login.status is CheckStatus.FAILED
    assert login.problem is Problem.WRONG_PASSWORD
    assert "rejected the e-mail or password" in login.message()
    expected_fix = "Kobikom panel" if flavor is Flavor.TEKIL else "technical team"
    assert expected_fix in login.fix()
    assert "nope" not in str(login)
    assert results[CheckId.EXTENSION].status is CheckStatus.SKIPPED
    assert results[CheckId.EXTENSION].problem is Problem.NEEDS_LOGIN


@pytest.mark.parametrize("transport", [Transport.WS, Transport.TCP])
async def test_wrong_api_key(make_sim, transport):
    sim = await make_sim(flavor="tekil")
    results, _ = await check(account_for(sim, Flavor.TEKIL, transport, api_key="wrong-key"))
    only(results, CheckId.EVENTS)
    events = results[CheckId.EVENTS]
    assert events.problem is Problem.WRONG_API_KEY
    assert "rejected the API key" in events.message()
    assert "Geçersiz API anahtarı" in events.message()  # the server's own words
    assert "API ANAHTARI" in events.fix()
    assert "wrong-key" not in str(events)


@pytest.mark.parametrize("transport", [Transport.TCP, Transport.WS])
async def test_wrong_domain_uuid(make_sim, transport):
    sim = await make_sim(flavor="bulut")
    results, _ = await check(account_for(sim, Flavor.BULUT, transport, domain=WRONG_DOMAIN))
    assert results[CheckId.LOGIN].status is CheckStatus.OK
    for check_id in (CheckId.EVENTS, CheckId.EXTENSION):
        result = results[check_id]
        assert result.status is CheckStatus.FAILED, result
        assert result.problem is Problem.WRONG_DOMAIN
        assert "domain UUID" in result.message()
        assert "technical team" in result.fix()
        assert WRONG_DOMAIN not in str(result)  # the only key to the events stays private


@pytest.mark.parametrize("flavor", [Flavor.TEKIL, Flavor.BULUT])
async def test_unreachable_event_server_and_rest_server(make_sim, flavor):
    sim = await make_sim(flavor=flavor.value)
    port = closed_port()
    results, _ = await check(account_for(sim, flavor, Transport.TCP, event_port=port))
    only(results, CheckId.EVENTS)
    events = results[CheckId.EVENTS]
    assert events.problem is Problem.UNREACHABLE
    assert f"127.0.0.1:{port}" in events.message()
    assert "connection refused" in events.message()
    if flavor is Flavor.TEKIL:
        assert "yazilim@kobikom.com.tr" in events.fix()  # the TCP socket is on request only
    else:
        assert f"port {port}" in events.fix()

    api = f"http://127.0.0.1:{closed_port()}"
    results, _ = await check(account_for(sim, flavor, Transport.TCP, api_base=api))
    login = results[CheckId.LOGIN]
    assert login.status is CheckStatus.FAILED
    assert login.problem is Problem.UNREACHABLE
    assert "Cannot reach" in login.message()
    assert results[CheckId.SMS].problem is Problem.UNREACHABLE
    assert results[CheckId.EVENTS].status is CheckStatus.OK


async def test_tls_problem_on_the_event_channel(make_sim, server_cert: trustme.LeafCert,
                                                ca_file: str):
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(server_ctx)
    sim = await make_sim(flavor="bulut", ws_ssl=server_ctx)
    results, _ = await check(account_for(sim, Flavor.BULUT, Transport.WS, tls=True))
    only(results, CheckId.EVENTS)
    events = results[CheckId.EVENTS]
    assert events.problem is Problem.TLS
    assert events.message().startswith("The server's certificate is not trusted: ")
    assert "certificate" in events.detail
    assert "CA certificate" in events.fix()
    # With the CA the same server is fine.
    results, _ = await check(account_for(sim, Flavor.BULUT, Transport.WS, tls=True,
                                         ca_file=ca_file))
    assert results[CheckId.EVENTS].status is CheckStatus.OK


async def test_tls_problem_on_the_rest_api(make_sim, server_cert: trustme.LeafCert,
                                           ca_file: str):
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(server_ctx)
    sim = await make_sim(flavor="tekil", http_ssl=server_ctx)
    assert sim.http_base.startswith("https://")
    results, _ = await check(account_for(sim, Flavor.TEKIL, Transport.WS))
    login = results[CheckId.LOGIN]
    assert login.problem is Problem.TLS
    assert login.message().startswith("The server's certificate is not trusted: ")
    assert results[CheckId.SMS].problem is Problem.TLS
    results, _ = await check(account_for(sim, Flavor.TEKIL, Transport.WS, ca_file=ca_file))
    assert all(r.status is CheckStatus.OK for r in results.values()), results


@pytest.mark.parametrize("flavor", [Flavor.TEKIL, Flavor.BULUT])
async def test_extension_not_found(make_sim, flavor):
    sim = await make_sim(flavor=flavor.value)
    results, report = await check(account_for(sim, flavor, Transport.TCP,
                                              extensions=("1009",)))
    only(results, CheckId.EXTENSION)
    ext = results[CheckId.EXTENSION]
    assert ext.problem is Problem.EXTENSION_NOT_FOUND
    assert ext.message() == "Extension 1009 is not on your PBX."
    assert "1001, 1002, 1003" in ext.fix()
    assert [e.number for e in report.extensions] == ["1001", "1002", "1003"]


async def test_no_extension_chosen_yet_is_a_warning_with_the_list(make_sim):
    sim = await make_sim(flavor="bulut", list_extension_shape="unwrapped")
    results, report = await check(account_for(sim, Flavor.BULUT, Transport.TCP, extensions=()))
    ext = results[CheckId.EXTENSION]
    assert ext.status is CheckStatus.WARNING
    assert ext.problem is Problem.NO_EXTENSION
    assert ext.message() == "The PBX has 3 extensions."
    assert len(report.extensions) == 3  # the saved example's unwrapped shape works too


@pytest.mark.parametrize("api", ["new", "old"])
async def test_sms_token_rejected(make_sim, api):
    sim = await make_sim(flavor="bulut")
    results, _ = await check(account_for(sim, Flavor.BULUT, Transport.TCP, sms_api=api,
                                         sms_token="not-my-token"))
    only(results, CheckId.SMS)
    sms = results[CheckId.SMS]
    assert sms.problem is Problem.SMS_TOKEN_REJECTED
    assert "rejected the token" in sms.message()
    assert "Ayarlar (Settings) → SMS API" in sms.fix()
    assert "not-my-token" not in str(sms)


async def test_sms_with_the_old_api_key_and_a_low_balance(make_sim):
    sim = await make_sim(flavor="tekil", sms_balance=4)
    results, report = await check(account_for(sim, Flavor.TEKIL, Transport.WS, sms_api="old",
                                              sms_token="demo-sms-api-key"))
    sms = results[CheckId.SMS]
    assert sms.status is CheckStatus.WARNING
    assert sms.problem is Problem.BALANCE_LOW
    assert sms.message() == "SMS token accepted, but the balance is low: 4."
    assert "Top up" in sms.fix()
    assert report.sms_balance == 4
    assert report.passed  # a warning does not fail the account
    assert any(r["path"] == "/sms/api" and r["query"].get("action") == "check-balance"
               for r in sim.received)


async def test_no_sms_token_is_skipped_without_a_request(make_sim):
    sim = await make_sim(flavor="bulut")
    results, _ = await check(account_for(sim, Flavor.BULUT, Transport.TCP, sms_token=None))
    assert results[CheckId.SMS].status is CheckStatus.SKIPPED
    assert results[CheckId.SMS].message() == "No SMS token entered (optional)."
    assert not any(r["path"].startswith(("/api/balance", "/sms/")) for r in sim.received)


async def test_server_errors_and_silence_are_reported_not_raised(make_sim):
    sim = await make_sim(flavor="tekil")
    sim.fault("/getCentralData/extension", "garbage", count=2)
    sim.fault("/api/balance", "timeout", count=2)
    results, _ = await check(account_for(sim, Flavor.TEKIL, Transport.WS))
    ext = results[CheckId.EXTENSION]
    assert ext.problem is Problem.SERVER_ERROR
    assert "not JSON" in ext.message()
    sms = results[CheckId.SMS]
    assert sms.problem is Problem.TIMEOUT
    assert results[CheckId.LOGIN].status is CheckStatus.OK


async def test_event_server_that_hangs_up_after_the_login():
    """Tekil's TCP socket when Kobikom has not switched it on (a plausible behaviour)."""
    logins: list[bytes] = []

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        logins.append(await reader.read(1000))
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        sim = Simulator(SimulatorConfig(flavor="tekil", seed_history=0))
        await sim.start()
        try:
            results, _ = await check(account_for(sim, Flavor.TEKIL, Transport.TCP,
                                                 event_port=port))
        finally:
            await sim.stop()
    finally:
        server.close()
        await server.wait_closed()
    events = results[CheckId.EVENTS]
    assert events.problem is Problem.HUNG_UP
    assert "closed the connection right after the login" in events.message()
    assert "yazilim@kobikom.com.tr" in events.fix()
    assert len(logins) == 1
    assert json.loads(logins[0]) == {"cmd": "login", "apikey": "demo-api-key"}


async def test_missing_inputs_are_named_without_any_request(make_sim):
    sim = await make_sim(flavor="bulut")
    account = account_for(sim, Flavor.BULUT, Transport.TCP, password="", domain="",
                          sms_token=None)
    results, _ = await check(account)
    assert results[CheckId.LOGIN].problem is Problem.NOT_ENTERED
    assert results[CheckId.EVENTS].problem is Problem.NOT_ENTERED
    assert results[CheckId.EVENTS].message() == "The domain UUID is not entered."
    assert results[CheckId.EXTENSION].status is CheckStatus.SKIPPED
    assert sim.received == []
    assert sim.connected_clients() == []


async def test_cancelling_the_check_closes_everything(make_sim):
    sim = await make_sim(flavor="bulut", handshake_ack=False)  # a quiet, open channel
    sim.fault("/api/v1/login", "timeout")
    task = asyncio.create_task(run_account_check(
        account_for(sim, Flavor.BULUT, Transport.TCP),
        timeouts=CheckTimeouts(events_settle=30.0, events_total=60.0, login=60.0)))
    for _ in range(200):
        if sim.connected_clients():
            break
        await asyncio.sleep(0.01)
    assert sim.connected_clients()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(200):
        if not sim.connected_clients():
            break
        await asyncio.sleep(0.01)
    assert sim.connected_clients() == []


async def test_a_quiet_event_server_counts_as_accepted_after_the_settle_time(make_sim):
    """Kobikom documents no reply to a good handshake: silence after it is success."""
    sim = await make_sim(flavor="bulut", handshake_ack=False)
    results, _ = await check(account_for(sim, Flavor.BULUT, Transport.TCP))
    events = results[CheckId.EVENTS]
    assert events.status is CheckStatus.OK
    assert events.message() == (f"Connected to 127.0.0.1:{sim.ports['tcp']}; the server did "
                                "not object to the login within 0.5 s.")
