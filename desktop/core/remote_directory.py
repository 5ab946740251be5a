"""The company directory beyond the local file: remote sources in order, each on a budget.

A number is looked up in the local directory first (an indexed SQLite query,
:class:`desktop.core.directory.Directory`), then in the remote sources in
their order (LDAP/Active Directory: :mod:`desktop.core.remote_ldap`; an
HTTP JSON lookup for CRMs: :mod:`desktop.core.remote_http`).  The first
source that knows the number wins.

Each remote source has a strict time budget (its ``timeout_ms`` setting):
a source that does not answer in time counts as failed for that lookup, and
the next one is asked.  A source that failed is *resting* for
:data:`REST_AFTER_FAILURE_S`: lookups skip it instead of paying its budget
on every call while a server is down, and the first lookup after the rest
tries it again.  Failures are logged (never with the bind password or a
token) and reported to ``on_problem(source, text)``; ``on_problem(source,
None)`` says the source answers again.  The app shows them in the status
window and the tray tooltip.

Answers (found and not found) are cached for :data:`CACHE_TTL_S`, at most
:data:`CACHE_SIZE` numbers per source (least recently used go first), so
the same caller ringing again costs nothing; failures are not cached.

Nothing here blocks the event loop: the LDAP client (blocking) runs in its
own thread, the HTTP client is asynchronous.  :meth:`RemoteDirectory.prepare`
warms the sources up when the app starts (LDAP connects and binds, secrets
are read from the keyring), so the first caller does not pay for that out
of its budget.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from desktop.core.numbers import NumberKind, PhoneNumber, parse_number

log = logging.getLogger("kobikom.core.remote_directory")

#: How long an answer (a contact, or "not known") is reused.
CACHE_TTL_S: Final = 10 * 60.0
#: Numbers remembered per source.
CACHE_SIZE: Final = 2000
#: A failed source is skipped this long before it is asked again.
REST_AFTER_FAILURE_S: Final = 30.0
#: Budget of a source whose setting is 0 or missing.
DEFAULT_BUDGET_S: Final = 0.8
#: How long warming a source up (connect, bind, read its secret) may take.
PREPARE_TIMEOUT_S: Final = 10.0
#: Longest texts kept from a remote answer (a name, not a document).
MAX_NAME_CHARS: Final = 200
MAX_NOTES_CHARS: Final = 2000


class SourceError(Exception):
    """A remote source could not answer (the message says why, with no secret)."""


@dataclass(frozen=True, slots=True)
class RemoteContact:
    """A contact as a remote source describes it (untrusted text: shown as plain text)."""

    name: str
    company: str = ""
    email: str = ""
    notes: str = ""
    #: ``"ldap"`` or ``"http"``.
    source: str = ""

    @property
    def display_name(self) -> str:
        return self.name or self.company

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "company": self.company, "email": self.email,
                "notes": self.notes, "source": self.source}


def clean_text(value: object, limit: int = MAX_NAME_CHARS) -> str:
    """A remote value as one safe line of text: str only, no control characters, capped."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = str(value)
    if limit <= MAX_NAME_CHARS:
        text = " ".join(text.split())
    text = "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    return text.strip()[:limit]


class RemoteSource(Protocol):
    """One remote directory (LDAP, HTTP)."""

    #: ``"ldap"`` or ``"http"`` (what ``lookup`` prints as ``"source"``).
    name: str
    #: The strict time budget of one lookup, in seconds.
    budget: float

    async def lookup(self, number: PhoneNumber) -> RemoteContact | None:
        """The contact for *number*, None if unknown; SourceError if the source failed."""
        ...

    async def prepare(self) -> None:
        """Get ready before the first call (connect, read the secret): off the budget."""
        ...

    async def aclose(self) -> None: ...


