"""The PBX's call records as the agent's calls: rows to calls, and where they come from.

Turning the PBX's rows into the agent's calls (pure functions, tested
without I/O): :func:`tekil_call`, :func:`vcdr_call`, :func:`missed_entry`.

Sources (reads only: retried by the REST session's idempotent retry):

* Tekil Santral: ``/v1/getcdr`` (legs grouped by ``uniqueId``; only calls
  that touched one of the agent's extensions) and ``/missedcalls`` (no id:
  merged as *weak* records into the matching call; added only when it rang
  one of the agent's extensions directly).
* KobiPBX: ``/api/v1/vcdrs/{domain}`` with the documented date *and time*
  filters, every page.  A row is the agent's when its caller, destination,
  responder or last destination is one of the agent's extensions.
  Limitation: an unanswered *queue* call names only the queue, so while the
  app was offline such calls cannot be attributed to the agent and are not
  added.

Settling a call left open across a reconnect (:func:`find_record`): the
record is looked up by every id the line saw for the call (the call's own
and each leg's: under FreeSWITCH legs the call's id is usually the agent's
leg, not the record's), then by the customer's number within a time window
around the call (a queue caller's record starts when they joined the queue,
up to :data:`FIND_BEFORE` seconds before our phone rang).  The record's
outcome settles the call (:class:`CallEnd`), not a guess from what the line
saw last.

:mod:`desktop.core.history_sync` decides when and which window is fetched.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from desktop.core.caller_card import CardOutcome
from desktop.core.calls import Call
from desktop.core.journal import CdrEntry, JournalCall
from desktop.core.numbers import NumberKind, parse_number
from desktop.pbx.cdr import (
    CdrLeg,
    Disposition,
    MissedCall,
    Parsed,
    VcdrPage,
    VcdrRecord,
    format_local,
    group_legs,
)
from desktop.pbx.errors import RequestError

log = logging.getLogger("kobikom.core.history_sync")

#: KobiPBX page size asked for (the default is 15).
VCDRS_PER_PAGE: Final = 100
#: A record found by number may start this long before our phone rang (s): a
#: queue's caller waits before an agent's phone rings.
FIND_BEFORE: Final = 1800.0
#: ... and this long after it (the PBX's clock and ours may differ a little).
FIND_AFTER: Final = 120.0
#: Safety limit on KobiPBX pages per fetch.
VCDRS_MAX_PAGES: Final = 200

NameLookup = Callable[[str], str | None]


# ---------------------------------------------------------------- rows -> calls


def bare_extension(value: str) -> str:
    """``"1001@firma.kobipbx.com"`` -> ``"1001"``."""
    return value.strip().partition("@")[0]


def _internal(number: str) -> bool:
    return bool(number) and parse_number(number).kind is NumberKind.INTERNAL


def _is_ivr(leg: CdrLeg) -> bool:
    return leg.dst == "s" or leg.context.lower().startswith("ivr")


def _leg_extension(leg: CdrLeg, extensions: Collection[str]) -> str | None:
    """Our extension this leg involves, if any."""
    for candidate in (leg.dst, leg.channel_extension, leg.src):
        if candidate and bare_extension(candidate) in extensions:
            return bare_extension(candidate)
    return None


def _name(name_for: NameLookup | None, number: str | None) -> str | None:
    if name_for is None or not number:
        return None
    try:
        return name_for(number)
    except Exception:
        log.exception("contact lookup for a call record failed")
        return None


def tekil_call(legs: Sequence[CdrLeg], extensions: Collection[str], *,
               name_for: NameLookup | None = None,
               require_ours: bool = True) -> CdrEntry | None:
    """One call (all its legs, oldest first) from the agent's point of view.

    None when no leg touched one of *extensions* (unless not *require_ours*)."""
    if not legs:
        return None
    ours = [leg for leg in legs if _leg_extension(leg, extensions) is not None]
    if not ours and require_ours:
        return None
    first = legs[0]
    placed = next((leg for leg in legs if bare_extension(leg.src) in extensions), None)
    if placed is not None:
        direction = "local" if _internal(placed.dst) else "outbound"
    elif _internal(first.src):
        direction = "local"
    else:
        direction = "inbound"
    if direction == "outbound" and placed is not None:
        number = placed.dst
        extension: str | None = bare_extension(placed.src)
    else:
        number = first.src
        extension = next((e for e in (_leg_extension(leg, extensions) for leg in ours) if e),
                         None)
    queue = next((leg.queue_number for leg in legs if leg.queue_number), None)
    mine_answered = [leg for leg in ours if leg.disposition is Disposition.ANSWERED
                     and not _is_ivr(leg)]
    if placed is not None:
        outcome = CardOutcome.ANSWERED if any(
            leg.disposition is Disposition.ANSWERED for leg in legs
        ) else CardOutcome.NOT_ANSWERED
        talk_leg = next((leg for leg in legs if leg.disposition is Disposition.ANSWERED), None)
    elif mine_answered:
        outcome = CardOutcome.ANSWERED
        talk_leg = mine_answered[0]
    elif any(leg.disposition is Disposition.ANSWERED and not _is_ivr(leg)
             and (leg.context == "ext-queues" or _internal(leg.dst)
                  or leg.channel_extension is not None)
             for leg in legs if leg not in ours):
        outcome = CardOutcome.ANSWERED_ELSEWHERE
        talk_leg = None
    else:
        outcome = CardOutcome.MISSED
        talk_leg = None
    if not ours and placed is None:
        extension = None
    started = min(leg.started_at for leg in legs)
    ended = max(leg.started_at + leg.duration for leg in legs)
    recording = next((leg.recording for leg in (*mine_answered, *ours, *legs) if leg.recording),
                     None)
    called = queue or (first.dst if first.dst and first.dst != "s" else None)
    if direction == "outbound":
        called = extension
    call = JournalCall(
        call_id=first.call_id, extension=extension, direction=direction,
        number_raw=number or None, called_raw=called, queue=queue,
        contact_name_at_time=_name(name_for, number),
        ringing_at=started, ended_at=ended, outcome=outcome.value,
        talk_seconds=talk_leg.duration if talk_leg is not None else 0,
        source="cdr", recording=recording)
    return CdrEntry(call, strong=not first.synthetic, insert=True)


def missed_entry(row: MissedCall, extensions: Collection[str], *,
                 name_for: NameLookup | None = None) -> CdrEntry:
    """A ``missedcalls`` row: a weak record; added only if it rang one of *extensions*."""
    ours = bare_extension(row.queue) in extensions
    call = JournalCall(
        call_id=row.call_id, extension=bare_extension(row.queue) if ours else None,
        direction="inbound", number_raw=row.src or None,
        called_raw=row.queue or None, queue=None if ours else (row.queue or None),
        contact_name_at_time=_name(name_for, row.src), ringing_at=row.started_at,
        ended_at=row.started_at + row.duration, outcome=CardOutcome.MISSED.value,
        talk_seconds=0, source="cdr")
    return CdrEntry(call, strong=False, insert=ours)


def vcdr_call(record: VcdrRecord, extensions: Collection[str], *,
              name_for: NameLookup | None = None,
              require_ours: bool = True) -> CdrEntry | None:
    """One KobiPBX ``vcdrs`` row from the agent's point of view (None: not the agent's)."""
    def ours(value: str) -> bool:
        return bool(value) and bare_extension(value) in extensions

    touched = [v for v in (record.caller, record.destination, record.responder,
                           record.last_destination) if ours(v)]
    if not touched and require_ours:
        return None
    direction = record.direction if record.direction in ("inbound", "outbound", "local") \
        else ("outbound" if ours(record.caller) else "inbound")
    we_called = ours(record.caller) and direction != "inbound"
    if direction == "outbound" or we_called:
        number = record.destination
        extension = bare_extension(record.caller) if ours(record.caller) else None
        outcome = CardOutcome.ANSWERED if record.answered else CardOutcome.NOT_ANSWERED
    else:
        number = record.caller
        extension = next((bare_extension(v) for v in (
            record.responder, record.destination, record.last_destination) if ours(v)), None)
        if record.answered and ours(record.responder):
            outcome = CardOutcome.ANSWERED
        elif record.answered and record.responder:
            outcome = CardOutcome.ANSWERED_ELSEWHERE
        elif record.answered and not record.responder and extension is not None:
            outcome = CardOutcome.ANSWERED
        else:
            outcome = CardOutcome.MISSED
    total = record.total_seconds
    queue = record.last_destination if record.last_destination.isdigit() and not ours(
        record.last_destination) else None
    call = JournalCall(
        call_id=record.call_id, extension=extension, direction=direction,
        number_raw=number or None,
        called_raw=(extension if direction == "outbound" else record.destination) or None,
        queue=queue, contact_name_at_time=_name(name_for, number),
        ringing_at=record.started_at,
        ended_at=record.started_at + total if total is not None else None,
        outcome=outcome.value,
        talk_seconds=record.talk_seconds if outcome is CardOutcome.ANSWERED else 0,
        source="cdr", recording=record.recording)
    return CdrEntry(call, strong=not record.synthetic, insert=True)


# ---------------------------------------------------------------- sources


class CdrSource(Protocol):
    """Where the PBX's call records come from (one per account flavor)."""

    async def fetch(self, since: float, until: float) -> list[CdrEntry]:
        """The agent's calls that started in ``[since, until]``."""

    async def lookup(self, call_id: str) -> CdrEntry | None:
        """The record of one call by its PBX id (None: the PBX has none)."""

    async def find(self, number: str, since: float, until: float) -> list[CdrEntry]:
        """Calls with *number* that started in ``[since, until]``, whoever took them."""


