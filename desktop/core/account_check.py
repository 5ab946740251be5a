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
import logging
import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from desktop.core.account import Account, AccountIncomplete
from desktop.core.account_check_problems import (
    LOGIN_TEXTS,
    NOT_ENTERED_LOGIN,
    TEKIL_TCP_HINT,
    WRONG_API_KEY_FIX,
    WRONG_DOMAIN_FIX,
    WRONG_PASSWORD_FIX,
    channel_problem,
    login_result,
    rest_problem,
    short,
)
from desktop.core.account_check_results import (
    LOW_SMS_BALANCE,
    QT_TRANSLATE_NOOP,
    AccountCheckReport,
    CheckId,
    CheckResult,
    CheckStatus,
    CheckTimeouts,
    PbxExtension,
    Problem,
    evaluate_extension,
    format_balance,
    kobipbx_extension_list,
    sms_credits,
    tekil_extension_list,
)
from desktop.core.secrets import SecretName
from desktop.core.tasks import cancel_and_wait
from desktop.pbx.backoff import BackoffSettings
from desktop.pbx.channels import ChannelTiming, open_channel
from desktop.pbx.connection import ConnectionState, Flavor, Phase, Transport
from desktop.pbx.errors import AuthError, PbxError, RequestError
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
            message, fix = NOT_ENTERED_LOGIN
            self._emit(CheckResult(CheckId.LOGIN, CheckStatus.FAILED, message, fix,
                                   Problem.NOT_ENTERED, facts))
            return False
        try:
            async with asyncio.timeout(self.timeouts.login):
                await session.login()
        except TimeoutError:
            self._emit(login_result(CheckId.LOGIN, Problem.TIMEOUT, {
                **facts, "detail": f"{self.timeouts.login:g} s"}, self.flavor))
            return False
        except PbxError as exc:
            problem, detail = rest_problem(exc)
            self._emit(login_result(CheckId.LOGIN, problem, {**facts, "detail": detail},
                                     self.flavor))
            return False
        except Exception as exc:  # a bug or an unexpected library error: say so
            log.exception("account check: login failed unexpectedly")
            self._emit(login_result(CheckId.LOGIN, Problem.SERVER_ERROR, {
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
            self._emit(login_result(CheckId.EXTENSION, Problem.TIMEOUT, {
                **facts, "detail": f"{self.timeouts.extension:g} s"}, self.flavor))
            return
        except RequestError as exc:
            if isinstance(session, KobiPbxSession) and exc.status == 404:
                # Documented: 404 = domain_uuid not found (digest §5.4).
                self._emit(CheckResult(
                    CheckId.EXTENSION, CheckStatus.FAILED,
                    QT_TRANSLATE_NOOP(
                        "AccountCheck", "KobiPBX does not know this domain UUID ({detail})."),
                    WRONG_DOMAIN_FIX, Problem.WRONG_DOMAIN,
                    {**facts, "detail": short(exc)}))
                return
            problem, detail = rest_problem(exc)
            self._emit(login_result(CheckId.EXTENSION, problem, {**facts, "detail": detail},
                                     self.flavor))
            return
        except PbxError as exc:
            problem, detail = rest_problem(exc)
            self._emit(login_result(CheckId.EXTENSION, problem, {**facts, "detail": detail},
                                     self.flavor))
            return
        except Exception as exc:
            log.exception("account check: extension list failed unexpectedly")
            self._emit(login_result(CheckId.EXTENSION, Problem.SERVER_ERROR, {
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
                CheckId.EVENTS, CheckStatus.FAILED, LOGIN_TEXTS[Problem.SERVER_ERROR][0],
                LOGIN_TEXTS[Problem.SERVER_ERROR][1], Problem.SERVER_ERROR,
                {"host": self.settings.endpoint().describe(),
                 "detail": f"unexpected error: {type(exc).__name__}"}))

    def _auth_problem(self) -> tuple[Problem, str]:
        acct = self.settings.account
        if self.flavor is Flavor.BULUT:
            return Problem.WRONG_DOMAIN, WRONG_DOMAIN_FIX
        token_login = self.account.transport is Transport.WS and (
            acct.ws_login_with_token or bool(self.account.secret(SecretName.PANEL_TOKEN)))
        if token_login:
            return Problem.WRONG_PASSWORD, WRONG_PASSWORD_FIX[Flavor.TEKIL]
        return Problem.WRONG_API_KEY, WRONG_API_KEY_FIX

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
                CheckId.EVENTS, CheckStatus.FAILED, LOGIN_TEXTS[Problem.TIMEOUT][0],
                LOGIN_TEXTS[Problem.TIMEOUT][1], Problem.TIMEOUT, facts)
        problem = channel_problem(reason, was_connected=kind == "dropped")
        if problem is Problem.HUNG_UP:
            if tekil_tcp:
                fix = TEKIL_TCP_HINT
            elif self.flavor is Flavor.BULUT:
                fix = WRONG_DOMAIN_FIX
            else:
                fix = WRONG_API_KEY_FIX
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
                TEKIL_TCP_HINT if tekil_tcp else QT_TRANSLATE_NOOP(
                    "AccountCheck", "Check the internet connection, and the server and port under "
                                    "Advanced (empty = Kobikom's). Firewalls often block port "
                                    "{port}."),
                problem, facts)
        if problem is Problem.TLS:
            detail = re.sub(r"^TLS (certificate not trusted|handshake failed): ", "", reason)
            facts["detail"] = detail
        message, fix = LOGIN_TEXTS[problem]
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
                CheckId.SMS, CheckStatus.FAILED, LOGIN_TEXTS[Problem.SERVER_ERROR][0],
                LOGIN_TEXTS[Problem.SERVER_ERROR][1], Problem.SERVER_ERROR,
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
            return login_result(CheckId.SMS, Problem.TIMEOUT, {
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
                    fix, Problem.SMS_TOKEN_REJECTED, {**facts, "detail": short(exc)})
            problem, detail = rest_problem(exc)
            return login_result(CheckId.SMS, problem, {**facts, "detail": detail},
                                 self.flavor)
        finally:
            await source.aclose()
        credits = sms_credits(answer)
        self.report.sms_balance = credits
        if credits is None:
            return CheckResult(CheckId.SMS, CheckStatus.OK,
                               QT_TRANSLATE_NOOP(
                                   "AccountCheck", "SMS token accepted."), facts=facts)
        facts["balance"] = format_balance(credits)
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
