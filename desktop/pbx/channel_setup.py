"""What an event channel is set up with, and the sans-I/O parts of its protocol.

* :class:`Credentials` (never in a ``repr`` or a log), :class:`ChannelTiming`
  (every timeout, with :meth:`ChannelTiming.scaled` for tests and the soak
  run), :class:`ChannelStats`;
* the documented login/handshake messages (:func:`login_message`);
* JSON values and WebSocket texts to events (:func:`events_from_value`,
  :func:`events_from_text`), answers to the server's application pings
  (:func:`keepalive_reply`);
* failures in plain English for the tray (:func:`describe_error`,
  :func:`describe_close`).

Nothing here touches a socket; :mod:`desktop.pbx.links` does, and
:mod:`desktop.pbx.channels` runs the connection.
"""

from __future__ import annotations

import errno
import json
import math
import os
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Final

from websockets.exceptions import (
    ConnectionClosed,
    InvalidStatus,
    InvalidURI,
    WebSocketException,
)

from desktop.pbx.connection import ConnectionState, Flavor, Transport
from desktop.pbx.errors import AuthError, PbxError
from desktop.pbx.events import Event, KeepAliveEvent, parse_message, parse_text
from desktop.pbx.framing import DEFAULT_MAX_FRAME, FrameTooLargeError

#: WebSocket close codes that mean "your credentials were not accepted".
AUTH_CLOSE_CODES: Final = frozenset({1008, 4001, 4003, 4401, 4403})
#: Reply ``command`` values that answer our login/handshake.
LOGIN_COMMANDS: Final = frozenset({"login", "handshake", "kobipbx_tenant", "auth"})
USER_AGENT: Final = "kobikom-desktop"

#: Environment knob: every waiting timeout of the line (idle, watchdog, pings,
#: gap-filling intervals) multiplied by this factor, e.g. ``0.02`` makes ten
#: minutes of a quiet line pass in twelve seconds.  For tests and soak runs.
TIME_SCALE_ENV: Final = "KOBIKOM_LINE_TIME_SCALE"

EventCallback = Callable[[Event], None]
StateCallback = Callable[[ConnectionState], None]
#: Raw-frame tap: a TCP read (bytes) or a WebSocket message (str, or bytes for
#: a binary one), as received, before decoding.
FrameCallback = Callable[[bytes | str], None]
TokenProvider = Callable[[], Awaitable[str]]


def time_scale(environ: Mapping[str, str] | None = None) -> float:
    """The ``KOBIKOM_LINE_TIME_SCALE`` factor (1.0 when unset or not in (0, 1])."""
    text = (os.environ if environ is None else environ).get(TIME_SCALE_ENV, "").strip()
    if not text:
        return 1.0
    try:
        value = float(text)
    except ValueError:
        return 1.0
    return value if math.isfinite(value) and 0 < value <= 1 else 1.0


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
    #: TCP only: no byte at all for this long (awake time) and the connection
    #: is refreshed, quietly (see :mod:`desktop.pbx.channels`).  ``None``
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
    #: How often the watchdog looks at the clocks (:mod:`desktop.pbx.watchdog`
    #: says why 10 s: a resume is noticed within it; an idle app wakes 0.1/s).
    watchdog_tick: float = 10.0
    #: Time asleep (suspend clock minus awake clock) that means "reconnect".
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

    def scaled(self, factor: float) -> ChannelTiming:
        """The waiting timeouts multiplied by *factor* (connect/write/close stay real)."""
        if factor == 1.0:
            return self
        changes: dict[str, Any] = {}
        for f in fields(self):
            if f.name in _SCALED:
                value = getattr(self, f.name)
                changes[f.name] = None if value is None else value * factor
        return replace(self, **changes)


#: The timeouts :meth:`ChannelTiming.scaled` shrinks.
_SCALED: Final = frozenset({"idle_timeout", "ping_interval", "ping_timeout", "stable_after",
                            "watchdog_tick", "clock_jump"})


def line_timing(environ: Mapping[str, str] | None = None) -> ChannelTiming:
    """The app's timing: the defaults, scaled by ``KOBIKOM_LINE_TIME_SCALE``."""
    return ChannelTiming().scaled(time_scale(environ))


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
    #: Frames larger than ``max_frame`` that were skipped.
    oversized: int = 0
    #: Quiet lines refreshed without telling anyone (see the channels module).
    quiet_refreshes: int = 0
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


def size_text(size: int) -> str:
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
            return f"frame larger than {size_text(max_frame)}", False
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
    if isinstance(exc, FrameTooLargeError):  # a frame that never ended (oversized: skipped)
        return f"frame larger than {size_text(exc.limit)}", False
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

