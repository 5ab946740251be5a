"""Phone numbers as the PBX sends them and as agents type them.

Kobikom's services mix every Turkish notation (``05321234567``,
``905321234567``, ``+905321234567``, ``00905321234567``, ``5321234567``)
with short internal extensions (``1001``, Tekil's six-digit ``101000``) and
queue numbers (``60000``).  This module turns any of them into one
:class:`PhoneNumber` that keeps the text as received *and* a normalized key,
so that the directory, the journal and the popup all agree on "the same
number".

Parsing is Google's libphonenumber (the ``phonenumbers`` package) with
default region TR; nothing here re-implements numbering-plan knowledge.
Results are cached: the same few numbers arrive again and again (ringing,
answered, the journal, the directory lookup).
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

DEFAULT_REGION = "TR"

#: Longest digit string still treated as an internal extension or queue.
#: Tekil extensions have up to six digits (``101000``); the shortest Turkish
#: public numbers that are not emergency codes are seven (``444 1 444``).
MAX_INTERNAL_DIGITS = 6

#: What PBXs put in the caller field when the caller withheld the number.
_ANONYMOUS = frozenset(
    {"", "anonymous", "unknown", "private", "restricted", "gizli", "bilinmiyor", "unavailable"}
)
_SEPARATORS = re.compile(r"[\s\-./()\u00a0]+")
#: What is left of a public number once separators are gone.  Letters are
#: refused: libphonenumber would read "0532-abc" as the vanity "0532-222".
_DIALLABLE = re.compile(r"\+?\d+")
_INTERNAL = re.compile(rf"\*?\d{{1,{MAX_INTERNAL_DIGITS}}}")


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
    (``+905321234567``) for public numbers, the bare digits for internal
    extensions, and the stripped text otherwise.
    """

    raw: str
    kind: NumberKind
    e164: str | None = None
    #: libphonenumber thinks the number is assigned (not just plausible).
    valid: bool = False
    #: ISO region of the number (``TR``, ``GB``...) when known.
    region: str | None = None
    #: libphonenumber's number type name (``MOBILE``, ``PREMIUM_RATE``...).
    number_type: str | None = None

    @property
    def key(self) -> str:
        if self.e164 is not None:
            return self.e164
        if self.kind is NumberKind.INTERNAL:
            return _internal(self.raw)
        return self.raw.strip()

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

    def display(self) -> str:
        """The number as a Turkish agent reads it (``0532 123 45 67``)."""
        if self.kind is NumberKind.EXTERNAL and self.e164 is not None:
            parsed = phonenumbers.parse(self.e164, None)
            fmt = PhoneNumberFormat.NATIONAL if self.is_turkish else PhoneNumberFormat.INTERNATIONAL
            return str(phonenumbers.format_number(parsed, fmt))
        if self.kind is NumberKind.INTERNAL:
            return _internal(self.raw)
        return self.raw.strip()

    def national(self) -> str | None:
        """Turkish national digits with the trunk 0 (``05321234567``), else None."""
        if self.e164 is None or not self.is_turkish:
            return None
        return "0" + self.e164[3:]

    def masked(self) -> str:
        """For INFO logs (KVKK): keep the last two digits only."""
        return mask(self.key)


def _internal(text: str) -> str:
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


@functools.lru_cache(maxsize=65536)
def parse_number(raw: str | None, region: str = DEFAULT_REGION) -> PhoneNumber:
    """Parse *raw* as received from the PBX or typed by an agent.

    Never raises: anything that is not a number comes back as
    ``NumberKind.INVALID`` (or ``ANONYMOUS``) with ``raw`` kept.
    """
    text = "" if raw is None else str(raw)
    stripped = text.strip()
    if stripped.lower() in _ANONYMOUS:
        return PhoneNumber(raw=text, kind=NumberKind.ANONYMOUS)
    compact = _SEPARATORS.sub("", stripped)
    if _INTERNAL.fullmatch(compact):
        return PhoneNumber(raw=text, kind=NumberKind.INTERNAL)
    if _DIALLABLE.fullmatch(compact) is None:
        return PhoneNumber(raw=text, kind=NumberKind.INVALID)
    if compact.startswith("00"):
        # libphonenumber only knows TR's international prefix as "00" when the
        # region is TR; spell it explicitly so any default region works.
        compact = "+" + compact[2:]
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return PhoneNumber(raw=text, kind=NumberKind.INVALID)
    if not phonenumbers.is_possible_number(parsed):
        return PhoneNumber(raw=text, kind=NumberKind.INVALID)
    ntype = phonenumbers.number_type(parsed)
    return PhoneNumber(
        raw=text,
        kind=NumberKind.EXTERNAL,
        e164=phonenumbers.format_number(parsed, PhoneNumberFormat.E164),
        valid=phonenumbers.is_valid_number(parsed),
        region=phonenumbers.region_code_for_number(parsed),
        number_type=_TYPE_NAMES.get(ntype, "UNKNOWN"),
    )


_TYPE_NAMES = {
    value: name
    for name, value in vars(PhoneNumberType).items()
    if not name.startswith("_") and isinstance(value, int)
}


def normalize(raw: str | None, region: str = DEFAULT_REGION) -> str:
    """The lookup key of *raw* (see :attr:`PhoneNumber.key`)."""
    return parse_number(raw, region).key
