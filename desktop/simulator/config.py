"""Configuration of the simulated Kobikom services.

:class:`SimulatorConfig` is all the simulator knows about "its" tenant: the
product flavour, where to listen, the demo credentials and the PBX's
extensions and queues.  Every field has a default, so ``SimulatorConfig()``
is a working Bulut (KobiPBX) tenant on loopback ports chosen by the OS.

The credentials are demo values made up for the simulator.  The Postman
collection's example credentials, keys and tokens are documentation
artifacts and are deliberately not used anywhere.

Choices for undocumented behaviour that are configurable live here, with the
default being the choice we consider most plausible:

* ``ws_idle_timeout``: KobiPBX's WebSocket docs say "ping messages are sent
  and expected regularly" but give no interval; we close a Bulut WebSocket
  client that sent no ping (protocol-level or application ``"ping"``) for
  this many seconds.  Tekil keep-alive is not documented at all, so Tekil
  WebSocket clients are never dropped for idleness unless
  ``tekil_ws_idle_timeout`` is set.
* ``handshake_ack``: neither Bulut channel documents a reply to a good
  handshake.  We send one small acknowledgement by default; tests switch it
  off to prove the client does not depend on it.
* ``list_extension_shape``: KobiPBX documents ``list-user-extension`` as
  ``{"success":true,"data":{...}}`` while the saved example is unwrapped;
  ``"wrapped"`` (documented) or ``"unwrapped"`` (example).
* ``agent_id_style``: what the ``agent`` field of Bulut agent events holds.
  FusionPBX (which KobiPBX evidently is) names mod_callcenter agents by their
  ``call_center_agent_uuid``; ``"uuid"`` does that (the UUID is the one
  ``list-user-extension`` reports), ``"extension"`` sends the extension
  number instead.
* ``sms_suffix``: the new SMS API's examples append `` B035`` to every
  message text; the meaning is unknown, so by default we append nothing.
* ``profile``: how the real-time call events read where the documentation
  is silent (one id per call or per leg, domain UUID/name/absent, direction
  per leg, click to call, timestamp format, login acknowledgement, missing
  ``ringing``, de-duplication, Tekil status-only); see ``profiles.py``.  The
  default is ``"freeswitch"``, the most likely truth; the demo uses it.
* ``domain_name``: the FusionPBX domain *name* (``<number>.kobipbx.com``)
  that call events carry under profiles with ``domain="name"``.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Literal

from .profiles import DEFAULT_PROFILE, Profile, resolve

Flavor = Literal["bulut", "tekil"]
TcpFraming = Literal["ndjson", "concat", "split", "noisy"]

#: The documented ports (digest §1), for reference only: the simulator listens
#: wherever it is told (0 = a free port chosen by the OS).
DOCUMENTED_PORTS = {
    ("bulut", "tcp"): 8990,
    ("bulut", "ws"): 443,
    ("tekil", "tcp"): 57000,
    ("tekil", "ws"): 8098,  # 8088 without TLS
}


@dataclass(frozen=True, slots=True)
class Queue:
    """A call-center queue: its number (``queue_extension``) and its name."""

    extension: str
    name: str


@dataclass(slots=True)
class SimulatorConfig:
    """Everything that describes one simulated tenant; see the module docstring."""

    flavor: Flavor = "bulut"
    host: str = "127.0.0.1"
    tcp_port: int = 0
    ws_port: int = 0
    http_port: int = 0
    #: Server-side TLS context: the WebSocket channel speaks wss when given.
    ws_ssl: ssl.SSLContext | None = None
    #: Server-side TLS context for the REST port: ``https://`` like Kobikom's own
    #: services (``http_base`` follows).  None = plain HTTP on loopback.
    http_ssl: ssl.SSLContext | None = None
    tcp_framing: TcpFraming = "ndjson"

    # Demo/test credentials (never the collection's).
    panel_user: str = "demo@kobikom.example"
    panel_password: str = "demo-password"
    api_key: str = "demo-api-key"
    domain_uuid: str = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
    kobipbx_user: str = "demo@kobikom.example"
    kobipbx_password: str = "demo-password"
    sms_token: str = "demo-sms-token"
    sms_api_key: str = "demo-sms-api-key"
    #: Further valid Bulut domains (other tenants), for domain-filtering tests.
    other_domains: tuple[str, ...] = ()
    #: The domain's FusionPBX name (call events under ``domain="name"`` profiles).
    domain_name: str = "902242345678.kobipbx.com"
    #: A profile name from ``profiles.PROFILES`` or a :class:`Profile`.
    profile: str | Profile = DEFAULT_PROFILE

    extensions: tuple[str, ...] = ("1001", "1002", "1003")
    #: Display names of extensions (directory/caller-ID names); optional.
    extension_names: dict[str, str] = field(default_factory=lambda: {
        "1001": "Ayşe Demir", "1002": "Mehmet Kaya", "1003": "Zeynep Çelik"})
    queues: tuple[Queue, ...] = (Queue("60000", "SATIS-KUYRUKQ"),
                                 Queue("60001", "DESTEK-KUYRUKQ"))
    #: The SIP registrar softphones are provisioned with (QR codes, getCentralData).
    sip_domain: str = "demo.santral.kobikom.example"
    sip_port: str = "5060"
    #: Extra numbers the demo scripts treat as known customers (e.g. the app's
    #: sample contacts), besides the PBX phonebook.
    known_callers: tuple[str, ...] = ()
    #: Our DID (the number customers call), used as ``calledNumber`` by default.
    did_number: str = "02242345678"
    #: Tekil outbound context name (``<TENANT>CC`` in the collection's CDRs).
    tenant_code: str = "DEMO"

    #: Lifetime of Tekil JWTs and KobiPBX bearer tokens, in seconds.
    token_ttl: float = 3600.0
    ws_idle_timeout: float | None = 60.0
    tekil_ws_idle_timeout: float | None = None
    #: Close a connection that has not logged in after this many seconds.
    handshake_timeout: float | None = 30.0
    handshake_ack: bool = True
    #: A call nobody answers (and nobody hangs up) gives up after this long.
    ring_timeout: float = 30.0
    #: Queues ringing one agent at a time (profile ``queue_strategy``): each
    #: agent's phone rings this long before the next agent's (mod_callcenter's
    #: agent ``call-timeout``; FusionPBX's default is 10-30 s, the demo's shorter).
    queue_offer_timeout: float = 6.0
    #: Click to call (REST dial, Tekil ``originate``): the customer answers this
    #: long after the agent's phone started ringing, and hangs up this long after.
    dial_answer_after: float = 2.0
    dial_hangup_after: float = 15.0

    list_extension_shape: Literal["wrapped", "unwrapped"] = "wrapped"
    agent_id_style: Literal["uuid", "extension"] = "uuid"

    #: New SMS API: PENDING -> DELIVERED after this many seconds.
    sms_delivery_delay: float = 2.0
    sms_suffix: str = ""
    #: SMS credits at start (shared by the old and the new SMS API).
    sms_balance: int = 1000
    sms_senders: tuple[str, ...] = ("DEMOFIRMA", "+908505550000")
    #: Numbers (any notation) the operator cannot deliver to: their messages end
    #: ``FAILED`` (new API) / ``Failed`` (old API) instead of delivered.
    sms_undeliverable: tuple[str, ...] = ()
    #: The SMS provider's clock minus the real one (s): the times of its messages
    #: and the ``Date`` header of its answers are shifted by this much.
    sms_clock_offset: float = 0.0

    #: Scenario/demo timings are divided by this (tests run the scripts fast).
    scenario_speed: float = 1.0
    #: Pre-fill the CDR store with this many past calls (0 = start empty).
    seed_history: int = 12
    #: Seed for every random choice (framing splits, demo calls, ids); None = random.
    random_seed: int | None = None

    # -- replay (simulator --replay; replay.py) ---------------------------------
    #: Capture files (oldest first) to serve on the event channels instead of
    #: the simulated switch; empty = simulate.
    replay_files: tuple[str, ...] = ()
    #: Recorded timings are divided by this (2 = twice as fast).
    replay_speed: float = 1.0

    def all_domains(self) -> tuple[str, ...]:
        return (self.domain_uuid, *self.other_domains)

    @property
    def calls(self) -> Profile:
        """The profile in effect (resolved from ``profile``)."""
        return resolve(self.profile)

    def queue_by(self, value: str | None) -> Queue | None:
        """Look a queue up by number or name; unknown values become a new queue."""
        if value is None:
            return None
        for queue in self.queues:
            if value in (queue.extension, queue.name):
                return queue
        return Queue(value, value) if value.isdigit() else Queue("60099", value)