# ---------------------------------------------------------------- settling one call


@dataclass(frozen=True, slots=True)
class CallQuery:
    """What the line knows of a call it could not see end (to find its record)."""

    #: The call's id first, then every leg id seen.
    ids: tuple[str, ...]
    #: The customer's number as the PBX sent it ("" when not known).
    number: str
    started_at: float
    outbound: bool = False

    @classmethod
    def of(cls, call: Call) -> CallQuery:
        ids = tuple(dict.fromkeys((call.call_id, *call.legs)))
        return cls(ids, call.customer.raw, call.ringing_at or call.started_at,
                   outbound=call.own_dial or call.direction.value == "outbound")


@dataclass(frozen=True, slots=True)
class CallEnd:
    """How the PBX's record says a call ended."""

    ended_at: float
    #: A :class:`~desktop.core.caller_card.CardOutcome` value, from the agent's view.
    outcome: str | None
    #: When it was answered, if the record says it was (talk time before the end).
    answered_at: float | None = None
    #: The record's own id.
    record_id: str = ""

    @classmethod
    def of(cls, entry: CdrEntry) -> CallEnd | None:
        call = entry.call
        if call.outcome is None or call.ended_at is None:
            return None
        answered = None
        if call.outcome == CardOutcome.ANSWERED.value:
            answered = call.answered_at if call.answered_at is not None else \
                call.ended_at - (call.talk_seconds or 0)
        return cls(call.ended_at, call.outcome, answered, call.call_id)


