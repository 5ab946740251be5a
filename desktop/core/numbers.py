"""Phone numbers as the PBX sends them, as agents paste them and as files write them.

Kobikom's services mix every Turkish notation (``05321234567``,
``905321234567``, ``+905321234567``, ``00905321234567``, ``5321234567``)
with short internal extensions (``1001``, Tekil's six-digit ``101000``) and
queue numbers (``60000``).  This module turns any of them into one
:class:`PhoneNumber` that keeps the text as received *and* a normalized key,
so that the directory, the journal and the popup all agree on "the same
number".

Three jobs, each done in one place:

* **Cleaning pasted text** (:func:`clean_number_text`, in
  :mod:`desktop.core.number_text`): what WhatsApp, Outlook, Word or a web
  page put around a number - bidi marks, zero-width spaces, non-breaking
  spaces, typographic dashes, full-width and Arabic-Indic digits.  Lookup,
  dial, import and the dialer all go through it (via :func:`parse_number`).
* **Links**: ``tel:``/``callto:``/``sip:`` prefixes (:func:`link_parts`);
  a ``tel:`` link's ``;ext=`` parameter is an extension.
* **Extensions**: a public number may carry an extension - the main number
  is what rings and is matched, the extension is kept and shown
  (:attr:`PhoneNumber.extension`).  Every written form is understood:
  ``/ 101``, ``- 101``, ``(101)``, ``x101``, ``ext. 101``, ``#101``,
  ``dahili 101``, ``dahili: 101``, ``(Dahili: 106)``, the phone pause and
  wait characters ``,101`` / ``;101`` and Nokia's ``p101`` / ``w101``.
  The written-out forms (a word, ``x``, ``#``, a pause) always split; the
  bare forms (``/``, ``-``, parentheses) split only when the number before
  them is a valid number on its own and the whole is not - so
  ``0532-123-45-67`` stays one number.  An extension is never an internal
  number of ours: :attr:`PhoneNumber.key` is the main number's.  A short
  number written alone (``101``) or marked alone (``dahili 101``) is an
  internal number (:attr:`NumberKind.INTERNAL`).

Parsing is Google's libphonenumber (the ``phonenumbers`` package) with
default region TR; nothing here re-implements numbering-plan knowledge.
Turkish ten-digit numbers - nearly every number of a contacts file - take a
fast path that asks libphonenumber's own TR metadata patterns directly
(about 2 µs instead of 30 µs; a property test checks it answers exactly as
the full parse does).  :func:`parse_number` is cached (the same few numbers
arrive again and again: ringing, answered, the journal, the directory
lookup); bulk imports use :func:`parse_number_uncached` so a file of
100,000 numbers does not evict the live calls' entries.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberType

from desktop.core import text as _text
from desktop.core.number_text import ascii_digits, clean_number_text, link_parts

__all__ = [
    "DEFAULT_REGION",
    "MAX_EXTENSION_DIGITS",
    "MAX_INTERNAL_DIGITS",
    "NumberKind",
    "PhoneNumber",
    "ascii_digits",
    "clean_number_text",
    "link_parts",
    "mask",
    "normalize",
    "parse_number",
    "parse_number_uncached",
    "turkish_key",
]

DEFAULT_REGION = "TR"

#: Longest digit string still treated as an internal extension or queue.
#: Tekil extensions have up to six digits (``101000``); the shortest Turkish
#: public numbers that are not emergency codes are seven (``444 1 444``).
MAX_INTERNAL_DIGITS = 6
#: Longest extension kept after a public number (PBX extensions are short).
MAX_EXTENSION_DIGITS = MAX_INTERNAL_DIGITS

#: What PBXs put in the caller field when the caller withheld the number.
_ANONYMOUS = frozenset(
    {"", "anonymous", "unknown", "private", "restricted", "gizli", "bilinmiyor", "unavailable"}
)
_SEPARATORS = re.compile(r"[\s\-./()]+")
#: What is left of a public number once separators are gone.  Letters are
#: refused: libphonenumber would read "0532-abc" as the vanity "0532-222".
_DIALLABLE = re.compile(r"\+?\d+")
_INTERNAL = re.compile(rf"\*?\d{{1,{MAX_INTERNAL_DIGITS}}}")

# ---------------------------------------------------------------- extensions
# Matched on the search-folded text (lower case, "DAHİLİ" -> "dahili").
_MAIN = r"(?P<main>\+?[\d\s\-./()]*\d\)?)"
_EXT = rf"(?P<ext>\d{{1,{MAX_EXTENSION_DIGITS}}})"
#: Written-out markers: a word, "x", "#", the phone pause/wait characters.
_MARK = r"(?:extension|extn?\.?|x|#|dahili|dah\.|[,;]+|[pw]+)"
_EXPLICIT = re.compile(rf"^{_MAIN}\s*[/\-(]?\s*{_MARK}\s*:?\s*{_EXT}\s*\)?$")
#: Bare forms: "/ 101", "- 101" (a space on one side of the dash), "(101)".
_BARE = re.compile(rf"^{_MAIN}\s*(?:/|\s-|-\s|\()\s*{_EXT}\s*\)?$")
#: A short number marked alone: "dahili 101", "Dahili: 106", "x101", "ext. 12", "(dahili 5)".
_MARKED_INTERNAL = re.compile(
    rf"^\(?\s*(?:extension|extn?\.?|x|#|dahili|dah\.)\s*:?\s*{_EXT}\s*\)?$")


class NumberKind(enum.Enum):
    """What sort of number a string turned out to be."""

    EXTERNAL = "external"  # a public telephone number (Turkish or foreign)
    INTERNAL = "internal"  # an extension, queue or feature code on the PBX
    ANONYMOUS = "anonymous"  # caller ID withheld
    INVALID = "invalid"  # anything else (``s`` in IVR CDR rows, junk)


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A number as received plus its normalized form.

    ``key`` is what the directory and the journal index on: the E.164 form
    (``+905321234567``) of the main number for public numbers (never the
    extension), the bare digits for internal extensions, and the cleaned
    text otherwise.
    """

    raw: str
    kind: NumberKind
    key: str = ""
    e164: str | None = None
    #: libphonenumber thinks the number is assigned (not just plausible).
    valid: bool = False
    #: ISO region of the number (``TR``, ``GB``...) when known.
    region: str | None = None
    #: libphonenumber's number type name (``MOBILE``, ``PREMIUM_RATE``...).
    number_type: str | None = None
    #: The extension written after a public number (``"101"``), else None.
    extension: str | None = None

    @property
    def is_turkish(self) -> bool:
        return self.region == DEFAULT_REGION or (
            self.e164 is not None and self.e164.startswith("+90")
        )

    @property
    def is_international(self) -> bool:
        """A public number outside Turkey."""
        return self.kind is NumberKind.EXTERNAL and not self.is_turkish

    @property
    def is_premium(self) -> bool:
        return self.number_type == "PREMIUM_RATE"

    @property
    def storable(self) -> bool:
        """A number the directory keeps: public or internal, nothing else."""
        return self.kind in (NumberKind.EXTERNAL, NumberKind.INTERNAL)

    def display(self) -> str:
        """The number as a Turkish agent reads it (``0532 123 45 67``), without extension."""
        if self.kind is NumberKind.EXTERNAL and self.e164 is not None:
            return _formatted(self.e164, national=self.is_turkish)
        if self.kind is NumberKind.INTERNAL:
            return self.key
        return self.raw.strip()

    def display_full(self) -> str:
        """:meth:`display` plus the extension (``(0212) 555 12 34 ext. 101``), for plain text.

        The UI spells the extension in the agent's language instead.
        """
        main = self.display()
        return f"{main} ext. {self.extension}" if self.extension else main

    def national(self) -> str | None:
        """Turkish national digits with the trunk 0 (``05321234567``), else None."""
        if self.e164 is None or not self.is_turkish:
            return None
        return "0" + self.e164[3:]

    def masked(self) -> str:
        """For INFO logs (KVKK): keep the last two digits only."""
        return mask(self.key)


