"""REST sessions: call records and recording downloads (httpx.MockTransport, one layer)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from desktop.pbx.errors import AuthError, NetworkError, RequestError
from desktop.pbx.rest import KobiPbxSession, TekilSession

Handler = Callable[[httpx.Request], httpx.Response]


def tekil(handler: Handler) -> TekilSession:
    logins = [0]

    def wrapped(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login":
            logins[0] += 1
            return httpx.Response(200, json={"status": 1, "token": f"jwt-{logins[0]:04d}"})
        return handler(request)

    return TekilSession("a@b.example", "pw", base_url="https://panel.example",
                        client=httpx.AsyncClient(transport=httpx.MockTransport(wrapped)),
                        retry_delay=0)


def kobipbx(handler: Handler) -> KobiPbxSession:
    def wrapped(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/login":
            return httpx.Response(200, json={"token": {"token": "5|bearer-abcdef"}})
        return handler(request)

    return KobiPbxSession("a@b.example", "pw", base_url="https://api.example",
                          client=httpx.AsyncClient(transport=httpx.MockTransport(wrapped)),
                          retry_delay=0)


async def test_download_401_relogs_in_once_with_the_new_token_in_the_query() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params["a"])
        if len(seen) == 1:
            return httpx.Response(401, json={"status": 0, "message": "token süresi doldu"})
        assert request.headers["Authorization"] == "Bearer jwt-0002"
        return httpx.Response(200, content=b"RIFF....WAVE")

    session = tekil(handler)
    body = bytearray()
    result = await session.download_recording("2021/04/16/force-1-2.WAV", body.extend)
    assert seen == ["jwt-0001", "jwt-0002"]
    assert session.logins == 2
    assert bytes(body) == b"RIFF....WAVE"
    assert result.received == 12
    await session.aclose()


async def test_download_401_twice_is_an_auth_error() -> None:
    session = tekil(lambda request: httpx.Response(401))
    with pytest.raises(AuthError, match="even after a fresh login"):
        await session.download_recording("2021/x.WAV", bytearray().extend)
    await session.aclose()


async def test_recording_path_must_be_relative() -> None:
    session = tekil(lambda request: httpx.Response(200))
    for bad in ("", "/etc/passwd", "https://evil.example/x.WAV"):
        with pytest.raises(RequestError):
            await session.download_recording(bad, bytearray().extend)
    await session.aclose()


async def test_connection_lost_mid_body_is_a_network_error() -> None:
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[override]
            yield b"RIFF" + b"\0" * 100
            raise httpx.ReadError("connection reset")

    session = tekil(lambda request: httpx.Response(200, stream=Broken()))
    with pytest.raises(NetworkError, match="connection lost after 104 bytes"):
        await session.download_recording("2021/x.WAV", bytearray().extend)
    await session.aclose()


async def test_too_large_is_refused() -> None:
    session = tekil(lambda request: httpx.Response(200, content=b"x" * 5000))
    with pytest.raises(RequestError, match="too large"):
        await session.download_recording("2021/x.WAV", bytearray().extend, max_bytes=1000)
    await session.aclose()


async def test_missing_recording_404_carries_the_server_message() -> None:
    session = tekil(lambda request: httpx.Response(404, text="Dosya bulunamadı"))
    with pytest.raises(RequestError, match="404") as caught:
        await session.download_recording("2021/x.WAV", bytearray().extend)
    assert caught.value.status == 404
    await session.aclose()


async def test_kobipbx_recording_url_gets_the_bearer_only_on_its_own_host() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, content=b"ID3....")

    session = kobipbx(handler)
    await session.download_recording("https://api.example/recordings/1.mp3", bytearray().extend)
    await session.download_recording("/recordings/2.mp3", bytearray().extend)
    await session.download_recording("https://cdn.elsewhere.example/3.mp3", bytearray().extend)
    assert [r.headers.get("Authorization") for r in requests] == [
        "Bearer 5|bearer-abcdef", "Bearer 5|bearer-abcdef", None]
    with pytest.raises(RequestError, match="not a download link"):
        await session.download_recording("rec-file-name.wav", bytearray().extend)
    await session.aclose()


async def test_vcdrs_404_means_no_records() -> None:
    session = kobipbx(lambda request: httpx.Response(
        404, json={"status": "error", "message": "Kayıt bulunamadı", "errorCode": 404}))
    page = await session.get_vcdrs("dom-uuid", filters={"startDate": "2024-10-02"})
    assert page.records == ()
    assert not page.has_next
    assert await session.get_all_vcdrs("dom-uuid") == []
    await session.aclose()


async def test_get_cdr_sends_the_documented_parameters() -> None:
    captured: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(200, text="[]", headers={"content-type": "text/html"})

    session = tekil(handler)
    await session.get_cdr(date_start="2024-03-05", date_end="2024-03-10", src="125",
                          dst="08505321444", include_internal=False, call_type=2)
    params = dict(captured[0].url.params)
    assert captured[0].url.path == "/v1/getcdr"
    assert params == {"dateStart": "2024-03-05", "dateEnd": "2024-03-10",
                      "timeStart": "00:00:00", "timeEnd": "23:59:59", "type": "2",
                      "exclude": "false", "src": "125", "dst": "08505321444"}
    await session.get_cdr(date_start="2024-03-05", date_end="2024-03-05", v1=False)
    assert captured[1].url.path == "/getcdr"
    await session.aclose()


async def test_cdr_by_unique_id_falls_back_to_the_v0_path() -> None:
    paths: list[str] = []
    row = {"calldate": "2021-04-16 17:08:54", "src": "101000", "dst": "02245320444",
           "queue": "from-internal", "dstchannel": "128", "duration": "00:00:03",
           "dispositionn": "NO ANSWER", "disposition": "CEVAPSIZ", "recording": "2021/x.WAV"}

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        if request.url.path.startswith("/v1/"):
            return httpx.Response(404, text="Not Found")
        return httpx.Response(200, json=[row])

    session = tekil(handler)
    legs = await session.get_cdr_by_unique_id("1571062134.735")
    assert paths == ["/v1/getCDRFromUniqueID/1571062134.735",
                     "/getCDRFromUniqueID/1571062134.735"]
    assert [leg.call_id for leg in legs] == ["1571062134.735"]
    assert legs[0].recording == "2021/x.WAV"
    await session.aclose()
