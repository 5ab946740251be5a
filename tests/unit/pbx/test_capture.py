"""The capture file: records, times, connections, rotation and its size bound."""

from __future__ import annotations

import base64
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.pbx.capture import (
    CAPTURE_FORMAT,
    CaptureError,
    CaptureInfo,
    CaptureReader,
    CaptureWriter,
    capture_files,
)
from desktop.pbx.connection import ConnectionState, Phase

DOMAIN = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
INFO = CaptureInfo(flavor="bulut", transport="tcp", endpoint="127.0.0.1:8990",
                   extensions=("1001",), has_domain=True, app="test")


class Clock:
    def __init__(self) -> None:
        self.mono = 100.0
        self.wall = 1_700_000_000.0

    def step(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def writer(path: Path, clock: Clock, info: CaptureInfo = INFO, **kwargs: Any) -> CaptureWriter:
    kwargs.setdefault("secrets", {DOMAIN: "<domain-uuid>"})
    kwargs.setdefault("domain_uuid", DOMAIN)
    return CaptureWriter(path, info, clock=lambda: clock.mono, wall_clock=lambda: clock.wall,
                         **kwargs)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def ringing(n: int) -> bytes:
    return json.dumps({"event": "ringing", "callUUID": f"call-{n}", "extension": "1001",
                       "callerNumber": "05321234567", "domain": DOMAIN}).encode() + b"\n"


def test_records_carry_kind_connection_transport_and_both_receive_times(
        tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    w = writer(path, clock, keep_numbers=True)
    w.state(ConnectionState(Phase.CONNECTING))
    clock.step(0.5)
    w.state(ConnectionState(Phase.CONNECTED))
    clock.step(1.25)
    w.frame(ringing(1))
    clock.step(2)
    w.state(ConnectionState(Phase.RECONNECTING, reason="server closed the connection"))
    clock.step(1)
    w.state(ConnectionState(Phase.CONNECTED))
    w.frame(ringing(2)[:10])  # '{"event": ': the token after "{" waits for more
    w.state(ConnectionState(Phase.DISCONNECTED, reason="stopped"))
    w.close()
    records = lines(path)
    assert [r["kind"] for r in records] == ["header", "open", "frame", "close", "open",
                                            "frame", "frame", "close", "end"]
    header = records[0]
    assert (header["format"], header["version"], header["flavor"], header["transport"]) == \
        (CAPTURE_FORMAT, 1, "bulut", "tcp")
    assert (header["extensions"], header["domain"], header["numbers"]) == \
        (["1001"], "<domain-uuid>", "kept")
    opened, frame, closed = records[1:4]
    assert (opened["conn"], frame["conn"], closed["conn"]) == (1, 1, 1)
    assert frame["transport"] == "tcp"
    assert frame["mono"] - opened["mono"] == pytest.approx(1.25)
    assert frame["wall"] == pytest.approx(1_700_000_001.75)
    assert frame["text"] == ringing(1).decode().replace(DOMAIN, "<domain-uuid>")
    assert (closed["reason"], closed["stopped"]) == ("server closed the connection", False)
    assert records[4]["conn"] == 2
    # What was held back when the channel stopped is written, then the close.
    assert records[5]["text"] + records[6]["text"] == ringing(2)[:10].decode()
    assert (records[7]["reason"], records[7]["stopped"]) == ("stopped", True)
    assert DOMAIN not in path.read_text("utf-8")


def test_the_recording_ends_by_itself_when_the_channel_stops(tmp_path: Path,
                                                             clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    w = writer(path, clock)
    tapped: list[ConnectionState] = []
    on_state = w.tap_state(tapped.append)
    on_state(ConnectionState(Phase.CONNECTED))
    w.frame(ringing(1))
    on_state(ConnectionState(Phase.DISCONNECTED, reason="stopped"))
    w.frame(ringing(2))  # after the end: not recorded
    w._thread.join(5)
    assert w.finished
    assert [s.phase for s in tapped] == [Phase.CONNECTED, Phase.DISCONNECTED]
    kinds = [r["kind"] for r in lines(path)]
    assert kinds == ["header", "open", "frame", "close", "end"]


def test_websocket_messages_text_and_binary(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    w = writer(path, clock, CaptureInfo(flavor="tekil", transport="ws"))
    w.state(ConnectionState(Phase.CONNECTED))
    w.frame('{"type":"ExtensionStatus","extension":"1001","status":"8"}')
    w.frame(b"\x00\x01binary\xff")
    w.frame("ping")
    w.close()
    frames = [r for r in lines(path) if r["kind"] == "frame"]
    assert frames[0]["text"].startswith('{"type":"ExtensionStatus"')
    assert base64.b64decode(frames[1]["b64"]) == b"\x00\x01binary\xff"
    assert frames[2]["text"] == "ping"
    read = [r for r in CaptureReader(path).records() if r.kind == "frame"]
    assert [r.data for r in read] == [frames[0]["text"], b"\x00\x01binary\xff", "ping"]


def test_tcp_bytes_that_are_not_utf8_round_trip_exactly(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    w = writer(path, clock, keep_numbers=True)
    w.state(ConnectionState(Phase.CONNECTED))
    data = [b"\xff\xfe{", b'"a":1}\n', "{\"ad\":\"Şükrü\"}\n".encode()[:9],
            "{\"ad\":\"Şükrü\"}\n".encode()[9:]]
    for chunk in data:
        w.frame(chunk)
    w.close()
    read = b"".join(r.data for r in CaptureReader(path).records()  # type: ignore[misc]
                    if r.kind == "frame")
    assert read == b"".join(data)


def _many_frames(count: int) -> Iterator[bytes]:
    for n in range(count):
        yield ringing(n)


def test_rotation_keeps_the_newest_frames_within_the_size_bound(tmp_path: Path,
                                                                clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    max_bytes, backups = 4000, 2
    w = writer(path, clock, keep_numbers=True, max_bytes=max_bytes, backups=backups)
    w.state(ConnectionState(Phase.CONNECTED))
    for frame in _many_frames(400):
        clock.step(0.01)
        w.frame(frame)
    w.close()
    files = capture_files(path)
    assert [p.name for p in files] == ["cap.jsonl.2", "cap.jsonl.1", "cap.jsonl"]
    longest = max(len(line.encode()) + 1 for p in files
                  for line in p.read_text("utf-8").splitlines())
    for p in files:
        assert p.stat().st_size <= max_bytes + longest
        assert json.loads(p.read_text("utf-8").splitlines()[0])["kind"] == "header"
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert sum(p.stat().st_size for p in files) <= (backups + 1) * (max_bytes + longest)
    # Read oldest first: the surviving frames are the newest ones, in order, none lost
    # in between, and the last one is the last one sent.
    ids = [json.loads(r.data)["callUUID"]  # type: ignore[arg-type]
           for r in CaptureReader(files).records() if r.kind == "frame"]
    numbers = [int(i.split("-")[1]) for i in ids]
    assert numbers == list(range(numbers[0], 400))
    assert numbers[0] > 0, "nothing was rotated away: the test proves nothing"


def test_a_new_recording_appends_with_its_own_header(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    for n in range(2):
        w = writer(path, clock)
        w.state(ConnectionState(Phase.CONNECTED))
        w.frame(ringing(n))
        w.close()
    reader = CaptureReader(path)
    records = list(reader.records())
    assert len(reader.headers) == 2
    assert reader.headers[0]["session"] != reader.headers[1]["session"]
    frames = [r for r in records if r.kind == "frame"]
    assert [(r.session, r.conn) for r in frames] == \
        [(reader.headers[0]["session"], 1), (reader.headers[1]["session"], 1)]


def test_reader_skips_a_cut_line_and_refuses_what_is_not_a_capture(tmp_path: Path,
                                                                   clock: Clock) -> None:
    path = tmp_path / "cap.jsonl"
    w = writer(path, clock)
    w.state(ConnectionState(Phase.CONNECTED))
    w.frame(ringing(1))
    w.close()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('{"kind":"frame","conn":1,"text":"cut sho')  # a crash mid-write
    reader = CaptureReader(path)
    assert [r.kind for r in reader.records()] == ["header", "open", "frame", "end"]
    assert len(reader.problems) == 1
    assert "cap.jsonl:5" in reader.problems[0]

    other = tmp_path / "other.jsonl"
    other.write_text('{"kind":"frame","text":"x"}\n', "utf-8")
    with pytest.raises(CaptureError, match="no capture header"):
        list(CaptureReader(other).records())
    other.write_text('{"kind":"header","format":"something-else"}\n', "utf-8")
    with pytest.raises(CaptureError, match="not a kobikom-desktop capture"):
        list(CaptureReader(other).records())
    with pytest.raises(CaptureError, match="cannot read"):
        list(CaptureReader(tmp_path / "missing.jsonl").records())


def test_an_unwritable_place_fails_at_once(tmp_path: Path, clock: Clock) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        writer(blocker / "cap.jsonl", clock)
