"""Click-to-call against the simulator over real HTTP and a real WebSocket.

Each backend must send exactly the documented request (what the simulator
received is compared field by field), re-login once after an expired token,
and never send a dial twice after a timeout, a 5xx, a garbled answer or a
connection dropped mid-answer (the simulator counts the requests it saw).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from desktop.core.calls import CallTracker
from desktop.core.dialing import DEFAULT_TRUNK, ClickToCall, DialStatus
from desktop.core.phone_line import PhoneLine
from desktop.core.settings import Settings
from desktop.pbx.channels import ChannelTiming, Credentials, open_channel
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport
from desktop.pbx.errors import AmbiguousError, RequestError, ServerError
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.simulator import Simulator, SimulatorConfig
from tests.integration.conftest import FAST_BACKOFF, SLOW_AUTH

USER = "demo@kobikom.example"
PASSWORD = "demo-password"
API_KEY = "demo-api-key"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
#: Short enough that a hanging server fails the test quickly, long enough for loopback.
SHORT = httpx.Timeout(connect=5.0, read=1.0, write=5.0, pool=5.0)
WAIT = 10.0


@contextlib.asynccontextmanager
async def simulator(flavor: str) -> AsyncIterator[Simulator]:
    sim = Simulator(SimulatorConfig(flavor=flavor, host="127.0.0.1"))  # type: ignore[arg-type]
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


def settings_for(flavor: Flavor, *, transport: Transport = Transport.TCP,
                 originate: bool = False) -> Settings:
    s = Settings()
    s.account.flavor = flavor
    s.account.transport = transport
    s.account.extensions = ["1001"]
    s.account.domain_uuid = DOMAIN
    s.account.crm_id = "crm-42"
    s.dial.use_ws_originate = originate
    return s


def service(settings: Settings, session: Any, *, line: Any = None,
            timeout: float = 1.0) -> ClickToCall:
    async def provide() -> Any:
        return session

    return ClickToCall(settings=lambda: settings, session=provide, line=lambda: line,
                       timeout=timeout)


def requests_to(sim: Simulator, path: str) -> list[dict[str, Any]]:
    return [r for r in sim.received if r["path"] == path]


# ---------------------------------------------------------------- documented requests


async def test_tekil_central_dial_has_exactly_the_documented_fields() -> None:
    async with simulator("tekil") as sim, \
            TekilSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        result = await service(settings_for(Flavor.TEKIL), session).dial(
            "tel:+90-532-123-45-67", source="test")
        assert result.status is DialStatus.STARTED
        assert result.server_message == "Arama Başladı"
        assert result.message == ("Your phone (1001) is ringing; then 0532 123 45 67 will "
                                  "be called.")
        [dial] = requests_to(sim, "/central/dial")
        assert dial["method"] == "POST"
        assert dial["headers"]["Content-Type"].startswith("multipart/form-data")
        assert dial["form"] == {"extension": "1001", "number": "05321234567"}
        assert dial["json"] is None
        assert dial["query"] == {}
        assert dial["headers"]["Authorization"].startswith("Bearer <len ")
        assert dial["status"] == 200


async def test_kobipbx_clicktocall_has_exactly_the_documented_fields() -> None:
    async with simulator("bulut") as sim, \
            KobiPbxSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        result = await service(settings_for(Flavor.BULUT), session).dial(
            "0 (532) 123 45 67", source="test")
        assert result.status is DialStatus.STARTED
        assert result.backend == "kobipbx"
        [dial] = requests_to(sim, "/api/v1/clicktocall")
        assert dial["method"] == "POST"
        assert dial["headers"]["Content-Type"] == "application/json"
        assert dial["json"] == {"extensionNumber": "1001", "destinationNumber": "05321234567",
                                "domainUuid": DOMAIN}
        assert dial["form"] == {}
        assert dial["headers"]["Authorization"].startswith("Bearer <len ")


async def test_foreign_and_internal_numbers_on_the_wire() -> None:
    async with simulator("tekil") as sim, \
            TekilSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        svc = service(settings_for(Flavor.TEKIL), session)
        assert (await svc.dial("1002", source="test")).ok
        assert (await svc.dial("+44 20 7946 0958", source="test")).ok  # confirm=None: confirmed
        numbers = [r["form"]["number"] for r in requests_to(sim, "/central/dial")]
        assert numbers == ["1002", "00442079460958"]


async def test_tekil_refusal_is_shown_with_the_servers_message() -> None:
    async with simulator("tekil") as sim, \
            TekilSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        settings = settings_for(Flavor.TEKIL)
        settings.account.extensions = ["9999"]  # not an extension of the simulated PBX
        with pytest.raises(RequestError) as raised:
            await session.dial("9999", "05321234567")
        assert raised.value.server_message == "Dahili bulunamadı"
        assert raised.value.may_have_reached_server is False
        result = await service(settings, session).dial("05321234567", source="test")
        assert result.status is DialStatus.REFUSED
        assert result.server_message == "Dahili bulunamadı"
        assert len(requests_to(sim, "/central/dial")) == 2


async def test_kobipbx_refusal_is_shown_with_the_servers_message() -> None:
    async with simulator("bulut") as sim, \
            KobiPbxSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        settings = settings_for(Flavor.BULUT)
        settings.account.extensions = ["9999"]
        result = await service(settings, session).dial("05321234567", source="test")
        assert result.status is DialStatus.REFUSED
        assert result.server_message == "Dahili bulunamadı"
        assert len(requests_to(sim, "/api/v1/clicktocall")) == 1


# ---------------------------------------------------------------- the one safe retry


@pytest.mark.parametrize(("flavor", "session_class", "path", "login"), [
    ("tekil", TekilSession, "/central/dial", "/login"),
    ("bulut", KobiPbxSession, "/api/v1/clicktocall", "/api/v1/login"),
])
async def test_expired_token_one_relogin_one_resend(flavor: str, session_class: Any,
                                                    path: str, login: str) -> None:
    async with simulator(flavor) as sim, \
            session_class(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        await session.login()
        sim.expire_tokens()
        result = await service(settings_for(Flavor(flavor)), session).dial(
            "05321234567", source="test")
        assert result.status is DialStatus.STARTED
        seen = [(r["path"], r["status"]) for r in sim.received if r["path"] in (path, login)]
        assert seen == [(login, 200), (path, 401), (login, 200), (path, 200)]


@pytest.mark.parametrize(("flavor", "session_class", "path"), [
    ("tekil", TekilSession, "/central/dial"),
    ("bulut", KobiPbxSession, "/api/v1/clicktocall"),
])
async def test_token_rejected_twice_is_an_auth_failure_sent_twice_at_most(
        flavor: str, session_class: Any, path: str) -> None:
    async with simulator(flavor) as sim, \
            session_class(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        sim.fault(path, "401", count=5)
        result = await service(settings_for(Flavor(flavor)), session).dial(
            "05321234567", source="test")
        assert result.status is DialStatus.AUTH_FAILED
        assert len(requests_to(sim, path)) == 2  # the first and the one resend


# ---------------------------------------------------------------- never resent


@pytest.mark.parametrize(("fault", "status"), [
    ("timeout", DialStatus.NO_ANSWER),
    ("accept-then-timeout", DialStatus.NO_ANSWER),  # the dial happened, the answer did not
    ("disconnect", DialStatus.NO_ANSWER),
    ("500", DialStatus.SERVER_ERROR),
    ("garbage", DialStatus.SERVER_ERROR),
])
@pytest.mark.parametrize(("flavor", "session_class", "path"), [
    ("tekil", TekilSession, "/central/dial"),
    ("bulut", KobiPbxSession, "/api/v1/clicktocall"),
])
async def test_no_resend_when_the_request_may_have_reached_the_server(
        flavor: str, session_class: Any, path: str, fault: str, status: DialStatus) -> None:
    async with simulator(flavor) as sim, \
            session_class(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        sim.fault(path, fault, count=3)  # would also hit a second attempt
        svc = service(settings_for(Flavor(flavor)), session)
        result = await asyncio.wait_for(svc.dial("05321234567", source="test"), WAIT)
        assert result.status is status
        assert result.status.may_have_started
        assert len(requests_to(sim, path)) == 1, "a dial that may have rung was sent again"
        assert "check your phone before trying again" in result.message
        # and the same number right away is held back, not sent
        again = await svc.dial("0532 123 45 67", source="test")
        assert again.status is DialStatus.DUPLICATE
        assert len(requests_to(sim, path)) == 1


async def test_session_level_errors_for_timeout_and_500() -> None:
    """The session itself raises "may have reached the server" and does not resend."""
    async with simulator("tekil") as sim, \
            TekilSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        sim.fault("/central/dial", "timeout")
        with pytest.raises(AmbiguousError) as timed_out:
            await session.dial("1001", "05321234567")
        assert timed_out.value.may_have_reached_server
        sim.fault("/central/dial", "500")
        with pytest.raises(ServerError) as failed:
            await session.dial("1001", "05321234567")
        assert failed.value.may_have_reached_server
        assert failed.value.status == 500
        assert len(requests_to(sim, "/central/dial")) == 2


async def test_debounce_over_http() -> None:
    async with simulator("tekil") as sim, \
            TekilSession(USER, PASSWORD, base_url=sim.http_base, timeout=SHORT) as session:
        svc = service(settings_for(Flavor.TEKIL), session)
        results = await asyncio.gather(
            svc.dial("tel:+905321234567", source="link"),
            svc.dial("tel:+905321234567", source="link"),  # the browser delivered it twice
            svc.dial("0532 123 45 67", source="dialer"))
        statuses = sorted(r.status.value for r in results)
        assert statuses == ["duplicate", "duplicate", "started"]
        assert len(requests_to(sim, "/central/dial")) == 1


# ---------------------------------------------------------------- Tekil WebSocket commands


@contextlib.asynccontextmanager
async def tekil_ws_line(sim: Simulator) -> AsyncIterator[PhoneLine]:
    timing = ChannelTiming(connect_timeout=5.0, write_timeout=5.0, idle_timeout=None,
                           ping_interval=None, ping_timeout=None, watchdog_tick=0.1,
                           early_close_window=2.0, auth_reply_window=2.0)
    up = asyncio.Event()
    line = PhoneLine(CallTracker(["1001"]), directory=None, journal=None,
                     on_card=lambda _c: None,
                     on_state=lambda s: up.set() if s.phase is Phase.CONNECTED else up.clear())

    def factory(on_event: Any, on_state: Any) -> Any:
        return open_channel(Flavor.TEKIL, Transport.WS,
                            Endpoint("127.0.0.1", sim.ports["ws"], tls=False),
                            Credentials(api_key=API_KEY, crm_id="crm-42"),
                            on_event=on_event, on_state=on_state, timing=timing,
                            backoff=FAST_BACKOFF, auth_backoff=SLOW_AUTH)

    task = asyncio.create_task(line.run(factory))
    try:
        await asyncio.wait_for(up.wait(), WAIT)
        assert line.connected
        yield line
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_tekil_ws_originate_redirect_hangup_reach_the_pbx_as_documented() -> None:
    async with simulator("tekil") as sim, tekil_ws_line(sim) as line:
        settings = settings_for(Flavor.TEKIL, transport=Transport.WS, originate=True)
        svc = service(settings, session=None, line=line)
        assert svc.can_control_calls()
        result = await svc.dial("0224 532 04 44", source="test")
        assert result.backend == "tekil-ws"
        assert result.status is DialStatus.STARTED  # the simulator replied "success"
        originate = [c for c in sim.commands if c.get("command") == "originate"]
        assert originate == [{"command": "originate", "customer_num": "02245320444",
                              "pbx_num": "02245320444", "internal_num": "1001",
                              "ring_timeout": "30000", "crm_id": "crm-42",
                              "wait_response": "15000", "trunk": DEFAULT_TRUNK}]
        assert requests_to(sim, "/central/dial") == []

        call_id = await sim.ring(extension="1001", caller="05321234567", answer_after=0.2)
        transfer = await svc.transfer(call_id, "1002")
        assert transfer.status is DialStatus.STARTED
        hangup = await svc.hang_up(call_id)
        assert hangup.status is DialStatus.STARTED
        commands = [c for c in sim.commands if c.get("command") in ("redirect", "hangup")]
        assert commands == [
            {"command": "redirect", "exten": "1002", "unique_id": call_id, "crm_id": "crm-42"},
            {"command": "hangup", "unique_id": call_id, "crm_id": "crm-42"},
        ]


async def test_tekil_ws_refusals_come_back_in_plain_words() -> None:
    async with simulator("tekil") as sim, tekil_ws_line(sim) as line:
        settings = settings_for(Flavor.TEKIL, transport=Transport.WS, originate=True)
        settings.account.extensions = ["4242"]
        svc = service(settings, session=None, line=line)
        result = await svc.dial("05321234567", source="test")
        assert result.status is DialStatus.REFUSED
        assert result.server_message == "Dahili bulunamadı"
        gone = await svc.hang_up("1.2")
        assert gone.status is DialStatus.REFUSED
        assert gone.server_message == "Çağrı bulunamadı"
