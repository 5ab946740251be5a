"""Every plausible ``timestamp`` form reads as the same moment (or None, never an error)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.pbx.events import parse_message
from desktop.pbx.timestamps import parse_timestamp

#: 2024-12-05 06:07:37.123456 UTC (09:07:37 in Turkey).
MOMENT = datetime(2024, 12, 5, 6, 7, 37, 123456, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("value", "precision"), [
    (1733378857, 1.0),  # epoch seconds, a JSON number
    ("1733378857", 1.0),  # ... as a string
    (1733378857.123, 0.001),
    ("1733378857123", 0.001),  # milliseconds (Date.now())
    (1733378857123, 0.001),
    ("1733378857123456", 1e-6),  # microseconds (FreeSWITCH Event-Date-Timestamp)
    (1733378857123456789, 1e-6),  # nanoseconds
    ("2024-12-05T06:07:37.123Z", 0.001),  # Node's toISOString()
    ("2024-12-05T06:07:37Z", 1.0),
    ("2024-12-05T06:07:37.123456+00:00", 1e-6),
    ("2024-12-05T09:07:37+03:00", 1.0),
    ("2024-12-05 09:07:37", 1.0),  # Tekil: Turkish local time, no zone
    ("2024-12-05T09:07:37.123", 0.001),
    ("Thu, 05 Dec 2024 06:07:37 GMT", 1.0),  # FreeSWITCH Event-Date-GMT
    (" 1733378857 ", 1.0),
])
def test_every_form_is_the_same_moment(value: object, precision: float) -> None:
    parsed = parse_timestamp(value)
    assert parsed is not None
    assert abs(parsed - MOMENT) < precision


@pytest.mark.parametrize("value", [None, "", "   ", "dün", "2024-13-45 99:99:99", True,
                                   float("nan"), float("inf"), -5, 0, "0x1f", "1e400",
                                   "12:30", {"a": 1}, [1]])
def test_nonsense_is_none(value: object) -> None:
    assert parse_timestamp(value) is None


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(), st.none()))
def test_never_raises(value: object) -> None:
    result = parse_timestamp(value)
    assert result is None or isinstance(result, float)


def test_events_keep_the_text_and_read_it_on_demand() -> None:
    ev = parse_message({"event": "ringing", "callUUID": "u1", "extension": "1001",
                        "timestamp": "1733378857123456"}, received_at=1.0)
    assert ev.timestamp == "1733378857123456"
    assert ev.sent_at == pytest.approx(MOMENT, abs=1e-6)
    bare = parse_message({"event": "hangup", "callUUID": "u1"}, received_at=1.0)
    assert bare.sent_at is None
