"""The four real-time event channels: Bulut/Tekil over TCP/WebSocket.

One :class:`EventChannel` per documented channel (digest §1), all producing
the typed events of :mod:`desktop.pbx.events`:

* :class:`BulutTcpChannel`: ``185.86.152.197:8990``, sends
  ``{"type":"handshake","domainUuid":…}``;
* :class:`BulutWebSocketChannel`: ``wss://wss.kobipbx.com``, sends
  ``{"type":"kobipbx_tenant","domainUuid":…}``;
* :class:`TekilTcpChannel`: ``93.186.116.95:57000``, sends
  ``{"cmd":"login","apikey":…}``;
* :class:`TekilWebSocketChannel`: ``wss://api.kobikom.com.tr:8098`` (``ws://…:8088``
  without TLS), sends ``{"command":"login","password"|"token":…,"crm_id":…}``.

Every host, port and TLS choice comes from the :class:`~desktop.pbx.connection.Endpoint`;
TLS is always verified (system CAs plus the endpoint's optional CA file).

Usage::

    channel = open_channel(Flavor.BULUT, Transport.TCP, None, Credentials(domain_uuid=...),
                           on_event=tracker.feed, on_state=bridge.show_state)
    task = asyncio.create_task(channel.run())   # forever, until cancelled
    channel.kick()                              # on resume / network change
    task.cancel()                               # -> DISCONNECTED

``run()`` owns the whole life of the connection: connect, send the login,
read, and after any failure wait (see :mod:`desktop.pbx.backoff`) and start
again.  The state goes to ``on_state`` as a
:class:`~desktop.pbx.connection.ConnectionState` whose reason is plain
English; events go to ``on_event``.  Both callbacks are plain functions
called on the event loop; an exception in one is logged, never fatal.

What is parsed where (sans-I/O): bytes are framed by
:class:`~desktop.pbx.framing.JsonStreamDecoder`, JSON values become events
through :func:`events_from_value` / :func:`events_from_text`; the login
messages (:func:`login_message`), keep-alive answers
(:func:`keepalive_reply`), error and close-code wording
(:func:`describe_error`, :func:`describe_close`) and the reconnect policy
(:class:`~desktop.pbx.backoff.ReconnectPolicy`) are pure functions/classes.
Only the ``_…Link`` classes touch sockets.

Dead and half-open connections:

* WebSocket: protocol pings every ``ping_interval`` s; no pong within
  ``ping_timeout`` s drops the connection.  Bulut's docs say "'ping' messages
  are sent and expected regularly" without a format, so an application-level
  ``ping`` (text or JSON) from the server is also answered with a ``pong``
  of the same kind.
* TCP: neither TCP service documents an application-level ping, so we
  cannot send one.  Instead an **idle timeout** (``idle_timeout``, 90 s of
  no bytes at all) drops and reconnects, and the OS TCP keep-alive
  (SO_KEEPALIVE, 30 s idle, 10 s interval, 3 probes where the platform lets
  us set them) catches a peer that vanished.  A quiet but healthy TCP line is
  therefore re-established every 90 s; the reconnect takes one round trip.
* Sleep/resume: a watchdog compares the monotonic clock with the wall clock
  (and notices the event loop having been frozen); a jump of more than
  ``clock_jump`` s drops the connection.  The application should also call
  :meth:`EventChannel.kick` when the OS reports a resume or a network change.

Authentication failures (login replies are undocumented): an explicit
negative :class:`~desktop.pbx.events.ReplyEvent` to the login, or any
negative reply within ``auth_reply_window`` s of it; a WebSocket close with
code 1008, 4001, 4003, 4401 or 4403 (or HTTP 401/403 on the upgrade); and,
heuristically, the server hanging up within ``early_close_window`` s of the
login without sending a byte, three times in a row.  Bulut's TCP service
may just stay silent for an unknown ``domainUuid`` (domain matching is done
per message); that cannot be told from a quiet line.

Secrets (API key, JWT, domain UUID) are passed in :class:`Credentials`, never
appear in a ``repr``, a log line or a state reason (server messages are
scrubbed of them), and events are logged at DEBUG only.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import errno
import json
import logging
import random
import socket
import ssl
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Final

from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import (
    ConnectionClosed,
    InvalidStatus,
    InvalidURI,
    WebSocketException,
)

from desktop.pbx.backoff import (
    AUTH_BACKOFF,
    MIN_ATTEMPT_SPACING,
    NETWORK_BACKOFF,
    BackoffSettings,
    Outcome,
    ReconnectPolicy,
)
from desktop.pbx.connection import (
    ConnectionState,
    Endpoint,
    Flavor,
    Phase,
    Transport,
    default_endpoint,
)
from desktop.pbx.errors import AuthError, ChannelError, NotConnectedError, PbxError
from desktop.pbx.events import (
    Event,
    KeepAliveEvent,
    ReplyEvent,
    UnknownEvent,
    parse_message,
    parse_text,
)
from desktop.pbx.framing import (
    DEFAULT_MAX_FRAME,
    FrameTooLargeError,
    JsonStreamDecoder,
    encode_frame,
)
from desktop.pbx.redact import mask_digits, scrub

log = logging.getLogger("kobikom.pbx.channel")

#: WebSocket close codes that mean "your credentials were not accepted".
AUTH_CLOSE_CODES: Final = frozenset({1008, 4001, 4003, 4401, 4403})
#: Reply ``command`` values that answer our login/handshake.
LOGIN_COMMANDS: Final = frozenset({"login", "handshake", "kobipbx_tenant", "auth"})
USER_AGENT: Final = "kobikom-desktop"

EventCallback = Callable[[Event], None]
StateCallback = Callable[[ConnectionState], None]
#: Raw-frame tap (``desktop.pbx.capture``): a TCP read (bytes) or a WebSocket
#: message (str, or bytes for a binary one), as received, before decoding.
FrameCallback = Callable[[bytes | str], None]
TokenProvider = Callable[[], Awaitable[str]]


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a channel logs in with.  Only the fields of its channel are used.

    * Bulut TCP and WebSocket: ``domain_uuid``.
    * Tekil TCP: ``api_key``.
    * Tekil WebSocket: ``token`` or ``token_provider`` (the panel JWT; the
      provider is awaited before every connection so a fresh JWT is used),
      else ``api_key``; plus ``crm_id`` (meaning undocumented; sent as given).
    """

    domain_uuid: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    token_provider: TokenProvider | None = field(default=None, repr=False, compare=False)
    crm_id: str = ""

    def __repr__(self) -> str:
        present = [name for name in ("domain_uuid", "api_key", "token", "token_provider")
                   if getattr(self, name)]
        return f"Credentials(<{', '.join(present) or 'empty'} hidden>, crm_id={self.crm_id!r})"

    __str__ = __repr__

    def secrets(self) -> tuple[str, ...]:
        """The secret strings, for scrubbing server messages."""
        return tuple(s for s in (self.domain_uuid, self.api_key, self.token) if s)


