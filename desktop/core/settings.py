"""The user's settings: a TOML file with no secrets in it.

The file lives at ``AppPaths.config_file`` (``--config FILE`` picks another).
Every key is optional; an empty string means "the documented default".
Secrets (API key, passwords, tokens) are *never* read from or written to
this file: see :mod:`desktop.core.secrets`.  A settings file that contains
a key that looks like a secret is refused with a clear error, so that an
admin-prepared roll-out file cannot leak one by accident.

Example::

    [account]
    flavor = "bulut"            # "tekil" (Tekil Santral) or "bulut" (KobiPBX)
    transport = "tcp"           # "tcp" or "ws"
    extensions = ["1001"]
    domain_uuid = "..."         # Bulut only; not a secret per se, but treat it with care
    user = "agent@example.com"  # panel / KobiPBX login e-mail

    [server]                    # empty = Kobikom's documented defaults
    host = ""
    port = 0
    tls = ""                    # "", "true" or "false"
    ca_file = ""
    api_base = ""
"""

from __future__ import annotations

import dataclasses
import enum
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from desktop.core.hotkeys import DEFAULT_DIAL_HOTKEY, check_hotkey
from desktop.core.templates import (
    CRM_VARIABLES,
    NUMBER_VARIABLES,
    check_ldap_filter_shape,
    check_ldap_url,
    check_url_template,
)
from desktop.pbx.connection import (
    DEFAULT_API_BASE,
    DEFAULT_OLD_SMS_BASE,
    DEFAULT_SMS_BASE,
    Endpoint,
    Flavor,
    Transport,
    default_endpoint,
)


class SettingsError(Exception):
    """The settings file is unreadable or has a bad value (message says which)."""


class PopupCorner(enum.Enum):
    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"


_SECRET_WORDS = ("password", "passwd", "secret", "token", "api_key", "apikey", "userpass")


@dataclass(slots=True)
class AccountSettings:
    flavor: Flavor = Flavor.BULUT
    transport: Transport = Transport.TCP
    extensions: list[str] = field(default_factory=list)
    domain_uuid: str = ""
    #: Panel (Tekil) or KobiPBX (Bulut) login e-mail.
    user: str = ""
    #: Tekil WebSocket ``crm_id`` (undocumented meaning; sent as given).
    crm_id: str = ""
    #: Tekil WebSocket login with the panel JWT (``token``) instead of the API key.
    ws_login_with_token: bool = False


@dataclass(slots=True)
class ServerSettings:
    host: str = ""
    port: int = 0
    #: "" = the documented default for the transport; "true"/"false" to force.
    tls: str = ""
    ca_file: str = ""
    ws_path: str = "/"
    api_base: str = ""


@dataclass(slots=True)
class PopupSettings:
    corner: PopupCorner = PopupCorner.BOTTOM_RIGHT
    auto_close_seconds: int = 8
    enabled: bool = True


@dataclass(slots=True)
class UiSettings:
    #: "" = follow the system (Turkish if the system is Turkish), "tr" or "en".
    language: str = ""
    register_tel_links: bool = False


@dataclass(slots=True)
class DialSettings:
    outside_line_prefix: str = ""
    confirm_international: bool = True
    #: Tekil WebSocket accounts: place calls with ``originate`` instead of REST.
    use_ws_originate: bool = False
    ring_timeout_ms: int = 30000
    wait_response_ms: int = 15000
    trunk: str = ""


@dataclass(slots=True)
class SmsSettings:
    #: "new" (sms.kobikom.com.tr, api_token) or "old" (smspaneli, api_key).
    api: str = "new"
    #: "" = the documented host of the chosen API (``--sms-base URL`` overrides it).
    base: str = ""
    #: Default sender title (başlık); the composer remembers the last one used.
    sender: str = ""
    #: The agent's name for the ``{agent}`` placeholder of SMS templates.
    agent_name: str = ""


@dataclass(slots=True)
class HistorySettings:
    #: Size cap of the local recordings cache (MB); the least recently played go first.
    recordings_cache_mb: int = 500