@functools.lru_cache(maxsize=1024)
def _formatted(e164: str, *, national: bool) -> str:
    """libphonenumber's national or international form of *e164* (a popup shows
    the same caller's number several times a call: parsed once)."""
    parsed = phonenumbers.parse(e164, None)
    fmt = PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(parsed, fmt))


# ---------------------------------------------------------------- parsing
def _internal_key(text: str) -> str:
    """An extension or feature code without separators (``*97`` keeps its star)."""
    return _SEPARATORS.sub("", text.strip())


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def mask(text: str) -> str:
    """``+905321234567`` -> ``+90*******67``; short extensions stay visible."""
    text = text.strip()
    if len(_digits(text)) <= MAX_INTERNAL_DIGITS:
        return text
    head = 3 if text.startswith("+") else 2
    return text[:head] + "*" * (len(text) - head - 2) + text[-2:]


_TYPE_NAMES = {
    value: name
    for name, value in vars(PhoneNumberType).items()
    if not name.startswith("_") and isinstance(value, int)
}


class _TurkishPlan:
    """libphonenumber's TR metadata patterns, compiled once (the import fast path).

    :meth:`number_type` answers what ``phonenumbers.number_type`` answers for
    a ten-digit Turkish national number, in the same order of checks
    (tests compare the two on random numbers).
    """

    #: The order libphonenumber checks the types in (``_number_type_helper``).
    ORDER = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
             "uan", "voicemail")

    def __init__(self) -> None:
        metadata = PhoneMetadata.metadata_for_region(DEFAULT_REGION)
        assert metadata is not None
        self.types = [(name.upper(), pattern) for name in self.ORDER
                      if (pattern := self._desc(getattr(metadata, name))) is not None]
        # One alternation of all the special types: most numbers are mobile or
        # fixed-line and are done with four matches instead of twelve.
        self.any_special = re.compile("|".join(f"(?:{p.pattern})" for _n, p in self.types)) \
            if self.types else None
        self.fixed = self._desc(metadata.fixed_line)
        self.mobile = self._desc(metadata.mobile)
        self.same_fixed_mobile = bool(metadata.same_mobile_and_fixed_line_pattern)
        # Special types first, then fixed line, then mobile, in one match: the
        # alternative that matched says which family to look at.
        parts = [(name, p.pattern) for name, p in (("special", self.any_special),
                                                   ("fixed", self.fixed),
                                                   ("mobile", self.mobile)) if p is not None]
        self.families = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in parts))

    @staticmethod
    def _desc(desc: object) -> re.Pattern[str] | None:
        pattern = getattr(desc, "national_number_pattern", None)
        if not pattern:
            return None
        lengths = getattr(desc, "possible_length", None) or ()
        if lengths and -1 not in lengths and 10 not in lengths:
            return None  # cannot match a ten-digit number
        return re.compile(pattern)

    @staticmethod
    def _matches(pattern: re.Pattern[str] | None, national: str) -> bool:
        return pattern is not None and pattern.fullmatch(national) is not None

    def number_type(self, national: str) -> str:
        # libphonenumber first checks the general pattern; it is the union of the
        # type patterns below, so a number one of them matches passes it anyway.
        found = self.families.fullmatch(national)
        family = found.lastgroup if found is not None else None
        if family == "special":
            for name, pattern in self.types:
                if pattern.fullmatch(national) is not None:
                    return name
        if family == "fixed":
            if self.same_fixed_mobile or self._matches(self.mobile, national):
                return "FIXED_LINE_OR_MOBILE"
            return "FIXED_LINE"
        if family == "mobile":
            return "MOBILE"
        return "UNKNOWN"


