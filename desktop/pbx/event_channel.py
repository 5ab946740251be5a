"""The connection loop every event channel shares: :class:`EventChannel`.

:meth:`EventChannel.run` owns the whole life of one channel: connect, send
the login, read, hand every event to ``on_event``, and after any failure
wait (:mod:`desktop.pbx.backoff`) and start again.  A quiet TCP line is
refreshed without a state change, a suspend (:mod:`desktop.pbx.watchdog`)
drops the connection, oversized frames are skipped by the links
(:mod:`desktop.pbx.links`).  :mod:`desktop.pbx.channels` describes the four
channels and their failure handling in full; the per-channel parts (how to
open the socket, what to log in with) are its subclasses.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from websockets.exceptions import WebSocketException

from desktop.pbx.backoff import (
    AUTH_BACKOFF,
    MIN_ATTEMPT_SPACING,
    NETWORK_BACKOFF,
    BackoffSettings,
    Outcome,
    ReconnectPolicy,
)
from desktop.pbx.channel_setup import (
    LOGIN_COMMANDS,
    ChannelStats,
    ChannelTiming,
    Credentials,
    EventCallback,
    FrameCallback,
    StateCallback,
    check_credentials,
    describe_error,
    keepalive_reply,
    login_message,
    size_text,
)
from desktop.pbx.connection import ConnectionState, Endpoint, Flavor, Phase, Transport
from desktop.pbx.errors import PbxError
from desktop.pbx.events import Event, KeepAliveEvent, ReplyEvent, UnknownEvent
from desktop.pbx.framing import DEFAULT_MAX_FRAME, MAX_SKIP_FACTOR
from desktop.pbx.links import Dropped, Link
from desktop.pbx.redact import mask_digits, scrub
from desktop.pbx.watchdog import SuspendClock, Watchdog, system_clock

log = logging.getLogger("kobikom.pbx.channel")


# ---------------------------------------------------------------- the channels


@dataclass(slots=True)
class _Connection:
    """Book-keeping of the current connection (monotonic times)."""

    connected_at: float
    watchdog: Watchdog
    received_any: bool = False
    got_event: bool = False
    garbage_logged: bool = False
    oversized_logged: bool = False


_Result = tuple[Outcome, str, bool]
#: Failures that are the network's or the server's doing (no traceback logged).
_EXPECTED_ERRORS = (OSError, ssl.SSLError, WebSocketException, PbxError, ValueError)


class EventChannel(abc.ABC):
    """One real-time event channel; :meth:`run` keeps it connected.

    Callbacks (constructor arguments):
        on_event(Event): every event except application-level keep-alives,
            including login/command replies and ``UnknownEvent``.
        on_state(ConnectionState): every change of :attr:`state`.
        on_frame(bytes | str): optional; every raw frame as received, before
            decoding (a capture).  Also settable as the attribute
            :attr:`on_frame` before :meth:`run`.

    Frames larger than ``max_frame`` are skipped; one still open after
    ``max_skip`` bytes (default 16 × ``max_frame``) resets the connection.

    Injectable for tests: ``clock`` (monotonic seconds), ``wall_clock``
    (``time.time``, the events' receive time), ``suspend_clock`` (the
    watchdog's :class:`~desktop.pbx.watchdog.SuspendClock`), ``sleep`` (used
    for the backoff waits only), ``rng``.
    """

    flavor: ClassVar[Flavor]
    transport: ClassVar[Transport]
    label: ClassVar[str]

    def __init__(
        self,
        endpoint: Endpoint,
        credentials: Credentials,
        *,
        on_event: EventCallback,
        on_state: StateCallback,
        on_frame: FrameCallback | None = None,
        timing: ChannelTiming | None = None,
        backoff: BackoffSettings = NETWORK_BACKOFF,
        auth_backoff: BackoffSettings = AUTH_BACKOFF,
        max_frame: int = DEFAULT_MAX_FRAME,
        max_skip: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        suspend_clock: SuspendClock | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        check_credentials(self.flavor, self.transport, credentials)
        self.endpoint = endpoint
        self._credentials = credentials
        self._on_event = on_event
        self._on_state = on_state
        self.on_frame = on_frame
        self.timing = timing or ChannelTiming()
        self.max_frame = max_frame
        self.max_skip = max_skip if max_skip is not None else max_frame * MAX_SKIP_FACTOR
        self._clock = clock
        self._wall = wall_clock
        self._suspend_clock = suspend_clock or system_clock()
        self._sleep = sleep
        self._policy = ReconnectPolicy(network=backoff, auth=auth_backoff, rng=rng)
        self.stats = ChannelStats()
        self.state = ConnectionState(Phase.DISCONNECTED, endpoint=endpoint.describe())
        self._link: Link | None = None
        self._conn: _Connection | None = None
        self._kicked = asyncio.Event()
        self._kick_reason = "reconnect requested"
        self._running = False
        self._last_attempt_at: float | None = None
        self._resolved_token: str | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.endpoint.describe()} {self.state.phase.value}>"

    # -- public API ------------------------------------------------------------

    async def run(self) -> None:
        """Stay connected until cancelled; then the state is DISCONNECTED."""
        if self._running:
            raise RuntimeError(f"{self!r} is already running")
        self._running = True
        first = True
        try:
            while True:
                self._kicked.clear()
                self._announce_attempt(first)
                first = False
                self._last_attempt_at = self._clock()
                outcome, reason, good = await self._attempt_or_kick()
                if outcome is Outcome.QUIET:
                    # Refreshed without a word: still "connected" unless the next
                    # attempt fails (then the tray learns why).
                    self._policy.after(outcome, reason, good=good)
                    self.stats.quiet_refreshes += 1
                    continue
                if outcome is Outcome.AUTH_REJECTED:
                    self.stats.auth_failures += 1
                decision = self._policy.after(outcome, reason, good=good)
                delay = decision.delay
                if outcome is Outcome.KICKED:
                    delay = self._spacing_left()
                self._set_state(decision.phase, decision.reason,
                                retry_in=round(delay, 3) if delay > 0 else None)
                if decision.phase is Phase.AUTH_FAILED:
                    log.warning("%s: %s; next try in %.0f s (or when kicked)",
                                self._name(), decision.reason, delay)
                await self._wait(delay)
        except asyncio.CancelledError:
            self._set_state(Phase.DISCONNECTED, "stopped")
            raise
        finally:
            self._running = False

    def kick(self, reason: str = "reconnect requested") -> None:
        """Drop the current connection (or cut the wait short) and connect now.

        Call on resume from sleep, on a network change, or after the user
        fixed the credentials.  Attempts stay at least one second apart.
        """
        self._kick_reason = reason
        self._kicked.set()

    def update_credentials(self, credentials: Credentials) -> None:
        """Use new credentials from the next attempt on, and start it now."""
        check_credentials(self.flavor, self.transport, credentials)
        self._credentials = credentials
        self._policy.credentials_changed()
        self.kick("credentials changed")

    @property
    def connected(self) -> bool:
        return self._link is not None and self.state.phase is Phase.CONNECTED

    # -- the loop ------------------------------------------------------------

    def _name(self) -> str:
        return f"{self.label} {self.endpoint.describe()}"

    def _announce_attempt(self, first: bool) -> None:
        if first:
            self._set_state(Phase.CONNECTING)
        else:
            # Keep showing why we are retrying; the retry is in progress now.
            self._set_state(self.state.phase, self.state.reason, retry_in=None)

    def _spacing_left(self) -> float:
        if self._last_attempt_at is None:
            return 0.0
        return max(0.0, self._last_attempt_at + MIN_ATTEMPT_SPACING - self._clock())

    async def _wait(self, delay: float) -> None:
        if delay <= 0:
            return
        sleeper = asyncio.ensure_future(self._sleep(delay))
        kicked = asyncio.ensure_future(self._kicked.wait())
        try:
            await asyncio.wait({sleeper, kicked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, kicked):
                task.cancel()
            await asyncio.wait({sleeper, kicked})
        if kicked.done() and not kicked.cancelled():
            log.info("%s: %s; connecting now", self._name(), self._kick_reason)
            spacing = self._spacing_left()
            if spacing > 0:
                await self._sleep(spacing)

    async def _attempt_or_kick(self) -> _Result:
        attempt = asyncio.create_task(self._attempt(), name=f"{self.label} attempt")
        kicked = asyncio.create_task(self._kicked.wait(), name=f"{self.label} kick")
        try:
            await asyncio.wait({attempt, kicked}, return_when=asyncio.FIRST_COMPLETED)
            if attempt.done():
                return attempt.result()
            attempt.cancel()
            await asyncio.wait({attempt})
            conn = self._conn
            good = conn is not None and self._was_good(conn)
            log.info("%s: %s; reconnecting now", self._name(), self._kick_reason)
            return Outcome.KICKED, self._kick_reason, good
        finally:
            kicked.cancel()
            attempt.cancel()
            await asyncio.wait({attempt, kicked})

    def _was_good(self, conn: _Connection) -> bool:
        return conn.got_event or self._clock() - conn.connected_at >= self.timing.stable_after

    async def _attempt(self) -> _Result:
        self.stats.attempts += 1
        self._conn = None
        try:
            login = await self._login()
            link = await self._open()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # every failure becomes a reason
            reason, auth = self._describe(exc)
            if not isinstance(exc, _EXPECTED_ERRORS):
                log.warning("%s: cannot connect: %s", self._name(), reason, exc_info=True)
            else:
                log.info("%s: cannot connect: %s", self._name(), reason)
            return (Outcome.AUTH_REJECTED if auth else Outcome.FAILED), reason, False

        graceful = True
        conn = _Connection(connected_at=self._clock(), watchdog=self._watchdog())
        try:
            self._link = link
            link.tap = self._tap_frame
            await link.send(login)
            conn.connected_at = self._clock()
            conn.watchdog = self._watchdog()
            self._conn = conn
            self.stats.connects += 1
            log.info("%s: connected, login sent", self._name())
            self._set_state(Phase.CONNECTED)
            await self._read_loop(link, conn)
            raise AssertionError("the read loop only ends by raising")  # pragma: no cover
        except Dropped as drop:
            graceful = drop.graceful
            outcome = drop.outcome
            if (outcome is Outcome.LOST and drop.server_closed and not conn.received_any
                    and self._clock() - conn.connected_at < self.timing.early_close_window):
                outcome = Outcome.EARLY_CLOSE
            reason = self._scrub(drop.reason)
            if outcome is Outcome.QUIET:
                log.info("%s: %s; refreshing the connection quietly", self._name(), reason)
            else:
                log.info("%s: disconnected: %s", self._name(), reason)
            return outcome, reason, self._was_good(conn)
        except asyncio.CancelledError:
            graceful = False
            raise
        except Exception as exc:  # every failure becomes a reason
            graceful = False
            reason, auth = self._describe(exc)
            outcome = Outcome.AUTH_REJECTED if auth else Outcome.LOST
            if isinstance(exc, (ConnectionResetError, BrokenPipeError)) and not conn.received_any \
                    and self._clock() - conn.connected_at < self.timing.early_close_window:
                outcome = Outcome.EARLY_CLOSE
            if isinstance(exc, _EXPECTED_ERRORS):
                log.info("%s: disconnected: %s", self._name(), reason)
            else:
                log.error("%s: internal error, reconnecting", self._name(), exc_info=True)
            return outcome, reason, self._was_good(conn)
        finally:
            self._link = None
            with contextlib.suppress(Exception):
                await link.close(graceful=graceful)

    def _describe(self, exc: BaseException) -> tuple[str, bool]:
        reason, auth = describe_error(exc, self.timing, self.max_skip)
        return self._scrub(reason), auth

    def _watchdog(self) -> Watchdog:
        return Watchdog(self._suspend_clock, tick=self.timing.watchdog_tick,
                        clock_jump=self.timing.clock_jump, idle_timeout=self.timing.idle_timeout)

    async def _read_loop(self, link: Link, conn: _Connection) -> None:
        watchdog = conn.watchdog
        while True:
            before = link.bytes_received
            try:
                events = await link.receive(watchdog.wait(), self._wall)
            except Dropped as drop:
                for event in drop.events:  # what came in the same read, before the failure
                    await self._handle(event, link, conn)
                raise
            if events is not None:
                watchdog.received()
                self.stats.bytes_received += link.bytes_received - before
                if link.bytes_received > before:
                    conn.received_any = True
                for event in events:
                    await self._handle(event, link, conn)
            verdict = watchdog.check()
            if verdict is not None:
                kind, reason = verdict
                if kind == "idle":
                    raise Dropped(Outcome.QUIET, reason)
                # Asleep: what the socket already holds came before the sleep; pass
                # it on (no waiting), then drop the connection the sleep broke.
                with contextlib.suppress(Dropped):
                    for event in await link.receive(0.0, self._wall) or ():
                        await self._handle(event, link, conn)
                raise Dropped(Outcome.LOST, reason, graceful=False)

    async def _handle(self, event: Event, link: Link, conn: _Connection) -> None:
        self.stats.messages_received += 1
        if isinstance(event, KeepAliveEvent):
            self.stats.keepalives += 1
            reply = keepalive_reply(event)
            if reply is not None:
                await link.send(reply)
            return
        if isinstance(event, ReplyEvent):
            self.stats.replies += 1
        elif isinstance(event, UnknownEvent):
            self.stats.unknown += 1
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s: unknown message (%s): %s", self._name(), event.reason,
                          self._scrub(repr(event.raw))[:500])
        else:
            self.stats.events += 1
            self.stats.last_event_at = event.received_at
            conn.got_event = True
            if log.isEnabledFor(logging.DEBUG):  # full numbers at DEBUG only; never secrets
                log.debug("%s: %s", self._name(), self._scrub(repr(event)))
        try:
            self._on_event(event)
        except Exception:
            log.exception("%s: on_event callback failed for %s", self._name(),
                          type(event).__name__)
        if isinstance(event, ReplyEvent):
            self._check_reply(event, conn)  # after passing it on: a rejection ends the link

    def _check_reply(self, event: ReplyEvent, conn: _Connection) -> None:
        is_login = (event.command or "").lower() in LOGIN_COMMANDS
        in_window = self._clock() - conn.connected_at <= self.timing.auth_reply_window
        message = self._scrub(event.message)[:200]
        # A negative reply soon after the login is a rejection, unless real PBX
        # events already proved the login worked.
        if event.ok is False and (is_login or (in_window and not conn.got_event)):
            raise Dropped(Outcome.AUTH_REJECTED,
                           f"login rejected: {message or 'no reason given'}")
        if event.ok and is_login:
            log.info("%s: login accepted%s", self._name(), f" ({message})" if message else "")
        else:
            log.debug("%s: reply %r ok=%s: %s", self._name(), event.command, event.ok, message)

    def _tap_frame(self, data: bytes | str) -> None:
        if self.on_frame is not None:
            try:
                self.on_frame(data)
            except Exception:  # a capture problem never costs an event
                log.exception("%s: on_frame callback failed", self._name())

    def _on_oversized(self, size: int) -> None:
        self.stats.oversized += 1
        conn = self._conn
        first = conn is not None and not conn.oversized_logged
        if conn is not None:
            conn.oversized_logged = True
        (log.warning if first else log.debug)(
            "%s: skipped a %d-byte message, larger than the %s limit%s", self._name(), size,
            size_text(self.max_frame), " (logged once per connection)" if first else "")

    def _on_garbage(self, sample: str) -> None:
        self.stats.garbage += 1
        conn = self._conn
        if conn is not None and conn.garbage_logged:
            return
        if conn is not None:
            conn.garbage_logged = True
        log.warning("%s: skipped data that is not JSON (logged once per connection): %r",
                    self._name(), mask_digits(self._scrub(sample))[:120])

    def _scrub(self, text: str) -> str:
        return scrub(text, (*self._credentials.secrets(), self._resolved_token))

    def _set_state(self, phase: Phase, reason: str | None = None, *,
                   retry_in: float | None = None) -> None:
        state = ConnectionState(phase, reason=reason, retry_in=retry_in,
                                endpoint=self.endpoint.describe(),
                                attempt=self._policy.failed_attempts,
                                connection=self.stats.connects)
        if state == self.state:
            return
        changed = state.phase is not self.state.phase
        self.state = state
        (log.info if changed else log.debug)("%s: %s", self.label, state.describe())
        try:
            self._on_state(state)
        except Exception:
            log.exception("%s: on_state callback failed", self._name())

    # -- per-channel parts --------------------------------------------------------

    async def _login(self) -> dict[str, str]:
        return login_message(self.flavor, self.transport, self._credentials)

    @abc.abstractmethod
    async def _open(self) -> Link: ...


