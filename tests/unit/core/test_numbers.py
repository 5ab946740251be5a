"""Phone numbers in every notation Kobikom and agents use -> one key."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.numbers import NumberKind, mask, normalize, parse_number

SAME_MOBILE = [
    "05321234567",
    "+90 532 123 45 67",
    "905321234567",
    "00905321234567",
    "5321234567",
    "0 (532) 123 45 67",
    "+90-532-123-45-67",
    "0532.123.45.67",
    "\u00a00532 123 4567 ",
]


@pytest.mark.parametrize("raw", SAME_MOBILE)
def test_turkish_notations_share_one_key(raw: str) -> None:
    number = parse_number(raw)
    assert number.key == "+905321234567"
    assert number.kind is NumberKind.EXTERNAL
    assert number.raw == raw  # the text as received is kept
    assert number.valid
    assert number.is_turkish
    assert not number.is_international
    assert number.region == "TR"
    assert number.number_type == "MOBILE"
    assert number.national() == "05321234567"
    assert normalize(raw) == "+905321234567"


def test_display_is_how_a_turkish_agent_reads_it() -> None:
    assert {parse_number(raw).display() for raw in SAME_MOBILE} == {"0532 123 45 67"}


@pytest.mark.parametrize("raw", ["1001", "101000", "60000", "*97", "12", "7", " 1001 ", "10-01"])
def test_short_numbers_stay_internal(raw: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.INTERNAL
    assert number.e164 is None
    assert number.key == raw.strip().replace("-", "")
    assert number.display() == number.key
    assert number.masked() == number.key  # extensions are not personal data
    assert not number.is_international


def test_feature_code_keeps_its_star() -> None:
    # "*97" (voicemail) and "97" are different things on a PBX.
    assert parse_number("*97").key == "*97"
    assert parse_number("*97").key != parse_number("97").key


@pytest.mark.parametrize(("raw", "key", "region", "display"), [
    ("+44 20 7946 0958", "+442079460958", "GB", "+44 20 7946 0958"),
    ("00442079460958", "+442079460958", "GB", "+44 20 7946 0958"),
    ("+49 30 901820", "+4930901820", "DE", "+49 30 901820"),
    ("+1 212 555 0123", "+12125550123", "US", "+1 212-555-0123"),
])
def test_foreign_numbers(raw: str, key: str, region: str, display: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.EXTERNAL
    assert number.key == key
    assert number.region == region
    assert number.is_international
    assert not number.is_turkish
    assert number.national() is None
    assert number.display() == display


@pytest.mark.parametrize(("raw", "key", "number_type", "display"), [
    ("0850 532 12 34", "+908505321234", "UAN", "0850 532 1234"),
    ("08505321234", "+908505321234", "UAN", "0850 532 1234"),
    ("0224 212 34 56", "+902242123456", "FIXED_LINE", "(0224) 212 34 56"),
    ("2242123456", "+902242123456", "FIXED_LINE", "(0224) 212 34 56"),
    ("0212 555 12 34", "+902125551234", "FIXED_LINE", "(0212) 555 12 34"),
    ("0900 123 45 67", "+909001234567", "PREMIUM_RATE", "0900 123 4567"),
])
def test_service_and_landline_numbers(raw: str, key: str, number_type: str, display: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.EXTERNAL
    assert number.key == key
    assert number.is_turkish
    # libphonenumber's metadata decides the type name; 0850 is "UAN" or "VOIP".
    expected_types = {number_type, "VOIP"} if number_type == "UAN" else {number_type}
    assert number.number_type in expected_types
    assert number.is_premium is (number_type == "PREMIUM_RATE")
    assert number.display() == display


@pytest.mark.parametrize("raw", [None, "", "   ", "anonymous", "Anonymous", "unknown", "PRIVATE",
                                 "restricted", "gizli", "Bilinmiyor", "unavailable"])
def test_anonymous(raw: str | None) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.ANONYMOUS
    assert number.e164 is None
    assert number.raw == ("" if raw is None else raw)
    assert number.key == number.display() == ("" if raw is None else raw.strip())


@pytest.mark.parametrize("raw", ["s", "abc", "05321234567x", "+", "++905321234567", "0532-abc",
                                 "1234567890123456789", "*97*", "null", "📞"])
def test_junk_is_invalid_and_kept_as_text(raw: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.INVALID
    assert number.e164 is None
    assert number.key == raw.strip()
    assert number.display() == raw.strip()


def test_parse_is_cached() -> None:
    assert parse_number("05321234567") is parse_number("05321234567")


@pytest.mark.parametrize("raw", [*SAME_MOBILE, "+44 20 7946 0958", "0850 532 12 34"])
def test_masked_keeps_only_the_last_two_subscriber_digits(raw: str) -> None:
    number = parse_number(raw)
    masked = number.masked()
    assert number.e164 is not None
    country = "+90" if number.is_turkish else "+44"
    # The country code stays (it is not personal); of the subscriber number
    # only the last two digits are visible, and the length is kept.
    assert masked.startswith(country)
    rest = masked[len(country):]
    assert re.fullmatch(r"\*+\d\d", rest), masked
    assert rest[-2:] == number.e164[-2:]
    assert len(masked) == len(number.e164)


def test_mask_of_free_text() -> None:
    assert mask("+905321234567") == "+90********67"
    assert mask(" 1001 ") == "1001"


@settings(max_examples=300)
@given(st.text(max_size=25))
def test_parse_number_never_raises(raw: str) -> None:
    number = parse_number(raw)
    assert number.raw == raw
    assert isinstance(number.key, str)
    assert isinstance(number.display(), str)
    masked = number.masked()
    if number.kind is NumberKind.EXTERNAL:
        assert len(re.findall(r"\d", masked)) <= 5  # country code + last two


@settings(max_examples=300)
@given(st.from_regex(r"5[0-9]{9}", fullmatch=True),
       st.sampled_from(["0{}", "90{}", "+90{}", "0090{}", "{}", "+90 {}", "0 ({})"]))
def test_every_notation_of_a_mobile_number_has_the_same_key(digits: str, notation: str) -> None:
    assert parse_number(notation.format(digits)).key == parse_number("0" + digits).key
