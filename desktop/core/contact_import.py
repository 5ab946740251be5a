"""Importing contacts from CSV and vCard files into the directory.

CSV
    Files as Turkish offices have them: UTF-8 (with or without BOM) or
    Windows-1254 (Excel TR's "CSV"), UTF-16 with BOM (Excel's "Unicode
    text"); comma, semicolon, tab or pipe separated (the header line
    decides).  The header row is mapped by column name, Turkish or English,
    case- and diacritics-insensitive (``Ad``/``Adı``/``İsim``/``First Name``,
    ``Soyad``/``Last Name``, ``Ad Soyad``/``Name``, ``Firma``/``Şirket``/
    ``Company``, ``Telefon``/``Cep``/``GSM``/``İş Telefonu``/``Phone 1 -
    Value``..., ``E-posta``/``Email``, ``Not``/``Açıklama``/``Notes``); see
    :func:`column_role`.  Any number of phone columns, and several numbers
    in one cell (``0532 111 22 33 / 0212 444 55 66``, Google's ``:::``).

vCard
    3.0 and 4.0, and 2.1 as phones export it: folded lines, ``TYPE``
    parameters in all their spellings, ``tel:`` URIs, quoted-printable
    values with a ``CHARSET``, several cards per file.  This is a small
    parser of our own rather than ``vobject``: we need six properties
    (FN, N, ORG, TEL, EMAIL, NOTE) out of a simple line format, and the
    files we get (old phones, Outlook, Google, iCloud) are often slightly
    off-standard; a tolerant 150-line reader that skips what it does not
    understand serves that better than a full iCalendar/vCard object model
    that raises on the first oddity and would bring ``python-dateutil`` into
    the app for nothing.

Bad rows are skipped and reported (:class:`ImportRowError`, with the line
number in the file and the reason); good rows are kept.  A number that does
not parse is dropped from its row with a warning; a row left with neither a
name nor a number is skipped.  Re-importing a file updates the contacts it
added before instead of duplicating them (see :meth:`Directory.merge`;
the source is ``csv:<file name>`` / ``vcard:<file name>``).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import quopri
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from desktop.core import text as _text
from desktop.core.directory import (
    LABELS,
    ContactDraft,
    ContactNumber,
    Directory,
    default_label,
    label_from,
    number_key,
)
from desktop.core.numbers import NumberKind, parse_number

log = logging.getLogger("kobikom.core.contact_import")

#: Files larger than this are refused (a contacts file is a few MB at most).
MAX_FILE_BYTES = 200 * 1024 * 1024


class ContactImportError(Exception):
    """The whole file cannot be imported (unreadable, no usable header...)."""


@dataclass(frozen=True, slots=True)
class ImportRowError:
    """A problem with one row (CSV) or card (vCard)."""

    line: int
    reason: str
    #: True: the row was not imported.  False: imported, minus what *reason* says.
    skipped: bool = True


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: tuple[ImportRowError, ...] = ()
    #: Contacts of the source deleted because the new data no longer has them (PBX sync).
    removed: int = 0
    #: The import was cancelled: nothing was changed.
    cancelled: bool = False
    source: str = ""


class ParsedContact(NamedTuple):
    """A draft and the line it came from (a tuple: cheap for 100,000 rows)."""

    line: int
    draft: ContactDraft


@dataclass(slots=True)
class ParseResult:
    contacts: list[ParsedContact] = field(default_factory=list)
    errors: list[ImportRowError] = field(default_factory=list)


# ------------------------------------------------------------------ entry points
def import_contacts(
    directory: Directory,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Import a CSV or vCard file (told apart by content) into *directory*.

    Slow for big files (about 1 s per 20,000 rows): call it from a worker
    thread.  *progress* receives ``(rows done, rows total)``; setting
    *cancel* stops the import and rolls everything back
    (``ImportReport.cancelled``).  Raises :class:`ContactImportError` when
    the file as a whole cannot be read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContactImportError(f"{path.name} is too large ({size // 2**20} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise ContactImportError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    text = decode_bytes(data)
    if looks_like_vcard(text):
        source, parsed = f"vcard:{path.name}", parse_vcard(text)
    else:
        source, parsed = f"csv:{path.name}", parse_csv(text)
    log.info("importing %s: %d rows, %d bad", source, len(parsed.contacts), len(parsed.errors))
    return apply_parsed(directory, source, parsed, progress=progress, cancel=cancel)


def apply_parsed(
    directory: Directory,
    source: str,
    parsed: ParseResult,
    *,
    remove_missing: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportReport:
    """Merge parsed contacts into *directory* under *source* and report."""
    drafts = [p.draft for p in parsed.contacts]
    result = directory.merge(
        source, drafts, remove_missing=remove_missing, progress=progress, cancel=cancel
    )
    errors = list(parsed.errors)
    if result is None:
        return ImportReport(errors=tuple(errors), cancelled=True, source=source)
    for index, first in result.duplicates:
        errors.append(
            ImportRowError(
                parsed.contacts[index].line,
                f"same contact as line {parsed.contacts[first].line}",
            )
        )
    errors.sort(key=lambda e: e.line)
    return ImportReport(
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped=sum(1 for e in errors if e.skipped),
        errors=tuple(errors),
        removed=result.removed,
        source=source,
    )


# ------------------------------------------------------------------ decoding
def decode_bytes(data: bytes) -> str:
    """Text of a contacts file: BOMs honoured, else UTF-8 if valid, else Windows-1254."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Not UTF-8: Excel TR and most Turkish Windows software write
            # cp1254 (a superset of ISO-8859-9 for letters).
            text = data.decode("cp1254", errors="replace")
    return text.replace("\x00", "")


