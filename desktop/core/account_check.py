"""The account check: does this account really work?  (The wizard's "Test connection".)

Four real checks against the real servers, run concurrently, each with its
own time limit, each ending in exactly one :class:`CheckResult`:

=============  ==============================================================
``login``      REST login: Tekil ``POST /login``; KobiPBX ``POST /api/v1/login``
``events``     the real-time channel: opened for real with :func:`open_channel`
               (short timeouts, no retries) and watched until the server
               accepts the login, rejects it, hangs up, or stays quiet for
               ``events_settle`` seconds after the login (= accepted: Kobikom
               documents no confirmation)
``extension``  the agent's extension exists: Tekil ``GET /getCentralData/
               extension`` (the object key is *not* the extension, digest
               §8.2); KobiPBX ``GET /api/v1/list-user-extension/{domain}``
               (both documented shapes).  Needs the login; the list fetched
               is returned for the extension picker.
``sms``        the SMS token and balance: ``balance()`` of the new or old SMS
               API (:mod:`desktop.pbx.sms`); skipped when no token is entered
=============  ==============================================================

Every failure is classified as a :class:`Problem` (wrong password, wrong API
key, wrong domain UUID, server unreachable, TLS problem, extension not
found, SMS token rejected, balance low…) and carries a plain-words message
and how to fix it: where to find the value in the Kobikom panel, as the
collection tells (digest §2.1, §2.2, §2.3, §1.2).  The texts are English
templates marked with :func:`QT_TRANSLATE_NOOP` (context ``AccountCheck``)
so the Qt front end shows them translated; :meth:`CheckResult.message` and
:meth:`CheckResult.fix` give the English.

Nothing blocks the caller's thread (the HTTP clients, which load the CA
bundle, are built in worker threads).  Nothing is retried in a loop and
nothing is effectful: a login, two reads, a balance query and one channel
handshake.  Secrets come from the
:class:`~desktop.core.account.Account` (the wizard hands in a session-only
store with what was typed), never appear in a result, and the sessions and
the channel are closed when the check ends or is cancelled.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import urlsplit

import httpx

from desktop.core.account import Account, AccountIncomplete
from desktop.core.secrets import SecretName
from desktop.core.tasks import cancel_and_wait
from desktop.pbx.backoff import BackoffSettings
from desktop.pbx.channels import ChannelTiming, open_channel
from desktop.pbx.connection import ConnectionState, Flavor, Phase, Transport
from desktop.pbx.errors import AmbiguousError, AuthError, NetworkError, PbxError, RequestError
from desktop.pbx.events import Event, KeepAliveEvent, ReplyEvent, UnknownEvent
from desktop.pbx.rest import KobiPbxSession, TekilSession
from desktop.pbx.sms import NewSmsApi, OldSmsApi

__all__ = [
    "LOW_SMS_BALANCE",
    "AccountCheckReport",
    "CheckId",
    "CheckResult",
    "CheckStatus",
    "CheckTimeouts",
    "PbxExtension",
    "Problem",
    "evaluate_extension",
    "kobipbx_extension_list",
    "run_account_check",
    "sms_credits",
    "tekil_extension_list",
]

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


def _format_balance(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


# ---------------------------------------------------------------- classification


def _tls_in_chain(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return current
        current = current.__cause__ or current.__context__
    return None


def _tls_detail(exc: BaseException) -> str | None:
    found = _tls_in_chain(exc)
    if isinstance(found, ssl.SSLCertVerificationError):
        return found.verify_message or found.reason or str(found)
    if found is not None:
        return found.reason or str(found)
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or "TLS certificate not trusted" in text:
        match = re.search(r"certificate verify failed: ([^()\]]+)", text)
        return match.group(1).strip() if match else "certificate verify failed"
    return None


def _short(exc: PbxError) -> str:
    """The reason part of a pbx error message, without the "host METHOD /path:" prefix."""
    reason = exc.server_message or exc.message
    prefix = re.match(r"^(?:\S+ (?:GET|POST|PUT|PATCH|DELETE) \S+|login rejected by \S+): ",
                      reason)
    if prefix:
        reason = reason[prefix.end():]
    return reason[:200]


def _rest_problem(exc: PbxError) -> tuple[Problem, str]:
    """(problem, detail) for a REST failure."""
    if isinstance(exc, AuthError):
        return Problem.WRONG_PASSWORD, _short(exc)
    tls = _tls_detail(exc)
    if tls is not None:
        return Problem.TLS, tls
    if isinstance(exc, AmbiguousError):
        return Problem.TIMEOUT, _short(exc)
    if isinstance(exc, NetworkError):
        text = exc.message
        match = re.search(r"cannot connect \((.*)\)$", text)
        return Problem.UNREACHABLE, (match.group(1) if match else _short(exc))
    return Problem.SERVER_ERROR, _short(exc)


_UNREACHABLE_WORDS: Final = ("connection refused", "name not found", "unreachable",
                             "timed out", "network error", "no route")


def channel_problem(reason: str, *, was_connected: bool) -> Problem:
    """Classify a channel state reason (the wording of ``pbx.channels.describe_error``)."""
    text = reason.lower()
    if "tls" in text or "certificate" in text or text.startswith("cannot read"):
        return Problem.TLS
    if was_connected:
        return Problem.HUNG_UP
    if any(word in text for word in _UNREACHABLE_WORDS):
        return Problem.UNREACHABLE
    return Problem.SERVER_ERROR


# ---------------------------------------------------------------- texts

_NOT_ENTERED_LOGIN = (
    QT_TRANSLATE_NOOP("AccountCheck", "The e-mail and password are not entered."),
    QT_TRANSLATE_NOOP("AccountCheck", "Enter them on the previous page."))

_LOGIN_TEXTS: Final[dict[Problem, tuple[str, str]]] = {
    Problem.WRONG_PASSWORD: (
        QT_TRANSLATE_NOOP("AccountCheck", "{host} rejected the e-mail or password ({detail})."),
        ""),  # per flavor, below
    Problem.UNREACHABLE: (
        QT_TRANSLATE_NOOP("AccountCheck", "Cannot reach {host} ({detail})."),
        QT_TRANSLATE_NOOP("AccountCheck", "Check the internet connection. If you changed the REST "
                              "address under Advanced, check it (empty = Kobikom's). A "
                              "firewall or proxy may be blocking the connection.")),
    Problem.TLS: (
        QT_TRANSLATE_NOOP("AccountCheck", "The server's certificate is not trusted: {detail}."),
        QT_TRANSLATE_NOOP(
            "AccountCheck", "If your company uses its own certificate authority (e.g. a "
                            "proxy that inspects HTTPS), choose its CA certificate under "
                            "Advanced. Otherwise check the server address.")),
    Problem.TIMEOUT: (
        QT_TRANSLATE_NOOP("AccountCheck", "{host} did not answer in time ({detail})."),
        QT_TRANSLATE_NOOP(
            "AccountCheck", "Try again. If it keeps happening, check the connection or "
                            "write to yazilim@kobikom.com.tr.")),
    Problem.SERVER_ERROR: (
        QT_TRANSLATE_NOOP("AccountCheck", "{host} answered with an error: {detail}."),
        QT_TRANSLATE_NOOP(
            "AccountCheck", "Check the addresses under Advanced. If they are right, try "
                            "again later or write to yazilim@kobikom.com.tr.")),
}

_WRONG_PASSWORD_FIX: Final = {
    Flavor.TEKIL: QT_TRANSLATE_NOOP("AccountCheck", "Use the e-mail and password you log in to the "
                                        "Kobikom panel with."),
    Flavor.BULUT: QT_TRANSLATE_NOOP(
        "AccountCheck", "Use your KobiPBX API e-mail and password; Kobikom's "
                        "technical team provides them."),
}

_TEKIL_TCP_HINT: Final = QT_TRANSLATE_NOOP(
    "AccountCheck", "Kobikom switches the Tekil TCP socket on only on request: write to "
        "yazilim@kobikom.com.tr, or choose WebSocket under Advanced.")

_WRONG_API_KEY_FIX: Final = QT_TRANSLATE_NOOP(
    "AccountCheck", "Copy the API key (\"API ANAHTARI\") from your Kobikom panel again.")
_WRONG_DOMAIN_FIX: Final = QT_TRANSLATE_NOOP(
    "AccountCheck", "Check the domain UUID; Kobikom's technical team provides it.")


def _login_result(check: CheckId, problem: Problem, facts: Mapping[str, str],
                  flavor: Flavor) -> CheckResult:
    message, fix = _LOGIN_TEXTS[problem]
    if problem is Problem.WRONG_PASSWORD:
        fix = _WRONG_PASSWORD_FIX[flavor]
    return CheckResult(check, CheckStatus.FAILED, message, fix, problem, facts)


# ---------------------------------------------------------------- the check


def _host_of(url: str) -> str:
    return urlsplit(url).netloc or url


class AccountCheck:
    """One run of the four checks for *account* (see the module docstring)."""

    def __init__(self, account: Account, *, timeouts: CheckTimeouts | None = None,
                 on_result: Callable[[CheckResult], None] | None = None,
                 client: httpx.AsyncClient | None = None) -> None:
        self.account = account
        self.settings = account.settings
        self.flavor = account.flavor
        self.timeouts = timeouts or CheckTimeouts()
        self.report = AccountCheckReport(self.flavor)
        self._on_result = on_result
        self._client = client

    # -- plumbing ------------------------------------------------------------

    def _emit(self, result: CheckResult) -> None:
        self.report.results[result.check] = result
        log.info("account check %s", result)
        if self._on_result is not None:
            try:
                self._on_result(result)
            except Exception:
                log.exception("account check: on_result callback failed")

    def _http_timeout(self) -> httpx.Timeout:
        t = self.timeouts
        return httpx.Timeout(connect=t.rest_connect, read=t.rest_read, write=t.rest_read,
                             pool=t.rest_connect)

    def _session(self) -> TekilSession | KobiPbxSession:
        password = self.account.secret(SecretName.PASSWORD)
        user = self.account.user
        if not user or not password:
            raise AccountIncomplete("the e-mail and password are not entered")
        cls = TekilSession if self.flavor is Flavor.TEKIL else KobiPbxSession
        return cls(user, password, base_url=self.settings.api_base(), client=self._client,
                   timeout=self._http_timeout(),
                   ca_file=self.settings.server.ca_file or None, retry_delay=0.2)

    async def run(self) -> AccountCheckReport:
        session: TekilSession | KobiPbxSession | None
        try:
            # Building an HTTP client loads the CA bundle (tens of ms): not on the GUI thread.
            session = await asyncio.to_thread(self._session)
        except AccountIncomplete:
            session = None
        try:
            await asyncio.gather(self._rest_checks(session), self._events_check(session),
                                 self._sms_check())
        finally:
            if session is not None:
                await session.aclose()
        return self.report

    # -- login + extension --------------------------------------------------------

    async def _rest_checks(self, session: TekilSession | KobiPbxSession | None) -> None:
        ok = await self._login_check(session)
        await self._extension_check(session if ok else None, login_ok=ok)

    async def _login_check(self, session: TekilSession | KobiPbxSession | None) -> bool:
        host = _host_of(self.settings.api_base())
        facts = {"host": host, "user": self.account.user}
        if session is None:
            message, fix = _NOT_ENTERED_LOGIN
            self._emit(CheckResult(CheckId.LOGIN, CheckStatus.FAILED, message, fix,
                                   Problem.NOT_ENTERED, facts))
            return False
        try:
            async with asyncio.timeout(self.timeouts.login):
                await session.login()
        except TimeoutError:
            self._emit(_login_result(CheckId.LOGIN, Problem.TIMEOUT, {
                **facts, "detail": f"{self.timeouts.login:g} s"}, self.flavor))
            return False
        except PbxError as exc:
            problem, detail = _rest_problem(exc)
            self._emit(_login_result(CheckId.LOGIN, problem, {**facts, "detail": detail},
                                     self.flavor))
            return False
        except Exception as exc:  # a bug or an unexpected library error: say so
            log.exception("account check: login failed unexpectedly")
            self._emit(_login_result(CheckId.LOGIN, Problem.SERVER_ERROR, {
                **facts, "detail": f"unexpected error: {type(exc).__name__}"}, self.flavor))
            return False
        self._emit(CheckResult(CheckId.LOGIN, CheckStatus.OK,
                               QT_TRANSLATE_NOOP("AccountCheck", "Signed in to {host} as {user}."),
                               facts=facts))
        return True

    async def _extension_check(self, session: TekilSession | KobiPbxSession | None, *,
                               login_ok: bool) -> None:
        host = _host_of(self.settings.api_base())
        facts = {"host": host}
        if not login_ok or session is None:
            self._emit(CheckResult(
                CheckId.EXTENSION, CheckStatus.SKIPPED,
                QT_TRANSLATE_NOOP("AccountCheck", "Not checked: signing in failed."),
                problem=Problem.NEEDS_LOGIN, facts=facts))
            return
        domain = self.settings.account.domain_uuid.strip()
        if isinstance(session, KobiPbxSession) and not domain:
            self._emit(CheckResult(
                CheckId.EXTENSION, CheckStatus.FAILED,
                QT_TRANSLATE_NOOP("AccountCheck", "The domain UUID is not entered."),
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "Enter it on the previous page; Kobikom's technical "
                                    "team provides it."),
                Problem.NOT_ENTERED, facts))
            return
        try:
            async with asyncio.timeout(self.timeouts.extension):
                if isinstance(session, TekilSession):
                    extensions = tekil_extension_list(await session.get_extensions())
                else:
                    extensions = kobipbx_extension_list(
                        await session.list_user_extensions(domain))
        except TimeoutError:
            self._emit(_login_result(CheckId.EXTENSION, Problem.TIMEOUT, {
                **facts, "detail": f"{self.timeouts.extension:g} s"}, self.flavor))
            return
        except RequestError as exc:
            if isinstance(session, KobiPbxSession) and exc.status == 404:
                # Documented: 404 = domain_uuid not found (digest §5.4).
                self._emit(CheckResult(
                    CheckId.EXTENSION, CheckStatus.FAILED,
                    QT_TRANSLATE_NOOP(
                        "AccountCheck", "KobiPBX does not know this domain UUID ({detail})."),
                    _WRONG_DOMAIN_FIX, Problem.WRONG_DOMAIN,
                    {**facts, "detail": _short(exc)}))
                return
            problem, detail = _rest_problem(exc)
            self._emit(_login_result(CheckId.EXTENSION, problem, {**facts, "detail": detail},
                                     self.flavor))
            return
        except PbxError as exc:
            problem, detail = _rest_problem(exc)
            self._emit(_login_result(CheckId.EXTENSION, problem, {**facts, "detail": detail},
                                     self.flavor))
            return
        except Exception as exc:
            log.exception("account check: extension list failed unexpectedly")
            self._emit(_login_result(CheckId.EXTENSION, Problem.SERVER_ERROR, {
                **facts, "detail": f"unexpected error: {type(exc).__name__}"}, self.flavor))
            return
        self.report.extensions = extensions
        self._emit(evaluate_extension(extensions, self.settings.account.extensions))

    # -- the real-time channel --------------------------------------------------------

    async def _events_check(self, session: TekilSession | KobiPbxSession | None) -> None:
        try:
            self._emit(await self._events(session))
        except Exception as exc:
            log.exception("account check: event channel check failed unexpectedly")
            self._emit(CheckResult(
                CheckId.EVENTS, CheckStatus.FAILED, _LOGIN_TEXTS[Problem.SERVER_ERROR][0],
                _LOGIN_TEXTS[Problem.SERVER_ERROR][1], Problem.SERVER_ERROR,
                {"host": self.settings.endpoint().describe(),
                 "detail": f"unexpected error: {type(exc).__name__}"}))

    def _auth_problem(self) -> tuple[Problem, str]:
        acct = self.settings.account
        if self.flavor is Flavor.BULUT:
            return Problem.WRONG_DOMAIN, _WRONG_DOMAIN_FIX
        token_login = self.account.transport is Transport.WS and (
            acct.ws_login_with_token or bool(self.account.secret(SecretName.PANEL_TOKEN)))
        if token_login:
            return Problem.WRONG_PASSWORD, _WRONG_PASSWORD_FIX[Flavor.TEKIL]
        return Problem.WRONG_API_KEY, _WRONG_API_KEY_FIX

    async def _events(self, session: TekilSession | KobiPbxSession | None) -> CheckResult:
        t = self.timeouts
        endpoint = self.settings.endpoint()
        facts = {"host": endpoint.describe(), "port": str(endpoint.port),
                 "seconds": f"{t.events_settle:g}"}
        tekil_tcp = self.flavor is Flavor.TEKIL and self.account.transport is Transport.TCP
        try:
            credentials = self.account.channel_credentials(session)
        except AccountIncomplete:
            if self.flavor is Flavor.BULUT:
                message = QT_TRANSLATE_NOOP("AccountCheck", "The domain UUID is not entered.")
            else:
                message = QT_TRANSLATE_NOOP("AccountCheck", "The API key is not entered.")
            return CheckResult(CheckId.EVENTS, CheckStatus.FAILED, message,
                               QT_TRANSLATE_NOOP("AccountCheck", "Enter it on the previous page."),
                               Problem.NOT_ENTERED, facts)

        loop = asyncio.get_running_loop()
        verdict: asyncio.Future[tuple[str, str]] = loop.create_future()
        connected = False
        quiet_timer: asyncio.TimerHandle | None = None

        def decide(kind: str, reason: str) -> None:
            if not verdict.done():
                verdict.set_result((kind, reason))

        def on_state(state: ConnectionState) -> None:
            nonlocal connected, quiet_timer
            if state.phase is Phase.CONNECTED:
                connected = True
                quiet_timer = loop.call_later(t.events_settle, decide, "quiet", "")
            elif state.phase is Phase.AUTH_FAILED:
                decide("rejected", state.reason or "")
            elif state.phase is Phase.RECONNECTING:
                decide("dropped" if connected else "failed", state.reason or "")

        def on_event(event: Event) -> None:
            if isinstance(event, ReplyEvent):
                if event.ok is True:
                    decide("accepted", event.message)
            elif not isinstance(event, (KeepAliveEvent, UnknownEvent)):
                decide("accepted", "")

        never = BackoffSettings(first=3600.0, factor=1.0, cap=3600.0, jitter=0.0)
        timing = ChannelTiming(
            connect_timeout=t.events_connect, write_timeout=t.events_connect,
            idle_timeout=None, ping_interval=None, ping_timeout=None, close_timeout=1.0,
            auth_reply_window=t.events_settle + 1.0, early_close_window=t.events_settle,
            watchdog_tick=1.0)
        channel = open_channel(self.flavor, self.account.transport, endpoint, credentials,
                               on_event=on_event, on_state=on_state, timing=timing,
                               backoff=never, auth_backoff=never)
        task = asyncio.create_task(channel.run(), name="account-check-events")
        started = time.monotonic()
        try:
            async with asyncio.timeout(t.events_total):
                kind, reason = await verdict
        except TimeoutError:
            kind, reason = ("quiet", "") if connected else ("timeout", "")
        finally:
            if quiet_timer is not None:
                quiet_timer.cancel()
            await cancel_and_wait(task)
        log.debug("event channel check: %s after %.1f s", kind, time.monotonic() - started)
        # "login rejected: Geçersiz API anahtarı" -> the server's own words (the message
        # around it already says what was rejected).
        facts["detail"] = reason.removeprefix("login rejected: ")
        if kind == "accepted":
            return CheckResult(
                CheckId.EVENTS, CheckStatus.OK,
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "Connected to {host}; the server accepted the login."),
                facts=facts)
        if kind == "quiet":
            return CheckResult(
                CheckId.EVENTS, CheckStatus.OK,
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "Connected to {host}; the server did not object to the "
                                    "login within {seconds} s."),
                facts=facts)
        if kind == "rejected":
            problem, fix = self._auth_problem()
            message = {
                Problem.WRONG_DOMAIN: QT_TRANSLATE_NOOP(
                    "AccountCheck", "The live event server rejected the domain UUID ({detail})."),
                Problem.WRONG_PASSWORD: QT_TRANSLATE_NOOP(
                    "AccountCheck", "The live event server rejected the panel login ({detail})."),
                Problem.WRONG_API_KEY: QT_TRANSLATE_NOOP(
                    "AccountCheck", "The live event server rejected the API key ({detail})."),
            }[problem]
            return CheckResult(CheckId.EVENTS, CheckStatus.FAILED, message, fix, problem,
                               facts)
        if kind == "timeout":
            facts["detail"] = f"{t.events_total:g} s"
            return CheckResult(
                CheckId.EVENTS, CheckStatus.FAILED, _LOGIN_TEXTS[Problem.TIMEOUT][0],
                _LOGIN_TEXTS[Problem.TIMEOUT][1], Problem.TIMEOUT, facts)
        problem = channel_problem(reason, was_connected=kind == "dropped")
        if problem is Problem.HUNG_UP:
            if tekil_tcp:
                fix = _TEKIL_TCP_HINT
            elif self.flavor is Flavor.BULUT:
                fix = _WRONG_DOMAIN_FIX
            else:
                fix = _WRONG_API_KEY_FIX
            return CheckResult(
                CheckId.EVENTS, CheckStatus.FAILED,
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "{host} closed the connection right after the login "
                                    "({detail})."),
                fix, problem, facts)
        if problem is Problem.UNREACHABLE:
            return CheckResult(
                CheckId.EVENTS, CheckStatus.FAILED,
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "Cannot reach the live event server {host} ({detail})."),
                _TEKIL_TCP_HINT if tekil_tcp else QT_TRANSLATE_NOOP(
                    "AccountCheck", "Check the internet connection, and the server and port under "
                                    "Advanced (empty = Kobikom's). Firewalls often block port "
                                    "{port}."),
                problem, facts)
        if problem is Problem.TLS:
            detail = re.sub(r"^TLS (certificate not trusted|handshake failed): ", "", reason)
            facts["detail"] = detail
        message, fix = _LOGIN_TEXTS[problem]
        if problem is Problem.SERVER_ERROR:
            message = QT_TRANSLATE_NOOP(
                "AccountCheck", "The live event server {host} failed: {detail}.")
        return CheckResult(CheckId.EVENTS, CheckStatus.FAILED, message, fix, problem, facts)

    # -- SMS --------------------------------------------------------------------------

    async def _sms_check(self) -> None:
        try:
            self._emit(await self._sms())
        except Exception as exc:
            log.exception("account check: SMS check failed unexpectedly")
            self._emit(CheckResult(
                CheckId.SMS, CheckStatus.FAILED, _LOGIN_TEXTS[Problem.SERVER_ERROR][0],
                _LOGIN_TEXTS[Problem.SERVER_ERROR][1], Problem.SERVER_ERROR,
                {"host": _host_of(self.settings.sms_base()),
                 "detail": f"unexpected error: {type(exc).__name__}"}))

    async def _sms(self) -> CheckResult:
        api = "old" if self.settings.sms.api == "old" else "new"
        name = SecretName.SMS_API_KEY if api == "old" else SecretName.SMS_TOKEN
        credential = self.account.secret(name)
        base = self.settings.sms_base()
        facts = {"host": _host_of(base)}
        if not credential:
            return CheckResult(CheckId.SMS, CheckStatus.SKIPPED,
                               QT_TRANSLATE_NOOP(
                                   "AccountCheck", "No SMS token entered (optional)."),
                               problem=Problem.NOT_ENTERED, facts=facts)
        cls: type[NewSmsApi] | type[OldSmsApi] = OldSmsApi if api == "old" else NewSmsApi
        source: NewSmsApi | OldSmsApi = await asyncio.to_thread(
            cls, credential, base_url=base, client=self._client, timeout=self._http_timeout(),
            ca_file=self.settings.server.ca_file or None, retry_delay=0.2)
        try:
            async with asyncio.timeout(self.timeouts.sms):
                answer = await source.balance()
        except TimeoutError:
            return _login_result(CheckId.SMS, Problem.TIMEOUT, {
                **facts, "detail": f"{self.timeouts.sms:g} s"}, self.flavor)
        except PbxError as exc:
            if isinstance(exc, AuthError) or exc.status in (401, 403):
                if api == "old":
                    fix = QT_TRANSLATE_NOOP(
                        "AccountCheck", "In the SMS panel, open Ayarlar (Settings) → SMS API and "
                                        "copy the key again.")
                else:
                    fix = QT_TRANSLATE_NOOP(
                        "AccountCheck", "In the SMS panel, open Ayarlar (Settings) → SMS API and "
                                        "copy the token again.")
                return CheckResult(
                    CheckId.SMS, CheckStatus.FAILED,
                    QT_TRANSLATE_NOOP(
                        "AccountCheck", "The SMS service rejected the token ({detail})."),
                    fix, Problem.SMS_TOKEN_REJECTED, {**facts, "detail": _short(exc)})
            problem, detail = _rest_problem(exc)
            return _login_result(CheckId.SMS, problem, {**facts, "detail": detail},
                                 self.flavor)
        finally:
            await source.aclose()
        credits = sms_credits(answer)
        self.report.sms_balance = credits
        if credits is None:
            return CheckResult(CheckId.SMS, CheckStatus.OK,
                               QT_TRANSLATE_NOOP(
                                   "AccountCheck", "SMS token accepted."), facts=facts)
        facts["balance"] = _format_balance(credits)
        if credits < LOW_SMS_BALANCE:
            return CheckResult(
                CheckId.SMS, CheckStatus.WARNING,
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "SMS token accepted, but the balance is low: {balance}."),
                QT_TRANSLATE_NOOP(
                    "AccountCheck", "Top up your SMS balance in the Kobikom SMS panel."),
                Problem.BALANCE_LOW, facts)
        return CheckResult(
            CheckId.SMS, CheckStatus.OK,
            QT_TRANSLATE_NOOP(
                "AccountCheck", "SMS token accepted; balance: {balance}."), facts=facts)


async def run_account_check(
    account: Account,
    *,
    on_result: Callable[[CheckResult], None] | None = None,
    timeouts: CheckTimeouts | None = None,
    client: httpx.AsyncClient | None = None,
) -> AccountCheckReport:
    """Run the four checks concurrently; *on_result* gets each result as it comes.

    Never raises for a failed check (that is a result); cancelling the task
    stops every check and closes the connections.  ``client`` (optional) is
    used for every HTTP request and not closed (tests may pass one with an
    ``httpx.MockTransport``).
    """
    return await AccountCheck(account, timeouts=timeouts, on_result=on_result,
                              client=client).run()
