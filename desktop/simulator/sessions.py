"""Client connections on the event channels and what they may say.

A :class:`ClientSession` is one TCP or WebSocket client.  The transport
modules (``tcp.py``, ``ws.py``) turn bytes into decoded JSON values and hand
them to :meth:`EventHub.handle`; the hub checks the handshake/login, answers
keep-alive pings, records and dispatches Tekil commands, and fans events out
to the authenticated sessions of the right domain.

Handshakes, exactly as documented (digest §1.1, §1.2, §1.4, §1.5):

=============  ===========================================================
Bulut TCP      ``{"type":"handshake","domainUuid":"<uuid>"}``
Bulut WS       ``{"type":"kobipbx_tenant","domainUuid":"<uuid>"}``
Tekil TCP      ``{"cmd":"login","apikey":"<api key>"}``
Tekil WS       ``{"command":"login","password":"<api key>","crm_id":…}`` or
               ``{"command":"login","token":"<panel JWT>","crm_id":…}``
=============  ===========================================================

Undocumented, and what we chose:

* Good handshake (Bulut): one acknowledgement,
  ``{"type":"handshake"|"kobipbx_tenant","status":"success","message":
  "Bağlantı başarılı"}``, unless ``handshake_ack`` is off or the profile has
  no ``login_ack``.  Clients must not depend on it.
* Good login (Tekil): ``{"type":"login","status":"success","message":
  "Giriş başarılı","crm_id":<echoed>}`` (not under a profile without
  ``login_ack``), followed by one ``ExtensionStatus`` per extension (the
  current state), so a fresh client knows who is idle.
* Wrong or empty ``domainUuid`` (Bulut), or any first message that is not
  the handshake: ``{"type":"error","status":"error","message":
  "Geçersiz domainUuid"}`` (or ``"Geçersiz handshake mesajı"``), then the
  connection is closed (WebSocket close code 1008, policy violation).
* Wrong API key/token (Tekil): ``{"type":"login","status":"error","message":
  "Geçersiz API anahtarı"}`` (``"Geçersiz token"``), then close (1008 on WS).
  A Tekil command before login gets ``"Önce giriş yapmalısınız"`` and close.
* A client that has not logged in after ``handshake_timeout`` seconds is
  disconnected.
* Keep-alive: an application ping, the text ``ping`` or a JSON object whose
  ``type``/``event``/``command``/``cmd`` is ``"ping"``, is answered in the
  same form: text ``pong`` or ``{"type":"pong","timestamp":…}``.  Protocol
  level WebSocket pings are answered by the websockets library.
* Tekil commands (``originate``, ``redirect``, ``hangup``) are accepted on
  the Tekil WebSocket as documented, and also on the Tekil TCP socket
  (undocumented there; we accept ``cmd`` as well as ``command``).  The reply
  is ``{"type":"response","command":<name>,"status":"success"|"error",
  "message":…,"unique_id":…,"crm_id":<echoed>}``.  (It is deliberately not
  ``{"type":"hangup",…}``, which a client would read as a hangup event.)
  The reply goes out before the events the command causes.
* Anything else an authenticated client sends is ignored.

``silent`` mode: nothing at all is sent (events, replies and pongs are
dropped) and WebSocket transports stop reading, so protocol pings go
unanswered too: a perfect half-open connection.  Turning it off resumes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .auth import Authority
from .config import SimulatorConfig
from .events import DedupCache, iso_ms, message_domain

log = logging.getLogger("kobikom.simulator.sessions")

BULUT_BAD_DOMAIN = "Geçersiz domainUuid"
BULUT_BAD_HANDSHAKE = "Geçersiz handshake mesajı"
TEKIL_BAD_KEY = "Geçersiz API anahtarı"
TEKIL_BAD_TOKEN = "Geçersiz token"
TEKIL_LOGIN_FIRST = "Önce giriş yapmalısınız"
TEKIL_COMMANDS = frozenset({"originate", "redirect", "hangup"})

#: WebSocket close code for a refused handshake/login (policy violation).
CLOSE_POLICY = 1008
#: WebSocket close code for idle clients and server restarts ("going away").
CLOSE_GOING_AWAY = 1001


class ClientSession:
    """One connected client; transports subclass it to write and close."""

    transport = "?"

    def __init__(self, hub: EventHub, peer: str, *, tls: bool = False) -> None:
        self.hub = hub
        self.peer = peer
        self.tls = tls
        self.authenticated = False
        self.login_kind: str | None = None
        self.domain: str | None = None
        self.crm_id: Any = None
        self.connected_at = time.time()
        self.last_ping = time.monotonic()
        self.dedup = DedupCache(scope=lambda: hub.cfg.calls.dedup)
        self.sent = 0
        self.queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self.closing = False

    # ------------------------------------------------------------ outgoing

    def deliver(self, msg: Any, *, dedup: bool = True) -> bool:
        """Queue an event message (subject to silence and de-duplication)."""
        if self.hub.silent or self.closing:
            return False
        if not self.dedup.admit(msg, force=not dedup):
            return False
        self.queue.put_nowait(("json", msg))
        return True

    def reply(self, msg: Any) -> bool:
        """Queue a protocol reply (ack, error, pong): no de-duplication."""
        if self.hub.silent or self.closing:
            return False
        self.queue.put_nowait(("json", msg) if not isinstance(msg, str) else ("text", msg))
        return True

    def raw(self, data: bytes) -> bool:
        if self.hub.silent or self.closing:
            return False
        self.queue.put_nowait(("raw", data))
        return True

    async def reject(self, msg: dict[str, Any]) -> None:
        """Send *msg* (if not silent) and close as a refused login."""
        raise NotImplementedError

    async def close(self, *, code: int = 1000, reason: str = "") -> None:
        raise NotImplementedError

    def set_reading(self, enabled: bool) -> None:
        """Pause/resume reading from the socket (silent mode)."""

    def info(self) -> dict[str, Any]:
        return {
            "transport": self.transport,
            "tls": self.tls,
            "authenticated": self.authenticated,
            "peer": self.peer,
            "login": self.login_kind,
            "connected_at": self.connected_at,
            "sent": self.sent,
            "deduplicated": self.dedup.suppressed,
        }


def is_ping(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "ping"
    if isinstance(value, dict):
        return any(str(value.get(k, "")).lower() == "ping"
                   for k in ("type", "event", "command", "cmd"))
    return False


LoginHook = Callable[[ClientSession], list[dict[str, Any]]]
CommandHook = Callable[[ClientSession, dict[str, Any]], Awaitable[dict[str, Any]]]
SentHook = Callable[[ClientSession, Any], None]


class EventHub:
    """All sessions of the simulator, and the rules of the conversation."""

    def __init__(self, cfg: SimulatorConfig, authority: Authority) -> None:
        self.cfg = cfg
        self.authority = authority
        self.sessions: set[ClientSession] = set()
        self.commands: list[dict[str, Any]] = []
        self._silent = False
        #: Messages a freshly logged-in client gets (Tekil: ExtensionStatus snapshot).
        self.on_login: LoginHook = lambda session: []
        self.on_command: CommandHook | None = None
        #: Benchmark hook (``bench/bench_popup_latency.py``): called as
        #: ``on_sent(session, message)`` right after a queued JSON message was
        #: completely written to a TCP client and drained; the callee reads the
        #: clock itself.  None (the default) costs nothing.
        self.on_sent: SentHook | None = None

    # ------------------------------------------------------------ silence

    @property
    def silent(self) -> bool:
        return self._silent

    @silent.setter
    def silent(self, value: bool) -> None:
        self._silent = bool(value)
        for session in list(self.sessions):
            session.set_reading(not self._silent)
            if not self._silent:
                session.last_ping = time.monotonic()

    # ------------------------------------------------------------ fan-out

    def broadcast(self, msg: Any, *, dedup: bool = True, domain: str | None = None) -> int:
        """Deliver *msg* to every authenticated session of a domain.

        The domain is *domain* (the switch names its tenant), else the
        message's ``domain``/``domainUuid`` (the domain *name* counts as the
        simulator's own domain); a message without one goes to the clients
        of the simulator's own domain.
        """
        if domain is None:
            domain = message_domain(msg) or self.cfg.domain_uuid
            if domain == self.cfg.domain_name:
                domain = self.cfg.domain_uuid
        count = 0
        for session in list(self.sessions):
            if session.authenticated and session.domain == domain:
                count += session.deliver(msg, dedup=dedup)
        return count

    def broadcast_raw(self, data: bytes) -> int:
        return sum(s.raw(data) for s in list(self.sessions) if s.transport == "tcp")

    # ------------------------------------------------------------ incoming

    async def handle(self, session: ClientSession, value: Any) -> None:
        """One decoded message from *session*."""
        if is_ping(value):
            session.last_ping = time.monotonic()
            session.reply("pong" if isinstance(value, str)
                          else {"type": "pong", "timestamp": iso_ms()})
            return
        if not session.authenticated:
            await self._login(session, value)
            return
        if self.cfg.flavor == "tekil" and isinstance(value, dict):
            name = str(value.get("command") or value.get("cmd") or "").lower()
            if name in TEKIL_COMMANDS:
                self.commands.append(dict(value))
                if self.on_command is not None:
                    session.reply(await self.on_command(session, value))
                return
        log.debug("ignored from %s client %s: %.200r", session.transport, session.peer, value)

    async def _login(self, session: ClientSession, value: Any) -> None:
        msg = value if isinstance(value, dict) else {}
        if self.cfg.flavor == "bulut":
            expected = "handshake" if session.transport == "tcp" else "kobipbx_tenant"
            if msg.get("type") != expected:
                await session.reject({"type": "error", "status": "error",
                                      "message": BULUT_BAD_HANDSHAKE})
                return
            domain = msg.get("domainUuid")
            if not isinstance(domain, str) or domain not in self.cfg.all_domains():
                log.info("refused %s handshake from %s: unknown domain", session.transport,
                         session.peer)
                await session.reject({"type": "error", "status": "error",
                                      "message": BULUT_BAD_DOMAIN})
                return
            self._accept(session, expected, domain)
            if self.cfg.handshake_ack and self.cfg.calls.login_ack:
                session.reply({"type": expected, "status": "success",
                               "message": "Bağlantı başarılı"})
            return
        # Tekil
        if session.transport == "tcp":
            ok = msg.get("cmd") == "login" and self.authority.check_api_key(msg.get("apikey"))
            kind, problem = "apikey", TEKIL_BAD_KEY
            if msg.get("cmd") != "login" and msg.get("command") != "login":
                problem = TEKIL_LOGIN_FIRST
        else:
            if msg.get("command") != "login":
                ok, kind, problem = False, "", TEKIL_LOGIN_FIRST
            elif "token" in msg:
                ok = self.authority.check_jwt(msg.get("token"))
                kind, problem = "token", TEKIL_BAD_TOKEN
            else:
                ok = self.authority.check_api_key(msg.get("password"))
                kind, problem = "password", TEKIL_BAD_KEY
        if not ok:
            log.info("refused Tekil %s login from %s: %s", session.transport, session.peer,
                     problem)
            await session.reject({"type": "login", "status": "error", "message": problem})
            return
        session.crm_id = msg.get("crm_id")
        self._accept(session, kind, self.cfg.domain_uuid)
        if self.cfg.calls.login_ack:
            ack: dict[str, Any] = {"type": "login", "status": "success",
                                   "message": "Giriş başarılı"}
            if session.crm_id is not None:
                ack["crm_id"] = session.crm_id
            session.reply(ack)
        for snapshot in self.on_login(session):
            session.deliver(snapshot)

    def _accept(self, session: ClientSession, kind: str, domain: str) -> None:
        session.authenticated = True
        session.login_kind = kind
        session.domain = domain
        log.info("%s client %s logged in (%s)", session.transport, session.peer, kind)

    # ------------------------------------------------------------ lifecycle

    def add(self, session: ClientSession) -> None:
        self.sessions.add(session)
        if self._silent:
            session.set_reading(False)

    def remove(self, session: ClientSession) -> None:
        self.sessions.discard(session)

    async def close_all(self, *, code: int = CLOSE_GOING_AWAY, reason: str = "") -> None:
        await asyncio.gather(*(s.close(code=code, reason=reason) for s in list(self.sessions)),
                             return_exceptions=True)

    def clients(self) -> list[dict[str, Any]]:
        return [s.info() for s in sorted(self.sessions, key=lambda s: s.connected_at)]
