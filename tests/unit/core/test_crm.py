"""CRM screen-pop: URL templates (checked, URL-encoded) and when a page opens (once per call)."""

from __future__ import annotations

import dataclasses
import urllib.parse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.caller_card import CallerCard, CardState
from desktop.core.crm import OPENED_MEMORY, CrmFields, ScreenPop, build_url, check_template
from desktop.core.numbers import parse_number
from desktop.core.settings import CrmOpenOn
from desktop.core.templates import TemplateError, number_values

TEMPLATE = ("https://crm.example.com/search?phone={e164}&name={name}&call={call_id}"
            "&ext={extension}")


def card(state: CardState = CardState.RINGING, **kwargs: object) -> CallerCard:
    values: dict[str, object] = {
        "call_id": "c-1", "state": state, "number": parse_number("05321234567"),
        "direction": "inbound", "extension": "1001"}
    values.update(kwargs)
    return CallerCard(**values)  # type: ignore[arg-type]


# -- templates -----------------------------------------------------------------


@pytest.mark.parametrize("template", [
    TEMPLATE,
    "http://10.0.0.5:8080/crm/{number}",
    "https://crm.example.com/#/caller/{e164}",
    "https://crm.example.com?q={national}&queue={queue}&dir={direction}&co={company}",
    "HTTPS://crm.example.com/x?n={international}",
    "https://crm.example.com/static",
    "  https://crm.example.com/?p={e164}  ",
])
def test_good_templates_are_accepted(template: str) -> None:
    assert check_template(template) == template.strip()


@pytest.mark.parametrize(("template", "code"), [
    ("ftp://crm.example.com/{e164}", "scheme"),
    ("javascript:alert({name})", "scheme"),
    ("file:///etc/passwd?{e164}", "scheme"),
    ("crm.example.com/{e164}", "scheme"),
    ("{e164}", "scheme"),
    ("https://{name}.example.com/", "host"),
    ("https://crm.example.com{name}", "host"),
    ("https://crm.example.com:{extension}/", "host"),
    ("https:///{e164}", "host"),
    ("https://crm.example.com/?q={phone}", "unknown-variable"),
    ("https://crm.example.com/?q={e164:>20}", "format"),
    ("https://crm.example.com/?q={e164!r}", "format"),
    ("https://crm.example.com/?q={e164", "malformed"),
    ("https://crm.example.com/?q=}", "malformed"),
    ("https://crm.example.com/?q={e164} x", "spaces"),
    ("https://crm.example.com/?q=\t{e164}", "spaces"),
    ("https://crm.example.com/?q=" + "x" * 2001, "too-long"),
])
def test_bad_templates_are_refused_with_a_reason(template: str, code: str) -> None:
    with pytest.raises(TemplateError) as caught:
        check_template(template)
    assert caught.value.code == code
    assert str(caught.value)


def test_an_empty_template_means_no_crm() -> None:
    assert check_template("   ") == ""
    with pytest.raises(TemplateError):
        build_url("", CrmFields())


def test_values_are_url_encoded_as_a_whole() -> None:
    fields = CrmFields.for_number("05321234567", name="Ayşe & Çağ/Ltd #1?x=y", company="Örnek A.Ş.",
                                  call_id="a b", extension="1001", queue="",
                                  direction="inbound")
    url = build_url(TEMPLATE, fields)
    parts = urllib.parse.urlsplit(url)
    assert parts.scheme == "https"
    assert parts.hostname == "crm.example.com"
    assert parts.fragment == ""
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    assert query == {"phone": ["+905321234567"], "name": ["Ayşe & Çağ/Ltd #1?x=y"],
                     "call": ["a b"], "ext": ["1001"]}
    assert "%2B905321234567" in url  # a '+' would read as a space in a query


@given(st.text(max_size=40))
def test_no_value_can_change_the_urls_structure(value: str) -> None:
    url = build_url("https://crm.example.com/p/{name}?q={company}#f",
                    CrmFields(name=value, company=value))
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == "crm.example.com"
    assert parts.path.count("/") == 2
    assert urllib.parse.unquote(parts.path.rsplit("/", 1)[1]) == value
    assert urllib.parse.parse_qs(parts.query, keep_blank_values=True)["q"] == [value]
    assert parts.fragment == "f"


def test_number_forms() -> None:
    assert number_values("0532 123 45 67") == {
        "number": "0532 123 45 67", "e164": "+905321234567", "national": "05321234567",
        "international": "+90 532 123 45 67"}
    assert number_values("00442079460958")["national"] == "+442079460958"
    assert number_values("1001") == {"number": "1001", "e164": "1001", "national": "1001",
                                     "international": "1001"}


def test_fields_from_a_card() -> None:
    fields = CrmFields.from_card(card(name=None, pbx_name="ARAYAN", queue="60001",
                                      company="Örnek"))
    assert fields.as_dict() == {
        "number": "05321234567", "e164": "+905321234567", "national": "05321234567",
        "international": "+90 532 123 45 67", "name": "ARAYAN", "company": "Örnek",
        "call_id": "c-1", "extension": "1001", "queue": "60001", "direction": "inbound"}
    assert CrmFields.from_card(card(name="Ayşe", pbx_name="X")).name == "Ayşe"


