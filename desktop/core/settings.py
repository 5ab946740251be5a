"""The user's settings: a TOML file with no secrets in it.

The file lives at ``AppPaths.config_file`` (``--config FILE`` picks another).
Every key is optional; an empty string means "the documented default".
Secrets (API key, passwords, tokens) are *never* read from or written to
this file: see :mod:`desktop.core.secrets`.  A settings file that contains
a key that looks like a secret is refused with a clear error, so that an
admin-prepared roll-out file cannot leak one by accident.

Reading never stops at the first problem: every unknown key is a warning
naming it, and every invalid value is listed in one :class:`SettingsError`
(:func:`parse_settings`).  An administrator's machine-wide policy file
(defaults and locks, :mod:`desktop.core.policy`) is applied around the
agent's file by :func:`desktop.core.policy.load_effective_settings`.

Adding a section: write its dataclass (fields with defaults of type str,
int, float, bool, list[str] or an Enum) and add it as a field of
:class:`Settings`.  Reading, writing, the policy file, locks and
``kobikom-desktop settings --json`` pick it up from there.

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

import copy
import dataclasses
import enum
import logging
import os
import tempfile
import tomllib
from collections.abc import Collection, Mapping, Sequence
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

log = logging.getLogger("kobikom.core.settings")


class SettingsError(Exception):
    """The settings file is unreadable or has bad values (the message names every one).

    ``problems`` lists them one by one (one line each in the message).
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)

    @classmethod
    def of(cls, problems: Sequence[str]) -> SettingsError:
        """One error for all *problems* (one per line)."""
        return cls("\n".join(problems), problems)


class PopupCorner(enum.Enum):
    TOP_LEFT = "top-left"
    TOP_RIGHT = "top-right"
    BOTTOM_LEFT = "bottom-left"
    BOTTOM_RIGHT = "bottom-right"


#: Parts of key names that mean "this is a secret" (compared case-insensitively,
#: with ``-`` read as ``_``).  Known keys (``ws_login_with_token``) are switches.
SECRET_WORDS: Final = ("password", "passwd", "secret", "token", "api_key", "apikey",
                       "userpass", "sms_key", "credential")
_SECRET_REFUSED: Final = ("secrets (passwords, API keys, tokens) do not belong in a settings "
                          "file; they are kept in the system keyring")


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


# -- [board]: the team and queue board (issue 15 §1; desktop.core.team) --


@dataclass(slots=True)
class BoardSettings:
    #: The tray icon shows how many callers wait in the agent's queues.
    waiting_badge: bool = True
    #: The agent's queues (numbers or names) for that badge and the queue strip;
    #: empty = the queues the agent is seen answering, else every queue.
    queues: list[str] = field(default_factory=list)


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
    board: BoardSettings = field(default_factory=BoardSettings)
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
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "settings") -> Settings:
        """Settings from parsed TOML; raises :class:`SettingsError` listing every bad value.

        Unknown sections and keys are ignored here; :func:`parse_settings`
        says which (as warnings).
        """
        parsed = parse_settings(data, source=source)
        if parsed.errors:
            raise SettingsError.of(parsed.errors)
        return parsed.settings


# ---------------------------------------------------------------- the registry


def sections() -> dict[str, type[Any]]:
    """Section name -> its dataclass, in file order (the fields of :class:`Settings`)."""
    return {f.name: type(getattr(Settings(), f.name)) for f in dataclasses.fields(Settings)}


def known_keys() -> dict[str, tuple[str, ...]]:
    """Section name -> its key names."""
    return {name: tuple(f.name for f in dataclasses.fields(kind))
            for name, kind in sections().items()}


def all_keys() -> tuple[str, ...]:
    """Every ``"section.key"``, in file order."""
    return tuple(f"{section}.{key}" for section, keys in known_keys().items() for key in keys)


def get_value(settings: Settings, key: str) -> Any:
    """The value of ``"section.key"`` (KeyError for an unknown key)."""
    section, _, name = key.partition(".")
    if name not in known_keys().get(section, ()):
        raise KeyError(key)
    return getattr(getattr(settings, section), name)


def set_value(settings: Settings, key: str, value: Any) -> None:
    """Set ``"section.key"`` to an already converted *value* (a deep copy of it)."""
    get_value(settings, key)  # KeyError for unknown keys
    section, _, name = key.partition(".")
    setattr(getattr(settings, section), name, copy.deepcopy(value))


def looks_secret(key: str) -> bool:
    """Whether a key *name* looks like it holds a secret (``password``, ``api_key``...)."""
    folded = key.lower().replace("-", "_")
    return any(word in folded for word in SECRET_WORDS)


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class ParsedSettings:
    """What :func:`parse_settings` made of one file's tables."""

    settings: Settings
    #: ``"section.key"`` of every known key the data set to a valid value.
    provided: frozenset[str]
    #: Keys that were ignored (unknown, or locked by the administrator's policy).
    warnings: tuple[str, ...] = ()
    #: Every invalid value (wrong type, secret in the file), one line each.
    errors: tuple[str, ...] = ()


