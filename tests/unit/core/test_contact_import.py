"""CSV and vCard import into a real directory file."""

from __future__ import annotations

import codecs
import threading
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
import pytest

from desktop.core.contact_import import (
    ContactImportError,
    ImportReport,
    column_role,
    decode_bytes,
    import_contacts,
    split_numbers,
)
from desktop.core.directory import Contact, ContactDraft, ContactNumber, Directory

REPO = Path(__file__).resolve().parents[3]
DEMO_CSV = REPO / "resources" / "sample-data" / "contacts-demo.csv"


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    yield d
    d.close()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def only(directory: Directory, number: str) -> Contact:
    found = directory.lookup(number)
    assert found is not None, number
    return found


def counts(report: ImportReport) -> tuple[int, int, int, int]:
    return report.added, report.updated, report.unchanged, report.skipped


# ------------------------------------------------------------------ CSV encodings
TURKISH_CSV = (
    "Ad;Soyad;Firma;Cep Telefonu;Notlar\r\n"
    "Şükrü;IŞIKÇI;Öğün Gıda Çiğköfte Ltd. Şti.;0532 111 22 33;ŞİĞÜÖÇşığüöç\r\n"
    "İpek;Ağaoğlu;;0542 444 55 66;\r\n"
)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda s: s.encode("utf-8"), id="utf8"),
        pytest.param(lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), id="utf8-bom"),
        pytest.param(lambda s: s.encode("cp1254"), id="cp1254"),
        pytest.param(lambda s: s.encode("utf-16"), id="utf16-bom"),
    ],
)
def test_csv_encodings(directory: Directory, tmp_path: Path, encode: object) -> None:
    data = encode(TURKISH_CSV)  # type: ignore[operator]
    report = import_contacts(directory, write(tmp_path, "rehber.csv", data))
    assert counts(report) == (2, 0, 0, 0)
    assert report.errors == ()
    contact = only(directory, "05321112233")
    assert contact.name == "Şükrü IŞIKÇI"
    assert contact.company == "Öğün Gıda Çiğköfte Ltd. Şti."
    assert contact.notes == "ŞİĞÜÖÇşığüöç"
    assert contact.source == "csv:rehber.csv"
    assert only(directory, "+905424445566").name == "İpek Ağaoğlu"


def test_cp1254_bytes_really_are_not_utf8() -> None:
    raw = "ŞİĞÜÖÇşığüöç".encode("cp1254")
    assert raw == bytes.fromhex("DEDDD0DCD6C7FEFDF0FCF6E7")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode_bytes(raw) == "ŞİĞÜÖÇşığüöç"


# ------------------------------------------------------------------ separators and headers
@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_csv_separators(directory: Directory, tmp_path: Path, sep: str) -> None:
    text = sep.join(["Name", "Company", "Phone"]) + "\n"
    text += sep.join(["Ali Veli", '"Kaya, Demir ve Ortakları"', "0212 444 55 66"]) + "\n"
    report = import_contacts(directory, write(tmp_path, "c.csv", text.encode()))
    assert report.added == 1
    assert report.errors == ()
    contact = only(directory, "02124445566")
    assert contact.name == "Ali Veli"
    assert contact.company == "Kaya, Demir ve Ortakları"


@pytest.mark.parametrize(
    ("header", "role", "label"),
    [
        ("Ad", "given", None),
        ("Adı", "given", None),
        ("İsim", "given", None),
        ("First name", "given", None),
        ("Given Name", "given", None),
        ("Soyad", "family", None),
        ("SOYADI", "family", None),
        ("Last Name", "family", None),
        ("Ad Soyad", "full", None),
        ("Adı Soyadı", "full", None),
        ("Full name", "full", None),
        ("Name", "full", None),
        ("Firma", "company", None),
        ("Şirket", "company", None),
        ("Company", "company", None),
        ("Organization 1 - Name", "company", None),
        ("Ünvan", "title_or_company", None),
        ("Telefon", "phone", None),
        ("Tel", "phone", None),
        ("Cep", "phone", "mobile"),
        ("GSM", "phone", "mobile"),
        ("Mobile Phone", "phone", "mobile"),
        ("İş Telefonu", "phone", "work"),
        ("Business Phone", "phone", "work"),
        ("Ev Telefonu", "phone", "home"),
        ("Numara", "phone", None),
        ("Phone", "phone", None),
        ("Phone 1 - Value", "phone", "google1"),
        ("Phone 1 - Type", "phone_label", "google1"),
        ("E-posta", "email", None),
        ("Eposta", "email", None),
        ("E-mail Address", "email", None),
        ("Mail", "email", None),
        ("E-mail 1 - Value", "email", None),
        ("Not", "notes", None),
        ("Notlar", "notes", None),
        ("Açıklama", "notes", None),
        ("Notes", "notes", None),
        ("Faks", "fax", None),
        ("Doğum Tarihi", "ignore", None),
        ("E-mail 1 - Type", "ignore", None),
    ],
)
def test_column_roles(header: str, role: str, label: str | None) -> None:
    assert column_role(header) == (role, label)