async def find_record(source: CdrSource, query: CallQuery, *,
                      pbx_id: Callable[[str], Awaitable[str]] | None = None) -> CallEnd | None:
    """The record of the call *query* describes, if the PBX has it (see the module doc).

    *pbx_id* turns a journal id into the PBX's (a record merged earlier).  A
    read that fails for one id (a 404 for a leg id the PBX does not file
    under) does not stop the others; a failing search by number raises."""
    for call_id in query.ids:
        try:
            asked = await pbx_id(call_id) if pbx_id is not None else call_id
            entry = await source.lookup(asked)
        except RequestError as exc:
            log.debug("no record under id %s (%s)", call_id, exc)
            continue
        end = CallEnd.of(entry) if entry is not None else None
        if end is not None:
            return end
    key = parse_number(query.number).key if query.number else ""
    if not key:
        return None
    t = query.started_at
    best: tuple[float, CallEnd] | None = None
    for entry in await source.find(query.number, t - FIND_BEFORE, t + FIND_AFTER):
        call = entry.call
        started, end = call.started_at, CallEnd.of(entry)
        if end is None or started is None or parse_number(call.number_raw or "").key != key:
            continue
        if (call.direction == "outbound") != query.outbound or end.ended_at < t - FIND_AFTER:
            continue  # another call with that number (ours went the other way, or ended before)
        distance = abs(started - t)
        if best is None or distance < best[0]:
            best = (distance, end)
    return best[1] if best is not None else None


