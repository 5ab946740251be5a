"""Importing an admin-prepared settings file (IT roll-outs).

An administrator prepares one TOML file for the whole office: the account
type, the servers, the KobiPBX domain, the SMS API, maybe the popup corner,
and **no secrets**.  Each agent then imports it (``kobikom-desktop --config
FILE`` on first start, or "Import settings…" in the setup wizard or the
Settings dialog) and only enters their own e-mail, password, API key and
extension.

:func:`read_settings_file` is stricter than :func:`~desktop.core.settings.load_settings`
(which must keep reading files written by newer versions):

* a key that looks like a secret (``password``, ``token``, ``api_key``…)
  anywhere in the file, in any table, refuses the whole file: secrets live
  in the keyring only;
* an invalid value names its key: ``[server] port: 70000 is not a port
  number (1-65535)``;
* unknown tables and keys (typos such as ``domian_uuid``) are not fatal but
  are reported as warnings, so the administrator hears about them;
* a relative ``ca_file`` is taken relative to the settings file's folder.

:class:`SettingsImport` also says which keys the file provided
(``"account.flavor"``, ``"server.host"``…): the wizard locks those an
administrator decides (:data:`ADMIN_KEYS`) and asks only for the rest.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from desktop.core.settings import (
    SECRET_WORDS,
    Settings,
    SettingsError,
    known_keys,
    looks_secret,
    parse_settings,
)

__all__ = [
    "ADMIN_KEYS",
    "SECRET_WORDS",
    "SettingsImport",
    "apply_provided",
    "import_settings_file",
    "read_settings_file",
    "validate_values",
]

#: Keys an administrator decides for everyone; the wizard greys them out
#: when a roll-out file sets them.  The agent's own values (login e-mail,
#: extension) stay editable even when the file pre-fills them.
ADMIN_KEYS: Final = frozenset({
    "account.flavor", "account.transport", "account.domain_uuid", "account.crm_id",
    "account.ws_login_with_token",
    "server.host", "server.port", "server.tls", "server.ca_file", "server.ws_path",
    "server.api_base",
    "sms.api", "sms.base", "sms.sender",
})

#: Largest settings file we read (an admin file is a few hundred bytes).
MAX_FILE_SIZE: Final = 256 * 1024

_EXTENSION: Final = re.compile(r"\d{1,10}")
_UUID: Final = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


@dataclass(frozen=True, slots=True)
class SettingsImport:
    """A validated settings file: the settings, which keys it set, and warnings."""

    path: Path
    settings: Settings
    #: ``"section.key"`` of every known key the file sets.
    provided: frozenset[str]
    #: Plain-English notes that did not stop the import (unknown keys…).
    warnings: tuple[str, ...] = field(default=())

    @property
    def admin_keys(self) -> frozenset[str]:
        """The provided keys an administrator decides (see :data:`ADMIN_KEYS`)."""
        return self.provided & ADMIN_KEYS


def import_settings_file(path: Path) -> Settings:
    """The settings of an admin-prepared file; raises :class:`SettingsError` (says which key).

    The small entry point the Settings dialog and the wizard share; see
    :func:`read_settings_file` for the keys the file provided and warnings.
    """
    return read_settings_file(path).settings


def read_settings_file(path: Path) -> SettingsImport:
    """Read and validate *path* (blocking file I/O: call it in a worker thread)."""
    path = Path(path)
    name = path.name
    try:
        if path.stat().st_size > MAX_FILE_SIZE:
            raise SettingsError(f"{name} is too large to be a settings file "
                                f"({path.stat().st_size // 1024} KiB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SettingsError(f"{path} is a folder, not a settings file") from None
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SettingsError(f"{name} is not a text file (settings files are UTF-8 TOML)") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{name} is not a valid settings file: {exc}") from None

    _refuse_secrets(data, name)
    parsed = parse_settings(data, source=name)
    if parsed.errors:
        raise SettingsError.of(parsed.errors)
    settings, provided = parsed.settings, parsed.provided
    _resolve_ca_file(settings, path.parent, provided)
    errors, warnings = validate_values(settings, provided, name)
    if errors:
        raise SettingsError.of(errors)
    notes = [w.removeprefix(f"{name}: ") for w in parsed.warnings]
    return SettingsImport(path=path, settings=settings, provided=provided,
                          warnings=tuple(notes + warnings))


def apply_provided(base: Settings, imported: SettingsImport) -> Settings:
    """A copy of *base* with the values *imported* provided (the others unchanged)."""
    result = copy.deepcopy(base)
    for key in imported.provided:
        section, _, name = key.partition(".")
        value = getattr(getattr(imported.settings, section), name)
        setattr(getattr(result, section), name, copy.deepcopy(value))
    return result


# ---------------------------------------------------------------- checks


def _known_sections() -> dict[str, set[str]]:
    return {section: set(keys) for section, keys in known_keys().items()}


def _walk(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        yield dotted, value
        if isinstance(value, Mapping):
            yield from _walk(value, f"{dotted}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{dotted}.")


def _refuse_secrets(data: Mapping[str, Any], name: str) -> None:
    known = _known_sections()
    for dotted, value in _walk(data):
        section, _, key = dotted.rpartition(".")
        if section in known and key in known[section]:
            continue  # e.g. account.ws_login_with_token is a switch, not a token
        if looks_secret(key):
            if isinstance(value, Mapping):
                where = f"[{dotted}]"
            else:
                where = f"[{section}] {key}" if section else key
            raise SettingsError(
                f"{name}: {where}: secrets (passwords, API keys, tokens) must not be in a "
                "settings file. Remove it; each agent enters their own in the app, which "
                "keeps it in the system keyring.")


def _resolve_ca_file(settings: Settings, folder: Path, provided: Iterable[str]) -> None:
    ca = settings.server.ca_file
    if "server.ca_file" in provided and ca:
        path = Path(ca).expanduser()
        if not path.is_absolute():
            path = folder / path
        settings.server.ca_file = str(path)


def _url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an http:// or https:// address"
    return None


def validate_values(settings: Settings, provided: frozenset[str],
                    name: str) -> tuple[list[str], list[str]]:
    """Check the values a file provided beyond their types: (errors, warnings).

    Every problem names its key; all of them are returned at once.
    """
    errors: list[str] = []
    warnings: list[str] = []

    def bad(key: str, value: Any, why: str) -> None:
        section, _, field_name = key.partition(".")
        errors.append(f"{name}: [{section}] {field_name}: {value!r} {why}")

    server, account, sms = settings.server, settings.account, settings.sms
    if "server.port" in provided and not 0 <= server.port <= 65535:
        bad("server.port", server.port,
            "is not a port number (1-65535, or 0 for the default)")
    if "server.tls" in provided and server.tls.lower() not in ("", "true", "false"):
        bad("server.tls", server.tls, 'must be "true", "false" or empty')
    for key, value in (("server.api_base", server.api_base), ("sms.base", sms.base)):
        if key in provided and value:
            problem = _url_problem(value)
            if problem:
                bad(key, value, problem)
    if "server.host" in provided and server.host and (
            "/" in server.host or " " in server.host.strip()):
        bad("server.host", server.host, "must be a host name or IP address, not a URL")
    if "server.ca_file" in provided and server.ca_file \
            and not Path(server.ca_file).is_file():
        bad("server.ca_file", server.ca_file, "does not exist")
    if "sms.api" in provided and sms.api not in ("new", "old"):
        bad("sms.api", sms.api, 'must be "new" or "old"')
    if "account.extensions" in provided:
        for ext in account.extensions:
            if not _EXTENSION.fullmatch(ext):
                bad("account.extensions", ext, "is not an extension number (digits only)")
    if "account.domain_uuid" in provided and account.domain_uuid \
            and not _UUID.fullmatch(account.domain_uuid.strip()):
        warnings.append(f"[account] domain_uuid {account.domain_uuid!r} does not look like a "
                        "UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    if "account.user" in provided and account.user and "@" not in account.user:
        warnings.append(f"[account] user {account.user!r} is not an e-mail address")
    return errors, warnings
