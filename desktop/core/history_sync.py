"""Filling the journal's gaps from the PBX's call records.

While the phone line is connected, every call is journaled live.  When it
was not (the app was closed, asleep, offline, or the connection dropped),
calls still happened on the agent's phone: at start-up and after every
reconnect :meth:`HistorySync.line_connected` asks the PBX for the call
records of that time and merges them into the journal
(:meth:`~desktop.core.journal.Journal.merge_cdr`: by call id, then by number
and time; never twice).

"The time the app was not connected" is persisted in the journal itself
(``last_seen_connected``, refreshed by :meth:`HistorySync.heartbeat` while
connected, and a *pending gap* that is cleared only once its records were
merged), so a crash, a failed fetch or a restart never loses a gap; it is
fetched with a margin (:data:`GAP_MARGIN`) for calls ringing across the
moment of the disconnect.  A first start fetches :data:`INITIAL_LOOKBACK`
and marks those missed calls seen (old history is not "new").

Sources (reads only: retried by the REST session's idempotent retry):

* Tekil Santral: ``/v1/getcdr`` (legs grouped by ``uniqueId``; only calls
  that touched one of the agent's extensions) and ``/missedcalls`` (no id:
  merged as *weak* records into the matching call; added only when it rang
  one of the agent's extensions directly).
* KobiPBX: ``/api/v1/vcdrs/{domain}`` by day, every page.  A row is the
  agent's when its caller, destination, responder or last destination is
  one of the agent's extensions.  Limitation: an unanswered *queue* call
  names only the queue, so while the app was offline such calls cannot be
  attributed to the agent and are not added.

Turning the PBX's rows into the agent's calls (pure functions, tested
without I/O): :func:`tekil_call`, :func:`vcdr_call`, :func:`missed_entry`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol, TypeVar

from desktop.core.caller_card import CardOutcome
from desktop.core.journal import CdrEntry, Journal, JournalCall, MergeReport
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

T = TypeVar("T")

#: Fetched before the last moment the journal was known complete (s).
GAP_MARGIN: Final = 300.0
#: How far back a first start (no journal bookkeeping yet) looks (s).
INITIAL_LOOKBACK: Final = 7 * 86400.0
#: Never fetch more than this far back (s): a month of calls at most.
MAX_GAP: Final = 31 * 86400.0
#: How often the "journal complete until" mark is refreshed while connected (s).
HEARTBEAT_INTERVAL: Final = 60.0
#: KobiPBX page size asked for (the default is 15).
VCDRS_PER_PAGE: Final = 100
#: Safety limit on KobiPBX pages per fetch.
VCDRS_MAX_PAGES: Final = 200
PENDING_GAP: Final = "pending_gap_since"

NameLookup = Callable[[str], str | None]
SourceFactory = Callable[[], "CdrSource | Awaitable[CdrSource | None] | None"]
Runner = Callable[..., Awaitable[Any]]


class HistorySyncError(Exception):
    """Gap filling failed (the message says why; the gap is kept for the next try)."""


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
        return entries

    async def lookup(self, call_id: str) -> CdrEntry | None:
        legs = await self.api.get_cdr_by_unique_id(call_id)
        group = sorted(legs, key=lambda leg: leg.started_at)
        return tekil_call(group, self.extensions, name_for=self.name_for, require_ours=False)


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
        window = _window(since, until)
        records = await self.api.get_all_vcdrs(
            self.domain_uuid, per_page=self.per_page, max_pages=VCDRS_MAX_PAGES,
            filters={"startDate": window["date_start"], "endDate": window["date_end"]})
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


# ---------------------------------------------------------------- the sync


@dataclass(frozen=True, slots=True)
class Gap:
    """A time span whose calls come from the PBX's records."""

    since: float
    until: float
    #: No bookkeeping yet: old history, its missed calls are not "new".
    first_run: bool = False


@dataclass(frozen=True, slots=True)
class SyncReport:
    gap: Gap
    fetched: int
    merge: MergeReport
    seconds: float

    def describe(self) -> str:
        return (f"{self.fetched} call record(s) from {self.gap.until - self.gap.since:.0f} s: "
                f"{self.merge.added} added, {self.merge.merged} merged, "
                f"{self.merge.skipped} not ours ({self.seconds * 1000:.0f} ms)")


