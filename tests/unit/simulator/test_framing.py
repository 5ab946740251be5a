"""The TCP framing variants write the bytes the tcp module's docstring claims."""

from __future__ import annotations

import asyncio
import json

from .clients import TcpClient, tcp_login

TURKISH = "Çağrı Şebekesi İĞÜŞÖÇ ığüşöç"


def _messages(sim, count: int) -> list[dict]:
    return [{"event": "agent-status-change", "agent": f"a{i}", "agentName": TURKISH,
             "status": "Available", "queue": "Q", "queueExtension": "60000",
             "domainUuid": sim.cfg.domain_uuid, "timestamp": f"2024-01-01T00:00:0{i}.000Z"}
            for i in range(count)]


async def _collect(client: TcpClient, seconds: float) -> list[bytes]:
    chunks: list[bytes] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while (left := end - loop.time()) > 0:
        try:
            data = await asyncio.wait_for(client.reader.read(65536), left)
        except TimeoutError:
            break
        if not data:
            break
        chunks.append(data)
    return chunks


def _decode_all(text: str) -> list[dict]:
    decoder = json.JSONDecoder()
    out, pos = [], 0
    while pos < len(text):
        if text[pos] in " \r\n":
            pos += 1
            continue
        value, pos = decoder.raw_decode(text, pos)
        out.append(value)
    return out


async def test_ndjson_is_one_compact_object_per_line(make_sim):
    sim = await make_sim(flavor="bulut", tcp_framing="ndjson")
    client = await tcp_login(sim)
    sent = _messages(sim, 4)
    for msg in sent:
        sim.emit(msg)
    data = b"".join(await _collect(client, 0.5))
    lines = data.decode().split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == sent
    assert all(": " not in line and ", " not in line.replace(TURKISH, "") for line in lines)
    assert TURKISH.encode() in data  # raw UTF-8, not \u escapes
    await client.close()


async def test_concat_has_no_separator_at_all(make_sim):
    sim = await make_sim(flavor="bulut", tcp_framing="concat")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send({"type": "handshake", "domainUuid": sim.cfg.domain_uuid})
    sent = _messages(sim, 4)
    await asyncio.sleep(0.1)
    for msg in sent:
        sim.emit(msg)
    data = b"".join(await _collect(client, 0.5))
    assert b"\n" not in data
    assert b"}{" in data
    decoded = _decode_all(data.decode())
    assert decoded[0]["status"] == "success"
    assert decoded[1:] == sent
    await client.close()


async def test_split_cuts_messages_across_writes_even_inside_utf8(make_sim):
    sim = await make_sim(flavor="bulut", tcp_framing="split")
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send({"type": "handshake", "domainUuid": sim.cfg.domain_uuid})
    await asyncio.sleep(0.2)
    await client.reader.read(65536)  # the ack
    sent = _messages(sim, 5)
    reader = asyncio.create_task(_collect(client, 1.5))
    for msg in sent:
        sim.emit(msg)
    chunks = await reader
    assert len(chunks) > len(sent)
    data = b"".join(chunks)
    assert [json.loads(line) for line in data.decode().splitlines()] == sent

    def strict(chunk: bytes) -> bool:
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    assert any(not strict(chunk) for chunk in chunks), "no cut inside a UTF-8 sequence"
    await client.close()


async def test_noisy_adds_blank_lines_keepalives_and_garbage(make_sim):
    sim = await make_sim(flavor="bulut", tcp_framing="noisy", random_seed=3)
    client = await TcpClient.connect(sim.ports["tcp"])
    await client.send({"type": "handshake", "domainUuid": sim.cfg.domain_uuid})
    sent = _messages(sim, 9) + [dict(m, status="On Break") for m in _messages(sim, 9)]
    await asyncio.sleep(0.1)
    for msg in sent:
        sim.emit(msg)
    data = b"".join(await _collect(client, 0.8))
    assert b"\n\n" in data or b"\r\n" in data
    assert any(noise in data for noise in (b"ping\n",))
    assert any(g in data for g in (b"~~~", b"garbage!", b"\x00\x00", b"123 "))
    found = []
    text = data.decode("utf-8")
    decoder = json.JSONDecoder()
    pos = 0
    while (start := text.find("{", pos)) != -1:
        value, pos = decoder.raw_decode(text, start)
        found.append(value)
    assert found[0]["status"] == "success"
    assert found[1:] == sent
    await client.close()