class TekilCdrApi(Protocol):
    async def get_cdr(self, *, date_start: str, date_end: str, time_start: str = ...,
                      time_end: str = ..., call_type: int = ..., include_internal: bool = ...,
                      src: str | None = ..., dst: str | None = ...,
                      v1: bool = ...) -> Parsed[CdrLeg]: ...

    async def get_missed_calls(self, *, date_start: str,
                               date_end: str) -> Parsed[MissedCall]: ...

    async def get_cdr_by_unique_id(self, unique_id: str) -> tuple[CdrLeg, ...]: ...


class KobiPbxCdrApi(Protocol):
    async def get_vcdrs(self, domain_uuid: str, *, page: int = ..., per_page: int = ...,
                        filters: Any = ...) -> VcdrPage: ...

    async def get_all_vcdrs(self, domain_uuid: str, *, per_page: int = ...,
                            max_pages: int = ..., filters: Any = ...) -> list[VcdrRecord]: ...


def _window(since: float, until: float) -> dict[str, str]:
    """Tekil/KobiPBX date (and, within one day, time) filters in Turkish local time.

    Whether Tekil's ``timeStart``/``timeEnd`` apply per day or only at the
    range's ends is undocumented: over several days we ask for whole days
    and filter the rows ourselves.
    """
    day_start, time_start = format_local(since)
    day_end, time_end = format_local(until)
    if day_start != day_end:
        time_start, time_end = "00:00:00", "23:59:59"
    return {"date_start": day_start, "date_end": day_end, "time_start": time_start,
            "time_end": time_end}


def _vcdr_filters(since: float, until: float) -> dict[str, str]:
    """KobiPBX ``vcdrs`` query for a window: dates plus the documented time filters."""
    window = _window(since, until)
    return {"startDate": window["date_start"], "endDate": window["date_end"],
            "timeStart": window["time_start"], "timeEnd": window["time_end"]}


