"""How every call tracker of the app is made: the live line's, and replay's.

:class:`TrackerFactory` holds what the app's trackers share: the agent's own
click-to-calls (:class:`~desktop.core.calls.dials.RecentDials`, shared with
the dialer), the "dropped events" counter's callback and the clock.  The
line supervisor calls it with each line's spec (extensions, domain);
``kobikom-desktop replay`` builds its tracker through the same factory, with
the capture's recorded time as the clock, so that a replay runs the tracker
exactly as the app configured it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from desktop.core.calls.dials import RecentDials
from desktop.core.calls.model import OnChange, OnDropped
from desktop.core.calls.tracker import CallTracker


class TrackerSpec(Protocol):
    """What a tracker is configured from (a line's :class:`LineSpec`, for instance)."""

    @property
    def extensions(self) -> tuple[str, ...]: ...

    @property
    def domain(self) -> str | None: ...


@dataclass(slots=True)
class TrackerFactory:
    """Makes the app's call trackers (see the module docstring)."""

    #: The agent's own click-to-calls, shared with the dialer.
    dials: RecentDials = field(default_factory=RecentDials)
    on_dropped: OnDropped | None = None
    clock: Callable[[], float] = time.time

    def __call__(self, spec: TrackerSpec) -> CallTracker:
        """The tracker of a line with this spec."""
        return self.make(spec.extensions, spec.domain)

    def make(self, extensions: Iterable[str], domain: str | None, *,
             on_change: OnChange | None = None) -> CallTracker:
        return CallTracker(extensions, domain, on_change=on_change, on_dropped=self.on_dropped,
                           dials=self.dials, clock=self.clock)
