"""SMS text: which encoding a text needs, what it will cost, and templates.

Kobikom's limits (digest §7.1, the old API's ``unicode`` parameter):

==================  ============  =====================================
encoding            ``unicode``   characters in one message
==================  ============  =====================================
plain               ``0``         155
Turkish             ``turkish``   150
Unicode             ``1``         **65** (the single-send doc says 75,
                                  the multiple-send comment 65: we use
                                  the stricter 65, and the UI says so)
==================  ============  =====================================

The new API documents no limits and no encoding parameter; we count with
the same figures for both APIs.

Which encoding (conservative: never send a character the mode may mangle):

* plain: ASCII letters, digits, space, line break and the ASCII
  punctuation of the GSM 7-bit alphabet; ``^ { } \\ [ ~ ] |`` are GSM
  *extension* characters and count **2** (escape + character);
* Turkish: plain plus ``ç ğ ı ö ş ü Ç Ğ İ Ö Ş Ü`` (1 each, as Kobikom's
  150 figure implies);
* Unicode: anything else (other accents, ``€``, typographic quotes, emoji…),
  counted in UTF-16 units: an emoji outside the Basic Multilingual Plane
  counts 2.

Multi-part messages are not documented.  Our rule, stated in the UI:
a concatenated part loses room to its header, as in GSM concatenation
(160 -> 153, 70 -> 67): **7 characters** for plain/Turkish parts and **3**
for Unicode parts, so 148 / 143 / 62 characters per part.  Parts are packed
without splitting a character (an emoji or an escape pair never straddles
two parts).  The count may overstate the cost, never understate it.

Templates: ``{name}``, ``{number}``, ``{company}`` (the customer's) and
``{agent}`` (the agent's name from the settings) are filled in; an empty
value is removed with its surrounding space (``Merhaba {name},`` ->
``Merhaba,``).  Any other ``{word}`` left in a text is a blank the agent
must fill in (``Adres bilgimiz: {adres}``): the composer will not send it.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from desktop.pbx.sms import SmsCoding

__all__ = [
    "DEFAULT_TEMPLATES",
    "MAX_PARTS",
    "PLACEHOLDERS",
    "SmsCount",
    "SmsEncoding",
    "count_sms",
    "prepare_text",
    "render_template",
    "unfilled_placeholders",
]


class SmsEncoding(enum.Enum):
    PLAIN = "plain"
    TURKISH = "turkish"
    UNICODE = "unicode"

    @property
    def coding(self) -> SmsCoding:
        """The old API's ``unicode`` value for this encoding."""
        return _CODING[self]

    @property
    def single_limit(self) -> int:
        """Characters that fit in a single message."""
        return SINGLE_LIMITS[self]

    @property
    def part_limit(self) -> int:
        """Characters per part of a multi-part message."""
        return SINGLE_LIMITS[self] - CONCAT_HEADER[self]


_CODING: Final = {SmsEncoding.PLAIN: SmsCoding.PLAIN, SmsEncoding.TURKISH: SmsCoding.TURKISH,
                  SmsEncoding.UNICODE: SmsCoding.UNICODE}
#: Kobikom's per-message limits (the stricter Unicode figure, see the docstring).
SINGLE_LIMITS: Final = {SmsEncoding.PLAIN: 155, SmsEncoding.TURKISH: 150,
                        SmsEncoding.UNICODE: 65}
#: Room a part of a concatenated message loses to its header (our rule).
CONCAT_HEADER: Final = {SmsEncoding.PLAIN: 7, SmsEncoding.TURKISH: 7, SmsEncoding.UNICODE: 3}
#: Longest message we send (parts); longer texts are refused with a clear error.
MAX_PARTS: Final = 8

_PLAIN_BASIC: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 \n"
    "!\"#$%&'()*+,-./:;<=>?@_")
_GSM_EXTENSION: Final = frozenset("^{}\\[~]|")
_TURKISH: Final = frozenset("çğıöşüÇĞİÖŞÜ")


