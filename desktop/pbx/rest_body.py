"""Kobikom's answers, read without I/O: lenient JSON, the server's message, JWT expiry, QR PNGs.

Kobikom's answers are often JSON labelled ``text/html`` (digest §9.3 #13),
sometimes with PHP notices in front: :func:`parse_json_lenient` ignores the
content type and the noise.  Used by the REST sessions
(:mod:`desktop.pbx.rest_session`, :mod:`desktop.pbx.rest`) and the SMS client.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import httpx

from desktop.pbx.errors import ServerError
from desktop.pbx.redact import snippet

log = logging.getLogger("kobikom.pbx.rest")



def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (epoch seconds) of a JWT, unverified; None if absent/not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float, str)):
        return None
    try:
        return float(exp)
    except ValueError:
        return None


_JSON_START = re.compile(r"[\[{]")
_DECODER = json.JSONDecoder()


def parse_json_lenient(content: bytes, encoding: str | None = None) -> Any:
    """Parse a JSON answer whatever its content type; raise ``ValueError`` if it isn't one.

    Accepts a UTF-8 BOM, surrounding whitespace, and noise *before* the JSON
    (PHP notices such as ``<br /><b>Notice</b>: …{"status":1}``) as long as
    the JSON document runs to the end of the body.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode(encoding or "latin-1", "replace")
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for tries, match in enumerate(_JSON_START.finditer(text)):
        if tries >= 20:
            break
        try:
            value, end = _DECODER.raw_decode(text, match.start())
        except ValueError:
            continue
        if not text[end:].strip():
            log.debug("dropped %d characters of noise before a JSON answer", match.start())
            return value
    raise ValueError("not JSON")


def server_message(body: Any) -> str:
    """The human message of a JSON answer (``message``, ``error``, ``errors``…)."""
    if not isinstance(body, Mapping):
        return ""
    for key in ("message", "msg", "error", "error_description", "errors", "detail"):
        value = body.get(key)
        if isinstance(value, Mapping):
            nested = server_message(value)
            value = nested or next(iter(value.values()), "")
        while isinstance(value, list):  # Laravel: {"errors": {"email": ["..."]}}
            value = value[0] if value else ""
        if value not in (None, "", False):
            return str(value)
    return ""


def response_message(response: httpx.Response, secrets: Iterable[str | None] = ()) -> str:
    """The server's own words in an error answer (JSON ``message``/``error``... or the
    text), short and without secrets."""
    try:
        body = parse_json_lenient(response.content, response.encoding)
    except ValueError:
        return snippet(response.text, secrets)
    return snippet(server_message(body), secrets, limit=200)


def negative(body: Mapping[str, Any]) -> bool:
    """An explicit failure verdict in a Kobikom envelope (``status: 0``, ``success: false``…)."""
    for key in ("status", "success", "result"):
        if key in body:
            value = body[key]
            if value in (0, "0", False, "false", "error", "fail", "failed"):
                return True
    return False


#: Softphone app -> the panel path of its provisioning QR code.
QR_CODE_PATHS: Final[Mapping[str, str]] = {
    "grandstream": "/central/getQRCode/{}",
    "zoiper": "/central/getQRCodeZoiper/{}",
}
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_DATA_URL = re.compile(rb"^data:image/[a-z+.-]+;base64,", re.IGNORECASE)
#: Bigger than any QR code a phone could scan off a screen; guards against junk.
_PNG_MAX_SIDE: Final = 8192


def png_size(data: bytes) -> tuple[int, int]:
    """``(width, height)`` from a PNG's ``IHDR``; ``ValueError`` if *data* is not a PNG.

    Checks the signature, that the first chunk is a 13-byte ``IHDR`` with a
    valid CRC, sane dimensions, and that an ``IEND`` chunk ends the file.
    (Decoding the pixels is the UI's job; this proves the structure.)
    """
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    header = data[8:33]
    if len(header) < 25:
        raise ValueError("truncated PNG header")
    length, kind = int.from_bytes(header[:4], "big"), header[4:8]
    if kind != b"IHDR" or length != 13:
        raise ValueError("the PNG does not start with an IHDR chunk")
    body, crc = header[8:21], int.from_bytes(header[21:25], "big")
    if binascii.crc32(kind + body) & 0xFFFFFFFF != crc:
        raise ValueError("corrupt PNG header (CRC mismatch)")
    width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
    if not (0 < width <= _PNG_MAX_SIDE and 0 < height <= _PNG_MAX_SIDE):
        raise ValueError(f"implausible PNG size {width}x{height}")
    if data[-12:-8] != b"\x00\x00\x00\x00" or data[-8:-4] != b"IEND":
        raise ValueError("truncated PNG (no IEND chunk)")
    return width, height


def qr_png_from_answer(content: bytes) -> bytes:
    """The PNG inside a QR answer; ``ValueError`` (with the reason) if there is none.

    The documented answer is bare base64 text (``iVBORw0KGgo…``).  Tolerated
    as well: surrounding whitespace and line breaks, a ``data:image/png;base64,``
    prefix, a JSON string (``"iVBOR…"``), missing ``=`` padding, and a raw
    PNG body.
    """
    if content.startswith(_PNG_SIGNATURE):
        png_size(content)
        return content
    text = content.strip()
    if text.startswith(b'"'):
        try:
            value = json.loads(text)
        except ValueError:
            raise ValueError("a broken JSON string") from None
        if not isinstance(value, str):
            raise ValueError("JSON, but not a string")
        text = value.encode("ascii", "replace").strip()
    text = _DATA_URL.sub(b"", text)
    text = b"".join(text.split())
    if not text:
        raise ValueError("an empty answer")
    text += b"=" * (-len(text) % 4)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64 text") from None
    png_size(data)
    return data


def json_answer(response: httpx.Response, what: str, secrets: Iterable[str | None] = ()) -> Any:
    """The decoded JSON of *response*, leniently; a :class:`ServerError` with a short,
    scrubbed snippet when it is not JSON (the server may have acted: it answered)."""
    try:
        return parse_json_lenient(response.content, response.encoding)
    except ValueError:
        ctype = response.headers.get("content-type", "no content type")
        raise ServerError(
            f"{what}: the answer is not JSON (HTTP {response.status_code}, {ctype}): "
            f"{snippet(response.text, secrets)!r}",
            status=response.status_code, may_have_reached_server=True) from None
