"""The PBX phonebook (Tekil ``GET /contacts/export/{token}``) into the directory.

Kobikom documents the export only as "for IP phones that fetch a phonebook
link" and gives no example, so :func:`parse_pbx_phonebook` accepts what
such links serve in practice and tells them apart by content (the
``Content-Type`` only breaks ties: Tekil labels its JSON ``text/html``):

* Yealink remote phonebook XML: ``<YealinkIPPhoneDirectory>`` (or any
  ``<...IPPhoneDirectory>``) with ``<DirectoryEntry><Name/><Telephone/>...``,
  and the newer ``<YealinkIPPhoneBook><Menu><Unit Name= Phone1= Phone2=/>``;
* Cisco ``<CiscoIPPhoneDirectory>`` (same shape; Snom and Fanvil use it too);
* Grandstream ``<AddressBook><Contact><FirstName/><LastName/>
  <Phone type=><phonenumber/></Phone>``;
* Snom ``<tbook><item><name/><number/>``;
* JSON: a list of objects (or an object holding one under ``data``,
  ``contacts``...) with the field names of Tekil's ``createContact``
  (``ad``, ``soyad``, ``firma``, ``telefon``, ``eposta``, ``diger``,
  ``tur``, ``id``) or English ones;
* CSV with a header row (see :mod:`desktop.core.contact_import`).

Anything else raises :class:`PhonebookFormatError` with a hint.  XML goes
through ``defusedxml`` with DTDs forbidden, so entity-expansion ("billion
laughs") and external-entity bodies are refused.

:func:`apply_phonebook` replaces the previous PBX rows (``source="pbx"``)
in one transaction without touching local or imported contacts; contacts
that did not change keep their ids.  HTTP is not done here
(``desktop/pbx/rest.py`` fetches the body).
"""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET  # types and ParseError only; parsing is defusedxml
from collections.abc import Callable, Iterable
from typing import Any

import defusedxml
import defusedxml.ElementTree as SafeET

from desktop.core import text as _text
from desktop.core.contact_cells import read_number_cell
from desktop.core.contact_import import (
    ContactImportError,
    ImportReport,
    ParsedContact,
    ParseResult,
    apply_parsed,
    column_role,
    decode_bytes,
    parse_csv,
)
from desktop.core.directory import ContactDraft, ContactNumber, Directory, is_fax, label_from

log = logging.getLogger("kobikom.core.phonebook")

PBX_SOURCE = "pbx"
_TR_TYPE = {"1": "home", "2": "work", "3": "other"}  # createContact "tur"


class PhonebookFormatError(ValueError):
    """The body is not a phonebook format we know (the message says what it looks like)."""


# ------------------------------------------------------------------ public API
def parse_pbx_phonebook(body: bytes, content_type: str | None) -> list[ContactDraft]:
    """Contacts from a phonebook export body; see the module docstring for formats.

    Entries without a name and without a usable number are dropped.
    Raises :class:`PhonebookFormatError` for an unknown or broken format.
    """
    return [p.draft for p in _parse(body, content_type).contacts]


