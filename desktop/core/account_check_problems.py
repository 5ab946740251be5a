"""Why a check failed, in plain words: TLS, REST and channel failures classified as a
:class:`~desktop.core.account_check_results.Problem`, with the login texts and fixes.

Part of :mod:`desktop.core.account_check` (no I/O).
"""

from __future__ import annotations

import logging
import re
import ssl
from collections.abc import Mapping
from typing import Final

from desktop.core.account_check_results import (
    QT_TRANSLATE_NOOP,
    CheckId,
    CheckResult,
    CheckStatus,
    Problem,
)
from desktop.pbx.connection import Flavor
from desktop.pbx.errors import AmbiguousError, AuthError, NetworkError, PbxError

log = logging.getLogger("kobikom.core.account_check")

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


def short(exc: PbxError) -> str:
    """The reason part of a pbx error message, without the "host METHOD /path:" prefix."""
    reason = exc.server_message or exc.message
    prefix = re.match(r"^(?:\S+ (?:GET|POST|PUT|PATCH|DELETE) \S+|login rejected by \S+): ",
                      reason)
    if prefix:
        reason = reason[prefix.end():]
    return reason[:200]


def rest_problem(exc: PbxError) -> tuple[Problem, str]:
    """(problem, detail) for a REST failure."""
    if isinstance(exc, AuthError):
        return Problem.WRONG_PASSWORD, short(exc)
    tls = _tls_detail(exc)
    if tls is not None:
        return Problem.TLS, tls
    if isinstance(exc, AmbiguousError):
        return Problem.TIMEOUT, short(exc)
    if isinstance(exc, NetworkError):
        text = exc.message
        match = re.search(r"cannot connect \((.*)\)$", text)
        return Problem.UNREACHABLE, (match.group(1) if match else short(exc))
    return Problem.SERVER_ERROR, short(exc)


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

NOT_ENTERED_LOGIN = (
    QT_TRANSLATE_NOOP("AccountCheck", "The e-mail and password are not entered."),
    QT_TRANSLATE_NOOP("AccountCheck", "Enter them on the previous page."))

LOGIN_TEXTS: Final[dict[Problem, tuple[str, str]]] = {
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

WRONG_PASSWORD_FIX: Final = {
    Flavor.TEKIL: QT_TRANSLATE_NOOP("AccountCheck", "Use the e-mail and password you log in to the "
                                        "Kobikom panel with."),
    Flavor.BULUT: QT_TRANSLATE_NOOP(
        "AccountCheck", "Use your KobiPBX API e-mail and password; Kobikom's "
                        "technical team provides them."),
}

TEKIL_TCP_HINT: Final = QT_TRANSLATE_NOOP(
    "AccountCheck", "Kobikom switches the Tekil TCP socket on only on request: write to "
        "yazilim@kobikom.com.tr, or choose WebSocket under Advanced.")

WRONG_API_KEY_FIX: Final = QT_TRANSLATE_NOOP(
    "AccountCheck", "Copy the API key (\"API ANAHTARI\") from your Kobikom panel again.")
WRONG_DOMAIN_FIX: Final = QT_TRANSLATE_NOOP(
    "AccountCheck", "Check the domain UUID; Kobikom's technical team provides it.")


def login_result(check: CheckId, problem: Problem, facts: Mapping[str, str],
                  flavor: Flavor) -> CheckResult:
    message, fix = LOGIN_TEXTS[problem]
    if problem is Problem.WRONG_PASSWORD:
        fix = WRONG_PASSWORD_FIX[flavor]
    return CheckResult(check, CheckStatus.FAILED, message, fix, problem, facts)
