"""Kobikom's call records (CDRs), parsed into typed, frozen values.

Pure functions, no I/O: :class:`~desktop.pbx.rest.TekilSession` and
:class:`~desktop.pbx.rest.KobiPbxSession` hand the decoded JSON here.  The
documentation's quirks (digest §4) are absorbed in this one place:

* Tekil ``getcdr`` (v0) names the call id ``uniqueid``, ``v1/getcdr`` names it
  ``uniqueId`` and ``getCDRFromUniqueID`` (v0) has no id field at all (the
  caller passes the id it asked for).  Ids are strings (the collection shows
  ``.49480`` losing its zero when treated as a number).
* An empty id (IVR-only rows) or a missing one (``missedcalls``) gets a
  *synthetic* id: ``cdr-`` plus a hash of the row's own fields, so fetching
  the same rows again yields the same ids and nothing is duplicated.
* ``dispositionn`` (English, double "n") and ``disposition`` (Turkish:
  ``CEVAPLANDI``/``CEVAPSIZ``/``MEŞGUL``/``HATALI``) both map to
  :class:`Disposition`; KobiPBX's filter spellings (``NO_ANSWER``,
  ``USER_BUSY``) too.  Unknown values are :attr:`Disposition.UNKNOWN`.
* Durations come as ``HH:MM:SS`` and ``H:MM:SS`` (and, defensively, ``MM:SS``
  or a number of seconds).
* Tekil's ``calldate`` has no time zone: it is Turkish local time
  (Europe/Istanbul, UTC+3 all year since 2016; the simulator and the
  collection's samples agree).  KobiPBX's ``start_stamp`` is ISO 8601 in UTC
  (``2024-12-05T06:07:37.000000Z``); a stamp without an offset is taken as UTC
  (Laravel serialises UTC).
* ``dst`` is ``"s"`` on IVR rows; ``queue`` is really the dialplan context
  (``from-internal``, ``ext-queues``, ``ivr-4``, ``<TENANT>CC``…), except in
  ``missedcalls`` where it is a queue (or extension) number.
* ``dstchannel`` names the extension that was rung: ``SIP/110-0000923e``,
  ``Local/110@from-queue-00000c32;1``, or just ``118`` (v0).
* KobiPBX's ``recording`` is ``null`` in the only example; its non-null format
  is unknown, so it is kept as the raw string.

Rows that cannot be read (not an object, no parseable time) are skipped and
counted, never fatal: one odd row must not hide a whole day of calls.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, Final, Generic, TypeVar

log = logging.getLogger("kobikom.pbx.cdr")

T = TypeVar("T")


def _turkey() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Istanbul")
    except Exception:  # pragma: no cover - no tz database (Windows without tzdata)
        return timezone(timedelta(hours=3), "TRT")


#: The PBX's local time zone (Tekil's times carry none).
TURKEY: Final = _turkey()
#: Prefix of ids made up from a row's fields (see :func:`synthetic_id`).
SYNTHETIC_PREFIX: Final = "cdr-"


class Disposition(enum.Enum):
    """How one CDR row (leg) ended, as the PBX says."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    UNKNOWN = "unknown"


_DISPOSITIONS: Final = {
    "ANSWERED": Disposition.ANSWERED,
    "CEVAPLANDI": Disposition.ANSWERED,
    "NO ANSWER": Disposition.NO_ANSWER,
    "NO_ANSWER": Disposition.NO_ANSWER,
    "NOANSWER": Disposition.NO_ANSWER,
    "CEVAPSIZ": Disposition.NO_ANSWER,
    "BUSY": Disposition.BUSY,
    "USER_BUSY": Disposition.BUSY,
    "MEŞGUL": Disposition.BUSY,
    "MESGUL": Disposition.BUSY,
    "FAILED": Disposition.FAILED,
    "HATALI": Disposition.FAILED,
    "CONGESTION": Disposition.FAILED,
}


def parse_disposition(*values: object) -> Disposition:
    """The first of *values* that is a known disposition (English or Turkish)."""
    for value in values:
        if not isinstance(value, str):
            continue
        key = value.strip().upper().replace("İ", "I")
        found = _DISPOSITIONS.get(key)
        if found is not None:
            return found
    return Disposition.UNKNOWN


_HMS: Final = re.compile(r"^\s*(?:(\d{1,4}):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?\s*$")


def parse_duration(value: object) -> int | None:
    """Seconds from ``HH:MM:SS``, ``H:MM:SS``, ``MM:SS`` or a number; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return max(0, round(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    match = _HMS.match(text)
    if match is None:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_local_time(value: object, tz: tzinfo = TURKEY) -> float | None:
    """Epoch seconds of Tekil's ``YYYY-MM-DD HH:MM:SS`` (Turkish time); None if unreadable."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            moment = datetime.strptime(text[:19], fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=tz).timestamp()
    return None