_TR_PLAN = _TurkishPlan()
_TR_TEN = re.compile(r"(?:\+90|0090|90|0)?([2-9]\d{9})")


def turkish_key(text: str) -> str | None:
    """The E.164 key of *text* when it is just a valid ten-digit Turkish number in one of
    the usual spellings (separators, ``0``/``90``/``+90``/``0090``), else None.

    The bulk importer's shortcut: exactly what :func:`parse_number` answers for
    such text, without building a :class:`PhoneNumber` (a test compares them).
    """
    compact = text.replace(" ", "")  # most numbers are written with spaces only
    if not compact.isdigit():
        compact = _SEPARATORS.sub("", compact)
    match = _TR_TEN.fullmatch(compact)
    if match is None or _TR_PLAN.number_type(match.group(1)) == "UNKNOWN":
        return None
    return "+90" + match.group(1)


def _fast_turkish(text: str, compact: str, extension: str | None) -> PhoneNumber | None:
    """A valid ten-digit Turkish number without calling the parser, else None."""
    match = _TR_TEN.fullmatch(compact)
    if match is None:
        return None
    national = match.group(1)
    number_type = _TR_PLAN.number_type(national)
    if number_type == "UNKNOWN":
        return None  # invalid here: the full parse decides what it is
    e164 = "+90" + national
    return PhoneNumber(raw=text, kind=NumberKind.EXTERNAL, key=e164, e164=e164, valid=True,
                       region=DEFAULT_REGION, number_type=number_type, extension=extension)


