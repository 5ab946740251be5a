"""The SMS clients on odd answers (httpx.MockTransport; the happy paths run against the
simulator in tests/integration/test_sms.py)."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

import httpx
import pytest

from desktop.pbx.errors import AuthError, RequestError, ServerError
from desktop.pbx.sms import DeliveryState, NewSmsApi, OldSmsApi, delivery_state

TOKEN = "secret-token-42"


def client(handler) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_paging_asks_our_own_base_never_the_servers_links():
    seen: list[httpx.URL] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        page = int(request.url.params.get("page", "1"))
        return httpx.Response(200, json={
            "data": [{"uuid": f"u{page}", "title": f"T{page}", "type": "title"}],
            "links": {"next": "http://evil.example/api/subscription?page=2"},
            "meta": {"current_page": page, "last_page": 2}})

    async with client(handler) as http:
        api = NewSmsApi(TOKEN, base_url="https://sms.example", client=http)
        titles = await api.senders()
    assert [t.title for t in titles] == ["T1", "T2"]
    assert {u.host for u in seen} == {"sms.example"}
    assert [u.params.get("page") for u in seen] == [None, "2"]


async def test_a_200_with_garbage_after_a_send_may_have_reached_the_server():
    async with client(lambda r: httpx.Response(200, text="<html>503</html>\x00")) as http:
        api = NewSmsApi(TOKEN, base_url="https://sms.example", client=http)
        with pytest.raises(ServerError) as info:
            await api.send("905324118027", "x", "T")
    assert info.value.may_have_reached_server
    assert TOKEN not in str(info.value)


async def test_old_api_error_codes_on_a_200():
    answers = iter([{"code": "error", "message": "Invalid API Key"},
                    {"code": "error", "message": "Insufficient balance"}])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=json.dumps(next(answers)),
                              headers={"Content-Type": "text/html; charset=UTF-8"})

    async with client(handler) as http:
        api = OldSmsApi(TOKEN, base_url="https://old.example", client=http)
        with pytest.raises(AuthError):
            await api.send("905324118027", "x", "T")
        with pytest.raises(RequestError) as info:
            await api.send("905324118027", "x", "T")
    assert info.value.server_message == "Insufficient balance"
    assert not info.value.may_have_reached_server


async def test_balances_are_decimals():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/balance":
            return httpx.Response(200, json={"balance": "2.9340", "packages": []})
        return httpx.Response(200, text='{"balance": 120001, "user": "x", "country": "Turkey"}',
                              headers={"Content-Type": "text/html"})

    async with client(handler) as http:
        new = await NewSmsApi(TOKEN, base_url="https://n.example", client=http).balance()
        old = await OldSmsApi(TOKEN, base_url="https://o.example", client=http).balance()
    assert new.amount == Decimal("2.9340")
    assert old.amount == Decimal(120001)


async def test_a_send_is_never_retried_even_after_a_502():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(502, text="Bad Gateway")

    async with client(handler) as http:
        api = NewSmsApi(TOKEN, base_url="https://sms.example", client=http)
        api.retry_delay = 0
        with pytest.raises(ServerError):
            await api.send("905324118027", "x", "T")
        with pytest.raises(ServerError):
            await api.balance()
    assert calls == ["/api/message/send", "/api/balance", "/api/balance"]


def test_status_words():
    assert delivery_state("DELIVERED") is DeliveryState.DELIVERED
    assert delivery_state("Success") is DeliveryState.DELIVERED
    assert delivery_state("PENDING") is DeliveryState.PENDING
    assert delivery_state("UNDELIVERED") is DeliveryState.FAILED
    assert delivery_state("something new") is DeliveryState.PENDING


def test_httpx_request_lines_never_show_the_credential(caplog):
    logger = logging.getLogger("httpx")
    with caplog.at_level(logging.INFO, logger="httpx"):
        logger.info('HTTP Request: GET %s "HTTP/1.1 200 OK"',
                    f"https://sms.example/api/balance?api_token={TOKEN}&x=1")
    assert TOKEN not in caplog.text
    assert "api_token=<secret>" in caplog.text


async def test_a_server_id_is_one_path_segment_never_a_path():
    """A provider id comes from outside: "../balance" must not walk to another endpoint."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode().split("?")[0])
        return httpx.Response(404, json={"message": "not found"})

    async with client(handler) as http:
        api = NewSmsApi(TOKEN, base_url="https://sms.example", client=http)
        assert await api.status("../balance?x=1") is None
    assert seen == ["/api/message/..%2Fbalance%3Fx%3D1"]
