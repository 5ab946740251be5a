"""PBX phonebook bodies (IP-phone XML, JSON, CSV) and replacing the PBX rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.directory import ContactDraft, ContactNumber, Directory
from desktop.core.phonebook_sync import (
    PhonebookFormatError,
    apply_phonebook,
    parse_pbx_phonebook,
)


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    yield d
    d.close()


def summary(drafts: list[ContactDraft]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(d.name, d.company, [(n.key, n.label) for n in d.numbers]) for d in drafts]


YEALINK = """<?xml version="1.0" encoding="UTF-8"?>
<YealinkIPPhoneDirectory>
  <DirectoryEntry>
    <Name>Ayşe Yılmaz</Name>
    <Telephone>0532 123 45 67</Telephone>
    <Telephone label="Office">0212 444 55 66</Telephone>
  </DirectoryEntry>
  <DirectoryEntry><Name>Santral</Name><Telephone>1001</Telephone></DirectoryEntry>
</YealinkIPPhoneDirectory>
""".encode()

YEALINK_BOOK = """<?xml version="1.0" encoding="UTF-8"?>
<YealinkIPPhoneBook><Title>Kobikom</Title>
  <Menu Name="Müşteriler">
    <Unit Name="Mehmet Öztürk" Phone1="02244431290" Phone2="05423182764" Phone3=""
          default_photo=""/>
  </Menu>
</YealinkIPPhoneBook>
""".encode()

CISCO = b"""<CiscoIPPhoneDirectory><Title>Rehber</Title><Prompt>x</Prompt>
<DirectoryEntry><Name>Ali Veli</Name><Telephone>+90 505 612 33 48</Telephone></DirectoryEntry>
</CiscoIPPhoneDirectory>"""

GRANDSTREAM = """<?xml version="1.0" encoding="UTF-8"?>
<AddressBook>
  <Contact>
    <LastName>Demir</LastName>
    <FirstName>Burak</FirstName>
    <Company>Demir Çelik</Company>
    <Phone type="Work">
      <phonenumber>0232 376 40 25</phonenumber><accountindex>1</accountindex>
    </Phone>
    <Phone type="Cell">
      <phonenumber>0555 647 21 38</phonenumber><accountindex>1</accountindex>
    </Phone>
    <Groups><groupid>2</groupid></Groups>
  </Contact>