@dataclass(frozen=True, slots=True)
class ChannelTiming:
    """Every timeout of a channel, in seconds.  Tests shrink them."""

    #: TCP connect (+ TLS) / WebSocket opening handshake.
    connect_timeout: float = 10.0
    #: Writing the login or a command.
    write_timeout: float = 10.0
    #: TCP only: no byte at all for this long drops the connection.  ``None``
    #: disables it (WebSocket channels use pings instead).
    idle_timeout: float | None = 90.0
    #: WebSocket protocol pings.
    ping_interval: float | None = 20.0
    ping_timeout: float | None = 20.0
    #: WebSocket closing handshake.
    close_timeout: float = 2.0
    #: A connection that stays up this long is "good" (backoff starts over).
    stable_after: float = 30.0
    #: A negative reply within this window after the login is a rejection.
    auth_reply_window: float = 10.0
    #: The server hanging up this soon after the login, silently, is suspicious.
    early_close_window: float = 5.0
    #: How often the watchdog looks at the idle timer and the clocks.
    watchdog_tick: float = 5.0
    #: Wall clock vs monotonic clock disagreement that means "we slept".
    clock_jump: float = 15.0
    #: OS TCP keep-alive (seconds idle, seconds between probes, probes).
    keepalive_idle: int = 30
    keepalive_interval: int = 10
    keepalive_count: int = 3

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "write_timeout", "close_timeout", "stable_after",
                     "watchdog_tick", "clock_jump", "early_close_window", "auth_reply_window"):
            if not getattr(self, name) > 0:
                raise ValueError(f"ChannelTiming.{name} must be positive")
        for name in ("idle_timeout", "ping_interval", "ping_timeout"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"ChannelTiming.{name} must be positive or None")

    def for_websocket(self) -> ChannelTiming:
        """WebSocket channels rely on pings, not on an idle timer."""
        return replace(self, idle_timeout=None)


