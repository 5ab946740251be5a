"""``kobikom-desktop replay``: the app's own tracker factory, and what a call line carries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.core.calls import CallTracker, TrackerFactory

T0 = 1_800_000_000.0
CALLER = "05321234567"


def capture(path: Path, *messages: tuple[float, dict[str, Any]]) -> Path:
    """A capture file as ``listen --capture`` writes it (format version 1)."""
    lines: list[dict[str, Any]] = [
        {"kind": "header", "format": "kobikom-capture", "version": 1, "session": "s1",
         "app": "test", "flavor": "bulut", "transport": "tcp", "endpoint": "127.0.0.1:1",
         "extensions": ["1001"], "domain": "<domain-uuid>", "numbers": "kept",
         "mono": 1.0, "wall": T0},
        {"kind": "open", "conn": 1, "transport": "tcp", "mono": 1.0, "wall": T0},
    ]
    for at, message in messages:
        lines.append({"kind": "frame", "conn": 1, "transport": "tcp", "mono": 1.0 + at,
                      "wall": T0 + at, "text": json.dumps(message) + "\n"})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def leg(event: str, call_id: str, ext: str, **fields: Any) -> dict[str, Any]:
    return {"event": event, "callUUID": call_id, "extension": ext, "callerNumber": CALLER,
            "calledNumber": ext, **fields}


@pytest.fixture
def queue_capture(tmp_path: Path) -> Path:
    """A queue ringing one agent at a time: ours gives up, then 1002 answers."""
    return capture(
        tmp_path / "capture.jsonl",
        (0.0, {"event": "member-queue-start", "memberUUID": "m1", "cidName": CALLER}),
        (0.0, leg("ringing", "T", "60000", calledNumber="02242345678")),
        (0.1, leg("answered", "T", "60000", calledNumber="02242345678")),
        (0.2, leg("ringing", "B1", "1001")),
        (15.0, {"event": "hangup", "callUUID": "B1", "hangupCause": "NO_ANSWER"}),
        (15.1, leg("ringing", "B2", "1002")),
        (19.0, leg("answered", "B2", "1002")),
    )


def test_replay_builds_its_tracker_with_the_apps_factory(
        queue_capture: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    made: list[tuple[tuple[str, ...], str | None, CallTracker]] = []
    original = TrackerFactory.make

    def make(self: TrackerFactory, extensions: Any, domain: str | None,
             **kwargs: Any) -> CallTracker:
        tracker = original(self, extensions, domain, **kwargs)
        made.append((tuple(extensions), domain, tracker))
        return tracker

    monkeypatch.setattr(TrackerFactory, "make", make)
    assert main(["replay", str(queue_capture), "--summary"]) == 0
    (extensions, domain, tracker), = made
    assert (extensions, domain) == (("1001",), "<domain-uuid>")
    assert tracker.dials is not None  # the same shape as the app's: a click-to-call record
    assert tracker.stats.events == 7


def test_a_call_line_carries_its_legs_and_own_dial(
        queue_capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(queue_capture), "--summary"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    call = json.loads(line)
    assert call["legs"] == ["B1"]
    assert call["own_dial"] is False
    assert (call["outcome"], call["answered_by"]) == ("answered_elsewhere", "1002")
    assert call["passed_at"] == T0 + 15.0
    assert call["ended_at"] == T0 + 15.0
    assert call["called"] == "02242345678"  # the DID, from the caller's leg
