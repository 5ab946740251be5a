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


# ------------------------------------------------------------------ extensions
@pytest.mark.parametrize(("raw", "key", "extension"), [
    ("0212 555 12 34 / 101", "+902125551234", "101"),
    ("0212 555 20 20 - 102", "+902125552020", "102"),
    ("0212 555 20 20 -102", "+902125552020", "102"),
    ("0212 555 30 30 (103)", "+902125553030", "103"),
    ("0212 555 12 34 x101", "+902125551234", "101"),
    ("0212 555 12 34 X 101", "+902125551234", "101"),
    ("+90 212 555 40 40 ext. 104", "+902125554040", "104"),
    ("+90 212 555 40 40 ext 104", "+902125554040", "104"),
    ("+90 212 555 40 40 extension 104", "+902125554040", "104"),
    ("0212 555 12 34 #105", "+902125551234", "105"),
    ("0212 555 12 34 dahili 101", "+902125551234", "101"),
    ("0212 555 12 34 Dahili: 101", "+902125551234", "101"),
    ("0212 555 12 34 DAHİLİ 101", "+902125551234", "101"),
    ("0212 555 12 34 / Dahili: 106", "+902125551234", "106"),
    ("(0212) 555 12 34 (Dahili: 5)", "+902125551234", "5"),
    ("0212 555 12 34 dah. 7", "+902125551234", "7"),
    ("+90 212 555 44 33,101", "+902125554433", "101"),
    ("+90 212 555 44 33,,101", "+902125554433", "101"),
    ("+90 212 555 44 33;101", "+902125554433", "101"),
    ("02165554433p101", "+902165554433", "101"),
    ("02165554433w101", "+902165554433", "101"),
    ("tel:+90-212-555-1234;ext=101", "+902125551234", "101"),
    ("+44 20 7946 0958 ext. 12", "+442079460958", "12"),
])
def test_every_written_extension_form(raw: str, key: str, extension: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.EXTERNAL
    assert number.key == key  # the main number is what is matched ...
    assert number.extension == extension  # ... the extension is kept beside it
    assert number.valid
    assert number.display() == parse_number(key).display()
    assert number.display_full().endswith(f" ext. {extension}")


@pytest.mark.parametrize("raw", ["0532-123-45-67", "0 (532) 123 45 67", "+90 (212) 555-12-34",
                                 "0212 555 12 34"])
def test_a_separator_inside_a_number_is_not_an_extension(raw: str) -> None:
    number = parse_number(raw)
    assert number.extension is None
    assert number.valid


@pytest.mark.parametrize(("raw", "key"), [
    ("dahili 101", "101"), ("Dahili: 106", "106"), ("x12", "12"), ("ext. 7", "7"),
    ("#105", "105"), ("(dahili 5)", "5"),
])
def test_a_short_number_marked_alone_is_internal(raw: str, key: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.INTERNAL
    assert number.key == key
    assert number.extension is None


@pytest.mark.parametrize("raw", ["+90 yok", "+90", "+90 532", "5,35123E+09", "5.35123E+09",
                                 "0532 111 22 33 / 0212 444 55 66", "0212 555 12 34 x",
                                 "0212 555 12 34 ext. 1234567"])
def test_no_raw_text_is_taken_for_a_number(raw: str) -> None:
    number = parse_number(raw)
    assert number.kind is NumberKind.INVALID
    assert not number.storable
    assert number.e164 is None


# ------------------------------------------------------------------ the one cleaner
PASTED = [
    "\u202a+90 532 123 45 67\u202c",  # WhatsApp / Windows: LRE ... PDF
    "\u200e+90 532 123 45 67\u200f",  # LRM / RLM
    "\u2066+90 532 123 45 67\u2069",  # isolates
    "0532\u200b123\u200b45\u200b67",  # zero-width spaces
    "\ufeff05321234567",  # BOM
    "0532\u00a0123\u00a045\u00a067",  # no-break spaces
    "0532\u202f123\u202f45\u202f67",  # narrow no-break spaces
    "0532\u2013123\u201345\u201367",  # en dashes from Word
    "\u0660\u0665\u0663\u0662\u0661\u0662\u0663\u0664\u0665\u0666\u0667",  # Arabic-Indic
    "\uff10\uff15\uff13\uff12\uff11\uff12\uff13\uff14\uff15\uff16\uff17",  # full-width
    "tel:+905321234567",
    "TEL:+90-532-123-45-67",
    "tel:05321234567",
]


@pytest.mark.parametrize("raw", PASTED)
def test_pasted_numbers_are_cleaned(raw: str) -> None:
    assert parse_number(raw).key == "+905321234567"


def test_one_cleaner_behind_lookup_dial_import_and_the_dialer(tmp_path) -> None:
    """Every path that takes a pasted number agrees on what it is."""
    from desktop.core.contact_cells import read_number_cell
    from desktop.core.dial_search import clean_query
    from desktop.core.dialing import DialTarget, dial_target
    from desktop.core.directory import ContactDraft, ContactNumber, Directory

    directory = Directory(tmp_path / "c.sqlite3")
    try:
        directory.add(ContactDraft(name="Ayşe", numbers=(ContactNumber.of("05321234567"),)))
        for raw in PASTED:
            found = directory.lookup(raw)  # lookup
            assert found is not None, raw
            assert found.name == "Ayşe", raw
            target = dial_target(raw)  # dial
            assert isinstance(target, DialTarget), raw
            assert target.dial_string == "05321234567", raw
            cell = read_number_cell(raw, None)  # import
            assert [n.key for n in cell.numbers] == ["+905321234567"], raw
            query = clean_query(raw)  # the dialer's search box
            assert [c.name for c in directory.search(query)] == ["Ayşe"], raw
    finally:
        directory.close()


# ------------------------------------------------------------------ the fast path
@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"[2-9][0-9]{9}", fullmatch=True),
       st.sampled_from(["0{}", "90{}", "+90{}", "0090{}", "{}", "+90 {}", "0 ({})"]),
       st.sampled_from(["", " / 101", " ext. 7", ",12"]))