@dataclass(slots=True)
class ChannelStats:
    """Counters since the channel was created (``channel.stats``)."""

    attempts: int = 0
    connects: int = 0
    #: PBX events passed to ``on_event`` (calls, extensions, agents, ...).
    events: int = 0
    replies: int = 0
    keepalives: int = 0
    #: Messages we could not make sense of (``UnknownEvent``).
    unknown: int = 0
    #: Regions of non-JSON garbage skipped on TCP.
    garbage: int = 0
    auth_failures: int = 0
    bytes_received: int = 0
    messages_received: int = 0
    last_event_at: float | None = None


# ---------------------------------------------------------------- sans-I/O helpers


def login_message(flavor: Flavor, transport: Transport, credentials: Credentials,
                  *, token: str | None = None) -> dict[str, str]:
    """The documented login/handshake message of a channel (digest §9.2 #10).

    ``token`` is the resolved JWT for Tekil WebSocket logins (from
    ``credentials.token`` or its provider).  Raises ``ValueError`` when the
    credential the channel needs is missing.
    """
    if flavor is Flavor.BULUT:
        if not credentials.domain_uuid:
            raise ValueError("Bulut Santral event channels need the domain UUID")
        kind = "handshake" if transport is Transport.TCP else "kobipbx_tenant"
        return {"type": kind, "domainUuid": credentials.domain_uuid}
    if transport is Transport.TCP:
        if not credentials.api_key:
            raise ValueError("the Tekil Santral TCP socket needs the panel API key")
        return {"cmd": "login", "apikey": credentials.api_key}
    token = token or credentials.token
    if token:
        return {"command": "login", "token": token, "crm_id": credentials.crm_id}
    if credentials.api_key:
        return {"command": "login", "password": credentials.api_key, "crm_id": credentials.crm_id}
    raise ValueError("the Tekil Santral WebSocket needs the panel API key or a token")


def check_credentials(flavor: Flavor, transport: Transport, credentials: Credentials) -> None:
    """Raise ``ValueError`` when ``credentials`` lack what the channel logs in with."""
    if flavor is Flavor.TEKIL and transport is Transport.WS:
        if not (credentials.token or credentials.token_provider or credentials.api_key):
            raise ValueError("the Tekil Santral WebSocket needs the panel API key or a token")
        return
    login_message(flavor, transport, credentials)


def events_from_value(value: Any, received_at: float) -> list[Event]:
    """One decoded JSON value -> events; a top-level array is a batch of events."""
    if isinstance(value, list):
        return [parse_message(item, received_at=received_at) for item in value]
    return [parse_message(value, received_at=received_at)]