def test_english_headers_and_several_phone_columns(directory: Directory, tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,Company,Mobile Phone,Business Phone,Home Phone,E-mail Address,Notes\n"
        "John,Smith,ACME Ltd,+44 7911 123456,0212 444 55 66,0216 333 22 11,j@acme.test,VIP\n"
    )
    report = import_contacts(directory, write(tmp_path, "outlook.csv", text.encode()))
    assert report.added == 1
    contact = only(directory, "+447911123456")
    assert contact.name == "John Smith"
    assert [(n.key, n.label) for n in contact.numbers] == [
        ("+447911123456", "mobile"),
        ("+902124445566", "work"),
        ("+902163332211", "home"),
    ]
    assert contact.email == "j@acme.test"
    assert contact.notes == "VIP"


def test_name_column_next_to_surname_is_a_first_name(directory: Directory, tmp_path: Path) -> None:
    text = "Name;Surname;Phone\nAyşe;Yılmaz;05321234567\n"
    import_contacts(directory, write(tmp_path, "c.csv", text.encode()))
    assert only(directory, "05321234567").name == "Ayşe Yılmaz"


def test_google_export(directory: Directory, tmp_path: Path) -> None:
    text = (
        "Name,Given Name,Family Name,Organization 1 - Name,Phone 1 - Type,Phone 1 - Value,"
        "Phone 2 - Type,Phone 2 - Value,E-mail 1 - Type,E-mail 1 - Value\n"
        "Ayşe Yılmaz,Ayşe,Yılmaz,Yıldız Lojistik,Mobile,+90 532 123 45 67 ::: 0533 765 43 21,"
        "Work,0212 444 55 66,* Work,ayse@yildiz.test\n"
    )
    report = import_contacts(directory, write(tmp_path, "contacts.csv", text.encode()))
    assert report.added == 1
    assert report.errors == ()
    contact = only(directory, "05337654321")
    assert contact.name == "Ayşe Yılmaz"
    assert contact.company == "Yıldız Lojistik"
    assert contact.email == "ayse@yildiz.test"
    assert [(n.raw, n.label) for n in contact.numbers] == [
        ("+90 532 123 45 67", "mobile"),
        ("0533 765 43 21", "mobile"),
        ("0212 444 55 66", "work"),
    ]


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("0532 111 22 33 / 0212 444 55 66", ["0532 111 22 33", "0212 444 55 66"]),
        ("0532 111 22 33 ::: 0212 444 55 66", ["0532 111 22 33", "0212 444 55 66"]),
        ("0532 111 22 33 :: 0212 444 55 66", ["0532 111 22 33", "0212 444 55 66"]),
        ("0532-111-22-33, 0212-444-55-66", ["0532-111-22-33", "0212-444-55-66"]),
        ("0532 111 22 33", ["0532 111 22 33"]),
    ],
)
def test_split_numbers(cell: str, parts: list[str]) -> None:
    assert split_numbers(cell) == parts


def test_tekil_style_columns(directory: Directory, tmp_path: Path) -> None:
    text = "firma;ad;soyad;telefon;eposta;diger;tur\nKobikom;Yazılım;Departmanı;908508881444;;;2\n"
    import_contacts(directory, write(tmp_path, "tekil.csv", text.encode()))
    contact = only(directory, "08508881444")
    assert contact.name == "Yazılım Departmanı"
    assert contact.company == "Kobikom"
    assert contact.numbers[0].label == "work"


