"""Where an event channel connects to, and the state it is in.

These small value types are shared by the channels (``channels.py``), the
command line and, through the core, the tray.  They hold no secrets: the
credential a channel sends (API key, JWT, domain UUID) is passed to the
channel separately and is never part of a ``repr``.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import ssl


class Flavor(enum.Enum):
    """Which Kobikom product the account is on."""

    TEKIL = "tekil"  # Tekil Santral (panelapi.kobikom.com.tr)
    BULUT = "bulut"  # Bulut Santral / KobiPBX cloud (api.kobipbx.com)


class Transport(enum.Enum):
    TCP = "tcp"
    WS = "ws"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Host, port and TLS choice of one real-time channel."""

    host: str
    port: int
    tls: bool = False
    #: Extra CA bundle (PEM) for private/test CAs.  Verification stays on.
    ca_file: str | None = None
    #: WebSocket path (the docs give none; "/" is what a bare URL means).
    path: str = "/"

    def url(self) -> str:
        """``wss://host:port/`` for WebSocket endpoints."""
        scheme = "wss" if self.tls else "ws"
        default = 443 if self.tls else 80
        port = "" if self.port == default else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}{port}{self.path}"

    def describe(self) -> str:
        return f"{self.host}:{self.port}{' (TLS)' if self.tls else ''}"

    def ssl_context(self) -> ssl.SSLContext | None:
        """A verifying TLS context (system CAs plus ``ca_file``), or None."""
        if not self.tls:
            return None
        from desktop.pbx.tls import tls_context

        return tls_context(self.ca_file)


#: The documented default endpoints (digest §1).
DEFAULT_ENDPOINTS: Final[dict[tuple[Flavor, Transport], Endpoint]] = {
    (Flavor.BULUT, Transport.TCP): Endpoint("185.86.152.197", 8990),
    (Flavor.BULUT, Transport.WS): Endpoint("wss.kobipbx.com", 443, tls=True),
    (Flavor.TEKIL, Transport.TCP): Endpoint("93.186.116.95", 57000),
    (Flavor.TEKIL, Transport.WS): Endpoint("api.kobikom.com.tr", 8098, tls=True),
}
#: Tekil's WebSocket without TLS listens on another port (8088).
TEKIL_WS_PLAIN_PORT: Final = 8088

#: Documented REST bases.
DEFAULT_API_BASE: Final[dict[Flavor, str]] = {
    Flavor.TEKIL: "https://panelapi.kobikom.com.tr",
    Flavor.BULUT: "https://api.kobipbx.com",
}
DEFAULT_SMS_BASE: Final = "https://sms.kobikom.com.tr"
DEFAULT_OLD_SMS_BASE: Final = "https://smspaneli.kobikom.com.tr"


def default_endpoint(flavor: Flavor, transport: Transport, *, tls: bool | None = None) -> Endpoint:
    """The documented endpoint, optionally switched to/from TLS."""
    ep = DEFAULT_ENDPOINTS[(flavor, transport)]
    if tls is None or tls == ep.tls:
        return ep
    if flavor is Flavor.TEKIL and transport is Transport.WS:
        return Endpoint(ep.host, 8098 if tls else TEKIL_WS_PLAIN_PORT, tls=tls)
    return Endpoint(ep.host, ep.port, tls=tls)


class Phase(enum.Enum):
    """Connection phases the tray shows."""

    DISCONNECTED = "disconnected"  # not started, or stopped
    CONNECTING = "connecting"  # first attempt in progress
    CONNECTED = "connected"  # handshake sent and not rejected
    RECONNECTING = "reconnecting"  # lost; next attempt in ``retry_in`` seconds
    AUTH_FAILED = "auth_failed"  # credentials rejected; slow retry


@dataclass(frozen=True, slots=True)
class ConnectionState:
    """A snapshot of one channel's state, with the reason in plain words."""

    phase: Phase
    #: Why we are in this phase ("connection refused", "login rejected: ...").
    reason: str | None = None
    #: Seconds until the next attempt (RECONNECTING / AUTH_FAILED).
    retry_in: float | None = None
    #: Which endpoint, as "host:port (TLS)".
    endpoint: str | None = None
    #: Consecutive failed attempts.
    attempt: int = 0
    #: Which connection of the channel this is (1, 2, ...).  A CONNECTED state
    #: with a new number and no phase change in between is a quiet refresh
    #: (the line was silent; see :mod:`desktop.pbx.channels`).
    connection: int = 0
    since: float = field(default_factory=time.time, compare=False)

    def describe(self) -> str:
        """One line for a tooltip or stderr (English; the UI translates phases)."""
        text = self.phase.value.replace("_", " ")
        if self.endpoint:
            text += f" ({self.endpoint})"
        if self.reason:
            text += f": {self.reason}"
        if self.retry_in is not None:
            text += f"; retrying in {self.retry_in:.0f} s"
        return text
