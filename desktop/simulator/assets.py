"""Binary and text artefacts the simulated panel serves.

Recording (``downloadRecording``): the collection says recordings come
"encoded with WAV49", and its sample's ``fmt `` chunk is GSM 6.10 in WAV
(format tag 0x0031, mono, 8000 Hz, byte rate 1625, block align 65, plus a
``fact`` chunk).  We serve one committed file of exactly that format,
``resources/sample-data/sample-recording.WAV`` (a few seconds of a synthetic
voice-like signal), for every recording path; it is generated once by
``tools/make_sample_recording.py`` (soundfile is a test/tool dependency only).

QR codes (``central/getQRCode``, ``getQRCodeZoiper``): the response is the
raw base64 text of a PNG (no ``data:`` prefix), as in the collection, and the
image is 200x200 like the collection's sample.  **The real payload is not
documented** (the saved sample is truncated).  We encode:

* GrandStream Wave: Grandstream's own QR provisioning XML,
  ``<?xml version="1.0" encoding="utf-8"?><AccountConfig version="1">
  <Account><RegisterServer>host:port</RegisterServer>…<UserID>ext</UserID>
  <AuthID>ext</AuthID><AuthPass>secret</AuthPass>…</Account></AccountConfig>``;
* Zoiper: a SIP URI with credentials,
  ``sip:<ext>:<secret>@<host>:<port>;transport=udp``.

The SIP secrets are demo values derived from the domain and the extension
(the same ones ``getCentralData`` reports under ``options.secret``).

Phonebook (``contacts/export/{token}``): the format is not documented ("for
IP phones that can fetch a phonebook from a link").  We serve a Yealink
remote phonebook, ``<YealinkIPPhoneDirectory><DirectoryEntry><Name>…</Name>
<Telephone>…</Telephone></DirectoryEntry>…`` (one ``Telephone`` per entry),
as ``text/xml; charset=UTF-8``; Grandstream and most other phones read it too.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import struct
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno

from desktop.resources import resource_roots

from .config import SimulatorConfig

RECORDING_NAME = "sample-recording.WAV"
QR_SIZE = 200


class MissingAssetError(RuntimeError):
    """A committed resource file is not where the simulator looks for it."""


def _candidates(name: str) -> list[Path]:
    # desktop.resources is a plain path helper (no client code), so sharing it
    # does not make the simulator agree with the client.
    return [root / "sample-data" / name for root in resource_roots()]


def resource_path(name: str) -> Path:
    for path in _candidates(name):
        if path.is_file():
            return path
    raise MissingAssetError(f"{name} not found in {[str(p) for p in _candidates(name)]}")


@functools.cache
def recording_bytes() -> bytes:
    """The WAV49 (GSM 6.10 in RIFF/WAVE) sample served for every recording."""
    return resource_path(RECORDING_NAME).read_bytes()


# ---------------------------------------------------------------- QR codes


def sip_secret(cfg: SimulatorConfig, extension: str) -> str:
    return hashlib.sha256(f"{cfg.domain_uuid}/{extension}/sip".encode()).hexdigest()[:12]


def qr_payload(cfg: SimulatorConfig, app: str, extension: str) -> str:
    """The text inside the QR code of *app* (``"grandstream"`` or ``"zoiper"``)."""
    secret = sip_secret(cfg, extension)
    if app == "zoiper":
        return f"sip:{extension}:{secret}@{cfg.sip_domain}:{cfg.sip_port};transport=udp"
    name = escape(cfg.extension_names.get(extension, extension))
    return (
        '<?xml version="1.0" encoding="utf-8"?><AccountConfig version="1"><Account>'
        f"<RegisterServer>{cfg.sip_domain}:{cfg.sip_port}</RegisterServer>"
        "<OutboundServer></OutboundServer>"
        f"<UserID>{extension}</UserID><AuthID>{extension}</AuthID>"
        f"<AuthPass>{secret}</AuthPass><AccountName>{extension}</AccountName>"
        f"<DisplayName>{name}</DisplayName><Dialplan>{{x+|*x+|*++}}</Dialplan>"
        "<RandomPort>0</RandomPort><Codecs>PCMA,PCMU,G729</Codecs>"
        "</Account></AccountConfig>"
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def qr_png(payload: str, size: int = QR_SIZE) -> bytes:
    """A *size* x *size* RGB PNG of the QR code of *payload* (bigger if needed)."""
    matrix = segno.make(payload, error="m", micro=False).matrix
    border = 4
    modules = len(matrix) + 2 * border
    scale = max(1, size // modules)
    side = max(size, modules * scale)
    offset = (side - modules * scale) // 2
    white, black = b"\xff\xff\xff", b"\x00\x00\x00"
    rows = []
    blank = b"\x00" + white * side
    for y in range(side):
        my = (y - offset) // scale - border
        if y < offset or not 0 <= my < len(matrix):
            rows.append(blank)
            continue
        line = bytearray(b"\x00")
        for x in range(side):
            mx = (x - offset) // scale - border
            dark = x >= offset and 0 <= mx < len(matrix) and matrix[my][mx]
            line += black if dark else white
        rows.append(bytes(line))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + _png_chunk(b"IEND", b""))


@functools.lru_cache(maxsize=64)
def qr_base64(payload: str) -> str:
    return base64.b64encode(qr_png(payload)).decode("ascii")


# ---------------------------------------------------------------- phonebook


def phonebook_xml(contacts: Iterable[Mapping[str, Any]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<YealinkIPPhoneDirectory>"]
    for contact in contacts:
        name = " ".join(p for p in (contact.get("ad"), contact.get("soyad")) if p)
        if contact.get("firma"):
            name = f"{name} ({contact['firma']})" if name else str(contact["firma"])
        lines += ["  <DirectoryEntry>", f"    <Name>{escape(name)}</Name>",
                  f"    <Telephone>{escape(str(contact.get('telefon', '')))}</Telephone>",
                  "  </DirectoryEntry>"]
    lines.append("</YealinkIPPhoneDirectory>")
    return "\n".join(lines) + "\n"
