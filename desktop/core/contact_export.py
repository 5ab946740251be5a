"""Exporting the directory as CSV or vCard, in a form our own import reads back unchanged.

CSV
    UTF-8 with a BOM, ``;`` separated, CRLF line ends: what Excel in a
    Turkish locale opens with the letters intact and in columns.  Columns
    ``Name``, ``Company``, then ``Phone N - Label``/``Phone N - Value``
    pairs (Google Contacts' own layout, so Google imports it too), then
    ``E-mail`` and ``Notes``.  Numbers are written as entered (with their
    extension: ``0212 555 12 34 / 101``).  **Safe for Excel**: a cell that
    starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would
    be run as a formula (``+90 532…`` too; ``=HYPERLINK(…)`` in a name is an
    attack), so it gets a leading ``'``; so does a cell that starts with
    ``'`` itself, so that the import can always take one ``'`` away again.
vCard
    3.0, UTF-8, CRLF, long lines folded: ``FN``, ``N``, ``ORG``, ``TEL``
    with ``TYPE=CELL/WORK/HOME/OTHER``, ``EMAIL``, ``NOTE``.  A contact with
    only a company is marked ``X-ABShowAs:COMPANY`` (as Apple does), so the
    company does not come back as a person's name.

Import followed by export followed by import changes nothing (a property
test checks it for both formats).  Files are written atomically: to a
temporary file in the same folder, then renamed over the target; the file is
readable by its owner only (personal data, KVKK).
"""

from __future__ import annotations

import contextlib
import csv
import enum
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from desktop.core.contact_model import Contact, ContactNumber
from desktop.core.directory import Directory

#: Characters that make Excel (and LibreOffice) read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LABEL_WORDS = {"mobile": "Mobile", "work": "Work", "home": "Home", "other": "Other"}
_VCARD_TYPES = {"mobile": "CELL", "work": "WORK", "home": "HOME", "other": "OTHER"}
#: vCard lines are folded after this many characters (RFC 6350: 75 octets SHOULD).
_FOLD = 74


class ExportFormat(enum.Enum):
    CSV = "csv"
    VCARD = "vcf"

    @classmethod
    def for_path(cls, path: str | Path) -> ExportFormat | None:
        """The format a file name asks for (``.csv``, ``.vcf``/``.vcard``), else None."""
        suffix = Path(path).suffix.lower()
        if suffix == ".csv":
            return cls.CSV
        if suffix in (".vcf", ".vcard"):
            return cls.VCARD
        return None


class ContactExportError(Exception):
    """The file could not be written (the message says why)."""


@dataclass(frozen=True, slots=True)
class ExportReport:
    path: str
    format: ExportFormat
    contacts: int
    numbers: int


def excel_safe(cell: str) -> str:
    """*cell* as Excel must not run it: ``'`` before a formula start (or a ``'``)."""
    if cell and (cell.startswith(FORMULA_STARTS) or cell[0] == "'"):
        return "'" + cell
    return cell


# ------------------------------------------------------------------ CSV
def write_csv(contacts: Iterable[Contact], out: TextIO, phone_columns: int) -> tuple[int, int]:
    """Write *contacts* as CSV to *out* (opened with ``newline=""``); ``(contacts, numbers)``."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    header = ["Name", "Company"]
    for n in range(1, phone_columns + 1):
        header += [f"Phone {n} - Label", f"Phone {n} - Value"]
    writer.writerow([*header, "E-mail", "Notes"])
    count = numbers = 0
    for contact in contacts:
        row = [contact.name, contact.company]
        for number in contact.numbers[:phone_columns]:
            row += [_LABEL_WORDS.get(number.label, "Other"), number.raw]
        row += [""] * (2 + 2 * phone_columns - len(row))
        row += [contact.email, contact.notes]
        writer.writerow([excel_safe(cell) for cell in row])
        count += 1
        numbers += len(contact.numbers)
    return count, numbers


# ------------------------------------------------------------------ vCard
def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,")
            .replace(";", "\\;"))


def _tel_value(number: ContactNumber) -> str:
    # Written as entered; a ';' would end the value for some readers.
    return number.raw.replace("\\", "\\\\").replace(";", "\\;")


def _fold(line: str) -> str:
    if len(line) <= _FOLD:
        return line
    parts = [line[:_FOLD]]
    rest = line[_FOLD:]
    while rest:
        parts.append(" " + rest[:_FOLD - 1])
        rest = rest[_FOLD - 1:]
    return "\r\n".join(parts)


def _n_value(name: str) -> str:
    words = name.split()
    if len(words) < 2:
        return f"{_escape(name)};;;;"
    return f"{_escape(words[-1])};{_escape(' '.join(words[:-1]))};;;"


def write_vcard(contacts: Iterable[Contact], out: TextIO) -> tuple[int, int]:
    """Write *contacts* as vCard 3.0 to *out*; ``(contacts, numbers)``."""
    count = numbers = 0
    for contact in contacts:
        lines = ["BEGIN:VCARD", "VERSION:3.0"]
        if contact.name:
            lines += [f"FN:{_escape(contact.name)}", f"N:{_n_value(contact.name)}"]
        else:
            lines += [f"FN:{_escape(contact.company)}", "N:;;;;"]
            if contact.company:
                lines.append("X-ABShowAs:COMPANY")
        if contact.company:
            lines.append(f"ORG:{_escape(contact.company)}")
        for number in contact.numbers:
            lines.append(f"TEL;TYPE={_VCARD_TYPES.get(number.label, 'OTHER')}:"
                         f"{_tel_value(number)}")
        if contact.email:
            lines.append(f"EMAIL;TYPE=INTERNET:{_escape(contact.email)}")
        if contact.notes:
            lines.append(f"NOTE:{_escape(contact.notes)}")
        lines.append("END:VCARD")
        out.write("".join(_fold(line) + "\r\n" for line in lines))
        count += 1
        numbers += len(contact.numbers)
    return count, numbers


# ------------------------------------------------------------------ files
def export_contacts(directory: Directory, path: str | Path,
                    fmt: ExportFormat | None = None) -> ExportReport:
    """Write every contact of *directory* to *path* (atomically).

    *fmt* defaults to the one the file name asks for, else CSV.  Raises
    :class:`ContactExportError` when the file cannot be written.  Blocking:
    call it from a worker thread.
    """
    path = Path(path)
    fmt = fmt or ExportFormat.for_path(path) or ExportFormat.CSV
    if path.is_dir():
        raise ContactExportError(f"{path} is a folder, not a file")
    folder = path.parent
    if not folder.is_dir():
        raise ContactExportError(f"{folder}: no such folder")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ContactExportError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        if fmt is ExportFormat.CSV:
            columns = directory.most_numbers()
            with open(handle, "w", encoding="utf-8-sig", newline="") as out:
                count, numbers = write_csv(directory.iter_all(), out, max(1, columns))
        else:
            with open(handle, "w", encoding="utf-8", newline="") as out:
                count, numbers = write_vcard(directory.iter_all(), out)
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ContactExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return ExportReport(str(path), fmt, count, numbers)
