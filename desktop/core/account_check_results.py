"""What the account check finds: results, problems, the extension and SMS verdicts (no I/O).

Part of :mod:`desktop.core.account_check`; the texts are English templates
marked ``QT_TRANSLATE_NOOP("AccountCheck", ...)`` for the Qt front end.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from desktop.pbx.connection import Flavor

log = logging.getLogger("kobikom.core.account_check")

#: Below this many SMS credits the check warns (the unit is not documented:
#: the old API reports whole credits, the new one a decimal string).
LOW_SMS_BALANCE: Final = 10.0


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # Qt's marker name, for lupdate
    """Mark *text* for Qt's translation tools (``lupdate``); returns it unchanged."""
    return text




class CheckId(enum.Enum):
    LOGIN = "login"
    EVENTS = "events"
    EXTENSION = "extension"
    SMS = "sms"


class CheckStatus(enum.Enum):
    OK = "ok"
    #: It works, but look at this (low SMS balance, extension not chosen yet).
    WARNING = "warning"
    FAILED = "failed"
    SKIPPED = "skipped"


class Problem(enum.Enum):
    """Why a check did not pass, in the agent's terms."""

    NOT_ENTERED = "not_entered"
    WRONG_PASSWORD = "wrong_password"
    WRONG_API_KEY = "wrong_api_key"
    WRONG_DOMAIN = "wrong_domain"
    UNREACHABLE = "unreachable"
    TLS = "tls"
    TIMEOUT = "timeout"
    SERVER_ERROR = "server_error"
    #: The event server closed the connection right after the login, silently.
    HUNG_UP = "hung_up"
    NO_EXTENSION = "no_extension"
    EXTENSION_NOT_FOUND = "extension_not_found"
    SMS_TOKEN_REJECTED = "sms_token_rejected"
    BALANCE_LOW = "balance_low"
    #: Skipped: it needs the login, which failed.
    NEEDS_LOGIN = "needs_login"


@dataclass(frozen=True, slots=True)
class CheckTimeouts:
    """Time limits of the checks, in seconds (tests shrink them)."""

    #: REST connect timeout; reads get ``rest_read``.
    rest_connect: float = 6.0
    rest_read: float = 10.0
    #: Whole login, and whole extension fetch.
    login: float = 15.0
    extension: float = 15.0
    #: Event channel: TCP/TLS/WebSocket opening, quiet time that means
    #: "accepted", and the whole check.
    events_connect: float = 8.0
    events_settle: float = 3.0
    events_total: float = 15.0
    sms: float = 15.0


