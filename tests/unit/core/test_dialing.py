"""Click-to-call without a network: the number table, hostile input, the service's rules.

The service's HTTP side is tested against the simulator in
``tests/integration/test_click_to_call.py``; here the sessions are small
fakes that record what they were asked, so the rules (backend choice,
debounce, confirmation, error mapping) are checked one by one.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.account import AccountIncomplete
from desktop.core.calls import RecentDials
from desktop.core.dialing import (
    DEBOUNCE_SECONDS,
    DEFAULT_TRUNK,
    MAX_DIAL_TEXT,
    ClickToCall,
    ConfirmReason,
    DialRefusal,
    DialStatus,
    DialTarget,
    RefusalReason,
    dial_target,
    hangup_command,
    originate_command,
    redirect_command,
)
from desktop.core.phone_line import CommandsUnsupported
from desktop.core.settings import DialSettings, Settings
from desktop.pbx.connection import Flavor, Transport
from desktop.pbx.errors import (
    AmbiguousError,
    AuthError,
    ChannelError,
    NetworkError,
    NotConnectedError,
    RequestError,
    ServerError,
)
from desktop.pbx.events import ReplyEvent
from desktop.pbx.rest import DialAnswer, KobiPbxSession, TekilSession

# ---------------------------------------------------------------- the number table

#: (what the agent gives, what the PBX dials).
DIALLED = [
    # Turkish mobile numbers in every notation
    ("05321234567", "05321234567"),
    ("0532 123 45 67", "05321234567"),
    ("0 (532) 123 45 67", "05321234567"),
    ("0532-123-45-67", "05321234567"),
    ("0532.123.45.67", "05321234567"),
    ("(0532) 123 45 67", "05321234567"),
    ("5321234567", "05321234567"),
    ("532 123 45 67", "05321234567"),
    ("905321234567", "05321234567"),
    ("+905321234567", "05321234567"),
    ("+90 532 123 45 67", "05321234567"),
    ("+90 (532) 123-45-67", "05321234567"),
    ("00905321234567", "05321234567"),
    ("0090 532 123 45 67", "05321234567"),
    ("  05321234567  ", "05321234567"),
    ("0532\u00a0123\u00a045\u00a067", "05321234567"),  # no-break spaces
    ("0532\u2009123\u200945\u200967", "05321234567"),  # thin spaces
    ("05551234567", "05551234567"),
    ("0505 123 45 67", "05051234567"),
    # Turkish landlines, 444 and 0850 numbers
    ("02245320444", "02245320444"),
    ("0224 532 04 44", "02245320444"),
    ("(0224) 532 04 44", "02245320444"),
    ("+90 224 532 04 44", "02245320444"),
    ("902245320444", "02245320444"),
    ("0212 555 00 00", "02125550000"),
    ("0216 414 52 37", "02164145237"),
    ("0312 444 12 34", "03124441234"),
    ("444 1 444", "4441444"),
    ("4441444", "4441444"),
    ("0850 346 32 51", "08503463251"),
    ("8503463251", "08503463251"),
    ("0800 123 45 67", "08001234567"),
    # links
    ("tel:+90-532-123-45-67", "05321234567"),
    ("tel:+905321234567", "05321234567"),
    ("TEL:+905321234567", "05321234567"),
    ("tel:05321234567", "05321234567"),
    ("tel:%2B905321234567", "05321234567"),
    ("tel:+90%20532%20123%2045%2067", "05321234567"),
    ("tel:+90-532-123-45-67;phone-context=+90", "05321234567"),
    ("tel:+1-201-555-0123;ext=1234", "0012015550123"),
    ("tel:5550123;phone-context=+1-201", "0012015550123"),
    ("tel:+905321234567?body=x", "05321234567"),
    ("callto:+905321234567", "05321234567"),
    ("callto://+905321234567", "05321234567"),
    ("callto:0532 123 45 67", "05321234567"),
    ("sip:1002@pbx.example.com", "1002"),
    ("sip:1002@pbx.example.com;transport=tcp", "1002"),
    ("sip:+905321234567@pbx.example.com;user=phone", "05321234567"),
    ("sips:1002@pbx.example.com", "1002"),
    ("sip:1002", "1002"),
    (" tel: +905321234567 ", "05321234567"),
    # foreign numbers: 00 + country code + number
    ("+44 20 7946 0958", "00442079460958"),
    ("+442079460958", "00442079460958"),
    ("00442079460958", "00442079460958"),
    ("0044 20 7946 0958", "00442079460958"),
    ("+1 650 253 0000", "0016502530000"),
    ("+49 30 901820", "004930901820"),
    ("+33 1 42 68 53 00", "0033142685300"),
    ("+994 12 498 38 00", "00994124983800"),
    # extensions and feature codes: unchanged
    ("1002", "1002"),
    ("1001", "1001"),
    ("101000", "101000"),
    ("60000", "60000"),
    ("12", "12"),
    ("*97", "*97"),
    ("10 02", "1002"),
    # text with one number in it
    ("Ahmet Bey: 0532 123 45 67", "05321234567"),
    ("Lütfen 0 (532) 123 45 67 numarasını arayın", "05321234567"),
    ("Tel: +90 224 532 04 44 Faks yok", "02245320444"),
    ("call me on +44 20 7946 0958 tomorrow", "00442079460958"),
    ("Numara 0532 123 45 67, tekrar: 0532 123 45 67", "05321234567"),  # the same twice
    # Unicode digits and invisible marks (copied from web pages, RTL text)
    ("\u200f0532 123 45 67\u200f", "05321234567"),
    ("\u202b+90 532 123 45 67\u202c", "05321234567"),
    ("\u200b05321234567\u200b", "05321234567"),
    ("\ufeff05321234567", "05321234567"),
    ("٠٥٣٢١٢٣٤٥٦٧", "05321234567"),  # Arabic-Indic digits
    ("۰۵۳۲۱۲۳۴۵۶۷", "05321234567"),  # Persian digits
    ("０５３２ １２３ ４５ ６７", "05321234567"),  # full-width digits
    ("１００２", "1002"),
    ("٠٠٤٤٢٠٧٩٤٦٠٩٥٨", "00442079460958"),
]

#: (input, why it is refused).
REFUSED = [
    ("", RefusalReason.EMPTY),
    ("   ", RefusalReason.EMPTY),
    ("\u200f\u200e", RefusalReason.EMPTY),
    ("\n\t", RefusalReason.EMPTY),
    ("tel:", RefusalReason.NO_NUMBER),
    ("callto://", RefusalReason.NO_NUMBER),
    ("sip:@host", RefusalReason.NO_NUMBER),
    ("tel:;phone-context=+90", RefusalReason.INVALID),
    ("x" * (MAX_DIAL_TEXT + 1), RefusalReason.TOO_LONG),
    ("0532 123 45 67 " * 2000, RefusalReason.TOO_LONG),  # 30 KB
    ("hello", RefusalReason.NO_NUMBER),
    ("Ahmet Yılmaz", RefusalReason.NO_NUMBER),
    ("'; DROP TABLE contacts; --", RefusalReason.NO_NUMBER),
    ("1; DROP TABLE calls", RefusalReason.NO_NUMBER),
    ("<script>alert(1)</script>", RefusalReason.NO_NUMBER),
    ("0532 123 45 67 veya 0533 765 43 21", RefusalReason.SEVERAL_NUMBERS),
    ("0532 123 45 6", RefusalReason.INVALID),  # one digit short
    ("0555", RefusalReason.INVALID),  # the start of a number, not an extension
    ("053212", RefusalReason.INVALID),
    ("0", RefusalReason.INVALID),
    ("0532 123 45 678", RefusalReason.INVALID),  # one digit too many
    ("05321234", RefusalReason.INVALID),
    ("0000000000", RefusalReason.NO_NUMBER),
    ("+882 1234 5678", RefusalReason.INVALID),
    ("+90 999 999 99 99", RefusalReason.INVALID),
    ("tel:+90abc", RefusalReason.INVALID),
    ("tel:0532-ABC-45-67", RefusalReason.INVALID),
    ("sip:alice@example.com", RefusalReason.INVALID),
    ("callto:skype.user", RefusalReason.INVALID),
    ("tel:1002abc", RefusalReason.INVALID),
    ("0532-abc-45-67", RefusalReason.NO_NUMBER),
    ("anonymous", RefusalReason.WITHHELD),
    ("Gizli", RefusalReason.WITHHELD),
    ("tel:anonymous", RefusalReason.WITHHELD),
]


@pytest.mark.parametrize(("text", "dialled"), DIALLED)
def test_number_table(text: str, dialled: str) -> None:
    target = dial_target(text)
    assert isinstance(target, DialTarget), target
    assert target.dial_string == dialled


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refusals(text: str, reason: RefusalReason) -> None:
    refusal = dial_target(text)
    assert isinstance(refusal, DialRefusal), refusal
    assert refusal.reason is reason
    assert refusal.message  # always says why in words
    assert len(refusal.text) <= 40  # never echoes a whole document


def test_superscript_digits_fold_to_an_extension() -> None:
    # NFKC folds "²³" to "23", a two-digit extension: dialled as such, never as junk.
    target = dial_target("²³")
    assert isinstance(target, DialTarget)
    assert target.dial_string == "23"


@pytest.mark.parametrize(("text", "display"), [
    ("05321234567", "0532 123 45 67"),
    ("tel:+90-532-123-45-67", "0532 123 45 67"),
    ("+44 20 7946 0958", "+44 20 7946 0958"),
    ("1002", "1002"),
    ("02245320444", "(0224) 532 04 44"),
])
def test_display(text: str, display: str) -> None:
    target = dial_target(text)
    assert isinstance(target, DialTarget)
    assert target.display == display


def test_two_spellings_are_one_debounce_key() -> None:
    keys = {dial_target(t).key for t in ("tel:+905321234567", "0532 123 45 67",  # type: ignore[union-attr]
                                         "00905321234567", "callto://+905321234567")}
    assert keys == {"05321234567"}


@pytest.mark.parametrize(("text", "reason"), [
    ("+44 20 7946 0958", ConfirmReason.INTERNATIONAL),
    ("tel:+1-650-253-0000", ConfirmReason.INTERNATIONAL),
    ("0900 123 45 67", ConfirmReason.PREMIUM),
    ("09001234567", ConfirmReason.PREMIUM),
    ("+90 900 123 45 67", ConfirmReason.PREMIUM),
    ("05321234567", None),
    ("02245320444", None),
    ("1002", None),
    ("0850 346 32 51", None),
])
def test_confirmation_flags(text: str, reason: ConfirmReason | None) -> None:
    target = dial_target(text, DialSettings(confirm_international=True))
    assert isinstance(target, DialTarget)
    assert target.confirm is reason
    off = dial_target(text, DialSettings(confirm_international=False))
    assert isinstance(off, DialTarget)
    assert off.confirm is None


@pytest.mark.parametrize(("text", "dialled"), [
    ("05321234567", "905321234567"),
    ("+44 20 7946 0958", "900442079460958"),
    ("1002", "1002"),  # extensions never get the outside-line prefix
    ("*97", "*97"),
])
def test_outside_line_prefix(text: str, dialled: str) -> None:
    target = dial_target(text, DialSettings(outside_line_prefix="9"))
    assert isinstance(target, DialTarget)
    assert target.dial_string == dialled


@pytest.mark.parametrize("prefix", ["9;", "a", "+9", "9 0\n"])
def test_bad_prefix_is_refused(prefix: str) -> None:
    refusal = dial_target("05321234567", DialSettings(outside_line_prefix=prefix))
    assert isinstance(refusal, DialRefusal)
    assert refusal.reason is RefusalReason.BAD_PREFIX


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_dials_only_digits(text: str) -> None:
    result = dial_target(text)
    if isinstance(result, DialTarget):
        assert result.dial_string
        assert all(ch in "0123456789*#" for ch in result.dial_string)
        assert result.dial_string.isascii()
    else:
        assert result.message


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"\+?[0-9 ()\-]{0,20}", fullmatch=True))
def test_digit_soup_never_raises(text: str) -> None:
    result = dial_target(text)
    if isinstance(result, DialTarget):
        assert result.dial_string.isdigit() or "*" in result.dial_string


# ---------------------------------------------------------------- commands


def test_originate_command_has_exactly_the_documented_fields() -> None:
    target = dial_target("0224 532 04 44")
    assert isinstance(target, DialTarget)
    dial = DialSettings(ring_timeout_ms=30000, wait_response_ms=15000, trunk="")
    command = originate_command("1001", target, dial, "203577")
    assert command == {"command": "originate", "customer_num": "02245320444",
                       "pbx_num": "02245320444", "internal_num": "1001",
                       "ring_timeout": "30000", "crm_id": "203577",
                       "wait_response": "15000", "trunk": DEFAULT_TRUNK}
    assert originate_command("1001", target, replace(dial, trunk="my-trunk"), "")["trunk"] \
        == "my-trunk"


def test_redirect_and_hangup_commands() -> None:
    assert redirect_command("1520317155.59", "1002", "203577") == {
        "command": "redirect", "exten": "1002", "unique_id": "1520317155.59",
        "crm_id": "203577"}
    assert hangup_command("1520317155.59", "203577") == {
        "command": "hangup", "unique_id": "1520317155.59", "crm_id": "203577"}


# ---------------------------------------------------------------- the service


class FakeTekil(TekilSession):
    """A TekilSession whose dial() records calls and plays a script."""

    def __init__(self, *outcomes: object) -> None:
        super().__init__("agent@example.com", "pw", base_url="http://pbx.invalid")
        self.calls: list[tuple[str, str]] = []
        self.outcomes = list(outcomes)
        self.gate: asyncio.Event | None = None

    async def dial(self, extension: str, number: str, *, timeouts: object = None) -> DialAnswer:
        self.calls.append((extension, number))
        if self.gate is not None:
            await self.gate.wait()
        outcome = self.outcomes.pop(0) if self.outcomes else DialAnswer("Arama Başladı")
        if isinstance(outcome, BaseException):
            raise outcome
        assert isinstance(outcome, DialAnswer)
        return outcome


class FakeKobiPbx(KobiPbxSession):
    def __init__(self) -> None:
        super().__init__("agent@example.com", "pw", base_url="http://pbx.invalid")
        self.calls: list[tuple[str, str, str]] = []

    async def click_to_call(self, extension: str, destination: str, domain_uuid: str, *,
                            timeouts: object = None) -> DialAnswer:
        self.calls.append((extension, destination, domain_uuid))
        return DialAnswer("Click-to-call oturumu başarıyla başlatıldı", "uuid-1")


class FakeLine:
    def __init__(self, *, connected: bool = True, commands: bool = True,
                 reply: ReplyEvent | None = None, error: Exception | None = None) -> None:
        self._connected = connected
        self._commands = commands
        self.reply = reply
        self.error = error
        self.sent: list[dict[str, str]] = []

    @property
    def supports_commands(self) -> bool:
        return self._commands

    @property
    def connected(self) -> bool:
        return self._connected

    async def send_command(self, command: dict[str, str], *,
                           reply_timeout: float | None = None) -> ReplyEvent | None:
        if self.error is not None:
            raise self.error
        self.sent.append(dict(command))
        return self.reply


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def tekil_settings(**dial: object) -> Settings:
    s = Settings()
    s.account.flavor = Flavor.TEKIL
    s.account.extensions = ["1001"]
    s.account.crm_id = "crm-7"
    s.dial = replace(s.dial, **dial)  # type: ignore[arg-type]
    return s


def bulut_settings() -> Settings:
    s = Settings()
    s.account.flavor = Flavor.BULUT
    s.account.extensions = ["1009"]
    s.account.domain_uuid = "5b0c0e4e-1d2f-4a6b-9c3d-000000000001"
    return s


def service(settings: Settings, session: object, *, line: object = None,
            clock: Clock | None = None) -> ClickToCall:
    async def provide() -> object:
        if isinstance(session, Exception):
            raise session
        return session

    return ClickToCall(settings=lambda: settings, session=provide,  # type: ignore[arg-type]
                       line=lambda: line, clock=clock or Clock())  # type: ignore[arg-type,return-value]


async def test_tekil_account_uses_central_dial() -> None:
    session = FakeTekil()
    result = await service(tekil_settings(), session).dial("tel:+90-532-123-45-67",
                                                           source="test")
    assert session.calls == [("1001", "05321234567")]
    assert result.status is DialStatus.STARTED
    assert result.ok
    assert result.backend == "tekil-rest"
    assert result.server_message == "Arama Başladı"
    assert result.message == ("Your phone (1001) is ringing; then 0532 123 45 67 will be "
                              "called.")


async def test_bulut_account_uses_clicktocall() -> None:
    session = FakeKobiPbx()
    result = await service(bulut_settings(), session).dial("+44 20 7946 0958", source="test")
    assert session.calls == [("1009", "00442079460958", "5b0c0e4e-1d2f-4a6b-9c3d-000000000001")]
    assert result.backend == "kobipbx"
    assert result.ok


async def test_invalid_number_never_reaches_the_session() -> None:
    session = FakeTekil()
    result = await service(tekil_settings(), session).dial("0532 123 45 6", source="test")
    assert result.status is DialStatus.INVALID
    assert result.refusal is not None
    assert result.refusal.reason is RefusalReason.INVALID
    assert session.calls == []
    assert "not a valid phone number" in result.message


async def test_double_click_dials_once() -> None:
    clock = Clock()
    session = FakeTekil()
    svc = service(tekil_settings(), session, clock=clock)
    first = await svc.dial("0532 123 45 67", source="popup")
    clock.now += 1.0
    second = await svc.dial("tel:+905321234567", source="link")  # same number, other spelling
    assert first.status is DialStatus.STARTED
    assert second.status is DialStatus.DUPLICATE
    assert session.calls == [("1001", "05321234567")]
    clock.now += DEBOUNCE_SECONDS
    third = await svc.dial("05321234567", source="dialer")
    assert third.status is DialStatus.STARTED
    assert len(session.calls) == 2


async def test_concurrent_requests_for_one_number_dial_once() -> None:
    session = FakeTekil()
    session.gate = asyncio.Event()
    svc = service(tekil_settings(), session)
    first = asyncio.ensure_future(svc.dial("05321234567", source="link"))
    await asyncio.sleep(0)
    second = await svc.dial("05321234567", source="link")  # while the first waits
    session.gate.set()
    assert (await first).status is DialStatus.STARTED
    assert second.status is DialStatus.DUPLICATE
    assert len(session.calls) == 1


async def test_other_numbers_are_not_debounced() -> None:
    session = FakeTekil()
    svc = service(tekil_settings(), session)
    await svc.dial("05321234567", source="x")
    await svc.dial("05331234567", source="x")
    assert [n for _, n in session.calls] == ["05321234567", "05331234567"]


@pytest.mark.parametrize(("error", "status", "retry_allowed"), [
    (AmbiguousError("no answer in time"), DialStatus.NO_ANSWER, False),
    (ServerError("HTTP 500", status=500, may_have_reached_server=True),
     DialStatus.SERVER_ERROR, False),
    (NetworkError("cannot connect"), DialStatus.NOT_SENT, True),
    (AuthError("login rejected", status=401), DialStatus.AUTH_FAILED, True),
    (RequestError("refused", status=200, server_message="Dahili bulunamadı"),
     DialStatus.REFUSED, True),
])
async def test_errors_are_reported_never_retried(error: Exception, status: DialStatus,
                                                 retry_allowed: bool) -> None:
    session = FakeTekil(error)
    svc = service(tekil_settings(), session)
    result = await svc.dial("05321234567", source="test")
    assert result.status is status
    assert len(session.calls) == 1  # the service itself never resends
    assert result.status.may_have_started is (status in (DialStatus.NO_ANSWER,
                                                          DialStatus.SERVER_ERROR))
    again = await svc.dial("05321234567", source="test")
    # After "may have started" the same number is held back (debounce); after a
    # certain "nothing happened" the agent may retry at once.
    assert (again.status is not DialStatus.DUPLICATE) is retry_allowed


async def test_timeout_message_says_check_the_phone() -> None:
    result = await service(tekil_settings(), FakeTekil(AmbiguousError("x"))).dial(
        "05321234567", source="t")
    assert result.message == ("The server did not answer in time; the call may have "
                              "started — check your phone before trying again.")


async def test_refusal_carries_the_servers_words() -> None:
    error = RequestError("pbx POST /central/dial: refused: Dahili bulunamadı",
                         server_message="Dahili bulunamadı")
    result = await service(tekil_settings(), FakeTekil(error)).dial("05321234567", source="t")
    assert result.server_message == "Dahili bulunamadı"
    assert "Dahili bulunamadı" in result.message


async def test_not_set_up() -> None:
    no_extension = tekil_settings()
    no_extension.account.extensions = []
    session = FakeTekil()
    result = await service(no_extension, session).dial("05321234567", source="t")
    assert result.status is DialStatus.NOT_SET_UP
    assert session.calls == []
    no_domain = bulut_settings()
    no_domain.account.domain_uuid = ""
    result = await service(no_domain, FakeKobiPbx()).dial("05321234567", source="t")
    assert result.status is DialStatus.NOT_SET_UP
    result = await service(tekil_settings(), AccountIncomplete("password not set")).dial(
        "05321234567", source="t")
    assert result.status is DialStatus.NOT_SET_UP
    assert "password not set" in result.detail


async def test_confirmation_asked_for_costly_numbers_only() -> None:
    asked: list[str] = []

    async def confirm(target: DialTarget) -> bool:
        asked.append(target.dial_string)
        return False

    session = FakeTekil()
    svc = service(tekil_settings(), session)
    declined = await svc.dial("+44 20 7946 0958", source="t", confirm=confirm)
    assert declined.status is DialStatus.CANCELLED
    premium = await svc.dial("0900 123 45 67", source="t", confirm=confirm)
    assert premium.status is DialStatus.CANCELLED
    plain = await svc.dial("05321234567", source="t", confirm=confirm)
    assert plain.status is DialStatus.STARTED
    assert asked == ["00442079460958", "09001234567"]
    assert session.calls == [("1001", "05321234567")]
    # declining does not block a deliberate second try
    accepted = await svc.dial("+44 20 7946 0958", source="t", confirm=_yes)
    assert accepted.status is DialStatus.STARTED


async def _yes(_target: DialTarget) -> bool:
    return True


async def test_link_arriving_while_confirmation_is_open_is_dropped() -> None:
    release = asyncio.Event()

    async def slow_confirm(_target: DialTarget) -> bool:
        await release.wait()
        return True

    session = FakeTekil()
    svc = service(tekil_settings(), session)
    first = asyncio.ensure_future(svc.dial("+44 20 7946 0958", source="link",
                                           confirm=slow_confirm))
    await asyncio.sleep(0)
    second = await svc.dial("tel:+442079460958", source="link", confirm=slow_confirm)
    assert second.status is DialStatus.DUPLICATE
    release.set()
    assert (await first).status is DialStatus.STARTED
    assert len(session.calls) == 1


async def test_ws_originate_when_that_is_the_live_connection() -> None:
    settings = tekil_settings(use_ws_originate=True, trunk="kobikom")
    settings.account.transport = Transport.WS
    line = FakeLine(reply=ReplyEvent(raw={}, command="originate", ok=True,
                                     message="Arama başlatıldı"))
    session = FakeTekil()
    result = await service(settings, session, line=line).dial("0224 532 04 44", source="t")
    assert session.calls == []
    assert result.backend == "tekil-ws"
    assert result.status is DialStatus.STARTED
    assert line.sent == [{"command": "originate", "customer_num": "02245320444",
                          "pbx_num": "02245320444", "internal_num": "1001",
                          "ring_timeout": "30000", "crm_id": "crm-7",
                          "wait_response": "15000", "trunk": "kobikom"}]


async def test_ws_originate_refused_or_unanswered() -> None:
    settings = tekil_settings(use_ws_originate=True)
    settings.account.transport = Transport.WS
    refused = FakeLine(reply=ReplyEvent(raw={}, command="originate", ok=False,
                                        message="Dahili bulunamadı"))
    result = await service(settings, FakeTekil(), line=refused).dial("05321234567", source="t")
    assert result.status is DialStatus.REFUSED
    assert result.server_message == "Dahili bulunamadı"
    silent = FakeLine(reply=None)
    result = await service(settings, FakeTekil(), line=silent).dial("05321234567", source="t")
    assert result.status is DialStatus.SENT
    assert result.ok


@pytest.mark.parametrize("line", [
    FakeLine(connected=False),
    FakeLine(error=NotConnectedError("'originate' not sent: connection lost")),
    FakeLine(error=CommandsUnsupported("no commands")),
])
async def test_ws_originate_not_sent_falls_back_to_the_panel_api(line: FakeLine) -> None:
    settings = tekil_settings(use_ws_originate=True)
    settings.account.transport = Transport.WS
    session = FakeTekil()
    result = await service(settings, session, line=line).dial("05321234567", source="t")
    assert result.backend == "tekil-rest"
    assert result.status is DialStatus.STARTED
    assert session.calls == [("1001", "05321234567")]


async def test_ws_originate_failing_while_sending_is_never_redialled_over_rest() -> None:
    """The frame may be on the wire when the send fails: the phone may be ringing.
    A REST fallback would ring the customer a second time."""
    settings = tekil_settings(use_ws_originate=True)
    settings.account.transport = Transport.WS
    session = FakeTekil()
    line = FakeLine(error=ChannelError("'originate' may have been sent: connection failed",
                                       may_have_reached_server=True))
    result = await service(settings, session, line=line).dial("05321234567", source="t")
    assert session.calls == []
    assert result.status is DialStatus.NO_ANSWER
    assert result.status.may_have_started


async def test_a_command_failing_while_sending_may_have_happened() -> None:
    line = FakeLine(error=ChannelError("'hangup' may have been sent",
                                       may_have_reached_server=True))
    result = await service(tekil_settings(), FakeTekil(), line=line).hang_up("1.2")
    assert result.status is DialStatus.NO_ANSWER


async def test_ws_originate_not_sent_and_no_panel_login() -> None:
    settings = tekil_settings(use_ws_originate=True)
    settings.account.transport = Transport.WS
    result = await service(settings, AccountIncomplete("password not set"),
                           line=FakeLine(connected=False)).dial("05321234567", source="t")
    assert result.status is DialStatus.NOT_SENT
    assert "WebSocket" in result.detail


async def test_originate_setting_ignored_on_other_connections() -> None:
    settings = tekil_settings(use_ws_originate=True)  # transport TCP: no commands there
    line = FakeLine()
    session = FakeTekil()
    await service(settings, session, line=line).dial("05321234567", source="t")
    assert line.sent == []
    assert len(session.calls) == 1


async def test_transfer_and_hang_up() -> None:
    line = FakeLine(reply=ReplyEvent(raw={}, command="redirect", ok=True, message="ok"))
    svc = service(tekil_settings(), FakeTekil(), line=line)
    assert svc.can_control_calls()
    result = await svc.transfer("1520317155.59", "1002")
    assert result.ok
    assert line.sent[-1] == {"command": "redirect", "exten": "1002",
                                           "unique_id": "1520317155.59", "crm_id": "crm-7"}
    bad = await svc.transfer("1520317155.59", "0532 123 45 67")
    assert bad.status is DialStatus.INVALID
    assert len(line.sent) == 1
    line.reply = None
    result = await svc.hang_up("1520317155.59")
    assert result.status is DialStatus.SENT
    assert line.sent[-1] == {"command": "hangup", "unique_id": "1520317155.59",
                             "crm_id": "crm-7"}
    down = service(tekil_settings(), FakeTekil(),
                   line=FakeLine(error=NotConnectedError("not connected")))
    assert (await down.hang_up("1.2")).status is DialStatus.NOT_SENT
    assert not service(tekil_settings(), FakeTekil(), line=None).can_control_calls()


# ---------------------------------------------------------------- the tracker is told


class NotingTekil(FakeTekil):
    """Records whether the dial was noted *before* the request went out."""

    def __init__(self, dials: RecentDials, *outcomes: object) -> None:
        super().__init__(*outcomes)
        self.dials = dials
        self.noted_before: list[int] = []

    async def dial(self, extension: str, number: str, *, timeouts: object = None) -> DialAnswer:
        self.noted_before.append(self.dials.count)
        return await super().dial(extension, number, timeouts=timeouts)


def noting_service(session: FakeTekil, dials: RecentDials) -> ClickToCall:
    async def provide() -> object:
        return session

    return ClickToCall(settings=tekil_settings, session=provide,  # type: ignore[arg-type]
                       clock=Clock(), dials=dials)


async def test_a_dial_is_noted_for_the_tracker_before_it_is_sent() -> None:
    dials = RecentDials(clock=lambda: 500.0)
    session = NotingTekil(dials)
    result = await noting_service(session, dials).dial("0532 123 45 67", source="test")
    assert result.status is DialStatus.STARTED
    assert session.noted_before == [1]  # the PBX's first event may beat the HTTP reply
    note = dials.match("1001", ["+905321234567"], 501.0)
    assert note is not None
    assert note.extension == "1001"


@pytest.mark.parametrize(("error", "kept"), [
    (RequestError("refused", status=200, server_message="Dahili bulunamadı"), False),
    (NetworkError("cannot connect"), False),
    (AmbiguousError("no answer in time"), True),  # the phone may be ringing
])
async def test_a_dial_that_certainly_did_nothing_is_withdrawn(error: Exception,
                                                              kept: bool) -> None:
    dials = RecentDials(clock=lambda: 500.0)
    await noting_service(NotingTekil(dials, error), dials).dial("05321234567", source="t")
    assert (dials.match("1001", ["+905321234567"], 501.0) is not None) is kept