def looks_like_vcard(text: str) -> bool:
    return text.lstrip()[:11].upper() == "BEGIN:VCARD"


# ------------------------------------------------------------------ numbers
_PHONE_SPLIT = re.compile(r"\s*(?::::?|[/,;|\n]|\s-\s)\s*")
_PHONE_SPLIT_CHARS = re.compile(r"[:/,;|\n]|\s-\s")
_TR_TYPE = {"1": "home", "2": "work", "3": "other"}  # Tekil createContact "tur"


def split_numbers(cell: str) -> list[str]:
    """``"0532 111 22 33 / 0212 444 55 66"`` -> the two numbers."""
    if _PHONE_SPLIT_CHARS.search(cell) is None:
        return [cell] if cell.strip() else []
    return [part for part in _PHONE_SPLIT.split(cell) if part.strip()]


def make_number(raw: str, label: str | None) -> ContactNumber | None:
    """A :class:`ContactNumber`, or None if *raw* is not a phone number."""
    raw = _text.clean(raw, _text.MAX_NUMBER)
    if raw[:4].lower() == "tel:":
        raw = raw[4:].split(";", 1)[0]
    if not raw:
        return None
    key = number_key(raw)
    if not key.startswith("+90"):  # the fast path only returns valid Turkish numbers
        kind = parse_number(raw).kind
        if kind not in (NumberKind.EXTERNAL, NumberKind.INTERNAL):
            return None
    norm = label if label in LABELS else label_from(label)
    return ContactNumber(raw, key, norm or default_label(key))


def _quote(value: str, limit: int = 40) -> str:
    value = _text.clean(value, limit)
    return f"'{value}'"