# -- [capture]: recording what the PBX sends (issue 10 §3; desktop.core.capture) --


@dataclass(slots=True)
class CaptureSettings:
    #: Record every raw frame of the event channel to the log folder.
    enabled: bool = False
    #: Keep phone numbers in the recording (the agent ticked the box); else masked.
    keep_numbers: bool = False
    #: Size cap of the recording over all its rotated files (MB).
    max_mb: int = 20


# -- [crm], [ldap], [http_lookup], [hotkey]: beyond the popup (issue 15 §2-4) --


class CrmOpenOn(enum.Enum):
    """When the CRM page opens by itself (:mod:`desktop.core.crm`)."""

    RING = "ring"
    ANSWER = "answer"
    CLICK = "click"  # only from the "Open in CRM" buttons


@dataclass(slots=True)
class CrmSettings:
    #: URL template (``{e164}``, ``{name}``...; :mod:`desktop.core.crm`); "" = no CRM.
    url: str = ""
    open_on: CrmOpenOn = CrmOpenOn.RING


#: Time budget of one remote lookup (ms), and its bounds.
DEFAULT_LOOKUP_TIMEOUT_MS: Final = 800
LOOKUP_TIMEOUT_RANGE_MS: Final = (100, 5000)


@dataclass(slots=True)
class LdapSettings:
    """LDAP / Active Directory lookup (:mod:`desktop.core.remote_ldap`); the bind
    password is in the keyring (or ``KOBIKOM_LDAP_PASSWORD``)."""

    #: ``ldap://host:389`` or ``ldaps://host:636``; "" = no LDAP lookup.
    url: str = ""
    base_dn: str = ""
    #: "" = anonymous.
    bind_dn: str = ""
    #: "" = ``(|(telephoneNumber={e164})(mobile={e164}))``.
    filter: str = ""
    #: Attributes, first with a value wins.
    name_attribute: str = "displayName,cn"
    company_attribute: str = "company,o"
    timeout_ms: int = DEFAULT_LOOKUP_TIMEOUT_MS


@dataclass(slots=True)
class HttpLookupSettings:
    """HTTP JSON lookup (:mod:`desktop.core.remote_http`); an optional bearer token
    is in the keyring (or ``KOBIKOM_HTTP_LOOKUP_TOKEN``)."""

    #: URL template with ``{e164}``, ``{national}``...; "" = no HTTP lookup.
    url: str = ""
    timeout_ms: int = DEFAULT_LOOKUP_TIMEOUT_MS


@dataclass(slots=True)
class HotkeySettings:
    #: Global hotkey that dials the selected text or the clipboard; "" = none.
    dial: str = DEFAULT_DIAL_HOTKEY


def _timeout_ms(value: int) -> int:
    low, high = LOOKUP_TIMEOUT_RANGE_MS
    if not low <= value <= high:
        raise ValueError(f"expected {low} to {high} milliseconds")
    return value


#: Checks of single values beyond their type: ``"section.key"`` -> a function that
#: returns the value to keep (stripped, canonical) or raises ValueError saying why.
#: (TemplateError and HotkeyError are ValueErrors; their ``code`` lets the UI translate.)
VALUE_CHECKS: Final[dict[str, Any]] = {
    "crm.url": lambda v: check_url_template(v, CRM_VARIABLES, what="CRM address"),
    "ldap.url": check_ldap_url,
    "ldap.filter": check_ldap_filter_shape,
    "ldap.timeout_ms": _timeout_ms,
    "http_lookup.url": lambda v: check_url_template(v, NUMBER_VARIABLES,
                                                    what="lookup address"),
    "http_lookup.timeout_ms": _timeout_ms,
    "hotkey.dial": check_hotkey,
}


def check_value(key: str, value: Any) -> Any:
    """*value* as :data:`VALUE_CHECKS` keeps it for ``"section.key"`` (ValueError if bad)."""
    check = VALUE_CHECKS.get(key)
    return value if check is None else check(value)


