"""The call-record store behind the CDR endpoints, and its renderings.

``Simulator.cdr`` is a plain list of dicts, one per *call*, in the order the
calls ended.  Every call the simulator plays on the event channels is
appended when it ends, so REST history agrees with what the channels showed.
Tests may append their own records (build them with :func:`make_record`).

Record keys::

    call_id      the id the event channels used (callUUID or unique_id)
    uuid         KobiPBX-style UUID (vcdrs "uuid"; equals call_id on Bulut)
    unique_id    Tekil-style "<epoch>.<seq>" (CDR uniqueid; equals call_id on Tekil)
    kind         "direct" | "queue" | "outbound" | "dial" | "internal"
    direction    "inbound" | "outbound" | "local"
    caller, called, queue (queue number or None), extension (who answered /
    who placed it, or None), start, answer (None if unanswered), end (epoch
    seconds), disposition ("ANSWERED" | "NO ANSWER" | "BUSY" | "FAILED"),
    hangup_cause, recording (Tekil relative path, "" if none),
    legs         [{"extension", "start", "answer", "end", "disposition", "channel"}]
    leg_ids      the ids its legs had on the event channels (calls the switch
                 played only; one per leg under profiles with legs); no
                 endpoint renders it

Tekil renderings (``getcdr``, ``v1/getcdr``, ``getCDRFromUniqueID``,
``missedcalls``) follow the collection's examples: one row per leg, so several
rows share an id (a queue call gives an ``ext-queues`` row plus one
``from-internal`` row per agent rung); newest first; ``duration`` is the
leg's total time (ringing included, like Asterisk's ``duration``) as
``HH:MM:SS``; both dispositions (``dispositionn`` English, ``disposition``
Turkish); ``queue`` holds the dialplan context (``from-did-direct``,
``ext-queues``, ``from-internal``, ``<TENANT>CC`` for outbound); recording
paths use the observed prefixes (``exten-``, ``q-``, ``out-``, ``force-`` for
``/central/dial``) and upper-case ``.WAV``.  ``calldate`` is Turkish local
time.  Unanswered calls have no recording.

Undocumented Tekil filter semantics we chose: the time window is one range
from ``dateStart timeStart`` to ``dateEnd timeEnd`` (not a per-day window);
``type`` 1 = outgoing, 2 = incoming; ``exclude=false`` drops internal calls;
``src``/``dst`` match as substrings of the row's values; unparsable values
are ignored.

KobiPBX ``vcdrs`` renders one row per call with the documented fields;
``summary`` counts the rows of the returned page, ``pagination.total`` all
matches.  Duration-like filters (``duration``, ``billsec``, ``wait``,
``talk``) are minimums; ``queue`` matches ``direction``; ``disposition``
takes ``ANSWERED``/``NO_ANSWER``/``USER_BUSY`` (and ``FAILED``);
``recording`` is always ``null`` (its non-null format is unknown and KobiPBX
has no recording download), ``call_status`` always ``null``.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .events import TURKEY, iso_micro, local_datetime

DISPOSITION_TR = {
    "ANSWERED": "CEVAPLANDI",
    "NO ANSWER": "CEVAPSIZ",
    "BUSY": "MEŞGUL",
    "FAILED": "HATALI",
}
DISPOSITION_BULUT = {"ANSWERED": "ANSWERED", "NO ANSWER": "NO_ANSWER", "BUSY": "USER_BUSY",
                     "FAILED": "FAILED"}


def hms(seconds: float, *, pad_hours: bool = True) -> str:
    total = max(0, round(seconds))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if pad_hours else f"{h}:{m:02d}:{s:02d}"


def parse_hms(text: str) -> int | None:
    try:
        parts = [int(p) for p in text.split(":")]
    except ValueError:
        return None
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts[-3:]
    return h * 3600 + m * 60 + s


def recording_path(kind: str, *, caller: str, called: str, extension: str | None,
                   queue: str | None, start: float, unique_id: str) -> str:
    moment = datetime.fromtimestamp(start, TURKEY)
    day = moment.strftime("%Y/%m/%d")
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    if kind == "queue":
        stem = f"q-{queue}-{caller}"
    elif kind == "outbound":
        stem = f"out-{called}-{extension}"
    elif kind == "dial":
        stem = f"force-{called}-{extension}"
    else:
        stem = f"exten-{extension}-{caller}"
    return f"{day}/{stem}-{stamp}-{unique_id}.WAV"


def make_record(*, call_id: str, uuid: str, unique_id: str, kind: str, direction: str,
                caller: str, called: str, start: float, end: float,
                answer: float | None = None, extension: str | None = None,
                queue: str | None = None, legs: list[dict[str, Any]] | None = None,
                hangup_cause: str | None = None, disposition: str | None = None,
                channel_seq: int = 0x9000) -> dict[str, Any]:
    """A complete record; legs default to one leg on *extension*."""
    if disposition is None:
        disposition = "ANSWERED" if answer is not None else "NO ANSWER"
    if legs is None:
        legs = [{"extension": extension or "", "start": start, "answer": answer, "end": end,
                 "disposition": disposition,
                 "channel": f"SIP/{extension}-{channel_seq:08x}"}]
    recording = ""
    if answer is not None:
        recording = recording_path(kind, caller=caller, called=called, extension=extension,
                                   queue=queue, start=start, unique_id=unique_id)
    return {
        "call_id": call_id, "uuid": uuid, "unique_id": unique_id, "kind": kind,
        "direction": direction, "caller": caller, "called": called, "queue": queue,
        "extension": extension, "start": start, "answer": answer, "end": end,
        "disposition": disposition,
        "hangup_cause": hangup_cause or ("NORMAL_CLEARING" if answer is not None
                                         else "ORIGINATOR_CANCEL"),
        "recording": recording, "legs": legs,
    }


# ---------------------------------------------------------------- Tekil rows


def _chan(uid: str) -> int:
    """A stable channel sequence number for a call id."""
    return zlib.crc32(uid.encode()) & 0xFFFF


def tekil_rows(record: Mapping[str, Any], tenant_code: str) -> list[dict[str, Any]]:
    """The Tekil CDR rows of one call (with ``uniqueId``; callers rename/drop it)."""
    return [row for _, row in _timed_rows(record, tenant_code)]


def _timed_rows(record: Mapping[str, Any],
                tenant_code: str) -> list[tuple[float, dict[str, Any]]]:
    rows: list[tuple[float, dict[str, Any]]] = []
    uid = record["unique_id"]
    rec = record.get("recording", "")

    def row(calldate: float, src: str, dst: str, queue: str, channel: str, seconds: float,
            disposition: str) -> tuple[float, dict[str, Any]]:
        return calldate, {
                "calldate": local_datetime(calldate), "src": src, "dst": dst, "queue": queue,
                "dstchannel": channel, "duration": hms(seconds), "dispositionn": disposition,
                "disposition": DISPOSITION_TR.get(disposition, "HATALI"), "recording": rec,
                "uniqueId": uid}

    kind = record["kind"]
    if kind == "queue":
        answered_leg = next((leg for leg in record["legs"] if leg["disposition"] == "ANSWERED"),
                            None)
        local = (f"Local/{answered_leg['extension']}@from-queue-{_chan(uid):08x};1"
                 if answered_leg else "")
        rows.append(row(record["start"], record["caller"], record["queue"] or "", "ext-queues",
                        local, record["end"] - record["start"], record["disposition"]))
        for leg in record["legs"]:
            rows.append(row(leg["start"], record["caller"], leg["extension"], "from-internal",
                            leg["channel"], leg["end"] - leg["start"], leg["disposition"]))
    elif kind in ("outbound", "dial"):
        for leg in record["legs"]:
            rows.append(row(leg["start"], record["extension"] or leg["extension"],
                            record["called"], f"{tenant_code}CC",
                            f"SIP/kobikom-{_chan(uid):08x}",
                            leg["end"] - leg["start"], leg["disposition"]))
    elif kind == "internal":
        for leg in record["legs"]:
            rows.append(row(leg["start"], record["caller"], leg["extension"], "from-internal",
                            leg["channel"], leg["end"] - leg["start"], leg["disposition"]))
    else:
        for leg in record["legs"]:
            rows.append(row(leg["start"], record["caller"], leg["extension"], "from-did-direct",
                            leg["channel"], leg["end"] - leg["start"], leg["disposition"]))
    return rows


def _parse_day(text: str | None, time_text: str | None, default_time: str) -> float | None:
    if not text:
        return None
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        return None
    seconds = parse_hms(time_text) if time_text else None
    if seconds is None:
        seconds = parse_hms(default_time) or 0
    moment = day.replace(tzinfo=TURKEY)
    return moment.timestamp() + seconds


def tekil_cdr(records: Iterable[Mapping[str, Any]], query: Mapping[str, str],
              tenant_code: str) -> list[dict[str, Any]]:
    """``getcdr`` / ``v1/getcdr`` rows (with ``uniqueId``), filtered, newest first."""
    lo = _parse_day(query.get("dateStart"), query.get("timeStart"), "00:00:00")
    hi = _parse_day(query.get("dateEnd"), query.get("timeEnd"), "23:59:59")
    kind_filter = query.get("type", "0").strip()
    include_internal = query.get("exclude", "true").strip().lower() != "false"
    src = query.get("src", "").strip()
    dst = query.get("dst", "").strip()
    rows: list[tuple[float, int, dict[str, Any]]] = []
    order = 0
    for record in records:
        if kind_filter == "1" and record["direction"] != "outbound":
            continue
        if kind_filter == "2" and record["direction"] != "inbound":
            continue
        if not include_internal and record["direction"] == "local":
            continue
        for when, row in _timed_rows(record, tenant_code):
            if lo is not None and when < lo:
                continue
            if hi is not None and when > hi:
                continue
            if src and src not in row["src"]:
                continue
            if dst and dst not in row["dst"]:
                continue
            order += 1
            rows.append((when, -order, row))
    rows.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [row for _, _, row in rows]


def tekil_missed(records: Iterable[Mapping[str, Any]],
                 query: Mapping[str, str]) -> list[dict[str, Any]]:
    lo = _parse_day(query.get("dateStart"), None, "00:00:00")
    hi = _parse_day(query.get("dateEnd"), None, "23:59:59")
    out = []
    for record in records:
        if record["direction"] != "inbound" or record["disposition"] == "ANSWERED":
            continue
        if (lo is not None and record["start"] < lo) or (hi is not None and record["start"] > hi):
            continue
        out.append((record["start"], {
            "calldate": local_datetime(record["start"]), "src": record["caller"],
            "queue": record["queue"] or (record["extension"] or record["legs"][0]["extension"]),
            "duration": hms(record["end"] - record["start"])}))
    out.sort(key=lambda item: item[0], reverse=True)
    return [row for _, row in out]


# ---------------------------------------------------------------- KobiPBX vcdrs


def vcdr_row(record: Mapping[str, Any]) -> dict[str, Any]:
    start, end, answer = record["start"], record["end"], record.get("answer")
    waiting = (answer or end) - start
    talk = end - answer if answer is not None else 0.0
    queue_time = (end - start) if record.get("queue") else 0.0
    if record["direction"] == "outbound":
        caller = record.get("extension") or record["caller"]
    else:
        caller = record["caller"]
    return {
        "uuid": record["uuid"],
        "start_stamp": iso_micro(start),
        "caller_number": caller,
        "caller_destination": record["called"],
        "responder": (record.get("extension") or "") if answer is not None else "",
        "last_entry_destination": record.get("queue") or record.get("extension") or "",
        "digits_dialed": record["called"],
        "ivr_duration": "0:00:00",
        "queue_duration": hms(queue_time, pad_hours=False),
        "waiting_time": hms(waiting),
        "talk_time": hms(talk),
        "total_call_time": hms(end - start, pad_hours=False),
        "direction": record["direction"],
        "hangup_cause": record.get("hangup_cause") or "NORMAL_CLEARING",
        "call_status": None,
        "recording": None,
        "missed_call": record["direction"] == "inbound" and answer is None,
        "last_app": "bridge" if answer is not None else "hangup",
    }


def vcdrs_filter(records: Iterable[Mapping[str, Any]],
                 query: Mapping[str, str]) -> list[Mapping[str, Any]]:
    def day(ts: float) -> str:
        return datetime.fromtimestamp(ts, TURKEY).strftime("%Y-%m-%d")

    def clock(ts: float) -> int:
        moment = datetime.fromtimestamp(ts, TURKEY)
        return moment.hour * 3600 + moment.minute * 60 + moment.second

    out = []
    start_date, end_date = query.get("startDate"), query.get("endDate")
    call_date = query.get("calldate") or query.get("callDate")
    t_lo = parse_hms(query["timeStart"]) if query.get("timeStart") else None
    t_hi = parse_hms(query["timeEnd"]) if query.get("timeEnd") else None
    queues = {q.strip() for q in query.get("queue", "").split(",") if q.strip()}
    dispositions = {d.strip().upper() for d in query.get("disposition", "").split(",")
                    if d.strip()}
    minimums = {key: parse_hms(query[key]) for key in ("duration", "billsec", "wait", "talk")
                if query.get(key)}
    for record in records:
        row = vcdr_row(record)
        when = record["start"]
        if start_date and day(when) < start_date:
            continue
        if end_date and day(when) > end_date:
            continue
        if call_date and day(when) != call_date:
            continue
        if t_lo is not None and clock(when) < t_lo:
            continue
        if t_hi is not None and clock(when) > t_hi:
            continue
        if query.get("caller") and query["caller"] not in row["caller_number"]:
            continue
        if query.get("called") and query["called"] not in row["caller_destination"]:
            continue
        if queues and record["direction"] not in queues:
            continue
        if dispositions and DISPOSITION_BULUT.get(record["disposition"]) not in dispositions:
            continue
        if query.get("uuid") and query["uuid"] != record["uuid"]:
            continue
        if query.get("recording"):
            has = record.get("answer") is not None
            if (query["recording"].lower() == "true") != has:
                continue
        if query.get("answered") and (record.get("answer") is None
                                      or query["answered"] not in row["responder"]):
            continue
        seconds = {
            "duration": record["end"] - record["start"],
            "billsec": record["end"] - record["answer"] if record.get("answer") else 0,
            "wait": parse_hms(row["waiting_time"]) or 0,
            "talk": parse_hms(row["talk_time"]) or 0,
        }
        if any(v is not None and seconds[k] < v for k, v in minimums.items()):
            continue
        out.append(record)
    out.sort(key=lambda r: r["start"], reverse=True)
    return out


def vcdrs_page(records: list[Mapping[str, Any]], *, page: int, per_page: int,
               base_url: str) -> dict[str, Any]:
    total = len(records)
    last_page = max(1, math.ceil(total / per_page))
    page = max(1, page)
    chunk = [vcdr_row(r) for r in records[(page - 1) * per_page:page * per_page]]
    seconds = sum(r["end"] - r["start"] for r in records[(page - 1) * per_page:page * per_page])
    counts = {"answered": 0, "no_answer": 0, "busy": 0, "failed": 0}
    for record in records[(page - 1) * per_page:page * per_page]:
        key = {"ANSWERED": "answered", "NO ANSWER": "no_answer", "BUSY": "busy"}.get(
            record["disposition"], "failed")
        counts[key] += 1
    return {
        "current_page": page,
        "data": chunk,
        "summary": {"total": len(chunk), "total_duration": hms(seconds, pad_hours=False),
                    **counts},
        "pagination": {
            "current_page": page,
            "last_page": last_page,
            "per_page": per_page,
            "total": total,
            "links": {
                "first": f"{base_url}?page=1",
                "last": f"{base_url}?page={last_page}",
                "prev": f"{base_url}?page={page - 1}" if page > 1 else None,
                "next": f"{base_url}?page={page + 1}" if page < last_page else None,
            },
        },
    }
