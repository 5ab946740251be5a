"""The ``timestamp`` of Kobikom's real-time events, in every plausible form.

The documentation names the field on every event and never shows a value
(digest §1.4).  KobiPBX forwards FreeSWITCH events through a Node.js server
and Tekil is an Asterisk with a PHP panel, so any of these may arrive, as a
JSON number or a string:

* epoch seconds (``1733378857``, ``1733378857.123``), milliseconds
  (``1733378857123``, JavaScript's ``Date.now()``), microseconds
  (``1733378857123456``, FreeSWITCH's ``Event-Date-Timestamp``) or
  nanoseconds, told apart by magnitude;
* ISO 8601 with ``Z`` or an offset (``2024-12-05T06:07:37.123Z``,
  ``...+03:00``), with or without fractions;
* ``YYYY-MM-DD HH:MM:SS`` (or with a ``T``) without a zone: Turkish local
  time, like Tekil's CDRs (Turkey is UTC+3 all year since 2016);
* FreeSWITCH's ``Event-Date-GMT`` style (``Thu, 05 Dec 2024 06:07:37 GMT``).

Anything else is None: a timestamp never decides whether an event is used.
"""

from __future__ import annotations

import email.utils
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

#: Turkish time, for zone-less date-times (no DST since 2016).
TURKEY: Final = timezone(timedelta(hours=3), "TRT")

# Epoch values are told apart by magnitude: seconds stay below 1e11 until the
# year 5138, milliseconds of any date after 1973 are above it, and so on.
_MS_FROM: Final = 1e11
_US_FROM: Final = 1e14
_NS_FROM: Final = 1e17


def _from_epoch(value: float) -> float | None:
    if not math.isfinite(value) or value <= 0:
        return None
    if value >= _NS_FROM:
        return value / 1e9
    if value >= _US_FROM:
        return value / 1e6
    if value >= _MS_FROM:
        return value / 1e3
    return value


def parse_timestamp(value: Any) -> float | None:
    """*value* as epoch seconds, or None (see the module docstring)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        return None
    if text[0].isdigit() and text.replace(".", "", 1).isdigit():
        try:
            return _from_epoch(float(text))
        except (ValueError, OverflowError):
            return None
    if text[0].isdigit():
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TURKEY)
        return moment.timestamp()
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
