"""``TekilSession.get_qr_code`` and the PNG checks, against httpx.MockTransport.

The documented answer is bare base64 text of a 200x200 PNG labelled
``text/html`` (digest §6); the client also tolerates line breaks, a
``data:`` prefix, a JSON string and missing padding, and refuses anything
that is not a PNG with a clear, scrubbed error.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib

import httpx
import pytest

from desktop.pbx.errors import AuthError, RequestError, ServerError
from desktop.pbx.rest import QR_CODE_PATHS, TekilSession, png_size, qr_png_from_answer

PASSWORD = "panel-password-s3cret"
HTML = {"content-type": "text/html; charset=UTF-8"}


def chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = tiny_png()
B64 = base64.b64encode(PNG).decode()


def panel(answer: httpx.Response, seen: list[httpx.Request]) -> TekilSession:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/login":
            return httpx.Response(200, headers=HTML,
                                  json={"status": 1, "token": "a.b.c"})
        return answer

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return TekilSession("agent@example.com", PASSWORD, base_url="https://panel.test",
                        client=client, retry_delay=0)


@pytest.mark.parametrize(("app", "path"), [("zoiper", "/central/getQRCodeZoiper/101000"),
                                           ("grandstream", "/central/getQRCode/101000")])
async def test_paths_auth_and_the_png(app: str, path: str) -> None:
    seen: list[httpx.Request] = []
    session = panel(httpx.Response(200, headers=HTML, text=B64), seen)
    async with session:
        assert await session.get_qr_code("101000", app) == PNG
    assert [r.url.path for r in seen] == ["/login", path]
    assert seen[1].method == "GET"
    assert seen[1].headers["Authorization"] == "Bearer a.b.c"
    assert QR_CODE_PATHS[app].format("101000") == path


async def test_the_extension_is_one_path_segment() -> None:
    seen: list[httpx.Request] = []
    async with panel(httpx.Response(200, text=B64), seen) as session:
        await session.get_qr_code("10/../login", "zoiper")
    assert seen[1].url.raw_path == b"/central/getQRCodeZoiper/10%2F..%2Flogin"


@pytest.mark.parametrize("body", [
    B64,
    B64 + "\n",
    "\r\n  " + "\n".join(B64[i:i + 76] for i in range(0, len(B64), 76)) + "\n",
    "data:image/png;base64," + B64,
    json.dumps(B64),
    json.dumps("data:image/png;base64," + B64),
    B64.rstrip("="),
], ids=["documented", "newline", "wrapped", "data-url", "json-string", "json-data-url",
        "no-padding"])
def test_tolerated_answer_shapes(body: str) -> None:
    assert qr_png_from_answer(body.encode()) == PNG


def test_a_raw_png_body_is_accepted_too() -> None:
    assert qr_png_from_answer(PNG) == PNG


@pytest.mark.parametrize(("body", "why"), [
    (b"", "an empty answer"),
    (b"<html><body>Dahili bulunamad\xc4\xb1</body></html>", "not base64 text"),
    (base64.b64encode(b"GIF89a" + b"\x00" * 40), "no PNG signature"),
    (base64.b64encode(PNG[:40]), "truncated PNG"),
    (base64.b64encode(PNG.replace(b"IHDR", b"IHDX", 1)), "IHDR"),
    (base64.b64encode(PNG[:16] + b"\x00" * 4 + PNG[20:]), "CRC"),
    (base64.b64encode(tiny_png(0, 2)), "implausible PNG size"),
    (b'{"status": 0, "message": "yetkisiz"}', "not base64 text"),
    (b'"broken', "broken JSON string"),
])
def test_anything_else_is_refused_with_the_reason(body: bytes, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        qr_png_from_answer(body)


def test_png_size_reads_the_header() -> None:
    assert png_size(tiny_png(200, 200)) == (200, 200)


async def test_a_non_png_answer_is_a_server_error_with_a_scrubbed_snippet() -> None:
    seen: list[httpx.Request] = []
    page = f"<b>Warning</b>: login {PASSWORD} failed for 05321234567"
    async with panel(httpx.Response(200, headers=HTML, text=page), seen) as session:
        with pytest.raises(ServerError) as info:
            await session.get_qr_code("1001", "zoiper")
    message = str(info.value)
    assert message.startswith("panel.test GET /central/getQRCodeZoiper/<extension>: "
                              "the answer is not a PNG image (not base64 text): ")
    assert PASSWORD not in message
    assert "05321234567" not in message  # phone numbers are masked in snippets
    assert info.value.may_have_reached_server


async def test_unknown_extension_is_a_404_request_error() -> None:
    seen: list[httpx.Request] = []
    answer = httpx.Response(404, headers=HTML, text="Dahili bulunamadı")
    async with panel(answer, seen) as session:
        with pytest.raises(RequestError) as info:
            await session.get_qr_code("9999", "grandstream")
    assert info.value.status == 404
    assert "Dahili bulunamadı" in str(info.value)


async def test_401_twice_is_an_auth_error_after_one_relogin() -> None:
    seen: list[httpx.Request] = []
    async with panel(httpx.Response(401, headers=HTML, json={"status": 0}), seen) as session:
        with pytest.raises(AuthError):
            await session.get_qr_code("1001", "zoiper")
    assert [r.url.path for r in seen].count("/login") == 2  # a GET is idempotent: one re-login


async def test_unknown_app_is_refused_before_any_request() -> None:
    seen: list[httpx.Request] = []
    async with panel(httpx.Response(200, text=B64), seen) as session:
        with pytest.raises(ValueError, match="unknown softphone app 'linphone'"):
            await session.get_qr_code("1001", "linphone")
    assert seen == []
