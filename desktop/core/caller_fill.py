"""Callers the channel did not send, filled in from the PBX's call records.

Tekil Santral documents one real-time message, ``ExtensionStatus``: the
agent's phone rings, nothing says who calls (the popup says so plainly).
The call records know: :func:`fill_caller` asks the records of the call's
few minutes (``v1/getcdr`` and ``missedcalls``, through the account's
:class:`~desktop.core.history_sync.CdrSource`) again and again
(:data:`CALLER_FILL_DELAYS`) until the record of that extension and time
appears, then completes the journal row (:func:`complete_caller`) with the
caller's number and the record's verdict: for a call the channel only
hinted at the records are authoritative (a queue call a colleague took is
"answered elsewhere", not missed).  The app then updates the call's popup.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, Final

from desktop.core.call_records import NameLookup
from desktop.core.history_sync import HistorySync
from desktop.core.journal import STATUS_MATCH_SLACK, CdrEntry, Journal, JournalCall

log = logging.getLogger("kobikom.core.caller_fill")

#: Waits between asks for the record (s): it appears when the call ends, or later.
CALLER_FILL_DELAYS: Final = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)
#: How far from the call's first ring its record may start (s).
CALLER_FILL_WINDOW: Final = 60.0


async def fill_caller(sync: HistorySync, call_id: str, extension: str, started_at: float,
                      ended_at: float | None = None, *,
                      delays: Sequence[float] = CALLER_FILL_DELAYS,
                      sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                      ) -> JournalCall | None:
    """Complete the journal row *call_id* from its record, once the PBX has one.

    Waits *delays* between asks; returns the completed row (with
    ``number_raw``), or None when no record appeared (or records cannot be
    fetched).  Each ask is a read (the REST session retries those).
    """
    for delay in delays:
        await sleep(delay)
        source = await sync.source()
        if source is None:
            return None
        until = max(started_at, ended_at or started_at) + CALLER_FILL_WINDOW
        try:
            entries = await source.fetch(started_at - CALLER_FILL_WINDOW, until)
        except Exception as exc:  # a read: the next ask may succeed
            log.info("no call record for call %s yet: %s", call_id, exc)
            continue
        # Names from the directory in a worker thread; the row on the journal's
        # writer thread (like gap filling's merge).
        named = await sync.run_blocking(sync.named, entries)
        row: JournalCall | None = await sync.journal.run_write(
            complete_caller, sync.journal, call_id, extension, started_at, named)
        if row is not None:
            log.info("caller of call %s filled in from its call record", call_id)
            return row
    log.info("no call record with the caller of call %s appeared", call_id)
    return None


def complete_caller(journal: Journal, call_id: str, extension: str, started_at: float,
                    entries: Sequence[CdrEntry],
                    name_for: NameLookup | None = None) -> JournalCall | None:
    """The matching hook (blocking): the record of *extension* that lasted over
    *started_at* (give or take :data:`~desktop.core.journal.STATUS_MATCH_SLACK`
    of clock skew), nearest to it and not claimed by another journal row,
    completes *call_id*; None if none fits."""
    best: CdrEntry | None = None
    best_rank: tuple[bool, float] = (False, 0.0)
    for entry in entries:
        call = entry.call
        start = call.started_at
        if call.extension != extension or not call.number_raw or start is None:
            continue
        end = call.ended_at if call.ended_at is not None else start
        if not start - STATUS_MATCH_SLACK <= started_at <= end + STATUS_MATCH_SLACK:
            continue
        owner = journal.resolve(call.call_id)
        if owner is not None and owner.call_id != call_id:
            continue  # another call's record
        rank = (entry.strong, -abs(start - started_at))
        if best is None or rank > best_rank:
            best, best_rank = entry, rank
    if best is None:
        return None
    found = best.call
    name = found.contact_name_at_time
    if not name and name_for is not None and found.number_raw:
        try:
            name = name_for(found.number_raw)
        except Exception:
            log.exception("contact lookup for a call record failed")
    # Keep the times the channel saw; take the number, the verdict, the record's id.
    journal.record(replace(
        found, call_id=call_id, extension=None, direction=None, ringing_at=None,
        answered_at=None, ended_at=None, source=None, contact_name_at_time=name,
        cdr_id=found.call_id if best.strong else None))
    return journal.get(call_id)
