"""The administrator's machine-wide policy: defaults and locks for every agent.

An IT administrator puts one TOML file on each machine (by the installer,
Group Policy, Intune, Ansible...):

* Linux: ``/etc/kobikom-desktop/policy.toml``
* Windows: ``%ProgramData%\\kobikom-desktop\\policy.toml``
* macOS: ``/Library/Application Support/kobikom-desktop/policy.toml``

``KOBIKOM_DESKTOP_POLICY=FILE`` points to another file (tests, and IT
trying a file before rolling it out).  The file has the same sections and
keys as the agent's ``settings.toml``, plus one top-level list naming the
keys the agent may not change::

    locked = ["account.flavor", "server.host", "server.port"]

    [account]
    flavor = "bulut"
    domain_uuid = "97df2222-c948-492c-8a1b-0123456789ab"

    [server]
    host = "pbx.example.com.tr"
    port = 8990

Settings are layered: the built-in defaults, then the policy's values, then
the agent's own file, except that a **locked** key always keeps the
policy's value (or the default, if the policy locks a key without giving a
value): the agent's file cannot override it, and the Settings dialog and
the setup wizard show it greyed out ("set by your administrator").

A policy never holds secrets: a key that looks like one (``password``,
``api_key``, ``token``...) is ignored with a warning, and so is every other
bad entry (unknown keys, wrong types, invalid values), each named.  A
policy file that cannot be read at all is reported loudly but does not stop
the app: agents must still get their calls.
"""

from __future__ import annotations

import copy
import enum
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from desktop.core.settings import (
    ParsedSettings,
    Settings,
    SettingsError,
    all_keys,
    get_value,
    looks_secret,
    parse_settings,
    read_settings,
    read_toml,
    set_value,
)
from desktop.core.settings_import import validate_values

log = logging.getLogger("kobikom.core.policy")

#: Environment variable naming another policy file.
POLICY_ENV: Final = "KOBIKOM_DESKTOP_POLICY"
#: The policy's file name in its machine-wide folder.
POLICY_FILE_NAME: Final = "policy.toml"
APP_FOLDER: Final = "kobikom-desktop"
#: Largest policy file read (a real one is a few hundred bytes).
MAX_POLICY_SIZE: Final = 256 * 1024


class Origin(enum.Enum):
    """Where an effective setting comes from."""

    DEFAULT = "default"
    POLICY = "policy"
    AGENT = "agent"


def default_policy_path(platform: str | None = None,
                        environ: Mapping[str, str] | None = None) -> Path:
    """The machine-wide policy file of *platform* (``sys.platform`` style)."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    if platform.startswith("win"):
        root = environ.get("ProgramData") or environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(root) / APP_FOLDER / POLICY_FILE_NAME
    if platform == "darwin":
        return Path("/Library/Application Support") / APP_FOLDER / POLICY_FILE_NAME
    return Path("/etc") / APP_FOLDER / POLICY_FILE_NAME


def policy_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$KOBIKOM_DESKTOP_POLICY`` if set, else :func:`default_policy_path`."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(POLICY_ENV, "").strip()
    return Path(chosen).expanduser() if chosen else default_policy_path(environ=environ)


@dataclass(frozen=True, slots=True)
class Policy:
    """The administrator's policy as read (an empty one when there is no file)."""

    #: The file it came from (None: no file).
    path: Path | None = None
    #: The defaults with the policy's valid values applied.
    values: Settings = field(default_factory=Settings)
    #: ``"section.key"`` of every value the policy sets.
    provided: frozenset[str] = frozenset()
    #: ``"section.key"`` the agent may not change.
    locked: frozenset[str] = frozenset()
    #: Everything ignored, one line each (shown to the agent and logged).
    warnings: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.provided or self.locked)

    def base(self) -> Settings:
        """A fresh copy of the defaults with the policy applied (the agent's starting point)."""
        return copy.deepcopy(self.values)

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def enforce(self, settings: Settings) -> Settings:
        """A copy of *settings* with every locked key set back to the policy's value."""
        result = copy.deepcopy(settings)
        for key in self.locked:
            set_value(result, key, get_value(self.values, key))
        return result

    def omitted(self, settings: Settings) -> frozenset[str]:
        """Keys to leave out of the agent's file when saving *settings*.

        Locked keys are never the agent's; a value equal to what the policy
        provides is not written either, so it keeps following the policy
        when IT changes it.
        """
        same = {key for key in self.provided
                if get_value(settings, key) == get_value(self.values, key)}
        return frozenset(self.locked | same)


def load_policy(path: Path | None = None) -> Policy:
    """Read the policy (default: :func:`policy_path`); never raises.

    A missing default file means no policy.  A file named by
    ``KOBIKOM_DESKTOP_POLICY`` that is missing, or any file that cannot be
    read or parsed, gives an empty policy with a warning saying why.
    """
    explicit = path is not None or bool(os.environ.get(POLICY_ENV, "").strip())
    path = path if path is not None else policy_path()
    try:
        if path.stat().st_size > MAX_POLICY_SIZE:
            raise SettingsError(f"{path} is too large to be a policy file")
        data = read_toml(path, missing_ok=True)
    except FileNotFoundError:
        data = None
    except SettingsError as exc:
        return _problem(path, str(exc))
    except OSError as exc:
        return _problem(path, f"cannot read {path}: {exc.strerror or exc}")
    if data is None:
        if explicit:
            return _problem(path, f"{path}: no such policy file")
        return Policy()
    policy = parse_policy(data, path=path)
    for warning in policy.warnings:
        log.warning("%s", warning)
    if policy.active:
        log.info("policy %s: %d value(s), %d locked", path, len(policy.provided),
                 len(policy.locked))
    return policy


