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
(:func:`describe_error`, :func:`describe_close`) live in
:mod:`desktop.pbx.channel_setup`; the reconnect policy
(:class:`~desktop.pbx.backoff.ReconnectPolicy`) and the sleep/quiet-line
watchdog (:mod:`desktop.pbx.watchdog`) are pure classes.  Only the links of
:mod:`desktop.pbx.links` touch sockets; every received frame passes
``Link.received_frame`` (the raw-frame tap, ``on_frame``) before decoding.

Dead and half-open connections:

* WebSocket: protocol pings every ``ping_interval`` s; no pong within
  ``ping_timeout`` s drops the connection.  Bulut's docs say "'ping' messages
  are sent and expected regularly" without a format, so an application-level
  ``ping`` (text or JSON) from the server is also answered with a ``pong``
  of the same kind.
* TCP: neither TCP service documents an application-level ping, so we
  cannot send one.  The OS TCP keep-alive (SO_KEEPALIVE, 30 s idle, 10 s
  interval, 3 probes where the platform lets us set them) catches a peer
  that vanished: that is a visible loss.  A line that is merely **quiet**
  (``idle_timeout``, 90 s without a byte: normal, the server sends nothing
  while nothing happens) is refreshed *quietly*: the connection is closed
  and opened again at once, and nobody is told (no state change, so no tray
  flicker and no history fetch) unless the new connection fails.  Each
  quiet connection gets a new :attr:`ConnectionState.connection` number, so
  who cares (the call-history gap filler) can tell.
* Sleep/resume: the watchdog (:mod:`desktop.pbx.watchdog`) measures time
  asleep with a clock that runs on during a suspend against one that does
  not (``CLOCK_BOOTTIME`` vs ``CLOCK_MONOTONIC`` on Linux); more than
  ``clock_jump`` s asleep drops the connection.  A busy event loop is never
  taken for a sleep.  The application should also call
  :meth:`EventChannel.kick` when the OS reports a resume or a network change.
* Oversized frames (more than ``max_frame``, 1 MiB) are skipped and counted
  (``stats.oversized``); the events after them arrive.  Only a frame that
  never ends (``max_skip``, 16 MiB) resets the connection.

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

import asyncio
from collections.abc import Mapping
from typing import Any, Final

from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from desktop.pbx.channel_setup import (
    AUTH_CLOSE_CODES,
    LOGIN_COMMANDS,
    USER_AGENT,
    ChannelStats,
    ChannelTiming,
    Credentials,
    EventCallback,
    FrameCallback,
    StateCallback,
    TokenProvider,
    check_credentials,
    describe_close,
    describe_error,
    events_from_text,
    events_from_value,
    keepalive_reply,
    line_timing,
    login_message,
)
from desktop.pbx.connection import Endpoint, Flavor, Phase, Transport, default_endpoint
from desktop.pbx.errors import ChannelError, NotConnectedError
from desktop.pbx.event_channel import EventChannel, log
from desktop.pbx.framing import JsonStreamDecoder
from desktop.pbx.links import Link, TcpLink, WebSocketLink, set_tcp_keepalive

__all__ = [  # the names other modules import from here (the split kept them)
    "AUTH_CLOSE_CODES", "CHANNEL_CLASSES", "LOGIN_COMMANDS", "USER_AGENT", "BulutTcpChannel",
    "BulutWebSocketChannel", "ChannelStats", "ChannelTiming", "Credentials", "EventCallback",
    "EventChannel", "FrameCallback", "StateCallback", "TekilTcpChannel", "TekilWebSocketChannel",
    "TokenProvider", "check_credentials", "describe_close", "describe_error", "events_from_text",
    "events_from_value", "keepalive_reply", "line_timing", "login_message", "open_channel",
    "set_tcp_keepalive",
]


# ---------------------------------------------------------------- the four channels

class _TcpChannel(EventChannel):
    transport = Transport.TCP

    async def _open(self) -> Link:
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
        decoder = JsonStreamDecoder(max_frame=self.max_frame, max_skip=self.max_skip,
                                    on_garbage=self._on_garbage,
                                    on_oversized=self._on_oversized)
        return TcpLink(reader, writer, decoder, self.timing)


class _WebSocketChannel(EventChannel):
    transport = Transport.WS

    def __init__(self, endpoint: Endpoint, credentials: Credentials, *,
                 timing: ChannelTiming | None = None, **kwargs: Any) -> None:
        super().__init__(endpoint, credentials, timing=(timing or ChannelTiming()).for_websocket(),
                         **kwargs)

    async def _open(self) -> Link:
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
            max_size=self.max_skip,
            user_agent_header=USER_AGENT,
            **options,
        )
        sock = ws.transport.get_extra_info("socket")
        if sock is not None:
            set_tcp_keepalive(sock, idle=self.timing.keepalive_idle,
                              interval=self.timing.keepalive_interval,
                              count=self.timing.keepalive_count)
        return WebSocketLink(ws, self.timing, max_frame=self.max_frame, max_skip=self.max_skip,
                             on_oversized=self._on_oversized)


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
    ``options`` are the keyword arguments of :class:`EventChannel` (``on_frame``,
    ``timing``, ``backoff``, ``auth_backoff``, ``max_frame``, ``max_skip``, ``clock``,
    ``wall_clock``, ``suspend_clock``, ``sleep``, ``rng``).  Raises ``ValueError``
    when ``credentials`` lack what the channel logs in with.
    """
    cls = CHANNEL_CLASSES[(flavor, transport)]
    return cls(endpoint or default_endpoint(flavor, transport), credentials,
               on_event=on_event, on_state=on_state, **options)