def parse_iso_time(value: object) -> float | None:
    """Epoch seconds of an ISO 8601 stamp (``…Z``, ``+03:00`` or none = UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.11 reads at most 6 fractional digits; Laravel sends exactly 6.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return parse_local_time(value, UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def format_local(ts: float, tz: tzinfo = TURKEY) -> tuple[str, str]:
    """``("YYYY-MM-DD", "HH:MM:SS")`` of *ts* in the PBX's time zone (for query filters)."""
    moment = datetime.fromtimestamp(ts, tz)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


def synthetic_id(*fields: object) -> str:
    """A stable id for a row that has none: ``cdr-`` + a hash of its fields."""
    text = "\x1f".join("" if f is None else str(f).strip() for f in fields)
    return SYNTHETIC_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def is_synthetic(call_id: str) -> bool:
    return call_id.startswith(SYNTHETIC_PREFIX)


def _text(row: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = row.get(key)
        if value is None or isinstance(value, (dict, list)):
            continue
        text = str(value).strip()
        if text:
            return text
    return ""


_CHANNEL: Final = re.compile(r"^(?:[A-Za-z0-9]+/)?([0-9A-Za-z_+]+?)(?:[-@;].*)?$")


def channel_extension(channel: str) -> str | None:
    """The endpoint a ``dstchannel`` names: ``SIP/110-0000923e`` -> ``110``."""
    channel = channel.strip()
    if not channel:
        return None
    match = _CHANNEL.match(channel)
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Parsed(Generic[T]):
    """Items read from one answer, and how many rows had to be skipped."""

    items: tuple[T, ...] = ()
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class CdrLeg:
    """One Tekil CDR row: one leg or attempt of a call (several may share an id)."""

    call_id: str
    #: True when the PBX gave no id and :func:`synthetic_id` made one up.
    synthetic: bool
    started_at: float
    src: str
    #: The called number or extension (``"s"`` on IVR rows).
    dst: str
    #: The ``queue`` field: really the dialplan context (``from-internal``…).
    context: str
    #: ``dstchannel`` as sent, and the extension it names (None if none).
    channel: str
    channel_extension: str | None
    duration: int
    disposition: Disposition
    #: Relative recording path (the ``i`` of ``downloadRecording``), or None.
    recording: str | None

    @property
    def queue_number(self) -> str | None:
        """The queue's number for the ``ext-queues`` row of a queue call."""
        return self.dst if self.context == "ext-queues" and self.dst.isdigit() else None


@dataclass(frozen=True, slots=True)
class MissedCall:
    """One row of Tekil's ``missedcalls`` (no id, no extension: a synthetic id)."""

    call_id: str
    started_at: float
    src: str
    #: A queue number, or the extension the call rang on.
    queue: str
    duration: int


@dataclass(frozen=True, slots=True)
class VcdrRecord:
    """One KobiPBX ``vcdrs`` row: one call."""

    call_id: str
    synthetic: bool
    started_at: float
    caller: str
    destination: str
    responder: str
    last_destination: str
    #: ``inbound`` / ``outbound`` / ``local`` (other values kept as sent).
    direction: str
    wait_seconds: int | None
    talk_seconds: int | None
    total_seconds: int | None
    #: The documented ``missed_call`` flag (None when absent).
    missed: bool | None
    hangup_cause: str
    #: Raw ``recording`` value (format undocumented), or None.
    recording: str | None

    @property
    def answered(self) -> bool:
        if self.missed is True:
            return False
        return bool(self.responder) or bool(self.talk_seconds)


@dataclass(frozen=True, slots=True)
class VcdrPage:
    """One page of ``vcdrs``: the records and where the pagination stands."""

    records: tuple[VcdrRecord, ...]
    page: int
    last_page: int
    total: int
    has_next: bool
    skipped: int = 0


def _rows(body: Any) -> list[Any]:
    """The list of rows of an answer: a bare array, or ``{"data": [...]}``."""
    if isinstance(body, list):
        return body
    if isinstance(body, Mapping):
        data = body.get("data")
        if isinstance(data, list):
            return data
        if isinstance(data, Mapping) and isinstance(data.get("data"), list):
            return list(data["data"])
    raise ValueError(f"expected a list of call records, got {type(body).__name__}")


def parse_tekil_cdr(body: Any, *, default_id: str | None = None) -> Parsed[CdrLeg]:
    """Rows of ``getcdr``, ``v1/getcdr`` or ``(v1/)getCDRFromUniqueID/{id}``.

    *default_id* is the id that was asked for (``getCDRFromUniqueID`` v0 has
    no id field).  Raises ``ValueError`` if *body* is not a list of rows.
    """
    legs: list[CdrLeg] = []
    skipped = 0
    for row in _rows(body):
        if not isinstance(row, Mapping):
            skipped += 1
            continue
        started = parse_local_time(row.get("calldate"))
        if started is None:
            skipped += 1
            continue
        src = _text(row, "src")
        dst = _text(row, "dst")
        context = _text(row, "queue")
        channel = _text(row, "dstchannel")
        duration_text = row.get("duration")
        recording = _text(row, "recording") or None
        call_id = _text(row, "uniqueId", "uniqueid", "unique_id", "uniqueID") or (
            default_id or "")
        synthetic = not call_id
        if synthetic:
            call_id = synthetic_id("tekil", row.get("calldate"), src, dst, context, channel,
                                   duration_text)
        legs.append(CdrLeg(
            call_id=call_id, synthetic=synthetic, started_at=started, src=src, dst=dst,
            context=context, channel=channel, channel_extension=channel_extension(channel),
            duration=parse_duration(duration_text) or 0,
            disposition=parse_disposition(row.get("dispositionn"), row.get("disposition")),
            recording=recording))
    if skipped:
        log.info("skipped %d unreadable CDR row(s)", skipped)
    return Parsed(tuple(legs), skipped)


def parse_tekil_missed(body: Any) -> Parsed[MissedCall]:
    """Rows of ``missedcalls`` (``calldate``, ``src``, ``queue``, ``duration``)."""
    out: list[MissedCall] = []
    skipped = 0
    for row in _rows(body):
        if not isinstance(row, Mapping):
            skipped += 1
            continue
        started = parse_local_time(row.get("calldate"))
        if started is None:
            skipped += 1
            continue
        src = _text(row, "src")
        queue = _text(row, "queue")
        out.append(MissedCall(
            call_id=synthetic_id("missed", row.get("calldate"), src, queue),
            started_at=started, src=src, queue=queue,
            duration=parse_duration(row.get("duration")) or 0))
    return Parsed(tuple(out), skipped)


def _bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "false", "0"):
        return value.strip().lower() in ("true", "1")
    return None


