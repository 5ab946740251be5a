"""Export as CSV and vCard: safe for Excel, and import -> export -> import changes nothing."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.contact_export import (
    ContactExportError,
    ExportFormat,
    excel_safe,
    export_contacts,
)
from desktop.core.contact_import import import_contacts
from desktop.core.directory import ContactDraft, ContactNumber, Directory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "contacts"
Snapshot = list[tuple[object, ...]]


@pytest.fixture
def directory(tmp_path: Path) -> Iterator[Directory]:
    d = Directory(tmp_path / "contacts.sqlite3")
    yield d
    d.close()


def snapshot(directory: Directory) -> Snapshot:
    """Everything a contact is, except where it came from and its id."""
    return sorted(
        (c.name, c.company, tuple((n.raw, n.key, n.label, n.extension) for n in c.numbers),
         c.email, c.notes)
        for c in directory.iter_all())


def read_csv(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


# ------------------------------------------------------------------ Excel safety
@pytest.mark.parametrize(("cell", "written"), [
    ("=HYPERLINK(\"http://x.example\";\"ara\")", "'=HYPERLINK(\"http://x.example\";\"ara\")"),
    ("+90 532 412 18 75", "'+90 532 412 18 75"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("'quoted", "''quoted"),
    ("Ayşe", "Ayşe"),
    ("0532 412 18 75", "0532 412 18 75"),
    ("", ""),
])
def test_excel_safe(cell: str, written: str) -> None:
    assert excel_safe(cell) == written


def test_csv_cells_excel_would_run_are_escaped(directory: Directory, tmp_path: Path) -> None:
    directory.add(ContactDraft(name="=cmd|' /C calc'!A0", company="@Şirket",
                               numbers=(ContactNumber.of("+90 532 412 18 75"),),
                               notes="-iade"))
    path = tmp_path / "out.csv"
    report = export_contacts(directory, path)
    assert (report.contacts, report.numbers, report.format) == (1, 1, ExportFormat.CSV)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel TR needs the BOM for UTF-8
    header, row = read_csv(path)
    assert header == ["Name", "Company", "Phone 1 - Label", "Phone 1 - Value", "E-mail",
                      "Notes"]
    assert row == ["'=cmd|' /C calc'!A0", "'@Şirket", "Mobile", "'+90 532 412 18 75", "",
                   "'-iade"]
    for cell in itertools.chain(header, row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    # ... and read back exactly as it was.
    again = Directory(tmp_path / "again.sqlite3")
    try:
        import_contacts(again, path)
        assert snapshot(again) == snapshot(directory)
    finally:
        again.close()


def test_export_refuses_a_folder_and_a_missing_folder(directory: Directory,
                                                      tmp_path: Path) -> None:
    with pytest.raises(ContactExportError, match="is a folder"):
        export_contacts(directory, tmp_path)
    with pytest.raises(ContactExportError, match="no such folder"):
        export_contacts(directory, tmp_path / "yok" / "out.csv")
    assert list(tmp_path.glob(".*tmp")) == []


def test_the_file_name_chooses_the_format(directory: Directory, tmp_path: Path) -> None:
    directory.add(ContactDraft(name="Ayşe", numbers=(ContactNumber.of("05324121875"),)))
    assert export_contacts(directory, tmp_path / "a.vcf").format is ExportFormat.VCARD
    assert (tmp_path / "a.vcf").read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert export_contacts(directory, tmp_path / "a.txt").format is ExportFormat.CSV
    assert export_contacts(directory, tmp_path / "b.txt", ExportFormat.VCARD).format \
        is ExportFormat.VCARD


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_every_exporter_file_survives_export_and_import(directory: Directory, tmp_path: Path,
                                                        fmt: ExportFormat) -> None:
    for name in ("google-current.csv", "google-legacy.csv", "outlook-en.csv", "outlook-tr.csv",
                 "excel-tr.csv", "apple.vcf", "android-nokia.vcf"):
        import_contacts(directory, FIXTURES / name)
    path = tmp_path / f"export.{fmt.value}"
    export_contacts(directory, path, fmt)
    again = Directory(tmp_path / "again.sqlite3")
    try:
        report = import_contacts(again, path)
        assert report.errors == ()
        assert snapshot(again) == snapshot(directory)
        # Exporting what was imported gives the same file again.
        second = tmp_path / f"second.{fmt.value}"
        export_contacts(again, second, fmt)
        assert second.read_bytes() == path.read_bytes()
        # Importing the export again into it changes nothing.
        assert import_contacts(again, path).unchanged == report.added
    finally:
        again.close()


_TEXT = st.text(
    alphabet=st.sampled_from(list("aAıIiİşŞğĞüÜöÖçÇ ,;:\"'=+-@\\\n\t|/()#x0123456789")),
    max_size=24)
_NUMBERS = st.sampled_from([
    "0532 412 18 75", "+90 212 555 12 34", "0212 555 12 34 / 101", "+90 212 555 44 33,102",
    "(0216) 444 55 66 / Dahili: 106", "02165554433p101", "101", "dahili 201", "*97",
    "+44 20 7946 0958", "0850 532 12 34", "0312 444 55 66 - 7", "+1 212 555 0123 ext. 42",
])
_LABELS = st.sampled_from(["mobile", "work", "home", "other"])
_CONTACT = st.tuples(_TEXT, _TEXT, st.lists(st.tuples(_NUMBERS, _LABELS), max_size=4),
                     _TEXT, _TEXT)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_CONTACT, min_size=1, max_size=8), st.sampled_from(list(ExportFormat)))
def test_import_export_import_changes_nothing(contacts: list[tuple], fmt: ExportFormat) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A file as an agent might have it: our reader's own columns, any text.
        source = work / "source.csv"
        width = max(len(c[2]) for c in contacts) or 1
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        header = ["Name", "Company"]
        for i in range(1, width + 1):
            header += [f"Phone {i} - Label", f"Phone {i} - Value"]
        writer.writerow([*header, "E-mail", "Notes"])
        for name, company, numbers, email, notes in contacts:
            row = [name, company]
            for raw, label in numbers:
                row += [label, raw]
            row += [""] * (2 + 2 * width - len(row))
            writer.writerow([excel_safe(c) for c in [*row, email, notes]])
        source.write_bytes(buf.getvalue().encode("utf-8"))
        first = Directory(work / "first.sqlite3")
        second = Directory(work / "second.sqlite3")
        try:
            import_contacts(first, source)
            exported = work / f"export.{fmt.value}"
            export_contacts(first, exported, fmt)
            report = import_contacts(second, exported)
            assert report.errors == ()
            assert snapshot(second) == snapshot(first)
            assert import_contacts(first, exported).updated == 0
        finally:
            first.close()
            second.close()
