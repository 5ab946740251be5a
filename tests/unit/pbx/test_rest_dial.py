"""Click-to-call requests of the REST sessions against httpx.MockTransport (answer shapes)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from desktop.pbx.errors import RequestError, ServerError
from desktop.pbx.rest import KobiPbxSession, TekilSession

HTML = {"content-type": "text/html; charset=UTF-8"}
DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"


def tekil(answer: Callable[[httpx.Request], httpx.Response]) -> TekilSession:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login":
            return httpx.Response(200, headers=HTML, json={"status": 1, "token": "t"})
        return answer(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return TekilSession("a@b.c", "pw", base_url="http://panel.test", client=client)


def kobipbx(answer: Callable[[httpx.Request], httpx.Response]) -> KobiPbxSession:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/login":
            return httpx.Response(200, json={"token": {"token": "1|abc"}})
        return answer(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return KobiPbxSession("a@b.c", "pw", base_url="http://pbx.test", client=client)


async def test_tekil_success_with_php_noise_and_html_label() -> None:
    session = tekil(lambda r: httpx.Response(
        200, headers=HTML, content='<br />Notice: x\n{"result":true,"message":"Arama Başladı"}'
        .encode()))
    answer = await session.dial("1001", "05321234567")
    assert answer.message == "Arama Başladı"


async def test_tekil_result_false_is_a_refusal_with_the_message() -> None:
    session = tekil(lambda r: httpx.Response(
        200, headers=HTML, json={"result": False, "message": "Dahili bulunamadı"}))
    with pytest.raises(RequestError) as raised:
        await session.dial("9", "05321234567")
    assert raised.value.server_message == "Dahili bulunamadı"
    assert not raised.value.may_have_reached_server


async def test_tekil_answer_without_result_may_have_started() -> None:
    session = tekil(lambda r: httpx.Response(200, headers=HTML, json={"message": "?"}))
    with pytest.raises(ServerError) as raised:
        await session.dial("1001", "05321234567")
    assert raised.value.may_have_reached_server


@pytest.mark.parametrize("body", [b"[]", b'"ok"', b"<html>Service Unavailable</html>"])
async def test_unreadable_answers_may_have_started(body: bytes) -> None:
    session = tekil(lambda r: httpx.Response(200, headers=HTML, content=body))
    with pytest.raises(ServerError) as raised:
        await session.dial("1001", "05321234567")
    assert raised.value.may_have_reached_server


async def test_kobipbx_json_body_and_call_id() -> None:
    seen: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.headers["content-type"] == "application/json"
        return httpx.Response(200, json={"result": True, "message": "ok",
                                         "data": {"call_uuid": "u-1"}})

    result = await kobipbx(answer).click_to_call("1009", "05321234567", DOMAIN)
    assert seen == [{"extensionNumber": "1009", "destinationNumber": "05321234567",
                     "domainUuid": DOMAIN}]
    assert result.call_id == "u-1"


async def test_kobipbx_400_is_a_refusal_with_the_servers_words() -> None:
    session = kobipbx(lambda r: httpx.Response(
        400, json={"status": "error", "message": "destinationNumber alanı zorunludur",
                   "errorCode": 400}))
    with pytest.raises(RequestError) as raised:
        await session.click_to_call("1009", "", DOMAIN)
    assert raised.value.server_message == "destinationNumber alanı zorunludur"
    assert DOMAIN not in str(raised.value)
