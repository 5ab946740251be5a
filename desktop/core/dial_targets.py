"""What the agent gives us to dial, as what the PBX dials (or why it cannot be dialled).

:func:`dial_target` turns text into a :class:`DialTarget` or a
:class:`DialRefusal`: ``tel:+90-532-123-45-67``, ``callto:``/``sip:1002@host``
links, ``0 (532) 123 45 67``, ``+44 20 7946 0958``, an extension (``1002``)
or a text with one number in it.  Turkish numbers go out in national form
with the trunk 0 (``05321234567``), foreign ones as ``00`` + country code +
number, extensions unchanged; the outside-line prefix of the settings goes
in front of public numbers.  Parsing is libphonenumber's
(:func:`desktop.core.numbers.parse_number`, and its ``PhoneNumberMatcher``
for free text); nothing here knows numbering plans.  International and
premium-rate numbers are marked for the agent's confirmation
(``DialSettings.confirm_international``).

Pure functions: nothing here sends anything (:mod:`desktop.core.dialing`
places the calls).  Split from ``dialing.py``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Final

import phonenumbers

from desktop.core.numbers import (
    DEFAULT_REGION,
    NumberKind,
    PhoneNumber,
    ascii_digits,
    clean_number_text,
    link_parts,
    parse_number,
)
from desktop.core.settings import DialSettings

#: Longer input is refused (a number never needs it; libphonenumber's matcher
#: would only waste time on a pasted document).
MAX_DIAL_TEXT: Final = 4096
#: URI schemes whose links we dial.
SCHEMES: Final = ("tel", "callto", "sip", "sips")

_DIAL_STRING = re.compile(r"[0-9*#]+")
_PREFIX = re.compile(r"[0-9*#]*")
#: How much of the agent's text a refusal quotes.
_QUOTE_LIMIT = 40


# ---------------------------------------------------------------- targets


class RefusalReason(enum.Enum):
    """Why a text cannot be dialled (the UI words each one)."""

    EMPTY = "empty"
    TOO_LONG = "too-long"
    NO_NUMBER = "no-number"
    SEVERAL_NUMBERS = "several-numbers"
    INVALID = "invalid"
    WITHHELD = "withheld"
    BAD_PREFIX = "bad-prefix"


class ConfirmReason(enum.Enum):
    """Why a number needs the agent's confirmation before it is dialled."""

    INTERNATIONAL = "international"
    PREMIUM = "premium"
    #: Picked from the screen by the dial hotkey: the agent sees the number first.
    SELECTION = "selection"


@dataclass(frozen=True, slots=True)
class DialTarget:
    """A number the PBX can dial."""

    number: PhoneNumber
    #: Exactly what is sent to the PBX (``05321234567``, ``00442079460958``, ``1002``).
    dial_string: str
    #: How the agent reads it (``0532 123 45 67``, ``+44 20 7946 0958``, ``1002``).
    display: str
    #: Set when the agent must confirm first.
    confirm: ConfirmReason | None = None

    @property
    def key(self) -> str:
        """What the debounce compares: two spellings of one number are one key."""
        return self.dial_string

    @property
    def internal(self) -> bool:
        return self.number.kind is NumberKind.INTERNAL


@dataclass(frozen=True, slots=True)
class DialRefusal:
    """The text cannot be dialled; :attr:`message` says why in plain English."""

    reason: RefusalReason
    #: The offending text, shortened for display.
    text: str = ""

    @property
    def message(self) -> str:
        quoted = f"“{self.text}”" if self.text else "The text"
        return {
            RefusalReason.EMPTY: "There is no number to call.",
            RefusalReason.TOO_LONG: "The text is too long to be a phone number; "
                                    "copy just the number.",
            RefusalReason.NO_NUMBER: f"{quoted} contains no phone number.",
            RefusalReason.SEVERAL_NUMBERS: f"{quoted} contains more than one phone number; "
                                           "choose one.",
            RefusalReason.INVALID: f"{quoted} is not a valid phone number.",
            RefusalReason.WITHHELD: "The number was withheld; it cannot be called back.",
            RefusalReason.BAD_PREFIX: "The outside-line prefix in the settings may only "
                                      "contain digits, * and #.",
        }[self.reason]