# ------------------------------------------------------------------ CSV
_WORDS = re.compile(r"[a-z0-9]+")
_FULL = {
    "adsoyad",
    "adisoyadi",
    "adsoyadi",
    "adisoyad",
    "isimsoyisim",
    "isimsoyad",
    "adsoyisim",
    "name",
    "fullname",
    "displayname",
    "kisi",
    "kisiadi",
    "musteri",
    "musteriadi",
    "musteriadisoyadi",
    "contact",
    "contactname",
    "yetkili",
    "yetkiliadi",
    "yetkilikisi",
}
_GIVEN = {"ad", "adi", "isim", "ismi", "firstname", "givenname", "first", "adiniz"}
_MIDDLE = {"middlename", "additionalname", "ikinciad", "ikinciadi"}
_FAMILY = {"soyad", "soyadi", "soyisim", "soyismi", "lastname", "familyname", "surname", "last"}
_COMPANY = {
    "firma",
    "firmaadi",
    "firmaismi",
    "firmaunvani",
    "sirket",
    "sirketadi",
    "sirketismi",
    "company",
    "companyname",
    "organization",
    "organisation",
    "organizationname",
    "organization1name",
    "kurum",
    "kurumadi",
    "unvan",
    "unvani",
    "isletme",
    "isletmeadi",
}
_NOTES = {
    "not",
    "notlar",
    "notu",
    "notes",
    "note",
    "aciklama",
    "aciklamalar",
    "diger",
    "description",
    "comment",
    "comments",
    "yorum",
    "ekbilgi",
    "memo",
    "notlari",
}
_PHONE_WORDS = {
    "telefon",
    "telefonu",
    "telefonlar",
    "tel",
    "telno",
    "cep",
    "ceptel",
    "gsm",
    "mobile",
    "mobil",
    "phone",
    "numara",
    "numarasi",
    "number",
    "cell",
    "telephone",
    "tlf",
    "dahili",
}
_NOT_A_VALUE = {"type", "label", "tur", "turu", "tipi", "tip", "etiket", "fax", "faks"}
_GOOGLE_PHONE = re.compile(r"phone(\d+)(value|type|label)")
_TYPE_COLUMN = {"tur", "turu", "type", "tip", "tipi", "telefonturu", "telefontipi"}


