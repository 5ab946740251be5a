"""When to try again: the reconnect policy of the event channels, without I/O.

Two exponential backoffs with jitter decide how long a channel waits before
its next connection attempt:

* the **network** backoff, after a refused, lost or timed-out connection:
  the first retry comes within 1 s, then the nominal delay doubles up to a
  30 s cap.  Each delay is drawn uniformly from ``[nominal * (1 - jitter),
  nominal]`` (jitter 0.5), so that a call center's worth of clients does not
  reconnect in lock-step after a server restart;
* the **authentication** backoff, once the server rejected our login:
  60 s, doubling up to 5 min.  A rejected login is never retried in a tight
  loop; :meth:`ReconnectPolicy.kick` (the user fixed the credentials, the
  network changed) starts the next attempt at once.

Both start over after a *good* connection: one that stayed up for
``stable_after`` seconds (30 s) or delivered at least one real PBX event.

A connection closed because the line was quiet (:attr:`Outcome.QUIET`, the
TCP idle timeout) is no failure at all: the next attempt starts at once and
the phase stays CONNECTED unless that attempt fails.

Because logins and handshakes get no documented answer, a server that
closes the connection within ``early_close_window`` seconds of the login
without sending a single byte, ``early_close_limit`` (3) times in a row, is
taken as a rejection too.  This is a heuristic: it is what an unknown
``domainUuid`` or API key looks like on a server that just hangs up.

Nothing here sleeps or touches a socket; :mod:`desktop.pbx.channels` feeds it
the outcome of every attempt and obeys the returned :class:`Decision`.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from typing import Final

from desktop.pbx.connection import Phase

#: Minimum spacing of two attempts, even when kicked repeatedly.
MIN_ATTEMPT_SPACING: Final = 1.0


@dataclass(frozen=True, slots=True)
class BackoffSettings:
    """An exponential backoff with jitter."""

    #: Nominal delay of the first retry (the actual one is jittered below it).
    first: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    #: Fraction of the nominal delay that is random: delay is in
    #: ``[nominal * (1 - jitter), nominal]``.
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if not (self.first > 0 and self.cap >= self.first and self.factor >= 1):
            raise ValueError(f"bad backoff settings: {self!r}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be within [0, 1], not {self.jitter}")


NETWORK_BACKOFF: Final = BackoffSettings(first=1.0, factor=2.0, cap=30.0, jitter=0.5)
AUTH_BACKOFF: Final = BackoffSettings(first=60.0, factor=2.0, cap=300.0, jitter=0.2)


class Backoff:
    """Successive delays of one exponential backoff."""

    def __init__(self, settings: BackoffSettings, *, rng: random.Random | None = None) -> None:
        self.settings = settings
        self._rng = rng or random.Random()
        self.failures = 0

    def nominal(self) -> float:
        """The un-jittered delay the next :meth:`next_delay` is drawn below."""
        s = self.settings
        # min() before the power would overflow for a long outage.
        exponent = min(self.failures, 64)
        return min(s.cap, s.first * s.factor**exponent)

    def next_delay(self) -> float:
        nominal = self.nominal()
        self.failures += 1
        low = nominal * (1.0 - self.settings.jitter)
        return self._rng.uniform(low, nominal)

    def reset(self) -> None:
        self.failures = 0


class Outcome(enum.Enum):
    """How one connection attempt ended."""

    #: Could not connect at all (refused, unreachable, TLS, timeout).
    FAILED = "failed"
    #: Was connected, then lost (server closed, reset, idle, frame too large).
    LOST = "lost"
    #: The server rejected the login explicitly.
    AUTH_REJECTED = "auth_rejected"
    #: The server hung up right after the login without sending anything.
    EARLY_CLOSE = "early_close"
    #: We dropped it because the application asked (:meth:`kick`).
    KICKED = "kicked"
    #: The line was quiet for the idle timeout: we refresh it at once, silently.
    QUIET = "quiet"


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do after an attempt: show ``phase`` with ``reason``, wait ``delay``."""

    phase: Phase
    reason: str
    delay: float


class ReconnectPolicy:
    """Turns attempt outcomes into waits and tray phases.

    ``after(outcome, reason, good=...)`` is called once per attempt; ``good``
    says the connection was healthy (see the module docstring).  The policy
    keeps the consecutive-failure counters; it never sleeps.
    """

    def __init__(
        self,
        *,
        network: BackoffSettings = NETWORK_BACKOFF,
        auth: BackoffSettings = AUTH_BACKOFF,
        early_close_limit: int = 3,
        rng: random.Random | None = None,
    ) -> None:
        rng = rng or random.Random()
        self.network = Backoff(network, rng=rng)
        self.auth = Backoff(auth, rng=rng)
        self.early_close_limit = early_close_limit
        #: Consecutive "hung up right after the login" closes.
        self.early_closes = 0
        #: Consecutive attempts that did not end in a good connection.
        self.failed_attempts = 0
        self.auth_failed = False

    def after(self, outcome: Outcome, reason: str, *, good: bool = False) -> Decision:
        # A quiet line stayed up for the whole idle timeout: a good connection.
        if good or outcome is Outcome.QUIET:
            self.network.reset()
            self.auth.reset()
            self.early_closes = 0
            self.failed_attempts = 0
            self.auth_failed = False
        else:
            self.failed_attempts += 1

        if outcome is Outcome.KICKED:
            self.network.reset()
            return Decision(self._kicked_phase(), reason, 0.0)

        if outcome is Outcome.QUIET:
            # Not a failure: the server just had nothing to say.  Reconnect at
            # once; the phase stays what it was (the channel tells nobody).
            return Decision(Phase.CONNECTED, reason, 0.0)

        if outcome is Outcome.EARLY_CLOSE:
            self.early_closes += 1
            if self.early_closes >= self.early_close_limit:
                outcome = Outcome.AUTH_REJECTED
                reason = (f"login rejected? the server hung up right after the login "
                          f"{self.early_closes} times in a row")
        elif outcome is not Outcome.FAILED:
            # The server talked to us or kept us long enough: not an early close.
            self.early_closes = 0

        if outcome is Outcome.AUTH_REJECTED:
            self.auth_failed = True
            return Decision(Phase.AUTH_FAILED, reason, self.auth.next_delay())

        self.auth_failed = False
        return Decision(Phase.RECONNECTING, reason, self.network.next_delay())

    def _kicked_phase(self) -> Phase:
        return Phase.AUTH_FAILED if self.auth_failed else Phase.RECONNECTING

    def credentials_changed(self) -> None:
        """New credentials: forget everything we concluded about the old ones."""
        self.auth.reset()
        self.network.reset()
        self.early_closes = 0
        self.auth_failed = False