# -- when a page opens ---------------------------------------------------------------


def pop(open_on: CrmOpenOn, template: str = TEMPLATE) -> tuple[ScreenPop, list[str]]:
    opened: list[str] = []
    return ScreenPop(template, open_on, opened.append), opened


def test_on_ring_opens_once_per_call() -> None:
    screen, opened = pop(CrmOpenOn.RING)
    for state in (CardState.RINGING, CardState.RINGING, CardState.ANSWERED, CardState.ON_HOLD,
                  CardState.ANSWERED, CardState.ENDED):
        screen.on_card(card(state))
    assert len(opened) == 1
    assert "call=c-1" in opened[0]
    screen.on_card(card(call_id="c-2"))
    assert len(opened) == 2


def test_on_answer_waits_for_the_answer() -> None:
    screen, opened = pop(CrmOpenOn.ANSWER)
    screen.on_card(card(CardState.RINGING))
    assert opened == []
    screen.on_card(card(CardState.ANSWERED))
    screen.on_card(card(CardState.ENDED))
    assert len(opened) == 1
    missed, missed_opened = pop(CrmOpenOn.ANSWER)
    missed.on_card(card(CardState.RINGING))
    missed.on_card(card(CardState.ENDED))
    assert missed_opened == []


def test_click_only_opens_from_the_button() -> None:
    screen, opened = pop(CrmOpenOn.CLICK)
    screen.on_card(card(CardState.RINGING))
    screen.on_card(card(CardState.ANSWERED))
    assert opened == []
    assert screen.open(CrmFields.from_card(card()))
    assert len(opened) == 1


def test_a_button_opens_even_after_the_automatic_page() -> None:
    screen, opened = pop(CrmOpenOn.RING)
    screen.on_card(card())
    screen.open(CrmFields.from_card(card()))
    assert len(opened) == 2


@pytest.mark.parametrize("kwargs", [
    {"direction": "outbound"},
    {"direction": "local", "number": parse_number("1002")},
    {"number": parse_number("anonymous")},
    {"number": parse_number("1002")},
])
def test_no_automatic_page_for_own_internal_or_withheld_calls(kwargs: dict[str, object]) -> None:
    screen, opened = pop(CrmOpenOn.RING)
    screen.on_card(card(**kwargs))
    screen.on_card(card(CardState.ANSWERED, **kwargs))
    assert opened == []


def test_a_pending_name_is_awaited_only_when_the_template_uses_it() -> None:
    screen, opened = pop(CrmOpenOn.RING)
    screen.on_card(card(lookup_pending=True))
    assert opened == []
    screen.on_card(card(lookup_pending=False, name="Şükrü Çağlayan", contact_source="ldap"))
    assert len(opened) == 1
    assert "name=%C5%9E%C3%BCkr%C3%BC%20%C3%87a%C4%9Flayan" in opened[0]
    by_number, by_number_opened = pop(CrmOpenOn.RING, "https://crm.example.com/?p={e164}")
    by_number.on_card(card(lookup_pending=True))
    assert len(by_number_opened) == 1


def test_the_real_call_of_a_synthetic_one_does_not_open_again() -> None:
    screen, opened = pop(CrmOpenOn.RING)
    screen.on_card(card(call_id="synthetic-1"))
    screen.on_card(card(CardState.ANSWERED, call_id="real-1", replaces="synthetic-1"))
    assert len(opened) == 1


def test_memory_of_opened_calls_is_bounded() -> None:
    screen, opened = pop(CrmOpenOn.RING)
    for i in range(OPENED_MEMORY + 10):
        screen.on_card(card(call_id=f"c{i}"))
    assert len(opened) == OPENED_MEMORY + 10
    assert len(screen._opened) == OPENED_MEMORY
    screen.on_card(card(CardState.ANSWERED, call_id=f"c{OPENED_MEMORY + 9}"))
    assert len(opened) == OPENED_MEMORY + 10


def test_no_template_no_page() -> None:
    screen, opened = pop(CrmOpenOn.RING, "")
    assert not screen.enabled
    screen.on_card(card())
    assert not screen.open(CrmFields.from_card(card()))
    assert opened == []


def test_a_failing_opener_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def broken(url: str) -> None:
        raise RuntimeError("no browser")

    screen = ScreenPop(TEMPLATE, CrmOpenOn.RING, broken)
    with caplog.at_level("ERROR"):
        assert screen.on_card(card())
    assert "opening the CRM page failed" in caplog.text


def test_the_log_names_the_host_not_the_number(caplog: pytest.LogCaptureFixture) -> None:
    screen, _opened = pop(CrmOpenOn.RING)
    with caplog.at_level("DEBUG", logger="kobikom.core.crm"):
        screen.on_card(dataclasses.replace(card(), name="Ayşe"))
    assert "crm.example.com" in caplog.text
    assert "5321234567" not in caplog.text
    assert "Ayşe" not in caplog.text
