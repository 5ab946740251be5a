"""The dialer's search: contacts and recent calls that match what the agent types.

One query goes to two places:

* the contact directory (:meth:`desktop.core.directory.Directory.search`:
  name, company or any part of a number, folded the Turkish way: ``ş``,
  ``İ/i``, ``ı/I``), one entry per matching number of each contact;
* the numbers of the most recent calls (the newest :data:`RECENT_SCAN` journal
  rows, one entry per number; loaded once when the dialer opens and filtered
  in memory), shown first.

When the query itself is a number that can be dialled, an entry for it
comes first, so Enter calls what was typed.

Everything here is synchronous and may take a few milliseconds on a big
directory: the dialer window runs :meth:`DialerSearch.search` and
:meth:`DialerSearch.load_recent` in a worker thread and drops results of
queries the agent has typed past (``bench/bench_dialer.py`` measures the
whole path).
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

from desktop.core import text as _text
from desktop.core.dial_targets import DialTarget, dial_target
from desktop.core.directory import Contact
from desktop.core.numbers import (
    NumberKind,
    PhoneNumber,
    clean_number_text,
    link_parts,
    parse_number,
)

log = logging.getLogger("kobikom.core.dial_search")

#: Contacts asked of the directory per query.
CONTACT_LIMIT: Final = 50
#: Recent numbers loaded when the dialer opens, out of at most this many newest calls.
RECENT_LOAD: Final = 100
RECENT_SCAN: Final = 2000
#: Recent numbers shown with an empty query, and with a query.
RECENT_SHOWN_EMPTY: Final = 20
RECENT_SHOWN_QUERY: Final = 5
#: Longest query looked at (the search box accepts more, the search does not).
MAX_QUERY: Final = 100

_NUMBER_QUERY = re.compile(r"[\d\s+\-().]+")
_EXTENSION = re.compile(r"\*?\d+")


class EntryKind(enum.Enum):
    TYPED = "typed"  # the query itself is a number
    RECENT = "recent"  # a number from the call journal
    CONTACT = "contact"  # a number of a contact


@dataclass(frozen=True, slots=True)
class DialerEntry:
    """One row of the dialer: a number and who it belongs to."""

    kind: EntryKind
    number: PhoneNumber
    #: The contact's name (or the name at the time of the call); "" if unknown.
    name: str = ""
    company: str = ""
    #: The number's label in the contact (``mobile``, ``work``…).
    label: str = ""
    contact_id: int | None = None
    #: Recent calls: when, which way and how the last call with this number went.
    last_at: float | None = None
    direction: str = ""
    outcome: str = ""

    @property
    def dial_text(self) -> str:
        """What to hand to click-to-call for this row."""
        return self.number.raw


@dataclass(frozen=True, slots=True)
class RecentNumber:
    """A recently called number, prepared for in-memory matching."""

    entry: DialerEntry
    folded_name: str
    digits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DialerResults:
    query: str
    entries: tuple[DialerEntry, ...]
    #: The query as a dialable target (None: not a number, or not a valid one).
    typed: DialTarget | None = None


class ContactSearch(Protocol):
    def search(self, text: str, limit: int = 50) -> list[Contact]: ...

    def lookup(self, number: str | PhoneNumber) -> Contact | None: ...


class RecentRow(Protocol):
    """A journal row as :meth:`desktop.core.journal.Journal.history_rows` gives it."""

    @property
    def number_raw(self) -> str | None: ...

    @property
    def number_key(self) -> str | None: ...

    @property
    def contact_name(self) -> str | None: ...

    @property
    def started_at(self) -> float | None: ...

    @property
    def direction(self) -> str: ...

    @property
    def outcome(self) -> str: ...


class RecentCalls(Protocol):
    def history_rows(self, flt: Any = None, limit: int | None = None) -> Sequence[RecentRow]: ...


def _number_digits(number: PhoneNumber) -> tuple[str, ...]:
    """The digit spellings a number fragment is matched against."""
    if number.e164 is not None:
        national = number.national()
        spellings = [number.e164[1:]]
        if national:
            spellings.append(national)
        return tuple(spellings)
    return ("".join(ch for ch in number.key if ch.isdigit()),)


def is_number_query(query: str) -> bool:
    return bool(_NUMBER_QUERY.fullmatch(query)) and any(ch.isdigit() for ch in query)


def clean_query(text: str) -> str:
    """What the agent typed or pasted, cleaned: a number through the one cleaner of
    pasted numbers (bidi marks, zero-width characters, Arabic-Indic or full-width
    digits, ``tel:``), anything else as plain text."""
    query = _text.clean(text, MAX_QUERY)
    number = clean_number_text(query)
    link = link_parts(number) if ":" in number else None
    if link is not None and is_number_query(link[1]):
        return link[1]
    return number if is_number_query(number) else query


class DialerSearch:
    """Contacts and recent calls for the dialer (see the module docstring)."""

    def __init__(self, directory: ContactSearch | None, journal: RecentCalls | None = None,
                 *, contact_limit: int = CONTACT_LIMIT) -> None:
        self._directory = directory
        self._journal = journal
        self.contact_limit = contact_limit

    def load_recent(self, limit: int = RECENT_LOAD) -> list[RecentNumber]:
        """The recent numbers with their current contact names (blocking: a thread)."""
        if self._journal is None:
            return []
        out: list[RecentNumber] = []
        seen: set[str] = set()
        for call in self._journal.history_rows(None, RECENT_SCAN):
            key = call.number_key or ""
            if not key or key in seen:
                continue
            seen.add(key)
            if len(out) >= limit:
                break
            number = parse_number(call.number_raw or key)
            if number.kind not in (NumberKind.EXTERNAL, NumberKind.INTERNAL):
                continue
            contact = None
            if self._directory is not None:
                try:
                    contact = self._directory.lookup(number)
                except Exception:
                    log.exception("directory lookup for a recent number failed")
            name = (contact.name if contact else "") or (call.contact_name or "")
            entry = DialerEntry(
                kind=EntryKind.RECENT, number=number, name=name,
                company=contact.company if contact else "",
                contact_id=contact.id if contact else None,
                last_at=call.started_at, direction=call.direction or "",
                outcome=call.outcome or "")
            folded = _text.search_fold(f"{name} {entry.company}")
            out.append(RecentNumber(entry, folded, _number_digits(number)))
        return out

    def search(self, query: str, recent: Sequence[RecentNumber] = ()) -> DialerResults:
        """Entries for *query*: typed number, matching recent numbers, contacts (blocking)."""
        query = clean_query(query)
        if not query:
            return DialerResults(query, tuple(r.entry for r in recent[:RECENT_SHOWN_EMPTY]))
        numeric = is_number_query(query)
        typed_target = dial_target(query) if numeric else None
        typed = typed_target if isinstance(typed_target, DialTarget) else None
        if typed is not None and typed.internal and not _EXTENSION.fullmatch(query):
            typed = None  # "356 44" is a fragment of a written number, not extension 35644
        entries: list[DialerEntry] = []
        shown: set[str] = set()
        if typed is not None:
            entries.append(DialerEntry(kind=EntryKind.TYPED, number=typed.number))
            shown.add(typed.number.key)
        for item in self._matching_recent(query, numeric, recent):
            if item.number.key not in shown:
                shown.add(item.number.key)
                entries.append(item)
        for contact_entry in self._matching_contacts(query, numeric):
            if contact_entry.number.key not in shown:
                shown.add(contact_entry.number.key)
                entries.append(contact_entry)
        return DialerResults(query, tuple(entries), typed)

    @staticmethod
    def _matching_recent(query: str, numeric: bool,
                         recent: Sequence[RecentNumber]) -> list[DialerEntry]:
        out: list[DialerEntry] = []
        if numeric:
            digits = "".join(ch for ch in query if ch.isdigit())
            matches = (r for r in recent if any(digits in d for d in r.digits))
        else:
            words = _text.search_fold(query).split()
            if not words:
                return out
            matches = (r for r in recent if all(w in r.folded_name for w in words))
        for item in matches:
            out.append(item.entry)
            if len(out) >= RECENT_SHOWN_QUERY:
                break
        return out

    def _matching_contacts(self, query: str, numeric: bool) -> list[DialerEntry]:
        if self._directory is None:
            return []
        contacts = self._directory.search(query, self.contact_limit)
        digits = "".join(ch for ch in query if ch.isdigit()) if numeric else ""
        out: list[DialerEntry] = []
        for contact in contacts:
            numbers = [(n, n.parsed()) for n in contact.numbers]
            if digits:
                only = [(n, p) for n, p in numbers
                        if any(digits in d for d in _number_digits(p))]
                numbers = only or numbers
            for number, parsed in numbers:
                if parsed.kind not in (NumberKind.EXTERNAL, NumberKind.INTERNAL):
                    continue
                out.append(DialerEntry(kind=EntryKind.CONTACT, number=parsed, name=contact.name,
                                       company=contact.company, label=number.label,
                                       contact_id=contact.id))
        return out
