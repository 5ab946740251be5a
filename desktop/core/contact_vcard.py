"""Reading contacts from vCard files: iPhone/macOS, Google, Outlook, old Android and Nokia.

3.0 and 4.0, and 2.1 as phones export it: folded lines, ``TYPE``
parameters in all their spellings (``TYPE=CELL,VOICE``, ``type=WORK;
type=pref``, 2.1's bare ``TEL;CELL;PREF``), Apple's ``item1.`` groups,
``tel:`` URIs (with ``;ext=``), quoted-printable values with a
``CHARSET``, several cards per file.  Phone pause forms are extensions
(iPhone's ``+90 212 555 44 33,101``, Nokia's ``02165554433p101``).
``TYPE=FAX`` numbers are skipped and counted, the same way the CSV reader
skips fax columns.

This is a small reader of our own rather than ``vobject``: we need six
properties (FN, N, ORG, TEL, EMAIL, NOTE) out of a simple line format, and
the files we get are often slightly off-standard; a tolerant reader that
skips what it does not understand serves that better than a full object
model that raises on the first oddity and would bring ``python-dateutil``
into the app for nothing.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from desktop.core import text as _text
from desktop.core.contact_cells import read_number_cell
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

#: Longest logical (unfolded) line kept; a longer one is cut with a warning.
MAX_LINE = 64 * 1024


def decode_bytes(data: bytes) -> str:
    """Text of a contacts file: BOMs honoured, else UTF-8 if valid, else Windows-1254."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
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


@dataclass(frozen=True, slots=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str


def _unfold(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Logical lines with the number of their first physical line.

    RFC folding (a line starting with a space or tab continues the previous
    one) and vCard 2.1 quoted-printable soft breaks (a QP line ending in
    ``=`` continues on the next line).
    """
    current: str | None = None
    start = 0
    for number, physical in enumerate(lines, start=1):
        physical = physical.rstrip("\r\n")
        if current is not None and physical[:1] in (" ", "\t"):
            if len(current) < MAX_LINE:
                current += physical[1:]
            continue
        if (
            current is not None
            and current.endswith("=")
            and "QUOTED-PRINTABLE" in current.split(":", 1)[0].upper()
        ):
            if len(current) < MAX_LINE:
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


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _parse_property(line: str) -> _Property | None:
    # NAME;PARAM=A,B;PARAM="x:y";BARE:value   (quotes may hide ':' and ';')
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1:]
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


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD"


def read_vcard(lines: Iterable[str], log: ReadLog) -> Iterator[ParsedContact]:
    """Every card of vCard text given as lines; a card's problems carry its ``BEGIN`` line."""
    card: list[_Property] | None = None
    begin = 0
    depth = 0
    cards = 0
    for number, line in _unfold(lines):
        stripped = line.strip().lstrip("\ufeff")
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if card is not None:  # nested (2.1 AGENT) or a missing END
                depth += 1
                continue
            card, begin = [], number
            cards += 1
            continue
        if upper == "END:VCARD":
            if depth:
                depth -= 1
                continue
            if card is not None:
                found = _card(card, begin, cards, log)
                if found is not None:
                    yield found
            card = None
            continue
        if card is None or depth or not stripped:
            continue
        prop = _parse_property(stripped)
        if prop is not None:
            card.append(prop)
    if card is not None:
        log.rows += 1
        log.add(ImportRowError.of(begin, "card_no_end", row=cards))
    if not cards:
        raise ContactImportError("no vCard found in the file")


def _types(prop: _Property) -> str:
    return ",".join(prop.params.get("TYPE", []))


def _card(props: list[_Property], line: int, index: int, log: ReadLog) -> ParsedContact | None:
    problems = RowProblems(line, index)
    fn = n = org = email = ""
    shown_as_company = False
    notes: list[str] = []
    numbers: list[ContactNumber] = []
    for prop in props:
        if prop.name == "FN" and not fn:
            fn = capped(unescape(prop.value), _text.MAX_NAME, "FN", "name", problems)
        elif prop.name == "N" and not n:
            family, given, additional, prefix, suffix, *_ = [
                unescape(p).strip() for p in _split_unescaped(prop.value, ";")
            ] + [""] * 5
            n = capped(" ".join(p for p in (prefix, given, additional, family, suffix) if p),
                       _text.MAX_NAME, "N", "name", problems)
        elif prop.name == "ORG" and not org:
            org = capped(", ".join(
                unescape(p).strip() for p in _split_unescaped(prop.value, ";") if p.strip()
            ), _text.MAX_COMPANY, "ORG", "company", problems)
        elif prop.name == "TEL":
            types = _types(prop)
            value = unescape(prop.value.strip())
            if is_fax(types):
                if value:
                    log.fax_skipped += 1
                continue
            numbers += problems.numbers("TEL", read_number_cell(value, label_from(types),
                                                                single=True))
        elif prop.name == "EMAIL" and not email:
            email = capped(unescape(prop.value).strip(), _text.MAX_EMAIL, "EMAIL", "e-mail",
                           problems)
        elif prop.name == "NOTE":
            notes.append(unescape(prop.value))
        elif prop.name == "X-ABSHOWAS":
            shown_as_company = prop.value.strip().upper() == "COMPANY"
    if shown_as_company and org:
        fn = ""  # Apple's company card: FN is the company, not a person's name
    draft = ContactDraft(
        name=fn.strip() or n,
        company=org,
        numbers=tuple(numbers),
        email=email,
        notes=capped("\n".join(notes), _text.MAX_NOTES, "NOTE", "notes", problems,
                     multiline=True),
    )
    return finish_contact(log, problems, draft, "TEL")
