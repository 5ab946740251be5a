"""A capture replayed through the real decoder and tracker, at the recorded times."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from desktop.core.calls import CallChange, CallOutcome, CallTracker
from desktop.core.replay import CaptureReplay, call_json
from desktop.pbx.capture import CaptureRecord

T0 = 1_800_000_000.0


def tcp(conn: int, at: float, data: bytes) -> CaptureRecord:
    return CaptureRecord("frame", "s1", conn, "tcp", 10 + at, T0 + at, data=data)


def ws(at: float, text: str) -> CaptureRecord:
    return CaptureRecord("frame", "s1", 1, "ws", 10 + at, T0 + at, data=text)


def opened(conn: int, at: float, transport: str = "tcp") -> CaptureRecord:
    return CaptureRecord("open", "s1", conn, transport, 10 + at, T0 + at)


def closed(conn: int, at: float) -> CaptureRecord:
    return CaptureRecord("close", "s1", conn, "tcp", 10 + at, T0 + at, reason="lost")


def msg(**fields: Any) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode() + b"\n"


def replay(records: Iterable[CaptureRecord], **kwargs: Any) -> tuple[CaptureReplay, list[Any]]:
    tracker = CallTracker(["1001"], "<domain-uuid>")
    r = CaptureReplay(tracker, **kwargs)
    changes = r.run(records)
    changes += r.finish()
    return r, changes


def test_split_tcp_frames_make_one_answered_and_one_missed_call_at_recorded_times() -> None:
    ring_a = msg(event="ringing", callUUID="a", extension="1001", callerNumber="05321234567",
                 domain="<domain-uuid>")
    answer_a = msg(event="answered", callUUID="a", extension="1001",
                   callerNumber="05321234567", direction="inbound", domain="<domain-uuid>")
    ring_b = msg(event="ringing", callUUID="b", extension="1001", callerNumber="02163347190",
                 domain="<domain-uuid>")
    records = [
        opened(1, 0.0),
        tcp(1, 1.0, ring_a[:7]), tcp(1, 1.1, ring_a[7:] + ring_b[:30]),
        tcp(1, 1.2, ring_b[30:]),
        tcp(1, 4.0, answer_a),
        tcp(1, 9.0, msg(event="hangup", callUUID="a", hangupCause="NORMAL_CLEARING")),
        tcp(1, 12.0, msg(event="hangup", callUUID="b", hangupCause="ORIGINATOR_CANCEL")),
        # Another tenant's call: filtered as the app filters it.
        tcp(1, 12.5, msg(event="ringing", callUUID="c", extension="1001",
                         callerNumber="05000000000", domain="<other-domain-uuid>")),
    ]
    r, changes = replay(records)
    ended = {call.call_id: call for call, change in changes if change is CallChange.ENDED}
    assert set(ended) == {"a", "b"}
    a, b = ended["a"], ended["b"]
    assert (a.outcome, b.outcome) == (CallOutcome.ANSWERED, CallOutcome.MISSED)
    assert a.caller.e164 == "+905321234567"
    assert (a.ringing_at, a.answered_at, a.ended_at) == (T0 + 1.1, T0 + 4.0, T0 + 9.0)
    assert b.ringing_at == T0 + 1.2
    assert (r.stats.frames, r.stats.events, r.stats.connections) == (7, 6, 1)
    assert call_json(a, CallChange.ENDED)["outcome"] == "answered"


def test_tracker_timers_run_in_recorded_time_between_frames() -> None:
    # Tekil: only ExtensionStatus.  RINGING for 3 s then IDLE is a missed call, but
    # only if the tracker's timer ran in between (it starts the call after its grace).
    records = [
        opened(1, 0.0),
        tcp(1, 1.0, msg(type="ExtensionStatus", extension="1001", status="8")),
        tcp(1, 4.0, msg(type="ExtensionStatus", extension="1001", status="0")),
        tcp(1, 6.0, msg(type="ExtensionStatus", extension="1002", status="0")),
    ]
    _r, changes = replay(records)
    # After it rang out the verdict waits a moment for a colleague's phone (none rang).
    assert [(c.synthetic, change) for c, change in changes] == \
        [(True, CallChange.STARTED), (True, CallChange.PASSED_ON), (True, CallChange.ENDED)]
    started, ended = changes[0][0], changes[2][0]
    assert started.ringing_at == T0 + 1.0
    assert ended.outcome is CallOutcome.MISSED
    assert ended.ended_at == T0 + 4.0


def test_a_new_connection_starts_a_new_decoder() -> None:
    # The first connection died mid-message; its half must not glue onto the next one.
    ring = msg(event="ringing", callUUID="x", extension="1001", callerNumber="05321234567")
    records = [opened(1, 0.0), tcp(1, 1.0, ring[:25]), closed(1, 2.0),
               opened(2, 3.0), tcp(2, 3.5, ring)]
    r, changes = replay(records)
    assert [(c.call_id, ch) for c, ch in changes] == [("x", CallChange.STARTED)]
    assert r.stats.connections == 2
    assert r.stats.garbage == 0


def test_an_oversized_frame_is_skipped_like_the_channel_does() -> None:
    ring = msg(event="ringing", callUUID="y", extension="1001", callerNumber="05321234567")
    records = [opened(1, 0.0), tcp(1, 1.0, b'{"blob":"' + b"x" * 3000),
               tcp(1, 1.5, b'x' * 100 + b'"}\n'), tcp(1, 2.0, ring)]
    r, changes = replay(records, max_frame=1000)
    assert r.stats.oversized == 1
    assert "connection 1: skipped a 3111-byte frame" in r.stats.problems[0]
    assert [(c.call_id, ch) for c, ch in changes] == [("y", CallChange.STARTED)]


def test_a_frame_that_never_ends_resets_the_decoder_like_the_channel_does() -> None:
    ring = msg(event="ringing", callUUID="y", extension="1001", callerNumber="05321234567")
    records = [opened(1, 0.0), tcp(1, 1.0, b'{"blob":"' + b"x" * 20_000),
               tcp(1, 2.0, ring)]
    r, changes = replay(records, max_frame=1000)  # gives up after 16 x 1000 bytes
    assert r.stats.oversized == 1
    assert "connection 1" in r.stats.problems[0]
    assert "the app reconnects here" in r.stats.problems[0]
    assert [(c.call_id, ch) for c, ch in changes] == [("y", CallChange.STARTED)]


def test_websocket_messages_and_keepalives() -> None:
    seen: list[Any] = []
    records = [opened(1, 0.0, "ws"), ws(0.5, "ping"),
               ws(1.0, msg(event="ringing", callUUID="w", extension="1001",
                           callerNumber="+905321234567").decode()),
               ws(1.5, "not json at all")]
    r, changes = replay(records, on_event=seen.append)
    assert [(c.call_id, ch) for c, ch in changes] == [("w", CallChange.STARTED)]
    assert (r.stats.keepalives, r.stats.events, r.stats.unknown) == (1, 2, 1)
    assert [type(e).__name__ for e in seen] == ["RingingEvent", "UnknownEvent"]


def test_a_long_quiet_gap_is_ticked_coarsely_and_still_expires_a_stuck_ring() -> None:
    ring = msg(event="ringing", callUUID="z", extension="1001", callerNumber="05321234567")
    records = [opened(1, 0.0), tcp(1, 1.0, ring), tcp(1, 8 * 3600.0, b"\n")]
    r, changes = replay(records)
    assert [(c.call_id, ch) for c, ch in changes] == [("z", CallChange.STARTED),
                                                      ("z", CallChange.ENDED)]
    assert changes[1][0].outcome is CallOutcome.UNKNOWN
    assert r.now == T0 + 8 * 3600.0