# ------------------------------------------------------------------ bad rows
def test_bad_rows_are_reported_with_line_numbers(directory: Directory, tmp_path: Path) -> None:
    text = (
        "Ad Soyad;Telefon;Notlar\n"  # line 1
        "Ayşe Yılmaz;0532 123 45 67;ok\n"  # 2 good
        ";;sadece not\n"  # 3 no name, no number
        "\n"  # 4 blank: ignored silently
        "Ali;0532 123 45 67;fazla;sütun\n"  # 5 too many columns
        ';abc;"çok\nsatırlı not"\n'  # 6-7 unparseable number, no name
        "Veli;0212 444 55 66 / 12ab;kısmen\n"  # 8 one bad number: kept without it
        "Firma Kişisi;05421112233;\n"  # 9 good
    )
    report = import_contacts(directory, write(tmp_path, "c.csv", text.encode()))
    assert counts(report) == (3, 0, 0, 3)
    assert [(e.line, e.skipped) for e in report.errors] == [
        (3, True),
        (5, True),
        (6, True),
        (8, False),
    ]
    reasons = [e.reason for e in report.errors]
    assert reasons[0] == "no name and no phone number"
    assert reasons[1] == "too many columns (4, the header has 3)"
    assert "not a phone number: 'abc'" in reasons[2]
    assert reasons[3] == "not a phone number: '12ab' in '0212 444 55 66 / 12ab'"
    assert [n.raw for n in only(directory, "02124445566").numbers] == ["0212 444 55 66"]
    assert only(directory, "05421112233").name == "Firma Kişisi"
    assert directory.count() == 3


def test_excel_separator_hint_line(directory: Directory, tmp_path: Path) -> None:
    # More commas than semicolons in the header: only the hint says ";".
    text = (
        "sep=;\r\nAd Soyad;Firma, Şube, Bölge, İl;Telefon\r\n"
        "Ayşe Yılmaz;X, Y;05321234567\r\n;;zz\r\n"
    )
    report = import_contacts(directory, write(tmp_path, "c.csv", text.encode()))
    assert report.added == 1
    assert [e.line for e in report.errors] == [4]
    assert only(directory, "05321234567").name == "Ayşe Yılmaz"


