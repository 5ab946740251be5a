"""The agent's own click-to-calls, so their legs never show as incoming.

A click-to-call makes the PBX ring the agent's *own* phone first; FreeSWITCH
often presents that leg with the destination as the caller (``callerNumber``
= the customer, ``calledNumber`` = the agent's extension), which is exactly
what an incoming call from that customer looks like.  The event stream
cannot tell them apart, so the app tells the tracker: the click-to-call
service notes every dial it sends (:meth:`RecentDials.note`, *before* the
request goes out, since the PBX's first event may beat the HTTP reply) and
withdraws it when nothing happened; the tracker claims a note when a call
on that extension involves that number (or, for Tekil calls known only from
``ExtensionStatus``, any note of that extension) within
:data:`DIAL_MATCH_WINDOW` seconds.  One note, one call.

One instance is shared by the app's :class:`~desktop.core.dialing.ClickToCall`
and every :class:`~desktop.core.calls.CallTracker` it creates.  Not
thread-safe: used on the event loop only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

from desktop.core.numbers import DEFAULT_REGION, PhoneNumber, parse_number

#: How long after the dial request the first leg may arrive (the PBX may be slow
#: to ring the agent's phone, or the request itself may take a while).
DIAL_MATCH_WINDOW: Final = 60.0
#: Notes kept at most (a dial every second for a minute is far beyond real use).
MAX_NOTES: Final = 64


@dataclass(eq=False, slots=True)
class DialNote:
    """One click-to-call the app sent."""

    extension: str
    #: The number as the agent chose it.
    number: PhoneNumber
    #: Keys the PBX may present it under (the number, the dial string).
    keys: frozenset[str]
    at: float
    claimed: bool = field(default=False)


class RecentDials:
    """Recent click-to-calls of this app (see the module docstring)."""

    def __init__(self, *, clock: Callable[[], float] = time.time,
                 window: float = DIAL_MATCH_WINDOW, region: str = DEFAULT_REGION) -> None:
        self._clock = clock
        self.window = window
        self._region = region
        self._notes: list[DialNote] = []

    def note(self, extension: str, number: str | PhoneNumber, *spellings: str) -> DialNote:
        """The app is about to ask the PBX to connect *extension* with *number*.

        *spellings* are other forms the PBX may echo (the dial string with an
        outside-line prefix, say).
        """
        parsed = number if isinstance(number, PhoneNumber) else parse_number(number,
                                                                             self._region)
        keys = {parsed.key} | {parse_number(s, self._region).key for s in spellings if s}
        keys.discard("")
        dial = DialNote(extension.strip().partition("@")[0], parsed, frozenset(keys),
                        self._clock())
        self._forget_old(dial.at)
        self._notes.append(dial)
        del self._notes[:-MAX_NOTES]
        return dial

    def withdraw(self, dial: DialNote) -> None:
        """The request certainly did nothing (refused, not sent)."""
        if dial in self._notes:
            self._notes.remove(dial)

    def match(self, extension: str, keys: Iterable[str], t: float) -> DialNote | None:
        """The newest unclaimed note of *extension* for one of *keys*, within the window."""
        if not self._notes:
            return None
        wanted = set(keys)
        for dial in reversed(self._notes):
            if (not dial.claimed and dial.extension == extension and dial.keys & wanted
                    and -self.window <= t - dial.at <= self.window):
                return dial
        return None

    def match_extension(self, extension: str, t: float) -> DialNote | None:
        """The newest unclaimed note of *extension* within the window (number unknown)."""
        for dial in reversed(self._notes):
            if (not dial.claimed and dial.extension == extension
                    and -self.window <= t - dial.at <= self.window):
                return dial
        return None

    @staticmethod
    def claim(dial: DialNote) -> None:
        dial.claimed = True

    @property
    def pending(self) -> bool:
        """Any note not claimed yet (a cheap test for the tracker's hot path)."""
        return any(not d.claimed for d in self._notes)

    @property
    def count(self) -> int:
        """Notes kept (claimed or not)."""
        return len(self._notes)

    def _forget_old(self, now: float) -> None:
        self._notes = [d for d in self._notes if now - d.at <= self.window]
