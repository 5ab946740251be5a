"""Click-to-call: from whatever the agent gives us to a call the PBX places.

Two halves:

* :func:`dial_target` turns text into what the PBX dials, or says plainly
  why it cannot: ``tel:+90-532-123-45-67``, ``callto:``/``sip:1002@host``
  links, ``0 (532) 123 45 67``, ``+44 20 7946 0958``, an extension
  (``1002``) or a text with one number in it.  Turkish numbers go out in
  national form with the trunk 0 (``05321234567``), foreign ones as ``00``
  + country code + number, extensions unchanged; the outside-line prefix
  of the settings goes in front of public numbers.  Parsing is
  libphonenumber's (:func:`desktop.core.numbers.parse_number`, and its
  ``PhoneNumberMatcher`` for free text); nothing here knows numbering plans.
* :class:`ClickToCall` places the call with the backend of the account
  (the agent never has to know which): Tekil ``POST /central/dial``,
  KobiPBX ``POST /api/v1/clicktocall``, or the Tekil WebSocket
  ``originate`` command when that is the live connection and the setting
  asks for it.

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

import enum
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, Protocol

import phonenumbers

from desktop.core.account import AccountIncomplete
from desktop.core.calls.dials import RecentDials
from desktop.core.numbers import (
    DEFAULT_REGION,
    NumberKind,
    PhoneNumber,
    ascii_digits,
    clean_number_text,
    link_parts,
    parse_number,
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

log = logging.getLogger("kobikom.core.dialing")

#: Longer input is refused (a number never needs it; libphonenumber's matcher
#: would only waste time on a pasted document).
MAX_DIAL_TEXT: Final = 4096
#: The same number again within this many seconds dials once.
DEBOUNCE_SECONDS: Final = 5.0
#: How long the PBX has to answer a click-to-call request (seconds).  On
#: expiry the call may have started: it is reported, never resent.
DIAL_TIMEOUT: Final = 15.0
#: How long we wait for the (undocumented) reply to ``originate``.
ORIGINATE_REPLY_TIMEOUT: Final = 5.0
#: The ``originate`` trunk when the settings leave it empty (the collection's example).
DEFAULT_TRUNK: Final = "kobikom"
#: URI schemes whose links we dial.
SCHEMES: Final = ("tel", "callto", "sip", "sips")

_DIAL_STRING = re.compile(r"[0-9*#]+")
_PREFIX = re.compile(r"[0-9*#]*")
#: How much of the agent's text a refusal quotes.
_QUOTE_LIMIT = 40


# ---------------------------------------------------------------- targets


class RefusalReason(enum.Enum):
    """Why a text cannot be dialled (the UI words each one)."""

    EMPTY = "empty"
    TOO_LONG = "too-long"
    NO_NUMBER = "no-number"
    SEVERAL_NUMBERS = "several-numbers"
    INVALID = "invalid"
    WITHHELD = "withheld"
    BAD_PREFIX = "bad-prefix"


class ConfirmReason(enum.Enum):
    """Why a number needs the agent's confirmation before it is dialled."""

    INTERNATIONAL = "international"
    PREMIUM = "premium"
    #: Picked from the screen by the dial hotkey: the agent sees the number first.
    SELECTION = "selection"


@dataclass(frozen=True, slots=True)
class DialTarget:
    """A number the PBX can dial."""

    number: PhoneNumber
    #: Exactly what is sent to the PBX (``05321234567``, ``00442079460958``, ``1002``).
    dial_string: str
    #: How the agent reads it (``0532 123 45 67``, ``+44 20 7946 0958``, ``1002``).
    display: str
    #: Set when the agent must confirm first.
    confirm: ConfirmReason | None = None

    @property
    def key(self) -> str:
        """What the debounce compares: two spellings of one number are one key."""
        return self.dial_string

    @property
    def internal(self) -> bool:
        return self.number.kind is NumberKind.INTERNAL


@dataclass(frozen=True, slots=True)
class DialRefusal:
    """The text cannot be dialled; :attr:`message` says why in plain English."""

    reason: RefusalReason
    #: The offending text, shortened for display.
    text: str = ""

    @property
    def message(self) -> str:
        quoted = f"“{self.text}”" if self.text else "The text"
        return {
            RefusalReason.EMPTY: "There is no number to call.",
            RefusalReason.TOO_LONG: "The text is too long to be a phone number; "
                                    "copy just the number.",
            RefusalReason.NO_NUMBER: f"{quoted} contains no phone number.",
            RefusalReason.SEVERAL_NUMBERS: f"{quoted} contains more than one phone number; "
                                           "choose one.",
            RefusalReason.INVALID: f"{quoted} is not a valid phone number.",
            RefusalReason.WITHHELD: "The number was withheld; it cannot be called back.",
            RefusalReason.BAD_PREFIX: "The outside-line prefix in the settings may only "
                                      "contain digits, * and #.",
        }[self.reason]


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1] + "…"