def parse_settings(data: Mapping[str, Any], *, source: str = "settings",
                   base: Settings | None = None,
                   locked: Collection[str] = ()) -> ParsedSettings:
    """Apply the TOML tables *data* over *base* (default: the defaults).

    Never stops at the first problem: every unknown key becomes a warning
    naming it, every wrong type an error naming the key and the value, so
    that one run reports all of them.  Keys in *locked* (fixed by an
    administrator's policy) are left as in *base*, with a warning.
    """
    settings = copy.deepcopy(base) if base is not None else Settings()
    known = known_keys()
    provided: set[str] = set()
    warnings: list[str] = []
    errors: list[str] = []
    for section, values in data.items():
        if section not in known:
            if looks_secret(section):
                errors.append(f"{source}: [{section}]: {_SECRET_REFUSED}")
            else:
                warnings.append(f"{source}: unknown section [{section}] ignored")
            continue
        if not isinstance(values, Mapping):
            errors.append(f"{source}: [{section}] must be a table, not {_kind(values)}")
            continue
        target = getattr(settings, section)
        for key, value in values.items():
            where = f"{source}: [{section}] {key}"
            if key not in known[section]:
                if looks_secret(key):
                    errors.append(f"{where}: {_SECRET_REFUSED}")
                else:
                    warnings.append(f"{source}: unknown setting [{section}] {key} ignored")
                continue
            dotted = f"{section}.{key}"
            try:
                converted = convert_value(getattr(target, key), value)
            except (TypeError, ValueError) as exc:
                errors.append(f"{where}: invalid value {value!r} ({exc})")
                continue
            try:
                converted = check_value(dotted, converted)
            except ValueError as exc:  # a refused URL template, LDAP filter, hotkey...
                errors.append(f"{where}: {exc}")
                continue
            if dotted in locked:
                warnings.append(f"{where}: set by your administrator; this value is ignored")
                continue
            setattr(target, key, converted)
            provided.add(dotted)
    return ParsedSettings(settings, frozenset(provided), tuple(warnings), tuple(errors))


def convert_value(current: Any, value: Any) -> Any:
    """*value* converted to the type of *current* (TypeError/ValueError says why not)."""
    if isinstance(current, enum.Enum):
        kind = type(current)
        choices = [member.value for member in kind]
        if not isinstance(value, str) or value.lower() not in choices:
            raise ValueError("expected one of: " + ", ".join(map(str, choices)))
        return kind(value.lower())
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise TypeError("expected true or false")
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise TypeError("expected a whole number")
        if isinstance(value, int | float):
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return int(value.strip())
        raise TypeError("expected a whole number")
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError("expected a number")
        return float(value)
    if isinstance(current, list):
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise TypeError("expected a list")
        if any(isinstance(v, Mapping | list) for v in value):
            raise TypeError("expected a list of texts or numbers")
        return [str(v) for v in value]
    if isinstance(current, str):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Mapping | list):
            raise TypeError(f"expected a text, not {_kind(value)}")
        return str(value)
    raise TypeError(f"unsupported setting type {type(current).__name__}")


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _dump(section: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        out[f.name] = value.value if isinstance(value, enum.Enum) else value
    return out


# ---------------------------------------------------------------- files


def read_toml(path: Path, *, missing_ok: bool = True) -> dict[str, Any] | None:
    """The tables of *path* (None if it does not exist and *missing_ok*)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        raise SettingsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SettingsError(f"{path} is a folder, not a settings file") from None
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SettingsError(f"{path} is not a text file (settings files are UTF-8 TOML)") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not a valid settings file: {exc}") from None


def read_settings(path: Path, *, base: Settings | None = None,
                  locked: Collection[str] = ()) -> ParsedSettings:
    """Read the agent's file *path* over *base*; raises :class:`SettingsError` listing
    every invalid value at once.  A missing file gives *base* (or the defaults)."""
    data = read_toml(path)
    if data is None:
        return ParsedSettings(copy.deepcopy(base) if base is not None else Settings(),
                              frozenset())
    parsed = parse_settings(data, source=str(path), base=base, locked=locked)
    if parsed.errors:
        raise SettingsError.of(parsed.errors)
    for warning in parsed.warnings:
        log.warning("%s", warning)
    return parsed


def load_settings(path: Path) -> Settings:
    """Read *path* over the defaults; a missing file gives the defaults.

    Unknown keys are logged as warnings naming them; invalid values raise
    :class:`SettingsError` naming all of them.  The administrator's policy
    is applied on top by :func:`desktop.core.policy.load_effective_settings`.
    """
    return read_settings(path).settings


def save_settings(settings: Settings, path: Path, *, omit: Collection[str] = ()) -> None:
    """Write atomically (temp file + rename), readable by the user only.

    Keys in *omit* (``"section.key"``) are left out: those the administrator's
    policy locks or provides (see :meth:`desktop.core.policy.Policy.omitted`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    import tomli_w  # only when saving: not on the way to the tray icon

    data = settings.to_dict()
    for key in omit:
        section, _, name = key.partition(".")
        data.get(section, {}).pop(name, None)
    payload = tomli_w.dumps({k: v for k, v in data.items() if v}).encode()
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