def quote_text(text: str) -> str:
    """*text* on one line, shortened for quoting in a refusal."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1] + "…"


def _found_numbers(text: str) -> list[PhoneNumber]:
    """The distinct valid numbers libphonenumber finds in free text."""
    seen: dict[str, PhoneNumber] = {}
    matcher = phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION,
                                              leniency=phonenumbers.Leniency.VALID)
    for match in matcher:
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in seen:
            seen[e164] = parse_number(e164)
        if len(seen) > 1:
            break
    return list(seen.values())


def dial_target(text: str, settings: DialSettings | None = None) -> DialTarget | DialRefusal:
    """What the PBX should dial for *text*, or why it cannot be dialled.

    Never raises and never talks to anything.  See the module docstring.
    """
    settings = settings or DialSettings()
    prefix = settings.outside_line_prefix.strip()
    if _PREFIX.fullmatch(prefix) is None:
        return DialRefusal(RefusalReason.BAD_PREFIX)
    raw = "" if text is None else str(text)
    if len(raw) > MAX_DIAL_TEXT:
        return DialRefusal(RefusalReason.TOO_LONG)
    # The one cleaner of pasted numbers (bidi marks, zero-width characters, Unicode
    # digits) and the one reading of links ("Tel: 0224…" with a space is a label in a
    # text, handled like any other text).
    clean = clean_number_text(raw)
    if not clean:
        return DialRefusal(RefusalReason.EMPTY)
    uri = link_parts(clean)
    candidate = uri[1] if uri else clean
    if not candidate:
        return DialRefusal(RefusalReason.EMPTY if not uri else RefusalReason.NO_NUMBER,
                           quote_text(clean))
    number = parse_number(candidate)
    if number.kind is NumberKind.ANONYMOUS:
        return DialRefusal(RefusalReason.WITHHELD)
    if number.kind is NumberKind.INVALID:
        if uri:  # a link names one number or none; no guessing inside it
            return DialRefusal(RefusalReason.INVALID, quote_text(candidate))
        found = _found_numbers(candidate)
        if not found:
            return DialRefusal(RefusalReason.NO_NUMBER, quote_text(candidate))
        if len(found) > 1:
            return DialRefusal(RefusalReason.SEVERAL_NUMBERS, quote_text(candidate))
        number = found[0]
    return _target(number, candidate, prefix, settings.confirm_international)


def _target(number: PhoneNumber, candidate: str, prefix: str,
            confirm_costly: bool) -> DialTarget | DialRefusal:
    if number.kind is NumberKind.INTERNAL:
        digits = ascii_digits(number.key)
        # A leading 0 is the trunk prefix: "0555" is the start of a number, not an extension.
        if _DIAL_STRING.fullmatch(digits) is None or digits.startswith("0"):
            return DialRefusal(RefusalReason.INVALID, quote_text(candidate))
        return DialTarget(number=number, dial_string=digits, display=digits)
    if number.kind is not NumberKind.EXTERNAL or number.e164 is None or not number.valid:
        return DialRefusal(RefusalReason.INVALID, quote_text(candidate))
    if number.is_turkish:
        # How a phone in Turkey dials it: the trunk 0 where the plan has one
        # (05321234567, 02245320444), none for 444 numbers (4441444).
        parsed = phonenumbers.parse(number.e164, None)
        public = phonenumbers.format_number_for_mobile_dialing(parsed, DEFAULT_REGION, False)
    else:
        public = "00" + number.e164[1:]
    confirm: ConfirmReason | None = None
    if confirm_costly:
        if number.is_premium:
            confirm = ConfirmReason.PREMIUM
        elif number.is_international:
            confirm = ConfirmReason.INTERNATIONAL
    dial_string = prefix + public
    if _DIAL_STRING.fullmatch(dial_string) is None:  # pragma: no cover - defensive
        return DialRefusal(RefusalReason.INVALID, quote_text(candidate))
    return DialTarget(number=number, dial_string=dial_string, display=number.display(),
                      confirm=confirm)


def extension_digits(text: str) -> str | None:
    """The digits of the extension *text* names (``" 1002 "`` -> ``"1002"``), or None."""
    number = parse_number(clean_number_text(text))
    digits = ascii_digits(number.key)
    if number.kind is not NumberKind.INTERNAL or _DIAL_STRING.fullmatch(digits) is None:
        return None
    return digits