def events_from_text(text: str, received_at: float) -> list[Event]:
    """One WebSocket text message -> events (arrays expanded, bare ``ping`` kept)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # parse_text words it (and keeps a bare "ping")
        return [parse_text(text, received_at=received_at)]
    return events_from_value(value, received_at)


_NAME_KEYS = ("event", "Event", "type", "eventName", "event_type")


def keepalive_reply(event: KeepAliveEvent) -> str | dict[str, Any] | None:
    """The answer to a server's application-level ``ping``, in the same form.

    ``"ping"`` -> ``"pong"``; ``{"type": "ping", "id": 7}`` ->
    ``{"type": "pong", "id": 7}``.  Pongs and heartbeats get no answer.
    """
    raw = event.raw
    if isinstance(raw, str):
        return "pong" if raw.strip().lower() == "ping" else None
    if isinstance(raw, Mapping):
        for key in _NAME_KEYS:
            value = raw.get(key)
            if isinstance(value, str) and value.strip().lower() == "ping":
                return {**raw, key: "pong"}
    return None


def _size_text(size: int) -> str:
    if size >= 1 << 20 and size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size >= 1 << 10 and size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size} bytes"


def describe_close(exc: ConnectionClosed, timing: ChannelTiming,
                   max_frame: int = DEFAULT_MAX_FRAME) -> tuple[str, bool]:
    """Plain-English reason for a closed WebSocket, and whether it means "auth failed"."""
    if exc.sent is not None and exc.rcvd is None:
        code = exc.sent.code
        if code == 1009:
            return f"frame larger than {_size_text(max_frame)}", False
        if code == 1011 and "keepalive" in exc.sent.reason:
            return (f"no answer to ping within {timing.ping_timeout or 0:g} s "
                    "(half-open connection?)"), False
    if exc.rcvd is None:
        return "connection lost", False
    code, text = exc.rcvd.code, exc.rcvd.reason
    detail = f"code {code}" + (f": {text}" if text else "")
    if code in AUTH_CLOSE_CODES:
        return f"login rejected: the server closed the connection ({detail})", True
    if code == 1009:
        return f"the server found our message too large ({detail})", False
    if code in (1000, 1001, 1005):
        return "server closed the connection" + (f" ({detail})" if text else ""), False
    return f"server closed the connection ({detail})", False


def describe_error(exc: BaseException, timing: ChannelTiming | None = None,
                   max_frame: int = DEFAULT_MAX_FRAME) -> tuple[str, bool]:
    """Plain-English reason for a connection failure, and whether it means "auth failed"."""
    if isinstance(exc, AuthError):
        return exc.message, True
    if isinstance(exc, PbxError):
        return exc.message, False
    if isinstance(exc, FrameTooLargeError):
        return f"frame larger than {_size_text(exc.limit)}", False
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or exc.reason or str(exc)
        return f"TLS certificate not trusted: {detail}", False
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed: {exc.reason or exc}", False
    if isinstance(exc, ConnectionClosed):
        return describe_close(exc, timing or ChannelTiming(), max_frame)
    if isinstance(exc, InvalidStatus):
        status = exc.response.status_code
        if status in (401, 403):
            return f"login rejected: the server refused the WebSocket (HTTP {status})", True
        return f"the server refused the WebSocket (HTTP {status})", False
    if isinstance(exc, InvalidURI):
        return f"bad WebSocket address: {exc}", False
    if isinstance(exc, WebSocketException):
        return f"WebSocket handshake failed: {exc}", False
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused", False
    if isinstance(exc, socket.gaierror):
        return f"server name not found ({exc.strerror or exc})", False
    if isinstance(exc, TimeoutError):
        return "connection timed out", False
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server", False
    if isinstance(exc, (BrokenPipeError, ConnectionAbortedError)):
        return "connection lost", False
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return f"cannot read {exc.filename}: {exc.strerror}", False
    if isinstance(exc, OSError):
        if exc.errno == errno.ENETUNREACH:
            return "network unreachable", False
        if exc.errno == errno.EHOSTUNREACH:
            return "server unreachable", False
        return f"network error: {exc.strerror or exc}", False
    return f"unexpected error: {type(exc).__name__}: {exc}", False


def set_tcp_keepalive(sock: Any, *, idle: int, interval: int, count: int) -> bool:
    """Turn on OS TCP keep-alive with our timings where the platform allows it.

    Returns False when even SO_KEEPALIVE could not be set (never raises).
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    except (OSError, AttributeError):
        return False
    options = (("TCP_KEEPIDLE", idle), ("TCP_KEEPINTVL", interval), ("TCP_KEEPCNT", count))
    if sys.platform == "darwin":  # macOS calls the idle time TCP_KEEPALIVE
        options = (("TCP_KEEPALIVE", idle), *options[1:])
    for name, value in options:
        opt = getattr(socket, name, None)
        if opt is None:
            continue
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, opt, value)
    if sys.platform == "win32" and hasattr(sock, "ioctl"):
        with contextlib.suppress(OSError, ValueError):
            sock.ioctl(socket.SIO_KEEPALIVE_VALS, (1, idle * 1000, interval * 1000))  # type: ignore[attr-defined,unused-ignore]
    return True


# ---------------------------------------------------------------- links (the I/O)


class _Dropped(Exception):
    """Ends one connection; carries the outcome for the reconnect policy."""

    def __init__(self, outcome: Outcome, reason: str, *, server_closed: bool = False,
                 graceful: bool = True) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason
        #: The server ended it (EOF, close frame, reset): may be an early close.
        self.server_closed = server_closed
        #: Say goodbye politely, or just abort (the peer is probably gone).
        self.graceful = graceful


class _Link(abc.ABC):
    """One open connection: send messages, receive events."""

    bytes_received = 0
    #: Sees every received frame before it is decoded (the channel's ``on_frame``).
    tap: FrameCallback | None = None

    @abc.abstractmethod
    async def send(self, message: Any) -> None: ...

    @abc.abstractmethod
    async def receive(self, wait: float, received_at: Callable[[], float]) -> list[Event] | None:
        """Events that arrived (maybe none), ``None`` on timeout; raises ``_Dropped``."""

    @abc.abstractmethod
    async def close(self, *, graceful: bool) -> None: ...


