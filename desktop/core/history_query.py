"""What the call history window asks the journal, built without Qt.

:func:`build_filter` turns the window's controls (direction/outcome kind, a
date range, the search text) into a :class:`~desktop.core.journal.HistoryFilter`:
"today", "last 7 days" and "last 30 days" start at local midnight, a custom
range includes both of its days, and a search that contains letters also
finds the numbers of directory contacts whose *current* name matches.

:func:`read_head` is the first of the two reads a filter change makes (the
history model runs both in a worker thread):

1. the *head*: the row ids of the first :data:`HEAD_ROWS` matching calls and
   those rows, one index range scan that stops after a page (well under a
   millisecond for "all calls" at 100,000 rows).  The table is filled and
   painted from it at once;
2. every matching row id, newest first (``Journal.select_ids``): the full
   scroll range.  Listing 100,000 ids costs ~20 ms of Python objects, which
   is why it comes second, after the first screenful is on screen.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final, Protocol

from desktop.core.journal import HistoryFilter, HistoryKind, HistoryRow

log = logging.getLogger("kobikom.core.history")

#: Rows in the head read (one page of the history model).
HEAD_ROWS: Final = 200
#: Days before today that "last 7 days" / "last 30 days" reach back.
WEEK_DAYS_BACK: Final = 6
MONTH_DAYS_BACK: Final = 29


class DateRange(enum.IntEnum):
    """The history window's date range choices."""

    ANY = 0
    TODAY = 1
    WEEK = 2
    MONTH = 3
    CUSTOM = 4


def _midnight(day: date) -> float:
    """Local midnight at the start of *day*, as wall-clock seconds."""
    return datetime.combine(day, time()).timestamp()


def date_bounds(choice: DateRange, now: float,
                custom: tuple[date, date] | None = None) -> tuple[float | None, float | None]:
    """``(since, until)`` of a date range choice (``until`` exclusive; None: open)."""
    today = datetime.fromtimestamp(now).date()
    if choice is DateRange.TODAY:
        return _midnight(today), None
    if choice is DateRange.WEEK:
        return _midnight(today - timedelta(days=WEEK_DAYS_BACK)), None
    if choice is DateRange.MONTH:
        return _midnight(today - timedelta(days=MONTH_DAYS_BACK)), None
    if choice is DateRange.CUSTOM:
        start, end = custom if custom is not None else (today, today)
        if end < start:
            start, end = end, start
        return _midnight(start), _midnight(end + timedelta(days=1))
    return None, None


def build_filter(kind: HistoryKind, choice: DateRange, now: float, text: str, *,
                 custom: tuple[date, date] | None = None,
                 directory_keys: Callable[[str], Iterable[str]] | None = None) -> HistoryFilter:
    """The filter for the window's controls (see the module docstring).

    *directory_keys* looks up the number keys of contacts whose name matches
    the text; it is asked only when the text contains a letter, and a failing
    lookup is logged and leaves the search to the names the journal recorded.
    """
    since, until = date_bounds(choice, now, custom)
    text = text.strip()
    keys: tuple[str, ...] = ()
    if text and directory_keys is not None and any(c.isalpha() for c in text):
        try:
            keys = tuple(directory_keys(text))
        except Exception:
            log.exception("directory search for the history failed")
    return HistoryFilter(kind=kind, since=since, until=until, text=text, extra_keys=keys)


class HistorySource(Protocol):
    """What the history reads (the journal)."""

    def select_ids(self, flt: HistoryFilter | None = None,
                   limit: int | None = None) -> list[int]: ...

    def rows(self, row_ids: Sequence[int]) -> list[HistoryRow]: ...


@dataclass(frozen=True, slots=True)
class HistoryHead:
    """The first page of a filter's result.

    ``rows`` is aligned with ``ids`` (None where a row vanished between the
    two reads); ``more`` says whether further calls match.
    """

    ids: list[int]
    rows: list[HistoryRow | None]
    more: bool


def read_head(source: HistorySource, flt: HistoryFilter, size: int = HEAD_ROWS) -> HistoryHead:
    """The first *size* matching calls, newest first (see the module docstring)."""
    ids = source.select_ids(flt, size + 1)
    more = len(ids) > size
    ids = ids[:size]
    found = {row.row_id: row for row in source.rows(ids)}
    return HistoryHead(ids, [found.get(i) for i in ids], more)
