"""The :class:`Simulator`: all simulated Kobikom services of one tenant.

One object owns the event channels (a TCP and a WebSocket listener speaking
the flavour's protocol), the REST services (Tekil panel, KobiPBX, both SMS
APIs and the ``/_sim`` control interface on one aiohttp port), the simulated
switch and the stores behind the REST history (``cdr``, ``sms``, phonebook).
See the package docstring for the API summary.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from aiohttp import web

from . import scenarios
from .auth import Authority
from .config import SimulatorConfig
from .control import ControlApi
from .http_common import RequestLog
from .http_kobipbx import KobiPbxApi
from .http_sms import SmsApis
from .http_tekil import TekilPanel
from .pbx import Call, Switch
from .profiles import Profile, resolve
from .sessions import EventHub
from .tcp import TcpEventServer
from .ws import WsEventServer

log = logging.getLogger("kobikom.simulator")


class Simulator:
    """Real servers on loopback that behave like Kobikom's (see the package docstring)."""

    def __init__(self, cfg: SimulatorConfig | None = None) -> None:
        self.cfg = cfg or SimulatorConfig()
        if self.cfg.flavor not in ("bulut", "tekil"):
            raise ValueError(f"unknown flavor {self.cfg.flavor!r}")
        if self.cfg.tcp_framing not in ("ndjson", "concat", "split", "noisy"):
            raise ValueError(f"unknown tcp_framing {self.cfg.tcp_framing!r}")
        try:
            resolve(self.cfg.profile)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        self.rng = random.Random(self.cfg.random_seed)
        self.started_at = time.time()
        self.authority = Authority(self.cfg)
        self.hub = EventHub(self.cfg, self.authority)
        #: Call records served by the CDR endpoints (see ``records.py``).
        self.cdr: list[dict[str, Any]] = []
        #: Every SMS sent through either SMS API (see ``http_sms.py``).
        self.sms: list[dict[str, Any]] = []
        self.groups, self.contacts = scenarios.seed_phonebook()
        self.switch = Switch(self.cfg, self.hub, self.cdr, self.rng)
        self.hub.on_login = self.switch.snapshot
        self.hub.on_command = self.switch.command
        self._requests = RequestLog()
        self._sms_api = SmsApis(self)
        self._tcp = TcpEventServer(self.hub, self.cfg, self.rng)
        self._ws = WsEventServer(self.hub, self.cfg)
        if self.cfg.replay_files:  # serve a capture from a real installation (replay.py)
            from .replay import replay_servers

            self._tcp, self._ws = replay_servers(self.hub, self.cfg)
        self._runner: web.AppRunner | None = None
        self.ports: dict[str, int] = {"tcp": 0, "ws": 0, "http": 0}
        if self.cfg.seed_history:
            scenarios.seed_history(self, self.cfg.seed_history)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("simulator already started")
        self._requests.stopping.clear()
        app = web.Application(middlewares=[self._requests.middleware()])
        app.add_routes([*TekilPanel(self).routes(), *KobiPbxApi(self).routes(),
                        *self._sms_api.routes(), *ControlApi(self).routes()])
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True,
                               shutdown_timeout=1.0)
        await runner.setup()
        self._runner = runner
        try:
            site = web.TCPSite(runner, self.cfg.host, self.cfg.http_port, reuse_address=True,
                               ssl_context=self.cfg.http_ssl)
            await site.start()
            self.ports["http"] = runner.addresses[0][1]
            self.ports["tcp"] = await self._tcp.start(self.cfg.tcp_port)
            self.ports["ws"] = await self._ws.start(self.cfg.ws_port)
        except BaseException:
            await self.stop()
            raise
        log.info("Kobikom simulator (%s, profile %s) up: %s", self.cfg.flavor,
                 self.profile.name, self.ports)

    async def stop(self) -> None:
        """Close all servers and client connections; pending calls are dropped."""
        self._requests.stopping.set()
        await self.switch.stop()
        await self._tcp.stop()
        await self._ws.stop()
        await self.hub.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def restart_event_servers(self) -> None:
        """Stop and start the TCP/WS listeners on the same ports (clients are dropped)."""
        await self._tcp.stop()
        await self._ws.stop()
        self.ports["tcp"] = await self._tcp.start(self.ports["tcp"])
        self.ports["ws"] = await self._ws.start(self.ports["ws"])

    async def disconnect_clients(self) -> None:
        """Drop every event-channel client but keep listening."""
        await self.hub.close_all()

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ addresses

    @property
    def http_base(self) -> str:
        scheme = "https" if self.cfg.http_ssl is not None else "http"
        return f"{scheme}://{self.cfg.host}:{self.ports['http']}"

    @property
    def ws_url(self) -> str:
        scheme = "wss" if self.cfg.ws_ssl is not None else "ws"
        return f"{scheme}://{self.cfg.host}:{self.ports['ws']}/"

    # ------------------------------------------------------------ event channels

    @property
    def silent(self) -> bool:
        return self.hub.silent

    @silent.setter
    def silent(self, value: bool) -> None:
        self.hub.silent = value

    def connected_clients(self) -> list[dict[str, Any]]:
        return self.hub.clients()

    @property
    def commands(self) -> list[dict[str, Any]]:
        return self.hub.commands

    def emit(self, message: dict[str, Any], *, dedup: bool = True) -> int:
        """Send one raw event message to every authenticated client of its domain."""
        return self.hub.broadcast(message, dedup=dedup)

    def emit_raw(self, data: bytes) -> int:
        """Write raw bytes to every TCP client (garbage, oversized frames, …)."""
        return self.hub.broadcast_raw(bytes(data))

    # ------------------------------------------------------------ profile

    @property
    def profile(self) -> Profile:
        """How call events read where the documentation is silent (``profiles.py``)."""
        return self.cfg.calls

    def set_profile(self, profile: str | Profile) -> Profile:
        """Switch the profile at once (calls in progress keep their ids); ``ValueError``
        for an unknown name.  A changed login acknowledgement applies to new logins."""
        try:
            resolved = resolve(profile)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        self.cfg.profile = resolved
        log.info("simulator profile: %s", resolved.name)
        return resolved

    # ------------------------------------------------------------ calls

    async def ring(self, extension: str = "1001", caller: str = "05321234567",
                   called: str | None = None, queue: str | None = None,
                   answer_after: float | None = None, hangup_after: float | None = None,
                   hold_for: tuple[float, float] | None = None,
                   other_extensions: tuple[str, ...] | list[str] = (),
                   direction: str = "inbound", answered_by: str | None = None,
                   origin: str = "phone") -> str:
        """Start a call and schedule its whole event sequence; returns the call id.

        ``answer_after`` counts from the start of ringing, ``hangup_after`` from
        the answer (or, if nobody answers, from the start of ringing), and
        ``hold_for=(start, seconds)`` from the answer.  ``answered_by`` picks
        which of the rung extensions answers (default *extension*).  For
        ``direction="outbound"`` the customer number is *called* (or *caller*
        when *called* is None), and *origin* says how it was placed: ``"phone"``
        (dialled on the desk phone) or ``"c2c"`` (the PBX rings the agent first,
        as :meth:`dial` does).
        """
        if direction not in ("inbound", "outbound"):
            raise ValueError(f"direction must be inbound or outbound, not {direction!r}")
        if origin not in ("phone", "c2c"):
            raise ValueError(f"origin must be phone or c2c, not {origin!r}")
        call = self.switch.ring(
            extension=extension, caller=caller, called=called, queue=queue,
            answer_after=answer_after, hangup_after=hangup_after, hold_for=hold_for,
            other_extensions=other_extensions, direction=direction, answered_by=answered_by,
            origin=origin)
        await asyncio.sleep(0)
        return call.call_id

    def dial(self, extension: str, number: str, *, kind: str = "outbound") -> Call:
        """What click to call does: ring *extension*, then "connect" to *number*."""
        return self.switch.ring(extension=extension, called=number, direction="outbound",
                                kind=kind, answer_after=self.cfg.dial_answer_after,
                                hangup_after=self.cfg.dial_hangup_after, origin="c2c")

    def answer(self, call_id: str, extension: str | None = None) -> bool:
        call = self.switch.calls.get(call_id)
        return call is not None and self.switch.answer(call, extension)

    def hangup(self, call_id: str, cause: str = "NORMAL_CLEARING") -> bool:
        call = self.switch.calls.get(call_id)
        return call is not None and self.switch.end(call, cause)

    async def wait_call_end(self, call_id: str) -> None:
        await self.switch.wait_ended(call_id)

    async def run_demo(self, extension: str = "1001",
                       interval: tuple[float, float] = (8, 20),
                       first_after: float | None = None) -> None:
        """Varied calls forever (cancel the task to stop); see ``scenarios.run_demo``."""
        await scenarios.run_demo(self, extension, interval, first_after)

    # ------------------------------------------------------------ REST side

    @property
    def pace(self) -> float:
        """Factor for scenario timings (``1 / scenario_speed``)."""
        return 1.0 / self.cfg.scenario_speed if self.cfg.scenario_speed > 0 else 1.0

    @property
    def received(self) -> list[dict[str, Any]]:
        return self._requests.received

    def fault(self, path: str, kind: str, count: int = 1) -> None:
        """Make the next *count* requests to *path* fail with *kind* (see http_common)."""
        self._requests.arm(path, kind, count)

    def expire_tokens(self) -> None:
        """Every issued JWT and bearer token becomes invalid (401 on next use)."""
        self.authority.expire_all()

    def served_routes(self) -> list[tuple[str, str]]:
        """``(method, path template)`` of every REST route except the control interface."""
        if self._runner is None:
            return []
        out = []
        for route in self._runner.app.router.routes():
            info = route.resource.get_info() if route.resource is not None else {}
            path = info.get("path") or info.get("formatter") or ""
            if route.method != "HEAD" and not path.startswith("/_sim/"):
                out.append((route.method, path))
        return out

    @property
    def sms_balance(self) -> int:
        return self._sms_api.credits

    def add_sms(self, to: str, text: str, sender: str, *, api: str = "new",
                age: float = 0.0, send_by: str = "api") -> dict[str, Any]:
        """A message somebody else sent *age* seconds ago (e.g. a look-alike of ours)."""
        return self._sms_api.add_message(to, text, sender, api=api, age=age, send_by=send_by)

    def top_up_sms(self, credits: int) -> int:
        """Add SMS credits; returns the new balance."""
        return self._sms_api.top_up(credits)
