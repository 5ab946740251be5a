"""Reading contacts from CSV files as Turkish offices and exporters write them.

The delimiter is comma, semicolon, tab or pipe (the header line decides;
Excel's ``sep=;`` first line is honoured).  The header row is mapped by
column name, Turkish or English, case- and diacritics-insensitive
(:func:`column_role`):

* names: ``Ad``/``Adı``/``İsim``/``First Name``/``Given Name``,
  ``İkinci Ad``/``Middle Name``/``Additional Name``, ``Soyad``/``Soyadı``/
  ``Last Name``/``Family Name``, ``Ad Soyad``/``Name``/``Müşteri``...;
* company: ``Firma``/``Şirket``/``Company``/``Organization Name`` (current
  Google export)/``Organization 1 - Name`` (legacy Google export).
  ``Unvan``/``Ünvan`` is a person's title (``Dr.``) in Outlook's Turkish
  export, which also has ``Şirket``; alone in a file, it is the trade name
  (``Ticari Ünvan``) and taken as the company;
* phones: any column with a phone word (``Telefon``, ``Cep``, ``GSM``,
  ``İş Telefonu``, ``Business Phone``, ``Mobile Phone``...), Google's
  ``Phone N - Value`` with its ``Phone N - Label`` (current) or
  ``Phone N - Type`` (legacy), Tekil's ``tur``;
* extension columns (``Dahili``, ``Extension``): the extension of the row's
  fixed-line number; with none, an internal number;
* fax columns (``İş Faksı``, ``Business Fax``) and Google fax labels
  (``Work Fax``): skipped and counted, the same way the vCard reader skips
  ``TYPE=FAX``;
* ``E-posta``/``E-mail Address``/``E-mail 1 - Value``, ``Notlar``/``Notes``.

Cells our own export escaped for Excel (``'=…``, ``'+90…``) are read back
without the quote.  No cell is too long: over-long cells are cut with a
warning and the rest of the file is read.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from desktop.core import text as _text
from desktop.core.contact_cells import (
    attach_extension,
    plain_turkish_number,
    read_number_cell,
)
from desktop.core.contact_model import ContactDraft, ContactNumber, is_fax, label_from
from desktop.core.contact_reading import (
    ContactImportError,
    ImportRowError,
    ParsedContact,
    ReadLog,
    RowProblems,
    capped,
    finish_contact,
)

#: csv's own default (131,072) aborted a file at the first long notes cell.
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)

_WORDS = re.compile(r"[a-z0-9]+")
_FULL = {
    "adsoyad", "adisoyadi", "adsoyadi", "adisoyad", "isimsoyisim", "isimsoyad", "adsoyisim",
    "name", "fullname", "displayname", "kisi", "kisiadi", "musteri", "musteriadi",
    "musteriadisoyadi", "contact", "contactname", "yetkili", "yetkiliadi", "yetkilikisi",
}
_GIVEN = {"ad", "adi", "isim", "ismi", "firstname", "givenname", "first", "adiniz"}
_MIDDLE = {"middlename", "additionalname", "ikinciad", "ikinciadi"}
_FAMILY = {"soyad", "soyadi", "soyisim", "soyismi", "lastname", "familyname", "surname", "last"}
_COMPANY = {
    "firma", "firmaadi", "firmaismi", "firmaunvani", "sirket", "sirketadi", "sirketismi",
    "company", "companyname", "organization", "organisation", "organizationname",
    "organization1name", "kurum", "kurumadi", "isletme", "isletmeadi", "ticariunvan",
    "ticariunvani",
}
#: A person's title in Outlook TR ("Dr."); the trade name when nothing else names the company.
_TITLE_OR_COMPANY = {"unvan", "unvani"}
_NOTES = {
    "not", "notlar", "notu", "notes", "note", "aciklama", "aciklamalar", "diger",
    "description", "comment", "comments", "yorum", "ekbilgi", "memo", "notlari",
}
_PHONE_WORDS = {
    "telefon", "telefonu", "telefonlar", "tel", "telno", "cep", "ceptel", "gsm", "mobile",
    "mobil", "phone", "numara", "numarasi", "number", "cell", "telephone", "tlf",
}
_EXTENSION = {"dahili", "dahilino", "dahilinumara", "dahilinumarasi", "dahilitelefon",
              "extension", "ext", "extn", "phoneextension"}
_NOT_A_VALUE = {"type", "label", "tur", "turu", "tipi", "tip", "etiket", "gorunen",
                "display"}
_GOOGLE_PHONE = re.compile(r"phone(\d+)(value|type|label)")
_TYPE_COLUMN = {"tur", "turu", "type", "tip", "tipi", "telefonturu", "telefontipi"}
_SEP_HINT = re.compile(r'\s*"?sep=([,;\t|])"?[ \t]*\r?\n?$', re.IGNORECASE)
#: What our own export puts before a cell Excel would take as a formula.
_ESCAPED = re.compile(r"'[=+\-@\t\r']")


def column_role(header: str) -> tuple[str, str | None]:
    """What a CSV column holds: ``(role, phone label or group)``.

    Roles: ``full``, ``given``, ``middle``, ``family``, ``company``,
    ``title_or_company``, ``phone``, ``phone_label`` (a column naming the
    label of a phone column: Google's ``Phone 1 - Label``/``Type``, Tekil's
    ``tur``), ``extension``, ``fax``, ``email``, ``notes`` or ``ignore``.
    """
    words = _WORDS.findall(_text.search_fold(header))
    joined = "".join(words)
    google = _GOOGLE_PHONE.fullmatch(joined)
    if google:
        kind = "phone" if google.group(2) == "value" else "phone_label"
        return kind, "google" + google.group(1)
    if joined in _TYPE_COLUMN:
        return "phone_label", "*"
    for role, names in (
        ("full", _FULL),
        ("given", _GIVEN),
        ("middle", _MIDDLE),
        ("family", _FAMILY),
        ("company", _COMPANY),
        ("title_or_company", _TITLE_OR_COMPANY),
        ("notes", _NOTES),
        ("extension", _EXTENSION),
    ):
        if joined in names:
            return role, None
    wordset = set(words)
    if is_fax(header):
        return "fax", None
    if wordset & _NOT_A_VALUE:
        return "ignore", None
    if "eposta" in joined or "email" in joined or "mail" in wordset:
        return "email", None
    if "dahili" in wordset or "extension" in wordset:
        return "extension", None
    if wordset & _PHONE_WORDS or joined in {"ceptelefonu", "istelefonu", "evtelefonu"}:
        return "phone", label_from(header)
    return "ignore", None


@dataclass(slots=True)
class Columns:
    """The header row mapped to roles (column indexes)."""

    header: list[str]
    #: The header cells as problems quote them.
    names: list[str] = field(default_factory=list)
    full: list[int] = field(default_factory=list)
    given: list[int] = field(default_factory=list)
    middle: list[int] = field(default_factory=list)
    family: list[int] = field(default_factory=list)
    company: list[int] = field(default_factory=list)
    email: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    extension: list[int] = field(default_factory=list)
    fax: list[int] = field(default_factory=list)
    #: (column, fixed label, index of the column holding the label per row)
    phones: list[tuple[int, str | None, int | None]] = field(default_factory=list)
    #: The non-empty ones of given, middle and family name columns, in that order.
    name_parts: list[list[int]] = field(default_factory=list)

    @classmethod
    def from_header(cls, header: Sequence[str]) -> Columns:
        cols = cls(list(header), [_text.clean(h, 60) for h in header])
        label_columns: dict[str, int] = {}
        phone_groups: list[tuple[int, str | None, str | None]] = []
        titles: list[int] = []
        for i, name in enumerate(header):
            role, extra = column_role(name)
            if role == "phone":
                group = extra if extra is not None and extra.startswith("google") else None
                label = None if group else extra
                phone_groups.append((i, label, group))
            elif role == "phone_label":
                label_columns.setdefault(extra or "*", i)
            elif role == "title_or_company":
                titles.append(i)
            elif role != "ignore":
                getattr(cols, role).append(i)
        if not cols.company:
            cols.company = titles  # "Ünvan" alone: the trade name
        for i, label, group in phone_groups:
            label_col = label_columns.get(group) if group else None
            if label_col is None and len(phone_groups) == 1:
                label_col = label_columns.get("*")
            cols.phones.append((i, label, label_col))
        # "Name;Surname;Phone": a "name" column next to a surname column is a first name.
        if cols.family and not cols.given:
            first_names = [
                i
                for i in cols.full
                if _WORDS.findall(_text.search_fold(header[i])) in (["name"], ["isim"])
            ]
            cols.given = first_names
            cols.full = [i for i in cols.full if i not in first_names]
        cols.name_parts = [idx for idx in (cols.given, cols.middle, cols.family) if idx]
        return cols

    def usable(self) -> bool:
        return bool(self.full or self.given or self.family or self.company or self.phones)

    def name_of(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else ""


def sniff_delimiter(first_line: str) -> str:
    counts = {d: _count_outside_quotes(first_line, d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def unescape(cell: str) -> str:
    """A cell escaped for Excel by our export (``'=1+1``, ``'+90 532…``) as it was."""
    return cell[1:] if cell[:1] == "'" and _ESCAPED.match(cell) else cell


def read_csv(lines: Iterable[str], log: ReadLog) -> Iterator[ParsedContact]:
    """Contacts of CSV text given as lines (with their line ends); problems go to *log*.

    Raises :class:`ContactImportError` when the file is empty or its header
    names no usable column (before the first contact is yielded).
    """
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    source = iter(lines)
    skipped_lines = 0
    first = ""
    for text_line in source:
        if text_line.strip():
            first = text_line
            break
        skipped_lines += 1
    if not first:
        raise ContactImportError("the file is empty")
    hint = _SEP_HINT.match(first)  # Excel's "sep=;" first line
    if hint is not None:
        delimiter = hint.group(1)
        skipped_lines += 1
        rest: Iterable[str] = source
    else:
        delimiter = sniff_delimiter(first)
        rest = itertools.chain((first,), source)
    reader = csv.reader(rest, delimiter=delimiter)
    header: Columns | None = None
    record = 0
    while True:
        line = reader.line_num + 1 + skipped_lines
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            log.add(ImportRowError.of(line, "csv_syntax", row=record + 1, error=exc))
            log.stopped_at = line
            break
        record += 1  # blank rows count: a spreadsheet shows them too
        if not "".join(row).strip():
            continue
        if header is None:
            header = Columns.from_header([_text.clean(h, 200) for h in row])
            if not header.usable():
                names = ", ".join(f"'{_text.clean(h, 30)}'" for h in row[:12])
                raise ContactImportError(
                    f"no name, company or phone column found in the header ({names})")
            continue
        found = _row(row, line, record, header, log)
        if found is not None:
            yield found
    if header is None:
        raise ContactImportError("the file is empty")


def _text_field(row: Sequence[str], cols: Columns, indexes: Sequence[int], limit: int,
                what: str, problems: RowProblems) -> str:
    """The first non-blank cell of *indexes* (all < len(row)), cut to *limit* with a warning."""
    for i in indexes:
        value = row[i].strip()
        if value:
            if value[0] == "'":
                value = unescape(value)
            if len(value) <= limit:
                return value  # the directory cleans every field on write
            return capped(value, limit, cols.name_of(i), what, problems)
    return ""


def _row(row: list[str], line: int, record: int, cols: Columns,
         log: ReadLog) -> ParsedContact | None:
    width = len(cols.header)
    problems = RowProblems(line, record)
    if len(row) < width:
        row.extend([""] * (width - len(row)))
    elif len(row) > width and "".join(row[width:]).strip():
        log.rows += 1
        log.add(ImportRowError.of(line, "too_many_columns", row=record, count=len(row),
                                  width=width))
        return None
    name = _text_field(row, cols, cols.full, _text.MAX_NAME, "name", problems) \
        if cols.full else ""
    if not name:
        parts = [_text_field(row, cols, idx, _text.MAX_NAME, "name", problems)
                 for idx in cols.name_parts]
        name = " ".join(p for p in parts if p)
    numbers: list[ContactNumber] = []
    number_column = ""
    for i, label, label_col in cols.phones:
        cell = row[i]
        if not cell or cell.isspace():
            continue
        column = cols.names[i]
        number_column = number_column or column
        if label_col is not None:
            value = row[label_col].strip()
            if is_fax(value):
                log.fax_skipped += _count_numbers(cell)
                continue
            label = _TR_TYPE.get(value) or label_from(value) or label
        plain = plain_turkish_number(cell, label)
        if plain is not None:
            numbers.append(plain)
        else:
            numbers += problems.numbers(column, read_number_cell(unescape(cell.strip()), label))
    for i in cols.extension:
        if row[i].strip():
            numbers += problems.numbers(cols.name_of(i), attach_extension(numbers, row[i]))
    for i in cols.fax:
        if row[i].strip():
            log.fax_skipped += _count_numbers(row[i])
    notes = ""
    if cols.notes:
        texts = [capped(unescape(row[i].strip()), _text.MAX_NOTES, cols.name_of(i), "notes",
                        problems, multiline=True) for i in cols.notes if row[i].strip()]
        if len(texts) == 1:
            notes = texts[0]
        elif texts:
            notes = capped("\n".join(t for t in texts if t), _text.MAX_NOTES, "", "notes",
                           problems, multiline=True)
    company = _text_field(row, cols, cols.company, _text.MAX_COMPANY, "company", problems) \
        if cols.company else ""
    email = _text_field(row, cols, cols.email, _text.MAX_EMAIL, "e-mail", problems) \
        if cols.email else ""
    draft = ContactDraft(name, company, tuple(numbers), email, notes)
    return finish_contact(log, problems, draft, number_column)


def _count_numbers(cell: str) -> int:
    """How many numbers a skipped (fax) cell holds, for the report."""
    return max(1, len(read_number_cell(unescape(cell.strip()), None).numbers))


_TR_TYPE = {"1": "home", "2": "work", "3": "other"}  # Tekil createContact "tur"