def _found_numbers(text: str) -> list[PhoneNumber]:
    """The distinct valid numbers libphonenumber finds in free text."""
    seen: dict[str, PhoneNumber] = {}
    matcher = phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION,
                                              leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in seen:
            seen[e164] = parse_number(e164)
        if len(seen) > 1:
            break
    return list(seen.values())


def dial_target(text: str, settings: DialSettings | None = None) -> DialTarget | DialRefusal:
    """What the PBX should dial for *text*, or why it cannot be dialled.

    Never raises and never talks to anything.  See the module docstring.
    """
    settings = settings or DialSettings()
    prefix = settings.outside_line_prefix.strip()
    if _PREFIX.fullmatch(prefix) is None:
        return DialRefusal(RefusalReason.BAD_PREFIX)
    raw = "" if text is None else str(text)
    if len(raw) > MAX_DIAL_TEXT:
        return DialRefusal(RefusalReason.TOO_LONG)
    # The one cleaner of pasted numbers (bidi marks, zero-width characters, Unicode
    # digits) and the one reading of links ("Tel: 0224…" with a space is a label in a
    # text, handled like any other text).
    clean = clean_number_text(raw)
    if not clean:
        return DialRefusal(RefusalReason.EMPTY)
    uri = link_parts(clean)
    candidate = uri[1] if uri else clean
    if not candidate:
        return DialRefusal(RefusalReason.EMPTY if not uri else RefusalReason.NO_NUMBER,
                           _shorten(clean))
    number = parse_number(candidate)
    if number.kind is NumberKind.ANONYMOUS:
        return DialRefusal(RefusalReason.WITHHELD)
    if number.kind is NumberKind.INVALID:
        if uri:  # a link names one number or none; no guessing inside it
            return DialRefusal(RefusalReason.INVALID, _shorten(candidate))
        found = _found_numbers(candidate)
        if not found:
            return DialRefusal(RefusalReason.NO_NUMBER, _shorten(candidate))
        if len(found) > 1:
            return DialRefusal(RefusalReason.SEVERAL_NUMBERS, _shorten(candidate))
        number = found[0]
    return _target(number, candidate, prefix, settings.confirm_international)


def _target(number: PhoneNumber, candidate: str, prefix: str,
            confirm_costly: bool) -> DialTarget | DialRefusal:
    if number.kind is NumberKind.INTERNAL:
        digits = ascii_digits(number.key)
        # A leading 0 is the trunk prefix: "0555" is the start of a number, not an extension.
        if _DIAL_STRING.fullmatch(digits) is None or digits.startswith("0"):
            return DialRefusal(RefusalReason.INVALID, _shorten(candidate))
        return DialTarget(number=number, dial_string=digits, display=digits)
    if number.kind is not NumberKind.EXTERNAL or number.e164 is None or not number.valid:
        return DialRefusal(RefusalReason.INVALID, _shorten(candidate))
    if number.is_turkish:
        # How a phone in Turkey dials it: the trunk 0 where the plan has one
        # (05321234567, 02245320444), none for 444 numbers (4441444).
        parsed = phonenumbers.parse(number.e164, None)
        public = phonenumbers.format_number_for_mobile_dialing(parsed, DEFAULT_REGION, False)
    else:
        public = "00" + number.e164[1:]
    confirm: ConfirmReason | None = None
    if confirm_costly:
        if number.is_premium:
            confirm = ConfirmReason.PREMIUM
        elif number.is_international:
            confirm = ConfirmReason.INTERNATIONAL
    dial_string = prefix + public
    if _DIAL_STRING.fullmatch(dial_string) is None:  # pragma: no cover - defensive
        return DialRefusal(RefusalReason.INVALID, _shorten(candidate))
    return DialTarget(number=number, dial_string=dial_string, display=number.display(),
                      confirm=confirm)


# ---------------------------------------------------------------- results