def _public(text: str, compact: str, region: str, extension: str | None,
            *, fast: bool = True) -> PhoneNumber | None:
    """*compact* (digits, maybe a ``+``) as a public number, or None if it is none."""
    if fast and region == DEFAULT_REGION:
        found = _fast_turkish(text, compact, extension)
        if found is not None:
            return found
    if _DIALLABLE.fullmatch(compact) is None:
        return None
    if compact.startswith("00"):
        # libphonenumber only knows TR's international prefix as "00" when the
        # region is TR; spell it explicitly so any default region works.
        compact = "+" + compact[2:]
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    return PhoneNumber(
        raw=text,
        kind=NumberKind.EXTERNAL,
        key=e164,
        e164=e164,
        valid=phonenumbers.is_valid_number(parsed),
        region=phonenumbers.region_code_for_number(parsed),
        number_type=_TYPE_NAMES.get(phonenumbers.number_type(parsed), "UNKNOWN"),
        extension=extension,
    )


def _invalid(text: str, clean: str) -> PhoneNumber:
    return PhoneNumber(raw=text, kind=NumberKind.INVALID, key=clean)


def _parse(raw: str | None, region: str = DEFAULT_REGION, *, fast: bool = True) -> PhoneNumber:
    text = "" if raw is None else str(raw)
    clean = clean_number_text(text)
    if clean.lower() in _ANONYMOUS:
        return PhoneNumber(raw=text, kind=NumberKind.ANONYMOUS, key=text.strip())
    candidate, link_extension = clean, None
    link = link_parts(clean) if ":" in clean else None
    if link is not None:
        candidate, link_extension = link[1], link[2]
        if link_extension is not None and not link_extension.isdigit():
            return _invalid(text, clean)
    compact = _SEPARATORS.sub("", candidate)
    if len(compact) <= MAX_INTERNAL_DIGITS + 1 and _INTERNAL.fullmatch(compact) \
            and link_extension is None:
        return PhoneNumber(raw=text, kind=NumberKind.INTERNAL, key=_internal_key(compact))
    whole = _public(text, compact, region, link_extension, fast=fast)
    if whole is not None and whole.valid:
        return whole
    if link_extension is None:
        split = _with_extension(text, candidate, region, fast=fast)
        if split is not None:
            return split
    if whole is not None:
        return whole  # possible but not known to be assigned: kept, marked not valid
    return _invalid(text, clean)


def _with_extension(text: str, candidate: str, region: str, *, fast: bool) -> PhoneNumber | None:
    """*candidate* as a public number with a written extension, or a marked internal one."""
    if not any(ch.isdigit() for ch in candidate):
        return None
    folded = _text.search_fold(candidate)
    marked = _MARKED_INTERNAL.fullmatch(folded)
    if marked is not None:
        return PhoneNumber(raw=text, kind=NumberKind.INTERNAL, key=marked["ext"])
    for pattern, need_valid in ((_EXPLICIT, False), (_BARE, True)):
        match = pattern.fullmatch(folded)
        if match is None:
            continue
        main = _public(text, _SEPARATORS.sub("", match["main"]), region, match["ext"], fast=fast)
        if main is not None and (main.valid or not need_valid):
            return main
    return None


@functools.lru_cache(maxsize=65536)
def parse_number(raw: str | None, region: str = DEFAULT_REGION) -> PhoneNumber:
    """Parse *raw* as received from the PBX, typed or pasted by an agent, or read from a file.

    Never raises: anything that is not a number comes back as
    ``NumberKind.INVALID`` (or ``ANONYMOUS``) with ``raw`` kept.  Cached.
    """
    return _parse(raw, region)


@functools.lru_cache(maxsize=64)
def parse_number_uncached(raw: str | None, region: str = DEFAULT_REGION) -> PhoneNumber:
    """:func:`parse_number` without its big cache (bulk imports: each number is seen once).

    A tiny cache of its own remembers the last few numbers: an import reads
    a number and stores it moments later, and both parse it.
    """
    return _parse(raw, region)


def normalize(raw: str | None, region: str = DEFAULT_REGION) -> str:
    """The lookup key of *raw* (see :attr:`PhoneNumber.key`)."""
    return parse_number(raw, region).key
