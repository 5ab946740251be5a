"""Files shaped like each exporter's real output, into a real directory file.

The files are in ``tests/fixtures/contacts`` (``make_fixtures.py`` there says
how each program writes them): Google Contacts (current and legacy), Outlook
in English and Turkish, iPhone/macOS and old Android/Nokia vCards, a Turkish
Excel CSV.  Bigger or nastier files (an over-long notes cell, a contact with
too many numbers) are generated here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.contact_import import ImportReport, ImportRowError, import_contacts
from desktop.core.directory import Contact, Directory
from desktop.core.text import MAX_NOTES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "contacts"
ALL_FILES = ["google-current.csv", "google-legacy.csv", "outlook-en.csv", "outlook-tr.csv",
             "excel-tr.csv", "apple.vcf", "android-nokia.vcf"]


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    yield d
    d.close()


def load(directory: Directory, name: str) -> ImportReport:
    return import_contacts(directory, FIXTURES / name)


def by_name(directory: Directory, name: str) -> Contact:
    found = [c for c in directory.iter_all() if (c.name or c.company) == name]
    assert len(found) == 1, (name, found)
    return found[0]


def numbers(contact: Contact) -> list[tuple[str, str | None, str]]:
    return [(n.key, n.extension, n.label) for n in contact.numbers]


def problem(report: ImportReport, text: str) -> ImportRowError:
    found = [e for e in report.errors if text in e.reason]
    assert len(found) == 1, (text, report.errors)
    return found[0]


# ------------------------------------------------------------------ each exporter
def test_google_current_export(directory: Directory) -> None:
    report = load(directory, "google-current.csv")
    assert (report.added, report.skipped, report.rows) == (4, 0, 4)
    ayse = by_name(directory, "Ayşe Yılmaz")
    assert ayse.company == "Yıldız Lojistik A.Ş."  # "Organization Name", not the title
    assert ayse.email == "ayse@yildizlojistik.com.tr"
    assert ayse.notes == "VIP müşteri"
    # "Work Fax" is skipped like every fax; "ext. 104" is an extension, kept.
    assert numbers(ayse) == [("+905324121875", None, "mobile"),
                             ("+902125551234", "104", "work")]
    mehmet = by_name(directory, "Mehmet Öztürk")
    assert numbers(mehmet) == [("+905423182764", None, "mobile"),
                               ("+905056123348", None, "mobile"),
                               ("+902165554433", "101", "work")]
    # Pasted with bidi marks (WhatsApp): found, and stored clean.
    ismail = by_name(directory, "İsmail Çelik")
    assert [n.raw for n in ismail.numbers] == ["+90 533 111 22 33"]
    assert by_name(directory, "Güneş Sigorta").name == ""
    assert report.fax_skipped == 1
    assert report.numbers == 7
    assert report.numbers_dropped == 1
    junk = problem(report, "'+90 yok'")
    assert (junk.row, junk.column, junk.skipped) == (4, "Phone 2 - Value", False)


def test_google_legacy_export_in_utf16(directory: Directory) -> None:
    report = load(directory, "google-legacy.csv")
    assert (report.added, report.skipped, report.errors) == (2, 0, ())
    fatma = by_name(directory, "Fatma Arslan")
    assert fatma.company == "Arslan Mimarlık"  # "Organization 1 - Name"
    assert numbers(fatma) == [("+905337654321", None, "mobile"),
                              ("+903124445566", "102", "work")]
    assert by_name(directory, "Hakan Bulut").notes == "Arıza kaydı için arar"
    assert report.fax_skipped == 1


def test_outlook_english_export(directory: Directory) -> None:
    report = load(directory, "outlook-en.csv")
    assert (report.added, report.skipped, report.errors) == (2, 0, ())
    kemal = by_name(directory, "Kemal Aksoy")
    assert kemal.company == "Aksoy Medikal Ltd."  # "Title" (Dr.) is not the company
    assert kemal.email == "kemal@aksoymedikal.com.tr"  # not the display name column
    # The switchboard's extension x102 and the switchboard itself are two numbers.
    assert numbers(kemal) == [("+902325552020", "102", "work"),
                              ("+902325552020", None, "work"),
                              ("+905327654321", None, "mobile")]
    assert numbers(by_name(directory, "Selin Yavuz"))[1] == ("+902423214568", "12", "work")
    assert report.fax_skipped == 1


def test_outlook_turkish_export_takes_sirket_not_unvan(directory: Directory) -> None:
    report = load(directory, "outlook-tr.csv")  # Windows-1254, comma
    assert (report.added, report.skipped, report.errors) == (2, 0, ())
    sukru = by_name(directory, "Şükrü Işıkçı")
    assert sukru.company == "Öğün Gıda Ltd. Şti."  # Şirket; "Unvan" is "Dr."
    assert sukru.email == "sukru@ogungida.com.tr"
    assert sukru.notes == "Çiğköfte siparişleri\nÖğleden sonra arayın"
    # "(103)" was once stored as the wrong number +902245553030103.
    assert numbers(sukru) == [("+902245553030", "103", "work"),
                              ("+905321112233", None, "mobile")]
    gulsen = by_name(directory, "Gülşen Kaya")
    assert gulsen.company == "Kaya Hukuk Bürosu"
    assert numbers(gulsen) == [("+902164445566", "106", "work"),
                               ("+904441444", None, "other")]
    assert report.fax_skipped == 2  # "İş Faksı", "Ev Faksı"


def test_turkish_excel_csv(directory: Directory) -> None:
    report = load(directory, "excel-tr.csv")  # Windows-1254, ';'
    assert (report.added, report.skipped, report.rows) == (5, 1, 6)
    assert report.numbers == 5
    assert report.numbers_dropped == 3
    # A "Dahili" column next to a fixed line is that line's extension...
    assert numbers(by_name(directory, "Hüseyin Çakır")) == [("+902244432211", "105", "other")]
    # ... and alone (a colleague with no outside number) an internal number.
    assert numbers(by_name(directory, "Selin Koç")) == [("201", None, "work")]
    assert numbers(by_name(directory, "Ümit Doğan")) == [("+902125557788", "12", "other")]
    # Excel's scientific notation: named as such, the whole cell quoted, never stored.
    excel = problem(report, "Excel scientific notation")
    assert "'5,35123E+09'" in excel.reason
    assert (excel.row, excel.column, excel.skipped) == (3, "Telefon", False)
    assert numbers(by_name(directory, "Büşra Güneş")) == [("+905334445566", None, "mobile")]
    assert directory.lookup("5") is None
    plus90 = problem(report, "'+90 yok'")
    assert (plus90.row, plus90.column) == (7, "Telefon")
    assert problem(report, "and no name").row == 6


def test_apple_vcards(directory: Directory) -> None:
    report = load(directory, "apple.vcf")
    assert (report.added, report.skipped, report.errors) == (3, 0, ())
    zeynep = by_name(directory, "Zeynep Demir")
    assert zeynep.company == "Demir İnşaat A.Ş."
    assert zeynep.notes == "Pazartesi arayın\nMerkez ofis"
    # iPhone's pause ",101" is an extension; TYPE=FAX is skipped.
    assert numbers(zeynep) == [("+902125554433", "101", "other"),
                               ("+905351234567", None, "mobile")]
    optik = by_name(directory, "Yıldız Optik")  # X-ABShowAs:COMPANY
    assert (optik.name, optik.company) == ("", "Yıldız Optik")
    cem = by_name(directory, "Cem Şimşek")  # macOS
    assert numbers(cem)[0] == ("+903124667788", "102", "work")
    assert report.fax_skipped == 1


def test_old_android_and_nokia_vcards(directory: Directory) -> None:
    report = load(directory, "android-nokia.vcf")  # vCard 2.1, quoted-printable
    assert (report.added, report.skipped) == (2, 0)
    mehmet = by_name(directory, "Mehmet Şahin")
    assert numbers(mehmet) == [("+905321112233", None, "mobile"),
                               ("+902165554433", "101", "work")]  # Nokia's "p101"
    oguz = by_name(directory, "Oğuz Kurt")  # ISO-8859-9 quoted-printable
    assert numbers(oguz)[1] == ("+902125556677", "205", "work")  # "w205"
    assert oguz.notes == "Eski Nokia rehberinden; tekrar aranacak"
    junk = problem(report, "'yok'")
    assert (junk.row, junk.column, junk.skipped) == (2, "TEL", False)
    assert report.fax_skipped == 1


# ------------------------------------------------------------------ across files
def test_extensions_are_never_internal_numbers_of_ours(directory: Directory) -> None:
    for name in ALL_FILES:
        load(directory, name)
    # Before: every "/ 101", ",101", "p101" became an internal number 101 of
    # the outside company, and a colleague on extension 101 popped up as it.
    for extension in ("101", "102", "103", "104", "105", "106", "12", "205"):
        assert directory.lookup_all(extension) == [], extension
    assert directory.lookup("201").name == "Selin Koç"  # written alone: internal
    # The main numbers find their companies.
    assert directory.lookup("+90 212 555 44 33").name == "Zeynep Demir"
    # Two files have the same switchboard (extension 101 of both): both are found.
    assert sorted(c.name for c in directory.lookup_all("0216 555 44 33")) == [
        "Mehmet Öztürk", "Mehmet Şahin"]


def test_fax_numbers_are_skipped_the_same_way_in_every_format(directory: Directory) -> None:
    skipped = {name: load(directory, name).fax_skipped for name in ALL_FILES}
    assert skipped == {"google-current.csv": 1, "google-legacy.csv": 1, "outlook-en.csv": 1,
                       "outlook-tr.csv": 2, "excel-tr.csv": 0, "apple.vcf": 1,
                       "android-nokia.vcf": 1}
    for fax in ("+90 212 555 12 35", "0312 444 55 67", "+90 232 555 2021", "0224 555 30 31",
                "0216 444 55 67", "+90 212 555 44 34", "02165554434"):
        assert directory.lookup(fax) is None, fax


def test_reimporting_every_file_changes_nothing(directory: Directory) -> None:
    first = {name: load(directory, name) for name in ALL_FILES}
    again = {name: load(directory, name) for name in ALL_FILES}
    for name in ALL_FILES:
        assert again[name].unchanged == first[name].added, name
        assert (again[name].added, again[name].updated) == (0, 0), name


# ------------------------------------------------------------------ robust files
def test_an_over_long_cell_is_cut_and_the_rest_of_the_file_is_read(
        directory: Directory, tmp_path: Path) -> None:
    notes = "CRM kaydı: " + "ş" * 200_000  # over csv's old 131,072-character field limit
    path = tmp_path / "crm.csv"
    path.write_text("Ad Soyad;Telefon;Notlar\n"
                    f"Ayşe Yılmaz;0532 412 18 75;\"{notes}\"\n"
                    "Mehmet Öztürk;0542 318 27 64;\n", encoding="utf-8")
    report = import_contacts(directory, path)
    assert (report.added, report.skipped) == (2, 0)
    assert report.complete
    cut = problem(report, "notes too long")
    assert (cut.row, cut.column, cut.skipped) == (2, "Notlar", False)
    assert "200,011 characters" in cut.reason
    assert "'CRM kaydı: ş" in cut.reason  # the cell, quoted from its start
    stored = directory.lookup("05324121875")
    assert stored is not None
    assert len(stored.notes) == MAX_NOTES
    assert directory.lookup("05423182764") is not None  # the row after it


def test_a_contact_with_too_many_numbers_says_so(directory: Directory, tmp_path: Path) -> None:
    many = " / ".join(f"0532 100 00 {i:02d}" for i in range(23))
    path = tmp_path / "many.csv"
    path.write_text(f"Ad Soyad;Telefon\nÇok Numaralı;{many}\n", encoding="utf-8")
    report = import_contacts(directory, path)
    warning = problem(report, "23 numbers")
    assert "only the first 20 are kept, 3 dropped" in warning.reason
    assert (warning.row, warning.column, warning.skipped) == (2, "Telefon", False)
    assert report.numbers == 20
    assert report.numbers_dropped == 3
    assert len(directory.lookup("0532 100 00 00").numbers) == 20
    assert directory.lookup("0532 100 00 22") is None


def test_the_problem_names_file_row_column_and_the_whole_cell(
        directory: Directory, tmp_path: Path) -> None:
    path = tmp_path / "rehber.csv"
    path.write_text("Ad;Cep Telefonu\n\nAyşe;0532 412 18 75 / 0212 yok 44\n",
                    encoding="utf-8")
    report = import_contacts(directory, path)
    (only,) = report.errors
    # A blank row counts (a spreadsheet shows it): the row is 3.
    assert only.describe("rehber.csv") == (
        "rehber.csv row 3, column 'Cep Telefonu': not a phone number: '0212 yok 44' in "
        "'0532 412 18 75 / 0212 yok 44' (rest of the row imported)")
    assert numbers(directory.lookup("05324121875")) == [("+905324121875", None, "mobile")]


def test_blank_lines_before_the_first_card_do_not_hide_it(directory: Directory,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "padded.vcf"
    path.write_text("\r\n" * 2000 + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ayşe\r\n"
                    "TEL:0532 412 18 75\r\nEND:VCARD\r\n", encoding="utf-8")
    report = import_contacts(directory, path)
    assert (report.source, report.added) == ("vcard:padded.vcf", 1)
