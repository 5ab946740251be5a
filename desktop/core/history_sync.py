"""Filling the journal's gaps from the PBX's call records.

While the phone line is connected, every call is journaled live.  When it
was not (the app was closed, asleep, offline, or the connection dropped),
calls still happened on the agent's phone: at start-up and after every
reconnect :meth:`HistorySync.line_connected` asks the PBX for the call
records of that time and merges them into the journal
(:meth:`~desktop.core.journal.Journal.merge_cdr`: by call id, then by number
and time; never twice).

"The time the journal may be missing calls" starts at the last moment it is
known complete: the later of the last event the line delivered and the end
of the last successful fill.  A connection that merely stays up proves
nothing (a half-open socket, a hung server look just like a quiet line), so
it does not move that mark.  The mark is persisted in the journal
(``last_seen_connected``, written by :meth:`HistorySync.heartbeat`, and a
*pending gap* that is cleared only once its records were merged), so a
crash, a failed fetch or a restart never loses a gap; it is fetched with a
margin (:data:`GAP_MARGIN`) for calls ringing across the moment of the
disconnect.  A first start fetches :data:`INITIAL_LOOKBACK` and marks those
missed calls seen (old history is not "new").

**A quiet line costs nothing.**  Fills use the APIs' date *and time*
filters (one small page for a few minutes' window), and run at most once
every :data:`FILL_INTERVAL` seconds: a request within that time waits for
it, and every request made meanwhile joins the waiting one.  A quiet
refresh of the connection (:meth:`HistorySync.line_refreshed`: the line was
silent, nothing was lost that anyone saw) fetches nothing unless the
journal has not been known complete for :data:`QUIET_FILL_AFTER` seconds;
then one fill of that window catches what a silently broken line may have
swallowed.  A silent line therefore makes one small request every ten
minutes at most.  Both intervals follow ``KOBIKOM_LINE_TIME_SCALE``
(:func:`desktop.pbx.channel_setup.time_scale`) for tests and soak runs.

The sources of the records and the rows-to-calls functions are in
:mod:`desktop.core.call_records` (their names are re-exported here).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, TypeVar

from desktop.core.call_records import (
    VCDRS_MAX_PAGES,
    VCDRS_PER_PAGE,
    CallEnd,
    CallQuery,
    CdrSource,
    KobiPbxCdrApi,
    KobiPbxCdrSource,
    NameLookup,
    TekilCdrApi,
    TekilCdrSource,
    bare_extension,
    find_record,
    missed_entry,
    tekil_call,
    vcdr_call,
)
from desktop.core.call_records import _name as _contact_name
from desktop.core.journal import CdrEntry, Journal, JournalCall, MergeReport
from desktop.pbx.channel_setup import time_scale

__all__ = [  # the record functions and sources stay importable from here
    "FILL_INTERVAL", "GAP_MARGIN", "HEARTBEAT_INTERVAL", "INITIAL_LOOKBACK", "MAX_GAP",
    "PENDING_GAP", "QUIET_FILL_AFTER", "VCDRS_MAX_PAGES", "VCDRS_PER_PAGE", "CdrSource", "Gap",
    "HistorySync", "HistorySyncError", "KobiPbxCdrApi", "KobiPbxCdrSource", "SyncReport",
    "TekilCdrApi", "TekilCdrSource", "bare_extension", "missed_entry", "tekil_call",
    "vcdr_call",
]

log = logging.getLogger("kobikom.core.history_sync")

T = TypeVar("T")

#: Fetched before the last moment the journal was known complete (s).
GAP_MARGIN: Final = 300.0
#: How far back a first start (no journal bookkeeping yet) looks (s).
INITIAL_LOOKBACK: Final = 7 * 86400.0
#: Never fetch more than this far back (s): a month of calls at most.
MAX_GAP: Final = 31 * 86400.0
#: How often the "journal complete until" mark is persisted while connected (s).
HEARTBEAT_INTERVAL: Final = 60.0
#: At most one fill of the call records this often (s; scaled by the time knob).
FILL_INTERVAL: Final = 180.0
#: A quiet line is checked against the records when the journal has not been
#: known complete for this long (s; scaled by the time knob).
QUIET_FILL_AFTER: Final = 600.0
PENDING_GAP: Final = "pending_gap_since"

SourceFactory = Callable[[], "CdrSource | Awaitable[CdrSource | None] | None"]
Runner = Callable[..., Awaitable[Any]]


class HistorySyncError(Exception):
    """Gap filling failed (the message says why; the gap is kept for the next try)."""


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

    ``fill_interval`` / ``quiet_after`` default to :data:`FILL_INTERVAL` /
    :data:`QUIET_FILL_AFTER` times the time knob; ``monotonic`` and ``sleep``
    pace the fills (injectable for tests).
    """

    def __init__(self, journal: Journal, source_factory: SourceFactory, *,
                 clock: Callable[[], float] = time.time,
                 run_blocking: Runner = _to_thread,
                 initial_lookback: float = INITIAL_LOOKBACK, max_gap: float = MAX_GAP,
                 margin: float = GAP_MARGIN, name_for: NameLookup | None = None,
                 fill_interval: float | None = None, quiet_after: float | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.journal = journal
        #: Contact names for records without one (called in the worker thread).
        self.name_for = name_for
        self.source_factory = source_factory
        self.clock = clock
        self.run_blocking = run_blocking
        self.initial_lookback = initial_lookback
        self.max_gap = max_gap
        self.margin = margin
        scale = time_scale()
        self.fill_interval = FILL_INTERVAL * scale if fill_interval is None else fill_interval
        self.quiet_after = QUIET_FILL_AFTER * scale if quiet_after is None else quiet_after
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = asyncio.Lock()
        #: When the last fill started (monotonic), for the pacing; and whether it
        #: fetched and merged (a quiet refresh does not retry one that could not
        #: for ``quiet_after`` seconds).
        self._last_fill_at: float | None = None
        self._last_fill_ok = False
        #: The last event the line delivered (wall clock), not yet persisted maybe.
        self._event_seen: float | None = None
        #: Requests for call records made (fills and lookups; diagnostics).
        self.fetches = 0
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
        if self._event_seen is not None and (last is None or self._event_seen > last):
            last = self._event_seen
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

    def note_event(self, when: float) -> None:
        """The line delivered an event at *when*: it was working then."""
        if self._event_seen is None or when > self._event_seen:
            self._event_seen = when

    def complete_until(self) -> float | None:
        """The last moment the journal is known complete (blocking: reads the journal)."""
        last = self.journal.last_seen_connected()
        seen = self._event_seen
        if seen is not None and (last is None or seen > last):
            return seen
        return last

    def _persist_mark(self) -> None:
        seen = self._event_seen
        if seen is None:
            return
        last = self.journal.last_seen_connected()
        if last is None or seen > last:
            self.journal.set_last_seen_connected(seen)

    async def heartbeat(self) -> None:
        """Persist the "complete until" mark (the last event seen, if newer).

        Being connected alone moves nothing: see the module docstring.
        """
        await self.run_blocking(self._persist_mark)

    # -- syncing ------------------------------------------------------------------

    async def source(self) -> CdrSource | None:
        """The account's record source now (None: records cannot be fetched)."""
        found = self.source_factory()
        if inspect.isawaitable(found):
            found = await found
        return found

    async def line_connected(self, *, paced: bool = True) -> SyncReport | None:
        """The line (re)connected: fetch and merge the records of the gap.

        Waits first if the last fill was less than ``fill_interval`` ago
        (*paced*; the agent's "Try again" is not).  Returns None when the
        account cannot fetch records.  Raises :class:`HistorySyncError` (the
        gap stays pending for the next try).
        """
        if paced and self._last_fill_at is not None:
            wait = self._last_fill_at + self.fill_interval - self._monotonic()
            if wait > 0:
                log.info("next call-record fetch in %.0f s (at most one every %.0f s)",
                         wait, self.fill_interval)
                await self._sleep(wait)
        async with self._lock:
            self._last_fill_at = self._monotonic()
            self._last_fill_ok = False
            source = await self.source()
            if source is None:
                return None
            gap = await self.run_blocking(self.open_gap, self.clock())
            report = await self._fill(source, gap)
            await self.run_blocking(self.close_gap, gap)
            self._last_fill_ok = True
            return report

    async def line_refreshed(self) -> SyncReport | None:
        """The connection was refreshed quietly (a silent line): usually nothing to do.

        Fetches (through :meth:`line_connected`, paced) only when the journal
        has not been known complete for ``quiet_after`` seconds, and not when
        a fill was tried within that time and could not fetch (no account, the
        API failing): a silent line costs one attempt per ``quiet_after`` at
        most, whatever the account.  A real reconnection still fills at once.
        """
        attempted = self._last_fill_at
        if not self._last_fill_ok and attempted is not None \
                and self._monotonic() - attempted < self.quiet_after:
            return None  # tried lately and could not fetch (no account, an error): not yet
        seen = self._event_seen
        if seen is not None and self.clock() - seen < self.quiet_after:
            return None  # the line delivered lately (known without reading the journal)
        until = await self.run_blocking(self.complete_until)
        if until is not None and self.clock() - until < self.quiet_after:
            return None
        return await self.line_connected()

    async def end_of(self, query: CallQuery) -> CallEnd | None:
        """How the PBX's record says the call of *query* ended (None: no record yet).

        By every id the line saw for the call, then by its number and time
        (:func:`~desktop.core.call_records.find_record`); nothing is merged
        (the live call is settled first, then gap filling merges the record
        as usual).
        """
        source = await self.source()
        if source is None:
            return None

        async def pbx_id(call_id: str) -> str:
            known = await self.run_blocking(self.journal.resolve, call_id)
            return (known.cdr_id or known.call_id) if known is not None else call_id

        self.fetches += 1
        return await find_record(source, query, pbx_id=pbx_id)

    async def fill(self, since: float, until: float, *, seen: bool = False) -> SyncReport | None:
        """Fetch and merge the records of ``[since, until]`` (no bookkeeping)."""
        async with self._lock:
            source = await self.source()
            if source is None:
                return None
            return await self._fill(source, Gap(since, until, seen))

    async def _fill(self, source: CdrSource, gap: Gap) -> SyncReport:
        started = time.monotonic()
        self.fetches += 1
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
        name = _contact_name(self.name_for, call.number_raw)
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