def test_the_fast_path_answers_as_libphonenumber_does(digits: str, notation: str,
                                                      extension: str) -> None:
    from desktop.core.numbers import _parse

    raw = notation.format(digits) + extension
    assert _parse(raw) == _parse(raw, fast=False)


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"[2-9][0-9]{9}", fullmatch=True))
def test_the_turkish_plan_gives_libphonenumbers_number_type(national: str) -> None:
    import phonenumbers

    from desktop.core.numbers import _TR_PLAN, _TYPE_NAMES

    number = phonenumbers.PhoneNumber(country_code=90, national_number=int(national))
    assert _TR_PLAN.number_type(national) == _TYPE_NAMES[phonenumbers.number_type(number)]


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[2-9][0-9]{9}", fullmatch=True),
       st.sampled_from(["0{}", "90{}", "+90{}", "0090{}", "{}", "+90 {}", "0 ({})", " 0{} "]),
       st.sampled_from([None, "mobile", "work", "İş", "Cep", "voice"]))
def test_the_importers_shortcut_gives_the_parsers_number(digits: str, notation: str,
                                                         label: str | None) -> None:
    from desktop.core.contact_cells import _label, read_number_cell
    from desktop.core.contact_model import ContactNumber
    from desktop.core.numbers import clean_number_text, parse_number_uncached, turkish_key

    raw = notation.format(digits)
    parsed = parse_number_uncached(clean_number_text(raw))
    assert turkish_key(raw) == (parsed.key if parsed.valid else None)
    if parsed.kind is NumberKind.EXTERNAL and parsed.valid:
        assert read_number_cell(raw, label).numbers == [
            ContactNumber.from_parsed(parsed, _label(label, parsed))]