def column_role(header: str) -> tuple[str, str | None]:
    """What a CSV column holds: ``(role, phone label or group)``.

    Roles: ``full``, ``given``, ``middle``, ``family``, ``company``,
    ``phone``, ``phone_label`` (a column naming the label of a phone
    column: Google's ``Phone 1 - Type``, Tekil's ``tur``), ``email``,
    ``notes`` or ``ignore``.
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
        ("notes", _NOTES),
    ):
        if joined in names:
            return role, None
    wordset = set(words)
    if wordset & _NOT_A_VALUE:
        return "ignore", None
    if "eposta" in joined or "email" in joined or "mail" in wordset:
        return "email", None
    if wordset & _PHONE_WORDS or joined in {"ceptelefonu", "istelefonu", "evtelefonu"}:
        return "phone", label_from(header)
    return "ignore", None


@dataclass(slots=True)
class _Columns:
    full: list[int] = field(default_factory=list)
    given: list[int] = field(default_factory=list)
    middle: list[int] = field(default_factory=list)
    family: list[int] = field(default_factory=list)
    company: list[int] = field(default_factory=list)
    email: list[int] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    #: (column, fixed label, index of the column holding the label per row)
    phones: list[tuple[int, str | None, int | None]] = field(default_factory=list)

    @classmethod
    def from_header(cls, header: Sequence[str]) -> _Columns:
        cols = cls()
        label_columns: dict[str, int] = {}
        phone_groups: list[tuple[int, str | None, str | None]] = []
        for i, name in enumerate(header):
            role, extra = column_role(name)
            if role == "phone":
                group = extra if extra is not None and extra.startswith("google") else None
                label = None if group else extra
                phone_groups.append((i, label, group))
            elif role == "phone_label":
                label_columns.setdefault(extra or "*", i)
            elif role != "ignore":
                getattr(cols, role).append(i)
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
        return cols

    def usable(self) -> bool:
        return bool(self.full or self.given or self.family or self.company or self.phones)


_SEP_HINT = re.compile(r'\s*"?sep=([,;\t|])"?[ \t]*\r?\n', re.IGNORECASE)


def _sniff_delimiter(first_line: str) -> str:
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


def parse_csv(text: str) -> ParseResult:
    """Parse CSV text (see the module docstring); line numbers count from 1 (the header)."""
    result = ParseResult()
    skipped_lines = 0
    hint = _SEP_HINT.match(text)  # Excel's "sep=;" first line
    if hint is not None:
        delimiter = hint.group(1)
        skipped_lines = text[: hint.end()].count("\n")
        text = text[hint.end() :]
    else:
        first_line = next((ln for ln in io.StringIO(text) if ln.strip()), "")
        if not first_line:
            raise ContactImportError("the file is empty")
        delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    cols = _Columns()
    while True:
        line = reader.line_num + 1 + skipped_lines
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(
                ImportRowError(line, f"CSV syntax error ({exc}); the rest of the file was not read")
            )
            break
        if not "".join(row).strip():
            continue
        if header is None:
            header = row
            cols = _Columns.from_header(header)
            if not cols.usable():
                names = ", ".join(_quote(h, 30) for h in header[:12])
                raise ContactImportError(
                    f"no name, company or phone column found in the header ({names})"
                )
            continue
        _csv_row(row, line, len(header), cols, result)
    if header is None:
        raise ContactImportError("the file is empty")
    return result


def _cell(row: Sequence[str], indexes: Sequence[int]) -> str:
    """The first non-blank cell of *indexes* (all < len(row)), stripped."""
    for i in indexes:
        value = row[i].strip()
        if value:
            return value
    return ""


def _csv_row(row: list[str], line: int, width: int, cols: _Columns, result: ParseResult) -> None:
    if len(row) < width:
        row.extend([""] * (width - len(row)))
    elif len(row) > width and "".join(row[width:]).strip():
        result.errors.append(
            ImportRowError(line, f"too many columns ({len(row)}, the header has {width})")
        )
        return
    name = _cell(row, cols.full) if cols.full else ""
    if not name:
        parts = [_cell(row, cols.given), _cell(row, cols.middle), _cell(row, cols.family)]
        name = " ".join([p for p in parts if p])
    errors: list[ImportRowError] = []
    numbers: list[ContactNumber] = []
    for i, label, label_col in cols.phones:
        cell = row[i]
        if not cell or cell.isspace():
            continue
        if label_col is not None:
            value = row[label_col].strip()
            label = _TR_TYPE.get(value) or label_from(value) or label
        for raw in split_numbers(cell):
            number = make_number(raw, label)
            if number is None:
                errors.append(ImportRowError(line, f"unparseable number {_quote(raw)}", False))
            else:
                numbers.append(number)
    notes = ""
    if cols.notes:
        notes = "\n".join([v for v in [row[i].strip() for i in cols.notes] if v])
    _add_contact(
        result,
        line,
        errors,
        ContactDraft(
            name=name,
            company=_cell(row, cols.company),
            numbers=tuple(numbers),
            email=_cell(row, cols.email),
            notes=notes,
        ),
    )


def _add_contact(
    result: ParseResult, line: int, errors: list[ImportRowError], draft: ContactDraft
) -> None:
    """Keep *draft* unless it has neither a name (or company) nor a number."""
    has_name = bool(_text.clean(draft.name) or _text.clean(draft.company))
    if not draft.numbers and not has_name:
        if errors:  # every number was bad: one error that says so, row skipped
            reasons = "; ".join(e.reason for e in errors)
            result.errors.append(ImportRowError(line, f"no valid number ({reasons}) and no name"))
        else:
            result.errors.append(ImportRowError(line, "no name and no phone number"))
        return
    result.errors.extend(errors)
    result.contacts.append(ParsedContact(line, draft))


# ------------------------------------------------------------------ vCard
@dataclass(frozen=True, slots=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str


def _unfold(text: str) -> Iterator[tuple[int, str]]:
    """Logical lines with the number of their first physical line.

    RFC folding (a line starting with a space or tab continues the previous
    one) and vCard 2.1 quoted-printable soft breaks (a QP line ending in
    ``=`` continues on the next line).
    """
    current: str | None = None
    start = 0
    for number, physical in enumerate(text.splitlines(), start=1):
        if current is not None and physical[:1] in (" ", "\t"):
            current += physical[1:]
            continue
        if (
            current is not None
            and current.endswith("=")
            and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper()
        ):
            current = current[:-1] + physical
            continue
        if current is not None:
            yield start, current
        current, start = physical, number
    if current is not None:
        yield start, current


def _split_unescaped(value: str, sep: str) -> list[str]:
    parts, buf, escaped = [], [], False
    for ch in value:
        if escaped:
            buf.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _parse_property(line: str) -> _Property | None:
    # NAME;PARAM=A,B;PARAM="x:y";BARE:value   (quotes may hide ':' and ';')
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        return None
    pieces = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    if not pieces:
        return None
    name = pieces[0].rsplit(".", 1)[-1].strip().upper()  # drop "item1." groups
    params: dict[str, list[str]] = {}
    for piece in pieces[1:]:
        key, eq, val = piece.partition("=")
        key = key.strip().upper()
        if not eq:  # vCard 2.1 bare types: TEL;CELL;WORK:...
            key, val = "TYPE", key
        values = [v.strip().strip('"') for v in re.findall(r'"[^"]*"|[^,]+', val)]
        params.setdefault(key, []).extend(v for v in values if v)
    encoding = " ".join(params.get("ENCODING", [])).upper()
    if "QUOTED-PRINTABLE" in encoding or encoding == "QP":
        charset = (params.get("CHARSET") or ["utf-8"])[0]
        raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
        try:
            value = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            value = decode_bytes(raw)
    return _Property(name, params, value)


def parse_vcard(text: str) -> ParseResult:
    """Parse every card in *text*; a card's errors carry its ``BEGIN`` line."""
    result = ParseResult()
    card: list[_Property] | None = None
    begin = 0
    depth = 0
    for number, line in _unfold(text):
        stripped = line.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if card is not None:  # nested (2.1 AGENT) or a missing END
                depth += 1
                continue
            card, begin = [], number
            continue
        if upper == "END:VCARD":
            if depth:
                depth -= 1
                continue
            if card is not None:
                _vcard(card, begin, result)
            card = None
            continue
        if card is None or depth or not stripped:
            continue
        prop = _parse_property(stripped)
        if prop is not None:
            card.append(prop)
    if card is not None:
        result.errors.append(ImportRowError(begin, "card has no END:VCARD"))
    if not result.contacts and not result.errors:
        raise ContactImportError("no vCard found in the file")
    return result