class TekilCdrSource:
    """Tekil Santral: ``/v1/getcdr`` plus ``/missedcalls``."""

    def __init__(self, api: TekilCdrApi, extensions: Iterable[str], *,
                 name_for: NameLookup | None = None) -> None:
        self.api = api
        #: ``/v1/getcdr`` until the panel answers 404 (then v0 ``/getcdr``).
        self.v1 = True
        self.extensions = frozenset(bare_extension(e) for e in extensions if e.strip())
        self.name_for = name_for

    async def fetch(self, since: float, until: float) -> list[CdrEntry]:
        window = _window(since, until)
        query = {"date_start": window["date_start"], "date_end": window["date_end"],
                 "time_start": window["time_start"], "time_end": window["time_end"]}
        try:
            legs = await self.api.get_cdr(**query, call_type=0, include_internal=True,
                                          v1=self.v1)
        except RequestError as exc:
            if exc.status != 404 or not self.v1:
                raise
            # A panel without the V2 service: the documented v0 path (``uniqueid``).
            log.info("GET /v1/getcdr is not there (HTTP 404); using /getcdr")
            self.v1 = False
            legs = await self.api.get_cdr(**query, call_type=0, include_internal=True,
                                          v1=False)
        missed = await self.api.get_missed_calls(date_start=window["date_start"],
                                                 date_end=window["date_end"])
        entries: list[CdrEntry] = []
        for group in group_legs(legs.items).values():
            if not since <= min(leg.started_at for leg in group) <= until:
                continue
            entry = tekil_call(group, self.extensions, name_for=self.name_for)
            if entry is not None:
                entries.append(entry)
        for row in missed.items:
            if since <= row.started_at <= until:
                entries.append(missed_entry(row, self.extensions, name_for=self.name_for))
        # Oldest first (the panel lists newest first): merged in this order, each
        # record of a call seen only as extension states takes the nearest row still
        # free, so a call that closely followed another cannot take that one's row.
        entries.sort(key=lambda e: e.call.started_at or 0.0)
        return entries

    async def lookup(self, call_id: str) -> CdrEntry | None:
        legs = await self.api.get_cdr_by_unique_id(call_id)
        group = sorted(legs, key=lambda leg: leg.started_at)
        return tekil_call(group, self.extensions, name_for=self.name_for, require_ours=False)

    async def find(self, number: str, since: float, until: float) -> list[CdrEntry]:
        # The window is a few minutes: its rows are filtered here, not by a ``src``
        # filter (a substring of the row's spelling of the number, undocumented).
        window = _window(since, until)
        legs = await self.api.get_cdr(**window, call_type=0, include_internal=True,
                                      v1=self.v1)
        key = parse_number(number).key
        entries = []
        for group in group_legs(legs.items).values():
            if not since <= min(leg.started_at for leg in group) <= until:
                continue
            entry = tekil_call(group, self.extensions, name_for=self.name_for,
                               require_ours=False)
            if entry is not None and parse_number(entry.call.number_raw or "").key == key:
                entries.append(entry)
        return entries


class KobiPbxCdrSource:
    """KobiPBX: ``/api/v1/vcdrs/{domain}``, every page of the gap's days."""

    def __init__(self, api: KobiPbxCdrApi, domain_uuid: str, extensions: Iterable[str], *,
                 name_for: NameLookup | None = None, per_page: int = VCDRS_PER_PAGE) -> None:
        self.api = api
        self.domain_uuid = domain_uuid
        self.per_page = per_page
        self.extensions = frozenset(bare_extension(e) for e in extensions if e.strip())
        self.name_for = name_for

    async def fetch(self, since: float, until: float) -> list[CdrEntry]:
        records = await self.api.get_all_vcdrs(
            self.domain_uuid, per_page=self.per_page, max_pages=VCDRS_MAX_PAGES,
            filters=_vcdr_filters(since, until))
        entries: list[CdrEntry] = []
        seen: set[str] = set()
        for record in records:
            # Pages may shift while new calls arrive: one record, one entry.
            if record.call_id in seen or not since <= record.started_at <= until:
                continue
            seen.add(record.call_id)
            entry = vcdr_call(record, self.extensions, name_for=self.name_for)
            if entry is not None:
                entries.append(entry)
        return entries

    async def lookup(self, call_id: str) -> CdrEntry | None:
        page = await self.api.get_vcdrs(self.domain_uuid, page=1, per_page=5,
                                        filters={"uuid": call_id})
        record = next((r for r in page.records if r.call_id == call_id), None)
        if record is None:
            return None
        return vcdr_call(record, self.extensions, name_for=self.name_for, require_ours=False)

    async def find(self, number: str, since: float, until: float) -> list[CdrEntry]:
        records = await self.api.get_all_vcdrs(
            self.domain_uuid, per_page=self.per_page, max_pages=VCDRS_MAX_PAGES,
            filters=_vcdr_filters(since, until))
        key = parse_number(number).key
        entries = []
        for record in records:
            if not since <= record.started_at <= until:
                continue
            entry = vcdr_call(record, self.extensions, name_for=self.name_for,
                              require_ours=False)
            if entry is not None and parse_number(entry.call.number_raw or "").key == key:
                entries.append(entry)
        return entries