def apply_phonebook(
    directory: Directory,
    drafts: Iterable[ContactDraft],
    source: str = PBX_SOURCE,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Make the contacts of *source* exactly *drafts* (other sources untouched)."""
    parsed = ParseResult(contacts=[ParsedContact(i, d) for i, d in enumerate(drafts, start=1)])
    report = apply_parsed(directory, source, parsed, remove_missing=True, progress=progress)
    log.info(
        "phonebook sync: %d added, %d updated, %d unchanged, %d removed",
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
    )
    return report


# ------------------------------------------------------------------ detection
def _parse(body: bytes, content_type: str | None) -> ParseResult:
    head = body.lstrip()[:64]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom) :].lstrip()
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if not head:
        raise PhonebookFormatError("the phonebook response is empty")
    if head.startswith(b"<"):
        return _parse_xml(body)
    if head[:1] in (b"[", b"{") or ctype.endswith("json"):
        return _parse_json(body)
    text = decode_bytes(body)
    try:
        result = parse_csv(text)
    except ContactImportError as exc:
        preview = _text.clean(text[:60])
        raise PhonebookFormatError(
            f"unknown phonebook format (content type {ctype or 'none'}, "
            f"starts with {preview!r}): {exc}"
        ) from exc
    return result


# ------------------------------------------------------------------ XML
def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""


def _child_texts(element: ET.Element, *names: str) -> list[tuple[ET.Element, str]]:
    wanted = set(names)
    return [
        (child, (child.text or "").strip())
        for child in element
        if _tag(child) in wanted and (child.text or "").strip()
    ]


def _first_text(element: ET.Element, *names: str) -> str:
    found = _child_texts(element, *names)
    return found[0][1] if found else ""


def _parse_xml(body: bytes) -> ParseResult:
    try:
        root: ET.Element = SafeET.fromstring(body, forbid_dtd=True)
    except defusedxml.DefusedXmlException as exc:
        raise PhonebookFormatError(
            f"refused XML phonebook: DTDs and entities are not allowed ({type(exc).__name__})"
        ) from exc
    except ET.ParseError as exc:
        raise PhonebookFormatError(f"broken XML phonebook: {exc}") from exc
    root_tag = _tag(root)
    result = ParseResult()
    entries = 0
    for index, element in enumerate(root.iter(), start=1):
        tag = _tag(element)
        if tag == "directoryentry":  # Yealink, Cisco, Snom, Fanvil
            entries += 1
            name = _first_text(element, "name")
            phones = [
                (value, child.get("label") or child.get("type"))
                for child, value in _child_texts(element, "telephone", "phone", "number")
            ]
            _add(result, index, name, "", phones)
        elif tag == "unit" and element.get("Name") is not None:  # YealinkIPPhoneBook
            entries += 1
            phones = [
                (element.get(attr) or "", label)
                for attr, label in (("Phone1", "work"), ("Phone2", "mobile"), ("Phone3", "other"))
            ]
            _add(result, index, element.get("Name") or "", "", phones)
        elif tag == "contact" and root_tag == "addressbook":  # Grandstream
            entries += 1
            first = _first_text(element, "firstname")
            last = _first_text(element, "lastname")
            company = _first_text(element, "company", "organization")
            phones = []
            for phone in element:
                if _tag(phone) == "phone":
                    number = _first_text(phone, "phonenumber") or (phone.text or "").strip()
                    phones.append((number, phone.get("type")))
            email = _first_text(element, "mail", "email")
            _add(result, index, f"{first} {last}".strip(), company, phones, email=email)
        elif tag == "item" and root_tag == "tbook":  # Snom
            entries += 1
            phones = [
                (value, child.get("type"))
                for child, value in _child_texts(element, "number", "telephone")
            ]
            _add(result, index, _first_text(element, "name"), "", phones)
    if not entries and not root_tag.endswith(
        ("ipphonedirectory", "ipphonebook", "addressbook", "tbook")
    ):
        hint = " (an HTML page: is the phonebook token right?)" if root_tag == "html" else ""
        raise PhonebookFormatError(f"unknown XML phonebook <{root.tag}>{hint}")
    return result


def _add(
    result: ParseResult,
    index: int,
    name: str,
    company: str,
    phones: list[tuple[str, str | None]],
    *,
    email: str = "",
    notes: str = "",
    external_id: str | None = None,
) -> None:
    numbers: list[ContactNumber] = []
    bad: list[str] = []
    for cell, label in phones:
        if is_fax(label):
            continue  # skipped like every importer skips fax numbers
        # The same reading of a cell as file imports: "0212 555 12 34 / 101" is one
        # number with an extension, never an internal number 101 of ours.
        found = read_number_cell(cell, label_from(label) if label else None)
        numbers.extend(found.numbers)
        bad.extend(problem.reason for problem in found.problems)
    if not numbers and not _text.clean(name) and not _text.clean(company):
        log.debug("phonebook entry %d has no name and no usable number: dropped", index)
        return
    if bad:
        log.debug("phonebook entry %d: %d unusable numbers dropped", index, len(bad))
    result.contacts.append(
        ParsedContact(
            index,
            ContactDraft(
                name=name,
                company=company,
                numbers=tuple(numbers),
                email=email,
                notes=notes,
                external_id=external_id,
            ),
        )
    )


# ------------------------------------------------------------------ JSON
_LIST_KEYS = ("data", "contacts", "contact", "rehber", "kisiler", "items", "result", "results")


def _parse_json(body: bytes) -> ParseResult:
    try:
        data: Any = json.loads(decode_bytes(body))
    except ValueError as exc:
        raise PhonebookFormatError(f"broken JSON phonebook: {exc}") from exc
    entries = _json_entries(data)
    if entries is None:
        raise PhonebookFormatError("JSON phonebook without a list of contacts")
    result = ParseResult()
    for index, entry in enumerate(entries, start=1):
        if isinstance(entry, dict):
            _json_entry(result, index, entry)
    return result


def _json_entries(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if key in data:
                found = _json_entries(data[key])
                if found is not None:
                    return found
        if data.get("status") is False or data.get("success") is False:
            message = _text.clean(data.get("message") or data.get("error") or "", 120)
            raise PhonebookFormatError(f"the PBX refused the phonebook request: {message}")
    return None


def _json_text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, list):
        return " / ".join(_json_text(v) for v in value if _json_text(v))
    if isinstance(value, dict):
        return _json_text(value.get("number") or value.get("telefon") or value.get("value"))
    return str(value).strip()


def _json_entry(result: ParseResult, index: int, entry: dict[str, Any]) -> None:
    fields: dict[str, list[str]] = {}
    phones: list[tuple[str, str | None]] = []
    kind: str | None = None
    external_id: str | None = None
    for key, value in entry.items():
        text = _json_text(value)
        if not text:
            continue
        if str(key).lower() in ("id", "contact_id", "kisi_id", "uuid"):
            external_id = text
            continue
        role, extra = column_role(str(key))
        if role == "phone":
            phones.append((text, extra))
        elif role == "phone_label":
            kind = _TR_TYPE.get(text) or label_from(text)
        elif role != "ignore":
            fields.setdefault(role, []).append(text)
    if kind is not None:
        phones = [(cell, label or kind) for cell, label in phones]

    def first(role: str) -> str:
        return fields.get(role, [""])[0]

    name = first("full") or " ".join(
        p for p in (first("given"), first("middle"), first("family")) if p
    )
    _add(
        result,
        index,
        name,
        first("company"),
        phones,
        email=first("email"),
        notes="\n".join(fields.get("notes", [])),
        external_id=external_id,
    )