def _types(prop: _Property) -> str:
    return ",".join(prop.params.get("TYPE", []))


def _vcard(props: list[_Property], line: int, result: ParseResult) -> None:
    fn = n = org = email = ""
    notes: list[str] = []
    tel_cells: list[tuple[str, str | None]] = []
    for prop in props:
        if prop.name == "FN" and not fn:
            fn = _unescape(prop.value)
        elif prop.name == "N" and not n:
            family, given, additional, prefix, suffix, *_ = [
                _unescape(p).strip() for p in _split_unescaped(prop.value, ";")
            ] + [""] * 5
            n = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
        elif prop.name == "ORG" and not org:
            org = ", ".join(
                _unescape(p).strip() for p in _split_unescaped(prop.value, ";") if p.strip()
            )
        elif prop.name == "TEL":
            value = prop.value.strip()
            if value.lower().startswith("tel:"):
                value = value[4:].split(";", 1)[0]
            tel_cells.append((_unescape(value), label_from(_types(prop))))
        elif prop.name == "EMAIL" and not email:
            email = _unescape(prop.value).strip()
        elif prop.name == "NOTE":
            notes.append(_unescape(prop.value))
    errors: list[ImportRowError] = []
    numbers: list[ContactNumber] = []
    for value, label in tel_cells:
        number = make_number(value, label)
        if number is None:
            errors.append(ImportRowError(line, f"unparseable number {_quote(value)}", False))
        else:
            numbers.append(number)
    _add_contact(
        result,
        line,
        errors,
        ContactDraft(
            name=fn.strip() or n,
            company=org,
            numbers=tuple(numbers),
            email=email,
            notes="\n".join(notes),
        ),
    )