@dataclass(frozen=True, slots=True)
class PbxExtension:
    """An extension the PBX reported: its number and a display name (may be "")."""

    number: str
    name: str = ""

    def label(self) -> str:
        return f"{self.number} – {self.name}" if self.name else self.number


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check.

    ``message_template`` and ``fix_template`` are English templates (marked
    for translation) filled from ``facts`` (``host``, ``user``, ``detail``,
    ``extension``, ``count``, ``balance``, ``seconds``, ``known``…);
    ``detail`` is the technical reason (scrubbed), also in ``facts``.
    """

    check: CheckId
    status: CheckStatus
    message_template: str
    fix_template: str = ""
    problem: Problem | None = None
    facts: Mapping[str, str] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return self.facts.get("detail", "")

    def message(self) -> str:
        return fill(self.message_template, self.facts)

    def fix(self) -> str:
        return fill(self.fix_template, self.facts)

    def __str__(self) -> str:
        fix = self.fix()
        return f"{self.check.value}: {self.status.value}: {self.message()}" + \
            (f" {fix}" if fix else "")


class _Facts(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str, facts: Mapping[str, str]) -> str:
    """``template.format_map(facts)``; a missing fact shows as ``?`` instead of raising."""
    try:
        return template.format_map(_Facts(facts))
    except (ValueError, IndexError):
        return template


@dataclass(slots=True)
class AccountCheckReport:
    """Everything the check found."""

    flavor: Flavor
    results: dict[CheckId, CheckResult] = field(default_factory=dict)
    #: The PBX's extensions (None: could not be fetched).
    extensions: list[PbxExtension] | None = None
    #: SMS credits (None: not checked or unknown).
    sms_balance: float | None = None

    @property
    def passed(self) -> bool:
        """No check failed (warnings and skipped checks are fine)."""
        return all(r.status is not CheckStatus.FAILED for r in self.results.values())


# ---------------------------------------------------------------- extension lists


def _natural_key(number: str) -> tuple[int, int | str]:
    return (0, int(number)) if number.isdigit() else (1, number)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""


def tekil_extension_list(raw: Mapping[str, Mapping[str, Any]]) -> list[PbxExtension]:
    """``getCentralData/extension`` -> extensions.

    The number is the object's ``extension`` field, **not** its key (the
    key ``"110"`` holds extension ``"101000"``, digest §8.2); the key is
    used only when the field is missing.  Names: ``name``, else
    ``ampuser.cidname``.
    """
    found: dict[str, PbxExtension] = {}
    for key, item in raw.items():
        number = _text(item.get("extension")) or _text(key)
        if not number:
            continue
        ampuser = item.get("ampuser")
        name = _text(item.get("name")) or (
            _text(ampuser.get("cidname")) if isinstance(ampuser, Mapping) else "")
        found.setdefault(number, PbxExtension(number, "" if name == number else name))
    return sorted(found.values(), key=lambda e: _natural_key(e.number))


def kobipbx_extension_list(data: Mapping[str, Any]) -> list[PbxExtension]:
    """``list-user-extension`` data -> extensions (``extensions[].extension.extension``).

    Names: ``effective_caller_id_name``, ``outbound_caller_id_name``, else
    ``directory_first_name`` + ``directory_last_name`` (any may be null).
    """
    found: dict[str, PbxExtension] = {}
    entries = data.get("extensions")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, Mapping):
            continue
        inner = entry.get("extension")
        record = inner if isinstance(inner, Mapping) else entry
        number = _text(record.get("extension"))
        if not number:
            continue
        first = _text(record.get("directory_first_name"))
        last = _text(record.get("directory_last_name"))
        name = (_text(record.get("effective_caller_id_name"))
                or _text(record.get("outbound_caller_id_name"))
                or " ".join(p for p in (first, last) if p))
        found.setdefault(number, PbxExtension(number, "" if name == number else name))
    return sorted(found.values(), key=lambda e: _natural_key(e.number))


#: How many of the PBX's extensions a "not found" message lists.
KNOWN_LISTED: Final = 8


def evaluate_extension(extensions: Sequence[PbxExtension], chosen: Sequence[str]
                       ) -> CheckResult:
    """The extension check's verdict for *chosen* against the fetched list (no I/O).

    The wizard calls it again whenever the agent picks or types another
    extension.
    """
    by_number = {e.number: e for e in extensions}
    known = ", ".join(e.number for e in extensions[:KNOWN_LISTED])
    if len(extensions) > KNOWN_LISTED:
        known += ", …"
    facts = {"count": str(len(extensions)), "known": known}
    wanted = [c.strip() for c in chosen if c.strip()]
    if not wanted:
        if not extensions:
            return CheckResult(
                CheckId.EXTENSION, CheckStatus.WARNING,
                QT_TRANSLATE_NOOP("AccountCheck", "The PBX reported no extensions."),
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "Type your extension below; your administrator or "
                                    "Kobikom's technical team can tell you which it is."),
                Problem.NO_EXTENSION, facts)
        return CheckResult(
            CheckId.EXTENSION, CheckStatus.WARNING,
            QT_TRANSLATE_NOOP("AccountCheck", "The PBX has {count} extensions."),
            QT_TRANSLATE_NOOP("AccountCheck", "Pick yours from the list below."),
            Problem.NO_EXTENSION, facts)
    missing = [c for c in wanted if c not in by_number]
    if missing:
        return CheckResult(
            CheckId.EXTENSION, CheckStatus.FAILED,
            QT_TRANSLATE_NOOP("AccountCheck", "Extension {extension} is not on your PBX."),
            QT_TRANSLATE_NOOP(
                "AccountCheck", "Pick your extension from the list below (the PBX has: "
                                "{known}).") if extensions else
            QT_TRANSLATE_NOOP(
                "AccountCheck", "The PBX reported no extensions; ask your administrator "
                                "which extension is yours."),
            Problem.EXTENSION_NOT_FOUND, {**facts, "extension": ", ".join(missing)})
    names = ", ".join(by_number[c].label() for c in wanted)
    return CheckResult(
        CheckId.EXTENSION, CheckStatus.OK,
        QT_TRANSLATE_NOOP("AccountCheck", "Extension {extension} found on the PBX."),
        problem=None, facts={**facts, "extension": names})


# ---------------------------------------------------------------- SMS


def sms_credits(value: Any) -> float | None:
    """A balance as a number: ``120001``, ``"2.9340"``, ``{"balance": …}``, ``obj.balance``…"""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(Decimal(value.strip().replace(",", ".")))
        except (InvalidOperation, ValueError):
            return None
    if isinstance(value, Mapping):
        for key in ("balance", "credits", "credit", "amount"):
            if key in value:
                return sms_credits(value[key])
        return None
    for attr in ("credits", "balance", "credit", "amount"):
        if hasattr(value, attr):
            return sms_credits(getattr(value, attr))
    return None


def format_balance(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


# ---------------------------------------------------------------- classification
