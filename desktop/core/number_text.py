"""Plain text around phone numbers: the one cleaner of pasted numbers, and links.

Standard library only (the command line decides "is this a number or a
link?" before anything heavy is imported).  :mod:`desktop.core.numbers`
parses what comes out of here.

:func:`clean_number_text` removes what WhatsApp, Outlook, Word or a web
page put around a number: bidi marks (``\\u202a+90 532 …\\u202c``),
zero-width spaces and joiners, BOMs and soft hyphens; it makes every kind
of space one space, typographic dashes ``-`` and every kind of digit
(full-width, Arabic-Indic) ASCII.  Lookup, dial, import and the dialer all
use it.  :func:`link_parts` reads ``tel:``/``callto:``/``sip:`` links.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

_LINK = re.compile(r"^(?P<scheme>tel|callto|sips?):(?!\s)(?://)?(?P<rest>.*)$", re.IGNORECASE)
#: Digits with the usual separators (and a leading "+"): what a typed number looks like.
_NUMBER_LIKE = re.compile(r"\+?[\d\s\-./()]*\d[\d\s\-./()]*")


def ascii_digits(text: str) -> str:
    """Any Unicode decimal digit as its ASCII digit (``٠٥``, ``０５`` -> ``05``)."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in text)


def clean_number_text(text: object) -> str:
    """Pasted text made plain: the one cleaner behind lookup, dial, import and the dialer.

    Compatibility forms folded (NFKC: full-width digits and brackets),
    invisible format characters removed (bidi marks and isolates,
    zero-width spaces and joiners, BOMs, soft hyphens), every kind of space
    made one space, typographic dashes made ``-``, Unicode digits made
    ASCII, ends stripped.  Letters and everything else are kept: what is
    not a number stays recognisably not a number.
    """
    if text is None:
        return ""
    value = text if isinstance(text, str) else str(text)
    if value.isascii() and value.isprintable():
        return value.strip()
    value = unicodedata.normalize("NFKC", value)
    out: list[str] = []
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        if category in ("Zs", "Zl", "Zp", "Cc"):
            out.append(" ")
        elif category == "Pd" or ch == "\u2212":  # en/em dashes, minus sign
            out.append("-")
        else:
            out.append(ch)
    return ascii_digits(" ".join("".join(out).split()))


def link_parts(text: str) -> tuple[str, str, str | None] | None:
    """``(scheme, number part, extension)`` of a ``tel:``/``callto:``/``sip:`` link, else None.

    Parameters (``;user=phone``…) and headers (``?…``) are dropped, a
    ``tel:`` link's ``;ext=`` is returned as the extension, a ``sip:``
    link's user part is the number, and a ``tel:`` local number with a
    global ``phone-context`` (RFC 3966 §5.1.5) gets the context in front.
    *text* should be cleaned first (:func:`clean_number_text`).
    """
    match = _LINK.match(text)
    if match is None:
        return None
    scheme = match["scheme"].lower()
    rest = unquote(match["rest"]).strip().split("?", 1)[0]
    if scheme in ("sip", "sips"):
        rest = rest.split("@", 1)[0]  # the user is before the host
    number, *params = (part.strip() for part in rest.split(";"))
    extension: str | None = None
    for param in params:
        name, _, value = param.partition("=")
        name, value = name.strip().lower(), value.strip()
        if name == "ext" and value:
            extension = value
        elif (scheme == "tel" and name == "phone-context" and value.startswith("+")
              and not number.startswith("+")):
            number = value + number
    return scheme, number, extension


def looks_like_number_or_link(text: str) -> bool:
    """Digits (with separators) or a ``tel:``/``callto:``/``sip:`` link, after cleaning."""
    clean = clean_number_text(text)
    return bool(clean) and (_LINK.match(clean) is not None
                            or _NUMBER_LIKE.fullmatch(clean) is not None)