def test_trailing_empty_cells_are_fine(directory: Directory, tmp_path: Path) -> None:
    text = "Ad;Telefon\nAyşe;05321234567;;;\n"
    report = import_contacts(directory, write(tmp_path, "c.csv", text.encode()))
    assert counts(report) == (1, 0, 0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"Foo;Bar\n1;2\n", "no name, company or phone column"),
    ],
)
def test_unusable_files(directory: Directory, tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(ContactImportError, match=message):
        import_contacts(directory, write(tmp_path, "c.csv", data))


def test_missing_file(directory: Directory, tmp_path: Path) -> None:
    with pytest.raises(ContactImportError, match="no such file"):
        import_contacts(directory, tmp_path / "yok.csv")


# ------------------------------------------------------------------ re-import
def test_reimport_does_not_duplicate_and_updates_changed_rows(
    directory: Directory, tmp_path: Path
) -> None:
    path = write(tmp_path, "rehber.csv", TURKISH_CSV.encode())
    assert counts(import_contacts(directory, path)) == (2, 0, 0, 0)
    assert counts(import_contacts(directory, path)) == (0, 0, 2, 0)
    assert directory.count() == 2
    changed = TURKISH_CSV.replace("0542 444 55 66;", "0542 444 55 66;yeni not")
    changed += "Yeni;Kişi;;0505 000 11 22;\r\n"
    path.write_bytes(changed.encode())
    assert counts(import_contacts(directory, path)) == (1, 1, 1, 0)
    assert only(directory, "05424445566").notes == "yeni not"
    assert directory.count() == 3


def test_duplicate_rows_in_one_file(directory: Directory, tmp_path: Path) -> None:
    text = "Ad;Telefon\nAyşe;05321234567\nAli;05421234567\nayşe;+90 532 123 45 67\n"
    report = import_contacts(directory, write(tmp_path, "c.csv", text.encode()))
    assert counts(report) == (2, 0, 0, 1)
    assert [(e.line, e.reason) for e in report.errors] == [(4, "same contact as row 2")]


def test_same_file_name_other_folder_is_the_same_source(
    directory: Directory, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    import_contacts(directory, write(tmp_path / "a", "rehber.csv", TURKISH_CSV.encode()))
    report = import_contacts(directory, write(tmp_path / "b", "rehber.csv", TURKISH_CSV.encode()))
    assert report.unchanged == 2
    assert directory.count() == 2


def test_import_keeps_other_sources(directory: Directory, tmp_path: Path) -> None:
    import_contacts(directory, write(tmp_path, "a.csv", TURKISH_CSV.encode()))
    import_contacts(directory, write(tmp_path, "b.csv", TURKISH_CSV.encode()))
    assert directory.count() == 4  # two files, two sources: both kept
    assert len(directory.lookup_all("05321112233")) == 2


def test_progress_and_cancel(directory: Directory, tmp_path: Path) -> None:
    rows = "".join(f"Kişi {i};0532{i:07d}\n" for i in range(12000))
    path = write(tmp_path, "big.csv", ("Ad;Telefon\n" + rows).encode())
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        cancel.set()  # cancel after the first batch

    report = import_contacts(directory, path, progress=progress, cancel=cancel)
    assert report.cancelled
    assert counts(report) == (0, 0, 0, 0)
    assert directory.count() == 0
    assert seen
    assert seen[0][1] == 12000
    seen.clear()
    report = import_contacts(directory, path, progress=lambda d, t: seen.append((d, t)))
    assert not report.cancelled
    assert report.added == 12000
    assert seen[-1] == (12000, 12000)


def test_import_in_a_thread_while_the_popup_looks_up(directory: Directory, tmp_path: Path) -> None:
    directory.add(ContactDraft(name="Yerel Ayşe", numbers=(ContactNumber.of("05321234567"),)))
    rows = "".join(f"Kişi {i};0542{i:07d}\n" for i in range(20000))
    path = write(tmp_path, "big.csv", ("Ad;Telefon\n" + rows).encode())
    reports: list[ImportReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            reports.append(import_contacts(directory, path))
        except BaseException as exc:  # re-raised below via the assertion
            errors.append(exc)
        finally:
            directory.release()

    thread = threading.Thread(target=worker)
    thread.start()
    lookups = 0
    while thread.is_alive() or lookups < 20:
        assert only(directory, "+90 532 123 45 67").name == "Yerel Ayşe"
        directory.search("kiş")
        lookups += 1
    thread.join(timeout=60)
    assert errors == []
    assert reports[0].added == 20000
    assert only(directory, "05420019999").name == "Kişi 19999"


# ------------------------------------------------------------------ vCard
VCARD3 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Yılmaz;Ayşe;;;\r\n"
    "FN:Ayşe Yılmaz\r\n"
    "ORG:Yıldız Lojistik A.Ş.;Muhasebe\r\n"
    "TEL;TYPE=CELL:0532 123 45 67\r\n"
    "TEL;TYPE=WORK,VOICE:+90 212 444 55 66\r\n"
    "item1.TEL;type=HOME:0216 333 22 11\r\n"
    "EMAIL;TYPE=INTERNET:ayse@yildiz.test\r\n"
    "NOTE:Sözleşme yenileme Mart'ta\\, ödeme\\nhavale ile. Bu not çok uzun olduğu i\r\n"
    " çin katlanmış bir satırda devam ediyor.\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Öztürk;Mehmet;;;\r\n"
    "TEL;TYPE=CELL:0542 318 27 64\r\n"
    "END:VCARD\r\n"
)

VCARD4 = (
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:İsmail Çelik\n"
    "ORG:Çelik Yapı\n"
    'TEL;VALUE=uri;TYPE="voice,cell";PREF=1:tel:+90-505-612-33-48\n'
    "TEL;VALUE=uri;TYPE=work:tel:+90-212-356-44-10;ext=102\n"
    "EMAIL:ismail@celik.test\n"
    "END:VCARD\n"
)

VCARD21_QP = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=9Eahin;=C3=87a=C4=9Fr=C4=B1;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=87a=C4=9Fr=C4=B1 =C5=9E=\r\n"
    "ahin\r\n"
    "TEL;CELL;PREF:05426607219\r\n"
    "TEL;WORK:02324638155\r\n"
    "END:VCARD\r\n"
)


def test_vcard3(directory: Directory, tmp_path: Path) -> None:
    report = import_contacts(directory, write(tmp_path, "kisiler.vcf", VCARD3.encode()))
    assert counts(report) == (2, 0, 0, 0)
    ayse = only(directory, "+905321234567")
    assert ayse.source == "vcard:kisiler.vcf"
    assert ayse.name == "Ayşe Yılmaz"
    assert ayse.company == "Yıldız Lojistik A.Ş., Muhasebe"
    assert ayse.email == "ayse@yildiz.test"
    assert ayse.notes == (
        "Sözleşme yenileme Mart'ta, ödeme\nhavale ile. Bu not çok uzun olduğu için katlanmış "
        "bir satırda devam ediyor."
    )
    assert [(n.key, n.label) for n in ayse.numbers] == [
        ("+905321234567", "mobile"),
        ("+902124445566", "work"),
        ("+902163332211", "home"),
    ]
    assert only(directory, "05423182764").name == "Mehmet Öztürk"  # from N only


def test_vcard4_tel_uris(directory: Directory, tmp_path: Path) -> None:
    report = import_contacts(directory, write(tmp_path, "k.vcf", VCARD4.encode()))
    assert report.added == 1
    assert report.errors == ()
    contact = only(directory, "05056123348")
    assert contact.name == "İsmail Çelik"
    # The link's ";ext=102" is the extension of the work number, kept beside its key.
    assert [(n.raw, n.key, n.label, n.extension) for n in contact.numbers] == [
        ("+90-505-612-33-48", "+905056123348", "mobile", None),
        ("+90-212-356-44-10 ext. 102", "+902123564410", "work", "102"),
    ]


def test_vcard21_quoted_printable(directory: Directory, tmp_path: Path) -> None:
    report = import_contacts(directory, write(tmp_path, "k.vcf", VCARD21_QP.encode()))
    assert report.added == 1
    contact = only(directory, "05426607219")
    assert contact.name == "Çağrı Şahin"
    assert [n.label for n in contact.numbers] == ["mobile", "work"]


def test_vcard_bad_cards_are_reported(directory: Directory, tmp_path: Path) -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nNOTE:yalnızca not\nEND:VCARD\n"  # 1: no name, no number
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ali\nTEL:kayıp\nEND:VCARD\n"  # 5: bad number, kept
        "BEGIN:VCARD\nVERSION:3.0\nFN:Veli\nTEL:1001\n"  # 10: never closed
    )
    report = import_contacts(directory, write(tmp_path, "k.vcf", text.encode()))
    assert [(e.line, e.skipped) for e in report.errors] == [(1, True), (5, False), (10, True)]
    assert report.added == 1
    assert directory.search("ali")[0].numbers == ()


def test_vcard_reimport_does_not_duplicate(directory: Directory, tmp_path: Path) -> None:
    path = write(tmp_path, "k.vcf", VCARD3.encode())
    import_contacts(directory, path)
    assert counts(import_contacts(directory, path)) == (0, 0, 2, 0)
    assert directory.count() == 2


# ------------------------------------------------------------------ the demo data
def test_demo_csv_imports_cleanly(directory: Directory) -> None:
    raw = DEMO_CSV.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw.splitlines()[0].count(b";") == 6
    report = import_contacts(directory, DEMO_CSV)
    assert report.errors == ()
    assert report.added == 40
    for contact in directory.iter_all():
        assert contact.numbers
        for number in contact.numbers:
            assert phonenumbers.is_valid_number(phonenumbers.parse(number.key, None)), number
    ayse = only(directory, "+905324121875")
    assert ayse.company == "Yıldız Lojistik A.Ş."
    assert ayse.notes == "Sözleşme yenileme Mart'ta"
    assert {c.name for c in directory.search("yıldız")} >= {"Ayşe Yılmaz", "Ahmet Yıldırım"}