class _TcpLink(_Link):
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 decoder: JsonStreamDecoder, timing: ChannelTiming) -> None:
        self._reader = reader
        self._writer = writer
        self._decoder = decoder
        self._timing = timing

    async def send(self, message: Any) -> None:
        self._writer.write(encode_frame(message))
        async with asyncio.timeout(self._timing.write_timeout):
            await self._writer.drain()

    async def receive(self, wait: float, received_at: Callable[[], float]) -> list[Event] | None:
        try:
            async with asyncio.timeout(wait):
                data = await self._reader.read(65536)
        except TimeoutError:
            return None
        if not data:
            raise _Dropped(Outcome.LOST, "server closed the connection", server_closed=True)
        self.bytes_received += len(data)
        if self.tap is not None:
            self.tap(data)
        try:
            values = self._decoder.feed(data)
        except FrameTooLargeError as exc:
            raise _Dropped(Outcome.LOST, describe_error(exc)[0], graceful=False) from exc
        now = received_at()
        return [event for value in values for event in events_from_value(value, now)]

    async def close(self, *, graceful: bool) -> None:
        if not graceful:
            self._writer.transport.abort()
        self._writer.close()
        try:
            async with asyncio.timeout(1.0):
                await self._writer.wait_closed()
        except (OSError, ssl.SSLError, TimeoutError):
            self._writer.transport.abort()
        except asyncio.CancelledError:  # cancelled again while closing: never leak it
            self._writer.transport.abort()
            raise


class _WebSocketLink(_Link):
    def __init__(self, ws: ClientConnection, timing: ChannelTiming, max_frame: int) -> None:
        self._ws = ws
        self._timing = timing
        self._max_frame = max_frame

    async def send(self, message: Any) -> None:
        text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
        async with asyncio.timeout(self._timing.write_timeout):
            await self._ws.send(text)

    async def receive(self, wait: float, received_at: Callable[[], float]) -> list[Event] | None:
        try:
            async with asyncio.timeout(wait):
                data = await self._ws.recv()  # cancelling recv() loses nothing
        except TimeoutError:
            return None
        except ConnectionClosed as exc:
            reason, auth = describe_close(exc, self._timing, self._max_frame)
            outcome = Outcome.AUTH_REJECTED if auth else Outcome.LOST
            raise _Dropped(outcome, reason, server_closed=exc.rcvd is not None) from exc
        if self.tap is not None:
            self.tap(data)
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        self.bytes_received += len(data)
        return events_from_text(text, received_at())

    async def close(self, *, graceful: bool) -> None:
        if not graceful:
            self._ws.transport.abort()
        try:
            async with asyncio.timeout(self._timing.close_timeout + 1.0):
                await self._ws.close()
        except TimeoutError:
            self._ws.transport.abort()
        except asyncio.CancelledError:  # cancelled again while closing: never leak it
            self._ws.transport.abort()
            raise


# ---------------------------------------------------------------- the channels


