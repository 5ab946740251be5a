"""What the SMS sender needs to start: the account's SMS API, its clock, its problems.

:func:`sms_api_config` reads the account (settings ``[sms]`` and the keyring)
into an :class:`SmsApiConfig`; :class:`SenderTiming` is the sender's clock
(tests make it fast); :class:`SenderProblem` says why the sender is not
sending right now.  The sender itself is :mod:`desktop.core.sms_sender`.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

import httpx

from desktop.core.account import Account, AccountIncomplete
from desktop.core.logs import register_secret
from desktop.core.secrets import SecretName
from desktop.pbx.errors import NetworkError
from desktop.pbx.sms import SMS_TIMEOUT, SmsApi, make_sms_api


class SmsNotConfigured(AccountIncomplete):
    """The SMS token / API key is missing (the message says which and where to set it)."""


class SenderClosed(NetworkError):
    """The sender was closed (the app is quitting): the request was not sent."""


@dataclass(frozen=True, slots=True)
class SmsApiConfig:
    """Which SMS API to talk to, and with what credential."""

    api: str  # "new" or "old"
    base_url: str
    credential: str = field(repr=False)
    ca_file: str | None = None

    @property
    def identity(self) -> str:
        """Stored with each sent message: which API can answer for it."""
        return f"{self.api} {self.base_url}"

    @property
    def fingerprint(self) -> str:
        """Tells credentials apart without keeping them around in clear."""
        digest = hashlib.sha256(f"{self.identity}\0{self.credential}".encode()).hexdigest()
        return digest[:16]

    def build(self, *, timeout: httpx.Timeout = SMS_TIMEOUT) -> SmsApi:
        return make_sms_api(self.api, self.credential, base_url=self.base_url, timeout=timeout,
                            ca_file=self.ca_file)


def sms_api_config(account: Account, *, base_url: str | None = None) -> SmsApiConfig:
    """The account's SMS API (settings ``[sms]`` + keyring); raises :class:`SmsNotConfigured`.

    Reads the keyring: call it off the GUI thread.
    """
    settings = account.settings
    api = "old" if settings.sms.api == "old" else "new"
    name = SecretName.SMS_API_KEY if api == "old" else SecretName.SMS_TOKEN
    credential = account.secret(name)
    if not credential:
        what = "old SMS API key" if api == "old" else "SMS API token"
        raise SmsNotConfigured(
            f"the {what} is not set (keyring, or {name.env_var} for scripting); it is in "
            "the SMS panel under Ayarlar > SMS API")
    register_secret(credential)
    return SmsApiConfig(api=api, base_url=(base_url or settings.sms_base()).rstrip("/"),
                        credential=credential, ca_file=settings.server.ca_file or None)


class ProblemKind(enum.Enum):
    NOT_CONFIGURED = "not_configured"
    AUTH = "auth"
    NETWORK = "network"


@dataclass(frozen=True, slots=True)
class SenderProblem:
    """Why the sender is not sending right now (shown to the agent)."""

    kind: ProblemKind
    message: str
    #: When the sender tries again on its own (epoch seconds), if it does.
    retry_at: float | None = None


@dataclass(frozen=True, slots=True)
class SenderTiming:
    """The sender's clock (seconds); tests make it fast."""

    #: After a network failure before sending: first pause, doubling up to max.
    first_retry: float = 5.0
    max_retry: float = 300.0
    #: While the token is rejected / SMS is not set up: how often to re-read it.
    recheck_credentials: float = 60.0
    #: After an unconfirmed send: ask the provider after these delays, then the agent.
    check_delays: tuple[float, ...] = (3.0, 15.0, 45.0)
    #: Listings of the provider's messages reach this far either side of our
    #: attempt (its clock may be off; tying a message to an attempt uses the
    #: offset measured from the listing's ``Date`` header, not this).
    clock_skew: float = 86400.0
    #: Delivery polls: these delays (the last one repeats) for poll_window seconds.
    poll_delays: tuple[float, ...] = (3.0, 5.0, 10.0, 20.0, 40.0, 60.0, 120.0, 300.0)
    poll_window: float = 1800.0
    #: A ``sending`` message older than this was interrupted (crash, quit).
    stale_sending: float = 180.0
    #: Longest sleep of the loop without a wake-up.
    idle: float = 300.0


