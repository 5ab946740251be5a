"""The SMS counter at Kobikom's limits, encodings, and templates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.sms_text import (
    SmsEncoding,
    count_sms,
    prepare_text,
    render_template,
    unfilled_placeholders,
)
from desktop.pbx.sms import SmsCoding

EMOJI = "😊"  # outside the BMP: 2 UTF-16 units


@pytest.mark.parametrize(("text", "encoding", "units", "parts"), [
    # plain: 155 in one message, 148 per part after that
    ("a" * 155, SmsEncoding.PLAIN, 155, 1),
    ("a" * 156, SmsEncoding.PLAIN, 156, 2),
    ("a" * 296, SmsEncoding.PLAIN, 296, 2),
    ("a" * 297, SmsEncoding.PLAIN, 297, 3),
    # Turkish: 150, then 143 per part
    ("ş" * 150, SmsEncoding.TURKISH, 150, 1),
    ("ş" * 151, SmsEncoding.TURKISH, 151, 2),
    ("ğ" + "a" * 285, SmsEncoding.TURKISH, 286, 2),
    ("ğ" + "a" * 286, SmsEncoding.TURKISH, 287, 3),
    # Unicode: the stricter 65, then 62 per part
    ("é" * 65, SmsEncoding.UNICODE, 65, 1),
    ("é" * 66, SmsEncoding.UNICODE, 66, 2),
    ("é" * 124, SmsEncoding.UNICODE, 124, 2),
    ("é" * 125, SmsEncoding.UNICODE, 125, 3),
    # emoji count 2
    (EMOJI * 32 + "a", SmsEncoding.UNICODE, 65, 1),
    (EMOJI * 33, SmsEncoding.UNICODE, 66, 2),
    # an emoji never straddles two parts: 61 units + an emoji does not fit in 62
    ("a" * 61 + EMOJI + "a" * 61, SmsEncoding.UNICODE, 124, 3),
    # GSM extension characters count 2 in plain and Turkish texts
    ("{" * 77 + "a", SmsEncoding.PLAIN, 155, 1),
    ("{" * 78, SmsEncoding.PLAIN, 156, 2),
    ("[ş" * 50, SmsEncoding.TURKISH, 150, 1),
])
def test_counter_at_the_limits(text, encoding, units, parts):
    count = count_sms(text)
    assert count.encoding is encoding
    assert count.units == units
    assert count.parts == parts


@pytest.mark.parametrize(("text", "encoding", "special"), [
    ("Merhaba, yarin 10:00'da gorusuruz!", SmsEncoding.PLAIN, ()),
    ("Sizi aradık, ulaşamadık.", SmsEncoding.TURKISH, ("ı", "ş")),
    ("Görüşmek üzere", SmsEncoding.TURKISH, ("ö", "ü", "ş")),
    ("İyi günler", SmsEncoding.TURKISH, ("İ", "ü")),
    ("Fiyat 10 €", SmsEncoding.UNICODE, ("€",)),
    ("It’s here", SmsEncoding.UNICODE, ("’",)),
    (f"Teşekkürler {EMOJI}", SmsEncoding.UNICODE, (EMOJI,)),
    ("café", SmsEncoding.UNICODE, ("é",)),
])
def test_the_encoding_a_text_needs(text, encoding, special):
    count = count_sms(text)
    assert count.encoding is encoding
    assert count.special == special


def test_encodings_map_to_the_old_api_flag():
    assert SmsEncoding.PLAIN.coding is SmsCoding.PLAIN
    assert SmsEncoding.TURKISH.coding.value == "turkish"
    assert SmsEncoding.UNICODE.coding.value == "1"
    assert [e.single_limit for e in SmsEncoding] == [155, 150, 65]
    assert [e.part_limit for e in SmsEncoding] == [148, 143, 62]


def test_remaining_counts_down_within_the_current_part():
    assert count_sms("a" * 150).remaining == 5
    multi = count_sms("a" * 160)
    assert (multi.parts, multi.per_message, multi.remaining) == (2, 148, 148 * 2 - 160)
    assert count_sms("").empty


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*list("aZ9 {şğÇé€"), EMOJI]), max_size=700))
def test_the_count_never_understates(text):
    count = count_sms(text)
    limit = count.encoding.single_limit if count.parts == 1 else count.encoding.part_limit
    assert count.units <= count.parts * limit
    if count.parts > 1:
        assert count.units > count.encoding.single_limit
    # one character more never costs fewer messages
    assert count_sms(text + "a").parts >= count.parts


def test_prepare_text_normalises_what_is_sent():
    assert prepare_text("  Merhaba\r\nDünya\t!\x00 ") == "Merhaba\nDünya !"
    assert prepare_text("S\u0327") == "Ş"  # NFC: one character, one unit


def test_templates_fill_known_placeholders_and_tidy_empty_ones():
    template = "Merhaba {name}, sizi aradık. {agent}"
    assert render_template(template, {"name": "Ayşe Hanım", "agent": "Mehmet"}) == \
        "Merhaba Ayşe Hanım, sizi aradık. Mehmet"
    assert render_template(template, {}) == "Merhaba, sizi aradık."
    assert render_template("Adres bilgimiz: {adres}", {"name": "x"}) == \
        "Adres bilgimiz: {adres}"
    assert render_template("{number} numarasından", {"number": "0532 411 80 27"}) == \
        "0532 411 80 27 numarasından"


def test_unfilled_placeholders_are_found():
    assert unfilled_placeholders("Saat {saat}, yer {yer}, {saat}") == ["{saat}", "{yer}"]
    assert unfilled_placeholders("Merhaba") == []
    assert unfilled_placeholders("a { b } c") == []