@dataclass(slots=True)
class Settings:
    account: AccountSettings = field(default_factory=AccountSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    popup: PopupSettings = field(default_factory=PopupSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    dial: DialSettings = field(default_factory=DialSettings)
    sms: SmsSettings = field(default_factory=SmsSettings)
    history: HistorySettings = field(default_factory=HistorySettings)
    capture: CaptureSettings = field(default_factory=CaptureSettings)
    crm: CrmSettings = field(default_factory=CrmSettings)
    ldap: LdapSettings = field(default_factory=LdapSettings)
    http_lookup: HttpLookupSettings = field(default_factory=HttpLookupSettings)
    hotkey: HotkeySettings = field(default_factory=HotkeySettings)

    # -- derived values ----------------------------------------------------

    @property
    def configured(self) -> bool:
        """Enough to connect: an extension, and a domain for Bulut accounts."""
        if not self.account.extensions:
            return False
        return self.account.flavor is Flavor.TEKIL or bool(self.account.domain_uuid)

    def endpoint(self) -> Endpoint:
        """The real-time endpoint: documented defaults with the overrides applied."""
        tls: bool | None = None
        if self.server.tls:
            tls = self.server.tls.lower() == "true"
        base = default_endpoint(self.account.flavor, self.account.transport, tls=tls)
        return Endpoint(
            host=self.server.host or base.host,
            port=self.server.port or base.port,
            tls=base.tls,
            ca_file=self.server.ca_file or None,
            path=self.server.ws_path or "/",
        )

    def api_base(self) -> str:
        return (self.server.api_base or DEFAULT_API_BASE[self.account.flavor]).rstrip("/")

    def sms_base(self) -> str:
        default = DEFAULT_SMS_BASE if self.sms.api != "old" else DEFAULT_OLD_SMS_BASE
        return (self.sms.base or default).rstrip("/")

    # -- TOML --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "settings") -> Settings:
        settings = cls()
        for section, values in data.items():
            if not any(f.name == section for f in dataclasses.fields(cls)):
                continue  # unknown sections from newer versions are ignored
            if not isinstance(values, dict):
                raise SettingsError(f"{source}: [{section}] must be a table")
            target = getattr(settings, section)
            known = {f.name for f in dataclasses.fields(target)}
            for key, value in values.items():
                if key not in known and any(word in key.lower() for word in _SECRET_WORDS):
                    raise SettingsError(
                        f"{source}: [{section}] {key}: secrets do not belong in the settings "
                        "file; they are kept in the system keyring")
                where = f"{source}: [{section}] {key}"
                _assign(target, key, value, where)
                if hasattr(target, key):
                    try:
                        setattr(target, key, check_value(f"{section}.{key}",
                                                         getattr(target, key)))
                    except ValueError as exc:
                        raise SettingsError(f"{where}: {exc}") from None
        return settings


def _dump(section: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        out[f.name] = value.value if isinstance(value, enum.Enum) else value
    return out


def _assign(target: Any, key: str, value: Any, where: str) -> None:
    fields = {f.name: f for f in dataclasses.fields(target)}
    if key not in fields:
        return  # unknown keys (older/newer versions) are ignored
    current = getattr(target, key)
    try:
        if isinstance(current, enum.Enum):
            value = type(current)(str(value).lower())
        elif isinstance(current, bool):
            if not isinstance(value, bool):
                raise TypeError("expected true or false")
        elif isinstance(current, int):
            if isinstance(value, bool) or not isinstance(value, int):
                value = int(str(value))
        elif isinstance(current, list):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list):
                raise TypeError("expected a list")
            value = [str(v) for v in value]
        elif isinstance(current, str):
            value = "" if value is None else str(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{where}: invalid value {value!r} ({exc})") from None
    setattr(target, key, value)


def load_settings(path: Path) -> Settings:
    """Read *path*; a missing file gives the defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path} is not a valid settings file: {exc}") from None
    return Settings.from_dict(data, source=str(path))


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically (temp file + rename), readable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tomli_w  # only when saving: not on the way to the tray icon

    payload = tomli_w.dumps(settings.to_dict()).encode()
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
