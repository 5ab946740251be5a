"""The client writes captures, the simulator reads them with its own code: they agree.

The simulator may not import the client (import-linter), so the capture
format is implemented twice: :mod:`desktop.pbx.capture` (writer and reader)
and :mod:`desktop.simulator.replay` (reader).  These tests write with the
one and read with both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.pbx.capture import CaptureInfo, CaptureReader, CaptureWriter, capture_files
from desktop.pbx.connection import ConnectionState, Phase
from desktop.simulator.replay import CaptureFileError, load_capture


class Clock:
    def __init__(self) -> None:
        self.t = 50.0

    def mono(self) -> float:
        return self.t

    def wall(self) -> float:
        return 1_800_000_000.0 + self.t


def record(path: Path, transport: str, script: list[tuple[float, object]], *,
           max_bytes: int = 1 << 20, backups: int = 3) -> None:
    clock = Clock()
    w = CaptureWriter(path, CaptureInfo(flavor="bulut", transport=transport),
                      secrets={"5b0c0e4e-1d2f-4a6b-9c3d-000000000001": "<domain-uuid>"},
                      keep_numbers=True, max_bytes=max_bytes, backups=backups,
                      clock=clock.mono, wall_clock=clock.wall)
    for at, item in script:
        clock.t = 50.0 + at
        if isinstance(item, ConnectionState):
            w.state(item)
        else:
            w.frame(item)  # type: ignore[arg-type]
    w.close()


def connected() -> ConnectionState:
    return ConnectionState(Phase.CONNECTED)


def lost() -> ConnectionState:
    return ConnectionState(Phase.RECONNECTING, reason="server closed the connection")


def test_tcp_connections_frames_offsets_and_closes_agree(tmp_path: Path) -> None:
    path = tmp_path / "cap.jsonl"
    a = b'{"event":"ringing","callUUID":"c1","domain":"5b0c0e4e-1d2f-4a6b-9c3d-000000000001"}\n'
    b = "{\"event\":\"hangup\",\"callUUID\":\"c1\",\"ad\":\"Şükrü\"}\n".encode()
    record(path, "tcp", [
        (0.0, connected()), (0.4, a), (1.5, b[:20]), (1.6, b[20:]), (3.0, lost()),
        (4.0, connected()), (4.25, b"\xff\x00garbage\n"),
        (9.0, ConnectionState(Phase.DISCONNECTED, reason="stopped")),
    ])
    sim = load_capture([path])
    assert sim.flavor == "bulut"
    assert [c.transport for c in sim.connections] == ["tcp", "tcp"]
    first, second = sim.connections
    assert [round(t, 6) for t, _ in first.frames] == [0.4, 1.5, 1.6]
    assert b"".join(d for _, d in first.frames) == a.replace(  # type: ignore[misc]
        b"5b0c0e4e-1d2f-4a6b-9c3d-000000000001", b"<domain-uuid>") + b
    assert first.closed_after == pytest.approx(3.0)  # the server ended it
    assert second.frames == [(pytest.approx(0.25), b"\xff\x00garbage\n")]
    assert second.closed_after is None  # the client stopped it: not the server's doing

    # The client's own reader sees the same data.
    client = [r for r in CaptureReader(path).records() if r.kind == "frame"]
    assert [r.data for r in client] == [d for c in sim.connections for _, d in c.frames]


def test_websocket_text_and_binary_messages_agree(tmp_path: Path) -> None:
    path = tmp_path / "cap.jsonl"
    record(path, "ws", [(0.0, connected()), (0.1, '{"type":"ExtensionStatus"}'),
                        (0.2, b"\x01\x02"), (0.3, "ping")])
    (conn,) = load_capture([path]).connections
    assert [d for _, d in conn.frames] == ['{"type":"ExtensionStatus"}', b"\x01\x02", "ping"]
    assert conn.closed_after is None  # cut short by the end of the recording


def test_rotated_files_read_oldest_first_agree(tmp_path: Path) -> None:
    path = tmp_path / "cap.jsonl"
    frames: list[tuple[float, object]] = [(0.0, connected())]
    frames += [(0.01 * n, f'{{"event":"ringing","callUUID":"c{n}"}}\n'.encode())
               for n in range(1, 300)]
    record(path, "tcp", frames, max_bytes=3000, backups=2)
    files = capture_files(path)
    assert len(files) == 3
    sim = load_capture(files)
    client = [r.data for r in CaptureReader(files).records() if r.kind == "frame"]
    simulated = [d for c in sim.connections for _, d in c.frames]
    assert simulated == client
    assert simulated[-1] == b'{"event":"ringing","callUUID":"c299"}\n'
    # The "open" was rotated away: the connection starts at its first surviving frame.
    assert sim.connections[0].frames[0][0] == 0.0


def test_the_simulator_refuses_what_is_not_a_capture(tmp_path: Path) -> None:
    other = tmp_path / "x.jsonl"
    other.write_text('{"kind":"header","format":"nope"}\n', "utf-8")
    with pytest.raises(CaptureFileError, match="not a kobikom-desktop capture"):
        load_capture([other])
    other.write_text('{"kind":"header","format":"kobikom-capture","version":1}\n', "utf-8")
    with pytest.raises(CaptureFileError, match="no connection"):
        load_capture([other])
    other.write_text('{"kind":"header","format":"kobikom-capture","version":99}\n', "utf-8")
    with pytest.raises(CaptureFileError, match="too new"):
        load_capture([other])
