"""Playing a capture back through the real decoder and the real call tracker.

``kobikom-desktop replay FILE`` answers "what calls would the app have seen
from what this server sent?" without a server: the frames of a capture
(:mod:`desktop.pbx.capture`) go through exactly what a live channel does
with them, at the recorded times:

* TCP frames of one connection into one
  :class:`~desktop.pbx.framing.JsonStreamDecoder` (a new connection starts a
  new one; an oversized frame is skipped, as the channel skips it, and one
  that never ends resets it, as the channel's reconnect does),
  WebSocket messages through :func:`~desktop.pbx.channels.events_from_text`;
* every event but application keep-alives into a
  :class:`~desktop.core.calls.CallTracker`, with ``received_at`` the
  recorded wall-clock time, and the tracker's timers ticked every
  :data:`~desktop.core.phone_line.TICK_INTERVAL` of recorded time in between.

What it does not replay: what the app does around the tracker when the
connection drops (the phone line's reconnect handling) and the CDR gap
filling; captures record ``open``/``close`` so that a later version can.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from desktop.core.calls import Call, CallChange, CallTracker, Change
from desktop.core.phone_line import TICK_INTERVAL
from desktop.pbx.capture import CaptureRecord
from desktop.pbx.channels import events_from_text, events_from_value
from desktop.pbx.events import Event, KeepAliveEvent, UnknownEvent
from desktop.pbx.framing import DEFAULT_MAX_FRAME, FrameTooLargeError, JsonStreamDecoder

log = logging.getLogger("kobikom.core.replay")

#: Recorded gaps longer than this are ticked in coarser steps (a quiet night
#: of eight hours is 115,200 ticks of 0.25 s; a step of one second is plenty
#: for ring and stale timeouts that count in minutes).
COARSE_AFTER: Final = 600.0
COARSE_STEP: Final = 1.0


@dataclass(slots=True)
class ReplayStats:
    """What a replay saw."""

    records: int = 0
    frames: int = 0
    connections: int = 0
    events: int = 0
    unknown: int = 0
    keepalives: int = 0
    garbage: int = 0
    oversized: int = 0
    changes: int = 0
    problems: list[str] = field(default_factory=list)


class CaptureReplay:
    """Feeds capture records to *tracker* the way a live channel would.

    ``on_event(event)`` (optional) sees every event passed to the tracker;
    the tracker's own ``on_change`` sees the changes, which :meth:`feed`
    and :meth:`run` also return.
    """

    def __init__(self, tracker: CallTracker, *,
                 on_event: Callable[[Event], None] | None = None,
                 tick: float = TICK_INTERVAL, max_frame: int = DEFAULT_MAX_FRAME) -> None:
        self.tracker = tracker
        self.stats = ReplayStats()
        self._on_event = on_event
        self._tick = tick
        self._max_frame = max_frame
        self._decoders: dict[tuple[str, int], JsonStreamDecoder] = {}
        self._last_tick: float | None = None
        self._now = 0.0

    @property
    def now(self) -> float:
        """The recorded wall-clock time of the last record (the tracker's clock)."""
        return self._now

    def run(self, records: Iterable[CaptureRecord]) -> list[Change]:
        out: list[Change] = []
        for record in records:
            out.extend(self.feed(record))
        return out

    def feed(self, record: CaptureRecord) -> list[Change]:
        """One record: ticks up to its time, then its events."""
        self.stats.records += 1
        out = self._advance(record.wall)
        key = (record.session, record.conn)
        if record.kind == "open":
            self.stats.connections += 1
            self._decoders.pop(key, None)
        elif record.kind == "close":
            self._decoders.pop(key, None)
        elif record.kind == "frame" and record.data is not None:
            self.stats.frames += 1
            for event in self._events(record, key):
                out.extend(self._deliver(event))
        self.stats.changes += len(out)
        return out

    def finish(self, until: float | None = None) -> list[Change]:
        """Tick up to *until* (default: the last record), e.g. to start due Tekil calls."""
        out = self._advance(self._now if until is None else until)
        self.stats.changes += len(out)
        return out

    # -- internals ---------------------------------------------------------------

    def _advance(self, wall: float) -> list[Change]:
        out: list[Change] = []
        if self._last_tick is None or wall < self._last_tick:  # first record / clock set back
            self._last_tick = wall
        else:
            t = self._last_tick
            while t + self._tick <= wall:
                step = COARSE_STEP if wall - t > COARSE_AFTER else self._tick
                t += step
                out.extend(self.tracker.tick(t))
            self._last_tick = t
        self._now = max(self._now, wall)
        return out

    def _events(self, record: CaptureRecord, key: tuple[str, int]) -> list[Event]:
        data = record.data
        if record.transport == "tcp" and isinstance(data, bytes):
            decoder = self._decoders.get(key)
            if decoder is None:
                conn = record.conn
                decoder = JsonStreamDecoder(
                    max_frame=self._max_frame, on_garbage=self._garbage,
                    on_oversized=lambda size: self._oversized(conn, size))
                self._decoders[key] = decoder
            try:
                values: list[Any] = decoder.feed(data)
            except FrameTooLargeError as exc:
                # A frame that never ends: the live channel drops the connection here;
                # its next one starts clean.
                self.stats.oversized += 1
                self.stats.problems.append(
                    f"connection {record.conn}: {exc} (the app reconnects here)")
                values = list(exc.documents)
                self._decoders.pop(key, None)
            return [e for value in values for e in events_from_value(value, record.wall)]
        if isinstance(data, bytes):
            data = data.decode("utf-8", "replace")
        assert data is not None
        return events_from_text(data, record.wall)

    def _garbage(self, sample: str) -> None:
        self.stats.garbage += 1

    def _oversized(self, conn: int, size: int) -> None:
        """A frame larger than ``max_frame``: the channel skips it and goes on."""
        self.stats.oversized += 1
        self.stats.problems.append(
            f"connection {conn}: skipped a {size}-byte frame (larger than {self._max_frame})")

    def _deliver(self, event: Event) -> list[Change]:
        if isinstance(event, KeepAliveEvent):  # the channel answers these itself
            self.stats.keepalives += 1
            return []
        self.stats.events += 1
        if isinstance(event, UnknownEvent):
            self.stats.unknown += 1
        if self._on_event is not None:
            self._on_event(event)
        return self.tracker.feed(event)


def call_json(call: Call, change: CallChange | None = None) -> dict[str, Any]:
    """One call (and what just changed) as a JSON-ready dict."""
    out: dict[str, Any] = {}
    if change is not None:
        out["change"] = change.value
    out.update(
        call_id=call.call_id,
        extension=call.extension,
        caller=call.caller.raw,
        caller_e164=call.caller.e164,
        called=call.called.raw,
        direction=call.direction.value,
        state=call.state.value,
        outcome=call.outcome.value if call.outcome else None,
        queue=call.queue,
        caller_name=call.caller_name,
        answered_by=call.answered_by,
        started_at=call.started_at,
        ringing_at=call.ringing_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        hangup_cause=call.hangup_cause,
        synthetic=call.synthetic,
        replaces=call.replaces,
        # Every leg id (``callUUID``) grouped into this call, the first one first:
        # what ties a field capture's legs to the one call the agent saw.
        legs=list(call.legs),
        own_dial=call.own_dial,
        passed_at=call.passed_at,
    )
    return out