class DialStatus(enum.Enum):
    """How a dial request ended."""

    STARTED = "started"  # the PBX accepted: the agent's phone rings first
    SENT = "sent"  # originate sent on the WebSocket; the PBX did not reply
    REFUSED = "refused"  # the PBX said no; nothing happened
    NO_ANSWER = "no-answer"  # timeout / connection lost after sending: may have started
    SERVER_ERROR = "server-error"  # 5xx or an unreadable answer: may have started
    NOT_SENT = "not-sent"  # the PBX could not be reached; nothing happened
    AUTH_FAILED = "auth-failed"  # the login was rejected; nothing happened
    NOT_SET_UP = "not-set-up"  # extension, password or domain missing
    INVALID = "invalid"  # the number was refused before anything was sent
    DUPLICATE = "duplicate"  # the same number was just dialled: ignored
    CANCELLED = "cancelled"  # the agent did not confirm

    @property
    def may_have_started(self) -> bool:
        """The PBX may be ringing the phone: never try again without asking the agent."""
        return self in (DialStatus.STARTED, DialStatus.SENT, DialStatus.NO_ANSWER,
                        DialStatus.SERVER_ERROR)


#: Results after which a deliberate retry is allowed at once.
_NOTHING_HAPPENED: Final = frozenset({DialStatus.REFUSED, DialStatus.NOT_SENT,
                                      DialStatus.AUTH_FAILED, DialStatus.NOT_SET_UP})


@dataclass(frozen=True, slots=True)
class DialResult:
    """The outcome of one dial request, for the tray notification and the CLI."""

    status: DialStatus
    target: DialTarget | None = None
    #: The agent's extension that rings first.
    extension: str = ""
    #: ``tekil-rest``, ``kobipbx`` or ``tekil-ws`` (diagnostics).
    backend: str = ""
    #: The PBX's own words (plain text, may be Turkish).
    server_message: str = ""
    #: Technical detail for logs and the CLI (no secrets).
    detail: str = ""
    refusal: DialRefusal | None = None

    @property
    def ok(self) -> bool:
        return self.status in (DialStatus.STARTED, DialStatus.SENT)

    @property
    def message(self) -> str:
        """The result in plain English (the UI words it through Qt's translations)."""
        shown = self.target.display if self.target else ""
        status = self.status
        if status is DialStatus.STARTED:
            return f"Your phone ({self.extension}) is ringing; then {shown} will be called."
        if status is DialStatus.SENT:
            return (f"The call to {shown} was sent to the PBX; your phone ({self.extension}) "
                    "should ring first.")
        if status is DialStatus.REFUSED:
            return f"The PBX did not place the call: {self.server_message or 'no reason given'}."
        if status is DialStatus.NO_ANSWER:
            return ("The server did not answer in time; the call may have started — "
                    "check your phone before trying again.")
        if status is DialStatus.SERVER_ERROR:
            return ("The server reported an error; the call may have started — "
                    "check your phone before trying again.")
        if status is DialStatus.NOT_SENT:
            return f"Could not reach the PBX; nothing was dialled ({self.detail})."
        if status is DialStatus.AUTH_FAILED:
            return ("The PBX rejected the login; nothing was dialled. Check the e-mail and "
                    "password in Settings.")
        if status is DialStatus.NOT_SET_UP:
            return f"Click-to-call is not set up: {self.detail}."
        if status is DialStatus.INVALID:
            return self.refusal.message if self.refusal else "Not a valid phone number."
        if status is DialStatus.DUPLICATE:
            return f"Already calling {shown}; the repeated request was ignored."
        return "The call was cancelled."


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
            if result.status in _NOTHING_HAPPENED:
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
        if dials is not None and note is not None and result.status in _NOTHING_HAPPENED:
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
        target = parse_number(clean_number_text(extension))
        digits = ascii_digits(target.key)
        if target.kind is not NumberKind.INTERNAL or _DIAL_STRING.fullmatch(digits) is None:
            return CommandResult("redirect", DialStatus.INVALID,
                                 detail=f"“{_shorten(extension)}” is not an extension")
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


@dataclass(frozen=True, slots=True)
class CommandResult:
    """The outcome of a call command (``redirect``/``hangup``).

    ``status`` is STARTED (the PBX confirmed), SENT (no reply came; the
    replies are undocumented), REFUSED, NOT_SENT or INVALID.
    """

    command: str
    status: DialStatus
    server_message: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (DialStatus.STARTED, DialStatus.SENT)


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
