"""The directory's values: contacts, their numbers and labels, and rows ready to store.

:class:`ContactNumber` is one number of a contact as entered (``raw``), its
lookup key (:attr:`desktop.core.numbers.PhoneNumber.key`: the E.164 form of
the *main* number for public numbers, the digits for internal ones) and,
for a public number written with one, its extension (``0212 555 12 34 /
101`` -> key ``+902125551234``, extension ``101``).  The extension is kept
and shown but never looked up: a colleague calling from extension 101 is
not the outside company whose switchboard has an extension 101.

:func:`prepare_row` is the only way a draft reaches the database: it
cleans the text fields, parses every number again (a draft can never store
a key that lookups would not find, and nothing that is not a phone number
is ever stored as a key), drops repeated numbers, keeps at most
:data:`MAX_NUMBERS_PER_CONTACT`, and computes the identity and content
hashes that re-imports and PBX syncs match on.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field

from desktop.core import text as _text
from desktop.core.numbers import NumberKind, PhoneNumber, parse_number, parse_number_uncached

LABELS = ("mobile", "work", "home", "other")
#: Numbers kept per contact; importers warn about the rest.
MAX_NUMBERS_PER_CONTACT = 20

_LABEL_WORDS = {
    "mobile": {"mobile", "mobil", "cell", "cellular", "cep", "gsm", "iphone", "cepno"},
    "work": {
        "work",
        "is",
        "business",
        "office",
        "ofis",
        "sirket",
        "isyeri",
        "kurumsal",
        "main",
        "company",
    },
    "home": {"home", "ev", "konut"},
}
_FAX_WORDS = {"fax", "faks", "faksi", "telefax", "telefaks", "faxno", "faksno", "faxnumber"}
_WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=1024)
def label_from(text: str | None) -> str | None:
    """Map a vCard TYPE, CSV column word or PBX label to one of :data:`LABELS`.

    ``None`` when *text* says nothing we recognise (``"voice"``, ``"pref"``).
    Mobile wins over work/home (``"work,cell"`` is a work mobile).
    """
    if not text:
        return None
    words = set(_WORD.findall(_text.search_fold(text)))
    for label in ("mobile", "work", "home"):
        if words & _LABEL_WORDS[label]:
            return label
    if words & ({"other", "diger"} | _FAX_WORDS):
        return "other"
    return None


@functools.lru_cache(maxsize=1024)
def is_fax(text: str | None) -> bool:
    """A column name, vCard TYPE or label naming a fax line (``İş Faksı``, ``Work Fax``,
    ``TYPE=FAX``).  Every importer skips fax numbers the same way: nobody calls from a
    fax machine, and an agent must not call one."""
    if not text:
        return False
    return bool(set(_WORD.findall(_text.search_fold(text))) & _FAX_WORDS)


def number_key(raw: str) -> str:
    """The lookup key of *raw*: ``parse_number(raw).key`` (uncached, for bulk work)."""
    return parse_number_uncached(raw).key


def default_label(key: str) -> str:
    """``mobile`` for mobile numbers, else ``other`` (when the source gave no label)."""
    if key.startswith("+905"):
        return "mobile"
    if key.startswith("+90"):
        return "other"
    parsed = parse_number(key)
    return "mobile" if parsed.number_type == "MOBILE" else "other"


@dataclass(frozen=True, slots=True)
class ContactNumber:
    """One number of a contact: as entered, its lookup key, a label and its extension."""

    raw: str
    key: str
    label: str = "other"
    #: The extension written with a public number (``"101"``); never looked up.
    extension: str | None = None

    @classmethod
    def of(cls, raw: str, label: str | None = None) -> ContactNumber:
        """Build from typed/imported text; *label* is any spelling :func:`label_from` knows.

        Without a label, Turkish mobile numbers are labelled ``mobile`` and
        everything else ``other``.
        """
        raw = _text.clean(raw, _text.MAX_NUMBER)
        parsed = parse_number(raw) if raw else None
        key = parsed.key if parsed is not None else ""
        norm = label if label in LABELS else label_from(label)
        if norm is None:
            norm = default_label(key) if key else "other"
        return cls(raw=raw, key=key, label=norm,
                   extension=parsed.extension if parsed is not None else None)

    @classmethod
    def from_parsed(cls, parsed: PhoneNumber, label: str | None) -> ContactNumber:
        """From a number already parsed (importers); *label* as in :meth:`of`."""
        norm = label if label in LABELS else label_from(label)
        return cls(raw=parsed.raw, key=parsed.key, label=norm or default_label(parsed.key),
                   extension=parsed.extension)

    def parsed(self) -> PhoneNumber:
        return parse_number(self.raw)

    @property
    def identity(self) -> str:
        """The number and its extension: two extensions of one switchboard are two numbers."""
        return f"{self.key};ext={self.extension}" if self.extension else self.key


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """A contact to add or to update with; the directory cleans it on write.

    ``numbers[i].key`` and ``.extension`` are recomputed from ``raw`` on
    write, so a draft can never store a key that lookups would not find.
    """

    name: str = ""
    company: str = ""
    numbers: tuple[ContactNumber, ...] = ()
    email: str = ""
    notes: str = ""
    source: str = "local"
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    name: str
    company: str
    numbers: tuple[ContactNumber, ...]
    email: str
    notes: str
    source: str
    external_id: str | None
    created_at: float
    updated_at: float

    @property
    def display_name(self) -> str:
        """Name, else company, else the first number (for lists and popups)."""
        if self.name:
            return self.name
        if self.company:
            return self.company
        return self.numbers[0].parsed().display() if self.numbers else ""

    def draft(self) -> ContactDraft:
        """This contact as a draft, e.g. to edit with ``dataclasses.replace``."""
        return ContactDraft(
            name=self.name,
            company=self.company,
            numbers=self.numbers,
            email=self.email,
            notes=self.notes,
            source=self.source,
            external_id=self.external_id,
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What :meth:`Directory.merge` did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    #: ``(index, index_of_first)`` for drafts that repeat an earlier draft of the batch.
    duplicates: tuple[tuple[int, int], ...] = field(default_factory=tuple)


class ContactNotFound(KeyError):
    """No contact with that id."""


# ------------------------------------------------------------------ rows to store
@dataclass(slots=True)
class Row:
    """A draft cleaned and ready to write (internal, mutable, cheap to build)."""

    name: str
    company: str
    email: str
    notes: str
    source: str
    external_id: str | None
    numbers: list[ContactNumber]
    name_key: str
    ident: int
    fingerprint: int
    search: str


def stable_hash(*parts: str) -> int:
    """A stable 63-bit hash (stored as an SQLite INTEGER)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def number_search_form(key: str) -> str:
    """Digits searched for a number: Turkish national (``05321234567``), else E.164 digits."""
    if key.startswith("+90"):
        return "0" + key[3:]
    if key.startswith("+"):
        return key[1:]
    return _text.search_fold(key)


