"""Cleaning and folding untrusted text (names, companies, notes) the Turkish way.

Two different jobs:

* :func:`clean` is applied to everything that comes from outside (CSV and
  vCard files, the PBX phonebook, the agent's own typing) before it is
  stored: Unicode NFC, no control characters (``\\n`` survives in notes only),
  no bidirectional override/isolate characters (they can make a popup show
  a name that reads differently from what is stored), trimmed and
  length-capped.  The text is otherwise kept as given; the UI renders it as
  plain text, so ``<b>`` stays a literal ``<b>``.
* Folding for comparison.  Python's ``str.lower()`` gets Turkish wrong
  (``"I".lower()`` is ``"i"``, ``"İ".lower()`` is ``"i̇"`` with a combining
  dot).  :func:`turkish_fold` is the correct Turkish case fold
  (``İ``→``i``, ``I``→``ı``); :func:`search_fold` goes one step further and
  drops diacritics (``ş``→``s``, ``ı``→``i``, ``ğ``→``g``...) so that an
  agent who types ``isik``, ``ışık`` or ``IŞIK`` finds ``Işık`` and
  contacts imported in ASCII-only spelling (``SAHIN``) are found by
  ``şahin``.
"""

from __future__ import annotations

import re
import unicodedata

#: Length caps for untrusted fields (characters).
MAX_NAME = 200
MAX_COMPANY = 200
MAX_EMAIL = 254
MAX_NOTES = 4000
MAX_NUMBER = 64
MAX_SHORT = 200  # sources, external ids, labels

# C0/C1 controls, DEL, bidi embeddings/overrides/isolates, BOM/ZWNBSP.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_KEEP_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0]+")

_TURKISH_UPPER = str.maketrans({"İ": "i", "I": "ı"})
# The letters of Turkish (and its circumflex vowels) without diacritics; other
# scripts' accents go through NFKD below.
_PLAIN = {"ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u", "â": "a", "î": "i", "û": "u"}
_SEARCH = str.maketrans(
    {**_PLAIN, "İ": "i", "I": "i", **{k.upper(): v for k, v in _PLAIN.items() if k != "ı"}}
)


def clean(text: object, limit: int = MAX_NAME, *, multiline: bool = False) -> str:
    """Untrusted *text* made safe to store and show as plain text.

    ``None`` becomes ``""``.  Line breaks become spaces unless *multiline*
    (notes), where ``\\r\\n`` and ``\\r`` become ``\\n``.  The result is at
    most *limit* characters.
    """
    if not text:
        return ""
    value = text if isinstance(text, str) else str(text)
    if value.isprintable():
        # Fast path (most fields): no controls, line breaks, tabs, bidi
        # characters or non-breaking spaces.
        if not value.isascii():
            value = unicodedata.normalize("NFC", value)
        if "  " in value:
            value = _SPACES.sub(" ", value)
        value = value.strip()
        return value if len(value) <= limit else value[:limit].rstrip()
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        value = _CONTROL_KEEP_NEWLINE.sub("", value)
        value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    else:
        value = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        value = _CONTROL.sub("", value.replace("\t", " "))
        value = _SPACES.sub(" ", value)
    return value.strip()[:limit].rstrip()


def turkish_fold(text: str) -> str:
    """Case-fold with Turkish rules: ``"IŞIK İSMAİL"`` -> ``"ışık ismail"``."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.translate(_TURKISH_UPPER).casefold()


def search_fold(text: str) -> str:
    """Turkish case fold, then without diacritics: ``"IŞIK Çağrı"`` -> ``"isik cagri"``.

    Used for the directory's search column and for the query typed by the
    agent, so both sides always fold the same way.
    """
    if text.isascii():
        return text.casefold()  # "I" -> "ı" -> "i" in one step
    folded = unicodedata.normalize("NFC", text).translate(_SEARCH).casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
