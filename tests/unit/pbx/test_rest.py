"""REST sessions against httpx.MockTransport: login, tokens, retries, errors."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from desktop.pbx.errors import AmbiguousError, AuthError, NetworkError, RequestError, ServerError
from desktop.pbx.rest import KobiPbxSession, TekilSession, jwt_expiry, parse_json_lenient

USER = "demo@kobikom.example"
PASSWORD = "demo-password-s3cret"
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
HTML = {"content-type": "text/html; charset=UTF-8"}


def make_jwt(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def no_sleep(_: float) -> None:
    await asyncio.sleep(0)


Handler = Callable[[httpx.Request], httpx.Response]


class FakePanel:
    """Just enough of panelapi.kobikom.com.tr / api.kobipbx.com for one test."""

    def __init__(self, clock: Clock, *, ttl: float | None = 3600.0) -> None:
        self.clock = clock
        self.ttl = ttl
        self.valid: set[str] = set()
        self.requests: list[httpx.Request] = []
        self.logins = 0
        self.override: dict[str, list[Handler]] = {}

    def issue(self) -> str:
        self.logins += 1
        if self.ttl is None:
            token = f"{self.logins}|{'a' * 40}"
        else:
            token = make_jwt({"sub": USER, "n": self.logins, "exp": int(self.clock() + self.ttl)})
        self.valid.add(token)
        return token

    def expire_tokens(self) -> None:
        self.valid.clear()

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        queue = self.override.get(path)
        if queue:
            return queue.pop(0)(request)
        if path == "/login":
            body = request.read().decode()
            assert request.headers["content-type"].startswith("multipart/form-data")
            if f'name="usermail"\r\n\r\n{USER}\r\n' in body and \
                    f'name="userpass"\r\n\r\n{PASSWORD}\r\n' in body:
                return httpx.Response(200, headers=HTML, json={
                    "status": 1, "message": "giris basarili", "token": self.issue()})
            return httpx.Response(200, headers=HTML, json={
                "status": 0, "message": "kullanici adi veya sifre hatali"})
        if path == "/api/v1/login":
            body = json.loads(request.read())
            if body == {"email": USER, "password": PASSWORD}:
                return httpx.Response(200, json={"message": "User logged in successfully",
                                                 "token": {"token": self.issue(),
                                                           "user": {"email": USER}}})
            return httpx.Response(401, json={"message": "Invalid credentials"})
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.valid:
            return httpx.Response(401, json={"status": "error", "message": "Token geçersiz",
                                             "errorCode": 401})
        if path == "/getGroupList":
            return httpx.Response(200, headers=HTML, content=json.dumps([
                {"id": "2498", "k_id": "444", "isim": "BAYİLER", "aciklama": "",
                 "totalContact": "0"}]).encode())
        if path == "/getCentralData/extension":
            return httpx.Response(200, headers=HTML, json={
                "extension": {"110": {"extension": "101000", "name": "Ayşe"}},
                "central": {"domain": "x.kobikom.com.tr", "port": "5060"}})
        if path == f"/api/v1/list-user-extension/{DOMAIN}":
            return httpx.Response(200, json={"success": True, "data": {
                "extensions": [{"extension": {"extension": "1000"}}],
                "call_center_queue": [], "ivr_menus": []}})
        if path == "/downloadRecording":
            return httpx.Response(200, headers={"content-type": "application/octet-stream"},
                                  content=b"RIFF....WAVE")
        if path in ("/central/dial", "/api/v1/clicktocall"):
            return httpx.Response(200, json={"result": True})
        return httpx.Response(404, json={"message": "not found"})

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def tekil(panel: FakePanel, clock: Clock, **kwargs: Any) -> TekilSession:
    client = httpx.AsyncClient(transport=httpx.MockTransport(panel.handler))
    return TekilSession(USER, kwargs.pop("password", PASSWORD), client=client, clock=clock,
                        sleep=no_sleep, **kwargs)


def kobipbx(panel: FakePanel, clock: Clock, **kwargs: Any) -> KobiPbxSession:
    client = httpx.AsyncClient(transport=httpx.MockTransport(panel.handler))
    return KobiPbxSession(USER, kwargs.pop("password", PASSWORD), client=client, clock=clock,
                          sleep=no_sleep, **kwargs)


# ---------------------------------------------------------------- pure helpers


def test_jwt_expiry_reads_exp_without_verifying() -> None:
    assert jwt_expiry(make_jwt({"exp": 1234567890})) == 1234567890.0
    assert jwt_expiry(make_jwt({"sub": "x"})) is None
    assert jwt_expiry("5|" + "a" * 40) is None
    assert jwt_expiry("a.!!!.c") is None


def test_lenient_json() -> None:
    assert parse_json_lenient(b'\xef\xbb\xbf{"a": 1}\n') == {"a": 1}
    assert parse_json_lenient(
        b'<br />\n<b>Notice</b>: Undefined index: x in /var/www/a.php on line 3<br />\n'
        b'{"status":1,"token":"t"}') == {"status": 1, "token": "t"}
    assert parse_json_lenient("[{\"isim\": \"Müşteriler\"}]".encode()) == [{"isim": "Müşteriler"}]
    for bad in (b"<html><body>502 Bad Gateway</body></html>", b"", b'{"a": 1} trailing',
                b"<script>var x = {\"a\": 1};</script>"):
        with pytest.raises(ValueError):
            parse_json_lenient(bad)


# ---------------------------------------------------------------- Tekil


async def test_tekil_login_and_bearer_on_reads() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    async with tekil(panel, clock) as session:
        groups = await session.get_group_list()
        assert groups == [{"id": "2498", "k_id": "444", "isim": "BAYİLER", "aciklama": "",
                           "totalContact": "0"}]
        extensions = await session.get_extensions()
        assert extensions == {"110": {"extension": "101000", "name": "Ayşe"}}
    assert panel.paths() == ["/login", "/getGroupList", "/getCentralData/extension"]
    token = next(iter(panel.valid))
    assert all(r.headers["authorization"] == f"Bearer {token}" for r in panel.requests[1:])
    assert session.logins == 1


async def test_tekil_relogs_in_before_the_jwt_expires() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=3600)
    async with tekil(panel, clock, refresh_margin=60) as session:
        await session.get_group_list()
        first = panel.requests[-1].headers["authorization"]
        clock.now += 3600 - 59  # within the margin: the token still works, but not for long
        await session.get_group_list()
        second = panel.requests[-1].headers["authorization"]
    assert panel.paths() == ["/login", "/getGroupList", "/login", "/getGroupList"]
    assert first != second
    # no request was ever answered 401: the re-login was proactive
    assert session.logins == 2


async def test_tekil_token_not_renewed_while_far_from_expiry() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=3600)
    async with tekil(panel, clock) as session:
        await session.get_group_list()
        clock.now += 3000
        await session.get_group_list()
    assert panel.logins == 1


async def test_wrong_password_is_an_auth_error_with_the_server_message() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    async with tekil(panel, clock, password="wrong-password") as session:
        with pytest.raises(AuthError) as info:
            await session.get_group_list()
    message = str(info.value)
    assert message == ("login rejected by panelapi.kobikom.com.tr: "
                       "kullanici adi veya sifre hatali")
    assert "wrong-password" not in message
    assert panel.paths() == ["/login"]


async def test_empty_php_array_means_no_extensions() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/getCentralData/extension"] = [
        lambda r: httpx.Response(200, headers=HTML, json={"extension": []})]
    async with tekil(panel, clock) as session:
        assert await session.get_extensions() == {}


async def test_non_json_answer_is_a_server_error_with_a_snippet() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/getGroupList"] = [
        lambda r: httpx.Response(200, headers=HTML, content=b"<html>\n<b>Fatal error</b>: "
                                 b"Uncaught Exception in /var/www/panel.php</html>")] * 2
    async with tekil(panel, clock) as session:
        with pytest.raises(ServerError) as info:
            await session.get_group_list()
    message = str(info.value)
    assert "GET /getGroupList" in message
    assert "not JSON" in message
    assert "Fatal error" in message
    assert "text/html" in message
    assert info.value.may_have_reached_server


async def test_concurrent_requests_log_in_once() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    async with tekil(panel, clock) as session:
        await asyncio.gather(*(session.get_group_list() for _ in range(5)))
    assert panel.logins == 1


# ---------------------------------------------------------------- KobiPBX


async def test_kobipbx_token_is_nested_and_401_relogs_in_once() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=None)  # "5|…" tokens: no exp, rely on 401
    async with kobipbx(panel, clock) as session:
        data = await session.list_user_extensions(DOMAIN)
        assert data["extensions"][0]["extension"]["extension"] == "1000"
        panel.expire_tokens()
        await session.list_user_extensions(DOMAIN)
    paths = panel.paths()
    ext = f"/api/v1/list-user-extension/{DOMAIN}"
    assert paths == ["/api/v1/login", ext, ext, "/api/v1/login", ext]
    assert panel.requests[1].headers["authorization"] == "Bearer 1|" + "a" * 40
    assert panel.requests[-1].headers["authorization"] == "Bearer 2|" + "a" * 40
    assert repr(session).count("a" * 40) == 0


async def test_kobipbx_unwrapped_shape_is_accepted_too() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=None)
    unwrapped = {"extensions": [{"extension": {"extension": "1001"}}],
                 "call_center_queue": [{"queue_extension": "60002"}]}
    panel.override[f"/api/v1/list-user-extension/{DOMAIN}"] = [
        lambda r: httpx.Response(200, json=unwrapped)]
    async with kobipbx(panel, clock) as session:
        data = await session.list_user_extensions(DOMAIN)
    assert data == {**unwrapped, "ivr_menus": []}


async def test_kobipbx_wrong_password() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=None)
    async with kobipbx(panel, clock, password="nope-nope") as session:
        with pytest.raises(AuthError, match=r"login rejected by api\.kobipbx\.com: Invalid cred"):
            await session.login()


async def test_401_twice_gives_up_after_one_relogin() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=None)
    unauthorized = [lambda r: httpx.Response(401, json={"message": "Token geçersiz"})] * 2
    panel.override[f"/api/v1/list-user-extension/{DOMAIN}"] = list(unauthorized)
    async with kobipbx(panel, clock) as session:
        with pytest.raises(AuthError, match="even after a fresh login"):
            await session.list_user_extensions(DOMAIN)
    assert panel.logins == 2


async def test_domain_uuid_is_not_in_error_messages() -> None:
    clock = Clock()
    panel = FakePanel(clock, ttl=None)
    panel.override[f"/api/v1/list-user-extension/{DOMAIN}"] = [
        lambda r: httpx.Response(404, json={"message": "domain not found"})]
    async with kobipbx(panel, clock) as session:
        with pytest.raises(RequestError) as info:
            await session.list_user_extensions(DOMAIN)
    assert DOMAIN not in str(info.value)
    assert "HTTP 404" in str(info.value)
    assert "domain not found" in str(info.value)


# ---------------------------------------------------------------- request(): retry rules


async def test_401_on_a_non_idempotent_request_is_not_resent_unless_allowed() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    async with tekil(panel, clock) as session:
        await session.login()
        panel.expire_tokens()
        with pytest.raises(AuthError) as info:
            await session.request("POST", "/central/dial", idempotent=False,
                                  data={"extension": "1001"})
        assert not info.value.may_have_reached_server
        assert panel.paths().count("/central/dial") == 1
        # The next call logs in again by itself (the rejected token was dropped) ...
        response = await session.request("POST", "/central/dial", idempotent=False)
        assert response.status_code == 200
        # ... and click-to-call may allow exactly one resend after a 401.
        panel.expire_tokens()
        response = await session.request("POST", "/central/dial", idempotent=False,
                                         allow_401_resend=True)
    assert response.status_code == 200
    assert panel.paths().count("/central/dial") == 4
    assert panel.logins == 3


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_never_retried_for_non_idempotent_requests(status: int) -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/central/dial"] = [
        lambda r: httpx.Response(status, headers=HTML, content=b"<h1>Server error</h1>")] * 3
    async with tekil(panel, clock) as session:
        with pytest.raises(ServerError) as info:
            await session.request("POST", "/central/dial", idempotent=False)
    assert panel.paths().count("/central/dial") == 1
    assert info.value.may_have_reached_server
    assert f"HTTP {status}" in str(info.value)


async def test_idempotent_request_is_retried_once_after_503() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/getGroupList"] = [lambda r: httpx.Response(503, text="busy")]
    async with tekil(panel, clock) as session:
        assert len(await session.get_group_list()) == 1
    assert panel.paths().count("/getGroupList") == 2


def raising(exc_type: type[httpx.TransportError]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return handler


async def test_timeout_after_sending_is_ambiguous_and_not_retried() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/central/dial"] = [raising(httpx.ReadTimeout)] * 3
    async with tekil(panel, clock) as session:
        with pytest.raises(AmbiguousError) as info:
            await session.request("POST", "/central/dial", idempotent=False)
    assert info.value.may_have_reached_server
    assert "may have reached the server" in str(info.value)
    assert panel.paths().count("/central/dial") == 1


async def test_connection_lost_mid_answer_is_ambiguous() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/central/dial"] = [raising(httpx.RemoteProtocolError)]
    async with tekil(panel, clock) as session:
        with pytest.raises(AmbiguousError):
            await session.request("POST", "/central/dial", idempotent=False)


async def test_connect_failure_is_safe_and_retried_only_when_idempotent() -> None:
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/central/dial"] = [raising(httpx.ConnectError)] * 3
    panel.override["/getGroupList"] = [raising(httpx.ConnectError)]
    async with tekil(panel, clock) as session:
        with pytest.raises(NetworkError) as info:
            await session.request("POST", "/central/dial", idempotent=False)
        assert not isinstance(info.value, AmbiguousError)
        assert not info.value.may_have_reached_server
        assert "cannot connect" in str(info.value)
        assert len(await session.get_group_list()) == 1  # one retry got through
    assert panel.paths().count("/central/dial") == 1
    assert panel.paths().count("/getGroupList") == 2


async def test_secrets_never_in_repr_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="kobikom.pbx")
    clock = Clock()
    panel = FakePanel(clock)
    session = tekil(panel, clock)
    async with session:
        await session.get_group_list()
        response = await session.request("GET", "/downloadRecording", idempotent=True,
                                         params={"a": await session.token()})
        assert response.content == b"RIFF....WAVE"
        text = repr(session) + caplog.text
    token = next(iter(panel.valid))
    assert PASSWORD not in text
    assert token not in text
    assert "logged in" in caplog.text


async def test_a_login_lost_in_flight_means_the_request_was_not_sent() -> None:
    """The login times out after sending: that is ambiguous for the *login*, but the dial
    itself never went out, so it must not be reported as "the call may have started"."""
    clock = Clock()
    panel = FakePanel(clock)
    panel.override["/login"] = [raising(httpx.ReadTimeout)]
    async with tekil(panel, clock) as session:
        with pytest.raises(NetworkError) as info:
            await session.request("POST", "/central/dial", idempotent=False)
    assert not isinstance(info.value, AmbiguousError)
    assert not info.value.may_have_reached_server
    assert "not sent, the login failed" in str(info.value)
    assert "/central/dial" not in panel.paths()
