"""``{variable}`` templates filled with call values: CRM URLs, LDAP filters, lookup URLs.

One small grammar for every template a user or administrator writes:
``{name}`` is replaced by a value, ``{{`` and ``}}`` are literal braces,
nothing else (no ``{name:spec}``, no ``{name!r}``, no attribute access).
Each kind of template says which variables it knows and how a value is
encoded into it (URL-encoding for URLs, RFC 4515 escaping for LDAP
filters), so that a caller's number or name can never change a template's
structure.

The number forms every template can use (:func:`number_values`):

``{number}``         the number as received (``05321234567``, ``1001``)
``{e164}``           ``+905321234567``; extensions as they are
``{national}``       ``05321234567`` for Turkish numbers; else like ``{e164}``
``{international}``  ``+90 532 123 45 67`` (how address books often store it);
                     extensions as they are
"""

from __future__ import annotations

import string
import urllib.parse
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from desktop.core.numbers import PhoneNumber as PhoneNumber

#: The number forms, known to every kind of template.
NUMBER_VARIABLES: Final = ("number", "e164", "national", "international")
#: The CRM URL's variables: the number forms and the call's values (:mod:`desktop.core.crm`).
CRM_VARIABLES: Final = (*NUMBER_VARIABLES, "name", "company", "call_id", "extension", "queue",
                        "direction")
#: Schemes a URL template may use.
URL_SCHEMES: Final = ("http", "https")
#: Longest template accepted.
MAX_TEMPLATE_CHARS: Final = 2000


class TemplateError(ValueError):
    """A template is not acceptable.

    The message says why in English; ``code`` and ``params`` let the UI say
    it in the agent's language (:mod:`desktop.ui.integration_texts`).
    """

    def __init__(self, message: str, code: str = "invalid", **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def _braced(names: Collection[str]) -> str:
    return ", ".join("{" + name + "}" for name in names)


def template_variables(template: str, allowed: Collection[str]) -> frozenset[str]:
    """The variable names *template* uses; TemplateError if malformed or unknown."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:  # "Single '}' encountered", "unmatched '{'"
        raise TemplateError(f"malformed template: {exc}", "malformed") from None
    names: set[str] = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in allowed:
            raise TemplateError(f"unknown variable {{{name}}} (known: {_braced(allowed)})",
                                "unknown-variable", name=name, known=_braced(allowed))
        if spec or conversion:
            raise TemplateError(f"{{{name}}} takes no format (write just {{{name}}})",
                                "format", name=name)
        names.add(name)
    return frozenset(names)


def fill(template: str, values: Mapping[str, str], encode: Callable[[str], str]) -> str:
    """*template* with each variable replaced by ``encode(value)`` (missing = empty)."""
    out: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(encode(values.get(name, "") or ""))
    return "".join(out)


def check_url_template(template: str, allowed: Collection[str], *, what: str = "URL") -> str:
    """The URL template stripped, or TemplateError.  Empty is valid (the feature is off).

    Accepted: ``http://`` or ``https://``, the host written out before any
    variable (a value can never choose the server), known variables only,
    no spaces or control characters.
    """
    template = template.strip()
    if not template:
        return ""
    if len(template) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"the {what} is too long (over {MAX_TEMPLATE_CHARS} characters)",
                            "too-long")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in template):
        raise TemplateError(f"the {what} contains spaces or control characters", "spaces")
    template_variables(template, allowed)
    literal_head = template.split("{", 1)[0]
    parts = urllib.parse.urlsplit(literal_head)
    if parts.scheme.lower() not in URL_SCHEMES:
        raise TemplateError(f"the {what} must start with http:// or https://", "scheme")
    host_error = TemplateError(f"the {what} must name its host before any variable", "host")
    if not parts.hostname:
        raise host_error
    if literal_head != template and not (parts.path or parts.query or parts.fragment
                                         or literal_head.endswith(("/", "?", "#"))):
        raise host_error
    return template


def fill_url(template: str, values: Mapping[str, str]) -> str:
    """A URL template filled in, each value URL-encoded as a whole (``/``, ``&`` too)."""
    url = fill(template, values, lambda value: urllib.parse.quote(value, safe=""))
    expected = urllib.parse.urlsplit(template.split("{", 1)[0]).hostname
    if urllib.parse.urlsplit(url).hostname != expected:  # pragma: no cover - second fence
        raise TemplateError("the URL's host changed while filling it in")
    return url


def url_host(url: str) -> str:
    """The host of *url*, for logs (the rest may carry the caller's number)."""
    return urllib.parse.urlsplit(url).hostname or "?"


def number_values(number: PhoneNumber | str) -> dict[str, str]:
    """The number forms of *number* (see the module docstring)."""
    import phonenumbers

    from desktop.core.numbers import NumberKind, PhoneNumber, parse_number

    parsed = number if isinstance(number, PhoneNumber) else parse_number(number)
    e164 = parsed.e164 or parsed.key
    international = e164
    if parsed.kind is NumberKind.EXTERNAL and parsed.e164 is not None:
        international = str(phonenumbers.format_number(
            phonenumbers.parse(parsed.e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL))
    return {
        "number": parsed.raw.strip(),
        "e164": e164,
        "national": parsed.national() or e164,
        "international": international,
    }


# ---------------------------------------------------------------- LDAP filters


#: Schemes of an LDAP server address.
LDAP_SCHEMES: Final = ("ldap://", "ldaps://")


def check_ldap_url(url: str) -> str:
    """An LDAP server address stripped ("" = no LDAP), or TemplateError."""
    url = url.strip()
    if not url:
        return ""
    if not url.lower().startswith(LDAP_SCHEMES):
        raise TemplateError("the LDAP server must be an ldap:// or ldaps:// address",
                            "ldap-scheme")
    host = urllib.parse.urlsplit(url).hostname
    if not host or any(ch.isspace() for ch in url):
        raise TemplateError("the LDAP address names no server", "ldap-host")
    return url


def check_ldap_filter_shape(template: str) -> str:
    """An LDAP filter template's variables and parentheses ("" = the default filter).

    The full syntax check needs ldap3 (:func:`desktop.core.remote_ldap.check_filter`);
    this one is cheap enough for reading the settings at start.
    """
    template = template.strip()
    if not template:
        return ""
    template_variables(template, NUMBER_VARIABLES)
    depth = 0
    for ch in template:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if not (template.startswith("(") and template.endswith(")")) or depth != 0:
        raise TemplateError("an LDAP filter is written in balanced parentheses, e.g. "
                            "(telephoneNumber={e164})", "ldap-parentheses")
    return template