@dataclass(slots=True)
class _Connection:
    """Book-keeping of the current connection (monotonic times)."""

    connected_at: float
    last_rx: float
    check_mono: float
    check_wall: float
    received_any: bool = False
    got_event: bool = False
    garbage_logged: bool = False


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
            decoding (a capture, :mod:`desktop.pbx.capture`).  Also settable
            as the attribute :attr:`on_frame` before :meth:`run`.

    Injectable for tests: ``clock`` (monotonic seconds), ``wall_clock``
    (``time.time``), ``sleep`` (used for the backoff waits only), ``rng``.
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
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
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
        self._clock = clock
        self._wall = wall_clock
        self._sleep = sleep
        self._policy = ReconnectPolicy(network=backoff, auth=auth_backoff, rng=rng)
        self.stats = ChannelStats()
        self.state = ConnectionState(Phase.DISCONNECTED, endpoint=endpoint.describe())
        self._link: _Link | None = None
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
        now = self._clock()
        conn = _Connection(connected_at=now, last_rx=now, check_mono=now, check_wall=self._wall())
        try:
            self._link = link
            link.tap = self._tap_frame
            await link.send(login)
            conn.connected_at = conn.last_rx = conn.check_mono = self._clock()
            conn.check_wall = self._wall()
            self._conn = conn
            self.stats.connects += 1
            log.info("%s: connected, login sent", self._name())
            self._set_state(Phase.CONNECTED)
            await self._read_loop(link, conn)
            raise AssertionError("the read loop only ends by raising")  # pragma: no cover
        except _Dropped as drop:
            graceful = drop.graceful
            outcome = drop.outcome
            if (outcome is Outcome.LOST and drop.server_closed and not conn.received_any
                    and self._clock() - conn.connected_at < self.timing.early_close_window):
                outcome = Outcome.EARLY_CLOSE
            reason = self._scrub(drop.reason)
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
        reason, auth = describe_error(exc, self.timing, self.max_frame)
        return self._scrub(reason), auth

    async def _read_loop(self, link: _Link, conn: _Connection) -> None:
        tick = self.timing.watchdog_tick
        if self.timing.idle_timeout is not None:
            tick = min(tick, self.timing.idle_timeout / 3)
        while True:
            before = link.bytes_received
            events = await link.receive(tick, self._wall)
            if events is not None:
                conn.last_rx = self._clock()
                self.stats.bytes_received += link.bytes_received - before
                if link.bytes_received > before:
                    conn.received_any = True
                for event in events:
                    await self._handle(event, link, conn)
            problem = self._watchdog(conn)
            if problem is not None:
                raise _Dropped(Outcome.LOST, problem, graceful=False)

    def _watchdog(self, conn: _Connection) -> str | None:
        mono, wall = self._clock(), self._wall()
        d_mono, d_wall = mono - conn.check_mono, wall - conn.check_wall
        conn.check_mono, conn.check_wall = mono, wall
        jump = self.timing.clock_jump
        if abs(d_wall - d_mono) > jump:
            return (f"the clock jumped by {d_wall - d_mono:+.0f} s "
                    "(resumed from sleep?); reconnecting")
        if d_mono > self.timing.watchdog_tick + jump:
            return f"the app was frozen for {d_mono:.0f} s (resumed from sleep?); reconnecting"
        idle = self.timing.idle_timeout
        if idle is not None and mono - conn.last_rx >= idle:
            return f"no data for {idle:g} s (half-open connection?)"
        return None

    async def _handle(self, event: Event, link: _Link, conn: _Connection) -> None:
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
            raise _Dropped(Outcome.AUTH_REJECTED,
                           f"login rejected: {message or 'no reason given'}")
        if event.ok and is_login:
            log.info("%s: login accepted%s", self._name(), f" ({message})" if message else "")
        else:
            log.debug("%s: reply %r ok=%s: %s", self._name(), event.command, event.ok, message)

    def _tap_frame(self, data: bytes | str) -> None:
        if self.on_frame is not None:
            try:
                self.on_frame(data)
            except Exception:
                log.exception("%s: on_frame callback failed", self._name())

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
                                attempt=self._policy.failed_attempts)
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
    async def _open(self) -> _Link: ...


class _TcpChannel(EventChannel):
    transport = Transport.TCP

    async def _open(self) -> _Link:
        ctx = self.endpoint.ssl_context()
        async with asyncio.timeout(self.timing.connect_timeout):
            reader, writer = await asyncio.open_connection(
                self.endpoint.host, self.endpoint.port, ssl=ctx,
                server_hostname=self.endpoint.host if ctx else None)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            set_tcp_keepalive(sock, idle=self.timing.keepalive_idle,
                              interval=self.timing.keepalive_interval,
                              count=self.timing.keepalive_count)
        decoder = JsonStreamDecoder(max_frame=self.max_frame, on_garbage=self._on_garbage)
        return _TcpLink(reader, writer, decoder, self.timing)


class _WebSocketChannel(EventChannel):
    transport = Transport.WS

    def __init__(self, endpoint: Endpoint, credentials: Credentials, *,
                 timing: ChannelTiming | None = None, **kwargs: Any) -> None:
        super().__init__(endpoint, credentials, timing=(timing or ChannelTiming()).for_websocket(),
                         **kwargs)

    async def _open(self) -> _Link:
        options: dict[str, Any] = {}
        ctx = self.endpoint.ssl_context()
        if ctx is not None:
            options["ssl"] = ctx
        ws = await ws_connect(
            self.endpoint.url(),
            open_timeout=self.timing.connect_timeout,
            ping_interval=self.timing.ping_interval,
            ping_timeout=self.timing.ping_timeout,
            close_timeout=self.timing.close_timeout,
            max_size=self.max_frame,
            user_agent_header=USER_AGENT,
            **options,
        )
        sock = ws.transport.get_extra_info("socket")
        if sock is not None:
            set_tcp_keepalive(sock, idle=self.timing.keepalive_idle,
                              interval=self.timing.keepalive_interval,
                              count=self.timing.keepalive_count)
        return _WebSocketLink(ws, self.timing, self.max_frame)