</AddressBook>
""".encode()

TEKIL_JSON = json.dumps(
    [
        {
            "id": "11",
            "firma": "Kobikom Telekomünikasyon",
            "ad": "Yazılım",
            "soyad": "Departmanı",
            "telefon": "908508881444",
            "eposta": "yazilim@kobikom.com.tr",
            "diger": "",
            "tur": "2",
        },
        {
            "id": "12",
            "firma": "",
            "ad": "Gül",
            "soyad": "Çetin",
            "telefon": 905559261743,
            "eposta": None,
            "diger": "Randevu",
            "tur": "3",
        },
        {"id": "13", "ad": "", "soyad": "", "telefon": ""},
    ],
    ensure_ascii=False,
).encode()


def test_yealink_directory() -> None:
    assert summary(parse_pbx_phonebook(YEALINK, "text/xml")) == [
        ("Ayşe Yılmaz", "", [("+905321234567", "mobile"), ("+902124445566", "work")]),
        ("Santral", "", [("1001", "other")]),
    ]


def test_yealink_phonebook_units() -> None:
    assert summary(parse_pbx_phonebook(YEALINK_BOOK, None)) == [
        ("Mehmet Öztürk", "", [("+902244431290", "work"), ("+905423182764", "mobile")]),
    ]


def test_cisco_directory() -> None:
    assert summary(parse_pbx_phonebook(CISCO, "text/xml")) == [
        ("Ali Veli", "", [("+905056123348", "mobile")]),
    ]


def test_grandstream_addressbook() -> None:
    assert summary(parse_pbx_phonebook(GRANDSTREAM, "application/xml")) == [
        ("Burak Demir", "Demir Çelik", [("+902323764025", "work"), ("+905556472138", "mobile")]),
    ]


def test_snom_tbook() -> None:
    body = b"<tbook><item><name>Santral</name><number>1001</number></item></tbook>"
    assert summary(parse_pbx_phonebook(body, None)) == [("Santral", "", [("1001", "other")])]


def test_tekil_json_labelled_text_html() -> None:
    drafts = parse_pbx_phonebook(TEKIL_JSON, "text/html; charset=UTF-8")
    assert summary(drafts) == [
        ("Yazılım Departmanı", "Kobikom Telekomünikasyon", [("+908508881444", "work")]),
        ("Gül Çetin", "", [("+905559261743", "other")]),
    ]
    assert drafts[0].external_id == "11"
    assert drafts[0].email == "yazilim@kobikom.com.tr"
    assert drafts[1].notes == "Randevu"


def test_json_wrapped_in_data() -> None:
    body = json.dumps(
        {
            "success": True,
            "data": {
                "contacts": [
                    {"name": "Ayşe", "phone": ["0532 123 45 67", "0212 444 55 66"], "company": "Y"},
                ]
            },
        }
    ).encode()
    assert summary(parse_pbx_phonebook(body, "application/json")) == [
        ("Ayşe", "Y", [("+905321234567", "mobile"), ("+902124445566", "other")]),
    ]


def test_an_extension_in_the_pbx_phonebook_is_not_an_internal_number() -> None:
    body = (b"<YealinkIPPhoneDirectory><DirectoryEntry><Name>Kaya Hukuk</Name>"
            b"<Telephone>0216 444 55 66 / 106</Telephone><Telephone>1001</Telephone>"
            b"<Telephone label=\"Fax\">0216 444 55 67</Telephone>"
            b"</DirectoryEntry></YealinkIPPhoneDirectory>")
    (draft,) = parse_pbx_phonebook(body, "text/xml")
    assert [(n.key, n.extension) for n in draft.numbers] == [
        ("+902164445566", "106"), ("1001", None)]  # 1001 alone is internal; the fax skipped


def test_csv_phonebook() -> None:
    body = "Ad Soyad,Telefon\nAyşe Yılmaz,05321234567\n".encode("cp1254")
    assert summary(parse_pbx_phonebook(body, "text/csv")) == [
        ("Ayşe Yılmaz", "", [("+905321234567", "mobile")]),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"<html><body>404</body></html>", "HTML page"),
        (b"<Foo><Bar/></Foo>", "unknown XML phonebook <Foo>"),
        (b"<YealinkIPPhoneDirectory><DirectoryEntry>", "broken XML"),
        (b"just some text", "unknown phonebook format"),
        (b'{"status": false, "message": "Token hatali"}', "refused.*Token hatali"),
        (b'{"foo": 1}', "without a list"),
        (b"[{]", "broken JSON"),
    ],
)
def test_unknown_or_broken_formats(body: bytes, message: str) -> None:
    with pytest.raises(PhonebookFormatError, match=message):
        parse_pbx_phonebook(body, "text/html")


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<YealinkIPPhoneDirectory><DirectoryEntry><Name>&b;</Name><Telephone>1001</Telephone>"
        b"</DirectoryEntry></YealinkIPPhoneDirectory>",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<YealinkIPPhoneDirectory><DirectoryEntry><Name>&x;</Name></DirectoryEntry>"
        b"</YealinkIPPhoneDirectory>",
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_xml_with_dtd_is_refused(body: bytes) -> None:
    with pytest.raises(PhonebookFormatError, match="refused XML"):
        parse_pbx_phonebook(body, "text/xml")


def test_hostile_names_are_kept_as_plain_text() -> None:
    body = (
        b"<YealinkIPPhoneDirectory><DirectoryEntry><Name>&lt;b&gt;x&lt;/b&gt;&lt;img src=x&gt;"
        b"\xe2\x80\xae</Name><Telephone>1001</Telephone></DirectoryEntry></YealinkIPPhoneDirectory>"
    )
    (draft,) = parse_pbx_phonebook(body, None)
    assert draft.name.startswith("<b>x</b><img src=x>")


def test_apply_replaces_pbx_rows_and_keeps_local_ones(directory: Directory) -> None:
    local = directory.add(
        ContactDraft(name="Yerel Ayşe", numbers=(ContactNumber.of("05321234567"),))
    )
    first = apply_phonebook(directory, parse_pbx_phonebook(YEALINK, None))
    assert (first.added, first.removed) == (2, 0)
    santral = directory.lookup("1001")
    assert santral is not None
    assert santral.source == "pbx"
    # The same number in the PBX book and locally: both exist.
    assert len(directory.lookup_all("05321234567")) == 2

    second = apply_phonebook(directory, parse_pbx_phonebook(CISCO, None))
    assert (second.added, second.removed) == (1, 2)
    assert directory.lookup("1001") is None
    assert directory.get(local.id) == local
    assert directory.count("pbx") == 1

    third = apply_phonebook(directory, parse_pbx_phonebook(CISCO, None))
    assert (third.added, third.updated, third.unchanged, third.removed) == (0, 0, 1, 0)


def test_apply_matches_json_rows_by_id(directory: Directory) -> None:
    apply_phonebook(directory, parse_pbx_phonebook(TEKIL_JSON, None))
    before = directory.lookup("908508881444")
    assert before is not None
    renamed = TEKIL_JSON.replace("Departmanı".encode(), b"Ekibi")
    report = apply_phonebook(directory, parse_pbx_phonebook(renamed, None))
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 1, 1, 0)
    after = directory.lookup("908508881444")
    assert after is not None
    assert after.id == before.id
    assert after.name == "Yazılım Ekibi"