def _stamp(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


async def _to_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return await asyncio.to_thread(fn, *args, **kwargs)


class HistorySync:
    """Keeps the journal complete across disconnections (see the module docstring).

    ``source_factory()`` gives (or is a coroutine giving) the account's
    :class:`CdrSource`, or None when the account cannot fetch records (not
    configured, no password); it is asked on every sync, so account changes
    apply at once.  Merges are written by the journal's writer thread
    (:meth:`~desktop.core.journal.Journal.run_write`, in chunks, so live
    calls' rows go in between); reads, bookkeeping and the contact-name
    lookups run in worker threads (``run_blocking``, default
    ``asyncio.to_thread``).
    """

    def __init__(self, journal: Journal, source_factory: SourceFactory, *,
                 clock: Callable[[], float] = time.time,
                 run_blocking: Runner = _to_thread,
                 initial_lookback: float = INITIAL_LOOKBACK, max_gap: float = MAX_GAP,
                 margin: float = GAP_MARGIN, name_for: NameLookup | None = None) -> None:
        self.journal = journal
        #: Contact names for records without one (called in the worker thread).
        self.name_for = name_for
        self.source_factory = source_factory
        self.clock = clock
        self.run_blocking = run_blocking
        self.initial_lookback = initial_lookback
        self.max_gap = max_gap
        self.margin = margin
        self._lock = asyncio.Lock()
        #: The last sync's report and error (diagnostics, the UI's status line).
        self.last_report: SyncReport | None = None
        self.last_error: str | None = None

    # -- bookkeeping (journal_meta) ----------------------------------------------

    def open_gap(self, now: float) -> Gap:
        """Work out the gap up to *now* and persist it as pending (blocking)."""
        last = self.journal.last_seen_connected()
        pending_text = self.journal.get_meta(PENDING_GAP) or ""
        pending_since: float | None = None
        pending_first = False
        if pending_text:
            since_text, _, first_text = pending_text.partition(",")
            try:
                pending_since = float(since_text)
                pending_first = first_text == "1"
            except ValueError:
                pending_since = None
        starts = [t - self.margin for t in (last,) if t is not None]
        if pending_since is not None:
            starts.append(pending_since)
        first_run = (last is None and pending_since is None) or pending_first
        since = min(starts) if starts else now - self.initial_lookback
        since = max(since, now - self.max_gap)
        self.journal.set_meta(PENDING_GAP, f"{since!r},{1 if first_run else 0}")
        self.journal.set_last_seen_connected(now)
        return Gap(since, now, first_run)

    def close_gap(self, gap: Gap) -> None:
        """The gap's records are merged: forget it (unless a newer one is pending)."""
        text = self.journal.get_meta(PENDING_GAP) or ""
        since_text = text.partition(",")[0]
        try:
            pending = float(since_text) if since_text else None
        except ValueError:
            pending = None
        if pending is None or pending >= gap.since:
            self.journal.set_meta(PENDING_GAP, "")

    async def heartbeat(self) -> None:
        """The line is connected: the journal is complete up to now."""
        await self.run_blocking(self.journal.set_last_seen_connected, self.clock())

    # -- syncing ------------------------------------------------------------------

    async def source(self) -> CdrSource | None:
        """The account's record source now (None: records cannot be fetched)."""
        found = self.source_factory()
        if inspect.isawaitable(found):
            found = await found
        return found

    async def line_connected(self) -> SyncReport | None:
        """The line (re)connected: fetch and merge the records of the gap.

        Returns None when the account cannot fetch records.  Raises
        :class:`HistorySyncError` (the gap stays pending for the next try).
        """
        async with self._lock:
            source = await self.source()
            if source is None:
                return None
            gap = await self.run_blocking(self.open_gap, self.clock())
            report = await self._fill(source, gap)
            await self.run_blocking(self.close_gap, gap)
            return report

    async def fill(self, since: float, until: float, *, seen: bool = False) -> SyncReport | None:
        """Fetch and merge the records of ``[since, until]`` (no bookkeeping)."""
        async with self._lock:
            source = await self.source()
            if source is None:
                return None
            return await self._fill(source, Gap(since, until, seen))

    async def _fill(self, source: CdrSource, gap: Gap) -> SyncReport:
        started = time.monotonic()
        log.info("filling the call history from %s to %s%s", _stamp(gap.since),
                 _stamp(gap.until), " (first start)" if gap.first_run else "")
        try:
            entries = await source.fetch(gap.since, gap.until)
            merge = await self.merge_async(entries, gap.first_run)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.last_error = str(exc) or type(exc).__name__
            log.warning("filling the call history failed: %s", self.last_error)
            raise HistorySyncError(self.last_error) from exc
        report = SyncReport(gap, len(entries), merge, time.monotonic() - started)
        self.last_report = report
        self.last_error = None
        log.info("call history filled: %s", report.describe())
        return report

    def merge(self, entries: Sequence[CdrEntry], seen: bool = False) -> MergeReport:
        """Name the records' numbers from the directory, then merge them (blocking)."""
        return self.journal.merge_cdr(self.named(entries), seen=seen)

    async def merge_async(self, entries: Sequence[CdrEntry], seen: bool = False,
                          ) -> MergeReport:
        """:meth:`merge` without blocking: the names are looked up in a worker
        thread, the rows are written by the journal's writer thread, in chunks
        that let the live calls' rows in between (the popup never waits for it)."""
        named = await self.run_blocking(self.named, entries)
        report: MergeReport = await self.journal.run_write(self.journal.merge_cdr, named,
                                                           seen=seen)
        return report

    def named(self, entries: Sequence[CdrEntry]) -> list[CdrEntry]:
        """*entries* with contact names from the directory where they had none."""
        if self.name_for is None:
            return list(entries)
        return [self._named(e) for e in entries]

    def _named(self, entry: CdrEntry) -> CdrEntry:
        call = entry.call
        if call.contact_name_at_time or not call.number_raw:
            return entry
        name = _name(self.name_for, call.number_raw)
        if not name:
            return entry
        return replace(entry, call=replace(call, contact_name_at_time=name))

    async def lookup(self, call_id: str, *, merge: bool = True) -> JournalCall | None:
        """Ask the PBX for one call's record (e.g. its recording) and merge it.

        *call_id* is a journal call id (its PBX record id is used when known)
        or a PBX id.  Returns the journal's call, or with ``merge=False`` (or
        a call the journal does not know) the record as a call.
        """
        source = await self.source()
        if source is None:
            return None
        known = await self.run_blocking(self.journal.resolve, call_id)
        pbx_id = (known.cdr_id or known.call_id) if known is not None else call_id
        entry = await source.lookup(pbx_id)
        if entry is None:
            return None
        if not merge or known is None:
            return entry.call
        await self.merge_async([entry])
        found: JournalCall | None = await self.run_blocking(self.journal.resolve, known.call_id)
        return found