def _problem(path: Path, message: str) -> Policy:
    log.error("administrator policy not applied: %s", message)
    return Policy(path=path, warnings=(f"The administrator's policy was not applied: "
                                       f"{message}",))


def parse_policy(data: Mapping[str, Any], *, path: Path) -> Policy:
    """A :class:`Policy` from the parsed TOML of *path* (every bad entry a warning)."""
    name = path.name
    warnings: list[str] = []
    tables: dict[str, Any] = {}
    locked_raw: Any = ()
    for key, value in data.items():
        if key == "locked":
            locked_raw = value
        elif isinstance(value, Mapping):
            tables[key] = _without_secrets(key, value, name, warnings)
        elif looks_secret(key):
            warnings.append(f"{name}: {key}: secrets are never taken from a policy file; "
                            "ignored")
        else:
            warnings.append(f"{name}: unknown top-level key {key!r} ignored")
    parsed = parse_settings(tables, source=name)
    warnings += parsed.warnings
    warnings += [f"{error}; ignored" for error in parsed.errors]
    provided = _valid_values(parsed, name, warnings)
    values = Settings()
    for key in provided:
        set_value(values, key, get_value(parsed.settings, key))
    locked = _locked_keys(locked_raw, name, warnings)
    return Policy(path=path, values=values, provided=provided, locked=locked,
                  warnings=tuple(warnings))


def _without_secrets(section: str, table: Mapping[str, Any], name: str,
                     warnings: list[str]) -> dict[str, Any]:
    known = set(all_keys())
    kept: dict[str, Any] = {}
    for key, value in table.items():
        if f"{section}.{key}" not in known and looks_secret(key):
            warnings.append(f"{name}: [{section}] {key}: secrets are never taken from a "
                            "policy file; ignored")
            continue
        kept[key] = value
    return kept


def _valid_values(parsed: ParsedSettings, name: str, warnings: list[str]) -> frozenset[str]:
    """The provided keys whose values also pass the checks of a roll-out file."""
    errors, notes = validate_values(parsed.settings, parsed.provided, name)
    warnings += notes
    bad: set[str] = set()
    for error in errors:
        warnings.append(f"{error}; ignored")
        for key in parsed.provided:
            section, _, field_name = key.partition(".")
            if f"[{section}] {field_name}:" in error:
                bad.add(key)
    return parsed.provided - bad


def _locked_keys(raw: Any, name: str, warnings: list[str]) -> frozenset[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, Sequence):
        warnings.append(f"{name}: locked must be a list of keys such as \"server.host\"; "
                        "ignored")
        return frozenset()
    known = set(all_keys())
    locked: set[str] = set()
    for item in raw:
        key = str(item).strip()
        if key in known:
            locked.add(key)
        else:
            warnings.append(f"{name}: locked: unknown setting {key!r} ignored "
                            "(keys are written as \"section.key\")")
    return frozenset(locked)


# ---------------------------------------------------------------- effective settings


@dataclass(frozen=True, slots=True)
class EffectiveSettings:
    """The settings in effect, and where each value comes from."""

    settings: Settings
    policy: Policy
    #: The agent's settings file.
    agent_file: Path
    #: ``"section.key"`` the agent's file sets (locked keys excluded).
    agent_keys: frozenset[str] = frozenset()
    #: The agent file's ignored keys (unknown, or locked by the policy).
    warnings: tuple[str, ...] = ()

    def origin(self, key: str) -> Origin:
        if key in self.policy.locked:
            return Origin.POLICY if key in self.policy.provided else Origin.DEFAULT
        if key in self.agent_keys:
            return Origin.AGENT
        if key in self.policy.provided:
            return Origin.POLICY
        return Origin.DEFAULT

    def describe(self) -> dict[str, Any]:
        """A JSON-ready view: every key with its value, origin and lock."""
        out: dict[str, Any] = {}
        for key in all_keys():
            section, _, name = key.partition(".")
            value = get_value(self.settings, key)
            out.setdefault(section, {})[name] = {
                "value": value.value if isinstance(value, enum.Enum) else value,
                "origin": self.origin(key).value,
                "locked": key in self.policy.locked,
            }
        return out


def load_effective_settings(agent_file: Path, policy: Policy | None = None) -> EffectiveSettings:
    """Defaults, then the policy, then the agent's file, with the locks enforced.

    Raises :class:`SettingsError` (naming every bad value) when the agent's
    file is invalid; :func:`fallback_settings` gives what to run with then.
    """
    policy = policy if policy is not None else load_policy()
    parsed = read_settings(agent_file, base=policy.base(), locked=policy.locked)
    settings = policy.enforce(parsed.settings)
    return EffectiveSettings(settings=settings, policy=policy, agent_file=agent_file,
                             agent_keys=parsed.provided, warnings=parsed.warnings)


def fallback_settings(agent_file: Path, policy: Policy) -> EffectiveSettings:
    """What to run with when the agent's file is unusable: the policy over the defaults."""
    return EffectiveSettings(settings=policy.base(), policy=policy, agent_file=agent_file)