def parse_vcdr(row: Mapping[str, Any]) -> VcdrRecord | None:
    """One ``vcdrs`` row, or None if it has no readable start time."""
    started = parse_iso_time(row.get("start_stamp"))
    if started is None:
        return None
    caller = _text(row, "caller_number")
    destination = _text(row, "caller_destination", "destination_number")
    call_id = _text(row, "uuid")
    synthetic = not call_id
    if synthetic:
        call_id = synthetic_id("vcdr", row.get("start_stamp"), caller, destination)
    return VcdrRecord(
        call_id=call_id, synthetic=synthetic, started_at=started, caller=caller,
        destination=destination, responder=_text(row, "responder"),
        last_destination=_text(row, "last_entry_destination"),
        direction=_text(row, "direction").lower() or "unknown",
        wait_seconds=parse_duration(row.get("waiting_time")),
        talk_seconds=parse_duration(row.get("talk_time")),
        total_seconds=parse_duration(row.get("total_call_time")),
        missed=_bool(row.get("missed_call")), hangup_cause=_text(row, "hangup_cause"),
        recording=_text(row, "recording") or None)


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(str(value))
    except ValueError:
        return default


def parse_vcdrs_page(body: Any, *, asked_page: int = 1) -> VcdrPage:
    """One ``vcdrs`` answer (``data`` + ``pagination``; Laravel's flat form too)."""
    if not isinstance(body, Mapping):
        raise ValueError(f"expected a page of call records, got {type(body).__name__}")
    rows = body.get("data")
    if not isinstance(rows, list):
        raise ValueError("the page has no 'data' list")
    records: list[VcdrRecord] = []
    skipped = 0
    for row in rows:
        record = parse_vcdr(row) if isinstance(row, Mapping) else None
        if record is None:
            skipped += 1
        else:
            records.append(record)
    meta: Mapping[str, Any] = body
    for key in ("pagination", "meta"):
        candidate = body.get(key)
        if isinstance(candidate, Mapping):
            meta = candidate
            break
    page = _int(meta.get("current_page", body.get("current_page")), asked_page)
    last_page = _int(meta.get("last_page"), page)
    total = _int(meta.get("total"), len(records))
    links = meta.get("links") if isinstance(meta.get("links"), Mapping) else body.get("links")
    if "last_page" in meta:
        has_next = page < last_page
    else:
        has_next = isinstance(links, Mapping) and bool(links.get("next"))
    return VcdrPage(tuple(records), page, max(page, last_page), total, has_next and bool(rows),
                    skipped)


def group_legs(legs: Iterable[CdrLeg]) -> dict[str, list[CdrLeg]]:
    """Legs by call id, each call's legs oldest first (the answer is newest first)."""
    calls: dict[str, list[CdrLeg]] = {}
    for leg in legs:
        calls.setdefault(leg.call_id, []).append(leg)
    for group in calls.values():
        group.sort(key=lambda leg: leg.started_at)
    return calls