@dataclass(frozen=True, slots=True)
class SmsCount:
    """What a text costs."""

    encoding: SmsEncoding
    #: Characters as the operator counts them (extension characters 2, emoji 2).
    units: int
    parts: int
    #: Characters per message at this length (the single limit, or the part limit).
    per_message: int
    #: Characters left before the next part starts.
    remaining: int
    #: The characters that made the text Turkish or Unicode (first few, in order).
    special: tuple[str, ...] = ()

    @property
    def too_long(self) -> bool:
        return self.parts > MAX_PARTS

    @property
    def empty(self) -> bool:
        return self.units == 0


def prepare_text(text: str) -> str:
    """The text as it will be sent: NFC, ``\\n`` line breaks, no other controls, trimmed."""
    value = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace("\t", " ")
    value = "".join(ch for ch in value
                    if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf")
                    or ch == "\u200d")  # keep the emoji zero-width joiner
    return value.strip()


def _units(ch: str, encoding: SmsEncoding) -> int:
    if encoding is SmsEncoding.UNICODE:
        return 2 if ord(ch) > 0xFFFF else 1
    return 2 if ch in _GSM_EXTENSION else 1


def _encoding_of(text: str) -> tuple[SmsEncoding, tuple[str, ...]]:
    turkish: list[str] = []
    other: list[str] = []
    for ch in text:
        if ch in _PLAIN_BASIC or ch in _GSM_EXTENSION:
            continue
        if ch in _TURKISH:
            if ch not in turkish:
                turkish.append(ch)
        elif ch not in other:
            other.append(ch)
    if other:
        return SmsEncoding.UNICODE, tuple(other[:5])
    if turkish:
        return SmsEncoding.TURKISH, tuple(turkish[:5])
    return SmsEncoding.PLAIN, ()


def count_sms(text: str) -> SmsCount:
    """Encoding, length and number of messages for *text* (as :func:`prepare_text` leaves it)."""
    encoding, special = _encoding_of(text)
    costs = [_units(ch, encoding) for ch in text]
    units = sum(costs)
    single = encoding.single_limit
    if units <= single:
        return SmsCount(encoding, units, 1, single, single - units, special)
    per_part = encoding.part_limit
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts += 1
            used = 0
        used += cost
    return SmsCount(encoding, units, parts, per_part, per_part - used, special)


# ---------------------------------------------------------------- templates

#: The placeholders we fill in.
PLACEHOLDERS: Final = ("name", "number", "company", "agent")
_PLACEHOLDER: Final = re.compile(r"\{([^{}\s]{1,40})\}")

#: Turkish defaults, seeded into a new outbox (the agent can edit them).
#: They are texts for customers, not UI strings: never translated.
DEFAULT_TEMPLATES: Final = (
    ("Ulaşamadık", "Merhaba {name}, sizi aradık, ulaşamadık. Müsait olduğunuzda bize "
                   "dönebilir misiniz? {agent}"),
    ("Adres", "Adres bilgimiz: {adres}"),
    ("Toplantı hatırlatması", "Merhaba {name}, {tarih} saat {saat} toplantımızı hatırlatmak "
                              "isteriz. Görüşmek üzere. {agent}"),
    ("Teşekkür", "Merhaba {name}, görüşmemiz için teşekkür ederiz. İyi günler dileriz. {agent}"),
)


def render_template(template: str, values: Mapping[str, str]) -> str:
    """Fill in the known placeholders; empty ones vanish with their space.

    Unknown placeholders (``{adres}``) stay for the agent to fill in.
    """

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in PLACEHOLDERS:
            return match.group(0)
        return values.get(key, "").strip()

    text = _PLACEHOLDER.sub(fill, template)
    # Tidy what empty values leave behind: double spaces, " ," and trailing spaces.
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?])", r"\1", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return text.strip()


def unfilled_placeholders(text: str) -> list[str]:
    """``{word}`` blanks still in *text*, in order, without duplicates."""
    out: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(0) not in out:
            out.append(match.group(0))
    return out