class BulutTcpChannel(_TcpChannel):
    """KobiPBX (Bulut Santral) TCP service: ``{"type":"handshake","domainUuid":…}``."""

    flavor = Flavor.BULUT
    label = "bulut-tcp"


class BulutWebSocketChannel(_WebSocketChannel):
    """KobiPBX (Bulut Santral) WebSocket: ``{"type":"kobipbx_tenant","domainUuid":…}``."""

    flavor = Flavor.BULUT
    label = "bulut-ws"


class TekilTcpChannel(_TcpChannel):
    """Tekil Santral TCP socket: ``{"cmd":"login","apikey":…}``."""

    flavor = Flavor.TEKIL
    label = "tekil-tcp"


class TekilWebSocketChannel(_WebSocketChannel):
    """Tekil Santral WebSocket: ``login`` with the API key or the panel JWT.

    Also carries call-control commands (:meth:`send_command`).
    """

    flavor = Flavor.TEKIL
    label = "tekil-ws"

    async def _login(self) -> dict[str, str]:
        creds = self._credentials
        token = creds.token
        if creds.token_provider is not None:
            token = await creds.token_provider()
        self._resolved_token = token
        return login_message(self.flavor, self.transport, creds, token=token)

    async def send_command(self, command: Mapping[str, Any]) -> None:
        """Send ``command`` (e.g. ``{"command": "originate", ...}``) now.

        Raises :class:`~desktop.pbx.errors.NotConnectedError` when there is no
        live, logged-in connection (nothing was sent), and a
        :class:`~desktop.pbx.errors.ChannelError` with ``may_have_reached_server``
        when the connection failed while sending.  Nothing is ever queued for
        later: an originate/hangup sent minutes late would be worse than an error.
        """
        name = str(command.get("command", "?"))
        link = self._link
        if link is None or self.state.phase is not Phase.CONNECTED:
            raise NotConnectedError(
                f"{name!r} not sent: not connected to {self.endpoint.describe()} "
                f"({self.state.describe()})")
        try:
            await link.send(dict(command))
        except (ConnectionClosed, OSError, TimeoutError) as exc:
            # The frame was handed to the transport before the write/drain failed:
            # the server may have received it.  Never "not sent": the caller must
            # not send the same effect again another way (e.g. a REST dial).
            raise ChannelError(
                f"{name!r} may have been sent: the connection to "
                f"{self.endpoint.describe()} failed while sending "
                f"({self._describe(exc)[0]})", may_have_reached_server=True) from exc
        log.info("%s: sent %r command", self._name(), name)


CHANNEL_CLASSES: Final[dict[tuple[Flavor, Transport], type[EventChannel]]] = {
    (Flavor.BULUT, Transport.TCP): BulutTcpChannel,
    (Flavor.BULUT, Transport.WS): BulutWebSocketChannel,
    (Flavor.TEKIL, Transport.TCP): TekilTcpChannel,
    (Flavor.TEKIL, Transport.WS): TekilWebSocketChannel,
}


def open_channel(
    flavor: Flavor,
    transport: Transport,
    endpoint: Endpoint | None,
    credentials: Credentials,
    *,
    on_event: EventCallback,
    on_state: StateCallback,
    **options: Any,
) -> EventChannel:
    """Build the channel for ``flavor``/``transport`` (not started: ``await ch.run()``).

    ``endpoint=None`` means the documented default (:mod:`desktop.pbx.connection`).
    ``options`` are the keyword arguments of :class:`EventChannel` (``on_frame``, ``timing``,
    ``backoff``, ``auth_backoff``, ``max_frame``, ``clock``, ``wall_clock``,
    ``sleep``, ``rng``).  Raises ``ValueError`` when ``credentials`` lack what
    the channel logs in with.
    """
    cls = CHANNEL_CLASSES[(flavor, transport)]
    return cls(endpoint or default_endpoint(flavor, transport), credentials,
               on_event=on_event, on_state=on_state, **options)