class AnswerCache:
    """Answers per number for a bounded time and a bounded count (LRU)."""

    def __init__(self, ttl: float = CACHE_TTL_S, size: int = CACHE_SIZE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.size = size
        self._clock = clock
        self._items: OrderedDict[str, tuple[float, RemoteContact | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> tuple[bool, RemoteContact | None]:
        """``(True, answer)`` when a fresh answer is cached, else ``(False, None)``."""
        item = self._items.get(key)
        if item is None:
            return False, None
        stored_at, answer = item
        if self._clock() - stored_at >= self.ttl:
            del self._items[key]
            return False, None
        self._items.move_to_end(key)
        return True, answer

    def put(self, key: str, answer: RemoteContact | None) -> None:
        self._items[key] = (self._clock(), answer)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What one source did for one lookup (``kobikom-desktop lookup`` prints these)."""

    source: str
    #: ``"found"``, ``"not_found"``, ``"failed"`` or ``"resting"`` (skipped after a failure).
    result: str
    seconds: float = 0.0
    cached: bool = False
    error: str = ""


def lookup_key(number: PhoneNumber) -> str | None:
    """The key remote sources are asked about, or None for numbers not worth asking.

    Withheld and invalid numbers are never sent anywhere.
    """
    if number.kind in (NumberKind.ANONYMOUS, NumberKind.INVALID):
        return None
    return number.key or None


class RemoteDirectory:
    """The remote sources in order, with their budgets, cache and rest after failure.

    ``on_problem(source_name, text_or_None)`` is called when a source starts
    or stops failing (not on every failed lookup).
    """

    def __init__(self, sources: Sequence[RemoteSource], *,
                 on_problem: Callable[[str, str | None], None] | None = None,
                 cache_ttl: float = CACHE_TTL_S, cache_size: int = CACHE_SIZE,
                 rest_after_failure: float = REST_AFTER_FAILURE_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sources = tuple(sources)
        self._on_problem = on_problem
        self._clock = clock
        self._rest = rest_after_failure
        self._caches = {id(s): AnswerCache(cache_ttl, cache_size, clock) for s in self.sources}
        self._resting_until: dict[int, float] = {}
        #: Current problem text per source name (None when it answers).
        self.problems: dict[str, str | None] = {}

    def __bool__(self) -> bool:
        return bool(self.sources)

    def clear_cache(self) -> None:
        for cache in self._caches.values():
            cache.clear()

    def cached(self, number: PhoneNumber | str) -> tuple[bool, RemoteContact | None]:
        """What :meth:`lookup` would answer from the cache alone, without waiting.

        ``(True, contact_or_None)`` when the cache settles it (every source
        up to the one that knows the number has a fresh answer), else
        ``(False, None)``.
        """
        parsed = number if isinstance(number, PhoneNumber) else parse_number(number)
        key = lookup_key(parsed)
        if key is None:
            return True, None
        for source in self.sources:
            hit, contact = self._caches[id(source)].get(key)
            if not hit:
                return False, None
            if contact is not None:
                return True, contact
        return True, None

    async def lookup(self, number: PhoneNumber | str) -> RemoteContact | None:
        """The first remote contact for *number*, in source order (None if none)."""
        contact, _outcomes = await self.lookup_verbose(number)
        return contact

    async def lookup_verbose(self, number: PhoneNumber | str, *, ignore_rest: bool = False
                             ) -> tuple[RemoteContact | None, list[SourceOutcome]]:
        """Like :meth:`lookup`, with what each source did.

        *ignore_rest*: ask sources that are resting after a failure too (the
        command line asks every source every time).
        """
        parsed = number if isinstance(number, PhoneNumber) else parse_number(number)
        outcomes: list[SourceOutcome] = []
        key = lookup_key(parsed)
        if key is None:
            return None, outcomes
        for source in self.sources:
            contact, outcome = await self._ask(source, parsed, key, ignore_rest=ignore_rest)
            outcomes.append(outcome)
            if contact is not None:
                return contact, outcomes
        return None, outcomes

    async def _ask(self, source: RemoteSource, number: PhoneNumber, key: str, *,
                   ignore_rest: bool) -> tuple[RemoteContact | None, SourceOutcome]:
        cache = self._caches[id(source)]
        hit, cached = cache.get(key)
        if hit:
            return cached, SourceOutcome(source.name, "found" if cached else "not_found",
                                         cached=True)
        now = self._clock()
        if not ignore_rest and self._resting_until.get(id(source), 0.0) > now:
            return None, SourceOutcome(source.name, "resting",
                                       error=self.problems.get(source.name) or "")
        started = time.monotonic()
        budget = source.budget if source.budget > 0 else DEFAULT_BUDGET_S
        try:
            async with asyncio.timeout(budget):
                contact = await source.lookup(number)
        except TimeoutError:
            error = f"no answer within {budget * 1000:.0f} ms"
        except SourceError as exc:
            error = str(exc)
        except Exception as exc:  # a bug in a source must not cost the call its popup
            log.exception("%s lookup failed unexpectedly", source.name)
            error = f"unexpected error ({type(exc).__name__})"
        else:
            seconds = time.monotonic() - started
            cache.put(key, contact)
            self._resting_until.pop(id(source), None)
            self._set_problem(source.name, None)
            log.debug("%s lookup of %s: %s in %.0f ms", source.name, number.masked(),
                      "found" if contact else "not found", seconds * 1000)
            return contact, SourceOutcome(source.name, "found" if contact else "not_found",
                                          seconds)
        seconds = time.monotonic() - started
        self._resting_until[id(source)] = self._clock() + self._rest
        log.warning("%s directory lookup of %s failed: %s", source.name, number.masked(), error)
        self._set_problem(source.name, error)
        return None, SourceOutcome(source.name, "failed", seconds, error=error)

    def _set_problem(self, name: str, text: str | None) -> None:
        if self.problems.get(name) == text:
            return
        if text is None and name not in self.problems:
            return
        self.problems[name] = text
        if text is None:
            log.info("%s directory answers again", name)
        if self._on_problem is not None:
            try:
                self._on_problem(name, text)
            except Exception:
                log.exception("directory problem callback failed")

    async def prepare(self) -> None:
        """Warm every source up, all at once (before the first call, so it does not pay)."""
        await asyncio.gather(*(self._prepare(source) for source in self.sources))

    @staticmethod
    async def _prepare(source: RemoteSource) -> None:
        try:
            async with asyncio.timeout(PREPARE_TIMEOUT_S):
                await source.prepare()
        except Exception as exc:  # the first lookup reports what is wrong
            log.debug("preparing the %s directory failed: %s", source.name,
                      type(exc).__name__)

    async def aclose(self) -> None:
        for source in self.sources:
            try:
                await source.aclose()
            except Exception:
                log.exception("closing the %s directory failed", source.name)