def clean_number(num: ContactNumber) -> ContactNumber | None:
    """*num* re-parsed from its raw text; None when it is not a phone number."""
    raw = _text.clean(num.raw, _text.MAX_NUMBER)
    if not raw:
        return None
    parsed = parse_number_uncached(raw)
    if parsed.kind is NumberKind.EXTERNAL:
        extension = parsed.extension or (
            num.extension if num.extension and num.extension.isdigit() else None)
    elif parsed.kind is NumberKind.INTERNAL:
        extension = None  # an internal number has no extension of its own
    else:
        return None  # never store text that is not a number as a key
    label = num.label if num.label in LABELS else (label_from(num.label) or "other")
    if raw == num.raw and parsed.key == num.key and label == num.label \
            and extension == num.extension:
        return num
    return ContactNumber(raw, parsed.key, label, extension)


#: Company names repeat across a file's rows: their folded form is remembered.
_fold_company = functools.lru_cache(maxsize=4096)(_text.search_fold)


def prepare_row(draft: ContactDraft, source: str | None = None, *,
                checked: bool = False) -> Row:
    """Clean *draft* and compute its keys (the only way rows reach the database).

    *checked*: the numbers were made by the importers from parsed text
    (:func:`~desktop.core.contact_cells.read_number_cell`), so they are not
    parsed again.
    """
    clean = _text.clean
    numbers: list[ContactNumber] = []
    identities: list[str] = []
    for given in draft.numbers:
        num = given if checked else clean_number(given)
        if num is None:
            continue
        identity = num.identity
        if identity in identities:
            continue
        identities.append(identity)
        numbers.append(num)
        if len(numbers) >= MAX_NUMBERS_PER_CONTACT:
            break
    name = clean(draft.name, _text.MAX_NAME)
    company = clean(draft.company, _text.MAX_COMPANY)
    email = clean(draft.email, _text.MAX_EMAIL)
    notes = clean(draft.notes, _text.MAX_NOTES, multiline=True)
    external_id = clean(draft.external_id, _text.MAX_SHORT) or None
    name_fold = _text.search_fold(name)
    company_fold = _fold_company(company)
    name_key = name_fold or company_fold
    keys = list(dict.fromkeys([n.key for n in numbers])) if len(numbers) > 1 else \
        [n.key for n in numbers]
    search = " | ".join([name_fold, company_fold,
                         *["0" + k[3:] if k.startswith("+90") else number_search_form(k)
                           for k in keys]])
    if len(identities) > 1:
        identities.sort()
    ident = stable_hash("x", external_id) if external_id else \
        stable_hash("n", name_key, *identities)
    parts: list[str] = [name, company, email, notes, external_id or ""]
    for n in numbers:
        parts += (n.raw, n.key, n.label)
        if n.extension:
            parts.append("ext=" + n.extension)
    return Row(name, company, email, notes,
               source or clean(draft.source, _text.MAX_SHORT) or "local", external_id,
               numbers, name_key, ident, stable_hash(*parts), search)
