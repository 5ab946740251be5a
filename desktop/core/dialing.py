"""Click-to-call: from whatever the agent gives us to a call the PBX places.

Three parts:

* :mod:`desktop.core.dial_targets`: :func:`dial_target` turns text into
  what the PBX dials (:class:`DialTarget`), or says plainly why it cannot
  (:class:`DialRefusal`);
* :mod:`desktop.core.dial_results`: how a request ended
  (:class:`DialStatus`, :class:`DialResult`, :class:`CommandResult`);
* here, :class:`ClickToCall` places the call with the backend of the
  account (the agent never has to know which): Tekil ``POST
  /central/dial``, KobiPBX ``POST /api/v1/clicktocall``, or the Tekil
  WebSocket ``originate`` command when that is the live connection and the
  setting asks for it; and the Tekil call commands.

The names of the first two stay importable from here.

Safety rules (a dial rings a phone; doing it twice is worse than an error):

* nothing is ever resent automatically, except what the REST session does
  after a 401 (the server did not act: log in again, send once more);
* a timeout, a 5xx or an unreadable answer may mean the phone is already
  ringing: the result says so (:attr:`DialStatus.may_have_started`);
* every dial that may ring a phone is noted, *before* it is sent, in the
  shared :class:`~desktop.core.calls.dials.RecentDials` (``dials``): the PBX
  rings the agent's own phone first, possibly presenting the customer as the
  caller, and the call tracker must know that leg is the agent's own call,
  not an incoming one.  A request that certainly did nothing withdraws its
  note;
* the same number again within :data:`DEBOUNCE_SECONDS` (a double-click, a
  ``tel:`` link delivered twice), or while the first request is still
  waiting for confirmation or for the server, is dropped
  (:attr:`DialStatus.DUPLICATE`).  A request that certainly did nothing
  (refused, not sent) does not block a deliberate retry;
* international and premium-rate numbers need the agent's confirmation
  (``DialSettings.confirm_international``) before anything is sent.

Where the documentation is silent (digest §1.1, §3.1, §3.3) we chose:
KobiPBX gets the same national/``00`` form as Tekil (its example number is
masked); ``originate`` sends ``pbx_num`` equal to ``customer_num`` (as in
the collection's example), ``ring_timeout``/``wait_response`` as strings of
milliseconds (the example's ``"30000"``/``"15000"``), the account's
``crm_id``, and the trunk from the settings or else the example's
``"kobikom"``.  Its reply is undocumented: we wait
:data:`ORIGINATE_REPLY_TIMEOUT` seconds for one and otherwise report the
command as sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Final, Protocol

from desktop.core.account import AccountIncomplete
from desktop.core.calls.dials import RecentDials
from desktop.core.dial_results import NOTHING_HAPPENED, CommandResult, DialResult, DialStatus
from desktop.core.dial_targets import (
    MAX_DIAL_TEXT,
    SCHEMES,
    ConfirmReason,
    DialRefusal,
    DialTarget,
    RefusalReason,
    dial_target,
    extension_digits,
    quote_text,
)
from desktop.core.phone_line import CommandsUnsupported
from desktop.core.settings import DialSettings, Settings
from desktop.pbx.connection import Flavor, Transport
from desktop.pbx.errors import (
    AuthError,
    ChannelError,
    NetworkError,
    NotConnectedError,
    PbxError,
    RequestError,
)
from desktop.pbx.events import ReplyEvent
from desktop.pbx.rest import KobiPbxSession, TekilSession

__all__ = [  # the targets and results stay importable from here
    "DEBOUNCE_SECONDS", "DEFAULT_TRUNK", "DIAL_TIMEOUT", "MAX_DIAL_TEXT",
    "ORIGINATE_REPLY_TIMEOUT", "SCHEMES", "ClickToCall", "CommandLine", "CommandResult",
    "ConfirmReason", "DialRefusal", "DialResult", "DialStatus", "DialTarget", "RefusalReason",
    "dial_target", "hangup_command", "originate_command", "redirect_command",
]

log = logging.getLogger("kobikom.core.dialing")

#: The same number again within this many seconds dials once.
DEBOUNCE_SECONDS: Final = 5.0
#: How long the PBX has to answer a click-to-call request (seconds).  On
#: expiry the call may have started: it is reported, never resent.
DIAL_TIMEOUT: Final = 15.0
#: How long we wait for the (undocumented) reply to ``originate``.
ORIGINATE_REPLY_TIMEOUT: Final = 5.0
#: The ``originate`` trunk when the settings leave it empty (the collection's example).
DEFAULT_TRUNK: Final = "kobikom"


# ---------------------------------------------------------------- backends


class CommandLine(Protocol):
    """What ``originate`` needs of the phone line (:class:`~desktop.core.phone_line.PhoneLine`)."""

    @property
    def supports_commands(self) -> bool: ...

    @property
    def connected(self) -> bool: ...

    async def send_command(self, command: dict[str, str], *,
                           reply_timeout: float | None = None) -> ReplyEvent | None: ...


RestSession = TekilSession | KobiPbxSession
SessionProvider = Callable[[], Awaitable[RestSession]]
LineProvider = Callable[[], CommandLine | None]
Confirm = Callable[[DialTarget], Awaitable[bool]]


def originate_command(extension: str, target: DialTarget, dial: DialSettings,
                      crm_id: str) -> dict[str, str]:
    """The Tekil WebSocket ``originate`` command, with the documented fields only."""
    return {
        "command": "originate",
        "customer_num": target.dial_string,
        "pbx_num": target.dial_string,
        "internal_num": extension,
        "ring_timeout": str(dial.ring_timeout_ms),
        "crm_id": crm_id,
        "wait_response": str(dial.wait_response_ms),
        "trunk": dial.trunk.strip() or DEFAULT_TRUNK,
    }


def redirect_command(unique_id: str, extension: str, crm_id: str) -> dict[str, str]:
    """The Tekil WebSocket ``redirect`` command (transfer a call to *extension*)."""
    return {"command": "redirect", "exten": extension, "unique_id": unique_id, "crm_id": crm_id}


def hangup_command(unique_id: str, crm_id: str) -> dict[str, str]:
    """The Tekil WebSocket ``hangup`` command."""
    return {"command": "hangup", "unique_id": unique_id, "crm_id": crm_id}

# ---------------------------------------------------------------- the service


class ClickToCall:
    """Places calls for the agent with the account's backend (see the module docstring).

    Args:
        settings: the settings in effect (read at every dial).
        session: an async provider of the account's REST session; may raise
            ``AccountIncomplete``.
        line: the live phone line, for ``originate`` (None: no line).
        clock: monotonic seconds (the debounce).
        timeout: seconds the PBX has to answer a REST dial.
        dials: the app's record of its own click-to-calls, shared with the
            call tracker (None: the tracker is not told).
    """

    def __init__(
        self,
        *,
        settings: Callable[[], Settings],
        session: SessionProvider,
        line: LineProvider = lambda: None,
        clock: Callable[[], float] = time.monotonic,
        debounce: float = DEBOUNCE_SECONDS,
        timeout: float = DIAL_TIMEOUT,
        dials: RecentDials | None = None,
    ) -> None:
        self._settings = settings
        self.dials = dials
        self._session = session
        self._line = line
        self._clock = clock
        self.debounce = debounce
        self.timeout = timeout
        self._recent: dict[str, float] = {}
        self._pending: set[str] = set()
        #: Requests sent to the PBX (diagnostics and tests).
        self.sent = 0

    # -- numbers -----------------------------------------------------------------

    def target(self, text: str) -> DialTarget | DialRefusal:
        """:func:`dial_target` with the current settings."""
        return dial_target(text, self._settings().dial)

    def is_duplicate(self, target: DialTarget) -> bool:
        """The same number is being dialled, or was dialled less than ``debounce`` s ago."""
        if target.key in self._pending:
            return True
        at = self._recent.get(target.key)
        return at is not None and self._clock() - at < self.debounce

    # -- dialling ----------------------------------------------------------------

    async def dial(self, text: str | DialTarget, *, source: str,
                   confirm: Confirm | None = None) -> DialResult:
        """The whole safe flow: parse, debounce, confirm, send once, report.

        *confirm* is awaited for international/premium numbers (when the
        settings ask for it); None means the caller already confirmed.
        Never raises for PBX or account problems: the result says what
        happened.
        """
        target = self.target(text) if isinstance(text, str) else text
        if isinstance(target, DialRefusal):
            log.info("dial request from %s refused: %s", source, target.reason.value)
            return DialResult(DialStatus.INVALID, refusal=target)
        if self.is_duplicate(target):
            log.info("dial %s from %s ignored: dialled moments ago", target.number.masked(),
                     source)
            return DialResult(DialStatus.DUPLICATE, target)
        key = target.key
        self._pending.add(key)
        try:
            confirmed = (target.confirm is None or confirm is None
                         or await confirm(target))
            if not confirmed:
                log.info("dial %s from %s cancelled by the agent", target.number.masked(),
                         source)
                return DialResult(DialStatus.CANCELLED, target)
            self._forget_old()
            self._recent[key] = self._clock()
            result = await self._place(target)
            if result.status in NOTHING_HAPPENED:
                self._recent.pop(key, None)
        finally:
            self._pending.discard(key)
        log.info("dial %s from %s via %s: %s%s", target.number.masked(), source,
                 result.backend or "-", result.status.value,
                 f" ({result.detail})" if result.detail else "")
        return result

    def _forget_old(self) -> None:
        now = self._clock()
        for key, at in list(self._recent.items()):
            if now - at >= self.debounce:
                del self._recent[key]

    async def _place(self, target: DialTarget) -> DialResult:
        settings = self._settings()
        acct = settings.account
        extension = acct.extensions[0].strip() if acct.extensions else ""
        if not extension:
            return DialResult(DialStatus.NOT_SET_UP, target,
                              detail="no extension is set for this agent")
        dials = self.dials
        note = (dials.note(extension, target.number, target.dial_string)
                if dials is not None else None)
        result = await self._send(target, extension, settings)
        if dials is not None and note is not None and result.status in NOTHING_HAPPENED:
            dials.withdraw(note)
        return result

    async def _send(self, target: DialTarget, extension: str,
                    settings: Settings) -> DialResult:
        acct = settings.account
        not_sent: DialResult | None = None
        if (acct.flavor is Flavor.TEKIL and acct.transport is Transport.WS
                and settings.dial.use_ws_originate):
            line = self._line()
            if line is not None and line.supports_commands and line.connected:
                result = await self._originate(line, extension, target, settings)
                if result.status is not DialStatus.NOT_SENT:
                    return result
                not_sent = result
            else:
                not_sent = DialResult(DialStatus.NOT_SENT, target, extension, "tekil-ws",
                                      detail="the WebSocket connection is not up")
            log.info("originate not sent (%s); trying the panel API", not_sent.detail)
        result = await self._place_rest(target, extension, settings)
        if not_sent is not None and result.status is DialStatus.NOT_SET_UP:
            return not_sent  # the agent uses originate: say why it was not sent
        return result

    async def _place_rest(self, target: DialTarget, extension: str,
                          settings: Settings) -> DialResult:
        acct = settings.account
        if acct.flavor is Flavor.BULUT and not acct.domain_uuid.strip():
            return DialResult(DialStatus.NOT_SET_UP, target, extension,
                              detail="the KobiPBX domain UUID is not set")
        backend = "tekil-rest" if acct.flavor is Flavor.TEKIL else "kobipbx"
        try:
            session = await self._session()
        except AccountIncomplete as exc:
            return DialResult(DialStatus.NOT_SET_UP, target, extension, backend, detail=str(exc))
        self.sent += 1
        try:
            if isinstance(session, TekilSession):
                answer = await session.dial(extension, target.dial_string,
                                            timeouts=self.timeout)
            else:
                answer = await session.click_to_call(extension, target.dial_string,
                                                     acct.domain_uuid.strip(),
                                                     timeouts=self.timeout)
        except PbxError as exc:
            return _failure(exc, target, extension, backend)
        return DialResult(DialStatus.STARTED, target, extension, backend,
                          server_message=answer.message)

    async def _originate(self, line: CommandLine, extension: str, target: DialTarget,
                         settings: Settings) -> DialResult:
        backend = "tekil-ws"
        command = originate_command(extension, target, settings.dial, settings.account.crm_id)
        self.sent += 1
        try:
            reply = await line.send_command(command, reply_timeout=ORIGINATE_REPLY_TIMEOUT)
        except (NotConnectedError, CommandsUnsupported) as exc:
            # Nothing left this process: the REST fallback cannot ring anyone twice.
            self.sent -= 1
            return DialResult(DialStatus.NOT_SENT, target, extension, backend, detail=str(exc))
        except ChannelError as exc:
            # The connection failed while the originate was being sent: the phone may
            # already be ringing.  No fallback, no retry; tell the agent.
            return DialResult(DialStatus.NO_ANSWER, target, extension, backend,
                              detail=exc.message)
        if reply is None:
            return DialResult(DialStatus.SENT, target, extension, backend)
        if reply.ok is False:
            return DialResult(DialStatus.REFUSED, target, extension, backend,
                              server_message=reply.message)
        return DialResult(DialStatus.STARTED, target, extension, backend,
                          server_message=reply.message)


    # -- control of a live call (Tekil WebSocket) --------------------------------------

    def can_control_calls(self) -> bool:
        """Transfer and hang-up are possible: the live channel is a connected Tekil WS."""
        line = self._line()
        return line is not None and line.supports_commands and line.connected

    async def transfer(self, unique_id: str, extension: str) -> CommandResult:
        """``redirect`` the call *unique_id* to another *extension* (sent once)."""
        digits = extension_digits(extension)
        if digits is None:
            return CommandResult("redirect", DialStatus.INVALID,
                                 detail=f"“{quote_text(extension)}” is not an extension")
        crm_id = self._settings().account.crm_id
        return await self._command(redirect_command(unique_id, digits, crm_id))

    async def hang_up(self, unique_id: str) -> CommandResult:
        """``hangup`` the call *unique_id* (sent once)."""
        return await self._command(hangup_command(unique_id, self._settings().account.crm_id))

    async def _command(self, command: dict[str, str]) -> CommandResult:
        name = command["command"]
        line = self._line()
        if line is None:
            return CommandResult(name, DialStatus.NOT_SENT, detail="the phone line is not running")
        try:
            reply = await line.send_command(command, reply_timeout=ORIGINATE_REPLY_TIMEOUT)
        except (NotConnectedError, CommandsUnsupported) as exc:
            result = CommandResult(name, DialStatus.NOT_SENT, detail=str(exc))
        except ChannelError as exc:  # failed while sending: it may have happened
            result = CommandResult(name, DialStatus.NO_ANSWER, detail=exc.message)
        else:
            if reply is None:
                result = CommandResult(name, DialStatus.SENT)
            elif reply.ok is False:
                result = CommandResult(name, DialStatus.REFUSED, server_message=reply.message)
            else:
                result = CommandResult(name, DialStatus.STARTED, server_message=reply.message)
        log.info("%s of call %s: %s", name, command.get("unique_id", "?"), result.status.value)
        return result


def _failure(exc: PbxError, target: DialTarget, extension: str, backend: str) -> DialResult:
    """The result for a PBX error (see :mod:`desktop.pbx.errors`)."""
    detail = exc.message
    if isinstance(exc, AuthError):
        status = DialStatus.AUTH_FAILED
    elif exc.may_have_reached_server:
        status = DialStatus.NO_ANSWER if isinstance(exc, NetworkError) else \
            DialStatus.SERVER_ERROR
    elif isinstance(exc, RequestError):
        status = DialStatus.REFUSED
    else:
        status = DialStatus.NOT_SENT
    return DialResult(status, target, extension, backend, server_message=exc.server_message,
                      detail=detail)
